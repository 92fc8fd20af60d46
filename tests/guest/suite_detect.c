// SPDX-License-Identifier: GPL-2.0
/*
 * suite_detect - every way of opening a procfs mem file is caught once,
 * with the right target, and nothing else is; checked field by field
 * through `procmem-guard listen --format json`.
 */
#include <sched.h>
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "pmg_test.h"

FIXTURE(det) {
	struct pmg_cli_listener l;
	pid_t victim, victim_tid;
	size_t mark;
};

FIXTURE_SETUP(det)
{
	PMG_ONLY_SELECTED();
	pmg_unload();
	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	ASSERT_EQ(0, pmg_cli_listener_start(&self->l));
	ASSERT_TRUE(pmg_cli_listener_ready(&self->l, 20)) TH_LOG("listener got nothing");
	self->victim = pmg_start_victim(&self->victim_tid);
	ASSERT_GT(self->victim, 0);
	ASSERT_GT(self->victim_tid, 0);
	ASSERT_NE(self->victim, self->victim_tid);
	self->mark = pmg_cli_listener_count(&self->l);
}

FIXTURE_TEARDOWN(det)
{
	pmg_stop_victim(self->victim);
	pmg_cli_listener_stop(&self->l);
	pmg_unload();
}

struct expect {
	int sig;		/* 1023 or 1024 */
	const char *access;
	pid_t tpid, ttid;	/* ttid 0: must be null */
	pid_t tvpid;
	int self;
	const char *path;	/* NULL: not checked */
	const char *procfs_path;
};

/* Runs the accessor, then checks it produced exactly n findings. */
static void check(struct __test_metadata *_metadata, struct pmg_cli_listener *l,
		  size_t mark, pid_t acc, const struct expect *e, size_t n)
{
	json_object *got[4];
	size_t i, k;

	ASSERT_TRUE(pmg_sync(l, 20));
	k = pmg_lines_of(l, mark, acc, got, 4);
	ASSERT_EQ(n, k) TH_LOG("accessor %d: %zu findings", acc, k);
	for (i = 0; i < k; i++) {
		json_object *o = got[i];
		int sig = n == 2 ? (i == 0 ? 1023 : 1024) : e->sig;
		char want[16];

		/* With two findings, either order is fine: pick by name. */
		if (n == 2)
			sig = strcmp(pmg_jstr(o, "signature"), "TRC-1023") ?
			      1024 : 1023;
		snprintf(want, sizeof(want), "TRC-%d", sig);
		EXPECT_STREQ(want, pmg_jstr(o, "signature"));
		EXPECT_STREQ(sig == 1023 ? "proc_mem_access" :
			     "proc_mem_code_injection", pmg_jstr(o, "event"));
		EXPECT_STREQ(sig == 1023 ? "T1003.007" : "T1055.009",
			     pmg_jstr(o, "mitre"));
		EXPECT_STREQ(e->access, pmg_jstr(o, "access"));
		EXPECT_STREQ("alert", pmg_jstr(o, "action"));
		EXPECT_EQ(e->tpid, pmg_jint(o, "target.pid"));
		if (e->ttid) {
			EXPECT_EQ(e->ttid, pmg_jint(o, "target.tid"));
		} else {
			EXPECT_TRUE(pmg_jnull(o, "target.tid"));
		}
		EXPECT_EQ(e->tvpid, pmg_jint(o, "target.vpid"));
		EXPECT_EQ(e->self, json_object_get_boolean(pmg_jget(o, "target.self")));
		EXPECT_EQ(acc, pmg_jint(o, "process.pid"));
		EXPECT_EQ(acc, pmg_jint(o, "process.tid"));
		EXPECT_EQ(getpid(), pmg_jint(o, "process.ppid"));
		EXPECT_EQ(getuid(), pmg_jint(o, "process.uid"));
		EXPECT_EQ(geteuid(), pmg_jint(o, "process.euid"));
		EXPECT_EQ(getgid(), pmg_jint(o, "process.gid"));
		EXPECT_STREQ(PMG_ACC_COMM, pmg_jstr(o, "process.comm"));
		EXPECT_STREQ(pmg_self_exe(), pmg_jstr(o, "process.exe"));
		EXPECT_EQ(pmg_ns_inode("mnt"), pmg_jint(o, "process.mnt_ns"));
		EXPECT_EQ(pmg_ns_inode("pid"), pmg_jint(o, "process.pid_ns"));
		if (e->path)
			EXPECT_STREQ(e->path, pmg_jstr(o, "path"));
		if (e->procfs_path)
			EXPECT_STREQ(e->procfs_path, pmg_jstr(o, "procfs_path"));
		EXPECT_GT(pmg_jint(o, "file.inode"), 0);
	}
}

