// SPDX-License-Identifier: GPL-2.0
/*
 * fmt_ecs.c - --format ecs: Elastic Common Schema 8.17 documents.
 *
 * A finding: "@timestamp" (ms), "ecs.version", "message", "event" {kind
 * "alert", category ["process","intrusion_detection"], type ["access",
 * "allowed"|"denied"], outcome success|failure|unknown, action (the
 * signature's event name), code (TRC-1023), module, dataset
 * "procmem_guard.finding", provider, severity (Tracee's 0..4), sequence,
 * start/end (summaries)}, "log.syslog.severity", "rule" {id, name,
 * description, category, ruleset, reference}, "threat" {framework
 * "MITRE ATT&CK", tactic {id, name, reference}, technique {id, name,
 * reference, subtechnique {...}}}, "host" {name, hostname, id (the machine
 * id), boot.id}, "process" (the accessor: pid, thread.id, parent.pid,
 * name, executable, user.id, real_user.id, group.id), "Target.process"
 * (the target, as Elastic Defend names it: pid, name, thread.id),
 * "file" {path, inode, device} and "procmem_guard" (what ECS has no field
 * for: the ids in the accessor's pid namespace, channel, access, flags,
 * the system call, the exact bytes of strings shown with U+FFFD
 * ("*_b64"), "truncated", ...). Absent values are left out.
 * Notices (event.kind "event", dataset "procmem_guard.notice") and
 * listener events ("procmem_guard.listener") have the same frame.
 */
#include <string.h>

#include "fmt.h"

#define ECS_VERSION	"8.17.0"
#define ATTACK_URL	"https://attack.mitre.org/"

#define key(c, k)		jw_key((c)->w, k)
#define open_key(c, k)		do { key(c, k); jw_open((c)->w, '{'); } while (0)
#define kv_u64(c, k, v)		do { key(c, k); jw_u64((c)->w, v); } while (0)
/* A keyword holding a number: ECS keeps ids as strings. */
#define kv_id(c, k, v)							\
	do {								\
		key(c, k);						\
		jw_c((c)->w, '"');					\
		jw_u64((c)->w, v);					\
		jw_c((c)->w, '"');					\
	} while (0)
#define kv_str(c, k, v)							\
	do {								\
		const char *_v = (v);					\
		if (_v && _v[0]) {					\
			key(c, k);					\
			jw_qstr((c)->w, _v);				\
		}							\
	} while (0)
#define kv_time(c, k, ns)						\
	do {								\
		key(c, k);						\
		jw_c((c)->w, '"');					\
		jw_time((c)->w, ns, 3);					\
		jw_c((c)->w, '"');					\
	} while (0)
#define kv_slot(c, k, slot, name, s)					\
	do {								\
		key(c, k);						\
		put_slot((c)->w, slot, name, s);			\
	} while (0)

static void close_obj(struct fctx *c)
{
	jw_close(c->w, '}');
}

/* The exact bytes of a slot under k (inside procmem_guard). */
static void kv_b64(struct fctx *c, const char *k, int slot, const char *p)
{
	char frame[64];
	int n;

	if (!c->w->invalid[slot])
		return;
	n = snprintf(frame, sizeof(frame), "%s\"%s\":",
		     (c->w->member & (1u << c->w->depth)) ? "," : "", k);
	jw_has_member(c->w);
	jw_b64(c->w, slot, frame, (size_t)n, p);
}

/* "ecs", "message" opened: the frame of every document. */
static void start(struct fctx *c)
{
	put_lit(c, "{\"@timestamp\":\"");
	jw_time(c->w, c->time_ns, 3);
	put_lit(c, "\",\"ecs\":{\"version\":\"" ECS_VERSION "\"},"
		"\"message\":\"");
}

static void event_common(struct fctx *c, const char *dataset)
{
	kv_str(c, "module", "procmem_guard");
	kv_str(c, "dataset", dataset);
	kv_str(c, "provider", "procmem-guard");
}

static void log_host(struct fctx *c)
{
	static const char *const names[] = {
		"emergency", "alert", "critical", "error", "warning",
		"notice", "informational", "debug",
	};

	open_key(c, "log");
	open_key(c, "syslog");
	open_key(c, "severity");
	kv_u64(c, "code", (uint64_t)c->severity);
	kv_str(c, "name", names[c->severity]);
	close_obj(c);
	close_obj(c);
	close_obj(c);
	open_key(c, "host");
	key(c, "name");
	put_host(c);
	key(c, "hostname");
	put_host(c);
	kv_str(c, "id", c->L->machine_id);
	if (c->L->boot_id[0]) {
		open_key(c, "boot");
		kv_str(c, "id", c->L->boot_id);
		close_obj(c);
	}
	close_obj(c);
}

