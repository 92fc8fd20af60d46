// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - every probe, armed and disarmed together, and what their
 * misses mean: a miss while a block mode is in force is an access that may
 * have escaped its refusal (enforce_misses).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include "probe.h"
#include "probe_open.h"
#include "probe_ptrace.h"

static DEFINE_MUTEX(pmg_miss_lock);
static bool pmg_blocking;		/* under pmg_miss_lock */
static u64 pmg_miss_base, pmg_miss_acc;	/* under pmg_miss_lock */

int pmg_probe_init(void)
{
	int err = pmg_probe_ptrace_init();

	if (err)
		return err;
	err = pmg_probe_open_init();
	if (err)
		pmg_probe_ptrace_exit();
	return err;
}

void pmg_probe_exit(void)
{
	pmg_probe_open_exit();
	pmg_probe_ptrace_exit();
}

unsigned long pmg_probe_nmissed(void)
{
	return pmg_probe_open_nmissed() + pmg_probe_ptrace_nmissed();
}

void pmg_probe_set_blocking(bool blocking)
{
	u64 now = pmg_probe_nmissed();

	mutex_lock(&pmg_miss_lock);
	if (pmg_blocking && !blocking)
		pmg_miss_acc += now - pmg_miss_base;
	if (blocking && !pmg_blocking)
		pmg_miss_base = now;
	pmg_blocking = blocking;
	mutex_unlock(&pmg_miss_lock);
}

u64 pmg_probe_enforce_misses(void)
{
	u64 n;

	mutex_lock(&pmg_miss_lock);
	n = pmg_miss_acc;
	if (pmg_blocking)
		n += pmg_probe_nmissed() - pmg_miss_base;
	mutex_unlock(&pmg_miss_lock);
	return n;
}
