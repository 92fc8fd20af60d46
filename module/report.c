// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - per-CPU rings, irq_work and the delivery worker.
 *
 * The probes fill a fixed-size record in their CPU's preallocated ring (no
 * allocation, no lock: each ring has one producer, the probes on that CPU
 * with preemption disabled, and one consumer, the module's worker) and
 * queue an irq_work, which queues the worker. The worker resolves what
 * needs a sleeping context (path names, the outcome of an open), then
 * hands the findings to the sink (multicast) or, with nobody listening, to
 * the kernel log.
 *
 * A ring holds ring_records records (module parameter, default 1024). One
 * user may hold at most three quarters of a ring (pmg_uid_share): a flood
 * from one user cannot take the room another user's finding needs. A finding
 * that finds no room is counted as drop_ring_full and summarized; so is
 * one the rate limit suppressed, or the kernel log's limit. Summaries are
 * delivered about once a second (PMG_SUMMARY_PERIOD), with the notices
 * (the module's own events) and the findings, in one sequence.
 *
 * The outcome of a mem open: a queued record holds a reference to the
 * file. Once the opener is done with it, the file is either open
 * (FMODE_OPENED: procfs' ->open(), and so its ptrace check, passed) or
 * ours alone (the open failed: another LSM or the ptrace check refused
 * it). The worker delivers a record whose open has not ended yet later,
 * from a short list (PMG_PENDING_MAX), and gives up after
 * PMG_OUTCOME_WAIT: the outcome is then "unknown".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/fs_struct.h>
#include <linux/irq_work.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include "compat.h"
#include "finding.h"
#include "klog.h"
#include "params.h"
#include "report.h"
#include "pmg_share.h"
#include "sink.h"
#include "stats.h"
#include "summary.h"

/*
 * Coalescing: a record that finds the worker idle for a while is delivered
 * at once. Under a sustained stream (the worker drained less than
 * PMG_BATCH_DELAY ago) the worker waits that long, so that one message
 * carries the findings of a few milliseconds rather than one or two (each
 * message costs an skb, a broadcast, a wakeup and a recvmsg() in the
 * listener); it runs at once when a ring is a quarter full
 * (pmg_kick_now). That leaves the worker half the ring's time to come
 * before one user's share (three quarters) is full. With 512 records and
 * a share of half, one flat-out opener lost findings whenever the worker
 * came more than about 5 ms late (BENCHMARKS.md, delivery).
 */
#define PMG_BATCH_DELAY	msecs_to_jiffies(4)
#define PMG_KICK_EVERY	16	/* then a kick per so many records, not each */
/* Records per user: include/pmg_share.h. */
#define PMG_SUMMARY_PERIOD	HZ
#define PMG_PENDING_MAX		64
#define PMG_OUTCOME_WAIT	(2 * HZ)
#define PMG_KEEP_MAX		64	/* records of one message in the making */

struct pmg_ring {
	unsigned int head;	/* written by the producer only */
	unsigned int tail;	/* written by the consumer only */
	struct irq_work kick;
	struct pmg_record *rec;	/* pmg_ring_size records */
	struct pmg_share share;	/* records per user */
};

/* What one pass of the worker resolves once for many records. */
struct pmg_names {
	struct file *exe;	/* counted: the executable exe_path names */
	const char *exe_path;
	bool exe_foreign;	/* not reachable from the worker's root */
	struct vfsmount *mnt;	/* counted: the mount root_path is of */
	struct ns_common *mntns;	/* not counted: the key only */
	const char *root_path;	/* NULL: could not be had */
	size_t root_len;
};

static DEFINE_PER_CPU(struct pmg_ring, pmg_rings);
/* Set at load from ring_records (a power of two), then read only. */
static unsigned int pmg_ring_size __read_mostly;
static unsigned int pmg_uid_share __read_mostly;	/* 3/4 of a ring */
static unsigned int pmg_kick_now __read_mostly;	/* 1/4 of a ring */
static struct workqueue_struct *pmg_wq;
static struct delayed_work pmg_work;
static struct delayed_work pmg_summary_work;
static struct irq_work pmg_summary_kick;
static char *pmg_exe_buf;	/* PATH_MAX, used by the worker only */
static char *pmg_root_buf;	/* PATH_MAX, used by the worker only */
static char *pmg_path_buf;	/* PATH_MAX, used by the worker only */
static struct pmg_summary *pmg_summary_buf;	/* worker only */
static struct pmg_record *pmg_pending;	/* PMG_PENDING_MAX, worker only */
/*
 * What the message being built stands for, worker only: the records whose
 * findings it carries (kept until it is sent, then summarized if it could
 * not be), or the summaries it carries (counted once sent, or put back).
 */
static struct pmg_record *pmg_kept;	/* PMG_KEEP_MAX */
static unsigned int pmg_nkept;
static unsigned int pmg_sum_sent, pmg_sum_added;	/* pmg_summary_buf */
static bool pmg_sum_again;	/* summaries went back into the tables */
static unsigned int pmg_npending;	/* written by the worker only */
static u64 pmg_seq;		/* worker only */
static atomic_t pmg_unflushed;	/* records out of the rings, not yet sent */
static unsigned long pmg_last_drain;	/* jiffies, written by the worker */
static bool pmg_holding;		/* records held back for a pacer */
static bool pmg_stopping;		/* unload: the worker stops requeueing */
static DEFINE_SPINLOCK(pmg_notices_lock);
static LIST_HEAD(pmg_notices);			/* under pmg_notices_lock */
static bool pmg_notices_closed;			/* under pmg_notices_lock */

/* The slot of the n-th record a ring ever queued. */
static struct pmg_record *pmg_ring_rec(struct pmg_ring *ring, unsigned int n)
{
	return &ring->rec[n & (pmg_ring_size - 1)];
}

static unsigned int pmg_nfindings(const struct pmg_record *rec)
{
	return hweight8(rec->report);
}

/* ---- probe context ---- */

static void pmg_summary_kick_fn(struct irq_work *iw)
{
	if (!READ_ONCE(pmg_stopping))
		queue_delayed_work(pmg_wq, &pmg_summary_work,
				   PMG_SUMMARY_PERIOD);
}

void pmg_report_summarize(const struct pmg_record *rec, u8 reason)
{
	if (pmg_summary_add(rec, 0, reason))
		irq_work_queue(&pmg_summary_kick);
}

void pmg_report_submit(struct pmg_record *rec, struct file *file)
{
	struct pmg_ring *ring = this_cpu_ptr(&pmg_rings);
	unsigned int head = ring->head, us = 0;
	enum pmg_share_verdict v;
	struct pmg_record *slot;
	/* Pairs with the worker's release of tail: the slot is free. */
	unsigned int tail = smp_load_acquire(&ring->tail);

	v = pmg_share_admit(&ring->share, rec->cuid, head - tail, pmg_ring_size,
			    pmg_uid_share, &us);
	if (v != PMG_SHARE_QUEUED) {
		pmg_stat_add(PMG_S_DROP_RING_FULL, pmg_nfindings(rec));
		pmg_report_summarize(rec, v == PMG_SHARE_RING_FULL ?
				     PMG_REASON_RING_FULL : PMG_REASON_BUDGET);
		pmg_record_put(rec);
		return;
	}
	rec->uslot = us;
	slot = pmg_ring_rec(ring, head);
	*slot = *rec;		/* the exe reference moves to the slot */
	if (file) {
		slot->mnt = mntget(file->f_path.mnt);	/* a per-CPU add */
		/* The outcome is read off the file once the open is over. */
		if (!slot->outcome)
			slot->file = get_file(file);
		/* Keeps the mounts where the accessor saw them. */
		slot->mntns_ref = pmg_get_mnt_ns();
		if (!slot->mntns_ref)
			slot->partial |= PMG_PARTIAL_PATH;
	}
	/* Publish the filled slot; pairs with the worker's acquire of head. */
	smp_store_release(&ring->head, head + 1);
	/*
	 * A worker run already queued will see it: no kick (and no self-IPI)
	 * per record under a stream, unless the ring is a quarter full and
	 * the worker must run now (then every PMG_KICK_EVERY records, until
	 * it has). Orders the head store before the pending test;
	 * the workqueue clears pending with a full barrier before the worker
	 * reads head, so one of the two sees the other.
	 */
	smp_mb();
	if (!delayed_work_pending(&pmg_work) ||
	    (head + 1 - tail >= pmg_kick_now && !((head + 1) % PMG_KICK_EVERY)))
		irq_work_queue(&ring->kick);
}

/* ---- process context ---- */

u64 pmg_report_inflight(void)
{
	u64 n = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pmg_ring *ring = per_cpu_ptr(&pmg_rings, cpu);

		unsigned int head = READ_ONCE(ring->head);
		/* Acquire: a record seen gone is seen in pmg_unflushed. */
		unsigned int tail = smp_load_acquire(&ring->tail);

		n += head - tail;
	}
	return n + atomic_read(&pmg_unflushed);
}

void pmg_report_notice(struct pmg_notice *n)
{
	bool closed;

	n->time_ns = ktime_get_real_ns();
	spin_lock(&pmg_notices_lock);
	closed = pmg_notices_closed;
	if (!closed) {
		list_add_tail(&n->node, &pmg_notices);
		mod_delayed_work(pmg_wq, &pmg_work, 0);
	}
	spin_unlock(&pmg_notices_lock);
	/* After the last delivery (a request racing with unload). */
	if (closed)
		pmg_report_notice_free(n);
}

void pmg_report_notice_free(struct pmg_notice *n)
{
	kfree(n->exe);
	kfree(n->detail);
	kfree(n);
}

/* ---- the worker ---- */

/* "/<pid>/mem" style path from the procfs root. */
static void pmg_procfs_path(const struct pmg_chain *c, char *buf, size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < c->depth && off + c->len[i] + 2 < size; i++) {
		buf[off++] = '/';
		memcpy(buf + off, c->name[i], c->len[i]);
		off += c->len[i];
	}
	buf[off] = '\0';
}

