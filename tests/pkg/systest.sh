#!/usr/bin/env bash
# The Debian packages on a real Debian 12 system: a root file system made by
# mmdebstrap from the archive, with Debian's 6.1 kernel, its headers, dkms
# and build-essential, booted under QEMU with systemd as init.
# usage: systest.sh DEBDIR
#   DEBDIR holds procmem-guard-dkms_<VERSION>_all.deb and
#   procmem-guard_<VERSION>_<arch>.deb (make deb).
# Prints one line per test on standard output:
#   PASS|FAIL|SKIP systest <name>: <what>
# with details indented below a failure; exit status 0 whatever the
# results (the caller tallies).
#
# What it does (README.md, "Install from packages", says what it shows):
#  on the host, in the root file system (chroot, native speed):
#   1. apt install ./procmem-guard-dkms_V1.deb ./procmem-guard_V1.deb:
#      DKMS builds the module for 6.1, signed with a MOK key put in
#      /var/lib/dkms/ beforehand; the service is installed disabled.
#   2. apt install the 6.12 kernel and headers (without an initramfs: it
#      never boots): DKMS's kernel hook builds the module for 6.12; purging
#      that kernel removes it again (the guest's upgrades then build for one
#      kernel: a DKMS build takes over a minute under TCG, and installing
#      the 6.12 kernel in the guest took 14 minutes).
#  then an ext4 image of it boots twice (tests/pkg/systest-guest.sh runs
#  as a systemd service and powers off):
#   boot 1: the unit disabled, the module for the running kernel (modinfo,
#      signer), a start without the module, systemctl enable --now,
#      systemd-analyze security, findings in the journal, a locked policy,
#      then an upgrade to V2: the module stays (locked) and a reboot is
#      asked for.
#   boot 2: V2 loaded at boot; an upgrade to V3 replaces the module and
#      restarts the service; apt purge of both leaves no file behind.
# V2 and V3 are the same tree with VERSION V1+systest2 and V1+systest3.
#
# Cached (like the kernels): the root file system tar and the 6.12 kernel's
# packages, in $PMG_SYSTEST_CACHE (/var/cache/procmem-guard/systest); a new
# kernel ABI in the archive or another package list makes a new one.
# Env: PMG_SYSTEST_TIMEOUT (seconds per boot, 900), PMG_SYSTEST_KEEP=1 (keep
#   the work directory), PMG_SYSTEST_CACHE, PMG_QEMU_MEM (2G),
#   PMG_QEMU_SMP (2), PMG_QEMU_THREAD (single, as tests/vm/run.sh: with
#   multi-threaded TCG the two vCPUs would build in parallel, but arming the
#   module's kprobe can then crash the 6.1 guest).
# shellcheck source-path=SCRIPTDIR
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../vm/lib.sh
. "$top/tests/vm/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 DEBDIR" >&2; exit 2; }
debdir=$(cd "$1" && pwd) || exit 2
cache=${PMG_SYSTEST_CACHE:-/var/cache/procmem-guard/systest}
boot_timeout=${PMG_SYSTEST_TIMEOUT:-900}
mirrors=("deb http://deb.debian.org/debian bookworm main"
	"deb http://deb.debian.org/debian bookworm-updates main"
	"deb http://deb.debian.org/debian-security bookworm-security main")
T0=$(date +%s)

PMG_T=systest
# shellcheck source=lib.sh
. "$here/lib.sh"
secs() { echo "$(($(date +%s) - $1)) s"; }

# Every test this script can report, for the SKIP lines when it stops early.
ALL_TESTS="packages rootfs install second-kernel image boot-1 boot-2"
skip_rest() { # FROM REASON
	local t on=
	for t in $ALL_TESTS; do
		[ "$t" = "$1" ] && on=1
		[ -n "$on" ] && skip "$t" "$2"
	done
	exit 0
}

if [ "$(id -u)" -ne 0 ]; then
	skip_rest packages "needs root (chroot, mke2fs -d of a root file system)"
