// SPDX-License-Identifier: GPL-2.0
/*
 * suite_attack - the module under attack by a hostile local user and a
 * careless root. Each test reproduces one attack and checks it no longer
 * works:
 *   - files opened while a pacing listener lags keep no module code or
 *     reference behind them: rmmod works while they are open, and reading
 *     them afterwards works;
 *   - CAP_NET_ADMIN alone (the listener's) cannot change the policy, and
 *     status without it shows no counters;
 *   - switching ftrace or kprobes off is reported, and so is switching
 *     them on again;
 *   - a flood from one user cannot hide another user's access, with or
 *     without a listener;
 *   - an executable or mount path cannot forge kernel log lines;
 *   - findings say what became of the access (granted, refused by the
 *     kernel or another LSM, blocked);
 *   - a finding's path does not depend on how long the worker took;
 *   - an exe rule matches its binary on a btrfs subvolume.
 * The lock's part (ftrace kept on, forced unload reported, the load-time
 * lock) is in suite_lock, which runs last.
 */
#include <linux/capability.h>
#include <libgen.h>
#include <linux/landlock.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "pmg_test.h"
#include "pmg_raw.h"

/* Same address in every forked process: the victims' memory to read. */
static char marker[64] = "pmg-attack-marker-2f1c9a";

/*
 * The role of a copy of this binary run under another name (environment
 * PMG_ATTACK_ROLE=memopen): fork a child, open its mem file, exit 0 if
 * the open worked.
 */
__attribute__((constructor)) static void attack_role(void)
{
	const char *role = getenv("PMG_ATTACK_ROLE");
	char path[64];
	pid_t c;
	int fd;

	if (!role || strcmp(role, "memopen"))
		return;
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", c);
	fd = open(path, O_RDONLY);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	_exit(fd < 0 ? 1 : 0);
}

static int read_file_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* nobody, and dumpable again (a uid change clears it), so that its own
 * /proc files are nobody's.
 */
static void become_nobody(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534) ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		_exit(99);
}

static void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Keeps only the capabilities in mask (effective and permitted). */
static int keep_caps(uint64_t mask)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};

	d[0].effective = d[0].permitted = (uint32_t)mask;
	d[1].effective = d[1].permitted = (uint32_t)(mask >> 32);
	return syscall(SYS_capset, &h, d);
}

static uint32_t pid_of(pid_t p)
{
	return (uint32_t)p;
}

FIXTURE(atk) {
	struct pmg_raw_listener l;
	bool listening;
	pid_t victim, victim_tid;
};

/*
 * A clean start even after a test that failed because the attack worked
 * (the module left locked or pinned): forced out then, and said so.
 */
static void unload_hard(void)
{
	pmg_unload();
	if (pmg_loaded()) {
		printf("# the module was still loaded: rmmod -f\n");
		pmg_sh("rmmod -f procmem_guard");
	}
}

FIXTURE_SETUP(atk)
{
	PMG_ONLY_SELECTED();
	unload_hard();
	self->listening = false;
	self->victim = pmg_start_victim(&self->victim_tid);
	ASSERT_GT(self->victim, 0);
}

FIXTURE_TEARDOWN(atk)
{
	if (self->listening)
		pmg_raw_stop(&self->l);
	pmg_stop_victim(self->victim);
	pmg_write_text("/proc/sys/kernel/ftrace_enabled", "1");
	pmg_write_text("/sys/kernel/debug/kprobes/enabled", "1");
	unload_hard();
}

static void listen_raw(struct __test_metadata *_metadata,
		       FIXTURE_DATA(atk) *self, bool pace, int rcvbuf,
		       double hold)
{
	ASSERT_EQ(0, pmg_raw_listen_opts(&self->l, pace, rcvbuf, hold));
	self->listening = true;
}

/* ---- 1. pacing leaves nothing of the module behind open files ---- */

#define KEEP_OPENERS	8
#define KEEP_OPENS	400

/*
 * An opener: opens the victim's mem KEEP_OPENS times and keeps every
 * descriptor; says how many opens failed, waits for the word, then reads
 * the marker through each descriptor and says how many reads failed.
 */
static void keeper(pid_t victim, int report, int go)
{
	static int fds[KEEP_OPENS];
	char path[64], buf[sizeof(marker)];
	int i, bad = 0;
	char c;

	snprintf(path, sizeof(path), "/proc/%d/mem", victim);
	for (i = 0; i < KEEP_OPENS; i++) {
		fds[i] = open(path, O_RDONLY);
		bad += fds[i] < 0;
	}
	if (write(report, &bad, sizeof(bad)) != sizeof(bad) ||
	    read(go, &c, 1) != 1)
		_exit(1);
	bad = 0;
	for (i = 0; i < KEEP_OPENS; i++)
		if (fds[i] < 0 ||
		    pread(fds[i], buf, sizeof(buf), (off_t)(uintptr_t)marker) !=
		    (ssize_t)sizeof(buf) || memcmp(buf, marker, sizeof(buf)))
			bad++;
	if (write(report, &bad, sizeof(bad)) != sizeof(bad))
		_exit(1);
	_exit(0);
}

