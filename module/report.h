/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - from probe context to userspace.
 *
 * The probe fills a fixed-size record in its CPU's preallocated ring (no
 * allocation, no lock: each ring has one producer, the probe on that CPU
 * with preemption disabled, and one consumer, the module's worker) and
 * queues an irq_work, which queues the worker. The worker resolves what
 * needs a sleeping context (path names), then multicasts the findings or,
 * with nobody listening, logs them.
 */
#ifndef _PMG_REPORT_H
#define _PMG_REPORT_H

#include <linux/fs.h>
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

int pmg_report_init(void);
void pmg_report_exit(void);

/*
 * Probe context. Fills *rec with everything about the open that policy
 * needs, taking a reference to the accessor's executable (released by
 * pmg_report_submit() or pmg_record_put()). Returns false, holding nothing,
 * if the file is not a procfs file after all.
 */
bool pmg_record_fill(struct pmg_record *rec, struct file *file);
void pmg_record_put(struct pmg_record *rec);

/*
 * Probe context. Queues rec (1 or 2 findings) for delivery, taking over its
 * references and one on the file's mount; if the ring is full, counts its
 * findings as dropped and releases them.
 */
void pmg_report_submit(struct pmg_record *rec, struct file *file);

/* Records queued and not yet processed, summed over CPUs. */
u64 pmg_report_inflight(void);

#endif /* _PMG_REPORT_H */