static void pmg_names_reset(struct pmg_names *nm)
{
	if (nm->exe)
		fput(nm->exe);
	if (nm->mnt)
		mntput(nm->mnt);
	memset(nm, 0, sizeof(*nm));
}

/*
 * The executable's path, from the root of its mount namespace (d_path()
 * does not say when that is not the worker's, the host's, root: a
 * container's file, or one a user mounted in a namespace of its own over
 * a host directory). Such a path is marked in rec->partial.
 */
static const char *pmg_exe_path(struct pmg_record *rec, struct pmg_names *nm)
{
	struct path root;
	char *p;

	if (!rec->exe)
		return NULL;
	if (nm->exe != rec->exe) {
		if (nm->exe)
			fput(nm->exe);
		nm->exe = get_file(rec->exe);
		p = d_path(&rec->exe->f_path, pmg_exe_buf, PATH_MAX);
		nm->exe_path = IS_ERR(p) ? NULL : p;
		get_fs_root(current->fs, &root);
		nm->exe_foreign = !path_is_under(&rec->exe->f_path, &root);
		path_put(&root);
	}
	if (nm->exe_foreign)
		rec->partial |= PMG_PARTIAL_EXE;
	return nm->exe_path;
}

/*
 * The mem file's path from the root of the accessor's mount namespace:
 * the mount's root (d_path; the namespace is held, so the mount is still
 * where the accessor saw it, unless it was unmounted since) and the names
 * below it that the probe copied. NULL when it cannot be had.
 */
