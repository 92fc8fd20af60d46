// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - the kprobe on security_file_open(), which sees every open on
 * the system after do_dentry_open() has set the file's f_op and before it
 * calls ->open().
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
 * the target's memory is reachable. Unlike a kretprobe on
 * security_file_open(), this needs no per-call instance, so it cannot run
 * out under load; see README.md for the trade-offs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include "match.h"
#include "policy.h"
#include "probe.h"
#include "ratelimit.h"
#include "record.h"
#include "report.h"
#include "stats.h"

static DEFINE_MUTEX(pmg_miss_lock);
static bool pmg_blocking;		/* under pmg_miss_lock */
static u64 pmg_miss_base, pmg_miss_acc;	/* under pmg_miss_lock */

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

static const u8 pmg_bits[2] = { PMG_ACCESS_READ, PMG_ACCESS_WRITE };

/* Decides, counts and queues one mem open. Under rcu_read_lock(). */
static void pmg_mem_open(struct file *file, const struct pmg_policy *p)
{
	struct pmg_record rec;
	struct pmg_subject subj;
	unsigned int silent = 0, i;
	u8 watched = 0;
	bool deny = false;

	if (!pmg_record_fill(&rec, file))
		return;
	subj.has_exe = !!rec.exe;
	subj.exe_dev = rec.exe_dev;
	subj.exe_ino = rec.exe_ino;
	subj.euid = rec.euid;
	subj.cgroup_id = rec.cgroup_id;
	subj.self = rec.self;

	for (i = 0; i < ARRAY_SIZE(pmg_bits); i++) {
		if (!(rec.access & pmg_bits[i]) || p->s.mode[i] == PMG_MODE_OFF)
			continue;
		watched |= pmg_bits[i];
		if (pmg_policy_allows(p, &subj, pmg_bits[i])) {
			rec.action[i] = PMG_ACTION_ALLOW;
			if (p->s.report_allowed)
				rec.report |= pmg_bits[i];
			else
				silent++;
			continue;
		}
		rec.action[i] = PMG_ACTION_ALERT;
		rec.report |= pmg_bits[i];
		if (p->s.mode[i] == PMG_MODE_BLOCK)
			deny = true;
	}
	if (deny && pmg_deny(file)) {
		/* The open fails as a whole: every watched part is blocked. */
		for (i = 0; i < ARRAY_SIZE(pmg_bits); i++)
			if (watched & pmg_bits[i])
				rec.action[i] = PMG_ACTION_BLOCK;
		rec.report = watched;
		silent = 0;
		pmg_stat_add(PMG_S_BLOCKED, hweight8(watched));
	}
	pmg_stat_add(PMG_S_MATCHES, hweight8(watched));
	pmg_stat_add(PMG_S_ALLOWED, silent);
	if (rec.report &&
	    !pmg_rate_admit(p->s.ratelimit, p->s.burst, rec.pid, rec.tpid,
			    hweight8(rec.report), &rec.suppressed)) {
		pmg_stat_add(PMG_S_SUPPRESSED, hweight8(rec.report));
		rec.report = 0;
	}
	if (!rec.report)
		pmg_record_put(&rec);
	else
		pmg_report_submit(&rec, file);
}

static int pmg_open_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (struct file *)regs_get_kernel_argument(regs, 0);
	const struct pmg_policy *p;

	pmg_stat_add(PMG_S_INSPECTED, 1);
	if (likely(!pmg_is_mem_file(file)))
		return 0;
	rcu_read_lock();
	p = rcu_dereference(pmg_policy);
	if (p)
		pmg_mem_open(file, p);
	rcu_read_unlock();
	return 0;
}

static struct kprobe pmg_open_kp = {
	.symbol_name = "security_file_open",
	.pre_handler = pmg_open_pre,
};

int pmg_probe_init(void)
{
	int err = register_kprobe(&pmg_open_kp);

	if (err)
		pr_err("cannot register a kprobe on security_file_open: %d (is CONFIG_KPROBES set?)\n",
		       err);
	return err;
}

void pmg_probe_exit(void)
{
	unregister_kprobe(&pmg_open_kp);
}

unsigned long pmg_probe_nmissed(void)
{
	return READ_ONCE(pmg_open_kp.nmissed);
}

void pmg_probe_set_blocking(bool blocking)
{
	u64 now = pmg_probe_nmissed();

	mutex_lock(&pmg_miss_lock);
	if (pmg_blocking && !blocking)
		pmg_miss_acc += now - pmg_miss_base;
	if (blocking && !pmg_blocking)
		pmg_miss_base = now;
	pmg_blocking = blocking;
	mutex_unlock(&pmg_miss_lock);
}

u64 pmg_probe_enforce_misses(void)
{
	u64 n;

	mutex_lock(&pmg_miss_lock);
	n = pmg_miss_acc;
	if (pmg_blocking)
		n += pmg_probe_nmissed() - pmg_miss_base;
	mutex_unlock(&pmg_miss_lock);
	return n;
}