static pid_t open_as_child(struct __test_metadata *_metadata,
			   const char *path, int flags)
{
	struct pmg_open_req r = { path, flags };
	pid_t pid;
	int rc = pmg_run_child(pmg_open_fn, &r, &pid);

	EXPECT_EQ(0, rc) TH_LOG("open(%s): %s", path, strerror(rc));
	return pid;
}

#define PATHF(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

TEST_F(det, proc_1_mem)
{
	struct expect e = { 1023, "read", 1, 0, 1, 0, "/proc/1/mem", "/1/mem" };
	pid_t acc = open_as_child(_metadata, "/proc/1/mem", O_RDONLY);

	check(_metadata, &self->l, self->mark, acc, &e, 1);
}

/*
 * Opens path for reading in an accessor and checks its one finding: a read
 * of the victim's memory, its path reported as shown. Returns the accessor.
 */
static pid_t check_victim_read(struct __test_metadata *_metadata,
			       FIXTURE_DATA(det) *self, const char *path,
			       const char *shown)
{
	char rel[64];
	struct expect e = { 1023, "read", self->victim, 0, self->victim, 0,
			    shown, rel };
	pid_t acc;

	PATHF(rel, "/%d/mem", self->victim);
	acc = open_as_child(_metadata, path, O_RDONLY);
	check(_metadata, &self->l, self->mark, acc, &e, 1);
	return acc;
}

/*
 * The same through a mount of src on dir (fstype and flags as mount(2)
 * takes them); path_fmt names the mem file there, given the victim's pid.
 */
static void check_mounted(struct __test_metadata *_metadata,
			  FIXTURE_DATA(det) *self, const char *src,
			  const char *dir, const char *fstype,
			  unsigned long flags, const char *path_fmt)
{
	char path[96];

	mkdir(dir, 0755);
	ASSERT_EQ(0, mount(src, dir, fstype, flags, NULL));
	PATHF(path, path_fmt, self->victim);
	check_victim_read(_metadata, self, path, path);
	EXPECT_EQ(0, umount(dir));
}

TEST_F(det, proc_pid_mem)
{
	char path[64];
	json_object *o;
	pid_t acc;

	PATHF(path, "/proc/%d/mem", self->victim);
	acc = check_victim_read(_metadata, self, path, path);
	/* The target's comm comes along. */
	ASSERT_EQ(1, pmg_lines_of(&self->l, self->mark, acc, &o, 1));
	EXPECT_STREQ("pmg-victim", pmg_jstr(o, "target.comm"));
}

static int open_self_fn(void *arg)
{
	return pmg_open_fn(arg);
}

/*
 * Opens name, a name of the opener's own mem file (/proc/self/mem...), and
 * checks the finding: the opener itself, its /proc/<pid>/mem or, with
 * thread, its /proc/<pid>/task/<tid>/mem.
 */
static void check_self_open(struct __test_metadata *_metadata,
			    FIXTURE_DATA(det) *self, const char *name,
			    bool thread)
{
	struct pmg_open_req r = { name, O_RDONLY };
	char path[64], rel[64];
	struct expect e = { 1023, "read", 0, 0, 0, 1, path, rel };
	pid_t acc;

	ASSERT_EQ(0, pmg_run_child(open_self_fn, &r, &acc));
	e.tpid = e.tvpid = acc;
	if (thread) {
		e.ttid = acc;
		PATHF(path, "/proc/%d/task/%d/mem", acc, acc);
		PATHF(rel, "/%d/task/%d/mem", acc, acc);
	} else {
		PATHF(path, "/proc/%d/mem", acc);
		PATHF(rel, "/%d/mem", acc);
	}
	check(_metadata, &self->l, self->mark, acc, &e, 1);
}

TEST_F(det, proc_self_mem)
{
	check_self_open(_metadata, self, "/proc/self/mem", false);
}

TEST_F(det, proc_thread_self_mem)
{
	check_self_open(_metadata, self, "/proc/thread-self/mem", true);
}

TEST_F(det, proc_task_tid_mem)
{
	char path[96], rel[96];
	struct expect e = { 1023, "read", self->victim, self->victim_tid,
			    self->victim, 0, path, rel };
	pid_t acc;

	PATHF(path, "/proc/%d/task/%d/mem", self->victim, self->victim_tid);
	PATHF(rel, "/%d/task/%d/mem", self->victim, self->victim_tid);
	acc = open_as_child(_metadata, path, O_RDONLY);
	check(_metadata, &self->l, self->mark, acc, &e, 1);
}

TEST_F(det, relocated_procfs)
{
	check_mounted(_metadata, self, "proc", "/tmp/pmg-p", "proc", 0,
		      "/tmp/pmg-p/%d/mem");
}