static const char *pmg_mount_path(const struct pmg_record *rec,
				  struct pmg_names *nm, const char *procfs_path)
{
	const struct pmg_chain *c = &rec->chain;
	const char *tail = procfs_path;
	unsigned int skip;
	size_t tlen;

	if (!c->complete || !rec->mnt)
		return NULL;
	if (nm->mnt != rec->mnt || nm->mntns != rec->mntns_ref) {
		struct path root = { .mnt = rec->mnt,
				     .dentry = rec->mnt->mnt_root };
		char *p;

		if (nm->mnt)
			mntput(nm->mnt);
		nm->mnt = mntget(rec->mnt);
		nm->mntns = rec->mntns_ref;
		p = d_path(&root, pmg_root_buf, PATH_MAX);
		nm->root_path = IS_ERR(p) ? NULL : p;
		nm->root_len = nm->root_path ? strlen(nm->root_path) : 0;
		if (nm->root_len == 1)
			nm->root_len = 0;	/* "/" */
	}
	if (!nm->root_path)
		return NULL;
	/* The names below the mount: the end of the procfs path. */
	for (skip = c->depth - c->below_mnt; skip && *tail; skip--)
		tail = strchrnul(tail + 1, '/');
	tlen = strlen(tail);
	if (nm->root_len + tlen + 1 > PATH_MAX)
		return NULL;
	memcpy(pmg_path_buf, nm->root_path, nm->root_len);
	memcpy(pmg_path_buf + nm->root_len, tail, tlen + 1);
	if (!pmg_path_buf[0])
		strscpy(pmg_path_buf, "/", PATH_MAX);
	return pmg_path_buf;
}

