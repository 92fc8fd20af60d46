// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - modes, allow rules, rate-limit settings and the lock.
 *
 * Writers (serialised by pmg_policy_mutex) build a new struct pmg_policy,
 * validate it whole, and publish it with rcu_assign_pointer(); the old one
 * is freed after a grace period. The probe only ever sees a complete
 * policy. Each published policy is mirrored in the module parameters, so
 * that /sys/module/procmem_guard/parameters/ shows what is in force.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "params.h"
#include "policy.h"
#include "procmem_guard.h"

struct pmg_policy __rcu *pmg_policy;
static DEFINE_MUTEX(pmg_policy_mutex);
static bool pmg_locked;

bool pmg_policy_allows(const struct pmg_policy *p,
		       const struct pmg_subject *s, u8 bit)
{
	u32 i;

	for (i = 0; i < p->nrules; i++)
		if (pmg_rule_matches(&p->rules[i], s, bit))
			return true;
	return false;
}

static bool pmg_settings_block(const struct pmg_settings *s)
{
	return s->mode[0] == PMG_MODE_BLOCK || s->mode[1] == PMG_MODE_BLOCK;
}

bool pmg_policy_blocks(void)
{
	bool blocks;

	rcu_read_lock();
	blocks = pmg_settings_block(&rcu_dereference(pmg_policy)->s);
	rcu_read_unlock();
	return blocks;
}

static struct pmg_policy *pmg_policy_alloc(u32 nrules)
{
	return kzalloc(struct_size_t(struct pmg_policy, rules, nrules),
		       GFP_KERNEL);
}

static const struct pmg_policy *pmg_current(void)
{
	return rcu_dereference_protected(pmg_policy,
					 lockdep_is_held(&pmg_policy_mutex));
}

/* A copy of the policy in force with room for nrules rules. */
static struct pmg_policy *pmg_policy_copy(u32 nrules)
{
	const struct pmg_policy *old = pmg_current();
	struct pmg_policy *p = pmg_policy_alloc(nrules);

	if (!p)
		return NULL;
	p->s = old->s;
	p->next_id = old->next_id;
	p->nrules = min(old->nrules, nrules);
	memcpy(p->rules, old->rules, p->nrules * sizeof(p->rules[0]));
	return p;
}

static void pmg_mirror_params(const struct pmg_settings *s)
{
	WRITE_ONCE(pmg_param_mode[0], s->mode[0]);
	WRITE_ONCE(pmg_param_mode[1], s->mode[1]);
	WRITE_ONCE(pmg_param_ratelimit, s->ratelimit);
	WRITE_ONCE(pmg_param_burst, s->burst);
	WRITE_ONCE(pmg_param_report_allowed, s->report_allowed);
	WRITE_ONCE(pmg_param_log, s->log);
}

/* Publishes new (checked against the lock) or frees it; mutex held. */
static int pmg_publish(struct pmg_policy *new, const char **why)
{
	const struct pmg_policy *old = pmg_current();

	*why = pmg_locked ? pmg_policy_relaxes(&old->s, old->rules, old->nrules,
					       &new->s, new->rules,
					       new->nrules) : NULL;
	if (*why) {
		kfree(new);
		return -EPERM;
	}
	rcu_assign_pointer(pmg_policy, new);
	pmg_mirror_params(&new->s);
	kfree_rcu((struct pmg_policy *)old, rcu);
	return 0;
}

/* Applies the fields c sets to s; NULL or why they cannot be. */
static const char *pmg_settings_apply(struct pmg_settings *s,
				      const struct pmg_settings_change *c)
{
	if (c->fields & PMG_SET_READ)
		s->mode[0] = c->v.mode[0];
	if (c->fields & PMG_SET_WRITE)
		s->mode[1] = c->v.mode[1];
	if (c->fields & PMG_SET_RATELIMIT)
		s->ratelimit = c->v.ratelimit;
	if (c->fields & PMG_SET_BURST)
		s->burst = c->v.burst;
	if (c->fields & PMG_SET_REPORT_ALLOWED)
		s->report_allowed = !!c->v.report_allowed;
	if (c->fields & PMG_SET_LOG)
		s->log = !!c->v.log;
	if (s->mode[0] > PMG_MODE_BLOCK || s->mode[1] > PMG_MODE_BLOCK)
		return "mode must be off, alert or block";
	if (s->ratelimit > PMG_RATE_MAX)
		return "ratelimit above 1000000 findings per second";
	if (s->burst < 1 || s->burst > PMG_BURST_MAX)
		return "burst must be 1 to 100000";
	return NULL;
}

