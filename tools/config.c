// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - procmem-guard config show | config set key=value...
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "policy.h"
#include "subcommands.h"

static int show(int argc, char **argv)
{
	struct pmg_config c;
	struct pmg_nl *nl;
	bool json = false;
	int r;

	if (!pmg_parse_json_flag(&pmg_cmd_config, argc, argv, 2, &json, &r))
		return r;
	r = pmg_connect(&nl);
	if (r)
		return r;
	r = pmg_get_config(nl, &c);
	if (r) {
		r = pmg_fail(nl, r, "config show");
	} else if (json) {
		json_object *o = pmg_config_to_json(&c);

		r = pmg_print_json(stdout, o) ? PMG_EXIT_RUNTIME : PMG_EXIT_OK;
		json_object_put(o);
	} else {
		pmg_print_config(stdout, &c);
	}
	pmg_nl_close(nl);
	if (fflush(stdout) && !r)
		r = PMG_EXIT_RUNTIME;
	return r;
}

static int set(int argc, char **argv)
{
	struct pmg_config c = { 0 };
	struct pmg_nl *nl;
	char msg[300];
	int i, r;

	if (argc < 3)
		return pmg_cmd_usage(&pmg_cmd_config);
	for (i = 2; i < argc; i++) {
		if (pmg_config_set_kv(&c, argv[i], msg, sizeof(msg))) {
			pmg_err("config set: %s", msg);
			return PMG_EXIT_USAGE;
		}
	}
	r = pmg_connect(&nl);
	if (r)
		return r;
	r = pmg_set_config(nl, &c);
	if (r)
		r = pmg_fail(nl, r, "config set");
	pmg_nl_close(nl);
	return r;
}

static int run(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return show(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "set"))
		return set(argc, argv);
	if (argc == 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		pmg_cmd_help(&pmg_cmd_config);
		return PMG_EXIT_OK;
	}
	return pmg_cmd_usage(&pmg_cmd_config);
}

const struct pmg_subcmd pmg_cmd_config = {
	.name = "config",
	.summary = "show or change the configuration",
	.run = run,
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
	"Example: " PMG_PROG " config set write=block ratelimit=20/s burst=40\n",
};
