// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - modes, allow rules, per-pair rate limits and the lock.
 *
 * Writers (netlink requests, serialised by pmg_policy_mutex) build a new
 * struct pmg_policy, validate it whole, and publish it with
 * rcu_assign_pointer(); the old one is freed after a grace period. The
 * probe only ever sees a complete policy.
 *
 * Rate limits are a token bucket per (accessor tgid, target tgid) pair in a
 * fixed-size set-associative table; each set has a raw spinlock (never
 * sleeps, also on PREEMPT_RT) held for a few instructions. A pair new to the
 * table always gets its first finding through; evicting the least recently
 * used entry of a full set is counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include "params.h"
#include "policy.h"
#include "probe.h"
#include "stats.h"

#define PMG_RATE_WAYS		4
#define PMG_DEFAULT_RATE	10	/* findings per second per pair */
#define PMG_DEFAULT_BURST	20

struct pmg_policy __rcu *pmg_policy;
static DEFINE_MUTEX(pmg_policy_mutex);
static bool pmg_locked;
static u64 pmg_miss_base, pmg_miss_acc;	/* under pmg_policy_mutex */

/* Load-time values, validated by their parameter ops. */
static u8 pmg_load_mode[2] = { PMG_MODE_ALERT, PMG_MODE_ALERT };
static unsigned int pmg_load_rate = PMG_DEFAULT_RATE;
static unsigned int pmg_load_burst = PMG_DEFAULT_BURST;
static bool pmg_load_report_allowed;
static bool pmg_load_lock;
static unsigned int pmg_rate_entries = 1024;

static const char * const pmg_mode_names[] = {
	[PMG_MODE_OFF] = "off",
	[PMG_MODE_ALERT] = "alert",
	[PMG_MODE_BLOCK] = "block",
};

static int pmg_param_set_mode(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(pmg_mode_names, val);

	if (i < 0) {
		pr_err("%s=%s: expected off, alert or block\n", kp->name, val);
		return -EINVAL;
	}
	*(u8 *)kp->arg = i;
	return 0;
}

static int pmg_param_get_mode(char *buf, const struct kernel_param *kp)
{
	u8 *load = kp->arg;
	const struct pmg_policy *p;
	u8 mode;

	rcu_read_lock();
	p = rcu_dereference(pmg_policy);
	mode = p ? p->mode[load - pmg_load_mode] : *load;
	rcu_read_unlock();
	return sysfs_emit(buf, "%s\n", pmg_mode_names[mode]);
}

static const struct kernel_param_ops pmg_mode_ops = {
	.set = pmg_param_set_mode,
	.get = pmg_param_get_mode,
};

module_param_cb(read, &pmg_mode_ops, &pmg_load_mode[0], 0444);
MODULE_PARM_DESC(read, "Read opens of mem files: off, alert (default) or block");
module_param_cb(write, &pmg_mode_ops, &pmg_load_mode[1], 0444);
MODULE_PARM_DESC(write, "Write opens of mem files: off, alert (default) or block");

/* "N", "N/s" or "off" (0). */
static int pmg_parse_rate(const char *val, unsigned int *rate)
{
	char buf[24];
	size_t len;

	if (sysfs_streq(val, "off")) {
		*rate = 0;
		return 0;
	}
	len = strscpy(buf, val, sizeof(buf)) < 0 ? 0 : strlen(buf);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len > 2 && !strcmp(buf + len - 2, "/s"))
		buf[len - 2] = '\0';
	if (kstrtouint(buf, 10, rate) || *rate > PMG_RATE_MAX)
		return -EINVAL;
	return 0;
}

static int pmg_param_set_rate(const char *val, const struct kernel_param *kp)
{
	if (pmg_parse_rate(val, kp->arg)) {
		pr_err("ratelimit=%s: expected N/s with N up to %u, or off\n",
		       val, PMG_RATE_MAX);
		return -EINVAL;
	}
	return 0;
}

static int pmg_param_get_rate(char *buf, const struct kernel_param *kp)
{
	const struct pmg_policy *p;
	unsigned int rate;

	rcu_read_lock();
	p = rcu_dereference(pmg_policy);
	rate = p ? p->ratelimit : pmg_load_rate;
	rcu_read_unlock();
	return rate ? sysfs_emit(buf, "%u/s\n", rate) : sysfs_emit(buf, "off\n");
}

static const struct kernel_param_ops pmg_rate_ops = {
	.set = pmg_param_set_rate,
	.get = pmg_param_get_rate,
};

