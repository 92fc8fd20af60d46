#!/bin/sh
# PID 1 of the benchmark guest (busybox; rdinit=/usr/lib/pmg-bench/init).
# Kernel command line: pmg.bench=hot|profile|deliv (which phase),
# pmg.rounds=R, pmg.ops=N (accesses per measurement), pmg.secs=S (delivery
# run). Every result is one console line "@@BENCH <kind> key=value ...@@".
#   hot:     cost per access, in the loop and end to end, configurations
#            alternated over R rounds (meant for QEMU -icount
#            shift=0,sleep=off -smp 1)
#   profile: where a delivered finding's instructions go, stage by stage,
#            then ftrace's function_graph over the module (same QEMU)
#   deliv:   delivery rate, loss, latency and memory, then the footprint
#            (meant for plain TCG -smp 2)

export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=linux
umask 022
mnt() {
	mkdir -p "$2"
	mount -t "$1" ${3:+-o "$3"} "$1" "$2" || echo "bench: cannot mount $1 on $2"
}
mnt proc /proc
mnt sysfs /sys
mnt devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mnt tmpfs /tmp mode=1777
mnt tmpfs /run mode=755
mnt debugfs /sys/kernel/debug
[ -d /sys/kernel/tracing ] && mnt tracefs /sys/kernel/tracing
mnt cgroup2 /sys/fs/cgroup
ip link set lo up 2>/dev/null

phase=hot rounds=5 ops=20000 secs=5
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	pmg.bench=*) phase=${arg#pmg.bench=} ;;
	pmg.rounds=*) rounds=${arg#pmg.rounds=} ;;
	pmg.ops=*) ops=${arg#pmg.ops=} ;;
	pmg.secs=*) secs=${arg#pmg.secs=} ;;
	esac
done
MOD=/lib/procmem_guard.ko
CLI=/usr/sbin/procmem-guard
say() { echo "@@BENCH $*@@"; }

say env "kernel=$(uname -r)" "phase=$phase" "rounds=$rounds" "ops=$ops" \
	"secs=$secs" "cpus=$(grep -c ^processor /proc/cpuinfo)" \
	"mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)" \
	"btf=$([ -r /sys/kernel/btf/vmlinux ] && echo yes || echo no)" \
	"bpftrace=$([ -x /usr/bin/bpftrace ] && echo yes || echo no)"

# stat NAME: one counter from procmem-guard status ("name: value").
stat() { "$CLI" status 2>/dev/null | sed -n "s/^$1: *//p"; }
counters() {
	"$CLI" status 2>/dev/null | awk -F': *' '
		$1 ~ /^(inspected|matches|sent|drop_ring_full|drop_send|logged|suppressed|allowed|blocked|nmissed|inflight|granted|refused|outcome_unknown|summaries|summarized|summary_overflow)$/ {
			printf " %s=%s", $1, $2 }'
}
wait_drained() {
	i=0
	while [ "$(stat inflight)" != 0 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# stop_bg VAR: interrupt the background process whose pid is in $VAR (the
# listener's or bpftrace's), wait for it, and clear VAR.
stop_bg() {
	eval "pid=\${$1}"
	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	eval "$1="
}

LPID='' BPID='' SPID=''
OUT=/tmp/pmg.out
# start_listener [ARGS]: procmem-guard listen --format json appending to
# $OUT (a tmpfs file, the bench reads it), or with the given arguments.
start_listener() {
	: >"$OUT"
	if [ $# -eq 0 ]; then set -- -o "$OUT"; fi
	"$CLI" listen --format json "$@" 2>/tmp/listen.err &
	LPID=$!
	sleep 1
}
stop_listener() { stop_bg LPID; }
# Findings the listener reported lost in $OUT: the largest "lost_total" of
# its listener lines (it writes the last one as it stops).
listener_lost() {
	sed -n 's/.*"lost_total":\([0-9][0-9]*\).*/\1/p' "$OUT" |
		awk '$1 > n { n = $1 } END { print n + 0 }'
}

# bpftrace without buffering (-B none): a line is in its output file as soon
# as it is printed, as the listener's are once no finding is waiting; with
# the default full buffering the last lines of a burst would only come out
# when it exits.
BT_PROG='kprobe:security_file_open /((struct file *)arg0)->f_op == kaddr("proc_mem_operations")/ { printf("%d %s mem open\n", pid, comm); }'
start_bpftrace() {
	rm -f /tmp/bt.out /tmp/bt.err
	bpftrace -B none -o /tmp/bt.out -e "$BT_PROG" 2>/tmp/bt.err &
	BPID=$!
	# Attached once a mem open shows up in its output.
	i=0
	while ! grep -q 'mem open' /tmp/bt.out 2>/dev/null; do
		if ! kill -0 "$BPID" 2>/dev/null; then
			echo "bench: bpftrace exited:"; cat /tmp/bt.err /tmp/bt.out
			BPID=
			return 1
		fi
		: </proc/self/mem
		sleep 1
		i=$((i + 1))
		[ $i -lt 900 ] || { echo "bench: bpftrace did not attach"; cat /tmp/bt.err; return 1; }
	done
	sleep 1
	BT0=$(grep -c 'mem open' /tmp/bt.out)
	return 0
}
stop_bpftrace() { stop_bg BPID; }

# setup CONFIG: 0 on success.
setup() {
	case $1 in
	base) return 0 ;;
	alert) insmod "$MOD" ratelimit=off || return 1; start_listener ;;
	block)
		insmod "$MOD" read=block write=block ratelimit=off || return 1
		start_listener
		;;
	bpftrace) [ -x /usr/bin/bpftrace ] && start_bpftrace ;;
	esac
}
teardown() {
	case $1 in
	alert | block)
		wait_drained
		c=$(counters)
		# The listener writes its last "lost" note as it exits.
		stop_listener
		say hotcheck "round=$2" "config=$1$c" "listener_lost=$(listener_lost)" \
			"out_lines=$(wc -l <"$OUT")"
		rmmod procmem_guard
		;;
	bpftrace)
		lines=$(($(grep -c 'mem open' /tmp/bt.out 2>/dev/null) - BT0))
		stop_bpftrace
		lost=$(sed -n 's/.*Lost \([0-9]*\) events.*/\1/p' /tmp/bt.out /tmp/bt.err | awk '{ s += $1 } END { print s + 0 }')
		say hotcheck "round=$2" config=bpftrace "lines=$lines" "lost_events=$lost"
		;;
	esac
}

