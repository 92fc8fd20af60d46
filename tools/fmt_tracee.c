// SPDX-License-Identifier: GPL-2.0
/*
 * fmt_tracee.c - --format tracee: the legacy finding event of Tracee
 * v0.24 (types/trace/trace.go's trace.Event as encoding/json writes it,
 * filled as pkg/events/findings/findings.go fills it), member for member
 * and in Tracee's order:
 *
 * {"timestamp","threadStartTime","processorId","processId","cgroupId",
 *  "threadId","parentProcessId","hostProcessId","hostThreadId",
 *  "hostParentProcessId","userId","mountNamespace","pidNamespace",
 *  "processName","executable":{"path"},"hostName","containerId",
 *  "container":{},"kubernetes":{},"eventId" (a string),"eventName",
 *  "matchedPolicies":["procmem-guard"],"argsNum","returnValue","syscall",
 *  "stackAddresses":null,"contextFlags":{"containerStarted","isCompat"},
 *  "threadEntityId","processEntityId","parentEntityId",
 *  "args":[{"name":"detectedFrom","type":"unknown","value":{"args":[...],
 *           "id","name","returnValue"}}, finding data...],
 *  "metadata":{"Version","Description","Tags":null,"Properties":{
 *   "Category","Kubernetes_Technique","Severity","Technique",
 *   "external_id","id","signatureID","signatureName"}}}
 *
 * The process context is the accessor's; detectedFrom is the system call
 * or hook Tracee's signature selects (security_file_open for mem opens,
 * ptrace, process_vm_writev, ...) with Tracee v0.24's argument names and
 * types. What the kernel does not report is 0 or "" as Tracee would have
 * it (threadStartTime, processorId, the entity ids, a security_file_open's
 * ctime and syscall_pathname, ptrace's addr and data, the iovecs). Tracee
 * v0.23 and older call detectedFrom "triggeredBy" (the rename is in
 * v0.24.0). Finding data args (before Tracee's own, which has none for
 * these signatures) carry what has no place in Tracee's event: the exact
 * bytes of a string shown with U+FFFD ("processName_b64",
 * "executable.path_b64", "pathname_b64", type "const char *"), the cut
 * fields ("truncated", "const char**"), and a summary's "summaryCount"
 * ("unsigned int"), "summaryReason" and "summaryFirstTime".
 *
 * Notices and listener events are events of the same shape without
 * metadata: eventName "procmem_guard_<what>", their fields as args.
 */
#include <string.h>

#include "fmt.h"

/* One more arg (argsNum is at most 9: one digit, patched in at the end). */
static void arg_start(struct fctx *c)
{
	jw_elem(c->w);
	c->nargs++;
}

static void args_num(struct fctx *c)
{
	c->nargs = 0;
	c->nargs_at = c->w->b->len;
	jw_c(c->w, '0');
}

static void args_num_end(struct fctx *c)
{
	if (!c->w->b->oom && c->nargs < 10)
		c->w->b->p[c->nargs_at] = (char)('0' + c->nargs);
}

#define ARG_STR(c, name, s)						\
	do {								\
		arg_start(c);						\
		put_lit(c, "{\"name\":\"" name "\",\"type\":\"const char *\",\"value\":"); \
		jw_qstr((c)->w, s);					\
		jw_c((c)->w, '}');					\
	} while (0)

/* {"name":..,"type":..,"value": then the value and "}". */
static void arg_head(struct fctx *c, const char *name, const char *type)
{
	arg_start(c);
	put_lit(c, "{\"name\":\"");
	jw_str0(c->w, name);
	put_lit(c, "\",\"type\":\"");
	jw_str0(c->w, type);
	put_lit(c, "\",\"value\":");
}

static void arg_u64(struct fctx *c, const char *name, const char *type,
		    uint64_t v)
{
	arg_head(c, name, type);
	jw_u64(c->w, v);
	jw_c(c->w, '}');
}

static void arg_i64(struct fctx *c, const char *name, const char *type,
		    int64_t v)
{
	arg_head(c, name, type);
	jw_i64(c->w, v);
	jw_c(c->w, '}');
}

