// SPDX-License-Identifier: GPL-2.0
/*
 * names.c - one name table per enum of the netlink interface, and the
 * lookups both ways (see names.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const access_names[] = { [PMG_ACCESS_READ] = "read",
	[PMG_ACCESS_WRITE] = "write", [PMG_ACCESS_READ_WRITE] = "read-write",
	[PMG_ACCESS_ATTACH] = "attach" };
static const char *const action_names[] = { [PMG_ACTION_ALERT] = "alert",
	[PMG_ACTION_BLOCK] = "block", [PMG_ACTION_ALLOW] = "allow" };
static const char *const kind_names[] = { [PMG_KIND_PID_MEM] = "pid-mem",
	[PMG_KIND_TASK_MEM] = "task-mem" };
static const char *const mode_names[] = { [PMG_MODE_OFF] = "off",
	[PMG_MODE_ALERT] = "alert", [PMG_MODE_BLOCK] = "block" };
static const char *const outcome_names[] = {
	[PMG_OUTCOME_GRANTED] = "granted", [PMG_OUTCOME_REFUSED] = "refused",
	[PMG_OUTCOME_BLOCKED] = "blocked", [PMG_OUTCOME_UNKNOWN] = "unknown" };
static const char *const channel_names[] = {
	[PMG_CHANNEL_PROC_MEM] = "proc-mem",
	[PMG_CHANNEL_PROCESS_VM] = "process-vm",
	[PMG_CHANNEL_PTRACE] = "ptrace",
	[PMG_CHANNEL_PIDFD_GETFD] = "pidfd-getfd" };
static const char *const reason_names[] = {
	[PMG_REASON_RING_FULL] = "ring-full",
	[PMG_REASON_BUDGET] = "user-share-full",
	[PMG_REASON_RATE_LIMIT] = "rate-limit",
	[PMG_REASON_LOG_LIMIT] = "log-limit",
	[PMG_REASON_SEND] = "send-failed" };
static const char *const notice_names[] = {
	[PMG_NOTICE_DISARMED] = "probe-disarmed",
	[PMG_NOTICE_ARMED] = "probe-armed",
	[PMG_NOTICE_POLICY] = "policy-changed",
	[PMG_NOTICE_UNLOAD] = "module-unloading" };

/* The counters, in the order status prints them, with their help lines. */
static const struct {
	const char *name;
	const char *help;
} stats[] = {
	[PMG_S_INSPECTED] = { "inspected", "opens seen by the open probe" },
	[PMG_S_MATCHES] = { "matches", "findings (accesses to another process's memory or mem opens, per signature)" },
	[PMG_S_SENT] = { "sent", "findings sent to listeners" },
	[PMG_S_DROP_RING_FULL] = { "drop_ring_full", "findings not sent one by one: a per-CPU ring, or the user's share of it, was full (summarized)" },
	[PMG_S_DROP_SEND] = { "drop_send", "findings lost: the message could not be sent" },
	[PMG_S_LOGGED] = { "logged", "findings nobody listened to, sent to the kernel log" },
	[PMG_S_LOG_RATELIMITED] = { "log_ratelimited", "of those, lines the log rate limit ate" },
	[PMG_S_NMISSED] = { "nmissed", "probe misses: accesses the probes did not see" },
	[PMG_S_BLOCKED] = { "blocked", "findings whose access procmem-guard refused" },
	[PMG_S_ALLOWED] = { "allowed", "findings an allow rule covered" },
	[PMG_S_SUPPRESSED] = { "suppressed", "findings the rate limit held back (summarized)" },
	[PMG_S_RATE_EVICTIONS] = { "rate_evictions", "rate limit table entries evicted" },
	[PMG_S_ENFORCE_MISSES] = { "enforce_misses", "accesses that may have escaped a refusal (probe misses under a block mode)" },
	[PMG_S_INFLIGHT] = { "inflight", "records queued, not sent yet" },
	[PMG_S_PACED] = { "paced", "unused, always 0" },
	[PMG_S_PACE_TIMEOUTS] = { "pace_timeouts", "unused, always 0" },
	[PMG_S_PACERS] = { "pacers", "pacing listeners now" },
	[PMG_S_GRANTED] = { "granted", "delivered findings the kernel let through" },
	[PMG_S_REFUSED] = { "refused", "delivered findings the kernel refused (permissions, another LSM, ptrace rules)" },
	[PMG_S_OUTCOME_UNKNOWN] = { "outcome_unknown", "delivered findings whose outcome was not known in time" },
	[PMG_S_SUMMARIES] = { "summaries", "summary findings delivered" },
	[PMG_S_SUMMARIZED] = { "summarized", "findings the delivered summaries stand for" },
	[PMG_S_SUMMARY_OVERFLOW] = { "summary_overflow", "of those, findings whose summary names neither accessor nor target" },
	[PMG_S_DISARMED] = { "disarmed", "times the probes were found not firing" },
	[PMG_S_NOTICES] = { "notices", "notices delivered (policy changes, probes disarmed or armed, unload)" },
};

