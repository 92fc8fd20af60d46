// SPDX-License-Identifier: GPL-2.0
/*
 * suite_stress - the module under churn, with faults.
 *
 * Eight processes open each other's mem files (/proc/<pid>/mem,
 * /proc/<pid>/task/<tid>/mem, /proc/self/mem, /proc/thread-self/mem; read,
 * write or both) and eight open ordinary files, all the time, while:
 *   - the module is loaded and unloaded PMG_STRESS_CYCLES times (100), with
 *     parameters that vary from load to load, unloading while the openers
 *     run (a denied open holds a module reference for a moment, a paced
 *     open while its file is open, so rmmod may say EBUSY: it is retried);
 *   - a thread kills the listener (`procmem-guard listen --format json
 *     --wait --no-pace`, SIGTERM and SIGKILL by turns) and starts it again,
 *     once per cycle at a random moment: 100 restarts. Without pacing: a
 *     pacing listener that lags behind eight flat-out openers keeps some of
 *     them waiting in a paced open, each holding a module reference, so
 *     rmmod can be refused for as long as the flood and the lag last (by
 *     design, see README); suite_netlink tests pacing;
 *   - a thread replaces the policy with pmg_apply() (tools/nl.h), going
 *     round a set of policies parsed with tools/policy.h (block modes,
 *     allow rules by exe, uid, cgroup and self, 200 rules, rate limits on
 *     and off, logging and report-allowed on and off): ten per cycle, and
 *     a few more that race with the unload: at least 1,000.
 * In every cycle, before the unload, the statistics invariant must hold
 * exactly: the openers are stopped (SIGSTOP, and seen stopped), the rings
 * drain (inflight 0), and then
 *   matches == sent + drop_ring_full + drop_send + logged + suppressed
 *              + allowed.
 * Every line the listeners print must be JSON; a listener must never exit
 * by itself and must exit 0 on SIGTERM; an apply must succeed whenever the
 * module is loaded (-ENOENT only when it is not).
 *
 * Bounded in time: it stops after PMG_STRESS_CYCLES cycles or when
 * PMG_STRESS_SECONDS (240) are nearly spent, whichever comes first, and
 * prints what it achieved. The host checks dmesg afterwards.
 *
 * Hot or cold (un)loading. insmod and rmmod register and unregister the
 * kprobe, which rewrites the first instruction of security_file_open()
 * (ftrace) while other CPUs may be running it. By default everything runs
 * through them ("hot": unloading with denied opens in flight, where rmmod
 * may say EBUSY and is retried). Under QEMU's multi-threaded TCG the Debian
 * 6.1 guest kernel crashes doing so (RIP 0 called from do_dentry_open())
 * with a module that does nothing but register an empty kprobe on
 * security_file_open(), an emulator problem the harness avoids with
 * single-threaded TCG; PMG_STRESS_HOT_UNLOAD=0 stops the openers and holds
 * the listener restarts for the moment of insmod and rmmod ("cold") for
 * such setups. Either way the rings still hold records when rmmod starts:
 * the openers run between the invariant check and the unload.
 */
#include "kselftest_harness.h"
#include "pmg_test.h"
#include "policy.h"

#include <inttypes.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define N_MEM		8	/* processes opening each other's mem files */
#define N_FILE		8	/* processes opening ordinary files */
#define N_OPENERS	(N_MEM + N_FILE)
#define APPLIES_PER_CYCLE 10
#define APPLY_RACE	5	/* applies allowed beyond the target */
#define N_POLICIES	8
#define STRESS_DIR	"/tmp/pmg-stress"

struct shared {
	volatile int go;
	pid_t mem[N_MEM];
	uint64_t opens[N_OPENERS];	/* opens that succeeded */
	uint64_t denied[N_OPENERS];	/* EACCES */
	uint64_t failed[N_OPENERS];	/* other errors */
};

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	unsigned long long x;
	char *end;

	if (!v || !*v)
		return def;
	errno = 0;
	x = strtoull(v, &end, 0);
	return errno || *end ? def : x;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- openers ---- */

static void count_open(struct shared *sh, int i, int fd)
{
	if (fd >= 0) {
		close(fd);
		sh->opens[i]++;
	} else if (errno == EACCES) {
		sh->denied[i]++;
	} else {
		sh->failed[i]++;
	}
}