TEST_F_TIMEOUT(atk, files_opened_under_pacing_keep_no_module_code, 240)
{
	int report[2], go[2], i, bad, total = 0, pacer, group, size = 65536;
	pid_t kids[KEEP_OPENERS];
	double t0;

	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	/* A pacing listener that never reads: the module holds findings. */
	pacer = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_LE(0, pacer);
	setsockopt(pacer, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	ASSERT_EQ(0, pmg_raw_request_fd(pacer, pmg_family_ids(&group),
					PMG_CMD_PACE, 0, NULL, 0, NULL, 0));
	ASSERT_EQ(0, setsockopt(pacer, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&group, sizeof(group)));
	ASSERT_EQ(0, pipe(report));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < KEEP_OPENERS; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			close(report[0]);
			close(go[1]);
			keeper(self->victim, report[1], go[0]);
		}
	}
	close(report[1]);
	close(go[0]);
	for (i = 0; i < KEEP_OPENERS; i++) {
		ASSERT_EQ(sizeof(bad), read(report[0], &bad, sizeof(bad)));
		total += bad;
	}
	EXPECT_EQ(0, total) TH_LOG("%d of %d opens failed", total,
				   KEEP_OPENERS * KEEP_OPENS);
	/* The listener stops; the files stay open. */
	close(pacer);
	t0 = pmg_now();
	while (read_file_int("/sys/module/procmem_guard/refcnt") != 0 &&
	       pmg_now() - t0 < 10)
		usleep(100000);
	EXPECT_EQ(0, read_file_int("/sys/module/procmem_guard/refcnt"))
		TH_LOG("module references with %d mem files open",
		       KEEP_OPENERS * KEEP_OPENS);
	EXPECT_EQ(0, pmg_sh("rmmod procmem_guard"));
	EXPECT_FALSE(pmg_loaded());
	/* The files still read the victim's memory, module gone. */
	for (i = 0; i < KEEP_OPENERS; i++)
		ASSERT_EQ(1, write(go[1], "g", 1));
	total = 0;
	for (i = 0; i < KEEP_OPENERS; i++) {
		ASSERT_EQ(sizeof(bad), read(report[0], &bad, sizeof(bad)));
		total += bad;
	}
	EXPECT_EQ(0, total) TH_LOG("%d reads failed after rmmod", total);
	for (i = 0; i < KEEP_OPENERS; i++)
		waitpid(kids[i], NULL, 0);
	close(report[0]);
	close(go[1]);
}

/* ---- 2. the listener's capability cannot change the policy ---- */

static const struct {
	const char *name;
	uint8_t cmd;
} state_cmds[] = {
	{ "SET_CONFIG", PMG_CMD_SET_CONFIG },
	{ "ALLOW_ADD", PMG_CMD_ALLOW_ADD },
	{ "ALLOW_DEL", PMG_CMD_ALLOW_DEL },
	{ "ALLOW_LIST", PMG_CMD_ALLOW_LIST },
	{ "APPLY", PMG_CMD_APPLY },
	{ "LOCK", PMG_CMD_LOCK },
};

/* Child: with CAP_NET_ADMIN only. Returns a bit per wrong answer. */
static int net_admin_child(void *arg)
{
	int family = pmg_family_ids(NULL), fd, group, wrong = 0, err;
	char attrs[256], nest[64];
	size_t off = 0, noff = 0;
	uint8_t off_mode = PMG_MODE_OFF;
	uint32_t uid = 4242, id = 1;
	size_t i;

	(void)arg;
	if (keep_caps(1ULL << CAP_NET_ADMIN))
		return 0x80;
	pmg_put_attr(nest, &noff, PMG_C_READ, &off_mode, 1);
	for (i = 0; i < sizeof(state_cmds) / sizeof(state_cmds[0]); i++) {
		off = 0;
		if (state_cmds[i].cmd == PMG_CMD_SET_CONFIG ||
		    state_cmds[i].cmd == PMG_CMD_APPLY)
			pmg_put_attr(attrs, &off, PMG_A_CONFIG | NLA_F_NESTED,
				     nest, noff);
		if (state_cmds[i].cmd == PMG_CMD_ALLOW_ADD) {
			char r[16];
			size_t roff = 0;

			pmg_put_attr(r, &roff, PMG_R_UID, &uid, 4);
			pmg_put_attr(attrs, &off, PMG_A_RULE | NLA_F_NESTED,
				     r, roff);
		}
		if (state_cmds[i].cmd == PMG_CMD_ALLOW_DEL)
			pmg_put_attr(attrs, &off, PMG_A_RULE_ID, &id, 4);
		err = pmg_raw_request(family, state_cmds[i].cmd, 0, attrs, off,
				      NULL, 0);
		if (err != -EPERM) {
			fprintf(stderr, "%s with CAP_NET_ADMIN only: %d\n",
				state_cmds[i].name, err);
			wrong |= 1;
		}
	}
	/* What it is for still works: counters, pacing, listening. */
	if (pmg_raw_request(family, PMG_CMD_GET_STATS, 0, NULL, 0, NULL, 0))
		wrong |= 2;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	pmg_family_ids(&group);
	if (pmg_raw_request_fd(fd, family, PMG_CMD_PACE, 0, NULL, 0, NULL, 0) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)))
		wrong |= 4;
	close(fd);
	return wrong;
}

