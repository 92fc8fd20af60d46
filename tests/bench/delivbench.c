// SPDX-License-Identifier: GPL-2.0
/*
 * delivbench - end-to-end delivery of findings to a listener.
 *
 * usage: delivbench [-n OPENERS] [-t SECONDS] [-d DRAIN_S] [-o devnull|pipe]
 *                   [-r RATE] [-e STDERR_FILE] -- LISTENER_CMD [ARGS...]
 *
 * Starts LISTENER_CMD (e.g. procmem-guard listen --format json) with its
 * stdout either on /dev/null (-o devnull) or on a pipe this program reads
 * (-o pipe, default), waits for it to subscribe, then forks OPENERS
 * processes that open+close /proc/self/mem in a loop for SECONDS, as fast
 * as they can or, with -r, RATE times a second each (paced: the latency of
 * a listener that is not behind). With
 * -o pipe every line read is timed: its "time" field (the open's
 * CLOCK_REALTIME, ISO 8601 UTC with nanoseconds) against CLOCK_REALTIME
 * when the line is read here. After the openers stop it keeps reading
 * until no line came for DRAIN_S seconds, then stops the listener with
 * SIGINT. Prints key=value lines:
 *   opens= lines= seconds= opens_per_s= lines_per_s= lat_p50_us= lat_p99_us=
 *   lat_max_us= listener_exit=
 * The listener's stderr goes to STDERR_FILE (for its "lost N" notes).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* "2026-11-27T01:02:03.123456789Z" -> ns since the epoch, or -1. */
static long long parse_time(const char *line)
{
	const char *p = strstr(line, "\"time\":\"");
	struct tm tm;
	long long frac = 0;
	int digits = 0;
	char *end;

	if (!p)
		return -1;
	p += 8;
	memset(&tm, 0, sizeof(tm));
	end = strptime(p, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return -1;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++, digits++)
			if (digits < 9)
				frac = frac * 10 + (*end - '0');
	}
	for (; digits < 9; digits++)
		frac *= 10;
	return (long long)timegm(&tm) * 1000000000LL + frac;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-n OPENERS] [-t SECONDS] [-d DRAIN_S] "
		"[-o devnull|pipe] [-r RATE] [-e STDERR_FILE] -- LISTENER_CMD "
		"[ARGS...]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	int nopen = 1, pipe_mode = 1, c, i, pfd[2] = { -1, -1 }, status;
	double secs = 5, drain = 2, rate = 0;
	const char *errfile = "/dev/null";
	long long *lat = NULL, t_start, t_end, deadline, last_line;
	size_t nlat = 0, cap = 0, nlines = 0, nbad = 0;
	volatile long *counts;
	pid_t lpid, *kids;
	char buf[65536];
	size_t fill = 0;
	long total = 0;

	while ((c = getopt(argc, argv, "n:t:d:o:r:e:")) != -1) {
		switch (c) {
		case 'n': nopen = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'd': drain = atof(optarg); break;
		case 'o': pipe_mode = strcmp(optarg, "devnull") != 0; break;
		case 'r': rate = atof(optarg); break;
		case 'e': errfile = optarg; break;
		default: usage(argv[0]);
		}
	}
	if (optind >= argc || nopen < 1 || secs <= 0 || rate < 0)
		usage(argv[0]);

	if (pipe_mode && pipe2(pfd, O_CLOEXEC))
		return perror("pipe"), 1;
	lpid = fork();
	if (lpid < 0)
		return perror("fork"), 1;
	if (lpid == 0) {
		int out = pipe_mode ? pfd[1] : open("/dev/null", O_WRONLY);
		int err = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(out, 1);
		if (err >= 0)
			dup2(err, 2);
		execvp(argv[optind], argv + optind);
		perror("exec listener");
		_exit(127);
	}
	if (pipe_mode)
		close(pfd[1]);
	/* Let the listener subscribe before the first open. */
	sleep(1);

	counts = mmap(NULL, sizeof(long) * nopen, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	kids = calloc(nopen, sizeof(*kids));
	if (counts == MAP_FAILED || !kids)
		return perror("alloc"), 1;
	t_start = clock_ns(CLOCK_MONOTONIC);
	deadline = t_start + (long long)(secs * 1e9);
	for (i = 0; i < nopen; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			long long next = t_start;
			long n = 0;

			while (clock_ns(CLOCK_MONOTONIC) < deadline) {
				int fd;

				if (rate > 0) {
					struct timespec ts;

					next += (long long)(1e9 / rate);
					ts.tv_sec = next / 1000000000LL;
					ts.tv_nsec = next % 1000000000LL;
					clock_nanosleep(CLOCK_MONOTONIC,
							TIMER_ABSTIME, &ts, NULL);
				}
				fd = open("/proc/self/mem", O_RDONLY);
				if (fd >= 0)
					close(fd);
				n++;
			}
			counts[i] = n;
			_exit(0);
		}
	}

	last_line = clock_ns(CLOCK_MONOTONIC);
	for (;;) {
		long long now = clock_ns(CLOCK_MONOTONIC);
		int openers_done = now >= deadline + 200000000LL;
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		ssize_t r;
		char *nl, *start;

		if (openers_done && now - last_line >= (long long)(drain * 1e9))
			break;
		if (!pipe_mode) {
			usleep(100000);
			continue;
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		r = read(pfd[0], buf + fill, sizeof(buf) - 1 - fill);
		if (r <= 0)
			break;
		now = clock_ns(CLOCK_REALTIME);
		last_line = clock_ns(CLOCK_MONOTONIC);
		fill += r;
		buf[fill] = '\0';
		start = buf;
		while ((nl = memchr(start, '\n', buf + fill - start))) {
			long long t;

			*nl = '\0';
			nlines++;
			t = parse_time(start);
			if (t < 0) {
				nbad++;
			} else {
				if (nlat == cap) {
					cap = cap ? cap * 2 : 65536;
					lat = realloc(lat, cap * sizeof(*lat));
					if (!lat)
						return perror("realloc"), 1;
				}
				lat[nlat++] = now - t;
			}
			start = nl + 1;
		}
		fill = buf + fill - start;
		memmove(buf, start, fill);
		if (fill >= sizeof(buf) - 1)
			fill = 0;	/* an overlong line: drop it */
	}
	for (i = 0; i < nopen; i++) {
		waitpid(kids[i], NULL, 0);
		total += counts[i];
	}
	t_end = deadline;
	kill(lpid, SIGINT);
	waitpid(lpid, &status, 0);

	printf("openers=%d\n", nopen);
	printf("rate=%.0f\n", rate);
	printf("seconds=%.3f\n", (t_end - t_start) / 1e9);
	printf("opens=%ld\n", total);
	printf("opens_per_s=%.0f\n", total / ((t_end - t_start) / 1e9));
	if (pipe_mode) {
		printf("lines=%zu\n", nlines);
		printf("lines_per_s=%.0f\n", nlines / ((t_end - t_start) / 1e9));
		printf("bad_lines=%zu\n", nbad);
		if (nlat) {
			qsort(lat, nlat, sizeof(*lat), cmp_ll);
			printf("lat_p50_us=%.1f\n", lat[nlat / 2] / 1e3);
			printf("lat_p99_us=%.1f\n", lat[(nlat * 99) / 100] / 1e3);
			printf("lat_max_us=%.1f\n", lat[nlat - 1] / 1e3);
		}
	}
	printf("listener_exit=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status));
	return 0;
}
