// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - procmem-guard: catches every open of a procfs mem file
 * (/proc/<pid>/mem, /proc/<pid>/task/<tid>/mem, wherever procfs is mounted)
 * and reports it over generic netlink.
 *
 * The files, top to bottom (a file calls and includes only files below it;
 * tests/lint/layers.py checks it, module/LAYERS lists the order):
 *   main        load and unload
 *   genl        the netlink family: requests in, answers out (control)
 *   tamper      are the probes firing; keeping ftrace on while locked
 *   probe       every probe together, and their misses
 *   probe_open, probe_ptrace  one file per probed hook
 *   verdict, record  what the policy says of an access; what it is
 *   policy      the RCU-published policy: modes, allow rules, lock
 *   ratelimit   findings per second per (accessor, target) pair
 *   report      per-CPU rings, irq_work and the delivery worker
 *   summary, sink, klog  what was not sent one by one; findings into
 *               multicast messages (and back-pressure) or the kernel log
 *   finding, match, stats, params, compat  leaves
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "genl.h"
#include "match.h"
#include "policy.h"
#include "probe.h"
#include "ratelimit.h"
#include "report.h"
#include "stats.h"
#include "tamper.h"

static int __init pmg_init(void)
{
	int err;

	pmg_stats_reset();
	err = pmg_match_init();
	if (err)
		return err;
	err = pmg_rate_init();
	if (err)
		return err;
	/* Locks at once with lock=1: no request can come before. */
	err = pmg_policy_init();
	if (err)
		goto err_rate;
	pmg_probe_set_blocking(pmg_policy_blocks());
	err = pmg_report_init();
	if (err)
		goto err_policy;
	err = pmg_genl_init();
	if (err)
		goto err_report;
	err = pmg_probe_init();
	if (err)
		goto err_genl;
	err = pmg_tamper_init();
	if (err)
		goto err_probe;
	if (pmg_policy_locked())
		pmg_tamper_lock();
	pr_info("version %s loaded: watching opens of procfs mem files\n",
		PMG_VERSION);
	return 0;

err_probe:
	pmg_probe_exit();
err_genl:
	pmg_genl_exit();
err_report:
	pmg_report_exit();
err_policy:
	pmg_policy_exit();
err_rate:
	pmg_rate_exit();
	return err;
}

/* The last notice: unloaded, and whether the lock was forced. */
static void pmg_notice_unload(void)
{
	struct pmg_notice *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return;
	n->type = PMG_NOTICE_UNLOAD;
	n->uid = (u32)-1;
	n->detail = kstrdup(pmg_policy_locked() ?
			    "forced while the policy was locked (rmmod -f)" :
			    "the module is being unloaded", GFP_KERNEL);
	pmg_report_notice(n);
}

static void __exit pmg_exit(void)
{
	pmg_tamper_exit();
	pmg_probe_exit();	/* no new records once this returns */
	pmg_notice_unload();
	pmg_report_exit();	/* deliver or log what is in flight */
	pmg_genl_exit();
	pmg_policy_exit();
	pmg_rate_exit();
	pr_info("unloaded\n");
}

module_init(pmg_init);
module_exit(pmg_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The procmem-guard authors");
MODULE_DESCRIPTION("Reports, and can refuse, access to another process's memory: /proc/<pid>/mem, process_vm_readv/writev, ptrace, pidfd_getfd");
MODULE_VERSION(PMG_VERSION);
