#!/usr/bin/env bash
# Build the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# and run each for a bounded time on its seed corpus, then run every saved
# crash input in tests/fuzz/regressions/<target>/ through it. The seed
# corpora are written for each run by tests/fuzz/mkcorpus.c, from the
# current include/procmem_guard.h (build/fuzz/seeds/<match|decode>/).
# One line per result:
#   PASS fuzz <target>: <N> runs in <S> s
#   FAIL fuzz <target>: <what>            (the crash report follows, indented)
#   PASS|FAIL fuzz <target>: regression <file>
# A crash found is kept in build/fuzz/crashes/<target>/; copy it to
# tests/fuzz/regressions/<target>/ (with a name saying what it is) once the
# bug is fixed, so that it is replayed from then on. Exit status 0 (the
# result lines are the verdict; CI counts them).
# Env: PMG_FUZZ_SECONDS (seconds per target, 60), PMG_FUZZ_TARGETS (names,
#   default: every tests/fuzz/fuzz_*.c), PMG_FUZZ_JOBS (parallel targets, 1),
#   CLANG (the compiler, default clang-14 or clang), PMG_BUILD (build).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=SCRIPTDIR/../vm/lib.sh
. "$top/tests/vm/lib.sh"

secs=${PMG_FUZZ_SECONDS:-60}
out=$PMG_BUILD/fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail_all() {
	local t
	for t in "${targets[@]}"; do
		echo "FAIL fuzz $t: $1"
	done
	exit 0
}

indent() { sed 's/^/    | /'; }

targets=()
if [ -n "${PMG_FUZZ_TARGETS:-}" ]; then
	read -r -a targets <<<"$PMG_FUZZ_TARGETS"
else
	for f in "$here"/fuzz_*.c; do
		t=${f##*/}
		targets+=("${t%.c}")
	done
fi

# Tools: clang with its libFuzzer runtime (libclang-rt-14-dev on Debian 12).
if [ -z "${CLANG:-}" ]; then
	if command -v clang-14 >/dev/null; then CLANG=clang-14; else CLANG=clang; fi
fi
if ! command -v "$CLANG" >/dev/null || ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$CLANG" -x c -fsanitize=fuzzer -o "$tmp/probe" - 2>/dev/null; then
	pmg_apt_install clang-14 libclang-rt-14-dev >&2 || fail_all "cannot install clang-14 and libclang-rt-14-dev"
	CLANG=clang-14
fi
pmg_apt_install pkg-config libnl-3-dev libnl-genl-3-dev libjson-c-dev libcurl4-openssl-dev >&2 ||
	fail_all "cannot install libnl, json-c and libcurl headers"

# The CLI library, compiled with the fuzzer's instrumentation.
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-O1 -g -fno-omit-frame-pointer $san -fsanitize=fuzzer-no-link"
mkdir -p "$out/tools"
if ! make -C "$top/tools" --no-print-directory O="$out/tools" CC="$CLANG" \
	CFLAGS="$cflags" "$out/tools/libpmg.a" >"$out/tools.log" 2>&1; then
	echo "    tools/ with the fuzzer flags (build/fuzz/tools.log):" >&2
	tail -n 20 "$out/tools.log" | indent >&2
	fail_all "tools/ does not build with $CLANG and the fuzzer flags"
fi
# The seed corpora (mkcorpus MATCH_DIR DECODE_DIR).
seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds/match" "$seeds/decode"
if ! "$CLANG" -std=gnu11 -O1 -g -Wall -Wextra -Werror -I"$top/include" \
	"$here/mkcorpus.c" -o "$out/mkcorpus" >"$out/mkcorpus.log" 2>&1 ||
	! "$out/mkcorpus" "$seeds/match" "$seeds/decode" >>"$out/mkcorpus.log" 2>&1; then
	echo "    tests/fuzz/mkcorpus.c (build/fuzz/mkcorpus.log):" >&2
	tail -n 20 "$out/mkcorpus.log" | indent >&2
	fail_all "the seed corpora could not be made (tests/fuzz/mkcorpus.c)"
fi
read -r -a pkg_cflags <<<"$(pkg-config --cflags libnl-genl-3.0 json-c)"
read -r -a pkg_libs <<<"$(pkg-config --libs libnl-genl-3.0 json-c)"

# Build, fuzz, replay the regressions of one target; prints its lines.
run_target() {
	local t=$1 bin=$out/$1 corpus log rc runs took crash name f
	case $t in
	fuzz_match) name=match ;;
	fuzz_decode) name=decode ;;
	*) name=${t#fuzz_} ;;
	esac
	# shellcheck disable=SC2086 # $san holds several flags
	if ! "$CLANG" -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror \
		$san -fsanitize=fuzzer -D_GNU_SOURCE \
		-I"$top/include" -I"$top/tools" "${pkg_cflags[@]}" \
		"$here/$t.c" "$out/tools/libpmg.a" "${pkg_libs[@]}" \
		-o "$bin" >"$out/$t.build.log" 2>&1; then
		echo "FAIL fuzz $t: does not build"
		indent <"$out/$t.build.log"
		return
	fi

	# A copy of the seeds, which the run grows.
	corpus=$tmp/$t.corpus
	mkdir -p "$corpus" "$out/crashes/$t"
	[ ! -d "$seeds/$name" ] || cp -a "$seeds/$name/." "$corpus/"
	log=$out/$t.log
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$out/crashes/$t/" \
		"$corpus" >"$log" 2>&1 </dev/null
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "PASS fuzz $t: $runs runs in ${took:-$secs} s"
	else
		crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "FAIL fuzz $t: ${crash:+crash input $crash; }exit status $rc after ${runs:-?} runs (log: $log)"
		grep -E -A 30 'ERROR: |runtime error|fuzz_(match|decode): ' "$log" | head -n 60 | indent
		[ -z "$crash" ] || echo "    replay: $bin $crash; keep it in tests/fuzz/regressions/$t/ once fixed"
	fi

	# Every saved crash input, as a plain input.
	shopt -s nullglob
	for f in "$here/regressions/$t"/*; do
		[ -f "$f" ] || continue
		if "$bin" "$f" >"$tmp/$t.replay" 2>&1 </dev/null; then
			echo "PASS fuzz $t: regression ${f##*/}"
		else
			echo "FAIL fuzz $t: regression ${f##*/}"
			grep -E -A 20 'ERROR: |runtime error|fuzz_(match|decode): ' "$tmp/$t.replay" | head -n 40 | indent
		fi
	done
}

jobs=${PMG_FUZZ_JOBS:-1}
if [ "$jobs" -gt 1 ]; then
	for t in "${targets[@]}"; do
		run_target "$t" >"$tmp/$t.out" &
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	done
	wait
	for t in "${targets[@]}"; do cat "$tmp/$t.out"; done
else
	for t in "${targets[@]}"; do run_target "$t"; done
fi
exit 0