# Lines a consumer writes per access of TARGET under CONFIG: procmem-guard
# reports mem opens and process_vm_readv of another process, the bpftrace
# program mem opens only.
lines_per_op() { # CONFIG TARGET
	case $1:$2 in
	alert:mem | block:mem | alert:vmread | block:vmread | bpftrace:mem) echo 1 ;;
	*) echo 0 ;;
	esac
}
consumer_out() { # CONFIG
	case $1 in
	alert | block) echo "$OUT" ;;
	bpftrace) echo /tmp/bt.out ;;
	esac
}

# openbench's targets: a tmpfs file, /proc/self/status, another process's
# /proc/<pid>/stat (open+read+close: the read asks the ptrace check in READ
# mode), /proc/self/mem, and process_vm_readv of another process.
TARGETS="tmpfs:/tmp/bench.file status:/proc/self/status pidstat:child-stat mem:/proc/self/mem vmread:vmread"

hot() {
	echo bench >/tmp/bench.file
	configs="base alert block bpftrace"
	r=1
	while [ $r -le "$rounds" ]; do
		# Rotate the order each round so no configuration always runs first.
		# shellcheck disable=SC2086 # $configs is a list of words
		set -- $configs
		k=1
		while [ $k -lt $r ]; do set -- "$@" "$1"; shift; k=$((k + 1)); done
		for cfg in "$@"; do
			if ! setup "$cfg"; then
				say hotskip "round=$r" "config=$cfg"
				continue
			fi
			out=$(consumer_out "$cfg")
			for f in $TARGETS; do
				# "TARGET ns_per_op=N e2e_ns_per_op=N ...": its words.
				# shellcheck disable=SC2046
				set -- $(openbench ${out:+-o "$out"} -l "$(lines_per_op "$cfg" "${f%%:*}")" \
					"${f#*:}" "$ops" $((ops / 10)))
				[ $# -gt 0 ] && shift
				say hot "round=$r" "config=$cfg" "file=${f%%:*}" "$@"
			done
			teardown "$cfg" "$r"
		done
		r=$((r + 1))
	done
}

# Where the cost of a delivered finding goes, under -icount: the same loop of
# /proc/self/mem opens with the pipeline cut at each stage in turn, each run
# end to end, with the instructions of the opener, the consumer, the kernel
# workers and everything else counted apart (openbench -a).
#   base      no module
#   nolisten  module (log=0), nobody listening: probe, record, the worker
#             resolving paths; the findings end as "logged" (not written)
#   recv      + tests/bench/nlsink: receives the messages and discards them
#   parse     + nlsink -p: receives and decodes them with the CLI's code
#   json      procmem-guard listen --format json -o /dev/null
#   file      procmem-guard listen --format json -o FILE (tmpfs)
stages() {
	n=$1
	for st in base nolisten recv parse json file; do
		args=''
		case $st in
		base) ;;
		nolisten) insmod "$MOD" ratelimit=off log=0 || continue ;;
		recv | parse)
			insmod "$MOD" ratelimit=off || continue
			if [ $st = parse ]; then nlsink -p -c /tmp/count & else nlsink -c /tmp/count & fi
			SPID=$!
			sleep 1
			args="-c /tmp/count -l 1 -p $SPID"
			;;
		json)
			insmod "$MOD" ratelimit=off || continue
			start_listener -o /dev/null
			args="-p $LPID"
			;;
		file)
			insmod "$MOD" ratelimit=off || continue
			start_listener
			args="-o $OUT -l 1 -p $LPID"
			;;
		esac
		# shellcheck disable=SC2046,SC2086 # $args is a list of words
		set -- $(openbench -a $args /proc/self/mem "$n" $((n / 10)))
		[ $# -gt 0 ] && shift
		say stage "stage=$st" "$@"
		if [ $st != base ]; then
			wait_drained
			c=$(counters)
			stop_bg SPID
			stop_listener
			say stagecheck "stage=$st$c"
			rmmod procmem_guard
		fi
	done
}

