// SPDX-License-Identifier: GPL-2.0
/*
 * probe_ptrace.c - the other doors to another process's memory, through
 * the kernel's ptrace access check and the ptrace requests that write:
 *
 *   security_ptrace_access_check(child, mode)  (kretprobe)
 *	the end of __ptrace_may_access(), under task_lock(child), after the
 *	uid and dumpable checks passed. An ATTACH mode with real credentials
 *	is process_vm_readv/writev, ptrace attach or seize, or pidfd_getfd,
 *	told apart by the system call the accessor is in; other callers
 *	(perf_event_open with sigtrap) and every READ-mode caller (ps reading
 *	stat, maps, environ...) are left alone at once. A mem open passes
 *	here too, with FSCREDS: the open probe reports it, once.
 *   security_ptrace_traceme(parent)  (kretprobe)
 *	PTRACE_TRACEME, under the tasklist lock: the parent, the tracer, is
 *	the accessor.
 *   arch_ptrace(), compat_arch_ptrace()  (kprobes)
 *	every ptrace request of an attached tracer once ptrace_check_attach()
 *	passed: POKETEXT, POKEDATA, POKEUSER and the SETREGS family write.
 *
 * Refusing: the two checks are refused by their return value, which the
 * return handler sets to -EPERM: no byte has moved yet, and the outcome
 * (what the kernel and the other LSMs said) comes from the same place.
 * The return handler also records and decides: the entry handler only
 * keeps the task (which the caller's lock keeps valid until the return)
 * and the system call, so that an instance in flight when the module goes
 * holds nothing.
 * A kretprobe needs an instance per check in progress; the checks hold a
 * spinlock and never sleep, so without PREEMPT_RT at most one per CPU is
 * in progress, and PMG_PTRACE_ACTIVE per CPU leave room for preempted
 * holders on PREEMPT_RT. A check that finds no instance is not seen: it
 * is a kprobe miss, counted (nmissed, and enforce_misses under a block
 * mode). A write request is refused before it runs: the kprobe at the
 * entry of arch_ptrace() returns -EPERM in its place by resuming at a
 * bare return (pmg_ret_stub), which leaves the tracee exactly as
 * ptrace_check_attach() left it (sys_ptrace() then thaws it). A kretprobe
 * there could only change the result after the write. Because the stub is
 * the module's code, unloading waits (synchronize_rcu_tasks()) for every
 * task to be past it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/syscall.h>
#include "probe_ptrace.h"
#include "procmem_guard.h"
#include "record.h"
#include "stats.h"
#include "verdict.h"

#define PMG_PTRACE_ACTIVE	16	/* kretprobe instances per CPU */

/* x86_64 system call numbers, native, i386 and x32. */
#define PMG_NR_PTRACE		101
#define PMG_NR_VM_READV		310
#define PMG_NR_VM_WRITEV	311
#define PMG_NR_PIDFD_GETFD	438
#define PMG_NR32_PTRACE		26
#define PMG_NR32_VM_READV	347
#define PMG_NR32_VM_WRITEV	348
#define PMG_NRX32_PTRACE	521
#define PMG_NRX32_VM_READV	539
#define PMG_NRX32_VM_WRITEV	540
#define PMG_X32_BIT		0x40000000

/* Resuming here returns from the probed function with regs->ax. */
asmlinkage void pmg_ret_stub(void);
asm(".pushsection .text\n"
	".type pmg_ret_stub, @function\n"
	".globl pmg_ret_stub\n"
	"pmg_ret_stub:\n"
	ANNOTATE_NOENDBR
	ASM_RET
	".size pmg_ret_stub, .-pmg_ret_stub\n"
	".popsection\n");

/*
 * What a kretprobe instance carries from entry to return: plain values,
 * no reference (an instance in flight when the probe goes is dropped
 * without its return handler). The tasks stay valid until the return:
 * the caller holds the lock that keeps them.
 */
struct pmg_check {
	struct task_struct *task;	/* the target, or the tracer (traceme) */
	u32 request;
	u8 channel;
	u8 access;
	bool traceme;		/* task is the tracer */
};

/*
 * The channel and access of the system call current is in, from its
 * number and ABI; 0 for any other. The ptrace request, for ptrace.
 */
