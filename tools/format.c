// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - findings, configuration, rules and statistics as text or JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/printbuf.h>

#include "escape.h"
#include "format.h"

int pmg_format_parse(const char *name, enum pmg_format *out)
{
	if (!strcmp(name, "text"))
		*out = PMG_FORMAT_TEXT;
	else if (!strcmp(name, "json"))
		*out = PMG_FORMAT_JSON;
	else if (!strcmp(name, "tracee"))
		*out = PMG_FORMAT_TRACEE;
	else
		return -EINVAL;
	return 0;
}

/* From Tracee's signatures proc_mem_access.go and proc_mem_code_injection.go */
static const struct pmg_sig_info sigs[] = {
	{
		.id = PMG_SIG_MEM_READ,
		.trc = "TRC-1023",
		.event = "proc_mem_access",
		.name = "Process memory access detected",
		.description = "Process memory access detected. Adversaries may "
			"access other processes memory to steal credentials "
			"and secrets.",
		.severity = 3,
		.category = "credential-access",
		.technique = "Proc Filesystem",
		.mitre = "T1003.007",
		.stix_id = "attack-pattern--3120b9fa-23b8-4500-ae73-09494f607b7d",
	},
	{
		.id = PMG_SIG_MEM_WRITE,
		.trc = "TRC-1024",
		.event = "proc_mem_code_injection",
		.name = "Code injection detected through /proc/<pid>/mem file",
		.description = "Possible code injection into another process "
			"was detected. Code injection is an exploitation "
			"technique used to run malicious code, adversaries may "
			"use it in order to execute their malware.",
		.severity = 3,
		.category = "defense-evasion",
		.technique = "Proc Memory",
		.mitre = "T1055.009",
		.stix_id = "attack-pattern--d201d4cc-214d-4a74-a1ba-b3fa09fd4591",
	},
};

const struct pmg_sig_info *pmg_sig_info(uint32_t signature)
{
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigs[i].id == signature)
			return &sigs[i];
	return NULL;
}

int pmg_format_time(uint64_t ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;
	int k;

	if (!gmtime_r(&sec, &tm))
		return -EOVERFLOW;
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return -ENOSPC;
	k = snprintf(buf + n, len - n, ".%09uZ",
		     (unsigned int)(ns % 1000000000u));
	if (k < 0 || (size_t)k >= len - n)
		return -ENOSPC;
	return 0;
}

/* --- JSON helpers ---------------------------------------------------------- */

static int bytes_serializer(json_object *o, struct printbuf *pb,
			    int level, int flags)
{
	(void)level;
	(void)flags;
	if (printbuf_strappend(pb, "\"") < 0 ||
	    pmg_json_escape(pb, json_object_get_string(o),
			    (size_t)json_object_get_string_len(o)) ||
	    printbuf_strappend(pb, "\"") < 0)
		return -1;
	return 0;
}

json_object *pmg_json_bytes(const char *s)
{
	json_object *o;

	if (!s)
		return NULL;
	o = json_object_new_string(s);
	if (o)
		json_object_set_serializer(o, bytes_serializer, NULL, NULL);
	return o;
}

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* Values of a struct that has a "present" mask, as JSON, or null. */
#define J_U32(obj, attr, v) \
	(PMG_HAS(obj, attr) ? json_object_new_int64(v) : NULL)
#define J_U64(obj, attr, v) \
	(PMG_HAS(obj, attr) ? json_object_new_uint64(v) : NULL)
#define J_BOOL(obj, attr, v) \
	(PMG_HAS(obj, attr) ? json_object_new_boolean(v) : NULL)
#define J_BYTES(obj, attr, v) \
	(PMG_HAS(obj, attr) ? pmg_json_bytes(v) : NULL)
#define J_NAME(obj, attr, fn, v) \
	(PMG_HAS(obj, attr) ? str_or_null(fn(v)) : NULL)

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/* --- findings as JSON ------------------------------------------------------- */

