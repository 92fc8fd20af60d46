// SPDX-License-Identifier: GPL-2.0
/*
 * syslog.c - --syslog [SOCKET]: each line as one RFC 5424 message, one
 * datagram each, to a Unix datagram socket (/dev/log by default) or to
 * udp:HOST:PORT (RFC 5426), from the sender's thread (sendq.c).
 *
 *   <PRI>1 TIMESTAMP HOSTNAME procmem-guard PROCID MSGID [SD] BOM LINE
 *
 * PRI        facility * 8 + the line's severity (struct pmg_line_meta:
 *            listen's mapping, see the man page)
 * TIMESTAMP  the event's time, UTC, microseconds (RFC 5424 allows 6
 *            digits; the nanoseconds are cut, not rounded), "-" if unknown
 * HOSTNAME   the listener's host name, at most 255 bytes, "-" if unknown
 * APP-NAME   procmem-guard
 * PROCID     the listener's process id
 * MSGID      the event name (proc_mem_access, policy-changed, lost, ...),
 *            at most 32 bytes, "-" if none. In these header fields, a byte
 *            outside printable
 *            US-ASCII (33..126) becomes '_' (the RFC allows no other).
 * SD         one element [<sd_id> name="value" ...] (sd_id by default
 *            procmem-guard@32473: 32473 is the enterprise number RFC 5612
 *            reserves for documentation; use your own with --syslog-sd-id),
 *            "-" when there is no parameter. The parameters: signature,
 *            seq and boot_id, then a finding's or summary's fields, a
 *            notice's, or a listener event's (lost, error); see
 *            finding_params and notice_params below. Names: lower case (rsyslog's
 *            mmpstrucdata lowers them anyway). Values: the bytes escaped
 *            as the text format escapes them (escape.h: \" \\ \n \r \t,
 *            \xNN for other control characters and invalid UTF-8, \uXXXX
 *            for invisible marks), then '"', '\' and ']' escaped as \" \\
 *            and \] (RFC 5424, 6.3.3): a receiver that unescapes the
 *            structured data gets the text format's escaped string, whose
 *            escapes give the exact bytes back.
 * MSG        the line as formatted, after a UTF-8 BOM when it is valid
 *            UTF-8 (else as it is, without the BOM: MSG-ANY).
 *
 * Size: a message is at most max_size bytes (8096 by default, the most
 * rsyslog takes unless its maxMessageSize is raised; 480 to
 * 65507). When it would be longer, the line (MSG) is cut first, at a
 * character boundary, and dropped whole if nothing of it fits; then, if
 * the structured data alone is still too long, the longest values are cut
 * to one common length (each at a character boundary) and a parameter
 * truncated="name,name" says which.
 */
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/printbuf.h>

#include "codec.h"
#include "escape.h"
#include "names.h"
#include "sendq.h"

#define NILVALUE	"-"
#define HOSTNAME_MAX	255
#define APP_NAME_MAX	48
#define MSGID_MAX	32
#define SD_NAME_MAX	32
#define SEND_TIMEOUT_S	5	/* a socket that takes nothing for that long */
#define MAX_PARAMS	64

static const char bom[] = "\xef\xbb\xbf";

static const struct {
	const char *name;
	int code;
} facilities[] = {
	{ "user", 1 }, { "daemon", 3 }, { "auth", 4 }, { "authpriv", 10 },
	{ "local0", 16 }, { "local1", 17 }, { "local2", 18 },
	{ "local3", 19 }, { "local4", 20 }, { "local5", 21 },
	{ "local6", 22 }, { "local7", 23 },
};

int pmg_syslog_facility(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (!strcmp(name, facilities[i].name))
			return facilities[i].code;
	return -EINVAL;
}

/* An SD-NAME: 1..32 printable US-ASCII but '=', ' ', ']', '"'. */
static bool sd_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > SD_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 33 || s[i] > 126 || strchr("= ]\"", s[i]))
			return false;
	return true;
}

