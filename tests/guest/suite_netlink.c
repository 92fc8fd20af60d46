// SPDX-License-Identifier: GPL-2.0
/*
 * suite_netlink - the generic netlink family from userspace: who may listen
 * and change things, strict validation, escaping, reloads, and the
 * statistics invariant under a burst.
 */
#include "kselftest_harness.h"
#include "pmg_test.h"
#include "pmg_raw.h"
#include "codec.h"
#include "escape.h"
#include "nl.h"

FIXTURE(nl) {
	struct pmg_cli_listener l;
	int family, group;
};

FIXTURE_SETUP(nl)
{
	PMG_ONLY_SELECTED();
	pmg_unload();
	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	self->family = pmg_family_ids(&self->group);
	ASSERT_GT(self->family, 0);
	ASSERT_GT(self->group, 0);
	ASSERT_EQ(0, pmg_cli_listener_start(&self->l));
	ASSERT_TRUE(pmg_cli_listener_ready(&self->l, 20));
}

FIXTURE_TEARDOWN(nl)
{
	pmg_cli_listener_stop(&self->l);
	pmg_unload();
}


/* Becomes nobody, staying dumpable so that /proc/self stays its own. */
static int drop_to_nobody(void)
{
	if (setgid(65534) || setuid(65534))
		return -1;
	return prctl(PR_SET_DUMPABLE, 1) ? -1 : 0;
}

/*
 * A request to the family, as a table row: its command and the shape of
 * its attributes, built by build_request().
 */
enum req_shape {
	NO_ATTR,	/* no attribute */
	ATTR,		/* attr, holding the value (size 0: empty) */
	NEST,		/* attr, holding inner, holding the value */
	TRUNCATED,	/* ATTR, the request cut 2 bytes into it */
	OVERLONG,	/* ATTR, its header claiming 64 bytes */
};

struct req_case {
	const char *name;
	uint8_t cmd;
	int want;		/* the kernel's answer */
	enum req_shape shape;
	uint16_t attr, inner;
	uint16_t size;		/* of the value: 0, 1, 2, 4 or 8 bytes */
	uint64_t value;
};

#define REQ_MAX	256	/* room for any request's attributes */

/* One attribute holding v as a size-byte integer, in host order. */
static void put_value(char *buf, size_t *off, uint16_t type, uint16_t size,
		      uint64_t v)
{
	uint8_t u8 = v;
	uint16_t u16 = v;
	uint32_t u32 = v;
	const void *p = size == 1 ? (void *)&u8 : size == 2 ? (void *)&u16 :
			size == 4 ? (void *)&u32 : (void *)&v;

	pmg_put_attr(buf, off, type, size ? p : NULL, size);
}

/* The attributes of c into buf (REQ_MAX bytes); returns their length. */
static size_t build_request(const struct req_case *c, char *buf)
{
	size_t len = 0, off = 0;
	char nest[64];

	memset(buf, 0, REQ_MAX);
	memset(nest, 0, sizeof(nest));
	switch (c->shape) {
	case NO_ATTR:
		break;
	case NEST:
		put_value(nest, &off, c->inner, c->size, c->value);
		pmg_put_attr(buf, &len, c->attr, nest, off);
		break;
	case ATTR:
	case TRUNCATED:
	case OVERLONG:
		put_value(buf, &len, c->attr, c->size, c->value);
		break;
	}
	if (c->shape == TRUNCATED)
		len -= 2;
	if (c->shape == OVERLONG)
		((struct nlattr *)buf)->nla_len = 64;
	return len;
}

#define CONFIG_NEST	(PMG_A_CONFIG | NLA_F_NESTED)
#define RULE_NEST	(PMG_A_RULE | NLA_F_NESTED)