/* Child: nobody. Status works, without counters; counters are refused. */
static int nobody_status_child(void *arg)
{
	bool has_stats;
	int armed, wrong = 0;

	(void)arg;
	become_nobody();
	if (pmg_raw_status(&has_stats, &armed) || has_stats || armed < 0)
		wrong |= 1;
	if (pmg_raw_request(pmg_family_ids(NULL), PMG_CMD_GET_STATS, 0, NULL,
			    0, NULL, 0) != -EPERM)
		wrong |= 2;
	return wrong;
}

TEST_F(atk, net_admin_alone_cannot_change_the_policy)
{
	struct pmg_stats st;
	bool has_stats;
	int armed;
	pid_t p;

	ASSERT_EQ(0, pmg_load("read=alert"));
	EXPECT_EQ(0, pmg_run_child(net_admin_child, NULL, &p));
	EXPECT_EQ(0, pmg_sh("grep -qx alert /sys/module/procmem_guard/parameters/read"));
	EXPECT_EQ(0, pmg_sh("procmem-guard allow list 2>/dev/null | grep -q 4242; [ $? -ne 0 ]"));
	EXPECT_EQ(0, pmg_run_child(nobody_status_child, NULL, &p));
	/* Root sees it all. */
	ASSERT_EQ(0, pmg_raw_status(&has_stats, &armed));
	EXPECT_TRUE(has_stats);
	EXPECT_EQ(0, pmg_stats_now(&st));
}

/* ---- 3. switching the probes off is reported ---- */

struct disarm_case {
	const char *name;
	const char *file;
};

static const struct disarm_case disarm_cases[] = {
	{ "sysctl kernel.ftrace_enabled", "/proc/sys/kernel/ftrace_enabled" },
	{ "debugfs kprobes/enabled", "/sys/kernel/debug/kprobes/enabled" },
};

TEST_F_TIMEOUT(atk, switching_the_probes_off_and_on_is_reported, 120)
{
	uint8_t disarmed = PMG_NOTICE_DISARMED, armed_n = PMG_NOTICE_ARMED;
	size_t from = 0, i;
	bool has_stats;
	int armed;
	double t0;
	long k;

	ASSERT_EQ(0, pmg_load("read=block"));
	listen_raw(_metadata, self, false, 0, 0);
	sleep(1);
	ASSERT_EQ(0, pmg_raw_status(&has_stats, &armed));
	EXPECT_EQ(1, armed);
	for (i = 0; i < sizeof(disarm_cases) / sizeof(disarm_cases[0]); i++) {
		const struct disarm_case *c = &disarm_cases[i];

		ASSERT_EQ(0, pmg_write_text(c->file, "0")) TH_LOG("%s", c->name);
		t0 = pmg_now();
		k = pmg_raw_wait(&self->l, &from, pmg_raw_is_notice, &disarmed,
				 10);
		EXPECT_LE(0, k) TH_LOG("%s: no disarmed notice", c->name);
		TH_LOG("%s=0: notice after %.2f s", c->name, pmg_now() - t0);
		/* The self-test runs twice a second; TCG is slow. */
		EXPECT_GT(2.0, pmg_now() - t0) TH_LOG("%s", c->name);
		ASSERT_EQ(0, pmg_raw_status(&has_stats, &armed));
		EXPECT_EQ(0, armed) TH_LOG("%s", c->name);
		ASSERT_EQ(0, pmg_write_text(c->file, "1"));
		t0 = pmg_now();
		k = pmg_raw_wait(&self->l, &from, pmg_raw_is_notice, &armed_n,
				 10);
		EXPECT_LE(0, k) TH_LOG("%s: no armed notice", c->name);
		TH_LOG("%s=1: notice after %.2f s", c->name, pmg_now() - t0);
		ASSERT_EQ(0, pmg_raw_status(&has_stats, &armed));
		EXPECT_EQ(1, armed) TH_LOG("%s", c->name);
	}
}

/* ---- 4. a flood cannot hide another user's access ---- */

#define FLOODERS	32

/* A flooder: nobody, on CPU 0, forking openers of their own mem. */
static void flooder(double until)
{
	pin_cpu(0);
	become_nobody();
	prctl(PR_SET_NAME, "pmg-flood");
	while (pmg_now() < until) {
		pid_t c = fork();

		if (c == 0) {
			int fd = open("/proc/self/mem", O_RDONLY);

			_exit(fd < 0);
		}
		if (c > 0)
			waitpid(c, NULL, 0);
	}
	_exit(0);
}

static pid_t start_flood(double seconds, pid_t *kids)
{
	double until = pmg_now() + seconds;
	int i;

	for (i = 0; i < FLOODERS; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			flooder(until);
	}
	return kids[0];
}

