#!/usr/bin/env bash
# Packaging tests: make install/uninstall into a staging directory, the
# systemd unit, the man page, the CLI's --version, and a DKMS round trip
# (add, build, sign, install, remove) for Debian's 6.1 and 6.12 kernels.
# Prints one line per test on standard output:
#   PASS pkg <name> | FAIL pkg <name> | SKIP pkg <name> (<reason>)
# with the details of a failure indented below it ("    | ..."), and exits
# 0 whatever the results: the caller tallies.
#
# Runs as root: it installs what it needs with apt-get (dkms among them) and
# registers procmem-guard with DKMS for the test kernels, then removes it
# and what depmod created. It works on a copy of the source tree, so the
# work tree's own build products are left alone. If procmem-guard is
# already registered with DKMS on this host, the DKMS tests are skipped.
# Modules are signed with a throwaway key made here; the host's DKMS key
# (/var/lib/dkms/mok.key) is neither used nor created.
#
# Env: PMG_PKG_KERNELS  kernels for the DKMS tests (default "6.1 6.12";
#                       names as in tests/vm/kernel.sh)
#      PMG_PKG_VM       0: skip booting the DKMS-built module in QEMU
#                       (tests/pkg/vm-smoke.sh; default: run it when
#                       tests/vm/run.sh takes PMG_MODULE_KO)
#      PMG_PKG_KEEP=1   keep the work directory (printed on stderr)
# shellcheck source-path=SCRIPTDIR
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../vm/lib.sh
. "$top/tests/vm/lib.sh"

kernels=${PMG_PKG_KERNELS:-6.1 6.12}
W=$(mktemp -d /tmp/pmg-pkg.XXXXXX)
src=$W/src
log=$W/log
mkdir -p "$src" "$log"
dkms_ours=        # set once we registered procmem-guard with dkms
declare -A moddir_before=()   # KREL -> listing of /lib/modules/KREL before

PMG_T=pkg
# shellcheck source=lib.sh
. "$here/lib.sh"

# Undo what depmod left in /lib/modules/KREL that was not there before.
restore_moddir() {
	local krel=$1 d=/lib/modules/$1 f
	[ -n "${moddir_before[$krel]+x}" ] || return 0
	[ -d "$d" ] || return 0
	for f in "$d"/modules.* "$d"/updates; do
		[ -e "$f" ] || continue
		grep -qxF "${f##*/}" <<<"${moddir_before[$krel]}" && continue
		case ${f##*/} in
		updates) find "$f" -depth -type d -empty -delete ;;
		*) rm -f "$f" ;;
		esac
	done
	# A directory that did not exist at all (no headers, no image) goes too.
	if [ "${moddir_before[$krel]}" = "<none>" ]; then
		rmdir "$d" 2>/dev/null || true
	fi
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	local k
	if [ -n "$dkms_ours" ] && command -v dkms >/dev/null; then
		if [ -n "$(dkms status -m procmem-guard 2>/dev/null)" ]; then
			dkms remove "procmem-guard/$dkms_ours" --all >/dev/null 2>&1
		fi
		rm -rf "/usr/src/procmem-guard-$dkms_ours"
	fi
	for k in "${!moddir_before[@]}"; do restore_moddir "$k"; done
	if [ "${PMG_PKG_KEEP:-}" = 1 ]; then
		pmg_log "pkg: work directory kept: $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

