// SPDX-License-Identifier: GPL-2.0
/*
 * summary.c - findings that were not sent one by one.
 *
 * A finding is dropped when its CPU's ring, or its user's share of it, is
 * full, and suppressed by the rate limit or the kernel log's limit. Each
 * is counted where it happened and, here, in a summary: one entry per
 * (user, executable, target, reason) in a small table per CPU, holding the
 * count per access kind, the first and last time, and the last accessor's
 * context. The worker takes the tables about once a second and delivers
 * each entry as a summary finding.
 *
 * So that one user's flood cannot push another's out, a user holds at most
 * PMG_SUMMARY_PER_UID entries; beyond that its findings go to its own
 * entry per channel with process, executable and target left out
 * ("various"). The user is the one whose task made the call (struct
 * pmg_record's cuid): for PTRACE_TRACEME the tracee, not the tracer the
 * finding names, so that a user's calls never use another's entries.
 * The table's last entries, one per channel, are kept for everything
 * that finds the table full: they name neither accessor nor target, only
 * how many (counted in summary_overflow).
 *
 * The tables are written in probe context (preemption off) and by the
 * worker (the kernel log's limit), and emptied by the worker: each has a
 * raw spinlock (it never sleeps, also on PREEMPT_RT), held for a table
 * scan at most.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "procmem_guard.h"
#include "stats.h"
#include "summary.h"

#define PMG_SUMMARY_PER_UID	4
#define PMG_SUMMARY_CHANNELS	4	/* enum pmg_channel: 1 to 4 */
/* The last entries are the overflow ones, one per channel. */
#define PMG_SUMMARY_NAMED	(PMG_SUMMARY_ENTRIES - PMG_SUMMARY_CHANNELS)

struct pmg_summary_table {
	raw_spinlock_t lock;
	unsigned int n;		/* named entries in use */
	u8 overflow;		/* bits: the overflow entries in use */
	struct pmg_summary e[PMG_SUMMARY_ENTRIES];
};

static struct pmg_summary_table __percpu *pmg_summaries;

/* What an entry is kept under. */
static bool pmg_summary_is(const struct pmg_summary *e,
			   const struct pmg_record *rec, u8 reason,
			   bool various)
{
	if (e->reason != reason || e->rec.cuid != rec->cuid ||
	    e->various != various || e->rec.channel != rec->channel)
		return false;
	return various || (e->rec.tpid == rec->tpid &&
			   (e->rec.exe ? file_inode(e->rec.exe) : NULL) ==
			   (rec->exe ? file_inode(rec->exe) : NULL));
}

/* The latest accessor's context, keeping the entry's own references. */
static void pmg_summary_note(struct pmg_summary *e,
			     const struct pmg_record *rec, u8 bits)
{
	struct file *exe = e->rec.exe;
	unsigned int i;

	e->rec = *rec;
	e->rec.exe = exe;
	e->rec.mnt = NULL;
	e->rec.file = NULL;
	e->rec.mntns_ref = NULL;
	if (e->various) {
		/* A user's many accesses: that user, no process. */
		e->rec.tpid = 0;
		e->rec.ttid = 0;
		e->rec.tvpid = 0;
		e->rec.tvtid = 0;
		e->rec.tcomm[0] = '\0';
		e->rec.pid = 0;
		e->rec.tid = 0;
		e->rec.ppid = 0;
		e->rec.vpid = 0;
		e->rec.vtid = 0;
		e->rec.vppid = 0;
		e->rec.comm[0] = '\0';
		e->rec.uid = rec->cuid;
		e->rec.euid = rec->cuid;
		e->rec.gid = (u32)-1;
	}
	for (i = 0; i < ARRAY_SIZE(e->count); i++)
		if (bits & BIT(i))
			e->count[i]++;
	e->last_ns = rec->time_ns;
}

/* The overflow entry names nobody. */
static void pmg_summary_anonymous(struct pmg_summary *e)
{
	e->rec.euid = (u32)-1;
	e->rec.uid = (u32)-1;
	e->rec.pid = 0;
	e->rec.tid = 0;
	e->rec.comm[0] = '\0';
}

static void pmg_summary_start(struct pmg_summary *e,
			      const struct pmg_record *rec, u8 reason,
			      bool various, bool keep_exe)
{
	memset(e, 0, sizeof(*e));
	e->reason = reason;
	e->various = various;
	e->first_ns = rec->time_ns;
	if (keep_exe && rec->exe) {
		get_file(rec->exe);
		e->rec.exe = rec->exe;
	}
}

/* The overflow entry of a channel, and its bit in overflow. */
static unsigned int pmg_overflow_index(u8 channel)
{
	if (channel < 1 || channel > PMG_SUMMARY_CHANNELS)
		channel = PMG_CHANNEL_PROC_MEM;
	return channel - 1;
}

/*
 * The overflow entry of rec's channel, started if it was not in use: it
 * names neither accessor nor target (pmg_summary_add() makes it so again
 * after each pmg_summary_note()).
 */
static struct pmg_summary *pmg_overflow(struct pmg_summary_table *t,
					const struct pmg_record *rec,
					u8 reason)
{
	unsigned int i = pmg_overflow_index(rec->channel);
	struct pmg_summary *e = &t->e[PMG_SUMMARY_NAMED + i];

	if (!(t->overflow & BIT(i))) {
		pmg_summary_start(e, rec, reason, true, false);
		e->rec.channel = rec->channel;
		pmg_summary_anonymous(e);
		t->overflow |= BIT(i);
	}
	return e;
}

