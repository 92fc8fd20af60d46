/* SPDX-License-Identifier: GPL-2.0 */
/* ratelimit.h - findings per second per (accessor, target) pair. */
#ifndef _PMG_RATELIMIT_MOD_H
#define _PMG_RATELIMIT_MOD_H

#include <linux/types.h>

int pmg_rate_init(void);
void pmg_rate_exit(void);

/*
 * Probe context: true if n findings of the pair may go at rate findings
 * per second (0: no limit) with burst. *suppressed returns (and resets) the
 * pair's count of findings suppressed since its last finding that went.
 */
bool pmg_rate_admit(unsigned int rate, unsigned int burst, u32 acc, u32 tgt,
		    unsigned int n, u32 *suppressed);

#endif /* _PMG_RATELIMIT_MOD_H */