/* Requests that change the policy, or need CAP_NET_ADMIN all the same. */
static const struct req_case state_changers[] = {
	{ "SET_CONFIG", PMG_CMD_SET_CONFIG, -EPERM, NEST, CONFIG_NEST,
	  PMG_C_READ, 1, PMG_MODE_BLOCK },
	{ "ALLOW_ADD", PMG_CMD_ALLOW_ADD, -EPERM, NEST, RULE_NEST,
	  PMG_R_UID, 4, 0 },
	{ "ALLOW_DEL", PMG_CMD_ALLOW_DEL, -EPERM, ATTR, PMG_A_RULE_ID, 0, 4, 1 },
	{ "ALLOW_LIST", PMG_CMD_ALLOW_LIST, -EPERM, NO_ATTR, 0, 0, 0, 0 },
	{ "APPLY", PMG_CMD_APPLY, -EPERM, NO_ATTR, 0, 0, 0, 0 },
	{ "LOCK", PMG_CMD_LOCK, -EPERM, NO_ATTR, 0, 0, 0, 0 },
	{ "PACE", PMG_CMD_PACE, -EPERM, NO_ATTR, 0, 0, 0, 0 },
};

static int config_text(char *buf, size_t size)
{
	FILE *p = popen("procmem-guard config show 2>&1", "r");
	size_t n;

	if (!p)
		return -1;
	n = fread(buf, 1, size - 1, p);
	buf[n] = '\0';
	return pclose(p);
}

