// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the senders (tools/sendq.c, syslog.c, post.c), the
 * Prometheus writer (tools/prom.c) and the standard output's writes to a
 * pipe (tools/outsink.c): RFC 5424 messages byte for byte, their limits,
 * the queue's accounting, option checks, the metrics' coverage of the
 * counters, whole lines per write. The real consumers are in
 * tests/outputs/check.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "names.h"
#include "outsink.h"
#include "prom.h"
#include "sendq.h"
#include "senders.h"

static const struct pmg_syslog_opts sopts = {
	.facility = PMG_SYSLOG_FACILITY, .sd_id = PMG_SYSLOG_SD_ID,
	.max_size = PMG_SYSLOG_MAX_SIZE,
};

#define T0	1735787045123456789ULL	/* 2025-01-02T03:04:05.123456789Z */

#define STR(s)	((struct pmg_str){ (s), sizeof(s) - 1 })

static void finding(struct pmg_finding *f)
{
	memset(f, 0, sizeof(*f));
	f->signature = PMG_SIG_MEM_READ;
	f->action = PMG_ACTION_ALERT;
	f->access = PMG_ACCESS_READ;
	f->pid = 42;
	f->comm = STR("cat");
	f->path = STR("/proc/1/mem");
	f->present = PMG_BIT(PMG_F_SIGNATURE) | PMG_BIT(PMG_F_ACTION) |
		     PMG_BIT(PMG_F_ACCESS) | PMG_BIT(PMG_F_PID) |
		     PMG_BIT(PMG_F_COMM) | PMG_BIT(PMG_F_PATH);
}

/* The message as a NUL terminated string (tests keep NULs out). */
static char *message(const struct pmg_syslog_opts *o, const char *line,
		     const struct pmg_line_meta *m, size_t *len)
{
	size_t n;
	char *msg = pmg_syslog_message(o, 7, line, strlen(line), m, &n);
	char *s = msg ? malloc(n + 1) : NULL;

	if (s) {
		memcpy(s, msg, n);
		s[n] = '\0';
	}
	free(msg);
	if (len)
		*len = n;
	return s;
}

TEST(syslog_message_exact)
{
	struct pmg_line_meta m = { .type = PMG_LINE_FINDING,
				   .severity = PMG_SEV_WARNING,
				   .event = "proc_mem_access",
				   .signature = "TRC-1023", .seq = 5,
				   .time_ns = T0, .hostname = "host1" };
	struct pmg_finding f;
	char *s;

	finding(&f);
	m.finding = &f;
	s = message(&sopts, "cat read \xc3\xa9", &m, NULL);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ("<84>1 2025-01-02T03:04:05.123456Z host1 procmem-guard 7 "
		     "proc_mem_access [procmem-guard@32473 signature=\"TRC-1023\" "
		     "seq=\"5\" action=\"alert\" access=\"read\" pid=\"42\" "
		     "comm=\"cat\" path=\"/proc/1/mem\"] \xef\xbb\xbf"
		     "cat read \xc3\xa9", s);
	free(s);
}

TEST(syslog_notice_listener_and_nil_fields)
{
	struct pmg_line_meta m = { .type = PMG_LINE_NOTICE,
				   .severity = PMG_SEV_NOTICE };
	struct pmg_notice n = { .type = PMG_NOTICE_POLICY, .pid = 1,
				.detail = STR("read=\"block\"]") };
	char *s;

	n.present = PMG_BIT(PMG_N_TYPE) | PMG_BIT(PMG_N_PID) |
		    PMG_BIT(PMG_N_DETAIL);
	m.notice = &n;
	/* No time, host or event: NILVALUE; no line: no MSG at all. */
	s = message(&sopts, "", &m, NULL);
	EXPECT_STREQ("<85>1 - - procmem-guard 7 - [procmem-guard@32473 "
		     "type=\"policy-changed\" pid=\"1\" "
		     "detail=\"read=\\\\\\\"block\\\\\\\"\\]\"]", s);
	free(s);
	m.type = PMG_LINE_LISTENER;
	m.lev = PMG_LEV_LOST;
	m.lost = 3;
	m.err = -EIO;
	m.severity = 99;	/* out of range: notice */
	s = message(&sopts, "x", &m, NULL);
	EXPECT_STREQ("<85>1 - - procmem-guard 7 - [procmem-guard@32473 "
		     "lost=\"3\" error=\"Input/output error\"] \xef\xbb\xbfx", s);
	free(s);
	/* Nothing to say: "-" for the structured data. */
	m.lev = PMG_LEV_STOPPED;
	m.err = 0;
	s = message(&sopts, "x", &m, NULL);
	EXPECT_STREQ("<85>1 - - procmem-guard 7 - - \xef\xbb\xbfx", s);
	free(s);
	/* A line that is not UTF-8 goes without the BOM. */
	s = message(&sopts, "a\xff", &m, NULL);
	EXPECT_STREQ("<85>1 - - procmem-guard 7 - - a\xff", s);
	free(s);
}

