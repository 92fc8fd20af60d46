#!/usr/bin/env bash
# Documentation checks, on the host (make check runs them): what the README,
# the man page and the CLI's help say must agree, and the README's walk-
# through must work. One line per check:
#   PASS|FAIL|SKIP host docs: <check>   (a failure's details indented below)
# The checks:
#   synopsis    the usage lines of every command's help (procmem-guard
#               --help, help <command>) are the man page's SYNOPSIS and the
#               README's "Commands" block, no more and no less
#   options     every option a command's help names is in that command's
#               section of the man page, short and long forms together
#   settings    the settings config set takes, with their values, are the
#               module's policy parameters (module/params.c), the man
#               page's MODULE PARAMETERS and config set entries, and the
#               policy file's directives (help apply, man POLICY FILE);
#               README, examples and modprobe.d file use no old spelling
#   counters    the counters of help status are those the man page lists
#   exit-codes  the exit statuses of --help are the man page's and README's
#   license     LICENSE is Debian's GPL-2 text; every SPDX tag is a known one
#   readme      a fresh copy of the tree (the files git knows), walked
#               through as the README says: every command in its console
#               blocks is either run (make, with KDIR set to Debian 12's
#               6.1 headers from tests/vm/kernel.sh; apply --check on the
#               policy its config export sample shows and on the shipped
#               examples/policy) or listed below as needing the module,
#               root on a real system or the network; its apt-get line
#               holds every package the build can ask for
#   build-deps  make names the missing Debian packages instead of failing
#               in the compiler
#   errors      what the CLI says to the mistakes the README's users made
#   journal     under systemd, listen's messages are JSON lines too
#               (bad arguments, a directory as policy, relative or
#               non-regular exe paths, an empty policy, old spellings, no
#               module loaded), with the exit status
# Env: PMG_DOCS_KEEP=1 keeps the work directory.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/vm/lib.sh
. "$top/tests/vm/lib.sh"

