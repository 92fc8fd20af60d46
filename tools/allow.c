// SPDX-License-Identifier: GPL-2.0
/*
 * allow.c - procmem-guard allow add | del | list
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "export.h"
#include "format.h"
#include "policy.h"
#include "subcommands.h"

/* One option of `allow add` into the rule; 0 or -EINVAL (reported). */
static int add_option(struct pmg_rule *r, int opt, const char *arg)
{
	static const struct {
		int opt, attr;
		const char *name;
	} opts[] = {
		{ 'e', PMG_R_EXE_PATH, "--exe" },
		{ 'u', PMG_R_UID, "--uid" },
		{ 'c', PMG_R_CGROUP_ID, "--cgroup" },
		{ 's', PMG_R_SELF, "--self" },
		{ 'a', PMG_R_ACCESS, "--access" },
		{ 'C', PMG_R_CHANNELS, "--channel" },
	};
	size_t n = sizeof(opts) / sizeof(opts[0]), i;
	char msg[300];

	for (i = 0; i < n && opts[i].opt != opt; i++)
		;
	if (i == n)
		return -EINVAL;
	if (PMG_HAS(r, opts[i].attr)) {
		pmg_err("allow add: %s given twice", opts[i].name);
		return -EINVAL;
	}
	if (pmg_rule_set(r, opts[i].attr, arg, msg, sizeof(msg))) {
		pmg_err("allow add: %s", msg);
		return -EINVAL;
	}
	return 0;
}

