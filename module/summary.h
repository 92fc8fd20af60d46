/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary.h - findings that were not sent one by one (dropped or
 * suppressed), counted per accessor and target in per-CPU tables and
 * delivered as summary findings.
 */
#ifndef _PMG_SUMMARY_H
#define _PMG_SUMMARY_H

#include <linux/types.h>
#include "finding.h"

int pmg_summary_init(void);
void pmg_summary_exit(void);

/*
 * Any context but hard irq: counts the findings of rec whose access bits
 * are in bits (rec's report bits when 0) under reason (enum pmg_reason) in
 * this CPU's table; the caller keeps rec's references. Returns true when
 * the table was empty before: a flush should be scheduled.
 */
bool pmg_summary_add(const struct pmg_record *rec, u8 bits, u8 reason);

/*
 * Process context: puts a summary that could not be sent back into this
 * CPU's table, to go again (it keeps its references: the caller drops
 * its own).
 */
void pmg_summary_readd(const struct pmg_summary *s);

/*
 * Process context: moves every CPU's summaries into out (at most max),
 * emptying the tables; returns how many. The caller delivers them and
 * drops their references with pmg_record_put(&out[i].rec).
 */
unsigned int pmg_summary_take(struct pmg_summary *out, unsigned int max);

/* Entries one CPU's table holds: what pmg_summary_take() may return. */
#define PMG_SUMMARY_ENTRIES	32

#endif /* _PMG_SUMMARY_H */