TEST_F(nl, unprivileged_state_changes_are_eperm)
{
	char before[4096], after[4096], attrs[REQ_MAX];
	const struct req_case *c;
	size_t i, len;
	pid_t pid;
	int st;

	ASSERT_EQ(0, config_text(before, sizeof(before)));
	for (i = 0; i < sizeof(state_changers) / sizeof(state_changers[0]);
	     i++) {
		c = &state_changers[i];
		len = build_request(c, attrs);
		pid = fork();
		if (pid == 0) {
			if (drop_to_nobody())
				_exit(100);
			_exit(-pmg_raw_request(self->family, c->cmd, 0,
					       attrs, len, NULL, 0));
		}
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		EXPECT_EQ(EPERM, WEXITSTATUS(st)) TH_LOG("%s", c->name);
	}
	/* Reading the status is open to everybody. */
	pid = fork();
	if (pid == 0) {
		if (drop_to_nobody())
			_exit(100);
		_exit(-pmg_raw_request(self->family, PMG_CMD_GET_STATUS, 0,
				       NULL, 0, NULL, 0));
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	ASSERT_EQ(0, config_text(after, sizeof(after)));
	EXPECT_STREQ(before, after);
}

TEST_F(nl, unprivileged_listener_is_refused_and_hears_nothing)
{
	size_t i, hits = 0, n2;
	int p[2], st, fd, err;
	char out[512] = "";
	struct pollfd pfd;
	pid_t pid;
	ssize_t n;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		dup2(p[1], 1);
		if (drop_to_nobody())
			_exit(100);
		execl(pmg_cli(), "procmem-guard", "listen", "--format", "json",
		      NULL);
		_exit(127);
	}
	close(p[1]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	n = read(p[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	EXPECT_EQ(4, WEXITSTATUS(st));
	EXPECT_NE(NULL, strstr(out, "permission denied: listening needs CAP_NET_ADMIN"))
		TH_LOG("%s", out);

	/* A raw socket of an unprivileged user cannot join either... */
	pid = fork();
	if (pid == 0) {
		if (drop_to_nobody())
			_exit(100);
		fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		if (fd < 0)
			_exit(101);
		err = setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				 &self->group, sizeof(self->group)) ? errno : 0;
		if (err != EPERM)
			_exit(102);
		/* ...and hears nothing while findings flow to root. */
		if (fork() == 0) {
			close(open("/proc/self/mem", O_RDONLY));
			_exit(0);
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		_exit(poll(&pfd, 1, 1500) == 0 ? 0 : 103);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	/* The root listener did get the unprivileged finding. */
	ASSERT_TRUE(pmg_sync(&self->l, 20));
	n2 = pmg_cli_listener_count(&self->l);
	for (i = 0; i < n2; i++)
		if (pmg_jint(pmg_cli_listener_line(&self->l, i), "process.uid") == 65534)
			hits++;
	EXPECT_EQ(1, hits);
}

/* Malformed requests: each is refused, and changes nothing. */
static const struct req_case bad_cases[] = {
	{ "unknown command", 200, -EOPNOTSUPP, NO_ATTR, 0, 0, 0, 0 },
	{ "command 0", PMG_CMD_UNSPEC, -EOPNOTSUPP, NO_ATTR, 0, 0, 0, 0 },
	{ "FINDING sent to the kernel", PMG_CMD_FINDING, -EOPNOTSUPP,
	  NO_ATTR, 0, 0, 0, 0 },
	{ "RULE_ID of 2 bytes", PMG_CMD_ALLOW_DEL, -EINVAL, ATTR,
	  PMG_A_RULE_ID, 0, 2, 1 },
	{ "RULE_ID of 8 bytes", PMG_CMD_ALLOW_DEL, -EINVAL, ATTR,
	  PMG_A_RULE_ID, 0, 8, 1 },
	{ "ALLOW_DEL without id", PMG_CMD_ALLOW_DEL, -EINVAL, NO_ATTR, 0, 0, 0, 0 },
	{ "unknown attribute", PMG_CMD_GET_STATUS, -EINVAL, ATTR, 77, 0, 4, 1 },
	{ "attribute 0", PMG_CMD_GET_STATUS, -EINVAL, ATTR, 0, 0, 4, 1 },
	{ "truncated attribute", PMG_CMD_ALLOW_DEL, -EINVAL, TRUNCATED,
	  PMG_A_RULE_ID, 0, 4, 1 },
	{ "attribute longer than the message", PMG_CMD_ALLOW_DEL, -EINVAL,
	  OVERLONG, PMG_A_RULE_ID, 0, 4, 1 },
	{ "kernel-only attribute", PMG_CMD_APPLY, -EINVAL, ATTR,
	  PMG_A_STATS | NLA_F_NESTED, 0, 0, 0 },
	{ "config nest of 2 bytes", PMG_CMD_SET_CONFIG, -EINVAL, ATTR,
	  CONFIG_NEST, 0, 2, 1 },
	{ "mode 9", PMG_CMD_SET_CONFIG, -EINVAL, NEST, CONFIG_NEST,
	  PMG_C_READ, 1, 9 },
	{ "unknown config attribute", PMG_CMD_SET_CONFIG, -EINVAL, NEST,
	  CONFIG_NEST, 30, 4, 1 },
	{ "locked set directly", PMG_CMD_SET_CONFIG, -EINVAL, NEST,
	  CONFIG_NEST, PMG_C_LOCKED, 1, 1 },
	{ "burst 0", PMG_CMD_SET_CONFIG, -EINVAL, NEST, CONFIG_NEST,
	  PMG_C_BURST, 4, 0 },
	{ "absurd rate", PMG_CMD_SET_CONFIG, -EINVAL, NEST, CONFIG_NEST,
	  PMG_C_RATELIMIT, 4, 5000000 },
	{ "empty rule", PMG_CMD_ALLOW_ADD, -EINVAL, ATTR, RULE_NEST, 0, 0, 0 },
	{ "rule with access only", PMG_CMD_ALLOW_ADD, -EINVAL, NEST,
	  RULE_NEST, PMG_R_ACCESS, 1, PMG_ACCESS_READ },
	{ "exe dev without inode", PMG_CMD_ALLOW_ADD, -EINVAL, NEST,
	  RULE_NEST, PMG_R_EXE_DEV, 4, 8 },
	{ "self 5", PMG_CMD_ALLOW_ADD, -EINVAL, NEST, RULE_NEST,
	  PMG_R_SELF, 1, 5 },
	{ "rule id set by the caller", PMG_CMD_APPLY, -EINVAL, NEST,
	  RULE_NEST, PMG_R_ID, 4, 1 },
	{ "nested flag missing", PMG_CMD_SET_CONFIG, -EINVAL, NEST,
	  PMG_A_CONFIG, PMG_C_LOG, 1, 1 },
};

TEST_F(nl, malformed_requests_are_refused)
{
	char before[4096], after[4096], msg[256], attrs[REQ_MAX];
	const struct req_case *b;
	size_t i, len;
	int err;

	ASSERT_EQ(0, config_text(before, sizeof(before)));
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		b = &bad_cases[i];
		len = build_request(b, attrs);
		err = pmg_raw_request(self->family, b->cmd, 0, attrs, len,
				      msg, sizeof(msg));
		EXPECT_EQ(b->want, err) TH_LOG("%s: %d (%s)", b->name, err, msg);
		if (b->want == -EINVAL)
			EXPECT_NE(0, msg[0]) TH_LOG("%s: no extack message", b->name);
	}
	ASSERT_EQ(0, config_text(after, sizeof(after)));
	EXPECT_STREQ(before, after);
}

/* ---- escaping ---- */

static const char weird_comm[] = "a\"b\\c\nd\x01" "e\xff" "f";

static int weird_fn(void *arg)
{
	prctl(PR_SET_NAME, weird_comm);
	close(open("/proc/self/mem", O_RDONLY));
	return 0;
}

TEST_F(nl, json_escapes_any_comm_and_round_trips)
{
	const char *raw = NULL, *b64;
	char bytes[64];
	json_object *o;
	size_t i, n;
	long len;
	pid_t acc;

	ASSERT_EQ(0, pmg_run_child(weird_fn, NULL, &acc));
	ASSERT_TRUE(pmg_sync(&self->l, 20));
	n = pmg_cli_listener_count(&self->l);
	for (i = 0; i < n; i++)
		if (pmg_jint(pmg_cli_listener_line(&self->l, i), "process.pid") == acc)
			raw = pmg_cli_listener_raw(&self->l, i);
	ASSERT_NE(NULL, raw);
	/* A real parser accepts it (valid UTF-8 throughout)... */
	o = json_tokener_parse(raw);
	ASSERT_NE(NULL, o);
	ASSERT_TRUE(pmg_utf8_valid(raw, strlen(raw)));
	ASSERT_EQ(0, pmg_write_text("/tmp/pmg-weird.json", raw));
	EXPECT_EQ(0, pmg_sh("jq -e .process.comm_b64 /tmp/pmg-weird.json >/dev/null"));
	/* ...the readable comm shows the byte 0xff as U+FFFD... */
	EXPECT_STREQ("a\"b\\c\nd\x01" "e\xef\xbf\xbd" "f",
		     pmg_jstr(o, "process.comm"));
	/* ...and comm_b64 holds the very bytes. */
	b64 = pmg_jstr(o, "process.comm_b64");
	ASSERT_NE(NULL, b64);
	len = pmg_b64_decode(b64, strlen(b64), bytes, sizeof(bytes));
	ASSERT_EQ(strlen(weird_comm), len) TH_LOG("%s", b64);
	EXPECT_EQ(0, memcmp(bytes, weird_comm, len));
	json_object_put(o);
	/* No raw control byte ever reaches the line. */
	for (i = 0; raw[i] && raw[i] != '\n'; i++)
		EXPECT_GE((unsigned char)raw[i], 0x20);
}

/* ---- reload ---- */

static int open_self_mem(void *arg)
{
	int fd = open("/proc/self/mem", O_RDONLY);

	if (fd >= 0)
		close(fd);
	return fd < 0;
}

TEST_F(nl, listener_survives_reload)
{
	json_object *o;
	pid_t a, b;

	ASSERT_EQ(0, pmg_run_child(open_self_mem, NULL, &a));
	ASSERT_TRUE(pmg_sync(&self->l, 20));
	EXPECT_EQ(1, pmg_lines_of(&self->l, 0, a, &o, 1));
	ASSERT_EQ(0, pmg_unload());
	ASSERT_EQ(0, pmg_load("ratelimit=off"));
	/* The listener finds the new family and joins again by itself. */
	ASSERT_TRUE(pmg_cli_listener_ready(&self->l, 30)) TH_LOG("no finding after reload");
	ASSERT_EQ(0, pmg_run_child(open_self_mem, NULL, &b));
	ASSERT_TRUE(pmg_sync(&self->l, 20));
	EXPECT_EQ(1, pmg_lines_of(&self->l, 0, b, &o, 1));
	EXPECT_EQ(0, kill(self->l.pid, 0));
	/* It said so on its standard output, as lines of their own. */
	EXPECT_EQ(1, pmg_cli_listener_typed(&self->l, "listener", "started"));
	EXPECT_LE(1, pmg_cli_listener_typed(&self->l, "listener",
					     "module-unloaded"));
	EXPECT_LE(1, pmg_cli_listener_typed(&self->l, "listener",
					     "module-loaded"));
	/* The module's own last word before unloading is a notice. */
	EXPECT_LE(1, pmg_cli_listener_typed(&self->l, "notice",
					     "module-unloading"));
}

/* ---- listen --output ---- */

#define OUT_LOG	"/tmp/pmg-listen.log"

/* The lines of path, each checked to be JSON; -1 if one is not. */
static int json_lines(const char *path, char *types, size_t typesz,
		      int *findings)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	int n = 0;

	*findings = 0;
	if (types)
		types[0] = '\0';
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		json_object *o = json_tokener_parse(line);
		const char *t = pmg_jstr(o, "type");

		if (!o || !t) {
			json_object_put(o);
			n = -1;
			break;
		}
		*findings += !strcmp(t, "finding");
		if (types && strlen(types) + 2 < typesz)
			strncat(types, t, 1);	/* f, n, l, s */
		json_object_put(o);
		n++;
	}
	fclose(f);
	return n;
}

/* Waits until path holds a finding line; false on timeout. */
static bool wait_finding_in(const char *path, double seconds)
{
	double end = pmg_now() + seconds;
	int findings = 0;
	pid_t a;

	while (pmg_now() < end) {
		if (pmg_run_child(open_self_mem, NULL, &a))
			return false;
		usleep(200000);
		if (json_lines(path, NULL, 0, &findings) > 0 && findings)
			return true;
	}
	return false;
}

static int file_mode(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (int)(st.st_mode & 07777);
}

TEST_F(nl, listen_output_file)
{
	char types[256];
	int st, findings, n;
	pid_t pid;

	unlink(OUT_LOG);
	unlink(OUT_LOG ".1");
	/* Without the module (and without --wait): no file at all. */
	ASSERT_EQ(0, pmg_unload());
	EXPECT_EQ(3, pmg_sh("%s listen --format json --output " OUT_LOG
			    " 2>/dev/null", pmg_cli()));
	EXPECT_NE(0, access(OUT_LOG, F_OK));
	ASSERT_EQ(0, pmg_load("ratelimit=off"));

	/* With it: created 0640 whatever the umask, lines appended. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		umask(0);
		execl(pmg_cli(), "procmem-guard", "listen", "--format", "json",
		      "--output", OUT_LOG, (char *)NULL);
		_exit(127);
	}
	ASSERT_TRUE(wait_finding_in(OUT_LOG, 30));
	EXPECT_EQ(0640, file_mode(OUT_LOG));
	n = json_lines(OUT_LOG, types, sizeof(types), &findings);
	ASSERT_LT(0, n);
	EXPECT_EQ('l', types[0]) TH_LOG("the first line: %c", types[0]);

	/* Log rotation: moved away, SIGHUP, a new file. */
	ASSERT_EQ(0, rename(OUT_LOG, OUT_LOG ".1"));
	ASSERT_EQ(0, kill(pid, SIGHUP));
	ASSERT_TRUE(wait_finding_in(OUT_LOG, 30));
	EXPECT_EQ(0640, file_mode(OUT_LOG));

	/* SIGTERM: status 0, the last line says it stopped, all JSON. */
	ASSERT_EQ(0, kill(pid, SIGTERM));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	n = json_lines(OUT_LOG, types, sizeof(types), &findings);
	ASSERT_LT(0, n);
	EXPECT_EQ('l', types[strlen(types) - 1]);
	EXPECT_LT(0, json_lines(OUT_LOG ".1", NULL, 0, &findings));
	unlink(OUT_LOG);
	unlink(OUT_LOG ".1");
}

/* ---- burst and the invariant ---- */

/* A count from the environment, if set to a positive number, else def. */
static int env_count(const char *name, int def)
{
	const char *v = getenv(name);
	int n = v ? atoi(v) : 0;

	return n > 0 ? n : def;
}

/* Opens and closes /proc/self/mem n times; 0, or 1 if an open failed. */
static int open_self_mem_times(int n)
{
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = open("/proc/self/mem", O_RDONLY);
		if (fd < 0)
			return 1;
		close(fd);
	}
	return 0;
}

