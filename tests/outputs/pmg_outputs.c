// SPDX-License-Identifier: GPL-2.0
/*
 * pmg_outputs - drives the CLI's senders and metrics writer (libpmg.a)
 * with synthetic findings and counters, for tests/outputs/check.sh: the
 * same code `listen --post/--syslog` and `metrics` run, without a module.
 *
 *   pmg_outputs post URL [--retries N] [--backoff MS] [--queue N]
 *                        [--timeout MS] [--header H|@FILE]... [--pace MS]
 *                        [--drain MS]                         < lines
 *                        [--format FMT]
 *       POST each line of standard input; with --format, each line is an
 *       event as syslog below takes them, which listen's own code (lines.c)
 *       turns into a line in format FMT (falco, ecs, ...). After each line,
 *       and once at
 *       the end, prints the sender's drop report when there is one (the
 *       "listener" event line); at the end {"stats":{...}}.
 *   pmg_outputs syslog TARGET [--facility NAME] [--max-size N]
 *                        [--sd-id ID] [--drain MS]           < events
 *       One message per line of standard input, a JSON object: the line
 *       and what listen would say of it (struct pmg_line_meta):
 *       {"type":"finding|summary|notice|listener","line":HEX,"event":S,
 *        "severity":N,"signature":S,"seq":N,"boot_id":S,"time_ns":N,
 *        "hostname":HEX,"lev":N,"lost":N,"err":N,
 *        "finding":{NAME:NUMBER|HEX,...},"notice":{NAME:NUMBER|HEX,...}}
 *       (every member optional; HEX: the bytes in hexadecimal; the NAMEs
 *       of finding and notice are those of the tables below). Prints
 *       {"stats":{...}}.
 *   pmg_outputs prom [--textfile DIR [--name NAME]]        < status
 *       Metrics of {"loaded":B,"module_version":S,"protocol":N,
 *       "armed":B,"config":{NAME:N},"stats":{NAME:N}} (counter NAMEs as
 *       names.c has them), on standard output or as a textfile.
 * Findings, configuration and counters are netlink attributes decoded by
 * the CLI's own codec (codec.c), as they would be from the module.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <linux/netlink.h>

#include "codec.h"
#include "lines.h"
#include "names.h"
#include "prom.h"
#include "senders.h"

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "pmg_outputs: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* --- netlink attributes ---------------------------------------------------- */

struct tlv {
	unsigned char buf[65536];
	size_t len;
};

static void put(struct tlv *t, int type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = (uint16_t)type };

	if (t->len + NLA_ALIGN(NLA_HDRLEN + n) > sizeof(t->buf))
		die("%s", "attributes too long");
	memcpy(t->buf + t->len, &a, sizeof(a));
	memcpy(t->buf + t->len + NLA_HDRLEN, p, n);
	memset(t->buf + t->len + NLA_HDRLEN + n, 0,
	       NLA_ALIGN(NLA_HDRLEN + n) - NLA_HDRLEN - n);
	t->len += NLA_ALIGN(NLA_HDRLEN + n);
}

static void put_num(struct tlv *t, int type, char kind, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint32_t u32 = (uint32_t)v;

	if (kind == 'b')
		put(t, type, &u8, 1);
	else if (kind == 'w')
		put(t, type, &u32, 4);
	else
		put(t, type, &v, 8);
}

/* Hex to bytes (NUL terminated); its length in *n. */
static char *unhex(const char *h, size_t *n)
{
	size_t len = strlen(h), i;
	char *out = malloc(len / 2 + 1);
	unsigned int b;

	if (!out || len % 2)
		die("bad hex string '%s'", h);
	for (i = 0; i < len / 2; i++) {
		if (sscanf(h + 2 * i, "%2x", &b) != 1)
			die("bad hex string '%s'", h);
		out[i] = (char)b;
	}
	out[len / 2] = '\0';
	*n = len / 2;
	return out;
}

struct attr_desc {
	const char *name;
	int attr;
	char kind;	/* b u8, w u32, q u64, s string */
};

