#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# build-deps.sh tools|module [KDIR]: check, before building, that what the
# CLI (tools) or the module (module, against the kernel build tree KDIR)
# needs is installed. When something is missing, say what, name the Debian
# packages that provide it and the apt-get line, and exit 1. Run by `make`,
# `make module` and `make tools`.
# Env: CC (the compiler for tools, default cc), PKG_CONFIG (pkg-config).
set -u
what=${1:-tools}
kdir=${2:-/lib/modules/$(uname -r)/build}
cc=${CC:-cc}
pkgconfig=${PKG_CONFIG:-pkg-config}
missing=""
why=""

# need PACKAGE REASON: PACKAGE provides what REASON lacks.
need() {
	case " $missing " in *" $1 "*) return ;; esac
	missing="$missing $1"
	why="$why
  $2 (Debian package $1)"
}

if [ "$what" = tools ]; then
	command -v "$cc" >/dev/null 2>&1 || need gcc "no C compiler '$cc'"
	if command -v "$cc" >/dev/null 2>&1 &&
		! printf '#include <stdio.h>\n' | "$cc" -E -x c - >/dev/null 2>&1; then
		need libc6-dev "no C library headers (stdio.h)"
	fi
	if ! command -v "$pkgconfig" >/dev/null 2>&1; then
		need pkg-config "no $pkgconfig"
		need libnl-3-dev "libnl-3 not checked without pkg-config"
		need libnl-genl-3-dev "libnl-genl-3 not checked without pkg-config"
		need libjson-c-dev "json-c not checked without pkg-config"
		need libcurl4-openssl-dev "libcurl not checked without pkg-config"
	else
		"$pkgconfig" --exists libnl-3.0 || need libnl-3-dev "no libnl-3.0 (pkg-config)"
		"$pkgconfig" --exists libnl-genl-3.0 || need libnl-genl-3-dev "no libnl-genl-3.0 (pkg-config)"
		"$pkgconfig" --exists json-c || need libjson-c-dev "no json-c (pkg-config)"
		"$pkgconfig" --exists libcurl || need libcurl4-openssl-dev "no libcurl (pkg-config)"
	fi
elif [ "$what" = module ]; then
	if [ ! -f "$kdir/Makefile" ]; then
		if [ "$kdir" = "/lib/modules/$(uname -r)/build" ]; then
			need "linux-headers-$(uname -r)" "no kernel build tree for the running kernel ($kdir)"
		else
			echo "procmem-guard: KDIR=$kdir is not a kernel build tree (no Makefile there)" >&2
			exit 1
		fi
	else
		# The compiler the kernel was built with, which Kbuild calls.
		kcc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\).*/\1/p' \
			"$kdir/include/config/auto.conf" 2>/dev/null)
		case $kcc in
		gcc-[0-9]*) command -v "$kcc" >/dev/null 2>&1 || need "$kcc" "no $kcc, the compiler of this kernel" ;;
		gcc) command -v gcc >/dev/null 2>&1 || need gcc "no gcc, the compiler of this kernel" ;;
		esac
	fi
else
	echo "usage: $0 tools|module [KDIR]" >&2
	exit 2
fi

[ -n "$missing" ] || exit 0
{
	echo "procmem-guard: cannot build the $what, missing:$why"
	echo "On Debian, as root:"
	echo "  apt-get install --no-install-recommends$missing"
} >&2
exit 1
