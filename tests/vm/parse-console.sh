#!/usr/bin/env bash
# Turn a guest console log into result lines
#   PASS|FAIL|SKIP <label> <suite>: <test>
# and print details (output of failing suites, offending kernel log lines)
# indented below them. Pieces are kept in OUTDIR/parsed/.
# usage: parse-console.sh LABEL CONSOLE.log OUTDIR
# Env: PMG_BOOT_NOTE, why the guest stopped (printed if it did not finish).
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")

[ $# -eq 3 ] || { echo "usage: $0 LABEL CONSOLE.log OUTDIR" >&2; exit 2; }
label=$1
console=$2
p=$3/parsed
rm -rf "$p"
mkdir -p "$p/suites"

# Split the log: suites/NNN.{name,out,rc,timeout,runner}, runner, dmesg,
# kmemleak.
awk -v dir="$p" '
{ sub(/\r+$/, "") }
index($0, "@@PMG-END@@") { print "1" > (dir "/ended"); next }
match($0, /@@PMG-SUITE-BEGIN [^@]*@@/) {
	n++
	cur = sprintf("%s/suites/%03d", dir, n)
	print substr($0, RSTART + 18, RLENGTH - 20) > (cur ".name")
	printf "" > (cur ".out")
	insuite = 1
	next
}
match($0, /@@PMG-SUITE-END [^@]*@@/) {
	if (insuite) {
		if (RSTART > 1)
			print substr($0, 1, RSTART - 1) > (cur ".out")
		m = substr($0, RSTART + 16, RLENGTH - 18)
		rc = m
		sub(/.* rc=/, "", rc)
		sub(/ .*/, "", rc)
		print rc > (cur ".rc")
		if (m ~ / timeout=/) {
			t = m
			sub(/.* timeout=/, "", t)
			sub(/ .*/, "", t)
			print t > (cur ".timeout")
		}
	}
	insuite = 0
	next
}
match($0, /@@PMG-RESULT [^@]*@@/) {
	print substr($0, RSTART + 13, RLENGTH - 15) > (n && !insuite ? cur ".runner" : dir "/runner")
	next
}
index($0, "@@PMG-DMESG-BEGIN@@") { indmesg = 1; printf "" > (dir "/dmesg"); next }
index($0, "@@PMG-DMESG-END@@") { indmesg = 0; next }
match($0, /@@PMG-KMEMLEAK-BEGIN[^@]*@@/) {
	j = substr($0, RSTART, RLENGTH)
	sub(/^[^=]*=?/, "", j)
	sub(/@@$/, "", j)
	print j > (dir "/kmemleak.jiffies")
	inleak = 1
	printf "" > (dir "/kmemleak")
	next
}
index($0, "@@PMG-KMEMLEAK-END@@") { inleak = 0; next }
insuite { print > (cur ".out") }
indmesg { print > (dir "/dmesg") }
inleak { print > (dir "/kmemleak") }
' "$console"

indent() { sed 's/^/    | /'; }

# Boot.
if [ -f "$p/ended" ]; then
	echo "PASS $label boot: guest ran to completion"
else
	echo "FAIL $label boot: guest did not reach the end marker${PMG_BOOT_NOTE:+ ($PMG_BOOT_NOTE)}"
	echo "    last 50 console lines ($console):"
	tail -n 50 "$console" | tr -d '\r' | indent
fi

# Suites.
shopt -s nullglob
for f in "$p"/suites/*.name; do
	b=${f%.name}
	suite=$(cat "$f")
	rc=$(cat "$b.rc" 2>/dev/null || true)
	tmo=$(cat "$b.timeout" 2>/dev/null || true)
	res=$(awk -f "$here/tap.awk" -v label="$label" -v suite="$suite" \
		-v rc="$rc" -v timeout="$tmo" "$b.out")
	if [ -f "$b.runner" ]; then
		res+=$'\n'$(sed "s/^\([A-Z]*\) /\1 $label /" "$b.runner")
	fi
	[ -z "$res" ] || printf '%s\n' "$res"
	if grep -q '^FAIL ' <<<"$res"; then
		echo "    output of $suite (last 100 lines):"
		tail -n 100 "$b.out" | indent
	fi
done

# Findings of the guest runner outside any suite.
[ ! -f "$p/runner" ] || sed "s/^\([A-Z]*\) /\1 $label /" "$p/runner"

# Kernel log: one failed test per class of report found.
src=$p/dmesg
if [ ! -f "$src" ]; then
	src=$console
	echo "    no kernel log dump: scanning the console instead"
fi
classes=(
	'BUG:=BUG:'
	'kernel BUG at=kernel BUG at'
	'SLUB BUG=BUG [a-z0-9_-]+ \((Not t|T)ainted'
	'WARNING:=WARNING:'
	'Oops=Oops|: [0-9a-f][0-9a-f][0-9a-f][0-9a-f] \[#[0-9]+\]'
	'KASAN=KASAN'
	'UBSAN=UBSAN'
	'possible recursive locking=possible recursive locking'
	'possible circular locking=possible circular locking'
	'inconsistent lock state=inconsistent lock state'
	'DEBUG_LOCKS_WARN_ON=DEBUG_LOCKS_WARN_ON'
	'suspicious RCU usage=suspicious RCU usage'
	'sleeping function called from invalid context=sleeping function called from invalid context'
	'blocked for more than=blocked for more than'
	'soft lockup=soft lockup'
	'hard LOCKUP=hard LOCKUP'
	'RCU stall=rcu.*detected stall'
	'Call Trace=Call Trace'
	'general protection fault=general protection fault'
	'refcount_t:=refcount_t:'
	'list_add corruption=list_add corruption'
	'list_del corruption=list_del corruption'
	'Kernel panic=Kernel panic'
)
clean=1
for c in "${classes[@]}"; do
	what=${c%%=*}
	# Matching lines, each tagged with the suite that was running.
	hits=$(RE=${c#*=} awk '
		BEGIN { re = ENVIRON["RE"] }
		{ sub(/\r+$/, "") }
		/pmg-runner: begin / { s = $0; sub(/.*pmg-runner: begin /, "", s) }
		/@@PMG-SUITE-BEGIN / { s = $0; sub(/.*@@PMG-SUITE-BEGIN /, "", s); sub(/@@.*/, "", s) }
		/pmg-runner: end |@@PMG-SUITE-END / { s = "" }
		$0 ~ re { print (s != "" ? "[" s "] " : "") $0 }
	' "$src")
	[ -n "$hits" ] || continue
	clean=0
	echo "FAIL $label dmesg: dmesg clean ($label): $what"
	head -n 20 <<<"$hits" | indent
	n=$(wc -l <<<"$hits")
	[ "$n" -le 20 ] || echo "    ... $((n - 20)) more lines in $src"
