#!/usr/bin/env bash
# The Debian packages: make deb, what the two packages hold, lintian, and
# then the system test on a booted Debian 12 (tests/pkg/systest.sh).
# Prints one line per test on standard output:
#   PASS deb <name>: <what> | FAIL deb <name> | SKIP deb <name> (<reason>)
# (and systest.sh's "... systest ..." lines), with the details of a failure
# indented below it; exits 0 whatever the results: the caller tallies.
# Runs as root (make deb installs the build dependencies with apt-get).
#   deb.sh --deps   only installs what it and systest.sh need (so that a
#                   run beside other scripts leaves apt alone)
# Env: PMG_SYSTEST=0 skips the system test; PMG_DEB_KEEP=1 keeps the work
#   directory (printed on stderr); and systest.sh's.
# shellcheck source-path=SCRIPTDIR
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../vm/lib.sh
. "$top/tests/vm/lib.sh"

# What make deb (debian/control's Build-Depends), lintian and systest.sh use.
install_deps() {
	pmg_apt_install dpkg-dev lintian mmdebstrap qemu-system-x86 e2fsprogs openssl kmod || return 1
	(cd "$top" && dpkg-checkbuilddeps >/dev/null 2>&1) && return 0
	pmg_apt_known debhelper dh-dkms || pmg_apt_update
	pmg_root apt-get build-dep -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "$top" >&2
}
if [ "${1:-}" = --deps ]; then
	install_deps
	exit
fi

PMG_T=deb
# shellcheck source=lib.sh
. "$here/lib.sh"

W=$(mktemp -d /tmp/pmg-deb.XXXXXX)
log=$W/log
mkdir -p "$log"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ "${PMG_DEB_KEEP:-}" = 1 ]; then pmg_log "deb: work directory kept: $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

v=$(cat "$top/VERSION")
install_deps >"$log/apt" 2>&1 ||
	fail deps "apt-get could not install what the packages' build and tests need" "@$log/apt"
arch=$(dpkg --print-architecture)
out=$W/deb
dkms_deb=$out/procmem-guard-dkms_${v}_all.deb
cli_deb=$out/procmem-guard_${v}_$arch.deb

# --- make deb ------------------------------------------------------------------
t=$(date +%s)
if make -C "$top" --no-print-directory deb DEB_OUT="$out" >"$log/make-deb" 2>&1; then
	got=$(find "$out" -maxdepth 1 -name '*.deb' -printf '%f\n' | LC_ALL=C sort)
	want=$(printf '%s\n' "${dkms_deb##*/}" "${cli_deb##*/}" | LC_ALL=C sort)
	d=()
	[ "$got" = "$want" ] || d+=("made: $got")
	result "build: make deb made ${dkms_deb##*/} and ${cli_deb##*/} ($(($(date +%s) - t)) s)" "${d[@]}"
else
	fail "build: make deb" "@$log/make-deb"
fi
if [ ! -f "$dkms_deb" ] || [ ! -f "$cli_deb" ]; then
	for n in version-guard dkms-package cli-package lintian; do skip "$n" "no packages"; done
	for n in packages rootfs install second-kernel image boot-1 boot-2; do
		echo "SKIP systest $n (make deb failed)"
	done
	exit 0
fi

# make deb refuses a VERSION that debian/changelog does not carry.
c=$W/src-guard
mkdir -p "$c"
tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$c" -xf -
echo "$v.1" >"$c/VERSION"
if make -C "$c" --no-print-directory deb DEB_OUT="$W/guard" >"$log/guard" 2>&1; then
	fail "version-guard: make deb with VERSION $v.1 and no changelog entry for it" "it built:" "@$log/guard"
elif grep -q "first entry of debian/changelog is '$v'" "$log/guard"; then
	pass "version-guard: make deb stops when VERSION ($v.1) is not debian/changelog's version"
else
	fail "version-guard: make deb with VERSION $v.1" "it failed, but not for the version:" "@$log/guard"
fi
rm -rf "$c" "$W/guard"