fi

W=$(mktemp -d /var/tmp/pmg-systest.XXXXXX)
log=$W/log
mkdir -p "$log"
# rm -rf, unless something is still mounted below (in_root's mounts live
# in their own namespace and end with it; this only makes sure).
safe_rm() { # DIR
	if awk -v d="$1/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
		pmg_log "systest: something is mounted below $1; not removing it"
		return 1
	fi
	rm -rf "$1"
}
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ "${PMG_SYSTEST_KEEP:-}" = 1 ]; then
		pmg_log "systest: work directory kept: $W"
	else
		safe_rm "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! pmg_apt_install mmdebstrap qemu-system-x86 e2fsprogs openssl dpkg-dev kmod \
	>"$log/apt" 2>&1; then
	fail deps "apt-get could not install what the system test needs" "@$log/apt"
	skip_rest packages "host packages missing"
fi

# --- The packages: V1 (given), V2 and V3 (built here) ------------------------
v1=$(cat "$top/VERSION")
v2=$v1+systest2
v3=$v1+systest3
t=$(date +%s)
d=()
mkdir -p "$W/v1"
for f in "$debdir/procmem-guard-dkms_${v1}_all.deb" "$debdir"/procmem-guard_"${v1}"_*.deb; do
	[ -f "$f" ] && cp "$f" "$W/v1/" || d+=("no $f")
done
# A copy of the tree whose VERSION and debian/changelog say $1, built with
# make deb into $W/$2.
build_version() { # VERSION DIR
	local c=$W/src-$2
	mkdir -p "$c"
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$c" -xf - &&
		echo "$1" >"$c/VERSION" &&
		{
			printf 'procmem-guard (%s) bookworm; urgency=medium\n\n' "$1"
			printf '  * A higher version for the system test.\n\n'
			printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -l "$c/debian/changelog" -S Maintainer)" \
				"$(date -R)"
			cat "$c/debian/changelog"
		} >"$c/debian/changelog.new" && mv "$c/debian/changelog.new" "$c/debian/changelog" &&
		make -C "$c" deb DEB_OUT="$W/$2" >"$log/deb-$2" 2>&1
	local rc=$?
	rm -rf "$c"
	return $rc
}
build_version "$v2" v2 || d+=("make deb of $v2 failed" "@$log/deb-v2")
build_version "$v3" v3 || d+=("make deb of $v3 failed" "@$log/deb-v3")
for v in v1 v2 v3; do
	n=$(find "$W/$v" -maxdepth 1 -name '*.deb' | wc -l)
	[ "$n" -eq 2 ] || d+=("$v: $n packages, expected 2")
