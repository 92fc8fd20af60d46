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

#include "codec.h"
#include "escape.h"
#include "format.h"

static const char *const format_names[] = {
	[PMG_FORMAT_TEXT] = "text",
	[PMG_FORMAT_JSON] = "json",
	[PMG_FORMAT_TRACEE] = "tracee",
	[PMG_FORMAT_FALCO] = "falco",
	[PMG_FORMAT_ECS] = "ecs",
};

int pmg_format_parse(const char *name, enum pmg_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum pmg_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *pmg_format_name(enum pmg_format fmt)
{
	return (unsigned int)fmt < sizeof(format_names) /
				   sizeof(format_names[0]) ?
	       format_names[fmt] : "?";
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
		return pmg_json_bytes(v.s);	/* no NUL inside */
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

/* The configuration (config show --json, status --json). */
static const struct jfield config_fields[] = {
	{ "read", PMG_C_READ, pmg_mode_name },
	{ "write", PMG_C_WRITE, pmg_mode_name },
	{ "ratelimit", PMG_C_RATELIMIT, NULL },
	{ "burst", PMG_C_BURST, NULL },
	{ "log", PMG_C_LOG, NULL },
	{ "report_allowed", PMG_C_REPORT_ALLOWED, NULL },
	{ "locked", PMG_C_LOCKED, NULL },
};

/* A rule's members before "self" (allow list --json). */
static const struct jfield rule_ids[] = {
	{ "id", PMG_R_ID, NULL },
	{ "exe_dev", PMG_R_EXE_DEV, NULL },
	{ "exe_inode", PMG_R_EXE_INO, NULL },
	{ "uid", PMG_R_UID, NULL },
	{ "cgroup_id", PMG_R_CGROUP_ID, NULL },
};

/* --- configuration, rules, statistics ---------------------------------------- */

json_object *pmg_config_to_json(const struct pmg_config *c)
{
	return nest_object(PMG_NEST_CONFIG, c, config_fields,
			   COUNT(config_fields));
}

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

json_object *pmg_rule_to_json(const struct pmg_rule *r)
{
	json_object *o = nest_object(PMG_NEST_RULE, r, rule_ids,
				     COUNT(rule_ids));

	/* A rule is for the opener itself or not: never null. */
	add(o, "self", json_object_new_boolean(PMG_HAS(r, PMG_R_SELF) &&
					       r->self));
	add(o, "access", field_json(PMG_NEST_RULE, r, PMG_R_ACCESS,
				    pmg_access_name));
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