static void mem_opener(struct shared *sh, int i)
{
	static const int modes[] = { O_RDONLY, O_RDONLY, O_RDONLY, O_RDWR, O_WRONLY };
	uint64_t s = 0x9e3779b97f4a7c15ULL * (i + 1);
	char path[64];
	pid_t peer;

	while (!sh->go)
		usleep(1000);
	for (;;) {
		peer = sh->mem[xorshift(&s) % N_MEM];
		switch (xorshift(&s) % 8) {
		case 0:
			snprintf(path, sizeof(path), "/proc/%d/task/%d/mem", peer, peer);
			break;
		case 1:
			snprintf(path, sizeof(path), "/proc/self/mem");
			break;
		case 2:
			snprintf(path, sizeof(path), "/proc/thread-self/mem");
			break;
		default:
			snprintf(path, sizeof(path), "/proc/%d/mem", peer);
			break;
		}
		count_open(sh, i, open(path, modes[xorshift(&s) % 5]));
	}
}

static void file_opener(struct shared *sh, int i)
{
	static const char * const paths[] = {
		"/etc/passwd", "/proc/self/status", "/dev/null",
		STRESS_DIR "/file", "/proc/self/maps", "/sys/kernel/mm",
	};
	uint64_t s = 0xdeadbeefULL * (i + 1);

	while (!sh->go)
		usleep(1000);
	for (;;) {
		unsigned int k = xorshift(&s) % 6;

		/* The tmpfs file and /dev/null also for writing. */
		count_open(sh, i, open(paths[k], k == 2 || k == 3 ?
				       (xorshift(&s) % 2 ? O_RDWR : O_WRONLY) :
				       O_RDONLY));
	}
}

static pid_t start_opener(struct shared *sh, int i)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, i < N_MEM ? "pmg-st-mem" : "pmg-st-file");
	/* Below the control path: insmod, rmmod and the CLI stay responsive. */
	setpriority(PRIO_PROCESS, 0, 10);
	if (i < N_MEM)
		mem_opener(sh, i);
	else
		file_opener(sh, i);
	_exit(0);
}

/* True once /proc/<pid>/stat says stopped (T) or traced (t). */
static bool is_stopped(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && (p[2] == 'T' || p[2] == 't');
}

static bool stop_all(const pid_t *pids, int n)
{
	double end = pmg_now() + 20;
	int i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGSTOP);
	for (i = 0; i < n; i++)
		while (!is_stopped(pids[i])) {
			if (pmg_now() > end)
				return false;
			usleep(2000);
		}
	return true;
}

static void cont_all(const pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGCONT);
}

/* ---- the control threads ---- */

struct ctl {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* Held by insmod/rmmod (cold mode) and by a listener's start-up,
	 * which opens files (exec, libraries).
	 */
	pthread_mutex_t patching;
	bool done;
	uint64_t target_applies, target_restarts;
	/* applier */
	struct pmg_policy pol[N_POLICIES];
	uint64_t applied, raced, apply_errors;
	int last_apply_error;
	/* listener restarter */
	uint64_t restarts, lines, bad_lines, listener_failures;
	char listener_note[512];
	uint64_t seed;
};

static void *applier(void *arg)
{
	const struct pmg_policy *pol;
	struct ctl *c = arg;
	struct pmg_nl *nl = NULL;
	uint64_t k = 0, s = c->seed | 1;
	int err;

	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (!c->done && c->applied >= c->target_applies + APPLY_RACE)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->done) {
			pthread_mutex_unlock(&c->mu);
			break;
		}
		pthread_mutex_unlock(&c->mu);
		if (!nl && pmg_nl_open(&nl)) {
			nl = NULL;	/* not loaded */
			usleep(10000);
			continue;
		}
		pol = &c->pol[k % N_POLICIES];
		err = pmg_apply(nl, &pol->config, pol->rules, pol->nrules);
		pthread_mutex_lock(&c->mu);
		if (!err) {
			c->applied++;
			k++;
			pthread_cond_broadcast(&c->cv);
		} else if (err == -ENOENT) {
			c->raced++;	/* the family went away under us */
		} else {
			c->apply_errors++;
			c->last_apply_error = err;
		}
		pthread_mutex_unlock(&c->mu);
		if (err) {
			pmg_nl_close(nl);
			nl = NULL;
			usleep(10000);
		}
		usleep(xorshift(&s) % 20000);
	}
	pmg_nl_close(nl);
	return NULL;
}

