// SPDX-License-Identifier: GPL-2.0
/*
 * delivbench - end-to-end delivery of findings to a listener.
 *
 * usage: delivbench [-n OPENERS] [-t SECONDS] [-d DRAIN_S]
 *                   [-o devnull|pipe|file:PATH] [-r RATE] [-e STDERR_FILE]
 *                   -- LISTENER_CMD [ARGS...]
 *
 * Starts LISTENER_CMD (e.g. procmem-guard listen --format json) with its
 * stdout either on /dev/null (-o devnull), on a pipe this program reads
 * (-o pipe, default), or on the file PATH (created empty) that this
 * program reads as it grows, as a log shipper tails a file (-o file:PATH;
 * at the end of what is written, it looks again 2 ms later, and it frees
 * what it has read, so that a long row fits in a guest's tmpfs), waits for it
 * to subscribe, then forks OPENERS
 * processes that open+close /proc/self/mem in a loop for SECONDS, as fast
 * as they can or, with -r, RATE times a second each (paced: the latency of
 * a listener that is not behind). With
 * -o pipe or file every line read is timed: its "time" field (the open's
 * CLOCK_REALTIME, ISO 8601 UTC with nanoseconds) against CLOCK_REALTIME
 * when the line is read here. After the openers stop it keeps reading
 * until no line came for DRAIN_S seconds, then stops the listener with
 * SIGINT. Prints key=value lines:
 *   opens= lines= seconds= opens_per_s= lines_per_s= lat_p50_us= lat_p99_us=
 *   lat_max_us= summary_lines= summarized= listener_lost= listener_exit=
 *   opener_pids= opener_opens= opener_lines= opener_summarized=
 *     (comma lists, one entry per opener: its findings delivered one by
 *     one, and those the summary lines that name it stand for)
 *   rss_max_kb= hwm_kb= (the listener's, sampled every 100 ms, and its
 *     peak as the kernel kept it, just before it is stopped)
 *   rmem_max= (bytes queued in generic netlink sockets, the listener's,
 *     from /proc/net/netlink) slab_kb_start= slab_kb_max= (SUnreclaim)
 * A summary line ("type":"summary") stands for its "summary":{"count"}
 * findings; it is not timed, nor are the listener's own lines and the
 * module's notices. listener_lost is the largest "lost_total" of the
 * listener's lines (those it writes as it stops included). The
 * listener's stderr goes to STDERR_FILE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
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

/*
 * "2026-11-27T01:02:03.123456789Z" -> ns since the epoch, or -1. The
 * seconds are converted once per distinct second (strptime and timegm
 * cost more than the rest of a line): the bench's consumer stays cheap
 * beside the listener it measures.
 */
static long long parse_time(const char *line)
{
	static char last[20];
	static long long last_sec = -1;
	const char *p = strstr(line, "\"time\":\"");
	struct tm tm;
	long long frac = 0;
	int digits = 0;
	const char *end;

	if (!p)
		return -1;
	p += 8;
	if (last_sec >= 0 && !strncmp(p, last, 19)) {
		end = p + 19;
	} else {
		memset(&tm, 0, sizeof(tm));
		end = strptime(p, "%Y-%m-%dT%H:%M:%S", &tm);
		if (!end || end - p != 19)
			return -1;
		memcpy(last, p, 19);
		last_sec = (long long)timegm(&tm);
	}
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++, digits++)
			if (digits < 9)
				frac = frac * 10 + (*end - '0');
	}
	for (; digits < 9; digits++)
		frac *= 10;
	return last_sec * 1000000000LL + frac;
}

/* The number after "key": in line, or -1. */
static long long json_num(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	if (!p)
		return -1;
	p += strlen(key);
	if (*p < '0' || *p > '9')
		return -1;
	return strtoll(p, NULL, 10);
}

/* The number of findings a summary line stands for; 0: not a summary. */
static long long summary_count(const char *line)
{
	long long n;

	if (!strstr(line, "\"type\":\"summary\""))
		return 0;
	n = json_num(line, "\"summary\":{\"count\":");
	return n > 0 ? n : 1;
}