/* PMG_BURST_OPENS opens (default 100,000; the debug kernels run fewer). */
static int burst_opens(void)
{
	return env_count("PMG_BURST_OPENS", 100000);
}

static int burst_fn(void *arg)
{
	return open_self_mem_times(burst_opens());
}

TEST_F_TIMEOUT(nl, burst_keeps_the_invariant, 900)
{
	struct pmg_stats st;
	u_int64_t accounted, lines;
	size_t k, lost, summaries, notices;
	json_object *o;
	pid_t acc;

	ASSERT_EQ(0, pmg_run_child(burst_fn, NULL, &acc));
	ASSERT_TRUE(pmg_sync(&self->l, 600));
	ASSERT_EQ(0, pmg_settle(&st));
	/* What was sent may still be in the listener's socket. */
	ASSERT_TRUE(pmg_sync(&self->l, 600));
	accounted = pmg_stats_accounted(&st);
	TH_LOG("%d opens: matches %llu sent %llu ring-full %llu send-fail %llu logged %llu",
	       burst_opens(), (unsigned long long)st.v[PMG_S_MATCHES],
	       (unsigned long long)st.v[PMG_S_SENT],
	       (unsigned long long)st.v[PMG_S_DROP_RING_FULL],
	       (unsigned long long)st.v[PMG_S_DROP_SEND],
	       (unsigned long long)st.v[PMG_S_LOGGED]);
	EXPECT_EQ(st.v[PMG_S_MATCHES], accounted);
	EXPECT_GE(st.v[PMG_S_MATCHES], burst_opens());
	k = pmg_lines_of(&self->l, 0, acc, &o, 1);
	lines = pmg_cli_listener_typed(&self->l, "finding", NULL);
	summaries = pmg_cli_listener_typed(&self->l, "summary", NULL);
	notices = pmg_cli_listener_typed(&self->l, "notice", NULL);
	lost = pmg_cli_listener_typed(&self->l, "listener", "lost");
	TH_LOG("listener: %zu findings of the burst, %llu finding lines in "
	       "all, %zu summaries, %zu notices, %zu lines about losses", k,
	       (unsigned long long)lines, summaries, notices, lost);
	EXPECT_LE(lines, st.v[PMG_S_SENT]);
	EXPECT_LE(summaries, st.v[PMG_S_SUMMARIES]);
	EXPECT_LE(notices, st.v[PMG_S_NOTICES]);
	/* Whatever the listener lost, it must have said so, as a line. */
	if (lines + summaries < st.v[PMG_S_SENT] + st.v[PMG_S_SUMMARIES] ||
	    st.v[PMG_S_DROP_SEND])
		EXPECT_LT(0, lost);
	pmg_cli_listener_stop(&self->l);
	TH_LOG("listener stderr: %.200s", self->l.errtext);
	/* Nothing but fatal errors goes to standard error. */
	EXPECT_STREQ("", self->l.errtext);
}

