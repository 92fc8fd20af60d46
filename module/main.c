// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - procmem-guard: catches every open of a procfs mem file
 * (/proc/<pid>/mem, /proc/<pid>/task/<tid>/mem, wherever procfs is mounted)
 * and reports it over generic netlink.
 *
 * The files, top to bottom (a file calls and includes only files below it;
 * tests/lint/layers.py checks it, module/LAYERS lists the order):
 *   main      load and unload
 *   genl      the netlink family: requests in, answers out (control plane)
 *   probe     the kprobe on security_file_open(): decide, count, queue
 *   record    what a mem open is: accessor, target, file (probe context)
 *   policy    the RCU-published policy: modes, allow rules, lock
 *   ratelimit findings per second per (accessor, target) pair
 *   report    per-CPU rings, irq_work and the delivery worker
 *   sink, klog  findings into multicast messages (and back-pressure), or
 *             into the kernel log
 *   match, stats, params, finding, compat  leaves
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include "genl.h"
#include "match.h"
#include "policy.h"
#include "probe.h"
#include "ratelimit.h"
#include "report.h"
#include "stats.h"

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
	pr_info("version %s loaded: watching opens of procfs mem files\n",
		PMG_VERSION);
	return 0;

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

static void __exit pmg_exit(void)
{
	pmg_probe_exit();	/* no new records once this returns */
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
MODULE_DESCRIPTION("Detects and reports opens of /proc/<pid>/mem (MITRE T1003.007, T1055.009)");
MODULE_VERSION(PMG_VERSION);