# Rows: OPENERS RATE (opens/s per opener, 0: flat out) SECONDS SINK
# [LISTENER FLAG]. Each row's listener writes to a pipe that delivbench
# reads, or (SINK file) to a file on tmpfs that delivbench reads as it
# grows, as a log shipper tails a log; every line read is timed. The long
# flat-out rows are the issue's: one opener for 30 s with --no-pace (every
# finding delivered?), to each consumer, and paced; four openers each way
# (every loss counted, every dropped opener in a summary?); the paced row
# at 100 opens/s measures the latency of a listener that is not behind.
deliv() {
	for spec in "1 0 $((secs * 6)) pipe --no-pace" "1 0 $((secs * 6)) file --no-pace" \
		"1 0 $((secs * 6)) pipe" "4 0 $((secs * 2)) pipe" \
		"4 0 $((secs * 2)) pipe --no-pace" "1 100 $secs pipe"; do
		# shellcheck disable=SC2086 # $spec is a list of words
		set -- $spec
		insmod "$MOD" ratelimit=off || { say delivskip "openers=$1"; continue; }
		out=pipe
		[ "$4" = file ] && out=file:/tmp/deliv.json
		# Its key=value lines, on one line.
		res=$(delivbench -n "$1" -t "$3" -r "$2" -d 2 -o "$out" -e /tmp/listen.err -- \
			"$CLI" listen --format json ${5:+"$5"} | tr '\n' ' ')
		rm -f /tmp/deliv.json
		wait_drained
		say deliv "sink=$4" "pace=$([ -z "${5:-}" ] && echo 1 || echo 0)" \
			"${res% }$(counters)" \
			"mod_size=$(awk '$1 == "procmem_guard" { print $2 }' /proc/modules)" \
			"mod_vmalloc=$(vmalloc_mod)"
		rmmod procmem_guard
	done
}

meminfo() {
	awk '$1 ~ /^(Slab|SReclaimable|SUnreclaim|VmallocUsed|Percpu|MemFree):$/ {
		sub(":", "", $1); printf " %s=%s", $1, $2 }' /proc/meminfo
}
# Bytes of vmalloc areas the module allocated (tables; not its code).
vmalloc_mod() {
	awk '/\[procmem_guard\]/ { s += $2 } END { print s + 0 }' /proc/vmallocinfo 2>/dev/null
}
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 1; }
# " VmHWM=NkB VmRSS=NkB" of process $1.
rss() {
	grep -E '^Vm(RSS|HWM):' "/proc/$1/status" | tr -d ' \t' | sed 's/:/=/' |
		while read -r kv; do printf ' %s' "$kv"; done
}
snap() { # LABEL
	settle
	say mem "label=$1$(meminfo)" "mod_vmalloc=$(vmalloc_mod)" \
		"mod_size=$(awk '$1 == "procmem_guard" { print $2 }' /proc/modules)"
}
policy() { # N -> /tmp/policy.N
	{
		echo "read alert"
		echo "write alert"
		i=0
		while [ $i -lt "$1" ]; do
			echo "allow uid=$((10000 + i)) access=read"
			i=$((i + 1))
		done
	} >"/tmp/policy.$1"
}