static json_object *process_json(const struct pmg_finding *f)
{
	json_object *o = json_object_new_object();

	add(o, "pid", J_U32(f, PMG_F_PID, f->pid));
	add(o, "tid", J_U32(f, PMG_F_TID, f->tid));
	add(o, "ppid", J_U32(f, PMG_F_PPID, f->ppid));
	add(o, "vpid", J_U32(f, PMG_F_VPID, f->vpid));
	add(o, "vtid", J_U32(f, PMG_F_VTID, f->vtid));
	add(o, "vppid", J_U32(f, PMG_F_VPPID, f->vppid));
	add(o, "uid", J_U32(f, PMG_F_UID, f->uid));
	add(o, "euid", J_U32(f, PMG_F_EUID, f->euid));
	add(o, "gid", J_U32(f, PMG_F_GID, f->gid));
	add(o, "comm", J_BYTES(f, PMG_F_COMM, f->comm));
	add(o, "exe", J_BYTES(f, PMG_F_EXE, f->exe));
	add(o, "exe_dev", J_U32(f, PMG_F_EXE_DEV, f->exe_dev));
	add(o, "exe_inode", J_U64(f, PMG_F_EXE_INO, f->exe_ino));
	add(o, "cgroup_id", J_U64(f, PMG_F_CGROUP_ID, f->cgroup_id));
	add(o, "pid_ns", J_U32(f, PMG_F_PIDNS, f->pidns));
	add(o, "mnt_ns", J_U32(f, PMG_F_MNTNS, f->mntns));
	return o;
}

static json_object *target_json(const struct pmg_finding *f)
{
	json_object *o = json_object_new_object();

	add(o, "pid", J_U32(f, PMG_F_TARGET_PID, f->target_pid));
	add(o, "tid", J_U32(f, PMG_F_TARGET_TID, f->target_tid));
	add(o, "vpid", J_U32(f, PMG_F_TARGET_VPID, f->target_vpid));
	add(o, "vtid", J_U32(f, PMG_F_TARGET_VTID, f->target_vtid));
	add(o, "comm", J_BYTES(f, PMG_F_TARGET_COMM, f->target_comm));
	add(o, "self", J_BOOL(f, PMG_F_TARGET_SELF, f->target_self));
	return o;
}

static json_object *file_json(const struct pmg_finding *f)
{
	json_object *o = json_object_new_object();

	add(o, "dev", J_U32(f, PMG_F_DEV, f->dev));
	add(o, "inode", J_U64(f, PMG_F_INO, f->ino));
	return o;
}

static json_object *time_json(const struct pmg_finding *f)
{
	char buf[64];

	if (!PMG_HAS(f, PMG_F_TIME_NS) ||
	    pmg_format_time(f->time_ns, buf, sizeof(buf)))
		return NULL;
	return json_object_new_string(buf);
}

static json_object *trc_json(uint32_t signature)
{
	const struct pmg_sig_info *si = pmg_sig_info(signature);
	char buf[32];

	if (si)
		return json_object_new_string(si->trc);
	snprintf(buf, sizeof(buf), "TRC-%" PRIu32, signature);
	return json_object_new_string(buf);
}

/*
 * --format json, one object per finding:
 * {"time":"2026-11-27T01:02:03.123456789Z","seq":7,"signature":"TRC-1023",
 *  "event":"proc_mem_access","name":"Process memory access detected",
 *  "severity":3,"category":"credential-access","technique":"Proc Filesystem",
 *  "mitre":"T1003.007","action":"alert|block|allow",
 *  "access":"read|write|read-write","flags":32768,"kind":"pid-mem|task-mem",
 *  "path":"/proc/1/mem","procfs_path":"/1/mem","suppressed":0,
 *  "process":{"pid","tid","ppid","vpid","vtid","vppid","uid","euid","gid",
 *             "comm","exe","exe_dev","exe_inode","cgroup_id","pid_ns",
 *             "mnt_ns"},
 *  "target":{"pid","tid","vpid","vtid","comm","self"},
 *  "file":{"dev","inode"}}
 * Numbers are JSON integers, "self" a boolean; anything the kernel did not
 * send is null. A signature this tool does not know is "TRC-<n>" with null
 * event, name, severity, category, technique and mitre.
 */