TEST(syslog_header_limits)
{
	char host[400], event[64], *s, *p;
	struct pmg_line_meta m = { .severity = 4, .hostname = host,
				   .event = event, .type = PMG_LINE_LISTENER };

	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	memcpy(host, "a b\x01\xff", 5);
	memset(event, 'e', sizeof(event) - 1);
	event[sizeof(event) - 1] = '\0';
	s = message(&sopts, "", &m, NULL);
	p = strstr(s, " a_b__h");
	ASSERT_NE(NULL, p);
	/* HOSTNAME: 255 bytes, then APP-NAME. */
	EXPECT_EQ(0, strncmp(p + 1 + 255, " procmem-guard 7 ", 17));
	p = strstr(s, "procmem-guard 7 ") + 16;
	EXPECT_EQ(' ', p[32]);
	EXPECT_EQ(0, strcmp(p + 32, " -"));
	free(s);
}

TEST(syslog_param_escapes)
{
	struct pmg_line_meta m = { .type = PMG_LINE_FINDING, .severity = 4 };
	struct pmg_finding f = { .present = PMG_BIT(PMG_F_COMM),
				 .comm = STR("a\"b\\c]d\n\x01\xff") };
	char *s;

	m.finding = &f;
	s = message(&sopts, "", &m, NULL);
	/* Text escapes (\" \\ \n \x01 \xff), then \" \\ \] for RFC 5424. */
	EXPECT_STREQ("<84>1 - - procmem-guard 7 - [procmem-guard@32473 "
		     "comm=\"a\\\\\\\"b\\\\\\\\c\\]d\\\\n\\\\x01\\\\xff\"]", s);
	free(s);
}

/*
 * Parse the SD of a message: every element well formed, escapes valid;
 * the value of name (unescaped) into out. Returns the number of
 * parameters, -1 on a syntax error.
 */
static int sd_parse(const char *s, const char *name, char *out, bool *cut)
{
	const char *p = s;
	int spaces = 0, n = 0;
	size_t k;

	*cut = false;
	out[0] = '\0';
	while (spaces < 6 && *p)
		spaces += *p++ == ' ';
	if (*p == '-')
		return 0;
	if (*p++ != '[')
		return -1;
	while (*p && *p != ' ' && *p != ']')
		p++;
	while (*p == ' ') {
		const char *nm = ++p;
		char *o = NULL;

		while (*p && *p != '=')
			p++;
		if (p[0] != '=' || p[1] != '"')
			return -1;
		if ((size_t)(p - nm) == strlen(name) && !strncmp(nm, name, p - nm))
			o = out;
		if (!strncmp(nm, "truncated=", 10))
			*cut = strstr(p, name) != NULL;
		p += 2;
		for (k = 0; *p && *p != '"'; p++) {
			if (*p == ']')
				return -1;	/* must be escaped */
			if (*p == '\\' && strchr("\"\\]", p[1]))
				p++;
			if (o)
				o[k++] = *p;
		}
		if (o)
			o[k] = '\0';
		if (*p++ != '"')
			return -1;
		n++;
	}
	return *p == ']' ? n : -1;
}