/* ---- pacing ---- */

/* A generic netlink socket with a receive buffer of about bytes. */
static int nl_socket(int bytes)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd >= 0 && bytes &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes))) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint64_t stat_now(int attr)
{
	struct pmg_stats st;

	return pmg_stats_now(&st) ? UINT64_MAX : st.v[attr];
}

TEST_F(nl, pacing_listeners_are_bounded_and_need_no_attributes)
{
	int fds[PMG_MAX_PACERS + 1], n = 0, i, err, fd;
	uint64_t before = stat_now(PMG_S_PACERS);
	char msg[256], attr[8];
	size_t off = 0;
	uint32_t one = 1;

	/* The fixture's CLI listener paces already. */
	ASSERT_EQ(1, before);
	pmg_put_attr(attr, &off, PMG_A_RULE_ID, &one, 4);
	fd = nl_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, pmg_raw_request_fd(fd, self->family, PMG_CMD_PACE,
					      0, attr, off, msg, sizeof(msg)));
	TH_LOG("PACE with an attribute: \"%s\"", msg);
	EXPECT_NE(NULL, strstr(msg, "no attributes"));
	EXPECT_EQ(0, pmg_raw_request_fd(fd, self->family, PMG_CMD_PACE, 0,
					NULL, 0, NULL, 0));
	/* Asking again on the same socket changes nothing. */
	EXPECT_EQ(0, pmg_raw_request_fd(fd, self->family, PMG_CMD_PACE, 0,
					NULL, 0, NULL, 0));
	EXPECT_EQ(2, stat_now(PMG_S_PACERS));
	fds[n++] = fd;
	for (i = 2; i < PMG_MAX_PACERS; i++) {
		fds[n] = nl_socket(0);
		ASSERT_LE(0, fds[n]);
		EXPECT_EQ(0, pmg_raw_request_fd(fds[n], self->family,
						PMG_CMD_PACE, 0, NULL, 0,
						NULL, 0));
		n++;
	}
	EXPECT_EQ(PMG_MAX_PACERS, stat_now(PMG_S_PACERS));
	fds[n] = nl_socket(0);
	ASSERT_LE(0, fds[n]);
	err = pmg_raw_request_fd(fds[n], self->family, PMG_CMD_PACE, 0, NULL,
				 0, msg, sizeof(msg));
	TH_LOG("PACE from socket %d: %d \"%s\"", PMG_MAX_PACERS + 1, err, msg);
	EXPECT_EQ(-ENOSPC, err);
	EXPECT_NE(NULL, strstr(msg, "too many pacing listeners"));
	/* A closed socket leaves the list: there is room again. */
	close(fds[0]);
	EXPECT_EQ(0, pmg_raw_request_fd(fds[n], self->family, PMG_CMD_PACE, 0,
					NULL, 0, NULL, 0));
	for (i = 1; i <= n; i++)
		close(fds[i]);
	EXPECT_EQ(1, stat_now(PMG_S_PACERS));
}