static void threat(struct fctx *c)
{
	const struct pmg_sig_info *si = c->si;
	const struct pmg_tactic *const *t;
	struct jw *w = c->w;

	if (!si || !si->tech_id)
		return;
	open_key(c, "threat");
	kv_str(c, "framework", "MITRE ATT&CK");
	open_key(c, "tactic");
	put_lit(c, "\"id\":[");
	for (t = si->tactics; *t; t++) {
		if (t != si->tactics)
			jw_c(w, ',');
		jw_qstr(w, (*t)->id);
	}
	put_lit(c, "],\"name\":[");
	for (t = si->tactics; *t; t++) {
		if (t != si->tactics)
			jw_c(w, ',');
		jw_qstr(w, (*t)->name);
	}
	put_lit(c, "],\"reference\":[");
	for (t = si->tactics; *t; t++) {
		if (t != si->tactics)
			jw_c(w, ',');
		put_lit(c, "\"" ATTACK_URL "tactics/");
		jw_str0(w, (*t)->id);
		put_lit(c, "/\"");
	}
	jw_c(w, ']');
	jw_has_member(w);
	close_obj(c);
	open_key(c, "technique");
	put_lit(c, "\"id\":[");
	jw_qstr(w, si->tech_id);
	put_lit(c, "],\"name\":[");
	jw_qstr(w, si->tech_name);
	put_lit(c, "],\"reference\":[\"" ATTACK_URL "techniques/");
	jw_str0(w, si->tech_id);
	put_lit(c, "/\"]");
	jw_has_member(w);
	if (si->sub_id) {
		put_lit(c, ",\"subtechnique\":{\"id\":[");
		jw_qstr(w, si->sub_id);
		put_lit(c, "],\"name\":[");
		jw_qstr(w, si->sub_name);
		put_lit(c, "],\"reference\":[\"" ATTACK_URL "techniques/");
		jw_raw(w, si->sub_id, 5);		/* "T1003" */
		jw_c(w, '/');
		jw_str0(w, si->sub_id + 6);		/* "007" */
		put_lit(c, "/\"]}");
	}
	close_obj(c);
	close_obj(c);
}

static const char *outcome_of(const struct pmg_finding *f)
{
	if (!HAS(f, OUTCOME))
		return HAS(f, ACTION) && f->action == PMG_ACTION_BLOCK ?
		       "failure" : NULL;
	switch (f->outcome) {
	case PMG_OUTCOME_GRANTED:
		return "success";
	case PMG_OUTCOME_REFUSED:
	case PMG_OUTCOME_BLOCKED:
		return "failure";
	}
	return "unknown";
}

static void message(struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	struct jw *w = c->w;
	const char *access = fname(f, PMG_F_ACCESS, pmg_access_name);

	jw_ebytes(w, c->si ? c->si->name : c->label,
		  strlen(c->si ? c->si->name : c->label));
	put_lit(c, ": ");
	jw_ebytes(w, f->comm.p ? f->comm.p : "?", f->comm.p ? f->comm.n : 1);
	put_lit(c, " (pid ");
	jw_u64(w, f->pid);
	put_lit(c, ") ");
	jw_str0(w, access ? access : "access");
	if (HAS(f, TARGET_PID)) {
		jw_c(w, ' ');
		jw_ebytes(w, f->target_comm.p ? f->target_comm.p : "?",
			  f->target_comm.p ? f->target_comm.n : 1);
		put_lit(c, " (pid ");
		jw_u64(w, f->target_pid);
		jw_c(w, ')');
	}
	if (HAS(f, SUMMARY)) {
		put_lit(c, ", ");
		jw_u64(w, f->summary);
		put_lit(c, " times");
	}
	if (HAS(f, ACTION)) {
		put_lit(c, ", ");
		jw_str0(w, pmg_action_name(f->action) ?: "?");
	}
	if (HAS(f, OUTCOME)) {
		put_lit(c, ", ");
		jw_str0(w, pmg_outcome_name(f->outcome) ?: "?");
	}
	put_lit(c, "\"");
	w->member = 1;	/* the top level has members now */
}

