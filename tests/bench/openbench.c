// SPDX-License-Identifier: GPL-2.0
/*
 * openbench - time N accesses, in the loop and end to end.
 *
 * usage: openbench [-o FILE | -c COUNTER] [-l LINES] [-a] [-p PID]...
 *                  [-t IDLE_S] TARGET N [WARMUP]
 *
 * TARGET is
 *   PATH        open(O_RDONLY)+close() of PATH;
 *   child-stat  open+read+close of /proc/<child>/stat, a child forked for
 *               the run (the read asks __ptrace_may_access() in READ mode);
 *   vmread      process_vm_readv() of 64 bytes of such a child's memory.
 *
 * The loop clock runs from the first to the last access. The end-to-end
 * clock stops only when the consumer has every line: with -o, when FILE
 * (a listener's output, appended to) holds LINES more lines per access
 * than before the loop; with -c, when the 8-byte counter at the start of
 * COUNTER (a file a discarding consumer maps and counts in) has grown by
 * LINES per access. Without either, or with -l 0, the two clocks agree.
 * If the consumer stops short (findings were lost), the end-to-end clock
 * stops at its last line, and the line says complete=0. Besides the clock,
 * e2e_busy counts the time the CPUs were not idle (rq_cpu_time of
 * /proc/schedstat) over the same span: time spent waiting on a timer with
 * nothing to run, which the clock includes, is left out of it.
 * The WARMUP accesses (N/10 by default) and their lines come first, and
 * before the warm-up and before the timed loop the machine must be idle
 * (at least 90 % over 200 ms, from /proc/stat): no row pays for the work
 * a previous one left behind. A consumer that makes no progress for
 * IDLE_S seconds (10) is given up on: the line is then marked incomplete.
 *
 * -a adds where the instructions went between the start of the loop and
 * the machine going idle after it: this process, the processes given
 * with -p (the consumers), kernel workers (kworker threads), and everything
 * else, from /proc/<pid>/schedstat (time on a CPU, ns).
 *
 * Prints one line:
 *   TARGET ns_per_op=X e2e_ns_per_op=Y e2e_busy_ns_per_op=Z ops=N
 *   errors=E errno=C lines=L
 *   expected=X complete=0|1 [self_ns=.. consumer_ns=.. kworker_ns=..
 *   other_ns=.. span_ns=..]   (the -a figures are per access)
 * ns are CLOCK_MONOTONIC nanoseconds; under QEMU -icount shift=0 one guest
 * nanosecond is one emulated instruction (and time the CPU sits idle
 * passes at once), so the figures count instructions, not time on real
 * hardware. A failing access (EACCES or EPERM under a block policy) is
 * still one; its errno is reported so the caller can check which path
 * was taken.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PIDS	8

enum target { T_PATH, T_CHILD_STAT, T_VMREAD };

static enum target target;
static const char *path;
static char stat_path[64];
static pid_t child;
static char remote_buf[4096];	/* same address in the forked child */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* One access; 0 or the errno of a refused one. */
static int access_once(void)
{
	char buf[1024];
	int fd, err = 0;

	switch (target) {
	case T_VMREAD: {
		struct iovec l = { buf, 64 }, r = { remote_buf, 64 };

		if (process_vm_readv(child, &l, 1, &r, 1, 0) < 0)
			err = errno;
		return err;
	}
	case T_CHILD_STAT:
		fd = open(stat_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno;
		if (read(fd, buf, sizeof(buf)) < 0)
			err = errno;
		close(fd);
		return err;
	default:
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	}
}

static long run(long n, int *err)
{
	long errors = 0, i;

	for (i = 0; i < n; i++) {
		int e = access_once();

		if (e) {
			errors++;
			*err = e;
		}
	}
	return errors;
}

/* --- the consumer's progress ------------------------------------------ */

static int out_fd = -1;
static off_t out_off;
static long out_lines;
static volatile uint64_t *counter;

/*
 * Lines (or counts) the consumer has produced so far. The file's new part
 * is mapped and its newlines counted in place: reading it would copy every
 * byte, and that copy, the instrument's own cost, would be counted in the
 * end-to-end figure (about one instruction per byte under -icount).
 */
static long progress(void)
{
	struct stat st;
	off_t base;
	char *m, *p, *end;

	if (counter)
		return (long)*counter;
	if (out_fd < 0 || fstat(out_fd, &st) || st.st_size <= out_off)
		return out_lines;
	base = out_off & ~(off_t)4095;
	m = mmap(NULL, st.st_size - base, PROT_READ, MAP_SHARED | MAP_POPULATE,
		 out_fd, base);
	if (m == MAP_FAILED)
		return out_lines;
	end = m + (st.st_size - base);
	for (p = m + (out_off - base); (p = memchr(p, '\n', end - p)); p++)
		out_lines++;
	munmap(m, st.st_size - base);
	out_off = st.st_size;
	return out_lines;
}

/*
 * Time on a CPU of every task since boot, all CPUs (rq_cpu_time of
 * /proc/schedstat, ns): the time not spent idle.
 */
static long long busy_ns(void)
{
	char line[512];
	long long sum = 0, v[7];
	FILE *f = fopen("/proc/schedstat", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "cpu", 3) &&
		    sscanf(line, "%*s %lld %lld %lld %lld %lld %lld %lld", &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 7)
			sum += v[6];
	fclose(f);
	return sum;
}

/*
 * Waits until the consumer has reached want. Returns the time it was seen
 * there, or, if it made no progress for idle_ns (findings lost), the time
 * its last line was seen (*complete = 0); *busy is busy_ns() then.
 */
static long long wait_lines(long want, long long idle_ns, int *complete,
			    long long *busy)
{
	long have = progress(), last = have;
	long long t_last = now_ns(), b_last = busy ? busy_ns() : 0;

	while (have < want) {
		/* Polling costs instructions too: 5 ms naps until close. */
		nap_ms(want - have > 200 ? 5 : 1);
		have = progress();
		if (have != last) {
			last = have;
			t_last = now_ns();
			/* Just back from a nap: little of this task's time is
			 * not counted yet.
			 */
			b_last = busy ? busy_ns() : 0;
		} else if (now_ns() - t_last > idle_ns) {
			*complete = 0;
			if (busy)
				*busy = b_last;
			return t_last;
		}
	}
	t_last = now_ns();
	if (busy) {
		/* This task's time counts once it leaves the CPU. */
		nap_ms(1);
		*busy = busy_ns();
	}
	return t_last;
}

/* --- idle ------------------------------------------------------------- */

static int read_cpu(unsigned long long *idle, unsigned long long *total)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "re");
	int n, i;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		   &v[8], &v[9]);
	fclose(f);
	if (n < 4)
		return -1;
	*idle = v[3] + v[4];
	*total = 0;
	for (i = 0; i < 8; i++)	/* guest time is already in user */
		*total += v[i];
	return 0;
}

