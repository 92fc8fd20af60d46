// SPDX-License-Identifier: GPL-2.0
/*
 * fmt_json.c - --format json: one object per line, with "type" first.
 *
 * A finding ("type":"finding") or a summary ("type":"summary"):
 * {"type","time" (RFC 3339 UTC, ns),"seq","signature" ("TRC-1023",
 *  "PMG-2001"),"event","name","severity","category","technique","mitre",
 *  "channel","action","outcome","access","flags","kind","path",
 *  ["path_b64"],"procfs_path",["procfs_path_b64"],"partial" (["path"]),
 *  "suppressed","syscall":{"nr","name","compat"},"request":{"nr","name"},
 *  "summary":{"count","reason","first_time"},
 *  "process":{"pid","tid","ppid","vpid","vtid","vppid","uid","euid","gid",
 *             "comm",["comm_b64"],"exe",["exe_b64"],"exe_dev","exe_inode",
 *             "cgroup_id","pid_ns","mnt_ns"},
 *  "target":{"pid","tid","vpid","vtid","comm",["comm_b64"],"self"},
 *  "file":{"dev","inode"},"hostname","boot_id",["truncated"]}
 * A notice: {"type":"notice","time","seq","event" ("policy-changed",
 *  "probe-disarmed", "probe-armed", "module-unloading"),"command",
 *  "detail",["detail_b64"],"by":{"pid","uid","comm",["comm_b64"],"exe",
 *  ["exe_b64"]},"hostname","boot_id",["truncated"]}
 * A listener event: {"type":"listener","time","event" ("started",
 *  "module-loaded", "module-unloaded", "lost", "pacing-refused",
 *  "bad-message", "error", "stopped", "output-dropped"),"message","lost",
 *  "lost_total","error","module_version","output" ({"kind","name",
 *  "dropped","dropped_total","queue_full","failed","rejected","unsent",
 *  "delivered"} for "output-dropped"),"hostname","boot_id"}
 * Every member is always there: a value the kernel did not send, or that
 * does not apply, is null. "x_b64" (the exact bytes of "x" in base64) is
 * there only when "x" shows a byte that is not UTF-8 as U+FFFD.
 */
#include <string.h>

#include "fmt.h"

/* ,"key": then the value, or null. */
#define KEY(c, k)		put_lit(c, ",\"" k "\":")

static void null(struct fctx *c)
{
	put_lit(c, "null");
}

static void u32_or_null(struct fctx *c, const struct pmg_finding *f,
			int attr, uint64_t v)
{
	if (PMG_HAS(f, attr))
		jw_u64(c->w, v);
	else
		null(c);
}

static void name_or_null(struct fctx *c, const char *s)
{
	if (s)
		jw_qstr(c->w, s);
	else
		null(c);
}

/* A kernel string into slot, then its exact bytes when needed. */
static void bytes_or_null(struct fctx *c, bool has, int slot,
			  const char *name, struct pmg_str s,
			  const char *frame, size_t framelen)
{
	if (!has) {
		null(c);
		return;
	}
	put_slot(c->w, slot, name, s);
	jw_b64(c->w, slot, frame, framelen, s.p);
}

#define BYTES(c, has, slot, name, s, b64key)				\
	bytes_or_null(c, has, slot, name, s, ",\"" b64key "\":",	\
		      sizeof(",\"" b64key "\":") - 1)

#define U(c, f, a, m)	u32_or_null(c, f, PMG_F_##a, (f)->m)

static void put_tail(struct fctx *c)
{
	put_lit(c, ",\"hostname\":");
	put_host(c);
	put_lit(c, ",\"boot_id\":");
	name_or_null(c, c->L->boot_id[0] ? c->L->boot_id : NULL);
	put_truncated(c, ",\"truncated\":", sizeof(",\"truncated\":") - 1);
	jw_c(c->w, '}');
}

static void put_time(struct fctx *c, bool has, uint64_t ns)
{
	if (!has) {
		null(c);
		return;
	}
	jw_c(c->w, '"');
	jw_time(c->w, ns, 9);
	jw_c(c->w, '"');
}

static void sig_fields(struct fctx *c)
{
	const struct pmg_sig_info *si = c->si;

	KEY(c, "signature");
	jw_qstr(c->w, c->label);
	KEY(c, "event");
	name_or_null(c, si ? si->event : NULL);
	KEY(c, "name");
	name_or_null(c, si ? si->name : NULL);
	KEY(c, "severity");
	if (si)
		jw_u64(c->w, (uint64_t)si->severity);
	else
		null(c);
	KEY(c, "category");
	name_or_null(c, si && si->category[0] ? si->category : NULL);
	KEY(c, "technique");
	name_or_null(c, si && si->technique[0] ? si->technique : NULL);
	KEY(c, "mitre");
	name_or_null(c, si && si->mitre[0] ? si->mitre : NULL);
}