static void accessor(struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	open_key(c, "process");
	if (HAS(f, PID))
		kv_u64(c, "pid", f->pid);
	if (HAS(f, TID)) {
		open_key(c, "thread");
		kv_u64(c, "id", f->tid);
		close_obj(c);
	}
	if (HAS(f, PPID)) {
		open_key(c, "parent");
		kv_u64(c, "pid", f->ppid);
		close_obj(c);
	}
	if (HAS(f, COMM))
		kv_slot(c, "name", S_COMM, "process.name", f->comm);
	if (HAS(f, EXE))
		kv_slot(c, "executable", S_EXE, "process.executable", f->exe);
	if (HAS(f, EUID)) {
		open_key(c, "user");
		kv_id(c, "id", f->euid);
		close_obj(c);
	}
	if (HAS(f, UID)) {
		open_key(c, "real_user");
		kv_id(c, "id", f->uid);
		close_obj(c);
	}
	if (HAS(f, GID)) {
		open_key(c, "group");
		kv_id(c, "id", f->gid);
		close_obj(c);
	}
	close_obj(c);
	if (!HAS(f, TARGET_PID) && !HAS(f, TARGET_COMM))
		return;
	open_key(c, "Target");
	open_key(c, "process");
	if (HAS(f, TARGET_PID))
		kv_u64(c, "pid", f->target_pid);
	if (HAS(f, TARGET_COMM))
		kv_slot(c, "name", S_TCOMM, "Target.process.name",
			f->target_comm);
	if (HAS(f, TARGET_TID)) {
		open_key(c, "thread");
		kv_u64(c, "id", f->target_tid);
		close_obj(c);
	}
	close_obj(c);
	close_obj(c);
}

/* What ECS has no field for. */
static void custom(struct fctx *c)
{
	const struct pmg_finding *f = c->f;

	open_key(c, "procmem_guard");
	kv_str(c, "type", fctx_summary(c) ? "summary" : "finding");
	kv_str(c, "signature", c->label);
	if (HAS(f, SEQ))
		kv_u64(c, "seq", f->seq);
	kv_str(c, "channel", fname(f, PMG_F_CHANNEL, pmg_channel_name));
	kv_str(c, "action", fname(f, PMG_F_ACTION, pmg_action_name));
	kv_str(c, "outcome", fname(f, PMG_F_OUTCOME, pmg_outcome_name));
	kv_str(c, "access", fname(f, PMG_F_ACCESS, pmg_access_name));
	if (HAS(f, FLAGS))
		kv_u64(c, "flags", f->flags);
	kv_str(c, "kind", fname(f, PMG_F_KIND, pmg_kind_name));
	if (HAS(f, PROCFS_PATH))
		kv_slot(c, "procfs_path", S_PROCFS, "procmem_guard.procfs_path",
			f->procfs_path);
	kv_b64(c, "procfs_path_b64", S_PROCFS, f->procfs_path.p);
	kv_b64(c, "path_b64", S_PATH, f->path.p);
	if (HAS(f, PARTIAL) && (f->partial & PMG_PARTIAL_PATH)) {
		key(c, "partial");
		put_lit(c, "[\"path\"]");
	}
	if (HAS(f, SUPPRESSED))
		kv_u64(c, "suppressed", f->suppressed);
	if (HAS(f, SYSCALL)) {
		open_key(c, "syscall");
		kv_u64(c, "nr", f->syscall);
		kv_str(c, "name", pmg_syscall_name(f->syscall, f->compat));
		key(c, "compat");
		if (f->compat)
			put_lit(c, "true");
		else
			put_lit(c, "false");
		close_obj(c);
	}
	if (HAS(f, REQUEST)) {
		open_key(c, "request");
		kv_u64(c, "nr", f->request);
		kv_str(c, "name", pmg_ptrace_request_name(f->request));
		close_obj(c);
	}
	if (HAS(f, SUMMARY)) {
		open_key(c, "summary");
		kv_u64(c, "count", f->summary);
		kv_str(c, "reason", fname(f, PMG_F_REASON, pmg_reason_name));
		close_obj(c);
	}
	open_key(c, "process");
	if (HAS(f, VPID))
		kv_u64(c, "vpid", f->vpid);
	if (HAS(f, VTID))
		kv_u64(c, "vtid", f->vtid);
	if (HAS(f, VPPID))
		kv_u64(c, "vppid", f->vppid);
	if (HAS(f, EXE_DEV))
		kv_u64(c, "exe_dev", f->exe_dev);
	if (HAS(f, EXE_INO))
		kv_u64(c, "exe_inode", f->exe_ino);
	if (HAS(f, CGROUP_ID))
		kv_u64(c, "cgroup_id", f->cgroup_id);
	if (HAS(f, PIDNS))
		kv_u64(c, "pid_ns", f->pidns);
	if (HAS(f, MNTNS))
		kv_u64(c, "mnt_ns", f->mntns);
	kv_b64(c, "name_b64", S_COMM, f->comm.p);
	kv_b64(c, "executable_b64", S_EXE, f->exe.p);
	close_obj(c);
	open_key(c, "target");
	if (HAS(f, TARGET_VPID))
		kv_u64(c, "vpid", f->target_vpid);
	if (HAS(f, TARGET_VTID))
		kv_u64(c, "vtid", f->target_vtid);
	if (HAS(f, TARGET_SELF)) {
		key(c, "self");
		if (f->target_self)
			put_lit(c, "true");
		else
			put_lit(c, "false");
	}
	kv_b64(c, "name_b64", S_TCOMM, f->target_comm.p);
	close_obj(c);
	put_truncated(c, ",\"truncated\":", sizeof(",\"truncated\":") - 1);
	close_obj(c);
}

