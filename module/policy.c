// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - modes, allow rules, rate-limit settings and the lock.
 *
 * Writers (serialised by pmg_policy_mutex) build a new struct pmg_policy,
 * validate it whole, and publish it with rcu_assign_pointer(); the old one
 * is freed, in process context, after a grace period. The probes only ever
 * see a complete policy. Each published policy is mirrored in the module
 * parameters, so that /sys/module/procmem_guard/parameters/ shows what is
 * in force.
 *
 * An exe rule names its executable by path. The path is looked up when
 * the rule is added, in the requester's mount namespace and root, and the
 * rule holds a reference to what it found (struct pmg_exe): the probes
 * compare the accessor's executable with that very inode, which no device
 * numbering (btrfs subvolumes, stacked filesystems) can blur. The
 * reference pins the file's mount: it cannot be unmounted while the rule
 * exists. Policy copies share the pmg_exe objects, counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include "params.h"
#include "policy.h"
#include "procmem_guard.h"

struct pmg_exe {
	refcount_t ref;
	struct path path;	/* counted */
	char name[];		/* the path it was given by */
};

struct pmg_policy __rcu *pmg_policy;
static DEFINE_MUTEX(pmg_policy_mutex);
static bool pmg_locked;
static struct workqueue_struct *pmg_policy_wq;

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
	return s->mode[0] == PMG_MODE_BLOCK || s->mode[1] == PMG_MODE_BLOCK ||
	       s->mode[2] == PMG_MODE_BLOCK;
}

bool pmg_policy_blocks(void)
{
	bool blocks;

	rcu_read_lock();
	blocks = pmg_settings_block(&rcu_dereference(pmg_policy)->s);
	rcu_read_unlock();
	return blocks;
}

bool pmg_policy_locked(void)
{
	return READ_ONCE(pmg_locked);
}

/* ---- executables ---- */

/* Looks path up (absolute, a regular file); NULL and *why if it cannot. */
static struct pmg_exe *pmg_exe_get(const char *name, const char **why)
{
	size_t len = strnlen(name, PMG_EXE_PATH_MAX);
	struct pmg_exe *e;
	int err;

	if (name[0] != '/' || len >= PMG_EXE_PATH_MAX) {
		*why = "an exe rule needs an absolute path";
		return NULL;
	}
	e = kmalloc(struct_size(e, name, len + 1), GFP_KERNEL);
	if (!e) {
		*why = "out of memory";
		return NULL;
	}
	err = kern_path(name, LOOKUP_FOLLOW, &e->path);
	if (err) {
		*why = "the exe path cannot be looked up";
		kfree(e);
		return NULL;
	}
	if (!d_is_reg(e->path.dentry)) {
		*why = "the exe path does not name a regular file";
		path_put(&e->path);
		kfree(e);
		return NULL;
	}
	refcount_set(&e->ref, 1);
	memcpy(e->name, name, len + 1);
	return e;
}

static void pmg_exe_put(struct pmg_exe *e)
{
	if (e && refcount_dec_and_test(&e->ref)) {
		path_put(&e->path);
		kfree(e);
	}
}

/* Gives a rule its executable's identity. */
static void pmg_rule_set_exe(struct pmg_allow_rule *r, struct pmg_exe *e)
{
	struct inode *inode = d_inode(e->path.dentry);

	r->exe_ref = e;
	r->exe_key = (unsigned long)inode;
	r->exe_dev = new_encode_dev(inode->i_sb->s_dev);
	r->exe_ino = inode->i_ino;
}

/* ---- policy objects ---- */

static struct pmg_policy *pmg_policy_alloc(u32 nrules)
{
	return kzalloc(struct_size_t(struct pmg_policy, rules, nrules),
		       GFP_KERNEL);
}

/* Frees p and drops its rules' executables; may sleep. */
static void pmg_policy_free(struct pmg_policy *p)
{
	u32 i;

	if (!p)
		return;
	for (i = 0; i < p->nrules; i++)
		pmg_exe_put(p->rules[i].exe_ref);
	kfree(p);
}

static void pmg_policy_free_work(struct work_struct *w)
{
	pmg_policy_free(container_of(to_rcu_work(w), struct pmg_policy,
				     free_work));
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
	u32 i;

	if (!p)
		return NULL;
	p->s = old->s;
	p->next_id = old->next_id;
	p->nrules = min(old->nrules, nrules);
	memcpy(p->rules, old->rules, p->nrules * sizeof(p->rules[0]));
	for (i = 0; i < p->nrules; i++)
		if (p->rules[i].exe_ref)
			refcount_inc(&((struct pmg_exe *)p->rules[i].exe_ref)->ref);
	return p;
}

