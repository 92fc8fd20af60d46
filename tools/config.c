// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - procmem-guard config show | config set key=value...
 */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "format.h"
#include "policy.h"
#include "subcommands.h"

static int show_config(struct pmg_nl *nl, void *arg)
{
	const bool *json = arg;
	struct pmg_config c;
	int r;

	r = pmg_get_config(nl, &c);
	if (r || *json)
		return r ? r : pmg_cmd_print_json(pmg_config_to_json(&c));
	pmg_print_config(stdout, &c);
	return PMG_EXIT_OK;
}

static int show(int argc, char **argv)
{
	return pmg_json_session(&pmg_cmd_config, argc, argv, "config show",
				show_config);
}

static int set_config(struct pmg_nl *nl, void *arg)
{
	return pmg_set_config(nl, arg);
}

static int set(int argc, char **argv)
{
	struct pmg_config c = { 0 };
	char msg[300];
	int i;

	if (argc < 3)
		return pmg_cmd_usage(&pmg_cmd_config);
	for (i = 2; i < argc; i++) {
		if (pmg_config_set_kv(&c, argv[i], msg, sizeof(msg))) {
			pmg_err("config set: %s", msg);
			return PMG_EXIT_USAGE;
		}
	}
	return pmg_session("config set", set_config, &c);
}

static const struct pmg_cmd_action actions[] = {
	{ "show", show },
	{ "set", set },
	{ NULL, NULL },
};

PMG_SUBCOMMAND(config, "show or change the configuration",
	.actions = actions,
	.help =
	"Usage: " PMG_PROG " config show [--json] | config set <key>=<value>...\n"
	"\n"
	"show prints the configuration, one \"name: value\" per line (or one\n"
	"JSON object). set changes the settings given and leaves the others\n"
	"alone; it needs CAP_NET_ADMIN, and once the policy is locked it only\n"
	"accepts changes that tighten it.\n"
	"\n"
	"  read=off|alert|block       opens for reading: ignore, report, or\n"
	"                             report and deny (EACCES)\n"
	"  write=off|alert|block      the same for opens for writing\n"
	"  ratelimit=<N>/s|off        at most N findings per second per\n"
	"                             (accessor, target) pair\n"
	"  burst=<N>                  burst allowed by the rate limit\n"
	"  log=on|off                 log findings nobody listens to\n"
	"  report-allowed=on|off      also report opens an allow rule covers\n"
	"\n"
	"Example: " PMG_PROG " config set write=block ratelimit=20/s burst=40\n");