json_object *pmg_finding_to_json(const struct pmg_finding *f)
{
	const struct pmg_sig_info *si = pmg_sig_info(f->signature);
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add(o, "time", time_json(f));
	add(o, "seq", J_U64(f, PMG_F_SEQ, f->seq));
	add(o, "signature", trc_json(f->signature));
	add(o, "event", str_or_null(si ? si->event : NULL));
	add(o, "name", str_or_null(si ? si->name : NULL));
	add(o, "severity", si ? json_object_new_int(si->severity) : NULL);
	add(o, "category", str_or_null(si ? si->category : NULL));
	add(o, "technique", str_or_null(si ? si->technique : NULL));
	add(o, "mitre", str_or_null(si ? si->mitre : NULL));
	add(o, "action", J_NAME(f, PMG_F_ACTION, pmg_action_name, f->action));
	add(o, "access", J_NAME(f, PMG_F_ACCESS, pmg_access_name, f->access));
	add(o, "flags", J_U32(f, PMG_F_FLAGS, f->flags));
	add(o, "kind", J_NAME(f, PMG_F_KIND, pmg_kind_name, f->kind));
	add(o, "path", J_BYTES(f, PMG_F_PATH, f->path));
	add(o, "procfs_path", J_BYTES(f, PMG_F_PROCFS_PATH, f->procfs_path));
	add(o, "suppressed", J_U32(f, PMG_F_SUPPRESSED, f->suppressed));
	add(o, "process", process_json(f));
	add(o, "target", target_json(f));
	add(o, "file", file_json(f));
	return o;
}

/* --- findings in the shape of Tracee ---------------------------------------- */

static json_object *tracee_arg(const char *name, const char *type,
			       json_object *value)
{
	json_object *o = json_object_new_object();

	add(o, "name", json_object_new_string(name));
	add(o, "type", json_object_new_string(type));
	add(o, "value", value);
	return o;
}

/* The arguments of Tracee's security_file_open event. */
static json_object *tracee_args(const struct pmg_finding *f)
{
	json_object *a = json_object_new_array();

	json_object_array_add(a, tracee_arg("pathname", "const char*",
					J_BYTES(f, PMG_F_PATH, f->path)));
	json_object_array_add(a, tracee_arg("flags", "int",
					J_U32(f, PMG_F_FLAGS, f->flags)));
	json_object_array_add(a, tracee_arg("dev", "dev_t",
					J_U32(f, PMG_F_DEV, f->dev)));
	json_object_array_add(a, tracee_arg("inode", "unsigned long",
					J_U64(f, PMG_F_INO, f->ino)));
	return a;
}

static json_object *tracee_metadata(uint32_t signature)
{
	const struct pmg_sig_info *si = pmg_sig_info(signature);
	json_object *m = json_object_new_object();
	json_object *p = json_object_new_object();

	add(m, "Version", json_object_new_string("1"));
	add(m, "Description", str_or_null(si ? si->description : NULL));
	add(p, "Category", str_or_null(si ? si->category : NULL));
	add(p, "Kubernetes_Technique", json_object_new_string(""));
	add(p, "Severity", si ? json_object_new_int(si->severity) : NULL);
	add(p, "Technique", str_or_null(si ? si->technique : NULL));
	add(p, "external_id", str_or_null(si ? si->mitre : NULL));
	add(p, "id", str_or_null(si ? si->stix_id : NULL));
	add(p, "signatureID", trc_json(signature));
	add(p, "signatureName", str_or_null(si ? si->name : NULL));
	add(m, "Properties", p);
	return m;
}

/* Tracee reports the hook's result; a blocked open failed with -EACCES. */
static json_object *tracee_retval(const struct pmg_finding *f)
{
	if (!PMG_HAS(f, PMG_F_ACTION))
		return NULL;
	return json_object_new_int(f->action == PMG_ACTION_BLOCK ? -EACCES : 0);
}

static json_object *tracee_executable(const struct pmg_finding *f)
{
	json_object *o = json_object_new_object();

	add(o, "path", J_BYTES(f, PMG_F_EXE, f->exe));
	return o;
}

