// SPDX-License-Identifier: GPL-2.0
/*
 * lock.c - procmem-guard lock: lock the policy until reboot.
 */
#include "cli.h"
#include "subcommands.h"

static int lock(struct pmg_nl *nl, void *arg)
{
	(void)arg;
	return pmg_lock(nl);
}

static int run(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return pmg_cmd_usage(&pmg_cmd_lock);
	return pmg_session("lock", lock, NULL);
}

PMG_SUBCOMMAND(lock, "lock the policy until reboot: tighten only",
	.run = run,
	.help =
	"Usage: " PMG_PROG " lock\n"
	"\n"
	"Lock the policy until the next reboot; there is no unlock. From then\n"
	"on a change is accepted only if it tightens the policy: modes only\n"
	"raised (off, alert, block), allow rules only deleted, the rate limit\n"
	"only raised or turned off, log and report_allowed never turned off.\n"
	"config set, allow del and apply go on working within that; allow add\n"
	"and anything that loosens are refused with the reason. The module\n"
	"can no longer be unloaded (a forced unload, rmmod -f, where the\n"
	"kernel allows it, is reported to the listeners while it can be), and\n"
	"turning ftrace off (sysctl kernel.ftrace_enabled=0) is refused.\n"
	"Locking again does nothing. Needs CAP_SYS_ADMIN. The module parameter\n"
	"lock=on locks at load.\n");