TEST(syslog_max_size_cuts_and_stays_valid)
{
	struct pmg_syslog_opts o = sopts;
	struct pmg_line_meta m = { .severity = 4, .event = "e",
				   .hostname = "h", .time_ns = T0 };
	static struct pmg_finding f;
	static char full[5 * PMG_PATH_LEN], got[5 * PMG_PATH_LEN];
	static char path[PMG_PATH_LEN];
	char line[3000];
	size_t sizes[] = { 480, 600, 1000, 2048, 4096, 8096, 20000 };
	size_t i, len, j;
	bool cut;
	char *s;
	int n;

	finding(&f);
	m.finding = &f;
	memset(path, '\xff', PMG_PATH_LEN - 1);
	memcpy(path, "/\"]", 3);
	f.path = (struct pmg_str){ path, PMG_PATH_LEN - 1 };
	memset(line, 'l', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	/* The whole value, from a size that needs no cut. */
	o.max_size = 65507;
	s = message(&o, line, &m, NULL);
	ASSERT_LT(0, sd_parse(s, "path", full, &cut));
	EXPECT_FALSE(cut);
	EXPECT_EQ(4 + 4 * (PMG_PATH_LEN - 4), strlen(full));
	free(s);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		o.max_size = sizes[i];
		s = message(&o, line, &m, &len);
		EXPECT_GE(sizes[i], len);
		n = sd_parse(s, "path", got, &cut);
		EXPECT_LE(0, n) TH_LOG("size %zu: bad SD: %.200s", sizes[i], s);
		if (n > 0) {
			/* A cut value: a prefix of the whole, ending an escape. */
			EXPECT_EQ(0, strncmp(full, got, strlen(got)));
			EXPECT_EQ(cut, strlen(got) < strlen(full));
			j = strlen(got);
			EXPECT_TRUE(j == strlen(full) || j < 4 ||
				    !strncmp(got + j - 4, "\\xff", 4) ||
				    !strncmp(got + j - 3, "/\\\"", 3) ||
				    !strncmp(got + j - 1, "]", 1));
		}
		/* When values were cut, there is no MSG. */
		if (cut)
			EXPECT_EQ(NULL, strstr(s, "\xef\xbb\xbf"));
		free(s);
	}
}

TEST(syslog_options)
{
	struct pmg_syslog_opts o = sopts;
	struct pmg_sender *s;
	char err[256];

	o.send = (struct pmg_send_opts){ 4, 1 << 20, 0, 1, true };
	EXPECT_EQ(10, pmg_syslog_facility("authpriv"));
	EXPECT_EQ(-EINVAL, pmg_syslog_facility("kern"));
	EXPECT_EQ(NULL, pmg_syslog_check_sd_id("x@1"));
	EXPECT_NE(NULL, pmg_syslog_check_sd_id("procmem-guard"));
	EXPECT_NE(NULL, pmg_syslog_check_sd_id("a@b@1"));
	EXPECT_NE(NULL, pmg_syslog_check_sd_id("a b@1"));
	EXPECT_NE(NULL, pmg_syslog_check_sd_id("a@1x"));
	EXPECT_NE(NULL, pmg_syslog_check_sd_id("abcdefghijklmnopqrstuvwxyz@123456"));
	o.max_size = 479;
	EXPECT_EQ(-EINVAL, pmg_syslog_open(&s, &o, err, sizeof(err)));
	o.max_size = 480;
	o.target = "udp:127.0.0.1";
	EXPECT_EQ(-EINVAL, pmg_syslog_open(&s, &o, err, sizeof(err)));
	o.target = "udp:[::1]:514";
	ASSERT_EQ(0, pmg_syslog_open(&s, &o, err, sizeof(err)));
	pmg_sender_free(s);
}

