// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c - procmem-guard listen: a line for every finding, notice and
 * event of the listener, as they come.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/printbuf.h>

#include "cli.h"
#include "clock.h"
#include "emit.h"
#include "escape.h"
#include "format.h"
#include "senders.h"
#include "subcommands.h"

#define TICK_MS		500	/* how often the loop looks at the flags */
#define TICK_EVENTS	64	/* events between two looks at the clock */
#define MAX_SINK_ARGS	PMG_OUT_MAX_SINKS
#define OPT_SINK	256	/* getopt values of the sink kinds' options */
#define OPT_SETTING	512	/* and of the senders' settings (senders.h) */
#define MAX_SETTINGS	16

struct sink_arg {
	const struct pmg_sink_kind *kind;
	const char *arg;
};

struct listen_opts {
	enum pmg_format format;
	const char *output;
	bool wait;
	bool no_pace;
	size_t max_line;
	struct sink_arg sinks[MAX_SINK_ARGS];
	size_t nsinks;
};

static volatile sig_atomic_t stop, hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		hup = 1;
	else
		stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* poll() returns EINTR anyway (signal(7)); a write() blocked on a
	 * full pipe must go on, not fail and drop the line.
	 */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static size_t nkinds(void)
{
	size_t n = 0;

	while (pmg_sink_kinds[n])
		n++;
	return n;
}

static bool usage_error(int *code)
{
	*code = pmg_cmd_usage(&pmg_cmd_listen);
	return false;
}

static bool parse_max_line(const char *s, size_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' ||
	    v < PMG_MAX_LINE_MIN || v > PMG_MAX_LINE_MAX)
		return false;
	*out = v;
	return true;
}

/* True to go on; false when done, with the exit code in *code. */
static bool parse_args(int argc, char **argv, struct listen_opts *o,
		       int *code)
{
	static const struct option base[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "wait", no_argument, NULL, 'w' },
		{ "no-pace", no_argument, NULL, 'P' },
		{ "max-line", required_argument, NULL, 'm' },
	};
	struct option longopts[sizeof(base) / sizeof(base[0]) + 16 +
			       MAX_SETTINGS + 1];
	size_t nb = sizeof(base) / sizeof(base[0]), i, j, nk = nkinds();
	const struct pmg_sender_setting *set;
	int c;

	memset(longopts, 0, sizeof(longopts));
	memcpy(longopts, base, sizeof(base));
	for (i = 0; i < nk && i < 16; i++) {
		longopts[nb + i].name = pmg_sink_kinds[i]->option;
		longopts[nb + i].has_arg = pmg_sink_kinds[i]->arg ?
					   required_argument : no_argument;
		longopts[nb + i].val = OPT_SINK + (int)i;
	}
	for (j = 0; j < MAX_SETTINGS && pmg_sender_settings[j].option; j++) {
		longopts[nb + i + j].name = pmg_sender_settings[j].option;
		longopts[nb + i + j].has_arg = required_argument;
		longopts[nb + i + j].val = OPT_SETTING + (int)j;
	}
	while ((c = getopt_long(argc, argv, "f:o:wPm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (pmg_format_parse(optarg, &o->format)) {
				pmg_err("unknown format '%s' (text, json, tracee, "
					"falco, ecs)", optarg);
				*code = PMG_EXIT_USAGE;
				return false;
			}
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'w':
			o->wait = true;
			break;
		case 'P':
			o->no_pace = true;
			break;
		case 'm':
			if (!parse_max_line(optarg, &o->max_line)) {
				pmg_err("--max-line: '%s' is not a number of "
					"bytes from %d to %d", optarg,
					PMG_MAX_LINE_MIN, PMG_MAX_LINE_MAX);
				*code = PMG_EXIT_USAGE;
				return false;
			}
			break;
		default:
			if (c >= OPT_SETTING) {
				set = &pmg_sender_settings[c - OPT_SETTING];
				if (set->set(set, optarg)) {
					*code = PMG_EXIT_USAGE;
					return false;
				}
				break;
			}
			if (c < OPT_SINK || (size_t)(c - OPT_SINK) >= nk)
				return usage_error(code);
			if (o->nsinks == MAX_SINK_ARGS - 1) {
				pmg_err("too many outputs (at most %d)",
					MAX_SINK_ARGS - 1);
				*code = PMG_EXIT_USAGE;
				return false;
			}
			o->sinks[o->nsinks].kind = pmg_sink_kinds[c - OPT_SINK];
			o->sinks[o->nsinks++].arg = optarg;
			break;
		}
	}
	if (optind != argc)
		return usage_error(code);
	return true;
}