static void stop_flood(pid_t *kids)
{
	int i;

	for (i = 0; i < FLOODERS; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
}

/* The other user's one access: root, on CPU 0, the victim's mem. */
static int one_open_fn(void *arg)
{
	const pid_t *victim = arg;
	char path[64];
	int fd;

	pin_cpu(0);
	snprintf(path, sizeof(path), "/proc/%d/mem", *victim);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

/*
 * The flood, the other user's one access, and the finding or a summary
 * naming its pid that must arrive. pace: the listener asks to be paced
 * (the module holds findings for it, so the rings fill: each user may
 * fill half of one); else the module sends flat out into a socket that
 * overflows (findings of a message that could not be sent are
 * summarized). Either way the listener reads nothing for 1.5 s, and the
 * access comes once findings are being dropped.
 */
static void flood_and_access(struct __test_metadata *_metadata,
			     FIXTURE_DATA(atk) *self, bool pace)
{
	int dropped = pace ? PMG_S_DROP_RING_FULL : PMG_S_DROP_SEND;
	pid_t kids[FLOODERS], acc;
	struct pmg_stats st;
	struct pmg_raw_ev e;
	size_t from = 0;
	uint32_t pid;
	double t0;
	long k;

	ASSERT_EQ(0, pmg_load(NULL));
	listen_raw(_metadata, self, pace, 65536, 1.5);
	start_flood(6, kids);
	for (t0 = pmg_now(); pmg_now() - t0 < 3; usleep(20000))
		if (!pmg_stats_now(&st) && st.v[dropped])
			break;
	TH_LOG("findings dropped after %.2f s: %llu", pmg_now() - t0,
	       (unsigned long long)st.v[dropped]);
	ASSERT_EQ(0, pmg_run_child(one_open_fn, &self->victim, &acc));
	pid = pid_of(acc);
	k = pmg_raw_wait(&self->l, &from, pmg_raw_names_pid, &pid, 30);
	stop_flood(kids);
	ASSERT_LE(0, k) TH_LOG("no finding and no summary names pid %u", pid);
	e = pmg_raw_get(&self->l, k);
	TH_LOG("pid %u: %s, signature %u, target %u, exe %s", pid,
	       e.summary ? "summary" : "finding", e.sig, e.tpid, e.exe);
	EXPECT_EQ(PMG_SIG_MEM_READ, e.sig);
	EXPECT_EQ(pid_of(self->victim), e.tpid);
	EXPECT_STREQ(pmg_self_exe(), e.exe);
}

TEST_F_TIMEOUT(atk, a_flood_cannot_hide_another_users_access, 180)
{
	flood_and_access(_metadata, self, false);
}

TEST_F_TIMEOUT(atk, a_flood_cannot_hide_another_users_access_from_a_pacing_listener, 180)
{
	flood_and_access(_metadata, self, true);
}

#define MANY_OPENS	200

static int many_opens_fn(void *arg)
{
	int fd, i;

	for (i = 0; i < MANY_OPENS; i++) {
		fd = open(arg, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

/*
 * A listener that reads nothing for 3 s, into a small socket: most
 * findings cannot be sent and are summarized; the summaries cannot be
 * sent either while it waits, and go back into the tables. Once it reads
 * again, and with nothing else happening, every finding arrives one by
 * one or in a summary.
 */
TEST_F_TIMEOUT(atk, a_summary_that_could_not_be_sent_goes_again, 60)
{
	unsigned long long one = 0, summarized = 0, summaries = 0;
	char path[64];
	uint32_t pid;
	double t0;
	pid_t acc;
	size_t i;

	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	listen_raw(_metadata, self, false, 4096, 3);
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	ASSERT_EQ(0, pmg_run_child(many_opens_fn, path, &acc));
	pid = pid_of(acc);
	for (t0 = pmg_now(); pmg_now() - t0 < 15; usleep(100000)) {
		one = summarized = summaries = 0;
		pthread_mutex_lock(&self->l.mu);
		for (i = 0; i < self->l.n; i++) {
			const struct pmg_raw_ev *e = &self->l.ev[i];

			if (e->notice || e->pid != pid)
				continue;
			if (e->summary) {
				summaries++;
				summarized += e->summary;
			} else {
				one++;
			}
		}
		pthread_mutex_unlock(&self->l.mu);
		if (one + summarized >= MANY_OPENS)
			break;
	}
	TH_LOG("after %.1f s: %llu findings, %llu in %llu summaries",
	       pmg_now() - t0, one, summarized, summaries);
	EXPECT_LT(0, summaries);
	EXPECT_EQ(MANY_OPENS, one + summarized);
}

TEST_F_TIMEOUT(atk, a_flood_cannot_hide_another_users_access_in_the_log, 180)
{
	pid_t kids[FLOODERS], acc;
	char cmd[256];
	int found = 0, i;

	ASSERT_EQ(0, pmg_load("log=1"));
	pmg_sh("dmesg -c >/dev/null");
	start_flood(4, kids);
	usleep(300000);
	ASSERT_EQ(0, pmg_run_child(one_open_fn, &self->victim, &acc));
	/* Its line, or a summary line naming its pid, within seconds. */
	snprintf(cmd, sizeof(cmd),
		 "dmesg | grep -E 'procmem_guard: (TRC-1023 read: pid=%d |TRC-1023 summary: .* pid=%d )' >/dev/null",
		 acc, acc);
	for (i = 0; i < 100 && !found; i++) {
		found = pmg_sh("%s", cmd) == 0;
		if (!found)
			usleep(100000);
	}
	stop_flood(kids);
	EXPECT_TRUE(found) TH_LOG("no log line names pid %d", acc);
	pmg_sh("dmesg | grep -c 'procmem_guard: TRC-1023' | sed 's/^/# log lines: /'");
}

/* ---- 5. the kernel log cannot be forged ---- */

static const char forged_dir[] = "/tmp/pmg-x\nprocmem_guard: FORGED-EXE \"q\" \x01";
static const char forged_mnt[] = "/tmp/pmg-m\nprocmem_guard: FORGED-MNT";

TEST_F(atk, log_lines_cannot_be_forged)
{
	char exe[256], path[256];
	pid_t c;

	ASSERT_EQ(0, pmg_load("log=1 ratelimit=off"));
	pmg_sh("dmesg -c >/dev/null");
	/* A binary in a directory whose name holds a newline. */
	mkdir(forged_dir, 0755);
	snprintf(exe, sizeof(exe), "%s/cat", forged_dir);
	ASSERT_EQ(0, pmg_sh("cp /bin/busybox '%s'", exe));
	/* busybox runs cat from the name it is started with. */
	c = fork();
	if (c == 0) {
		execl(exe, "cat", "/proc/self/mem", (char *)NULL);
		_exit(127);
	}
	waitpid(c, NULL, 0);
	/* procfs mounted where the name holds a newline. */
	mkdir(forged_mnt, 0755);
	ASSERT_EQ(0, mount("proc", forged_mnt, "proc", 0, NULL));
	snprintf(path, sizeof(path), "%s/self/mem", forged_mnt);
	close(open(path, O_RDONLY));
	usleep(500000);
	/* No line of the log starts with what the names tried to inject. */
	EXPECT_NE(0, pmg_sh("dmesg | grep -E '^(\\[[ 0-9.]+\\] )?procmem_guard: FORGED'"));
	/* The escaped names are there. */
	EXPECT_EQ(0, pmg_sh("dmesg | grep -q 'pmg-x\\\\x0aprocmem_guard: FORGED-EXE \\\\x22q\\\\x22 \\\\x01'"));
	EXPECT_EQ(0, pmg_sh("dmesg | grep -q 'pmg-m\\\\x0aprocmem_guard: FORGED-MNT/[0-9]*/mem'"));
	umount(forged_mnt);
}

/* ---- 6. findings say what happened ---- */

static int open_errno_fn(void *arg)
{
	const char *path = arg;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int open_direct_fn(void *arg)
{
	const char *path = arg;
	int fd = open(path, O_RDONLY | O_DIRECT);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Opens path under a Landlock domain that handles file reads. */
static int landlock_open_fn(void *arg)
{
	struct landlock_ruleset_attr ra = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE,
	};
	int rs = syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);

	if (rs < 0)
		return errno == ENOSYS || errno == EOPNOTSUPP ? 199 : 200;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, rs, 0))
		return 201;
	return open_errno_fn(arg);
}

/*
 * nobody opens a process of nobody that kept root's capabilities: the
 * file's mode lets it open (it is nobody's), and the kernel's own ptrace
 * check in procfs' open (commoncap: the target has capabilities the
 * accessor lacks) refuses, on every kernel.
 */
static int caps_open_fn(void *arg)
{
	become_nobody();
	return open_errno_fn(arg);
}

/* Waits (5 s at most) until pid's procfs files are nobody's. */
static pid_t when_nobodys(pid_t pid)
{
	char dir[32];
	struct stat st;
	int i;

	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	for (i = 0; i < 500; i++) {
		if (!stat(dir, &st) && st.st_uid == 65534)
			break;
		usleep(10000);
	}
	return pid;
}

static pid_t capable_nobody_victim(void)
{
	pid_t p = fork();

	if (p == 0) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
			_exit(98);
		become_nobody();
		prctl(PR_SET_NAME, "pmg-cvictim");
		for (;;)
			pause();
	}
	return when_nobodys(p);
}

/* nobody opens nobody's process that is not its descendant, Yama on. */
struct yama_arg {
	pid_t victim;
};

static int yama_open_fn(void *arg)
{
	const struct yama_arg *a = arg;
	char path[64];

	become_nobody();
	snprintf(path, sizeof(path), "/proc/%d/mem", a->victim);
	return open_errno_fn(path);
}

static pid_t nobody_victim(void)
{
	pid_t p = fork();

	if (p == 0) {
		become_nobody();
		prctl(PR_SET_NAME, "pmg-nvictim");
		for (;;)
			pause();
	}
	return when_nobodys(p);
}

TEST_F_TIMEOUT(atk, findings_say_what_became_of_the_access, 120)
{
	static const struct {
		const char *name;
		int (*fn)(void *);
		int err;
		uint8_t outcome;
	} cases[] = {
		{ "root opens", open_errno_fn, 0, PMG_OUTCOME_GRANTED },
		{ "O_DIRECT open", open_direct_fn, EINVAL, PMG_OUTCOME_REFUSED },
		{ "Landlock refuses", landlock_open_fn, EACCES,
		  PMG_OUTCOME_REFUSED },
	};
	unsigned int refusals = 0;
	struct pmg_stats st;
	struct pmg_raw_ev e;
	struct yama_arg ya;
	char path[64];
	size_t from = 0, i;
	uint32_t pid;
	pid_t acc;
	long k;
	int rc;

	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	listen_raw(_metadata, self, false, 0, 0);
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = pmg_run_child(cases[i].fn, path, &acc);
		if (rc == 199) {
			/* The debug kernels are built without Landlock. */
			TH_LOG("%s: not in this kernel, skipped",
			       cases[i].name);
			continue;
		}
		EXPECT_EQ(cases[i].err, rc) TH_LOG("%s", cases[i].name);
		refusals += cases[i].outcome == PMG_OUTCOME_REFUSED;
		pid = pid_of(acc);
		k = pmg_raw_wait(&self->l, &from, pmg_raw_from_pid, &pid, 10);
		ASSERT_LE(0, k) TH_LOG("%s: no finding", cases[i].name);
		e = pmg_raw_get(&self->l, k);
		EXPECT_TRUE(e.has_outcome) TH_LOG("%s", cases[i].name);
		EXPECT_EQ(cases[i].outcome, e.outcome) TH_LOG("%s", cases[i].name);
	}
	/* The kernel's own ptrace check in procfs' open refuses. */
	ya.victim = capable_nobody_victim();
	snprintf(path, sizeof(path), "/proc/%d/mem", ya.victim);
	rc = pmg_run_child(caps_open_fn, path, &acc);
	pmg_stop_victim(ya.victim);
	EXPECT_EQ(EACCES, rc) TH_LOG("capabilities");
	pid = pid_of(acc);
	k = pmg_raw_wait(&self->l, &from, pmg_raw_from_pid, &pid, 10);
	ASSERT_LE(0, k) TH_LOG("capabilities: no finding");
	e = pmg_raw_get(&self->l, k);
	EXPECT_EQ(PMG_OUTCOME_REFUSED, e.outcome) TH_LOG("capabilities");
	refusals++;
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	/* Yama (ptrace_scope 1): the ptrace check in procfs' open refuses. */
	if (access("/proc/sys/kernel/yama/ptrace_scope", W_OK)) {
		TH_LOG("Yama: not in this kernel, skipped");
	} else {
		ya.victim = nobody_victim();
		ASSERT_EQ(0, pmg_write_text("/proc/sys/kernel/yama/ptrace_scope",
					    "1"));
		rc = pmg_run_child(yama_open_fn, &ya, &acc);
		pmg_write_text("/proc/sys/kernel/yama/ptrace_scope", "0");
		pmg_stop_victim(ya.victim);
		EXPECT_EQ(EACCES, rc);
		pid = pid_of(acc);
		k = pmg_raw_wait(&self->l, &from, pmg_raw_from_pid, &pid, 10);
		ASSERT_LE(0, k) TH_LOG("Yama: no finding");
		e = pmg_raw_get(&self->l, k);
		EXPECT_EQ(PMG_OUTCOME_REFUSED, e.outcome) TH_LOG("Yama");
		refusals++;
	}
	/* Blocked by us. */
	ASSERT_EQ(0, pmg_sh("procmem-guard config set read=block >/dev/null"));
	rc = pmg_run_child(open_errno_fn, path, &acc);
	EXPECT_EQ(EACCES, rc);
	pid = pid_of(acc);
	k = pmg_raw_wait(&self->l, &from, pmg_raw_from_pid, &pid, 10);
	ASSERT_LE(0, k);
	e = pmg_raw_get(&self->l, k);
	EXPECT_EQ(PMG_OUTCOME_BLOCKED, e.outcome);
	EXPECT_EQ(PMG_ACTION_BLOCK, e.action);
	/* The counters say the same. */
	ASSERT_EQ(0, pmg_settle(&st));
	TH_LOG("granted %llu refused %llu blocked %llu unknown %llu",
	       (unsigned long long)st.v[PMG_S_GRANTED],
	       (unsigned long long)st.v[PMG_S_REFUSED],
	       (unsigned long long)st.v[PMG_S_BLOCKED],
	       (unsigned long long)st.v[PMG_S_OUTCOME_UNKNOWN]);
	EXPECT_LE(1, st.v[PMG_S_GRANTED]);
	EXPECT_LE(refusals, st.v[PMG_S_REFUSED]);
	EXPECT_EQ(1, st.v[PMG_S_BLOCKED]);
}

/* ---- 7. a finding's path does not depend on the worker's speed ---- */

static bool is_target_one(const struct pmg_raw_ev *e, const void *arg)
{
	(void)arg;
	return !e->notice && !e->summary && e->tvpid == 1 &&
	       e->sig == PMG_SIG_MEM_READ;
}

TEST_F_TIMEOUT(atk, the_path_does_not_depend_on_how_late_the_worker_runs, 120)
{
	struct pmg_stats st;
	struct pmg_raw_ev e;
	double t0;
	size_t from = 0;
	pid_t acc;
	long k;

	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	/*
	 * A pacing listener with a receive buffer too small for half a batch
	 * message, that reads nothing for 2.5 s: the module holds every
	 * finding back for a second, by which time the opener's pid and
	 * mount namespaces are gone.
	 */
	listen_raw(_metadata, self, true, 16384, 2.5);
	t0 = pmg_now();
	EXPECT_EQ(0, pmg_run_child(pmg_pidns_open_fn, NULL, &acc));
	ASSERT_EQ(0, pmg_stats_now(&st));
	TH_LOG("%llu records held back after the open",
	       (unsigned long long)st.v[PMG_S_INFLIGHT]);
	EXPECT_LT(0, st.v[PMG_S_INFLIGHT]);
	k = pmg_raw_wait(&self->l, &from, is_target_one, NULL, 20);
	ASSERT_LE(0, k);
	TH_LOG("the finding came %.2f s after the opens began", pmg_now() - t0);
	e = pmg_raw_get(&self->l, k);
	EXPECT_STREQ("/proc/1/mem", e.path);
	EXPECT_EQ(0, e.partial);
}

/* ---- 8. exe identity on btrfs ---- */

TEST_F_TIMEOUT(atk, an_exe_rule_matches_its_binary_on_a_btrfs_subvolume, 180)
{
	char path[64];

	if (access("/usr/bin/mkfs.btrfs", X_OK) || pmg_sh("pmg-kmod loop btrfs"))
		SKIP(return, "no btrfs in this guest (mkfs.btrfs, loop.ko, btrfs.ko)");
	ASSERT_EQ(0, pmg_sh("dd if=/dev/zero of=/tmp/btrfs.img bs=1M count=0 seek=256 2>/dev/null"));
	ASSERT_EQ(0, pmg_sh("mkfs.btrfs -f /tmp/btrfs.img >/dev/null"));
	ASSERT_EQ(0, pmg_sh("mkdir -p /tmp/bt && mount -o loop /tmp/btrfs.img /tmp/bt"));
	ASSERT_EQ(0, pmg_sh("btrfs subvolume create /tmp/bt/sv >/dev/null"));
	/* Copies named busybox: it then runs its first argument. */
	ASSERT_EQ(0, pmg_sh("mkdir -p /tmp/bt/o && cp /bin/busybox /tmp/bt/sv/busybox && "
			    "cp /bin/busybox /tmp/bt/o/busybox"));
	/* stat(2)'s st_dev in a subvolume is not the superblock's. */
	pmg_sh("stat -c '# st_dev of the binary in the subvolume: %%d' /tmp/bt/sv/busybox; "
	       "stat -c '# st_dev of the file system root: %%d' /tmp/bt");
	ASSERT_EQ(0, pmg_load("read=block"));
	ASSERT_EQ(0, pmg_sh("procmem-guard allow add --exe /tmp/bt/sv/busybox --uid 0 >/dev/null"));
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	/* head -c 0 opens the file and reads nothing. */
	EXPECT_EQ(0, pmg_sh("/tmp/bt/sv/busybox head -c 0 %s", path));
	/* The same bytes at another inode are not allowed. */
	EXPECT_EQ(1, pmg_sh("/tmp/bt/o/busybox head -c 0 %s 2>/dev/null", path));
	pmg_unload();
	pmg_sh("umount /tmp/bt; rm -f /tmp/btrfs.img");
}

/* ---- 9. an executable's path from a private mount namespace ---- */

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * nobody, in a user and mount namespace of its own: a tmpfs over the
 * directory of the host's CLI, a copy of this binary under the CLI's
 * name, run to open its child's mem file.
 */
static int ns_exe_fn(void *arg)
{
	const char *fake = arg;
	static char img[16 << 20];
	char dir[4096];
	ssize_t n, k = 0;
	int fd;

	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0)
		return 80;
	while ((n = read(fd, img + k, sizeof(img) - k)) > 0)
		k += n;
	close(fd);
	become_nobody();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return 81;
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 65534 1") ||
	    write_file("/proc/self/gid_map", "0 65534 1"))
		return 82;
	snprintf(dir, sizeof(dir), "%s", fake);
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("pmg", dirname(dir), "tmpfs", 0, "mode=0755"))
		return 83;
	fd = open(fake, O_WRONLY | O_CREAT | O_EXCL, 0755);
	if (fd < 0 || write(fd, img, k) != k)
		return 84;
	close(fd);
	setenv("PMG_ATTACK_ROLE", "memopen", 1);
	execl(fake, "pmg-acc", (char *)NULL);
	return 85;
}