module_param_cb(ratelimit, &pmg_rate_ops, &pmg_load_rate, 0444);
MODULE_PARM_DESC(ratelimit, "Findings per second per (accessor, target) pair: N/s or off (default: 10/s)");

/* An unsigned parameter in [min, max], a power of two if pow2. */
struct pmg_uint_param {
	unsigned int *val;
	unsigned int min, max;
	bool pow2;
};

static int pmg_param_set_uint(const char *val, const struct kernel_param *kp)
{
	const struct pmg_uint_param *p = kp->arg;
	unsigned int v;

	if (kstrtouint(val, 10, &v) || v < p->min || v > p->max ||
	    (p->pow2 && !is_power_of_2(v))) {
		pr_err("%s=%s: expected %s%u to %u\n", kp->name, val,
		       p->pow2 ? "a power of two from " : "", p->min, p->max);
		return -EINVAL;
	}
	*p->val = v;
	return 0;
}

static int pmg_param_get_uint(char *buf, const struct kernel_param *kp)
{
	const struct pmg_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", *p->val);
}

static const struct kernel_param_ops pmg_uint_ops = {
	.set = pmg_param_set_uint,
	.get = pmg_param_get_uint,
};

static struct pmg_uint_param pmg_burst_param = {
	&pmg_load_burst, 1, PMG_BURST_MAX, false
};

module_param_cb(burst, &pmg_uint_ops, &pmg_burst_param, 0444);
MODULE_PARM_DESC(burst, "Findings a pair may send at once before the rate applies (default: 20)");

module_param_named(report_allowed, pmg_load_report_allowed, bool, 0444);
MODULE_PARM_DESC(report_allowed, "Also report accesses an allow rule covers, as action allow (default: off)");

module_param_named(lock, pmg_load_lock, bool, 0444);
MODULE_PARM_DESC(lock, "Lock the policy at load: it can only be tightened, and the module cannot be unloaded until reboot (default: off)");

static struct pmg_uint_param pmg_entries_param = {
	&pmg_rate_entries, 64, 65536, true
};

module_param_cb(rate_entries, &pmg_uint_ops, &pmg_entries_param, 0444);
MODULE_PARM_DESC(rate_entries, "Size of the rate-limit table, in pairs (power of two, 64-65536, default: 1024)");

/* ---- rate limiting (probe context) ---- */

struct pmg_rate_entry {
	u32 acc, tgt;
	u64 tokens;		/* credit in ns; a finding costs 1 s / rate */
	u64 last;		/* ktime_get_mono_fast_ns() of the last use */
	u32 suppressed;
	bool used;
};

static struct pmg_rate_entry *pmg_rate_table;
static raw_spinlock_t *pmg_rate_locks;
static unsigned int pmg_rate_sets_bits;

static u64 pmg_rate_cost(const struct pmg_policy *p)
{
	return div_u64(NSEC_PER_SEC, p->ratelimit);
}

bool pmg_rate_admit(const struct pmg_policy *p, u32 acc, u32 tgt,
		    unsigned int n, u32 *suppressed)
{
	u64 now = ktime_get_mono_fast_ns(), cost, cap;
	struct pmg_rate_entry *set, *e = NULL, *victim = NULL;
	unsigned int s, i;
	unsigned long flags;
	bool admit;

	*suppressed = 0;
	if (!p->ratelimit)
		return true;
	cost = pmg_rate_cost(p);
	cap = cost * p->burst;
	s = hash_32(acc ^ hash_32(tgt, 32), pmg_rate_sets_bits);
	set = &pmg_rate_table[s * PMG_RATE_WAYS];

	raw_spin_lock_irqsave(&pmg_rate_locks[s], flags);
	for (i = 0; i < PMG_RATE_WAYS; i++) {
		if (set[i].used && set[i].acc == acc && set[i].tgt == tgt) {
			e = &set[i];
			break;
		}
		if (!victim || !set[i].used ||
		    (victim->used && set[i].last < victim->last))
			victim = &set[i];
	}
	if (!e) {
		/* A new pair: its first finding always goes. */
		if (victim->used)
			pmg_stat_add(PMG_S_RATE_EVICTIONS, 1);
		e = victim;
		e->acc = acc;
		e->tgt = tgt;
		e->used = true;
		e->suppressed = 0;
		e->tokens = cap > n * cost ? cap - n * cost : 0;
		e->last = now;
		admit = true;
	} else {
		e->tokens = min(cap, e->tokens + (now - e->last));
		e->last = now;
		admit = e->tokens >= n * cost;
		if (admit) {
			e->tokens -= n * cost;
			*suppressed = e->suppressed;
			e->suppressed = 0;
		} else {
			e->suppressed += n;
		}
	}
	raw_spin_unlock_irqrestore(&pmg_rate_locks[s], flags);
	return admit;
}

