// SPDX-License-Identifier: GPL-2.0
/*
 * record.c - capturing an access in probe context: the accessor (ids,
 * credentials, namespaces, comm, a reference to its executable, the
 * system call it is in), the target (as the initial pid namespace and as
 * the accessor sees it) and, for a mem open, the file (flags, device,
 * inode, the names up to the procfs root). Nothing here sleeps, allocates
 * or takes a spinlock_t.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/timekeeping.h>
#include <asm/syscall.h>
#include "compat.h"
#include "match.h"
#include "procmem_guard.h"
#include "record.h"

/*
 * The accessor. own: task is current, whose executable and system call
 * can be read safely; for another task (the tracer of PTRACE_TRACEME)
 * both are left out. Under rcu_read_lock().
 */
static void pmg_fill_accessor(struct pmg_record *rec, struct task_struct *task,
			      bool own)
{
	struct pid_namespace *mine = task_active_pid_ns(task);
	const struct cred *cred = own ? current_cred() : __task_cred(task);
	struct task_struct *parent = rcu_dereference(task->real_parent);

	rec->time_ns = ktime_get_real_ns();
	rec->pid = task_tgid_nr(task);
	rec->tid = task_pid_nr(task);
	rec->vpid = task_tgid_nr_ns(task, mine);
	rec->vtid = task_pid_nr_ns(task, mine);
	rec->ppid = task_tgid_nr(parent);
	rec->vppid = task_tgid_nr_ns(parent, mine);
	rec->pidns = mine ? mine->ns.inum : 0;
	rec->mntns = pmg_mnt_ns_inum(task);
	pmg_copy_comm(rec->comm, task);
	rec->uid = from_kuid_munged(&init_user_ns, cred->uid);
	rec->euid = from_kuid_munged(&init_user_ns, cred->euid);
	rec->gid = from_kgid_munged(&init_user_ns, cred->gid);
#ifdef CONFIG_CGROUPS
	rec->cgroup_id = cgroup_id(task_dfl_cgroup(task));
#endif
	rec->syscall = U32_MAX;
	if (!own)
		return;
	if (task->mm) {
		struct file *exe = pmg_get_mm_exe_file(task->mm);

		if (exe) {
			rec->exe = exe;
			rec->exe_dev =
				new_encode_dev(file_inode(exe)->i_sb->s_dev);
			rec->exe_ino = file_inode(exe)->i_ino;
		}
	}
	/* Kernel threads and io_uring workers have no (meaningful) one. */
	if (!(task->flags & (PF_KTHREAD | PF_IO_WORKER))) {
		rec->syscall = syscall_get_nr(task, task_pt_regs(task));
		rec->compat = in_compat_syscall();
	}
}

/* The target thread, as the initial pid namespace and the accessor see it. */
static void pmg_fill_target_task(struct pmg_record *rec,
				 struct task_struct *target,
				 struct task_struct *accessor)
{
	struct pid_namespace *ns = task_active_pid_ns(accessor);

	rec->tpid = task_tgid_nr(target);
	rec->ttid = task_pid_nr(target);
	rec->tvpid = task_tgid_nr_ns(target, ns);
	rec->tvtid = task_pid_nr_ns(target, ns);
	rec->self = same_thread_group(target, accessor);
	pmg_copy_comm(rec->tcomm, target);
}

/* The target of a mem file, from the pids its path names. */
static void pmg_fill_target(struct pmg_record *rec, struct pid_namespace *ns,
			    const struct pmg_match *m)
{
	struct pid_namespace *mine = task_active_pid_ns(current);
	struct pid *tgid, *tid = NULL;
	struct task_struct *t;

	tgid = find_pid_ns(m->pid, ns);
	if (!tgid)
		return;
	rec->tpid = pid_nr(tgid);
	rec->tvpid = pid_nr_ns(tgid, mine);
	rec->self = tgid == task_tgid(current);
	if (m->kind == PMG_MATCH_TASK_MEM) {
		tid = find_pid_ns(m->tid, ns);
		if (tid) {
			rec->ttid = pid_nr(tid);
			rec->tvtid = pid_nr_ns(tid, mine);
		}
	}
	t = pid_task(tid ? tid : tgid, PIDTYPE_PID);
	if (t)
		pmg_copy_comm(rec->tcomm, t);
}

bool pmg_record_open(struct pmg_record *rec, struct file *file)
{
	struct inode *inode = file_inode(file);
	struct pmg_match m;

	/* The f_op compare said mem file; make sure it is procfs before
	 * trusting the procfs-private superblock data below.
	 */
	if (inode->i_sb->s_magic != PROC_SUPER_MAGIC)
		return false;

	memset(rec, 0, sizeof(*rec));
	rec->channel = PMG_CHANNEL_PROC_MEM;
	rec->flags = file->f_flags;
	rec->access = (file->f_mode & FMODE_READ ? PMG_ACCESS_READ : 0) |
		      (file->f_mode & FMODE_WRITE ? PMG_ACCESS_WRITE : 0);
	rec->dev = new_encode_dev(inode->i_sb->s_dev);
	rec->ino = inode->i_ino;

	rcu_read_lock();
	pmg_fill_accessor(rec, current, true);
	pmg_read_chain(file, &rec->chain);
	switch (pmg_match_chain(&rec->chain, &m)) {
	case PMG_MATCH_PID_MEM:
		rec->kind = PMG_KIND_PID_MEM;
		break;
	case PMG_MATCH_TASK_MEM:
		rec->kind = PMG_KIND_TASK_MEM;
		break;
	default:
		break;
	}
	if (rec->kind)
		pmg_fill_target(rec, proc_sb_info(inode->i_sb)->pid_ns, &m);
	rcu_read_unlock();
	return true;
}

void pmg_record_task(struct pmg_record *rec, struct task_struct *target,
		     u8 channel, u8 access)
{
	memset(rec, 0, sizeof(*rec));
	rec->channel = channel;
	rec->access = access;
	rcu_read_lock();
	pmg_fill_accessor(rec, current, true);
	pmg_fill_target_task(rec, target, current);
	rcu_read_unlock();
}

void pmg_record_traceme(struct pmg_record *rec, struct task_struct *tracer)
{
	memset(rec, 0, sizeof(*rec));
	rec->channel = PMG_CHANNEL_PTRACE;
	rec->access = PMG_ACCESS_ATTACH;
	rec->request = PTRACE_TRACEME;
	rcu_read_lock();
	pmg_fill_accessor(rec, tracer, false);
	pmg_fill_target_task(rec, current, tracer);
	rcu_read_unlock();
}