/* One "Key: N kB" line of a /proc status file; 0 if absent. */
static long status_kb(const char *file, const char *key)
{
	char line[256];
	long v = 0;
	size_t k = strlen(key);
	FILE *f = fopen(file, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, k) && line[k] == ':')
			v = atol(line + k + 1);
	fclose(f);
	return v;
}

/* Bytes queued in generic netlink sockets (/proc/net/netlink Rmem). */
static long long genl_rmem(void)
{
	char line[512];
	long long sum = 0;
	FILE *f = fopen("/proc/net/netlink", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long sk, rmem;
		unsigned int eth, pid, groups;

		if (sscanf(line, "%llx %u %u %x %llu", &sk, &eth, &pid, &groups,
			   &rmem) == 5 && eth == NETLINK_GENERIC)
			sum += (long long)rmem;
	}
	fclose(f);
	return sum;
}

struct samples {
	char status[64];
	long rss_max, slab_start, slab_max;
	long long rmem_max, next;
};

static void sample(struct samples *s)
{
	long long now = clock_ns(CLOCK_MONOTONIC), r;
	long v;

	if (now < s->next)
		return;
	s->next = now + 100000000LL;
	v = status_kb(s->status, "VmRSS");
	if (v > s->rss_max)
		s->rss_max = v;
	v = status_kb("/proc/meminfo", "SUnreclaim");
	if (v > s->slab_max)
		s->slab_max = v;
	r = genl_rmem();
	if (r > s->rmem_max)
		s->rmem_max = r;
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
	const char *tail_path = NULL;
	double secs = 5, drain = 2, rate = 0;
	const char *errfile = "/dev/null";
	long long *lat = NULL, t_start, t_end, deadline, last_line;
	size_t nlat = 0, cap = 0, nlines = 0, nbad = 0;
	volatile long *counts;
	pid_t lpid, *kids;
	char buf[65536];
	size_t fill = 0;
	off_t done = 0, punched = 0;	/* bytes of the file read, freed */
	long total = 0;
	long long *per_lines, *per_sum, nsum_lines = 0, nsummarized = 0;
	long long lost_total = 0;
	ssize_t r;
	struct samples smp = { .next = 0 };
	long hwm;

	while ((c = getopt(argc, argv, "n:t:d:o:r:e:")) != -1) {
		switch (c) {
		case 'n': nopen = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'd': drain = atof(optarg); break;
		case 'o':
			pipe_mode = strcmp(optarg, "devnull") != 0;
			if (!strncmp(optarg, "file:", 5))
				tail_path = optarg + 5;
			break;
		case 'r': rate = atof(optarg); break;
		case 'e': errfile = optarg; break;
		default: usage(argv[0]);
		}
	}
	if (optind >= argc || nopen < 1 || secs <= 0 || rate < 0)
		usage(argv[0]);

	if (tail_path) {
		/* pfd[1] for the listener's stdout, pfd[0] to read it. */
		pfd[1] = open(tail_path, O_WRONLY | O_CREAT | O_TRUNC |
			      O_CLOEXEC, 0600);
		pfd[0] = open(tail_path, O_RDWR | O_CLOEXEC);	/* punches */
		if (pfd[0] < 0 || pfd[1] < 0)
			return perror(tail_path), 1;
	} else if (pipe_mode && pipe2(pfd, O_CLOEXEC)) {
		return perror("pipe"), 1;
	}
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
	snprintf(smp.status, sizeof(smp.status), "/proc/%d/status", (int)lpid);
	smp.slab_start = status_kb("/proc/meminfo", "SUnreclaim");
	/* Let the listener subscribe before the first open. */
	sleep(1);

	counts = mmap(NULL, sizeof(long) * nopen, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	kids = calloc(nopen, sizeof(*kids));
	per_lines = calloc(nopen, sizeof(*per_lines));
	per_sum = calloc(nopen, sizeof(*per_sum));
	if (counts == MAP_FAILED || !kids || !per_lines || !per_sum)
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
		char *nl, *start;

		sample(&smp);
		if (openers_done && now - last_line >= (long long)(drain * 1e9))
			break;
		if (!pipe_mode) {
			usleep(100000);
			continue;
		}
		if (!tail_path && poll(&p, 1, 100) <= 0)
			continue;
		r = read(pfd[0], buf + fill, sizeof(buf) - 1 - fill);
		if (r == 0 && tail_path) {
			usleep(2000);	/* at the end of the file so far */
			continue;
		}
		if (r <= 0)
			break;
		done += r;
		/* Read lines of a file take no room: 16 MiB at a time. */
		if (tail_path && done - punched >= (16 << 20)) {
			off_t to = done & ~(off_t)4095;

			if (fallocate(pfd[0], FALLOC_FL_PUNCH_HOLE |
				      FALLOC_FL_KEEP_SIZE, punched,
				      to - punched))
				return perror("fallocate"), 1;
			punched = to;
		}
		now = clock_ns(CLOCK_REALTIME);
		last_line = clock_ns(CLOCK_MONOTONIC);
		fill += r;
		buf[fill] = '\0';
		start = buf;
		while ((nl = memchr(start, '\n', buf + fill - start))) {
			long long t, sc, pid;

			/* Each search within its line, not the rest of buf. */
			*nl = '\0';
			sc = summary_count(start);
			/* The listener's own lines: its losses, not timed. */
			if (!strncmp(start, "{\"type\":\"listener\"", 19) ||
			    !strncmp(start, "{\"type\":\"notice\"", 17)) {
				long long lt = json_num(start,
							"\"lost_total\":");

				if (lt > lost_total)
					lost_total = lt;
				start = nl + 1;
				continue;
			}
			nlines++;
			pid = json_num(start, "\"process\":{\"pid\":");
			for (i = 0; i < nopen; i++) {
				if (pid != kids[i])
					continue;
				if (sc)
					per_sum[i] += sc;
				else
					per_lines[i]++;
			}
			if (sc) {
				nsum_lines++;
				nsummarized += sc;
				start = nl + 1;
				continue;
			}
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
	smp.next = 0;
	sample(&smp);
	hwm = status_kb(smp.status, "VmHWM");
	kill(lpid, SIGINT);
	/* Its last lines: the losses it counted, as it stops. */
	if (tail_path)
		waitpid(lpid, &status, 0);	/* a file has no end to wait for */
	if (pipe_mode) {
		char *p;

		while ((r = read(pfd[0], buf, sizeof(buf) - 1)) > 0) {
			buf[r] = '\0';
			for (p = buf; (p = strstr(p, "\"lost_total\":")); p++)
				if (json_num(p, "\"lost_total\":") > lost_total)
					lost_total = json_num(p,
							      "\"lost_total\":");
		}
	}
	if (!tail_path)
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
	printf("rss_max_kb=%ld\nhwm_kb=%ld\nrmem_max=%lld\n", smp.rss_max, hwm,
	       smp.rmem_max);
	printf("slab_kb_start=%ld\nslab_kb_max=%ld\n", smp.slab_start,
	       smp.slab_max);
	if (pipe_mode) {
		printf("summary_lines=%lld\nsummarized=%lld\n", nsum_lines,
		       nsummarized);
		printf("listener_lost=%lld\n", lost_total);
		for (i = 0; i < nopen; i++)
			printf("%s%d", i ? "," : "opener_pids=", (int)kids[i]);
		for (i = 0; i < nopen; i++)
			printf("%s%ld", i ? "," : "\nopener_opens=", counts[i]);
		for (i = 0; i < nopen; i++)
			printf("%s%lld", i ? "," : "\nopener_lines=", per_lines[i]);
		for (i = 0; i < nopen; i++)
			printf("%s%lld", i ? "," : "\nopener_summarized=",
			       per_sum[i]);
		printf("\n");
	}
	printf("listener_exit=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status));
	return 0;
}
