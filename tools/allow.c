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
		{ 'e', PMG_R_EXE_INO, "--exe" },
		{ 'u', PMG_R_UID, "--uid" },
		{ 'c', PMG_R_CGROUP_ID, "--cgroup" },
		{ 's', PMG_R_SELF, "--self" },
		{ 'a', PMG_R_ACCESS, "--access" },
	};
	size_t n = sizeof(opts) / sizeof(opts[0]), i;
	char msg[300];

	for (i = 0; i < n && opts[i].opt != opt; i++)
		;
	if (i == n)
		return -EINVAL;
	if (PMG_HAS(r, opts[i].attr)) {
		pmg_err("allow add: %s given twice", opts[i].name);
		return -1;
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
		{ NULL, 0, NULL, 0 },
	};
	char msg[300];
	int c;

	while ((c = getopt_long(argc, argv, "e:u:c:sa:", longopts,
				NULL)) != -1) {
		if (c == '?' || c == ':') {
			*code = pmg_cmd_usage(&pmg_cmd_allow);
			return false;
		}
		if (add_option(r, c, optarg)) {
			*code = PMG_EXIT_USAGE;
			return false;
		}
	}
	if (optind != argc) {
		*code = pmg_cmd_usage(&pmg_cmd_allow);
		return false;
	}
	if (pmg_rule_check(r, msg, sizeof(msg))) {
		pmg_err("allow add: %s", msg);
		*code = PMG_EXIT_USAGE;
		return false;
	}
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
	struct pmg_rule rule = { 0 };
	int r;

	argv[1] = PMG_PROG " allow add";	/* for getopt's messages */
	if (!parse_add(argc - 1, argv + 1, &rule, &r))
		return r;
	return pmg_session("allow add", add_rule, &rule);
}

static int del_rule(struct pmg_nl *nl, void *arg)
{
	return pmg_allow_del(nl, *(const uint32_t *)arg);
}

static int del(int argc, char **argv)
{
	uint32_t id;

	if (argc != 3 || pmg_parse_u32(argv[2], &id))
		return pmg_cmd_usage(&pmg_cmd_allow);
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

static int print_rules_text(const struct pmg_rule *rules, size_t n)
{
	size_t i;
	char *s;

	for (i = 0; i < n; i++) {
		s = pmg_rule_to_text(&rules[i]);
		if (!s)
			return PMG_EXIT_RUNTIME;
		if (PMG_HAS(&rules[i], PMG_R_ID))
			printf("%" PRIu32, rules[i].id);
		else
			printf("?");
		printf("%s%s\n", s[0] ? " " : "", s);
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
	{ "add", add },
	{ "del", del },
	{ "list", list },
	{ NULL, NULL },
};

PMG_SUBCOMMAND(allow, "add, delete or list allow rules",
	.actions = actions,
	.flags = "s",	/* allow add --self */
	.help =
	"Usage: " PMG_PROG " allow add [--exe PATH] [--uid N] [--cgroup PATH]"
	" [--self]\n"
	"                           [--access read|write|read-write]\n"
	"       " PMG_PROG " allow del ID\n"
	"       " PMG_PROG " allow list [--json]\n"
	"\n"
	"An allow rule exempts the opens it matches: they are neither reported\n"
	"(unless report-allowed is on) nor blocked. A rule matches when all of\n"
	"its selectors match, and needs at least one:\n"
	"  --exe PATH     the opener runs this executable; resolved now with\n"
	"                 stat() to its device and inode number\n"
	"  --uid N        the opener's effective uid\n"
	"  --cgroup PATH  the opener is in this cgroup v2 directory, e.g.\n"
	"                 /sys/fs/cgroup/system.slice/x.service\n"
	"  --self         the opener opens its own memory\n"
	"  --access KIND  only opens of that kind (default: any)\n"
	"\n"
	"add prints the new rule's id. Adding and deleting need CAP_NET_ADMIN;\n"
	"once the policy is locked, rules can be deleted but not added. list\n"
	"prints one rule per line:\n"
	"its id and its selectors (exe_dev, exe_inode, uid, cgroup_id, self,\n"
	"access), or a JSON array.\n");
