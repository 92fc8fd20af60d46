#!/usr/bin/env bash
# The lines of `procmem-guard listen` in every format, checked with a
# parser other than the one the CLI's tests use (Python's json) and
# against what their consumers expect: tests/format/gen_lines.c writes
# findings, summaries, notices and listener events, ordinary and hostile,
# through the listener and listen's code; tests/format/check_lines.py
# checks them (UTF-8, length, JSON, exact bytes, Falcosidekick, ECS 8.17,
# Tracee v0.24.1's shape). One line per check:
#   PASS|FAIL format <what>: <detail>
# Exit status 0 (the lines are the verdict). Needs tools/libpmg.a
# (make tools). Env: PMG_BUILD (build), CC (cc).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=SCRIPTDIR/../vm/lib.sh
. "$top/tests/vm/lib.sh"

out=$PMG_BUILD/format
mkdir -p "$out"
rm -f "$out"/*.lines "$out/strings.json"
fail() {
	echo "FAIL format $1: $2"
	exit 0
}

pmg_apt_install python3 python3-yaml pkg-config libnl-3-dev \
	libnl-genl-3-dev libjson-c-dev >&2 ||
	fail setup "cannot install python3, python3-yaml and the headers"
[ -f "$top/tools/libpmg.a" ] || make -C "$top/tools" --no-print-directory >&2 ||
	fail setup "tools/ does not build"
# shellcheck disable=SC2046 # pkg-config's words are meant to split
if ! "${CC:-cc}" -std=gnu11 -O2 -g -Wall -Wextra -Werror -I"$top/include" \
	-I"$top/tools" $(pkg-config --cflags libnl-genl-3.0 json-c) \
	"$here/gen_lines.c" "$top/tools/libpmg.a" \
	$(pkg-config --libs libnl-genl-3.0 json-c) -o "$out/gen_lines" \
	>"$out/build.log" 2>&1; then
	sed 's/^/    | /' "$out/build.log" | tail -n 20
	fail build "tests/format/gen_lines.c does not build"
fi
"$out/gen_lines" "$out" || fail generate "gen_lines failed"
# Debian's python3, where python3-yaml went.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" "$here/check_lines.py" "$out" "$top" || fail check "check_lines.py failed"
exit 0
