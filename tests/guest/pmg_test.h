/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg_test.h - helpers shared by the in-guest suites: loading the module,
 * a JSON listener (struct pmg_cli_listener: the real CLI, `procmem-guard
 * listen --format json`, read through a pipe), the statistics invariant,
 * accessor children and raw netlink requests.
 *
 * Include after kselftest_harness.h. Everything is static: each suite is a
 * single translation unit.
 */
#ifndef PMG_TEST_H
#define PMG_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <sys/socket.h>

#include "procmem_guard.h"
#include "names.h"
#include "nl.h"

#define PMG_ACC_COMM	"pmg-acc"

static inline const char *pmg_module(void)
{
	const char *m = getenv("PMG_MODULE");

	return m ? m : "/lib/procmem_guard.ko";
}

static inline const char *pmg_cli(void)
{
	const char *c = getenv("PMG_CLI");

	return c ? c : "/usr/sbin/procmem-guard";
}

static inline int pmg_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Writes text to the file at path (created or truncated): 0, or -1. */
static inline int pmg_write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) ? -1 : 0;
}

static inline bool pmg_loaded(void)
{
	return access("/sys/module/procmem_guard", F_OK) == 0;
}

/* insmod with parameters; returns insmod's exit status. */
static inline int pmg_load(const char *params)
{
	return pmg_sh("insmod %s %s", pmg_module(), params ? params : "");
}

/* rmmod, retried while the module is busy with in-flight opens. */
static inline int pmg_unload(void)
{
	int i, rc = -1;

	for (i = 0; i < 50 && pmg_loaded(); i++) {
		rc = pmg_sh("rmmod procmem_guard 2>/dev/null");
		if (rc == 0)
			return 0;
		usleep(100000);
	}
	return pmg_loaded() ? rc : 0;
}

static inline double pmg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the CLI as a listener ---- */

/*
 * `procmem-guard listen --format json` run as a child, its lines read by a
 * thread (not tools/listener.h's struct pmg_listener, the library's own
 * netlink listener, which the CLI uses inside).
 */
struct pmg_cli_listener {
	pid_t pid;
	int out;		/* the CLI's stdout */
	int err;		/* the CLI's stderr */
	pthread_t reader;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	json_object **lines;
	char **raw;		/* the lines as the CLI wrote them */
	size_t n, cap;
	size_t bad;		/* lines that were not JSON */
	char errtext[4096];	/* the CLI's stderr, once stopped */
};

