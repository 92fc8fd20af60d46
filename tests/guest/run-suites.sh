#!/bin/sh
# Run the guest suites one at a time, each under a timeout and in its own
# cgroup: every executable file of the suites directory in sorted order,
# but the suites named in last_suites (below), which run after all the
# others, in the order given there. Wrap each one's TAP output in markers:
#   @@PMG-SUITE-BEGIN <name>@@
#   @@PMG-SUITE-END <name> rc=<rc>[ timeout=<seconds>] secs=<seconds>@@
# Findings of the runner itself:
#   @@PMG-RESULT FAIL <name>: <what>@@
# Env: PMG_SUITES_DIR (/suites), PMG_SUITE (comma separated globs, *),
#      PMG_SUITE_REPEAT (runs of each suite but the last ones, 1: to show
#      that a timing-sensitive test passes many times in a row),
#      PMG_SUITE_TIMEOUT (seconds, 300); PMG_SUITE_TEST (comma separated
#      test names) reaches the suites: the C suites skip every other test
#      (pmg_test.h, PMG_ONLY_SELECTED()).
# Suites get PMG_MODULE, PMG_CLI, PMG_VERSION and PMG_SUITES_DIR in their
# environment.

dir=${PMG_SUITES_DIR:-/suites}
globs=${PMG_SUITE:-*}
tmo=${PMG_SUITE_TIMEOUT:-300}
cg=/sys/fs/cgroup/pmg-suite
export PMG_MODULE=/lib/procmem_guard.ko PMG_CLI=/usr/sbin/procmem-guard
# Shell suites source their helpers (pmg-lib.sh) from there.
export PMG_SUITES_DIR="$dir"
PMG_VERSION=$(cat /usr/share/pmg/VERSION 2>/dev/null)
export PMG_VERSION

result() { echo "@@PMG-RESULT $1 $2: $3@@"; }

now() {
	read -r up _ </proc/uptime
	echo "${up%.*}"
}

# Does NAME match one of the comma separated globs?
matches() {
	set -f
	old_ifs=$IFS
	IFS=,
	hit=1
	for g in $globs; do
		# shellcheck disable=SC2254 # $g is a glob on purpose
		case $1 in $g) hit=0 ;; esac
	done
	IFS=$old_ifs
	set +f
	return $hit
}

# Kill whatever a suite left running in its cgroup, then remove the cgroup.
reap() {
	[ -d "$cg" ] || return 0
	if [ -n "$(cat "$cg/cgroup.procs" 2>/dev/null)" ]; then
		echo "# runner: killing processes $1 left behind"
		echo 1 >"$cg/cgroup.kill"
		i=0
		while [ -n "$(cat "$cg/cgroup.procs")" ] && [ $i -lt 50 ]; do
			sleep 0.2
			i=$((i + 1))
		done
	fi
	find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
}

run_one() {
	name=$1
	work=/tmp/pmg-suite/$name
	rm -rf "$work"
	mkdir -p "$work"
	mkdir -p "$cg" 2>/dev/null
	echo "pmg-runner: begin $name" >/dev/kmsg
	echo "@@PMG-SUITE-BEGIN $name@@"
	start=$(now)
	if [ -w "$cg/cgroup.procs" ]; then
		# The suite joins the cgroup; the timeout watcher stays outside.
		# shellcheck disable=SC2016 # expanded by the inner shell
		timeout -k 10 "$tmo" sh -c 'echo $$ >"$1/cgroup.procs" && cd "$2" && exec "$3"' \
			sh "$cg" "$work" "$2" </dev/null 2>&1
	else
		(cd "$work" && exec timeout -k 10 "$tmo" "$2") </dev/null 2>&1
	fi
	rc=$?
	extra=
	if [ "$rc" -ge 124 ] && [ $(($(now) - start)) -ge "$tmo" ]; then
		extra=" timeout=$tmo"
	fi
	echo "@@PMG-SUITE-END $name rc=$rc$extra secs=$(($(now) - start))@@"
	echo "pmg-runner: end $name rc=$rc$extra" >/dev/kmsg
	reap "$name"
	if grep -q '^procmem_guard ' /proc/modules; then
		# A locked policy pins the module until reboot, by design.
		if procmem-guard config show 2>/dev/null | grep -q '^locked: yes'; then
			echo "# runner: $name locked the policy; the module stays loaded"
		else
			result FAIL "$name" "procmem_guard still loaded after the suite"
			rmmod procmem_guard || result FAIL "$name" "rmmod procmem_guard failed"
		fi
	fi
}

# kmemleak (debug kernels): scan, wait, scan (an object is reported once a
# scan starts 5 s after its allocation and an earlier one saw it), then dump
# for the host, which ignores objects older than PMG_JIFFIES0.
leak_dump() {
	leak=/sys/kernel/debug/kmemleak
	[ -w "$leak" ] || return 0
	echo "# runner: kmemleak scan $1"
	echo scan >"$leak"
	sleep 5
	echo scan >"$leak"
	echo "@@PMG-KMEMLEAK-BEGIN jiffies=${PMG_JIFFIES0:-}@@"
	cat "$leak"
	echo "@@PMG-KMEMLEAK-END@@"
}

# Suites that pin the module until the guest powers off, in the order they
# run, after every other suite: suite_lock locks the policy. A kmemleak scan
# runs before the first of them, while the module is still unloaded.
last_suites="suite_lock"

is_last() {
	case " $last_suites " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

n=0
for path in "$dir"/*; do
	if [ ! -f "$path" ] || [ ! -x "$path" ]; then continue; fi
	is_last "${path##*/}" && continue
	matches "${path##*/}" || continue
	i=0
	while [ "$i" -lt "${PMG_SUITE_REPEAT:-1}" ]; do
		n=$((n + 1))
		run_one "${path##*/}" "$path"
		i=$((i + 1))
	done
done
scanned=
for name in $last_suites; do
	path=$dir/$name
	if [ ! -f "$path" ] || [ ! -x "$path" ]; then continue; fi
	matches "$name" || continue
	n=$((n + 1))
	[ -n "$scanned" ] || leak_dump "with the module unloaded, before $name"
	scanned=1
	run_one "$name" "$path"
done
[ "$n" -gt 0 ] || result FAIL runner "no suite in $dir matches '$globs'"
echo "@@PMG-SUITES-DONE $n@@"
