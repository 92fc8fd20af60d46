/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg_raw.h - the "alerts" group read straight off a netlink socket, with
 * a decoder of its own: the suites that check the module's own attributes
 * (outcome, channel, summaries, notices) do not depend on how the CLI
 * prints them. A thread reads the socket and keeps every finding and
 * notice, in order; the suite waits for the one it wants.
 *
 * Include after pmg_test.h.
 */
#ifndef PMG_RAW_H
#define PMG_RAW_H

#include <pthread.h>
#include <stdint.h>

/* One finding (summaries included) or notice, the attributes suites use. */
struct pmg_raw_ev {
	bool notice;
	uint64_t seq;
	/* findings */
	uint32_t sig, pid, tid, uid, euid, tpid, ttid, tvpid, syscall, request;
	uint32_t summary, partial;
	uint8_t channel, outcome, action, access, reason, compat;
	bool has_outcome, has_tpid, has_syscall, has_exe;
	char comm[16], tcomm[16];
	char exe[512], path[512];
	/* notices */
	uint8_t type, cmd;
	uint32_t npid, nuid;
	char detail[512];
};

struct pmg_raw_listener {
	int fd;
	int family;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pmg_raw_ev *ev;
	size_t n, cap;
	uint64_t overruns, bad;
	double hold_until;	/* pmg_now(): read nothing before */
	bool stop;
};

static inline void pmg_raw_str(const struct nlattr *a, char *dst, size_t size)
{
	size_t len = a->nla_len - NLA_HDRLEN;

	if (len >= size)
		len = size - 1;
	memcpy(dst, (const char *)a + NLA_HDRLEN, len);
	dst[len] = '\0';
}

static inline uint64_t pmg_raw_uint(const struct nlattr *a)
{
	const char *p = (const char *)a + NLA_HDRLEN;
	uint64_t v64 = 0;
	uint32_t v32 = 0;
	uint8_t v8 = 0;

	switch (a->nla_len - NLA_HDRLEN) {
	case 1:
		memcpy(&v8, p, 1);
		return v8;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	case 8:
		memcpy(&v64, p, 8);
		return v64;
	}
	return 0;
}

/* Decodes one PMG_A_FINDING or PMG_A_NOTICE nest into e. */
static inline void pmg_raw_nest(const struct nlattr *nest, bool notice,
				struct pmg_raw_ev *e)
{
	size_t off = NLA_HDRLEN, end = nest->nla_len;

