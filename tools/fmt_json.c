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

static void host_fields(struct fctx *c)
{
	put_lit(c, ",\"hostname\":");
	put_host(c);
	put_lit(c, ",\"boot_id\":");
	name_or_null(c, c->L->boot_id[0] ? c->L->boot_id : NULL);
}

static void put_tail(struct fctx *c)
{
	host_fields(c);
	put_truncated(c, ",\"truncated\":", sizeof(",\"truncated\":") - 1);
	jw_c(c->w, '}');
}

/* put_tail(), with the host's fields written once into L->host_json. */
static void put_tail_memo(struct fctx *c)
{
	struct pmg_lines *L = c->L;
	struct jw *w = c->w, tw;

	if (!L->host_json_valid) {
		jw_start(&tw, &L->host_json, JW_JSON, NULL);
		c->w = &tw;
		host_fields(c);
		c->w = w;
		L->host_json_valid = !L->host_json.oom;
		if (!L->host_json_valid) {
			put_tail(c);
			return;
		}
	}
	jw_raw(w, L->host_json.p, L->host_json.len);
	put_truncated(c, ",\"truncated\":", sizeof(",\"truncated\":") - 1);
	jw_c(w, '}');
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

/*
 * A finding, the line written most, is written in blocks (jw.h,
 * jw_room()): one ends after each group of fields below. The longest,
 * access_fields(), is at most 617 bytes (107 of keys, 5 names and 2
 * strings of the kernel counted as JW_NAME_MAX + 2 each, 2 numbers, 8).
 */

/* A number if the finding has it, else null. */
static char *u_or_null(char *o, bool has, uint64_t v)
{
	return has ? jo_u64(o, v) : jo_lit(o, "null");
}

/* The same for the field attr of a finding, through its memo. */
static inline char *field_or_null(struct fctx *c, char *o, bool has,
				  int attr, uint64_t v)
{
	return has ? jo_u64_memo(&c->L->num[attr], o, v) : jo_lit(o, "null");
}

/* The name table(v) of the field attr, through its memo. */
static inline char *name_of_field(struct fctx *c, char *o, int attr,
				  unsigned int v,
				  const char *(*table)(unsigned int))
{
	struct jw_name_memo *m = &c->L->name[attr];

	if (jo_name_kept(m, v))
		return jo_name_memo(m, o);
	return jo_name_keep(c->w, m, o, v, table(v));
}

#define OU(o, f, a, m)	field_or_null(c, o, HAS(f, a), PMG_F_##a, (f)->m)

static char *name_or_null_at(struct jw *w, char *o, const char *s)
{
	return s ? jo_qname(w, o, s) : jo_lit(o, "null");
}

static char *time_or_null_at(char *o, bool has, uint64_t ns)
{
	if (!has)
		return jo_lit(o, "null");
	*o++ = '"';
	o = jo_time(o, ns, 9);
	*o++ = '"';
	return o;
}

/* A string of the kernel (jo_slot()), or null. */
static char *slot_or_null(struct fctx *c, char *o, bool has, int slot,
			  const char *name, struct pmg_str s,
			  const char *frame, size_t framelen)
{
	if (!has)
		return jo_lit(o, "null");
	return jo_slot(c->w, o, slot, name, s.p, s.n, frame, framelen);
}

#define OBYTES(c, o, has, slot, name, s, b64key)			\
	slot_or_null(c, o, has, slot, name, s, ",\"" b64key "\":",	\
		     sizeof(",\"" b64key "\":") - 1)

/* A table's name of the field attr (a u8 of f) if f has it, else null. */
#define ONAME(o, f, a, m, table)						\
	(HAS(f, a) ? name_of_field(c, o, PMG_F_##a, (f)->m, table) :	\
		     jo_lit(o, "null"))

static char *sig_fields(struct fctx *c, char *o)
{
	const struct pmg_sig_info *si = c->si;
	struct jw *w = c->w;

	o = jo_lit(o, ",\"signature\":");
	o = jo_qname(w, o, c->label);
	o = jo_lit(o, ",\"event\":");
	o = name_or_null_at(w, o, si ? si->event : NULL);
	o = jo_lit(o, ",\"name\":");
	o = name_or_null_at(w, o, si ? si->name : NULL);
	o = jo_lit(o, ",\"severity\":");
	o = u_or_null(o, si, si ? (uint64_t)si->severity : 0);
	o = jo_lit(o, ",\"category\":");
	o = name_or_null_at(w, o, si && si->category[0] ? si->category : NULL);
	o = jo_lit(o, ",\"technique\":");
	o = name_or_null_at(w, o,
			    si && si->technique[0] ? si->technique : NULL);
	o = jo_lit(o, ",\"mitre\":");
	return name_or_null_at(w, o, si && si->mitre[0] ? si->mitre : NULL);
}

/*
 * The signature's fields depend on the signature alone: written once
 * into L->sig_json, then copied while the findings keep their signature.
 */
static char *sig_fields_memo(struct fctx *c, char *o)
{
	struct pmg_lines *L = c->L;
	struct jw *w = c->w, tw;

	if (!L->sig_json_valid || L->sig_json_id != c->f->signature) {
		jw_start(&tw, &L->sig_json, JW_JSON, NULL);
		c->w = &tw;
		jw_end(&tw, sig_fields(c, jw_room(&tw)));
		c->w = w;
		L->sig_json_valid = !L->sig_json.oom;
		L->sig_json_id = c->f->signature;
		if (!L->sig_json_valid)
			return sig_fields(c, o);
	}
	/* At most a block of sig_fields(), as it was written. */
	memcpy(o, L->sig_json.p, L->sig_json.len);
	return o + L->sig_json.len;
}

static char *access_fields(struct fctx *c, char *o)
{
	const struct pmg_finding *f = c->f;

	o = jo_lit(o, ",\"channel\":");
	o = ONAME(o, f, CHANNEL, channel, pmg_channel_name);
	o = jo_lit(o, ",\"action\":");
	o = ONAME(o, f, ACTION, action, pmg_action_name);
	o = jo_lit(o, ",\"outcome\":");
	o = ONAME(o, f, OUTCOME, outcome, pmg_outcome_name);
	o = jo_lit(o, ",\"access\":");
	o = ONAME(o, f, ACCESS, access, pmg_access_name);
	o = jo_lit(o, ",\"flags\":");
	o = OU(o, f, FLAGS, flags);
	o = jo_lit(o, ",\"kind\":");
	o = ONAME(o, f, KIND, kind, pmg_kind_name);
	o = jo_lit(o, ",\"path\":");
	o = OBYTES(c, o, HAS(f, PATH), S_PATH, "path", f->path, "path_b64");
	o = jo_lit(o, ",\"procfs_path\":");
	o = OBYTES(c, o, HAS(f, PROCFS_PATH), S_PROCFS, "procfs_path",
		   f->procfs_path, "procfs_path_b64");
	o = jo_lit(o, ",\"partial\":");
	if (!HAS(f, PARTIAL))
		o = jo_lit(o, "null");
	else if (f->partial & PMG_PARTIAL_PATH)
		o = jo_lit(o, "[\"path\"]");
	else
		o = jo_lit(o, "[]");
	o = jo_lit(o, ",\"suppressed\":");
	return OU(o, f, SUPPRESSED, suppressed);
}

static char *call_fields(struct fctx *c, char *o)
{
	const struct pmg_finding *f = c->f;
	struct jw *w = c->w;
	uint64_t v;

	o = jo_lit(o, ",\"syscall\":");
	if (HAS(f, SYSCALL)) {
		o = jo_lit(o, "{\"nr\":");
		o = jo_u64(o, f->syscall);
		o = jo_lit(o, ",\"name\":");
		v = f->syscall | (uint64_t)f->compat << 32;
		if (jo_name_kept(&c->L->name[PMG_F_SYSCALL], v))
			o = jo_name_memo(&c->L->name[PMG_F_SYSCALL], o);
		else
			o = jo_name_keep(w, &c->L->name[PMG_F_SYSCALL], o, v,
					 pmg_syscall_name(f->syscall,
							  f->compat));
		if (f->compat)
			o = jo_lit(o, ",\"compat\":true}");
		else
			o = jo_lit(o, ",\"compat\":false}");
	} else {
		o = jo_lit(o, "null");
	}
	o = jo_lit(o, ",\"request\":");
	if (HAS(f, REQUEST)) {
		o = jo_lit(o, "{\"nr\":");
		o = jo_u64(o, f->request);
		o = jo_lit(o, ",\"name\":");
		o = name_or_null_at(w, o, pmg_ptrace_request_name(f->request));
		*o++ = '}';
	} else {
		o = jo_lit(o, "null");
	}
	o = jo_lit(o, ",\"summary\":");
	if (HAS(f, SUMMARY)) {
		o = jo_lit(o, "{\"count\":");
		o = jo_u64(o, f->summary);
		o = jo_lit(o, ",\"reason\":");
		o = ONAME(o, f, REASON, reason, pmg_reason_name);
		o = jo_lit(o, ",\"first_time\":");
		o = time_or_null_at(o, HAS(f, FIRST_NS), f->first_ns);
		*o++ = '}';
	} else {
		o = jo_lit(o, "null");
	}
	return o;
}

static char *process_object(struct fctx *c, char *o)
{
	const struct pmg_finding *f = c->f;

	o = jo_lit(o, ",\"process\":{\"pid\":");
	o = OU(o, f, PID, pid);
	o = jo_lit(o, ",\"tid\":");
	o = OU(o, f, TID, tid);
	o = jo_lit(o, ",\"ppid\":");
	o = OU(o, f, PPID, ppid);
	o = jo_lit(o, ",\"vpid\":");
	o = OU(o, f, VPID, vpid);
	o = jo_lit(o, ",\"vtid\":");
	o = OU(o, f, VTID, vtid);
	o = jo_lit(o, ",\"vppid\":");
	o = OU(o, f, VPPID, vppid);
	o = jo_lit(o, ",\"uid\":");
	o = OU(o, f, UID, uid);
	o = jo_lit(o, ",\"euid\":");
	o = OU(o, f, EUID, euid);
	o = jo_lit(o, ",\"gid\":");
	o = OU(o, f, GID, gid);
	o = jo_lit(o, ",\"comm\":");
	o = OBYTES(c, o, HAS(f, COMM), S_COMM, "process.comm", f->comm,
		   "comm_b64");
	o = jo_lit(o, ",\"exe\":");
	o = OBYTES(c, o, HAS(f, EXE), S_EXE, "process.exe", f->exe,
		   "exe_b64");
	o = jo_lit(o, ",\"exe_dev\":");
	o = OU(o, f, EXE_DEV, exe_dev);
	o = jo_lit(o, ",\"exe_inode\":");
	o = OU(o, f, EXE_INO, exe_ino);
	o = jo_lit(o, ",\"cgroup_id\":");
	o = OU(o, f, CGROUP_ID, cgroup_id);
	o = jo_lit(o, ",\"pid_ns\":");
	o = OU(o, f, PIDNS, pidns);
	o = jo_lit(o, ",\"mnt_ns\":");
	o = OU(o, f, MNTNS, mntns);
	*o++ = '}';
	return o;
}

static char *target_object(struct fctx *c, char *o)
{
	const struct pmg_finding *f = c->f;

	o = jo_lit(o, ",\"target\":{\"pid\":");
	o = OU(o, f, TARGET_PID, target_pid);
	o = jo_lit(o, ",\"tid\":");
	o = OU(o, f, TARGET_TID, target_tid);
	o = jo_lit(o, ",\"vpid\":");
	o = OU(o, f, TARGET_VPID, target_vpid);
	o = jo_lit(o, ",\"vtid\":");
	o = OU(o, f, TARGET_VTID, target_vtid);
	o = jo_lit(o, ",\"comm\":");
	o = OBYTES(c, o, HAS(f, TARGET_COMM), S_TCOMM, "target.comm",
		   f->target_comm, "comm_b64");
	o = jo_lit(o, ",\"self\":");
	if (!HAS(f, TARGET_SELF))
		o = jo_lit(o, "null");
	else if (f->target_self)
		o = jo_lit(o, "true");
	else
		o = jo_lit(o, "false");
	o = jo_lit(o, "},\"file\":{\"dev\":");
	o = OU(o, f, DEV, dev);
	o = jo_lit(o, ",\"inode\":");
	o = OU(o, f, INO, ino);
	*o++ = '}';
	return o;
}

static void finding(struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	char *o = jw_room(c->w);

	if (fctx_summary(c))
		o = jo_lit(o, "{\"type\":\"summary\",\"time\":");
	else
		o = jo_lit(o, "{\"type\":\"finding\",\"time\":");
	o = time_or_null_at(o, HAS(f, TIME_NS), f->time_ns);
	o = jo_lit(o, ",\"seq\":");
	o = OU(o, f, SEQ, seq);
	o = sig_fields_memo(c, o);
	o = access_fields(c, jw_next(c->w, o));
	o = call_fields(c, jw_next(c->w, o));
	o = process_object(c, jw_next(c->w, o));
	o = target_object(c, jw_next(c->w, o));
	jw_end(c->w, o);
	put_tail_memo(c);
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
