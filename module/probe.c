// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - the kprobe on security_file_open(), which sees every open on
 * the system after the file's f_op is set and before ->open() runs.
 *
 * The handler runs with preemption disabled (and so, on PREEMPT_RT, must
 * not take a spinlock_t either): it only reads the struct file, copies into
 * a stack record and then into this CPU's ring, and queues an irq_work.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include "match.h"
#include "probe.h"
#include "report.h"
#include "stats.h"

static int pmg_open_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct file *file = (struct file *)regs_get_kernel_argument(regs, 0);
	struct pmg_record rec;

	pmg_stat_add(PMG_S_INSPECTED, 1);
	if (likely(!pmg_is_mem_file(file)))
		return 0;
	if (!pmg_record_fill(&rec, file))
		return 0;
	if (!rec.access) {	/* O_ACCMODE "3": neither read nor write */
		pmg_record_put(&rec);
		return 0;
	}
	pmg_stat_add(PMG_S_MATCHES, rec.access == PMG_ACCESS_READ_WRITE ? 2 : 1);
	pmg_report_submit(&rec, file);
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
	return pmg_open_kp.nmissed;
}
