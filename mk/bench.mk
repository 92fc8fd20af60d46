# `make bench`: the benchmark suite (tests/bench/run-bench.sh): hot-path
# cost, delivery and footprint measured in QEMU guests; writes
# tests/bench/results/ and BENCHMARKS.md. BENCH_KERNEL=6.1 picks the kernel.
.PHONY: bench bench-report

bench:
	tests/bench/run-bench.sh

# Re-parse the console logs of the last run without booting again.
bench-report:
	BENCH_REPORT_ONLY=1 tests/bench/run-bench.sh
