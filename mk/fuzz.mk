# SPDX-License-Identifier: GPL-2.0
# `make fuzz`: the libFuzzer targets (tests/fuzz/check.sh): builds them with
# clang, writes their seed corpora with tests/fuzz/mkcorpus.c, fuzzes each
# for PMG_FUZZ_SECONDS (60) and replays tests/fuzz/regressions/; one
# PASS/FAIL line per target. PMG_FUZZ_TARGETS="fuzz_decode" picks targets.
.PHONY: fuzz

fuzz:
	tests/fuzz/check.sh