static void pmg_mirror_params(const struct pmg_settings *s)
{
	WRITE_ONCE(pmg_param_mode[0], s->mode[0]);
	WRITE_ONCE(pmg_param_mode[1], s->mode[1]);
	WRITE_ONCE(pmg_param_mode[2], s->mode[2]);
	WRITE_ONCE(pmg_param_ratelimit, s->ratelimit);
	WRITE_ONCE(pmg_param_burst, s->burst);
	WRITE_ONCE(pmg_param_report_allowed, s->report_allowed);
	WRITE_ONCE(pmg_param_log, s->log);
}

/* Publishes new (checked against the lock) or frees it; mutex held. */
static int pmg_publish(struct pmg_policy *new, const char **why)
{
	struct pmg_policy *old = (struct pmg_policy *)pmg_current();

	*why = pmg_locked ? pmg_policy_relaxes(&old->s, old->rules, old->nrules,
					       &new->s, new->rules,
					       new->nrules) : NULL;
	if (*why) {
		pmg_policy_free(new);
		return -EPERM;
	}
	rcu_assign_pointer(pmg_policy, new);
	pmg_mirror_params(&new->s);
	INIT_RCU_WORK(&old->free_work, pmg_policy_free_work);
	queue_rcu_work(pmg_policy_wq, &old->free_work);
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
	if (c->fields & PMG_SET_ATTACH)
		s->mode[2] = c->v.mode[2];
	if (c->fields & PMG_SET_RATELIMIT)
		s->ratelimit = c->v.ratelimit;
	if (c->fields & PMG_SET_BURST)
		s->burst = c->v.burst;
	if (c->fields & PMG_SET_REPORT_ALLOWED)
		s->report_allowed = !!c->v.report_allowed;
	if (c->fields & PMG_SET_LOG)
		s->log = !!c->v.log;
	if (s->mode[0] > PMG_MODE_BLOCK || s->mode[1] > PMG_MODE_BLOCK ||
	    s->mode[2] > PMG_MODE_BLOCK)
		return "mode must be off, alert or block";
	if (s->ratelimit > PMG_RATE_MAX)
		return "ratelimit above 1000000 findings per second";
	if (s->burst < 1 || s->burst > PMG_BURST_MAX)
		return "burst must be 1 to 100000";
	return NULL;
}

/* Builds the rule req asks for in r (with its executable); 0 or -errno. */
static int pmg_rule_build(struct pmg_allow_rule *r,
			  const struct pmg_rule_request *req, const char **why)
{
	struct pmg_exe *e;

	*r = req->r;
	r->exe_ref = NULL;
	r->exe_key = 0;
	r->fields &= ~PMG_RULE_EXE;
	if (req->exe_path) {
		e = pmg_exe_get(req->exe_path, why);
		if (!e)
			return -EINVAL;
		r->fields |= PMG_RULE_EXE;
		pmg_rule_set_exe(r, e);
	}
	*why = pmg_rule_invalid(r);
	if (*why) {
		pmg_exe_put(r->exe_ref);
		r->exe_ref = NULL;
		return -EINVAL;
	}
	return 0;
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
		pmg_policy_free(new);
		err = -EINVAL;
		goto out;
	}
	err = pmg_publish(new, why);
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

