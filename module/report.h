/* SPDX-License-Identifier: GPL-2.0 */
/* report.h - from probe context to userspace: rings and the worker. */
#ifndef _PMG_REPORT_H
#define _PMG_REPORT_H

#include <linux/fs.h>
#include <linux/types.h>
#include "finding.h"

int pmg_report_init(void);
void pmg_report_exit(void);

/*
 * Probe context. Queues rec (1 or 2 findings) for delivery, taking over its
 * references and one on the file's mount; if the ring is full, counts its
 * findings as dropped and releases them.
 */
void pmg_report_submit(struct pmg_record *rec, struct file *file);

/*
 * Probe context. rec's findings were not queued (the rate limit): count
 * them in a summary under reason (enum pmg_reason). rec keeps its
 * references.
 */
void pmg_report_summarize(const struct pmg_record *rec, u8 reason);

/*
 * Process context. Queues a notice (kmalloc()ed, with its exe and detail)
 * for delivery in the findings' sequence; the worker frees it.
 */
void pmg_report_notice(struct pmg_notice *n);
void pmg_report_notice_free(struct pmg_notice *n);

/* Records queued and not yet sent, summed over CPUs. */
u64 pmg_report_inflight(void);

#endif /* _PMG_REPORT_H */