static void finding(struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	const struct pmg_sig_info *si = c->si;
	bool denied = HAS(f, ACTION) && f->action == PMG_ACTION_BLOCK;
	struct jw *w = c->w;

	start(c);
	message(c);
	open_key(c, "event");
	kv_str(c, "kind", "alert");
	put_lit(c, ",\"category\":[\"process\",\"intrusion_detection\"],"
		"\"type\":[\"access\",");
	if (denied)
		put_lit(c, "\"denied\"]");
	else
		put_lit(c, "\"allowed\"]");
	kv_str(c, "outcome", outcome_of(f));
	kv_str(c, "action", si ? si->event : NULL);
	kv_str(c, "code", c->label);
	event_common(c, "procmem_guard.finding");
	if (si)
		kv_u64(c, "severity", (uint64_t)si->severity);
	if (HAS(f, SEQ))
		kv_u64(c, "sequence", f->seq);
	if (HAS(f, SUMMARY)) {
		if (HAS(f, FIRST_NS))
			kv_time(c, "start", f->first_ns);
		if (HAS(f, TIME_NS))
			kv_time(c, "end", f->time_ns);
	}
	close_obj(c);
	log_host(c);
	open_key(c, "rule");
	kv_str(c, "id", c->label);
	kv_str(c, "name", si ? si->name : NULL);
	kv_str(c, "description", si ? si->description : NULL);
	kv_str(c, "category", si ? si->category : NULL);
	kv_str(c, "ruleset", "procmem-guard");
	if (si && si->sub_id) {
		key(c, "reference");
		put_lit(c, "\"" ATTACK_URL "techniques/");
		jw_raw(w, si->sub_id, 5);
		jw_c(w, '/');
		jw_str0(w, si->sub_id + 6);
		put_lit(c, "/\"");
	} else if (si && si->tech_id) {
		key(c, "reference");
		put_lit(c, "\"" ATTACK_URL "techniques/");
		jw_str0(w, si->tech_id);
		put_lit(c, "/\"");
	}
	close_obj(c);
	threat(c);
	accessor(c);
	if (HAS(f, PATH) || HAS(f, INO)) {
		open_key(c, "file");
		if (HAS(f, PATH))
			kv_slot(c, "path", S_PATH, "file.path", f->path);
		if (HAS(f, INO))
			kv_id(c, "inode", f->ino);
		if (HAS(f, DEV))
			kv_id(c, "device", f->dev);
		close_obj(c);
	}
	custom(c);
	jw_c(w, '}');
}

/* event.category and event.type of a notice or a listener event. */
static void categories(struct fctx *c, const char *category,
		       const char *type)
{
	put_lit(c, ",\"category\":[\"");
	jw_str0(c->w, category);
	put_lit(c, "\"],\"type\":[\"");
	jw_str0(c->w, type);
	put_lit(c, "\"]");
}

