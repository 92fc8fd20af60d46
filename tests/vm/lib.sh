# shellcheck shell=bash
# Helpers shared by the tests/vm scripts. Source it; do not run it.

PMG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PMG_BUILD=${PMG_BUILD:-$PMG_TOP/build}
PMG_CACHE=${PMG_CACHE:-/var/cache/procmem-guard/kernels}
PMG_SHARED_KERNELS=${PMG_SHARED_KERNELS:-$PMG_TOP/../shared/kernels}
# Where `make debug-kernel` (tests/vm/build-debug-kernel.sh) leaves its packages.
# shellcheck disable=SC2034 # used by kernel.sh and build-debug-kernel.sh
PMG_DEBUG_CACHE=${PMG_DEBUG_KERNEL_CACHE:-/var/cache/procmem-guard/debug-kernels}
export DEBIAN_FRONTEND=noninteractive

pmg_log() { printf '[pmg] %s\n' "$*" >&2; }
pmg_die() { pmg_log "error: $*"; exit 1; }

# Run as root, or through sudo when we are not root.
pmg_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

_pmg_apt_updated=
pmg_apt_update() {
	[ -n "$_pmg_apt_updated" ] && return 0
	pmg_log "apt-get update"
	pmg_root apt-get update -qq >&2
	_pmg_apt_updated=1
}

# Refresh the package lists if there are none or they are over a day old.
pmg_apt_fresh() {
	[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null)" ] ||
		pmg_apt_update
}

# True if apt knows a candidate for every package given.
pmg_apt_known() {
	local p
	for p in "$@"; do
		apt-cache show --no-all-versions "$p" >/dev/null 2>&1 || return 1
	done
}

# Print the packages (name or name=version) that are not installed.
pmg_missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "${p%%=*}" 2>/dev/null |
			grep -q 'ok installed' || printf '%s\n' "$p"
	done
}

# Install the packages that are missing; refresh the lists once if needed.
pmg_apt_install() {
	local missing
	mapfile -t missing < <(pmg_missing "$@")
	[ ${#missing[@]} -eq 0 ] && return 0
	pmg_apt_known "${missing[@]%%=*}" || pmg_apt_update
	pmg_log "installing ${missing[*]}"
	local apt=(apt-get install -y -qq --no-install-recommends
		-o DPkg::Lock::Timeout=300 "${missing[@]}")
	if ! pmg_root "${apt[@]}" >&2; then
		pmg_apt_update
		pmg_root "${apt[@]}" >&2
	fi
}

# Download packages (name or name=version) into directory $1.
pmg_apt_download() {
	local dir=$1
	shift
	pmg_apt_known "${@%%=*}" || pmg_apt_update
	if ! (cd "$dir" && apt-get download -qq "$@" >&2 2>/dev/null); then
		pmg_apt_update
		(cd "$dir" && apt-get download -qq "$@" >&2)
	fi
}

# Print the first package a (meta)package depends on whose name matches the ERE $2.
pmg_apt_dep() {
	pmg_apt_deps "$1" | grep -E -m1 "$2" || true
}

# Print the candidate version of a package.
pmg_apt_version() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1
}

# Print every package a package depends on (alternatives included).
pmg_apt_deps() {
	apt-cache depends --important "$1" 2>/dev/null |
		sed -n 's/^ *|\{0,1\}Depends: *//p' | grep -v '^<' || true
}

# A fresh copy of the module's sources in DIR (Kbuild, VERSION, module/,
# include/), without anything an in-tree build left behind, to build out of
# tree so the source tree stays clean.
pmg_module_scratch() {
	rm -rf "$1"
	mkdir -p "$1"
	for f in Kbuild VERSION module include; do
		[ ! -e "$PMG_TOP/$f" ] || cp -a "$PMG_TOP/$f" "$1/"
	done
	find "$1" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.a' -o -name modules.order \
		-o -name Module.symvers \) -delete
}
