# The plot in docs/methods/cld.md: relative loop scores of the Bass diffusion model (cld.ltm).
#   holon run cld.ltm --model tests/plugins/cld/data/bass.xmile --out scratch/bass-ltm
#   gnuplot -e "dir='scratch/bass-ltm'; out='scratch/bass-ltm/ltm-bass.png'" docs/methods/img/ltm-bass.gp
# (without out= it redraws the committed docs/methods/img/ltm-bass.png).
# loop_scores.csv is headed by display names: Time, R1 loop score, R1 relative loop score, B1 ...
# (the ids L1, L1.relative, ... are in loop_scores.columns.csv; loops.csv says which loop R1 is).
if (!exists("dir")) dir = "scratch/bass-ltm"
if (!exists("out")) out = "docs/methods/img/ltm-bass.png"
set terminal pngcairo size 800,420 font "sans,11" background rgb "white"
set output out
set datafile separator ","
set title "Bass diffusion: relative loop scores (Loops That Matter, Euler, dt 1/16)"
set xlabel "time (months)"
set ylabel "relative loop score"
set yrange [-1.05:1.05]
set grid
set key left bottom
set xrange [0:15]
set arrow from 9.6, graph 0 to 9.6, graph 1 nohead dashtype 2 lc rgb "gray40"
set label "R1/B1 crossover, T ≈ 9.6" at 9.8, 0.85 tc rgb "gray30"
plot dir."/loop_scores.csv" using 1:"R1 relative loop score" with lines lw 2 lc rgb "#1b9e77" title "R1 word of mouth (reinforcing)", \
     "" using 1:"B1 relative loop score" with lines lw 2 lc rgb "#d95f02" title "B1 saturation (balancing)"