static u8 pmg_classify(u8 *access, u32 *request)
{
	struct pt_regs *uregs = task_pt_regs(current);
	long nr = syscall_get_nr(current, uregs);
	bool ptrace;

	if (current->flags & (PF_KTHREAD | PF_IO_WORKER))
		return 0;
	if (in_ia32_syscall()) {
		ptrace = nr == PMG_NR32_PTRACE;
		*access = nr == PMG_NR32_VM_READV ? PMG_ACCESS_READ :
			  nr == PMG_NR32_VM_WRITEV ? PMG_ACCESS_WRITE : 0;
		*request = uregs->bx;
	} else if (nr & PMG_X32_BIT) {
		nr &= ~PMG_X32_BIT;
		ptrace = nr == PMG_NRX32_PTRACE;
		*access = nr == PMG_NRX32_VM_READV ? PMG_ACCESS_READ :
			  nr == PMG_NRX32_VM_WRITEV ? PMG_ACCESS_WRITE : 0;
		*request = uregs->di;
	} else {
		ptrace = nr == PMG_NR_PTRACE;
		*access = nr == PMG_NR_VM_READV ? PMG_ACCESS_READ :
			  nr == PMG_NR_VM_WRITEV ? PMG_ACCESS_WRITE : 0;
		*request = uregs->di;
	}
	if (*access)
		return PMG_CHANNEL_PROCESS_VM;
	*access = PMG_ACCESS_ATTACH;
	if (ptrace && (*request == PTRACE_ATTACH || *request == PTRACE_SEIZE))
		return PMG_CHANNEL_PTRACE;
	if (nr == PMG_NR_PIDFD_GETFD)	/* the same number everywhere */
		return PMG_CHANNEL_PIDFD_GETFD;
	return 0;
}

/*
 * Return of a check: records the access, decides, refuses it if the
 * policy says so, and reports it with its outcome.
 */
static int pmg_check_end(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pmg_check *c = (struct pmg_check *)ri->data;
	long ret = regs_return_value(regs);
	struct pmg_record rec;
	struct pmg_verdict v;
	bool blocked = false;

	if (c->traceme) {
		pmg_record_traceme(&rec, c->task);
	} else {
		pmg_record_task(&rec, c->task, c->channel, c->access);
		rec.request = c->request;
	}
	rcu_read_lock();
	if (!pmg_verdict_decide(&rec, &v)) {
		rcu_read_unlock();
		return 0;
	}
	if (v.refuse && !ret) {
		regs_set_return_value(regs, -EPERM);
		blocked = true;
	} else {
		rec.outcome = ret ? PMG_OUTCOME_REFUSED : PMG_OUTCOME_GRANTED;
	}
	pmg_verdict_finish(&rec, &v, blocked, NULL);
	rcu_read_unlock();
	return 0;
}

static int pmg_access_check_begin(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct pmg_check *c = (struct pmg_check *)ri->data;
	unsigned int mode = regs_get_kernel_argument(regs, 1);

	/* Reads (ps, top), and mem opens (FSCREDS): not ours here. */
	if (!(mode & PTRACE_MODE_ATTACH) || !(mode & PTRACE_MODE_REALCREDS) ||
	    WARN_ON_ONCE(!in_task()))
		return 1;
	c->request = 0;
	c->traceme = false;
	c->channel = pmg_classify(&c->access, &c->request);
	if (!c->channel)
		return 1;
	if (c->channel != PMG_CHANNEL_PTRACE)
		c->request = 0;
	c->task = (struct task_struct *)regs_get_kernel_argument(regs, 0);
	return 0;
}

/* PTRACE_TRACEME: the parent offered the tracing is the accessor. */
static int pmg_traceme_begin(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct pmg_check *c = (struct pmg_check *)ri->data;

	if (WARN_ON_ONCE(!in_task()))
		return 1;
	c->task = (struct task_struct *)regs_get_kernel_argument(regs, 0);
	c->traceme = true;
	return 0;
}

static struct kretprobe pmg_access_krp = {
	.kp.symbol_name = "security_ptrace_access_check",
	.entry_handler = pmg_access_check_begin,
	.handler = pmg_check_end,
	.data_size = sizeof(struct pmg_check),
};

static struct kretprobe pmg_traceme_krp = {
	.kp.symbol_name = "security_ptrace_traceme",
	.entry_handler = pmg_traceme_begin,
	.handler = pmg_check_end,
	.data_size = sizeof(struct pmg_check),
};