static const struct attr_desc finding_attrs[] = {
	{ "seq", PMG_F_SEQ, 'q' }, { "signature", PMG_F_SIGNATURE, 'w' },
	{ "access", PMG_F_ACCESS, 'b' }, { "flags", PMG_F_FLAGS, 'w' },
	{ "action", PMG_F_ACTION, 'b' }, { "time_ns", PMG_F_TIME_NS, 'q' },
	{ "kind", PMG_F_KIND, 'b' }, { "pid", PMG_F_PID, 'w' },
	{ "tid", PMG_F_TID, 'w' }, { "ppid", PMG_F_PPID, 'w' },
	{ "uid", PMG_F_UID, 'w' }, { "euid", PMG_F_EUID, 'w' },
	{ "gid", PMG_F_GID, 'w' }, { "comm", PMG_F_COMM, 's' },
	{ "exe", PMG_F_EXE, 's' }, { "cgroup_id", PMG_F_CGROUP_ID, 'q' },
	{ "target_pid", PMG_F_TARGET_PID, 'w' },
	{ "target_tid", PMG_F_TARGET_TID, 'w' },
	{ "target_comm", PMG_F_TARGET_COMM, 's' },
	{ "path", PMG_F_PATH, 's' }, { "procfs_path", PMG_F_PROCFS_PATH, 's' },
	{ "suppressed", PMG_F_SUPPRESSED, 'w' },
	{ "outcome", PMG_F_OUTCOME, 'b' }, { "channel", PMG_F_CHANNEL, 'b' },
	{ "syscall", PMG_F_SYSCALL, 'w' }, { "request", PMG_F_REQUEST, 'w' },
	{ "summary", PMG_F_SUMMARY, 'w' }, { "reason", PMG_F_REASON, 'b' },
	{ "first_ns", PMG_F_FIRST_NS, 'q' }, { "compat", PMG_F_COMPAT, 'b' },
	{ "partial", PMG_F_PARTIAL, 'w' },
};

static const struct attr_desc notice_attrs[] = {
	{ "seq", PMG_N_SEQ, 'q' }, { "type", PMG_N_TYPE, 'b' },
	{ "time_ns", PMG_N_TIME_NS, 'q' }, { "pid", PMG_N_PID, 'w' },
	{ "uid", PMG_N_UID, 'w' }, { "comm", PMG_N_COMM, 's' },
	{ "exe", PMG_N_EXE, 's' }, { "cmd", PMG_N_CMD, 'b' },
	{ "detail", PMG_N_DETAIL, 's' },
};

/* The attributes t[0..n) of o into a new buffer (free() it). */
static struct tlv *attrs_from_json(json_object *o, const struct attr_desc *t,
				   size_t n)
{
	struct tlv *b = calloc(1, sizeof(*b));
	size_t i, len;
	json_object *v;
	char *s;

	if (!b)
		die("%s", "out of memory");
	for (i = 0; i < n; i++) {
		if (!json_object_object_get_ex(o, t[i].name, &v))
			continue;
		if (t[i].kind != 's') {
			put_num(b, t[i].attr, t[i].kind, json_object_get_uint64(v));
			continue;
		}
		s = unhex(json_object_get_string(v), &len);
		put(b, t[i].attr, s, len + 1);
		free(s);
	}
	return b;
}

/* --- events: a line and what listen would say of it ------------------------ */

struct event {
	struct pmg_line_meta m;
	struct pmg_finding f;
	struct pmg_notice n;
	struct tlv *fb, *nb;	/* the attributes f and n point into */
	char *text, *host;
	size_t len;
	json_object *in;
};

