// SPDX-License-Identifier: GPL-2.0
/*
 * suite_policy - modes, blocking, allow rules by identity, rate limits,
 * configuration at load and at run time, and all-or-nothing changes.
 */
#include <sched.h>
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "pmg_test.h"
#include "nl.h"
#include "policy.h"


static int last_errno_open(const char *path, int flags)
{
	struct pmg_open_req r = { path, flags };
	pid_t pid;

	return pmg_run_child(pmg_open_fn, &r, &pid);
}

FIXTURE(pol) {
	struct pmg_cli_listener l;
	pid_t victim, victim_tid;
};

FIXTURE_SETUP(pol)
{
	PMG_ONLY_SELECTED();
	pmg_unload();
	self->victim = pmg_start_victim(&self->victim_tid);
	ASSERT_GT(self->victim, 0);
}

FIXTURE_TEARDOWN(pol)
{
	pmg_stop_victim(self->victim);
	pmg_cli_listener_stop(&self->l);
	pmg_unload();
}

static void start(struct __test_metadata *_metadata, FIXTURE_DATA(pol) *self,
		  const char *params)
{
	ASSERT_EQ(0, pmg_load(params)) TH_LOG("insmod %s", params);
	ASSERT_EQ(0, pmg_cli_listener_start(&self->l));
	ASSERT_TRUE(pmg_cli_listener_ready(&self->l, 20));
}

/* The accessor's findings: count, and the action of the first. */
static size_t findings(struct __test_metadata *_metadata,
		       struct pmg_cli_listener *l, pid_t acc, const char **action)
{
	json_object *o[4];
	size_t k;

	ASSERT_TRUE(pmg_sync(l, 20));
	k = pmg_lines_of(l, 0, acc, o, 4);
	*action = k ? pmg_jstr(o[0], "action") : NULL;
	return k;
}

/*
 * The ways to name a mem file that blocking must catch: a format taking the
 * victim's pid and its second thread's tid (block_every_must_match_path
 * mounts and links what they need).
 */
static const struct {
	const char *name;
	const char *fmt;
} blk_cases[] = {
	{ "/proc/1/mem", "/proc/1/mem" },
	{ "/proc/<pid>/mem", "/proc/%d/mem" },
	{ "/proc/self/mem", "/proc/self/mem" },
	{ "/proc/thread-self/mem", "/proc/thread-self/mem" },
	{ "task/<tid>/mem", "/proc/%d/task/%d/mem" },
	{ "relocated procfs", "/tmp/pmg-p/%d/mem" },
	{ "bind mount of /proc", "/tmp/pmg-b/%d/mem" },
	{ "bind mount of /proc/<pid>", "/tmp/pmg-pid/mem" },
	{ "symlink", "/tmp/pmg-link" },
};

