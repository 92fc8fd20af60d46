/* SPDX-License-Identifier: GPL-2.0 */
/* match.h - is this open a procfs mem file, and whose? */
#ifndef _PMG_MODULE_MATCH_H
#define _PMG_MODULE_MATCH_H

#include <linux/compiler.h>
#include <linux/fs.h>
#include "pmg_match.h"

/* Longest dentry name kept: a 7-digit pid, "task", "mem" fit. */
#define PMG_NAME_BYTES	12

/* The dentry chain of an opened procfs file, procfs root first. */
struct pmg_chain {
	char name[PMG_MATCH_DEPTH][PMG_NAME_BYTES];
	u8 len[PMG_MATCH_DEPTH];
	u8 depth;		/* names below the procfs root */
	u8 below_mnt;		/* names below the mount's root */
	u8 complete;		/* reached the procfs root within depth */
};

extern const struct file_operations *pmg_mem_fops;

int pmg_match_init(void);

/* The whole cost of a non-mem open: one load and one compare. */
static __always_inline bool pmg_is_mem_file(const struct file *file)
{
	return READ_ONCE(file->f_op) == pmg_mem_fops;
}

bool pmg_read_chain(const struct file *file, struct pmg_chain *chain);
enum pmg_match_kind pmg_match_chain(const struct pmg_chain *chain,
				    struct pmg_match *m);

#endif /* _PMG_MODULE_MATCH_H */
