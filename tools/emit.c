// SPDX-License-Identifier: GPL-2.0
/*
 * emit.c - events of a listener as lines for the sinks (see emit.h).
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "cli.h"
#include "emit.h"

#define LOST_NOTE_MS	1000	/* at most one "lost" line a second */

int pmg_emit_init(struct pmg_emitter *em, enum pmg_format format,
		  size_t max_line)
{
	memset(em, 0, sizeof(*em));
	return pmg_lines_init(&em->lines, format, max_line);
}

void pmg_emit_free(struct pmg_emitter *em)
{
	pmg_out_flush(&em->out);
	pmg_out_close(&em->out);
	pmg_lines_free(&em->lines);
}

static int put(struct pmg_emitter *em, int r, const struct pmg_line_meta *m)
{
	if (r) {
		pmg_err("out of memory");
		return r;
	}
	em->lines_out++;
	return pmg_out_write(&em->out, em->lines.line.p, em->lines.line.len,
			     m);
}

int pmg_emit_lev(struct pmg_emitter *em, struct pmg_lev *e)
{
	struct pmg_line_meta m;

	e->lost_total = em->l ? pmg_listener_lost(em->l) : e->lost_total;
	return put(em, pmg_lines_listener(&em->lines, e, &m), &m);
}

int pmg_emit_lost(struct pmg_emitter *em, bool force)
{
	struct pmg_lev e = { .lev = PMG_LEV_LOST };
	int r;

	if (!em->lost && !em->lost_unknown)
		return 0;
	if (!force && pmg_now_ms() - em->lost_noted < LOST_NOTE_MS)
		return 0;
	e.lost = em->lost;
	r = pmg_emit_lev(em, &e);
	em->lost = 0;
	em->lost_unknown = false;
	em->lost_noted = pmg_now_ms();
	return r;
}

int pmg_emit_event(struct pmg_emitter *em, const struct pmg_event *ev)
{
	struct pmg_line_meta m;
	struct pmg_lev e = { 0 };
	int r;

	switch (ev->type) {
	case PMG_EV_FINDING:
		r = pmg_emit_lost(em, false);
		return r ? r : put(em, pmg_lines_finding(&em->lines,
							 &ev->finding, &m), &m);
	case PMG_EV_NOTICE:
		r = pmg_emit_lost(em, false);
		return r ? r : put(em, pmg_lines_notice(&em->lines,
							&ev->notice, &m), &m);
	case PMG_EV_LOST:
		if (ev->lost)
			em->lost += ev->lost;
		else
			em->lost_unknown = true;
		return pmg_emit_lost(em, false);
	case PMG_EV_GONE:
		r = pmg_emit_lost(em, true);
		e.lev = PMG_LEV_MODULE_UNLOADED;
		return r ? r : pmg_emit_lev(em, &e);
	case PMG_EV_BACK:
		e.lev = PMG_LEV_MODULE_LOADED;
		e.module_version = ev->module_version;
		r = pmg_emit_lev(em, &e);
		if (r || !em->l || !pmg_listener_pace_error(em->l))
			return r;
		e.lev = PMG_LEV_PACING_REFUSED;
		e.module_version = NULL;
		e.err = pmg_listener_pace_error(em->l);
		return pmg_emit_lev(em, &e);
	case PMG_EV_BAD:
		e.lev = PMG_LEV_BAD_MESSAGE;
		e.err = ev->err;
		e.sender = ev->sender;
		return pmg_emit_lev(em, &e);
	case PMG_EV_TIMEOUT:
		return pmg_emit_lost(em, true);
	}
	return 0;
}