W=$(mktemp -d /tmp/pmg-docs.XXXXXX)
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ "${PMG_DOCS_KEEP:-}" = 1 ]; then pmg_log "docs: work directory kept: $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS host docs: $1"; }
fail() {
	local n=$1
	shift
	echo "FAIL host docs: $n"
	printf '%s\n' "$@" | sed 's/^/    | /'
}
result() {
	local n=$1
	shift
	if [ $# -eq 0 ]; then pass "$n"; else fail "$n" "$@"; fi
}

man8=$top/packaging/procmem-guard.8
readme=$top/README.md
cli=$top/tools/procmem-guard
if [ ! -x "$cli" ] && ! make -s -C "$top" tools >"$W/tools.log" 2>&1; then
	fail build "make tools failed" "$(tail -n 20 "$W/tools.log")"
	exit 0
fi

# The text of the man page, in ASCII, wide enough that no line wraps.
man_text() {
	MANWIDTH=250 LC_ALL=C man -l "$man8" 2>/dev/null | col -b
}

# Usage entries of a text on stdin: the words after each "procmem-guard",
# one entry a line, lowercased, blanks squeezed.
entries() {
	tr '\n' ' ' | sed 's/Usage://g; s/procmem-guard /\n/g' |
		tr '[:upper:]' '[:lower:]' | sed 's/[[:space:]]\{1,\}/ /g; s/^ //; s/ $//' |
		grep -v '^$'
}

# The usage block of a help text on stdin: from "Usage:" to an empty line.
usage_block() {
	sed -n '/^Usage:/,/^$/p'
}

# The commands --help lists.
mapfile -t cmds < <("$cli" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | grep -vx help)

# Section NAME of the man page source (from ".SS NAME" or ".SH NAME" to
# the next heading of either kind).
man_section() {
	awk -v s="$1" '
		/^\.S[SH] / { on = ($0 == ".SS " s || $0 == ".SH " s); next }
		on' "$man8"
}

# --- synopsis ------------------------------------------------------------------
{
	"$cli" --help | usage_block | entries | grep -v '^<command>'
	for c in "${cmds[@]}"; do "$cli" help "$c" | usage_block | entries; done
} | sort -u >"$W/syn.help"
man_text | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | entries | sort -u >"$W/syn.man"
awk '/^## Commands/ { on = 1; next } /^## / { on = 0 }
	on && /^```/ { n++; next } on && n == 1' "$readme" | entries | sort -u >"$W/syn.readme"
d=()
[ -s "$W/syn.help" ] || d+=("no usage lines in the help")
while read -r l; do d+=("man SYNOPSIS: $l"); done < <(comm -3 "$W/syn.help" "$W/syn.man" |
	sed 's/^\t/only in the man page: /; /^only/!s/^/only in the help: /')
while read -r l; do d+=("README Commands: $l"); done < <(comm -3 "$W/syn.help" "$W/syn.readme" |
	sed 's/^\t/only in the README: /; /^only/!s/^/only in the help: /')
result synopsis "${d[@]}"

# --- options ---------------------------------------------------------------------
# A command whose options the man page describes in a section of their own
# too: listen's senders (--syslog, --post, ...).
declare -A more_sections=([listen]="SENDING FINDINGS")
d=()
for c in "${cmds[@]}"; do
	sec=$(man_section "$c")
	[ -z "${more_sections[$c]:-}" ] || sec+=$'\n'$(man_section "${more_sections[$c]}")
	[ -n "$sec" ] || { d+=("no section '.SS $c' in the man page"); continue; }
	help=$("$cli" help "$c")
	while read -r o; do
		grep -qF -- "${o//-/\\-}" <<<"$sec" || d+=("$c $o: not in the man page's section $c")
	done < <(grep -oE -- '(^|[][ |,(])--[a-z][a-z-]*' <<<"$help" | grep -oE -- '--[a-z-]+' | sort -u)
	while read -r s l; do
		grep -qF -- ".BR ${s//-/\\-} \", \" ${l//-/\\-}" <<<"$sec" ||
			d+=("$c $s, $l: not in the man page's section $c as '.BR ${s//-/\\-} \", \" ${l//-/\\-}'")
	done < <(sed -n 's/^ *\(-[a-zA-Z]\), \(--[a-z-]*\).*/\1 \2/p' <<<"$help")
done
result options "${d[@]}"

# --- settings --------------------------------------------------------------------
# "name values" pairs, values with braces, blanks, <>, quotes and font
# escapes taken out and lowercased: off|alert|block, n/s|off, n, on|off.
norm_values() {
	sed -e 's/\\f[BIR]//g; s/\\-/-/g; s/["{}<> ]//g' | tr '[:upper:]' '[:lower:]'
}
# The "name values" pairs of a list on stdin, values normalized, sorted.
pairs() {
	while read -r k v; do echo "$k $(norm_values <<<"$v")"; done | sort
}
help_settings=$("$cli" help config | sed -n 's/^  \([a-z_]*\)=\([^ ]*\) .*/\1 \2/p' | pairs)
mod_params=$(sed -n 's/^module_param_\(cb\|named\)(\([a-z_]*\),.*/\2/p' "$top/module/params.c" |
	grep -Evx 'lock|rate_entries|ring_records' | sort)
d=()
[ -n "$help_settings" ] || d+=("no settings in 'help config'")
[ "$(cut -d' ' -f1 <<<"$help_settings")" = "$mod_params" ] ||
	d+=("config set keys: $(cut -d' ' -f1 <<<"$help_settings" | tr '\n' ' ')" "module parameters: $(tr '\n' ' ' <<<"$mod_params")")
# same_settings WHERE PAIRS: PAIRS are the settings of help config.
same_settings() {
	[ "$2" = "$help_settings" ] ||
		d+=("$1 differs from help config:" "$(diff <(echo "$help_settings") <(echo "$2") | grep '^[<>]')")
}
same_settings "man MODULE PARAMETERS" "$(man_section "MODULE PARAMETERS" |
	sed -n 's/^\.BR \([a-z_]*\)= \(.*\)/\1 \2/p' | grep -Ev '^(lock|rate_entries|ring_records) ' | pairs)"
same_settings "man config set" "$(man_section config | sed -n 's/^\.BR \([a-z_]*\)= \(.*\)/\1 \2/p' | pairs)"
same_settings "help apply (policy directives)" "$("$cli" help apply |
	sed -n 's/^  \([a-z_][a-z_]*\) \([^ ]*\)  .*/\1 \2/p' | grep -v '^allow ' | pairs)"
same_settings "man POLICY FILE" "$(man_section "POLICY FILE" |
	awk '/^\.T[PQ]$/ { tag = 1; next } tag { print } { tag = 0 }' |
	sed -n 's/^\.BR \([a-z_]*\) \(.*\)/\1 \2/p' | grep -v '^allow ' | pairs)"
for f in README.md examples/policy packaging/procmem-guard.modprobe.conf; do
	grep -n -e 'report-allowed' -e 'pace_ms' -e '_allowed=[01]' -e 'log=[01]' -e 'lock=[01]' "$top/$f" |
		sed "s|^|$f: old spelling: |" >"$W/old"
	while read -r l; do d+=("$l"); done <"$W/old"
done
result settings "${d[@]}"

# --- counters --------------------------------------------------------------------
help_counters=$("$cli" help status | sed -n '/^Counters/,/^A counter/s/^  \([a-z_]*\) .*/\1/p' | sort)
man_counters=$(man_section status | sed -n '/^\.TP 18/,/^\.PP/s/^\.B \([a-z_]*\)$/\1/p' | sort)
d=()
[ -n "$help_counters" ] || d+=("no counters in 'help status'")
[ "$help_counters" = "$man_counters" ] ||
	d+=("help status and the man page's status section differ:" "$(diff <(echo "$help_counters") <(echo "$man_counters") | grep '^[<>]')")
result counters "${d[@]}"

# --- exit codes ----------------------------------------------------------------
d=()
for code in $("$cli" --help | sed -n 's/^  \([0-9]\)  .*/\1/p'); do
	man_section "EXIT STATUS" | grep -qx "\.B $code" || d+=("exit status $code is not in the man page")
	grep -qE "[ (]$code [a-z]" <(awk '/^## Commands/,/^## How/' "$readme") || d+=("exit status $code is not in the README's Commands")
done
result exit-codes "${d[@]}"

# --- license ---------------------------------------------------------------------
d=()
if [ -r /usr/share/common-licenses/GPL-2 ]; then
	cmp -s "$top/LICENSE" /usr/share/common-licenses/GPL-2 || d+=("LICENSE is not /usr/share/common-licenses/GPL-2")
else
	grep -q 'GNU GENERAL PUBLIC LICENSE' "$top/LICENSE" && grep -q 'Version 2, June 1991' "$top/LICENSE" ||
		d+=("LICENSE is not the GPL version 2")
fi
while read -r l; do d+=("unknown SPDX tag: $l"); done < <(cd "$top" && git ls-files -z 2>/dev/null |
	xargs -0 grep -H 'SPDX-License-Identifier:' 2>/dev/null |
	grep -v -e 'Identifier: GPL-2.0\( \*/\)\?$' -e 'Identifier: GPL-2.0-only\( \*/\)\?$' \
		-e 'Identifier: GPL-2.0 WITH Linux-syscall-note\( \*/\)\?$' -e '^tests/docs/check.sh:')
result license "${d[@]}"

# --- errors: what the CLI says to a mistake, without the module ------------------
# Each case: exit status, a line stderr must hold, the command's arguments.
printf '# nothing\n' >"$W/empty.policy"
printf 'report-allowed on\nallow exe=/bin/sh\n' >"$W/old.policy"
errors=(
	"1|procmem-guard: allow del: 'abc' is not a rule id: 'allow list' shows them|allow del abc"
	"1|Usage: procmem-guard allow list [--json]|allow list x"
	"1|Usage: procmem-guard config export|config export now"
	"1|procmem-guard: allow: no such action 'frob'|allow frob"
	"1|procmem-guard: help takes one command name: 'procmem-guard help listen'|help listen extra"
	"1|procmem-guard: /tmp: is a directory, not a policy file|apply /tmp"
	"1|procmem-guard: allow add: exe=usr/bin/gdb: the path must be absolute|allow add --exe usr/bin/gdb"
	"1|procmem-guard: allow add: exe=/tmp: not a regular file (a directory)|allow add --exe /tmp"
	"1|--allow-empty if that is what you want|apply --check $W/empty.policy"
	"0|$W/old.policy:1: warning: 'report-allowed' is spelled 'report_allowed' now|apply --check $W/old.policy"
	"0|$W/old.policy:2: warning: exe=$(readlink -f /bin/sh) without uid= or cgroup= is advisory|apply --check $W/old.policy"
	"0|Usage: procmem-guard config show [--json]|config set --help"
	"3|procmem-guard: module not loaded: load it with 'modprobe procmem_guard' or 'systemctl start procmem-guard'|status"
	"3|procmem-guard: module not loaded: load it with|allow list"
)
d=()
if [ -d /sys/module/procmem_guard ]; then
	d+=("procmem_guard is loaded on this host: the 'module not loaded' cases cannot run")
fi
for e in "${errors[@]}"; do
	want_rc=${e%%|*}
	rest=${e#*|}
	want=${rest%%|*}
	args=${rest#*|}
	[ "$want_rc" != 3 ] || [ ! -d /sys/module/procmem_guard ] || continue
	# shellcheck disable=SC2086 # the arguments are words
	"$cli" $args >"$W/err.out" 2>&1
	rc=$?
	[ "$rc" = "$want_rc" ] || d+=("procmem-guard $args: exit status $rc, not $want_rc")
	grep -qF -- "$want" "$W/err.out" || d+=("procmem-guard $args: no line '$want':" "$(head -n 5 "$W/err.out")")
done
result errors "${d[@]}"

# --- journal: under systemd, every line listen writes is JSON ----------------------
# Standard error is the journal when JOURNAL_STREAM names it (device:inode):
# then a JSON format's messages are JSON lines too, so that
# `journalctl _SYSTEMD_UNIT=procmem-guard.service -o cat | jq -c .` reads all.
d=()
: >"$W/journal"
js=$(stat -c '%d:%i' "$W/journal")
JOURNAL_STREAM=$js "$cli" listen --format json 2>>"$W/journal" >>"$W/journal"
[ -s "$W/journal" ] || d+=("listen wrote nothing")
jq -e -s 'length > 0 and all(.type == "listener")' "$W/journal" >/dev/null 2>&1 ||
	d+=("not every line is a JSON object of type listener:" "$(head -n 3 "$W/journal")")
JOURNAL_STREAM=$js "$cli" listen --format text >/dev/null 2>"$W/journal"
grep -q '^procmem-guard: ' "$W/journal" ||
	d+=("--format text does not keep plain messages")
result journal "${d[@]}"

# --- readme: the walk-through on a fresh copy -------------------------------------
copy=$W/src
mkdir -p "$copy"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard | sort -u | cpio -pdm --quiet "$copy")
else
	(cd "$top" && find . \( -path ./build -o -path ./.git \) -prune -o -type f -print | cpio -pdm --quiet "$copy")
fi
k61=$("$top/tests/vm/kernel.sh" 6.1 2>/dev/null | sed -n 's/^KDIR=//p')
# The README's policy samples name /usr/bin/strace, which apply --check
# resolves.
[ -x /usr/bin/strace ] || pmg_apt_install strace >"$W/apt.log" 2>&1

# Every command of the README's console blocks, with the output it shows:
# $W/rd/<n>.cmd and <n>.out.
mkdir -p "$W/rd"
awk -v dir="$W/rd" '
	/^```console/ { on = 1; next }
	/^```/ { on = 0; next }
	!on { next }
	/^\$ / { n++; cmd = substr($0, 3); cont = (cmd ~ /\\$/)
		 printf "%s\n", cmd > (dir "/" n ".cmd"); printf "" > (dir "/" n ".out"); next }
	cont { printf "%s\n", $0 >> (dir "/" n ".cmd"); cont = ($0 ~ /\\$/); next }
	n { print >> (dir "/" n ".out") }' "$readme"

# What each README command is: run HOW, or skip WHY. Patterns over the
# command without "sudo " and without its comment.
classify() {
	case $1 in
	"make") echo "run make" ;;
	"procmem-guard apply --check "*) echo "run check" ;;
	"insmod "* | "rmmod "* | "tools/procmem-guard "* | "procmem-guard "* | "head -c 1 /proc/1/mem")
		echo "skip needs the module loaded" ;;
	"make install"* | "make uninstall"* | "make dkms-"* | "systemctl "* | "journalctl "* | "dkms status" | \
		"mokutil "* | "reboot" | "vi "* | "cp "* | "apt-get install mokutil" | "apt-get install --no-install-recommends dkms")
		echo "skip changes the system, or needs root on a real one" ;;
	"apt-get install"*) echo "skip packages (tests/vm/deps.sh installs them; the list is checked)" ;;
	"make deb"*) echo "skip tests/pkg/deb.sh builds the packages and tests them on a booted Debian 12" ;;
	*) echo "unknown" ;;
	esac
}

d=()
ran=()
export PATH="$copy/tools:$PATH"
ncmds=$(find "$W/rd" -name '*.cmd' | wc -l)
for i in $(seq 1 "$ncmds"); do
	f=$W/rd/$i.cmd
	raw=$(sed 's/\\$//' "$f" | tr '\n' ' ' | sed 's/[[:space:]]\{1,\}/ /g; s/ $//')
	cmd=${raw#sudo }
	cmd=${cmd%% \#*}
	what=$(classify "$cmd")
	out=${f%.cmd}.out
	case $what in
	unknown) d+=("README command not known to this test (run it, or say why not): $raw") ;;
	"run make")
		if [ -z "$k61" ]; then
			d+=("no 6.1 kernel headers (tests/vm/kernel.sh 6.1) to build against")
		elif ! make -C "$copy" -j2 KDIR="$k61" >"$W/make.log" 2>&1; then
			d+=("make failed in the fresh copy:" "$(tail -n 20 "$W/make.log")")
		elif [ ! -f "$copy/procmem_guard.ko" ] || [ ! -x "$copy/tools/procmem-guard" ]; then
			d+=("make built no procmem_guard.ko or tools/procmem-guard")
		else
			ran+=("make")
			# The README shows the end of make's output.
			last=$(grep -v '^\.\.\.$' "$out" | head -n 1)
			[ -z "$last" ] || grep -qF -- "${last#  }" "$W/make.log" ||
				d+=("make's output has no line '$last'")
		fi
		;;
	"run check")
		file=${cmd##* }
		if [ ! -s "$copy/$file" ] && [ -s "$W/export.sample" ]; then
			cp "$W/export.sample" "$copy/$file"
		fi
		if (cd "$copy" && tools/procmem-guard apply --check "$file") >"$W/check.out" 2>&1 &&
			cmp -s "$W/check.out" "$out"; then
			ran+=("$cmd")
		else
			d+=("'$cmd' in the copy printed (README shows: $(tr '\n' ' ' <"$out")):" "$(cat "$W/check.out")")
		fi
		;;
	esac
	# The export sample: what the README shows config export print.
	case $cmd in "procmem-guard config export") cp "$out" "$W/export.sample" ;; esac
done
# The shipped policy, and the export sample, checked as the service reads them.
(cd "$copy" && tools/procmem-guard apply --check examples/policy) >"$W/shipped" 2>&1 ||
	d+=("apply --check examples/policy fails:" "$(cat "$W/shipped")")
[ ! -s "$W/shipped" ] || d+=("apply --check examples/policy is not silent:" "$(cat "$W/shipped")")
if [ -s "$W/export.sample" ]; then
	(cd "$copy" && tools/procmem-guard apply --check "$W/export.sample") >"$W/sample" 2>&1 ||
		d+=("the README's config export sample does not read back:" "$(cat "$W/sample")")
	ran+=("apply --check on the export sample")
else
	d+=("no config export sample in the README")
fi
# The help of every command, from the copy.
for c in "${cmds[@]}"; do
	(cd "$copy" && tools/procmem-guard help "$c") >/dev/null 2>&1 || d+=("help $c fails")
done
# The packages of the README's apt-get line: every one the build can ask for.
# shellcheck disable=SC2016 # $(uname -r) as the README writes it
apt_line=$(cat "$W"/rd/*.cmd | tr '\n' ' ' | grep -o 'apt-get install --no-install-recommends make [^$]*\$(uname -r)' | head -n 1)
# shellcheck disable=SC2016 # $(uname -r) as the README writes it
for p in make $(sed -n 's/.*need \([a-z0-9.+-]*\) ".*/\1/p' "$top/mk/build-deps.sh" | sort -u) 'linux-headers-$(uname -r)'; do
	grep -qF -- " $p" <<<" $apt_line" || d+=("README's apt-get line lacks $p: $apt_line")
done
[ ${#ran[@]} -ge 3 ] || d+=("ran only: ${ran[*]}")
result readme "${d[@]}"

# --- build-deps --------------------------------------------------------------------
d=()
if PKG_CONFIG_LIBDIR=/nonexistent make -C "$copy/tools" clean all >"$W/deps.log" 2>&1; then
	d+=("make -C tools succeeded without libnl and json-c")
else
	for p in libnl-3-dev libnl-genl-3-dev libjson-c-dev "apt-get install --no-install-recommends"; do
		grep -qF -- "$p" "$W/deps.log" || d+=("make -C tools did not name $p:" "$(tail -n 8 "$W/deps.log")")
	done
	grep -q 'error:' "$W/deps.log" && d+=("make -C tools reached the compiler:" "$(grep 'error:' "$W/deps.log" | head -n 3)")
fi
if make -C "$copy" module KDIR="$W/no-such-kernel" >"$W/kdir.log" 2>&1; then
	d+=("make module succeeded without a kernel build tree")
else
	grep -q "KDIR=$W/no-such-kernel is not a kernel build tree" "$W/kdir.log" ||
		d+=("make module did not say KDIR is not a kernel build tree:" "$(tail -n 5 "$W/kdir.log")")
fi
result build-deps "${d[@]}"
exit 0