/* ---- allow rules (probe context) ---- */

static bool pmg_rule_matches(const struct pmg_rule *r,
			     const struct pmg_subject *s, u8 bit)
{
	if ((r->fields & PMG_RULE_EXE) &&
	    (!s->has_exe || r->exe_dev != s->exe_dev || r->exe_ino != s->exe_ino))
		return false;
	if ((r->fields & PMG_RULE_UID) && r->uid != s->euid)
		return false;
	if ((r->fields & PMG_RULE_CGROUP) && r->cgroup_id != s->cgroup_id)
		return false;
	if ((r->fields & PMG_RULE_SELF) && !s->self)
		return false;
	if ((r->fields & PMG_RULE_ACCESS) && !(r->access & bit))
		return false;
	return true;
}

bool pmg_policy_allows(const struct pmg_policy *p,
		       const struct pmg_subject *s, u8 bit)
{
	u32 i;

	for (i = 0; i < p->nrules; i++)
		if (pmg_rule_matches(&p->rules[i], s, bit))
			return true;
	return false;
}

/* ---- building and swapping policies (process context) ---- */

static bool pmg_blocks(const struct pmg_policy *p)
{
	return p->mode[0] == PMG_MODE_BLOCK || p->mode[1] == PMG_MODE_BLOCK;
}

static struct pmg_policy *pmg_policy_alloc(u32 nrules)
{
	return kzalloc(struct_size_t(struct pmg_policy, rules, nrules),
		       GFP_KERNEL);
}

static struct pmg_policy *pmg_policy_copy(const struct pmg_policy *old,
					  u32 nrules)
{
	struct pmg_policy *p = pmg_policy_alloc(nrules);

	if (!p)
		return NULL;
	p->mode[0] = old->mode[0];
	p->mode[1] = old->mode[1];
	p->ratelimit = old->ratelimit;
	p->burst = old->burst;
	p->report_allowed = old->report_allowed;
	p->next_id = old->next_id;
	p->nrules = min(old->nrules, nrules);
	memcpy(p->rules, old->rules, p->nrules * sizeof(p->rules[0]));
	return p;
}

static const struct pmg_policy *pmg_current(void)
{
	return rcu_dereference_protected(pmg_policy,
					 lockdep_is_held(&pmg_policy_mutex));
}

static bool pmg_rule_equal(const struct pmg_rule *a, const struct pmg_rule *b)
{
	return a->fields == b->fields &&
	       (!(a->fields & PMG_RULE_EXE) ||
		(a->exe_dev == b->exe_dev && a->exe_ino == b->exe_ino)) &&
	       (!(a->fields & PMG_RULE_UID) || a->uid == b->uid) &&
	       (!(a->fields & PMG_RULE_CGROUP) || a->cgroup_id == b->cgroup_id) &&
	       (!(a->fields & PMG_RULE_ACCESS) || a->access == b->access);
}

/* Under the lock, a new policy may only be as strict or stricter. */
static const char *pmg_relaxes(const struct pmg_policy *old,
			       const struct pmg_policy *new)
{
	u32 i, j;

	if (new->mode[0] < old->mode[0] || new->mode[1] < old->mode[1])
		return "policy is locked: modes can only be tightened";
	if (!old->ratelimit && new->ratelimit)
		return "policy is locked: the rate limit cannot be turned back on";
	if (old->ratelimit && new->ratelimit &&
	    (new->ratelimit < old->ratelimit || new->burst < old->burst))
		return "policy is locked: the rate limit can only be raised or turned off";
	if (old->report_allowed && !new->report_allowed)
		return "policy is locked: report-allowed cannot be turned off";
	for (i = 0; i < new->nrules; i++) {
		for (j = 0; j < old->nrules; j++)
			if (pmg_rule_equal(&new->rules[i], &old->rules[j]))
				break;
		if (j == old->nrules)
			return "policy is locked: allow rules can only be removed";
	}
	return NULL;
}

