// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c - procmem-guard listen: print findings as they come.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "format.h"
#include "listener.h"
#include "subcommands.h"

/*
 * Lines buffered during a burst. At most PIPE_BUF: a write() of whole lines
 * to a pipe is atomic, so a reader never sees half a line, even when the
 * listener is killed.
 */
#define OUT_BUF_SIZE	PIPE_BUF
#define TICK_MS		500	/* how often the loop looks at the stop flag */
#define LOST_NOTE_MS	1000	/* at most one "lost" note per second */

struct listen_opts {
	enum pmg_format format;
	const char *output;
	bool wait;
	bool no_pace;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* poll() returns EINTR anyway (signal(7)); a write() blocked on a
	 * full pipe must go on, not fail and drop the finding.
	 */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* True to go on; false when done, with the exit code in *code. */
static bool parse_args(int argc, char **argv, struct listen_opts *o,
		       int *code)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "wait", no_argument, NULL, 'w' },
		{ "no-pace", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:o:wP", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (pmg_format_parse(optarg, &o->format)) {
				pmg_err("unknown format '%s' (text, json, tracee)",
					optarg);
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
		default:
			*code = pmg_cmd_usage(&pmg_cmd_listen);
			return false;
		}
	}
	if (optind != argc) {
		*code = pmg_cmd_usage(&pmg_cmd_listen);
		return false;
	}
	return true;
}

struct listen_state {
	struct listen_opts opts;
	struct pmg_listener *l;
	FILE *out;
	char host[256];
	uint64_t lost;		/* lost findings not reported yet */
	bool lost_unknown;	/* and losses of unknown size */
	int64_t lost_noted;	/* when the last note was written, ms */
};

static int write_failed(struct listen_state *st)
{
	pmg_err("writing %s: %s", st->opts.output ? st->opts.output : "output",
		strerror(errno));
	return PMG_EXIT_RUNTIME;
}

static int print_finding(struct listen_state *st, const struct pmg_finding *f)
{
	char *line = pmg_format_finding(f, st->opts.format, st->host);

	if (!line) {
		pmg_err("out of memory");
		return PMG_EXIT_RUNTIME;
	}
	/* Whole lines per write(): flush first rather than split this one. */
	if (__fpending(st->out) + strlen(line) + 1 > OUT_BUF_SIZE &&
	    fflush(st->out)) {
		free(line);
		return write_failed(st);
	}
	fputs(line, st->out);
	fputc('\n', st->out);
	free(line);
	if (ferror(st->out))
		return write_failed(st);
	return PMG_EXIT_OK;
}

/*
 * Lines are buffered while more findings are waiting and written out as
 * soon as none is: one write() per burst rather than per line, and no line
 * is held back while the listener waits.
 */
static int flush_out(struct listen_state *st)
{
	if (fflush(st->out) || ferror(st->out))
		return write_failed(st);
	return PMG_EXIT_OK;
}

/* Report losses, at most once per LOST_NOTE_MS unless forced. */
static void flush_lost(struct listen_state *st, bool force)
{
	uint64_t total = pmg_listener_lost(st->l);

	if (!st->lost && !st->lost_unknown)
		return;
	if (!force && pmg_now_ms() - st->lost_noted < LOST_NOTE_MS)
		return;
	if (st->lost)
		pmg_err("lost %s%" PRIu64 " messages (socket overrun), %"
			PRIu64 " so far", st->lost_unknown ? "at least " : "",
			st->lost, total);
	else
		pmg_err("lost messages (socket overrun), how many is unknown; "
			"%" PRIu64 " counted so far", total);
	st->lost = 0;
	st->lost_unknown = false;
	st->lost_noted = pmg_now_ms();
}

static void note_lost(struct listen_state *st, uint64_t n)
{
	if (n)
		st->lost += n;
	else
		st->lost_unknown = true;
	flush_lost(st, false);
}

/* Pacing refused: the listener goes on, but may lose findings. */
static void note_pace(struct listen_state *st)
{
	int err = pmg_listener_pace_error(st->l);

	if (!err)
		return;
	pmg_err("the module would not pace findings to this listener (%s)%s; "
		"findings it cannot take in time are lost and counted",
		strerror(-err), err == -ENOSPC ?
		": too many pacing listeners" : "");
}