static inline void *pmg_cli_listener_reader(void *arg)
{
	struct pmg_cli_listener *l = arg;
	FILE *f = fdopen(l->out, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while (f && (len = getline(&line, &cap, f)) > 0) {
		json_object *o = json_tokener_parse(line);

		pthread_mutex_lock(&l->mu);
		if (!o) {
			l->bad++;
		} else {
			if (l->n == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 256;
				l->lines = realloc(l->lines,
						   l->cap * sizeof(*l->lines));
				l->raw = realloc(l->raw,
						 l->cap * sizeof(*l->raw));
			}
			l->raw[l->n] = strdup(line);
			l->lines[l->n++] = o;
		}
		pthread_cond_broadcast(&l->cv);
		pthread_mutex_unlock(&l->mu);
	}
	free(line);
	if (f)
		fclose(f);
	return NULL;
}

/* Starts `procmem-guard listen ARGS...` (NULL-terminated) as root. */
static inline int pmg_cli_listener_start_args(struct pmg_cli_listener *l, char *const argv[])
{
	int out[2], err[2];

	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	l->pid = fork();
	if (l->pid < 0)
		return -errno;
	if (l->pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(pmg_cli(), argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	l->out = out[0];
	l->err = err[0];
	return pthread_create(&l->reader, NULL, pmg_cli_listener_reader, l);
}

static inline int pmg_cli_listener_start(struct pmg_cli_listener *l)
{
	static char *const argv[] = {
		"procmem-guard", "listen", "--format", "json", NULL
	};

	return pmg_cli_listener_start_args(l, argv);
}

static inline size_t pmg_cli_listener_count(struct pmg_cli_listener *l)
{
	size_t n;

	pthread_mutex_lock(&l->mu);
	n = l->n;
	pthread_mutex_unlock(&l->mu);
	return n;
}

static inline json_object *pmg_cli_listener_line(struct pmg_cli_listener *l, size_t i)
{
	json_object *o;

	pthread_mutex_lock(&l->mu);
	o = i < l->n ? l->lines[i] : NULL;
	pthread_mutex_unlock(&l->mu);
	return o;
}

static inline const char *pmg_cli_listener_raw(struct pmg_cli_listener *l, size_t i)
{
	const char *r;

	pthread_mutex_lock(&l->mu);
	r = i < l->n ? l->raw[i] : NULL;
	pthread_mutex_unlock(&l->mu);
	return r;
}

/* Waits until more than `have` lines arrived; false on timeout. */
static inline bool pmg_cli_listener_wait(struct pmg_cli_listener *l, size_t have,
			      double seconds)
{
	struct timespec ts;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)seconds;
	ts.tv_nsec += (long)((seconds - (time_t)seconds) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&l->mu);
	while (l->n <= have &&
	       pthread_cond_timedwait(&l->cv, &l->mu, &ts) == 0)
		;
	ok = l->n > have;
	pthread_mutex_unlock(&l->mu);
	return ok;
}

/* Stops the CLI with SIGTERM; returns its exit status (or -1). */
static inline int pmg_cli_listener_stop(struct pmg_cli_listener *l)
{
	int st = -1;
	ssize_t n;
	size_t i;

	if (l->pid <= 0)
		return -1;
	kill(l->pid, SIGTERM);
	waitpid(l->pid, &st, 0);
	l->pid = 0;
	pthread_join(l->reader, NULL);
	n = read(l->err, l->errtext, sizeof(l->errtext) - 1);
	l->errtext[n > 0 ? n : 0] = '\0';
	close(l->err);
	for (i = 0; i < l->n; i++) {
		json_object_put(l->lines[i]);
		free(l->raw[i]);
	}
	free(l->lines);
	free(l->raw);
	l->lines = NULL;
	l->raw = NULL;
	l->n = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * A listener whose lines are only counted (and checked to be JSON), for
 * runs too long to keep them: `procmem-guard listen --format json`, with
 * --wait if wait, --no-pace unless pace, its stderr in errpath (NULL:
 * /dev/null). lines and bad are updated atomically by the reader thread.
 */
struct pmg_counting_listener {
	pid_t pid;
	int out;
	pthread_t reader;
	uint64_t lines, bad;
};

static inline void *pmg_counting_reader(void *arg)
{
	struct pmg_counting_listener *l = arg;
	FILE *in = fdopen(l->out, "r");
	char *line = NULL;
	size_t cap = 0;
	json_object *o;

	while (in && getline(&line, &cap, in) > 0) {
		o = json_tokener_parse(line);
		if (o)
			json_object_put(o);
		else
			__atomic_add_fetch(&l->bad, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&l->lines, 1, __ATOMIC_RELAXED);
	}
	free(line);
	if (in)
		fclose(in);
	return NULL;
}

static inline int pmg_counting_listener_start(struct pmg_counting_listener *l,
					      bool wait, bool pace,
					      const char *errpath)
{
	char *argv[] = { "procmem-guard", "listen", "--format", "json",
			 NULL, NULL, NULL };
	int p[2], err, n = 4;

	memset(l, 0, sizeof(*l));
	if (pipe2(p, O_CLOEXEC))
		return -1;
	l->pid = fork();
	if (l->pid < 0)
		return -1;
	if (l->pid == 0) {
		err = errpath ? open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644) :
				open("/dev/null", O_WRONLY);
		dup2(p[1], 1);
		if (err >= 0)
			dup2(err, 2);
		if (wait)
			argv[n++] = "--wait";
		if (!pace)
			argv[n++] = "--no-pace";
		execv(pmg_cli(), argv);
		_exit(127);
	}
	close(p[1]);
	l->out = p[0];
	if (pthread_create(&l->reader, NULL, pmg_counting_reader, l)) {
		close(l->out);
		return -1;
	}
	return 0;
}

static inline uint64_t pmg_counting_lines(struct pmg_counting_listener *l)
{
	return __atomic_load_n(&l->lines, __ATOMIC_RELAXED);
}

/* ---- JSON access ---- */

/* "a.b.c" lookup; NULL if absent. */
static inline json_object *pmg_jget(json_object *o, const char *path)
{
	char buf[128], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	     tok = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, tok, &o))
			return NULL;
	return o;
}