/* True once the process catches SIGTERM (SigCgt in /proc/<pid>/status):
 * a SIGTERM before that would kill it, as it kills any process.
 */
static bool catches_sigterm(pid_t pid, double seconds)
{
	double end = pmg_now() + seconds;
	unsigned long long mask;
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	while (pmg_now() < end) {
		f = fopen(path, "r");
		if (!f)
			return false;
		mask = 0;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "SigCgt: %llx", &mask) == 1)
				break;
		fclose(f);
		if (mask & (1ULL << (SIGTERM - 1)))
			return true;
		usleep(10000);
	}
	return false;
}

/* Kills the listener with sig; false (and a note) if it misbehaved. */
static bool listener_kill(struct pmg_counting_listener *l, int sig, char *note,
			  size_t notesz)
{
	bool ok = true;
	int st;

	if (waitpid(l->pid, &st, WNOHANG) == l->pid) {
		snprintf(note, notesz, "listener exited by itself (status 0x%x)", st);
		ok = false;
	} else if (sig == SIGTERM && !catches_sigterm(l->pid, 30)) {
		snprintf(note, notesz, "listener: no SIGTERM handler after 30 s");
		kill(l->pid, SIGKILL);
		waitpid(l->pid, &st, 0);
		ok = false;
	} else {
		kill(l->pid, sig);
		waitpid(l->pid, &st, 0);
		if (sig == SIGTERM && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
			snprintf(note, notesz, "listener: status 0x%x after SIGTERM", st);
			ok = false;
		}
	}
	pthread_join(l->reader, NULL);
	if (!ok) {
		size_t used = strlen(note), i;
		char err[4096], *tail;
		int fd = open(STRESS_DIR "/listener.err", O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, err, sizeof(err) - 1) : -1;

		if (fd >= 0)
			close(fd);
		err[n > 0 ? n : 0] = '\0';
		for (i = 0; err[i]; i++)
			if (err[i] == '\n')
				err[i] = '|';
		tail = strlen(err) > 160 ? err + strlen(err) - 160 : err;
		snprintf(note + used, notesz - used, "; its stderr: \"%s\"", tail);
	}
	return ok;
}

/* Starts a listener and waits until it is up (its SIGTERM handler set:
 * past exec and the libraries), holding the patching lock meanwhile.
 */
static int listener_start_ready(struct ctl *c, struct pmg_counting_listener *l)
{
	int err;

	pthread_mutex_lock(&c->patching);
	/* Without pacing: see the comment at the top. */
	err = pmg_counting_listener_start(l, true, false,
					  STRESS_DIR "/listener.err");
	if (!err && !catches_sigterm(l->pid, 30)) {
		snprintf(c->listener_note, sizeof(c->listener_note),
			 "listener: no SIGTERM handler after 30 s");
		kill(l->pid, SIGKILL);
		waitpid(l->pid, NULL, 0);
		pthread_join(l->reader, NULL);
		err = -1;
	}
	pthread_mutex_unlock(&c->patching);
	return err;
}

static void *restarter(void *arg)
{
	struct ctl *c = arg;
	struct pmg_counting_listener l;
	uint64_t s = c->seed * 3 + 1;
	bool running = false, ok;

	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (!c->done && c->restarts >= c->target_restarts)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->done) {
			pthread_mutex_unlock(&c->mu);
			break;
		}
		pthread_mutex_unlock(&c->mu);
		if (!running) {
			if (listener_start_ready(c, &l)) {
				c->listener_failures++;
				usleep(100000);
				continue;
			}
			running = true;
		}
		usleep(50000 + xorshift(&s) % 400000);
		ok = listener_kill(&l, c->restarts % 2 ? SIGKILL : SIGTERM,
				   c->listener_note, sizeof(c->listener_note));
		running = false;
		pthread_mutex_lock(&c->mu);
		c->lines += l.lines;
		c->bad_lines += l.bad;
		if (!ok)
			c->listener_failures++;
		c->restarts++;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
		if (listener_start_ready(c, &l) == 0)
			running = true;
	}
	if (running) {
		ok = listener_kill(&l, SIGTERM, c->listener_note,
				   sizeof(c->listener_note));
		c->lines += l.lines;
		c->bad_lines += l.bad;
		if (!ok)
			c->listener_failures++;
	}
	return NULL;
}