/* True to go on; false when done, with the exit code in *code. */
static bool parse_add(int argc, char **argv, struct pmg_rule *r, int *code)
{
	static const struct option longopts[] = {
		{ "exe", required_argument, NULL, 'e' },
		{ "uid", required_argument, NULL, 'u' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "self", no_argument, NULL, 's' },
		{ "access", required_argument, NULL, 'a' },
		{ "channel", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	char msg[300];
	int c;

	while ((c = getopt_long(argc, argv, "e:u:c:sa:C:", longopts,
				NULL)) != -1) {
		if (c == '?' || c == ':') {
			*code = pmg_action_usage(&pmg_cmd_allow, "add");
			return false;
		}
		if (add_option(r, c, optarg)) {
			*code = PMG_EXIT_USAGE;
			return false;
		}
	}
	if (optind != argc) {
		*code = pmg_action_usage(&pmg_cmd_allow, "add");
		return false;
	}
	if (pmg_rule_check(r, msg, sizeof(msg))) {
		pmg_err("allow add: %s", msg);
		*code = PMG_EXIT_USAGE;
		return false;
	}
	if (pmg_rule_advisory(r, msg, sizeof(msg)))
		pmg_err("warning: %s", msg);
	return true;
}

static int add_rule(struct pmg_nl *nl, void *arg)
{
	uint32_t id = 0;
	int r = pmg_allow_add(nl, arg, &id);

	if (!r)
		printf("%" PRIu32 "\n", id);
	return r;
}

static int add(int argc, char **argv)
{
	struct pmg_rule *rule = calloc(1, sizeof(*rule));
	int r;

	if (!rule) {
		pmg_err("out of memory");
		return PMG_EXIT_RUNTIME;
	}
	argv[1] = PMG_PROG " allow add";	/* for getopt's messages */
	if (parse_add(argc - 1, argv + 1, rule, &r))
		r = pmg_session("allow add", add_rule, rule);
	free(rule);
	return r;
}

static int del_rule(struct pmg_nl *nl, void *arg)
{
	return pmg_allow_del(nl, *(const uint32_t *)arg);
}

static int del(int argc, char **argv)
{
	char b[64];
	uint32_t id;

	if (argc != 3)
		return pmg_action_usage(&pmg_cmd_allow, "del");
	if (pmg_parse_u32(argv[2], &id)) {
		pmg_err("allow del: '%s' is not a rule id: 'allow list' shows "
			"them", pmg_shown(argv[2], b, sizeof(b)));
		return PMG_EXIT_USAGE;
	}
	return pmg_session("allow del", del_rule, &id);
}

static int print_rules_json(const struct pmg_rule *rules, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, pmg_rule_to_json(&rules[i]));
	return pmg_cmd_print_json(a);
}

/* "<id> <selectors>", and a comment when the rule is stale. */
static int print_rules_text(const struct pmg_rule *rules, size_t n)
{
	const struct pmg_rule *r;
	char cg[4096];
	size_t i;
	char *s;

	for (i = 0; i < n; i++) {
		r = &rules[i];
		s = pmg_rule_words(r, PMG_HAS(r, PMG_R_CGROUP_ID) &&
				   !pmg_cgroup_path(r->cgroup_id, cg,
						    sizeof(cg)) ? cg : NULL);
		if (!s)
			return -ENOMEM;
		if (PMG_HAS(r, PMG_R_ID))
			printf("%" PRIu32, r->id);
		else
			printf("?");
		printf("%s%s%s\n", s[0] ? " " : "", s,
		       PMG_HAS(r, PMG_R_STALE) && r->stale ?
		       "  # stale: the path now names another file" : "");
		free(s);
	}
	return PMG_EXIT_OK;
}

static int list_rules(struct pmg_nl *nl, void *arg)
{
	const bool *json = arg;
	struct pmg_rule *rules = NULL;
	size_t n = 0;
	int r;

	r = pmg_allow_list(nl, &rules, &n);
	if (!r)
		r = *json ? print_rules_json(rules, n) :
			    print_rules_text(rules, n);
	free(rules);
	return r;
}

static int list(int argc, char **argv)
{
	return pmg_json_session(&pmg_cmd_allow, argc, argv, "allow list",
				list_rules);
}

static const struct pmg_cmd_action actions[] = {
	{ "add", "add [--exe PATH] [--uid N] [--cgroup PATH] [--self]\n"
		 "           [--access KINDS] [--channel CHANNELS]", add },
	{ "del", "del ID", del },
	{ "list", "list [--json]", list },
	{ NULL, NULL, NULL },
};

PMG_SUBCOMMAND(allow, "add, delete or list allow rules",
	.actions = actions,
	.flags = "s",	/* allow add --self */
	.help =
	"\n"
	"An allow rule exempts the accesses it matches: they are neither\n"
	"reported (unless report_allowed is on) nor refused, and are counted\n"
	"as allowed. A rule matches when all of its selectors match, and needs\n"
	"at least one of --exe, --uid, --cgroup and --self:\n"
	"  -e, --exe PATH        the accessor runs this executable: an absolute\n"
	"                        path, made canonical (symlinks resolved); the\n"
	"                        module holds the file it names now\n"
	"  -u, --uid N           the accessor's effective uid\n"
	"  -c, --cgroup PATH     the accessor is in this cgroup v2 directory,\n"
	"                        e.g. /sys/fs/cgroup/system.slice/x.service\n"
	"  -s, --self            the accessor reaches its own memory\n"
	"  -a, --access KINDS    only these kinds: read, write, attach or\n"
	"                        read-write, several joined by commas\n"
	"                        (read,attach); default: any\n"
	"  -C, --channel CHANNELS only these routes: proc-mem, process-vm,\n"
	"                        ptrace or pidfd-getfd, several joined by\n"
	"                        commas; default: any\n"
	"An exe rule alone is advisory: a process can make its executable look\n"
	"like any file it may run (in a user namespace of its own). Combine\n"
	"--exe with --uid (or --cgroup).\n"
	"\n"
	"add prints the new rule's id; del deletes a rule by id. list prints\n"
	"one rule per line, its id and its selectors as a policy file writes\n"
	"them, and marks a rule stale when its path now names another file\n"
	"than the one the rule allows (after an upgrade replaced it: apply the\n"
	"policy again); --json prints an array of objects (id, exe, exe_dev,\n"
	"exe_inode, stale, uid, cgroup_id, self, access, channel; null: any).\n"
	"All three need CAP_SYS_ADMIN; once the policy is locked, rules can be\n"
	"deleted but not added.\n");
