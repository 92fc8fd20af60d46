/* SPDX-License-Identifier: GPL-2.0 */
/*
 * listener.h - receive findings and notices from the "alerts" multicast
 * group.
 *
 * A listener owns two generic netlink sockets: one for requests (resolving
 * the family, GET_STATUS; available to callers through pmg_listener_nl()),
 * and one that is a member of "alerts" and of nlctrl's "notify" group, so
 * that it sees the family go away and come back (module unload and load).
 *
 * Only messages sent by the kernel (netlink port 0) are accepted. The
 * receive buffer is enlarged to 8 MiB (SO_RCVBUFFORCE when allowed). When
 * the socket overruns (ENOBUFS), the loss is accounted from the sequence
 * numbers findings and notices share (PMG_F_SEQ, PMG_N_SEQ): the next one
 * tells how many are missing.
 *
 * Zero copy: a finding or notice handed out points into the listener's
 * receive buffer (struct pmg_str), which the next datagram overwrites. Its
 * strings are valid until the next call of pmg_listener_next() or
 * pmg_listener_wait_finding(); copy what must live longer.
 *
 * Typical use in a test:
 *
 *	struct pmg_listener *l;
 *	struct pmg_finding f;
 *	struct pmg_stats st;
 *
 *	if (pmg_listener_open(&l, false, NULL))  -ENOENT: not loaded,
 *		...					 -EPERM: no CAP_NET_ADMIN
 *	... open /proc/<pid>/mem ...
 *	r = pmg_listener_wait_finding(l, 2000, &f);	1: got one, 0: timeout
 *	pmg_get_stats(pmg_listener_nl(l), &st);
 *	pmg_listener_close(l);
 */
#ifndef PMG_LISTENER_H
#define PMG_LISTENER_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "pmg.h"

struct pmg_listener;

enum pmg_event_type {
	PMG_EV_TIMEOUT,		/* nothing within the timeout */
	PMG_EV_FINDING,		/* ev->finding holds one finding */
	PMG_EV_LOST,		/* socket overrun: ev->lost findings or notices
				 * were lost (0: unknown, no sequence numbers
				 * to tell)
				 */
	PMG_EV_GONE,		/* the family went away (module unloaded) */
	PMG_EV_BACK,		/* the family is there (again) and the listener
				 * joined "alerts"; ev->module_version (valid
				 * as a finding's strings are)
				 */
	PMG_EV_BAD,		/* a message was dropped: ev->err is -EBADMSG
				 * (malformed), -EMSGSIZE (too large) or
				 * -EPERM (not from the kernel: ev->sender)
				 */
	PMG_EV_NOTICE,		/* ev->notice holds one notice of the module */
};

/* One event; only the union member its type names is filled. */
struct pmg_event {
	enum pmg_event_type type;
	int err;
	uint32_t sender;
	uint64_t lost;
	const char *module_version;
	union {
		struct pmg_finding finding;
		struct pmg_notice notice;
	};
};

/* Flags of pmg_listener_open(). */
#define PMG_LISTEN_WAIT	0x1	/* start even if the module is not loaded */
#define PMG_LISTEN_PACE	0x2	/* ask the module to pace (PMG_CMD_PACE) */

/*
 * Open a listener and join "alerts". Checks the module's protocol version:
 * -EPROTONOSUPPORT when it differs, with *module_protocol (if not NULL)
 * set to the module's. Without PMG_LISTEN_WAIT, -ENOENT when the module
 * is not loaded; with it, the listener starts without the family and
 * PMG_EV_BACK comes when the module appears. -EPERM: joining "alerts"
 * needs CAP_NET_ADMIN. With PMG_LISTEN_PACE, every join (the first and
 * after each reload) first asks the module to hold findings back rather
 * than overrun this socket; pmg_listener_pace_error() tells how the last
 * request went, and a refusal does not stop the listener.
 */
int pmg_listener_open(struct pmg_listener **out, unsigned int flags,
		      uint32_t *module_protocol);
void pmg_listener_close(struct pmg_listener *l);

/*
 * For tests and benchmarks: a listener without sockets for the family id
 * `family`, fed datagrams by pmg_listener_feed() as if they came from the
 * kernel (the same decoding, queueing and loss accounting);
 * pmg_listener_next() returns PMG_EV_TIMEOUT at once when the events of
 * the last datagram are all out. feed: 0, -EBUSY while events of the
 * previous datagram are still queued, -ENOMEM.
 */
int pmg_listener_open_offline(struct pmg_listener **out, int family);
int pmg_listener_feed(struct pmg_listener *l, const void *buf, size_t len);

/*
 * Wait up to timeout_ms (-1: no limit) for the next event. Returns 0 with
 * *ev filled (PMG_EV_TIMEOUT when nothing came), or a negative errno:
 * -EINTR when a signal interrupted the wait, -EPERM when joining again
 * after a reload was refused, -EPROTONOSUPPORT when the reloaded module
 * speaks another protocol, others for socket errors.
 */
int pmg_listener_next(struct pmg_listener *l, int timeout_ms,
		      struct pmg_event *ev);

/*
 * Wait up to timeout_ms for the next finding, skipping other events.
 * 1: *out filled (its strings valid until the next call); 0: timeout;
 * negative errno as pmg_listener_next().
 */
int pmg_listener_wait_finding(struct pmg_listener *l, int timeout_ms,
			      struct pmg_finding *out);

/* Whether the listener is a member of "alerts" (false while waiting). */
bool pmg_listener_joined(const struct pmg_listener *l);
/* The request socket, e.g. for pmg_get_stats(). */
struct pmg_nl *pmg_listener_nl(struct pmg_listener *l);
/* The multicast socket's descriptor (readable when something came). */
int pmg_listener_fd(const struct pmg_listener *l);
/* 0, or the -errno the module answered the last PMG_CMD_PACE with. */
int pmg_listener_pace_error(const struct pmg_listener *l);
/* Findings and notices known lost to overruns, and overruns seen, so far. */
uint64_t pmg_listener_lost(const struct pmg_listener *l);
uint64_t pmg_listener_overruns(const struct pmg_listener *l);
/* The module's protocol version, as last seen. */
uint32_t pmg_listener_module_protocol(const struct pmg_listener *l);
const char *pmg_listener_module_version(const struct pmg_listener *l);

#endif /* PMG_LISTENER_H */
