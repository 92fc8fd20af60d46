// SPDX-License-Identifier: GPL-2.0
/*
 * sink.c - findings into "alerts" multicast messages, and all delivery
 * back-pressure.
 *
 * The family and the group are handed over by the control plane once it
 * has registered them; nothing here knows about requests.
 *
 * Pacing listeners are sockets that asked (PMG_CMD_PACE) not to be sent
 * more than their receive queue can take. Before the worker sends, it asks
 * pmg_sink_budget() how many messages fit in the emptiest half of their
 * receive buffers; while none does, it holds the findings in the rings (so
 * that what cannot be kept is dropped, and counted, where the accessor is
 * still known). A listener with no room for PMG_HOLD_MAX counts as stalled
 * and is sent to anyway: what it cannot take is counted as drop_send. A
 * socket is dropped from the list once it is closed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include "procmem_guard.h"
#include "sink.h"
#include "stats.h"

#define PMG_HOLD_MAX	HZ

/*
 * A batch message is allocated from one 16 KiB block (payload, headers and
 * skb overhead); what it adds to a receive queue is that allocation.
 * Listeners read datagrams of up to 64 KiB.
 */
#define PMG_BATCH_ALLOC		16384
#define PMG_BATCH_TRUESIZE	SKB_TRUESIZE(SKB_WITH_OVERHEAD(PMG_BATCH_ALLOC))
#define PMG_BATCH_BYTES		(SKB_WITH_OVERHEAD(PMG_BATCH_ALLOC) - \
				 NLMSG_HDRLEN - GENL_HDRLEN)

static const struct genl_family *pmg_family;
static unsigned int pmg_group;

static DEFINE_MUTEX(pmg_pacers_lock);
static struct sock *pmg_pacers[PMG_MAX_PACERS];
static unsigned long pmg_held_since;	/* worker only; 0: not holding */

/* Under pmg_pacers_lock: forget closed sockets; returns how many are left. */
static unsigned int pmg_pacers_prune(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < PMG_MAX_PACERS; i++) {
		struct sock *sk = pmg_pacers[i];

		if (!sk)
			continue;
		if (sock_flag(sk, SOCK_DEAD)) {
			pmg_pacers[i] = NULL;
			sock_put(sk);
			continue;
		}
		n++;
	}
	return n;
}

int pmg_sink_pace(struct sock *sk, const char **why)
{
	unsigned int i;
	int err = -ENOSPC;

	if (!sk) {
		*why = "no socket to pace";
		return -EINVAL;
	}
	mutex_lock(&pmg_pacers_lock);
	pmg_pacers_prune();
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		if (pmg_pacers[i] == sk) {
			err = 0;
			goto out;
		}
	}
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		if (!pmg_pacers[i]) {
			sock_hold(sk);
			pmg_pacers[i] = sk;
			err = 0;
			goto out;
		}
	}
	*why = "too many pacing listeners";
out:
	mutex_unlock(&pmg_pacers_lock);
	return err;
}

unsigned int pmg_sink_pacers(void)
{
	unsigned int n;

	mutex_lock(&pmg_pacers_lock);
	n = pmg_pacers_prune();
	mutex_unlock(&pmg_pacers_lock);
	return n;
}

/*
 * As many batch messages as fit in the emptiest half of the pacing
 * listeners' receive buffers (the core refuses a message only once a queue
 * is over the whole buffer, so one more always fits); UINT_MAX with none.
 */
static unsigned int pmg_pacers_room(void)
{
	unsigned int i, budget = UINT_MAX;

	mutex_lock(&pmg_pacers_lock);
	pmg_pacers_prune();
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		struct sock *sk = pmg_pacers[i];
		int room;

		if (!sk)
			continue;
		room = READ_ONCE(sk->sk_rcvbuf) / 2 -
		       atomic_read(&sk->sk_rmem_alloc);
		budget = min_t(unsigned int, budget,
			       room > 0 ? room / PMG_BATCH_TRUESIZE : 0);
	}
	mutex_unlock(&pmg_pacers_lock);
	return budget;
}

