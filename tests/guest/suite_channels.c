// SPDX-License-Identifier: GPL-2.0
/*
 * suite_channels - every door to another process's memory besides mem
 * files: process_vm_readv/writev, ptrace attach, seize, traceme and the
 * requests that write (POKEDATA, POKEUSER, SETREGS), and pidfd_getfd.
 * Each route is caught with its channel, access, signature, accessor and
 * target; what must not match does not (ps-like reads, self, own threads,
 * perf_event_open, refusals before the hook); block mode refuses each
 * route with EPERM before a byte moves; an allow rule (exe, uid, channel)
 * lets exactly its accessor through; the counters add up under a mixed
 * flood.
 *
 * The accessor is /usr/bin/pmg-access (tests/guest/pmg-access.c), one
 * route per run; the target is a victim forked from this suite, so the
 * marker below is at the same address in it.
 */
#include <dirent.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <linux/perf_event.h>

#include "kselftest_harness.h"
#include "pmg_test.h"
#include "pmg_raw.h"

static char marker[32] = "pmg-channels-marker-7d3e";
static char scratch[32] = "pmg-scratch";

#define ACCESS	"/usr/bin/pmg-access"

FIXTURE(ch) {
	struct pmg_raw_listener l;
	bool listening;
	pid_t victim, victim_tid;
};

FIXTURE_SETUP(ch)
{
	PMG_ONLY_SELECTED();
	pmg_unload();
	if (pmg_loaded()) {	/* left locked or pinned: forced out */
		printf("# the module was still loaded: rmmod -f\n");
		pmg_sh("rmmod -f procmem_guard");
	}
	self->listening = false;
	self->victim = pmg_start_victim(&self->victim_tid);
	ASSERT_GT(self->victim, 0);
}

FIXTURE_TEARDOWN(ch)
{
	if (self->listening)
		pmg_raw_stop(&self->l);
	pmg_stop_victim(self->victim);
	pmg_write_text("/proc/sys/kernel/perf_event_paranoid", "3");
	pmg_unload();
}

static void start(struct __test_metadata *_metadata, FIXTURE_DATA(ch) *self,
		  const char *params)
{
	ASSERT_EQ(0, pmg_load(params)) TH_LOG("insmod %s", params);
	ASSERT_EQ(0, pmg_raw_listen(&self->l, false));
	self->listening = true;
}

/*
 * Runs pmg-access (exe: another copy may be named) with args; returns its
 * exit status and its pid; out (if any) gets its first line of output.
 */
