// SPDX-License-Identifier: GPL-2.0
/*
 * fmt_text.c - --format text: one readable line, escaped for a terminal
 * (escape.h: lossless, \xNN for bytes that are not UTF-8).
 *
 * A finding:
 *   <time> <signature> <action> <access> pid=.. uid=.. euid=.. comm=".."
 *   exe=".." target_pid=.. target_comm=".." path=".." [outcome=..]
 *   [channel=..] [syscall=..] [request=..] [target_tid=..] [self]
 *   [flags=0..] [suppressed=..] [seq=..] [truncated=a,b]
 * A summary: the same with "summary count=N reason=.. first=<time>"
 * after the access. '?' stands for a value the kernel did not report.
 * A notice:   <time> notice <type> [seq=..] [command=..] [pid=.. uid=..
 *             comm=".."] [exe=".."] [detail=".."]
 * A listener event: <time> listener <event>: <message>
 */
#include <string.h>

#include "fmt.h"

static void u_or_q(struct fctx *c, const char *k, bool has, uint64_t v)
{
	jw_c(c->w, ' ');
	jw_str0(c->w, k);
	jw_c(c->w, '=');
	if (has)
		jw_u64(c->w, v);
	else
		jw_c(c->w, '?');
}

static void bytes_or_q(struct fctx *c, const char *k, bool has, int slot,
		       struct pmg_str s)
{
	jw_c(c->w, ' ');
	jw_str0(c->w, k);
	jw_c(c->w, '=');
	if (has)
		put_slot(c->w, slot, k, s);
	else
		jw_c(c->w, '?');
}

static void opt_name(struct fctx *c, const char *k, const char *v)
{
	if (!v)
		return;
	jw_c(c->w, ' ');
	jw_str0(c->w, k);
	jw_c(c->w, '=');
	jw_str0(c->w, v);
}

static void time_or_q(struct fctx *c, bool has, uint64_t ns)
{
	if (has)
		jw_time(c->w, ns, 9);
	else
		jw_c(c->w, '?');
}

static void truncated(struct fctx *c)
{
	int i;
	bool first = true;

	if (!c->w->ncut)
		return;
	put_lit(c, " truncated=");
	for (i = 0; i < JW_SLOTS; i++) {
		if (!c->w->cut[i])
			continue;
		if (!first)
			jw_c(c->w, ',');
		first = false;
		jw_str0(c->w, c->w->name[i]);
	}
}

static void finding(struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	const char *v;

	time_or_q(c, HAS(f, TIME_NS), f->time_ns);
	jw_c(c->w, ' ');
	jw_str0(c->w, c->label);
	v = fname(f, PMG_F_ACTION, pmg_action_name);
	jw_c(c->w, ' ');
	jw_str0(c->w, v ? v : "?");
	v = fname(f, PMG_F_ACCESS, pmg_access_name);
	jw_c(c->w, ' ');
	jw_str0(c->w, v ? v : "?");
	if (HAS(f, SUMMARY)) {
		put_lit(c, " summary");
		u_or_q(c, "count", true, f->summary);
		v = fname(f, PMG_F_REASON, pmg_reason_name);
		opt_name(c, "reason", v ? v : "?");
		put_lit(c, " first=");
		time_or_q(c, HAS(f, FIRST_NS), f->first_ns);
	}
	u_or_q(c, "pid", HAS(f, PID), f->pid);
	u_or_q(c, "uid", HAS(f, UID), f->uid);
	u_or_q(c, "euid", HAS(f, EUID), f->euid);
	bytes_or_q(c, "comm", HAS(f, COMM), S_COMM, f->comm);
	bytes_or_q(c, "exe", HAS(f, EXE), S_EXE, f->exe);
	u_or_q(c, "target_pid", HAS(f, TARGET_PID), f->target_pid);
	bytes_or_q(c, "target_comm", HAS(f, TARGET_COMM), S_TCOMM,
		   f->target_comm);
	bytes_or_q(c, "path", HAS(f, PATH), S_PATH, f->path);
	opt_name(c, "outcome", fname(f, PMG_F_OUTCOME, pmg_outcome_name));
	opt_name(c, "channel", fname(f, PMG_F_CHANNEL, pmg_channel_name));
	if (HAS(f, SYSCALL)) {
		v = pmg_syscall_name(f->syscall, f->compat);
		if (v)
			opt_name(c, "syscall", v);
		else
			u_or_q(c, "syscall", true, f->syscall);
		if (f->compat)
			put_lit(c, " compat");
	}
	if (HAS(f, REQUEST)) {
		v = pmg_ptrace_request_name(f->request);
		if (v)
			opt_name(c, "request", v);
		else
			u_or_q(c, "request", true, f->request);
	}
	if (HAS(f, TARGET_TID))
		u_or_q(c, "target_tid", true, f->target_tid);
	if (HAS(f, TARGET_SELF) && f->target_self)
		put_lit(c, " self");
	if (HAS(f, FLAGS)) {
		put_lit(c, " flags=");
		jw_octal(c->w, f->flags);
	}
	if (HAS(f, SUPPRESSED))
		u_or_q(c, "suppressed", true, f->suppressed);
	if (HAS(f, SEQ))
		u_or_q(c, "seq", true, f->seq);
	truncated(c);
}

static void notice(struct fctx *c)
{
	const struct pmg_notice *n = c->n;

	time_or_q(c, PMG_HAS(n, PMG_N_TIME_NS), n->time_ns);
	put_lit(c, " notice ");
	jw_str0(c->w, c->event);
	if (PMG_HAS(n, PMG_N_SEQ))
		u_or_q(c, "seq", true, n->seq);
	if (PMG_HAS(n, PMG_N_CMD))
		opt_name(c, "command", pmg_cmd_name(n->cmd));
	if (PMG_HAS(n, PMG_N_PID)) {
		u_or_q(c, "pid", true, n->pid);
		u_or_q(c, "uid", PMG_HAS(n, PMG_N_UID), n->uid);
		bytes_or_q(c, "comm", PMG_HAS(n, PMG_N_COMM), S_COMM, n->comm);
	}
	if (PMG_HAS(n, PMG_N_EXE))
		bytes_or_q(c, "exe", true, S_EXE, n->exe);
	if (PMG_HAS(n, PMG_N_DETAIL))
		bytes_or_q(c, "detail", true, S_DETAIL, n->detail);
	truncated(c);
}

static void listener(struct fctx *c)
{
	jw_time(c->w, c->time_ns, 9);
	put_lit(c, " listener ");
	jw_str0(c->w, c->event);
	put_lit(c, ": ");
	jw_ebytes(c->w, c->msg, strlen(c->msg));
}

const struct fmt_ops pmg_fmt_text = {
	.mode = JW_TEXT,
	.finding = finding,
	.notice = notice,
	.listener = listener,
};