static inline long long pmg_jint(json_object *o, const char *path)
{
	json_object *v = pmg_jget(o, path);

	return v && json_object_is_type(v, json_type_int) ?
	       json_object_get_int64(v) : -1;
}

static inline const char *pmg_jstr(json_object *o, const char *path)
{
	json_object *v = pmg_jget(o, path);

	return v && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

/* True if "a.b" exists and is JSON null. */
static inline bool pmg_jnull(json_object *o, const char *path)
{
	char buf[128], *dot;
	json_object *v;

	snprintf(buf, sizeof(buf), "%s", path);
	dot = strrchr(buf, '.');
	if (dot) {
		*dot = '\0';
		o = pmg_jget(o, buf);
	}
	return o && json_object_object_get_ex(o, dot ? dot + 1 : buf, &v) &&
	       v == NULL;
}

/* Lines of the JSON "type" type (and "event" event, unless NULL). */
static inline size_t pmg_cli_listener_typed(struct pmg_cli_listener *l,
					    const char *type, const char *event)
{
	size_t i, k = 0, n = pmg_cli_listener_count(l);
	const char *t, *e;

	for (i = 0; i < n; i++) {
		json_object *o = pmg_cli_listener_line(l, i);

		t = pmg_jstr(o, "type");
		e = pmg_jstr(o, "event");
		if (t && !strcmp(t, type) &&
		    (!event || (e && !strcmp(e, event))))
			k++;
	}
	return k;
}

/*
 * Whether the test named name is one of PMG_SUITE_TEST (comma separated
 * names; unset or empty: every test is).
 */
static inline bool pmg_selected(const char *name)
{
	const char *l = getenv("PMG_SUITE_TEST"), *p;
	size_t n = strlen(name);

	if (!l || !*l)
		return true;
	for (p = l; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/*
 * First in a FIXTURE_SETUP: a test not in PMG_SUITE_TEST is skipped
 * (exit status 255 of the test's process: the harness's skip).
 */
#define PMG_ONLY_SELECTED()						\
	do {								\
		if (!pmg_selected(_metadata->name))			\
			SKIP(_exit(255), "not in PMG_SUITE_TEST");	\
	} while (0)

/*
 * Findings from index `from` whose process.pid is pid, up to max of them
 * (summaries, "type":"summary", are not findings).
 */
static inline size_t pmg_lines_of(struct pmg_cli_listener *l, size_t from, pid_t pid,
			   json_object **out, size_t max)
{
	size_t i, k = 0, n = pmg_cli_listener_count(l);

	for (i = from; i < n; i++) {
		json_object *o = pmg_cli_listener_line(l, i);
		const char *type = pmg_jstr(o, "type");

		if (pmg_jint(o, "process.pid") == pid && type &&
		    !strcmp(type, "finding")) {
			if (k < max)
				out[k] = o;
			k++;
		}
	}
	return k;
}

/*
 * Waits until every finding queued so far has reached the listener's
 * output: first the module's rings drain (a record leaves "inflight" only
 * once its findings are multicast), then the listener goes quiet for 300 ms.
 * False on timeout.
 */
static inline bool pmg_sync(struct pmg_cli_listener *l, double seconds)
{
	double end = pmg_now() + seconds;
	struct pmg_stats st;
	struct pmg_nl *nl;
	size_t n;

	if (pmg_nl_open(&nl))
		return false;
	for (;;) {
		if (pmg_get_stats(nl, &st) || pmg_now() > end) {
			pmg_nl_close(nl);
			return false;
		}
		if (st.v[PMG_S_INFLIGHT] == 0)
			break;
		usleep(20000);
	}
	pmg_nl_close(nl);
	do {
		n = pmg_cli_listener_count(l);
	} while (pmg_cli_listener_wait(l, n, 0.3) && pmg_now() < end);
	return pmg_now() < end;
}

/* Statistics of the loaded module. */
static inline int pmg_stats_now(struct pmg_stats *st)
{
	struct pmg_nl *nl;
	int err = pmg_nl_open(&nl);

	if (err)
		return err;
	err = pmg_get_stats(nl, st);
	pmg_nl_close(nl);
	return err;
}

/* Waits (up to 30 s) for the rings to drain; the statistics then. */
static inline int pmg_settle(struct pmg_stats *st)
{
	int i, err = 0;

	for (i = 0; i < 300; i++) {
		err = pmg_stats_now(st);
		if (err || st->v[PMG_S_INFLIGHT] == 0)
			break;
		usleep(100000);
	}
	return err;
}

#ifdef __KSELFTEST_HARNESS_H
/* Every shell command of cmds (NULL-terminated) must succeed, or fail. */
static inline void pmg_expect_sh(struct __test_metadata *_metadata, bool ok,
				 const char *const *cmds)
{
	for (; *cmds; cmds++) {
		if (ok) {
			EXPECT_EQ(0, pmg_sh("%s", *cmds)) TH_LOG("%s", *cmds);
		} else {
			EXPECT_NE(0, pmg_sh("%s", *cmds)) TH_LOG("%s", *cmds);
		}
	}
}
#endif

/* ---- the statistics invariant ---- */

/*
 * Every finding counted in matches (include/procmem_guard.h, PMG_S_*) ends
 * in exactly one of these counters, or is still in flight (inflight):
 *   matches = sent + drop_ring_full + drop_send + logged + suppressed
 *             + allowed + inflight
 * A new counter of that kind is added here and nowhere else: the C suites
 * check the invariant with the helpers below, the shell suites with the
 * pmg_stats binary (tests/guest/pmg_stats.c), which uses them too.
 */
#define PMG_OUTCOMES	PMG_S_SENT, PMG_S_DROP_RING_FULL, PMG_S_DROP_SEND, \
			PMG_S_LOGGED, PMG_S_SUPPRESSED, PMG_S_ALLOWED

/* The findings that reached their end; matches, once inflight is 0. */
static inline uint64_t pmg_stats_accounted(const struct pmg_stats *st)
{
	static const int outcomes[] = { PMG_OUTCOMES };
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		sum += st->v[outcomes[i]];
	return sum;
}

/* The terms of that sum, "sent N + drop_ring_full N + ...", in buf. */
static inline const char *pmg_stats_terms(const struct pmg_stats *st,
					  char *buf, size_t size)
{
	static const int outcomes[] = { PMG_OUTCOMES };
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]) && off < size;
	     i++)
		off += snprintf(buf + off, size - off, "%s%s %llu",
				i ? " + " : "", pmg_stat_name(outcomes[i]),
				(unsigned long long)st->v[outcomes[i]]);
	return buf;
}

