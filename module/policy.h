/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - modes, allow rules, rate limits and the lock.
 *
 * The policy is one immutable object published under RCU: the probe reads
 * it without locks and never sees a half-built one; a change builds a whole
 * new object, checks it, and swaps it in, or changes nothing.
 */
#ifndef _PMG_POLICY_H
#define _PMG_POLICY_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/netlink.h>
#include "procmem_guard.h"

#define PMG_RATE_MAX		1000000U	/* findings per second */
#define PMG_BURST_MAX		100000U

/* Which selectors a rule uses. */
#define PMG_RULE_EXE		BIT(0)
#define PMG_RULE_UID		BIT(1)
#define PMG_RULE_CGROUP		BIT(2)
#define PMG_RULE_SELF		BIT(3)
#define PMG_RULE_ACCESS		BIT(4)

struct pmg_rule {
	u32 id;
	u32 fields;		/* PMG_RULE_* */
	u32 exe_dev;
	u64 exe_ino;
	u32 uid;		/* effective uid, initial user ns */
	u64 cgroup_id;
	u8 access;		/* enum pmg_access covered; all if unset */
};

struct pmg_policy {
	struct rcu_head rcu;
	u8 mode[2];		/* [0] read, [1] write: enum pmg_mode */
	u32 ratelimit;		/* findings per second per pair, 0 = off */
	u32 burst;
	bool report_allowed;
	u32 next_id;
	u32 nrules;
	struct pmg_rule rules[];
};

/* What the probe asks the policy about one open. */
struct pmg_subject {
	u32 exe_dev;
	u64 exe_ino;
	bool has_exe;
	u32 euid;
	u64 cgroup_id;
	bool self;
};

extern struct pmg_policy __rcu *pmg_policy;

int pmg_policy_init(void);
void pmg_policy_exit(void);

/* Probe context, under rcu_read_lock(): is access kind 'bit' allowed? */
bool pmg_policy_allows(const struct pmg_policy *p,
		       const struct pmg_subject *s, u8 bit);

/* Probe context: the rate limit; true if n findings of the pair may go.
 * *suppressed returns (and resets) the pair's count of findings
 * suppressed since its last finding that went.
 */
bool pmg_rate_admit(const struct pmg_policy *p, u32 acc, u32 tgt,
		    unsigned int n, u32 *suppressed);

/* Kprobe misses while a block mode was in force, an upper bound of the
 * opens that may have escaped denial.
 */
u64 pmg_policy_enforce_misses(void);

/* Netlink side (process context, may sleep). */
bool pmg_policy_locked(void);
int pmg_policy_put_config(struct sk_buff *skb);
int pmg_policy_put_rules(struct sk_buff *skb);
int pmg_policy_set_config(const struct nlattr *cfg,
			  struct netlink_ext_ack *extack);
int pmg_policy_add_rule(const struct nlattr *rule, u32 *id,
			struct netlink_ext_ack *extack);
int pmg_policy_del_rule(u32 id, struct netlink_ext_ack *extack);
int pmg_policy_apply(const struct nlattr *head, int len,
		     struct netlink_ext_ack *extack);
int pmg_policy_lock(struct netlink_ext_ack *extack);
void pmg_policy_lock_at_load(void);

#endif /* _PMG_POLICY_H */
