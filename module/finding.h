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
#include <linux/list.h>
#include <linux/mount.h>
#include <linux/ns_common.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/types.h>
#include "match.h"
#include "procmem_guard.h"

struct pmg_record {
	u64 time_ns;		/* CLOCK_REALTIME */
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
	u32 syscall;		/* the accessor's system call number */
	u32 request;		/* ptrace request (channel ptrace) */
	u8 access;		/* enum pmg_access bits of the access */
	u8 report;		/* enum pmg_access bits to report */
	u8 action[3];		/* enum pmg_action: read, write, attach */
	u8 outcome;		/* enum pmg_outcome, 0 while not known */
	u8 kind;		/* enum pmg_kind, 0 if the names did not parse */
	u8 self;
	u8 channel;		/* enum pmg_channel */
	u8 compat;		/* syscall is a 32-bit call's number */
	u8 partial;		/* enum pmg_partial bits */
	u8 uslot;		/* the ring's per-user count it is in */
	unsigned long pended;	/* jiffies the worker began to wait for the
				 * outcome, 0 if it did not
				 */
	struct file *file;	/* counted reference to the opened mem file
				 * while its outcome is not known, or NULL
				 */
	struct ns_common *mntns_ref;	/* counted reference to the
					 * accessor's mount namespace, or NULL
					 */
	char comm[TASK_COMM_LEN];
	char tcomm[TASK_COMM_LEN];
	struct pmg_chain chain;
};

/*
 * Findings that were not sent one by one: how many per access bit (read,
 * write, attach), when, why, and the last accessor's context.
 */
struct pmg_summary {
	struct pmg_record rec;	/* holds a reference to the executable */
	u64 first_ns, last_ns;
	u32 count[3];
	u8 reason;		/* enum pmg_reason */
	bool various;		/* executable and target left out */
};

/* An event of the module itself (enum pmg_notice_type). */
struct pmg_notice {
	struct list_head node;
	u64 time_ns;
	u8 type;
	u8 cmd;			/* PMG_NOTICE_POLICY: the command */
	u32 pid, uid;		/* who (0 and -1: nobody in particular) */
	char comm[TASK_COMM_LEN];
	char *exe;		/* kmalloc()ed, or NULL */
	char *detail;		/* kmalloc()ed, or NULL */
};

/* One finding: a record seen under one signature, with resolved names. */
struct pmg_finding_ctx {
	const struct pmg_record *rec;
	const struct pmg_summary *sum;	/* a summary, or NULL */
	u32 count;		/* a summary: the findings it stands for */
	u32 sig;
	u8 action;		/* enum pmg_action */
	u64 seq;
	const char *exe;	/* NULL: unavailable */
	const char *path;	/* NULL: unavailable */
	const char *procfs_path;
};

/* The access kinds: bit BIT(i) of enum pmg_access is action[i]. */
#define PMG_NACCESS	3

/* The signature of an access of kind bit through channel; 0: none. */
static inline u32 pmg_signature(u8 channel, u8 bit)
{
	switch (channel) {
	case PMG_CHANNEL_PROC_MEM:
		return bit == PMG_ACCESS_READ ? PMG_SIG_MEM_READ :
		       bit == PMG_ACCESS_WRITE ? PMG_SIG_MEM_WRITE : 0;
	case PMG_CHANNEL_PROCESS_VM:
		return bit == PMG_ACCESS_READ ? PMG_SIG_VM_READ :
		       bit == PMG_ACCESS_WRITE ? PMG_SIG_VM_WRITE : 0;
	case PMG_CHANNEL_PTRACE:
		return bit == PMG_ACCESS_ATTACH ? PMG_SIG_PTRACE_ATTACH :
		       bit == PMG_ACCESS_WRITE ? PMG_SIG_PTRACE_INJECT : 0;
	case PMG_CHANNEL_PIDFD_GETFD:
		return bit == PMG_ACCESS_ATTACH ? PMG_SIG_PIDFD_GETFD : 0;
	}
	return 0;
}

/*
 * Drops the references a record holds. In probe context a record holds
 * only its executable's: fput() of it is never the last one there but for
 * a racing exec, and fput() defers that. The file and the mount namespace
 * are taken when a record is queued and dropped by the worker (the last
 * fput() of a file that never opened, and put_mnt_ns(), may sleep).
 */
static inline void pmg_record_put(struct pmg_record *rec)
{
	if (rec->exe)
		fput(rec->exe);
	rec->exe = NULL;
	if (rec->mnt)
		mntput(rec->mnt);
	rec->mnt = NULL;
	if (rec->file)
		fput(rec->file);
	rec->file = NULL;
	if (rec->mntns_ref)
		rec->mntns_ref->ops->put(rec->mntns_ref);
	rec->mntns_ref = NULL;
}

#endif /* _PMG_FINDING_H */
