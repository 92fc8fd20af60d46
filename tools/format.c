// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - the output formats' names, times, JSON helpers, and the
 * statistics as text or JSON (the configuration and the rules: export.c).
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

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
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
