// SPDX-License-Identifier: GPL-2.0
/*
 * lines.c - one line per finding, notice or listener event (see lines.h):
 * what every format shares, the two passes that keep a line within its
 * limit, and the description of the line for the sinks.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"

/* --- set up ------------------------------------------------------------------ */

/* 32 hex digits (a UUID's, without dashes) from s, into out[33]. */
static void hex_id(const char *s, char out[33])
{
	size_t n = 0;

	out[0] = '\0';
	for (; s && *s && *s != '\n' && n < 32; s++) {
		if (*s == '-')
			continue;
		if (!isxdigit((unsigned char)*s))
			return;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	out[n] = '\0';
	if (n != 32 || (s && *s && *s != '\n'))
		out[0] = '\0';
}

static void read_id(const char *path, char out[33])
{
	char buf[64] = "";
	ssize_t k;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	out[0] = '\0';
	if (fd < 0)
		return;
	k = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (k > 0) {
		buf[k] = '\0';
		hex_id(buf, out);
	}
}

int pmg_lines_init(struct pmg_lines *L, enum pmg_format format,
		   size_t max_line)
{
	memset(L, 0, sizeof(*L));
	if (max_line < PMG_MAX_LINE_MIN || max_line > PMG_MAX_LINE_MAX ||
	    format > PMG_FORMAT_ECS)
		return -EINVAL;
	L->format = format;
	L->max_line = max_line;
	if (gethostname(L->hostname, sizeof(L->hostname) - 1))
		L->hostname[0] = '\0';
	read_id("/proc/sys/kernel/random/boot_id", L->boot_id);
	if (!L->boot_id[0])	/* /proc/sys hidden (ProcSubset=pid) */
		hex_id(getenv("PROCMEM_GUARD_BOOT_ID"), L->boot_id);
	read_id("/etc/machine-id", L->machine_id);
	return 0;
}

void pmg_lines_free(struct pmg_lines *L)
{
	pmg_buf_free(&L->line);
	pmg_buf_free(&L->sig_json);
	pmg_buf_free(&L->host_json);
}

static const struct fmt_ops *ops_of(enum pmg_format f)
{
	switch (f) {
	case PMG_FORMAT_JSON:
		return &pmg_fmt_json;
	case PMG_FORMAT_TRACEE:
		return &pmg_fmt_tracee;
	case PMG_FORMAT_FALCO:
		return &pmg_fmt_falco;
	case PMG_FORMAT_ECS:
		return &pmg_fmt_ecs;
	case PMG_FORMAT_TEXT:
		break;
	}
	return &pmg_fmt_text;
}

/* --- severities ----------------------------------------------------------------- */

static const char *const priorities[] = {
	"Emergency", "Alert", "Critical", "Error", "Warning", "Notice",
	"Informational", "Debug",
};

static int finding_severity(const struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	if (HAS(f, ACTION) && f->action == PMG_ACTION_BLOCK)
		return c->si && c->si->severity < 3 ? PMG_SEV_ERR :
						      PMG_SEV_CRIT;
	if (HAS(f, ACTION) && f->action == PMG_ACTION_ALLOW)
		return PMG_SEV_INFO;
	return c->si && c->si->severity < 3 ? PMG_SEV_NOTICE :
					      PMG_SEV_WARNING;
}

static int notice_severity(unsigned int type)
{
	switch (type) {
	case PMG_NOTICE_DISARMED:
		return PMG_SEV_CRIT;
	case PMG_NOTICE_UNLOAD:
		return PMG_SEV_WARNING;
	}
	return PMG_SEV_NOTICE;
}

static int lev_severity(enum pmg_listener_event lev)
{
	switch (lev) {
	case PMG_LEV_LOST:
	case PMG_LEV_PACING_REFUSED:
	case PMG_LEV_MODULE_UNLOADED:
	case PMG_LEV_OUTPUT_DROPPED:
		return PMG_SEV_WARNING;
	case PMG_LEV_BAD_MESSAGE:
	case PMG_LEV_ERROR:
		return PMG_SEV_ERR;
	case PMG_LEV_MODULE_LOADED:
		return PMG_SEV_NOTICE;
	case PMG_LEV_STARTED:
	case PMG_LEV_STOPPED:
		break;
	}
	return PMG_SEV_INFO;
}

static const char *const lev_names[] = {
	[PMG_LEV_STARTED] = "started",
	[PMG_LEV_MODULE_LOADED] = "module-loaded",
	[PMG_LEV_MODULE_UNLOADED] = "module-unloaded",
	[PMG_LEV_LOST] = "lost",
	[PMG_LEV_PACING_REFUSED] = "pacing-refused",
	[PMG_LEV_BAD_MESSAGE] = "bad-message",
	[PMG_LEV_ERROR] = "error",
	[PMG_LEV_STOPPED] = "stopped",
	[PMG_LEV_OUTPUT_DROPPED] = "output-dropped",
};

const char *pmg_lev_name(enum pmg_listener_event lev)
{
	return (unsigned int)lev < sizeof(lev_names) / sizeof(lev_names[0]) &&
	       lev_names[lev] ? lev_names[lev] : "listener";
}

/* --- the two passes -------------------------------------------------------------- */

/* Room kept for the list of cut fields: every slot's name might be in. */
static size_t cut_reserve(const struct jw *w)
{
	size_t r = 96;
	int i;

	for (i = 0; i < JW_SLOTS; i++)
		if (w->name[i])
			r += strlen(w->name[i]) + 3;
	return r;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int run(struct fctx *c, void (*fn)(struct fctx *c),
	       struct pmg_line_meta *meta)
{
	struct pmg_lines *L = c->L;
	const struct fmt_ops *ops = ops_of(L->format);
	size_t cap[JW_SLOTS];
	size_t max = L->max_line - 1;	/* and the newline */

	c->w = &L->w;
	c->priority = priorities[c->severity];
	jw_start(c->w, &L->line, ops->mode, NULL);
	fn(c);
	if (!L->line.oom && L->line.len > max) {
		if (!jw_plan(c->w, L->line.len, max, cut_reserve(c->w), cap))
			memset(cap, 0, sizeof(cap));
		jw_start(c->w, &L->line, ops->mode, cap);
		fn(c);
	}
	memset(meta, 0, sizeof(*meta));
	meta->format = L->format;
	meta->severity = c->severity;
	meta->priority = c->priority;
	meta->event = c->event;
	meta->time_ns = c->time_ns;
	meta->hostname = L->hostname;
	meta->boot_id = L->boot_id[0] ? L->boot_id : NULL;
	return L->line.oom ? -ENOMEM : 0;
}

static void fctx_init(struct fctx *c, struct pmg_lines *L)
{
	memset(c, 0, sizeof(*c));
	c->L = L;
}

int pmg_lines_finding(struct pmg_lines *L, const struct pmg_finding *f,
		      struct pmg_line_meta *meta)
{
	struct fctx c;
	int r;

	fctx_init(&c, L);
	c.f = f;
	c.si = pmg_sig_info(f->signature);
	c.label = pmg_sig_label(f->signature, c.buf);
	c.event = c.si ? c.si->event : "finding";
	c.severity = finding_severity(&c);
	c.time_ns = HAS(f, TIME_NS) ? f->time_ns : 0;
	r = run(&c, ops_of(L->format)->finding, meta);
	meta->type = fctx_summary(&c) ? PMG_LINE_SUMMARY : PMG_LINE_FINDING;
	meta->signature = c.label;
	meta->seq = HAS(f, SEQ) ? f->seq : 0;
	meta->finding = f;
	return r;
}

int pmg_lines_notice(struct pmg_lines *L, const struct pmg_notice *n,
		     struct pmg_line_meta *meta)
{
	struct fctx c;
	int r;

	fctx_init(&c, L);
	c.n = n;
	c.event = pmg_notice_name(n->type);
	if (!c.event)
		c.event = "notice";
	c.severity = notice_severity(n->type);
	c.time_ns = PMG_HAS(n, PMG_N_TIME_NS) ? n->time_ns : 0;
	r = run(&c, ops_of(L->format)->notice, meta);
	meta->type = PMG_LINE_NOTICE;
	meta->seq = PMG_HAS(n, PMG_N_SEQ) ? n->seq : 0;
	meta->notice = n;
	return r;
}

int pmg_lines_listener(struct pmg_lines *L, const struct pmg_lev *e,
		       struct pmg_line_meta *meta)
{
	struct fctx c;
	int r;

	fctx_init(&c, L);
	c.e = e;
	c.event = pmg_lev_name(e->lev);
	c.severity = lev_severity(e->lev);
	c.time_ns = e->time_ns ? e->time_ns : now_ns();
	lev_message(&c);
	r = run(&c, ops_of(L->format)->listener, meta);
	meta->type = PMG_LINE_LISTENER;
	meta->lev = e->lev;
	meta->lost = e->lost;
	meta->err = e->err;
	return r;
}

/* --- helpers of the formatters ------------------------------------------------------ */

bool fctx_summary(const struct fctx *c)
{
	return c->f && HAS(c->f, SUMMARY);
}

int64_t fctx_retval(const struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	bool refused = (HAS(f, OUTCOME) &&
			(f->outcome == PMG_OUTCOME_REFUSED ||
			 f->outcome == PMG_OUTCOME_BLOCKED)) ||
		       (HAS(f, ACTION) && f->action == PMG_ACTION_BLOCK);

	if (!refused)
		return 0;
	if (!HAS(f, CHANNEL) || f->channel == PMG_CHANNEL_PROC_MEM)
		return -EACCES;
	return -EPERM;
}

const char *fname(const struct pmg_finding *f, int attr,
		  const char *(*name)(unsigned int))
{
	unsigned int v;

	if (!PMG_HAS(f, attr))
		return NULL;
	switch (attr) {
	case PMG_F_ACCESS:
		v = f->access;
		break;
	case PMG_F_ACTION:
		v = f->action;
		break;
	case PMG_F_KIND:
		v = f->kind;
		break;
	case PMG_F_OUTCOME:
		v = f->outcome;
		break;
	case PMG_F_CHANNEL:
		v = f->channel;
		break;
	case PMG_F_REASON:
		v = f->reason;
		break;
	default:
		return NULL;
	}
	return name(v);
}

void put_slot(struct jw *w, int slot, const char *name, struct pmg_str s)
{
	jw_c(w, '"');
	jw_bytes(w, slot, name, s.p, s.n);
	jw_c(w, '"');
}

void put_host(struct fctx *c)
{
	jw_qbytes(c->w, c->L->hostname, strlen(c->L->hostname));
}

void put_truncated(struct fctx *c, const char *frame, size_t framelen)
{
	if (!c->w->ncut)
		return;
	jw_raw(c->w, frame, framelen);
	jw_c(c->w, '[');
	jw_cut_names(c->w);
	jw_c(c->w, ']');
}

size_t lev_name_len(const struct pmg_lev *e)
{
	return e->output.name ? strnlen(e->output.name, 256) : 0;
}

const char *lev_message(struct fctx *c)
{
	const struct pmg_lev *e = c->e;
	const char *v = e->module_version;

	switch (e->lev) {
	case PMG_LEV_STARTED:
		snprintf(c->msg, sizeof(c->msg), "%s",
			 e->module_version ? "listening" :
			 "module not loaded; waiting for it");
		break;
	case PMG_LEV_MODULE_LOADED:
		snprintf(c->msg, sizeof(c->msg),
			 "module loaded (version %s); listening",
			 v && v[0] ? v : "?");
		break;
	case PMG_LEV_MODULE_UNLOADED:
		snprintf(c->msg, sizeof(c->msg),
			 "module unloaded; waiting for it to be loaded again");
		break;
	case PMG_LEV_LOST:
		if (e->lost)
			snprintf(c->msg, sizeof(c->msg),
				 "lost %" PRIu64 " findings or notices (socket "
				 "overrun), %" PRIu64 " so far", e->lost,
				 e->lost_total);
		else
			snprintf(c->msg, sizeof(c->msg),
				 "lost findings or notices (socket overrun), "
				 "how many is unknown; %" PRIu64 " counted so "
				 "far", e->lost_total);
		break;
	case PMG_LEV_PACING_REFUSED:
		snprintf(c->msg, sizeof(c->msg),
			 "the module would not pace findings to this listener "
			 "(%s)%s; findings it cannot take in time are lost "
			 "and counted", strerror(-e->err), e->err == -ENOSPC ?
			 ": too many pacing listeners" : "");
		break;
	case PMG_LEV_BAD_MESSAGE:
		if (e->err == -EPERM)
			snprintf(c->msg, sizeof(c->msg),
				 "ignored a message not sent by the kernel "
				 "(port %" PRIu32 ")", e->sender);
		else
			snprintf(c->msg, sizeof(c->msg),
				 "dropped a bad message: %s",
				 strerror(-e->err));
		break;
	case PMG_LEV_ERROR:
		snprintf(c->msg, sizeof(c->msg), "%s%s%s",
			 e->text ? e->text : "", e->text && e->err ? ": " : "",
			 e->err ? strerror(-e->err) : "");
		break;
	case PMG_LEV_STOPPED:
		snprintf(c->msg, sizeof(c->msg), "stopped");
		break;
	case PMG_LEV_OUTPUT_DROPPED:
		snprintf(c->msg, sizeof(c->msg),
			 "%s output dropped %" PRIu64 " line%s (%" PRIu64
			 " so far: %" PRIu64 " queue full, %" PRIu64
			 " failed, %" PRIu64 " rejected, %" PRIu64
			 " unsent; %" PRIu64 " delivered)",
			 e->output.kind ? e->output.kind : "?",
			 e->output.dropped, e->output.dropped == 1 ? "" : "s",
			 e->output.dropped_total, e->output.queue_full,
			 e->output.failed, e->output.rejected,
			 e->output.unsent, e->output.delivered);
		break;
	}
	return c->msg;
}