/* At least 90 % idle over a 200 ms window, for up to limit_ms. */
static void wait_idle(long limit_ms)
{
	long long end = now_ns() + limit_ms * 1000000LL;
	unsigned long long i0, t0, i1, t1;

	if (read_cpu(&i0, &t0))
		return;
	while (now_ns() < end) {
		nap_ms(200);
		if (read_cpu(&i1, &t1))
			return;
		if (t1 > t0 && (i1 - i0) * 10 >= (t1 - t0) * 9)
			return;
		i0 = i1;
		t0 = t1;
	}
}

/* --- where the instructions went (-a) --------------------------------- */

struct cpu_split {
	long long self, consumer, kworker, other, at;
};

static pid_t consumers[MAX_PIDS];
static int nconsumers;

static long long task_ns(const char *dir)
{
	char p[300];
	long long ns = 0;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%s/schedstat", dir);
	f = fopen(p, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%lld", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

static int is_kworker(const char *dir)
{
	char p[300], comm[64] = "";
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%s/comm", dir);
	f = fopen(p, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strncmp(comm, "kworker", 7);
}

/*
 * Every task's time on a CPU, by class. This process's own is read last
 * at the start (self_last) and first at the end, so that the scan itself
 * is left out of it.
 */
static void split(struct cpu_split *s, int self_last)
{
	DIR *d;
	struct dirent *e;
	pid_t me = getpid();

	memset(s, 0, sizeof(*s));
	if (!self_last) {
		s->self = task_ns("self");
		s->at = now_ns();
	}
	d = opendir("/proc");
	if (!d)
		return;
	while ((e = readdir(d))) {
		pid_t pid;
		int i, cons = 0;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = atoi(e->d_name);
		if (pid == me)
			continue;
		for (i = 0; i < nconsumers; i++)
			cons |= consumers[i] == pid;
		if (cons)
			s->consumer += task_ns(e->d_name);
		else if (is_kworker(e->d_name))
			s->kworker += task_ns(e->d_name);
		else
			s->other += task_ns(e->d_name);
	}
	closedir(d);
	if (self_last) {
		/* A task's count moves on when it leaves the CPU. */
		nap_ms(1);
		s->self = task_ns("self");
		s->at = now_ns();
	}
}

/* --- main ------------------------------------------------------------- */

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-o FILE | -c COUNTER] [-l LINES] [-a] "
		"[-p PID]... [-t IDLE_S] TARGET N [WARMUP]\n", prog);
	exit(2);
}