/* Waits until both threads reached this cycle's targets; false on timeout. */
static bool wait_targets(struct ctl *c, double seconds)
{
	struct timespec ts;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)seconds;
	pthread_mutex_lock(&c->mu);
	while ((c->applied < c->target_applies ||
		c->restarts < c->target_restarts) &&
	       pthread_cond_timedwait(&c->cv, &c->mu, &ts) == 0)
		;
	ok = c->applied >= c->target_applies && c->restarts >= c->target_restarts;
	pthread_mutex_unlock(&c->mu);
	return ok;
}

static void set_targets(struct ctl *c, uint64_t applies, uint64_t restarts)
{
	pthread_mutex_lock(&c->mu);
	c->target_applies = applies;
	c->target_restarts = restarts;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

/* ---- policies ---- */

/* The cgroup v2 directory of this process, for cgroup= rules. */
static void own_cgroup(char *buf, size_t size)
{
	char line[512] = "";
	FILE *f = fopen("/proc/self/cgroup", "r");

	snprintf(buf, size, "/sys/fs/cgroup");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::/", 4)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, size, "/sys/fs/cgroup%.400s",
				 strcmp(line + 3, "/") ? line + 3 : "");
		}
	fclose(f);
}

static int load_policies(struct ctl *c, char *msg, size_t msgsz)
{
	char cg[512], exe[4200], text[16384], path[64];
	struct pmg_perr perr;
	size_t used;
	int i, err;

	own_cgroup(cg, sizeof(cg));
	snprintf(exe, sizeof(exe), "%s", pmg_self_exe());
	const char *fixed[N_POLICIES - 1] = {
		"read alert\nwrite alert\nratelimit 10/s burst 20\nlog on\nreport-allowed off\n",
		"read block\nwrite block\nratelimit off\nallow self access=read\nallow uid=4242\n",
		"read alert\nwrite block\nratelimit 1000/s burst 100\nreport-allowed on\n"
		"allow exe=%EXE% access=read\n",
		"read off\nwrite off\nlog off\n",
		"read block\nwrite alert\nlog on\nallow uid=0 access=write\n"
		"allow cgroup=%CG% access=read-write\n",
		"read alert\nwrite alert\nratelimit off\nlog off\nreport-allowed off\n"
		"allow exe=/bin/busybox\nallow self\n",
		"read block\nwrite block\nratelimit 10/s burst 1\nreport-allowed on\n"
		"log on\nallow self access=read-write\n",
	};

	for (i = 0; i < N_POLICIES; i++) {
		text[0] = '\0';
		if (i < N_POLICIES - 1) {
			const char *t = fixed[i], *p;

			used = 0;
			while ((p = strchr(t, '%'))) {
				used += snprintf(text + used, sizeof(text) - used,
						 "%.*s%s", (int)(p - t), t,
						 !strncmp(p, "%EXE%", 5) ? exe : cg);
				t = strchr(p + 1, '%') + 1;
			}
			snprintf(text + used, sizeof(text) - used, "%s", t);
		} else {
			int k;

			used = snprintf(text, sizeof(text),
					"read block\nwrite alert\nratelimit 100/s burst 5\n");
			for (k = 0; k < 200; k++)
				used += snprintf(text + used, sizeof(text) - used,
						 "allow uid=%d access=read\n", 10000 + k);
		}
		snprintf(path, sizeof(path), STRESS_DIR "/policy-%d", i);
		if (pmg_write_text(path, text))
			return -errno;
		err = pmg_policy_load(path, &c->pol[i], &perr);
		if (err) {
			snprintf(msg, msgsz, "%.200s", perr.msg);
			return err;
		}
	}
	return 0;
}

/* ---- the test ---- */

FIXTURE(stress) {
	struct shared *sh;
	pid_t pids[N_OPENERS];
	struct ctl c;
	pthread_t applier, restarter;
	bool threads;
};

