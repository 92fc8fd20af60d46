// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - procmem-guard config show | set key=value... | export
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "export.h"
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
	char msg[400];
	int i;

	if (argc < 3)
		return pmg_action_usage(&pmg_cmd_config, "set");
	for (i = 2; i < argc; i++) {
		if (pmg_config_set_kv(&c, argv[i], msg, sizeof(msg))) {
			pmg_err("config set: %s", msg);
			return PMG_EXIT_USAGE;
		}
		if (msg[0])
			pmg_err("warning: %s", msg);
	}
	return pmg_session("config set", set_config, &c);
}

/* The running policy as a policy file, on standard output. */
static int export_policy(struct pmg_nl *nl, void *arg)
{
	struct pmg_rule *rules = NULL;
	struct pmg_status st;
	char *notes = NULL;
	size_t n = 0;
	int r;

	(void)arg;
	r = pmg_get_status(nl, &st);
	if (!r)
		r = pmg_allow_list(nl, &rules, &n);
	if (r)
		return r;
	printf("# The policy of procmem_guard %s, as '" PMG_PROG
	       " config export' printed it.\n"
	       "# '" PMG_PROG " apply FILE' makes it the module's policy; "
	       "see procmem-guard(8).\n",
	       st.module_version[0] ? st.module_version : "?");
	if (PMG_HAS(&st.config, PMG_C_LOCKED) && st.config.locked)
		printf("# Locked until reboot: a change may only tighten it.\n");
	r = pmg_policy_export(stdout, &st.config, rules, n, &notes);
	free(rules);
	if (notes)
		fprintf(stderr, "%s", notes);
	free(notes);
	return r;
}

static int export(int argc, char **argv)
{
	(void)argv;
	if (argc != 2)
		return pmg_action_usage(&pmg_cmd_config, "export");
	return pmg_session("config export", export_policy, NULL);
}

static const struct pmg_cmd_action actions[] = {
	{ "show", "show [--json]", show },
	{ "set", "set KEY=VALUE...", set },
	{ "export", "export", export },
	{ NULL, NULL, NULL },
};

PMG_SUBCOMMAND(config, "show, change or export the configuration",
	.actions = actions,
	.help =
	"\n"
	"show prints the settings, one \"name: value\" per line, and whether the\n"
	"policy is locked (locked: yes|no); --json prints one JSON object with\n"
	"the same names (on/off as true/false, ratelimit as a number, 0: off).\n"
	"\n"
	"set changes the settings given, all of them or none, and leaves the\n"
	"others alone. It needs CAP_SYS_ADMIN; once the policy is locked it\n"
	"only accepts changes that tighten it. The keys are those of the\n"
	"module parameters and of the policy file:\n"
	"  read=off|alert|block     reading another process's memory (mem\n"
	"                           files, process_vm_readv): ignore, report,\n"
	"                           or report and refuse\n"
	"  write=off|alert|block    writing it (mem files, process_vm_writev,\n"
	"                           ptrace pokes)\n"
	"  attach=off|alert|block   attaching to it (ptrace attach, seize,\n"
	"                           traceme; pidfd_getfd)\n"
	"  ratelimit=<N>/s|off      at most N findings per second per\n"
	"                           (accessor, target) pair\n"
	"  burst=<N>                findings a pair may send at once\n"
	"  log=on|off               log findings nobody listens to\n"
	"  report_allowed=on|off    also report accesses an allow rule covers\n"
	"\n"
	"export prints the running policy, every setting and every allow rule\n"
	"with the path it was made from, as a policy file: applying it changes\n"
	"nothing. A rule no policy line can hold (its cgroup is gone) is\n"
	"printed as a comment, and a stale rule is marked; both are also said\n"
	"on standard error. It needs CAP_SYS_ADMIN, as listing rules does.\n"
	"\n"
	"Example: " PMG_PROG " config set write=block ratelimit=20/s burst=40\n");