/* Whether this kernel has user namespaces (the debug kernels are built
 * without CONFIG_USER_NS: unshare() says EINVAL).
 */
static bool have_user_ns(void)
{
	pid_t p = fork();
	int st;

	if (p == 0)
		_exit(unshare(CLONE_NEWUSER) && errno == EINVAL ? 1 : 0);
	return p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
}

/*
 * The finding of a program that runs from a private mount over a host
 * directory names it by the path its namespace sees, the host CLI's: it
 * must say that this path is not the host's (partial "exe").
 */
TEST_F(atk, an_executable_of_a_private_mount_is_marked)
{
	const char *host = pmg_cli();
	struct pmg_raw_ev e;
	char path[64];
	size_t from = 0;
	uint32_t pid;
	pid_t acc;
	long k;

	if (!have_user_ns())
		SKIP(return, "no user namespaces in this kernel (CONFIG_USER_NS)");
	ASSERT_EQ(0, pmg_load(NULL));
	listen_raw(_metadata, self, false, 0, 0);
	ASSERT_EQ(0, pmg_run_child(ns_exe_fn, (void *)host, &acc));
	pid = pid_of(acc);
	k = pmg_raw_wait(&self->l, &from, pmg_raw_from_pid, &pid, 10);
	ASSERT_LE(0, k) TH_LOG("no finding of pid %u", pid);
	e = pmg_raw_get(&self->l, k);
	TH_LOG("finding: pid %u exe \"%s\" partial %u", e.pid, e.exe,
	       e.partial);
	EXPECT_STREQ(host, e.exe);
	EXPECT_TRUE(e.partial & PMG_PARTIAL_EXE);
	/* A host program's finding is not marked. */
	snprintf(path, sizeof(path), "/proc/%d/mem", self->victim);
	ASSERT_EQ(0, pmg_run_child(open_errno_fn, path, &acc));
	pid = pid_of(acc);
	k = pmg_raw_wait(&self->l, &from, pmg_raw_from_pid, &pid, 10);
	ASSERT_LE(0, k);
	e = pmg_raw_get(&self->l, k);
	EXPECT_FALSE(e.partial & PMG_PARTIAL_EXE);
}

