// SPDX-License-Identifier: GPL-2.0
/*
 * gen_lines - the lines of `listen` for tests/format/check_lines.py:
 * findings of every channel, summaries, notices and listener events, with
 * ordinary strings and with hostile ones (quotes, backslashes, newlines,
 * control characters, bytes that are not UTF-8, overlong and surrogate
 * sequences, direction marks, 4,000-byte paths), through the same code as
 * `listen` (an offline listener fed netlink datagrams, then emit.c).
 *
 * usage: gen_lines DIR
 * Writes DIR/<format>.lines (one line per event, for text, json, tracee,
 * falco, ecs; --max-line 8192) and DIR/strings.json: for each event, in
 * order, the exact bytes (base64) of every kernel string it carried, by
 * role, so that the checker can compare them with the *_b64 members.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "jw.h"
#include "listener.h"

#include "../fuzz/msgbuild.h"

#define FAMILY	30

static const enum pmg_format formats[] = {
	PMG_FORMAT_TEXT, PMG_FORMAT_JSON, PMG_FORMAT_TRACEE, PMG_FORMAT_FALCO,
	PMG_FORMAT_ECS,
};
#define NFMT	(sizeof(formats) / sizeof(formats[0]))

static struct pmg_emitter em[NFMT];
static FILE *manifest;
static int nevents;

/*
 * The exact bytes of the strings of one event, for the manifest: roles
 * ("comm", "exe", "target_comm", "path", "procfs_path", "detail") and
 * strings, n of each (a NULL string: absent).
 */
static void manifest_event(const char *const *roles, const char *const *strs,
			   int n)
{
	struct pmg_buf b = { 0 };
	int i, k = 0;

	fprintf(manifest, "%s{", nevents++ ? ",\n" : "");
	for (i = 0; i < n; i++) {
		if (!strs[i])
			continue;
		b.len = 0;
		pmg_b64_put(&b, strs[i], strlen(strs[i]));
		fprintf(manifest, "%s\"%s\":\"%s\"", k++ ? "," : "", roles[i],
			b.p ? b.p : "");
	}
	fprintf(manifest, "}");
	pmg_buf_free(&b);
}

/* One datagram through an offline listener into every format. */
static void feed(struct pmg_listener *l, const struct buf *m)
{
	struct pmg_event ev;
	size_t f;

	if (pmg_listener_feed(l, m->b, m->n)) {
		fprintf(stderr, "gen_lines: feed failed\n");
		exit(1);
	}
	while (!pmg_listener_next(l, 0, &ev) && ev.type != PMG_EV_TIMEOUT)
		for (f = 0; f < NFMT; f++)
			if (pmg_emit_event(&em[f], &ev))
				exit(1);
}

/* A hostile string of n bytes. */
static char *hostile(size_t n, unsigned int seed)
{
	static const char *const pieces[] = {
		"\"", "\\", "\n", "\x01", "\xff", "\xc0\xaf", "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xe2\x80\xae", "\xc3\xa9", "\x7f", "a", "/",
		"\xf0\x9f\x98\x80", "\xc2\x9b", "\xf4\x90\x80\x80", "\x1b[31m",
		"<&>", "\xe2\x80\xa8",
	};
	char *s = malloc(n + 1);
	size_t i = 0, k;
	const char *p;

	if (!s)
		exit(1);
	while (i < n) {
		seed = seed * 1103515245u + 12345u;
		p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
		for (k = 0; p[k] && i < n; k++)
			s[i++] = p[k];
	}
	s[n] = '\0';
	return s;
}

static void scenario(struct pmg_listener *l, const struct fopts *o)
{
	static const char *const roles[] = {
		"comm", "exe", "target_comm", "path", "procfs_path",
	};
	const char *strs[] = {
		o->comm ? o->comm : "cat",
		o->exe,
		o->tpid ? (o->tcomm ? o->tcomm : "systemd") : NULL,
		o->path,
		o->procfs ? o->procfs : "/1/mem",
	};
	static struct buf m;
	size_t msg;

	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	finding(&m, o);
	msg_end(&m, msg);
	manifest_event(roles, strs, 5);
	feed(l, &m);
}

static void notices(struct pmg_listener *l, uint64_t seq, const char *comm,
		    const char *exe, const char *detail)
{
	static const char *const roles[] = { "comm", "exe", "detail" };
	const char *strs[] = { comm, exe, detail };
	static struct buf m;
	size_t msg;

	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	notice(&m, seq, PMG_NOTICE_POLICY, 900, comm, exe, detail);
	msg_end(&m, msg);
	manifest_event(roles, strs, 3);
	feed(l, &m);
}