	memset(e, 0, sizeof(*e));
	e->notice = notice;
	while (off + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)((const char *)nest + off);
		uint64_t v;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
			break;
		v = pmg_raw_uint(a);
		if (notice) {
			switch (a->nla_type & NLA_TYPE_MASK) {
			case PMG_N_SEQ: e->seq = v; break;
			case PMG_N_TYPE: e->type = v; break;
			case PMG_N_PID: e->npid = v; break;
			case PMG_N_UID: e->nuid = v; break;
			case PMG_N_CMD: e->cmd = v; break;
			case PMG_N_COMM: pmg_raw_str(a, e->comm, sizeof(e->comm)); break;
			case PMG_N_EXE: pmg_raw_str(a, e->exe, sizeof(e->exe)); break;
			case PMG_N_DETAIL: pmg_raw_str(a, e->detail, sizeof(e->detail)); break;
			}
		} else {
			switch (a->nla_type & NLA_TYPE_MASK) {
			case PMG_F_SEQ: e->seq = v; break;
			case PMG_F_SIGNATURE: e->sig = v; break;
			case PMG_F_PID: e->pid = v; break;
			case PMG_F_TID: e->tid = v; break;
			case PMG_F_UID: e->uid = v; break;
			case PMG_F_EUID: e->euid = v; break;
			case PMG_F_TARGET_PID: e->tpid = v; e->has_tpid = true; break;
			case PMG_F_TARGET_TID: e->ttid = v; break;
			case PMG_F_TARGET_VPID: e->tvpid = v; break;
			case PMG_F_SYSCALL: e->syscall = v; e->has_syscall = true; break;
			case PMG_F_COMPAT: e->compat = v; break;
			case PMG_F_REQUEST: e->request = v; break;
			case PMG_F_SUMMARY: e->summary = v; break;
			case PMG_F_PARTIAL: e->partial = v; break;
			case PMG_F_CHANNEL: e->channel = v; break;
			case PMG_F_OUTCOME: e->outcome = v; e->has_outcome = true; break;
			case PMG_F_ACTION: e->action = v; break;
			case PMG_F_ACCESS: e->access = v; break;
			case PMG_F_REASON: e->reason = v; break;
			case PMG_F_COMM: pmg_raw_str(a, e->comm, sizeof(e->comm)); break;
			case PMG_F_TARGET_COMM: pmg_raw_str(a, e->tcomm, sizeof(e->tcomm)); break;
			case PMG_F_EXE:
				pmg_raw_str(a, e->exe, sizeof(e->exe));
				e->has_exe = true;
				break;
			case PMG_F_PATH: pmg_raw_str(a, e->path, sizeof(e->path)); break;
			}
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

static inline void pmg_raw_keep(struct pmg_raw_listener *l,
				const struct pmg_raw_ev *e)
{
	pthread_mutex_lock(&l->mu);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct pmg_raw_ev *v = realloc(l->ev, cap * sizeof(*v));

		if (!v) {
			l->bad++;
			pthread_mutex_unlock(&l->mu);
			return;
		}
		l->ev = v;
		l->cap = cap;
	}
	l->ev[l->n++] = *e;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

static inline void *pmg_raw_reader(void *arg)
{
	struct pmg_raw_listener *l = arg;
	static __thread char buf[1 << 17];
	struct pmg_raw_ev e;

	while (!__atomic_load_n(&l->stop, __ATOMIC_RELAXED)) {
		struct pollfd p = { .fd = l->fd, .events = POLLIN };
		ssize_t n;
		struct nlmsghdr *h;

		if (pmg_now() < l->hold_until) {
			usleep(20000);
			continue;
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(l->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				l->overruns++;
			continue;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

			if (h->nlmsg_type != l->family)
				continue;
			while (off + NLA_HDRLEN <= h->nlmsg_len) {
				const struct nlattr *a =
					(const void *)((char *)h + off);

				if (a->nla_len < NLA_HDRLEN ||
				    off + a->nla_len > h->nlmsg_len)
					break;
				if ((a->nla_type & NLA_TYPE_MASK) == PMG_A_FINDING ||
				    (a->nla_type & NLA_TYPE_MASK) == PMG_A_NOTICE) {
					pmg_raw_nest(a, (a->nla_type & NLA_TYPE_MASK) ==
						     PMG_A_NOTICE, &e);
					pmg_raw_keep(l, &e);
				}
				off += NLA_ALIGN(a->nla_len);
			}
		}
	}
	return NULL;
}

/*
 * Joins "alerts" on a socket of its own (with a buffer of rcvbuf bytes,
 * 0: 8 MiB) and starts reading, after hold seconds; with pace, asks the
 * module to pace it first. 0 or -errno.
 */
static inline int pmg_raw_listen_opts(struct pmg_raw_listener *l, bool pace,
				      int rcvbuf, double hold)
{
	int group, size = rcvbuf ? rcvbuf : 8 << 20;

	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	l->family = pmg_family_ids(&group);
	if (l->family < 0 || group < 0)
		return -ENOENT;
	l->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (l->fd < 0)
		return -errno;
	/* Bound (a port of its own): port 0 is the kernel's, and a socket
	 * with that port is not sent what the kernel multicasts.
	 */
	{
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

		if (bind(l->fd, (struct sockaddr *)&sa, sizeof(sa))) {
			close(l->fd);
			return -errno;
		}
	}
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (pace && pmg_raw_request_fd(l->fd, l->family, PMG_CMD_PACE, 0,
				       NULL, 0, NULL, 0)) {
		close(l->fd);
		return -EIO;
	}
	if (setsockopt(l->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group))) {
		close(l->fd);
		return -errno;
	}
	l->hold_until = pmg_now() + hold;
	if (pthread_create(&l->thread, NULL, pmg_raw_reader, l)) {
		close(l->fd);
		return -EAGAIN;
	}
	return 0;
}

static inline int pmg_raw_listen(struct pmg_raw_listener *l, bool pace)
{
	return pmg_raw_listen_opts(l, pace, 0, 0);
}

static inline void pmg_raw_stop(struct pmg_raw_listener *l)
{
	__atomic_store_n(&l->stop, true, __ATOMIC_RELAXED);
	pthread_join(l->thread, NULL);
	close(l->fd);
	free(l->ev);
	l->ev = NULL;
	l->n = l->cap = 0;
}

/*
 * Waits up to seconds for an event from index *from on that match()
 * accepts; returns its index (and moves *from past it), or -1.
 */
static inline long pmg_raw_wait(struct pmg_raw_listener *l, size_t *from,
				bool (*match)(const struct pmg_raw_ev *e,
					      const void *arg),
				const void *arg, double seconds)
{
	double end = pmg_now() + seconds;
	long found = -1;

	pthread_mutex_lock(&l->mu);
	for (;;) {
		for (; *from < l->n; (*from)++) {
			if (match(&l->ev[*from], arg)) {
				found = (long)(*from)++;
				goto out;
			}
		}
		if (pmg_now() >= end)
			break;
		{
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 50 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&l->cv, &l->mu, &ts);
		}
	}
out:
	pthread_mutex_unlock(&l->mu);
	return found;
}

/* A copy of event i (the array may move under a reader). */
static inline struct pmg_raw_ev pmg_raw_get(struct pmg_raw_listener *l,
					    size_t i)
{
	struct pmg_raw_ev e;

	pthread_mutex_lock(&l->mu);
	e = l->ev[i];
	pthread_mutex_unlock(&l->mu);
	return e;
}

static inline size_t pmg_raw_count(struct pmg_raw_listener *l)
{
	size_t n;

	pthread_mutex_lock(&l->mu);
	n = l->n;
	pthread_mutex_unlock(&l->mu);
	return n;
}

/* Matchers. */
static inline bool pmg_raw_is_notice(const struct pmg_raw_ev *e,
				     const void *type)
{
	return e->notice && e->type == *(const uint8_t *)type;
}

static inline bool pmg_raw_from_pid(const struct pmg_raw_ev *e,
				    const void *pid)
{
	return !e->notice && !e->summary && e->pid == *(const uint32_t *)pid;
}

/* A finding of pid, or a summary naming pid. */
static inline bool pmg_raw_names_pid(const struct pmg_raw_ev *e,
				     const void *pid)
{
	return !e->notice && e->pid == *(const uint32_t *)pid;
}

/*
 * GET_STATUS on a socket of its own: whether the reply carried counters
 * (PMG_A_STATS), and PMG_A_ARMED (-1 when absent). 0 or -errno.
 */
static inline int pmg_raw_status(bool *has_stats, int *armed)
{
	int family = pmg_family_ids(NULL), fd, err = -EIO;
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} req = {
		.n = { .nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
		       .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 },
		.g = { .cmd = PMG_CMD_GET_STATUS, .version = PMG_GENL_VERSION },
	};
	static char buf[65536];
	ssize_t n;

	*has_stats = false;
	*armed = -1;
	if (family < 0)
		return -ENOENT;
	req.n.nlmsg_type = family;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		goto out;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

		if (h->nlmsg_type == NLMSG_ERROR) {
			err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			goto out;
		}
		while (off + NLA_HDRLEN <= h->nlmsg_len) {
			const struct nlattr *a = (const void *)((char *)h + off);

			if (a->nla_len < NLA_HDRLEN)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == PMG_A_STATS)
				*has_stats = true;
			if ((a->nla_type & NLA_TYPE_MASK) == PMG_A_ARMED)
				*armed = pmg_raw_uint(a);
			off += NLA_ALIGN(a->nla_len);
		}
		err = 0;
	}
out:
	close(fd);
	return err;
}

#endif /* PMG_RAW_H */
