
set terminal pngcairo size 1000,420 font "sans,10"
set output 'hotpath.png'
set multiplot layout 1,2 title "procmem-guard hot path: open()+close() cost relative to no module (median of 5 rounds)\nQEMU -icount shift=0: counts instructions executed, not cache or pipeline effects; kernel 6.1.0-56-amd64"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key below
set grid ytics
set ylabel "ratio to baseline"
set yrange [0.95:*]
set xtics scale 0
plot 'hotpath.dat' every ::0::1 using 3:xtic(1) title 'alert + listener', '' every ::0::1 using 4 title 'block + listener', '' every ::0::1 using 5 title 'bpftrace peer', 1.05 with lines dt 2 lc rgb 'black' title '1.05 target'
set yrange [0:*]
set key below
plot 'hotpath.dat' every ::2::2 using 3:xtic(1) title 'alert + listener', '' every ::2::2 using 4 title 'block + listener', '' every ::2::2 using 5 title 'bpftrace peer'
unset multiplot
