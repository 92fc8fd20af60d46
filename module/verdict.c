// SPDX-License-Identifier: GPL-2.0
/*
 * verdict.c - what the policy says of an access, and what becomes of its
 * findings. Every probe fills a record, asks pmg_verdict_decide(), applies
 * a refusal its own way, and hands the record to pmg_verdict_finish().
 *
 * One access is one finding per kind it has (a read-write open is two):
 * each kind the policy watches is a match; an allow rule makes it
 * "allowed" (reported only with report_allowed); a refused access is
 * reported whole, every watched kind blocked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/rcupdate.h>
#include "policy.h"
#include "procmem_guard.h"
#include "ratelimit.h"
#include "report.h"
#include "stats.h"
#include "verdict.h"

bool pmg_verdict_decide(struct pmg_record *rec, struct pmg_verdict *v)
{
	const struct pmg_policy *p = rcu_dereference(pmg_policy);
	struct pmg_subject subj = {
		.exe_key = rec->exe ? (unsigned long)file_inode(rec->exe) : 0,
		.euid = rec->euid,
		.cgroup_id = rec->cgroup_id,
		.self = rec->self,
		.channel = rec->channel,
	};
	unsigned int i;

	memset(v, 0, sizeof(*v));
	if (!p) {
		pmg_record_put(rec);
		return false;
	}
	for (i = 0; i < PMG_NACCESS; i++) {
		u8 bit = BIT(i);

		if (!(rec->access & bit) || p->s.mode[i] == PMG_MODE_OFF)
			continue;
		v->watched |= bit;
		if (pmg_policy_allows(p, &subj, bit)) {
			rec->action[i] = PMG_ACTION_ALLOW;
			if (p->s.report_allowed)
				rec->report |= bit;
			else
				v->silent++;
			continue;
		}
		rec->action[i] = PMG_ACTION_ALERT;
		rec->report |= bit;
		if (p->s.mode[i] == PMG_MODE_BLOCK)
			v->refuse = true;
	}
	return true;
}

void pmg_verdict_finish(struct pmg_record *rec, const struct pmg_verdict *v,
			bool blocked, struct file *file)
{
	const struct pmg_policy *p;
	unsigned int silent = v->silent, i;
	bool admit = true;

	if (blocked) {
		/* Refused as a whole: every watched kind is blocked. */
		for (i = 0; i < PMG_NACCESS; i++)
			if (v->watched & BIT(i))
				rec->action[i] = PMG_ACTION_BLOCK;
		rec->report = v->watched;
		rec->outcome = PMG_OUTCOME_BLOCKED;
		silent = 0;
		pmg_stat_add(PMG_S_BLOCKED, hweight8(v->watched));
	}
	pmg_stat_add(PMG_S_MATCHES, hweight8(v->watched));
	pmg_stat_add(PMG_S_ALLOWED, silent);
	if (rec->report) {
		rcu_read_lock();
		p = rcu_dereference(pmg_policy);
		if (p)
			admit = pmg_rate_admit(p->s.ratelimit, p->s.burst,
					       rec->pid, rec->tpid,
					       hweight8(rec->report),
					       &rec->suppressed);
		rcu_read_unlock();
		if (!admit) {
			pmg_stat_add(PMG_S_SUPPRESSED, hweight8(rec->report));
			pmg_report_summarize(rec, PMG_REASON_RATE_LIMIT);
			rec->report = 0;
		}
	}
	if (!rec->report)
		pmg_record_put(rec);
	else
		pmg_report_submit(rec, file);
}
