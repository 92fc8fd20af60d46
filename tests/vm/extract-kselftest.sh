#!/usr/bin/env bash
# Extract the kselftest harness headers and checkpatch from Debian's
# linux-source-6.1 into build/kselftest/ and build/checkpatch/. Idempotent.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tarball=/usr/src/linux-source-6.1.tar.xz
prefix=linux-source-6.1
ks=$PMG_BUILD/kselftest
cp_dir=$PMG_BUILD/checkpatch
members=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)
outputs=(
	"$ks/kselftest_harness.h"
	"$ks/kselftest.h"
	"$cp_dir/checkpatch.pl"
	"$cp_dir/spelling.txt"
	"$cp_dir/const_structs.checkpatch"
)

[ -f "$tarball" ] || pmg_apt_install linux-source-6.1 xz-utils
command -v xz >/dev/null || pmg_apt_install xz-utils

# Up to date when every output exists and is newer than the tarball.
fresh=1
for f in "${outputs[@]}"; do
	[ "$f" -nt "$tarball" ] || fresh=0
done
[ "$fresh" = 1 ] && exit 0

pmg_log "extracting kselftest headers and checkpatch from $tarball"
mkdir -p "$PMG_BUILD"
tmp=$(mktemp -d "$PMG_BUILD/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# --occurrence lets tar stop once every member was found.
tar -xJf "$tarball" -C "$tmp" --occurrence=1 "${members[@]/#/$prefix/}"
mkdir -p "$ks" "$cp_dir"
for i in "${!members[@]}"; do
	mv -f "$tmp/$prefix/${members[$i]}" "${outputs[$i]}"
	touch "${outputs[$i]}"
done
chmod +x "$cp_dir/checkpatch.pl"
