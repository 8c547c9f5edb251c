# Renders docs/methods/img/scenarios-sir-quadrants.svg from the series table of scenarios.run
# (docs/examples/scenario-sir-quadrants.series.csv). Run from the repository root:
#   gnuplot docs/methods/img/scenarios-sir-quadrants.gp
# or with another series table and picture (as docs/methods/scenarios.md does, into scratch/):
#   gnuplot -e 'data="scratch/quad/series.csv"; out="scratch/quad/quadrants.svg"' docs/methods/img/scenarios-sir-quadrants.gp
if (!exists("data")) data = "docs/examples/scenario-sir-quadrants.series.csv"
if (!exists("out")) out = "docs/methods/img/scenarios-sir-quadrants.svg"
set terminal svg size 760,420 dynamic noenhanced font "sans,12" background "white"
set output out
set datafile separator ","
set key autotitle columnhead top right
set title "SIR model driven by the four quadrants of contact x care (infectious people)"
set xlabel "time (days)"
set ylabel "infectious (people)"
set grid
plot data using 1:2 with lines lw 2 dt 1 lc rgb "#1b9e77", \
     "" using 1:3 with lines lw 2 dt 2 lc rgb "#7570b3", \
     "" using 1:4 with lines lw 2 dt 2 lc rgb "#e7298a", \
     "" using 1:5 with lines lw 2 dt 1 lc rgb "#d95f02"