bool pmg_summary_add(const struct pmg_record *rec, u8 bits, u8 reason)
{
	struct pmg_summary_table *t;
	struct pmg_summary *e = NULL;
	unsigned int i, mine = 0;
	unsigned long flags;
	bool was_empty;

	if (!bits)
		bits = rec->report;
	t = get_cpu_ptr(pmg_summaries);
	raw_spin_lock_irqsave(&t->lock, flags);
	was_empty = !t->n && !t->overflow;
	for (i = 0; i < t->n; i++) {
		if (t->e[i].rec.cuid == rec->cuid)
			mine++;
		if (pmg_summary_is(&t->e[i], rec, reason, false)) {
			e = &t->e[i];
			break;
		}
	}
	if (!e && mine >= PMG_SUMMARY_PER_UID) {
		/* This user has its share: its "various" entry. */
		for (i = 0; i < t->n && !e; i++)
			if (pmg_summary_is(&t->e[i], rec, reason, true))
				e = &t->e[i];
		if (!e && t->n < PMG_SUMMARY_NAMED) {
			e = &t->e[t->n++];
			pmg_summary_start(e, rec, reason, true, false);
		}
	} else if (!e && t->n < PMG_SUMMARY_NAMED) {
		e = &t->e[t->n++];
		pmg_summary_start(e, rec, reason, false, true);
	}
	if (!e) {
		/* Full: counted, with neither accessor nor target. */
		e = pmg_overflow(t, rec, reason);
		pmg_stat_add(PMG_S_SUMMARY_OVERFLOW, hweight8(bits));
	}
	pmg_summary_note(e, rec, bits);
	if (e >= &t->e[PMG_SUMMARY_NAMED])
		pmg_summary_anonymous(e);
	raw_spin_unlock_irqrestore(&t->lock, flags);
	put_cpu_ptr(pmg_summaries);
	return was_empty;
}

void pmg_summary_readd(const struct pmg_summary *s)
{
	struct pmg_summary_table *t;
	struct pmg_summary *e = NULL;
	unsigned long flags;
	unsigned int i, k;

	t = get_cpu_ptr(pmg_summaries);
	raw_spin_lock_irqsave(&t->lock, flags);
	for (i = 0; i < t->n && !e; i++)
		if (pmg_summary_is(&t->e[i], &s->rec, s->reason, s->various))
			e = &t->e[i];
	if (!e && t->n < PMG_SUMMARY_NAMED) {
		e = &t->e[t->n++];
		*e = *s;
		if (e->rec.exe)
			get_file(e->rec.exe);
		memset(e->count, 0, sizeof(e->count));
	} else if (!e) {
		e = pmg_overflow(t, &s->rec, s->reason);
		for (k = 0; k < ARRAY_SIZE(s->count); k++)
			pmg_stat_add(PMG_S_SUMMARY_OVERFLOW, s->count[k]);
	}
	for (k = 0; k < ARRAY_SIZE(s->count); k++)
		e->count[k] += s->count[k];
	e->first_ns = min(e->first_ns, s->first_ns);
	e->last_ns = max(e->last_ns, s->last_ns);
	raw_spin_unlock_irqrestore(&t->lock, flags);
	put_cpu_ptr(pmg_summaries);
}

unsigned int pmg_summary_take(struct pmg_summary *out, unsigned int max)
{
	unsigned int n = 0, i, k;
	unsigned long flags;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pmg_summary_table *t = per_cpu_ptr(pmg_summaries, cpu);

		raw_spin_lock_irqsave(&t->lock, flags);
		for (i = 0; i < t->n && n < max; i++)
			out[n++] = t->e[i];
		for (k = 0; k < PMG_SUMMARY_CHANNELS && n < max; k++) {
			if (!(t->overflow & BIT(k)))
				continue;
			out[n++] = t->e[PMG_SUMMARY_NAMED + k];
			t->overflow &= ~BIT(k);
		}
		/* What did not fit stays for the next time. */
		memmove(t->e, t->e + i, (t->n - i) * sizeof(t->e[0]));
		t->n -= i;
		raw_spin_unlock_irqrestore(&t->lock, flags);
	}
	return n;
}

int pmg_summary_init(void)
{
	int cpu;

	pmg_summaries = alloc_percpu(struct pmg_summary_table);
	if (!pmg_summaries)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct pmg_summary_table *t = per_cpu_ptr(pmg_summaries, cpu);

		raw_spin_lock_init(&t->lock);
		t->n = 0;
		t->overflow = 0;
	}
	return 0;
}

/* After the probes and the worker are gone: drops what is left. */
void pmg_summary_exit(void)
{
	int cpu;
	unsigned int i;

	if (!pmg_summaries)
		return;
	for_each_possible_cpu(cpu) {
		struct pmg_summary_table *t = per_cpu_ptr(pmg_summaries, cpu);

		for (i = 0; i < t->n; i++)
			pmg_record_put(&t->e[i].rec);
		t->n = 0;
		t->overflow = 0;
	}
	free_percpu(pmg_summaries);
	pmg_summaries = NULL;
}
