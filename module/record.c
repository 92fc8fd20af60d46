// SPDX-License-Identifier: GPL-2.0
/*
 * record.c - capturing a mem open in probe context: the accessor (ids,
 * credentials, namespaces, comm, a reference to its executable), the file
 * (flags, device, inode, the names up to the procfs root) and the target
 * (resolved in the procfs instance's pid namespace, and as the accessor
 * sees it). Nothing here sleeps, allocates or takes a spinlock_t.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include "compat.h"
#include "match.h"
#include "procmem_guard.h"
#include "record.h"

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

bool pmg_record_fill(struct pmg_record *rec, struct file *file)
{
	struct inode *inode = file_inode(file);
	struct task_struct *task = current;
	const struct cred *cred;
	struct task_struct *parent;
	struct pid_namespace *mine;
	struct pmg_match m;
	struct file *exe;

	/* The f_op compare said mem file; make sure it is procfs before
	 * trusting the procfs-private superblock data below.
	 */
	if (inode->i_sb->s_magic != PROC_SUPER_MAGIC)
		return false;

	memset(rec, 0, sizeof(*rec));
	rec->time_ns = ktime_get_real_ns();
	rec->flags = file->f_flags;
	rec->access = (file->f_mode & FMODE_READ ? PMG_ACCESS_READ : 0) |
		      (file->f_mode & FMODE_WRITE ? PMG_ACCESS_WRITE : 0);
	rec->dev = new_encode_dev(inode->i_sb->s_dev);
	rec->ino = inode->i_ino;

	mine = task_active_pid_ns(task);
	rec->pid = task_tgid_nr(task);
	rec->tid = task_pid_nr(task);
	rec->vpid = task_tgid_nr_ns(task, mine);
	rec->vtid = task_pid_nr_ns(task, mine);
	rec->pidns = mine ? mine->ns.inum : 0;
	rec->mntns = pmg_mnt_ns_inum(task);
	pmg_copy_comm(rec->comm, task);

	exe = task->mm ? pmg_get_mm_exe_file(task->mm) : NULL;
	if (exe) {
		rec->exe = exe;
		rec->exe_dev = new_encode_dev(file_inode(exe)->i_sb->s_dev);
		rec->exe_ino = file_inode(exe)->i_ino;
	}

	cred = current_cred();
	rec->uid = from_kuid_munged(&init_user_ns, cred->uid);
	rec->euid = from_kuid_munged(&init_user_ns, cred->euid);
	rec->gid = from_kgid_munged(&init_user_ns, cred->gid);

	rcu_read_lock();
	parent = rcu_dereference(task->real_parent);
	rec->ppid = task_tgid_nr(parent);
	rec->vppid = task_tgid_nr_ns(parent, mine);
#ifdef CONFIG_CGROUPS
	rec->cgroup_id = cgroup_id(task_dfl_cgroup(task));
#endif

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

