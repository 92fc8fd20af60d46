#!/usr/bin/env bash
# Build the benchmark initramfs: the test initramfs of tests/vm/mkinitramfs.sh
# (busybox, module, CLI) with a second, uncompressed cpio archive appended that
# holds the bench programs, the bench init (tests/bench/guest-bench.sh, run
# with rdinit=/usr/lib/pmg-bench/init) and bpftrace with every shared library
# it needs (about 200 MB, hence the separate image and no compression: the
# guest unpacks it faster than it would gunzip it under emulation).
# usage: mkbench-initramfs.sh OUT KREL MODULE.ko BINDIR
#   BINDIR holds openbench, delivbench and nlsink built for the host (same
#   libc).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../vm/lib.sh
. "$here/../vm/lib.sh"

[ $# -eq 4 ] || { echo "usage: $0 OUT KREL MODULE.ko BINDIR" >&2; exit 2; }
out=$1 krel=$2 module=$3 bindir=$4

mkdir -p "$(dirname "$out")"
base=$out.base.gz
"$PMG_TOP/tests/vm/mkinitramfs.sh" "$base" "$krel" "$module"

root=$(mktemp -d "$(dirname "$out")/.benchroot.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/usr/lib/pmg-bench "$root"/usr/bin "$root"/etc
install -m 0755 "$here/guest-bench.sh" "$root/usr/lib/pmg-bench/init"
elfs=()
for f in openbench delivbench nlsink; do
	install -m 0755 "$bindir/$f" "$root/usr/bin/$f"
	elfs+=("$bindir/$f")
done
bt=$(command -v bpftrace || true)
if [ -n "$bt" ]; then
	install -m 0755 "$bt" "$root/usr/bin/bpftrace"
	elfs+=("$bt")
else
	pmg_log "warning: no bpftrace on the host; the eBPF peer will be skipped"
fi
for f in "${elfs[@]}"; do
	ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# Pad the gzip member to a 4-byte boundary: the kernel looks for the next
# cpio header there (zero bytes between archives are skipped).
cp "$base" "$out.tmp"
pad=$(( (4 - $(stat -c %s "$out.tmp") % 4) % 4 ))
head -c "$pad" /dev/zero >>"$out.tmp"
(cd "$root" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) >>"$out.tmp"
mv "$out.tmp" "$out"
rm -f "$base"
pmg_log "bench initramfs $out: $(du -h "$out" | cut -f1)"
