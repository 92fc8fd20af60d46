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

/* Records queued and not yet sent, summed over CPUs. */
u64 pmg_report_inflight(void);

#endif /* _PMG_REPORT_H */
