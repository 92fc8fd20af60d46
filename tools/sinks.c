// SPDX-License-Identifier: GPL-2.0
/*
 * sinks.c - the senders as sinks of `listen` (outsink.h): --syslog SOCKET
 * and --post URL, the options that set how they send, and their drop
 * reports.
 *
 * A sink's write queues the line (never blocks). `listen` asks on its
 * tick what each sink dropped (pmg_senders_reports()) and writes it as a
 * listener event, "output-dropped"; its close gives the queue
 * PMG_SEND_DRAIN_MS to empty, says on stderr what was dropped and not
 * yet reported, and frees the sender. Lines a sender drops never make
 * `listen` fail: they are counted (senders.h) and reported. A sink's
 * name is its argument without the user name and password of a URL.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "senders.h"

/* What the settings options set, for every sink of the kind. */
static struct {
	struct pmg_syslog_opts syslog;
	struct pmg_post_opts post;
	struct pmg_send_opts send;
	unsigned int max_size;		/* into syslog.max_size */
	char **headers;
} cfg = {
	.syslog = { .facility = PMG_SYSLOG_FACILITY,
		    .sd_id = PMG_SYSLOG_SD_ID,
		    .max_size = PMG_SYSLOG_MAX_SIZE },
	.post = { .timeout_ms = PMG_POST_TIMEOUT_MS },
	.send = { PMG_SEND_QUEUE_LINES, PMG_SEND_QUEUE_BYTES,
		  PMG_SEND_RETRIES, PMG_SEND_BACKOFF_MS, false },
	.max_size = PMG_SYSLOG_MAX_SIZE,
};

struct sink_state {
	struct pmg_sender *s;
	char *name;
	uint64_t said;		/* drops reported (listen's lines, or
				 * stderr at the end)
				 */
};

/* The open sinks, for pmg_senders_reports(). */
static struct sink_state *open_sinks[PMG_OUT_MAX_SINKS];

/* --- the sinks -------------------------------------------------------------- */

/*
 * "N lines dropped (...)" on stderr for drops no listener event told:
 * those of the sink's own closing (the lines listen writes after
 * stopping its senders are not given to them: see sink_write()).
 */
static void say_dropped(struct pmg_sender *s, const char *name,
			uint64_t *said)
{
	struct pmg_send_stats st;
	uint64_t d;

	pmg_sender_stats(s, &st);
	d = pmg_send_dropped(&st);
	if (d == *said)
		return;
	pmg_err("%s: %s: %" PRIu64 " line%s dropped (%" PRIu64 " so far: "
		"%" PRIu64 " queue full, %" PRIu64 " failed, %" PRIu64
		" rejected, %" PRIu64 " unsent; %" PRIu64 " delivered)",
		pmg_sender_kind(s), name, d - *said, d - *said == 1 ? "" : "s",
		d, st.queue_full, st.failed, st.rejected, st.unsent,
		st.delivered);
	*said = d;
}

static int sink_write(void *ctx, const char *line, size_t len,
		      const struct pmg_line_meta *meta)
{
	struct pmg_sender *s = ((struct sink_state *)ctx)->s;

	/*
	 * The last reports of drops come after the senders were stopped
	 * (pmg_senders_drain()): they are for the other sinks, not drops.
	 */
	if (meta->type == PMG_LINE_LISTENER &&
	    meta->lev == PMG_LEV_OUTPUT_DROPPED && pmg_sender_stopped(s))
		return 0;
	/* A full queue is counted and reported, never fatal. */
	pmg_sender_line(s, line, len, meta);
	return 0;
}

static void sink_close(void *ctx)
{
	struct sink_state *st = ctx;
	size_t i;

	pmg_sender_stop(st->s, PMG_SEND_DRAIN_MS);
	say_dropped(st->s, st->name, &st->said);
	for (i = 0; i < PMG_OUT_MAX_SINKS; i++)
		if (open_sinks[i] == st)
			open_sinks[i] = NULL;
	pmg_sender_free(st->s);
	free(st->name);
	free(st);
}

