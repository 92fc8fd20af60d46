#!/usr/bin/env bash
# Build the guest initramfs (busybox, the module, the CLI, jq, guest helper
# binaries and the suites).
# usage: mkinitramfs.sh OUT.cpio.gz KREL [MODULE.ko]
#   MODULE.ko defaults to build/k/KREL/procmem_guard.ko.
# Env: PMG_KMODDIR, the kernel's own modules (lib/modules/KREL of its
#   image): loop and btrfs, and what they need, come along when found,
#   uncompressed, with mkfs.btrfs and btrfs when the host has them;
#   `pmg-kmod NAME...` loads them in the guest (exit 1 if one is missing).
# Layout: /init, /usr/lib/pmg/run-suites.sh, /lib/procmem_guard.ko,
#   /usr/sbin/procmem-guard, /usr/bin/jq, /usr/bin/<build/guest/bin/*>,
#   /suites/<tests/guest/suites/* and build/guest/suites/*> (the runner
#   runs the executable files there, in its order: run-suites.sh),
#   /usr/share/pmg/VERSION, /etc/passwd and /etc/group (root, nobody).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -ge 2 ] || { echo "usage: $0 OUT.cpio.gz KREL [MODULE.ko]" >&2; exit 2; }
out=$1
krel=$2
module=${3:-$PMG_BUILD/k/$krel/procmem_guard.ko}
[ -f "$module" ] || pmg_die "no module at $module"

mkdir -p "$(dirname "$out")"
root=$(mktemp -d "$(dirname "$out")/.initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib/pmg,usr/share/pmg,lib,etc,dev,proc,sys,tmp,run,root,suites}

# busybox and one symlink per applet.
cp /bin/busybox "$root/bin/busybox"
while read -r applet; do
	case $applet in
	bin/busybox | linuxrc | '') continue ;;
	esac
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done < <(/bin/busybox --list-full)

elfs=()
# Copy an executable to DEST in the image and remember it for ldd.
add_exec() {
	install -m 0755 "$1" "$root$2"
	elfs+=("$1")
}

install -m 0755 "$PMG_TOP/tests/guest/init" "$root/init"
install -m 0755 "$PMG_TOP/tests/guest/run-suites.sh" "$root/usr/lib/pmg/run-suites.sh"
install -m 0644 "$module" "$root/lib/procmem_guard.ko"
install -m 0644 "$PMG_TOP/VERSION" "$root/usr/share/pmg/VERSION"
# What the policy suites check against: the shipped policy and the unit.
install -m 0644 "$PMG_TOP/examples/policy" "$root/usr/share/pmg/policy"
install -m 0644 "$PMG_TOP/packaging/procmem-guard.service" \
	"$root/usr/share/pmg/procmem-guard.service"
echo "$krel" >"$root/usr/share/pmg/KREL"
add_exec "$(command -v jq)" /usr/bin/jq
if [ -x "$PMG_TOP/tools/procmem-guard" ]; then
	add_exec "$PMG_TOP/tools/procmem-guard" /usr/sbin/procmem-guard
fi

# For the exe identity test on btrfs, when the host has them.
for tool in mkfs.btrfs btrfs; do
	t=$(command -v "$tool" || true)
	[ -z "$t" ] || add_exec "$t" "/usr/bin/$tool"
done

shopt -s nullglob
for f in "$PMG_BUILD"/guest/bin/*; do
	if [ -f "$f" ] && [ -x "$f" ]; then add_exec "$f" "/usr/bin/${f##*/}"; fi
done
# Suites: the runner runs the executable files; other files (helpers, data)
# and directories from tests/guest/suites/ come along.
for f in "$PMG_TOP"/tests/guest/suites/* "$PMG_BUILD"/guest/suites/*; do
	dest=/suites/${f##*/}
	if [ -e "$root$dest" ]; then
		pmg_log "warning: $dest given twice, using $f"
		rm -rf "${root:?}$dest"
	fi
	if [ -f "$f" ] && [ -x "$f" ]; then
		add_exec "$f" "$dest"
	elif [ "${f%/*}" = "$PMG_TOP/tests/guest/suites" ]; then
		cp -a "$f" "$root$dest"
	fi
done

# Shared libraries (and the loader) of every dynamic executable, same paths.
libs=()
for f in "${elfs[@]}"; do
	head -c4 "$f" | grep -q 'ELF' || continue
	ldd_out=$(ldd "$f" 2>/dev/null) || continue
	if grep -q 'not found' <<<"$ldd_out"; then
		pmg_die "$f: missing shared libraries: $(grep 'not found' <<<"$ldd_out" | tr -s '\t\n' ' ')"
	fi
	while read -r lib; do
		libs+=("$lib")
	done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$ldd_out")
done
for lib in "${libs[@]}"; do
	[ -e "$root$lib" ] && continue
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done

# Kernel modules a suite may load (loop and btrfs for the exe identity
# test), each with what it depends on, in load order.
kmods=0
mkdir -p "$root/usr/share/pmg/kmod"
# Print the path of module $1 (any compression) under $PMG_KMODDIR.
kmod_path() {
	find "$PMG_KMODDIR" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" | head -n1
}
# Copy module $1 and its dependencies, dependencies first, into the image.
kmod_add() {
	local f dep
	[ -e "$root/usr/share/pmg/kmod/$1.ko" ] && return 0
	f=$(kmod_path "$1")
	[ -n "$f" ] || return 1
	for dep in $(modinfo -F depends "$f" 2>/dev/null | tr ',' ' '); do
		kmod_add "$dep" || return 1
	done
	case $f in
	*.xz) xz -dc "$f" >"$root/usr/share/pmg/kmod/$1.ko" ;;
	*.zst) zstd -qdc "$f" >"$root/usr/share/pmg/kmod/$1.ko" ;;
	*) cp "$f" "$root/usr/share/pmg/kmod/$1.ko" ;;
	esac
	echo "$1" >>"$root/usr/share/pmg/kmod/order"
	kmods=$((kmods + 1))
}
if [ -n "${PMG_KMODDIR:-}" ] && [ -d "$PMG_KMODDIR" ]; then
	# crc32c_generic: libcrc32c asks the crypto API for crc32c, and no
	# modprobe in the guest loads it on demand.
	for m in loop crc32c_generic btrfs; do
		kmod_add "$m" || pmg_log "kernel module $m not found in $PMG_KMODDIR"
	done
fi
install -m 0755 "$PMG_TOP/tests/guest/pmg-kmod" "$root/usr/bin/pmg-kmod"

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo pmg-guest >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost pmg-guest\n::1\tlocalhost\n' >"$root/etc/hosts"

# The kernel opens /dev/console before /init runs (needs root to create).
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
fi

(cd "$root" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
pmg_log "initramfs $out: $(du -h "$out" | cut -f1), ${#elfs[@]} executables, ${#libs[@]} libraries, $kmods kernel modules"
