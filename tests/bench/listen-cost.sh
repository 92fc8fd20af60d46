#!/usr/bin/env bash
# Instructions `listen` executes per finding, in userspace, for each
# format: tests/bench/listenbench.c (datagrams as the module builds them,
# through the listener's and listen's code, to /dev/null) under callgrind,
# counting the replay alone (--toggle-collect=replay). On the host; needs
# valgrind (installed if missing) and tools/libpmg.a (make tools).
#   tests/bench/listen-cost.sh [DATAGRAMS]        (100: 4,800 findings)
# Prints one line per format: "<format> <instructions per finding>".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=SCRIPTDIR/../vm/lib.sh
. "$top/tests/vm/lib.sh"

n=${1:-100}
out=$PMG_BUILD/bench
mkdir -p "$out"
pmg_apt_install valgrind pkg-config libnl-3-dev libnl-genl-3-dev libjson-c-dev
[ -f "$top/tools/libpmg.a" ] || make -C "$top/tools" --no-print-directory
# shellcheck disable=SC2046 # pkg-config's words are meant to split
"${CC:-cc}" -std=gnu11 -O2 -g -Wall -Wextra -Werror -I"$top/include" \
	-I"$top/tools" -I"$here" $(pkg-config --cflags libnl-genl-3.0 json-c) \
	"$here/listenbench.c" "$top/tools/libpmg.a" \
	$(pkg-config --libs libnl-genl-3.0 json-c) -o "$out/listenbench"
for fmt in text json tracee falco ecs; do
	log=$(valgrind --tool=callgrind --toggle-collect=replay \
		--callgrind-out-file="$out/callgrind.$fmt" \
		"$out/listenbench" "$fmt" "$n" 2>&1)
	ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$log")
	findings=$(sed -n 's/.*findings=\([0-9]*\).*/\1/p' <<<"$log")
	echo "$fmt $((ir / findings))"
done