const char *pmg_syslog_check_sd_id(const char *id)
{
	const char *at = strchr(id, '@');
	const char *p;

	if (!sd_name_ok(id, strlen(id)))
		return "an SD-ID is 1 to 32 printable ASCII characters but "
		       "'=', ']', '\"' and space";
	if (!at || at == id || strchr(at + 1, '@') || !at[1])
		return "an SD-ID of your own is NAME@PEN (RFC 5424, 6.3.2)";
	for (p = at + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return "the part after '@' is an enterprise number "
			       "(digits)";
	return NULL;
}

/* --- the message ----------------------------------------------------------- */

/* Append a string: 0, or -1 when out of memory. */
static int put_str(struct printbuf *pb, const char *s)
{
	return printbuf_memappend(pb, s, (int)strlen(s)) < 0 ? -1 : 0;
}

/* A header field: printable US-ASCII, at most max bytes, or "-". */
static int put_header(struct printbuf *pb, const char *s, size_t max)
{
	size_t i;
	char c;

	if (!s || !s[0])
		return put_str(pb, NILVALUE " ");
	for (i = 0; i < max && s[i]; i++) {
		c = s[i];
		if (c < 33 || c > 126)
			c = '_';
		if (printbuf_memappend(pb, &c, 1) < 0)
			return -1;
	}
	return put_str(pb, " ");
}

static int put_timestamp(struct printbuf *pb, uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000u);
	char buf[40];
	struct tm tm;
	size_t n;

	if (!ns || !gmtime_r(&sec, &tm))
		return put_str(pb, NILVALUE " ");
	n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return put_str(pb, NILVALUE " ");
	snprintf(buf + n, sizeof(buf) - n, ".%06uZ ",
		 (unsigned int)(ns % 1000000000u / 1000u));
	return put_str(pb, buf);
}

/* One structured data parameter, its value as raw bytes. */
struct param {
	const char *name;
	const char *raw;	/* in the message's value buffer */
	size_t off, len;	/* where there, and how long */
	size_t esc;		/* length once escaped */
	bool cut;		/* it was cut */
};

/* A field of a nest as a parameter: name, attribute, enum names. */
struct param_field {
	const char *name;
	int attr;
	const char *(*enum_name)(unsigned int v);
};

/* What a finding or a summary says (after signature, seq, boot_id). */
static const struct param_field finding_params[] = {
	{ "action", PMG_F_ACTION, pmg_action_name },
	{ "outcome", PMG_F_OUTCOME, pmg_outcome_name },
	{ "channel", PMG_F_CHANNEL, pmg_channel_name },
	{ "access", PMG_F_ACCESS, pmg_access_name },
	{ "summary", PMG_F_SUMMARY, NULL },
	{ "reason", PMG_F_REASON, pmg_reason_name },
	{ "first_ns", PMG_F_FIRST_NS, NULL },
	{ "suppressed", PMG_F_SUPPRESSED, NULL },
	{ "pid", PMG_F_PID, NULL },
	{ "tid", PMG_F_TID, NULL },
	{ "ppid", PMG_F_PPID, NULL },
	{ "uid", PMG_F_UID, NULL },
	{ "euid", PMG_F_EUID, NULL },
	{ "gid", PMG_F_GID, NULL },
	{ "comm", PMG_F_COMM, NULL },
	{ "exe", PMG_F_EXE, NULL },
	{ "cgroup_id", PMG_F_CGROUP_ID, NULL },
	{ "target_pid", PMG_F_TARGET_PID, NULL },
	{ "target_tid", PMG_F_TARGET_TID, NULL },
	{ "target_comm", PMG_F_TARGET_COMM, NULL },
	{ "path", PMG_F_PATH, NULL },
	{ "procfs_path", PMG_F_PROCFS_PATH, NULL },
	{ "flags", PMG_F_FLAGS, NULL },
	{ "syscall", PMG_F_SYSCALL, NULL },
	{ "compat", PMG_F_COMPAT, NULL },
	{ "request", PMG_F_REQUEST, NULL },
	{ "partial", PMG_F_PARTIAL, NULL },
};