static int run_access(const char *exe, const char *args, pid_t *pid,
		      char *out, size_t outsz)
{
	char cmd[512];
	int p[2], st;
	ssize_t n;

	snprintf(cmd, sizeof(cmd), "exec %s %s", exe, args);
	if (pipe(p))
		return -1;
	*pid = fork();
	if (*pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], out ? out : cmd, out ? outsz - 1 : sizeof(cmd) - 1);
	if (out)
		out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (waitpid(*pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

struct route {
	const char *name;
	const char *fmt;	/* args: %1$d victim, %2$lx marker/scratch */
	uint32_t sig;
	uint8_t channel, access;
	uint32_t request;	/* ptrace */
	uint32_t syscall;	/* x86_64 */
	bool writes;		/* writes scratch */
};

static const struct route routes[] = {
	{ "process_vm_readv", "vm-read %1$d 0x%2$lx 8", PMG_SIG_VM_READ,
	  PMG_CHANNEL_PROCESS_VM, PMG_ACCESS_READ, 0, 310, false },
	{ "process_vm_writev", "vm-write %1$d 0x%3$lx pmg-w", PMG_SIG_VM_WRITE,
	  PMG_CHANNEL_PROCESS_VM, PMG_ACCESS_WRITE, 0, 311, true },
	{ "PTRACE_ATTACH", "attach %1$d", PMG_SIG_PTRACE_ATTACH,
	  PMG_CHANNEL_PTRACE, PMG_ACCESS_ATTACH, PTRACE_ATTACH, 101, false },
	{ "PTRACE_SEIZE", "seize %1$d", PMG_SIG_PTRACE_ATTACH,
	  PMG_CHANNEL_PTRACE, PMG_ACCESS_ATTACH, PTRACE_SEIZE, 101, false },
	{ "PTRACE_POKEDATA", "poke %1$d 0x%3$lx 0x4141414141414141",
	  PMG_SIG_PTRACE_INJECT, PMG_CHANNEL_PTRACE, PMG_ACCESS_WRITE,
	  PTRACE_POKEDATA, 101, true },
	{ "PTRACE_POKEUSER", "pokeuser %1$d", PMG_SIG_PTRACE_INJECT,
	  PMG_CHANNEL_PTRACE, PMG_ACCESS_WRITE, PTRACE_POKEUSER, 101, false },
	{ "PTRACE_SETREGS", "setregs %1$d", PMG_SIG_PTRACE_INJECT,
	  PMG_CHANNEL_PTRACE, PMG_ACCESS_WRITE, PTRACE_SETREGS, 101, false },
	{ "pidfd_getfd", "getfd %1$d 0", PMG_SIG_PIDFD_GETFD,
	  PMG_CHANNEL_PIDFD_GETFD, PMG_ACCESS_ATTACH, 0, 438, false },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static void route_args(const struct route *r, pid_t victim, char *buf,
		       size_t size)
{
	snprintf(buf, size, r->fmt, victim, (unsigned long)marker,
		 (unsigned long)scratch);
}

/* The finding of accessor pid with signature sig (not a summary). */
struct want {
	uint32_t pid, sig;
};

static bool is_want(const struct pmg_raw_ev *e, const void *arg)
{
	const struct want *w = arg;

	return !e->notice && !e->summary && e->pid == w->pid &&
	       e->sig == w->sig;
}

static bool from_pid(const struct pmg_raw_ev *e, const void *arg)
{
	return !e->notice && e->pid == *(const uint32_t *)arg;
}

/* Reads the victim's scratch through its mem file. */
static void victim_scratch(pid_t victim, char *buf, size_t size)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", victim);
	memset(buf, 0, size);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		if (pread(fd, buf, size - 1, (off_t)(uintptr_t)scratch) < 0)
			buf[0] = '\0';
		close(fd);
	}
}

TEST_F_TIMEOUT(ch, every_route_is_caught, 180)
{
	char args[256];
	struct pmg_raw_ev e;
	struct want w;
	size_t from = 0, i;
	pid_t pid;
	long k;
	int rc;

	start(_metadata, self, "ratelimit=off");
	for (i = 0; i < NROUTES; i++) {
		const struct route *r = &routes[i];

		route_args(r, self->victim, args, sizeof(args));
		rc = run_access(ACCESS, args, &pid, NULL, 0);
		EXPECT_EQ(0, rc) TH_LOG("%s", r->name);
		w.pid = pid;
		w.sig = r->sig;
		k = pmg_raw_wait(&self->l, &from, is_want, &w, 10);
		ASSERT_LE(0, k) TH_LOG("%s: no finding", r->name);
		e = pmg_raw_get(&self->l, k);
		EXPECT_EQ(r->channel, e.channel) TH_LOG("%s", r->name);
		EXPECT_EQ(r->access, e.access) TH_LOG("%s", r->name);
		EXPECT_EQ((uint32_t)self->victim, e.tpid) TH_LOG("%s", r->name);
		EXPECT_EQ(PMG_OUTCOME_GRANTED, e.outcome) TH_LOG("%s", r->name);
		EXPECT_EQ(PMG_ACTION_ALERT, e.action) TH_LOG("%s", r->name);
		EXPECT_STREQ(ACCESS, e.exe) TH_LOG("%s", r->name);
		EXPECT_STREQ("pmg-access", e.comm) TH_LOG("%s", r->name);
		EXPECT_EQ(r->syscall, e.syscall) TH_LOG("%s", r->name);
		if (r->channel == PMG_CHANNEL_PTRACE)
			EXPECT_EQ(r->request, e.request) TH_LOG("%s", r->name);
	}
}

/* PTRACE_TRACEME: the parent, the tracer, is the accessor. */
TEST_F(ch, traceme_names_the_tracer)
{
	char out[32];
	struct pmg_raw_ev e;
	struct want w;
	size_t from = 0;
	pid_t pid;
	long k;

	start(_metadata, self, "ratelimit=off");
	ASSERT_EQ(0, run_access(ACCESS, "traceme", &pid, out, sizeof(out)));
	w.pid = pid;
	w.sig = PMG_SIG_PTRACE_ATTACH;
	k = pmg_raw_wait(&self->l, &from, is_want, &w, 10);
	ASSERT_LE(0, k);
	e = pmg_raw_get(&self->l, k);
	EXPECT_EQ((uint32_t)atoi(out), e.tpid);
	EXPECT_EQ(PTRACE_TRACEME, e.request);
	EXPECT_EQ(PMG_CHANNEL_PTRACE, e.channel);
	EXPECT_EQ(PMG_ACCESS_ATTACH, e.access);
}

/* Attach inside a new pid namespace: both views of the target. */
static int pidns_attach_fn(void *arg)
{
	pid_t tgt, acc;
	int st;

	(void)arg;
	if (unshare(CLONE_NEWPID))
		return 90;
	acc = fork();
	if (acc == 0) {
		tgt = fork();	/* pid 2 in the namespace */
		if (tgt == 0) {
			for (;;)
				pause();
		}
		if (ptrace(PTRACE_ATTACH, tgt, 0, 0))
			_exit(91);
		waitpid(tgt, &st, __WALL);
		ptrace(PTRACE_DETACH, tgt, 0, 0);
		kill(tgt, SIGKILL);
		waitpid(tgt, NULL, 0);
		_exit(0);
	}
	if (waitpid(acc, &st, 0) < 0 || !WIFEXITED(st))
		return 92;
	return WEXITSTATUS(st);
}

static bool is_attach(const struct pmg_raw_ev *e, const void *arg)
{
	(void)arg;
	return !e->notice && e->sig == PMG_SIG_PTRACE_ATTACH;
}

TEST_F(ch, attach_in_a_pid_namespace_names_the_target_both_ways)
{
	struct pmg_raw_ev e;
	size_t from = 0;
	pid_t p;
	long k;

	start(_metadata, self, "ratelimit=off");
	ASSERT_EQ(0, pmg_run_child(pidns_attach_fn, NULL, &p));
	k = pmg_raw_wait(&self->l, &from, is_attach, NULL, 10);
	ASSERT_LE(0, k);
	e = pmg_raw_get(&self->l, k);
	EXPECT_EQ(2, e.tvpid);
	EXPECT_NE(e.tvpid, e.tpid);
	EXPECT_NE(0, e.tpid);
}

/* ---- what must not match ---- */

/* Reads stat, status, environ and maps of every process, like ps. */
static int ps_fn(void *arg)
{
	static const char *const files[] = { "stat", "status", "environ",
					     "maps" };
	char path[300], buf[4096];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	size_t i;
	int fd, n = 0;

	(void)arg;
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(path, sizeof(path), "/proc/%s/%s", d->d_name,
				 files[i]);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;
			n += read(fd, buf, sizeof(buf)) > 0;
			close(fd);
		}
	}
	if (dir)
		closedir(dir);
	return n > 0 ? 0 : 1;
}