unsigned int pmg_sink_budget(bool final)
{
	unsigned int budget = final ? UINT_MAX : pmg_pacers_room();

	if (budget) {
		pmg_held_since = 0;
		return budget;
	}
	if (!pmg_held_since)
		pmg_held_since = jiffies | 1;
	if (time_before(jiffies, pmg_held_since + PMG_HOLD_MAX))
		return 0;
	return UINT_MAX;	/* stalled: send, the losses are counted */
}

bool pmg_sink_listening(void)
{
	return pmg_family &&
	       genl_has_listeners(pmg_family, &init_net, pmg_group);
}

static int pmg_put_str(struct sk_buff *skb, int type, const char *s)
{
	return s ? nla_put_string(skb, type, s) : 0;
}

/*
 * A finding's nest is written straight into the message: its room is
 * sized first (PMG_FINDING_FIXED for every attribute that is not a path,
 * plus the paths), then each attribute is laid down without the per-call
 * checks of nla_put_*(); the attributes and their order are those of
 * include/procmem_guard.h. A finding takes some forty attributes, so this
 * is most of the cost of encoding it.
 */
#define PMG_FINDING_FIXED	(NLA_HDRLEN + 48 * nla_total_size(8) + \
				 2 * nla_total_size(TASK_COMM_LEN))

struct pmg_aw {
	char *p;
};

/*
 * Inlined: with len known at the call, the copy and the padding are a few
 * moves, not calls of memcpy() and memset() (forty per finding).
 */
static __always_inline void pmg_aw_put(struct pmg_aw *w, u16 type,
				       const void *data, u16 len)
{
	struct nlattr *a = (struct nlattr *)w->p;
	int pad = nla_padlen(len);

	a->nla_len = NLA_HDRLEN + len;
	a->nla_type = type;
	memcpy(w->p + NLA_HDRLEN, data, len);
	if (pad)
		memset(w->p + NLA_HDRLEN + len, 0, pad);
	w->p += NLA_HDRLEN + len + pad;
}

static __always_inline void pmg_aw_u8(struct pmg_aw *w, u16 type, u8 v)
{
	pmg_aw_put(w, type, &v, sizeof(v));
}

static __always_inline void pmg_aw_u32(struct pmg_aw *w, u16 type, u32 v)
{
	pmg_aw_put(w, type, &v, sizeof(v));
}

static __always_inline void pmg_aw_u64(struct pmg_aw *w, u16 type, u64 v)
{
	pmg_aw_put(w, type, &v, sizeof(v));
}

/* A string of len bytes and the NUL that ends it. */
static void pmg_aw_str(struct pmg_aw *w, u16 type, const char *s, size_t len)
{
	pmg_aw_put(w, type, s, len + 1);
}

/* The accessor, in a finding or a summary. */
static void pmg_put_accessor(struct pmg_aw *w, const struct pmg_record *r,
			     const char *exe, size_t exe_len)
{
	pmg_aw_u32(w, PMG_F_PID, r->pid);
	pmg_aw_u32(w, PMG_F_TID, r->tid);
	pmg_aw_u32(w, PMG_F_PPID, r->ppid);
	pmg_aw_u32(w, PMG_F_VPID, r->vpid);
	pmg_aw_u32(w, PMG_F_VTID, r->vtid);
	pmg_aw_u32(w, PMG_F_VPPID, r->vppid);
	pmg_aw_u32(w, PMG_F_UID, r->uid);
	pmg_aw_u32(w, PMG_F_EUID, r->euid);
	pmg_aw_u32(w, PMG_F_GID, r->gid);
	pmg_aw_str(w, PMG_F_COMM, r->comm, strnlen(r->comm, TASK_COMM_LEN - 1));
	if (exe) {
		pmg_aw_str(w, PMG_F_EXE, exe, exe_len);
		if (r->exe_ino) {
			pmg_aw_u32(w, PMG_F_EXE_DEV, r->exe_dev);
			pmg_aw_u64(w, PMG_F_EXE_INO, r->exe_ino);
		}
	}
	pmg_aw_u64(w, PMG_F_CGROUP_ID, r->cgroup_id);
	pmg_aw_u32(w, PMG_F_PIDNS, r->pidns);
	if (r->mntns)
		pmg_aw_u32(w, PMG_F_MNTNS, r->mntns);
	if (r->syscall != U32_MAX) {
		pmg_aw_u32(w, PMG_F_SYSCALL, r->syscall);
		if (r->compat)
			pmg_aw_u8(w, PMG_F_COMPAT, 1);
	}
}