/* What a notice says. */
static const struct param_field notice_params[] = {
	{ "type", PMG_N_TYPE, pmg_notice_name },
	{ "pid", PMG_N_PID, NULL },
	{ "uid", PMG_N_UID, NULL },
	{ "comm", PMG_N_COMM, NULL },
	{ "exe", PMG_N_EXE, NULL },
	{ "cmd", PMG_N_CMD, NULL },
	{ "detail", PMG_N_DETAIL, NULL },
};

/* The parameters of a message, their values in one buffer. */
struct params {
	struct param p[MAX_PARAMS];
	size_t n;
	struct printbuf *values;
};

static int add_param(struct params *ps, const char *name, const char *raw,
		     size_t len)
{
	struct param *p = &ps->p[ps->n];

	if (ps->n == MAX_PARAMS)
		return 0;
	p->name = name;
	p->off = (size_t)ps->values->bpos;
	p->len = len;
	if (printbuf_memappend(ps->values, raw, (int)len) < 0)
		return -ENOMEM;
	ps->n++;
	return 0;
}

static int add_num(struct params *ps, const char *name, uint64_t n)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, n);
	return add_param(ps, name, num, strlen(num));
}

static int add_str(struct params *ps, const char *name, const char *s)
{
	return s ? add_param(ps, name, s, strlen(s)) : 0;
}

/* The fields t[0..n) of obj (NULL: none) that are there. */
static int fields_to_params(enum pmg_nest nest, const void *obj,
			    const struct param_field *t, size_t n,
			    struct params *ps)
{
	struct pmg_value v;
	const char *s;
	size_t i;
	int r = 0;

	for (i = 0; obj && !r && i < n; i++) {
		if (pmg_field_value(nest, obj, t[i].attr, &v))
			continue;
		if (v.kind == PMG_VAL_STR)
			r = add_param(ps, t[i].name, v.s, v.len);
		else if (t[i].enum_name && (s = t[i].enum_name((unsigned int)v.n)))
			r = add_str(ps, t[i].name, s);
		else
			r = add_num(ps, t[i].name, v.n);
	}
	return r;
}

#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))

/* The parameters of a line: what its meta says. */
static int meta_to_params(const struct pmg_line_meta *m, struct params *ps)
{
	int r = add_str(ps, "signature", m->signature);

	if (!r && m->seq)
		r = add_num(ps, "seq", m->seq);
	if (!r)
		r = add_str(ps, "boot_id", m->boot_id);
	if (r)
		return r;
	switch (m->type) {
	case PMG_LINE_FINDING:
	case PMG_LINE_SUMMARY:
		return fields_to_params(PMG_NEST_FINDING, m->finding,
					finding_params, COUNT(finding_params),
					ps);
	case PMG_LINE_NOTICE:
		return fields_to_params(PMG_NEST_NOTICE, m->notice,
					notice_params, COUNT(notice_params),
					ps);
	case PMG_LINE_LISTENER:
		if (m->lev == PMG_LEV_LOST && m->lost)
			r = add_num(ps, "lost", m->lost);
		if (!r && m->err)
			r = add_str(ps, "error", strerror(-m->err));
		return r;
	}
	return 0;
}

static size_t sd_specials(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == '"' || s[i] == '\\' || s[i] == ']';
	return k;
}

/*
 * Append raw[0..n) as a PARAM-VALUE, at most cap bytes of it (whole
 * characters): 1 if it was cut, 0 if not, -1 when out of memory. With
 * out NULL, only measures: *len gets the escaped length.
 */
