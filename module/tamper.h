/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tamper.h - whether the probes fire, and making them hard to switch off
 * while the policy is locked.
 */
#ifndef _PMG_TAMPER_H
#define _PMG_TAMPER_H

#include <linux/types.h>

int pmg_tamper_init(void);
void pmg_tamper_exit(void);

/* Process context: the policy was locked; refuse ftrace_enabled=0. */
void pmg_tamper_lock(void);

/* Whether the probes fired at the last self-test. */
bool pmg_tamper_armed(void);

#endif /* _PMG_TAMPER_H */