/* The exact bytes of a slot, as a finding data arg, when needed. */
static void arg_b64(struct fctx *c, int slot, const char *frame,
		    size_t framelen, const char *p)
{
	if (!c->w->invalid[slot])
		return;
	arg_start(c);
	jw_b64(c->w, slot, frame, framelen, p);
	jw_c(c->w, '}');
}

#define ARG_B64(c, slot, name, p)					\
	arg_b64(c, slot, "{\"name\":\"" name "\",\"type\":\"const char *\",\"value\":", \
		sizeof("{\"name\":\"" name "\",\"type\":\"const char *\",\"value\":") - 1, p)

/* The accessor's context: timestamp .. hostName. */
static void context(struct fctx *c, uint64_t ns, uint32_t vpid,
		    uint64_t cgroup, uint32_t vtid, uint32_t vppid,
		    uint32_t pid, uint32_t tid, uint32_t ppid, uint32_t uid,
		    uint32_t mntns, uint32_t pidns, struct pmg_str comm,
		    struct pmg_str exe, const char *comm_name,
		    const char *exe_name)
{
	struct jw *w = c->w;

	put_lit(c, "{\"timestamp\":");
	jw_u64(w, ns);
	put_lit(c, ",\"threadStartTime\":0,\"processorId\":0,\"processId\":");
	jw_u64(w, vpid);
	put_lit(c, ",\"cgroupId\":");
	jw_u64(w, cgroup);
	put_lit(c, ",\"threadId\":");
	jw_u64(w, vtid);
	put_lit(c, ",\"parentProcessId\":");
	jw_u64(w, vppid);
	put_lit(c, ",\"hostProcessId\":");
	jw_u64(w, pid);
	put_lit(c, ",\"hostThreadId\":");
	jw_u64(w, tid);
	put_lit(c, ",\"hostParentProcessId\":");
	jw_u64(w, ppid);
	put_lit(c, ",\"userId\":");
	jw_u64(w, uid);
	put_lit(c, ",\"mountNamespace\":");
	jw_u64(w, mntns);
	put_lit(c, ",\"pidNamespace\":");
	jw_u64(w, pidns);
	put_lit(c, ",\"processName\":");
	put_slot(w, S_COMM, comm_name, comm);
	put_lit(c, ",\"executable\":{\"path\":");
	put_slot(w, S_EXE, exe_name, exe);
	put_lit(c, "},\"hostName\":");
	put_host(c);
	put_lit(c, ",\"containerId\":\"\",\"container\":{},\"kubernetes\":{},"
		"\"eventId\":\"");
}

/* The triggering event's args, per Tracee v0.24's event definitions. */
static void trigger_args(struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	const char *t = c->si ? c->si->trigger : "";
	struct jw *w = c->w;
	uint32_t request = HAS(f, REQUEST) ? f->request : 0;

	if (!strcmp(t, "security_file_open")) {
		arg_start(c);
		put_lit(c, "{\"name\":\"pathname\",\"type\":\"string\","
			"\"value\":");
		put_slot(w, S_PATH, "args.detectedFrom.pathname", f->path);
		jw_c(w, '}');
		arg_u64(c, "flags", "int32", f->flags);
		arg_u64(c, "dev", "uint32", f->dev);
		arg_u64(c, "inode", "uint64", f->ino);
		arg_u64(c, "ctime", "uint64", 0);
		arg_start(c);
		put_lit(c, "{\"name\":\"syscall_pathname\",\"type\":\"string\","
			"\"value\":\"\"}");
	} else if (!strcmp(t, "ptrace")) {
		/* attach, seize, traceme: the request the channel implies */
		if (!HAS(f, REQUEST) && c->si &&
		    c->si->id == PMG_SIG_PTRACE_ATTACH)
			request = 16;	/* PTRACE_ATTACH */
		arg_i64(c, "request", "int64", (int64_t)(int32_t)request);
		arg_u64(c, "pid", "int32", f->target_vpid);
		arg_u64(c, "addr", "trace.Pointer", 0);
		arg_u64(c, "data", "trace.Pointer", 0);
	} else if (!strcmp(t, "pidfd_getfd")) {
		arg_u64(c, "pidfd", "int32", 0);
		arg_u64(c, "targetfd", "int32", 0);
		arg_u64(c, "flags", "uint32", 0);
	} else if (t[0]) {	/* process_vm_readv, process_vm_writev */
		arg_u64(c, "pid", "int32", f->target_vpid);
		arg_u64(c, "local_iov", "trace.Pointer", 0);
		arg_u64(c, "liovcnt", "uint64", 0);
		arg_u64(c, "remote_iov", "trace.Pointer", 0);
		arg_u64(c, "riovcnt", "uint64", 0);
		arg_u64(c, "flags", "uint64", 0);
	}
}

