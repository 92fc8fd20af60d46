#!/usr/bin/env bash
# `make run`: show the module at work.
# usage: run-demo.sh [KERNEL_NAME]   (default 6.1, see kernel.sh)
# On a host that can load modules (root, /proc/modules, headers for the
# running kernel) the module goes into the running kernel and the CLI shows
# live reports until Ctrl-C. Anywhere else the demo guest boots in QEMU.
# Env: PMG_DEMO_MODE=host|vm forces a mode; run.sh's variables apply in vm.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

krel=$(uname -r)
kdir=/lib/modules/$krel/build
mode=${PMG_DEMO_MODE:-}
if [ -z "$mode" ]; then
	mode=vm
	if [ "$(id -u)" -eq 0 ] && [ -r /proc/modules ] && [ -d "$kdir" ] &&
		[ "$(cat /proc/sys/kernel/modules_disabled 2>/dev/null || echo 1)" = 0 ]; then
		mode=host
	fi
fi

if [ "$mode" = vm ]; then
	PMG_DEMO=1 exec "$here/run.sh" "${1:-6.1}"
fi

# Host mode.
cli=$PMG_TOP/tools/procmem-guard
make -C "$PMG_TOP" --no-print-directory module tools KDIR="$kdir"
if grep -q '^procmem_guard ' /proc/modules; then
	pmg_log "procmem_guard is already loaded: using it as it is"
	loaded=0
else
	insmod "$PMG_TOP/procmem_guard.ko"
	loaded=1
fi
pids=()
cleanup() {
	[ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	[ "$loaded" = 0 ] || rmmod procmem_guard || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$cli" listen --format text &
pids+=($!)
sleep 1
sleep 600 &
victim=$!
pids+=("$victim")
echo "demo: victim pid $victim"
echo "demo: cat /proc/$victim/mem"
cat "/proc/$victim/mem" >/dev/null 2>&1 || true
echo "demo: dd from /proc/$victim/task/$victim/mem"
dd if="/proc/$victim/task/$victim/mem" of=/dev/null bs=1 count=1 2>/dev/null || true
echo "demo: open /proc/$victim/mem read-write"
(exec 3<>"/proc/$victim/mem") 2>/dev/null || true
sleep 1
"$cli" status || true
echo "demo: live reports follow; Ctrl-C stops and unloads the module"
wait "${pids[0]}" || true