/*
 * --format tracee: the layout of Tracee's trace.Event as its findings carry
 * it, with the triggering security_file_open event's context and args and
 * the signature's metadata:
 * {"timestamp":<ns>,"processId":<vpid>,"threadId":<vtid>,
 *  "parentProcessId":<vppid>,"hostProcessId":<pid>,"hostThreadId":<tid>,
 *  "hostParentProcessId":<ppid>,"userId":<uid>,"mountNamespace":<mnt_ns>,
 *  "pidNamespace":<pid_ns>,"processName":<comm>,"executable":{"path":<exe>},
 *  "hostName":<listener's host name>,"cgroupId":<cgroup_id>,
 *  "eventName":"security_file_open","argsNum":4,"returnValue":0|-13,
 *  "args":[{"name":"pathname","type":"const char*","value":<path>},
 *          {"name":"flags","type":"int","value":<flags>},
 *          {"name":"dev","type":"dev_t","value":<dev>},
 *          {"name":"inode","type":"unsigned long","value":<inode>}],
 *  "metadata":{"Version":"1","Description":...,"Properties":{"Category",
 *   "Kubernetes_Technique":"","Severity":3,"Technique","external_id",
 *   "id":<MITRE STIX id>,"signatureID":"TRC-1023","signatureName"}}}
 * Fields Tracee has but the kernel does not report (threadStartTime,
 * processorId, container, ...) are left out; absent values are null.
 */
json_object *pmg_finding_to_tracee(const struct pmg_finding *f,
				   const char *hostname)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add(o, "timestamp", J_U64(f, PMG_F_TIME_NS, f->time_ns));
	add(o, "processId", J_U32(f, PMG_F_VPID, f->vpid));
	add(o, "threadId", J_U32(f, PMG_F_VTID, f->vtid));
	add(o, "parentProcessId", J_U32(f, PMG_F_VPPID, f->vppid));
	add(o, "hostProcessId", J_U32(f, PMG_F_PID, f->pid));
	add(o, "hostThreadId", J_U32(f, PMG_F_TID, f->tid));
	add(o, "hostParentProcessId", J_U32(f, PMG_F_PPID, f->ppid));
	add(o, "userId", J_U32(f, PMG_F_UID, f->uid));
	add(o, "mountNamespace", J_U32(f, PMG_F_MNTNS, f->mntns));
	add(o, "pidNamespace", J_U32(f, PMG_F_PIDNS, f->pidns));
	add(o, "processName", J_BYTES(f, PMG_F_COMM, f->comm));
	add(o, "executable", tracee_executable(f));
	add(o, "hostName", pmg_json_bytes(hostname));
	add(o, "cgroupId", J_U64(f, PMG_F_CGROUP_ID, f->cgroup_id));
	add(o, "eventName", json_object_new_string("security_file_open"));
	add(o, "argsNum", json_object_new_int(4));
	add(o, "returnValue", tracee_retval(f));
	add(o, "args", tracee_args(f));
	add(o, "metadata", tracee_metadata(f->signature));
	return o;
}

/* --- findings as text -------------------------------------------------------- */

static void text_u32(struct printbuf *pb, const struct pmg_finding *f,
		     const char *key, int attr, uint32_t v)
{
	if (PMG_HAS(f, attr))
		sprintbuf(pb, " %s=%" PRIu32, key, v);
	else
		sprintbuf(pb, " %s=?", key);
}

static void text_bytes(struct printbuf *pb, const struct pmg_finding *f,
		       const char *key, int attr, const char *v)
{
	if (!PMG_HAS(f, attr)) {
		sprintbuf(pb, " %s=?", key);
		return;
	}
	sprintbuf(pb, " %s=\"", key);
	pmg_text_escape(pb, v, strlen(v));
	printbuf_strappend(pb, "\"");
}

static void text_head(struct printbuf *pb, const struct pmg_finding *f)
{
	const struct pmg_sig_info *si = pmg_sig_info(f->signature);
	const char *action = NULL, *access = NULL;
	char t[64] = "?";

	if (PMG_HAS(f, PMG_F_TIME_NS) &&
	    pmg_format_time(f->time_ns, t, sizeof(t)))
		strcpy(t, "?");
	if (PMG_HAS(f, PMG_F_ACTION))
		action = pmg_action_name(f->action);
	if (PMG_HAS(f, PMG_F_ACCESS))
		access = pmg_access_name(f->access);
	if (si)
		sprintbuf(pb, "%s %s", t, si->trc);
	else
		sprintbuf(pb, "%s TRC-%" PRIu32, t, f->signature);
	sprintbuf(pb, " %s %s", action ? action : "?", access ? access : "?");
}

