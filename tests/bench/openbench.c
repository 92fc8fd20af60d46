// SPDX-License-Identifier: GPL-2.0
/*
 * openbench - time N open()+close() pairs of one path.
 *
 * usage: openbench PATH N [WARMUP]
 * Prints one line:  PATH ns_per_op=X.XX ops=N errors=E errno=CODE
 * ns are CLOCK_MONOTONIC nanoseconds; under QEMU -icount shift=0 one guest
 * nanosecond is one emulated instruction, so the figure then counts
 * instructions executed per open+close, not time on real hardware.
 * A failing open (EACCES under a block policy) is still one op; its errno
 * is reported so the caller can check which path was taken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long run(const char *path, long n, int *err)
{
	long errors = 0, i;

	for (i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			errors++;
			*err = errno;
		} else {
			close(fd);
		}
	}
	return errors;
}

int main(int argc, char **argv)
{
	long n, warm, errors;
	long long t0, t1;
	int err = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PATH N [WARMUP]\n", argv[0]);
		return 2;
	}
	n = atol(argv[2]);
	warm = argc > 3 ? atol(argv[3]) : n / 10;
	if (n <= 0 || warm < 0) {
		fprintf(stderr, "%s: bad count\n", argv[0]);
		return 2;
	}
	run(argv[1], warm, &err);
	err = 0;
	t0 = now_ns();
	errors = run(argv[1], n, &err);
	t1 = now_ns();
	printf("%s ns_per_op=%.2f ops=%ld errors=%ld errno=%d\n", argv[1],
	       (double)(t1 - t0) / n, n, errors, err);
	return 0;
}
