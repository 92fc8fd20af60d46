/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verdict.h - what the policy says of an access, and what becomes of its
 * findings: counted, queued, summarized. The same for every probe.
 */
#ifndef _PMG_VERDICT_H
#define _PMG_VERDICT_H

#include <linux/fs.h>
#include <linux/types.h>
#include "finding.h"

struct pmg_verdict {
	u8 watched;		/* access bits a mode other than off watches */
	bool refuse;		/* a block mode says no */
	unsigned int silent;	/* allowed findings not to report */
};

/*
 * Probe context, under rcu_read_lock(). Fills rec's actions and report
 * bits from the policy in force and says whether to refuse the access.
 * False if no policy is in force (nothing to do, rec released).
 */
bool pmg_verdict_decide(struct pmg_record *rec, struct pmg_verdict *v);

/*
 * Probe context. Counts rec's findings and queues them, or summarizes
 * those the rate limit holds back. blocked: the access was refused (its
 * outcome is then known); file: the mem file, for a mem open.
 */
void pmg_verdict_finish(struct pmg_record *rec, const struct pmg_verdict *v,
			bool blocked, struct file *file);

#endif /* _PMG_VERDICT_H */
