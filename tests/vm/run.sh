#!/usr/bin/env bash
# Build the module for one kernel, boot that kernel in QEMU (TCG) with the
# guest suites, and report one line per test:
#   PASS|FAIL|SKIP <kernel> <suite>: <test>
# usage: run.sh KERNEL_NAME   (names: see kernel.sh)
# Env: PMG_BOOT_TIMEOUT (900 s, debug-*: 2700 s), PMG_SUITE_TIMEOUT (per
#   suite, 300 s, debug-*: 900 s), PMG_SUITE (globs, comma separated),
#   PMG_LOGLEVEL (console loglevel, 4), PMG_QEMU_MEM (2G), PMG_QEMU_SMP (2),
#   PMG_QEMU_CPU (max), PMG_QEMU_THREAD (single|multi TCG), PMG_APPEND (extra kernel command line),
#   PMG_DEMO=1 (demo mode), PMG_SHELL=1 (guest shell after the suites;
#   interactive), PMG_VERBOSE=1 (stream the console), PMG_COUNTS (also
#   write the counts there), PMG_NO_DEPS=1 (skip deps.sh), PMG_MODULE_KO
#   (a prebuilt module, e.g. built by DKMS, to test instead of building one).
# Output files: build/k/<KREL>/ (module build), build/vm/<KREL>/{console.log,
#   initrd.cpio.gz,build.log,counts,boot-seconds,parsed/}.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 KERNEL_NAME" >&2; exit 2; }
name=$1
# Debug kernels run the suites several times slower under TCG.
# They also run shorter: a 20,000-open burst instead of 100,000, 20 load
# cycles instead of 50, the fuzzer for 120 s and the stress suite for 180 s
# (both stop at their time cap and print how far they got).
debug_env=
case $name in
debug-*)
	boot_timeout=${PMG_BOOT_TIMEOUT:-2700} suite_timeout=${PMG_SUITE_TIMEOUT:-900}
	debug_env="pmg.env.PMG_BURST_OPENS=20000 pmg.env.PMG_LOAD_CYCLES=20"
	debug_env+=" pmg.env.PMG_FUZZ_SECONDS=120 pmg.env.PMG_STRESS_SECONDS=180"
	;;
*) boot_timeout=${PMG_BOOT_TIMEOUT:-900} suite_timeout=${PMG_SUITE_TIMEOUT:-300} ;;
esac
results=$(mktemp)
trap 'rm -f "$results"' EXIT
KREL=

# Print a result line and keep it for the tally.
result() { echo "$1 $name $2" | tee -a "$results"; }

# Tally, write the counts, exit non-zero if anything failed.
finish() {
	local p f s
	p=$(grep -c '^PASS ' "$results" || true)
	f=$(grep -c '^FAIL ' "$results" || true)
	s=$(grep -c '^SKIP ' "$results" || true)
	[ -z "$KREL" ] || echo "$p $f $s" >"$PMG_BUILD/vm/$KREL/counts"
	[ -z "${PMG_COUNTS:-}" ] || echo "$p $f $s" >"$PMG_COUNTS"
	echo "kernel $name${KREL:+ ($KREL)}: $p passed, $f failed, $s skipped"
	exit $((f > 0))
}

[ "${PMG_NO_DEPS:-}" = 1 ] || "$here/deps.sh"

# 1. The kernel.
set +e
kout=$("$here/kernel.sh" "$name")
krc=$?
set -e
if [ "$krc" -eq 3 ]; then
	result SKIP "kernel: $name is not available on this machine"
	finish
elif [ "$krc" -ne 0 ]; then
	result FAIL "kernel: cannot resolve $name (kernel.sh exit status $krc)"
	finish
fi
while IFS='=' read -r k v; do
	case $k in
	VMLINUZ) VMLINUZ=$v ;;
	KDIR) KDIR=$v ;;
	KREL) KREL=$v ;;
	esac
done <<<"$kout"
vm=$PMG_BUILD/vm/$KREL
kb=$PMG_BUILD/k/$KREL
mkdir -p "$vm"
rm -f "$vm/counts"
pmg_log "kernel $name: $KREL ($VMLINUZ)"

# 2. The module: a prebuilt one (PMG_MODULE_KO, e.g. built by DKMS), or
# built from a fresh copy so every warning shows up again.
if [ -n "${PMG_MODULE_KO:-}" ]; then
	module=$PMG_MODULE_KO
	v=$(modinfo -F vermagic "$module" 2>/dev/null | cut -d' ' -f1 || true)
	if [ ! -f "$module" ] || [ "$v" != "$KREL" ]; then
		result FAIL "build: PMG_MODULE_KO is not a module for $KREL (vermagic '$v')"
		finish
	fi
	result PASS "build: prebuilt module (PMG_MODULE_KO) is for $KREL"