TEST_F_TIMEOUT(pol, block_every_must_match_path, 300)
{
	char src[64], path[96];
	const char *action;
	size_t i;
	pid_t acc, gc;
	int p[2];

	start(_metadata, self, "read=block write=block ratelimit=off");
	mkdir("/tmp/pmg-p", 0755);
	ASSERT_EQ(0, mount("proc", "/tmp/pmg-p", "proc", 0, NULL));
	mkdir("/tmp/pmg-b", 0755);
	ASSERT_EQ(0, mount("/proc", "/tmp/pmg-b", NULL, MS_BIND, NULL));
	snprintf(src, sizeof(src), "/proc/%d", self->victim);
	mkdir("/tmp/pmg-pid", 0755);
	ASSERT_EQ(0, mount(src, "/tmp/pmg-pid", NULL, MS_BIND, NULL));
	unlink("/tmp/pmg-link");
	snprintf(src, sizeof(src), "/proc/%d/mem", self->victim);
	ASSERT_EQ(0, symlink(src, "/tmp/pmg-link"));

	for (i = 0; i < sizeof(blk_cases) / sizeof(blk_cases[0]); i++) {
		int flags[] = { O_RDONLY, O_WRONLY, O_RDWR };
		const char *name = blk_cases[i].name;
		unsigned int f;

		snprintf(path, sizeof(path), blk_cases[i].fmt, self->victim,
			 self->victim_tid);
		for (f = 0; f < 3; f++) {
			struct pmg_open_req r = { path, flags[f] };

			EXPECT_EQ(EACCES, pmg_run_child(pmg_open_fn, &r, &acc))
				TH_LOG("%s flags %d", name, flags[f]);
			EXPECT_EQ(f == 2 ? 2 : 1,
				  findings(_metadata, &self->l, acc, &action))
				TH_LOG("%s", name);
			EXPECT_STREQ("block", action) TH_LOG("%s", name);
		}
	}

	/* openat() on a directory fd of /proc/<pid>. */
	{
		char dir[64];
		int dfd, pid, st;

		snprintf(dir, sizeof(dir), "/proc/%d", self->victim);
		dfd = open(dir, O_RDONLY | O_DIRECTORY);
		ASSERT_GE(dfd, 0);
		pid = fork();
		if (pid == 0)
			_exit(openat(dfd, "mem", O_RDONLY) < 0 ? errno : 0);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		EXPECT_EQ(EACCES, WEXITSTATUS(st));
		EXPECT_EQ(1, findings(_metadata, &self->l, pid, &action));
		EXPECT_STREQ("block", action);
		close(dfd);
	}

	/* A new pid and mount namespace. */
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(EACCES, pmg_run_child(pmg_pidns_open_fn, &p[1], &acc));
	ASSERT_EQ(sizeof(gc), read(p[0], &gc, sizeof(gc)));
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(1, findings(_metadata, &self->l, gc, &action));
	EXPECT_STREQ("block", action);

	/* Must-not-match files still open. */
	EXPECT_EQ(0, last_errno_open("/proc/meminfo", O_RDONLY));
	snprintf(src, sizeof(src), "/proc/%d/maps", self->victim);
	EXPECT_EQ(0, last_errno_open(src, O_RDONLY));
	snprintf(src, sizeof(src), "/proc/%d/task/%d/status", self->victim,
		 self->victim_tid);
	EXPECT_EQ(0, last_errno_open(src, O_RDONLY));
	mkdir("/tmp/proc", 0755);
	mkdir("/tmp/proc/1", 0755);
	close(open("/tmp/proc/1/mem", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(0, last_errno_open("/tmp/proc/1/mem", O_RDWR));

	unlink("/tmp/pmg-link");
	EXPECT_EQ(0, umount("/tmp/pmg-pid"));
	EXPECT_EQ(0, umount("/tmp/pmg-b"));
	EXPECT_EQ(0, umount("/tmp/pmg-p"));
}

/* An open of the victim's mem file, and what must come of it. */
struct mode_case {
	int flags;
	int err;		/* the open's errno; 0: it opens */
	size_t findings;
	const char *action;	/* of the first finding; NULL: not checked */
};

/* Loads the module with params and runs the opens of c[0..n-1]. */
static void check_modes(struct __test_metadata *_metadata,
			FIXTURE_DATA(pol) *self, const char *params,
			const struct mode_case *c, size_t n)
{
	const char *action;
	char path[64];
	size_t i;
	pid_t acc;

	start(_metadata, self, params);
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	for (i = 0; i < n; i++) {
		struct pmg_open_req r = { path, c[i].flags };

		EXPECT_EQ(c[i].err, pmg_run_child(pmg_open_fn, &r, &acc))
			TH_LOG("%s: flags %d", params, c[i].flags);
		EXPECT_EQ(c[i].findings,
			  findings(_metadata, &self->l, acc, &action))
			TH_LOG("%s: flags %d", params, c[i].flags);
		if (c[i].action) {
			EXPECT_STREQ(c[i].action, action);
		}
	}
}

TEST_F(pol, write_block_read_alert)
{
	static const struct mode_case c[] = {
		{ O_RDONLY, 0, 1, "alert" },
		{ O_WRONLY, EACCES, 1, "block" },
		{ O_RDWR, EACCES, 2, "block" },
	};

	check_modes(_metadata, self, "read=alert write=block ratelimit=off",
		    c, sizeof(c) / sizeof(c[0]));
}

TEST_F(pol, off_mode_ignores_that_kind)
{
	static const struct mode_case c[] = {
		{ O_RDONLY, 0, 0, NULL },
		{ O_RDWR, 0, 1, NULL },
	};

	check_modes(_metadata, self, "read=off write=alert ratelimit=off",
		    c, sizeof(c) / sizeof(c[0]));
}

/* The suite binary doubles as the helper: --open PATH [COMM]. */
static int helper(const char *exe, const char *path, const char *comm,
		  pid_t *pid)
{
	int st;

	*pid = fork();
	if (*pid == 0) {
		execl(exe, exe, "--open", path, comm, NULL);
		_exit(127);
	}
	waitpid(*pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F_TIMEOUT(pol, allow_rule_by_executable_identity, 300)
{
	char path[64];
	const char *action;
	struct pmg_stats st;
	pid_t acc;

	start(_metadata, self, "read=block write=block ratelimit=off");
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	ASSERT_EQ(0, pmg_sh("cp %s /tmp/pmg-helper && cp %s /tmp/pmg-other",
			    pmg_self_exe(), pmg_self_exe()));
	ASSERT_EQ(0, pmg_sh("procmem-guard allow add --exe /tmp/pmg-helper --access read >/dev/null"));

	/* The allowed binary reads, silently, and it is counted. */
	EXPECT_EQ(0, helper("/tmp/pmg-helper", path, "x", &acc));
	EXPECT_EQ(0, findings(_metadata, &self->l, acc, &action));
	ASSERT_EQ(0, pmg_settle(&st));
	EXPECT_EQ(1, st.v[PMG_S_ALLOWED]);
	/* Not for writing: the rule covers reads only. */
	EXPECT_EQ(EACCES, helper("/tmp/pmg-helper", path, "w", &acc));
	/* The same code under another path is blocked. */
	EXPECT_EQ(EACCES, helper("/tmp/pmg-other", path, "x", &acc));
	EXPECT_EQ(1, findings(_metadata, &self->l, acc, &action));
	EXPECT_STREQ("block", action);
	/* So is another binary that takes the allowed one's comm. */
	EXPECT_EQ(EACCES, helper("/tmp/pmg-other", path, "pmg-helper", &acc));
	EXPECT_EQ(1, findings(_metadata, &self->l, acc, &action));
	/* With report-allowed, allowed reads show up as "allow". */
	ASSERT_EQ(0, pmg_sh("procmem-guard config set report-allowed=on"));
	EXPECT_EQ(0, helper("/tmp/pmg-helper", path, "x", &acc));
	EXPECT_EQ(1, findings(_metadata, &self->l, acc, &action));
	EXPECT_STREQ("allow", action);
	/* Deleting the rule blocks the helper again. */
	ASSERT_EQ(0, pmg_sh("procmem-guard allow del 1"));
	EXPECT_EQ(EACCES, helper("/tmp/pmg-helper", path, "x", &acc));
	unlink("/tmp/pmg-helper");
	unlink("/tmp/pmg-other");
}

TEST_F_TIMEOUT(pol, allow_rule_by_uid_and_self, 300)
{
	struct pmg_open_req r = { "/proc/1/mem", O_RDWR };
	const char *action;
	pid_t acc;

	start(_metadata, self, "read=block write=block ratelimit=off");
	ASSERT_EQ(0, pmg_sh("procmem-guard allow add --self --access read >/dev/null"));
	EXPECT_EQ(0, last_errno_open("/proc/self/mem", O_RDONLY));
	EXPECT_EQ(EACCES, last_errno_open("/proc/1/mem", O_RDONLY));
	ASSERT_EQ(0, pmg_sh("procmem-guard allow add --uid 0 --access read-write >/dev/null"));
	EXPECT_EQ(0, pmg_run_child(pmg_open_fn, &r, &acc));
	EXPECT_EQ(0, findings(_metadata, &self->l, acc, &action));
}

#define RL_OPENS 10000

static int rate_fn(void *arg)
{
	const char *path = arg;
	int i, fd;

	for (i = 0; i < RL_OPENS; i++) {
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	sleep(2);	/* the bucket refills: the next one goes */
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		close(fd);
	return 0;
}

TEST_F_TIMEOUT(pol, rate_limit_counts_exactly, 300)
{
	char path[64];
	struct pmg_open_req r = { path, O_RDONLY };
	json_object *last = NULL;
	long long sum = 0;
	struct pmg_stats st;
	const char *action;
	double t0, t1;
	size_t k, i, n;
	pid_t acc, acc2;

	start(_metadata, self, "ratelimit=5/s burst=10");
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	t0 = pmg_now();
	ASSERT_EQ(0, pmg_run_child(rate_fn, path, &acc));
	t1 = pmg_now() - 2;
	ASSERT_TRUE(pmg_sync(&self->l, 20));
	/* Every finding of the pair, and the suppressed counts they carry. */
	n = pmg_cli_listener_count(&self->l);
	for (i = 0, k = 0; i < n; i++) {
		json_object *line = pmg_cli_listener_line(&self->l, i);

		if (pmg_jint(line, "process.pid") != acc)
			continue;
		/* Summaries of what the limit held back are counted apart. */
		if (strcmp(pmg_jstr(line, "type") ?: "", "finding"))
			continue;
		k++;
		last = line;
		if (pmg_jget(line, "suppressed"))
			sum += pmg_jint(line, "suppressed");
	}
	ASSERT_NE(NULL, last);
	TH_LOG("%d + 1 opens in %.1f s: %zu findings, %lld suppressed",
	       RL_OPENS, t1 - t0, k, sum);
	EXPECT_EQ(RL_OPENS + 1, k + sum);
	EXPECT_GE(k, 11);	/* the burst, and the one after the pause */
	EXPECT_LE(k, 10 + 5 * (t1 - t0) + 2);
	EXPECT_GT(pmg_jint(last, "suppressed"), 0);
	ASSERT_EQ(0, pmg_settle(&st));
	EXPECT_EQ(sum, st.v[PMG_S_SUPPRESSED]);
	/* Another pair's first finding is never suppressed. */
	ASSERT_EQ(0, pmg_run_child(pmg_open_fn, &r, &acc2));
	EXPECT_EQ(1, findings(_metadata, &self->l, acc2, &action));
}

TEST_F(pol, bad_module_parameters_fail_the_load)
{
	static const char * const bad[] = {
		"read=bogus", "write=blocked", "ratelimit=5000000/s",
		"ratelimit=-1", "ratelimit=ten", "burst=0", "burst=1000001",
		"rate_entries=100", "rate_entries=32", "rate_entries=131072",
		"ring_records=1000", "ring_records=32", "ring_records=32768",
	};
	/* The good load below, as /sys/module shows it. */
	static const struct {
		const char *param, *value;
	} good[] = {
		{ "read", "block" },
		{ "write", "off" },
		{ "ratelimit", "7/s" },
		{ "burst", "3" },
		{ "ring_records", "256" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_NE(0, pmg_load(bad[i])) TH_LOG("%s loaded", bad[i]);
		EXPECT_FALSE(pmg_loaded());
		pmg_unload();
	}
	EXPECT_EQ(0, pmg_sh("dmesg | grep -q 'read=bogus: expected off, alert or block'"));
	EXPECT_EQ(0, pmg_sh("dmesg | grep -q 'rate_entries=100: expected a power of two'"));
	EXPECT_EQ(0, pmg_sh("dmesg | grep -q 'ring_records=1000: expected a power of two'"));
	/* Good ones show up under /sys/module. */
	ASSERT_EQ(0, pmg_load("read=block write=off ratelimit=7/s burst=3 log=0 ring_records=256"));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		EXPECT_EQ(0, pmg_sh("grep -qx %s /sys/module/procmem_guard/parameters/%s",
				    good[i].value, good[i].param))
			TH_LOG("%s=%s", good[i].param, good[i].value);
	}
}

TEST_F_TIMEOUT(pol, bad_runtime_requests_change_nothing, 300)
{
	static const char *const bad[] = {
		"procmem-guard config set read=bogus 2>/dev/null",
		"procmem-guard config set ratelimit=9999999/s 2>/dev/null",
		"procmem-guard config set burst=0 2>/dev/null",
		"procmem-guard allow add --exe /nonexistent 2>/dev/null",
		"procmem-guard allow del 999 2>/dev/null",
		NULL,
	};
	/* What applying the good file must do. */
	static const char *const good[] = {
		"procmem-guard apply /tmp/pmg-good.policy",
		"grep -qx block /sys/module/procmem_guard/parameters/write",
		"[ $(procmem-guard allow list | grep -c .) -eq 1 ]",
		NULL,
	};

	start(_metadata, self, "");
	ASSERT_EQ(0, pmg_sh("procmem-guard allow add --uid 1234 >/dev/null"));
	ASSERT_EQ(0, pmg_sh("procmem-guard config show > /tmp/pmg-c1 && procmem-guard allow list > /tmp/pmg-r1"));
	pmg_expect_sh(_metadata, false, bad);
	ASSERT_EQ(0, pmg_write_text("/tmp/pmg-bad.policy",
				    "# a policy with a mistake on line 3\n"
				    "read block\nallow uid=0 access=sideways\n"));
	EXPECT_EQ(0, pmg_sh("procmem-guard apply /tmp/pmg-bad.policy 2>&1 | grep -q 'pmg-bad.policy:3'"));
	ASSERT_EQ(0, pmg_sh("procmem-guard config show > /tmp/pmg-c2 && procmem-guard allow list > /tmp/pmg-r2"));
	EXPECT_EQ(0, pmg_sh("cmp -s /tmp/pmg-c1 /tmp/pmg-c2 && cmp -s /tmp/pmg-r1 /tmp/pmg-r2"));
	/* A good file replaces everything at once. */
	ASSERT_EQ(0, pmg_write_text("/tmp/pmg-good.policy",
				    "read alert\nwrite block\nratelimit 10/s burst 20\n"
				    "allow uid=0 access=read\n"));
	pmg_expect_sh(_metadata, true, good);
}

/* The rule table's limit: 256 rules apply, list whole, and no more fit. */
TEST_F_TIMEOUT(pol, allow_list_holds_the_most_rules, 300)
{
	FILE *f;
	int i;

	start(_metadata, self, "");
	f = fopen("/tmp/pmg-full.policy", "w");
	ASSERT_NE(NULL, f);
	for (i = 0; i < PMG_MAX_RULES; i++)
		fprintf(f, "allow uid=%d access=read\n", 10000 + i);
	fclose(f);
	ASSERT_EQ(0, pmg_sh("procmem-guard apply /tmp/pmg-full.policy"));
	EXPECT_EQ(0, pmg_sh("[ $(procmem-guard allow list | grep -c .) -eq %d ]",
			    PMG_MAX_RULES));
	EXPECT_NE(0, pmg_sh("procmem-guard allow add --uid 1 2>/dev/null"));
	f = fopen("/tmp/pmg-full.policy", "a");
	ASSERT_NE(NULL, f);
	fputs("allow uid=1\n", f);
	fclose(f);
	EXPECT_NE(0, pmg_sh("procmem-guard apply /tmp/pmg-full.policy 2>/dev/null"));
	EXPECT_EQ(0, pmg_sh("[ $(procmem-guard allow list | grep -c .) -eq %d ]",
			    PMG_MAX_RULES));
}

static int flood_fn(void *arg)
{
	double end = pmg_now() + *(double *)arg;
	int fd;

	while (pmg_now() < end) {
		fd = open("/proc/self/mem", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

#define SWAPS 1000

TEST_F_TIMEOUT(pol, policy_swaps_during_an_open_flood, 600)
{
	struct pmg_policy a = { 0 }, b = { 0 };
	const struct pmg_policy *p;
	struct pmg_perr perr;
	struct pmg_stats st;
	struct pmg_nl *nl;
	pid_t floods[2];
	double secs = 600;
	int i, err = 0;

	start(_metadata, self, "ratelimit=off");
	ASSERT_EQ(0, pmg_write_text("/tmp/pmg-a.policy",
				    "read block\nwrite block\nallow self access=read\n"
				    "allow uid=0 access=read\n"));
	ASSERT_EQ(0, pmg_write_text("/tmp/pmg-b.policy",
				    "read alert\nwrite alert\nratelimit 100/s burst 5\n"));
	ASSERT_EQ(0, pmg_policy_load("/tmp/pmg-a.policy", &a, &perr)) TH_LOG("%s", perr.msg);
	ASSERT_EQ(0, pmg_policy_load("/tmp/pmg-b.policy", &b, &perr)) TH_LOG("%s", perr.msg);
	for (i = 0; i < 2; i++) {
		floods[i] = fork();
		if (floods[i] == 0)
			_exit(flood_fn(&secs));
	}
	ASSERT_EQ(0, pmg_nl_open(&nl));
	for (i = 0; i < SWAPS && !err; i++) {
		p = i % 2 ? &b : &a;
		err = pmg_apply(nl, &p->config, p->rules, p->nrules);
	}
	EXPECT_EQ(0, err) TH_LOG("swap %d: %s", i, pmg_nl_extack(nl) ?: "");
	TH_LOG("%d policy swaps during the flood", i);
	pmg_nl_close(nl);
	for (i = 0; i < 2; i++) {
		kill(floods[i], SIGKILL);
		waitpid(floods[i], NULL, 0);
	}
	ASSERT_EQ(0, pmg_settle(&st));
	EXPECT_EQ(st.v[PMG_S_MATCHES], pmg_stats_accounted(&st));
	EXPECT_GT(st.v[PMG_S_MATCHES], 0);
	pmg_policy_free(&a);
	pmg_policy_free(&b);
}

#define BLOCKED_OPENS 10000
#define KMEMLEAK "/sys/kernel/debug/kmemleak"

/* The number in the file, or ~0 if there is none. */
static unsigned long long read_count(const char *file)
{
	unsigned long long n = ~0ULL;
	FILE *f = fopen(file, "r");

	if (f) {
		if (fscanf(f, "%llu", &n) != 1)
			n = ~0ULL;
		fclose(f);
	}
	return n;
}

static int blocked_fn(void *arg)
{
	const char *path = arg;
	int i, denied = 0;

	for (i = 0; i < BLOCKED_OPENS; i++)
		if (open(path, O_RDONLY) < 0 && errno == EACCES)
			denied++;
	return denied == BLOCKED_OPENS ? 0 : 1;
}

TEST_F_TIMEOUT(pol, blocked_opens_leak_nothing, 600)
{
	char path[64];
	struct pmg_stats st;
	unsigned long long n;
	bool leak;
	pid_t acc;

	start(_metadata, self, "read=block write=block");
	/* Forget what kmemleak knows so far (boot): only new objects count. */
	leak = access(KMEMLEAK, W_OK) == 0;
	if (leak)
		ASSERT_EQ(0, pmg_sh("echo scan > " KMEMLEAK " && "
				    "echo clear > " KMEMLEAK));
	mkdir("/tmp/p", 0755);
	ASSERT_EQ(0, mount("proc", "/tmp/p", "proc", 0, NULL));
	snprintf(path, sizeof(path), "/tmp/p/%d/mem", self->victim);
	ASSERT_EQ(0, pmg_run_child(blocked_fn, path, &acc));
	ASSERT_EQ(0, pmg_settle(&st));
	EXPECT_GE(st.v[PMG_S_BLOCKED], BLOCKED_OPENS);
	TH_LOG("%d opens through /tmp/p denied; blocked %llu", BLOCKED_OPENS,
	       (unsigned long long)st.v[PMG_S_BLOCKED]);
	EXPECT_EQ(0, umount("/tmp/p")) TH_LOG("umount: %s", strerror(errno));
	if (leak) {
		/* Reported: unreferenced in a scan 5 s after allocation and
		 * unchanged since the scan before.
		 */
		ASSERT_EQ(0, pmg_sh("echo scan > " KMEMLEAK " && sleep 6 && "
				    "echo scan > " KMEMLEAK " && "
				    "grep -c '^unreferenced object' " KMEMLEAK
				    " > /tmp/leaks; "
				    "head -n 40 " KMEMLEAK " >&2; true"));
		n = read_count("/tmp/leaks");
		TH_LOG("kmemleak after %d blocked opens and the umount: %llu "
		       "unreferenced objects", BLOCKED_OPENS, n);
		EXPECT_EQ(0, n);
	} else {
		TH_LOG("no kmemleak in this kernel: leak scan left to the debug kernel");
	}
}

/* --open PATH [w|COMM]: the helper mode used by the allow-rule test. */
int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--open")) {
		int flags = O_RDONLY, fd;

		if (argc >= 4 && !strcmp(argv[3], "w"))
			flags = O_WRONLY;
		else if (argc >= 4)
			prctl(PR_SET_NAME, argv[3]);
		fd = open(argv[2], flags);
		return fd < 0 ? errno : 0;
	}
	return test_harness_run(argc, argv);
}