done
# kmemleak: only objects allocated once the suites started (by jiffies).
if [ -f "$p/kmemleak" ]; then
	# One line per dump (the runner's, init's): the same start.
	j0=$(head -n 1 "$p/kmemleak.jiffies" 2>/dev/null || true)
	awk -v j0="$j0" -v old="$p/kmemleak.boot" '
		function flush() {
			if (keep)
				printf "%s", buf
			else
				printf "%s", buf > old
			buf = ""
		}
		/^unreferenced object/ { flush(); keep = 1; dated = 0 }
		!dated && j0 != "" && match($0, /jiffies [0-9]+/) {
			keep = (substr($0, RSTART + 8, RLENGTH - 8) + 0 >= j0 + 0)
			dated = 1
		}
		{ buf = buf $0 "\n" }
		END { flush() }
	' "$p/kmemleak" >"$p/kmemleak.suites"
	if grep -q 'unreferenced object' "$p/kmemleak.suites"; then
		clean=0
		echo "FAIL $label dmesg: dmesg clean ($label): kmemleak: unreferenced object"
		head -n 40 "$p/kmemleak.suites" | indent
	fi
	n=$(grep -c 'unreferenced object' "$p/kmemleak.boot" 2>/dev/null || true)
	[ "${n:-0}" -eq 0 ] || echo "    kmemleak: ignored ${n} object(s) allocated before the suites started"
fi
[ "$clean" = 0 ] || echo "PASS $label dmesg: dmesg clean ($label)"
