// SPDX-License-Identifier: GPL-2.0
/*
 * probe_open.c - the kprobe on security_file_open(), which sees every open
 * on the system after do_dentry_open() has set the file's f_op and before
 * it calls ->open() (for a mem file: procfs' ptrace check).
 *
 * The handler runs with preemption disabled (and so, on PREEMPT_RT, must
 * not take a spinlock_t either): for a non-mem open it does one compare;
 * for a mem open it reads the struct file and the current task into a stack
 * record, asks the RCU-published policy, and queues the record in this
 * CPU's ring.
 *
 * Denial: the handler points the file's f_op at pmg_denied_fops, whose
 * ->open() fails with -EACCES. do_dentry_open() then unwinds exactly as for
 * any failed ->open(): fops_put() drops the module reference taken here,
 * the file is never opened, and the opener gets EACCES before anything of
 * the target's memory is reachable. Such a file never opens, so no file
 * that opens ever carries the module's f_op, and every LSM sees procfs'
 * own operations on every mem file that opens. Unlike a kretprobe on
 * security_file_open(), this needs no per-call instance, so it cannot run
 * out under load; see README.md for the trade-offs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include "match.h"
#include "probe_open.h"
#include "record.h"
#include "stats.h"
#include "verdict.h"

static int pmg_denied_open(struct inode *inode, struct file *file)
{
	return -EACCES;
}

static const struct file_operations pmg_denied_fops = {
	.owner = THIS_MODULE,
	.open = pmg_denied_open,
};

/*
 * Makes the open fail. The module reference is balanced by
 * do_dentry_open()'s fops_put() of the failed file. It can only be had
 * while the module is live: once rmmod has dropped the last reference, the
 * module's code may be gone before ->open() would run, so the open goes
 * ahead and is counted as an enforcement miss.
 */
static bool pmg_deny(struct file *file)
{
	if (!try_module_get(THIS_MODULE)) {
		pmg_stat_add(PMG_S_ENFORCE_MISSES, 1);
		return false;
	}
	WRITE_ONCE(file->f_op, &pmg_denied_fops);
	return true;
}

static int pmg_open_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (struct file *)regs_get_kernel_argument(regs, 0);
	struct pmg_verdict v;
	struct pmg_record rec;

	pmg_stat_add(PMG_S_INSPECTED, 1);
	if (likely(!pmg_is_mem_file(file)))
		return 0;
	if (WARN_ON_ONCE(!in_task()))
		return 0;
	if (!pmg_record_open(&rec, file))
		return 0;
	rcu_read_lock();
	if (pmg_verdict_decide(&rec, &v))
		pmg_verdict_finish(&rec, &v, v.refuse && pmg_deny(file), file);
	rcu_read_unlock();
	return 0;
}

static struct kprobe pmg_open_kp = {
	.symbol_name = "security_file_open",
	.pre_handler = pmg_open_pre,
};

int pmg_probe_open_init(void)
{
	int err = register_kprobe(&pmg_open_kp);

	if (err)
		pr_err("cannot register a kprobe on security_file_open: %d (is CONFIG_KPROBES set?)\n",
		       err);
	return err;
}

void pmg_probe_open_exit(void)
{
	unregister_kprobe(&pmg_open_kp);
}

unsigned long pmg_probe_open_nmissed(void)
{
	return READ_ONCE(pmg_open_kp.nmissed);
}
