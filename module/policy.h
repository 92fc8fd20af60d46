/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - modes, allow rules, rate-limit settings and the lock.
 *
 * The policy is one immutable object published under RCU: the probes read
 * it without locks and never see a half-built one; a change builds a whole
 * new object, checks it, and swaps it in, or changes nothing. Requests come
 * in and answers go out as plain C structs; a refusal returns a negative
 * errno and, in *why, a string literal saying why.
 */
#ifndef _PMG_POLICY_H
#define _PMG_POLICY_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include "pmg_policy.h"

struct pmg_policy {
	struct rcu_work free_work;
	struct pmg_settings s;
	u32 next_id;
	u32 nrules;
	struct pmg_allow_rule rules[];
};

extern struct pmg_policy __rcu *pmg_policy;

/* Which settings a change sets (the others stay as they are). */
#define PMG_SET_READ		BIT(0)
#define PMG_SET_WRITE		BIT(1)
#define PMG_SET_RATELIMIT	BIT(2)
#define PMG_SET_BURST		BIT(3)
#define PMG_SET_REPORT_ALLOWED	BIT(4)
#define PMG_SET_LOG		BIT(5)
#define PMG_SET_ATTACH		BIT(6)

struct pmg_settings_change {
	u32 fields;		/* PMG_SET_* */
	struct pmg_settings v;
};

/* A rule as requested: its selectors, the executable by path. */
struct pmg_rule_request {
	struct pmg_allow_rule r;	/* exe_key and exe_ref unset */
	const char *exe_path;		/* NULL: no exe selector */
};

int pmg_policy_init(void);
void pmg_policy_exit(void);

/* Probe context, under rcu_read_lock(): is access kind 'bit' allowed? */
bool pmg_policy_allows(const struct pmg_policy *p,
		       const struct pmg_subject *s, u8 bit);

/* Whether a block mode is in force. */
bool pmg_policy_blocks(void);

/* Process context, may sleep. */
int pmg_policy_set(const struct pmg_settings_change *c, const char **why);
/* Adds a rule; its id in *id. The executable is resolved here, in the
 * caller's mount namespace and root.
 */
int pmg_policy_add_rule(const struct pmg_rule_request *req, u32 *id,
			const char **why);
int pmg_policy_del_rule(u32 id, const char **why);
/* The whole policy at once: settings c changes from the defaults, rules. */
int pmg_policy_replace(const struct pmg_settings_change *c,
		       const struct pmg_rule_request *rules, u32 n,
		       const char **why);
/* Locks until reboot (the module then stays loaded). */
int pmg_policy_lock(const char **why);
bool pmg_policy_locked(void);
void pmg_policy_read(struct pmg_settings *s, bool *locked, u32 *nrules);

/*
 * Calls fn for every rule, in order, with the path its executable was
 * given by (NULL if none) and whether that path now names another file
 * (looked up in the caller's mount namespace). Stops at fn's first
 * non-zero return and returns it.
 */
typedef int (*pmg_rule_fn_t)(const struct pmg_allow_rule *r,
			  const char *exe_path, bool stale, void *arg);
int pmg_policy_walk_rules(pmg_rule_fn_t fn, void *arg);

#endif /* _PMG_POLICY_H */
