// SPDX-License-Identifier: GPL-2.0
/*
 * fmt_falco.c - --format falco: the JSON Falco writes for an event (and
 * Falcosidekick takes on its HTTP input):
 *
 * {"output":"<HH:MM:SS.ns>: <Priority> <rule> (field=value ...)",
 *  "priority":"Warning","rule":"<the signature's name>",
 *  "time":"<RFC 3339 UTC, ns>","output_fields":{...},
 *  "source":"procmem-guard","tags":[...],"hostname","boot_id",
 *  ["truncated"]}
 *
 * output_fields uses Falco's field names where Falco has the field
 * (evt.time, evt.type, proc.pid, proc.vpid, proc.ppid, proc.name,
 * proc.exepath, thread.tid, thread.vtid, user.uid, group.gid, fd.name,
 * fd.dev, fd.ino) and "procmem.*" for the rest (signature, action,
 * outcome, access, channel, seq, target.*, ...); "x_b64" holds the exact
 * bytes of "x" when "x" shows a byte that is not UTF-8 as U+FFFD. Every
 * line, notices and listener events too, passes Falcosidekick's checks:
 * a priority it knows, a rule, a time, and output_fields not empty.
 */
#include <string.h>

#include "fmt.h"

#define key(c, k)	jw_key((c)->w, k)
#define kv_u64(c, k, v)	do { key(c, k); jw_u64((c)->w, v); } while (0)
#define kv_str(c, k, v)							\
	do {								\
		const char *_v = (v);					\
		if (_v) {						\
			key(c, k);					\
			jw_qstr((c)->w, _v);				\
		}							\
	} while (0)

/* "k":"<string>" and, when needed, ,"k_b64":"<exact bytes>". */
#define KV_BYTES(c, k, slot, s)						\
	do {								\
		key(c, k);						\
		put_slot((c)->w, slot, k, s);				\
		jw_b64((c)->w, slot, ",\"" k "_b64\":",		\
		       sizeof(",\"" k "_b64\":") - 1, (s).p);		\
	} while (0)

/* output: "<time of day>: <Priority> <rule> (" ... ")" */
static void output_start(struct fctx *c, const char *rule)
{
	struct jw *w = c->w;

	put_lit(c, "{\"output\":\"");
	jw_tod(w, c->time_ns);
	put_lit(c, ": ");
	jw_str0(w, c->priority);
	jw_c(w, ' ');
	jw_ebytes(w, rule, strlen(rule));
	put_lit(c, " (");
}

/* The fields of output, " k=v" each (the first without its space). */
static void out_sep(struct fctx *c)
{
	const char *p = c->w->b->p + c->w->b->len;

	if (p[-1] != '(')
		jw_c(c->w, ' ');
}

static void out_u64(struct fctx *c, const char *k, uint64_t v)
{
	out_sep(c);
	jw_str0(c->w, k);
	jw_c(c->w, '=');
	jw_u64(c->w, v);
}

static void out_str(struct fctx *c, const char *k, const char *v)
{
	if (!v)
		return;
	out_sep(c);
	jw_str0(c->w, k);
	jw_c(c->w, '=');
	jw_str0(c->w, v);
}

static void out_bytes(struct fctx *c, const char *k, int slot,
		      const char *name, struct pmg_str s)
{
	out_sep(c);
	jw_str0(c->w, k);
	jw_c(c->w, '=');
	jw_bytes(c->w, slot, name, s.p, s.n);
}

/* "priority", "rule", "time", then "output_fields":{ */
static void head(struct fctx *c, const char *rule)
{
	struct jw *w = c->w;

	put_lit(c, ")\",\"priority\":\"");
	jw_str0(w, c->priority);
	put_lit(c, "\",\"rule\":");
	jw_qbytes(w, rule, strlen(rule));
	put_lit(c, ",\"time\":\"");
	jw_time(w, c->time_ns, 9);
	put_lit(c, "\",\"output_fields\":");
	jw_open(w, '{');
	kv_u64(c, "evt.time", c->time_ns);
}