static void pmg_account_misses(const struct pmg_policy *old,
			       const struct pmg_policy *new)
{
	u64 now = pmg_probe_nmissed();

	if (old && pmg_blocks(old) && (!new || !pmg_blocks(new)))
		pmg_miss_acc += now - pmg_miss_base;
	if (new && pmg_blocks(new) && (!old || !pmg_blocks(old)))
		pmg_miss_base = now;
}

/* Publishes new (checked against the lock) or frees it; mutex held. */
static int pmg_publish(struct pmg_policy *new, struct netlink_ext_ack *extack)
{
	const struct pmg_policy *old = pmg_current();
	const char *why;

	if (pmg_locked) {
		why = pmg_relaxes(old, new);
		if (why) {
			if (extack)	/* why is a string literal */
				extack->_msg = why;
			kfree(new);
			return -EPERM;
		}
	}
	pmg_account_misses(old, new);
	rcu_assign_pointer(pmg_policy, new);
	kfree_rcu((struct pmg_policy *)old, rcu);
	return 0;
}

u64 pmg_policy_enforce_misses(void)
{
	u64 n;

	mutex_lock(&pmg_policy_mutex);
	n = pmg_miss_acc;
	if (pmg_blocks(pmg_current()))
		n += pmg_probe_nmissed() - pmg_miss_base;
	mutex_unlock(&pmg_policy_mutex);
	return n;
}

bool pmg_policy_locked(void)
{
	return READ_ONCE(pmg_locked);
}

/* Sets *log to 0 or 1 if the request sets it, else leaves it alone. */
static int pmg_parse_config(struct pmg_policy *p, const struct nlattr *cfg,
			    int *log, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PMG_C_MAX + 1];
	int err;

	err = nla_parse_nested(tb, PMG_C_MAX, cfg, NULL, extack);
	if (err)
		return err;
	if (tb[PMG_C_READ])
		p->mode[0] = nla_get_u8(tb[PMG_C_READ]);
	if (tb[PMG_C_WRITE])
		p->mode[1] = nla_get_u8(tb[PMG_C_WRITE]);
	if (tb[PMG_C_RATELIMIT])
		p->ratelimit = nla_get_u32(tb[PMG_C_RATELIMIT]);
	if (tb[PMG_C_BURST])
		p->burst = nla_get_u32(tb[PMG_C_BURST]);
	if (tb[PMG_C_REPORT_ALLOWED])
		p->report_allowed = nla_get_u8(tb[PMG_C_REPORT_ALLOWED]);
	if (p->ratelimit > PMG_RATE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PMG_C_RATELIMIT],
				    "ratelimit above 1000000 findings per second");
		return -EINVAL;
	}
	if (p->burst < 1 || p->burst > PMG_BURST_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PMG_C_BURST],
				    "burst must be 1 to 100000");
		return -EINVAL;
	}
	if (tb[PMG_C_LOG])
		*log = nla_get_u8(tb[PMG_C_LOG]);
	return 0;
}

static int pmg_parse_rule(struct pmg_rule *r, const struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PMG_R_MAX + 1];
	int err;

	memset(r, 0, sizeof(*r));
	err = nla_parse_nested(tb, PMG_R_MAX, nest, NULL, extack);
	if (err)
		return err;
	if (!!tb[PMG_R_EXE_DEV] != !!tb[PMG_R_EXE_INO]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "an exe selector needs both device and inode");
		return -EINVAL;
	}
	if (tb[PMG_R_EXE_INO]) {
		r->fields |= PMG_RULE_EXE;
		r->exe_dev = nla_get_u32(tb[PMG_R_EXE_DEV]);
		r->exe_ino = nla_get_u64(tb[PMG_R_EXE_INO]);
	}
	if (tb[PMG_R_UID]) {
		r->fields |= PMG_RULE_UID;
		r->uid = nla_get_u32(tb[PMG_R_UID]);
	}
	if (tb[PMG_R_CGROUP_ID]) {
		r->fields |= PMG_RULE_CGROUP;
		r->cgroup_id = nla_get_u64(tb[PMG_R_CGROUP_ID]);
	}
	if (tb[PMG_R_SELF] && nla_get_u8(tb[PMG_R_SELF]))
		r->fields |= PMG_RULE_SELF;
	if (tb[PMG_R_ACCESS]) {
		r->fields |= PMG_RULE_ACCESS;
		r->access = nla_get_u8(tb[PMG_R_ACCESS]);
	}
	if (!(r->fields & ~PMG_RULE_ACCESS)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "an allow rule needs exe, uid, cgroup or self");
		return -EINVAL;
	}
	return 0;
}

