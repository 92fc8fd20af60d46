/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference procmem-guard cares about, in
 * one place, decided by feature tests rather than version numbers.
 */
#ifndef _PMG_COMPAT_H
#define _PMG_COMPAT_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/nsproxy.h>
#include <linux/ns_common.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <net/genetlink.h>

/*
 * Joining a multicast group only with CAP_NET_ADMIN: the flag exists in
 * mainline since 6.6 and in the 6.1 stable series since 6.1.56. Without it
 * any local user could listen to the findings, so refuse to build.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "this kernel cannot restrict genetlink multicast groups to CAP_NET_ADMIN"
#endif

/*
 * A counted reference to mm->exe_file, lockless (safe in probe context, and
 * on PREEMPT_RT). get_mm_exe_file() is not exported; up to 6.6
 * get_file_rcu() is a macro that takes the file, later a function that takes
 * the __rcu pointer and rechecks it.
 */
static inline struct file *pmg_get_mm_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
#ifdef get_file_rcu
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#else
	exe = get_file_rcu(&mm->exe_file);
#endif
	rcu_read_unlock();
	return exe;
}

/*
 * Inode number of a task's mount namespace. struct mnt_namespace is private
 * to fs/, but on every kernel this module supports it begins with its
 * struct ns_common (the VM suite checks the number against
 * /proc/self/ns/mnt). Call under rcu_read_lock() or on current.
 */
static inline unsigned int pmg_mnt_ns_inum(struct task_struct *task)
{
	struct nsproxy *nsp = READ_ONCE(task->nsproxy);

	if (!nsp || !nsp->mnt_ns)
		return 0;
	return ((struct ns_common *)nsp->mnt_ns)->inum;
}

/*
 * Copies a task's comm without task_lock() (a spinlock_t: it sleeps on
 * PREEMPT_RT). A racing prctl(PR_SET_NAME) can tear the copy, never overrun
 * it: the result is always NUL-terminated.
 */
static inline void pmg_copy_comm(char *dst, const struct task_struct *task)
{
	memcpy(dst, task->comm, TASK_COMM_LEN);
	dst[TASK_COMM_LEN - 1] = '\0';
}

/*
 * A counted reference to the current task's mount namespace, lockless
 * (probe context, PREEMPT_RT too): only the task itself can replace its
 * nsproxy, and the namespace's count is the refcount in its ns_common,
 * which struct mnt_namespace begins with on every kernel this module
 * supports (see pmg_mnt_ns_inum()). NULL for a task without one (exiting,
 * kernel threads). Dropped with ns->ops->put(ns), which may sleep.
 */
static inline struct ns_common *pmg_get_mnt_ns(void)
{
	struct nsproxy *nsp = current->nsproxy;
	struct ns_common *ns;

	if (!nsp || !nsp->mnt_ns || (current->flags & PF_KTHREAD))
		return NULL;
	ns = (struct ns_common *)nsp->mnt_ns;
	return refcount_inc_not_zero(&ns->count) ? ns : NULL;
}

/* References to a file: an atomic_long_t up to 6.12 (file_ref_t later). */
static inline long pmg_file_count(struct file *f)
{
	return file_count(f);
}

#endif /* _PMG_COMPAT_H */