static void tail(struct fctx *c, const char *const *tags)
{
	struct jw *w = c->w;

	jw_close(w, '}');
	put_lit(c, ",\"source\":\"procmem-guard\",\"tags\":[\"procmem-guard\"");
	for (; *tags; tags++) {
		if (!**tags)
			continue;
		put_lit(c, ",\"");
		jw_str0(w, *tags);
		jw_c(w, '"');
	}
	put_lit(c, "],\"hostname\":");
	put_host(c);
	put_lit(c, ",\"boot_id\":");
	if (c->L->boot_id[0])
		jw_qstr(w, c->L->boot_id);
	else
		put_lit(c, "null");
	put_truncated(c, ",\"truncated\":", sizeof(",\"truncated\":") - 1);
	jw_c(w, '}');
}

static const char *rule_of(const struct fctx *c)
{
	if (c->si)
		return c->si->name;
	return c->label;
}

static void finding(struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	const char *rule = rule_of(c);
	const char *tags[5] = { c->label, NULL, NULL, NULL, NULL };
	char tactic[48] = "";
	const char *sc;

	if (c->si && c->si->category[0]) {
		snprintf(tactic, sizeof(tactic), "mitre_%s", c->si->category);
		for (char *p = tactic; *p; p++)
			if (*p == '-')
				*p = '_';
		tags[1] = c->si->mitre;
		tags[2] = tactic;
	}
	tags[3] = fname(f, PMG_F_CHANNEL, pmg_channel_name);
	output_start(c, rule);
	out_bytes(c, "proc.name", S_MSG_COMM, "output", f->comm);
	out_u64(c, "proc.pid", f->pid);
	out_u64(c, "user.uid", f->euid);
	if (HAS(f, TARGET_PID)) {
		out_bytes(c, "target.name", S_MSG_TCOMM, "output",
			  f->target_comm);
		out_u64(c, "target.pid", f->target_pid);
	}
	if (HAS(f, PATH))
		out_bytes(c, "fd.name", S_MSG_PATH, "output", f->path);
	out_str(c, "action", fname(f, PMG_F_ACTION, pmg_action_name));
	out_str(c, "outcome", fname(f, PMG_F_OUTCOME, pmg_outcome_name));
	if (HAS(f, SUMMARY))
		out_u64(c, "count", f->summary);
	out_str(c, "signature", c->label);
	head(c, rule);
	sc = HAS(f, SYSCALL) ? pmg_syscall_name(f->syscall, f->compat) : NULL;
	kv_str(c, "evt.type", sc);
	if (HAS(f, PID))
		kv_u64(c, "proc.pid", f->pid);
	if (HAS(f, VPID))
		kv_u64(c, "proc.vpid", f->vpid);
	if (HAS(f, PPID))
		kv_u64(c, "proc.ppid", f->ppid);
	if (HAS(f, TID))
		kv_u64(c, "thread.tid", f->tid);
	if (HAS(f, VTID))
		kv_u64(c, "thread.vtid", f->vtid);
	if (HAS(f, COMM))
		KV_BYTES(c, "proc.name", S_COMM, f->comm);
	if (HAS(f, EXE))
		KV_BYTES(c, "proc.exepath", S_EXE, f->exe);
	if (HAS(f, EUID))
		kv_u64(c, "user.uid", f->euid);
	if (HAS(f, GID))
		kv_u64(c, "group.gid", f->gid);
	if (HAS(f, PATH))
		KV_BYTES(c, "fd.name", S_PATH, f->path);
	if (HAS(f, DEV))
		kv_u64(c, "fd.dev", f->dev);
	if (HAS(f, INO))
		kv_u64(c, "fd.ino", f->ino);
	kv_str(c, "procmem.type", fctx_summary(c) ? "summary" : "finding");
	kv_str(c, "procmem.signature", c->label);
	if (HAS(f, SEQ))
		kv_u64(c, "procmem.seq", f->seq);
	kv_str(c, "procmem.channel", fname(f, PMG_F_CHANNEL, pmg_channel_name));
	kv_str(c, "procmem.action", fname(f, PMG_F_ACTION, pmg_action_name));
	kv_str(c, "procmem.outcome", fname(f, PMG_F_OUTCOME, pmg_outcome_name));
	kv_str(c, "procmem.access", fname(f, PMG_F_ACCESS, pmg_access_name));
	if (HAS(f, FLAGS))
		kv_u64(c, "procmem.flags", f->flags);
	if (HAS(f, SYSCALL))
		kv_u64(c, "procmem.syscall.nr", f->syscall);
	if (HAS(f, REQUEST)) {
		kv_u64(c, "procmem.request.nr", f->request);
		kv_str(c, "procmem.request.name",
		       pmg_ptrace_request_name(f->request));
	}
	if (HAS(f, UID))
		kv_u64(c, "procmem.uid", f->uid);
	if (HAS(f, TARGET_PID))
		kv_u64(c, "procmem.target.pid", f->target_pid);
	if (HAS(f, TARGET_TID))
		kv_u64(c, "procmem.target.tid", f->target_tid);
	if (HAS(f, TARGET_VPID))
		kv_u64(c, "procmem.target.vpid", f->target_vpid);
	if (HAS(f, TARGET_COMM))
		KV_BYTES(c, "procmem.target.name", S_TCOMM, f->target_comm);
	if (HAS(f, SUMMARY)) {
		kv_u64(c, "procmem.summary.count", f->summary);
		kv_str(c, "procmem.summary.reason",
		       fname(f, PMG_F_REASON, pmg_reason_name));
		if (HAS(f, FIRST_NS))
			kv_u64(c, "procmem.summary.first_time", f->first_ns);
	}
	if (HAS(f, SUPPRESSED))
		kv_u64(c, "procmem.suppressed", f->suppressed);
	tail(c, tags);
}