static void text_tail(struct printbuf *pb, const struct pmg_finding *f)
{
	if (PMG_HAS(f, PMG_F_TARGET_TID))
		sprintbuf(pb, " target_tid=%" PRIu32, f->target_tid);
	if (PMG_HAS(f, PMG_F_TARGET_SELF) && f->target_self)
		printbuf_strappend(pb, " self");
	if (PMG_HAS(f, PMG_F_FLAGS))
		sprintbuf(pb, " flags=0%" PRIo32, f->flags);
	if (PMG_HAS(f, PMG_F_SUPPRESSED))
		sprintbuf(pb, " suppressed=%" PRIu32, f->suppressed);
	if (PMG_HAS(f, PMG_F_SEQ))
		sprintbuf(pb, " seq=%" PRIu64, f->seq);
}

static char *finding_to_text(const struct pmg_finding *f)
{
	struct printbuf *pb = printbuf_new();
	char *s;

	if (!pb)
		return NULL;
	text_head(pb, f);
	text_u32(pb, f, "pid", PMG_F_PID, f->pid);
	text_u32(pb, f, "uid", PMG_F_UID, f->uid);
	text_u32(pb, f, "euid", PMG_F_EUID, f->euid);
	text_bytes(pb, f, "comm", PMG_F_COMM, f->comm);
	text_bytes(pb, f, "exe", PMG_F_EXE, f->exe);
	text_u32(pb, f, "target_pid", PMG_F_TARGET_PID, f->target_pid);
	text_bytes(pb, f, "target_comm", PMG_F_TARGET_COMM, f->target_comm);
	text_bytes(pb, f, "path", PMG_F_PATH, f->path);
	text_tail(pb, f);
	s = strdup(pb->buf);
	printbuf_free(pb);
	return s;
}

static char *json_to_line(json_object *o)
{
	const char *s;
	char *line = NULL;

	if (!o)
		return NULL;
	s = json_object_to_json_string_ext(o, PMG_JSON_FLAGS);
	if (s)
		line = strdup(s);
	json_object_put(o);
	return line;
}

char *pmg_format_finding(const struct pmg_finding *f, enum pmg_format fmt,
			 const char *hostname)
{
	switch (fmt) {
	case PMG_FORMAT_JSON:
		return json_to_line(pmg_finding_to_json(f));
	case PMG_FORMAT_TRACEE:
		return json_to_line(pmg_finding_to_tracee(f, hostname));
	case PMG_FORMAT_TEXT:
		break;
	}
	return finding_to_text(f);
}

/* --- configuration, rules, statistics ---------------------------------------- */

json_object *pmg_config_to_json(const struct pmg_config *c)
{
	json_object *o = json_object_new_object();

	add(o, "read", J_NAME(c, PMG_C_READ, pmg_mode_name, c->read));
	add(o, "write", J_NAME(c, PMG_C_WRITE, pmg_mode_name, c->write));
	add(o, "ratelimit", J_U32(c, PMG_C_RATELIMIT, c->ratelimit));
	add(o, "burst", J_U32(c, PMG_C_BURST, c->burst));
	add(o, "log", J_BOOL(c, PMG_C_LOG, c->log));
	add(o, "report_allowed",
	    J_BOOL(c, PMG_C_REPORT_ALLOWED, c->report_allowed));
	add(o, "locked", J_BOOL(c, PMG_C_LOCKED, c->locked));
	return o;
}

json_object *pmg_stats_to_json(const struct pmg_stats *s)
{
	json_object *o = json_object_new_object();
	int i;

	for (i = 1; i <= PMG_S_MAX; i++)
		if (pmg_stat_name(i))
			add(o, pmg_stat_name(i), J_U64(s, i, s->v[i]));
	return o;
}

