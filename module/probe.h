/* SPDX-License-Identifier: GPL-2.0 */
/* probe.h - the kprobe on security_file_open(). */
#ifndef _PMG_PROBE_H
#define _PMG_PROBE_H

#include <linux/types.h>

int pmg_probe_init(void);
void pmg_probe_exit(void);
unsigned long pmg_probe_nmissed(void);

/*
 * Enforcement misses: kprobe misses while a block mode was in force, an
 * upper bound of the opens that may have escaped denial. The control plane
 * says whether a block mode is in force after every policy change.
 */
void pmg_probe_set_blocking(bool blocking);
u64 pmg_probe_enforce_misses(void);

#endif /* _PMG_PROBE_H */