static void truncated_arg(struct fctx *c)
{
	if (!c->w->ncut)
		return;
	arg_start(c);
	put_lit(c, "{\"name\":\"truncated\",\"type\":\"const char**\","
		"\"value\":[");
	jw_cut_names(c->w);
	put_lit(c, "]}");
}

static void finding(struct fctx *c)
{
	const struct pmg_finding *f = c->f;
	const struct pmg_sig_info *si = c->si;
	static const struct pmg_str none = { "", 0 };
	struct jw *w = c->w;
	const char *sc;

	context(c, f->time_ns, f->vpid, f->cgroup_id, f->vtid, f->vppid,
		f->pid, f->tid, f->ppid, f->uid, f->mntns, f->pidns,
		HAS(f, COMM) ? f->comm : none, HAS(f, EXE) ? f->exe : none,
		"processName", "executable.path");
	jw_str0(w, si ? si->event_id : "0");
	put_lit(c, "\",\"eventName\":");
	jw_qstr(w, si ? si->event : c->label);
	put_lit(c, ",\"matchedPolicies\":[\"procmem-guard\"],\"argsNum\":");
	args_num(c);
	put_lit(c, ",\"returnValue\":");
	jw_i64(w, fctx_retval(c));
	put_lit(c, ",\"syscall\":");
	sc = HAS(f, SYSCALL) ? pmg_syscall_name(f->syscall, f->compat) : NULL;
	jw_qstr(w, sc ? sc : "");
	put_lit(c, ",\"stackAddresses\":null,\"contextFlags\":"
		"{\"containerStarted\":false,\"isCompat\":");
	if (f->compat)
		put_lit(c, "true");
	else
		put_lit(c, "false");
	put_lit(c, "},\"threadEntityId\":0,\"processEntityId\":0,"
		"\"parentEntityId\":0,\"args\":");
	jw_open(w, '[');
	arg_start(c);
	put_lit(c, "{\"name\":\"detectedFrom\",\"type\":\"unknown\","
		"\"value\":{\"args\":");
	jw_open(w, '[');
	trigger_args(c);
	jw_close(w, ']');
	c->nargs = 1;	/* the triggering event's args are not Tracee's */
	put_lit(c, ",\"id\":");
	jw_u64(w, si ? (uint64_t)si->trigger_id : 0);
	put_lit(c, ",\"name\":");
	jw_qstr(w, si ? si->trigger : "");
	put_lit(c, ",\"returnValue\":");
	jw_i64(w, fctx_retval(c));
	put_lit(c, "}}");
	ARG_B64(c, S_COMM, "processName_b64", f->comm.p);
	ARG_B64(c, S_EXE, "executable.path_b64", f->exe.p);
	ARG_B64(c, S_PATH, "pathname_b64", f->path.p);
	if (fctx_summary(c)) {
		arg_u64(c, "summaryCount", "unsigned int", f->summary);
		ARG_STR(c, "summaryReason",
			fname(f, PMG_F_REASON, pmg_reason_name) ?: "");
		if (HAS(f, FIRST_NS))
			arg_u64(c, "summaryFirstTime", "unsigned long",
				f->first_ns);
	}
	truncated_arg(c);
	jw_close(w, ']');
	args_num_end(c);
	put_lit(c, ",\"metadata\":{\"Version\":\"1\",\"Description\":");
	jw_qstr(w, si ? si->description : "");
	put_lit(c, ",\"Tags\":null,\"Properties\":{\"Category\":");
	jw_qstr(w, si ? si->category : "");
	put_lit(c, ",\"Kubernetes_Technique\":\"\",\"Severity\":");
	jw_u64(w, si ? (uint64_t)si->severity : 0);
	put_lit(c, ",\"Technique\":");
	jw_qstr(w, si ? si->technique : "");
	put_lit(c, ",\"external_id\":");
	jw_qstr(w, si ? si->mitre : "");
	put_lit(c, ",\"id\":");
	jw_qstr(w, si ? si->stix_id : "");
	put_lit(c, ",\"signatureID\":");
	jw_qstr(w, c->label);
	put_lit(c, ",\"signatureName\":");
	jw_qstr(w, si ? si->name : "");
	put_lit(c, "}}}");
}

