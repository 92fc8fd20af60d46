// SPDX-License-Identifier: GPL-2.0
/*
 * suite_outputs - the CLI's outputs with the module: `status --format
 * prometheus` and `metrics --textfile` say what `status --json` says;
 * `listen --syslog SOCKET --post URL` sends each finding, as the line it
 * prints, to a Unix datagram socket (RFC 5424, the finding as structured
 * data) and to an HTTP server (POST, application/json), both played by
 * this suite. The consumers of tests/outputs/check.sh (rsyslog,
 * node_exporter) are Debian packages the guest does not have: they run on
 * the host. Nothing here depends on the kernel: it runs on Debian's 6.1
 * kernel only (6.1.0-N-amd64), and says SKIP on the others.
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "pmg_test.h"
#include "prom.h"

#define SOCK_PATH	"/tmp/pmg-outputs-syslog.sock"
#define TEXTFILE_DIR	"/tmp/pmg-outputs-tf"
#define MAX_MSGS	256
#define ONE_KERNEL()							\
	do {								\
		if (!one_kernel())					\
			SKIP(return, "runs on Debian's 6.1 kernel only"); \
	} while (0)

/* What the two receivers got, each kept as a NUL terminated string. */
struct got {
	pthread_mutex_t mu;
	char *dgram[MAX_MSGS];
	size_t ndgram;
	char *body[MAX_MSGS];
	char *head[MAX_MSGS];
	size_t nbody;
	int unix_fd, tcp_fd;
	int port;
};