FIXTURE_SETUP(stress)
{
	char msg[256];
	int i;

	PMG_ONLY_SELECTED();
	memset(&self->c, 0, sizeof(self->c));
	pthread_mutex_init(&self->c.mu, NULL);
	pthread_cond_init(&self->c.cv, NULL);
	pthread_mutex_init(&self->c.patching, NULL);
	self->c.seed = env_u64("PMG_STRESS_SEED", (uint64_t)time(NULL));
	pmg_unload();
	mkdir(STRESS_DIR, 0755);
	ASSERT_EQ(0, pmg_write_text(STRESS_DIR "/file", "ordinary\n"));
	ASSERT_EQ(0, load_policies(&self->c, msg, sizeof(msg))) TH_LOG("%s", msg);
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	for (i = 0; i < N_OPENERS; i++) {
		self->pids[i] = start_opener(self->sh, i);
		ASSERT_GT(self->pids[i], 0);
		if (i < N_MEM)
			self->sh->mem[i] = self->pids[i];
	}
	self->sh->go = 1;
}

FIXTURE_TEARDOWN(stress)
{
	int i;

	if (self->threads) {
		pthread_mutex_lock(&self->c.mu);
		self->c.done = true;
		pthread_cond_broadcast(&self->c.cv);
		pthread_mutex_unlock(&self->c.mu);
		pthread_join(self->applier, NULL);
		pthread_join(self->restarter, NULL);
	}
	for (i = 0; i < N_OPENERS; i++)
		if (self->pids[i] > 0) {
			kill(self->pids[i], SIGKILL);
			waitpid(self->pids[i], NULL, 0);
		}
	pmg_unload();
	for (i = 0; i < N_POLICIES; i++)
		pmg_policy_free(&self->c.pol[i]);
}

/* Hot unless PMG_STRESS_HOT_UNLOAD=0. */
static bool hot_unload(void)
{
	const char *v = getenv("PMG_STRESS_HOT_UNLOAD");

	return !v || strcmp(v, "0") != 0;
}

/* Cold mode: openers stopped and no listener starting while fn runs. */
struct patch_guard {
	struct ctl *c;
	const pid_t *pids;
	bool cold;
};

static bool patch_begin(struct patch_guard *g)
{
	if (!g->cold)
		return true;
	pthread_mutex_lock(&g->c->patching);
	if (stop_all(g->pids, N_OPENERS))
		return true;
	cont_all(g->pids, N_OPENERS);
	pthread_mutex_unlock(&g->c->patching);
	return false;
}

static void patch_end(struct patch_guard *g)
{
	if (!g->cold)
		return;
	cont_all(g->pids, N_OPENERS);
	pthread_mutex_unlock(&g->c->patching);
}

/*
 * rmmod until it works; retries. A denied open holds a module reference for
 * a moment, a paced one for as long as the file is open: in cold mode an
 * opener may have been stopped with such a file open, so the openers run
 * for a moment between tries.
 */
static int unload_retrying(struct patch_guard *g, double seconds,
			   uint64_t *retries)
{
	double end = pmg_now() + seconds;

	while (pmg_loaded()) {
		if (pmg_sh("rmmod procmem_guard 2>/dev/null") == 0)
			return 0;
		if (pmg_now() > end)
			return -1;
		(*retries)++;
		if (g->cold)
			cont_all(g->pids, N_OPENERS);
		usleep(20000);
		if (g->cold && !stop_all(g->pids, N_OPENERS))
			return -1;
	}
	return 0;
}