int pmg_policy_add_rule(const struct pmg_rule_request *req, u32 *id,
			const char **why)
{
	struct pmg_allow_rule r;
	struct pmg_policy *new;
	int err;

	err = pmg_rule_build(&r, req, why);
	if (err)
		return err;
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
	r.id = ++new->next_id;
	new->rules[new->nrules++] = r;
	r.exe_ref = NULL;	/* the new policy has it */
	err = pmg_publish(new, why);
	if (!err)
		*id = new->rules[new->nrules - 1].id;
out:
	mutex_unlock(&pmg_policy_mutex);
	pmg_exe_put(r.exe_ref);
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
	for (i = 0; i < new->nrules; i++) {
		if (new->rules[i].id != id)
			new->rules[j++] = new->rules[i];
		else
			pmg_exe_put(new->rules[i].exe_ref);
	}
	if (j == new->nrules) {
		pmg_policy_free(new);
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
	s->mode[2] = PMG_MODE_ALERT;
	s->ratelimit = PMG_DEFAULT_RATE;
	s->burst = PMG_DEFAULT_BURST;
	s->report_allowed = false;
	s->log = READ_ONCE(pmg_param_log);	/* left alone unless set */
}

int pmg_policy_replace(const struct pmg_settings_change *c,
		       const struct pmg_rule_request *rules, u32 n,
		       const char **why)
{
	struct pmg_policy *new;
	int err = 0;
	u32 i;

	if (n > PMG_MAX_RULES) {
		*why = "too many allow rules (at most 256)";
		return -ENOSPC;
	}
	new = pmg_policy_alloc(n);
	if (!new)
		return -ENOMEM;
	pmg_settings_default(&new->s);
	*why = pmg_settings_apply(&new->s, c);
	if (*why) {
		pmg_policy_free(new);
		return -EINVAL;
	}
	for (i = 0; i < n && !err; i++) {
		err = pmg_rule_build(&new->rules[i], &rules[i], why);
		if (!err)
			new->nrules++;
	}
	if (err) {
		pmg_policy_free(new);
		return err;
	}
	mutex_lock(&pmg_policy_mutex);
	new->next_id = pmg_current()->next_id;
	for (i = 0; i < n; i++)
		new->rules[i].id = ++new->next_id;
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
	/* Never put: no unload until reboot, but with rmmod -f. */
	if (!try_module_get(THIS_MODULE)) {
		*why = "the module is being unloaded";
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(pmg_locked, true);
	pr_notice("policy locked: it can only be tightened, and the module stays loaded until reboot (or a forced unload)\n");
out:
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

void pmg_policy_read(struct pmg_settings *s, bool *locked, u32 *nrules)
{
	const struct pmg_policy *p;

	rcu_read_lock();
	p = rcu_dereference(pmg_policy);
	*s = p->s;
	if (nrules)
		*nrules = p->nrules;
	rcu_read_unlock();
	*locked = READ_ONCE(pmg_locked);
}

/* Whether e's path now names another file than the rule holds. */
static bool pmg_exe_stale(const struct pmg_exe *e)
{
	struct path now;
	bool stale;

	if (kern_path(e->name, LOOKUP_FOLLOW, &now))
		return true;
	stale = d_inode(now.dentry) != d_inode(e->path.dentry);
	path_put(&now);
	return stale;
}

int pmg_policy_walk_rules(pmg_rule_fn_t fn, void *arg)
{
	const struct pmg_policy *p;
	int err = 0;
	u32 i;

	mutex_lock(&pmg_policy_mutex);
	p = pmg_current();
	for (i = 0; i < p->nrules && !err; i++) {
		const struct pmg_exe *e = p->rules[i].exe_ref;

		err = fn(&p->rules[i], e ? e->name : NULL,
			 e && pmg_exe_stale(e), arg);
	}
	mutex_unlock(&pmg_policy_mutex);
	return err;
}

/* The first policy, from the module parameters; locked if lock=1. */
int pmg_policy_init(void)
{
	struct pmg_policy *p;
	const char *why;

	pmg_policy_wq = alloc_workqueue("procmem_guard_policy", 0, 0);
	p = pmg_policy_alloc(0);
	if (!p || !pmg_policy_wq) {
		kfree(p);
		if (pmg_policy_wq)
			destroy_workqueue(pmg_policy_wq);
		pmg_policy_wq = NULL;
		return -ENOMEM;
	}
	p->s.mode[0] = pmg_param_mode[0];
	p->s.mode[1] = pmg_param_mode[1];
	p->s.mode[2] = pmg_param_mode[2];
	p->s.ratelimit = pmg_param_ratelimit;
	p->s.burst = pmg_param_burst;
	p->s.report_allowed = pmg_param_report_allowed;
	p->s.log = pmg_param_log;
	rcu_assign_pointer(pmg_policy, p);
	return pmg_param_lock ? pmg_policy_lock(&why) : 0;
}

/* After the probes are gone: no reader is left but RCU stragglers. */
void pmg_policy_exit(void)
{
	struct pmg_policy *p = rcu_replace_pointer(pmg_policy, NULL, true);

	synchronize_rcu();
	pmg_policy_free(p);
	/* The frees queued after a grace period, then the work they queued. */
	rcu_barrier();
	destroy_workqueue(pmg_policy_wq);
	pmg_policy_wq = NULL;
}
