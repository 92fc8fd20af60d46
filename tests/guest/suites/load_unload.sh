#!/bin/sh
# Load and unload the module PMG_LOAD_CYCLES times (50) while another process opens
# /proc/self/mem in a loop; each cycle must load, see the opener, keep its
# statistics invariant, and unload. (dmesg is checked by the host.)
# shellcheck source=tests/guest/suites/pmg-lib.sh
. "${PMG_SUITES_DIR:-/suites}/pmg-lib.sh"
mod=${PMG_MODULE:-/lib/procmem_guard.ko}
cycles=${PMG_LOAD_CYCLES:-50}
echo "TAP version 13"
echo "1..3"

(while :; do cat /proc/self/mem 2>/dev/null; done) &
opener=$!

loads=0 unloads=0 seen=0 invariant=0 i=0
while [ $i -lt "$cycles" ]; do
	i=$((i + 1))
	insmod "$mod" && loads=$((loads + 1))
	sleep 0.1
	# Hold the opener still while the counters are read.
	kill -STOP "$opener"
	sleep 0.2
	# "matches accounted+inflight" (tests/guest/pmg_stats.c), or nothing.
	st=$(pmg_stats 2>/dev/null)
	kill -CONT "$opener"
	m=${st% *}
	sum=${st#* }
	[ "${m:-0}" -gt 0 ] && seen=$((seen + 1))
	[ -n "$m" ] && [ "$m" = "$sum" ] && invariant=$((invariant + 1))
	pmg_unload && unloads=$((unloads + 1))
done
kill "$opener"
wait "$opener" 2>/dev/null

echo "# $cycles cycles: $loads loads, $unloads unloads, opener seen in $seen, invariant held in $invariant"
[ $loads -eq "$cycles" ] && [ $unloads -eq "$cycles" ]
ok 1 $? "load and unload $cycles times under an open loop"
[ $seen -eq "$cycles" ]
ok 2 $? "every cycle saw the opener"
[ $invariant -eq "$cycles" ]
ok 3 $? "statistics invariant in every cycle"
