# shellcheck shell=sh
# Helpers of the shell suites, sourced from ${PMG_SUITES_DIR:-/suites}/
# (not executable: the runner runs only the executable files there).

# ok N STATUS DESCRIPTION: TAP line N, "ok" when STATUS is 0.
ok() {
	if [ "$2" -eq 0 ]; then echo "ok $1 $3"; else echo "not ok $1 $3"; fi
}

# rmmod procmem_guard, retried for 5 s while in-flight opens hold it.
pmg_unload() {
	n=0
	until rmmod procmem_guard 2>/dev/null; do
		n=$((n + 1))
		[ $n -ge 50 ] && return 1
		sleep 0.1
	done
	return 0
}