static void notice(struct fctx *c)
{
	const struct pmg_notice *n = c->n;
	const char *tags[] = { "notice", NULL };
	const char *cmd = PMG_HAS(n, PMG_N_CMD) ? pmg_cmd_name(n->cmd) : NULL;
	char rule[64];

	snprintf(rule, sizeof(rule), "procmem-guard %s", c->event);
	output_start(c, rule);
	if (PMG_HAS(n, PMG_N_DETAIL))
		out_bytes(c, "detail", S_MSG_DETAIL, "output", n->detail);
	if (PMG_HAS(n, PMG_N_PID)) {
		out_u64(c, "proc.pid", n->pid);
		out_bytes(c, "proc.name", S_MSG_COMM, "output", n->comm);
	}
	head(c, rule);
	kv_str(c, "procmem.type", "notice");
	kv_str(c, "procmem.notice", c->event);
	if (PMG_HAS(n, PMG_N_SEQ))
		kv_u64(c, "procmem.seq", n->seq);
	kv_str(c, "procmem.command", cmd);
	if (PMG_HAS(n, PMG_N_DETAIL))
		KV_BYTES(c, "procmem.detail", S_DETAIL, n->detail);
	if (PMG_HAS(n, PMG_N_PID)) {
		kv_u64(c, "proc.pid", n->pid);
		if (PMG_HAS(n, PMG_N_UID))
			kv_u64(c, "user.uid", n->uid);
	}
	if (PMG_HAS(n, PMG_N_COMM))
		KV_BYTES(c, "proc.name", S_COMM, n->comm);
	if (PMG_HAS(n, PMG_N_EXE))
		KV_BYTES(c, "proc.exepath", S_EXE, n->exe);
	tail(c, tags);
}

static void listener(struct fctx *c)
{
	const struct pmg_lev *e = c->e;
	const char *tags[] = { "listener", NULL };
	char rule[64];

	snprintf(rule, sizeof(rule), "procmem-guard listener %s", c->event);
	output_start(c, rule);
	jw_ebytes(c->w, c->msg, strlen(c->msg));
	head(c, rule);
	kv_str(c, "procmem.type", "listener");
	kv_str(c, "procmem.event", c->event);
	key(c, "procmem.message");
	jw_qbytes(c->w, c->msg, strlen(c->msg));
	if (e->lev == PMG_LEV_LOST && e->lost)
		kv_u64(c, "procmem.lost", e->lost);
	kv_u64(c, "procmem.lost_total", e->lost_total);
	if (e->module_version) {
		key(c, "procmem.module_version");
		jw_qbytes(c->w, e->module_version, strlen(e->module_version));
	}
	if (e->lev == PMG_LEV_OUTPUT_DROPPED) {
		kv_str(c, "procmem.output.kind", e->output.kind);
		key(c, "procmem.output.name");
		jw_qbytes(c->w, e->output.name, lev_name_len(e));
		kv_u64(c, "procmem.output.dropped", e->output.dropped);
		kv_u64(c, "procmem.output.dropped_total",
		       e->output.dropped_total);
		kv_u64(c, "procmem.output.delivered", e->output.delivered);
	}
	tail(c, tags);
}

const struct fmt_ops pmg_fmt_falco = {
	.mode = JW_JSON,
	.finding = finding,
	.notice = notice,
	.listener = listener,
};
