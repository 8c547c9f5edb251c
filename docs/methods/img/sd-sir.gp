# The picture in docs/methods/sd.md: one run of the SIR sample model (docs/examples/SIR.xmile),
# saved every 0.25 day (every 8th step of dt 1/32). From the repository root:
#   mkdir -p scratch/sd-sir
#   build/release/bin/holon simulate docs/examples/SIR.xmile --out scratch/sd-sir/sir.csv
#   (cd scratch/sd-sir && gnuplot ../../docs/methods/img/sd-sir.gp)   # reads sir.csv, writes sd-sir.png here
set terminal pngcairo size 960,540 noenhanced font "sans,11" background rgb "white"
set output "sd-sir.png"
set datafile separator ","
set title "SIR sample: 1000 people, contact infectivity 0.3, infectious for 5 days (Euler, dt 1/32)"
set xlabel "time (days)"
set ylabel "people"
set grid back lt 1 lw 1 lc rgb "#e4e4e4"
set border 3 lc rgb "#444444"
set tics nomirror
set autoscale xfix
set yrange [0:1050]
set key inside top right reverse Left samplen 3 spacing 1.3
plot "sir.csv" every 8 using "time":"susceptible" with lines lw 2.5 lc rgb "#4e79a7" title "susceptible", \
     "" every 8 using "time":"infectious" with lines lw 2.5 lc rgb "#e15759" title "infectious", \
     "" every 8 using "time":"recovered" with lines lw 2.5 lc rgb "#59a14f" title "recovered"
