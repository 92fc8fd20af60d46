/* SPDX-License-Identifier: GPL-2.0 */
/*
 * subcommands.h - the subcommands of procmem-guard, one file each.
 */
#ifndef PMG_SUBCOMMANDS_H
#define PMG_SUBCOMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

struct pmg_nl;

/* One word of a subcommand that has several (config show, allow add...). */
struct pmg_cmd_action {
	const char *name;
	/* its usage, after the program's name ("allow del ID"); a line
	 * break and blanks continue it on the next line
	 */
	const char *usage;
	/* argv[0] is the subcommand's name, argv[1] the action's */
	int (*run)(int argc, char **argv);
};

/*
 * A subcommand. main.c dispatches: -h or --help (or "--he"...) anywhere
 * among its arguments (up to a "--") shows its help; with actions, argv[1]
 * picks one (none, or an unknown one: the usage lines); otherwise run gets
 * the arguments. The help of a subcommand without actions starts with its
 * usage line(s) ("Usage: procmem-guard ..."), up to the first empty line;
 * with actions, main.c prints the actions' usage lines before it.
 */
struct pmg_subcmd {
	const char *name;
	const char *summary;	/* one line for the command list */
	const char *help;	/* full help, starting with the usage line */
	void (*help_more)(FILE *out);	/* prints the rest of it, or NULL */
	/* argv[0] is the subcommand's name; returns an exit code */
	int (*run)(int argc, char **argv);
	const struct pmg_cmd_action *actions;	/* NULL-terminated, or NULL */
	/* Its short options without an argument, which getopt() lets stand
	 * together with -h (-wh): help too.
	 */
	const char *flags;
};

/* Defines pmg_cmd_<id>, named "<id>"; the rest are designated fields. */
#define PMG_SUBCOMMAND(id, what, ...)					\
	const struct pmg_subcmd pmg_cmd_##id = {			\
		.name = #id, .summary = (what), __VA_ARGS__		\
	}

extern const struct pmg_subcmd pmg_cmd_listen;
extern const struct pmg_subcmd pmg_cmd_status;
extern const struct pmg_subcmd pmg_cmd_config;
extern const struct pmg_subcmd pmg_cmd_allow;
extern const struct pmg_subcmd pmg_cmd_apply;
extern const struct pmg_subcmd pmg_cmd_lock;
extern const struct pmg_subcmd pmg_cmd_metrics;

/* Print cmd's help on stdout. */
void pmg_cmd_help(const struct pmg_subcmd *cmd);
/*
 * Print the usage lines of cmd (of its action named action, when not
 * NULL) and a hint on stderr; returns PMG_EXIT_USAGE.
 */
int pmg_cmd_usage(const struct pmg_subcmd *cmd);
int pmg_action_usage(const struct pmg_subcmd *cmd, const char *action);

/*
 * The arguments from argv[first] on may only be --json, which sets *json.
 * Returns 0, or the exit code of the usage error it reported (the usage of
 * the action argv[1] when first is 2).
 */
int pmg_json_args(const struct pmg_subcmd *cmd, int argc, char **argv,
		  int first, bool *json);

/*
 * An action that shows something: its arguments (argv[2] on) may only be
 * --json, then a session (pmg_session()) runs fn with arg pointing to
 * that bool.
 */
int pmg_json_session(const struct pmg_subcmd *cmd, int argc, char **argv,
		     const char *what,
		     int (*fn)(struct pmg_nl *nl, void *json));

/* Print o as one line on standard output and release it; the exit code. */
int pmg_cmd_print_json(json_object *o);

#endif /* PMG_SUBCOMMANDS_H */