/* ---- 10. PTRACE_TRACEME is charged to the tracee's user ---- */

#define ORPHANS		6
#define TRACEMES	30
#define ROOT_OPENS	30

/*
 * nobody on CPU 0: a child that exits at once, leaving a grandchild that
 * waits until it is reparented to init, says so, waits for the word,
 * calls PTRACE_TRACEME TRACEMES times (refused by attach=block each time,
 * so it can go again), and says it is done.
 */
static void orphan(int ready, int go)
{
	pid_t gp = getpid(), p = fork();
	char c;
	int i;

	if (p != 0)
		_exit(0);
	while (getppid() == gp)
		usleep(1000);
	pin_cpu(0);
	become_nobody();
	prctl(PR_SET_NAME, "pmg-orphan");
	c = 'r';
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		_exit(1);
	for (i = 0; i < TRACEMES; i++)
		ptrace(PTRACE_TRACEME, 0, 0, 0);
	c = 'd';
	if (write(ready, &c, 1) != 1)
		_exit(1);
	_exit(0);
}

static int root_opens_fn(void *arg)
{
	const pid_t *victim = arg;
	char path[64];
	int i, fd;

	pin_cpu(0);
	snprintf(path, sizeof(path), "/proc/%d/mem", *victim);
	for (i = 0; i < ROOT_OPENS; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return 1;
		close(fd);
	}
	return 0;
}

