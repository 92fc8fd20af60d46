
set terminal pngcairo size 1200,460 font "sans,10" noenhanced
set output 'hotpath.png'
set multiplot layout 1,2 title "procmem-guard: cost per access relative to no module (median of 3 rounds); solid: the loop alone, hatched: end to end (until the consumer has the last line)\nQEMU -icount shift=0: counts instructions executed, not cache or pipeline effects; kernel 6.1.0-57-amd64"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key below
set grid ytics
set ylabel "ratio to baseline"
set xtics scale 0
set title "accesses that are not reported"
set yrange [0.98:1.08]
plot 'hotpath.dat' every ::0::2 using 2:xtic(1) title 'alert, loop' lc rgb '#1f77b4', '' every ::0::2 using 3 title 'alert, e2e' lc rgb '#1f77b4' fs pattern 4, '' every ::0::2 using 4 title 'block, loop' lc rgb '#ff7f0e', '' every ::0::2 using 5 title 'block, e2e' lc rgb '#ff7f0e' fs pattern 4, '' every ::0::2 using 6 title 'bpftrace, loop' lc rgb '#2ca02c', '' every ::0::2 using 7 title 'bpftrace, e2e' lc rgb '#2ca02c' fs pattern 4, 1.03 with lines dt 2 lc rgb 'black' title '1.03 target'
set title "reported accesses: (d) mem open, (e) process_vm_readv"
set yrange [0:*]
set logscale y 2
set yrange [0.5:*]
plot 'hotpath.dat' every ::3::4 using 2:xtic(1) title 'alert, loop' lc rgb '#1f77b4', '' every ::3::4 using 3 title 'alert, e2e' lc rgb '#1f77b4' fs pattern 4, '' every ::3::4 using 4 title 'block, loop' lc rgb '#ff7f0e', '' every ::3::4 using 5 title 'block, e2e' lc rgb '#ff7f0e' fs pattern 4, '' every ::3::4 using 6 title 'bpftrace, loop' lc rgb '#2ca02c', '' every ::3::4 using 7 title 'bpftrace, e2e' lc rgb '#2ca02c' fs pattern 4, 2.0 with lines dt 2 lc rgb 'black' title '2.0 target (mem, alert, e2e)'
unset multiplot
