// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - procmem-guard status: is the module there, its version,
 * configuration and counters.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "prom.h"
#include "subcommands.h"

static int print_json(const struct pmg_status *st)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "loaded", json_object_new_boolean(1));
	json_object_object_add(o, "module_version",
			       st->module_version[0] ?
			       pmg_json_bytes(st->module_version) : NULL);
	json_object_object_add(o, "protocol_version",
			       json_object_new_int64(st->protocol));
	json_object_object_add(o, "config", pmg_config_to_json(&st->config));
	json_object_object_add(o, "stats", pmg_stats_to_json(&st->stats));
	return pmg_cmd_print_json(o);
}

static void print_text(const struct pmg_status *st)
{
	printf("module: loaded\n");
	printf("version: %s\n",
	       st->module_version[0] ? st->module_version : "?");
	printf("protocol: %" PRIu32 "\n", st->protocol);
	pmg_print_config(stdout, &st->config);
	pmg_print_stats(stdout, &st->stats);
}

static int not_loaded(bool json)
{
	if (json)
		printf("{\"loaded\":false}\n");
	pmg_err("module not loaded");
	return PMG_EXIT_NOT_LOADED;
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
	"show the module's version, configuration and counters",
	.run = run,
	.help_more = counters_help,
	.help =
	"Usage: " PMG_PROG " status [--json | --format text|json|prometheus]\n"
	"\n"
	"Show whether the module is loaded (exit status 3 if not), its version,\n"
	"the protocol version it speaks, its configuration and its counters,\n"
	"one \"name: value\" per line; --json (--format json) prints one JSON\n"
	"object: {\"loaded\":true,\"module_version\":..,\"protocol_version\":..,\n"
	" \"config\":{..},\"stats\":{..}} ({\"loaded\":false} if not loaded).\n"
	"--format prometheus prints them as Prometheus metrics (text format\n"
	"0.0.4; procmem_guard_module_loaded 0 if not loaded); the metrics are\n"
	"listed in `" PMG_PROG " help metrics`.\n"
	"\n"
	"Counters (since the module was loaded; a read-write open counts as\n"
	"two findings):\n");