static void parse_event(const char *line, struct event *e)
{
	static const char *const types[] = { "finding", "summary", "notice",
					     "listener" };
	json_object *v;
	size_t i;

	memset(e, 0, sizeof(*e));
	e->m.severity = PMG_SEV_WARNING;
	e->in = json_tokener_parse(line);
	if (!e->in)
		die("bad input line: %s", line);
	if (json_object_object_get_ex(e->in, "type", &v))
		for (i = 0; i < 4; i++)
			if (!strcmp(json_object_get_string(v), types[i]))
				e->m.type = (enum pmg_line_type)i;
	if (json_object_object_get_ex(e->in, "line", &v))
		e->text = unhex(json_object_get_string(v), &e->len);
	if (json_object_object_get_ex(e->in, "hostname", &v))
		e->host = unhex(json_object_get_string(v), &i);
	e->m.hostname = e->host;
	if (json_object_object_get_ex(e->in, "event", &v))
		e->m.event = json_object_get_string(v);
	if (json_object_object_get_ex(e->in, "signature", &v))
		e->m.signature = json_object_get_string(v);
	if (json_object_object_get_ex(e->in, "boot_id", &v))
		e->m.boot_id = json_object_get_string(v);
	if (json_object_object_get_ex(e->in, "severity", &v))
		e->m.severity = json_object_get_int(v);
	if (json_object_object_get_ex(e->in, "time_ns", &v))
		e->m.time_ns = json_object_get_uint64(v);
	if (json_object_object_get_ex(e->in, "seq", &v))
		e->m.seq = json_object_get_uint64(v);
	if (json_object_object_get_ex(e->in, "lev", &v))
		e->m.lev = (enum pmg_listener_event)json_object_get_int(v);
	if (json_object_object_get_ex(e->in, "lost", &v))
		e->m.lost = json_object_get_uint64(v);
	if (json_object_object_get_ex(e->in, "err", &v))
		e->m.err = json_object_get_int(v);
	if (json_object_object_get_ex(e->in, "finding", &v)) {
		e->fb = attrs_from_json(v, finding_attrs,
					sizeof(finding_attrs) / sizeof(finding_attrs[0]));
		if (pmg_decode_finding_payload(e->fb->buf, e->fb->len, &e->f))
			die("%s", "the codec refused a finding");
		e->m.finding = &e->f;
	}
	if (json_object_object_get_ex(e->in, "notice", &v)) {
		e->nb = attrs_from_json(v, notice_attrs,
					sizeof(notice_attrs) / sizeof(notice_attrs[0]));
		if (pmg_decode_notice_payload(e->nb->buf, e->nb->len, &e->n))
			die("%s", "the codec refused a notice");
		e->m.notice = &e->n;
	}
}

static void free_event(struct event *e)
{
	free(e->fb);
	free(e->nb);
	free(e->text);
	free(e->host);
	json_object_put(e->in);
}

/* --- post, syslog ------------------------------------------------------------ */

static void print_stats(const struct pmg_send_stats *st)
{
	printf("{\"stats\":{\"queued\":%llu,\"delivered\":%llu,"
	       "\"retries\":%llu,\"queue_full\":%llu,\"failed\":%llu,"
	       "\"rejected\":%llu,\"unsent\":%llu,\"dropped\":%llu}}\n",
	       (unsigned long long)st->queued,
	       (unsigned long long)st->delivered,
	       (unsigned long long)st->retries,
	       (unsigned long long)st->queue_full,
	       (unsigned long long)st->failed,
	       (unsigned long long)st->rejected,
	       (unsigned long long)st->unsent,
	       (unsigned long long)pmg_send_dropped(st));
}

static void report(struct pmg_sender *s, bool force)
{
	char *line = pmg_sender_drop_report(s, force);

	if (line) {
		printf("%s\n", line);
		fflush(stdout);
	}
	free(line);
}

/* Stop, say what was dropped since the last report, and the counts. */
static void finish(struct pmg_sender *s, unsigned int drain)
{
	struct pmg_send_stats st;

	pmg_sender_stop(s, (int)drain);
	report(s, false);
	pmg_sender_stats(s, &st);
	print_stats(&st);
	pmg_sender_free(s);
	fflush(stdout);
}