TEST(post_options)
{
	struct pmg_post_opts o = { .url = "ftp://x/", .timeout_ms = 100,
				   .send = { 4, 1 << 20, 0, 1, true } };
	const char *bad[] = { "X-A: b\r\nX-B: c" };
	const char *good[] = { "Authorization: ApiKey abc" };
	struct pmg_sender *s;
	char err[256];

	EXPECT_EQ(-EINVAL, pmg_post_open(&s, &o, err, sizeof(err)));
	o.url = "http://";
	EXPECT_EQ(-EINVAL, pmg_post_open(&s, &o, err, sizeof(err)));
	o.url = "http://127.0.0.1:9/x";
	o.headers = bad;
	o.nheaders = 1;
	EXPECT_EQ(-EINVAL, pmg_post_open(&s, &o, err, sizeof(err)));
	o.headers = good;
	ASSERT_EQ(0, pmg_post_open(&s, &o, err, sizeof(err)));
	pmg_sender_free(s);
}

/* A URL's credentials are never shown; anything else is shown as it is. */
TEST(url_shown)
{
	static const char *const cases[][2] = {
		{ "http://u:pw@h:1/p", "http://***@h:1/p" },
		{ "https://tok@h/a@b?c@d", "https://***@h/a@b?c@d" },
		{ "http://a@b:p@w@h/", "http://***@h/" },
		{ "http://h/p?u=a@b", "http://h/p?u=a@b" },
		{ "http://h", "http://h" },
		{ "/run/sock", "/run/sock" },
	};
	struct pmg_post_opts o = { .url = "ftp://u:s3cr3t@x/",
				   .timeout_ms = 100,
				   .send = { 4, 1 << 20, 0, 1, true } };
	struct pmg_sender *s;
	char err[256];
	size_t i;
	char *v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = pmg_url_shown(cases[i][0]);
		ASSERT_NE(NULL, v);
		EXPECT_STREQ(cases[i][1], v);
		free(v);
	}
	EXPECT_EQ(-EINVAL, pmg_post_open(&s, &o, err, sizeof(err)));
	EXPECT_EQ(NULL, strstr(err, "s3cr3t")) TH_LOG("%s", err);
}

/* --- the queue, with a sender whose answers the test decides ------------- */

struct fake {
	pthread_mutex_t lock;
	int answer;		/* what send returns */
	unsigned int calls;
	bool hold;		/* send waits while set */
};

static char *fake_encode(void *ctx, const char *line, size_t len,
			 const struct pmg_line_meta *m, size_t *outlen)
{
	*outlen = len;
	return strndup(line, len);
}

static int fake_send(void *ctx, const char *msg, size_t len, char *err,
		     size_t errlen)
{
	struct fake *f = ctx;
	int r;

	for (;;) {
		pthread_mutex_lock(&f->lock);
		if (!f->hold)
			break;
		pthread_mutex_unlock(&f->lock);
		usleep(1000);
	}
	f->calls++;
	r = f->answer;
	pthread_mutex_unlock(&f->lock);
	snprintf(err, errlen, "fake");
	return r;
}

static void fake_release(void *ctx)
{
}

static const char *fake_where(void *ctx)
{
	return "fake";
}

static const struct pmg_sender_ops fake_ops = {
	.kind = "fake", .encode = fake_encode, .send = fake_send,
	.release = fake_release, .where = fake_where,
};

static void set(struct fake *f, int answer, bool hold)
{
	pthread_mutex_lock(&f->lock);
	f->answer = answer;
	f->hold = hold;
	pthread_mutex_unlock(&f->lock);
}