/* Publishes new and the log setting together, or neither; mutex held. */
static int pmg_publish_with_log(struct pmg_policy *new, int log,
				struct netlink_ext_ack *extack)
{
	if (pmg_locked && log == 0 && READ_ONCE(pmg_param_log)) {
		NL_SET_ERR_MSG(extack, "policy is locked: logging cannot be turned off");
		kfree(new);
		return -EPERM;
	}
	if (pmg_publish(new, extack))
		return -EPERM;
	if (log >= 0)
		WRITE_ONCE(pmg_param_log, log);
	return 0;
}

int pmg_policy_set_config(const struct nlattr *cfg,
			  struct netlink_ext_ack *extack)
{
	struct pmg_policy *new;
	int log = -1, err;

	mutex_lock(&pmg_policy_mutex);
	new = pmg_policy_copy(pmg_current(), pmg_current()->nrules);
	err = new ? pmg_parse_config(new, cfg, &log, extack) : -ENOMEM;
	if (err)
		kfree(new);
	else
		err = pmg_publish_with_log(new, log, extack);
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_add_rule(const struct nlattr *nest, u32 *id,
			struct netlink_ext_ack *extack)
{
	const struct pmg_policy *old;
	struct pmg_policy *new;
	struct pmg_rule r;
	int err;

