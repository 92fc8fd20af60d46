// SPDX-License-Identifier: GPL-2.0
/*
 * lock.c - procmem-guard lock: lock the policy until reboot.
 */
#include <string.h>

#include "cli.h"
#include "subcommands.h"

static int run(int argc, char **argv)
{
	struct pmg_nl *nl;
	int r;

	if (argc == 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		pmg_cmd_help(&pmg_cmd_lock);
		return PMG_EXIT_OK;
	}
	if (argc != 1)
		return pmg_cmd_usage(&pmg_cmd_lock);
	r = pmg_connect(&nl);
	if (r)
		return r;
	r = pmg_lock(nl);
	if (r)
		r = pmg_fail(nl, r, "lock");
	pmg_nl_close(nl);
	return r;
}

const struct pmg_subcmd pmg_cmd_lock = {
	.name = "lock",
	.summary = "lock the policy until reboot",
	.run = run,
	.help =
	"Usage: " PMG_PROG " lock\n"
	"\n"
	"Lock the policy until the next reboot: from then on, config set,\n"
	"allow add, allow del and apply fail. There is no unlock. Needs\n"
	"CAP_NET_ADMIN.\n",
};
