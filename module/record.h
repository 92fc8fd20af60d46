/* SPDX-License-Identifier: GPL-2.0 */
/* record.h - what a mem open is: accessor, target and file, in probe context. */
#ifndef _PMG_RECORD_H
#define _PMG_RECORD_H

#include <linux/fs.h>
#include "finding.h"

/*
 * Probe context. Fills *rec with everything about the open that policy and
 * the findings need, taking a reference to the accessor's executable
 * (released by pmg_record_put() or by delivery). Returns false, holding
 * nothing, if the file is not a procfs file after all.
 */
bool pmg_record_fill(struct pmg_record *rec, struct file *file);

#endif /* _PMG_RECORD_H */
