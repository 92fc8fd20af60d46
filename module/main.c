// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - procmem-guard: catches every open of a procfs mem file
 * (/proc/<pid>/mem, /proc/<pid>/task/<tid>/mem, wherever procfs is mounted)
 * and reports it over generic netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "match.h"
#include "netlink.h"
#include "params.h"
#include "policy.h"
#include "probe.h"
#include "report.h"
#include "stats.h"

bool pmg_param_log = true;
/* Read-only here: at run time it changes through netlink, where the lock
 * applies.
 */
module_param_named(log, pmg_param_log, bool, 0444);
MODULE_PARM_DESC(log, "Log findings to the kernel log, rate-limited, while no listener is attached (default: on)");

static int __init pmg_init(void)
{
	int err;

	pmg_stats_reset();
	err = pmg_match_init();
	if (err)
		return err;
	err = pmg_policy_init();
	if (err)
		return err;
	err = pmg_report_init();
	if (err)
		goto err_policy;
	err = pmg_nl_init();
	if (err)
		goto err_report;
	err = pmg_probe_init();
	if (err)
		goto err_nl;
	pmg_policy_lock_at_load();
	pr_info("version %s loaded: watching opens of procfs mem files\n",
		PMG_VERSION);
	return 0;

err_nl:
	pmg_nl_exit();
err_report:
	pmg_report_exit();
err_policy:
	pmg_policy_exit();
	return err;
}

static void __exit pmg_exit(void)
{
	pmg_probe_exit();	/* no new records once this returns */
	pmg_report_exit();	/* deliver or log what is in flight */
	pmg_nl_exit();
	pmg_policy_exit();
	pr_info("unloaded\n");
}

module_init(pmg_init);
module_exit(pmg_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The procmem-guard authors");
MODULE_DESCRIPTION("Detects and reports opens of /proc/<pid>/mem (MITRE T1003.007, T1055.009)");
MODULE_VERSION(PMG_VERSION);
