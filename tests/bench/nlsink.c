// SPDX-License-Identifier: GPL-2.0
/*
 * nlsink - a listener that discards: the profile's stand-in for
 * procmem-guard listen, to tell receiving and parsing from formatting.
 *
 * usage: nlsink [-p] [-P] -c COUNTER
 *
 * Joins "alerts" the way procmem-guard listen does (the CLI's own
 * listener code, tools/listener.c: the same sockets, receive buffer and,
 * unless -P, pacing request), then
 *   without -p  reads each datagram with recvmsg() and only counts the
 *               finding nests in it (the cost of receiving);
 *   with -p     takes the findings from pmg_listener_next(), which
 *               receives and decodes them as the CLI does (receiving and
 *               parsing), and discards them.
 * Either way it formats and writes nothing. COUNTER is created: its first
 * 8 bytes, mapped shared, count the findings received, for openbench -c.
 * SIGINT or SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "listener.h"
#include "procmem_guard.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Finding nests in one datagram of n bytes. */
static uint64_t count_findings(const unsigned char *buf, size_t n)
{
	const struct nlmsghdr *h = (const void *)buf;
	uint64_t found = 0;

	for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
		const unsigned char *p, *end = (const unsigned char *)h +
					       h->nlmsg_len;

		if (h->nlmsg_type == GENL_ID_CTRL ||
		    h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
			continue;
		p = (const unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
		while (p + NLA_HDRLEN <= end) {
			const struct nlattr *a = (const void *)p;

			if (a->nla_len < NLA_HDRLEN)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == PMG_A_FINDING)
				found++;
			p += NLA_ALIGN(a->nla_len);
		}
	}
	return found;
}

static int raw_loop(struct pmg_listener *l, volatile uint64_t *count)
{
	static unsigned char buf[64 * 1024];
	struct pollfd p = { .fd = pmg_listener_fd(l), .events = POLLIN };
	uint64_t datagrams = 0;

	while (!stop) {
		ssize_t n;

		if (poll(&p, 1, 500) <= 0)
			continue;
		n = recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS)
				continue;
			perror("recv");
			return 1;
		}
		*count += count_findings(buf, (size_t)n);
		datagrams++;
	}
	/* How many findings a message carried, on average. */
	printf("@@BENCH nlsink datagrams=%llu findings=%llu@@\n",
	       (unsigned long long)datagrams, (unsigned long long)*count);
	return 0;
}

static int parse_loop(struct pmg_listener *l, volatile uint64_t *count)
{
	struct pmg_event *ev = malloc(sizeof(*ev));

	if (!ev)
		return 1;
	while (!stop) {
		int r = pmg_listener_next(l, 500, ev);

		if (r == -EINTR)
			continue;
		if (r) {
			fprintf(stderr, "nlsink: %s\n", strerror(-r));
			free(ev);
			return 1;
		}
		if (ev->type == PMG_EV_FINDING)
			++*count;
	}
	free(ev);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int flags = PMG_LISTEN_PACE;
	const char *cnt = NULL;
	volatile uint64_t *count;
	struct pmg_listener *l;
	struct sigaction sa;
	int c, fd, r, parse = 0;

	while ((c = getopt(argc, argv, "pPc:")) != -1) {
		switch (c) {
		case 'p': parse = 1; break;
		case 'P': flags &= ~PMG_LISTEN_PACE; break;
		case 'c': cnt = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-p] [-P] -c COUNTER\n", argv[0]);
			return 2;
		}
	}
	if (!cnt)
		return fprintf(stderr, "%s: -c COUNTER is needed\n", argv[0]), 2;
	fd = open(cnt, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, sizeof(uint64_t)))
		return perror(cnt), 1;
	count = mmap(NULL, sizeof(*count), PROT_READ | PROT_WRITE, MAP_SHARED,
		     fd, 0);
	close(fd);
	if (count == MAP_FAILED)
		return perror(cnt), 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r = pmg_listener_open(&l, flags, NULL);
	if (r)
		return fprintf(stderr, "nlsink: %s\n", strerror(-r)), 1;
	r = parse ? parse_loop(l, count) : raw_loop(l, count);
	pmg_listener_close(l);
	return r;
}
