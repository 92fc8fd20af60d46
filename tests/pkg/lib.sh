# shellcheck shell=bash
# Result lines for the tests/pkg scripts on the host. Set PMG_T to the
# label (pkg, deb, systest), then source this:
#   pass NAME            PASS <label> NAME
#   skip NAME REASON     SKIP <label> NAME (REASON)
#   fail NAME [DETAIL...]  FAIL <label> NAME, the details indented below it:
#                        lines, or @FILE for a file's last 30 lines
#   result NAME [DETAIL...]  pass without details, fail with them

pass() { echo "PASS $PMG_T $1"; }
skip() { echo "SKIP $PMG_T $1 ($2)"; }
fail() {
	local n=$1 d
	shift
	echo "FAIL $PMG_T $n"
	for d in "$@"; do
		if [ "${d:0:1}" = @ ]; then tail -n 30 "${d:1}"; else printf '%s\n' "$d"; fi
	done | sed 's/^/    | /'
}
result() {
	local n=$1
	shift
	if [ $# -eq 0 ]; then pass "$n"; else fail "$n" "$@"; fi
}
