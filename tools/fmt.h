/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fmt.h - what the formatters of lines.c share (internal to lines.c and
 * fmt_*.c).
 */
#ifndef PMG_FMT_H
#define PMG_FMT_H

#include <stdbool.h>
#include <stdint.h>

#include "jw.h"
#include "lines.h"
#include "names.h"
#include "sigs.h"

/* One event being formatted, and what every formatter derives from it. */
struct fctx {
	struct pmg_lines *L;
	struct jw *w;
	const struct pmg_finding *f;	/* or NULL */
	const struct pmg_notice *n;	/* or NULL */
	const struct pmg_lev *e;	/* or NULL */
	const struct pmg_sig_info *si;	/* f's signature, or NULL */
	const char *label;		/* "TRC-1023", "PMG-2001" */
	const char *event;		/* meta->event */
	int severity;			/* enum pmg_severity */
	const char *priority;		/* Falco's name of it */
	uint64_t time_ns;
	char buf[16];			/* label of an unknown signature */
	unsigned int nargs;		/* tracee: args written */
	size_t nargs_at;		/* tracee: where argsNum's digit is */
	char msg[256];			/* a listener event's message */
};

/* A format: how it writes each kind of event. */
struct fmt_ops {
	enum jw_mode mode;
	void (*finding)(struct fctx *c);
	void (*notice)(struct fctx *c);
	void (*listener)(struct fctx *c);
};

extern const struct fmt_ops pmg_fmt_text, pmg_fmt_json, pmg_fmt_tracee,
	pmg_fmt_falco, pmg_fmt_ecs;

/* The slots of the strings that may be cut (at most JW_SLOTS). */
enum {
	S_COMM, S_EXE, S_TCOMM, S_PATH, S_PROCFS, S_DETAIL,
	/* second occurrences, in a message or an output string */
	S_MSG_COMM, S_MSG_EXE, S_MSG_TCOMM, S_MSG_PATH, S_MSG_DETAIL,
};

/* A field of f if present: its value; the writers' shorthands. */
#define HAS(f, a)	PMG_HAS(f, PMG_F_##a)

/* Helpers (lines.c). */
bool fctx_summary(const struct fctx *c);
/* Tracee's returnValue of the triggering call: 0, or -EACCES/-EPERM. */
int64_t fctx_retval(const struct fctx *c);
/* A name from a table, or NULL when absent or unknown. */
const char *fname(const struct pmg_finding *f, int attr,
		  const char *(*name)(unsigned int));
/* "fd.name"-style JSON string of a kernel string, for a slot. */
void put_slot(struct jw *w, int slot, const char *name, struct pmg_str s);
/* The host name as a JSON string. */
void put_host(struct fctx *c);
/* ,"truncated":[...] when something was cut. */
void put_truncated(struct fctx *c, const char *frame, size_t framelen);
/* A listener event's message (ASCII) into c->msg. */
const char *lev_message(struct fctx *c);

/* How much of an output's name a line shows: at most 256 bytes. */
size_t lev_name_len(const struct pmg_lev *e);

#define put_lit(c, s)	jw_lit((c)->w, s)

#endif /* PMG_FMT_H */
