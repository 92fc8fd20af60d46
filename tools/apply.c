// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - procmem-guard apply [--check] FILE: replace the policy.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "policy.h"
#include "subcommands.h"

/* True to go on; false when done, with the exit code in *code. */
static bool parse_args(int argc, char **argv, bool *check, const char **file,
		       int *code)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check") || !strcmp(argv[i], "-n")) {
			*check = true;
		} else if (!*file && (argv[i][0] != '-' || !argv[i][1])) {
			*file = argv[i];
		} else {
			*code = pmg_cmd_usage(&pmg_cmd_apply);
			return false;
		}
	}
	if (!*file) {
		*code = pmg_cmd_usage(&pmg_cmd_apply);
		return false;
	}
	return true;
}

static int load(const char *file, struct pmg_policy *pol)
{
	struct pmg_perr err;
	int r;

	if (!strcmp(file, "-"))
		r = pmg_policy_parse(stdin, "<stdin>", pol, &err);
	else
		r = pmg_policy_load(file, pol, &err);
	if (!r)
		return PMG_EXIT_OK;
	pmg_err("%s", err.msg);
	return r == -ENOMEM || r == -EIO ? PMG_EXIT_RUNTIME : PMG_EXIT_USAGE;
}

static int apply(struct pmg_nl *nl, void *arg)
{
	const struct pmg_policy *pol = arg;

	return pmg_apply(nl, &pol->config, pol->rules, pol->nrules);
}

static int run(int argc, char **argv)
{
	struct pmg_policy pol;
	const char *file = NULL;
	bool check = false;
	int r;

	if (!parse_args(argc, argv, &check, &file, &r))
		return r;
	r = load(file, &pol);
	if (r || check)
		return r;
	r = pmg_session("apply", apply, &pol);
	pmg_policy_free(&pol);
	return r;
}

PMG_SUBCOMMAND(apply, "replace the policy with the one in a file",
	.run = run,
	.help =
	"Usage: " PMG_PROG " apply [--check] FILE\n"
	"\n"
	"Read a policy from FILE ('-': standard input) and make it the\n"
	"module's policy, all at once or not at all: the settings the file\n"
	"leaves out take their defaults (read alert, write alert, ratelimit\n"
	"10/s burst 20, report-allowed off; log keeps its value), and the allow\n"
	"rules are replaced by the file's (none in the file: none left). Needs\n"
	"CAP_NET_ADMIN; once the policy is locked, a policy that loosens it is\n"
	"refused, with the reason. With --check (-n),\n"
	"only parse the file and resolve its paths. A mistake in the file is\n"
	"reported as FILE:LINE: reason, with exit status 1.\n"
	"\n"
	"The file holds one directive per line; a word starting with '#'\n"
	"starts a comment; blank lines are ignored; each setting at most once:\n"
	"\n"
	"  read off|alert|block         opens for reading: ignore, report, or\n"
	"                               report and deny (EACCES)\n"
	"  write off|alert|block        the same for opens for writing\n"
	"  ratelimit <N>/s [burst <M>]  at most N findings per second per\n"
	"                               (accessor, target) pair, bursts of M\n"
	"  ratelimit off                no rate limit\n"
	"  log on|off                   log findings nobody listens to\n"
	"  report-allowed on|off        also report opens a rule allows\n"
	"  allow [exe=<path>] [uid=<n>] [cgroup=<path>] [self]\n"
	"        [access=read|write|read-write]\n"
	"                               an allow rule; as many as needed\n"
	"\n"
	"An allow rule matches an open when all its selectors match, and needs\n"
	"at least one (access= alone is not one):\n"
	"  exe=<path>     the opener runs this executable; resolved now with\n"
	"                 stat() (following symlinks) to its device and inode\n"
	"  uid=<n>        the opener's effective uid, a number\n"
	"  cgroup=<path>  the opener is in this cgroup v2 directory; resolved\n"
	"                 now to its cgroup id (the directory's inode number)\n"
	"  self           the opener opens its own memory\n"
	"  access=..      only opens of that kind (default: any)\n"
	"Paths must be absolute and cannot contain blanks.\n"
	"\n"
	"Example:\n"
	"  # /etc/procmem-guard.policy\n"
	"  read alert\n"
	"  write block\n"
	"  ratelimit 10/s burst 20\n"
	"  log on\n"
	"  allow exe=/usr/bin/gdb uid=0\n"
	"  allow self access=read\n");