version=$(cat "$top/VERSION")
proto=$(sed -n 's/^#define PMG_PROTOCOL_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$top/include/procmem_guard.h")

# --- Host packages ----------------------------------------------------------
if ! pmg_apt_install make gcc libc6-dev pkg-config libnl-3-dev libnl-genl-3-dev \
	libjson-c-dev libcurl4-openssl-dev kmod groff-base man-db openssl xz-utils dkms >"$log/apt" 2>&1; then
	fail deps "apt-get could not install the packages the tests need" "@$log/apt"
fi

# --- A copy of the tree, without build products -----------------------------
tar -C "$top" --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
	--exclude='*.a' --exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
	--exclude=modules.order --exclude=Module.symvers --exclude=./tools/procmem-guard \
	-cf - . | tar -C "$src" -xf -

# --- The kernels -----------------------------------------------------------
declare -A KDIR_OF=() KREL_OF=() KERR_OF=()
for k in 6.1 $kernels; do
	[ -z "${KREL_OF[$k]+x}${KERR_OF[$k]+x}" ] || continue
	out=$("$top/tests/vm/kernel.sh" "$k" 2>"$log/kernel-$k")
	rc=$?
	if [ $rc -ne 0 ]; then
		KERR_OF[$k]="tests/vm/kernel.sh $k: exit status $rc"
		continue
	fi
	KDIR_OF[$k]=$(sed -n 's/^KDIR=//p' <<<"$out")
	KREL_OF[$k]=$(sed -n 's/^KREL=//p' <<<"$out")
done

# --- CLI -------------------------------------------------------------------
cli=$src/tools/procmem-guard
if make -C "$src" tools >"$log/tools" 2>&1 && [ -x "$cli" ]; then
	pass cli-build
else
	fail cli-build "@$log/tools"
fi

if [ -x "$cli" ]; then
	out=$("$cli" --version 2>&1)
	if grep -qF -- "$version" <<<"$out"; then pass cli-version
	else fail cli-version "expected $version in: $out"; fi
	# The protocol version lets an operator match the CLI to a module.
	if grep -qiE "protocol[^0-9]*$proto\b" <<<"$out"; then pass cli-version-protocol
	else fail cli-version-protocol "procmem-guard --version does not print the protocol version ($proto): '$out'"; fi
else
	skip cli-version "no CLI"
	skip cli-version-protocol "no CLI"
fi

# --- dkms.conf -------------------------------------------------------------
# dkms sources dkms.conf with bash, from any directory.
out=$(cd / && bash -c 'kernel_source_dir=/KSRC dkms_tree=/DT; . "$1/dkms.conf" && \
	printf "%s\n" "$PACKAGE_NAME" "$PACKAGE_VERSION" "${BUILT_MODULE_NAME[0]}" \
	"${BUILT_MODULE_LOCATION[0]}" "${DEST_MODULE_LOCATION[0]}" "$AUTOINSTALL" \
	"$BUILD_EXCLUSIVE_CONFIG" "${MAKE[0]}" "$CLEAN"' _ "$src" 2>&1)
want="procmem-guard
$version
procmem_guard
.
/updates/dkms
yes
CONFIG_KPROBES
make -C /KSRC M=/DT/procmem-guard/$version/build modules
make -C /KSRC M=/DT/procmem-guard/$version/build clean"
if [ "$out" = "$want" ]; then pass dkms-conf
else fail dkms-conf "sourcing dkms.conf gave:" "$out" "expected:" "$want"; fi

# --- make install / uninstall into a staging directory ----------------------
k61=${KDIR_OF[6.1]:-}
krel61=${KREL_OF[6.1]:-}
stage=$W/stage
expected_tree() { # PREFIX KREL
	local p=${1#/}
	printf '%s\n' "644 etc/modprobe.d/procmem-guard.conf" \
		"600 etc/procmem-guard/policy" \
		"644 lib/modules/$2/extra/procmem_guard.ko" \
		"755 $p/libexec/procmem-guard/load-module" \
		"644 $p/lib/systemd/system/procmem-guard.service" \
		"644 $p/lib/systemd/system/procmem-guard-metrics.service" \
		"755 $p/sbin/procmem-guard" \
		"644 $p/share/man/man8/procmem-guard.8" | sort -k2
}
tree_of() { (cd "$1" && find . \( -type f -o -type l \) -printf '%m %P\n' | sort -k2); }

# Sign with a throwaway key: DKMS and make install SIGN_KEY= both use it.
cn="procmem-guard test key"
if ! openssl req -new -x509 -nodes -days 2 -subj "/CN=$cn" -newkey rsa:2048 \
	-keyout "$W/mok.key" -outform DER -out "$W/mok.pub" >"$log/openssl" 2>&1; then
	fail signing-key "@$log/openssl"
fi

if [ -z "$k61" ]; then
	for t in install-tree install-content install-unit-execstart unit-verify \
		uninstall-clean install-prefix-usr install-keeps-local-config install-sign; do
		skip "$t" "no 6.1 headers: ${KERR_OF[6.1]:-}"
	done
elif ! make -C "$src" install DESTDIR="$stage" KDIR="$k61" >"$log/install" 2>&1; then
	fail install-tree "make install DESTDIR=... KDIR=$k61 failed" "@$log/install"
else
	# The exact tree, with modes.
	got=$(tree_of "$stage")
	want=$(expected_tree /usr/local "$krel61")
	if [ "$got" = "$want" ]; then pass install-tree
	else fail install-tree "installed:" "$got" "expected:" "$want"; fi

	# The files are the project's.
	d=()
	cmp -s "$stage/etc/procmem-guard/policy" "$src/examples/policy" || d+=("policy differs from examples/policy")
	cmp -s "$stage/etc/modprobe.d/procmem-guard.conf" "$src/packaging/procmem-guard.modprobe.conf" || d+=("modprobe.d file differs")
	cmp -s "$stage/usr/local/share/man/man8/procmem-guard.8" "$src/packaging/procmem-guard.8" || d+=("man page differs")
	cmp -s "$stage/usr/local/sbin/procmem-guard" "$cli" || d+=("installed CLI differs from tools/procmem-guard")
	cmp -s "$stage/usr/local/libexec/procmem-guard/load-module" "$src/packaging/load-module" || d+=("load-module differs")
	v=$(modinfo -F vermagic "$stage/lib/modules/$krel61/extra/procmem_guard.ko" 2>&1 | cut -d' ' -f1)
	[ "$v" = "$krel61" ] || d+=("module vermagic '$v', expected $krel61")
	grep -q '^ *#\? *options procmem_guard ' "$stage/etc/modprobe.d/procmem-guard.conf" || d+=("no 'options procmem_guard' example in the modprobe.d file")
	grep -q '^options' "$stage/etc/modprobe.d/procmem-guard.conf" && d+=("the modprobe.d file sets options (all must be commented)")
	result install-content "${d[@]}"

	# The unit runs the installed CLI.
	unit=$stage/usr/local/lib/systemd/system/procmem-guard.service
	d=()
	es=$(sed -n 's/^ExecStart=//p' "$unit")
	[ "$es" = "/usr/local/sbin/procmem-guard listen --format json" ] || d+=("ExecStart=$es")
	others=$(grep -o '[^ "=]*sbin/procmem-guard' "$unit" | sort -u)
	[ "$others" = "/usr/local/sbin/procmem-guard" ] || d+=("paths to the CLI in the unit:" "$others")
	[ -x "$stage/usr/local/sbin/procmem-guard" ] || d+=("no executable CLI at the ExecStart path")
	grep -qx 'ExecStartPre=+/usr/local/libexec/procmem-guard/load-module /usr/local/sbin/procmem-guard' "$unit" ||
		d+=("the first ExecStartPre is not the privileged load-module with the CLI's path")
	[ -x "$stage/usr/local/libexec/procmem-guard/load-module" ] || d+=("no executable load-module")
	grep -q '^PrivateNetwork=\|^PrivateUsers=' "$unit" && d+=("the listener must stay in the initial network and user namespaces")
	result install-unit-execstart "${d[@]}"

	# systemd's own check, on the staged unit with the staged paths.
	if command -v systemd-analyze >/dev/null; then
		sed "s#/usr/local/#$stage/usr/local/#g" "$unit" \
			>"$W/procmem-guard.service"
		if (cd "$W" && MANPATH=$stage/usr/local/share/man \
			systemd-analyze verify "$W/procmem-guard.service") >"$log/verify" 2>&1 &&
			! [ -s "$log/verify" ]; then
			pass unit-verify
		else
			fail unit-verify "systemd-analyze verify:" "@$log/verify"
		fi
	else
		skip unit-verify "systemd-analyze is not installed"
	fi

	# uninstall leaves no file behind.
	if make -C "$src" uninstall DESTDIR="$stage" KDIR="$k61" >"$log/uninstall" 2>&1; then
		left=$(tree_of "$stage")
		result uninstall-clean ${left:+"files left:" "$left"}
	else
		fail uninstall-clean "@$log/uninstall"
	fi

	# PREFIX=/usr: everything under /usr, and the unit follows.
	st2=$W/stage-usr
	if make -C "$src" install DESTDIR="$st2" PREFIX=/usr KDIR="$k61" >"$log/install-usr" 2>&1; then
		d=()
		got=$(tree_of "$st2")
		want=$(expected_tree /usr "$krel61")
		[ "$got" = "$want" ] || d+=("installed:" "$got" "expected:" "$want")
		es=$(sed -n 's/^ExecStart=//p' "$st2/usr/lib/systemd/system/procmem-guard.service" 2>/dev/null)
		[ "$es" = "/usr/sbin/procmem-guard listen --format json" ] || d+=("ExecStart=$es")
		grep -qx 'ExecStartPre=+/usr/libexec/procmem-guard/load-module /usr/sbin/procmem-guard' \
			"$st2/usr/lib/systemd/system/procmem-guard.service" 2>/dev/null ||
			d+=("the unit's load-module step does not follow PREFIX")
		grep -q '/usr/local' "$st2/usr/lib/systemd/system/procmem-guard.service" 2>/dev/null &&
			d+=("the unit still names /usr/local")
		make -C "$src" uninstall DESTDIR="$st2" PREFIX=/usr KDIR="$k61" >>"$log/install-usr" 2>&1 ||
			d+=("make uninstall PREFIX=/usr failed")
		left=$(tree_of "$st2")
		[ -z "$left" ] || d+=("left after uninstall:" "$left")
		result install-prefix-usr "${d[@]}"
	else
		fail install-prefix-usr "@$log/install-usr"
	fi

	# A configuration file changed locally survives install and uninstall.
	st3=$W/stage-conf
	d=()
	make -C "$src" install DESTDIR="$st3" KDIR="$k61" >"$log/install-conf" 2>&1 || d+=("first install failed")
	echo "# changed here" >>"$st3/etc/procmem-guard/policy"
	make -C "$src" install DESTDIR="$st3" KDIR="$k61" >>"$log/install-conf" 2>&1 || d+=("second install failed")
	grep -q '^# changed here' "$st3/etc/procmem-guard/policy" || d+=("install overwrote a changed policy")
	make -C "$src" uninstall DESTDIR="$st3" KDIR="$k61" >>"$log/install-conf" 2>&1 || d+=("uninstall failed")
	left=$(tree_of "$st3")
	[ "$left" = "600 etc/procmem-guard/policy" ] || d+=("after uninstall, expected only the changed policy; found:" "$left")
	result install-keeps-local-config "${d[@]}"

	# make install SIGN_KEY=... SIGN_CERT=... signs the installed module.
	st4=$W/stage-sign
	if [ -f "$W/mok.key" ] &&
		make -C "$src" install DESTDIR="$st4" KDIR="$k61" SIGN_KEY="$W/mok.key" \
			SIGN_CERT="$W/mok.pub" >"$log/install-sign" 2>&1; then
		signer=$(modinfo -F signer "$st4/lib/modules/$krel61/extra/procmem_guard.ko" 2>&1)
		if [ "$signer" = "$cn" ]; then pass install-sign
		else fail install-sign "signer: '$signer', expected '$cn'"; fi
	else
		fail install-sign "@$log/install-sign"
	fi
fi

# --- Man page --------------------------------------------------------------
man8=$src/packaging/procmem-guard.8
warn=$(groff -man -Tutf8 -ww -z "$man8" 2>&1)
rendered=$(MANWIDTH=80 man -l "$man8" 2>"$log/man" | col -b 2>/dev/null)
if [ -z "$warn" ] && grep -q '^SYNOPSIS' <<<"$rendered" && ! [ -s "$log/man" ]; then
	pass man-render
else
	fail man-render "groff -ww: $warn" "@$log/man"
fi

if [ -x "$cli" ]; then
	d=()
	for c in listen status config allow apply lock metrics help; do
		grep -q "^\.SS $c\$" "$man8" || d+=("no section for '$c'")
	done
	for c in listen status config allow apply lock metrics; do
		for o in $("$cli" help "$c" 2>/dev/null | grep -oE -- '(^|[[ |])--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+' | sort -u); do
			grep -qF -- "${o//-/\\-}" "$man8" || d+=("'$c $o' is not in the man page")
		done
	done
	for key in read write attach ratelimit burst log report_allowed; do
		grep -qF -- ".BR ${key//-/\\-}=" "$man8" || d+=("config key '$key' is not in the man page")
	done
	for o in --help --version; do
		grep -qF -- "${o//-/\\-}" "$man8" || d+=("'$o' is not in the man page")
	done
	for code in $("$cli" --help | sed -n 's/^  \([0-9]\)  .*/\1/p'); do
		grep -qx "\.B $code" "$man8" || d+=("exit status $code is not in the man page")
	done
	result man-covers-cli "${d[@]}"
else
	skip man-covers-cli "no CLI"
fi

# --- DKMS round trip -------------------------------------------------------
# modinfo checks on a built module: version, description, author, license,
# and every parameter with a description.
check_modinfo() { # NAME KO
	local n=$1 ko=$2 d=() f v p params
	v=$(modinfo -F version "$ko" 2>&1)
	[ "$v" = "$version" ] || d+=("version '$v', expected $version")
	for f in description author license; do
		v=$(modinfo -F "$f" "$ko" 2>/dev/null)
		[ -n "$v" ] || d+=("no $f")
	done
	params=$(modinfo -F parm "$ko" 2>/dev/null)
	for p in read write attach ratelimit burst report_allowed lock rate_entries ring_records log; do
		v=$(sed -n "s/^$p:\(.*\)/\1/p" <<<"$params")
		[ -n "${v// /}" ] || d+=("parameter '$p' missing or without a description")
		grep -q "^\.BR $p=" "$man8" || d+=("parameter '$p' is not in the man page")
	done
	# ... and no parameter that the checks above do not know of.
	while IFS=: read -r p _; do
		case $p in
		'' | read | write | attach | ratelimit | burst | report_allowed | lock | rate_entries | ring_records | log) ;;
		*) grep -q "^\.BR $p=" "$man8" || d+=("new parameter '$p' is not in the man page") ;;
		esac
	done <<<"$params"
	result "$n" "${d[@]}"
}