/*
 * The outcome of a queued mem open, or 0 while the open is not over.
 *
 * The count is read first: when only our reference is left, the opener's
 * fput() (ordered after it set FMODE_OPENED) has happened, and f_mode,
 * read after it, is final. Read the other way round, an open and close
 * between the two reads looked like a refusal (seen on the debug 6.1
 * kernel under load).
 */
static u8 pmg_outcome_of(const struct pmg_record *rec)
{
	struct file *f = rec->file;
	bool over = pmg_file_count(f) == 1;

	smp_rmb();	/* the count before f_mode; pairs with fput() */
	/*
	 * ->open() passed. procfs mem files take no direct I/O, so an
	 * O_DIRECT open fails right after (with EINVAL).
	 */
	if (READ_ONCE(f->f_mode) & FMODE_OPENED)
		return rec->flags & O_DIRECT ? PMG_OUTCOME_REFUSED :
		       PMG_OUTCOME_GRANTED;
	/* Not opened, and the opener has let go of it: it failed. */
	return over ? PMG_OUTCOME_REFUSED : 0;
}

static void pmg_count_outcome(const struct pmg_record *rec, unsigned int n)
{
	switch (rec->outcome) {
	case PMG_OUTCOME_GRANTED:
		pmg_stat_add(PMG_S_GRANTED, n);
		break;
	case PMG_OUTCOME_REFUSED:
		pmg_stat_add(PMG_S_REFUSED, n);
		break;
	case PMG_OUTCOME_UNKNOWN:
		pmg_stat_add(PMG_S_OUTCOME_UNKNOWN, n);
		break;
	}
}

/* Worker: counts findings of rec (access bits) in a summary. */
static void pmg_summarize_late(const struct pmg_record *rec, u8 bits,
			       u8 reason)
{
	if (pmg_summary_add(rec, bits, reason))
		queue_delayed_work(pmg_wq, &pmg_summary_work,
				   PMG_SUMMARY_PERIOD);
}

/* A findings message went, or not: what it stood for is settled. */
static void pmg_records_sent(struct pmg_batch *b, int err)
{
	unsigned int i;

	for (i = 0; i < pmg_nkept; i++) {
		if (err)
			pmg_summarize_late(&pmg_kept[i], pmg_kept[i].report,
					   PMG_REASON_SEND);
		pmg_record_put(&pmg_kept[i]);
	}
	pmg_nkept = 0;
}

/* Turns one record into its findings, into the batch or the log. */
static void pmg_deliver(struct pmg_record *rec, struct pmg_batch *b,
			bool listening, struct pmg_names *nm)
{
	char procfs_path[PMG_MATCH_DEPTH * (PMG_NAME_BYTES + 1) + 1];
	struct pmg_finding_ctx f = { .rec = rec };
	bool kept = false;
	unsigned int i;

	if (rec->channel == PMG_CHANNEL_PROC_MEM) {
		pmg_procfs_path(&rec->chain, procfs_path, sizeof(procfs_path));
		f.procfs_path = procfs_path;
		f.path = pmg_mount_path(rec, nm, procfs_path);
	}
	f.exe = pmg_exe_path(rec, nm);
	if (rec->outcome != PMG_OUTCOME_BLOCKED)
		pmg_count_outcome(rec, pmg_nfindings(rec));
	for (i = 0; i < PMG_NACCESS; i++) {
		if (!(rec->report & BIT(i)))
			continue;
		f.sig = pmg_signature(rec->channel, BIT(i));
		f.action = rec->action[i];
		f.seq = ++pmg_seq;
		if (listening) {
			if (pmg_sink_batch_add(b, &f))
				kept = true;
			else
				pmg_summarize_late(rec, BIT(i), PMG_REASON_SEND);
		} else if (!pmg_klog_finding(&f)) {
			pmg_summarize_late(rec, BIT(i), PMG_REASON_LOG_LIMIT);
		}
	}
	if (!kept) {
		pmg_record_put(rec);
		return;
	}
	/* Until its message is sent: if it cannot be, it is summarized. */
	pmg_kept[pmg_nkept++] = *rec;
	if (pmg_nkept == PMG_KEEP_MAX)
		pmg_sink_batch_flush(b);
}

