// SPDX-License-Identifier: GPL-2.0
/*
 * listener.c - receive findings from the "alerts" multicast group, and
 * follow the module through unload and load (see listener.h).
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "clock.h"
#include "codec.h"
#include "listener.h"

#define RECV_BUF_SIZE	(64 * 1024)	/* one datagram */
#define SOCK_BUF_SIZE	(8 * 1024 * 1024)
#define AWAY_POLL_MS	200		/* retry period while the module is away */
#define ACK_WAIT_MS	2000		/* for the answer to PMG_CMD_PACE */

struct pmg_listener {
	struct pmg_nl *nl;		/* requests */
	struct nl_sock *sk;		/* "alerts" + nlctrl "notify" */
	int fd;
	int family;			/* 0 while the module is away */
	int group;
	uint32_t module_protocol;
	bool pace;			/* ask for pacing on every join */
	int pace_err;			/* the last answer to it */
	char module_version[PMG_VERSION_LEN];
	unsigned char *buf;
	struct pmg_event *q;		/* events not handed out yet */
	size_t qhead, qlen, qcap;
	bool overrun;			/* loss not accounted yet */
	bool offline;			/* no sockets: fed by the caller */
	bool have_seq;
	uint64_t last_seq;
	uint64_t lost, overruns;
};

/* --- the event queue ---------------------------------------------------------- */

static struct pmg_event *push(struct pmg_listener *l, enum pmg_event_type t)
{
	struct pmg_event *q, *ev;
	size_t cap;

	if (l->qhead == l->qlen)
		l->qhead = l->qlen = 0;
	if (l->qlen == l->qcap) {
		cap = l->qcap ? l->qcap * 2 : 4;
		q = realloc(l->q, cap * sizeof(*q));
		if (!q)
			return NULL;
		l->q = q;
		l->qcap = cap;
	}
	ev = &l->q[l->qlen++];
	memset(ev, 0, offsetof(struct pmg_event, finding));
	ev->type = t;
	return ev;
}

/*
 * Every finding and notice of the module carries the next sequence number,
 * and every listener gets every one: a gap is messages this socket lost.
 * The socket error of an overrun is read before the messages still queued
 * ahead of the dropped ones, so the gap shows up later; an overrun without
 * a gap at the next finding or notice is reported as a loss of unknown
 * size. Checked as events are handed out: true when *ev is the loss that
 * comes before q, which stays queued.
 */
static bool lost_before(struct pmg_listener *l, const struct pmg_event *q,
			struct pmg_event *ev)
{
	uint64_t seq, gap = 0;
	bool has;

	if (q->type == PMG_EV_FINDING) {
		has = PMG_HAS(&q->finding, PMG_F_SEQ);
		seq = q->finding.seq;
	} else if (q->type == PMG_EV_NOTICE) {
		has = PMG_HAS(&q->notice, PMG_N_SEQ);
		seq = q->notice.seq;
	} else {
		return false;
	}
	/* Not last_seq + 1, which wraps: the same number twice is no gap. */
	if (has && l->have_seq && seq > l->last_seq && seq - l->last_seq > 1)
		gap = seq - l->last_seq - 1;
	if (has) {
		l->last_seq = seq;
		l->have_seq = true;
	}
	if (!gap && !l->overrun)
		return false;
	l->overrun = false;
	l->lost += gap;
	memset(ev, 0, offsetof(struct pmg_event, finding));
	ev->type = PMG_EV_LOST;
	ev->lost = gap;
	return true;
}

static bool pop(struct pmg_listener *l, struct pmg_event *ev)
{
	const struct pmg_event *q;

	if (l->qhead == l->qlen)
		return false;
	q = &l->q[l->qhead];
	if (lost_before(l, q, ev))
		return true;
	/* The union member in use, nothing more. */
	if (q->type == PMG_EV_FINDING)
		memcpy(ev, q, offsetof(struct pmg_event, finding) +
		       sizeof(q->finding));
	else if (q->type == PMG_EV_NOTICE)
		memcpy(ev, q, offsetof(struct pmg_event, notice) +
		       sizeof(q->notice));
	else
		memcpy(ev, q, offsetof(struct pmg_event, finding));
	l->qhead++;
	return true;
}

static int push_bad(struct pmg_listener *l, int err, uint32_t sender)
{
	struct pmg_event *ev = push(l, PMG_EV_BAD);

	if (!ev)
		return -ENOMEM;
	ev->err = err;
	ev->sender = sender;
	return 0;
}

