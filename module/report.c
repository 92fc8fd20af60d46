// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - per-CPU rings, irq_work and the delivery worker.
 *
 * The probe fills a fixed-size record in its CPU's preallocated ring (no
 * allocation, no lock: each ring has one producer, the probe on that CPU
 * with preemption disabled, and one consumer, the module's worker) and
 * queues an irq_work, which queues the worker. The worker resolves what
 * needs a sleeping context (path names), then hands the findings to the
 * sink (multicast) or, with nobody listening, to the kernel log.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/irq_work.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include "finding.h"
#include "klog.h"
#include "report.h"
#include "sink.h"
#include "stats.h"

#define PMG_RING_SIZE	256	/* records per CPU, a power of two */
#define PMG_RING_MASK	(PMG_RING_SIZE - 1)
/*
 * Coalescing: a record that finds the worker idle for a while is delivered
 * at once. Under a sustained stream (the worker drained less than
 * PMG_BATCH_DELAY ago) the worker waits that long, so that one message
 * carries the findings of a few milliseconds rather than one or two (each
 * message costs an skb, a broadcast, a wakeup and a recvmsg() in the
 * listener); it runs at once when a ring is half full. Delivering sporadic
 * findings without delay also resolves their paths while the opener's mount
 * namespace most likely still exists.
 */
#define PMG_BATCH_DELAY	msecs_to_jiffies(4)
struct pmg_ring {
	unsigned int head;	/* written by the producer only */
	unsigned int tail;	/* written by the consumer only */
	struct irq_work kick;
	struct pmg_record *rec;	/* PMG_RING_SIZE records */
};

static DEFINE_PER_CPU(struct pmg_ring, pmg_rings);
static struct workqueue_struct *pmg_wq;
static struct delayed_work pmg_work;
static char *pmg_exe_buf;	/* PATH_MAX, used by the worker only */
static char *pmg_path_buf;	/* PATH_MAX, used by the worker only */
static u64 pmg_seq;		/* worker only */
static atomic_t pmg_unflushed;	/* records out of the rings, not yet sent */
static unsigned long pmg_last_drain;	/* jiffies, written by the worker */
static bool pmg_holding;		/* records held back for a pacer */
static bool pmg_stopping;		/* unload: the worker stops requeueing */

static unsigned int pmg_nfindings(const struct pmg_record *rec)
{
	return hweight8(rec->report);
}

void pmg_report_submit(struct pmg_record *rec, struct file *file)
{
	struct pmg_ring *ring = this_cpu_ptr(&pmg_rings);
	unsigned int head = ring->head;
	struct pmg_record *slot;
	/* Pairs with the worker's release of tail: the slot is free. */
	unsigned int tail = smp_load_acquire(&ring->tail);

	if (head - tail >= PMG_RING_SIZE) {
		pmg_stat_add(PMG_S_DROP_RING_FULL, pmg_nfindings(rec));
		pmg_record_put(rec);
		return;
	}
	slot = &ring->rec[head & PMG_RING_MASK];
	*slot = *rec;		/* the exe reference moves to the slot */
	slot->mnt = mntget(file->f_path.mnt);	/* a per-CPU add */
	/* Publish the filled slot; pairs with the worker's acquire of head. */
	smp_store_release(&ring->head, head + 1);
	/*
	 * A worker run already queued will see it: no kick (and no self-IPI)
	 * per record under a stream, unless the ring is half full and the
	 * worker must run now. Orders the head store before the pending test;
	 * the workqueue clears pending with a full barrier before the worker
	 * reads head, so one of the two sees the other.
	 */
	smp_mb();
	if (head + 1 - tail >= PMG_RING_SIZE / 2 ||
	    !delayed_work_pending(&pmg_work))
		irq_work_queue(&ring->kick);
}

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

/* Worker: "/<pid>/mem" style path from the procfs root. */
static void pmg_procfs_path(const struct pmg_chain *c, unsigned int from,
			    char *buf, size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = from; i < c->depth && off + c->len[i] + 2 < size; i++) {
		buf[off++] = '/';
		memcpy(buf + off, c->name[i], c->len[i]);
		off += c->len[i];
	}
	buf[off] = '\0';
}

/*
 * Worker: the mem file's path from the root of its mount namespace, built
 * from the mount's root (d_path, which may take locks here) and the names
 * below it that the probe copied. NULL when it cannot be had.
 */
static const char *pmg_mount_path(const struct pmg_record *rec, char *buf)
{
	struct path root = { .mnt = rec->mnt, .dentry = rec->mnt->mnt_root };
	const struct pmg_chain *c = &rec->chain;
	char tail[PMG_MATCH_DEPTH * (PMG_NAME_BYTES + 1) + 1];
	size_t tlen, plen;
	char *p;

	if (!c->complete)
		return NULL;
	pmg_procfs_path(c, c->depth - c->below_mnt, tail, sizeof(tail));
	tlen = strlen(tail);
	p = d_path(&root, buf, PATH_MAX - tlen);
	if (IS_ERR(p))
		return NULL;
	plen = strlen(p);
	if (plen == 1 && p[0] == '/')
		plen = 0;
	memmove(buf, p, plen);
	memcpy(buf + plen, tail, tlen + 1);
	if (!buf[0])
		strscpy(buf, "/", PATH_MAX);
	return buf;
}

static const char *pmg_exe_path(const struct pmg_record *rec, char *buf)
{
	char *p;

	if (!rec->exe)
		return NULL;
	p = d_path(&rec->exe->f_path, buf, PATH_MAX);
	return IS_ERR(p) ? NULL : p;
}