static void access_fields(struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	KEY(c, "channel");
	name_or_null(c, fname(f, PMG_F_CHANNEL, pmg_channel_name));
	KEY(c, "action");
	name_or_null(c, fname(f, PMG_F_ACTION, pmg_action_name));
	KEY(c, "outcome");
	name_or_null(c, fname(f, PMG_F_OUTCOME, pmg_outcome_name));
	KEY(c, "access");
	name_or_null(c, fname(f, PMG_F_ACCESS, pmg_access_name));
	KEY(c, "flags");
	U(c, f, FLAGS, flags);
	KEY(c, "kind");
	name_or_null(c, fname(f, PMG_F_KIND, pmg_kind_name));
	KEY(c, "path");
	BYTES(c, HAS(f, PATH), S_PATH, "path", f->path, "path_b64");
	KEY(c, "procfs_path");
	BYTES(c, HAS(f, PROCFS_PATH), S_PROCFS, "procfs_path", f->procfs_path,
	      "procfs_path_b64");
	KEY(c, "partial");
	if (!HAS(f, PARTIAL))
		null(c);
	else if (f->partial & PMG_PARTIAL_PATH)
		put_lit(c, "[\"path\"]");
	else
		put_lit(c, "[]");
	KEY(c, "suppressed");
	U(c, f, SUPPRESSED, suppressed);
}

static void call_fields(struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	KEY(c, "syscall");
	if (HAS(f, SYSCALL)) {
		put_lit(c, "{\"nr\":");
		jw_u64(c->w, f->syscall);
		put_lit(c, ",\"name\":");
		name_or_null(c, pmg_syscall_name(f->syscall, f->compat));
		put_lit(c, ",\"compat\":");
		if (f->compat)
			put_lit(c, "true}");
		else
			put_lit(c, "false}");
	} else {
		null(c);
	}
	KEY(c, "request");
	if (HAS(f, REQUEST)) {
		put_lit(c, "{\"nr\":");
		jw_u64(c->w, f->request);
		put_lit(c, ",\"name\":");
		name_or_null(c, pmg_ptrace_request_name(f->request));
		jw_c(c->w, '}');
	} else {
		null(c);
	}
	KEY(c, "summary");
	if (HAS(f, SUMMARY)) {
		put_lit(c, "{\"count\":");
		jw_u64(c->w, f->summary);
		put_lit(c, ",\"reason\":");
		name_or_null(c, fname(f, PMG_F_REASON, pmg_reason_name));
		put_lit(c, ",\"first_time\":");
		put_time(c, HAS(f, FIRST_NS), f->first_ns);
		jw_c(c->w, '}');
	} else {
		null(c);
	}
}

static void process_object(struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	put_lit(c, ",\"process\":{\"pid\":");
	U(c, f, PID, pid);
	KEY(c, "tid");
	U(c, f, TID, tid);
	KEY(c, "ppid");
	U(c, f, PPID, ppid);
	KEY(c, "vpid");
	U(c, f, VPID, vpid);
	KEY(c, "vtid");
	U(c, f, VTID, vtid);
	KEY(c, "vppid");
	U(c, f, VPPID, vppid);
	KEY(c, "uid");
	U(c, f, UID, uid);
	KEY(c, "euid");
	U(c, f, EUID, euid);
	KEY(c, "gid");
	U(c, f, GID, gid);
	KEY(c, "comm");
	BYTES(c, HAS(f, COMM), S_COMM, "process.comm", f->comm, "comm_b64");
	KEY(c, "exe");
	BYTES(c, HAS(f, EXE), S_EXE, "process.exe", f->exe, "exe_b64");
	KEY(c, "exe_dev");
	U(c, f, EXE_DEV, exe_dev);
	KEY(c, "exe_inode");
	U(c, f, EXE_INO, exe_ino);
	KEY(c, "cgroup_id");
	U(c, f, CGROUP_ID, cgroup_id);
	KEY(c, "pid_ns");
	U(c, f, PIDNS, pidns);
	KEY(c, "mnt_ns");
	U(c, f, MNTNS, mntns);
	jw_c(c->w, '}');
}