static int sd_value(struct printbuf *out, struct printbuf *tmp,
		    const char *raw, size_t n, size_t cap, size_t *len)
{
	size_t i = 0, u, e, j, done = 0;

	while (i < n) {
		u = pmg_utf8_seq((const unsigned char *)raw + i, n - i);
		if (!u)
			u = 1;
		printbuf_reset(tmp);
		if (pmg_text_escape(tmp, raw + i, u))
			return -1;
		e = (size_t)tmp->bpos + sd_specials(tmp->buf, (size_t)tmp->bpos);
		if (done + e > cap) {
			*len = done;
			return 1;
		}
		for (j = 0; out && j < (size_t)tmp->bpos; j++) {
			if (sd_specials(tmp->buf + j, 1) &&
			    printbuf_memappend(out, "\\", 1) < 0)
				return -1;
			if (printbuf_memappend(out, tmp->buf + j, 1) < 0)
				return -1;
		}
		done += e;
		i += u;
	}
	*len = done;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The common length the values are cut to so that they fit budget bytes
 * together (the longest ones are cut; SIZE_MAX when all fit).
 */
static size_t common_cap(const struct param *p, size_t n, size_t budget)
{
	size_t len[MAX_PARAMS], i, total = 0, left = budget;

	for (i = 0; i < n; i++) {
		len[i] = p[i].esc;
		total += len[i];
	}
	if (total <= budget)
		return SIZE_MAX;
	qsort(len, n, sizeof(len[0]), cmp_size);
	for (i = 0; i < n; i++) {
		if (len[i] * (n - i) > left)
			return left / (n - i);
		left -= len[i];
	}
	return SIZE_MAX;
}

/* " name=\"\"" around a value. */
static size_t param_overhead(const char *name)
{
	return strlen(name) + 4;
}

/*
 * The structured data element of p[0..n) into pb, at most room bytes,
 * cutting values when needed (see the top of the file); "-" when there is
 * nothing to put or no room for the element. 0, 1 if values were cut (or
 * the element left out), -1 when out of memory.
 */
static int put_sd(struct printbuf *pb, const char *sd_id, struct param *p,
		  size_t n, size_t room)
{
	struct printbuf *tmp = printbuf_new();
	size_t i, fixed, names = 0, cap, got;
	bool cut = false;
	int r = 0;

	if (!tmp)
		return -1;
	fixed = strlen(sd_id) + 2;
	for (i = 0; i < n; i++) {
		if (sd_value(NULL, tmp, p[i].raw, p[i].len, SIZE_MAX,
			     &p[i].esc) < 0)
			goto oom;
		fixed += param_overhead(p[i].name);
		names += strlen(p[i].name) + 1;
	}
	cap = common_cap(p, n, room > fixed ? room - fixed : 0);
	if (cap != SIZE_MAX) {
		/* Room for truncated="a,b,..." too: every name at worst. */
		fixed += param_overhead("truncated") + names;
		cap = common_cap(p, n, room > fixed ? room - fixed : 0);
	}
	if (!n || fixed > room)
		goto nil;
	if (printbuf_strappend(pb, "[") < 0 ||
	    printbuf_memappend(pb, sd_id, (int)strlen(sd_id)) < 0)
		goto oom;
	for (i = 0; i < n; i++) {
		if (printbuf_strappend(pb, " ") < 0 ||
		    printbuf_memappend(pb, p[i].name, (int)strlen(p[i].name)) < 0 ||
		    printbuf_strappend(pb, "=\"") < 0)
			goto oom;
		r = sd_value(pb, tmp, p[i].raw, p[i].len, cap, &got);
		if (r < 0 || printbuf_strappend(pb, "\"") < 0)
			goto oom;
		p[i].cut = r != 0;
		cut |= p[i].cut;
	}
	if (cut) {
		if (printbuf_strappend(pb, " truncated=\"") < 0)
			goto oom;
		names = 0;
		for (i = 0; i < n; i++) {
			if (!p[i].cut)
				continue;
			if ((names++ && printbuf_strappend(pb, ",") < 0) ||
			    printbuf_memappend(pb, p[i].name,
					       (int)strlen(p[i].name)) < 0)
				goto oom;
		}
		if (printbuf_strappend(pb, "\"") < 0)
			goto oom;
	}
	printbuf_free(tmp);
	if (printbuf_strappend(pb, "]") < 0)
		return -1;
	return cut ? 1 : 0;
nil:
	printbuf_free(tmp);
	if (printbuf_strappend(pb, NILVALUE) < 0)
		return -1;
	return n ? 1 : 0;
oom:
	printbuf_free(tmp);
	return -1;
}

static bool valid_utf8(const char *s, size_t n)
{
	size_t i = 0, u;

	while (i < n) {
		u = pmg_utf8_seq((const unsigned char *)s + i, n - i);
		if (!u)
			return false;
		i += u;
	}
	return true;
}

/* The longest prefix of s[0..n), at most max bytes, that ends a character. */
static size_t utf8_prefix(const char *s, size_t n, size_t max)
{
	size_t i = 0, u;

	while (i < n) {
		u = pmg_utf8_seq((const unsigned char *)s + i, n - i);
		if (!u)
			u = 1;
		if (i + u > max)
			break;
		i += u;
	}
	return i;
}

static int severity_of(const struct pmg_line_meta *m)
{
	return m->severity >= 0 && m->severity <= 7 ? m->severity :
	       PMG_SEV_NOTICE;
}

char *pmg_syslog_message(const struct pmg_syslog_opts *o, unsigned int pid,
			 const char *line, size_t len,
			 const struct pmg_line_meta *m, size_t *outlen)
{
	struct params ps = { .n = 0 };
	struct printbuf *pb = printbuf_new();
	size_t i, msg_room, keep;
	bool utf8 = valid_utf8(line, len);
	char head[16], procid[16], *out = NULL;
	int r = 0;

	ps.values = printbuf_new();
	if (!pb || !ps.values)
		goto out;
	snprintf(head, sizeof(head), "<%d>1 ",
		 o->facility * 8 + severity_of(m));
	snprintf(procid, sizeof(procid), "%u", pid);
	if (put_str(pb, head) || put_timestamp(pb, m->time_ns) ||
	    put_header(pb, m->hostname, HOSTNAME_MAX) ||
	    put_header(pb, PMG_SYSLOG_APP_NAME, APP_NAME_MAX) ||
	    put_header(pb, procid, 128) ||
	    put_header(pb, m->event, MSGID_MAX))
		goto out;
	r = meta_to_params(m, &ps);
	/* The buffer does not move any more. */
	for (i = 0; i < ps.n; i++)
		ps.p[i].raw = ps.values->buf + ps.p[i].off;
	if (!r)
		r = put_sd(pb, o->sd_id, ps.p, ps.n,
			   o->max_size - (size_t)pb->bpos);
	if (r < 0)
		goto out;
	/* MSG: " " BOM line, cut to what is left; none once values were cut. */
	msg_room = o->max_size - (size_t)pb->bpos;
	if (!r && len && msg_room > 1 + (utf8 ? 3 : 0)) {
		msg_room -= 1 + (utf8 ? 3 : 0);
		keep = len <= msg_room ? len : utf8_prefix(line, len, msg_room);
		if (keep && (printbuf_strappend(pb, " ") < 0 ||
			     (utf8 && printbuf_memappend(pb, bom, 3) < 0) ||
			     printbuf_memappend(pb, line, (int)keep) < 0))
			goto out;
	}
	out = malloc((size_t)pb->bpos);
	if (out) {
		memcpy(out, pb->buf, (size_t)pb->bpos);
		*outlen = (size_t)pb->bpos;
	}
out:
	if (ps.values)
		printbuf_free(ps.values);
	if (pb)
		printbuf_free(pb);
	return out;
}

/* --- the transport ------------------------------------------------------- */

struct syslog_ctx {
	struct pmg_syslog_opts o;
	char *target;
	char *sd_id;
	unsigned int pid;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int fd;
};

static char *syslog_encode(void *ctx, const char *line, size_t len,
			   const struct pmg_line_meta *m, size_t *outlen)
{
	struct syslog_ctx *c = ctx;

	return pmg_syslog_message(&c->o, c->pid, line, len, m, outlen);
}

static void disconnect(struct syslog_ctx *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int reconnect(struct syslog_ctx *c, char *err, size_t errlen)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };

	c->fd = socket(c->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -EAGAIN;
	}
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(c->fd, (struct sockaddr *)&c->addr, c->addrlen)) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		disconnect(c);
		return -EAGAIN;
	}
	return 0;
}

