/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h - findings and statistics as text or JSON (the configuration
 * and the rules: export.h).
 *
 * Findings come out in one of three formats, one line each:
 *   text    a readable line, e.g.
 *           2026-11-27T01:02:03.123456789Z TRC-1023 alert read pid=1234
 *           uid=1000 euid=1000 comm="cat" exe="/usr/bin/cat" target_pid=1
 *           target_comm="systemd" path="/proc/1/mem" seq=7
 *   json    one JSON object (schema in format.c, above pmg_finding_to_json)
 *   tracee  the shape of a Tracee finding event (see format.c)
 * Byte strings (comm, exe, paths, host name) are escaped as escape.h
 * describes. In JSON, an attribute the kernel did not send is null.
 */
#ifndef PMG_FORMAT_H
#define PMG_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "names.h"
#include "pmg.h"

/* Flags every JSON document of this tool is written with. */
#define PMG_JSON_FLAGS	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

enum pmg_format {
	PMG_FORMAT_TEXT,
	PMG_FORMAT_JSON,
	PMG_FORMAT_TRACEE,
};

/* "text", "json" or "tracee". 0 or -EINVAL. */
int pmg_format_parse(const char *name, enum pmg_format *out);

/* What Tracee says about its signatures TRC-1023 and TRC-1024. */
struct pmg_sig_info {
	uint32_t id;			/* enum pmg_signature */
	const char *trc;		/* "TRC-1023" */
	const char *event;		/* "proc_mem_access" */
	const char *name;		/* "Process memory access detected" */
	const char *description;
	int severity;
	const char *category;		/* "credential-access" */
	const char *technique;		/* "Proc Filesystem" */
	const char *mitre;		/* "T1003.007" */
	const char *stix_id;		/* "attack-pattern--..." */
};

/* NULL for a signature this tool does not know. */
const struct pmg_sig_info *pmg_sig_info(uint32_t signature);

/* RFC 3339 UTC with nanoseconds: 2026-11-27T01:02:03.123456789Z. */
int pmg_format_time(uint64_t ns, char *buf, size_t len);

/*
 * A json-c string holding the raw bytes s; it serializes itself with the
 * escaping of escape.h (invalid UTF-8 bytes as \udcNN). NULL if s is NULL.
 */
json_object *pmg_json_bytes(const char *s);

json_object *pmg_finding_to_json(const struct pmg_finding *f);
json_object *pmg_finding_to_tracee(const struct pmg_finding *f,
				   const char *hostname);
json_object *pmg_stats_to_json(const struct pmg_stats *s);

/*
 * One finding as one line, without the newline; hostname is used by the
 * tracee format only (may be NULL). Returns a malloc()ed string, or NULL
 * when out of memory.
 */
char *pmg_format_finding(const struct pmg_finding *f, enum pmg_format fmt,
			 const char *hostname);

/* "name: value" lines. */
void pmg_print_stats(FILE *out, const struct pmg_stats *s);

/* Print a JSON document on one line followed by a newline. */
int pmg_print_json(FILE *out, json_object *o);

#endif /* PMG_FORMAT_H */