done
if [ ${#d[@]} -gt 0 ]; then
	fail packages "${d[@]}"
	skip_rest rootfs "no packages"
fi
pass "packages: $v1 (make deb), $v2 and $v3 built ($(secs "$t"))"

# --- The kernels and the cached root file system ------------------------------
kernel_release() { "$top/tests/vm/kernel.sh" "$1" 2>>"$log/kernel" | sed -n 's/^KREL=//p'; }
k61=$(kernel_release 6.1)
k612=$(kernel_release 6.12)
if [ -z "$k61" ] || [ -z "$k612" ]; then
	fail rootfs "tests/vm/kernel.sh could not resolve 6.1 ('$k61') or 6.12 ('$k612')" "@$log/kernel"
	skip_rest install "no kernel"
fi
# What the root file system holds: a booting Debian with systemd, the 6.1
# kernel and headers, what DKMS needs, pahole (the 6.12 kernel's kbuild
# needs it, and the guest has no network), and what procmem-guard's
# package depends on, so that apt installs it offline.
deps=$(dpkg-deb -f "$W/v1"/procmem-guard_*.deb Depends | tr ',' '\n' |
	sed 's/([^)]*)//; s/|.*//; s/[[:space:]]//g' | grep -v '^procmem-guard' | grep .)
# shellcheck disable=SC2086 # $deps: one package a word
include=$(printf '%s\n' systemd-sysv kmod "linux-image-$k61" "linux-headers-$k61" \
	dkms build-essential pahole $deps | sort -u | paste -sd, -)
key=$(printf '%s\n' "$include" "$(pmg_apt_version "linux-image-$k61")" \
	"$(pmg_apt_version "linux-headers-$k61")" "${mirrors[@]}" | sha256sum | cut -c1-16)
rootfs=$cache/bookworm-$key.tar
mkdir -p "$cache"
t=$(date +%s)
(
	flock 9
	[ -s "$rootfs" ] && exit 0
	pmg_log "systest: mmdebstrap bookworm ($include)"
	rm -f "$cache"/bookworm-*.tar "$cache"/.bookworm-*.tar
	mmdebstrap --variant=apt --include="$include" bookworm "$cache/.bookworm-$key.tar" \
		"${mirrors[@]}" >"$log/mmdebstrap" 2>&1 &&
		mv "$cache/.bookworm-$key.tar" "$rootfs"
) 9>"$cache/.lock"
if [ ! -s "$rootfs" ]; then
	fail rootfs "mmdebstrap failed" "@$log/mmdebstrap"
	skip_rest install "no root file system"
fi

# The 6.12 kernel's packages: the image, the headers and the headers'
# linux-headers-*/linux-kbuild-* dependencies, downloaded once.
debs612=$cache/linux-${k612}_$(pmg_apt_version "linux-image-$k612")
(
	flock 9
	[ -e "$debs612/.complete" ] && exit 0
	rm -rf "$cache"/linux-6.12* "$debs612.tmp"
	mkdir -p "$debs612.tmp"
	pkgs=("linux-image-$k612") queue=("linux-headers-$k612")
	while [ ${#queue[@]} -gt 0 ]; do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		pkgs+=("$p")
		while read -r dep; do
			case $dep in linux-headers-* | linux-kbuild-*) queue+=("$dep") ;; esac
		done < <(pmg_apt_deps "$p")
	done
	pmg_apt_download "$debs612.tmp" "${pkgs[@]}" 2>"$log/download-612" &&
		touch "$debs612.tmp/.complete" && mv "$debs612.tmp" "$debs612"
) 9>"$cache/.lock-612"
if [ ! -e "$debs612/.complete" ]; then
	fail rootfs "could not download the $k612 packages" "@$log/download-612"
	skip_rest install "no 6.12 packages"
fi
pass "rootfs: Debian 12 with $k61, dkms, build-essential ($(du -h "$rootfs" | cut -f1) tar, $(secs "$t"))"

# --- The system, prepared on the host ---------------------------------------
R=$W/root
t=$(date +%s)
mkdir -p "$R"
tar -C "$R" -xpf "$rootfs" || { fail install "cannot unpack $rootfs"; skip_rest second-kernel "no root"; }

# Run a command in the root file system, with /proc, /sys, /dev and a
# private /run and /tmp (so nothing starts services: no /run/systemd).
in_root() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	unshare --mount --fork bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" &&
			mount --rbind /dev "$r/dev" && mount -t tmpfs tmpfs "$r/run" &&
			mount -t tmpfs tmpfs "$r/tmp" || exit 111
		exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' _ "$R" "$@"
}

echo /dev/vda / ext4 defaults 0 1 >"$R/etc/fstab"
echo pmg-systest >"$R/etc/hostname"
printf '127.0.0.1\tlocalhost pmg-systest\n' >"$R/etc/hosts"
# A MOK key configured before the install: DKMS signs with it.
mok_cn="procmem-guard systest MOK"
mkdir -p "$R/var/lib/dkms"
openssl req -new -x509 -nodes -days 36500 -subj "/CN=$mok_cn" -newkey rsa:2048 \
	-keyout "$R/var/lib/dkms/mok.key" -outform DER -out "$R/var/lib/dkms/mok.pub" \
	>"$log/openssl" 2>&1
mok_serial=$(openssl x509 -inform DER -in "$R/var/lib/dkms/mok.pub" -noout -serial | sed 's/^serial=//')
# The guest side: the script, its unit, the packages, what it compares with.
P=$R/root/pmg
mkdir -p "$P"
cp -a "$W/v1" "$W/v2" "$W/v3" "$P/"
install -m 0755 "$here/systest-guest.sh" "$P/guest.sh"
cat >"$R/etc/systemd/system/pmg-systest.service" <<'EOF'
[Unit]
Description=procmem-guard system test (tests/pkg/systest-guest.sh)
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/root/pmg/guest.sh
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/pmg-systest.service \
	"$R/etc/systemd/system/multi-user.target.wants/pmg-systest.service"
exposure=$(grep -o 'rates it [0-9.]*' "$top/README.md" | head -n1 | awk '{print $3}')
cat >"$P/env" <<EOF
V1='$v1'
V2='$v2'
V3='$v3'
K61='$k61'
MOK_CN='$mok_cn'
MOK_SERIAL='$mok_serial'
EXPOSURE='$exposure'
EOF
echo 1 >"$P/phase"
# The file list the purge is compared with: before the first install.
(cd "$R" && find . -xdev -path ./root/pmg -prune -o -printf '%y %p\n' | LC_ALL=C sort) >"$P/files-before"

# 1. Install V1 with apt, as on any Debian system.
d=()
in_root sh -c 'cd /root/pmg/v1 && apt-get install -y ./*.deb' >"$log/install-v1" 2>&1 ||
	d+=("apt-get install ./procmem-guard*_$v1*.deb failed" "@$log/install-v1")
st=$(in_root dkms status procmem-guard 2>&1)
grep -qx "procmem-guard/$v1, $k61, x86_64: installed" <<<"$st" || d+=("dkms status: $st")
ko=$(find "$R/lib/modules/$k61/updates/dkms" -name 'procmem_guard.ko*' 2>/dev/null | head -n1)
if [ -z "$ko" ]; then
	d+=("no procmem_guard.ko in /lib/modules/$k61/updates/dkms")
else
	s=$(modinfo -F signer "$ko" 2>&1)
	[ "$s" = "$mok_cn" ] || d+=("$k61 module signer '$s', expected '$mok_cn'")
fi
[ ! -e "$R/etc/systemd/system/multi-user.target.wants/procmem-guard.service" ] ||
	d+=("the package enabled procmem-guard.service")
result "install: apt install ./procmem-guard-dkms_${v1}_all.deb ./procmem-guard_${v1}_*.deb in the root; DKMS built and signed the module for $k61 ($(secs "$t"))" "${d[@]}"

# 2. A second kernel: DKMS's hook builds the module for it.
t=$(date +%s)
d=()
mkdir -p "$R/root/k612"
cp "$debs612"/*.deb "$R/root/k612/"
# INITRD=No (initramfs-tools' switch) skips making an initramfs for a
# kernel the guest never boots: 15 s saved; DKMS's hook runs all the same.
in_root sh -c 'cd /root/k612 && INITRD=No apt-get install -y ./*.deb' >"$log/install-612" 2>&1 ||
	d+=("apt-get install of the $k612 kernel failed" "@$log/install-612")
st=$(in_root dkms status procmem-guard 2>&1)
grep -qx "procmem-guard/$v1, $k612, x86_64: installed" <<<"$st" || d+=("dkms status after installing $k612:" "$st")
ko=$(find "$R/lib/modules/$k612/updates/dkms" -name 'procmem_guard.ko*' 2>/dev/null | head -n1)
if [ -z "$ko" ]; then
	d+=("no procmem_guard.ko in /lib/modules/$k612/updates/dkms")
else
	v=$(modinfo -F vermagic "$ko" 2>&1 | cut -d' ' -f1)
	[ "$v" = "$k612" ] || d+=("$ko: vermagic '$v'")
	s=$(modinfo -F signer "$ko" 2>&1)
	[ "$s" = "$mok_cn" ] || d+=("$k612 module signer '$s', expected '$mok_cn'")
fi
# ... and removing that kernel removes the module again.
pkgs612=$(cd "$R/root/k612" && for f in *.deb; do dpkg-deb -f "$f" Package; done)
# shellcheck disable=SC2086 # one package a word
in_root apt-get purge -y $pkgs612 >"$log/purge-612" 2>&1 ||
	d+=("apt-get purge of the $k612 kernel failed" "@$log/purge-612")
rm -rf "$R/root/k612"
st=$(in_root dkms status procmem-guard 2>&1)
grep -q "$k612" <<<"$st" && d+=("dkms status after purging $k612:" "$st")
left=$(find "$R/lib/modules" -path "*$k612*" -name 'procmem_guard.ko*' 2>/dev/null)
[ -z "$left" ] || d+=("left after purging $k612: $left")
# shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
[ "$(in_root dpkg-query -W -f='${db:Status-Abbrev}' "linux-image-$k612" 2>/dev/null)" != "ii " ] ||
	d+=("linux-image-$k612 is still installed")
result "second-kernel: installing $k612 next to $k61 made DKMS build and sign the module for it; purging it removed it ($(secs "$t"))" "${d[@]}"

# --- The disk image ------------------------------------------------------------
t=$(date +%s)
cp "$R/boot/vmlinuz-$k61" "$W/vmlinuz"
cp "$R/boot/initrd.img-$k61" "$W/initrd.img"
if ! mke2fs -q -F -t ext4 -L pmg-systest -d "$R" "$W/disk.img" 4G >"$log/mke2fs" 2>&1; then
	fail image "mke2fs -d failed" "@$log/mke2fs"
	skip_rest boot-1 "no disk image"
fi
safe_rm "$R"
pass "image: ext4 image of the root file system ($(secs "$t"))"

# --- Boot it, twice ------------------------------------------------------------
# The guest prints its result lines on its second serial port and
# "@@PMG-SYSTEST-END <phase>@@" when it is done; the console goes to a file.
boot() { # PHASE
	local n=$1 qrc t
	t=$(date +%s)
	rm -f "$W/results-$n" "$W/console-$n"
	timeout -k 10 "$boot_timeout" qemu-system-x86_64 -accel "tcg,thread=${PMG_QEMU_THREAD:-single}" -cpu max \
		-m "${PMG_QEMU_MEM:-2G}" -smp "${PMG_QEMU_SMP:-2}" -nographic -no-reboot -nic none \
		-kernel "$W/vmlinuz" -initrd "$W/initrd.img" \
		-append "console=ttyS0 root=/dev/vda rw panic=-1 loglevel=4" \
		-drive "file=$W/disk.img,format=raw,if=virtio,cache=unsafe" \
		-serial "file:$W/console-$n" -serial "file:$W/results-$n" \
		-monitor none -display none </dev/null >"$log/qemu-$n" 2>&1
	qrc=$?
	tr -d '\r' <"$W/results-$n" 2>/dev/null | grep -v '^@@PMG-SYSTEST-END' |
		grep -E '^(PASS|FAIL|SKIP) |^    ' || true
	if tr -d '\r' <"$W/results-$n" 2>/dev/null | grep -q "^@@PMG-SYSTEST-END $n@@"; then
		pass "boot-$n: the guest ran phase $n and powered off ($(secs "$t"))"
	else
		case $qrc in
		124 | 137) why="timed out after ${boot_timeout}s" ;;
		*) why="qemu exit status $qrc" ;;
		esac
		fail "boot-$n" "the guest did not finish phase $n: $why; console (last lines):" \
			"@$W/console-$n" "@$log/qemu-$n"
		return 1
	fi
}
boot 1 && boot 2
pmg_log "systest: done in $(secs "$T0")"
exit 0