static void *dgram_reader(void *arg)
{
	struct got *g = arg;
	static char buf[70000];
	ssize_t n;

	/* Ends when the teardown shuts the socket down (then recv gives 0). */
	while ((n = recv(g->unix_fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		pthread_mutex_lock(&g->mu);
		if (g->ndgram < MAX_MSGS)
			g->dgram[g->ndgram++] = strndup(buf, (size_t)n);
		pthread_mutex_unlock(&g->mu);
	}
	return NULL;
}

/* An HTTP/1.1 server for one kept-alive connection: 200 to every POST. */
static void *http_server(void *arg)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct got *g = arg;
	static char buf[1 << 20];
	size_t have = 0, len;
	char *end, *cl;
	ssize_t n;
	int c = accept(g->tcp_fd, NULL, NULL);

	if (c < 0)
		return NULL;
	for (;;) {
		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
		cl = end ? strcasestr(buf, "\r\nContent-Length:") : NULL;
		len = cl ? strtoul(cl + 17, NULL, 10) : 0;
		if (end && (size_t)(end + 4 - buf) + len <= have) {
			pthread_mutex_lock(&g->mu);
			if (g->nbody < MAX_MSGS) {
				g->head[g->nbody] = strndup(buf, end - buf);
				g->body[g->nbody++] = strndup(end + 4, len);
			}
			pthread_mutex_unlock(&g->mu);
			if (write(c, ok, sizeof(ok) - 1) != sizeof(ok) - 1)
				break;
			len += end + 4 - buf;
			memmove(buf, buf + len, have - len);
			have -= len;
			continue;
		}
		n = read(c, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	close(c);
	return NULL;
}

FIXTURE(out) {
	struct pmg_cli_listener l;
	struct got g;
	pthread_t dgram_thread, http_thread;
	bool receivers;
};

/* Debian's 6.1 kernel: "6.1.0-<n>-amd64". */
static bool one_kernel(void)
{
	struct utsname u;
	unsigned int n;
	char tail[16];

	return !uname(&u) &&
	       sscanf(u.release, "6.1.0-%u-%15s", &n, tail) == 2 &&
	       !strcmp(tail, "amd64");
}

FIXTURE_SETUP(out)
{
	if (!one_kernel())
		return;		/* each test says SKIP */
	pmg_unload();
	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	memset(&self->g, 0, sizeof(self->g));
	pthread_mutex_init(&self->g.mu, NULL);
	self->g.unix_fd = self->g.tcp_fd = -1;
}

FIXTURE_TEARDOWN(out)
{
	size_t i;

	if (!one_kernel())
		return;
	if (self->l.pid > 0)
		pmg_cli_listener_stop(&self->l);
	if (self->receivers) {
		/* recv() and accept() return; the CLI is gone, so is its
		 * connection: read() returns too.
		 */
		shutdown(self->g.unix_fd, SHUT_RDWR);
		shutdown(self->g.tcp_fd, SHUT_RDWR);
		pthread_join(self->http_thread, NULL);
		pthread_join(self->dgram_thread, NULL);
	}
	if (self->g.unix_fd >= 0)
		close(self->g.unix_fd);
	if (self->g.tcp_fd >= 0)
		close(self->g.tcp_fd);
	unlink(SOCK_PATH);
	for (i = 0; i < self->g.ndgram; i++)
		free(self->g.dgram[i]);
	for (i = 0; i < self->g.nbody; i++) {
		free(self->g.body[i]);
		free(self->g.head[i]);
	}
	pmg_unload();
}

/* The value of a sample "name value" in prometheus text (or -1). */
static long long prom_value(const char *text, const char *name)
{
	char key[256];
	const char *p;

	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(text, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* The whole file at path, NUL terminated (free() it), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;

	if (!f || !m) {
		if (f)
			fclose(f);
		if (m)
			fclose(m);
		free(buf);
		return NULL;
	}
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

TEST_F(out, metrics_say_what_status_says)
{
	struct pmg_open_req req = { "/proc/1/mem", O_RDONLY };
	json_object *st;
	char *prom, *tf, mname[256];
	struct stat sb;
	pid_t acc;
	int i, n = 0;

	ONE_KERNEL();
	/* A few findings, then quiet: the counters hold still. */
	for (i = 0; i < 5; i++)
		pmg_run_child(pmg_open_fn, &req, &acc);
	ASSERT_EQ(0, pmg_sh("mkdir -p " TEXTFILE_DIR));
	ASSERT_EQ(0, pmg_sh("%s status --json >/tmp/pmg-st.json", pmg_cli()));
	ASSERT_EQ(0, pmg_sh("%s status --format prometheus >/tmp/pmg-st.prom",
			    pmg_cli()));
	ASSERT_EQ(0, pmg_sh("%s metrics --textfile " TEXTFILE_DIR, pmg_cli()));
	st = json_object_from_file("/tmp/pmg-st.json");
	prom = slurp("/tmp/pmg-st.prom");
	tf = slurp(TEXTFILE_DIR "/procmem_guard.prom");
	ASSERT_NE(NULL, st);
	ASSERT_NE(NULL, prom);
	ASSERT_NE(NULL, tf);
	ASSERT_EQ(0, stat(TEXTFILE_DIR "/procmem_guard.prom", &sb));
	EXPECT_EQ(0644, sb.st_mode & 0777);
	EXPECT_EQ(1, prom_value(prom, "procmem_guard_module_loaded"));
	EXPECT_EQ(1, prom_value(prom, "procmem_guard_probe_armed"));
	ASSERT_NE(NULL, pmg_jget(st, "config.locked"));
	EXPECT_EQ(json_object_get_boolean(pmg_jget(st, "config.locked")),
		  prom_value(prom, "procmem_guard_policy_locked"));
	snprintf(mname, sizeof(mname),
		 "procmem_guard_mode{access=\"read\",mode=\"%s\"}",
		 pmg_jstr(st, "config.read"));
	EXPECT_EQ(1, prom_value(prom, mname)) TH_LOG("%s", mname);
	EXPECT_LT(0, pmg_jint(st, "stats.matches"));
	for (i = 1; i <= PMG_S_MAX; i++) {
		const char *m = pmg_prom_metric_of_stat(i);
		char path[64];
		long long js;

		if (!m)
			continue;
		snprintf(path, sizeof(path), "stats.%s", pmg_stat_name(i));
		js = pmg_jint(st, path);
		n++;
		/* Opens by anybody count as inspected: it may have grown. */
		if (i == PMG_S_INSPECTED) {
			EXPECT_LE(js, prom_value(prom, m));
			EXPECT_LE(prom_value(prom, m), prom_value(tf, m));
			continue;
		}
		EXPECT_EQ(js, prom_value(prom, m)) TH_LOG("%s", m);
		EXPECT_EQ(js, prom_value(tf, m)) TH_LOG("%s (textfile)", m);
	}
	EXPECT_LT(20, n);
	json_object_put(st);
	free(prom);
	free(tf);
	pmg_sh("rm -rf " TEXTFILE_DIR " /tmp/pmg-st.json /tmp/pmg-st.prom");
}

/* A JSON member of a POSTed body (path as pmg_jint()), or -1. */
static long long body_int(const char *body, const char *path)
{
	json_object *o = json_tokener_parse(body);
	long long v = o ? pmg_jint(o, path) : -1;

	json_object_put(o);
	return v;
}

/* The first line of l's output that is a finding of pid, or NULL. */
static json_object *finding_of(struct pmg_cli_listener *l, pid_t pid)
{
	json_object *o = NULL;

	pmg_lines_of(l, 0, pid, &o, 1);
	return o;
}

TEST_F(out, listen_syslog_and_post)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct pmg_open_req req = { "/proc/1/mem", O_RDONLY };
	socklen_t sl = sizeof(sin);
	char url[64], seq[64], *args[12];
	const char *msg = NULL, *body = NULL, *head = NULL;
	json_object *o;
	double end;
	pid_t acc;
	size_t i;

	ONE_KERNEL();
	/* The receivers. */
	unlink(SOCK_PATH);
	strcpy(sun.sun_path, SOCK_PATH);
	self->g.unix_fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(self->g.unix_fd, (struct sockaddr *)&sun, sizeof(sun)));
	self->g.tcp_fd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(self->g.tcp_fd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(self->g.tcp_fd, 4));
	ASSERT_EQ(0, getsockname(self->g.tcp_fd, (struct sockaddr *)&sin, &sl));
	ASSERT_EQ(0, pthread_create(&self->dgram_thread, NULL, dgram_reader,
				    &self->g));
	ASSERT_EQ(0, pthread_create(&self->http_thread, NULL, http_server,
				    &self->g));
	self->receivers = true;
	/* The listener, with both. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(sin.sin_port));
	i = 0;
	args[i++] = "procmem-guard";
	args[i++] = "listen";
	args[i++] = "--format";
	args[i++] = "json";
	args[i++] = "--syslog";
	args[i++] = SOCK_PATH;
	args[i++] = "--post";
	args[i++] = url;
	args[i] = NULL;
	ASSERT_EQ(0, pmg_cli_listener_start_args(&self->l, args));
	if (!pmg_cli_listener_ready(&self->l, 20)) {
		int rc = pmg_cli_listener_stop(&self->l);

		ASSERT_TRUE(false) TH_LOG("listener got nothing (exit %d): %s",
					  rc, self->l.errtext);
	}
	ASSERT_EQ(0, pmg_run_child(pmg_open_fn, &req, &acc));
	ASSERT_TRUE(pmg_sync(&self->l, 10));
	o = finding_of(&self->l, acc);
	ASSERT_NE(NULL, o);
	snprintf(seq, sizeof(seq), " seq=\"%lld\" ", pmg_jint(o, "seq"));
	/* Both receivers get it within 10 s. */
	for (end = pmg_now() + 10; pmg_now() < end && !(msg && body);
	     usleep(50000)) {
		pthread_mutex_lock(&self->g.mu);
		for (i = 0; i < self->g.ndgram && !msg; i++)
			if (strstr(self->g.dgram[i], seq))
				msg = self->g.dgram[i];
		for (i = 0; i < self->g.nbody && !body; i++)
			if (body_int(self->g.body[i], "seq") ==
			    pmg_jint(o, "seq")) {
				body = self->g.body[i];
				head = self->g.head[i];
			}
		pthread_mutex_unlock(&self->g.mu);
	}
	ASSERT_NE(NULL, msg) TH_LOG("no syslog message with%s", seq);
	ASSERT_NE(NULL, body) TH_LOG("no POST of seq %lld", pmg_jint(o, "seq"));
	/* RFC 5424: <PRI>1 ..., the event as MSGID, the finding as SD. */
	EXPECT_EQ('<', msg[0]);
	EXPECT_NE(NULL, strstr(msg, ">1 "));
	EXPECT_NE(NULL, strstr(msg, " procmem-guard "));
	EXPECT_NE(NULL, strstr(msg, " proc_mem_access [procmem-guard@32473 "));
	EXPECT_NE(NULL, strstr(msg, " path=\"/proc/1/mem\""));
	EXPECT_NE(NULL, strstr(msg, "] \xef\xbb\xbf{"));
	/* The POST: the line the listener printed, as JSON. */
	EXPECT_EQ(0, strncmp(head, "POST / HTTP/1.1\r\n", 17));
	EXPECT_NE(NULL, strcasestr(head, "\r\nContent-Type: application/json"));
	EXPECT_EQ(acc, body_int(body, "process.pid"));
	EXPECT_EQ(0, pmg_cli_listener_stop(&self->l));
}

/* The first line of l whose "event" is event, or NULL. */
static json_object *event_line(struct pmg_cli_listener *l, const char *event)
{
	json_object *o = NULL;
	const char *e;
	size_t i;

	pthread_mutex_lock(&l->mu);
	for (i = 0; i < l->n && !o; i++) {
		e = l->lines[i] ? pmg_jstr(l->lines[i], "event") : NULL;
		if (e && !strcmp(e, event))
			o = json_object_get(l->lines[i]);
	}
	pthread_mutex_unlock(&l->mu);
	return o;
}

/*
 * A receiver that is not there: the lines the --post sink drops are
 * reported as data, a listener event "output-dropped" on the listener's
 * own output, and the URL's password is in no line and not on stderr.
 */
TEST_F(out, drops_of_an_output_are_listener_events)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct pmg_open_req req = { "/proc/1/mem", O_RDONLY };
	socklen_t sl = sizeof(sin);
	char url[96], *args[12];
	const char *name;
	json_object *o = NULL;
	double end;
	pid_t acc;
	size_t i;
	int fd;

	ONE_KERNEL();
	/* A port nobody listens on: connections are refused. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &sl));
	close(fd);
	snprintf(url, sizeof(url), "http://pmg:s3cr3t@127.0.0.1:%d/in",
		 ntohs(sin.sin_port));
	i = 0;
	args[i++] = "procmem-guard";
	args[i++] = "listen";
	args[i++] = "--format";
	args[i++] = "json";
	args[i++] = "--post";
	args[i++] = url;
	args[i++] = "--send-retries";
	args[i++] = "0";
	args[i] = NULL;
	ASSERT_EQ(0, pmg_cli_listener_start_args(&self->l, args));
	ASSERT_TRUE(pmg_cli_listener_ready(&self->l, 20));
	ASSERT_EQ(0, pmg_run_child(pmg_open_fn, &req, &acc));
	for (end = pmg_now() + 10; pmg_now() < end && !o; usleep(50000))
		o = event_line(&self->l, "output-dropped");
	ASSERT_NE(NULL, o) TH_LOG("no output-dropped line in 10 s");
	EXPECT_STREQ("listener", pmg_jstr(o, "type"));
	EXPECT_STREQ("post", pmg_jstr(o, "output.kind"));
	EXPECT_LE(1, pmg_jint(o, "output.dropped"));
	EXPECT_LE(1, pmg_jint(o, "output.failed"));
	EXPECT_EQ(0, pmg_jint(o, "output.delivered"));
	name = pmg_jstr(o, "output.name");
	EXPECT_TRUE(name && !strncmp(name, "http://***@127.0.0.1:", 21))
		TH_LOG("output.name %s", name ? name : "(none)");
	json_object_put(o);
	pthread_mutex_lock(&self->l.mu);
	for (i = 0; i < self->l.n; i++)
		EXPECT_EQ(NULL, strstr(self->l.raw[i], "s3cr3t"));
	pthread_mutex_unlock(&self->l.mu);
	EXPECT_EQ(0, pmg_cli_listener_stop(&self->l));
	EXPECT_EQ(NULL, strstr(self->l.errtext, "s3cr3t"));
}

TEST_HARNESS_MAIN