TEST_F_TIMEOUT(stress, churn_keeps_the_invariant, 1200)
{
	static const char * const params[] = {
		"", "read=block", "ratelimit=off", "write=block report_allowed=1",
		"read=block write=block ratelimit=off log=0", "burst=1",
	};
	uint64_t cycles = env_u64("PMG_STRESS_CYCLES", 100);
	double budget = env_u64("PMG_STRESS_SECONDS", 240);
	struct patch_guard g = { &self->c, self->pids, !hot_unload() };
	double t0 = pmg_now(), worst = 0, cyc_t0;
	uint64_t done = 0, held = 0, load_fail = 0, unload_fail = 0;
	uint64_t retries = 0, stop_fail = 0, target_timeouts = 0;
	uint64_t opens = 0, denied = 0, failed = 0, mem_opens = 0;
	uint64_t matches = 0, blocked = 0;
	struct pmg_stats st;
	uint64_t c, sum;
	char terms[256];
	int i, rc;

	printf("# %s (un)loading: the openers %s while insmod and rmmod patch security_file_open()\n",
	       g.cold ? "cold" : "hot", g.cold ? "stop" : "run");
	ASSERT_EQ(0, pthread_create(&self->applier, NULL, applier, &self->c));
	ASSERT_EQ(0, pthread_create(&self->restarter, NULL, restarter, &self->c));
	self->threads = true;
	for (c = 0; c < cycles; c++) {
		cyc_t0 = pmg_now();
		/* Keep room for one more of the slowest cycle so far. */
		if (c && cyc_t0 - t0 + worst * 1.5 > budget) {
			printf("# time budget (%.0f s) nearly spent: stopping after %" PRIu64 " cycles\n",
			       budget, done);
			break;
		}
		if (!patch_begin(&g)) {
			stop_fail++;
			break;
		}
		rc = pmg_load(params[c % (sizeof(params) / sizeof(params[0]))]);
		patch_end(&g);
		if (rc) {
			load_fail++;
			continue;
		}
		set_targets(&self->c, APPLIES_PER_CYCLE * (c + 1), c + 1);
		usleep(100000);	/* findings flow under the load-time policy */
		if (!wait_targets(&self->c, 60))
			target_timeouts++;
		if (!stop_all(self->pids, N_OPENERS)) {
			stop_fail++;
		} else if (pmg_settle(&st) == 0 && st.v[PMG_S_INFLIGHT] == 0) {
			sum = pmg_stats_accounted(&st);
			matches += st.v[PMG_S_MATCHES];
			blocked += st.v[PMG_S_BLOCKED];
			if (sum == st.v[PMG_S_MATCHES])
				held++;
			else
				printf("# cycle %" PRIu64 ": matches %" PRIu64 " != %" PRIu64
				       " (%s)\n", c, st.v[PMG_S_MATCHES], sum,
				       pmg_stats_terms(&st, terms, sizeof(terms)));
		} else {
			printf("# cycle %" PRIu64 ": the rings did not drain\n", c);
		}
		cont_all(self->pids, N_OPENERS);
		/* Records in the rings again, then the unload. */
		usleep(200000);
		if (!patch_begin(&g)) {
			stop_fail++;
			break;
		}
		if (unload_retrying(&g, 60, &retries))
			unload_fail++;
		patch_end(&g);
		done++;
		if (pmg_now() - cyc_t0 > worst)
			worst = pmg_now() - cyc_t0;
	}
	set_targets(&self->c, self->c.applied, self->c.restarts);

	for (i = 0; i < N_OPENERS; i++) {
		opens += self->sh->opens[i];
		denied += self->sh->denied[i];
		failed += self->sh->failed[i];
		if (i < N_MEM)
			mem_opens += self->sh->opens[i] + self->sh->denied[i];
	}
	pthread_mutex_lock(&self->c.mu);
	printf("# %" PRIu64 " load cycles in %.1f s (slowest %.1f s): invariant held in %" PRIu64
	       ", load failures %" PRIu64 ", unload failures %" PRIu64 ", rmmod retries %" PRIu64 "\n",
	       done, pmg_now() - t0, worst, held, load_fail, unload_fail, retries);
	printf("# policy replacements: %" PRIu64 " (%" PRIu64 " raced with an unload, %" PRIu64
	       " errors%s%s)\n", self->c.applied, self->c.raced, self->c.apply_errors,
	       self->c.apply_errors ? ", last: " : "",
	       self->c.apply_errors ? strerror(-self->c.last_apply_error) : "");
	printf("# listener restarts: %" PRIu64 " (%" PRIu64 " lines, %" PRIu64 " not JSON, %"
	       PRIu64 " failures%s%s)\n", self->c.restarts, self->c.lines,
	       self->c.bad_lines, self->c.listener_failures,
	       self->c.listener_failures ? ": " : "", self->c.listener_note);
	printf("# opens: %" PRIu64 " succeeded, %" PRIu64 " denied, %" PRIu64
	       " failed otherwise; mem opens %" PRIu64 "; findings %" PRIu64
	       " (blocked %" PRIu64 ")\n", opens, denied, failed, mem_opens,
	       matches, blocked);
	fflush(stdout);
	pthread_mutex_unlock(&self->c.mu);

	EXPECT_GT(done, 0);
	EXPECT_EQ(done, held);
	EXPECT_EQ(0, load_fail);
	EXPECT_EQ(0, unload_fail);
	EXPECT_EQ(0, stop_fail);
	EXPECT_EQ(0, target_timeouts);
	EXPECT_GE(self->c.applied, APPLIES_PER_CYCLE * done);
	EXPECT_GE(self->c.restarts, done);
	EXPECT_EQ(0, self->c.apply_errors);
	EXPECT_EQ(0, self->c.listener_failures);
	EXPECT_EQ(0, self->c.bad_lines);
	EXPECT_GT(matches, 0);
	EXPECT_GT(mem_opens, 0);
}