/* Make *sink of the sender *s (taken over), named arg. */
static int make_sink(struct pmg_sender *s, const char *arg,
		     struct pmg_out_sink *sink)
{
	struct sink_state *st = calloc(1, sizeof(*st));
	size_t i;

	if (st)
		st->name = pmg_url_shown(arg);
	if (!st || !st->name) {
		free(st);
		pmg_sender_free(s);
		pmg_err("out of memory");
		return -ENOMEM;
	}
	st->s = s;
	for (i = 0; i < PMG_OUT_MAX_SINKS; i++)
		if (!open_sinks[i]) {
			open_sinks[i] = st;
			break;
		}
	memset(sink, 0, sizeof(*sink));
	sink->name = st->name;
	sink->write = sink_write;
	sink->close = sink_close;
	sink->ctx = st;
	return 0;
}

/* The end of an open: the sink of s, or what went wrong (r from *_open()). */
static int opened(int r, const char *option, const char *err,
		  struct pmg_sender *s, const char *arg,
		  struct pmg_out_sink *sink)
{
	if (r) {
		pmg_err("--%s: %s", option, err);
		return r;
	}
	return make_sink(s, arg, sink);
}

static int open_syslog(const char *arg, const struct pmg_out_env *env,
		       struct pmg_out_sink *sink)
{
	struct pmg_syslog_opts o = cfg.syslog;
	struct pmg_sender *s = NULL;
	char err[512] = "";
	int r;

	(void)env;
	o.target = arg;
	o.max_size = cfg.max_size;
	o.send = cfg.send;
	r = pmg_syslog_open(&s, &o, err, sizeof(err));
	return opened(r, "syslog", err, s, arg, sink);
}

static int open_post(const char *arg, const struct pmg_out_env *env,
		     struct pmg_out_sink *sink)
{
	struct pmg_post_opts o = cfg.post;
	struct pmg_sender *s = NULL;
	char err[512] = "";
	int r;

	(void)env;
	o.url = arg;
	o.headers = (const char *const *)cfg.headers;
	o.send = cfg.send;
	r = pmg_post_open(&s, &o, err, sizeof(err));
	return opened(r, "post", err, s, arg, sink);
}

const struct pmg_sink_kind pmg_sink_syslog = {
	.option = "syslog",
	.arg = "SOCKET",
	.open = open_syslog,
	.help =
	"  --syslog SOCKET       also send each line as an RFC 5424 message, one\n"
	"                        datagram, to the Unix datagram socket SOCKET\n"
	"                        (/dev/log, or rsyslog's: see the man page) or to\n"
	"                        udp:HOST:PORT; the event's fields as structured\n"
	"                        data [procmem-guard@32473 ...]\n",
};

const struct pmg_sink_kind pmg_sink_post = {
	.option = "post",
	.arg = "URL",
	.open = open_post,
	.help =
	"  --post URL            also POST each line (Content-Type\n"
	"                        application/json) to URL, http:// or https://,\n"
	"                        from a queue, with retries; lines dropped are\n"
	"                        counted and said on standard error\n",
};

/* --- the settings ------------------------------------------------------------ */

/* A number from st->min to st->max into *st->dst. */
static int set_number(const struct pmg_sender_setting *st, const char *arg)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < st->min ||
	    v > st->max) {
		pmg_err("--%s: '%s' is not a number from %u to %u",
			st->option, arg, st->min, st->max);
		return PMG_EXIT_USAGE;
	}
	*st->dst = (unsigned int)v;
	return 0;
}

static int set_facility(const struct pmg_sender_setting *st, const char *arg)
{
	int f = pmg_syslog_facility(arg);

	(void)st;
	if (f < 0) {
		pmg_err("--syslog-facility: '%s' is not one of user, daemon, "
			"auth, authpriv, local0 to local7", arg);
		return PMG_EXIT_USAGE;
	}
	cfg.syslog.facility = f;
	return 0;
}

static int set_sd_id(const struct pmg_sender_setting *st, const char *arg)
{
	const char *what = pmg_syslog_check_sd_id(arg);

	(void)st;
	if (what) {
		pmg_err("--syslog-sd-id: '%s': %s", arg, what);
		return PMG_EXIT_USAGE;
	}
	cfg.syslog.sd_id = arg;
	return 0;
}