static void pmg_deliver_notices(struct pmg_batch *b, bool listening)
{
	struct pmg_notice *n, *tmp;
	LIST_HEAD(todo);

	spin_lock(&pmg_notices_lock);
	list_splice_init(&pmg_notices, &todo);
	spin_unlock(&pmg_notices_lock);
	list_for_each_entry_safe(n, tmp, &todo, node) {
		list_del(&n->node);
		if (listening)
			pmg_sink_batch_add_notice(b, n, ++pmg_seq);
		else
			pmg_klog_notice(n, ++pmg_seq);
		pmg_stat_add(PMG_S_NOTICES, 1);
		pmg_report_notice_free(n);
	}
}

/*
 * Delivers the records waiting for their outcome whose open is over, or
 * that waited long enough (all of them with final).
 */
static void pmg_deliver_pending(struct pmg_batch *b, bool listening,
				struct pmg_names *nm, bool final)
{
	unsigned int i, j = 0;

	for (i = 0; i < pmg_npending; i++) {
		struct pmg_record *rec = &pmg_pending[i];

		rec->outcome = pmg_outcome_of(rec);
		if (!rec->outcome &&
		    (final || time_after(jiffies,
					 rec->pended + PMG_OUTCOME_WAIT)))
			rec->outcome = PMG_OUTCOME_UNKNOWN;
		if (!rec->outcome) {
			pmg_pending[j++] = *rec;
			continue;
		}
		pmg_deliver(rec, b, listening, nm);
	}
	WRITE_ONCE(pmg_npending, j);
}

/*
 * Delivers the queued records, as many as the sink's budget allows (all
 * with final); records held back stay in the rings, records whose open is
 * not over go to the pending list. A slot is handed back as soon as its
 * record is in the batch or the list; until the batch is multicast,
 * pmg_unflushed keeps it counted as in flight, so "inflight" reaches 0
 * only once every finding is in the listeners' sockets. Returns true if
 * records were left in the rings.
 */
static bool pmg_drain(struct pmg_batch *b, bool listening,
		      struct pmg_names *nm, bool final)
{
	unsigned int budget = listening ? pmg_sink_budget(final) : UINT_MAX;
	bool left = false;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pmg_ring *ring = per_cpu_ptr(&pmg_rings, cpu);
		unsigned int tail = ring->tail;
		/* Pairs with the probe's release: the slots are filled. */
		unsigned int head = smp_load_acquire(&ring->head);

		while (tail != head) {
			struct pmg_record *rec = pmg_ring_rec(ring, tail);
			unsigned int us = rec->uslot;

			if (b->sent >= budget) {
				left = true;
				break;
			}
			if (rec->file && !rec->outcome)
				rec->outcome = pmg_outcome_of(rec);
			if (!rec->outcome && !final &&
			    pmg_npending < PMG_PENDING_MAX) {
				rec->pended = jiffies | 1;
				pmg_pending[pmg_npending] = *rec;
				WRITE_ONCE(pmg_npending, pmg_npending + 1);
			} else {
				if (!rec->outcome)
					rec->outcome = PMG_OUTCOME_UNKNOWN;
				pmg_deliver(rec, b, listening, nm);
			}
			atomic_inc(&pmg_unflushed);
			WRITE_ONCE(ring->share.deq[us],
				   ring->share.deq[us] + 1);
			/* Hand the slot back: pairs with the probe's acquire
			 * of tail, and with pmg_report_inflight()'s.
			 */
			smp_store_release(&ring->tail, ++tail);
			cond_resched();
		}
	}
	return left;
}

/* One pass: notices, the records whose outcome came, then the rings. */
static bool pmg_pass(bool final)
{
	bool listening = pmg_sink_listening(), left;
	struct pmg_names nm = {};
	struct pmg_batch b;

	pmg_sink_batch_init(&b, pmg_records_sent);
	pmg_deliver_notices(&b, listening);
	pmg_deliver_pending(&b, listening, &nm, final);
	left = pmg_drain(&b, listening, &nm, final);
	if (final)
		pmg_deliver_pending(&b, listening, &nm, true);
	pmg_sink_batch_flush(&b);
	pmg_names_reset(&nm);
	atomic_set(&pmg_unflushed, READ_ONCE(pmg_npending));
	return left;
}

static void pmg_work_fn(struct work_struct *work)
{
	bool left = pmg_pass(false);

	WRITE_ONCE(pmg_last_drain, jiffies);
	WRITE_ONCE(pmg_holding, left);
	/* Held back for a pacer, or waiting for outcomes: a tick later. */
	if ((left || pmg_npending) && !READ_ONCE(pmg_stopping))
		queue_delayed_work(pmg_wq, &pmg_work, 1);
}