/* A loss of unknown size (an overrun, then the module went away). */
static int push_lost(struct pmg_listener *l)
{
	return push(l, PMG_EV_LOST) ? 0 : -ENOMEM;
}

/* --- membership --------------------------------------------------------------- */

static int membership(int fd, int opt, int group)
{
	if (setsockopt(fd, SOL_NETLINK, opt, &group, sizeof(group)))
		return -errno;
	return 0;
}

static void set_rcvbuf(int fd)
{
	int size = SOCK_BUF_SIZE;

	/* SO_RCVBUFFORCE passes rmem_max, but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
}

/* The module went away: stop expecting its messages. */
static int gone(struct pmg_listener *l)
{
	int r = 0;

	if (l->group)
		(void)membership(l->fd, NETLINK_DROP_MEMBERSHIP, l->group);
	l->family = 0;
	l->group = 0;
	if (l->overrun)
		r = push_lost(l);
	l->overrun = false;
	l->have_seq = false;	/* a new instance counts from 1 again */
	if (!r && !push(l, PMG_EV_GONE))
		r = -ENOMEM;
	return r;
}

/*
 * Resolve the family, check its protocol and join "alerts". Staying away
 * (module not loaded) is not an error. With announce, queue PMG_EV_BACK.
 */
static int try_join(struct pmg_listener *l, bool announce)
{
	struct pmg_status st;
	struct pmg_event *ev;
	int r;

	r = pmg_nl_resolve(l->nl);
	if (r == 0) {
		r = pmg_get_status(l->nl, &st);
		l->module_protocol = st.protocol;
	}
	if (r == -ENOENT)
		return 0;
	if (r)
		return r;
	if (l->pace) {
		bool dropped = false;
		int family = pmg_nl_family(l->nl);

		l->pace_err = pmg_nl_command_from(l->nl, l->sk, PMG_CMD_PACE,
						  ACK_WAIT_MS, &dropped);
		/*
		 * A notification came meanwhile: if the family went or came
		 * back under another id, stay away; the next poll joins.
		 */
		if (dropped) {
			r = pmg_nl_resolve(l->nl);
			if (r == -ENOENT || (!r && pmg_nl_family(l->nl) != family))
				return 0;
			if (r)
				return r;
		}
	}
	r = membership(l->fd, NETLINK_ADD_MEMBERSHIP,
		       pmg_nl_alerts_group(l->nl));
	if (r)
		return r;
	l->family = pmg_nl_family(l->nl);
	l->group = pmg_nl_alerts_group(l->nl);
	memcpy(l->module_version, st.module_version, sizeof(st.module_version));
	if (!announce)
		return 0;
	ev = push(l, PMG_EV_BACK);
	if (!ev)
		return -ENOMEM;
	ev->module_version = l->module_version;
	return 0;
}

/*
 * After an overrun, notifications may have been lost too: check that the
 * family is still the one joined, and join its group again (a no-op when
 * still a member).
 */
static int check_family(struct pmg_listener *l)
{
	int r = pmg_nl_resolve(l->nl);

	if (r == -ENOENT)
		return l->family ? gone(l) : 0;
	if (r)
		return r;
	if (pmg_nl_family(l->nl) == l->family &&
	    pmg_nl_alerts_group(l->nl) == l->group)
		return membership(l->fd, NETLINK_ADD_MEMBERSHIP, l->group);
	if (l->family) {
		r = gone(l);
		if (r)
			return r;
	}
	return try_join(l, true);
}

/* --- nlctrl notifications ------------------------------------------------------ */

struct ctrl_note {
	uint8_t cmd;
	uint16_t id;
	bool ours;
};

static int parse_ctrl(const unsigned char *buf, size_t n, struct ctrl_note *c)
{
	char name[GENL_NAMSIZ] = "";
	struct pmg_tlv_iter it;
	struct genlmsghdr g;
	struct nlmsghdr h;
	struct pmg_tlv a;
	int r;

	memcpy(&h, buf, sizeof(h));
	if (h.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || h.nlmsg_len > n)
		return -EBADMSG;
	memcpy(&g, buf + NLMSG_HDRLEN, sizeof(g));
	c->cmd = g.cmd;
	c->id = 0;
	pmg_tlv_iter_init(&it, buf + NLMSG_HDRLEN + GENL_HDRLEN,
			   h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	while ((r = pmg_tlv_next(&it, &a)) > 0) {
		if (a.type == CTRL_ATTR_FAMILY_NAME &&
		    pmg_tlv_string(&a, name, sizeof(name)))
			return -EBADMSG;
		if (a.type == CTRL_ATTR_FAMILY_ID && a.len == sizeof(c->id))
			memcpy(&c->id, a.data, sizeof(c->id));
	}
	c->ours = !strcmp(name, PMG_GENL_NAME);
	return r;
}

static int handle_ctrl(struct pmg_listener *l, const unsigned char *buf,
		       size_t n)
{
	struct ctrl_note c;
	int r;

	if (parse_ctrl(buf, n, &c) || !c.ours)
		return 0;
	if (c.cmd == CTRL_CMD_DELFAMILY)
		return l->family && c.id == l->family ? gone(l) : 0;
	if (c.cmd != CTRL_CMD_NEWFAMILY || (l->family && c.id == l->family))
		return 0;
	if (l->family) {
		/* A new instance, and its predecessor's exit went unseen. */
		r = gone(l);
		if (r)
			return r;
	}
	return try_join(l, true);
}

/* --- findings and notices ------------------------------------------------------- */

static int queue_finding(const struct pmg_finding *f, void *arg)
{
	struct pmg_event *ev = push(arg, PMG_EV_FINDING);

	if (!ev)
		return -ENOMEM;
	ev->finding = *f;
	return 0;
}

static int queue_notice(const struct pmg_notice *n, void *arg)
{
	struct pmg_event *ev = push(arg, PMG_EV_NOTICE);

	if (!ev)
		return -ENOMEM;
	ev->notice = *n;
	return 0;
}

/*
 * A datagram from the module: its findings and notices are queued as they
 * are decoded, pointing into l->buf; a malformed one drops them all again.
 * Nothing is received before the queue is empty, so l->buf stays as it is
 * while they are handed out.
 */
static int dispatch(struct pmg_listener *l, size_t n)
{
	static const struct pmg_decode_ops ops = {
		.finding = queue_finding,
		.notice = queue_notice,
	};
	size_t mark = l->qlen;
	struct nlmsghdr h;
	int r;

	if (n < NLMSG_HDRLEN)
		return push_bad(l, -EBADMSG, 0);
	memcpy(&h, l->buf, sizeof(h));
	if (h.nlmsg_type == GENL_ID_CTRL)
		return handle_ctrl(l, l->buf, n);
	if (!l->family)
		return push_bad(l, -EBADMSG, 0);
	r = pmg_decode_items(l->buf, n, l->family, &ops, l);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		l->qlen = mark;
		return push_bad(l, -EBADMSG, 0);
	}
	return 0;
}

static int overrun(struct pmg_listener *l)
{
	l->overruns++;
	l->overrun = true;
	return check_family(l);
}

/* Read one datagram, if there is one. */
static int receive(struct pmg_listener *l)
{
	struct sockaddr_nl sa;
	struct iovec iov = { l->buf, RECV_BUF_SIZE };
	struct msghdr mh = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	n = recvmsg(l->fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		return errno == ENOBUFS ? overrun(l) : -errno;
	}
	if (mh.msg_namelen != sizeof(sa) || sa.nl_family != AF_NETLINK ||
	    sa.nl_pid != 0)
		return push_bad(l, -EPERM, sa.nl_pid);
	if ((size_t)n > RECV_BUF_SIZE)
		return push_bad(l, -EMSGSIZE, 0);
	return dispatch(l, (size_t)n);
}

/* --- waiting ---------------------------------------------------------------------- */

/* Wait (at most wait_ms) for a datagram and handle it. */
static int step(struct pmg_listener *l, int wait_ms)
{
	struct pollfd p = { .fd = l->fd, .events = POLLIN };
	int r;

	if (!l->family && (wait_ms < 0 || wait_ms > AWAY_POLL_MS))
		wait_ms = AWAY_POLL_MS;
	r = poll(&p, 1, wait_ms);
	if (r < 0)
		return -errno;
	if (r > 0)
		return receive(l);
	return l->family ? 0 : try_join(l, true);
}

int pmg_listener_next(struct pmg_listener *l, int timeout_ms,
		      struct pmg_event *ev)
{
	int64_t deadline = 0;
	bool waited = false;
	int left, r;

	for (;;) {
		if (pop(l, ev))
			return 0;
		/* The clock only once there is something to wait for. */
		if (timeout_ms == 0)
			left = 0;
		else if (!waited)
			left = pmg_ms_left(deadline = pmg_deadline(timeout_ms));
		else
			left = pmg_ms_left(deadline);
		if ((left == 0 && waited) || l->offline) {
			ev->type = PMG_EV_TIMEOUT;
			return 0;
		}
		waited = true;
		r = step(l, left);
		if (r)
			return r;
	}
}

int pmg_listener_wait_finding(struct pmg_listener *l, int timeout_ms,
			      struct pmg_finding *out)
{
	int64_t deadline = pmg_deadline(timeout_ms);
	struct pmg_event *ev = malloc(sizeof(*ev));
	int r;

	if (!ev)
		return -ENOMEM;
	do {
		r = pmg_listener_next(l, pmg_ms_left(deadline), ev);
	} while (!r && ev->type != PMG_EV_FINDING &&
		 ev->type != PMG_EV_TIMEOUT);
	if (!r && ev->type == PMG_EV_FINDING) {
		*out = ev->finding;
		r = 1;
	}
	free(ev);
	return r;
}

/* --- opening ------------------------------------------------------------------------ */

static int open_sockets(struct pmg_listener *l)
{
	int r, ctrl;

	r = pmg_nl_connect(&l->nl);
	if (r)
		return r;
	r = pmg_nl_socket(&l->sk);
	if (r)
		return r;
	l->fd = nl_socket_get_fd(l->sk);
	set_rcvbuf(l->fd);

	/* nlctrl's "notify" group tells of families coming and going. */
	ctrl = pmg_nl_resolve_group(l->nl, "nlctrl", "notify");
	if (ctrl < 0)
		return ctrl;
	return membership(l->fd, NETLINK_ADD_MEMBERSHIP, ctrl);
}

int pmg_listener_open(struct pmg_listener **out, unsigned int flags,
		      uint32_t *module_protocol)
{
	struct pmg_listener *l = calloc(1, sizeof(*l));
	bool wait = flags & PMG_LISTEN_WAIT;
	int r;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	l->pace = flags & PMG_LISTEN_PACE;
	l->buf = malloc(RECV_BUF_SIZE);
	r = l->buf ? open_sockets(l) : -ENOMEM;
	if (!r)
		r = try_join(l, false);
	if (!r && !l->family && !wait)
		r = -ENOENT;
	if (module_protocol)
		*module_protocol = l->module_protocol;
	if (r) {
		pmg_listener_close(l);
		return r;
	}
	*out = l;
	return 0;
}

int pmg_listener_open_offline(struct pmg_listener **out, int family)
{
	struct pmg_listener *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l || !(l->buf = malloc(RECV_BUF_SIZE))) {
		free(l);
		return -ENOMEM;
	}
	l->offline = true;
	l->fd = -1;
	l->family = family;
	*out = l;
	return 0;
}