static int set_header(const struct pmg_sender_setting *st, const char *arg)
{
	char err[512], **grown, *h;
	size_t n = cfg.post.nheaders;

	(void)st;
	if (arg[0] == '@') {
		if (pmg_post_read_headers(arg + 1, &cfg.headers,
					  &cfg.post.nheaders, err,
					  sizeof(err))) {
			pmg_err("--post-header: %s", err);
			return PMG_EXIT_USAGE;
		}
		return 0;
	}
	h = strdup(arg);
	grown = h ? realloc(cfg.headers, (n + 1) * sizeof(*grown)) : NULL;
	if (!grown) {
		free(h);
		pmg_err("out of memory");
		return PMG_EXIT_USAGE;
	}
	grown[n] = h;
	cfg.headers = grown;
	cfg.post.nheaders = n + 1;
	/* The header's syntax is checked with the URL, when the sink opens. */
	return 0;
}

#define NUMBER(var, lo, hi)	set_number, &(var), (lo), (hi)

const struct pmg_sender_setting pmg_sender_settings[] = {
	{ "syslog-facility", "NAME",
	  "  --syslog-facility NAME  authpriv (default), auth, daemon, user,\n"
	  "                        local0 to local7\n", set_facility, NULL, 0, 0 },
	{ "syslog-max-size", "BYTES",
	  "  --syslog-max-size BYTES  the longest message (8096, 480 to 65507)\n",
	  NUMBER(cfg.max_size, PMG_SYSLOG_MIN_SIZE, PMG_SYSLOG_MAX_MAX_SIZE) },
	{ "syslog-sd-id", "NAME@PEN",
	  "  --syslog-sd-id NAME@PEN  the structured data's id, with your own\n"
	  "                        enterprise number (procmem-guard@32473)\n",
	  set_sd_id, NULL, 0, 0 },
	{ "post-header", "HEADER",
	  "  --post-header 'NAME: VALUE' | @FILE  one more header of each\n"
	  "                        request, or every line of FILE (repeatable)\n",
	  set_header, NULL, 0, 0 },
	{ "post-timeout", "MS",
	  "  --post-timeout MS     per request, connecting included (5000)\n",
	  NUMBER(cfg.post.timeout_ms, 1, 600000) },
	{ "send-queue", "LINES",
	  "  --send-queue LINES    lines each --post or --syslog sink holds (1024)\n",
	  NUMBER(cfg.send.queue_lines, 1, 1000000) },
	{ "send-retries", "N",
	  "  --send-retries N      retries of a failed send (3)\n",
	  NUMBER(cfg.send.retries, 0, 100) },
	{ "send-backoff", "MS",
	  "  --send-backoff MS     the wait before the first retry (500); it\n"
	  "                        doubles each time, at most 30000\n",
	  NUMBER(cfg.send.backoff_ms, 1, PMG_SEND_BACKOFF_MAX_MS) },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0 },
};

void pmg_senders_reports(bool force,
			 void (*emit)(const struct pmg_send_report *r,
				      void *arg), void *arg)
{
	struct pmg_send_report r;
	uint64_t d;
	size_t i;

	for (i = 0; i < PMG_OUT_MAX_SINKS; i++) {
		if (!open_sinks[i])
			continue;
		pmg_sender_stats(open_sinks[i]->s, &r.stats);
		d = pmg_send_dropped(&r.stats);
		if (d == open_sinks[i]->said && !force)
			continue;
		r.dropped = d - open_sinks[i]->said;
		open_sinks[i]->said = d;
		r.kind = pmg_sender_kind(open_sinks[i]->s);
		r.name = open_sinks[i]->name;
		emit(&r, arg);
	}
}

void pmg_senders_drain(int drain_ms)
{
	size_t i;

	for (i = 0; i < PMG_OUT_MAX_SINKS; i++)
		if (open_sinks[i])
			pmg_sender_stop(open_sinks[i]->s, drain_ms);
}