# --- What the packages hold ------------------------------------------------------
# "mode path" of every file and link in a package, without directories.
listing() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print substr($1, 1, 10), $6 }' | LC_ALL=C sort -k2; }
x=$W/x
d=()
src=usr/src/procmem-guard-$v
want=$( (cd "$top" && for f in Kbuild VERSION dkms.conf include/*.h module/*.c module/*.h; do
	echo "-rw-r--r-- $src/$f"
done
printf '%s\n' "-rw-r--r-- usr/share/doc/procmem-guard-dkms/changelog.gz" \
	"-rw-r--r-- usr/share/doc/procmem-guard-dkms/copyright") | LC_ALL=C sort -k2)
got=$(listing "$dkms_deb")
[ "$got" = "$want" ] || d+=("holds:" "$got" "expected:" "$want")
rm -rf "$x" && dpkg-deb -x "$dkms_deb" "$x"
for f in Kbuild VERSION include/*.h module/*.c module/*.h; do
	cmp -s "$top/$f" "$x/$src/$f" 2>/dev/null || d+=("$src/$f differs from the tree's $f")
done
# dkms.conf: the tree's, with the version written in (dh_dkms reads it).
diff <(sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION=V/' "$top/dkms.conf") \
	<(sed "s/^PACKAGE_VERSION=\"$v\"\$/PACKAGE_VERSION=V/" "$x/$src/dkms.conf") >"$log/dkms-conf" ||
	d+=("dkms.conf differs from the tree's beyond PACKAGE_VERSION=\"$v\":" "@$log/dkms-conf")
f=$(dpkg-deb -f "$dkms_deb" Architecture)
[ "$f" = all ] || d+=("Architecture: $f")
f=$(dpkg-deb -f "$dkms_deb" Depends)
grep -q '^dkms (>= ' <<<"$f" || d+=("Depends: $f (no versioned dkms)")
dpkg-deb --ctrl-tarfile "$dkms_deb" | tar -xOf - ./postinst 2>/dev/null | grep -q "common.postinst" ||
	d+=("the postinst does not run DKMS's common.postinst")
result "dkms-package: ${dkms_deb##*/}: the module's sources in /$src/ as in the tree, dkms.conf at version $v, DKMS's maintainer scripts" "${d[@]}"

d=()
want=$(printf '%s\n' "-rw-r--r-- etc/modprobe.d/procmem-guard.conf" \
	"-rw------- etc/procmem-guard/policy" \
	"-rw-r--r-- lib/systemd/system/procmem-guard-metrics.service" \
	"-rw-r--r-- lib/systemd/system/procmem-guard.service" \
	"-rwxr-xr-x usr/libexec/procmem-guard/load-module" \
	"-rwxr-xr-x usr/sbin/procmem-guard" \
	"-rw-r--r-- usr/share/doc/procmem-guard/README.Debian.gz" \
	"-rw-r--r-- usr/share/doc/procmem-guard/README.md.gz" \
	"-rw-r--r-- usr/share/doc/procmem-guard/SECURITY.md.gz" \
	"-rw-r--r-- usr/share/doc/procmem-guard/changelog.gz" \
	"-rw-r--r-- usr/share/doc/procmem-guard/copyright" \
	"-rw-r--r-- usr/share/doc/procmem-guard/examples/policy" \
	"-rw-r--r-- usr/share/doc/procmem-guard/examples/rsyslog/procmem-guard.conf" \
	"-rw-r--r-- usr/share/lintian/overrides/procmem-guard" \
	"-rw-r--r-- usr/share/man/man8/procmem-guard.8.gz" | LC_ALL=C sort -k2)
got=$(listing "$cli_deb")
[ "$got" = "$want" ] || d+=("holds:" "$got" "expected:" "$want")
rm -rf "$x" && dpkg-deb -x "$cli_deb" "$x"
cmp -s "$top/examples/policy" "$x/etc/procmem-guard/policy" || d+=("/etc/procmem-guard/policy is not examples/policy")
cmp -s "$top/packaging/procmem-guard.modprobe.conf" "$x/etc/modprobe.d/procmem-guard.conf" ||
	d+=("/etc/modprobe.d/procmem-guard.conf is not packaging/procmem-guard.modprobe.conf")
cf=$(dpkg-deb --ctrl-tarfile "$cli_deb" | tar -xOf - ./conffiles 2>/dev/null | LC_ALL=C sort)
[ "$cf" = "$(printf '%s\n' /etc/modprobe.d/procmem-guard.conf /etc/procmem-guard/policy)" ] ||
	d+=("conffiles:" "$cf")
u=$x/lib/systemd/system/procmem-guard.service
grep -qx 'ExecStart=/usr/sbin/procmem-guard listen --format json' "$u" || d+=("ExecStart=$(sed -n 's/^ExecStart=//p' "$u")")
grep -qx 'ExecStartPre=+/usr/libexec/procmem-guard/load-module /usr/sbin/procmem-guard' "$u" ||
	d+=("no ExecStartPre running /usr/libexec/procmem-guard/load-module")
! grep -q /usr/local "$u" || d+=("the unit names /usr/local")
u=$x/lib/systemd/system/procmem-guard-metrics.service
grep -q '^ExecStart=/usr/sbin/procmem-guard metrics ' "$u" || d+=("metrics unit: ExecStart=$(sed -n 's/^ExecStart=//p' "$u")")
! grep -q /usr/local "$u" || d+=("the metrics unit names /usr/local")
cmp -s "$top/examples/rsyslog/procmem-guard.conf" "$x/usr/share/doc/procmem-guard/examples/rsyslog/procmem-guard.conf" ||
	d+=("the rsyslog example is not examples/rsyslog/procmem-guard.conf")
f=$(dpkg-deb -f "$cli_deb" Depends)
grep -q "procmem-guard-dkms (= $v)" <<<"$f" || d+=("Depends: $f (no procmem-guard-dkms (= $v))")
dpkg-deb --ctrl-tarfile "$cli_deb" | tar -xOf - ./postinst >"$log/postinst" 2>/dev/null
grep -q "deb-systemd-invoke try-restart .*'procmem-guard.service'" "$log/postinst" ||
	d+=("the postinst does not try-restart the service on upgrade")
# dh_installsystemd --no-enable: enablement only kept up (debian-installed),
# never made; --no-start: nothing started on a first install.
grep -q "deb-systemd-helper debian-installed 'procmem-guard.service'" "$log/postinst" &&
	! grep -q 'was-enabled defaults to true' "$log/postinst" ||
	d+=("the postinst enables the service on installation")
! grep -Eq '_dh_action=start|deb-systemd-invoke start' "$log/postinst" ||
	d+=("the postinst starts the service on installation")
result "cli-package: ${cli_deb##*/}: command, load-module, the two units (disabled; try-restart on upgrade), man page, docs and examples, the two /etc conffiles; depends on procmem-guard-dkms (= $v)" "${d[@]}"

# --- lintian ---------------------------------------------------------------------
# The binary packages, and the source package (make deb-source, from the
# same copy of the tree: debian/control, rules, copyright).
d=()
t=$(date +%s)
# lint FILE WHAT: the tags, overridden ones too, go to the log; the verdict
# is from a second run without --show-overrides, because with it lintian
# 2.116 fails on a warning even when the warning is overridden.
lint() {
	local rc
	lintian -I --show-overrides --tag-display-limit 0 "$1" >>"$log/lintian" 2>&1
	lintian --fail-on error,warning -I --tag-display-limit 0 "$1" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 0 ] || d+=("lintian on $2: exit status $rc")
}
: >"$log/lintian"
lint "$out"/procmem-guard_"${v}"_"$arch".changes "the binary packages"
if make -C "$top" --no-print-directory deb-source DEB_SRC_OUT="$W/source" >"$log/deb-source" 2>&1; then
	lint "$W/source/procmem-guard_$v.dsc" "the source package"
