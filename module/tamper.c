// SPDX-License-Identifier: GPL-2.0
/*
 * tamper.c - whether the probes fire, and making them hard to switch off.
 *
 * The probes are ftrace-based kprobes. Root can stop them without a trace
 * in their own state: `sysctl kernel.ftrace_enabled=0` turns every ftrace
 * call site back into a no-op, and writing 0 to
 * /sys/kernel/debug/kprobes/enabled disarms every kprobe; in both cases
 * the kprobes stay registered, enabled and silent. So the module tests
 * itself twice a second (PMG_SELFTEST_PERIOD): it opens a file it pinned
 * at load and checks that the open probe counted the open. When that
 * stops, or starts again, it sends a notice (disarmed, armed) and counts
 * it; status says which it is. The ptrace probes are switched by the same
 * two switches.
 *
 * While the policy is locked, the module also holds an ftrace_ops with
 * FTRACE_OPS_FL_PERMANENT (on a function of its own that nothing calls,
 * so it costs nothing): the kernel then refuses ftrace_enabled=0 with
 * EBUSY. Nothing refuses the debugfs switch (lockdown=integrity makes
 * debugfs read-only), a forced unload, or kexec: those are reported, as
 * far as the module is still there to report them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "report.h"
#include "stats.h"
#include "tamper.h"

#define PMG_SELFTEST_PERIOD	(HZ / 2)

static struct path pmg_selftest_path;
static struct delayed_work pmg_selftest_work;
static bool pmg_armed = true;		/* written by the self-test only */
static bool pmg_permanent;		/* the ftrace_ops is registered */
static DEFINE_MUTEX(pmg_tamper_lock_mutex);

/* Never called: the PERMANENT ops needs a function to be on. */
static noinline void pmg_tamper_anchor(void)
{
	barrier();
}

static void notrace pmg_tamper_nop(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op,
				   struct ftrace_regs *fregs)
{
}

static struct ftrace_ops pmg_permanent_ops = {
	.func = pmg_tamper_nop,
	.flags = FTRACE_OPS_FL_PERMANENT,
};

static void pmg_tamper_notice(u8 type, const char *detail)
{
	struct pmg_notice *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return;
	n->type = type;
	n->uid = (u32)-1;
	n->detail = kstrdup(detail, GFP_KERNEL);
	pmg_report_notice(n);
}

static u64 pmg_inspected(void)
{
	struct pmg_stats s;

	pmg_stats_read(&s);
	return s.c[PMG_S_INSPECTED];
}

static void pmg_selftest(struct work_struct *work)
{
	u64 before = pmg_inspected();
	struct file *f;
	bool armed;

	f = dentry_open(&pmg_selftest_path, O_RDONLY, current_cred());
	if (IS_ERR(f))
		goto again;	/* nothing learnt */
	fput(f);
	armed = pmg_inspected() != before;
	if (armed != READ_ONCE(pmg_armed)) {
		WRITE_ONCE(pmg_armed, armed);
		if (!armed)
			pmg_stat_add(PMG_S_DISARMED, 1);
		pmg_tamper_notice(armed ? PMG_NOTICE_ARMED : PMG_NOTICE_DISARMED,
				  armed ? "the probes fire again" :
				  "the probes do not fire: ftrace or kprobes were switched off (kernel.ftrace_enabled, /sys/kernel/debug/kprobes/enabled)");
		pr_warn("%s\n", armed ? "probes armed again" :
			"probes disarmed: ftrace or kprobes were switched off");
	}
again:
	queue_delayed_work(system_wq, &pmg_selftest_work, PMG_SELFTEST_PERIOD);
}

bool pmg_tamper_armed(void)
{
	return READ_ONCE(pmg_armed);
}

void pmg_tamper_lock(void)
{
	int err;

	mutex_lock(&pmg_tamper_lock_mutex);
	if (pmg_permanent)
		goto out;
	err = ftrace_set_filter_ip(&pmg_permanent_ops,
				   (unsigned long)pmg_tamper_anchor, 0, 0);
	if (!err)
		err = register_ftrace_function(&pmg_permanent_ops);
	if (err) {
		ftrace_free_filter(&pmg_permanent_ops);
		pr_warn("cannot keep kernel.ftrace_enabled on (%d): is it off already?\n",
			err);
		goto out;
	}
	pmg_permanent = true;
out:
	mutex_unlock(&pmg_tamper_lock_mutex);
}

int pmg_tamper_init(void)
{
	int err = kern_path("/", LOOKUP_FOLLOW, &pmg_selftest_path);

	if (err)
		return err;
	pmg_armed = true;
	INIT_DELAYED_WORK(&pmg_selftest_work, pmg_selftest);
	queue_delayed_work(system_wq, &pmg_selftest_work, 0);
	return 0;
}

void pmg_tamper_exit(void)
{
	cancel_delayed_work_sync(&pmg_selftest_work);
	path_put(&pmg_selftest_path);
	if (pmg_permanent) {
		unregister_ftrace_function(&pmg_permanent_ops);
		ftrace_free_filter(&pmg_permanent_ops);
		pmg_permanent = false;
	}
}