dkms_ko=()
if [ "$(id -u)" -ne 0 ]; then
	for k in $kernels; do skip "dkms-$k" "dkms needs root"; done
elif ! command -v dkms >/dev/null; then
	for k in $kernels; do skip "dkms-$k" "dkms is not installed"; done
elif [ -n "$(dkms status -m procmem-guard 2>/dev/null)" ]; then
	for k in $kernels; do
		skip "dkms-$k" "procmem-guard is already registered with dkms on this host; not touching it"
	done
else
	dkms_ours=$version
	for k in $kernels; do
		if [ -z "${KREL_OF[$k]:-}" ]; then
			skip "dkms-$k" "${KERR_OF[$k]:-kernel $k unavailable}"
			continue
		fi
		kd=${KDIR_OF[$k]}
		kr=${KREL_OF[$k]}
		if [ -d "/lib/modules/$kr" ]; then
			moddir_before[$kr]=$(ls -A "/lib/modules/$kr")
		else
			moddir_before[$kr]="<none>"
			# Headers unpacked outside /lib/modules (6.12): dkms installs
			# only into an existing /lib/modules/<release>. restore_moddir
			# removes it again.
			mkdir -p "/lib/modules/$kr"
		fi
		# dkms signs with these instead of /var/lib/dkms/mok.*; the kernel's
		# sign-file is taken from KDIR (headers unpacked outside /lib/modules
		# too).
		if mok_signing_key=$W/mok.key mok_certificate=$W/mok.pub \
			sign_file=$kd/scripts/sign-file \
			make -C "$src" dkms-install KDIR="$kd" >"$log/dkms-$k" 2>&1; then
			ko=$(find "/lib/modules/$kr/updates/dkms" -name 'procmem_guard.ko*' 2>/dev/null | head -n 1)
			st=$(dkms status -m procmem-guard -v "$version" -k "$kr" 2>/dev/null)
			if [ -n "$ko" ] && grep -q ': installed' <<<"$st"; then
				pass "dkms-$k"
				cp "$ko" "$W/dkms-$k.${ko#*/procmem_guard.}"
				dkms_ko+=("$k=$W/dkms-$k.${ko#*/procmem_guard.}")
				signer=$(modinfo -F signer "$ko" 2>&1)
				if [ "$signer" = "$cn" ]; then pass "dkms-$k-signed"
				else fail "dkms-$k-signed" "modinfo -F signer: '$signer', expected '$cn'" "@$log/dkms-$k"; fi
				check_modinfo "dkms-$k-modinfo" "$ko"
			else
				fail "dkms-$k" "module: '${ko:-none}', dkms status: '$st'" "@$log/dkms-$k"
			fi
		else
			fail "dkms-$k" "make dkms-install KDIR=$kd failed" "@$log/dkms-$k"
		fi
	done

	# A kernel without kprobes is excluded (dkms exit status 77), not built.
	if [ -n "$(dkms status -m procmem-guard -v "$version" 2>/dev/null)" ] && [ -n "$k61" ]; then
		fake=$W/nokprobes
		mkdir -p "$fake"
		grep -v '^CONFIG_KPROBES=' "$k61/.config" >"$fake/.config"
		echo '# CONFIG_KPROBES is not set' >>"$fake/.config"
		dkms build -m procmem-guard -v "$version" -k 0.0.0-pmg-nokprobes \
			--kernelsourcedir="$fake" >"$log/dkms-exclusive" 2>&1
		rc=$?
		if [ $rc -eq 77 ] && grep -q BUILD_EXCLUSIVE "$log/dkms-exclusive" &&
			! ls /var/lib/dkms/procmem-guard/"$version"/0.0.0-pmg-nokprobes/*/module/procmem_guard.ko* >/dev/null 2>&1; then
			pass dkms-build-exclusive
		else
			fail dkms-build-exclusive "dkms build exit status $rc (expected 77)" "@$log/dkms-exclusive"
		fi
	else
		skip dkms-build-exclusive "procmem-guard is not registered with dkms"
	fi

	# dkms-uninstall removes it everywhere.
	d=()
	make -C "$src" dkms-uninstall >"$log/dkms-uninstall" 2>&1 || d+=("make dkms-uninstall failed" "@$log/dkms-uninstall")
	st=$(dkms status -m procmem-guard 2>/dev/null)
	[ -z "$st" ] || d+=("dkms status: $st")
	[ ! -e "/usr/src/procmem-guard-$version" ] || d+=("/usr/src/procmem-guard-$version is still there")
	[ ! -e /var/lib/dkms/procmem-guard ] || d+=("/var/lib/dkms/procmem-guard is still there")
	for k in $kernels; do
		kr=${KREL_OF[$k]:-}
		[ -n "$kr" ] || continue
		left=$(find "/lib/modules/$kr/updates/dkms" -name 'procmem_guard.ko*' 2>/dev/null)
		[ -z "$left" ] || d+=("left: $left")
	done
	result dkms-remove "${d[@]}"
	dkms_ours=
	for kr in "${!moddir_before[@]}"; do restore_moddir "$kr"; done
fi

# --- The DKMS-built module in a guest ----------------------------------------
case " ${dkms_ko[*]} " in
*" 6.1="*) ;;
*) skip vm-smoke-6.1 "no DKMS-built module for 6.1" ;;
esac
for entry in "${dkms_ko[@]}"; do
	k=${entry%%=*}
	ko=${entry#*=}
	[ "$k" = 6.1 ] || continue
	if [ "${PMG_PKG_VM:-}" = 0 ]; then
		skip "vm-smoke-$k" "PMG_PKG_VM=0"
	elif ! grep -q PMG_MODULE_KO "$src/tests/vm/run.sh"; then
		skip "vm-smoke-$k" "tests/vm/run.sh does not take PMG_MODULE_KO yet"
	else
		# From the copy: its tools/ and build/ are this run's.
		"$src/tests/pkg/vm-smoke.sh" "$k" "$ko" >"$log/vm-$k" 2>"$log/vm-$k.err"
		rc=$?
		# run.sh prints "PASS|FAIL|SKIP <kernel> <what>", details indented
		# below a FAIL; keep each result as one test.
		n=0 last=
		while IFS= read -r line; do
			read -r kind _ what <<<"$line"
			case $kind in
			PASS) pass "vm-smoke-$k $what" ;;
			FAIL) echo "FAIL pkg vm-smoke-$k $what" ;;
			SKIP) skip "vm-smoke-$k $what" "run.sh skipped it" ;;
			*)
				if [ "$last" = FAIL ] && [ "${line:0:1}" = " " ]; then
					echo "    |$line"
				fi
				continue
				;;
			esac
			n=$((n + 1))
			last=$kind
		done <"$log/vm-$k"
		if [ $n -eq 0 ]; then
			fail "vm-smoke-$k" "vm-smoke.sh exit status $rc, no result" "@$log/vm-$k.err"
		fi
	fi
done
exit 0