static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n ? names[v] : NULL;
}

static int value_of(const char *const *names, size_t n, const char *s,
		    uint8_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *pmg_access_name(unsigned int access)
{
	return name_of(access_names, COUNT(access_names), access);
}

const char *pmg_action_name(unsigned int action)
{
	return name_of(action_names, COUNT(action_names), action);
}

const char *pmg_kind_name(unsigned int kind)
{
	return name_of(kind_names, COUNT(kind_names), kind);
}

const char *pmg_mode_name(unsigned int mode)
{
	return name_of(mode_names, COUNT(mode_names), mode);
}

const char *pmg_outcome_name(unsigned int outcome)
{
	return name_of(outcome_names, COUNT(outcome_names), outcome);
}

const char *pmg_channel_name(unsigned int channel)
{
	return name_of(channel_names, COUNT(channel_names), channel);
}

const char *pmg_reason_name(unsigned int reason)
{
	return name_of(reason_names, COUNT(reason_names), reason);
}

const char *pmg_notice_name(unsigned int type)
{
	return name_of(notice_names, COUNT(notice_names), type);
}

int pmg_parse_channel(const char *s, uint8_t *out)
{
	return value_of(channel_names, COUNT(channel_names), s, out);
}

const char *pmg_stat_name(int attr)
{
	return attr < 0 || (size_t)attr >= COUNT(stats) ? NULL :
	       stats[attr].name;
}

const char *pmg_stat_help(int attr)
{
	return pmg_stat_name(attr) ? stats[attr].help : NULL;
}

int pmg_parse_access(const char *s, uint8_t *out)
{
	return value_of(access_names, COUNT(access_names), s, out);
}

int pmg_parse_mode(const char *s, uint8_t *out)
{
	return value_of(mode_names, COUNT(mode_names), s, out);
}

/*
 * A comma-separated list of names of a table into bits: the value of each
 * name (access: the values are bits) or 1 << its value (channels).
 */
static int list_parse(const char *const *names, size_t n, bool shift,
		      const char *s, uint8_t *bits)
{
	char word[32];
	const char *end;
	uint8_t v, all = 0;
	size_t len;

	do {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		if (len == 0 || len >= sizeof(word))
			return -EINVAL;
		memcpy(word, s, len);
		word[len] = '\0';
		if (value_of(names, n, word, &v))
			return -EINVAL;
		all |= shift ? (uint8_t)(1U << v) : v;
		s = end + 1;
	} while (end);
	*bits = all;
	return 0;
}

/*
 * The names of bits, joined by commas in table order. Names are taken
 * greedily from the end of the table, so that read-write stands for read
 * and write.
 */
static int list_name(const char *const *names, size_t n, bool shift,
		     unsigned int bits, char *buf, size_t size)
{
	unsigned int v, left = bits, taken = 0;
	size_t i, used = 0;
	int w;

	buf[0] = '\0';
	for (i = n; i-- > 1;) {
		v = shift ? 1U << i : (unsigned int)i;
		if (names[i] && (left & v) == v) {
			left &= ~v;
			taken |= 1U << i;
		}
	}
	if (!bits || left)
		return -EINVAL;
	for (i = 1; i < n; i++) {
		if (!(taken & (1U << i)))
			continue;
		w = snprintf(buf + used, size - used, "%s%s", used ? "," : "",
			     names[i]);
		if (w < 0 || (size_t)w >= size - used)
			return -ENOSPC;
		used += (size_t)w;
	}
	return 0;
}

int pmg_parse_access_list(const char *s, uint8_t *bits)
{
	return list_parse(access_names, COUNT(access_names), false, s, bits);
}

int pmg_parse_channel_list(const char *s, uint8_t *bits)
{
	return list_parse(channel_names, COUNT(channel_names), true, s, bits);
}

int pmg_access_list_name(unsigned int bits, char *buf, size_t n)
{
	return list_name(access_names, COUNT(access_names), false, bits, buf,
			 n);
}

int pmg_channel_list_name(unsigned int bits, char *buf, size_t n)
{
	return list_name(channel_names, COUNT(channel_names), true, bits, buf,
			 n);
}

/*
 * The system calls a finding's PMG_F_SYSCALL is likely to hold: those that
 * open a file (a mem open), ptrace, process_vm_readv/writev and
 * pidfd_getfd, by number, for the native ABI and the 32-bit one
 * (compat). Others have no name here.
 */
struct nr_name {
	unsigned int nr;
	const char *name;
};

#if defined(__x86_64__)
#define PMG_X32_BIT	0x40000000u
static const struct nr_name native_calls[] = {
	{ 2, "open" }, { 85, "creat" }, { 101, "ptrace" },
	{ 257, "openat" }, { 304, "open_by_handle_at" },
	{ 310, "process_vm_readv" }, { 311, "process_vm_writev" },
	{ 437, "openat2" }, { 438, "pidfd_getfd" },
	/* x32 */
	{ PMG_X32_BIT | 2, "open" }, { PMG_X32_BIT | 85, "creat" },
	{ PMG_X32_BIT | 257, "openat" },
	{ PMG_X32_BIT | 304, "open_by_handle_at" },
	{ PMG_X32_BIT | 437, "openat2" }, { PMG_X32_BIT | 438, "pidfd_getfd" },
	{ PMG_X32_BIT | 521, "ptrace" },
	{ PMG_X32_BIT | 539, "process_vm_readv" },
	{ PMG_X32_BIT | 540, "process_vm_writev" },
};
static const struct nr_name compat_calls[] = {	/* i386 */
	{ 5, "open" }, { 8, "creat" }, { 26, "ptrace" }, { 295, "openat" },
	{ 342, "open_by_handle_at" }, { 347, "process_vm_readv" },
	{ 348, "process_vm_writev" }, { 437, "openat2" },
	{ 438, "pidfd_getfd" },
};
#elif defined(__aarch64__)
static const struct nr_name native_calls[] = {
	{ 56, "openat" }, { 117, "ptrace" }, { 265, "open_by_handle_at" },
	{ 270, "process_vm_readv" }, { 271, "process_vm_writev" },
	{ 437, "openat2" }, { 438, "pidfd_getfd" },
};
static const struct nr_name compat_calls[] = {	/* arm */
	{ 5, "open" }, { 8, "creat" }, { 26, "ptrace" }, { 322, "openat" },
	{ 371, "open_by_handle_at" }, { 376, "process_vm_readv" },
	{ 377, "process_vm_writev" }, { 437, "openat2" },
	{ 438, "pidfd_getfd" },
};
#else
static const struct nr_name native_calls[] = { { 438, "pidfd_getfd" } };
static const struct nr_name compat_calls[] = { { 438, "pidfd_getfd" } };
#endif

static const char *nr_lookup(const struct nr_name *t, size_t n,
			     unsigned int nr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].nr == nr)
			return t[i].name;
	return NULL;
}