/*
 * A summaries message went, or not: the summaries it carried are counted,
 * or put back in the tables to go again.
 */
static void pmg_summaries_sent(struct pmg_batch *b, int err)
{
	unsigned int k;

	for (; pmg_sum_sent < pmg_sum_added; pmg_sum_sent++) {
		struct pmg_summary *s = &pmg_summary_buf[pmg_sum_sent];

		for (k = 0; k < PMG_NACCESS && !err; k++) {
			if (!s->count[k])
				continue;
			pmg_stat_add(PMG_S_SUMMARIES, 1);
			pmg_stat_add(PMG_S_SUMMARIZED, s->count[k]);
		}
		if (err) {
			pmg_summary_readd(s);
			pmg_sum_again = true;
		}
		pmg_record_put(&s->rec);
	}
}

/*
 * Delivers every CPU's summaries (each access kind its own finding); what
 * cannot be sent goes back into the tables and is tried again a period
 * later.
 */
static void pmg_deliver_summaries(bool to_log)
{
	bool listening = !to_log && pmg_sink_listening(), retry = false;
	struct pmg_names nm = {};
	struct pmg_batch b;
	unsigned int n, i, k;

	pmg_sink_batch_init(&b, pmg_summaries_sent);
	pmg_sum_again = false;
	do {
		n = pmg_summary_take(pmg_summary_buf, PMG_SUMMARY_ENTRIES);
		pmg_sum_sent = 0;
		pmg_sum_added = 0;
		for (i = 0; i < n; i++) {
			struct pmg_summary *s = &pmg_summary_buf[i];
			struct pmg_finding_ctx f = { .rec = &s->rec, .sum = s };

			f.exe = pmg_exe_path(&s->rec, &nm);
			for (k = 0; k < PMG_NACCESS; k++) {
				if (!s->count[k])
					continue;
				f.sig = pmg_signature(s->rec.channel, BIT(k));
				f.action = s->rec.action[k];
				f.count = s->count[k];
				f.seq = ++pmg_seq;
				if (!listening) {
					pmg_klog_finding(&f);
					pmg_stat_add(PMG_S_SUMMARIES, 1);
					pmg_stat_add(PMG_S_SUMMARIZED, f.count);
				} else if (!pmg_sink_batch_add(&b, &f)) {
					/* No memory for a message: later. */
					pmg_sink_batch_flush(&b);
					pmg_sum_added = i + 1;
					pmg_summaries_sent(&b, -ENOMEM);
					retry = true;
					break;
				}
			}
			pmg_sum_added = i + 1;
			if (!listening)
				pmg_record_put(&s->rec);
		}
		if (listening)
			pmg_sink_batch_flush(&b);
		/* Not sent, not even by the flush: back into the tables. */
		if (pmg_sum_sent < pmg_sum_added)
			pmg_summaries_sent(&b, -ENOBUFS);
	} while (n == PMG_SUMMARY_ENTRIES);
	pmg_names_reset(&nm);
	/*
	 * A table that is not empty must have the work queued: adding to
	 * it queues the work only when it was empty.
	 */
	if ((retry || pmg_sum_again) && !READ_ONCE(pmg_stopping))
		queue_delayed_work(pmg_wq, &pmg_summary_work,
				   PMG_SUMMARY_PERIOD);
}

static void pmg_summary_work_fn(struct work_struct *work)
{
	pmg_deliver_summaries(false);
}

/* Runs on the CPU whose ring was filled (irq_work is per CPU). */
static void pmg_kick_fn(struct irq_work *iw)
{
	struct pmg_ring *ring = container_of(iw, struct pmg_ring, kick);

	unsigned long delay = 0;

	/* While records are held for a pacer, the worker polls by itself. */
	if (READ_ONCE(pmg_holding)) {
		queue_delayed_work(pmg_wq, &pmg_work, 1);
		return;
	}
	if (READ_ONCE(ring->head) - READ_ONCE(ring->tail) >= pmg_kick_now) {
		mod_delayed_work(pmg_wq, &pmg_work, 0);
		return;
	}
	if (time_before(jiffies, READ_ONCE(pmg_last_drain) + PMG_BATCH_DELAY))
		delay = PMG_BATCH_DELAY;
	queue_delayed_work(pmg_wq, &pmg_work, delay);
}

