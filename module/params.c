// SPDX-License-Identifier: GPL-2.0
/* params.c - every module parameter: parsing, bounds and descriptions. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include "params.h"
#include "procmem_guard.h"

u8 pmg_param_mode[3] = { PMG_MODE_ALERT, PMG_MODE_ALERT, PMG_MODE_ALERT };
unsigned int pmg_param_ratelimit = PMG_DEFAULT_RATE;
unsigned int pmg_param_burst = PMG_DEFAULT_BURST;
bool pmg_param_report_allowed;
bool pmg_param_log = true;
bool pmg_param_lock;
unsigned int pmg_param_rate_entries = 1024;
unsigned int pmg_param_ring_records = 1024;

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
	WRITE_ONCE(*(u8 *)kp->arg, i);
	return 0;
}

static int pmg_param_get_mode(char *buf, const struct kernel_param *kp)
{
	u8 mode = READ_ONCE(*(u8 *)kp->arg);

	return sysfs_emit(buf, "%s\n", mode < ARRAY_SIZE(pmg_mode_names) ?
			  pmg_mode_names[mode] : "?");
}

static const struct kernel_param_ops pmg_mode_ops = {
	.set = pmg_param_set_mode,
	.get = pmg_param_get_mode,
};

module_param_cb(read, &pmg_mode_ops, &pmg_param_mode[0], 0444);
MODULE_PARM_DESC(read, "Reading another process's memory (mem files, process_vm_readv): off, alert (default) or block");
module_param_cb(write, &pmg_mode_ops, &pmg_param_mode[1], 0444);
MODULE_PARM_DESC(write, "Writing another process's memory (mem files, process_vm_writev, ptrace pokes): off, alert (default) or block");
module_param_cb(attach, &pmg_mode_ops, &pmg_param_mode[2], 0444);
MODULE_PARM_DESC(attach, "Attaching to another process (ptrace attach, seize, traceme; pidfd_getfd): off, alert (default) or block");

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
	unsigned int rate;

	if (pmg_parse_rate(val, &rate)) {
		pr_err("ratelimit=%s: expected N/s with N up to %u, or off\n",
		       val, PMG_RATE_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, rate);
	return 0;
}

static int pmg_param_get_rate(char *buf, const struct kernel_param *kp)
{
	unsigned int rate = READ_ONCE(*(unsigned int *)kp->arg);

	return rate ? sysfs_emit(buf, "%u/s\n", rate) : sysfs_emit(buf, "off\n");
}

static const struct kernel_param_ops pmg_rate_ops = {
	.set = pmg_param_set_rate,
	.get = pmg_param_get_rate,
};

module_param_cb(ratelimit, &pmg_rate_ops, &pmg_param_ratelimit, 0444);
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
	WRITE_ONCE(*p->val, v);
	return 0;
}

static int pmg_param_get_uint(char *buf, const struct kernel_param *kp)
{
	const struct pmg_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(*p->val));
}

static const struct kernel_param_ops pmg_uint_ops = {
	.set = pmg_param_set_uint,
	.get = pmg_param_get_uint,
};

static struct pmg_uint_param pmg_burst_param = {
	&pmg_param_burst, 1, PMG_BURST_MAX, false
};

module_param_cb(burst, &pmg_uint_ops, &pmg_burst_param, 0444);
MODULE_PARM_DESC(burst, "Findings a pair may send at once before the rate applies (default: 20)");

module_param_named(report_allowed, pmg_param_report_allowed, bool, 0444);
MODULE_PARM_DESC(report_allowed, "Also report accesses an allow rule covers, as action allow (default: off)");

module_param_named(log, pmg_param_log, bool, 0444);
MODULE_PARM_DESC(log, "Log findings to the kernel log, rate-limited, while no listener is attached (default: on)");

module_param_named(lock, pmg_param_lock, bool, 0444);
MODULE_PARM_DESC(lock, "Lock the policy at load: it can only be tightened, and the module cannot be unloaded until reboot (default: off)");

static struct pmg_uint_param pmg_entries_param = {
	&pmg_param_rate_entries, 64, 65536, true
};

module_param_cb(rate_entries, &pmg_uint_ops, &pmg_entries_param, 0444);
MODULE_PARM_DESC(rate_entries, "Size of the rate-limit table, in pairs (power of two, 64-65536, default: 1024)");

static struct pmg_uint_param pmg_ring_param = {
	&pmg_param_ring_records, 64, 16384, true
};

module_param_cb(ring_records, &pmg_uint_ops, &pmg_ring_param, 0444);
MODULE_PARM_DESC(ring_records, "Findings each CPU's ring holds until the worker delivers them (power of two, 64-16384, default: 1024)");
