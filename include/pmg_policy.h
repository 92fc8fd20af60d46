/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg_policy.h - procmem-guard's allow rules and the lock's "does this
 * change only tighten?" check.
 *
 * Pure C with no includes: compiled into the kernel module (which keeps
 * the policy under RCU) and into the userspace unit tests.
 */
#ifndef _PMG_POLICY_CORE_H
#define _PMG_POLICY_CORE_H

#ifndef NULL
#define NULL ((void *)0)
#endif

/* Which selectors a rule uses. */
#define PMG_RULE_EXE		0x01U
#define PMG_RULE_UID		0x02U
#define PMG_RULE_CGROUP		0x04U
#define PMG_RULE_SELF		0x08U
#define PMG_RULE_ACCESS		0x10U
#define PMG_RULE_CHANNEL	0x20U

/* Access bits (enum pmg_access of the uapi header). */
#define PMG_RULE_READ		1U
#define PMG_RULE_WRITE		2U
#define PMG_RULE_ATTACH		4U
#define PMG_RULE_ACCESS_ALL	7U
/* Channel bits: 1 << enum pmg_channel (1..4). */
#define PMG_RULE_CHANNEL_ALL	0x1eU

struct pmg_allow_rule {
	unsigned int id;
	unsigned int fields;		/* PMG_RULE_* */
	unsigned long exe_key;		/* identity of the executable: the
					 * module uses its inode's address
					 */
	void *exe_ref;			/* the module's reference to it */
	unsigned int exe_dev;		/* for display only */
	unsigned long long exe_ino;	/* for display only */
	unsigned int uid;		/* effective uid, initial user ns */
	unsigned long long cgroup_id;
	unsigned int access;		/* access bits covered; all if unset */
	unsigned int channels;		/* channel bits covered; all if unset */
};

/* The settings of a policy (enum pmg_mode values in mode[]). */
struct pmg_settings {
	unsigned char mode[3];		/* read, write, attach */
	unsigned int ratelimit;		/* findings per second per pair, 0: off */
	unsigned int burst;
	unsigned char report_allowed;
	unsigned char log;
};

/* What the probe asks the rules about one access. */
struct pmg_subject {
	unsigned long exe_key;		/* 0: no executable */
	unsigned int euid;
	unsigned long long cgroup_id;
	unsigned int self;
	unsigned int channel;		/* enum pmg_channel */
};

/* NULL if the rule can be added, else why not (a string literal). */
static inline const char *pmg_rule_invalid(const struct pmg_allow_rule *r)
{
	if (!(r->fields & ~PMG_RULE_ACCESS))
		return "an allow rule needs exe, uid, cgroup or self";
	if ((r->fields & PMG_RULE_ACCESS) &&
	    (!r->access || (r->access & ~PMG_RULE_ACCESS_ALL)))
		return "an allow rule's access must be read, write, attach or a mix";
	if ((r->fields & PMG_RULE_CHANNEL) &&
	    (!r->channels || (r->channels & ~PMG_RULE_CHANNEL_ALL)))
		return "an allow rule's channels: proc-mem, process-vm, ptrace, pidfd-getfd";
	if ((r->fields & PMG_RULE_EXE) && !r->exe_key)
		return "an exe rule needs the executable";
	return NULL;
}

static inline int pmg_rule_matches(const struct pmg_allow_rule *r,
				   const struct pmg_subject *s,
				   unsigned int bit)
{
	if ((r->fields & PMG_RULE_EXE) &&
	    (!s->exe_key || r->exe_key != s->exe_key))
		return 0;
	if ((r->fields & PMG_RULE_UID) && r->uid != s->euid)
		return 0;
	if ((r->fields & PMG_RULE_CGROUP) && r->cgroup_id != s->cgroup_id)
		return 0;
	if ((r->fields & PMG_RULE_SELF) && !s->self)
		return 0;
	if ((r->fields & PMG_RULE_ACCESS) && !(r->access & bit))
		return 0;
	if ((r->fields & PMG_RULE_CHANNEL) &&
	    !(r->channels & (1U << s->channel)))
		return 0;
	return 1;
}

/* Same selectors and values (the id aside). */
static inline int pmg_rule_equal(const struct pmg_allow_rule *a,
				 const struct pmg_allow_rule *b)
{
	return a->fields == b->fields &&
	       (!(a->fields & PMG_RULE_EXE) || a->exe_key == b->exe_key) &&
	       (!(a->fields & PMG_RULE_UID) || a->uid == b->uid) &&
	       (!(a->fields & PMG_RULE_CGROUP) ||
		a->cgroup_id == b->cgroup_id) &&
	       (!(a->fields & PMG_RULE_ACCESS) || a->access == b->access) &&
	       (!(a->fields & PMG_RULE_CHANNEL) || a->channels == b->channels);
}

/*
 * Under the lock, a new policy may only be as strict or stricter: modes
 * only up (off < alert < block), the rate limit only raised or turned off,
 * report-allowed and logging never turned off, and allow rules only
 * removed. Returns NULL when new only tightens old, else why not.
 */
static inline const char *
pmg_policy_relaxes(const struct pmg_settings *old,
		   const struct pmg_allow_rule *old_rules, unsigned int old_n,
		   const struct pmg_settings *new,
		   const struct pmg_allow_rule *new_rules, unsigned int new_n)
{
	unsigned int i, j;

	if (new->mode[0] < old->mode[0] || new->mode[1] < old->mode[1] ||
	    new->mode[2] < old->mode[2])
		return "policy is locked: modes can only be tightened";
	if (!old->ratelimit && new->ratelimit)
		return "policy is locked: the rate limit cannot be turned back on";
	if (old->ratelimit && new->ratelimit &&
	    (new->ratelimit < old->ratelimit || new->burst < old->burst))
		return "policy is locked: the rate limit can only be raised or turned off";
	if (old->report_allowed && !new->report_allowed)
		return "policy is locked: report-allowed cannot be turned off";
	if (old->log && !new->log)
		return "policy is locked: logging cannot be turned off";
	for (i = 0; i < new_n; i++) {
		for (j = 0; j < old_n; j++)
			if (pmg_rule_equal(&new_rules[i], &old_rules[j]))
				break;
		if (j == old_n)
			return "policy is locked: allow rules can only be removed";
	}
	return NULL;
}

#endif /* _PMG_POLICY_CORE_H */