else
	d+=("make deb-source failed:" "@$log/deb-source")
fi
rm -rf "$W/source"
grep -v '^running with root privileges' "$log/lintian" | grep -v '^N: ' >"$log/lintian-tags"
[ ${#d[@]} -eq 0 ] || d+=("@$log/lintian-tags")
grep -q '^[EW]: ' "$log/lintian-tags" && d+=("errors or warnings:" "$(grep '^[EW]: ' "$log/lintian-tags")")
# Every override says why: a comment right above it.
for o in "$top"/debian/*lintian-overrides; do
	[ -e "$o" ] || continue
	awk -v f="${o##*/}" '!/^#/ && NF && prev !~ /^#/ { print f ": no reason above: " $0 } { prev = $0 }' "$o"
done >"$log/overrides"
[ ! -s "$log/overrides" ] || d+=("@$log/overrides")
n_o=$(grep -c '^O: ' "$log/lintian-tags")
n_i=$(grep -c '^I: ' "$log/lintian-tags")
result "lintian: no error or warning on the two packages and the source package; $n_o overridden with a written reason, $n_i informational ($(($(date +%s) - t)) s)" "${d[@]}"
grep -E '^[IO]: ' "$log/lintian-tags" | sed 's/^/    # /'

# --- The system test -------------------------------------------------------------
if [ "${PMG_SYSTEST:-}" = 0 ]; then
	for n in packages rootfs install second-kernel image boot-1 boot-2; do
		echo "SKIP systest $n (PMG_SYSTEST=0)"
	done
else
	"$here/systest.sh" "$out"
fi
exit 0
