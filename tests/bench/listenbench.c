// SPDX-License-Identifier: GPL-2.0
/*
 * listenbench - the cost of `listen` per finding, in userspace, for the
 * host: datagrams built as the module builds them (synth.h: about 48
 * findings of a mem open each, 16 KiB) go through the listener's code
 * path (pmg_listener_feed(): decoding and queueing, as after recvmsg())
 * and listen's (emit.c: a line in the chosen format, the sink of the
 * standard output), whose descriptor is /dev/null or OUT.
 *
 * usage: listenbench FORMAT DATAGRAMS [OUT]
 * Prints "findings=N lines=N". The datagrams are built first; replay()
 * then feeds them: under callgrind, --toggle-collect=replay counts the
 * listener's and listen's instructions alone, to divide by the findings
 * (tests/bench/listen-cost.sh does that).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "listener.h"
#include "synth.h"

#define FAMILY	30

/* Every datagram through the listener and listen: the findings. */
static long __attribute__((noinline))
replay(struct pmg_listener *l, struct pmg_emitter *em,
       unsigned char *const *dgram, const size_t *len, long n)
{
	struct pmg_event ev;
	long i, findings = 0;

	for (i = 0; i < n; i++) {
		if (pmg_listener_feed(l, dgram[i], len[i]))
			return -1;
		for (;;) {
			if (pmg_listener_next(l, 0, &ev))
				return -1;
			if (ev.type == PMG_EV_TIMEOUT)
				break;
			findings += ev.type == PMG_EV_FINDING;
			if (pmg_emit_event(em, &ev))
				return -1;
		}
		/* the end of a burst: listen flushes when nothing waits */
		if (pmg_emit_event(em, &ev) || pmg_out_flush(&em->out))
			return -1;
	}
	return findings;
}

int main(int argc, char **argv)
{
	struct synth s = { .time_ns = 1780000000000000000ull };
	struct pmg_emitter em;
	struct pmg_listener *l;
	struct pmg_out_sink sink;
	unsigned char **dgram;
	enum pmg_format fmt;
	long i, n, findings;
	size_t *len;
	int fd, count;

	if (argc < 3 || pmg_format_parse(argv[1], &fmt)) {
		fprintf(stderr, "usage: %s text|json|tracee|falco|ecs "
			"DATAGRAMS [OUT]\n", argv[0]);
		return 1;
	}
	n = atol(argv[2]);
	fd = open(argc > 3 ? argv[3] : "/dev/null",
		  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	s.b = malloc(65536);
	if (fd < 0 || !s.b || dup2(fd, STDOUT_FILENO) < 0 ||
	    pmg_emit_init(&em, fmt, PMG_MAX_LINE_DEFAULT) ||
	    pmg_listener_open_offline(&l, FAMILY) ||
	    pmg_fd_sink_stdout(&sink) || pmg_out_add(&em.out, &sink)) {
		fprintf(stderr, "listenbench: cannot set up\n");
		return 1;
	}
	em.l = l;
	dgram = calloc((size_t)n + 1, sizeof(*dgram));
	len = calloc((size_t)n + 1, sizeof(*len));
	for (i = 0; dgram && len && i < n; i++) {
		len[i] = synth_datagram(&s, FAMILY, 4242, &count);
		dgram[i] = malloc(len[i]);
		if (!dgram[i])
			return 1;
		memcpy(dgram[i], s.b, len[i]);
	}
	findings = dgram && len ? replay(l, &em, dgram, len, n) : -1;
	if (findings < 0) {
		fprintf(stderr, "listenbench: failed\n");
		return 1;
	}
	fprintf(stderr, "findings=%ld lines=%llu\n", findings,
		(unsigned long long)em.lines_out);
	for (i = 0; i < n; i++)
		free(dgram[i]);
	free(dgram);
	free(len);
	pmg_emit_free(&em);
	pmg_listener_close(l);
	free(s.b);
	return 0;
}