static void start_child(void)
{
	int p[2];
	char c;

	if (pipe(p))
		perror("pipe"), exit(1);
	memset(remote_buf, 0x5a, sizeof(remote_buf));
	child = fork();
	if (child < 0)
		perror("fork"), exit(1);
	if (child == 0) {
		close(p[1]);
		/* Until the parent is gone. */
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	snprintf(stat_path, sizeof(stat_path), "/proc/%d/stat", (int)child);
}

int main(int argc, char **argv)
{
	long n, warm, errors, lines_per_op = 1, base, got;
	long long t0, t1, t2, b0, b2 = 0, idle_ns = 10000000000LL;
	struct cpu_split s0, s1;
	const char *out = NULL, *cnt = NULL;
	int err = 0, c, acct = 0, complete = 1, warm_complete = 1;

	while ((c = getopt(argc, argv, "o:c:l:ap:t:")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'c': cnt = optarg; break;
		case 'l': lines_per_op = atol(optarg); break;
		case 'a': acct = 1; break;
		case 'p':
			if (nconsumers < MAX_PIDS)
				consumers[nconsumers++] = atoi(optarg);
			break;
		case 't': idle_ns = (long long)(atof(optarg) * 1e9); break;
		default: usage(argv[0]);
		}
	}
	if (argc - optind < 2 || (out && cnt))
		usage(argv[0]);
	path = argv[optind];
	n = atol(argv[optind + 1]);
	warm = argc - optind > 2 ? atol(argv[optind + 2]) : n / 10;
	if (n <= 0 || warm < 0 || lines_per_op < 0) {
		fprintf(stderr, "%s: bad count\n", argv[0]);
		return 2;
	}
	if (!strcmp(path, "child-stat"))
		target = T_CHILD_STAT;
	else if (!strcmp(path, "vmread"))
		target = T_VMREAD;
	if (target != T_PATH)
		start_child();
	if (out) {
		out_fd = open(out, O_RDONLY | O_CLOEXEC | O_CREAT, 0644);
		if (out_fd < 0)
			return perror(out), 1;
	} else if (cnt) {
		int fd = open(cnt, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return perror(cnt), 1;
		counter = mmap(NULL, sizeof(*counter), PROT_READ, MAP_SHARED,
			       fd, 0);
		close(fd);
		if (counter == MAP_FAILED)
			return perror(cnt), 1;
	} else {
		lines_per_op = 0;
	}

	wait_idle(60000);
	base = progress();
	run(warm, &err);
	/* Only the timed loop's lines tell whether it was complete. */
	wait_lines(base + warm * lines_per_op, idle_ns, &warm_complete, NULL);
	wait_idle(60000);
	err = 0;
	base = progress();
	if (acct)
		split(&s0, 1);
	nap_ms(1);
	b0 = busy_ns();
	t0 = now_ns();
	errors = run(n, &err);
	t1 = now_ns();
	t2 = wait_lines(base + n * lines_per_op, idle_ns, &complete, &b2);
	got = progress() - base;
	printf("%s ns_per_op=%.2f e2e_ns_per_op=%.2f e2e_busy_ns_per_op=%.2f ops=%ld errors=%ld errno=%d lines=%ld expected=%ld complete=%d",
	       path, (double)(t1 - t0) / n, (double)(t2 - t0) / n,
	       (double)(b2 - b0) / n, n, errors, err, got, n * lines_per_op,
	       complete);
	if (acct) {
		wait_idle(60000);
		split(&s1, 0);
		printf(" self_ns=%.1f consumer_ns=%.1f kworker_ns=%.1f other_ns=%.1f span_ns=%.1f",
		       (double)(s1.self - s0.self) / n,
		       (double)(s1.consumer - s0.consumer) / n,
		       (double)(s1.kworker - s0.kworker) / n,
		       (double)(s1.other - s0.other) / n,
		       (double)(s1.at - s0.at) / n);
	}
	printf("\n");
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 0;
}