else
	pmg_module_scratch "$kb"
	if [ ! -f "$kb/Kbuild" ]; then
		result FAIL "build: no Kbuild at the repository root"
		finish
	fi
	if ! make -C "$KDIR" M="$kb" W=1 -j"$(nproc)" modules >"$vm/build.log" 2>&1; then
		result FAIL "build: module builds for $KREL"
		tail -n 40 "$vm/build.log" | sed 's/^/    | /'
		finish
	fi
	if grep -qi 'warning:' "$vm/build.log"; then
		result FAIL "build: module builds without warnings (W=1)"
		grep -i 'warning:' "$vm/build.log" | sed 's/^/    | /'
	else
		result PASS "build: module builds without warnings (W=1)"
	fi
	if [ ! -f "$kb/procmem_guard.ko" ]; then
		result FAIL "build: procmem_guard.ko was not produced"
		finish
	fi
	module=$kb/procmem_guard.ko
fi

# 3. The initramfs.
kmoddir=$(dirname "$(dirname "$VMLINUZ")")/lib/modules/$KREL
if ! PMG_KMODDIR=$kmoddir "$here/mkinitramfs.sh" "$vm/initrd.cpio.gz" "$KREL" "$module"; then
	result FAIL "boot: initramfs could not be built"
	finish
fi

# 4. Boot.
append="console=ttyS0 panic=-1 loglevel=${PMG_LOGLEVEL:-4} log_buf_len=4M"
append+=" pmg.timeout=$suite_timeout"
[ -z "${PMG_SUITE:-}" ] || append+=" pmg.suite=$PMG_SUITE"
[ "${PMG_DEMO:-}" != 1 ] || append+=" pmg.demo=1"
[ "${PMG_SHELL:-}" != 1 ] || append+=" pmg.shell=1"
append+=" $debug_env ${PMG_APPEND:-}"
# Single-threaded TCG by default: under multi-threaded TCG, registering or
# unregistering any kprobe on security_file_open() while other vCPUs call it
# can crash the Debian 6.1 guest (reproduced with a module holding nothing
# but an empty kprobe), an emulation artifact. PMG_QEMU_THREAD=multi
# brings it back.
qemu=(qemu-system-x86_64 -accel "tcg,thread=${PMG_QEMU_THREAD:-single}"
	-cpu "${PMG_QEMU_CPU:-max}"
	-m "${PMG_QEMU_MEM:-2G}" -smp "${PMG_QEMU_SMP:-2}"
	-nographic -no-reboot -nic none
	-kernel "$VMLINUZ" -initrd "$vm/initrd.cpio.gz" -append "$append")
console=$vm/console.log
pmg_log "booting $KREL (timeout ${boot_timeout}s, console: $console)"
start=$(date +%s%N)
set +e
if [ "${PMG_SHELL:-}" = 1 ]; then
	"${qemu[@]}" | tee "$console"
	qrc=${PIPESTATUS[0]}
elif [ "${PMG_DEMO:-}" = 1 ]; then
	# Show only the demo; the whole console still goes to the file.
	timeout -k 10 "$boot_timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$console" |
		sed -u -n 's/\r$//; /@@PMG-DEMO-BEGIN@@/,/@@PMG-DEMO-END@@/p'
	qrc=${PIPESTATUS[0]}
elif [ "${PMG_VERBOSE:-}" = 1 ]; then
	timeout -k 10 "$boot_timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$console"
	qrc=${PIPESTATUS[0]}
else
	timeout -k 10 "$boot_timeout" "${qemu[@]}" </dev/null >"$console" 2>&1
	qrc=$?
fi
set -e
secs=$((($(date +%s%N) - start) / 1000000))
secs=$((secs / 1000)).$(printf '%03d' $((secs % 1000)))
echo "$secs" >"$vm/boot-seconds"
pmg_log "guest ran for ${secs}s (qemu exit status $qrc)"
case $qrc in
0) note="qemu exited" ;;
124 | 137) note="timed out after ${boot_timeout}s" ;;
*) note="qemu exit status $qrc" ;;
esac

# 5. Results.
PMG_BOOT_NOTE=$note "$here/parse-console.sh" "$name" "$console" "$vm" | tee -a "$results"
finish
