// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - procmem-guard: command dispatch, --help (for every command, in
 * one place), --version, help <cmd>.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "policy.h"
#include "subcommands.h"

#ifndef PMG_VERSION
#error "PMG_VERSION must be defined (from the VERSION file)"
#endif

static const struct pmg_subcmd *const cmds[] = {
	&pmg_cmd_listen,
	&pmg_cmd_status,
	&pmg_cmd_config,
	&pmg_cmd_allow,
	&pmg_cmd_apply,
	&pmg_cmd_lock,
	&pmg_cmd_metrics,
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const char exit_codes[] =
	"Exit status:\n"
	"  0  success\n"
	"  1  usage error (bad command line or policy file)\n"
	"  2  runtime or kernel error\n"
	"  3  module not loaded\n"
	"  4  permission denied: changing the policy and listing its rules\n"
	"     need CAP_SYS_ADMIN, listening and the counters CAP_NET_ADMIN\n"
	"  5  the module speaks another protocol version than this program\n";

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: " PMG_PROG " <command> [<arguments>]\n"
		"       " PMG_PROG " help [COMMAND]\n"
		"       " PMG_PROG " --help | --version\n"
		"\n"
		"Reports, and can refuse, access to another process's memory:\n"
		"opens of /proc/<pid>/mem, process_vm_readv and process_vm_writev,\n"
		"ptrace attach and pokes, pidfd_getfd. The procmem_guard kernel\n"
		"module watches; this command listens to it and sets its policy\n"
		"(generic netlink family \"" PMG_GENL_NAME "\").\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(out, "  %-8s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(out, "  %-8s %s\n", "help", "show the help of a command");
	fprintf(out, "\nSee procmem-guard(8).\n\n%s", exit_codes);
}

/* The usage lines of the actions (all of them if name is NULL). */
static void action_usages(FILE *out, const struct pmg_subcmd *cmd,
			  const char *name)
{
	const struct pmg_cmd_action *a;
	const char *lead = "Usage: ";

	for (a = cmd->actions; a->name; a++) {
		if (name && strcmp(a->name, name))
			continue;
		fprintf(out, "%s" PMG_PROG " %s %s\n", lead, cmd->name,
			a->usage);
		lead = "       ";
	}
}

void pmg_cmd_help(const struct pmg_subcmd *cmd)
{
	if (cmd->actions)
		action_usages(stdout, cmd, NULL);
	fputs(cmd->help, stdout);
	if (cmd->help_more)
		cmd->help_more(stdout);
	fprintf(stdout, "\n%s", exit_codes);
}

int pmg_action_usage(const struct pmg_subcmd *cmd, const char *action)
{
	const char *nl = strchr(cmd->help, '\n');
	int len = nl ? (int)(nl - cmd->help) : (int)strlen(cmd->help);

	if (cmd->actions)
		action_usages(stderr, cmd, action);
	else
		fprintf(stderr, "%.*s\n", len, cmd->help);
	fprintf(stderr, "Try '" PMG_PROG " help %s' for more.\n", cmd->name);
	return PMG_EXIT_USAGE;
}

int pmg_cmd_usage(const struct pmg_subcmd *cmd)
{
	return pmg_action_usage(cmd, NULL);
}

int pmg_json_args(const struct pmg_subcmd *cmd, int argc, char **argv,
		  int first, bool *json)
{
	int i;

	for (i = first; i < argc; i++) {
		if (strcmp(argv[i], "--json"))
			return pmg_action_usage(cmd, first == 2 ? argv[1] :
							       NULL);
		*json = true;
	}
	return PMG_EXIT_OK;
}

int pmg_json_session(const struct pmg_subcmd *cmd, int argc, char **argv,
		     const char *what,
		     int (*fn)(struct pmg_nl *nl, void *json))
{
	bool json = false;
	int r = pmg_json_args(cmd, argc, argv, 2, &json);

	return r ? r : pmg_session(what, fn, &json);
}

int pmg_cmd_print_json(json_object *o)
{
	int r = pmg_print_json(stdout, o);

	json_object_put(o);
	return r ? PMG_EXIT_RUNTIME : PMG_EXIT_OK;
}

static const struct pmg_subcmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

static int help(int argc, char **argv)
{
	const struct pmg_subcmd *cmd;
	char b[64];

	if (argc < 2) {
		usage(stdout);
		return PMG_EXIT_OK;
	}
	cmd = find(argv[1]);
	if (!cmd) {
		pmg_err("no such command '%s'; see '" PMG_PROG " help'",
			pmg_shown(argv[1], b, sizeof(b)));
		return PMG_EXIT_USAGE;
	}
	if (argc > 2) {
		pmg_err("help takes one command name: '" PMG_PROG " help %s'",
			cmd->name);
		return PMG_EXIT_USAGE;
	}
	pmg_cmd_help(cmd);
	return PMG_EXIT_OK;
}

/*
 * -h, --help or an abbreviation of it ("--he"), or -h among short options
 * that take no argument (-wh), as getopt() would read them.
 */
static bool is_help(const struct pmg_subcmd *cmd, const char *arg)
{
	size_t n = strlen(arg);
	const char *c;

	if (n >= 3 && n <= 6 && !strncmp(arg, "--help", n))
		return true;
	if (arg[0] != '-' || arg[1] == '-')
		return false;
	for (c = arg + 1; *c; c++) {
		if (*c == 'h')
			return true;
		if (!cmd->flags || !strchr(cmd->flags, *c))
			return false;
	}
	return false;
}

/* Is help asked for anywhere before a "--"? */
static bool wants_help(const struct pmg_subcmd *cmd, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (is_help(cmd, argv[i]))
			return true;
	return false;
}

/* argv[0] is the subcommand's name. */
static int dispatch(const struct pmg_subcmd *cmd, int argc, char **argv)
{
	const struct pmg_cmd_action *a;
	char b[64];

	if (wants_help(cmd, argc, argv)) {
		pmg_cmd_help(cmd);
		return PMG_EXIT_OK;
	}
	if (!cmd->actions)
		return cmd->run(argc, argv);
	for (a = cmd->actions; argc >= 2 && a->name; a++)
		if (!strcmp(argv[1], a->name))
			return a->run(argc, argv);
	if (argc >= 2)
		pmg_err("%s: no such action '%s'", cmd->name,
			pmg_shown(argv[1], b, sizeof(b)));
	return pmg_cmd_usage(cmd);
}

int main(int argc, char **argv)
{
	const struct pmg_subcmd *cmd;
	char b[64];

	if (argc < 2) {
		usage(stderr);
		return PMG_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return PMG_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf(PMG_PROG " " PMG_VERSION " (netlink protocol %d)\n",
		       PMG_PROTOCOL_VERSION);
		return PMG_EXIT_OK;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	cmd = find(argv[1]);
	if (!cmd) {
		pmg_err("unknown command '%s'; see '" PMG_PROG " --help'",
			pmg_shown(argv[1], b, sizeof(b)));
		return PMG_EXIT_USAGE;
	}
	return dispatch(cmd, argc - 1, argv + 1);
}