TEST(queue_accounting)
{
	struct pmg_send_opts o = { 8, 1 << 20, 2, 1, true };
	struct fake f = { PTHREAD_MUTEX_INITIALIZER, 0, 0, true };
	struct pmg_line_meta m = { .severity = 4 };
	struct pmg_send_stats st;
	struct pmg_sender *s;
	char err[64], *report;
	int i, full = 0;

	ASSERT_EQ(0, pmg_sender_start(&s, &fake_ops, &f, &o, err, sizeof(err)));
	/* Held: one line in the thread's hands, 8 queued, the rest full. */
	for (i = 0; i < 20; i++)
		full += pmg_sender_line(s, "x", 1, &m) == -ENOBUFS;
	EXPECT_LE(11, full);
	EXPECT_GE(12, full);
	report = pmg_sender_drop_report(s, false);
	ASSERT_NE(NULL, report);
	EXPECT_NE(NULL, strstr(report, "\"event\":\"listener\""));
	free(report);
	EXPECT_EQ(NULL, pmg_sender_drop_report(s, false));
	/* Transient failures: each line tried 3 times, then dropped. */
	set(&f, -EAGAIN, false);
	pmg_sender_stop(s, 10000);
	pmg_sender_stats(s, &st);
	EXPECT_EQ(20, st.queued + st.queue_full);
	EXPECT_EQ(st.queued, st.delivered + st.failed + st.rejected + st.unsent);
	EXPECT_EQ(st.queued, st.failed);
	EXPECT_EQ(2 * st.queued, st.retries);
	EXPECT_EQ(3 * st.queued, f.calls);
	EXPECT_EQ(0, st.pending);
	/* Stopped: lines are not taken any more. */
	EXPECT_EQ(-ENOBUFS, pmg_sender_line(s, "x", 1, &m));
	pmg_sender_free(s);
}

TEST(queue_rejected_and_unsent)
{
	struct pmg_send_opts o = { 4, 1 << 20, 5, 10000, true };
	struct fake f = { PTHREAD_MUTEX_INITIALIZER, -EBADMSG, 0, false };
	struct pmg_line_meta m = { .severity = 4 };
	struct pmg_send_stats st;
	struct pmg_sender *s;
	char err[64];

	ASSERT_EQ(0, pmg_sender_start(&s, &fake_ops, &f, &o, err, sizeof(err)));
	EXPECT_EQ(0, pmg_sender_line(s, "a", 1, &m));
	while (pmg_sender_stats(s, &st), st.rejected < 1)
		usleep(1000);
	/* Retried every 10 s: stopping with no drain time leaves them unsent. */
	set(&f, -EAGAIN, false);
	EXPECT_EQ(0, pmg_sender_line(s, "b", 1, &m));
	EXPECT_EQ(0, pmg_sender_line(s, "c", 1, &m));
	pmg_sender_stop(s, 0);
	pmg_sender_stats(s, &st);
	EXPECT_EQ(3, st.queued);
	EXPECT_EQ(1, st.rejected);
	EXPECT_EQ(2, st.unsent);
	EXPECT_EQ(3, pmg_send_dropped(&st));
	pmg_sender_free(s);
}

TEST(queue_bytes_bound)
{
	struct pmg_send_opts o = { 100, 10, 0, 1, true };
	struct fake f = { PTHREAD_MUTEX_INITIALIZER, 0, 0, true };
	struct pmg_line_meta m = { .severity = 4 };
	struct pmg_send_stats st;
	struct pmg_sender *s;
	char err[64];

	ASSERT_EQ(0, pmg_sender_start(&s, &fake_ops, &f, &o, err, sizeof(err)));
	EXPECT_EQ(0, pmg_sender_line(s, "123456", 6, &m));
	EXPECT_EQ(-ENOBUFS, pmg_sender_line(s, "12345", 5, &m));
	EXPECT_EQ(0, pmg_sender_line(s, "1234", 4, &m));
	set(&f, 0, false);
	pmg_sender_stop(s, 10000);
	pmg_sender_stats(s, &st);
	EXPECT_EQ(2, st.delivered);
	EXPECT_EQ(1, st.queue_full);
	pmg_sender_free(s);
}

/* --- the sinks of listen (sinks.c) ------------------------------------------ */

static void count_report(const struct pmg_send_report *r, void *arg)
{
	if (!strcmp(r->kind, "syslog") && r->stats.delivered == 1 &&
	    r->dropped == 0)
		(*(int *)arg)++;
}

