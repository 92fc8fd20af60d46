// SPDX-License-Identifier: GPL-2.0
/*
 * ratelimit.c - the rate limiter's table: a token bucket per (accessor
 * tgid, target tgid) pair in a fixed-size set-associative table (the
 * arithmetic is in include/pmg_ratelimit.h). Each set has a raw spinlock
 * (never sleeps, also on PREEMPT_RT) held for a few instructions; the clock
 * is read under it, so that a set's times never go backwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include "params.h"
#include "pmg_ratelimit.h"
#include "ratelimit.h"
#include "stats.h"

static struct pmg_rate_entry *pmg_rate_table;
static raw_spinlock_t *pmg_rate_locks;
static unsigned int pmg_rate_sets_bits;

bool pmg_rate_admit(unsigned int rate, unsigned int burst, u32 acc, u32 tgt,
		    unsigned int n, u32 *suppressed)
{
	unsigned int s = pmg_rate_set_of(acc, tgt, pmg_rate_sets_bits);
	unsigned long flags;
	int admit, evicted;

	*suppressed = 0;
	if (!rate)
		return true;
	raw_spin_lock_irqsave(&pmg_rate_locks[s], flags);
	admit = pmg_rate_set_admit(&pmg_rate_table[s * PMG_RATE_WAYS], acc,
				   tgt, ktime_get_mono_fast_ns(), rate, burst,
				   n, suppressed, &evicted);
	raw_spin_unlock_irqrestore(&pmg_rate_locks[s], flags);
	if (evicted)
		pmg_stat_add(PMG_S_RATE_EVICTIONS, 1);
	return admit;
}

int pmg_rate_init(void)
{
	unsigned int sets = pmg_param_rate_entries / PMG_RATE_WAYS, i;

	pmg_rate_sets_bits = ilog2(sets);
	pmg_rate_table = vzalloc(array_size(pmg_param_rate_entries,
					    sizeof(*pmg_rate_table)));
	pmg_rate_locks = kvmalloc_array(sets, sizeof(*pmg_rate_locks),
					GFP_KERNEL);
	if (!pmg_rate_table || !pmg_rate_locks) {
		pmg_rate_exit();
		return -ENOMEM;
	}
	for (i = 0; i < sets; i++)
		raw_spin_lock_init(&pmg_rate_locks[i]);
	return 0;
}

/* After the probe is gone. */
void pmg_rate_exit(void)
{
	vfree(pmg_rate_table);
	kvfree(pmg_rate_locks);
	pmg_rate_table = NULL;
	pmg_rate_locks = NULL;
}