int main(int argc, char **argv)
{
	struct fopts base = {
		.sig = PMG_SIG_MEM_READ, .access = PMG_ACCESS_READ,
		.action = PMG_ACTION_ALERT, .kind = PMG_KIND_PID_MEM,
		.exe = "/usr/bin/cat", .path = "/proc/1/mem",
		.procfs = "/1/mem", .tpid = 1, .syscall = 257,
		.request = ~0u, .channel = PMG_CHANNEL_PROC_MEM,
		.outcome = PMG_OUTCOME_GRANTED,
	};
	struct pmg_lev lev = { .lev = PMG_LEV_LOST, .lost = 3 };
	struct pmg_listener *l;
	struct pmg_out_sink sink;
	struct fopts o;
	char path[4096];
	size_t f;
	int fd, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (f = 0; f < NFMT; f++) {
		snprintf(path, sizeof(path), "%s/%s.lines", argv[1],
			 pmg_format_name(formats[f]));
		if (pmg_emit_init(&em[f], formats[f], PMG_MAX_LINE_DEFAULT) ||
		    pmg_fd_sink_file(path, &sink) ||
		    pmg_out_add(&em[f].out, &sink))
			return 1;
		/* A host name of every kind of byte, too. */
		strcpy(em[f].lines.hostname, "host\xff\"\\\n\xe2\x80\xae");
	}
	snprintf(path, sizeof(path), "%s/strings.json", argv[1]);
	manifest = fopen(path, "w");
	fd = open("/dev/null", O_RDONLY);
	if (!manifest || fd < 0 || pmg_listener_open_offline(&l, FAMILY))
		return 1;
	close(fd);
	fprintf(manifest, "[\n");

	/* Ordinary findings of every channel. */
	scenario(l, &base);
	o = base;
	o.sig = PMG_SIG_MEM_WRITE;
	o.access = PMG_ACCESS_WRITE;
	o.action = PMG_ACTION_BLOCK;
	o.outcome = PMG_OUTCOME_BLOCKED;
	o.kind = PMG_KIND_TASK_MEM;
	o.ttid = 2;
	o.path = "/proc/1/task/2/mem";
	o.procfs = "/1/task/2/mem";
	scenario(l, &o);
	o = base;
	o.sig = PMG_SIG_PTRACE_INJECT;
	o.channel = PMG_CHANNEL_PTRACE;
	o.access = PMG_ACCESS_WRITE;
	o.syscall = 26;
	o.compat = 1;
	o.request = 5;
	o.path = NULL;
	o.kind = 0;
	o.minimal = 0;
	scenario(l, &o);
	o.sig = PMG_SIG_PTRACE_ATTACH;
	o.access = PMG_ACCESS_ATTACH;
	o.request = 16;
	o.compat = 0;
	o.syscall = 101;
	o.outcome = PMG_OUTCOME_REFUSED;
	scenario(l, &o);
	o.sig = PMG_SIG_VM_WRITE;
	o.channel = PMG_CHANNEL_PROCESS_VM;
	o.access = PMG_ACCESS_WRITE;
	o.syscall = 311;
	o.outcome = PMG_OUTCOME_UNKNOWN;
	scenario(l, &o);
	o.sig = PMG_SIG_VM_READ;
	o.access = PMG_ACCESS_READ;
	o.syscall = 310;
	scenario(l, &o);
	o.sig = PMG_SIG_PIDFD_GETFD;
	o.channel = PMG_CHANNEL_PIDFD_GETFD;
	o.access = PMG_ACCESS_ATTACH;
	o.syscall = 438;
	scenario(l, &o);
	o = base;
	o.summary = 12;
	o.reason = PMG_REASON_RATE_LIMIT;
	o.path = NULL;
	o.exe = NULL;
	o.tpid = 0;
	scenario(l, &o);

	/* Hostile strings, up to 4,000-byte paths. */
	for (i = 0; i < 40; i++) {
		o = base;
		o.comm = hostile(15, (unsigned int)i * 7 + 1);
		o.tcomm = hostile((size_t)i % 16, (unsigned int)i * 7 + 2);
		o.exe = hostile(i % 4 ? 4000 : 40, (unsigned int)i * 7 + 3);
		o.path = hostile(i % 3 ? 4000 : 20, (unsigned int)i * 7 + 4);
		o.procfs = hostile(i % 5 ? 300 : 4000, (unsigned int)i * 7 + 5);
		o.sig = i % 2 ? PMG_SIG_MEM_WRITE : PMG_SIG_MEM_READ;
		scenario(l, &o);
	}

	/* Notices, ordinary and hostile; listener events. */
	notices(l, 8, "procmem-guard", "/usr/sbin/procmem-guard",
		"apply, write alert->block");
	notices(l, 9, hostile(15, 91), hostile(4000, 92), hostile(4000, 93));
	for (f = 0; f < NFMT; f++) {
		if (pmg_emit_lev(&em[f], &lev))
			return 1;
		lev.lev = PMG_LEV_ERROR;
		lev.err = -ENOSPC;
		lev.text = "writing out";
		if (pmg_emit_lev(&em[f], &lev))
			return 1;
		lev.lev = PMG_LEV_OUTPUT_DROPPED;
		lev.err = 0;
		lev.text = NULL;
		lev.output.kind = "post";
		lev.output.name = hostile(300, 95);
		lev.output.dropped = 3;
		lev.output.dropped_total = 7;
		lev.output.failed = 7;
		lev.output.delivered = 12;
		if (pmg_emit_lev(&em[f], &lev))
			return 1;
		memset(&lev.output, 0, sizeof(lev.output));
		lev.lev = PMG_LEV_LOST;
	}
	fprintf(manifest, "\n]\n");
	fclose(manifest);
	for (f = 0; f < NFMT; f++)
		pmg_emit_free(&em[f]);
	pmg_listener_close(l);
	return 0;
}