int pmg_report_init(void)
{
	int cpu;

	/* First: pmg_report_exit() cancels them on every failure below. */
	INIT_DELAYED_WORK(&pmg_work, pmg_work_fn);
	INIT_DELAYED_WORK(&pmg_summary_work, pmg_summary_work_fn);
	init_irq_work(&pmg_summary_kick, pmg_summary_kick_fn);
	pmg_exe_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	pmg_root_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	pmg_path_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	pmg_summary_buf = kvmalloc_array(PMG_SUMMARY_ENTRIES,
					 sizeof(*pmg_summary_buf), GFP_KERNEL);
	pmg_pending = kvmalloc_array(PMG_PENDING_MAX, sizeof(*pmg_pending),
				     GFP_KERNEL);
	pmg_kept = kvmalloc_array(PMG_KEEP_MAX, sizeof(*pmg_kept), GFP_KERNEL);
	pmg_nkept = 0;
	pmg_wq = alloc_ordered_workqueue("procmem_guard", 0);
	if (!pmg_exe_buf || !pmg_root_buf || !pmg_path_buf ||
	    !pmg_summary_buf || !pmg_pending || !pmg_kept || !pmg_wq)
		goto fail;
	pmg_ring_size = pmg_param_ring_records;
	pmg_uid_share = pmg_ring_size / 4 * 3;
	pmg_kick_now = pmg_ring_size / 4;
	pmg_last_drain = jiffies - PMG_BATCH_DELAY - 1;
	pmg_holding = false;
	pmg_stopping = false;
	pmg_npending = 0;
	pmg_notices_closed = false;
	for_each_possible_cpu(cpu) {
		struct pmg_ring *ring = per_cpu_ptr(&pmg_rings, cpu);

		memset(ring, 0, sizeof(*ring));
		init_irq_work(&ring->kick, pmg_kick_fn);
		ring->rec = vzalloc_node(array_size(pmg_ring_size,
						    sizeof(*ring->rec)),
					 cpu_to_node(cpu));
		if (!ring->rec)
			goto fail;
	}
	return pmg_summary_init();
fail:
	pr_err("cannot allocate the finding rings\n");
	pmg_report_exit();
	return -ENOMEM;
}

/*
 * Called once the probes are gone: no producer is left. Waits for queued
 * kicks and work, then delivers what is still in the rings, the pending
 * list and the summary tables (or logs it), and drops every reference
 * the records hold.
 */
void pmg_report_exit(void)
{
	struct pmg_notice *n, *tmp;
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&pmg_rings, cpu)->kick);
	irq_work_sync(&pmg_summary_kick);
	if (pmg_wq) {
		WRITE_ONCE(pmg_stopping, true);
		/* Waits for a running worker, even one that requeues itself. */
		cancel_delayed_work_sync(&pmg_work);
		cancel_delayed_work_sync(&pmg_summary_work);
		flush_workqueue(pmg_wq);
		if (pmg_exe_buf && pmg_root_buf && pmg_path_buf &&
		    pmg_summary_buf && pmg_pending && pmg_kept) {
			pmg_pass(true);
			pmg_deliver_summaries(false);
			/* What the listeners could not take: to the log. */
			pmg_deliver_summaries(true);
		}
		spin_lock(&pmg_notices_lock);
		pmg_notices_closed = true;
		spin_unlock(&pmg_notices_lock);
		cancel_delayed_work_sync(&pmg_work);
		destroy_workqueue(pmg_wq);
		pmg_wq = NULL;
	}
	list_for_each_entry_safe(n, tmp, &pmg_notices, node) {
		list_del(&n->node);
		pmg_report_notice_free(n);
	}
	pmg_summary_exit();
	for_each_possible_cpu(cpu) {
		struct pmg_ring *ring = per_cpu_ptr(&pmg_rings, cpu);

		vfree(ring->rec);
		ring->rec = NULL;
	}
	kfree(pmg_exe_buf);
	kfree(pmg_root_buf);
	kfree(pmg_path_buf);
	kvfree(pmg_summary_buf);
	kvfree(pmg_pending);
	kvfree(pmg_kept);
	pmg_kept = NULL;
	pmg_exe_buf = NULL;
	pmg_root_buf = NULL;
	pmg_path_buf = NULL;
	pmg_summary_buf = NULL;
	pmg_pending = NULL;
}