static unsigned int num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || *end)
		die("not a number: '%s'", s);
	return (unsigned int)v;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec t = { .tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* Whether h is one of argv (a --header given inline, not read). */
static int argv_header(int argc, char **argv, const char *h)
{
	int i;

	for (i = 0; i < argc; i++)
		if (argv[i] == h)
			return i;
	return -1;
}

static int post(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "retries", required_argument, NULL, 'r' },
		{ "backoff", required_argument, NULL, 'b' },
		{ "queue", required_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 't' },
		{ "header", required_argument, NULL, 'H' },
		{ "pace", required_argument, NULL, 'p' },
		{ "drain", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct pmg_post_opts o = {
		.timeout_ms = PMG_POST_TIMEOUT_MS,
		.send = { PMG_SEND_QUEUE_LINES, PMG_SEND_QUEUE_BYTES,
			  PMG_SEND_RETRIES, PMG_SEND_BACKOFF_MS, false },
	};
	char **headers = NULL;
	unsigned int pace = 0, drain = 10000;
	struct pmg_line_meta m = { .severity = -1 };
	struct pmg_lines lines, *L = NULL;
	enum pmg_format fmt = PMG_FORMAT_JSON;
	struct pmg_sender *s;
	char err[512], *line = NULL;
	struct event e;
	size_t cap = 0;
	ssize_t n;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.send.retries = num(optarg); break;
		case 'b': o.send.backoff_ms = num(optarg); break;
		case 'q': o.send.queue_lines = num(optarg); break;
		case 't': o.timeout_ms = num(optarg); break;
		case 'H':
			/* @FILE: as listen's --post-header @FILE reads it. */
			if (optarg[0] == '@') {
				if (pmg_post_read_headers(optarg + 1, &headers,
							  &o.nheaders, err,
							  sizeof(err)))
					die("%s", err);
				break;
			}
			headers = realloc(headers, (o.nheaders + 1) *
					  sizeof(*headers));
			if (!headers)
				die("%s", "out of memory");
			headers[o.nheaders++] = optarg;
			break;
		case 'p': pace = num(optarg); break;
		case 'd': drain = num(optarg); break;
		case 'f':
			if (pmg_format_parse(optarg, &fmt))
				die("unknown format '%s'", optarg);
			L = &lines;
			break;
		default: return 2;
		}
	}
	if (optind + 1 != argc)
		die("%s", "usage: post URL [options] < lines");
	o.url = argv[optind];
	o.headers = (const char *const *)headers;
	if (pmg_post_open(&s, &o, err, sizeof(err)))
		die("%s", err);
	if (L && pmg_lines_init(L, fmt, PMG_MAX_LINE_DEFAULT))
		die("%s", "cannot set up the lines");
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (L) {
			/* An event, made a line by listen's own code. */
			parse_event(line, &e);
			if (e.m.notice ? pmg_lines_notice(L, &e.n, &m) :
			    pmg_lines_finding(L, &e.f, &m))
				die("%s", "out of memory");
			pmg_sender_line(s, L->line.p, L->line.len, &m);
			free_event(&e);
		} else {
			pmg_sender_line(s, line, (size_t)n, &m);
		}
		report(s, false);
		if (pace)
			sleep_ms(pace);
	}
	free(line);
	finish(s, drain);
	if (L)
		pmg_lines_free(L);
	for (n = 0; n < (ssize_t)o.nheaders; n++)
		if (argv_header(argc, argv, headers[n]) < 0)
			free(headers[n]);
	free(headers);
	return 0;
}

static int syslog_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "facility", required_argument, NULL, 'f' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "sd-id", required_argument, NULL, 'i' },
		{ "drain", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct pmg_syslog_opts o = {
		.facility = PMG_SYSLOG_FACILITY, .sd_id = PMG_SYSLOG_SD_ID,
		.max_size = PMG_SYSLOG_MAX_SIZE,
		.send = { PMG_SEND_QUEUE_LINES, PMG_SEND_QUEUE_BYTES,
			  PMG_SEND_RETRIES, PMG_SEND_BACKOFF_MS, false },
	};
	unsigned int drain = 10000;
	struct pmg_sender *s;
	char err[512], *line = NULL;
	struct event e;
	size_t cap = 0;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o.facility = pmg_syslog_facility(optarg);
			break;
		case 'm': o.max_size = num(optarg); break;
		case 'i': o.sd_id = optarg; break;
		case 'd': drain = num(optarg); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc)
		die("%s", "usage: syslog TARGET [options] < findings");
	o.target = argv[optind];
	if (pmg_syslog_open(&s, &o, err, sizeof(err)))
		die("%s", err);
	while (getline(&line, &cap, stdin) > 0) {
		parse_event(line, &e);
		/* The message is made here: the buffers may go afterwards. */
		pmg_sender_line(s, e.text ? e.text : "", e.len, &e.m);
		free_event(&e);
	}
	free(line);
	finish(s, drain);
	return 0;
}

