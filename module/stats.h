/* SPDX-License-Identifier: GPL-2.0 */
/* stats.h - per-CPU counters, indexed by enum pmg_stat_attr. */
#ifndef _PMG_STATS_H
#define _PMG_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include "procmem_guard.h"

struct pmg_stats {
	u64 c[__PMG_S_MAX];
};

DECLARE_PER_CPU(struct pmg_stats, pmg_stats);

/* Safe in any context: one per-CPU add. */
static inline void pmg_stat_add(enum pmg_stat_attr s, u64 n)
{
	this_cpu_add(pmg_stats.c[s], n);
}

void pmg_stats_read(struct pmg_stats *out);
void pmg_stats_reset(void);

#endif /* _PMG_STATS_H */