struct listen_state {
	struct listen_opts opts;
	struct pmg_listener *l;
	struct pmg_emitter em;
	bool running;		/* the sinks are open: errors become lines */
	bool emit_failed;	/* a drop report could not be written */
};

/* A fatal error: on standard error, and as a line once running. */
static int fatal(struct listen_state *st, int code, int err,
		 const char *what)
{
	struct pmg_lev e = { .lev = PMG_LEV_ERROR, .err = err, .text = what };

	if (st->running) {
		pmg_emit_lev(&st->em, &e);
		pmg_out_flush(&st->em.out);
	}
	return code;
}

static int listen_error(struct listen_state *st, int err)
{
	if (err == -EPERM) {
		pmg_err("permission denied: listening needs CAP_NET_ADMIN");
		return fatal(st, PMG_EXIT_PERM, err, "listening");
	}
	if (err == -ENOENT) {
		pmg_err("module not loaded");
		return fatal(st, PMG_EXIT_NOT_LOADED, err, "listening");
	}
	if (err == -EPROTONOSUPPORT) {
		pmg_fail_protocol(pmg_listener_module_protocol(st->l));
		return fatal(st, PMG_EXIT_PROTOCOL, err,
			     "the module speaks another protocol");
	}
	pmg_err("listening: %s", strerror(-err));
	return fatal(st, PMG_EXIT_RUNTIME, err, "listening");
}

/* A sink's drops since its last report, as a listener event. */
static void output_dropped(const struct pmg_send_report *r, void *arg)
{
	struct listen_state *st = arg;
	struct pmg_lev e = {
		.lev = PMG_LEV_OUTPUT_DROPPED,
		.output = {
			.kind = r->kind,
			.name = r->name,
			.dropped = r->dropped,
			.dropped_total = pmg_send_dropped(&r->stats),
			.queue_full = r->stats.queue_full,
			.failed = r->stats.failed,
			.rejected = r->stats.rejected,
			.unsent = r->stats.unsent,
			.delivered = r->stats.delivered,
		},
	};

	if (pmg_emit_lev(&st->em, &e))
		st->emit_failed = true;
}

/*
 * A message of the listener as a JSON line on standard error:
 * {"type":"listener","time":..,"event":"message","message":..}.
 */