/* The ptrace requests that write the tracee's memory or registers. */
static bool pmg_writes(long request)
{
	switch (request) {
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
	case PTRACE_POKEUSR:
	case PTRACE_SETREGS:
	case PTRACE_SETFPREGS:
	case PTRACE_SETFPXREGS:
	case PTRACE_SETREGSET:
		return true;
	}
	return false;
}

/* A write request of an attached tracer: reported, refused by policy. */
static int pmg_request(struct pt_regs *regs, long request)
{
	struct task_struct *child;
	struct pmg_record rec;
	struct pmg_verdict v;
	bool blocked = false;

	if (!pmg_writes(request) || WARN_ON_ONCE(!in_task()))
		return 0;
	child = (struct task_struct *)regs_get_kernel_argument(regs, 0);
	pmg_record_task(&rec, child, PMG_CHANNEL_PTRACE, PMG_ACCESS_WRITE);
	rec.request = request;
	rcu_read_lock();
	if (!pmg_verdict_decide(&rec, &v)) {
		rcu_read_unlock();
		return 0;
	}
	if (v.refuse) {
		regs_set_return_value(regs, -EPERM);
		instruction_pointer_set(regs, (unsigned long)pmg_ret_stub);
		blocked = true;
	} else {
		/* ptrace_check_attach() passed: the request goes ahead. */
		rec.outcome = PMG_OUTCOME_GRANTED;
	}
	pmg_verdict_finish(&rec, &v, blocked, NULL);
	rcu_read_unlock();
	return blocked;
}

/* arch_ptrace(child, long request, addr, data) */
static int pmg_request_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return pmg_request(regs, regs_get_kernel_argument(regs, 1));
}

/* compat_arch_ptrace(child, compat_long_t request, addr, data) */
static int pmg_compat_request_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return pmg_request(regs, (int)regs_get_kernel_argument(regs, 1));
}

static struct kprobe pmg_request_kp = {
	.symbol_name = "arch_ptrace",
	.pre_handler = pmg_request_pre,
};

static struct kprobe pmg_compat_request_kp = {
	.symbol_name = "compat_arch_ptrace",
	.pre_handler = pmg_compat_request_pre,
};

static struct kretprobe *pmg_krps[] = { &pmg_access_krp, &pmg_traceme_krp };
static bool pmg_compat_armed;

int pmg_probe_ptrace_init(void)
{
	int maxactive = max(64, PMG_PTRACE_ACTIVE * (int)num_possible_cpus());
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(pmg_krps); i++)
		pmg_krps[i]->maxactive = maxactive;
	err = register_kretprobes(pmg_krps, ARRAY_SIZE(pmg_krps));
	if (err) {
		pr_err("cannot register the kretprobes on the ptrace checks: %d\n",
		       err);
		return err;
	}
	err = register_kprobe(&pmg_request_kp);
	if (err) {
		pr_err("cannot register a kprobe on arch_ptrace: %d\n", err);
		unregister_kretprobes(pmg_krps, ARRAY_SIZE(pmg_krps));
		return err;
	}
	/* Absent without 32-bit support: then there is nothing to see. */
	pmg_compat_armed = !register_kprobe(&pmg_compat_request_kp);
	if (!pmg_compat_armed && IS_ENABLED(CONFIG_COMPAT))
		pr_warn("cannot register a kprobe on compat_arch_ptrace: 32-bit tracers' writes are not seen\n");
	return 0;
}

void pmg_probe_ptrace_exit(void)
{
	if (pmg_compat_armed)
		unregister_kprobe(&pmg_compat_request_kp);
	unregister_kprobe(&pmg_request_kp);
	unregister_kretprobes(pmg_krps, ARRAY_SIZE(pmg_krps));
	/* A task may have been preempted between the handler and the stub. */
	synchronize_rcu_tasks();
}

unsigned long pmg_probe_ptrace_nmissed(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pmg_krps); i++)
		n += READ_ONCE(pmg_krps[i]->nmissed) +
		     READ_ONCE(pmg_krps[i]->kp.nmissed);
	n += READ_ONCE(pmg_request_kp.nmissed);
	if (pmg_compat_armed)
		n += READ_ONCE(pmg_compat_request_kp.nmissed);
	return n;
}
