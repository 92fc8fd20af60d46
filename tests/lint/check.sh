#!/usr/bin/env bash
# Run every static check of mk/lint.mk and print one line per tool:
#   PASS lint <tool>
#   FAIL lint <tool>            (its findings follow, indented)
# Tools: layers (module/ flows one way), checkpatch, sparse, w1 (module
# build with W=1), cppcheck, clang-tidy, shellcheck. Exit status 0: the
# lines are the verdict.
# Env: PMG_LINT (tools to run, space separated; default all), and what
# mk/lint.mk takes (KDIR, LINT_KDIR, LINT_TIDY).
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../vm/lib.sh
. "$top/tests/vm/lib.sh"

tools=${PMG_LINT:-layers checkpatch sparse w1 cppcheck clang-tidy shellcheck}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Install what is missing once, up front (the make targets check again).
make -C "$top" --no-print-directory -s lint-deps >"$log" 2>&1 ||
	{ echo "    lint-deps:"; sed 's/^/    | /' "$log"; }

for t in $tools; do
	start=$(date +%s)
	if make -C "$top" --no-print-directory -s "lint-$t" >"$log" 2>&1; then
		echo "PASS lint $t: $(($(date +%s) - start)) s"
	else
		echo "FAIL lint $t: $(($(date +%s) - start)) s"
		head -n 200 "$log" | sed 's/^/    | /'
		n=$(wc -l <"$log")
		[ "$n" -le 200 ] || echo "    ... $((n - 200)) more lines"
	fi
done
exit 0
