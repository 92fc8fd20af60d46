// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - procmem-guard apply [--check | --diff] [--allow-empty] FILE:
 * make a policy file the module's policy, or show what that would change.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "policy.h"
#include "subcommands.h"

struct apply_args {
	const char *file;
	bool check;		/* only parse */
	bool diff;		/* only show the changes */
	bool allow_empty;
	struct pmg_policy pol;
};

/* True to go on; false when done, with the exit code in *code. */
static bool parse_args(int argc, char **argv, struct apply_args *a,
		       int *code)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check") || !strcmp(argv[i], "-n"))
			a->check = true;
		else if (!strcmp(argv[i], "--diff") || !strcmp(argv[i], "-d"))
			a->diff = true;
		else if (!strcmp(argv[i], "--allow-empty"))
			a->allow_empty = true;
		else if (!a->file && (argv[i][0] != '-' || !argv[i][1]))
			a->file = argv[i];
		else
			break;
	}
	if (i < argc || !a->file || (a->check && a->diff)) {
		*code = pmg_cmd_usage(&pmg_cmd_apply);
		return false;
	}
	return true;
}

static int load(struct apply_args *a)
{
	struct pmg_perr err;
	int r;

	if (!strcmp(a->file, "-"))
		r = pmg_policy_parse(stdin, "<stdin>", &a->pol, &err);
	else
		r = pmg_policy_load(a->file, &a->pol, &err);
	if (r) {
		pmg_err("%s", err.msg);
		return r == -ENOMEM || r == -EIO ? PMG_EXIT_RUNTIME :
						   PMG_EXIT_USAGE;
	}
	if (a->pol.warnings)
		fprintf(stderr, "%s", a->pol.warnings);
	if (!a->pol.directives && !a->allow_empty) {
		pmg_err("%s: no setting and no allow rule: applying it would "
			"delete every allow rule and change nothing else "
			"(--allow-empty if that is what you want)",
			strcmp(a->file, "-") ? a->file : "<stdin>");
		return PMG_EXIT_USAGE;
	}
	return PMG_EXIT_OK;
}

/*
 * The differences between the running policy and the file's, into *text
 * (malloc()ed); *send gets the settings to send. The number of lines, or
 * -errno.
 */
static int compare(struct pmg_nl *nl, const struct pmg_policy *pol,
		   char **text, struct pmg_config *send)
{
	struct pmg_rule *rules = NULL;
	struct pmg_config running;
	size_t n = 0, len = 0;
	FILE *f;
	int r;

	*text = NULL;
	r = pmg_get_config(nl, &running);
	if (!r)
		r = pmg_allow_list(nl, &rules, &n);
	if (r)
		return r;
	f = open_memstream(text, &len);
	if (!f) {
		free(rules);
		return -ENOMEM;
	}
	r = pmg_policy_diff(f, &running, rules, n, pol, send);
	if (fclose(f) && r >= 0)
		r = -ENOMEM;
	free(rules);
	return r;
}

static int apply(struct pmg_nl *nl, void *arg)
{
	const struct apply_args *a = arg;
	struct pmg_config send;
	char *text = NULL;
	int r;

	r = compare(nl, &a->pol, &text, &send);
	if (r > 0 && !a->diff)
		r = pmg_apply(nl, &send, a->pol.rules, a->pol.nrules);
	else if (r > 0)
		r = 0;
	if (!r && text)
		fputs(text, stdout);
	free(text);
	return r;
}

static int run(int argc, char **argv)
{
	struct apply_args a = { 0 };
	int r;

	if (!parse_args(argc, argv, &a, &r))
		return r;
	r = load(&a);
	if (!r && !a.check)
		r = pmg_session(a.diff ? "apply --diff" : "apply", apply, &a);
	pmg_policy_free(&a.pol);
	return r;
}

PMG_SUBCOMMAND(apply, "make a policy file the module's policy",
	.run = run,
	.flags = "nd",
	.help =
	"Usage: " PMG_PROG " apply [--check | --diff] [--allow-empty] FILE\n"
	"\n"
	"Read a policy from FILE ('-': standard input) and make it the\n"
	"module's policy, all at once or not at all: the settings the file\n"
	"gives replace the running ones, the settings it leaves out keep their\n"
	"running values (the module parameters', or what config set made\n"
	"them), and the allow rules become the file's. It prints what it\n"
	"changed, in the lines of a policy file: \"-\" what went, \"+\" what\n"
	"came; nothing when the module already runs this policy, which it then\n"
	"leaves untouched. Needs CAP_SYS_ADMIN; once the policy is locked, a\n"
	"policy that loosens it is refused, with the reason. A mistake in the\n"
	"file is reported as FILE:LINE: reason, with exit status 1, and the\n"
	"policy in force stays as it was.\n"
	"\n"
	"  -n, --check        only read the file and resolve its paths\n"
	"  -d, --diff         only print what applying would change\n"
	"      --allow-empty  accept a file without any setting or rule (it\n"
	"                     deletes every allow rule); without it, such a\n"
	"                     file is an error\n"
	"\n"
	"The file holds one directive per line; a word starting with '#'\n"
	"starts a comment; blank lines are ignored; each setting at most once.\n"
	"The settings, named and valued as config set names them:\n"
	"\n"
	"  read off|alert|block         reading another process's memory\n"
	"  write off|alert|block        writing it\n"
	"  attach off|alert|block       attaching to it\n"
	"  ratelimit <N>/s|off          findings per second per pair\n"
	"  burst <N>                    findings a pair may send at once\n"
	"  log on|off                   log findings nobody listens to\n"
	"  report_allowed on|off        also report allowed accesses\n"
	"  allow <selector>...          an allow rule; as many as needed\n"
	"\n"
	"The selectors of an allow rule are those of allow add: exe=PATH,\n"
	"uid=N, cgroup=PATH, self, access=KINDS, channel=CHANNELS. A rule needs\n"
	"one of exe, uid, cgroup or self; an exe rule without uid= or cgroup=\n"
	"is advisory, and the file's check warns about it. Paths must be\n"
	"absolute and cannot contain blanks; they are resolved when the file\n"
	"is read.\n"
	"\n"
	"Example:\n"
	"  write block\n"
	"  allow exe=/usr/bin/gdb uid=0 access=read,write,attach\n"
	"  allow self access=read\n");
