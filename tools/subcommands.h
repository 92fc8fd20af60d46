/* SPDX-License-Identifier: GPL-2.0 */
/*
 * subcommands.h - the subcommands of procmem-guard, one file each.
 */
#ifndef PMG_SUBCOMMANDS_H
#define PMG_SUBCOMMANDS_H

#include <stdbool.h>
#include <stdio.h>

struct pmg_subcmd {
	const char *name;
	const char *summary;	/* one line for the command list */
	const char *help;	/* full help, starting with the usage line */
	void (*help_more)(FILE *out);	/* prints the rest of it, or NULL */
	/* argv[0] is the subcommand's name; returns an exit code */
	int (*run)(int argc, char **argv);
};

extern const struct pmg_subcmd pmg_cmd_listen;
extern const struct pmg_subcmd pmg_cmd_status;
extern const struct pmg_subcmd pmg_cmd_config;
extern const struct pmg_subcmd pmg_cmd_allow;
extern const struct pmg_subcmd pmg_cmd_apply;
extern const struct pmg_subcmd pmg_cmd_lock;

/* Print cmd's help on stdout. */
void pmg_cmd_help(const struct pmg_subcmd *cmd);
/* Print "Usage: ..." (the help's first line) and a hint on stderr. */
int pmg_cmd_usage(const struct pmg_subcmd *cmd);

/*
 * Parse the arguments from argv[first] on, which may only be --json (sets
 * *json) or --help. Returns true to go on; false when done (help shown, or
 * a usage error reported) with the exit code in *code.
 */
bool pmg_parse_json_flag(const struct pmg_subcmd *cmd, int argc, char **argv,
			 int first, bool *json, int *code);

#endif /* PMG_SUBCOMMANDS_H */
