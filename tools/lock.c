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

PMG_SUBCOMMAND(lock, "lock the policy until reboot",
	.run = run,
	.help =
	"Usage: " PMG_PROG " lock\n"
	"\n"
	"Lock the policy until the next reboot: from then on, config set,\n"
	"allow add, allow del and apply fail. There is no unlock. Needs\n"
	"CAP_NET_ADMIN.\n");
