#!/usr/bin/env bash
# Boot KERNEL_NAME in QEMU with a module built elsewhere (the DKMS-built
# one) instead of the module tests/vm/run.sh builds, and run only the
# packaging smoke suite (tests/pkg/smoke.sh) in the guest.
# usage: vm-smoke.sh KERNEL_NAME MODULE.ko[.xz]
# Prints run.sh's result lines; exit status: run.sh's, or 3 when run.sh
# cannot take a prebuilt module (it needs PMG_MODULE_KO support).
# Uses its own build directory (build/pkg-vm, or $PMG_PKG_VM_BUILD) so that
# neither the smoke suite nor this module leaks into the other suites' runs.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

[ $# -eq 2 ] || { echo "usage: $0 KERNEL_NAME MODULE.ko[.xz]" >&2; exit 2; }
name=$1
ko=$2
if ! grep -q PMG_MODULE_KO "$top/tests/vm/run.sh"; then
	echo "vm-smoke: tests/vm/run.sh does not take PMG_MODULE_KO yet" >&2
	exit 3
fi
[ -f "$ko" ] || { echo "vm-smoke: no module at $ko" >&2; exit 2; }

build=${PMG_PKG_VM_BUILD:-$top/build/pkg-vm}
build=$(mkdir -p "$build" && cd "$build" && pwd)
rm -rf "$build/guest" "$build/module"
mkdir -p "$build/guest/suites" "$build/module"
# The guest's insmod (busybox) wants a plain .ko.
case $ko in
*.xz) xz -dc "$ko" >"$build/module/procmem_guard.ko" ;;
*.zst) zstd -qdc "$ko" >"$build/module/procmem_guard.ko" ;;
*.gz) gzip -dc "$ko" >"$build/module/procmem_guard.ko" ;;
*) cp "$ko" "$build/module/procmem_guard.ko" ;;
esac
# mkinitramfs.sh puts every executable of $PMG_BUILD/guest/suites/ into the
# guest's /suites/.
install -m 0755 "$here/smoke.sh" "$build/guest/suites/pkg-smoke"

# What booting a guest needs on the host (tests/vm/deps.sh installs these
# and more, and extracts kselftest, which this suite does not use), and the
# CLI that goes into the guest.
# shellcheck source=../vm/lib.sh
. "$top/tests/vm/lib.sh"
pmg_apt_install qemu-system-x86 busybox-static cpio gzip xz-utils jq kmod \
	make gcc libc6-dev pkg-config libnl-3-dev libnl-genl-3-dev libjson-c-dev \
	libcurl4-openssl-dev
make -s -C "$top" tools >&2
PMG_BUILD=$build PMG_NO_DEPS=1 PMG_MODULE_KO=$build/module/procmem_guard.ko \
	PMG_SUITE=pkg-smoke PMG_SUITE_TIMEOUT=${PMG_SUITE_TIMEOUT:-120} \
	exec "$top/tests/vm/run.sh" "$name"