const char *pmg_syscall_name(unsigned int nr, bool compat)
{
	return compat ? nr_lookup(compat_calls, COUNT(compat_calls), nr) :
			nr_lookup(native_calls, COUNT(native_calls), nr);
}

/* The ptrace requests the module reports (<sys/ptrace.h> numbers). */
static const struct nr_name ptrace_requests[] = {
	{ 0, "PTRACE_TRACEME" }, { 4, "PTRACE_POKETEXT" },
	{ 5, "PTRACE_POKEDATA" }, { 6, "PTRACE_POKEUSER" },
	{ 13, "PTRACE_SETREGS" }, { 15, "PTRACE_SETFPREGS" },
	{ 16, "PTRACE_ATTACH" }, { 19, "PTRACE_SETFPXREGS" },
	{ 0x4205, "PTRACE_SETREGSET" }, { 0x4206, "PTRACE_SEIZE" },
};

const char *pmg_ptrace_request_name(unsigned int request)
{
	return nr_lookup(ptrace_requests, COUNT(ptrace_requests), request);
}

/* The commands that change the policy, as a notice names them. */
static const char *const cmd_names[] = {
	[PMG_CMD_SET_CONFIG] = "config-set", [PMG_CMD_ALLOW_ADD] = "allow-add",
	[PMG_CMD_ALLOW_DEL] = "allow-del", [PMG_CMD_APPLY] = "apply",
	[PMG_CMD_LOCK] = "lock" };

const char *pmg_cmd_name(unsigned int cmd)
{
	return name_of(cmd_names, COUNT(cmd_names), cmd);
}
