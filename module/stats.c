// SPDX-License-Identifier: GPL-2.0
/* stats.c - per-CPU counters and their sum. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/string.h>
#include "stats.h"

DEFINE_PER_CPU(struct pmg_stats, pmg_stats);

/* Sums every CPU's counters. Reads may race with adds: each sum is exact
 * for the moment its CPU was read.
 */
void pmg_stats_read(struct pmg_stats *out)
{
	int cpu, i;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct pmg_stats *s = per_cpu_ptr(&pmg_stats, cpu);

		for (i = 0; i < __PMG_S_MAX; i++)
			out->c[i] += READ_ONCE(s->c[i]);
	}
}

/* Zeroes the counters; only called at load, before the probe exists. */
void pmg_stats_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&pmg_stats, cpu), 0, sizeof(struct pmg_stats));
}
