#!/bin/bash
# The guest side of tests/pkg/systest.sh: runs as pmg-systest.service (after
# multi-user.target) in the Debian 12 guest, once per boot, prints
#   PASS|FAIL|SKIP systest <name>: <what>
# lines (details indented below a failure) on the second serial port, then
# "@@PMG-SYSTEST-END <phase>@@", and powers off.
# /root/pmg/: env (V1 V2 V3 K61 MOK_CN MOK_SERIAL EXPOSURE), phase (1, 2),
# v2/ and v3/ (the packages), files-before (the file list before the first
# install), logs/ (written here).
#   phase 1: V1 installed on the host: the module for the running kernel,
#            the service (enable --now, security, findings), then a locked
#            policy and an upgrade to V2.
#   phase 2: after the reboot, V2 loaded; an upgrade to V3; purge.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
P=/root/pmg
# shellcheck source=/dev/null
. $P/env
phase=$(cat $P/phase)
L=$P/logs
mkdir -p $L
exec 3>/dev/ttyS1
K=$(uname -r)
unit=procmem-guard.service

pass() { echo "PASS systest $1" >&3; }
# fail NAME [DETAIL...]: details are lines, or @FILE for a file's last lines.
fail() {
	local n=$1 d
	shift
	echo "FAIL systest $n" >&3
	for d in "$@"; do
		if [ "${d:0:1}" = @ ]; then tail -n 25 "${d:1}"; else printf '%s\n' "$d"; fi
	done | sed 's/^/    | /' >&3
}
result() {
	local n=$1
	shift
	if [ $# -eq 0 ]; then pass "$n"; else fail "$n" "$@"; fi
}
secs() { echo "$(($(date +%s) - $1)) s"; }
finish() {
	echo "@@PMG-SYSTEST-END $phase@@" >&3
	echo $((phase + 1)) >$P/phase
	sync
	systemctl --no-block poweroff
	# If systemd cannot, the kernel can.
	(sleep 120 && echo o >/proc/sysrq-trigger) &
	exit 0
}

mainpid() { systemctl show -p MainPID --value $unit; }
loaded_version() { cat /sys/module/procmem_guard/version 2>/dev/null; }
# Wait up to $2 seconds for the journal of the unit (this boot) to have a
# line containing every fixed string in "$@" after the first two.
journal_wait() { # LOGFILE SECONDS STRING...
	local f=$1 n=$2 s ok
	shift 2
	while :; do
		journalctl -b -u $unit -o cat --no-pager >"$f" 2>&1
		ok=$(cat "$f")
		for s in "$@"; do ok=$(grep -F -- "$s" <<<"$ok"); done
		[ -z "$ok" ] || return 0
		[ "$n" -gt 0 ] || return 1
		n=$((n - 1))
		sleep 1
	done
}
# A read and a write open of /proc/1/mem by a shell whose pid we know; the
# journal must carry each as a finding of the listener.
findings() { # NAME
	local n=$1 d=() pid wpid wrc
	pid=$(sh -c 'echo $$; exec 3</proc/1/mem')
	journal_wait "$L/$n-read" 30 '"signature":"TRC-1023"' '"path":"/proc/1/mem"' \
		"\"process\":{\"pid\":$pid," ||
		d+=("no TRC-1023 finding for pid $pid in journalctl -u $unit:" "@$L/$n-read")
	wpid=$(sh -c 'echo $$; exec 3>/proc/1/mem' 2>"$L/$n-write-err")
	wrc=$?
	[ $wrc -ne 0 ] && grep -q 'Permission denied' "$L/$n-write-err" ||
		d+=("a write open of /proc/1/mem was not refused (exit status $wrc): $(cat "$L/$n-write-err")")
	journal_wait "$L/$n-write" 30 '"signature":"TRC-1024"' '"action":"block"' \
		"\"process\":{\"pid\":$wpid," ||
		d+=("no blocked TRC-1024 finding for pid $wpid:" "@$L/$n-write")
	result "$n: a read open of /proc/1/mem by pid $pid is a finding in journalctl -u procmem-guard; a write open is refused and reported (policy: write block)" "${d[@]}"
}
# Nothing bad in this boot's kernel log (loading an out-of-tree module
# signed by a key the kernel does not trust only taints it).
kernel_log() { # NAME
	journalctl -k -b -o cat --no-pager >"$L/$1" 2>&1
	bad=$(grep -E 'BUG:|WARNING:|Oops|general protection|Call Trace|UBSAN|refcount_t|list_del corruption' "$L/$1")
	result "$1: no BUG, WARNING or oops in the kernel log" ${bad:+"$bad"}
}
# Every procmem-guard and procmem-guard-dkms line of dkms status.
dkms_lines() { dkms status procmem-guard 2>/dev/null; }

if [ "$phase" = 1 ]; then
	d=()
	[ "$(readlink /proc/1/exe)" = /usr/lib/systemd/systemd ] || [ "$(readlink /proc/1/exe)" = /lib/systemd/systemd ] ||
		d+=("PID 1 is $(readlink /proc/1/exe)")
	result "boot: $K with systemd $(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') as init, up in $(cut -d' ' -f1 /proc/uptime) s" "${d[@]}"

	# The packages leave the service alone: disabled, stopped, no module.
	d=()
	s=$(systemctl is-enabled $unit 2>&1)
	[ "$s" = disabled ] || d+=("systemctl is-enabled: $s")
	s=$(systemctl is-active $unit 2>&1)
	[ "$s" = inactive ] || d+=("systemctl is-active: $s")
	[ ! -d /sys/module/procmem_guard ] || d+=("procmem_guard is loaded")
	s=$(systemctl is-enabled procmem-guard-metrics.service 2>&1)
	[ "$s" = disabled ] || d+=("procmem-guard-metrics: systemctl is-enabled: $s")
	result "installed-disabled: after apt install the units are disabled and stopped, the module not loaded" "${d[@]}"

	# DKMS built it for the running kernel; modinfo finds it there.
	d=()
	st=$(dkms_lines)
	[ "$st" = "procmem-guard/$V1, $K, x86_64: installed" ] || d+=("dkms status procmem-guard:" "$st")
	modinfo procmem_guard >$L/modinfo 2>&1 || d+=("modinfo procmem_guard failed:" "@$L/modinfo")
	f=$(modinfo -F filename procmem_guard 2>/dev/null)
	v=$(modinfo -F version procmem_guard 2>/dev/null)
	vm=$(modinfo -F vermagic procmem_guard 2>/dev/null)
	case $f in /lib/modules/$K/updates/dkms/procmem_guard.ko*) ;; *) d+=("filename: $f") ;; esac
	[ "$v" = "$V1" ] || d+=("version: $v")
	[ "${vm%% *}" = "$K" ] || d+=("vermagic: $vm")
	result "dkms-running-kernel: dkms status: installed for $K; modinfo: $f, version $v" "${d[@]}"

	# Signed by the MOK key configured before the install.
	d=()
	s=$(modinfo -F signer procmem_guard 2>&1)
	[ "$s" = "$MOK_CN" ] || d+=("signer '$s', expected '$MOK_CN'")
	k=$(modinfo -F sig_key procmem_guard 2>&1 | tr -d ':' | tr a-f A-F | sed 's/^0*//')
	[ "$k" = "$(echo "$MOK_SERIAL" | tr a-f A-F | sed 's/^0*//')" ] ||
		d+=("sig_key '$k', expected the certificate's serial $MOK_SERIAL")
	result "mok-signed: modinfo: signer '$s', sig_key is /var/lib/dkms/mok.pub's serial" "${d[@]}"

	# Without a module for the running kernel the service does not start,
	# says why, and stops retrying (StartLimitBurst=5 in 60 s).
	d=()
	t=$(date +%s)
	ko=$(modinfo -F filename procmem_guard 2>/dev/null)
	mv "$ko" $P/hidden.ko
	since=$(date '+%Y-%m-%d %H:%M:%S')
	systemctl start $unit >$L/start-missing 2>&1 && d+=("systemctl start succeeded")
	n=60
	while :; do
		systemctl show -p ActiveState -p Result -p NRestarts $unit >$L/show-missing
		grep -qx ActiveState=failed $L/show-missing || [ $n -eq 0 ] || { n=$((n - 1)); sleep 1; continue; }
		break
	done
	show=$(tr '\n' ' ' <$L/show-missing)
	grep -qx ActiveState=failed $L/show-missing || d+=("systemctl show: $show; expected ActiveState=failed")
	journalctl -u $unit --since "$since" -o cat --no-pager >$L/journal-missing 2>&1
	n=$(grep -c "procmem_guard is not installed for kernel $K" $L/journal-missing)
	[ "$n" -eq 5 ] || d+=("the journal says the module is missing $n times, expected 5 (StartLimitBurst):" "@$L/journal-missing")
	sleep 3
	[ "$(systemctl show -p ActiveState --value $unit)" = failed ] || d+=("started again after the start limit")
	mv $P/hidden.ko "$ko"
	systemctl reset-failed $unit
	result "missing-module: without a module for $K, systemctl start procmem-guard fails, the journal says why, systemd gave up after $n starts ($show, $(secs "$t"))" "${d[@]}"

	# systemctl enable --now.
	d=()
	t=$(date +%s)
	systemctl enable --now $unit >$L/enable 2>&1 || d+=("systemctl enable --now failed:" "@$L/enable")
	s=$(systemctl is-enabled $unit 2>&1)
	[ "$s" = enabled ] || d+=("is-enabled: $s")
	s=$(systemctl is-active $unit 2>&1)
	[ "$s" = active ] || d+=("is-active: $s" "$(systemctl status $unit 2>&1 | tail -n 15)")
	[ "$(loaded_version)" = "$V1" ] || d+=("loaded module version '$(loaded_version)'")
	uid=$(awk '/^Uid:/ { print $3 }' /proc/"$(mainpid)"/status 2>/dev/null)
	[ -n "$uid" ] && [ "$uid" != 0 ] || d+=("the listener's effective uid is '$uid', expected a dynamic user")
	result "enable-now: systemctl enable --now procmem-guard: active, module $V1 loaded, listener uid $uid ($(secs "$t"))" "${d[@]}"

	# systemd-analyze security: the exposure README.md states.
	systemd-analyze security --no-pager $unit >$L/security 2>&1
	e=$(sed -n 's/.*Overall exposure level for [^:]*: *\([0-9.]*\) *\([A-Z]*\).*/\1 \2/p' $L/security)
	if [ -n "$e" ] && [ "${e%% *}" = "$EXPOSURE" ]; then
		pass "security: systemd-analyze security procmem-guard: exposure $e (README.md: $EXPOSURE)"
	else
		fail "security: systemd-analyze security procmem-guard: exposure '$e', README.md says $EXPOSURE" "@$L/security"
	fi

	findings findings

	# A locked policy pins the module: the upgrade asks for a reboot.
	echo "# changed on this host" >>/etc/procmem-guard/policy
	d=()
	procmem-guard lock >$L/lock 2>&1 || d+=("procmem-guard lock failed:" "@$L/lock")
	procmem-guard config show 2>&1 | grep -qx 'locked: yes' || d+=("config show does not say locked: yes")
	pid0=$(mainpid)
	t=$(date +%s)
	since=$(date '+%Y-%m-%d %H:%M:%S')
	(cd $P/v2 && apt-get install -y ./*.deb) >$L/upgrade-v2 2>&1 ||
		d+=("apt-get install ./*_$V2*.deb failed:" "@$L/upgrade-v2")
	grep -q 'Reboot to finish the upgrade' $L/upgrade-v2 || d+=("apt's output asks for no reboot:" "@$L/upgrade-v2")
	[ -e /run/reboot-required ] && grep -qx procmem-guard /run/reboot-required.pkgs ||
		d+=("no /run/reboot-required naming procmem-guard")
	[ "$(loaded_version)" = "$V1" ] || d+=("loaded module '$(loaded_version)', expected $V1 to stay (locked)")
	v=$(modinfo -F version procmem_guard 2>&1)
	[ "$v" = "$V2" ] || d+=("installed module version '$v', expected $V2")
	st=$(dkms_lines)
	[ "$st" = "procmem-guard/$V2, $K, x86_64: installed" ] || d+=("dkms status procmem-guard:" "$st")
	s=$(systemctl is-active $unit)
	[ "$s" = active ] && [ "$(mainpid)" != "$pid0" ] ||
		d+=("service $s, MainPID $pid0 -> $(mainpid): not restarted")
	# A start that works is quiet: the service's own lines are JSON.
	journalctl _SYSTEMD_UNIT=$unit --since "$since" -o cat --no-pager | grep -v '^{' >$L/upgrade-v2-notjson
	[ ! -s $L/upgrade-v2-notjson ] || d+=("lines of the service that are not JSON:" "@$L/upgrade-v2-notjson")
	result "upgrade-locked: locked policy, apt install $V2: exit 0, the service restarted (its lines JSON) with module $V1 still loaded and $V2 installed, /run/reboot-required set, apt said: $(grep -o 'procmem_guard [^;]*is installed' $L/upgrade-v2 | head -n1) ($(secs "$t"))" "${d[@]}"

	d=()
	grep -qx '# changed on this host' /etc/procmem-guard/policy || d+=("the local change to /etc/procmem-guard/policy is gone")
	left=$(find /etc -name '*.dpkg-*' 2>/dev/null)
	[ -z "$left" ] || d+=("$left")
	result "conffile-kept: a changed /etc/procmem-guard/policy survives the upgrade" "${d[@]}"

	kernel_log kernel-log-1
	finish
fi

if [ "$phase" = 2 ]; then
	# The reboot finished the upgrade: V2 loaded at boot by the enabled unit.
	d=()
	s=$(systemctl is-active $unit 2>&1)
	[ "$s" = active ] || d+=("is-active: $s" "$(systemctl status $unit 2>&1 | tail -n 15)")
	[ "$(loaded_version)" = "$V2" ] || d+=("loaded module version '$(loaded_version)', expected $V2")
	procmem-guard config show 2>&1 | grep -qx 'locked: no' || d+=("config show does not say locked: no")
	result "reboot: the enabled service started at boot with module $V2" "${d[@]}"

	# An upgrade without a lock replaces the module and restarts the service.
	d=()
	pid0=$(mainpid)
	t=$(date +%s)
	since=$(date '+%Y-%m-%d %H:%M:%S')
	(cd $P/v3 && apt-get install -y ./*.deb) >$L/upgrade-v3 2>&1 ||
		d+=("apt-get install ./*_$V3*.deb failed:" "@$L/upgrade-v3")
	[ "$(loaded_version)" = "$V3" ] || d+=("loaded module version '$(loaded_version)', expected $V3")
	st=$(dkms_lines)
	[ "$st" = "procmem-guard/$V3, $K, x86_64: installed" ] || d+=("dkms status procmem-guard:" "$st")
	systemctl show -p ActiveState -p SubState -p Result -p NRestarts $unit >$L/show-v3
	for kv in ActiveState=active SubState=running Result=success NRestarts=0; do
		grep -qx "$kv" $L/show-v3 || d+=("systemctl show: $(tr '\n' ' ' <$L/show-v3), expected $kv")
	done
	[ "$(mainpid)" != "$pid0" ] || d+=("MainPID $pid0 unchanged: not restarted")
	journalctl _SYSTEMD_UNIT=$unit --since "$since" -o cat --no-pager | grep -v '^{' >$L/upgrade-v3-notjson
	[ ! -s $L/upgrade-v3-notjson ] || d+=("lines of the service that are not JSON:" "@$L/upgrade-v3-notjson")
	journalctl -u $unit --since "$since" -p err -o cat --no-pager >$L/upgrade-v3-err 2>&1
	[ ! -s $L/upgrade-v3-err ] || d+=("errors in the unit's journal:" "@$L/upgrade-v3-err")
	grep -q 'Reboot to finish' $L/upgrade-v3 && d+=("apt's output asks for a reboot:" "@$L/upgrade-v3")
	[ ! -e /run/reboot-required ] || d+=("/run/reboot-required is set")
	result "upgrade: apt install $V3: module $V2 unloaded and $V3 loaded, service restarted cleanly (active, result success, no restarts, its lines JSON), no reboot asked ($(secs "$t"))" "${d[@]}"

	findings findings-after-upgrade

	# Purge: no file left behind.
	t=$(date +%s)
	d=()
	apt-get purge -y procmem-guard procmem-guard-dkms >$L/purge 2>&1 ||
		d+=("apt-get purge failed:" "@$L/purge")
	[ ! -d /sys/module/procmem_guard ] || d+=("procmem_guard is still loaded")
	for p in procmem-guard procmem-guard-dkms; do
		s=$(dpkg-query -W -f='${db:Status-Abbrev}' $p 2>/dev/null)
		case $s in '' | 'un ' | 'pn ') ;; *) d+=("$p: dpkg status '$s'") ;; esac
	done
	st=$(dkms_lines)
	[ -z "$st" ] || d+=("dkms status procmem-guard: $st")
	for f in /lib/modules/*/updates/dkms/procmem_guard.ko* /var/lib/dkms/procmem-guard \
		/usr/src/procmem-guard-* /lib/systemd/system/$unit /etc/systemd/system/*/"$unit" \
		/lib/systemd/system/procmem-guard-metrics.service \
		/etc/procmem-guard /etc/modprobe.d/procmem-guard.conf /usr/sbin/procmem-guard \
		/usr/libexec/procmem-guard /var/lib/systemd/deb-systemd-helper-enabled/$unit \
		/var/lib/systemd/deb-systemd-helper-enabled/*/"$unit"; do
		[ ! -e "$f" ] && [ ! -L "$f" ] || d+=("left: $f")
	done
	named=$(find / -xdev \( -name '*procmem*' -o -name '*procmem_guard*' \) \
		-not -path '/root/pmg*' 2>/dev/null)
	[ -z "$named" ] || d+=("files named after procmem-guard:" "$named")
	# The whole file list against the one before the first install, less
	# what the running system changed by itself: mount points (/dev, /run,
	# /proc, /sys, /tmp), this test's files, lost+found (mke2fs made it
	# after the list was taken), the logs of journald, apt and dpkg, apt's
	# caches, and systemd's random seed and timer stamps.
	noise='^. \./(proc|sys|dev|run|tmp|var/tmp|root/pmg|lost\+found)(/|$)'
	noise+='|^. \./var/log/(journal|apt)(/|$)|^. \./var/log/dpkg\.log$'
	noise+='|^. \./var/(cache|lib)/apt(/|$)|^. \./var/lib/systemd/(random-seed|timers)(/|$)'
	(cd / && find . -xdev -path ./root/pmg -prune -o -printf '%y %p\n' | LC_ALL=C sort) >$L/files-after
	LC_ALL=C comm -13 $P/files-before $L/files-after | grep -Ev "$noise" >$L/files-new
	LC_ALL=C comm -23 $P/files-before $L/files-after | grep -Ev "$noise" >$L/files-gone
	[ ! -s $L/files-new ] || d+=("files that were not there before the first install:" "$(head -n 40 $L/files-new)")
	[ ! -s $L/files-gone ] || d+=("files gone since before the first install:" "$(head -n 40 $L/files-gone)")
	result "purge: apt purge procmem-guard procmem-guard-dkms: module unloaded, no module, dkms tree, unit or configuration left; the file list equals the one before the first install ($(wc -l <$L/files-after) entries, $(secs "$t"))" "${d[@]}"

	kernel_log kernel-log-2
	finish
fi
echo "unknown phase '$phase'" >&3
finish
