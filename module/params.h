/* SPDX-License-Identifier: GPL-2.0 */
/*
 * params.h - every module parameter, in one place.
 *
 * The policy parameters (read, write, attach, ratelimit, burst,
 * report_allowed, log) are read once at load to build the first policy; from then on the
 * policy keeps them equal to what is in force, so that
 * /sys/module/procmem_guard/parameters/ shows the live values. They are
 * read-only there: at run time the policy changes through netlink, where
 * the lock applies.
 */
#ifndef _PMG_PARAMS_H
#define _PMG_PARAMS_H

#include <linux/types.h>

#define PMG_RATE_MAX		1000000U	/* findings per second */
#define PMG_BURST_MAX		100000U
#define PMG_DEFAULT_RATE	10		/* findings per second per pair */
#define PMG_DEFAULT_BURST	20

extern u8 pmg_param_mode[3];		/* enum pmg_mode: read, write, attach */
extern unsigned int pmg_param_ratelimit;	/* per second, 0: off */
extern unsigned int pmg_param_burst;
extern bool pmg_param_report_allowed;
extern bool pmg_param_log;
extern bool pmg_param_lock;		/* load only */
extern unsigned int pmg_param_rate_entries;	/* load only */
extern unsigned int pmg_param_ring_records;	/* load only */

#endif /* _PMG_PARAMS_H */