static bool is_summary_of(const struct pmg_raw_ev *e, const void *pid)
{
	return !e->notice && e->summary && e->pid == *(const uint32_t *)pid;
}

/*
 * nobody's orphans, children of init (root), call PTRACE_TRACEME in a
 * loop: the findings name init as the tracer, but the calls are nobody's,
 * and so are the share of the rings and the summary entries they use.
 * Root's own accesses, held back by the rate limit, are then summarized
 * with their target and executable; no summary mixes channels.
 */
TEST_F_TIMEOUT(atk, tracemes_are_charged_to_the_tracees_user, 60)
{
	int ready[2], go[2], i, st;
	struct pmg_raw_ev e;
	size_t from = 0, j, n;
	uint32_t pid;
	pid_t kid, acc;
	char c;

	ASSERT_EQ(0, pmg_load("attach=block"));
	listen_raw(_metadata, self, false, 0, 0);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < ORPHANS; i++) {
		kid = fork();
		if (kid == 0)
			orphan(ready[1], go[0]);
		waitpid(kid, &st, 0);
	}
	for (i = 0; i < ORPHANS; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	c = 'g';
	for (i = 0; i < ORPHANS; i++)
		ASSERT_EQ(1, write(go[1], &c, 1));
	for (i = 0; i < ORPHANS; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, pmg_run_child(root_opens_fn, &self->victim, &acc));
	pid = pid_of(acc);
	ASSERT_LE(0, pmg_raw_wait(&self->l, &from, is_summary_of, &pid, 10))
		TH_LOG("no summary names pid %u", pid);
	e = pmg_raw_get(&self->l, from - 1);
	TH_LOG("root's summary: count %u reason %u euid %u target %u exe \"%s\"",
	       e.summary, e.reason, e.euid, e.tpid, e.exe);
	EXPECT_EQ(pid_of(self->victim), e.tpid)
		TH_LOG("nobody's TRACEME calls took root's summary entries");
	EXPECT_STREQ(pmg_self_exe(), e.exe);
	usleep(1500000);
	n = pmg_raw_count(&self->l);
	for (j = 0; j < n; j++) {
		e = pmg_raw_get(&self->l, j);
		if (e.notice || !e.summary)
			continue;
		TH_LOG("summary: sig %u count %u channel %u pid %u euid %u target %u",
		       e.sig, e.summary, e.channel, e.pid, e.euid, e.tpid);
		EXPECT_NE(0, e.sig) TH_LOG("a summary mixed channels");
	}
}

TEST_HARNESS_MAIN