TEST_F(det, bind_mount_of_proc)
{
	check_mounted(_metadata, self, "/proc", "/tmp/pmg-b", NULL, MS_BIND,
		      "/tmp/pmg-b/%d/mem");
}

TEST_F(det, bind_mount_of_proc_pid)
{
	char src[64];

	PATHF(src, "/proc/%d", self->victim);
	check_mounted(_metadata, self, src, "/tmp/pmg-pid", NULL, MS_BIND,
		      "/tmp/pmg-pid/mem");
}

struct openat_req {
	int dirfd;
};

static int openat_fn(void *arg)
{
	const struct openat_req *r = arg;
	int fd = openat(r->dirfd, "mem", O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

TEST_F(det, openat_on_pid_dirfd)
{
	char dir[64], path[64], rel[64];
	struct expect e = { 1023, "read", self->victim, 0, self->victim, 0,
			    path, rel };
	struct openat_req r;
	pid_t acc;

	PATHF(dir, "/proc/%d", self->victim);
	PATHF(path, "/proc/%d/mem", self->victim);
	PATHF(rel, "/%d/mem", self->victim);
	r.dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	ASSERT_GE(r.dirfd, 0);
	ASSERT_EQ(0, pmg_run_child(openat_fn, &r, &acc));
	close(r.dirfd);
	check(_metadata, &self->l, self->mark, acc, &e, 1);
}

TEST_F(det, symlink_to_mem)
{
	char target[64];

	PATHF(target, "/proc/%d/mem", self->victim);
	unlink("/tmp/pmg-link");
	ASSERT_EQ(0, symlink(target, "/tmp/pmg-link"));
	check_victim_read(_metadata, self, "/tmp/pmg-link", target);
	unlink("/tmp/pmg-link");
}

/* Opens the victim's /proc/<pid>/mem with flags: n findings, as e says. */
static void check_victim_open(struct __test_metadata *_metadata,
			      FIXTURE_DATA(det) *self, int flags,
			      struct expect *e, size_t n)
{
	char path[64];
	pid_t acc;

	PATHF(path, "/proc/%d/mem", self->victim);
	e->path = path;
	acc = open_as_child(_metadata, path, flags);
	check(_metadata, &self->l, self->mark, acc, e, n);
}

TEST_F(det, write_open_is_trc_1024)
{
	struct expect e = { 1024, "write", self->victim, 0, self->victim, 0,
			    NULL, NULL };

	check_victim_open(_metadata, self, O_WRONLY, &e, 1);
}

TEST_F(det, rdwr_open_is_one_of_each)
{
	struct expect e = { 0, "read-write", self->victim, 0, self->victim, 0,
			    NULL, NULL };

	check_victim_open(_metadata, self, O_RDWR, &e, 2);
}

/*
 * An unprivileged accessor is reported with its own ids. (Opening another
 * user's mem file fails the DAC check in the path walk, before any LSM
 * hook runs; such an attempt is not an open.)
 */
static int nobody_open_fn(void *arg)
{
	if (setgid(65534) || setuid(65534) || prctl(PR_SET_DUMPABLE, 1))
		return 99;
	return pmg_open_fn(arg);
}

/*
 * Runs fn(r) in an accessor, which must succeed, and waits for the
 * listener: the accessor's findings since the fixture began, the first in
 * *o (up to one).
 */
static size_t accessor_findings(struct __test_metadata *_metadata,
				FIXTURE_DATA(det) *self, int (*fn)(void *),
				struct pmg_open_req *r, pid_t *acc,
				json_object **o)
{
	ASSERT_EQ(0, pmg_run_child(fn, r, acc));
	ASSERT_TRUE(pmg_sync(&self->l, 20));
	return pmg_lines_of(&self->l, self->mark, *acc, o, 1);
}

TEST_F(det, unprivileged_accessor_is_reported)
{
	struct pmg_open_req r = { "/proc/self/mem", O_RDONLY };
	json_object *o;
	pid_t acc;

	ASSERT_EQ(1, accessor_findings(_metadata, self, nobody_open_fn, &r,
				       &acc, &o));
	EXPECT_EQ(65534, pmg_jint(o, "process.uid"));
	EXPECT_EQ(65534, pmg_jint(o, "process.euid"));
	EXPECT_EQ(65534, pmg_jint(o, "process.gid"));
	EXPECT_EQ(acc, pmg_jint(o, "target.pid"));
}

/*
 * `unshare -pf --mount-proc`: a new pid and mount namespace with its own
 * procfs; the accessor opens /proc/1/mem, which is itself there. Reported
 * target: its pid in the initial namespace, and 1 as it sees itself.
 */
static int pidns_fn(void *arg)
{
	int *fd = arg;
	pid_t gc;
	int st;

	if (unshare(CLONE_NEWPID | CLONE_NEWNS))
		return 90;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 91;
	gc = fork();
	if (gc == 0) {
		int m;

		if (mount("proc", "/proc", "proc", 0, NULL))
			_exit(92);
		m = open("/proc/1/mem", O_RDONLY);
		_exit(m < 0 ? 93 : 0);
	}
	if (write(*fd, &gc, sizeof(gc)) != sizeof(gc))
		return 94;
	if (waitpid(gc, &st, 0) < 0 || !WIFEXITED(st))
		return 95;
	return WEXITSTATUS(st);
}

TEST_F(det, new_pid_and_mount_namespace)
{
	json_object *o;
	pid_t acc, gc;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pmg_run_child(pidns_fn, &p[1], &acc));
	ASSERT_EQ(sizeof(gc), read(p[0], &gc, sizeof(gc)));
	close(p[0]);
	close(p[1]);
	ASSERT_TRUE(pmg_sync(&self->l, 20));
	ASSERT_EQ(1, pmg_lines_of(&self->l, self->mark, gc, &o, 1));
	EXPECT_EQ(gc, pmg_jint(o, "target.pid"));
	EXPECT_EQ(1, pmg_jint(o, "target.vpid"));
	EXPECT_EQ(1, pmg_jint(o, "process.vpid"));
	EXPECT_EQ(acc, pmg_jint(o, "process.ppid"));
	EXPECT_TRUE(json_object_get_boolean(pmg_jget(o, "target.self")));
	EXPECT_STREQ("/proc/1/mem", pmg_jstr(o, "path"));
	EXPECT_STREQ("/1/mem", pmg_jstr(o, "procfs_path"));
	EXPECT_NE(pmg_ns_inode("pid"), pmg_jint(o, "process.pid_ns"));
	EXPECT_NE(pmg_ns_inode("mnt"), pmg_jint(o, "process.mnt_ns"));
}

/* ---- must not match ---- */

static void expect_none(struct __test_metadata *_metadata,
			struct pmg_cli_listener *l, size_t mark, const char *path)
{
	struct pmg_open_req r = { path, O_RDONLY };
	json_object *o;
	pid_t acc;

	pmg_run_child(pmg_open_fn, &r, &acc);	/* may fail: no matter */
	ASSERT_TRUE(pmg_sync(l, 20));
	EXPECT_EQ(0, pmg_lines_of(l, mark, acc, &o, 1)) TH_LOG("%s", path);
}

TEST_F(det, no_tmpfs_file_named_mem)
{
	mkdir("/tmp/proc", 0755);
	mkdir("/tmp/proc/1", 0755);
	close(open("/tmp/proc/1/mem", O_CREAT | O_WRONLY, 0644));
	expect_none(_metadata, &self->l, self->mark, "/tmp/proc/1/mem");
}

TEST_F(det, no_dev_mem)
{
	expect_none(_metadata, &self->l, self->mark, "/dev/mem");
}

TEST_F(det, no_proc_meminfo)
{
	expect_none(_metadata, &self->l, self->mark, "/proc/meminfo");
}

TEST_F(det, no_proc_sys)
{
	expect_none(_metadata, &self->l, self->mark, "/proc/sys/kernel/pid_max");
}

static void expect_none_pidfile(struct __test_metadata *_metadata,
				FIXTURE_DATA(det) *self, const char *fmt)
{
	char path[96];

	snprintf(path, sizeof(path), fmt, self->victim, self->victim_tid);
	expect_none(_metadata, &self->l, self->mark, path);
}

TEST_F(det, no_pid_smaps)
{
	expect_none_pidfile(_metadata, self, "/proc/%d/smaps");
}

TEST_F(det, no_pid_maps)
{
	expect_none_pidfile(_metadata, self, "/proc/%d/maps");
}

TEST_F(det, no_pid_environ)
{
	expect_none_pidfile(_metadata, self, "/proc/%d/environ");
}

/* O_PATH opens never reach security_file_open(): nothing to report, and
 * nothing of the memory is reachable through such a descriptor.
 */
TEST_F(det, no_o_path_open)
{
	struct pmg_open_req r = { "/proc/1/mem", O_PATH };
	json_object *o;
	pid_t acc;

	EXPECT_EQ(0, accessor_findings(_metadata, self, pmg_open_fn, &r, &acc,
				       &o));
}

TEST_F(det, no_task_status)
{
	expect_none_pidfile(_metadata, self, "/proc/%d/task/%d/status");
}

TEST_HARNESS_MAIN
