// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - procmem-guard status: is the module there, its version,
 * whether its probes fire, its configuration and counters.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "format.h"
#include "prom.h"
#include "subcommands.h"

static const char no_counters[] = "the counters need CAP_NET_ADMIN";

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

enum status_format { ST_TEXT, ST_JSON, ST_PROMETHEUS };

static int show(struct pmg_nl *nl, enum status_format fmt)
{
	struct pmg_status st;
	int r = pmg_get_status(nl, &st);

	if (r == -EPROTONOSUPPORT)
		return pmg_fail_protocol(st.protocol);
	if (r)
		return r;
	if (fmt == ST_JSON)
		return print_json(&st);
	if (fmt == ST_PROMETHEUS)
		return pmg_prom_write(stdout, &st) ? PMG_EXIT_RUNTIME :
						     PMG_EXIT_OK;
	print_text(&st);
	return PMG_EXIT_OK;
}

/* [--json | --format text|json|prometheus]: 0, or a usage error's code. */
static int parse_format(int argc, char **argv, enum status_format *fmt)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const names[] = { "text", "json", "prometheus" };
	int c, k;

	argv[0] = PMG_PROG " status";	/* for getopt's messages */
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'j') {
			*fmt = ST_JSON;
			continue;
		}
		if (c != 'f')
			return pmg_cmd_usage(&pmg_cmd_status);
		for (k = 0; k < 3 && strcmp(optarg, names[k]); k++)
			;
		if (k == 3) {
			pmg_err("unknown format '%s' (text, json, prometheus)",
				optarg);
			return PMG_EXIT_USAGE;
		}
		*fmt = (enum status_format)k;
	}
	return optind == argc ? PMG_EXIT_OK : pmg_cmd_usage(&pmg_cmd_status);
}

/* Not pmg_session(): "not loaded" is an answer here, in JSON too. */
static int run(int argc, char **argv)
{
	enum status_format fmt = ST_TEXT;
	struct pmg_nl *nl;
	int r;

	r = parse_format(argc, argv, &fmt);
	if (r)
		return r;
	r = pmg_nl_open(&nl);
	if (r == -ENOENT && fmt == ST_PROMETHEUS)
		pmg_prom_write(stdout, NULL);
	if (r == -ENOENT)
		return not_loaded(fmt == ST_JSON);
	if (r)
		return pmg_fail(NULL, r, "status");
	return pmg_session_end(nl, show(nl, fmt), "status");
}

PMG_SUBCOMMAND(status,
	"show the module's version, state, configuration and counters",
	.run = run,
	.help_more = counters_help,
	.help =
	"Usage: " PMG_PROG " status [--json | --format text|json|prometheus]\n"
	"\n"
	"Show whether the module is loaded (exit status 3 if not), its version,\n"
	"the protocol version it speaks, whether its probes are armed (\"armed:\n"
	"no\": a probe was found not firing, for instance after\n"
	"sysctl kernel.ftrace_enabled=0), its settings as config show prints\n"
	"them, and its counters, one \"name: value\" per line. Anybody may run\n"
	"it; the counters need CAP_NET_ADMIN, and without it status says\n"
	"\"counters: not shown\". --json (--format json) prints one JSON object:\n"
	"{\"loaded\":true,\"module_version\":..,\"protocol_version\":..,\n"
	" \"armed\":true|false,\"config\":{..},\"stats\":{..}|null}\n"
	"({\"loaded\":false} if not loaded; \"stats\" is null without\n"
	"CAP_NET_ADMIN). --format prometheus prints them as Prometheus metrics\n"
	"(text format 0.0.4; procmem_guard_module_loaded 0 if not loaded); the\n"
	"metrics are listed in `" PMG_PROG " help metrics`.\n"
	"\n"
	"Counters (since the module was loaded; a read-write open counts as\n"
	"two findings):\n");