/*
 * Waits until the listener has joined: opens this process's own mem file
 * (read-write, so that either mode being on yields a finding) until the
 * listener prints a finding of ours. False on timeout.
 */
static inline bool pmg_cli_listener_ready(struct pmg_cli_listener *l, double seconds)
{
	double end = pmg_now() + seconds;
	pid_t me = getpid();

	while (pmg_now() < end) {
		size_t have = pmg_cli_listener_count(l), i, n;
		int fd = open("/proc/self/mem", O_RDWR);

		if (fd >= 0)
			close(fd);
		while (pmg_cli_listener_wait(l, have, 0.5)) {
			n = pmg_cli_listener_count(l);
			for (i = have; i < n; i++)
				if (pmg_jint(pmg_cli_listener_line(l, i),
					     "process.pid") == me)
					return pmg_sync(l, end - pmg_now());
			have = n;
		}
	}
	return false;
}

/* ---- accessors ---- */

/* Runs fn(arg) in a child named PMG_ACC_COMM; returns fn's exit code and
 * the child's pid.
 */
static inline int pmg_run_child(int (*fn)(void *), void *arg, pid_t *pid)
{
	int st;

	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		prctl(PR_SET_NAME, PMG_ACC_COMM);
		_exit(fn(arg));
	}
	if (waitpid(*pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

struct pmg_open_req {
	const char *path;
	int flags;
};

/* Child body: open(path, flags); 0 or errno. */
static inline int pmg_open_fn(void *arg)
{
	const struct pmg_open_req *r = arg;
	int fd = open(r->path, r->flags);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* A process with a second thread, both sleeping; returns its pid and the
 * second thread's tid.
 */
static inline void *pmg_sleeper_thread(void *arg)
{
	int *tid_fd = arg;
	pid_t tid = syscall(SYS_gettid);

	if (write(*tid_fd, &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	for (;;)
		pause();
	return NULL;
}

static inline pid_t pmg_start_victim(pid_t *tid)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		prctl(PR_SET_NAME, "pmg-victim");
		close(p[0]);
		pthread_create(&t, NULL, pmg_sleeper_thread, &p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], tid, sizeof(*tid)) != sizeof(*tid))
		*tid = -1;
	close(p[0]);
	return pid;
}

static inline void pmg_stop_victim(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static inline const char *pmg_self_exe(void)
{
	static char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = '\0';
	return exe;
}

static inline unsigned long long pmg_ns_inode(const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	return stat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

/* ---- raw generic netlink ---- */

/* The family id and the "alerts" group id, or negative if not loaded. */
static inline int pmg_family_ids(int *group)
{
	struct nl_sock *s = nl_socket_alloc();
	int fam = -1;

	if (s && genl_connect(s) == 0) {
		fam = genl_ctrl_resolve(s, PMG_GENL_NAME);
		if (group)
			*group = genl_ctrl_resolve_grp(s, PMG_GENL_NAME,
						       PMG_MCGRP_ALERTS);
	}
	nl_socket_free(s);
	return fam;
}

/* Appends one attribute to buf at *off (payload len bytes). */
static inline void pmg_put_attr(char *buf, size_t *off, uint16_t type,
			 const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + *off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(buf + *off + NLA_HDRLEN, data, len);
	*off += NLA_ALIGN(a->nla_len);
}

/*
 * Sends one request (raw attribute bytes) on fd, a generic netlink socket,
 * and returns the kernel's answer: 0 or a negative errno. msg receives the
 * extack message, if any. Other messages queued on fd are skipped.
 */
static inline int pmg_raw_request_fd(int fd, int family, uint8_t cmd,
			   uint16_t flags, const void *attrs, size_t len,
			   char *msg, size_t msgsz)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[8192];
	} req;
	static char buf[65536];
	static uint32_t seq;
	int one = 1, err = -EIO;
	ssize_t n;

	if (msg && msgsz)
		msg[0] = '\0';
	if (len > sizeof(req.attrs))
		return -E2BIG;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + len);
	req.n.nlmsg_type = family;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req.n.nlmsg_seq = ++seq;
	req.g.cmd = cmd;
	req.g.version = PMG_GENL_VERSION;
	memcpy(req.attrs, attrs, len);
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			struct nlattr *a;
			size_t off, end;

			if (h->nlmsg_type != NLMSG_ERROR ||
			    h->nlmsg_seq != req.n.nlmsg_seq)
				continue;
			err = e->error;
			if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || !msg)
				return err;
			/* The echoed request (unless capped), then TLVs. */
			off = NLMSG_ALIGN(sizeof(*e) +
					  (err && !(h->nlmsg_flags & NLM_F_CAPPED) ?
					   e->msg.nlmsg_len - NLMSG_HDRLEN : 0));
			end = h->nlmsg_len - NLMSG_HDRLEN;
			while (off + NLA_HDRLEN <= end) {
				a = (struct nlattr *)((char *)e + off);
				if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
					break;
				if (a->nla_type == NLMSGERR_ATTR_MSG)
					snprintf(msg, msgsz, "%.*s",
						 (int)(a->nla_len - NLA_HDRLEN),
						 (char *)a + NLA_HDRLEN);
				off += NLA_ALIGN(a->nla_len);
			}
			return err;
		}
	}
	return n < 0 ? -errno : err;
}

/* pmg_raw_request_fd() on a socket of its own. */
static inline int pmg_raw_request(int family, uint8_t cmd, uint16_t flags,
			   const void *attrs, size_t len,
			   char *msg, size_t msgsz)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int err;

	if (fd < 0)
		return -errno;
	err = pmg_raw_request_fd(fd, family, cmd, flags, attrs, len, msg,
				 msgsz);
	close(fd);
	return err;
}

#endif /* PMG_TEST_H */