struct pacer_count {
	uint64_t findings, summarized, summaries, notices, gaps, last_seq;
};

/* Counts what one received buffer holds (pmg_raw.h's decoder). */
static void count_buffer(const unsigned char *buf, ssize_t n, int family,
			 struct pacer_count *c)
{
	const struct nlmsghdr *h;
	struct pmg_raw_ev e;

	for (h = (const void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
		size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

		if (h->nlmsg_type != family)
			continue;
		while (off + NLA_HDRLEN <= h->nlmsg_len) {
			const struct nlattr *a = (const void *)((const char *)h + off);
			int t = a->nla_type & NLA_TYPE_MASK;

			if (a->nla_len < NLA_HDRLEN)
				break;
			if (t == PMG_A_FINDING || t == PMG_A_NOTICE) {
				pmg_raw_nest(a, t == PMG_A_NOTICE, &e);
				if (c->last_seq && e.seq != c->last_seq + 1)
					c->gaps++;
				c->last_seq = e.seq;
				if (e.notice)
					c->notices++;
				else if (e.summary)
					c->summaries++, c->summarized += e.summary;
				else
					c->findings++;
			}
			off += NLA_ALIGN(a->nla_len);
		}
	}
}

static int pace_opens(void)
{
	return env_count("PMG_PACE_OPENS", 3000);
}

/*
 * A pacing listener on a small receive buffer (128 KiB, room for a few
 * batch messages), with the fixture's fast listener stopped: opens of
 * /proc/self/mem flat out while it first reads nothing for 0.5 s (its queue
 * fills and the module holds findings back) and then reads one message every
 * pause_ms. Returns how long the opener took; *c what the socket got.
 */
static double run_pacer(struct __test_metadata *_metadata, int family,
			int group, int pause_ms, bool read_at_all,
			struct pacer_count *c, uint64_t *overruns)
{
	static unsigned char buf[65536];
	double start, end = 0, quiet;
	int fd = nl_socket(64 * 1024), st;
	pid_t opener;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	*overruns = 0;
	if (fd < 0 ||
	    pmg_raw_request_fd(fd, family, PMG_CMD_PACE, 0, NULL, 0, NULL, 0) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group))) {
		TH_LOG("cannot set up a pacing socket: %s", strerror(errno));
		return -1;
	}
	start = pmg_now();
	opener = fork();
	if (opener == 0) {
		prctl(PR_SET_NAME, PMG_ACC_COMM);
		_exit(open_self_mem_times(pace_opens()));
	}
	usleep(500000);
	quiet = pmg_now();
	for (;;) {
		if (!end && waitpid(opener, &st, WNOHANG) == opener) {
			end = pmg_now();
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				TH_LOG("the opener failed");
		}
		if (!read_at_all) {
			if (end)
				break;
			usleep(10000);
			continue;
		}
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			(*overruns)++;
			continue;
		}
		if (n > 0) {
			count_buffer(buf, n, family, c);
			quiet = pmg_now();
			usleep(pause_ms * 1000);
			continue;
		}
		/* Done once the opener is and nothing came for 3 s (the
		 * summaries come about once a second).
		 */
		if (end && pmg_now() - quiet > 3)
			break;
		usleep(10000);
	}
	close(fd);
	return end - start;
}

