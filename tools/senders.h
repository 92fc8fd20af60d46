/* SPDX-License-Identifier: GPL-2.0 */
/*
 * senders.h - findings to other programs: an HTTP endpoint (post.c), a
 * syslog daemon (syslog.c), each through a bounded queue that a thread of
 * its own drains (sendq.c), so that the loop reading the kernel's messages
 * never waits for a network or another daemon.
 *
 * A sender takes each line as `listen` formatted it, with what it knows
 * about the line besides its bytes (struct pmg_line_meta, outsink.h).
 * sinks.c makes sinks of `listen` of them (--syslog, --post); directly:
 *
 *	struct pmg_sender *s;
 *
 *	pmg_post_open(&s, &post_opts);		or pmg_syslog_open()
 *	...
 *	pmg_sender_line(s, line, len, &meta);	never blocks
 *	...
 *	if ((line = pmg_sender_drop_report(s, false)))	now and then
 *		write the "listener" event line where findings go
 *	pmg_sender_stop(s, drain_ms);		at the end
 *	line = pmg_sender_drop_report(s, false), as above
 *	pmg_sender_free(s);
 *
 * Delivery: a line is queued (a copy), then sent by the sender's thread;
 * a failure that may pass (no connection, a timeout, HTTP 5xx, 408 or
 * 429, a syslog socket that went away) is retried after a wait that
 * doubles each time (backoff_ms, 2 * backoff_ms, ... at most
 * PMG_SEND_BACKOFF_MAX_MS), at most `retries` times; a refusal that will
 * not pass (another HTTP status, a message too large for the socket) is
 * not retried. A line is dropped when the queue is full (queue_full),
 * when its retries are exhausted (failed), when it is refused (rejected),
 * or when it is still queued when the sender is stopped and the drain
 * time is over (unsent). Every line ends in exactly one of delivered
 * and the four drops:
 *   queued = delivered + failed + rejected + unsent
 *   lines given = queued + queue_full
 */
#ifndef PMG_SENDERS_H
#define PMG_SENDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outsink.h"

/* How a sender queues and retries. */
struct pmg_send_opts {
	unsigned int queue_lines;	/* lines the queue holds (>= 1) */
	size_t queue_bytes;		/* bytes it holds (>= the longest) */
	unsigned int retries;		/* attempts after the first */
	unsigned int backoff_ms;	/* first wait before a retry (>= 1) */
	bool quiet;			/* no retry messages on stderr */
};

#define PMG_SEND_QUEUE_LINES	1024
#define PMG_SEND_QUEUE_BYTES	(8u << 20)
#define PMG_SEND_RETRIES	3
#define PMG_SEND_BACKOFF_MS	500
#define PMG_SEND_BACKOFF_MAX_MS	30000
#define PMG_SEND_DRAIN_MS	5000	/* what a sink of listen gets at the end */

/* A sender's counts, since it was opened. */
struct pmg_send_stats {
	uint64_t queued;	/* lines taken into the queue */
	uint64_t delivered;	/* accepted by the receiver */
	uint64_t retries;	/* attempts after a first one */
	uint64_t queue_full;	/* dropped: the queue was full */
	uint64_t failed;	/* dropped: retries exhausted */
	uint64_t rejected;	/* dropped: refused for good */
	uint64_t unsent;	/* dropped: still queued when stopped */
	unsigned int pending;	/* in the queue now, or being sent */
};

/* All dropped lines of s. */
uint64_t pmg_send_dropped(const struct pmg_send_stats *s);

struct pmg_sender;

/* --post URL */
struct pmg_post_opts {
	const char *url;		/* http:// or https:// */
	const char *const *headers;	/* more "Name: value" headers, or NULL */
	size_t nheaders;
	unsigned int timeout_ms;	/* per request, connection included */
	struct pmg_send_opts send;
};

#define PMG_POST_TIMEOUT_MS	5000

/*
 * Check the options (URL scheme and syntax, headers), start libcurl and
 * the sender's thread. Returns 0 with *out set, or -EINVAL with the
 * problem in err (errlen bytes), or -ENOMEM.
 */
int pmg_post_open(struct pmg_sender **out, const struct pmg_post_opts *o,
		  char *err, size_t errlen);

/*
 * Read "Name: value" header lines from path (empty lines and lines
 * starting with '#' are skipped) and append them to *headers (*n of them,
 * malloc()ed, each one too). 0, or -errno with the problem in err.
 */
/*
 * url as it may be shown (messages, listener events): "user:password@"
 * becomes "***@"; the credentials go to libcurl only. Any other string
 * comes back as it is. free() it; NULL: out of memory.
 */
char *pmg_url_shown(const char *url);

int pmg_post_read_headers(const char *path, char ***headers, size_t *n,
			  char *err, size_t errlen);

/* --syslog [SOCKET] */
struct pmg_syslog_opts {
	const char *target;	/* a Unix datagram socket's path, or
				 * "udp:HOST:PORT" ("udp:[v6]:PORT")
				 */
	int facility;		/* 0..23 */
	const char *sd_id;	/* structured data id, NAME@PEN */
	size_t max_size;	/* the longest message, in bytes */
	struct pmg_send_opts send;
};

