#!/bin/sh
# Policy as code, against the module: `config export` prints the running
# policy and applying it changes nothing (rule ids included); `apply --diff`
# prints what would change and changes nothing; `apply` prints what it
# changed and keeps the settings a file leaves out; an empty file is refused
# unless --allow-empty; an exe rule turns stale when its path is replaced,
# still allows the old file and not the new one, and applying the policy
# again makes it follow; the module parameters (as modprobe.d gives them)
# and the service's policy step (from packaging/procmem-guard.service, with
# the shipped examples/policy) behave as the policy file's documentation
# says; status and the policy commands as an unprivileged user.
# shellcheck source=tests/guest/suites/pmg-lib.sh
. "${PMG_SUITES_DIR:-/suites}/pmg-lib.sh"
mod=${PMG_MODULE:-/lib/procmem_guard.ko}
cli=${PMG_CLI:-/usr/sbin/procmem-guard}
share=/usr/share/pmg
T=/tmp/pmg-policy-file
echo "TAP version 13"
echo "1..22"

tap_n=0	# (pmg-lib.sh's pmg_unload uses n)
# check DESCRIPTION COMMAND...: one TAP line; the output of a failure
# follows as comments.
check() {
	d=$1
	shift
	tap_n=$((tap_n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $tap_n $d"
	else
		echo "not ok $tap_n $d"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}
# same FILE EXPECTED: the file holds exactly the lines EXPECTED (none if
# EXPECTED is empty).
same() {
	if [ -z "$2" ]; then
		: >"$1.want"
	else
		printf '%s\n' "$2" >"$1.want"
	fi
	diff -u "$1.want" "$1"
}
# stat_of NAME: a counter, from status --json.
stat_of() {
	"$cli" status --json | jq -r ".stats.$1"
}

rm -rf "$T"
mkdir -p "$T/bin"
cg=/sys/fs/cgroup/pmg-policy-file
mkdir -p "$cg"

# --- export and apply round trip ---------------------------------------------
insmod "$mod" || exit 1
cp /bin/busybox "$T/bin/cat"
cat >"$T/p1" <<EOF
# a policy with every kind of setting and selector
read alert
write block
attach alert
ratelimit 5/s
burst 7
log on
report_allowed off
allow exe=$T/bin/cat uid=0 access=read,attach channel=proc-mem,ptrace
allow uid=4242 access=read-write
allow cgroup=$cg access=read channel=process-vm
allow self
EOF
"$cli" apply "$T/p1" >"$T/applied1" 2>"$T/err1"
check "apply prints what it changed" grep -qx "+allow self" "$T/applied1"
"$cli" config export >"$T/e1" 2>"$T/e1.err"
"$cli" allow list >"$T/l1"
# The export: a header, then p1's lines (p1 is written as export writes).
check "config export prints the running policy with the exe path" same "$T/e1" \
"# The policy of procmem_guard $PMG_VERSION, as 'procmem-guard config export' printed it.
# 'procmem-guard apply FILE' makes it the module's policy; see procmem-guard(8).
$(sed 1d "$T/p1")"
"$cli" apply --diff "$T/e1" >"$T/d1"
check "apply --diff of the export prints nothing" same "$T/d1" ""
"$cli" apply "$T/e1" >"$T/a1"
"$cli" allow list >"$T/l2"
"$cli" config export >"$T/e2"
check "applying the export changes nothing: no output, same rule ids, same export" \
	sh -c "[ ! -s '$T/a1' ] && cmp '$T/l1' '$T/l2' && cmp '$T/e1' '$T/e2'"

# --- apply --diff -------------------------------------------------------------
cat >"$T/p2" <<EOF
read block
ratelimit off
allow uid=4242 access=read-write
allow self
allow uid=7 channel=pidfd-getfd
EOF
"$cli" apply --diff "$T/p2" >"$T/d2"
check "apply --diff prints the changes as policy lines" same "$T/d2" \
"-read alert
+read block
-ratelimit 5/s
+ratelimit off
-allow exe=$T/bin/cat uid=0 access=read,attach channel=proc-mem,ptrace
-allow cgroup=$cg access=read channel=process-vm
+allow uid=7 channel=pidfd-getfd"
"$cli" config export >"$T/e3"
check "apply --diff changes nothing" cmp "$T/e1" "$T/e3"
"$cli" apply "$T/p2" >"$T/a2"
check "apply prints the same changes" cmp "$T/d2" "$T/a2"
"$cli" config show >"$T/c2"
check "settings the file leaves out keep their running values" \
	grep -qx "write: block" "$T/c2"
check "and the file's settings are in force" \
	sh -c "grep -qx 'read: block' '$T/c2' && grep -qx block /sys/module/procmem_guard/parameters/read"

# --- empty files ---------------------------------------------------------------
printf '# nothing but comments\n\n' >"$T/empty"
check "an empty policy is refused and changes nothing" \
	sh -c "if '$cli' apply '$T/empty' 2>'$T/empty.err'; then exit 1; fi; grep -q 'allow-empty' '$T/empty.err' && [ \$('$cli' allow list | grep -c .) -eq 3 ]"
check "with --allow-empty it applies: no rule left, settings kept" \
	sh -c "'$cli' apply --allow-empty '$T/empty' >/dev/null && [ -z \"\$('$cli' allow list)\" ] && '$cli' config show | grep -qx 'read: block'"

# --- stale exe rules ---------------------------------------------------------
"$cli" config set read=alert >/dev/null
printf 'allow exe=%s uid=0 access=read\n' "$T/bin/cat" >"$T/p3"
"$cli" apply "$T/p3" >/dev/null
mkdir "$T/old"
ln "$T/bin/cat" "$T/old/cat"	# keeps the rule's file reachable
before=$(stat_of allowed)
"$T/old/cat" /proc/1/mem >/dev/null 2>&1
after=$(stat_of allowed)
check "an exe rule allows its file" [ "$after" -gt "$before" ]
cp /bin/busybox "$T/bin/cat.new"
mv "$T/bin/cat.new" "$T/bin/cat"	# a package upgrade: a new file
"$cli" allow list >"$T/l3"
check "allow list marks the rule stale" \
	grep -q "exe=$T/bin/cat uid=0 access=read  # stale: the path now names another file" "$T/l3"
before=$(stat_of allowed)
"$T/old/cat" /proc/1/mem >/dev/null 2>&1
mid=$(stat_of allowed)
"$T/bin/cat" /proc/1/mem >/dev/null 2>&1
after=$(stat_of allowed)
check "a stale rule still allows the old file, not the new one" \
	sh -c "[ $mid -gt $before ] && [ $after -eq $mid ]"
"$cli" config export >"$T/e4" 2>"$T/e4.err"
check "config export marks it, on stdout and stderr" \
	sh -c "grep -q '^# stale: ' '$T/e4' && grep -q 'stale: ' '$T/e4.err'"
"$cli" apply "$T/p3" >"$T/a4"
check "applying the policy again replaces it" same "$T/a4" \
"-allow exe=$T/bin/cat uid=0 access=read  # stale: the path now names another file
+allow exe=$T/bin/cat uid=0 access=read"
before=$(stat_of allowed)
"$T/bin/cat" /proc/1/mem >/dev/null 2>&1
after=$(stat_of allowed)
check "and the rule follows the new file" \
	sh -c "[ $after -gt $before ] && ! '$cli' allow list | grep -q stale"
pmg_unload

# --- module parameters and the service's policy step --------------------------
# The step of procmem-guard.service that applies /etc/procmem-guard/policy,
# run as the unit runs it, on the shipped policy.
step=$(sed -n "s/^ExecStartPre=+\/bin\/sh -c '\(.*apply.*\)'\$/\1/p" \
	"$share/procmem-guard.service" | sed -e 's/\$\$/$/g' \
	-e "s|/etc/procmem-guard/policy|$share/policy|g" \
	-e "s|/usr/local/sbin/procmem-guard|$cli|g")
insmod "$mod" read=block attach=block write=alert log=off report_allowed=on || exit 1
check "on/off module parameters" \
	sh -c "'$cli' config show | grep -qx 'log: off' && '$cli' config show | grep -qx 'report_allowed: on'"
sh -c "$step" >"$T/service" 2>&1
"$cli" config show >"$T/c5"
check "the service's policy step keeps what modprobe set and the policy leaves out, and sets what it gives" \
	same "$T/c5" \
"read: block
write: block
attach: block
ratelimit: 10/s
burst: 20
log: off
report_allowed: on
locked: no"
# The unit's standard output is the listener's JSON in the journal: the
# step says nothing there (the listeners get the policy-changed notice).
check "the service's policy step writes nothing" same "$T/service" ""

# --- an unprivileged user -------------------------------------------------------
su -s /bin/sh nobody -c "'$cli' status" >"$T/st" 2>&1
check "status works for everybody, without the counters" \
	sh -c "grep -qx 'armed: yes' '$T/st' && grep -qx 'counters: not shown: the counters need CAP_NET_ADMIN' '$T/st'"
su -s /bin/sh nobody -c "'$cli' config set read=alert" >"$T/eperm" 2>&1
rc=$?
check "a policy change needs CAP_SYS_ADMIN, and says so" \
	sh -c "[ $rc -eq 4 ] && grep -qx 'procmem-guard: permission denied: config set needs CAP_SYS_ADMIN' '$T/eperm'"
pmg_unload
rmdir "$cg"
rm -rf "$T"