footprint() {
	for n in 0 64 256; do policy "$n"; done
	for entries in 1024 65536; do
		for rep in 1 2 3; do
			snap "before:$entries:$rep"
			insmod "$MOD" "rate_entries=$entries" || { say memskip "entries=$entries"; break; }
			snap "loaded:$entries:$rep"
			for n in 0 64 256; do
				"$CLI" apply "/tmp/policy.$n" >/dev/null || say memskip "rules=$n"
				snap "rules$n:$entries:$rep"
			done
			rmmod procmem_guard
		done
	done
	# Listener resident set: idle, then after delivering a burst.
	insmod "$MOD" ratelimit=off
	start_listener
	say rss "state=idle$(rss "$LPID")"
	openbench /proc/self/mem 100000 0 >/dev/null
	wait_drained
	say rss "state=after_100000$(rss "$LPID")$(counters)"
	stop_listener
	rmmod procmem_guard
}

# Where the cost of an open goes, under -icount: ftrace's function_graph
# tracer on the module's functions and a few kernel ones they call (durations
# in guest ns = instructions, inflated by the tracer's own cost), and the
# listener's CPU time (/proc/PID/schedstat, instructions under -icount).
profile() { # LABEL PATH N LINES_PER_OP
	T=/sys/kernel/tracing
	[ -w $T/current_tracer ] || { say profskip "label=$1"; return; }
	insmod "$MOD" ratelimit=off || return
	start_listener
	echo 16384 >$T/buffer_size_kb
	echo ':mod:procmem_guard' >$T/set_ftrace_filter
	for fn in d_path netlink_broadcast irq_work_queue queue_work_on \
		__alloc_skb mntput fput; do
		echo "$fn" >>$T/set_ftrace_filter 2>/dev/null
	done
	echo funcgraph-tail >$T/trace_options
	echo function_graph >$T/current_tracer
	echo >$T/trace
	read -r l0 _ <"/proc/$LPID/schedstat"
	echo 1 >$T/tracing_on
	# Until the listener has written every line (none for tmpfs).
	openbench -o "$OUT" -l "$4" "$2" "$3" 0 >/dev/null
	wait_drained
	echo 0 >$T/tracing_on
	read -r l1 _ <"/proc/$LPID/schedstat"
	c=$(counters)
	stop_listener
	say profsum "label=$1" "ops=$3" "listener_ns=$((l1 - l0))$c"
	awk -v l="$1" '
		/ us / {
			name = ""
			# "name();" or "} /* name */"; module functions carry " [module]".
			line = $0
			gsub(/ \[[A-Za-z0-9_]+\]/, "", line)
			if (match(line, /[A-Za-z_][A-Za-z0-9_.]*\(\);/)) name = substr(line, RSTART, RLENGTH - 3)
			else if (match(line, /\/\* [A-Za-z_][A-Za-z0-9_.]* \*\//)) name = substr(line, RSTART + 3, RLENGTH - 6)
			if (name == "") next
			for (i = 1; i <= NF; i++) if ($(i + 1) == "us") { d = $i; break }
			n[name]++; t[name] += d
		}
		END { for (k in n) printf "@@BENCH prof label=%s fn=%s hit=%d total_us=%.1f avg_us=%.3f@@\n", l, k, n[k], t[k], t[k] / n[k] }' $T/trace
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter
	rmmod procmem_guard
}

case $phase in
hot) hot ;;
profile)
	echo bench >/tmp/bench.file
	stages "$ops"
	profile mem /proc/self/mem 2000 1
	profile tmpfs /tmp/bench.file 2000 0
	;;
deliv) deliv; footprint ;;
footprint) footprint ;;
esac
say "done"
sync
poweroff -f
