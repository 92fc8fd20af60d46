#!/usr/bin/env bash
# Resolve a kernel name to a bootable image and a module build tree,
# installing or unpacking what is missing. Prints on stdout:
#   VMLINUZ=<image>  KDIR=<module build dir>  KREL=<uname -r>
# Names: 6.1 6.1-rt 6.12 6.12-rt (Debian archive), debug-6.1 debug-6.12-rt
# (packages in ../shared/kernels). Exit 3: kernel not available here.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: $0 {6.1|6.1-rt|6.12|6.12-rt|debug-6.1|debug-6.12-rt}" >&2
	exit 2
}

name=${1:-}
case $name in
6.1) meta=linux-image-amd64 ;;
6.1-rt) meta=linux-image-rt-amd64 ;;
6.12) meta=linux-image-6.12-amd64 ;;
6.12-rt) meta=linux-image-6.12-rt-amd64 ;;
debug-6.1 | debug-6.12-rt) meta= ;;
*) usage ;;
esac

mkdir -p "$PMG_CACHE"
exec 9>"$PMG_CACHE/.lock"
flock 9

# Unpack .deb files into $1 once; the directory appears complete or not at all.
unpack() {
	local dir=$1 deb
	shift
	[ -e "$dir/.complete" ] && return 0
	pmg_log "unpacking ${*##*/} into $dir"
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	for deb in "$@"; do
		dpkg-deb -x "$deb" "$dir.tmp"
	done
	touch "$dir.tmp/.complete"
	mv "$dir.tmp" "$dir"
}

# Download packages (name=version) from the archive and unpack them into $1.
fetch_unpack() {
	local dir=$1 dl
	shift
	[ -e "$dir/.complete" ] && return 0
	dl=$(mktemp -d "$PMG_CACHE/.dl.XXXXXX")
	pmg_apt_download "$dl" "$@"
	unpack "$dir" "$dl"/*.deb
	rm -rf "$dl"
}

# Headers whose package depends on the image (6.12 backports): unpack the
# headers, common and kbuild packages instead of installing the image.
unpacked_headers() {
	local hdr=$1 ver=$2 queue=("$1") pkgs=() extra=() p d
	while [ ${#queue[@]} -gt 0 ]; do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		pkgs+=("$p=$(pmg_apt_version "$p")")
		while read -r d; do
			case $d in
			linux-headers-* | linux-kbuild-*) queue+=("$d") ;;
			linux-image-* | linux-base) ;;
			*) extra+=("$d") ;;
			esac
		done < <(pmg_apt_deps "$p")
	done
	[ ${#extra[@]} -eq 0 ] || pmg_apt_install "${extra[@]}"
	local dir=$PMG_CACHE/${hdr}_$ver
	fetch_unpack "$dir" "${pkgs[@]}"
	# The arch Makefile includes the common one by absolute path.
	sed -i "s#^include /usr/src/#include $dir/usr/src/#" "$dir/usr/src/$hdr/Makefile"
	KDIR=$dir/usr/src/$hdr
}

archive_kernel() {
	local img ver hdr
	# The current ABI comes from the lists: keep them fresh.
	pmg_apt_fresh
	img=$(pmg_apt_dep "$meta" '^linux-image-')
	if [ -z "$img" ]; then
		pmg_apt_update
		img=$(pmg_apt_dep "$meta" '^linux-image-')
	fi
	[ -n "$img" ] || pmg_die "$name: apt cannot resolve $meta"
	KREL=${img#linux-image-}
	KREL=${KREL%-unsigned}
	ver=$(pmg_apt_version "$img")
	fetch_unpack "$PMG_CACHE/${img}_$ver" "$img=$ver"
	VMLINUZ=$PMG_CACHE/${img}_$ver/boot/vmlinuz-$KREL
	hdr=linux-headers-$KREL
	if [ -z "$(pmg_apt_dep "$hdr" '^linux-image-')" ]; then
		pmg_apt_install "$hdr"
		KDIR=/lib/modules/$KREL/build
	else
		unpacked_headers "$hdr" "$(pmg_apt_version "$hdr")"
	fi
}

debug_kernel() {
	local spec=${name#debug-} mm rt='' dir f base img='' hdr idir hdir
	mm=${spec%-rt}
	[ "$spec" = "$mm" ] || rt=-rt
	# ../shared/kernels first, then what `make debug-kernel` built.
	shopt -s nullglob
	dir=$(realpath -m "$PMG_SHARED_KERNELS")
	f=("$dir"/linux-image-"$mm".[0-9]*-debug_*.deb)
	[ ${#f[@]} -gt 0 ] || dir=$PMG_DEBUG_CACHE/$name/debs
	for f in "$dir"/linux-image-"$mm".[0-9]*-debug_*.deb; do
		base=${f##*/}
		base=${base#linux-image-}
		base=${base%%_*}
		case $base in
		*-rt-debug) [ -n "$rt" ] || continue ;;
		*) [ -z "$rt" ] || continue ;;
		esac
		img=$f
		KREL=$base
	done
	if [ -z "$img" ]; then
		pmg_log "$name: no linux-image-$mm.*$rt-debug package in $PMG_SHARED_KERNELS or $dir (make debug-kernel builds one)"
		exit 3
	fi
	hdr=("$dir/linux-headers-${KREL}_"*.deb)
	if [ ${#hdr[@]} -ne 1 ]; then
		pmg_log "$name: no (single) linux-headers-${KREL} package in $dir"
		exit 3
	fi
	idir=$PMG_CACHE/$(basename "$img" .deb)
	hdir=$PMG_CACHE/$(basename "${hdr[0]}" .deb)
	if [ -f "$dir/SHA256SUMS" ] && ! [ -e "$idir/.complete" ] && ! [ -e "$hdir/.complete" ]; then
		(cd "$dir" && grep -F -e " ${img##*/}" -e " ${hdr[0]##*/}" SHA256SUMS |
			sha256sum -c --quiet >&2) || pmg_die "$name: checksum mismatch in $dir"
	fi
	unpack "$idir" "$img"
	unpack "$hdir" "${hdr[0]}"
	VMLINUZ=$idir/boot/vmlinuz-$KREL
	KDIR=$hdir/usr/src/linux-headers-$KREL
}

if [ -n "$meta" ]; then archive_kernel; else debug_kernel; fi
[ -f "$VMLINUZ" ] || pmg_die "$name: no kernel image at $VMLINUZ"
[ -f "$KDIR/Makefile" ] || pmg_die "$name: no module build tree at $KDIR"
printf 'VMLINUZ=%s\nKDIR=%s\nKREL=%s\n' "$VMLINUZ" "$KDIR" "$KREL"