/* --- prom -------------------------------------------------------------------- */

static const struct {
	const char *name;
	int attr;
	char kind;
} config_attrs[] = {
	{ "read", PMG_C_READ, 'b' }, { "write", PMG_C_WRITE, 'b' },
	{ "ratelimit", PMG_C_RATELIMIT, 'w' }, { "burst", PMG_C_BURST, 'w' },
	{ "log", PMG_C_LOG, 'b' }, { "report_allowed", PMG_C_REPORT_ALLOWED, 'b' },
	{ "locked", PMG_C_LOCKED, 'b' }, { "attach", PMG_C_ATTACH, 'b' },
};

static int stat_attr(const char *name)
{
	int i;

	for (i = 1; i <= PMG_S_MAX; i++)
		if (pmg_stat_name(i) && !strcmp(pmg_stat_name(i), name))
			return i;
	die("unknown counter '%s'", name);
	return 0;
}

static int prom(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "textfile", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *name = "procmem_guard";
	struct pmg_status st;
	struct tlv *t = calloc(1, sizeof(*t));
	json_object *in, *v, *sec;
	char err[512];
	size_t i;
	int c;

	if (!t)
		die("%s", "out of memory");
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't')
			dir = optarg;
		else if (c == 'n')
			name = optarg;
		else
			return 2;
	}
	in = json_object_from_fd(0);
	if (!in)
		die("%s", "bad status on standard input");
	memset(&st, 0, sizeof(st));
	if (json_object_object_get_ex(in, "module_version", &v))
		snprintf(st.module_version, sizeof(st.module_version), "%s",
			 json_object_get_string(v));
	if (json_object_object_get_ex(in, "protocol", &v))
		st.protocol = (uint32_t)json_object_get_int64(v);
	if (json_object_object_get_ex(in, "armed", &v)) {
		st.has_armed = true;
		st.armed = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(in, "config", &sec))
		for (i = 0; i < sizeof(config_attrs) / sizeof(config_attrs[0]); i++)
			if (json_object_object_get_ex(sec, config_attrs[i].name, &v))
				put_num(t, config_attrs[i].attr, config_attrs[i].kind,
					json_object_get_uint64(v));
	if (pmg_decode_config(t->buf, t->len, &st.config))
		die("%s", "the codec refused the configuration");
	t->len = 0;
	if (json_object_object_get_ex(in, "stats", &sec)) {
		json_object_object_foreach(sec, key, val)
			put_num(t, stat_attr(key), 'q',
				json_object_get_uint64(val));
	}
	if (pmg_decode_stats(t->buf, t->len, &st.stats))
		die("%s", "the codec refused the counters");
	v = NULL;
	json_object_object_get_ex(in, "loaded", &v);
	c = v && !json_object_get_boolean(v);
	if (dir && pmg_prom_textfile(dir, name, c ? NULL : &st, err,
				     sizeof(err)))
		die("%s", err);
	if (!dir && pmg_prom_write(stdout, c ? NULL : &st))
		die("%s", "cannot write");
	json_object_put(in);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("%s", "usage: pmg_outputs post|syslog|prom ...");
	if (!strcmp(argv[1], "post"))
		return post(argc - 1, argv + 1);
	if (!strcmp(argv[1], "syslog"))
		return syslog_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "prom"))
		return prom(argc - 1, argv + 1);
	die("unknown command '%s'", argv[1]);
	return 2;
}