static void json_message(const char *msg)
{
	struct printbuf *pb = printbuf_new();
	struct timespec ts;
	char t[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	if (pmg_format_time((uint64_t)ts.tv_sec * 1000000000u +
			    (uint64_t)ts.tv_nsec, t, sizeof(t)))
		t[0] = '\0';
	if (!pb || printbuf_strappend(pb, "{\"type\":\"listener\",\"time\":\"") < 0 ||
	    printbuf_memappend(pb, t, (int)strlen(t)) < 0 ||
	    printbuf_strappend(pb, "\",\"event\":\"message\",\"message\":\"") < 0 ||
	    pmg_json_escape(pb, msg, strlen(msg)) ||
	    printbuf_strappend(pb, "\"}\n") < 0) {
		fprintf(stderr, "%s: %s\n", PMG_PROG, msg);
	} else {
		flockfile(stderr);
		fwrite(pb->buf, 1, (size_t)pb->bpos, stderr);
		fflush(stderr);
		funlockfile(stderr);
	}
	if (pb)
		printbuf_free(pb);
}

/*
 * Standard error is the journal's stream (systemd's JOURNAL_STREAM names
 * its device and inode): then the service's every line can be JSON.
 */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	if (!js)
		return false;
	errno = 0;
	dev = strtoull(js, &end, 10);
	if (errno || end == js || *end != ':')
		return false;
	js = end + 1;
	ino = strtoull(js, &end, 10);
	if (errno || end == js || *end)
		return false;
	return !fstat(STDERR_FILENO, &st) &&
	       (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

static int loop(struct listen_state *st)
{
	struct pmg_event *ev = malloc(sizeof(*ev));
	int64_t last_tick = pmg_now_ms(), now;
	unsigned int events = 0;
	int r, code = PMG_EXIT_OK;

	if (!ev) {
		pmg_err("out of memory");
		return PMG_EXIT_RUNTIME;
	}
	while (!stop && code == PMG_EXIT_OK) {
		if (hup) {
			hup = 0;
			if (pmg_out_reopen(&st->em.out)) {
				code = PMG_EXIT_RUNTIME;
				break;
			}
		}
		/* What is already there first; flush before waiting. */
		r = pmg_listener_next(st->l, 0, ev);
		if (!r && ev->type == PMG_EV_TIMEOUT) {
			if (pmg_emit_event(&st->em, ev) ||
			    pmg_out_flush(&st->em.out)) {
				code = PMG_EXIT_RUNTIME;
				break;
			}
			r = pmg_listener_next(st->l, TICK_MS, ev);
			events = TICK_EVENTS;
		}
		/* The clock after a wait, and every TICK_EVENTS of a flood. */
		now = ++events >= TICK_EVENTS ? pmg_now_ms() : last_tick;
		if (events >= TICK_EVENTS)
			events = 0;
		if (now - last_tick >= TICK_MS) {
			last_tick = now;
			pmg_senders_reports(false, output_dropped, st);
			if (st->emit_failed || pmg_out_tick(&st->em.out, now)) {
				code = PMG_EXIT_RUNTIME;
				break;
			}
		}
		if (r == -EINTR)
			continue;
		if (r) {
			code = listen_error(st, r);
			break;
		}
		if (pmg_emit_event(&st->em, ev))
			code = PMG_EXIT_RUNTIME;
	}
	free(ev);
	return code;
}

static int start(struct listen_state *st)
{
	uint32_t proto = 0;
	int r;

	r = pmg_listener_open(&st->l,
			      (st->opts.wait ? PMG_LISTEN_WAIT : 0) |
			      (st->opts.no_pace ? 0 : PMG_LISTEN_PACE), &proto);
	if (r == -EPROTONOSUPPORT)
		return pmg_fail_protocol(proto);
	if (r)
		return listen_error(st, r);
	st->em.l = st->l;
	return PMG_EXIT_OK;
}

/* The sinks, once connected: --output FILE is created only then. */
static int open_sinks(struct listen_state *st)
{
	struct pmg_out_env env = {
		.format = st->opts.format,
		.hostname = st->em.lines.hostname,
		.boot_id = st->em.lines.boot_id[0] ? st->em.lines.boot_id : NULL,
		.listener = st->l,
	};
	struct pmg_out_sink s;
	size_t i;
	int r;

	r = st->opts.output ? pmg_fd_sink_file(st->opts.output, &s) :
			      pmg_fd_sink_stdout(&s);
	if (r)
		return PMG_EXIT_RUNTIME;
	pmg_out_add(&st->em.out, &s);
	for (i = 0; i < st->opts.nsinks; i++) {
		r = st->opts.sinks[i].kind->open(st->opts.sinks[i].arg, &env,
						 &s);
		if (r)
			return PMG_EXIT_RUNTIME;
		pmg_out_add(&st->em.out, &s);
	}
	st->running = true;
	return PMG_EXIT_OK;
}

/* The first lines: listening (or waiting), and a refusal to pace. */
static int started(struct listen_state *st)
{
	struct pmg_lev e = { .lev = PMG_LEV_STARTED };
	bool joined = pmg_listener_joined(st->l);
	int r;

	if (joined)
		e.module_version = pmg_listener_module_version(st->l);
	r = pmg_emit_lev(&st->em, &e);
	if (!r && joined && pmg_listener_pace_error(st->l)) {
		e.lev = PMG_LEV_PACING_REFUSED;
		e.module_version = NULL;
		e.err = pmg_listener_pace_error(st->l);
		r = pmg_emit_lev(&st->em, &e);
	}
	if (!r)
		r = pmg_out_flush(&st->em.out);
	return r ? PMG_EXIT_RUNTIME : PMG_EXIT_OK;
}

static int run(int argc, char **argv)
{
	struct listen_state st = {
		.opts = {
			.format = PMG_FORMAT_TEXT,
			.max_line = PMG_MAX_LINE_DEFAULT,
		},
	};
	struct pmg_lev stopped = { .lev = PMG_LEV_STOPPED };
	int code;

	argv[0] = PMG_PROG " listen";	/* for getopt's messages */
	if (!parse_args(argc, argv, &st.opts, &code))
		return code;
	if (st.opts.format != PMG_FORMAT_TEXT && stderr_is_journal())
		pmg_err_sink = json_message;
	if (pmg_emit_init(&st.em, st.opts.format, st.opts.max_line)) {
		pmg_err("cannot set up the output");
		return PMG_EXIT_RUNTIME;
	}
	catch_signals();
	code = start(&st);
	if (!code)
		code = open_sinks(&st);
	if (!code)
		code = started(&st);
	if (!code)
		code = loop(&st);
	if (st.running && !code) {
		if (pmg_emit_lost(&st.em, true) ||
		    pmg_emit_lev(&st.em, &stopped))
			code = PMG_EXIT_RUNTIME;
	}
	if (st.running) {
		/*
		 * The senders get their time to send the last lines (all at
		 * once); what they dropped goes to the other sinks, the file
		 * or standard output, as the last lines.
		 */
		pmg_senders_drain(PMG_SEND_DRAIN_MS);
		pmg_senders_reports(false, output_dropped, &st);
		if (st.emit_failed && !code)
			code = PMG_EXIT_RUNTIME;
	}
	if (st.running && pmg_out_flush(&st.em.out) && !code)
		code = PMG_EXIT_RUNTIME;
	pmg_emit_free(&st.em);
	pmg_listener_close(st.l);
	return code;
}

static void help_sinks(FILE *out)
{
	size_t i;

	for (i = 0; pmg_sink_kinds[i]; i++)
		fputs(pmg_sink_kinds[i]->help, out);
	fputs("How --syslog and --post send (see procmem-guard(8), SENDING "
	      "FINDINGS):\n", out);
	for (i = 0; pmg_sender_settings[i].option; i++)
		fputs(pmg_sender_settings[i].help, out);
	fputs("\n"
	"Every line stands for one event: with --format json, \"type\" is\n"
	"\"finding\", \"summary\", \"notice\" (of the module: policy changed,\n"
	"probe disarmed or armed, module unloading) or \"listener\" (started,\n"
	"module-loaded, module-unloaded, lost, pacing-refused, bad-message,\n"
	"error, stopped). Only errors that stop listen before it listens go to\n"
	"standard error alone. JSON lines are valid UTF-8: a byte that is not\n"
	"UTF-8 shows as U+FFFD, and the exact bytes follow in base64 (comm_b64,\n"
	"exe_b64, path_b64, ...). See procmem-guard(8), OUTPUT FORMATS, for\n"
	"every field.\n"
	"\n"
	"Pacing: by default the listener asks the module not to send it more\n"
	"than its socket can take. While it is behind, the module holds\n"
	"findings back, and summarizes what its rings cannot hold; no open\n"
	"waits. A listener that reads nothing for a second counts as stalled\n"
	"and loses findings again (counted, and told as \"lost\"). At most four\n"
	"listeners pace at once; more are told so and run without.\n"
	"\n"
	"The listener survives the module being unloaded and loaded again. Lines\n"
	"are written whole, so that a reader never sees part of a line of up\n"
	"to 4096 bytes: to a pipe, in writes that never wait halfway (into an\n"
	"empty pipe, as much as it holds; else at most 4096 bytes), to a socket\n"
	"in writes of at most 4096 bytes.\n"
	"SIGINT or SIGTERM ends it after the current line, with exit status 0;\n"
	"SIGHUP opens --output FILE again.\n", out);
}

PMG_SUBCOMMAND(listen, "print findings as they happen",
	.run = run,
	.flags = "wP",
	.help_more = help_sinks,
	.help =
	"Usage: " PMG_PROG " listen [--format text|json|tracee|falco|ecs]\n"
	"       [--output FILE] [--max-line BYTES] [--wait] [--no-pace]\n"
	"\n"
	"Join the \"alerts\" multicast group and print each finding, each\n"
	"notice of the module and each event of the listener as one line,\n"
	"written out as soon as no further one is waiting. Needs\n"
	"CAP_NET_ADMIN.\n"
	"\n"
	"  -f, --format FMT      text (default), json, tracee (Tracee v0.24's\n"
	"                        finding events), falco (Falco's JSON, for\n"
	"                        Falcosidekick), ecs (Elastic Common Schema)\n"
	"  -o, --output FILE     append to FILE instead of standard output;\n"
	"                        created (mode 0640) once the module answered,\n"
	"                        opened again on SIGHUP (log rotation)\n"
	"  -m, --max-line BYTES  longest line, newline included (8192; from\n"
	"                        4096 to 1048576): longer strings are cut and\n"
	"                        listed in \"truncated\"\n"
	"  -w, --wait            if the module is not loaded, wait for it\n"
	"                        (without it: exit status 3)\n"
	"  -P, --no-pace         do not ask the module to pace (see below)\n");