	err = pmg_parse_rule(&r, nest, extack);
	if (err)
		return err;
	mutex_lock(&pmg_policy_mutex);
	old = pmg_current();
	if (old->nrules >= PMG_MAX_RULES) {
		NL_SET_ERR_MSG(extack, "too many allow rules (at most 256)");
		err = -ENOSPC;
		goto out;
	}
	new = pmg_policy_copy(old, old->nrules + 1);
	if (!new) {
		err = -ENOMEM;
		goto out;
	}
	r.id = ++new->next_id;
	new->rules[new->nrules++] = r;
	err = pmg_publish(new, extack);
	if (!err)
		*id = r.id;
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_del_rule(u32 id, struct netlink_ext_ack *extack)
{
	struct pmg_policy *new;
	u32 i, j = 0;
	int err = -ENOMEM;

	mutex_lock(&pmg_policy_mutex);
	new = pmg_policy_copy(pmg_current(), pmg_current()->nrules);
	if (!new)
		goto out;
	for (i = 0; i < new->nrules; i++)
		if (new->rules[i].id != id)
			new->rules[j++] = new->rules[i];
	if (j == new->nrules) {
		kfree(new);
		NL_SET_ERR_MSG(extack, "no allow rule has this id");
		err = -ENOENT;
		goto out;
	}
	new->nrules = j;
	err = pmg_publish(new, extack);
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

/* The whole policy from one request: PMG_A_CONFIG (absent fields take
 * their defaults) and any number of PMG_A_RULE.
 */
int pmg_policy_apply(const struct nlattr *head, int len,
		     struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	struct pmg_policy *new;
	int rem, log = -1, err = 0;
	u32 n = 0;

	nla_for_each_attr(a, head, len, rem)
		if (nla_type(a) == PMG_A_RULE)
			n++;
	if (n > PMG_MAX_RULES) {
		NL_SET_ERR_MSG(extack, "too many allow rules (at most 256)");
		return -ENOSPC;
	}
	new = pmg_policy_alloc(n);
	if (!new)
		return -ENOMEM;
	new->mode[0] = PMG_MODE_ALERT;
	new->mode[1] = PMG_MODE_ALERT;
	new->ratelimit = PMG_DEFAULT_RATE;
	new->burst = PMG_DEFAULT_BURST;
	mutex_lock(&pmg_policy_mutex);
	new->next_id = pmg_current()->next_id;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) == PMG_A_CONFIG)
			err = pmg_parse_config(new, a, &log, extack);
		else if (nla_type(a) == PMG_A_RULE)
			err = pmg_parse_rule(&new->rules[new->nrules++], a,
					     extack);
		if (err)
			break;
		if (nla_type(a) == PMG_A_RULE)
			new->rules[new->nrules - 1].id = ++new->next_id;
	}
	if (err)
		kfree(new);
	else
		err = pmg_publish_with_log(new, log, extack);
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_lock(struct netlink_ext_ack *extack)
{
	int err = 0;

	mutex_lock(&pmg_policy_mutex);
	if (pmg_locked)
		goto out;
	/* Never put: no unload until reboot. */
	if (!try_module_get(THIS_MODULE)) {
		NL_SET_ERR_MSG(extack, "the module is being unloaded");
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(pmg_locked, true);
	pr_notice("policy locked: it can only be tightened, and the module stays loaded until reboot\n");
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_put_config(struct sk_buff *skb)
{
	const struct pmg_policy *p;
	struct nlattr *nest = nla_nest_start(skb, PMG_A_CONFIG);
	int err;

	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	p = rcu_dereference(pmg_policy);
	err = nla_put_u8(skb, PMG_C_READ, p->mode[0]) ||
	      nla_put_u8(skb, PMG_C_WRITE, p->mode[1]) ||
	      nla_put_u32(skb, PMG_C_RATELIMIT, p->ratelimit) ||
	      nla_put_u32(skb, PMG_C_BURST, p->burst) ||
	      nla_put_u8(skb, PMG_C_LOG, READ_ONCE(pmg_param_log)) ||
	      nla_put_u8(skb, PMG_C_REPORT_ALLOWED, p->report_allowed) ||
	      nla_put_u8(skb, PMG_C_LOCKED, READ_ONCE(pmg_locked));
	rcu_read_unlock();
	if (err) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int pmg_put_rule(struct sk_buff *skb, const struct pmg_rule *r)
{
	struct nlattr *nest = nla_nest_start(skb, PMG_A_RULE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PMG_R_ID, r->id) ||
	    ((r->fields & PMG_RULE_EXE) &&
	     (nla_put_u32(skb, PMG_R_EXE_DEV, r->exe_dev) ||
	      nla_put_u64_64bit(skb, PMG_R_EXE_INO, r->exe_ino, PMG_R_PAD))) ||
	    ((r->fields & PMG_RULE_UID) && nla_put_u32(skb, PMG_R_UID, r->uid)) ||
	    ((r->fields & PMG_RULE_CGROUP) &&
	     nla_put_u64_64bit(skb, PMG_R_CGROUP_ID, r->cgroup_id, PMG_R_PAD)) ||
	    ((r->fields & PMG_RULE_SELF) && nla_put_u8(skb, PMG_R_SELF, 1)) ||
	    ((r->fields & PMG_RULE_ACCESS) &&
	     nla_put_u8(skb, PMG_R_ACCESS, r->access))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int pmg_policy_put_rules(struct sk_buff *skb)
{
	const struct pmg_policy *p;
	int err = 0;
	u32 i;

	rcu_read_lock();
	p = rcu_dereference(pmg_policy);
	for (i = 0; i < p->nrules && !err; i++)
		err = pmg_put_rule(skb, &p->rules[i]);
	rcu_read_unlock();
	return err;
}

int pmg_policy_init(void)
{
	struct pmg_policy *p;
	unsigned int sets = pmg_rate_entries / PMG_RATE_WAYS, i;

	pmg_rate_sets_bits = ilog2(sets);
	pmg_rate_table = vzalloc(array_size(pmg_rate_entries,
					    sizeof(*pmg_rate_table)));
	pmg_rate_locks = kvmalloc_array(sets, sizeof(*pmg_rate_locks),
					GFP_KERNEL);
	p = pmg_policy_alloc(0);
	if (!pmg_rate_table || !pmg_rate_locks || !p) {
		kfree(p);
		pmg_policy_exit();
		return -ENOMEM;
	}
	for (i = 0; i < sets; i++)
		raw_spin_lock_init(&pmg_rate_locks[i]);
	p->mode[0] = pmg_load_mode[0];
	p->mode[1] = pmg_load_mode[1];
	p->ratelimit = pmg_load_rate;
	p->burst = pmg_load_burst;
	p->report_allowed = pmg_load_report_allowed;
	mutex_lock(&pmg_policy_mutex);
	pmg_account_misses(NULL, p);
	rcu_assign_pointer(pmg_policy, p);
	mutex_unlock(&pmg_policy_mutex);
	return 0;
}

/* Called last in module init, once nothing can fail any more. */
void pmg_policy_lock_at_load(void)
{
	if (pmg_load_lock)
		pmg_policy_lock(NULL);
}

/* After the probe is gone: no reader is left but RCU stragglers. */
void pmg_policy_exit(void)
{
	struct pmg_policy *p = rcu_replace_pointer(pmg_policy, NULL, true);

	synchronize_rcu();
	kfree(p);
	vfree(pmg_rate_table);
	kvfree(pmg_rate_locks);
	pmg_rate_table = NULL;
	pmg_rate_locks = NULL;
}
