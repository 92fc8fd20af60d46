#!/usr/bin/env bash
# `make bench`: build the module for one kernel (default 6.1), the CLI and the
# bench programs, build the bench initramfs (with bpftrace), boot it twice in
# QEMU TCG and turn the console output into tests/bench/results/ and
# BENCHMARKS.md:
#   boot 1  -icount shift=0,sleep=off -smp 1   cost per access, loop and end
#                                               to end (instructions)
#   boot 2  the same: the profile, stage by stage, and ftrace's
#           function_graph over one mem and one tmpfs loop
#   boot 3  plain TCG, -smp 2                   delivery, then footprint
# Env: BENCH_KERNEL (6.1), BENCH_ROUNDS (3), BENCH_OPS (20000),
#   BENCH_SECS (5), BENCH_PHASES ("hot profile deliv"), BENCH_MEM (3G),
#   BENCH_TIMEOUT (3600 s per boot), PMG_NO_DEPS=1 (skip package installs),
#   BENCH_REPORT_ONLY=1 (only re-parse the console logs of the last run).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../vm/lib.sh
. "$here/../vm/lib.sh"

kname=${BENCH_KERNEL:-6.1}
rounds=${BENCH_ROUNDS:-3}
ops=${BENCH_OPS:-20000}
secs=${BENCH_SECS:-5}
phases=${BENCH_PHASES:-hot profile deliv}
mem=${BENCH_MEM:-3G}
tmo=${BENCH_TIMEOUT:-3600}
bb=$PMG_BUILD/bench
results=$here/results
mkdir -p "$bb" "$results"

if [ "${BENCH_REPORT_ONLY:-}" = 1 ]; then
	exec /usr/bin/python3 "$here/report.py" "$bb" "$results" "$PMG_TOP/BENCHMARKS.md"
fi

if [ "${PMG_NO_DEPS:-}" != 1 ]; then
	"$PMG_TOP/tests/vm/deps.sh"
	pmg_apt_install bpftrace gnuplot-nox python3-minimal
fi

# 1. Kernel and module (built in a scratch copy, as tests/vm/run.sh does).
kout=$("$PMG_TOP/tests/vm/kernel.sh" "$kname")
VMLINUZ=$(sed -n 's/^VMLINUZ=//p' <<<"$kout")
KDIR=$(sed -n 's/^KDIR=//p' <<<"$kout")
KREL=$(sed -n 's/^KREL=//p' <<<"$kout")
kb=$bb/k/$KREL
pmg_module_scratch "$kb"
pmg_log "building the module for $KREL"
make -C "$KDIR" M="$kb" -j"$(nproc)" modules >"$bb/build.log" 2>&1 ||
	{ tail -n 30 "$bb/build.log" >&2; pmg_die "module build failed"; }

# 2. The CLI and the bench programs.
make -C "$PMG_TOP/tools" >"$bb/tools.log" 2>&1 ||
	{ tail -n 30 "$bb/tools.log" >&2; pmg_die "CLI build failed"; }
mkdir -p "$bb/bin"
for p in openbench delivbench; do
	${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -Werror -o "$bb/bin/$p" "$here/$p.c"
done
# nlsink uses the CLI's own listener code.
pkgs="libnl-genl-3.0 json-c"
# shellcheck disable=SC2046,SC2086 # lists of words
${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -Werror -I"$PMG_TOP/include" -I"$PMG_TOP/tools" \
	$(pkg-config --cflags $pkgs) -o "$bb/bin/nlsink" "$here/nlsink.c" \
	"$PMG_TOP/tools/libpmg.a" $(pkg-config --libs $pkgs)

# 3. The initramfs.
"$here/mkbench-initramfs.sh" "$bb/initrd.img" "$KREL" "$kb/procmem_guard.ko" "$bb/bin"

# 4. Boots.
: >"$bb/times.env"
t_all=$(date +%s)
boot() { # PHASE CONSOLE QEMU-ARGS...
	local phase=$1 console=$2 start rc
	shift 2
	local append="console=ttyS0 panic=-1 loglevel=4 rdinit=/usr/lib/pmg-bench/init"
	append+=" pmg.bench=$phase pmg.rounds=$rounds pmg.ops=$ops pmg.secs=$secs"
	local qemu=(qemu-system-x86_64 -accel tcg -cpu max -m "$mem" "$@"
		-nographic -no-reboot -nic none
		-kernel "$VMLINUZ" -initrd "$bb/initrd.img" -append "$append")
	echo "${qemu[*]}" >"$console.cmd"
	pmg_log "boot: $phase ($*), console $console"
	start=$(date +%s)
	set +e
	timeout -k 10 "$tmo" "${qemu[@]}" </dev/null >"$console" 2>&1
	rc=$?
	set -e
	pmg_log "boot: $phase done in $(($(date +%s) - start)) s (qemu status $rc)"
	echo "secs_$phase=$(($(date +%s) - start))" >>"$bb/times.env"
	grep -q '@@BENCH done@@' "$console" || pmg_log "warning: $phase did not finish; see $console"
}
for ph in $phases; do
	case $ph in
	hot) boot hot "$bb/console-hot.log" -icount shift=0,sleep=off -smp 1 ;;
	profile) boot profile "$bb/console-profile.log" -icount shift=0,sleep=off -smp 1 ;;
	deliv) boot deliv "$bb/console-deliv.log" -smp 2 ;;
	esac
done
{
	echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
	echo "host_cpus=$(nproc)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n1)"
	echo "bpftrace=$(bpftrace --version 2>/dev/null || echo none)"
	echo "gnuplot=$(gnuplot --version 2>/dev/null || echo none)"
	echo "krel=$KREL"
	echo "commit=$(git -C "$PMG_TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "date=$(date -u +%Y-%m-%d)"
	cat "$bb/times.env"
	echo "secs_total=$(($(date +%s) - t_all))"
} >"$bb/host.env"

# 5. Results, plot, BENCHMARKS.md.
/usr/bin/python3 "$here/report.py" "$bb" "$results" "$PMG_TOP/BENCHMARKS.md"
