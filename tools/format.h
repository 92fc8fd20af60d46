/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h - the output formats, and statistics as text or JSON (the
 * configuration and the rules: export.h).
 *
 * The lines of `listen` (findings, notices, listener events) come out in
 * one of five formats, one line each (lines.h builds them):
 *   text    a readable line (fmt_text.c)
 *   json    one JSON object, "type" first (fmt_json.c)
 *   tracee  the shape of a Tracee v0.24 finding event (fmt_tracee.c)
 *   falco   the JSON of a Falco event, as Falcosidekick takes it
 *           (fmt_falco.c)
 *   ecs     an Elastic Common Schema 8.17 document (fmt_ecs.c)
 * The other commands' JSON (status, config, allow) is built with json-c
 * here. Byte strings are escaped as escape.h describes.
 */
#ifndef PMG_FORMAT_H
#define PMG_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "names.h"
#include "pmg.h"
#include "sigs.h"

/* Flags every JSON document of this tool is written with. */
#define PMG_JSON_FLAGS	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

enum pmg_format {
	PMG_FORMAT_TEXT,
	PMG_FORMAT_JSON,
	PMG_FORMAT_TRACEE,
	PMG_FORMAT_FALCO,
	PMG_FORMAT_ECS,
};

/* "text", "json", "tracee", "falco" or "ecs". 0 or -EINVAL. */
int pmg_format_parse(const char *name, enum pmg_format *out);
/* The name of a format. */
const char *pmg_format_name(enum pmg_format fmt);

/* RFC 3339 UTC with nanoseconds: 2026-11-27T01:02:03.123456789Z. */
int pmg_format_time(uint64_t ns, char *buf, size_t len);

/*
 * A json-c string holding the raw bytes s; it serializes itself with the
 * escaping of escape.h (bytes that are not UTF-8 as U+FFFD). NULL if s is
 * NULL.
 */
json_object *pmg_json_bytes(const char *s);

json_object *pmg_stats_to_json(const struct pmg_stats *s);


/* "name: value" lines. */
void pmg_print_stats(FILE *out, const struct pmg_stats *s);

/* Print a JSON document on one line followed by a newline. */
int pmg_print_json(FILE *out, json_object *o);

#endif /* PMG_FORMAT_H */
