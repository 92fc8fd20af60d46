/* SPDX-License-Identifier: GPL-2.0 */
/*
 * emit.h - what `listen` does with each event of a listener: format it as
 * one line (lines.h) and hand the line to the sinks (outsink.h). Losses
 * are gathered and told at most once a second.
 */
#ifndef PMG_EMIT_H
#define PMG_EMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "lines.h"
#include "listener.h"
#include "outsink.h"

struct pmg_emitter {
	struct pmg_lines lines;
	struct pmg_out out;
	struct pmg_listener *l;		/* for the losses so far; or NULL */
	uint64_t lost;			/* lost, not told yet */
	bool lost_unknown;		/* and losses of unknown size */
	int64_t lost_noted;		/* when last told, ms */
	uint64_t lines_out;		/* lines handed to the sinks */
};

/* 0, or -EINVAL for a bad max_line (see pmg_lines_init()). */
int pmg_emit_init(struct pmg_emitter *em, enum pmg_format format,
		  size_t max_line);
/* Tell losses still untold, flush and close the sinks, free. */
void pmg_emit_free(struct pmg_emitter *em);

/*
 * One event of the listener. 0, or the negative errno of a sink that
 * failed (reported already). PMG_EV_TIMEOUT tells the losses gathered.
 */
int pmg_emit_event(struct pmg_emitter *em, const struct pmg_event *ev);

/* One event of the listener itself (fills time and lost_total). */
int pmg_emit_lev(struct pmg_emitter *em, struct pmg_lev *e);

/* Tell the gathered losses: now if force, else at most once a second. */
int pmg_emit_lost(struct pmg_emitter *em, bool force);

#endif /* PMG_EMIT_H */