/* An event without metadata: "procmem_guard_<what>". */
static void event_name(struct fctx *c, const char *id)
{
	const char *p;

	jw_str0(c->w, id);
	put_lit(c, "\",\"eventName\":\"procmem_guard_");
	for (p = c->event; *p; p++)
		jw_c(c->w, (char)(*p == '-' ? '_' : *p));
	put_lit(c, "\",\"matchedPolicies\":[\"procmem-guard\"],\"argsNum\":");
}

static void event_tail(struct fctx *c)
{
	put_lit(c, ",\"returnValue\":0,\"syscall\":\"\",\"stackAddresses\":null,"
		"\"contextFlags\":{\"containerStarted\":false,"
		"\"isCompat\":false},\"threadEntityId\":0,"
		"\"processEntityId\":0,\"parentEntityId\":0,\"args\":");
}

static void notice(struct fctx *c)
{
	const struct pmg_notice *n = c->n;
	static const struct pmg_str none = { "", 0 };
	bool who = PMG_HAS(n, PMG_N_PID);
	const char *cmd = PMG_HAS(n, PMG_N_CMD) ? pmg_cmd_name(n->cmd) : NULL;
	struct jw *w = c->w;
	char id[8];

	snprintf(id, sizeof(id), "%u", 7100u + n->type);
	context(c, n->time_ns, 0, 0, 0, 0, who ? n->pid : 0, who ? n->pid : 0,
		0, who ? n->uid : 0, 0, 0,
		PMG_HAS(n, PMG_N_COMM) ? n->comm : none,
		PMG_HAS(n, PMG_N_EXE) ? n->exe : none, "processName",
		"executable.path");
	event_name(c, id);
	args_num(c);
	event_tail(c);
	jw_open(w, '[');
	arg_u64(c, "seq", "unsigned long", n->seq);
	ARG_STR(c, "command", cmd ? cmd : "");
	arg_start(c);
	put_lit(c, "{\"name\":\"detail\",\"type\":\"const char *\",\"value\":");
	put_slot(w, S_DETAIL, "args.detail",
		 PMG_HAS(n, PMG_N_DETAIL) ? n->detail : none);
	jw_c(w, '}');
	ARG_B64(c, S_COMM, "processName_b64", n->comm.p);
	ARG_B64(c, S_EXE, "executable.path_b64", n->exe.p);
	ARG_B64(c, S_DETAIL, "detail_b64", n->detail.p);
	truncated_arg(c);
	jw_close(w, ']');
	args_num_end(c);
	jw_c(w, '}');
}

static void listener(struct fctx *c)
{
	static const struct pmg_str none = { "", 0 };
	const struct pmg_lev *e = c->e;
	struct jw *w = c->w;
	char id[8];

	snprintf(id, sizeof(id), "%u", 7200u + (unsigned int)e->lev);
	context(c, c->time_ns, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, none, none,
		"processName", "executable.path");
	event_name(c, id);
	args_num(c);
	event_tail(c);
	jw_open(w, '[');
	arg_start(c);
	put_lit(c, "{\"name\":\"message\",\"type\":\"const char *\",\"value\":");
	jw_qbytes(w, c->msg, strlen(c->msg));
	jw_c(w, '}');
	arg_u64(c, "lost", "unsigned long", e->lost);
	arg_u64(c, "lostTotal", "unsigned long", e->lost_total);
	jw_close(w, ']');
	args_num_end(c);
	jw_c(w, '}');
}

const struct fmt_ops pmg_fmt_tracee = {
	.mode = JW_JSON,
	.finding = finding,
	.notice = notice,
	.listener = listener,
};