int pmg_listener_feed(struct pmg_listener *l, const void *buf, size_t len)
{
	if (!l->offline || l->qhead != l->qlen)
		return -EBUSY;
	if (len > RECV_BUF_SIZE)
		return push_bad(l, -EMSGSIZE, 0);
	memcpy(l->buf, buf, len);
	return dispatch(l, len);
}

void pmg_listener_close(struct pmg_listener *l)
{
	if (!l)
		return;
	pmg_nl_close(l->nl);
	nl_socket_free(l->sk);
	free(l->buf);
	free(l->q);
	free(l);
}

bool pmg_listener_joined(const struct pmg_listener *l)
{
	return l->family != 0;
}

struct pmg_nl *pmg_listener_nl(struct pmg_listener *l)
{
	return l->nl;
}

int pmg_listener_fd(const struct pmg_listener *l)
{
	return l->fd;
}

int pmg_listener_pace_error(const struct pmg_listener *l)
{
	return l->pace_err;
}

uint64_t pmg_listener_lost(const struct pmg_listener *l)
{
	return l->lost;
}

uint64_t pmg_listener_overruns(const struct pmg_listener *l)
{
	return l->overruns;
}

uint32_t pmg_listener_module_protocol(const struct pmg_listener *l)
{
	return l->module_protocol;
}

const char *pmg_listener_module_version(const struct pmg_listener *l)
{
	return l->module_version;
}
