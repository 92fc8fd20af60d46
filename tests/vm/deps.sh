#!/usr/bin/env bash
# Install the host packages the build and the VM tests need (only those
# missing), then extract the kselftest headers and checkpatch.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=lib.sh
. "$here/lib.sh"

pmg_apt_install \
	make gcc libc6-dev pkg-config perl \
	libnl-3-dev libnl-genl-3-dev libjson-c-dev libcurl4-openssl-dev jq \
	qemu-system-x86 busybox-static cpio gzip xz-utils kmod \
	bc flex bison libelf-dev linux-source-6.1 \
	btrfs-progs zstd
"$here/extract-kselftest.sh"