json_object *pmg_rule_to_json(const struct pmg_rule *r)
{
	json_object *o = json_object_new_object();

	add(o, "id", J_U32(r, PMG_R_ID, r->id));
	add(o, "exe_dev", J_U32(r, PMG_R_EXE_DEV, r->exe_dev));
	add(o, "exe_inode", J_U64(r, PMG_R_EXE_INO, r->exe_ino));
	add(o, "uid", J_U32(r, PMG_R_UID, r->uid));
	add(o, "cgroup_id", J_U64(r, PMG_R_CGROUP_ID, r->cgroup_id));
	add(o, "self", json_object_new_boolean(PMG_HAS(r, PMG_R_SELF) &&
					       r->self));
	add(o, "access", J_NAME(r, PMG_R_ACCESS, pmg_access_name, r->access));
	return o;
}

char *pmg_rule_to_text(const struct pmg_rule *r)
{
	struct printbuf *pb = printbuf_new();
	const char *access;
	char *s;

	if (!pb)
		return NULL;
	if (PMG_HAS(r, PMG_R_EXE_DEV))
		sprintbuf(pb, " exe_dev=%" PRIu32, r->exe_dev);
	if (PMG_HAS(r, PMG_R_EXE_INO))
		sprintbuf(pb, " exe_inode=%" PRIu64, r->exe_ino);
	if (PMG_HAS(r, PMG_R_UID))
		sprintbuf(pb, " uid=%" PRIu32, r->uid);
	if (PMG_HAS(r, PMG_R_CGROUP_ID))
		sprintbuf(pb, " cgroup_id=%" PRIu64, r->cgroup_id);
	if (PMG_HAS(r, PMG_R_SELF) && r->self)
		printbuf_strappend(pb, " self");
	if (PMG_HAS(r, PMG_R_ACCESS)) {
		access = pmg_access_name(r->access);
		if (access)
			sprintbuf(pb, " access=%s", access);
		else
			sprintbuf(pb, " access=%u", r->access);
	}
	s = strdup(pb->bpos ? pb->buf + 1 : "");
	printbuf_free(pb);
	return s;
}

static void print_mode(FILE *out, const char *key, const struct pmg_config *c,
		       int attr, unsigned int mode)
{
	const char *name = pmg_mode_name(mode);

	if (!PMG_HAS(c, attr))
		fprintf(out, "%s: ?\n", key);
	else if (name)
		fprintf(out, "%s: %s\n", key, name);
	else
		fprintf(out, "%s: %u\n", key, mode);
}

static void print_onoff(FILE *out, const char *key, const struct pmg_config *c,
			int attr, bool v, const char *on, const char *off)
{
	fprintf(out, "%s: %s\n", key, !PMG_HAS(c, attr) ? "?" : v ? on : off);
}

void pmg_print_config(FILE *out, const struct pmg_config *c)
{
	print_mode(out, "read", c, PMG_C_READ, c->read);
	print_mode(out, "write", c, PMG_C_WRITE, c->write);
	if (!PMG_HAS(c, PMG_C_RATELIMIT))
		fprintf(out, "ratelimit: ?\n");
	else if (c->ratelimit)
		fprintf(out, "ratelimit: %" PRIu32 "/s\n", c->ratelimit);
	else
		fprintf(out, "ratelimit: off\n");
	if (PMG_HAS(c, PMG_C_BURST))
		fprintf(out, "burst: %" PRIu32 "\n", c->burst);
	else
		fprintf(out, "burst: ?\n");
	print_onoff(out, "log", c, PMG_C_LOG, c->log, "on", "off");
	print_onoff(out, "report-allowed", c, PMG_C_REPORT_ALLOWED,
		    c->report_allowed, "on", "off");
	print_onoff(out, "locked", c, PMG_C_LOCKED, c->locked, "yes", "no");
}

void pmg_print_stats(FILE *out, const struct pmg_stats *s)
{
	int i;

	for (i = 1; i <= PMG_S_MAX; i++) {
		if (!pmg_stat_name(i))
			continue;
		if (PMG_HAS(s, i))
			fprintf(out, "%s: %" PRIu64 "\n", pmg_stat_name(i),
				s->v[i]);
		else
			fprintf(out, "%s: ?\n", pmg_stat_name(i));
	}
}

int pmg_print_json(FILE *out, json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, PMG_JSON_FLAGS);

	if (!s)
		return -ENOMEM;
	fprintf(out, "%s\n", s);
	return 0;
}
