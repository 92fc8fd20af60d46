/* SPDX-License-Identifier: GPL-2.0 */
/*
 * finding.h - what travels from the probe to userspace: a record (one mem
 * open, captured in probe context) and the findings the worker makes of it
 * (one per signature, with the names only a sleeping context can resolve).
 * Types only, and the release of a record's references.
 */
#ifndef _PMG_FINDING_H
#define _PMG_FINDING_H

#include <linux/file.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <linux/types.h>
#include "match.h"

struct pmg_record {
	u64 time_ns;
	u64 cgroup_id;
	u64 ino;
	u64 exe_ino;
	struct file *exe;	/* counted reference, or NULL */
	struct vfsmount *mnt;	/* counted reference to the mem file's mount */
	u32 flags;
	u32 dev;
	u32 exe_dev;
	u32 pid, tid, ppid;	/* accessor, initial pid ns */
	u32 vpid, vtid, vppid;	/* accessor, its own pid ns */
	u32 uid, euid, gid;
	u32 pidns, mntns;
	u32 tpid, ttid;		/* target, initial pid ns (0: not found) */
	u32 tvpid, tvtid;	/* target, accessor's pid ns (0: not visible) */
	u32 suppressed;
	u8 access;		/* enum pmg_access of the open */
	u8 report;		/* enum pmg_access bits to report */
	u8 action[2];		/* enum pmg_action: [0] read, [1] write */
	u8 kind;		/* enum pmg_kind, 0 if the names did not parse */
	u8 self;
	char comm[TASK_COMM_LEN];
	char tcomm[TASK_COMM_LEN];
	struct pmg_chain chain;
};

/* One finding: a record seen under one signature, with resolved names. */
struct pmg_finding_ctx {
	const struct pmg_record *rec;
	u32 sig;
	u8 action;		/* enum pmg_action */
	u64 seq;
	const char *exe;	/* NULL: unavailable */
	const char *path;	/* NULL: unavailable */
	const char *procfs_path;
};

/*
 * Drops the references a record holds. fput() of the executable is never
 * the last one in probe context but for a racing exec; fput() defers that.
 */
static inline void pmg_record_put(struct pmg_record *rec)
{
	if (rec->exe)
		fput(rec->exe);
	rec->exe = NULL;
	if (rec->mnt)
		mntput(rec->mnt);
	rec->mnt = NULL;
}

#endif /* _PMG_FINDING_H */