/*
 * A pacing listener that reads slowly never overruns: the module holds
 * findings for it, and what its rings cannot hold meanwhile (one user may
 * fill three quarters of a ring) it names in summaries. Every finding of the opener
 * reaches the listener one by one or in a summary, and the opener never
 * waits for the listener.
 */
TEST_F_TIMEOUT(nl, a_slow_pacing_listener_gets_every_finding_or_its_summary, 600)
{
	struct pacer_count c;
	struct pmg_stats s0, st;
	uint64_t overruns, d[__PMG_S_MAX];
	double secs;
	int i;

	/* From here on, the pacer is the only listener. */
	pmg_cli_listener_stop(&self->l);
	ASSERT_EQ(0, pmg_settle(&s0));
	secs = run_pacer(_metadata, self->family, self->group, 20, true, &c,
			 &overruns);
	ASSERT_LE(0, secs);
	ASSERT_EQ(0, pmg_settle(&st));
	for (i = 0; i < __PMG_S_MAX; i++)
		d[i] = st.v[i] - s0.v[i];
	TH_LOG("%d opens in %.1f s: matches %llu; received %llu findings and %llu summaries of %llu (gaps %llu, overruns %llu); sent %llu, drop_ring_full %llu, drop_send %llu, summarized %llu",
	       pace_opens(), secs, (unsigned long long)d[PMG_S_MATCHES],
	       (unsigned long long)c.findings, (unsigned long long)c.summaries,
	       (unsigned long long)c.summarized, (unsigned long long)c.gaps,
	       (unsigned long long)overruns,
	       (unsigned long long)d[PMG_S_SENT],
	       (unsigned long long)d[PMG_S_DROP_RING_FULL],
	       (unsigned long long)d[PMG_S_DROP_SEND],
	       (unsigned long long)d[PMG_S_SUMMARIZED]);
	EXPECT_EQ(pace_opens(), d[PMG_S_MATCHES]);
	EXPECT_EQ(0, d[PMG_S_DROP_SEND]);
	EXPECT_EQ(0, overruns);
	EXPECT_EQ(0, c.gaps);
	EXPECT_EQ(d[PMG_S_SENT], c.findings);
	EXPECT_EQ(d[PMG_S_DROP_RING_FULL], c.summarized);
	EXPECT_EQ(d[PMG_S_MATCHES], c.findings + c.summarized);
	EXPECT_EQ(0, d[PMG_S_PACED]);
}