/* Reads its own memory, and a thread reads its main thread's. */
static void *own_thread_fn(void *arg)
{
	char buf[8];
	struct iovec l = { buf, sizeof(buf) }, r = { marker, sizeof(buf) };

	*(long *)arg = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	return NULL;
}

static int self_fn(void *arg)
{
	char buf[8];
	struct iovec l = { buf, sizeof(buf) }, r = { marker, sizeof(buf) };
	pthread_t t;
	long rt = -1;

	(void)arg;
	if (process_vm_readv(getpid(), &l, 1, &r, 1, 0) != sizeof(buf))
		return 1;
	pthread_create(&t, NULL, own_thread_fn, &rt);
	pthread_join(t, NULL);
	return rt == sizeof(buf) ? 0 : 2;
}

/* nobody: perf_event_open on another nobody process, with sigtrap. */
static int perf_fn(void *arg)
{
	struct perf_event_attr a = {
		.size = sizeof(a),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_DUMMY,
		.sigtrap = 1,
		.remove_on_exec = 1,
	};
	pid_t tgt = fork();
	int fd;

	(void)arg;
	if (tgt == 0) {
		pause();
		_exit(0);
	}
	fd = syscall(SYS_perf_event_open, &a, tgt, -1, -1, 0);
	kill(tgt, SIGKILL);
	waitpid(tgt, NULL, 0);
	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : errno;
}

static int nobody_perf_fn(void *arg)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534) ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return 99;
	return perf_fn(arg);
}