/* Worker: turns one record into its findings, into the batch or the log. */
static void pmg_deliver(struct pmg_record *rec, struct pmg_batch *b,
			bool listening)
{
	static const u32 sigs[] = { PMG_SIG_MEM_READ, PMG_SIG_MEM_WRITE };
	static const u8 bits[] = { PMG_ACCESS_READ, PMG_ACCESS_WRITE };
	char procfs_path[PMG_MATCH_DEPTH * (PMG_NAME_BYTES + 1) + 1];
	struct pmg_finding_ctx f = { .rec = rec };
	unsigned int i;

	pmg_procfs_path(&rec->chain, 0, procfs_path, sizeof(procfs_path));
	f.procfs_path = procfs_path;
	f.exe = pmg_exe_path(rec, pmg_exe_buf);
	f.path = pmg_mount_path(rec, pmg_path_buf);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		if (!(rec->report & bits[i]))
			continue;
		f.sig = sigs[i];
		f.action = rec->action[i];
		f.seq = ++pmg_seq;
		if (listening)
			pmg_sink_batch_add(b, &f);
		else
			pmg_klog_finding(&f);
	}
	pmg_record_put(rec);
}

/*
 * Delivers the queued records, as many as the sink's budget allows (all
 * with final); records held back stay in the rings. A slot is handed back
 * as soon as its record is in the batch; until the batch is multicast,
 * pmg_unflushed keeps it counted as in flight, so "inflight" reaches 0
 * only once every finding is in the listeners' sockets. Returns true if
 * records were left in the rings.
 */
static bool pmg_drain(bool listening, bool final)
{
	unsigned int budget = listening ? pmg_sink_budget(final) : UINT_MAX;
	bool left = false;
	struct pmg_batch b;
	int cpu;

	pmg_sink_batch_init(&b);
	for_each_possible_cpu(cpu) {
		struct pmg_ring *ring = per_cpu_ptr(&pmg_rings, cpu);
		unsigned int tail = ring->tail;
		/* Pairs with the probe's release: the slots are filled. */
		unsigned int head = smp_load_acquire(&ring->head);

		while (tail != head) {
			if (b.sent >= budget) {
				left = true;
				break;
			}
			pmg_deliver(&ring->rec[tail & PMG_RING_MASK], &b,
				    listening);
			atomic_inc(&pmg_unflushed);
			/* Hand the slot back: pairs with the probe's acquire
			 * of tail, and with pmg_report_inflight()'s.
			 */
			smp_store_release(&ring->tail, ++tail);
			cond_resched();
		}
	}
	pmg_sink_batch_flush(&b);
	atomic_set(&pmg_unflushed, 0);
	return left;
}

static void pmg_work_fn(struct work_struct *work)
{
	bool left = pmg_drain(pmg_sink_listening(), false);

	WRITE_ONCE(pmg_last_drain, jiffies);
	WRITE_ONCE(pmg_holding, left);
	/* Held back for a pacer: look again a tick later. */
	if (left && !READ_ONCE(pmg_stopping))
		queue_delayed_work(pmg_wq, &pmg_work, 1);
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
	if (READ_ONCE(ring->head) - READ_ONCE(ring->tail) >= PMG_RING_SIZE / 2) {
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

	/* First: pmg_report_exit() cancels it on every failure below. */
	INIT_DELAYED_WORK(&pmg_work, pmg_work_fn);
	pmg_exe_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	pmg_path_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	pmg_wq = alloc_ordered_workqueue("procmem_guard", 0);
	if (!pmg_exe_buf || !pmg_path_buf || !pmg_wq)
		goto fail;
	pmg_last_drain = jiffies - PMG_BATCH_DELAY - 1;
	pmg_holding = false;
	pmg_stopping = false;
	for_each_possible_cpu(cpu) {
		struct pmg_ring *ring = per_cpu_ptr(&pmg_rings, cpu);

		ring->head = 0;
		ring->tail = 0;
		init_irq_work(&ring->kick, pmg_kick_fn);
		ring->rec = vzalloc_node(PMG_RING_SIZE * sizeof(*ring->rec),
					 cpu_to_node(cpu));
		if (!ring->rec)
			goto fail;
	}
	return 0;
fail:
	pr_err("cannot allocate the finding rings\n");
	pmg_report_exit();
	return -ENOMEM;
}

/*
 * Called once the probes are gone: no producer is left. Waits for queued
 * kicks and work, then delivers what is still in the rings (or logs it) and
 * drops every reference the records hold.
 */
void pmg_report_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&pmg_rings, cpu)->kick);
	if (pmg_wq) {
		WRITE_ONCE(pmg_stopping, true);
		/* Waits for a running worker, even one that requeues itself. */
		cancel_delayed_work_sync(&pmg_work);
		flush_workqueue(pmg_wq);
		if (pmg_exe_buf && pmg_path_buf)
			pmg_drain(pmg_sink_listening(), true);
		destroy_workqueue(pmg_wq);
		pmg_wq = NULL;
	}
	for_each_possible_cpu(cpu) {
		struct pmg_ring *ring = per_cpu_ptr(&pmg_rings, cpu);

		vfree(ring->rec);
		ring->rec = NULL;
	}
	kfree(pmg_exe_buf);
	kfree(pmg_path_buf);
	pmg_exe_buf = NULL;
	pmg_path_buf = NULL;
}