int pmg_policy_set(const struct pmg_settings_change *c, const char **why)
{
	struct pmg_policy *new;
	int err = -ENOMEM;

	mutex_lock(&pmg_policy_mutex);
	new = pmg_policy_copy(pmg_current()->nrules);
	if (!new)
		goto out;
	*why = pmg_settings_apply(&new->s, c);
	if (*why) {
		kfree(new);
		err = -EINVAL;
		goto out;
	}
	err = pmg_publish(new, why);
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_add_rule(struct pmg_allow_rule *r, const char **why)
{
	struct pmg_policy *new;
	int err;

	*why = pmg_rule_invalid(r);
	if (*why)
		return -EINVAL;
	mutex_lock(&pmg_policy_mutex);
	if (pmg_current()->nrules >= PMG_MAX_RULES) {
		*why = "too many allow rules (at most 256)";
		err = -ENOSPC;
		goto out;
	}
	new = pmg_policy_copy(pmg_current()->nrules + 1);
	if (!new) {
		err = -ENOMEM;
		goto out;
	}
	r->id = ++new->next_id;
	new->rules[new->nrules++] = *r;
	err = pmg_publish(new, why);
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_del_rule(u32 id, const char **why)
{
	struct pmg_policy *new;
	u32 i, j = 0;
	int err = -ENOMEM;

	mutex_lock(&pmg_policy_mutex);
	new = pmg_policy_copy(pmg_current()->nrules);
	if (!new)
		goto out;
	for (i = 0; i < new->nrules; i++)
		if (new->rules[i].id != id)
			new->rules[j++] = new->rules[i];
	if (j == new->nrules) {
		kfree(new);
		*why = "no allow rule has this id";
		err = -ENOENT;
		goto out;
	}
	new->nrules = j;
	err = pmg_publish(new, why);
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

static void pmg_settings_default(struct pmg_settings *s)
{
	s->mode[0] = PMG_MODE_ALERT;
	s->mode[1] = PMG_MODE_ALERT;
	s->ratelimit = PMG_DEFAULT_RATE;
	s->burst = PMG_DEFAULT_BURST;
	s->report_allowed = false;
	s->log = READ_ONCE(pmg_param_log);	/* left alone unless set */
}

int pmg_policy_replace(const struct pmg_settings_change *c,
		       const struct pmg_allow_rule *rules, u32 n,
		       const char **why)
{
	struct pmg_policy *new;
	int err = -EINVAL;
	u32 i;

	if (n > PMG_MAX_RULES) {
		*why = "too many allow rules (at most 256)";
		return -ENOSPC;
	}
	for (i = 0; i < n; i++) {
		*why = pmg_rule_invalid(&rules[i]);
		if (*why)
			return -EINVAL;
	}
	new = pmg_policy_alloc(n);
	if (!new)
		return -ENOMEM;
	pmg_settings_default(&new->s);
	*why = pmg_settings_apply(&new->s, c);
	if (*why) {
		kfree(new);
		return -EINVAL;
	}
	mutex_lock(&pmg_policy_mutex);
	new->next_id = pmg_current()->next_id;
	for (i = 0; i < n; i++) {
		new->rules[i] = rules[i];
		new->rules[i].id = ++new->next_id;
	}
	new->nrules = n;
	err = pmg_publish(new, why);
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_lock(const char **why)
{
	int err = 0;

	mutex_lock(&pmg_policy_mutex);
	if (pmg_locked)
		goto out;
	/* Never put: no unload until reboot. */
	if (!try_module_get(THIS_MODULE)) {
		*why = "the module is being unloaded";
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(pmg_locked, true);
	pr_notice("policy locked: it can only be tightened, and the module stays loaded until reboot\n");
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

void pmg_policy_read(struct pmg_settings *s, bool *locked)
{
	rcu_read_lock();
	*s = rcu_dereference(pmg_policy)->s;
	rcu_read_unlock();
	*locked = READ_ONCE(pmg_locked);
}

u32 pmg_policy_read_rules(struct pmg_allow_rule *out, u32 max)
{
	const struct pmg_policy *p;
	u32 n;

	rcu_read_lock();
	p = rcu_dereference(pmg_policy);
	n = p->nrules;
	memcpy(out, p->rules, min(n, max) * sizeof(*out));
	rcu_read_unlock();
	return n;
}

/* The first policy, from the module parameters; locked if lock=1. */
int pmg_policy_init(void)
{
	struct pmg_policy *p = pmg_policy_alloc(0);
	const char *why;

	if (!p)
		return -ENOMEM;
	p->s.mode[0] = pmg_param_mode[0];
	p->s.mode[1] = pmg_param_mode[1];
	p->s.ratelimit = pmg_param_ratelimit;
	p->s.burst = pmg_param_burst;
	p->s.report_allowed = pmg_param_report_allowed;
	p->s.log = pmg_param_log;
	rcu_assign_pointer(pmg_policy, p);
	return pmg_param_lock ? pmg_policy_lock(&why) : 0;
}

/* After the probe is gone: no reader is left but RCU stragglers. */
void pmg_policy_exit(void)
{
	struct pmg_policy *p = rcu_replace_pointer(pmg_policy, NULL, true);

	synchronize_rcu();
	kfree(p);
}