static void pmg_put_target(struct pmg_aw *w, const struct pmg_record *r)
{
	if (!r->tpid)
		return;
	pmg_aw_u32(w, PMG_F_TARGET_PID, r->tpid);
	pmg_aw_u32(w, PMG_F_TARGET_VPID, r->tvpid);
	pmg_aw_str(w, PMG_F_TARGET_COMM, r->tcomm,
		   strnlen(r->tcomm, TASK_COMM_LEN - 1));
	pmg_aw_u8(w, PMG_F_TARGET_SELF, r->self);
	if (r->ttid) {
		pmg_aw_u32(w, PMG_F_TARGET_TID, r->ttid);
		pmg_aw_u32(w, PMG_F_TARGET_VTID, r->tvtid);
	}
}

static int pmg_put_finding(struct sk_buff *skb, const struct pmg_finding_ctx *f)
{
	const struct pmg_record *r = f->rec;
	const struct pmg_summary *sum = f->sum;
	bool file = !sum && r->channel == PMG_CHANNEL_PROC_MEM;
	size_t exe_len = f->exe ? strlen(f->exe) : 0;
	size_t path_len = file && f->path ? strlen(f->path) : 0;
	size_t procfs_len = file && f->procfs_path ? strlen(f->procfs_path) : 0;
	struct nlattr *nest = (struct nlattr *)skb_tail_pointer(skb);
	struct pmg_aw w = { .p = (char *)nest + NLA_HDRLEN };
	size_t room = PMG_FINDING_FIXED + nla_total_size(exe_len + 1) +
		      nla_total_size(path_len + 1) +
		      nla_total_size(procfs_len + 1);

	if (skb_tailroom(skb) < (int)room)
		return -EMSGSIZE;
	pmg_aw_u64(&w, PMG_F_SEQ, f->seq);
	pmg_aw_u32(&w, PMG_F_SIGNATURE, f->sig);
	pmg_aw_u8(&w, PMG_F_CHANNEL, r->channel);
	pmg_aw_u8(&w, PMG_F_ACCESS, r->access);
	pmg_aw_u8(&w, PMG_F_ACTION, f->action);
	pmg_aw_u64(&w, PMG_F_TIME_NS, r->time_ns);
	pmg_put_accessor(&w, r, f->exe, exe_len);
	pmg_put_target(&w, r);
	if (r->channel == PMG_CHANNEL_PTRACE)
		pmg_aw_u32(&w, PMG_F_REQUEST, r->request);
	if (sum) {
		pmg_aw_u32(&w, PMG_F_SUMMARY, f->count);
		pmg_aw_u8(&w, PMG_F_REASON, sum->reason);
		pmg_aw_u64(&w, PMG_F_FIRST_NS, sum->first_ns);
	} else if (r->outcome) {
		pmg_aw_u8(&w, PMG_F_OUTCOME, r->outcome);
	}
	if (file) {
		if (r->kind)
			pmg_aw_u8(&w, PMG_F_KIND, r->kind);
		if (f->path)
			pmg_aw_str(&w, PMG_F_PATH, f->path, path_len);
		if (f->procfs_path)
			pmg_aw_str(&w, PMG_F_PROCFS_PATH, f->procfs_path,
				   procfs_len);
		pmg_aw_u32(&w, PMG_F_DEV, r->dev);
		pmg_aw_u64(&w, PMG_F_INO, r->ino);
		pmg_aw_u32(&w, PMG_F_FLAGS, r->flags);
		if (r->partial)
			pmg_aw_u32(&w, PMG_F_PARTIAL, r->partial);
	}
	if (!sum && r->suppressed)
		pmg_aw_u32(&w, PMG_F_SUPPRESSED, r->suppressed);
	nest->nla_type = PMG_A_FINDING | NLA_F_NESTED;
	nest->nla_len = w.p - (char *)nest;
	skb_put(skb, nest->nla_len);
	return 0;
}