static int syslog_send(void *ctx, const char *msg, size_t len, char *err,
		       size_t errlen)
{
	struct syslog_ctx *c = ctx;
	int e;

	if (c->fd < 0 && reconnect(c, err, errlen))
		return -EAGAIN;
	if (send(c->fd, msg, len, MSG_NOSIGNAL) == (ssize_t)len)
		return 0;
	e = errno;
	snprintf(err, errlen, "send: %s", strerror(e));
	if (e == EMSGSIZE)
		return -EMSGSIZE;
	/* Gone, refused (the receiver went away), or full: a new socket. */
	disconnect(c);
	return -EAGAIN;
}

static void syslog_release(void *ctx)
{
	struct syslog_ctx *c = ctx;

	if (!c)
		return;
	disconnect(c);
	free(c->target);
	free(c->sd_id);
	free(c);
}

static const char *syslog_where(void *ctx)
{
	return ((struct syslog_ctx *)ctx)->target;
}

static const struct pmg_sender_ops syslog_ops = {
	.kind = "syslog",
	.encode = syslog_encode,
	.send = syslog_send,
	.release = syslog_release,
	.where = syslog_where,
};

/* "udp:HOST:PORT" or "udp:[V6]:PORT" into c->addr. */
static int resolve_udp(struct syslog_ctx *c, const char *spec, char *err,
		       size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res;
	char *host = strdup(spec), *port;
	int r;

	if (!host)
		return -ENOMEM;
	if (host[0] == '[') {
		port = strchr(host, ']');
		if (port && port[1] == ':') {
			memmove(host, host + 1, (size_t)(port - host));
			port[-1] = '\0';
			port += 2;
		} else {
			port = NULL;
		}
	} else {
		port = strrchr(host, ':');
		if (port)
			*port++ = '\0';
	}
	if (!port || !host[0] || !port[0]) {
		free(host);
		snprintf(err, errlen, "udp:%s: not udp:HOST:PORT", spec);
		return -EINVAL;
	}
	r = getaddrinfo(host, port, &hints, &res);
	if (r) {
		snprintf(err, errlen, "udp:%s: %s", spec, gai_strerror(r));
		free(host);
		return -EINVAL;
	}
	memcpy(&c->addr, res->ai_addr, res->ai_addrlen);
	c->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	free(host);
	return 0;
}