TEST(syslog_sink_of_listen)
{
	int reports = 0;
	struct pmg_line_meta m = { .type = PMG_LINE_LISTENER,
				   .severity = PMG_SEV_INFO, .event = "started",
				   .hostname = "h" };
	struct pmg_out_env env = { .format = PMG_FORMAT_JSON, .hostname = "h" };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct pmg_out out = { .n = 0 };
	struct pmg_out_sink sink;
	char buf[1024];
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ASSERT_LE(0, fd);
	snprintf(sun.sun_path, sizeof(sun.sun_path),
		 "/tmp/test_senders.%d.sock", getpid());
	unlink(sun.sun_path);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sun, sizeof(sun)));
	ASSERT_EQ(0, pmg_sink_syslog.open(sun.sun_path, &env, &sink));
	ASSERT_EQ(0, pmg_out_add(&out, &sink));
	EXPECT_EQ(0, pmg_out_write(&out, "{\"a\":1}", 7, &m));
	EXPECT_EQ(0, pmg_out_tick(&out, 0));
	pmg_senders_drain(5000);
	pmg_senders_reports(true, count_report, &reports);
	EXPECT_EQ(1, reports);
	pmg_out_close(&out);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_EQ(0, strncmp(buf, "<86>1 - h procmem-guard ", 24));
	EXPECT_NE(NULL, strstr(buf, " started - \xef\xbb\xbf{\"a\":1}"));
	close(fd);
	unlink(sun.sun_path);
	/* A URL that is not http(s): the sink does not open. */
	EXPECT_NE(0, pmg_sink_post.open("ftp://x/", &env, &sink));
}

/* --- Prometheus ------------------------------------------------------------- */

TEST(prom_every_counter_exported)
{
	int i;

	for (i = 1; i <= PMG_S_MAX; i++) {
		if (!pmg_stat_name(i))
			continue;
		if (i == PMG_S_PACED || i == PMG_S_PACE_TIMEOUTS) {
			EXPECT_EQ(NULL, pmg_prom_metric_of_stat(i));
		} else {
			EXPECT_NE(NULL, pmg_prom_metric_of_stat(i))
				TH_LOG("counter %s has no metric",
				       pmg_stat_name(i));
		}
	}
}