TEST_F_TIMEOUT(ch, what_must_not_match_does_not, 180)
{
	struct pmg_stats st;
	char args[256];
	size_t from = 0;
	uint32_t pid;
	pid_t p;
	int rc;

	start(_metadata, self, "ratelimit=off");
	ASSERT_EQ(0, pmg_settle(&st));
	/* ps, top: READ mode, for every process. */
	EXPECT_EQ(0, pmg_run_child(ps_fn, NULL, &p));
	pid = p;
	EXPECT_GT(0, pmg_raw_wait(&self->l, &from, from_pid, &pid, 2))
		TH_LOG("a ps-like read was reported");
	/* Self, and another thread of the same process. */
	EXPECT_EQ(0, pmg_run_child(self_fn, NULL, &p));
	pid = p;
	from = 0;
	EXPECT_GT(0, pmg_raw_wait(&self->l, &from, from_pid, &pid, 2))
		TH_LOG("self access was reported");
	/* perf_event_open with sigtrap (an ATTACH check of its own). */
	ASSERT_EQ(0, pmg_write_text("/proc/sys/kernel/perf_event_paranoid", "-1"));
	rc = pmg_run_child(nobody_perf_fn, NULL, &p);
	TH_LOG("perf_event_open as nobody: %d", rc);
	pid = p;
	from = 0;
	EXPECT_GT(0, pmg_raw_wait(&self->l, &from, from_pid, &pid, 2))
		TH_LOG("perf_event_open was reported");
	/* Refused by the kernel before the hook (another user's process). */
	snprintf(args, sizeof(args), "-n vm-read %d 0x%lx 8", self->victim,
		 (unsigned long)marker);
	rc = run_access(ACCESS, args, &p, NULL, 0);
	EXPECT_EQ(EPERM, rc);
	pid = p;
	from = 0;
	EXPECT_GT(0, pmg_raw_wait(&self->l, &from, from_pid, &pid, 2))
		TH_LOG("a refusal before the hook was reported");
	ASSERT_EQ(0, pmg_settle(&st));
	EXPECT_EQ(0, st.v[PMG_S_MATCHES]);
}

/* ---- blocking ---- */

static int set_modes(uint8_t read, uint8_t write, uint8_t attach)
{
	char nest[32], attrs[64];
	size_t noff = 0, off = 0;

	pmg_put_attr(nest, &noff, PMG_C_READ, &read, 1);
	pmg_put_attr(nest, &noff, PMG_C_WRITE, &write, 1);
	pmg_put_attr(nest, &noff, PMG_C_ATTACH, &attach, 1);
	pmg_put_attr(attrs, &off, PMG_A_CONFIG | NLA_F_NESTED, nest, noff);
	return pmg_raw_request(pmg_family_ids(NULL), PMG_CMD_SET_CONFIG, 0,
			       attrs, off, NULL, 0);
}

TEST_F_TIMEOUT(ch, block_refuses_every_route_before_a_byte_moves, 180)
{
	char args[256], before[32], after[32];
	struct pmg_raw_ev e;
	struct want w;
	size_t from = 0, i;
	pid_t pid;
	long k;
	int rc;

	start(_metadata, self, "ratelimit=off");
	victim_scratch(self->victim, before, sizeof(before));
	ASSERT_STREQ(scratch, before);
	for (i = 0; i < NROUTES; i++) {
		const struct route *r = &routes[i];
		bool poke = r->channel == PMG_CHANNEL_PTRACE &&
			    r->access == PMG_ACCESS_WRITE;

		/* Writes through ptrace need the attach to go through. */
		ASSERT_EQ(0, set_modes(PMG_MODE_BLOCK, PMG_MODE_BLOCK,
				       poke ? PMG_MODE_ALERT : PMG_MODE_BLOCK));
		route_args(r, self->victim, args, sizeof(args));
		rc = run_access(ACCESS, args, &pid, NULL, 0);
		EXPECT_EQ(EPERM, rc) TH_LOG("%s", r->name);
		w.pid = pid;
		w.sig = r->sig;
		k = pmg_raw_wait(&self->l, &from, is_want, &w, 10);
		ASSERT_LE(0, k) TH_LOG("%s: no finding", r->name);
		e = pmg_raw_get(&self->l, k);
		EXPECT_EQ(PMG_ACTION_BLOCK, e.action) TH_LOG("%s", r->name);
		EXPECT_EQ(PMG_OUTCOME_BLOCKED, e.outcome) TH_LOG("%s", r->name);
		ASSERT_EQ(0, set_modes(PMG_MODE_ALERT, PMG_MODE_ALERT,
				       PMG_MODE_ALERT));
		victim_scratch(self->victim, after, sizeof(after));
		EXPECT_STREQ(before, after) TH_LOG("%s changed the target",
						   r->name);
	}
}

