# The plot in docs/methods/sd.md: a run of the SIR sample (every 8th step of dt 1/32, i.e. every 0.25 day).
#   holon simulate docs/examples/SIR.xmile --out /tmp/holon-sir/sir.csv
#   (cd /tmp/holon-sir && gnuplot "$OLDPWD/docs/methods/img/sd-sir.gp")   # reads sir.csv, writes sd-sir.svg here
set terminal svg size 720,400 dynamic font "sans,12" background rgb "white"
set output "sd-sir.svg"
set datafile separator ","
set key autotitle columnhead right center
set title "SIR sample: 1000 people, contact infectivity 0.3, duration 5 (Euler, dt 1/32)"
set xlabel "time (days)"
set ylabel "people"
set grid
plot "sir.csv" every 8 using 1:"susceptible" with lines lw 2, \
     "" every 8 using 1:"infectious" with lines lw 2, \
     "" every 8 using 1:"recovered" with lines lw 2
