# `make bench`: the benchmark suite (tests/bench/run-bench.sh): cost per
# access (in the loop and end to end), the profile of a delivered finding,
# delivery and footprint, measured in QEMU guests (about 10 minutes on two
# CPUs); writes tests/bench/results/ and BENCHMARKS.md. Not part of
# `make check`. BENCH_KERNEL=6.1 picks the kernel; the other variables are
# listed at the top of tests/bench/run-bench.sh.
.PHONY: bench bench-report

bench:
	tests/bench/run-bench.sh

# Re-parse the console logs of the last run without booting again.
bench-report:
	BENCH_REPORT_ONLY=1 tests/bench/run-bench.sh