TEST(prom_text)
{
	struct pmg_status st = { .protocol = 2, .has_armed = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int i;

	strcpy(st.module_version, "1\"\\\n\xff");
	for (i = 1; i <= PMG_S_MAX; i++) {
		st.stats.v[i] = 100 + i;
		st.stats.present |= PMG_BIT(i);
	}
	st.config.locked = true;
	st.config.read = PMG_MODE_BLOCK;
	st.config.present = PMG_BIT(PMG_C_LOCKED) | PMG_BIT(PMG_C_READ);
	ASSERT_EQ(0, pmg_prom_write(out, &st));
	fclose(out);
	EXPECT_NE(NULL, strstr(buf, "module_version=\"1\\\"\\\\\\n\xef\xbf\xbd\""));
	EXPECT_NE(NULL, strstr(buf, "\nprocmem_guard_probe_armed 0\n"));
	EXPECT_NE(NULL, strstr(buf, "\nprocmem_guard_policy_locked 1\n"));
	EXPECT_NE(NULL, strstr(buf, "\nprocmem_guard_mode{access=\"read\",mode=\"block\"} 1\n"));
	EXPECT_NE(NULL, strstr(buf, "\nprocmem_guard_mode{access=\"read\",mode=\"off\"} 0\n"));
	EXPECT_NE(NULL, strstr(buf, "\n# TYPE procmem_guard_dropped_total counter\n"
			       "procmem_guard_dropped_total{reason=\"ring_full\"} 104\n"));
	EXPECT_EQ(NULL, strstr(buf, "paced"));
	EXPECT_EQ('\n', buf[len - 1]);
	free(buf);
}

/* A slow reader of a pipe: what it read, and how many reads ended inside
 * a line.
 */
struct slow_reader {
	int fd;
	char *got;
	size_t len, cap, torn, reads;
};

static void *read_slowly(void *arg)
{
	struct slow_reader *r = arg;
	ssize_t k;

	for (;;) {
		if (r->cap - r->len < (1 << 20)) {
			char *more = realloc(r->got, r->cap * 2 + (1 << 20));

			/* The writer must not wait for a reader gone. */
			if (!more)
				abort();
			r->got = more;
			r->cap = r->cap * 2 + (1 << 20);
		}
		/*
		 * More than the pipe holds: a read takes all there is (in
		 * packet mode, a packet). Empty: a pause, as a busy reader.
		 */
		k = read(r->fd, r->got + r->len, 1 << 20);
		if (k < 0 && errno == EAGAIN) {
			usleep(2000);
			continue;
		}
		if (k <= 0)
			return NULL;
		r->reads++;
		r->len += (size_t)k;
		if (r->got[r->len - 1] != '\n')
			r->torn++;
	}
}

static size_t pipe_line(char *line, unsigned int i)
{
	int n = sprintf(line, "%u ", i);
	size_t len = (size_t)n + (i * 7919u) % 3000;

	memset(line + n, 'a' + i % 26, len - (size_t)n);
	return len;
}

/*
 * The listener's lines to a pipe (pipe2() flags) whose reader is behind,
 * through the standard output's sink: a write never stops halfway for
 * room (a reader that reads all there is sees whole lines only, and a
 * listener killed meanwhile leaves none cut), and every line arrives
 * once, in order. Writes of 64 KiB whenever the pipe held a little less
 * than them stopped halfway ("214 of 296 reads ended inside a line"); in
 * packet mode (O_DIRECT), where each page is a read() of its own, so did
 * a write of more than a page into an empty pipe.
 */
static void lines_to_a_slow_pipe(struct __test_metadata *_metadata, int flags)
{
	struct slow_reader r = { 0 };
	struct pmg_out_sink sink;
	char *line = malloc(4096);
	size_t off = 0, n;
	int p[2], saved, size;
	pthread_t t;
	unsigned int i;

	ASSERT_NE(NULL, line);
	ASSERT_EQ(0, pipe2(p, flags));
	/* Four pages: a flush of 20 lines (30 KB) is more than it holds. */
	size = 4 * (int)sysconf(_SC_PAGESIZE);
	ASSERT_LE(size, fcntl(p[1], F_SETPIPE_SZ, size));
	r.fd = p[0];
	ASSERT_EQ(0, fcntl(p[0], F_SETFL, O_NONBLOCK | flags));
	saved = dup(STDOUT_FILENO);
	ASSERT_LE(0, saved);
	ASSERT_EQ(STDOUT_FILENO, dup2(p[1], STDOUT_FILENO));
	close(p[1]);
	ASSERT_EQ(0, pmg_fd_sink_stdout(&sink));
	ASSERT_EQ(0, pthread_create(&t, NULL, read_slowly, &r));
	for (i = 0; i < 3000; i++) {
		ASSERT_EQ(0, sink.write(sink.ctx, line, pipe_line(line, i), NULL));
		if (i % 20 == 19)
			ASSERT_EQ(0, sink.flush(sink.ctx));
	}
	ASSERT_EQ(0, sink.flush(sink.ctx));
	sink.close(sink.ctx);
	/* The reader's end of file: the write end closed. */
	ASSERT_EQ(STDOUT_FILENO, dup2(saved, STDOUT_FILENO));
	close(saved);
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_NE(NULL, r.got);
	EXPECT_EQ(0u, r.torn) TH_LOG("%zu of %zu reads ended inside a line",
				     r.torn, r.reads);
	for (i = 0; i < 3000 && off <= r.len; i++) {
		n = pipe_line(line, i);
		if (off + n + 1 > r.len || memcmp(r.got + off, line, n) ||
		    r.got[off + n] != '\n')
			break;
		off += n + 1;
	}
	EXPECT_EQ(3000u, i);
	EXPECT_EQ(off, r.len);
	free(r.got);
	close(p[0]);
	free(line);
}

TEST(a_pipe_gets_whole_lines_from_each_write)
{
	lines_to_a_slow_pipe(_metadata, 0);
}

TEST(a_packet_mode_pipe_gets_whole_lines_from_each_read)
{
	lines_to_a_slow_pipe(_metadata, O_DIRECT);
}

TEST_HARNESS_MAIN
