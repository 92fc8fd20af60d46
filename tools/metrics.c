// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - procmem-guard metrics: the module's state and counters as
 * Prometheus metrics, on standard output or as a file for node_exporter's
 * textfile collector, once or every --interval seconds.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "names.h"
#include "prom.h"
#include "subcommands.h"

#define MAX_INTERVAL	86400

struct metrics_opts {
	const char *dir;
	const char *name;
	unsigned int interval;	/* seconds; 0: once */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* True to go on; false when done, with the exit code in *code. */
static bool parse_args(int argc, char **argv, struct metrics_opts *o,
		       int *code)
{
	static const struct option longopts[] = {
		{ "textfile", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int c;

	argv[0] = PMG_PROG " metrics";	/* for getopt's messages */
	while ((c = getopt_long(argc, argv, "t:n:i:", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->dir = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'i':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    !v || v > MAX_INTERVAL) {
				pmg_err("--interval: '%s' is not 1 to %d "
					"seconds", optarg, MAX_INTERVAL);
				*code = PMG_EXIT_USAGE;
				return false;
			}
			o->interval = (unsigned int)v;
			break;
		default:
			*code = pmg_cmd_usage(&pmg_cmd_metrics);
			return false;
		}
	}
	if (optind != argc || (o->interval && !o->dir)) {
		if (optind == argc)
			pmg_err("--interval needs --textfile");
		*code = pmg_cmd_usage(&pmg_cmd_metrics);
		return false;
	}
	if (!o->name[0] || strchr(o->name, '/')) {
		pmg_err("--name: '%s' is not a file name", o->name);
		*code = PMG_EXIT_USAGE;
		return false;
	}
	return true;
}

/*
 * The status now: 0 with *st filled, 1 when the module is not loaded,
 * or an exit code after reporting the problem.
 */
static int get_status(struct pmg_status *st)
{
	struct pmg_nl *nl;
	int r = pmg_nl_open(&nl);

	if (r == -ENOENT)
		return 1;
	if (r)
		return pmg_fail(NULL, r, "metrics");
	r = pmg_get_status(nl, st);
	if (r == -EPROTONOSUPPORT)
		r = pmg_fail_protocol(st->protocol);
	else if (r)
		r = pmg_fail(nl, r, "metrics");
	pmg_nl_close(nl);
	return r;
}

/* Once: 0, PMG_EXIT_NOT_LOADED on standard output, or an error's code. */
static int once(const struct metrics_opts *o)
{
	struct pmg_status st;
	char err[512];
	int r = get_status(&st);

	if (r > 1)
		return r;
	if (o->dir) {
		if (pmg_prom_textfile(o->dir, o->name, r ? NULL : &st, err,
				      sizeof(err))) {
			pmg_err("%s", err);
			return PMG_EXIT_RUNTIME;
		}
		return PMG_EXIT_OK;
	}
	if (pmg_prom_write(stdout, r ? NULL : &st))
		return PMG_EXIT_RUNTIME;
	return r ? PMG_EXIT_NOT_LOADED : PMG_EXIT_OK;
}

static void sleep_s(unsigned int s)
{
	struct timespec t = { .tv_sec = s };

	/* A signal ends the wait (no SA_RESTART): stop is looked at then. */
	nanosleep(&t, NULL);
}

static int run(int argc, char **argv)
{
	struct metrics_opts o = { .name = "procmem_guard" };
	struct sigaction sa;
	int code, last = -1;

	if (!parse_args(argc, argv, &o, &code))
		return code;
	if (!o.interval)
		return once(&o);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		code = once(&o);
		/* A problem is said once, until it changes. */
		if (code != last && code == PMG_EXIT_OK && last > 0)
			pmg_err("metrics written again");
		last = code;
		if (code == PMG_EXIT_USAGE)
			return code;
		sleep_s(o.interval);
	}
	return PMG_EXIT_OK;
}

/* The metrics a counter is exported as, for the help. */
static void metrics_help(FILE *out)
{
	int i;

	fputs("\nCounters and the metrics they are:\n", out);
	for (i = 1; i <= PMG_S_MAX; i++)
		if (pmg_stat_name(i))
			fprintf(out, "  %-16s %s\n", pmg_stat_name(i),
				pmg_prom_metric_of_stat(i) ?
				pmg_prom_metric_of_stat(i) :
				"(not exported: unused, always 0)");
}

PMG_SUBCOMMAND(metrics, "write the module's counters as Prometheus metrics",
	.run = run,
	.help_more = metrics_help,
	.help =
	"Usage: " PMG_PROG " metrics [--textfile DIR [--name NAME]"
	" [--interval SECONDS]]\n"
	"\n"
	"Print the module's state and counters as Prometheus metrics (text\n"
	"format 0.0.4), as `status --format prometheus` does; exit status 3\n"
	"(after printing procmem_guard_module_loaded 0) if it is not loaded.\n"
	"The counters need CAP_NET_ADMIN: without it, only the state is there.\n"
	"\n"
	"  -t, --textfile DIR    write DIR/NAME.prom for node_exporter's textfile\n"
	"                        collector instead (Debian's directory:\n"
	"                        /var/lib/prometheus/node-exporter), atomically:\n"
	"                        a temporary file in DIR (\".NAME.prom.XXXXXX\",\n"
	"                        which the collector skips), mode 0644, then\n"
	"                        renamed. Exit status 0 when written, with\n"
	"                        procmem_guard_module_loaded 0 if not loaded.\n"
	"  -n, --name NAME       the file's name without .prom (procmem_guard)\n"
	"  -i, --interval SECS   with --textfile: write it every SECS seconds\n"
	"                        (1 to 86400) until SIGINT or SIGTERM (exit\n"
	"                        status 0); a failure is reported on standard\n"
	"                        error once, the file left as it was, and the\n"
	"                        next turn tries again\n"
	"\n"
	"Metrics (prefix procmem_guard_):\n"
	"  module_loaded                      1, or 0 if the module is not loaded\n"
	"  build_info{version,module_version,protocol}  1\n"
	"  probe_armed                        1 while every probe fires\n"
	"  policy_locked                      1 if the policy is locked\n"
	"  mode{access=read|write|attach,mode=off|alert|block}  1 for the mode\n"
	"                                     in force, 0 for the others\n"
	"  ratelimit_findings_per_second, ratelimit_burst, log_enabled,\n"
	"  report_allowed                     the configuration\n"
	"  and the counters below. The kernel counts findings as totals, not\n"
	"  per signature or channel. Once idle, findings_total =\n"
	"  findings_sent_total + findings_logged_total + findings_allowed_total\n"
	"  + sum(dropped_total) + inflight. findings_delivered_total{outcome}\n"
	"  splits delivered findings by what the kernel did (granted, refused,\n"
	"  unknown); findings_blocked_total counts every finding procmem-guard\n"
	"  refused, delivered or not.\n");