#define PMG_SYSLOG_SOCKET	"/dev/log"
#define PMG_SYSLOG_FACILITY	10		/* authpriv */
#define PMG_SYSLOG_SD_ID	"procmem-guard@32473"
#define PMG_SYSLOG_MAX_SIZE	8096	/* rsyslog's default maxMessageSize */
#define PMG_SYSLOG_MIN_SIZE	480	/* RFC 5424, 6.1 */
#define PMG_SYSLOG_MAX_MAX_SIZE	65507	/* a UDP datagram over IPv4 */
#define PMG_SYSLOG_APP_NAME	"procmem-guard"

/* Facility by name (user, daemon, auth, authpriv, local0..local7): its
 * number, or -EINVAL.
 */
int pmg_syslog_facility(const char *name);
/* NULL if id is a valid SD-ID of the form NAME@PEN, else what is wrong. */
const char *pmg_syslog_check_sd_id(const char *id);

/*
 * Check the options, resolve a UDP target, start the sender's thread
 * (the socket is connected on the first send, and again after it went
 * away). 0 with *out set, -EINVAL with the problem in err, or -ENOMEM.
 */
int pmg_syslog_open(struct pmg_sender **out, const struct pmg_syslog_opts *o,
		    char *err, size_t errlen);

/*
 * One RFC 5424 message for line and m, as syslog.c sends it (see there):
 * malloc()ed, not NUL terminated, its length in *len. pid is the PROCID.
 * NULL when out of memory.
 */
char *pmg_syslog_message(const struct pmg_syslog_opts *o, unsigned int pid,
			 const char *line, size_t len,
			 const struct pmg_line_meta *m, size_t *outlen);

/*
 * Queue line for sending. Never blocks; 0, or -ENOBUFS when the line was
 * dropped (queue full: counted), or -ENOMEM (counted as queue_full too).
 */
int pmg_sender_line(struct pmg_sender *s, const char *line, size_t len,
		    const struct pmg_line_meta *m);

/* The sender's counts now. */
void pmg_sender_stats(struct pmg_sender *s, struct pmg_send_stats *st);
/* "post" or "syslog". */
const char *pmg_sender_kind(const struct pmg_sender *s);

/*
 * When lines were dropped since the last report (or always, with force):
 * one JSON line (malloc()ed, no newline) for the listener's output:
 * {"time":"<RFC 3339>","event":"listener","output":"post","dropped":N,
 *  "dropped_total":N,"queue_full":N,"failed":N,"rejected":N,"unsent":N,
 *  "delivered":N,"retries":N}
 * "dropped" counts the drops since the previous report, the others are
 * totals since the sender was opened. NULL when there is nothing to say
 * (or no memory).
 */
char *pmg_sender_drop_report(struct pmg_sender *s, bool force);

/*
 * Stop taking lines (they count as queue_full from now on), give the
 * thread drain_ms to send what is queued (retries included), then end it;
 * what is left counts as unsent. The counts and the drop report are still
 * there afterwards. Stopping twice does nothing.
 */
void pmg_sender_stop(struct pmg_sender *s, int drain_ms);

/* Stop (without draining, if not stopped yet) and free s. NULL is fine. */
void pmg_sender_free(struct pmg_sender *s);

/* --- the sinks of listen (sinks.c) ---------------------------------------- */

/* --syslog SOCKET and --post URL. */
extern const struct pmg_sink_kind pmg_sink_syslog;
extern const struct pmg_sink_kind pmg_sink_post;

/*
 * The options of `listen` that set how those sinks send, for every sink
 * of their kind, wherever they are on the command line:
 * --syslog-facility, --syslog-max-size, --syslog-sd-id, --post-header,
 * --post-timeout, --send-queue, --send-retries, --send-backoff.
 */
struct pmg_sender_setting {
	const char *option;	/* long option, without "--" */
	const char *arg;	/* what it takes, for the help */
	const char *help;	/* lines for `listen --help` */
	/*
	 * Take arg: 0, or PMG_EXIT_USAGE after saying why (pmg_err()).
	 * Call it as s->set(s, arg).
	 */
	int (*set)(const struct pmg_sender_setting *s, const char *arg);
	/* A number's setting: where it goes, and its range. */
	unsigned int *dst;
	unsigned int min, max;
};

/* NULL-terminated (option NULL). */
extern const struct pmg_sender_setting pmg_sender_settings[];

/* What pmg_senders_reports() tells about one sink. */
struct pmg_send_report {
	const char *kind;		/* "syslog", "post" */
	const char *name;		/* its SOCKET or URL */
	struct pmg_send_stats stats;	/* totals so far */
	uint64_t dropped;		/* lines dropped since the previous
					 * report
					 */
};

/*
 * For every open --syslog and --post sink that dropped lines since the
 * last call (every one, with force): emit(its report, arg), valid during
 * the call. `listen` turns each into a listener event line
 * ("output-dropped") on its tick, and once more after
 * pmg_senders_drain(). What a sink dropped and no report told (lines of
 * its own closing) is said on stderr when it closes.
 */
void pmg_senders_reports(bool force,
			 void (*emit)(const struct pmg_send_report *r,
				      void *arg), void *arg);

/* Whether s was stopped: lines it is given now are dropped. */
bool pmg_sender_stopped(struct pmg_sender *s);

/*
 * Stop every open --syslog and --post sink, giving their queues drain_ms
 * (all at once, not one after the other) to empty: for `listen` before
 * its last pmg_senders_reports(true, ...), while the other sinks are
 * still open. Closing them afterwards is then immediate.
 */
void pmg_senders_drain(int drain_ms);

#endif /* PMG_SENDERS_H */
