/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lines.h - the lines of `listen`: a finding, a summary, a notice of the
 * module or an event of the listener, as one line in one of the formats
 * (format.h: text, json, tracee, falco, ecs), with the description sinks
 * get along (outsink.h, struct pmg_line_meta).
 *
 * A line is built in a buffer the struct pmg_lines keeps and reuses: no
 * allocation once it has grown, no JSON object tree. Every JSON line is
 * valid UTF-8; bytes of the kernel's strings that are not UTF-8 show as
 * U+FFFD, and the exact bytes follow in base64 (escape.h). No line is
 * longer than max_line bytes, its newline included: the longest strings
 * are cut (at a character boundary) and listed under "truncated".
 * The schemas are in the man page (OUTPUT FORMATS) and above each
 * formatter (fmt_*.c).
 */
#ifndef PMG_LINES_H
#define PMG_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "jw.h"
#include "outsink.h"
#include "pmg.h"

#define PMG_MAX_LINE_DEFAULT	8192
#define PMG_MAX_LINE_MIN	4096
#define PMG_MAX_LINE_MAX	(1024 * 1024)

struct pmg_lines {
	enum pmg_format format;
	size_t max_line;		/* bytes, newline included */
	char hostname[256];		/* raw bytes, NUL terminated */
	char boot_id[33];		/* 32 hex digits, or "" */
	char machine_id[33];		/* 32 hex digits, or "" */
	struct pmg_buf line;		/* the last line, without newline */
	struct jw w;
	/*
	 * Pieces of the last JSON finding for the next ones (fmt_json.c):
	 * its numbers and names by attribute, its signature's fields, and
	 * the host's fields every line ends with.
	 */
	struct jw_memo num[PMG_F_MAX + 1];
	struct jw_name_memo name[PMG_F_MAX + 1];
	struct pmg_buf sig_json;
	uint32_t sig_json_id;
	bool sig_json_valid;
	struct pmg_buf host_json;
	bool host_json_valid;
};

/*
 * Set up for format and max_line (PMG_MAX_LINE_MIN..PMG_MAX_LINE_MAX):
 * reads the host name, the boot id (/proc/sys/kernel/random/boot_id, or
 * the environment variable PROCMEM_GUARD_BOOT_ID where /proc/sys is
 * hidden) and the machine id (/etc/machine-id). 0 or -EINVAL.
 */
int pmg_lines_init(struct pmg_lines *L, enum pmg_format format,
		   size_t max_line);
void pmg_lines_free(struct pmg_lines *L);

/* An event of the listener itself. */
struct pmg_lev {
	enum pmg_listener_event lev;
	uint64_t time_ns;		/* CLOCK_REALTIME; 0: now */
	uint64_t lost;			/* PMG_LEV_LOST: how many, 0: unknown */
	uint64_t lost_total;		/* known lost so far */
	int err;			/* a negative errno, or 0 */
	uint32_t sender;		/* BAD_MESSAGE with -EPERM: its port */
	const char *module_version;	/* MODULE_LOADED, or NULL */
	const char *text;		/* ERROR: what failed (ASCII), or NULL */
	/* OUTPUT_DROPPED: which sink, and its counts */
	struct pmg_lev_output {
		const char *kind;	/* "syslog", "post" */
		const char *name;	/* its SOCKET or URL (no password) */
		uint64_t dropped;	/* since its previous report */
		uint64_t dropped_total;
		uint64_t queue_full, failed, rejected, unsent, delivered;
	} output;
};

/*
 * Format one finding (or summary), notice or listener event into
 * L->line (L->line.p, L->line.len bytes, no newline) and describe it in
 * *meta. 0, or -ENOMEM.
 */
int pmg_lines_finding(struct pmg_lines *L, const struct pmg_finding *f,
		      struct pmg_line_meta *meta);
int pmg_lines_notice(struct pmg_lines *L, const struct pmg_notice *n,
		     struct pmg_line_meta *meta);
int pmg_lines_listener(struct pmg_lines *L, const struct pmg_lev *e,
		       struct pmg_line_meta *meta);

/* The name of a listener event, as meta->event gives it: "lost", ... */
const char *pmg_lev_name(enum pmg_listener_event lev);

#endif /* PMG_LINES_H */
