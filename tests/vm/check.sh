#!/usr/bin/env bash
# The single entry point of `make check`: host packages, host build
# (`make tools tests`), host unit tests (build/unit/*), then the VM suites on
# every kernel in KERNELS. The last line is the tally and nothing follows it:
#   N passed, N failed[, N skipped]
# Env: KERNELS (space separated names, see kernel.sh; default: the four
#   Debian kernels and the two debug kernels, slowest first; a debug kernel
#   whose packages are not found is reported as skipped), PMG_JOBS (kernels
#   booted at a time, default nproc),
#   PMG_UNIT_TIMEOUT (seconds per unit test binary, 120), and run.sh's.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

kernels=${KERNELS:-debug-6.1 debug-6.12-rt 6.1 6.1-rt 6.12 6.12-rt}
unit_timeout=${PMG_UNIT_TIMEOUT:-120}
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Count the result lines in the file $1.
tally() {
	local n
	n=$(grep -c '^PASS ' "$1" || true)
	pass=$((pass + n))
	n=$(grep -c '^FAIL ' "$1" || true)
	fail=$((fail + n))
	n=$(grep -c '^SKIP ' "$1" || true)
	skip=$((skip + n))
}

"$here/deps.sh"

# Host build.
if make -C "$PMG_TOP" --no-print-directory tools tests; then
	echo "PASS host build: make tools tests" | tee "$tmp/r"
else
	echo "FAIL host build: make tools tests" | tee "$tmp/r"
fi
tally "$tmp/r"

# Host unit tests: kselftest_harness binaries printing TAP.
shopt -s nullglob
for t in "$PMG_BUILD"/unit/*; do
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
	name=unit/${t##*/}
	set +e
	(cd "$PMG_TOP" && timeout -k 5 "$unit_timeout" "$t") </dev/null >"$tmp/out" 2>&1
	rc=$?
	set -e
	tmo=
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || tmo=$unit_timeout
	awk -f "$here/tap.awk" -v label=host -v suite="$name" -v rc="$rc" \
		-v timeout="$tmo" "$tmp/out" | tee "$tmp/r"
	if grep -q '^FAIL ' "$tmp/r"; then
		echo "    output of $name (last 100 lines):"
		tail -n 100 "$tmp/out" | sed 's/^/    | /'
	fi
	tally "$tmp/r"
done

# The Debian packages and their system test (tests/pkg/deb.sh): its QEMU
# guest is single-threaded and runs for about six minutes, so it runs beside
# the scripts below (one CPU each), with its packages installed first so
# that only one of them uses apt at a time; it is printed after them.
deb_pid=
if [ -x "$PMG_TOP/tests/pkg/deb.sh" ]; then
	"$PMG_TOP/tests/pkg/deb.sh" --deps </dev/null >"$tmp/deb.deps" 2>&1 ||
		pmg_log "tests/pkg/deb.sh --deps failed; deb.sh says more"
	"$PMG_TOP/tests/pkg/deb.sh" </dev/null >"$tmp/deb.out" 2>&1 &
	deb_pid=$!
fi

# Documentation, output formats, outputs against real consumers, packaging
# (make install, DKMS), static checks and fuzzers: scripts that print result
# lines.
for s in tests/docs/check.sh tests/format/check.sh tests/outputs/check.sh \
	tests/pkg/check.sh tests/lint/check.sh tests/fuzz/check.sh; do
	[ -x "$PMG_TOP/$s" ] || continue
	"$PMG_TOP/$s" </dev/null 2>&1 | tee "$tmp/r"
	tally "$tmp/r"
done
if [ -n "$deb_pid" ]; then
	wait "$deb_pid" || true
	cat "$tmp/deb.out"
	tally "$tmp/deb.out"
fi

# VM suites: PMG_JOBS kernels at a time (each QEMU is single-threaded TCG,
# so one per host CPU), the slowest first; each kernel's lines are printed
# together once it is done.
run_kernel() {
	local k=$1 rc
	set +e
	PMG_NO_DEPS=1 PMG_COUNTS=$tmp/$k.counts "$here/run.sh" "$k" >"$tmp/$k.out" 2>&1
	rc=$?
	set -e
	echo "$rc" >"$tmp/$k.rc"
}

# Print and tally every kernel that is done and not yet reported.
reported=" "
report_done() {
	local k p f s
	for k in $kernels; do
		[ -e "$tmp/$k.rc" ] || continue
		case $reported in *" $k "*) continue ;; esac
		reported+="$k "
		cat "$tmp/$k.out"
		if [ -s "$tmp/$k.counts" ]; then
			read -r p f s <"$tmp/$k.counts"
			pass=$((pass + p))
			fail=$((fail + f))
			skip=$((skip + s))
		else
			echo "FAIL $k run: run.sh stopped with exit status $(cat "$tmp/$k.rc") before reporting"
			fail=$((fail + 1))
		fi
	done
}

vm_jobs=${PMG_JOBS:-$(nproc)}
[ "$vm_jobs" -ge 1 ] 2>/dev/null || vm_jobs=1
# Resolve (download, unpack) every kernel first, one at a time.
for k in $kernels; do
	"$here/kernel.sh" "$k" >/dev/null 2>&1 || true
done
start=$(date +%s)
pmg_log "VM suites on: $kernels ($vm_jobs at a time)"
for k in $kernels; do
	while [ "$(jobs -rp | wc -l)" -ge "$vm_jobs" ]; do
		wait -n || true
		report_done
	done
	pmg_log "kernel $k: starting"
	run_kernel "$k" &
done
while [ -n "$(jobs -rp)" ]; do
	wait -n || true
	report_done
done
report_done
pmg_log "VM suites took $(($(date +%s) - start)) s"

if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