/* ---- allow rules ---- */

static int allow_exe_uid_channel(const char *exe, uint32_t uid,
				 uint8_t channels)
{
	char nest[512], attrs[600];
	size_t noff = 0, off = 0;

	pmg_put_attr(nest, &noff, PMG_R_EXE_PATH, exe, strlen(exe) + 1);
	pmg_put_attr(nest, &noff, PMG_R_UID, &uid, 4);
	pmg_put_attr(nest, &noff, PMG_R_CHANNELS, &channels, 1);
	pmg_put_attr(attrs, &off, PMG_A_RULE | NLA_F_NESTED, nest, noff);
	return pmg_raw_request(pmg_family_ids(NULL), PMG_CMD_ALLOW_ADD, 0,
			       attrs, off, NULL, 0);
}

TEST_F_TIMEOUT(ch, an_allow_rule_lets_exactly_its_accessor_through, 180)
{
	static const struct {
		const char *name, *exe, *fmt;
		int rc;
	} cases[] = {
		{ "the allowed binary attaches", ACCESS, "attach %1$d", 0 },
		{ "another copy of it", "/tmp/pmg-access2", "attach %1$d", EPERM },
		{ "the allowed binary, another channel", ACCESS,
		  "vm-read %1$d 0x%2$lx 8", EPERM },
	};
	char args[256];
	pid_t pid, nv;
	size_t i;

	start(_metadata, self, "read=block write=block attach=block");
	ASSERT_EQ(0, pmg_sh("cp %s /tmp/pmg-access2", ACCESS));
	ASSERT_EQ(0, allow_exe_uid_channel(ACCESS, 0,
					   1U << PMG_CHANNEL_PTRACE));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(args, sizeof(args), cases[i].fmt, self->victim,
			 (unsigned long)marker);
		EXPECT_EQ(cases[i].rc, run_access(cases[i].exe, args, &pid,
						  NULL, 0))
			TH_LOG("%s", cases[i].name);
	}
	/* The uid counts too: nobody with the allowed binary, on a process
	 * of nobody's, is refused.
	 */
	nv = fork();
	if (nv == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534) ||
		    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
			_exit(99);
		for (;;)
			pause();
	}
	snprintf(args, sizeof(args), "-n attach %d", nv);
	EXPECT_EQ(EPERM, run_access(ACCESS, args, &pid, NULL, 0));
	pmg_stop_victim(nv);
}

/* ---- accounting ---- */

TEST_F_TIMEOUT(ch, a_mixed_flood_keeps_the_invariant, 300)
{
	struct pmg_stats st;
	char args[256], terms[512];
	double end;
	pid_t kids[4];
	size_t i;

	start(_metadata, self, "ratelimit=5/s burst=3");
	end = pmg_now() + 5;
	for (i = 0; i < 4; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			size_t j = i;

			while (pmg_now() < end) {
				pid_t p;

				route_args(&routes[j % NROUTES], self->victim,
					   args, sizeof(args));
				run_access(ACCESS, args, &p, NULL, 0);
				j++;
			}
			_exit(0);
		}
	}
	for (i = 0; i < 4; i++)
		waitpid(kids[i], NULL, 0);
	ASSERT_EQ(0, pmg_settle(&st));
	TH_LOG("matches %llu = %s, summarized %llu in %llu summaries",
	       (unsigned long long)st.v[PMG_S_MATCHES],
	       pmg_stats_terms(&st, terms, sizeof(terms)),
	       (unsigned long long)st.v[PMG_S_SUMMARIZED],
	       (unsigned long long)st.v[PMG_S_SUMMARIES]);
	EXPECT_LT(0, st.v[PMG_S_MATCHES]);
	EXPECT_EQ(st.v[PMG_S_MATCHES], pmg_stats_accounted(&st));
	EXPECT_EQ(0, st.v[PMG_S_INFLIGHT]);
}

TEST_HARNESS_MAIN