static int handle(struct listen_state *st, const struct pmg_event *ev)
{
	switch (ev->type) {
	case PMG_EV_FINDING:
		flush_lost(st, false);
		return print_finding(st, &ev->finding);
	case PMG_EV_LOST:
		note_lost(st, ev->lost);
		break;
	case PMG_EV_GONE:
		flush_lost(st, true);
		pmg_err("module unloaded; waiting for it to be loaded again");
		break;
	case PMG_EV_BACK:
		pmg_err("module loaded (version %s); listening",
			ev->module_version && ev->module_version[0] ?
			ev->module_version : "?");
		note_pace(st);
		break;
	case PMG_EV_BAD:
		if (ev->err == -EPERM)
			pmg_err("ignored a message not sent by the kernel "
				"(port %" PRIu32 ")", ev->sender);
		else
			pmg_err("dropped a bad message: %s",
				strerror(-ev->err));
		break;
	case PMG_EV_TIMEOUT:
		flush_lost(st, true);
		break;
	case PMG_EV_NOTICE:
		break;
	}
	return PMG_EXIT_OK;
}

static int listen_error(struct listen_state *st, int err)
{
	if (err == -EPERM) {
		pmg_err("permission denied: listening needs CAP_NET_ADMIN");
		return PMG_EXIT_PERM;
	}
	if (err == -ENOENT) {
		pmg_err("module not loaded");
		return PMG_EXIT_NOT_LOADED;
	}
	if (err == -EPROTONOSUPPORT)
		return pmg_fail_protocol(pmg_listener_module_protocol(st->l));
	pmg_err("listening: %s", strerror(-err));
	return PMG_EXIT_RUNTIME;
}

static int loop(struct listen_state *st)
{
	struct pmg_event *ev = malloc(sizeof(*ev));
	int r, code = PMG_EXIT_OK;

	if (!ev) {
		pmg_err("out of memory");
		return PMG_EXIT_RUNTIME;
	}
	while (!stop && code == PMG_EXIT_OK) {
		/* What is already there first; flush before waiting. */
		r = pmg_listener_next(st->l, 0, ev);
		if (!r && ev->type == PMG_EV_TIMEOUT) {
			code = flush_out(st);
			if (code)
				break;
			r = pmg_listener_next(st->l, TICK_MS, ev);
		}
		if (r == -EINTR)
			continue;
		if (r) {
			code = listen_error(st, r);
			break;
		}
		code = handle(st, ev);
	}
	flush_lost(st, true);
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
	if (!pmg_listener_joined(st->l))
		pmg_err("module not loaded; waiting for it");
	else
		note_pace(st);
	return PMG_EXIT_OK;
}

static int open_output(struct listen_state *st)
{
	st->out = stdout;
	if (st->opts.output) {
		st->out = fopen(st->opts.output, "ae");
		if (!st->out) {
			pmg_err("%s: %s", st->opts.output, strerror(errno));
			return PMG_EXIT_RUNTIME;
		}
	}
	/* Flushed by flush_out() whenever no finding is waiting. */
	setvbuf(st->out, NULL, _IOFBF, OUT_BUF_SIZE);
	return PMG_EXIT_OK;
}

static int run(int argc, char **argv)
{
	struct listen_state st = { .opts = { .format = PMG_FORMAT_TEXT } };
	int code;

	argv[0] = PMG_PROG " listen";	/* for getopt's messages */
	if (!parse_args(argc, argv, &st.opts, &code))
		return code;
	if (gethostname(st.host, sizeof(st.host) - 1))
		st.host[0] = '\0';
	catch_signals();
	code = open_output(&st);
	if (code)
		return code;
	code = start(&st);
	if (!code)
		code = loop(&st);
	pmg_listener_close(st.l);
	if (fflush(st.out) && !code)
		code = PMG_EXIT_RUNTIME;
	if (st.out != stdout)
		fclose(st.out);
	return code;
}

