#!/bin/sh
# Guest smoke suite for a packaged module (the DKMS-built one): it loads,
# it is the signed build, it catches an open of /proc/self/mem, it unloads.
# TAP on standard output. Runs in the test guest (busybox), where the
# runner exports PMG_MODULE, PMG_CLI and PMG_VERSION.
mod=${PMG_MODULE:-/lib/procmem_guard.ko}
cli=${PMG_CLI:-/usr/sbin/procmem-guard}
echo "TAP version 13"
echo "1..6"

# ok, pmg_unload (copied into the guest's /suites with the other suites)
# shellcheck source=tests/guest/suites/pmg-lib.sh
. "${PMG_SUITES_DIR:-/suites}/pmg-lib.sh"

# 1. DKMS appends a signature when it signs; the kernel's module loader
# looks for this trailer.
tail -c 28 "$mod" | grep -q 'Module signature appended'
ok 1 $? "the module carries a signature"

insmod "$mod"
loaded=$?
ok 2 $loaded "insmod $mod"
if [ $loaded -ne 0 ]; then
	for i in 3 4 5 6; do echo "not ok $i skipped: the module did not load"; done
	exit 1
fi

st=$("$cli" status 2>&1)
echo "$st" | sed 's/^/# /'
v=$(echo "$st" | sed -n 's/^version: //p')
[ -n "$v" ] && [ "$v" = "$PMG_VERSION" ]
ok 3 $? "status reports version $PMG_VERSION (got '${v}')"

m0=$(echo "$st" | sed -n 's/^matches: //p')
cat /proc/self/mem >/dev/null 2>&1
sleep 0.2
m1=$("$cli" status 2>/dev/null | sed -n 's/^matches: //p')
echo "# matches before: ${m0:-?}, after: ${m1:-?}"
[ -n "$m1" ] && [ "$m1" -ge 1 ] && [ "$m1" -gt "${m0:-0}" ]
ok 4 $? "an open of /proc/self/mem is counted (matches >= 1)"

pmg_unload
ok 5 $? "rmmod procmem_guard"

! grep -q '^procmem_guard ' /proc/modules
ok 6 $? "the module is gone from /proc/modules"
