/* SPDX-License-Identifier: GPL-2.0 */
/* record.h - what an access is: accessor, target and file, in probe context. */
#ifndef _PMG_RECORD_H
#define _PMG_RECORD_H

#include <linux/fs.h>
#include <linux/sched.h>
#include "finding.h"

/*
 * Probe context. Each fills *rec with everything about the access that
 * policy and the findings need, taking a reference to the accessor's
 * executable (released by pmg_record_put() or by delivery).
 */

/* An open of a mem file by current. False, holding nothing, if the file
 * is not a procfs file after all.
 */
bool pmg_record_open(struct pmg_record *rec, struct file *file);

/* An access by current to target's memory through channel. */
void pmg_record_task(struct pmg_record *rec, struct task_struct *target,
		     u8 channel, u8 access);

/* PTRACE_TRACEME: current offers itself to tracer, the accessor. */
void pmg_record_traceme(struct pmg_record *rec, struct task_struct *tracer);

#endif /* _PMG_RECORD_H */