PMG_SUBCOMMAND(listen, "print findings as they happen",
	.run = run,
	.flags = "wP",
	.help =
	"Usage: " PMG_PROG " listen [--format text|json|tracee] [--output FILE]"
	" [--wait]\n"
	"       [--no-pace]\n"
	"\n"
	"Join the \"alerts\" multicast group and print each finding as one\n"
	"line, written out as soon as no further finding is waiting. Needs\n"
	"CAP_NET_ADMIN.\n"
	"\n"
	"  -f, --format FMT   text (default), json or tracee\n"
	"  -o, --output FILE  append to FILE instead of standard output\n"
	"  -w, --wait         if the module is not loaded, wait for it\n"
	"                     (without it: exit status 3)\n"
	"  -P, --no-pace      do not ask the module to pace (see below)\n"
	"\n"
	"Pacing: by default the listener asks the module not to send it more\n"
	"than its socket can take. While it is behind, the module holds\n"
	"findings back and opens of mem files wait (at most the module's\n"
	"pace_ms, 100 ms by default) for it to catch up, so a flood of opens\n"
	"slows down rather than findings being lost. A listener that reads\n"
	"nothing for a second counts as stalled and loses findings again.\n"
	"At most four listeners pace at once; more are told so and run\n"
	"without.\n"
	"\n"
	"The listener survives the module being unloaded and loaded again: it\n"
	"says so on standard error and keeps going. When its socket overruns,\n"
	"it reports on standard error how many findings were lost (from their\n"
	"sequence numbers). Only messages sent by the kernel are accepted.\n"
	"SIGINT or SIGTERM ends it with exit status 0.\n"
	"\n"
	"Formats:\n"
	"  text    time signature action access pid=.. uid=.. euid=..\n"
	"          comm=\"..\" exe=\"..\" target_pid=.. target_comm=\"..\"\n"
	"          path=\"..\" [target_tid=..] [self] [flags=0..]\n"
	"          [suppressed=..] [seq=..]; '?' for a value the kernel did\n"
	"          not report. In quoted strings, \\\" \\\\ \\n \\r \\t, \\xNN\n"
	"          for other control characters and bytes that are not\n"
	"          UTF-8, \\uXXXX for invisible direction marks.\n"
	"  json    one object per line: time (RFC 3339, UTC, ns), seq,\n"
	"          signature (TRC-1023 read, TRC-1024 write), event, name,\n"
	"          severity, category, technique, mitre, action\n"
	"          (alert|block|allow), access (read|write|read-write), flags,\n"
	"          kind, path, procfs_path, suppressed, process {pid, tid,\n"
	"          ppid, vpid, vtid, vppid, uid, euid, gid, comm, exe, exe_dev,\n"
	"          exe_inode, cgroup_id, pid_ns, mnt_ns}, target {pid, tid,\n"
	"          vpid, vtid, comm, self}, file {dev, inode}. A value the\n"
	"          kernel did not report is null.\n"
	"  tracee  the layout of a Tracee finding event: timestamp, processId,\n"
	"          threadId, parentProcessId, hostProcessId, hostThreadId,\n"
	"          hostParentProcessId, userId, mountNamespace, pidNamespace,\n"
	"          processName, executable, hostName, cgroupId, eventName\n"
	"          (security_file_open), argsNum, returnValue (-13 if\n"
	"          blocked), args (pathname, flags, dev, inode) and metadata\n"
	"          {Version, Description, Properties {signatureID,\n"
	"          signatureName, Severity, Category, Technique, external_id,\n"
	"          id, Kubernetes_Technique}}.\n"
	"\n"
	"Strings in JSON: comm and paths are raw bytes. Valid UTF-8 is written\n"
	"as it is (control and invisible characters as \\uXXXX escapes); each\n"
	"byte 0xNN that is not valid UTF-8 is written as the escape \\udcNN, a\n"
	"lone surrogate (Python's \"surrogateescape\"). Every JSON parser\n"
	"accepts the lines; to get the exact bytes back, in Python:\n"
	"  json.loads(line)[\"process\"][\"comm\"].encode(\"utf-8\",\n"
	"                                               \"surrogateescape\")\n"
	"jq accepts them too, but shows such bytes as U+FFFD.\n");