static void target_object(struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	put_lit(c, ",\"target\":{\"pid\":");
	U(c, f, TARGET_PID, target_pid);
	KEY(c, "tid");
	U(c, f, TARGET_TID, target_tid);
	KEY(c, "vpid");
	U(c, f, TARGET_VPID, target_vpid);
	KEY(c, "vtid");
	U(c, f, TARGET_VTID, target_vtid);
	KEY(c, "comm");
	BYTES(c, HAS(f, TARGET_COMM), S_TCOMM, "target.comm", f->target_comm,
	      "comm_b64");
	KEY(c, "self");
	if (!HAS(f, TARGET_SELF))
		null(c);
	else if (f->target_self)
		put_lit(c, "true");
	else
		put_lit(c, "false");
	put_lit(c, "},\"file\":{\"dev\":");
	U(c, f, DEV, dev);
	KEY(c, "inode");
	U(c, f, INO, ino);
	jw_c(c->w, '}');
}

static void finding(struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	if (fctx_summary(c))
		put_lit(c, "{\"type\":\"summary\",\"time\":");
	else
		put_lit(c, "{\"type\":\"finding\",\"time\":");
	put_time(c, HAS(f, TIME_NS), f->time_ns);
	KEY(c, "seq");
	U(c, f, SEQ, seq);
	sig_fields(c);
	access_fields(c);
	call_fields(c);
	process_object(c);
	target_object(c);
	put_tail(c);
}

static void notice(struct fctx *c)
{
	const struct pmg_notice *n = c->n;

	put_lit(c, "{\"type\":\"notice\",\"time\":");
	put_time(c, PMG_HAS(n, PMG_N_TIME_NS), n->time_ns);
	KEY(c, "seq");
	if (PMG_HAS(n, PMG_N_SEQ))
		jw_u64(c->w, n->seq);
	else
		null(c);
	KEY(c, "event");
	jw_qstr(c->w, c->event);
	KEY(c, "command");
	name_or_null(c, PMG_HAS(n, PMG_N_CMD) ? pmg_cmd_name(n->cmd) : NULL);
	KEY(c, "detail");
	BYTES(c, PMG_HAS(n, PMG_N_DETAIL), S_DETAIL, "detail", n->detail,
	      "detail_b64");
	put_lit(c, ",\"by\":{\"pid\":");
	if (PMG_HAS(n, PMG_N_PID))
		jw_u64(c->w, n->pid);
	else
		null(c);
	KEY(c, "uid");
	if (PMG_HAS(n, PMG_N_UID) && PMG_HAS(n, PMG_N_PID))
		jw_u64(c->w, n->uid);
	else
		null(c);
	KEY(c, "comm");
	BYTES(c, PMG_HAS(n, PMG_N_COMM), S_COMM, "by.comm", n->comm,
	      "comm_b64");
	KEY(c, "exe");
	BYTES(c, PMG_HAS(n, PMG_N_EXE), S_EXE, "by.exe", n->exe, "exe_b64");
	jw_c(c->w, '}');
	put_tail(c);
}

static void listener(struct fctx *c)
{
	const struct pmg_lev *e = c->e;

	put_lit(c, "{\"type\":\"listener\",\"time\":");
	put_time(c, true, c->time_ns);
	KEY(c, "event");
	jw_qstr(c->w, c->event);
	KEY(c, "message");
	jw_qbytes(c->w, c->msg, strlen(c->msg));
	KEY(c, "lost");
	if (e->lev == PMG_LEV_LOST && e->lost)
		jw_u64(c->w, e->lost);
	else
		null(c);
	KEY(c, "lost_total");
	jw_u64(c->w, e->lost_total);
	KEY(c, "error");
	if (e->err)
		jw_qbytes(c->w, strerror(-e->err), strlen(strerror(-e->err)));
	else
		null(c);
	KEY(c, "module_version");
	if (e->module_version)
		jw_qbytes(c->w, e->module_version, strlen(e->module_version));
	else
		null(c);
	KEY(c, "output");
	if (e->lev == PMG_LEV_OUTPUT_DROPPED) {
		put_lit(c, "{\"kind\":");
		jw_qstr(c->w, e->output.kind);
		KEY(c, "name");
		jw_qbytes(c->w, e->output.name, lev_name_len(e));
		KEY(c, "dropped");
		jw_u64(c->w, e->output.dropped);
		KEY(c, "dropped_total");
		jw_u64(c->w, e->output.dropped_total);
		KEY(c, "queue_full");
		jw_u64(c->w, e->output.queue_full);
		KEY(c, "failed");
		jw_u64(c->w, e->output.failed);
		KEY(c, "rejected");
		jw_u64(c->w, e->output.rejected);
		KEY(c, "unsent");
		jw_u64(c->w, e->output.unsent);
		KEY(c, "delivered");
		jw_u64(c->w, e->output.delivered);
		jw_c(c->w, '}');
	} else {
		null(c);
	}
	put_tail(c);
}

const struct fmt_ops pmg_fmt_json = {
	.mode = JW_JSON,
	.finding = finding,
	.notice = notice,
	.listener = listener,
};