/*
 * A pacing listener that reads nothing: the module holds findings for a
 * second, then counts it stalled and sends; opens never wait.
 */
TEST_F_TIMEOUT(nl, a_stalled_pacing_listener_never_delays_opens, 600)
{
	struct pacer_count c;
	struct pmg_stats st;
	uint64_t overruns, accounted;
	double secs, unpaced;

	pmg_cli_listener_stop(&self->l);
	unpaced = pmg_now();
	ASSERT_EQ(0, open_self_mem_times(pace_opens()));
	unpaced = pmg_now() - unpaced;
	secs = run_pacer(_metadata, self->family, self->group, 0, false, &c,
			 &overruns);
	ASSERT_LE(0, secs);
	ASSERT_EQ(0, pmg_settle(&st));
	accounted = pmg_stats_accounted(&st);
	TH_LOG("%d opens in %.1f s with a listener that reads nothing (%.1f s with nobody listening): matches %llu, sent %llu, drop_ring_full %llu, drop_send %llu",
	       pace_opens(), secs, unpaced,
	       (unsigned long long)st.v[PMG_S_MATCHES],
	       (unsigned long long)st.v[PMG_S_SENT],
	       (unsigned long long)st.v[PMG_S_DROP_RING_FULL],
	       (unsigned long long)st.v[PMG_S_DROP_SEND]);
	/* No open waits: as fast as with nobody listening, within noise. */
	EXPECT_LT(secs, 2 * unpaced + 2);
	EXPECT_EQ(0, st.v[PMG_S_PACED] + st.v[PMG_S_PACE_TIMEOUTS]);
	/* What the listener could not take is lost, and counted. */
	EXPECT_LT(0, st.v[PMG_S_DROP_SEND] + st.v[PMG_S_DROP_RING_FULL]);
	EXPECT_EQ(st.v[PMG_S_MATCHES], accounted);
}

TEST_HARNESS_MAIN
