// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - findings and statistics as text or JSON (the configuration
 * and the rules: export.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/printbuf.h>

#include "codec.h"
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

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/*
 * A JSON member holding a field of a finding, configuration or rule: its
 * key, the field's attribute, and for an enum the function naming its
 * values. The value's JSON type follows the attribute's (codec.c): an
 * integer, a boolean, or a byte string; null when the field is absent.
 */
struct jfield {
	const char *key;
	int attr;
	const char *(*name)(unsigned int v);
};

#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))

static json_object *field_json(enum pmg_nest nest, const void *obj,
			       int attr, const char *(*name)(unsigned int))
{
	struct pmg_value v;

	if (pmg_field_value(nest, obj, attr, &v))
		return NULL;
	if (name)
		return str_or_null(name((unsigned int)v.n));
	switch (v.kind) {
	case PMG_VAL_INT:
		return json_object_new_int64((int64_t)v.n);
	case PMG_VAL_U64:
		return json_object_new_uint64(v.n);
	case PMG_VAL_BOOL:
		return json_object_new_boolean(v.n != 0);
	case PMG_VAL_STR:
		return pmg_json_bytes(v.s);
	}
	return NULL;
}

/* The members t[0..n-1] of obj, in order, into o. */
static void add_fields(json_object *o, enum pmg_nest nest, const void *obj,
		       const struct jfield *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		add(o, t[i].key, field_json(nest, obj, t[i].attr, t[i].name));
}

/* A JSON object of the members t[0..n-1] of obj. */
static json_object *nest_object(enum pmg_nest nest, const void *obj,
				const struct jfield *t, size_t n)
{
	json_object *o = json_object_new_object();

	add_fields(o, nest, obj, t, n);
	return o;
}

/* --- findings as JSON ------------------------------------------------------- */

static const struct jfield process_fields[] = {
	{ "pid", PMG_F_PID, NULL },
	{ "tid", PMG_F_TID, NULL },
	{ "ppid", PMG_F_PPID, NULL },
	{ "vpid", PMG_F_VPID, NULL },
	{ "vtid", PMG_F_VTID, NULL },
	{ "vppid", PMG_F_VPPID, NULL },
	{ "uid", PMG_F_UID, NULL },
	{ "euid", PMG_F_EUID, NULL },
	{ "gid", PMG_F_GID, NULL },
	{ "comm", PMG_F_COMM, NULL },
	{ "exe", PMG_F_EXE, NULL },
	{ "exe_dev", PMG_F_EXE_DEV, NULL },
	{ "exe_inode", PMG_F_EXE_INO, NULL },
	{ "cgroup_id", PMG_F_CGROUP_ID, NULL },
	{ "pid_ns", PMG_F_PIDNS, NULL },
	{ "mnt_ns", PMG_F_MNTNS, NULL },
};

static const struct jfield target_fields[] = {
	{ "pid", PMG_F_TARGET_PID, NULL },
	{ "tid", PMG_F_TARGET_TID, NULL },
	{ "vpid", PMG_F_TARGET_VPID, NULL },
	{ "vtid", PMG_F_TARGET_VTID, NULL },
	{ "comm", PMG_F_TARGET_COMM, NULL },
	{ "self", PMG_F_TARGET_SELF, NULL },
};

static const struct jfield file_fields[] = {
	{ "dev", PMG_F_DEV, NULL },
	{ "inode", PMG_F_INO, NULL },
};

/* The members of a finding's object after "mitre". */
static const struct jfield open_fields[] = {
	{ "action", PMG_F_ACTION, pmg_action_name },
	{ "access", PMG_F_ACCESS, pmg_access_name },
	{ "flags", PMG_F_FLAGS, NULL },
	{ "kind", PMG_F_KIND, pmg_kind_name },
	{ "path", PMG_F_PATH, NULL },
	{ "procfs_path", PMG_F_PROCFS_PATH, NULL },
	{ "suppressed", PMG_F_SUPPRESSED, NULL },
};

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
	add(o, "seq", field_json(PMG_NEST_FINDING, f, PMG_F_SEQ, NULL));
	add(o, "signature", trc_json(f->signature));
	add(o, "event", str_or_null(si ? si->event : NULL));
	add(o, "name", str_or_null(si ? si->name : NULL));
	add(o, "severity", si ? json_object_new_int(si->severity) : NULL);
	add(o, "category", str_or_null(si ? si->category : NULL));
	add(o, "technique", str_or_null(si ? si->technique : NULL));
	add(o, "mitre", str_or_null(si ? si->mitre : NULL));
	add_fields(o, PMG_NEST_FINDING, f, open_fields, COUNT(open_fields));
	add(o, "process", nest_object(PMG_NEST_FINDING, f, process_fields,
				      COUNT(process_fields)));
	add(o, "target", nest_object(PMG_NEST_FINDING, f, target_fields,
				     COUNT(target_fields)));
	add(o, "file", nest_object(PMG_NEST_FINDING, f, file_fields,
				   COUNT(file_fields)));
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
	static const struct {
		const char *name, *type;
		int attr;
	} args[] = {
		{ "pathname", "const char*", PMG_F_PATH },
		{ "flags", "int", PMG_F_FLAGS },
		{ "dev", "dev_t", PMG_F_DEV },
		{ "inode", "unsigned long", PMG_F_INO },
	};
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < COUNT(args); i++)
		json_object_array_add(a, tracee_arg(args[i].name, args[i].type,
			field_json(PMG_NEST_FINDING, f, args[i].attr, NULL)));
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

/* Tracee's context of the triggering event, before "executable"... */
static const struct jfield tracee_process[] = {
	{ "timestamp", PMG_F_TIME_NS, NULL },
	{ "processId", PMG_F_VPID, NULL },
	{ "threadId", PMG_F_VTID, NULL },
	{ "parentProcessId", PMG_F_VPPID, NULL },
	{ "hostProcessId", PMG_F_PID, NULL },
	{ "hostThreadId", PMG_F_TID, NULL },
	{ "hostParentProcessId", PMG_F_PPID, NULL },
	{ "userId", PMG_F_UID, NULL },
	{ "mountNamespace", PMG_F_MNTNS, NULL },
	{ "pidNamespace", PMG_F_PIDNS, NULL },
	{ "processName", PMG_F_COMM, NULL },
};

/* ... "executable" itself... */
static const struct jfield tracee_exe[] = {
	{ "path", PMG_F_EXE, NULL },
};

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
	add_fields(o, PMG_NEST_FINDING, f, tracee_process,
		   COUNT(tracee_process));
	add(o, "executable", nest_object(PMG_NEST_FINDING, f, tracee_exe,
					 COUNT(tracee_exe)));
	add(o, "hostName", pmg_json_bytes(hostname));
	add(o, "cgroupId", field_json(PMG_NEST_FINDING, f, PMG_F_CGROUP_ID,
				      NULL));
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

/* --- statistics -------------------------------------------------------------- */

json_object *pmg_stats_to_json(const struct pmg_stats *s)
{
	json_object *o = json_object_new_object();
	int i;

	for (i = 1; i <= PMG_S_MAX; i++)
		if (pmg_stat_name(i))
			add(o, pmg_stat_name(i), PMG_HAS(s, i) ?
			    json_object_new_uint64(s->v[i]) : NULL);
	return o;
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