static int unix_target(struct syslog_ctx *c, const char *path, char *err,
		       size_t errlen)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&c->addr;

	if (!path[0] || strlen(path) >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "%s: a socket path is 1 to %zu bytes",
			 path, sizeof(sun->sun_path) - 1);
		return -EINVAL;
	}
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	c->addrlen = sizeof(*sun);
	return 0;
}

int pmg_syslog_open(struct pmg_sender **out, const struct pmg_syslog_opts *o,
		    char *err, size_t errlen)
{
	const char *target = o->target ? o->target : PMG_SYSLOG_SOCKET;
	const char *what = pmg_syslog_check_sd_id(o->sd_id);
	struct syslog_ctx *c;
	int r;

	if (what) {
		snprintf(err, errlen, "%s: %s", o->sd_id, what);
		return -EINVAL;
	}
	if (o->facility < 0 || o->facility > 23) {
		snprintf(err, errlen, "facility %d: not 0 to 23", o->facility);
		return -EINVAL;
	}
	if (o->max_size < PMG_SYSLOG_MIN_SIZE ||
	    o->max_size > PMG_SYSLOG_MAX_MAX_SIZE) {
		snprintf(err, errlen, "%zu: the largest message is %d to %d "
			 "bytes", o->max_size, PMG_SYSLOG_MIN_SIZE,
			 PMG_SYSLOG_MAX_MAX_SIZE);
		return -EINVAL;
	}
	snprintf(err, errlen, "out of memory");
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = -1;
	c->pid = (unsigned int)getpid();
	c->o = *o;
	c->target = strdup(target);
	c->sd_id = strdup(o->sd_id);
	if (!c->target || !c->sd_id) {
		syslog_release(c);
		return -ENOMEM;
	}
	c->o.target = c->target;
	c->o.sd_id = c->sd_id;
	if (!strncmp(target, "udp:", 4))
		r = resolve_udp(c, target + 4, err, errlen);
	else
		r = unix_target(c, target, err, errlen);
	if (r) {
		syslog_release(c);
		return r;
	}
	return pmg_sender_start(out, &syslog_ops, c, &o->send, err, errlen);
}