static void notice(struct fctx *c)
{
	const struct pmg_notice *n = c->n;
	const char *cmd = PMG_HAS(n, PMG_N_CMD) ? pmg_cmd_name(n->cmd) : NULL;
	struct jw *w = c->w;

	start(c);
	jw_str0(w, "procmem-guard ");
	jw_str0(w, c->event);
	if (PMG_HAS(n, PMG_N_DETAIL)) {
		put_lit(c, ": ");
		jw_bytes(w, S_DETAIL, "message", n->detail.p, n->detail.n);
	}
	jw_c(w, '"');
	w->member = 1;
	open_key(c, "event");
	kv_str(c, "kind", "event");
	switch (n->type) {
	case PMG_NOTICE_POLICY:
		categories(c, "configuration", "change");
		break;
	case PMG_NOTICE_UNLOAD:
		categories(c, "driver", "end");
		break;
	default:
		categories(c, "driver", "change");
		break;
	}
	kv_str(c, "action", c->event);
	event_common(c, "procmem_guard.notice");
	if (PMG_HAS(n, PMG_N_SEQ))
		kv_u64(c, "sequence", n->seq);
	close_obj(c);
	log_host(c);
	if (PMG_HAS(n, PMG_N_PID)) {
		open_key(c, "process");
		kv_u64(c, "pid", n->pid);
		if (PMG_HAS(n, PMG_N_COMM))
			kv_slot(c, "name", S_COMM, "process.name", n->comm);
		if (PMG_HAS(n, PMG_N_EXE))
			kv_slot(c, "executable", S_EXE, "process.executable",
				n->exe);
		close_obj(c);
		if (PMG_HAS(n, PMG_N_UID)) {
			open_key(c, "user");
			kv_id(c, "id", n->uid);
			close_obj(c);
		}
	}
	open_key(c, "procmem_guard");
	kv_str(c, "type", "notice");
	kv_str(c, "notice", c->event);
	kv_str(c, "command", cmd);
	if (PMG_HAS(n, PMG_N_SEQ))
		kv_u64(c, "seq", n->seq);
	kv_b64(c, "detail_b64", S_DETAIL, n->detail.p);
	open_key(c, "process");
	kv_b64(c, "name_b64", S_COMM, n->comm.p);
	kv_b64(c, "executable_b64", S_EXE, n->exe.p);
	close_obj(c);
	put_truncated(c, ",\"truncated\":", sizeof(",\"truncated\":") - 1);
	close_obj(c);
	jw_c(w, '}');
}

static void listener(struct fctx *c)
{
	const struct pmg_lev *e = c->e;
	struct jw *w = c->w;

	start(c);
	jw_ebytes(w, c->msg, strlen(c->msg));
	jw_c(w, '"');
	w->member = 1;
	open_key(c, "event");
	kv_str(c, "kind", "event");
	switch (e->lev) {
	case PMG_LEV_STARTED:
		categories(c, "process", "start");
		break;
	case PMG_LEV_STOPPED:
		categories(c, "process", "end");
		break;
	case PMG_LEV_MODULE_LOADED:
		categories(c, "driver", "start");
		break;
	case PMG_LEV_MODULE_UNLOADED:
		categories(c, "driver", "end");
		break;
	default:
		categories(c, "process", "info");
		break;
	}
	kv_str(c, "action", c->event);
	event_common(c, "procmem_guard.listener");
	if (e->lev == PMG_LEV_ERROR || e->lev == PMG_LEV_BAD_MESSAGE)
		kv_str(c, "outcome", "failure");
	close_obj(c);
	log_host(c);
	open_key(c, "procmem_guard");
	kv_str(c, "type", "listener");
	if (e->lev == PMG_LEV_LOST && e->lost)
		kv_u64(c, "lost", e->lost);
	kv_u64(c, "lost_total", e->lost_total);
	if (e->module_version) {
		key(c, "module_version");
		jw_qbytes(w, e->module_version, strlen(e->module_version));
	}
	if (e->lev == PMG_LEV_OUTPUT_DROPPED) {
		open_key(c, "output");
		kv_str(c, "kind", e->output.kind);
		key(c, "name");
		jw_qbytes(w, e->output.name, lev_name_len(e));
		kv_u64(c, "dropped", e->output.dropped);
		kv_u64(c, "dropped_total", e->output.dropped_total);
		kv_u64(c, "queue_full", e->output.queue_full);
		kv_u64(c, "failed", e->output.failed);
		kv_u64(c, "rejected", e->output.rejected);
		kv_u64(c, "unsent", e->output.unsent);
		kv_u64(c, "delivered", e->output.delivered);
		close_obj(c);
	}
	close_obj(c);
	jw_c(w, '}');
}

const struct fmt_ops pmg_fmt_ecs = {
	.mode = JW_JSON,
	.finding = finding,
	.notice = notice,
	.listener = listener,
};
