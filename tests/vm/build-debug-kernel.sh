#!/usr/bin/env bash
# Rebuild the debug kernels the VM suites can boot (`run.sh debug-6.1`,
# `run.sh debug-6.12-rt`) from Debian's linux-source packages:
#   make x86_64_defconfig kvm_guest.config
#   + tests/vm/debug-kernel/<name>.config (merge_config.sh), olddefconfig
#   make bindeb-pkg
# Every option the fragment sets is checked in the final .config: a wanted
# option that Kconfig dropped (a missing dependency) stops the build.
#
# usage: build-debug-kernel.sh [--config-only] [--compare FILE] [NAME...]
#   NAME            debug-6.1, debug-6.12-rt (default: both)
#   --config-only   stop once the .config is made and checked (seconds,
#                   not the hours a full build takes on two cores)
#   --compare FILE  also list how the .config differs from FILE (e.g.
#                   ../shared/kernels/config-6.1.192-debug)
# Output, cached outside the tree in $PMG_DEBUG_KERNEL_CACHE
# (/var/cache/procmem-guard/debug-kernels):
#   src/linux-source-<ver>/   the unpacked source, shared by the builds
#   <name>/build/             the O= tree; <name>/build/.config
#   <name>/debs/              linux-image-*.deb, linux-headers-*.deb
# To boot them: PMG_SHARED_KERNELS=<cache>/<name>/debs tests/vm/run.sh <name>
# (kernel.sh looks for linux-image-<ver>-debug_*.deb / *-rt-debug_*.deb and
# the matching linux-headers package there).
# Env: PMG_DEBUG_KERNEL_CACHE, JOBS (default: nproc).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

cache=$PMG_DEBUG_CACHE
jobs=${JOBS:-$(nproc)}
config_only=0
compare=
names=()
while [ $# -gt 0 ]; do
	case $1 in
	--config-only) config_only=1 ;;
	--compare) compare=$(realpath "$2"); shift ;;
	--compare=*) compare=$(realpath "${1#--compare=}") ;;
	-h | --help) sed -n '2,/^# shellcheck/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	debug-6.1 | debug-6.12-rt) names+=("$1") ;;
	*) pmg_die "unknown argument '$1' (names: debug-6.1 debug-6.12-rt)" ;;
	esac
	shift
done
[ ${#names[@]} -gt 0 ] || names=(debug-6.1 debug-6.12-rt)

# What the build needs; the config stage needs only make, gcc, flex, bison.
pmg_apt_install make gcc libc6-dev bc bison flex libelf-dev libssl-dev \
	cpio kmod rsync xz-utils dpkg-dev python3 perl

# Unpack /usr/src/linux-source-$1.tar.xz once; prints the source directory.
source_tree() {
	local ver=$1 tarball dir
	tarball=/usr/src/linux-source-$ver.tar.xz
	[ -f "$tarball" ] || pmg_apt_install "linux-source-$ver"
	dir=$cache/src/linux-source-$ver
	# A newer package means a newer tarball: unpack it again.
	if [ ! -e "$dir/.complete" ] || [ "$tarball" -nt "$dir/.complete" ]; then
		pmg_log "unpacking $tarball into $dir"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -xJf "$tarball" -C "$dir.tmp" --strip-components=1
		touch "$dir.tmp/.complete"
		mv "$dir.tmp" "$dir"
	fi
	echo "$dir"
}

# Options the fragment sets that the .config does not have as asked.
check_config() {
	local frag=$1 config=$2 line opt want have bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			opt=${line%%=*}
			want=${line#*=}
			;;
		'# CONFIG_'*' is not set')
			opt=${line#\# }
			opt=${opt%% *}
			want=n
			;;
		*) continue ;;
		esac
		have=$(sed -n "s/^$opt=//p" "$config")
		[ -n "$have" ] || have=n
		if [ "$have" != "$want" ]; then
			echo "    $opt: wanted $want, got $have"
			bad=1
		fi
	done <"$frag"
	return $bad
}

# Symbols whose values differ between two .config files.
config_diff() {
	awk '
		/^CONFIG_/ { split($0, kv, "="); v = substr($0, length(kv[1]) + 2) }
		/^# CONFIG_.* is not set$/ { kv[1] = $2; v = "n" }
		/^CONFIG_/ || /^# CONFIG_.* is not set$/ {
			if (FILENAME == ARGV[1]) a[kv[1]] = v; else b[kv[1]] = v
		}
		END {
			for (k in a) if (!(k in b) && a[k] != "n") print k ": " a[k] " -> (absent)"
			for (k in b) if (!(k in a) && b[k] != "n") print k ": (absent) -> " b[k]
			for (k in a) if ((k in b) && a[k] != b[k]) print k ": " a[k] " -> " b[k]
		}' "$1" "$2" | LC_ALL=C sort
}

build_one() {
	local name=$1 ver frag src out build n rel
	case $name in
	debug-6.1) ver=6.1 ;;
	debug-6.12-rt) ver=6.12 ;;
	esac
	frag=$here/debug-kernel/$name.config
	[ -f "$frag" ] || pmg_die "no fragment $frag"
	src=$(source_tree "$ver")
	out=$cache/$name
	build=$out/build
	mkdir -p "$build"
	pmg_log "$name: configuring in $build"
	make -s -C "$src" O="$build" x86_64_defconfig kvm_guest.config >"$out/config.log" 2>&1 ||
		{ tail -n 20 "$out/config.log" >&2; pmg_die "$name: defconfig failed"; }
	(cd "$build" && "$src/scripts/kconfig/merge_config.sh" -m -O . .config "$frag") \
		>>"$out/config.log" 2>&1 ||
		{ tail -n 20 "$out/config.log" >&2; pmg_die "$name: merge_config.sh failed"; }
	make -s -C "$src" O="$build" olddefconfig >>"$out/config.log" 2>&1 ||
		{ tail -n 20 "$out/config.log" >&2; pmg_die "$name: olddefconfig failed"; }
	if ! check_config "$frag" "$build/.config" >"$out/config.check"; then
		cat "$out/config.check" >&2
		pmg_die "$name: options of $frag did not end up in $build/.config"
	fi
	n=$(grep -c '^CONFIG_\|^# CONFIG_.* is not set$' "$frag")
	rel=$(make -s -C "$src" O="$build" kernelversion)$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p' "$build/.config")
	pmg_log "$name: $build/.config has all $n options of ${frag#"$PMG_TOP"/} (release $rel)"
	if [ -n "$compare" ]; then
		config_diff "$compare" "$build/.config" >"$out/config.diff"
		pmg_log "$name: $(wc -l <"$out/config.diff") symbols differ from $compare (in $out/config.diff)"
	fi
	[ "$config_only" = 0 ] || return 0

	pmg_log "$name: make bindeb-pkg -j$jobs (hours under two cores)"
	rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
	make -C "$src" O="$build" -j"$jobs" bindeb-pkg >"$out/build.log" 2>&1 ||
		{ tail -n 40 "$out/build.log" >&2; pmg_die "$name: bindeb-pkg failed (log: $out/build.log)"; }
	# bindeb-pkg leaves the packages next to the O= tree.
	mkdir -p "$out/debs"
	rm -f "$out/debs"/*.deb
	mv "$out"/linux-image-*.deb "$out"/linux-headers-*.deb "$out/debs/"
	rm -f "$out"/linux-libc-dev_*.deb "$out"/*-dbg_*.deb
	(cd "$out/debs" && sha256sum -- *.deb >SHA256SUMS)
	pmg_log "$name: packages in $out/debs"
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
for name in "${names[@]}"; do
	build_one "$name"
done
