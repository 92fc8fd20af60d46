// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - procmem-guard status: is the module there, its version,
 * whether its probes fire, its configuration and counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "export.h"
#include "format.h"
#include "subcommands.h"

static const char no_counters[] =
	"the counters need CAP_NET_ADMIN";

static int print_json(const struct pmg_status *st)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "loaded", json_object_new_boolean(1));
	json_object_object_add(o, "module_version",
			       st->module_version[0] ?
			       pmg_json_bytes(st->module_version) : NULL);
	json_object_object_add(o, "protocol_version",
			       json_object_new_int64(st->protocol));
	json_object_object_add(o, "armed", st->has_armed ?
			       json_object_new_boolean(st->armed) : NULL);
	json_object_object_add(o, "config", pmg_config_to_json(&st->config));
	json_object_object_add(o, "stats", st->stats.present ?
			       pmg_stats_to_json(&st->stats) : NULL);
	return pmg_cmd_print_json(o);
}

static void print_text(const struct pmg_status *st)
{
	printf("module: loaded\n");
	printf("version: %s\n",
	       st->module_version[0] ? st->module_version : "?");
	printf("protocol: %" PRIu32 "\n", st->protocol);
	if (!st->has_armed)
		printf("armed: ?\n");
	else if (st->armed)
		printf("armed: yes\n");
	else
		printf("armed: no (a probe does not fire: accesses go unseen; "
		       "see procmem-guard(8), TAMPERING)\n");
	pmg_print_config(stdout, &st->config);
	if (st->stats.present)
		pmg_print_stats(stdout, &st->stats);
	else
		printf("counters: not shown: %s\n", no_counters);
}

static int not_loaded(bool json)
{
	if (json)
		printf("{\"loaded\":false}\n");
	return pmg_fail(NULL, -ENOENT, "status");
}

/* The counters of `status --help`, from their table (names.c). */
static void counters_help(FILE *out)
{
	int i;

	for (i = 1; i <= PMG_S_MAX; i++)
		if (pmg_stat_name(i))
			fprintf(out, "  %-16s %s\n", pmg_stat_name(i),
				pmg_stat_help(i));
	fputs("A counter the module did not report shows as '?' (null in JSON).\n",
	      out);
}

static int show(struct pmg_nl *nl, bool json)
{
	struct pmg_status st;
	int r = pmg_get_status(nl, &st);

	if (r == -EPROTONOSUPPORT)
		return pmg_fail_protocol(st.protocol);
	if (r)
		return r;
	if (json)
		return print_json(&st);
	print_text(&st);
	return PMG_EXIT_OK;
}

/* Not pmg_session(): "not loaded" is an answer here, in JSON too. */
static int run(int argc, char **argv)
{
	struct pmg_nl *nl;
	bool json = false;
	int r;

	r = pmg_json_args(&pmg_cmd_status, argc, argv, 1, &json);
	if (r)
		return r;
	r = pmg_nl_open(&nl);
	if (r == -ENOENT)
		return not_loaded(json);
	if (r)
		return pmg_fail(NULL, r, "status");
	return pmg_session_end(nl, show(nl, json), "status");
}

PMG_SUBCOMMAND(status,
	"show the module's version, state, configuration and counters",
	.run = run,
	.help_more = counters_help,
	.help =
	"Usage: " PMG_PROG " status [--json]\n"
	"\n"
	"Show whether the module is loaded (exit status 3 if not), its version,\n"
	"the protocol version it speaks, whether its probes are armed (\"armed:\n"
	"no\": a probe was found not firing, for instance after\n"
	"sysctl kernel.ftrace_enabled=0), its settings as config show prints\n"
	"them, and its counters, one \"name: value\" per line. Anybody may run\n"
	"it; the counters need CAP_NET_ADMIN, and without it status says\n"
	"\"counters: not shown\". --json prints one JSON object:\n"
	"{\"loaded\":true,\"module_version\":..,\"protocol_version\":..,\n"
	" \"armed\":true|false,\"config\":{..},\"stats\":{..}|null}\n"
	"({\"loaded\":false} if not loaded; \"stats\" is null without\n"
	"CAP_NET_ADMIN).\n"
	"\n"
	"Counters (since the module was loaded; a read-write open counts as\n"
	"two findings):\n");