/*
 * A listener whose output pipe is full is blocked in write(); SIGTERM then
 * must still end it cleanly: exit status 0, and no line cut in the middle.
 * (The restarts above hit this now and then: the CLI's SIGTERM handler is
 * installed without SA_RESTART, the write fails with EINTR, and `listen`
 * exits 2 with "writing output: Interrupted system call".)
 */
FIXTURE(blocked) {
	pid_t pid;
	int out;
};

FIXTURE_SETUP(blocked)
{
	self->pid = 0;
	self->out = -1;
	pmg_unload();
	mkdir(STRESS_DIR, 0755);
	ASSERT_EQ(0, pmg_load("ratelimit=off"));
}

FIXTURE_TEARDOWN(blocked)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
	if (self->out >= 0)
		close(self->out);
	pmg_unload();
}

/* The number of the system call pid is blocked in, or -1. */
static long blocked_in(pid_t pid)
{
	char path[64], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

TEST_F_TIMEOUT(blocked, listener_sigterm_while_output_blocked, 120)
{
	char err[4096] = "", *buf = NULL, *line, *save = NULL;
	size_t have = 0, cap = 0, lines = 0, bad = 0;
	struct pollfd pfd;
	double end;
	ssize_t n;
	int p[2], st, fd, i;

	ASSERT_EQ(0, pipe(p));
	self->pid = fork();
	ASSERT_GE(self->pid, 0);
	if (self->pid == 0) {
		fd = open(STRESS_DIR "/blocked.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(p[1], 1);
		if (fd >= 0)
			dup2(fd, 2);
		close(p[0]);
		execl(pmg_cli(), "procmem-guard", "listen", "--format", "json",
		      (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	self->out = p[0];
	ASSERT_TRUE(catches_sigterm(self->pid, 30));
	/* Findings until the listener sits in write() on the full pipe. */
	end = pmg_now() + 60;
	while (blocked_in(self->pid) != SYS_write && pmg_now() < end)
		for (i = 0; i < 100; i++)
			close(open("/proc/self/mem", O_RDONLY));
	ASSERT_EQ(SYS_write, blocked_in(self->pid)) TH_LOG("never blocked writing");
	usleep(200000);
	ASSERT_EQ(0, kill(self->pid, SIGTERM));
	/* Read everything it wrote, to its end. */
	pfd.fd = self->out;
	pfd.events = POLLIN;
	end = pmg_now() + 60;
	for (;;) {
		if (have + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			ASSERT_NE(NULL, buf);
		}
		if (poll(&pfd, 1, 1000) <= 0) {
			if (pmg_now() > end)
				break;
			continue;
		}
		n = read(self->out, buf + have, cap - have - 1);
		if (n <= 0)
			break;
		have += n;
	}
	buf[have] = '\0';
	ASSERT_EQ(self->pid, waitpid(self->pid, &st, 0));
	self->pid = 0;
	fd = open(STRESS_DIR "/blocked.err", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, err, sizeof(err) - 1);
		err[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	/* Every line whole, the last one too. */
	EXPECT_TRUE(have == 0 || buf[have - 1] == '\n');
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(line);

		lines++;
		if (o)
			json_object_put(o);
		else
			bad++;
	}
	free(buf);
	printf("# listener blocked on a full pipe, then SIGTERM: %zu lines read, %zu not JSON, status 0x%x\n",
	       lines, bad, st);
	EXPECT_EQ(0, bad);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("status 0x%x, stderr: %s", st, err);
}

TEST_HARNESS_MAIN