static int pmg_put_notice(struct sk_buff *skb, const struct pmg_notice *n,
			  u64 seq)
{
	struct nlattr *nest = nla_nest_start(skb, PMG_A_NOTICE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PMG_N_SEQ, seq, PMG_N_PAD) ||
	    nla_put_u8(skb, PMG_N_TYPE, n->type) ||
	    nla_put_u64_64bit(skb, PMG_N_TIME_NS, n->time_ns, PMG_N_PAD) ||
	    (n->pid &&
	     (nla_put_u32(skb, PMG_N_PID, n->pid) ||
	      nla_put_u32(skb, PMG_N_UID, n->uid) ||
	      nla_put_string(skb, PMG_N_COMM, n->comm))) ||
	    pmg_put_str(skb, PMG_N_EXE, n->exe) ||
	    (n->cmd && nla_put_u8(skb, PMG_N_CMD, n->cmd)) ||
	    pmg_put_str(skb, PMG_N_DETAIL, n->detail)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

void pmg_sink_batch_init(struct pmg_batch *b,
			 void (*sent_fn)(struct pmg_batch *b, int err))
{
	b->sent_fn = sent_fn;
	b->skb = NULL;
	b->hdr = NULL;
	b->count = 0;
	b->others = 0;
	b->sent = 0;
}

static bool pmg_batch_open(struct pmg_batch *b, size_t size)
{
	b->skb = genlmsg_new(size, GFP_KERNEL | __GFP_NOWARN);
	if (!b->skb)
		return false;
	b->hdr = genlmsg_put(b->skb, 0, 0, pmg_family, 0, PMG_CMD_FINDING);
	if (!b->hdr) {
		nlmsg_free(b->skb);
		b->skb = NULL;
		return false;
	}
	return true;
}

void pmg_sink_batch_flush(struct pmg_batch *b)
{
	int err;

	if (!b->skb)
		return;
	if (!b->count && !b->others) {
		nlmsg_free(b->skb);
		b->skb = NULL;
		b->hdr = NULL;
		return;
	}
	genlmsg_end(b->skb, b->hdr);
	err = genlmsg_multicast(pmg_family, b->skb, 0, pmg_group,
				GFP_KERNEL);
	/* -ENOBUFS: a listener's queue overflowed and it lost the message;
	 * it sees the overrun and counts it. -ESRCH: the last listener left.
	 */
	pmg_stat_add(err ? PMG_S_DROP_SEND : PMG_S_SENT, b->count);
	b->sent++;
	if (b->sent_fn)
		b->sent_fn(b, err);
	b->skb = NULL;
	b->hdr = NULL;
	b->count = 0;
	b->others = 0;
}

/*
 * Adds a finding (f) or a notice (n, seq) to the batch: if it is full, it
 * is sent and a new one started, sized for two paths. False if the entry
 * could not be added at all.
 */
static bool pmg_batch_put(struct pmg_batch *b, const struct pmg_finding_ctx *f,
			  const struct pmg_notice *n, u64 seq)
{
	size_t size = PMG_BATCH_BYTES;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (!b->skb && !pmg_batch_open(b, size) &&
		    (tries || !pmg_batch_open(b, NLMSG_GOODSIZE)))
			return false;
		if (!(f ? pmg_put_finding(b->skb, f) :
		      pmg_put_notice(b->skb, n, seq)))
			return true;
		pmg_sink_batch_flush(b);
		size = 2 * PATH_MAX + NLMSG_GOODSIZE;
	}
	return false;
}

bool pmg_sink_batch_add(struct pmg_batch *b, const struct pmg_finding_ctx *f)
{
	if (!pmg_batch_put(b, f, NULL, 0)) {
		if (!f->sum)
			pmg_stat_add(PMG_S_DROP_SEND, 1);
		return false;
	}
	if (f->sum)
		b->others++;
	else
		b->count++;
	return true;
}

void pmg_sink_batch_add_notice(struct pmg_batch *b, const struct pmg_notice *n,
			       u64 seq)
{
	if (pmg_batch_put(b, NULL, n, seq))
		b->others++;
}

void pmg_sink_init(const struct genl_family *family, unsigned int group)
{
	pmg_group = group;
	pmg_held_since = 0;
	WRITE_ONCE(pmg_family, family);
}

/* Once the family is gone: no request can add a pacing listener any more. */
void pmg_sink_exit(void)
{
	unsigned int i;

	WRITE_ONCE(pmg_family, NULL);
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		if (pmg_pacers[i])
			sock_put(pmg_pacers[i]);
		pmg_pacers[i] = NULL;
	}
}
