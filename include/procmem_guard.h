/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * procmem_guard.h - the generic netlink interface of procmem-guard.
 *
 * Shared by the kernel module and the userspace CLI. Everything here is ABI:
 * append only, never renumber. PMG_PROTOCOL_VERSION is bumped when a change
 * is not backward compatible; the CLI refuses a module whose protocol version
 * it does not speak.
 *
 * Family "procmem_guard", multicast group "alerts". Joining "alerts" needs
 * CAP_NET_ADMIN in the initial user namespace; every command that changes
 * the policy (SET_CONFIG, ALLOW_ADD, ALLOW_DEL, APPLY, LOCK) and listing
 * the rules need CAP_SYS_ADMIN there; GET_STATS and PACE need
 * CAP_NET_ADMIN; GET_STATUS and GET_CONFIG are open to everybody, and
 * GET_STATUS leaves the counters out for a caller without CAP_NET_ADMIN.
 * Every request is validated strictly: an unknown attribute, a wrong type or
 * a truncated attribute is refused with -EINVAL and an extack message.
 */
#ifndef _UAPI_PROCMEM_GUARD_H
#define _UAPI_PROCMEM_GUARD_H

#define PMG_GENL_NAME		"procmem_guard"
#define PMG_GENL_VERSION	1	/* genlmsghdr.version */
#define PMG_MCGRP_ALERTS	"alerts"
#define PMG_PROTOCOL_VERSION	2	/* PMG_A_PROTOCOL_VERSION */

#define PMG_COMM_LEN		16	/* TASK_COMM_LEN, NUL included */
#define PMG_MAX_RULES		256	/* allow rules the module holds */
#define PMG_MAX_PACERS		4	/* pacing listeners (PMG_CMD_PACE) */
#define PMG_EXE_PATH_MAX	4096	/* PATH_MAX: an allow rule's exe path */

/* Commands (genlmsghdr.cmd). */
enum pmg_cmd {
	PMG_CMD_UNSPEC,
	/* do: reply carries PMG_A_PROTOCOL_VERSION, PMG_A_MODULE_VERSION,
	 * PMG_A_CONFIG, PMG_A_ARMED and, for a caller with CAP_NET_ADMIN,
	 * PMG_A_STATS. Open to everybody (read only).
	 */
	PMG_CMD_GET_STATUS,
	/* do, CAP_NET_ADMIN: reply carries PMG_A_STATS. */
	PMG_CMD_GET_STATS,
	/* multicast on "alerts": one or more PMG_A_FINDING and PMG_A_NOTICE
	 * nests, in sequence order. Never a request: sending it to the kernel
	 * is refused.
	 */
	PMG_CMD_FINDING,
	/* do: reply carries PMG_A_CONFIG. */
	PMG_CMD_GET_CONFIG,
	/* do, CAP_SYS_ADMIN: request carries PMG_A_CONFIG with the fields to
	 * change.
	 */
	PMG_CMD_SET_CONFIG,
	/* do, CAP_SYS_ADMIN: request carries one PMG_A_RULE; the reply
	 * carries the new rule's id in PMG_A_RULE_ID.
	 */
	PMG_CMD_ALLOW_ADD,
	/* do, CAP_SYS_ADMIN: request carries PMG_A_RULE_ID. */
	PMG_CMD_ALLOW_DEL,
	/* do, CAP_SYS_ADMIN: reply carries one PMG_A_RULE nest per rule. */
	PMG_CMD_ALLOW_LIST,
	/* do, CAP_SYS_ADMIN: request carries PMG_A_CONFIG (optional) and any
	 * number of PMG_A_RULE nests; the whole policy is replaced at once, or
	 * nothing changes.
	 */
	PMG_CMD_APPLY,
	/* do, CAP_SYS_ADMIN: lock the policy until reboot (see README). */
	PMG_CMD_LOCK,
	/* do, CAP_NET_ADMIN, no attributes: the socket the request comes from becomes
	 * a pacing listener. While its receive queue is more than half full,
	 * the module holds findings back in its rings (for at most a second,
	 * then the listener counts as stalled); what the rings cannot hold is
	 * counted as drop_ring_full. Ends when the socket is closed.
	 * -ENOSPC: PMG_MAX_PACERS sockets pace already.
	 */
	PMG_CMD_PACE,
	__PMG_CMD_MAX,
};

#define PMG_CMD_MAX (__PMG_CMD_MAX - 1)

/* Top-level attributes. */
enum pmg_attr {
	PMG_A_UNSPEC,
	PMG_A_PROTOCOL_VERSION,	/* u32: PMG_PROTOCOL_VERSION of the module */
	PMG_A_MODULE_VERSION,	/* string: module version, e.g. "0.1.0" */
	PMG_A_FINDING,		/* nest of enum pmg_finding_attr */
	PMG_A_STATS,		/* nest of enum pmg_stat_attr */
	PMG_A_CONFIG,		/* nest of enum pmg_config_attr */
	PMG_A_RULE,		/* nest of enum pmg_rule_attr */
	PMG_A_RULE_ID,		/* u32: id of an allow rule */
	PMG_A_PAD,
	PMG_A_ARMED,		/* u8: 1 if every probe is armed and firing,
				 * 0 if one was found disarmed
				 */
	PMG_A_NOTICE,		/* nest of enum pmg_notice_attr */
	__PMG_A_MAX,
};

#define PMG_A_MAX (__PMG_A_MAX - 1)

/*
 * Signatures. Below 2000, numbered as Tracee numbers them (TRC-<n>); from
 * 2001, procmem-guard's own (PMG-<n>), for routes Tracee has none for.
 */
enum pmg_signature {
	PMG_SIG_PTRACE_INJECT = 103,	/* TRC-103, ptrace code injection:
					 * POKETEXT/POKEDATA/POKEUSER/SETREGS
					 */
	PMG_SIG_MEM_READ = 1023,	/* TRC-1023, Process memory access */
	PMG_SIG_MEM_WRITE = 1024,	/* TRC-1024, Code injection via mem */
	PMG_SIG_VM_WRITE = 1025,	/* TRC-1025, process_vm_writev */
	PMG_SIG_VM_READ = 2001,		/* PMG-2001, process_vm_readv */
	PMG_SIG_PTRACE_ATTACH = 2002,	/* PMG-2002, ptrace attach/seize/
					 * traceme
					 */
	PMG_SIG_PIDFD_GETFD = 2003,	/* PMG-2003, pidfd_getfd */
};

/* Access kind (bits): from the file's f_mode for mem opens. */
enum pmg_access {
	PMG_ACCESS_READ = 1,
	PMG_ACCESS_WRITE = 2,
	PMG_ACCESS_READ_WRITE = 3,
	PMG_ACCESS_ATTACH = 4,	/* ptrace attach, pidfd_getfd */
};

/* What the module did with the access. */
enum pmg_action {
	PMG_ACTION_ALERT = 1,	/* reported, let through */
	PMG_ACTION_BLOCK = 2,	/* reported, refused by procmem-guard */
	PMG_ACTION_ALLOW = 3,	/* an allow rule covered it (report_allowed) */
};

/* What became of the access (the probe sees it before the kernel's own
 * checks and the other LSMs decide).
 */
enum pmg_outcome {
	PMG_OUTCOME_GRANTED = 1,	/* the kernel let it through: the file
					 * opened, the permission check passed
					 */
	PMG_OUTCOME_REFUSED = 2,	/* the kernel refused it: permissions,
					 * another LSM, ptrace rules
					 */
	PMG_OUTCOME_BLOCKED = 3,	/* procmem-guard refused it */
	PMG_OUTCOME_UNKNOWN = 4,	/* not known when the finding was sent
					 * (the open had not ended after 2 s)
					 */
};

/* The route to another process's memory. */
enum pmg_channel {
	PMG_CHANNEL_PROC_MEM = 1,	/* open of a procfs mem file */
	PMG_CHANNEL_PROCESS_VM = 2,	/* process_vm_readv/writev */
	PMG_CHANNEL_PTRACE = 3,		/* ptrace attach, seize, traceme,
					 * pokes and SETREGS
					 */
	PMG_CHANNEL_PIDFD_GETFD = 4,	/* pidfd_getfd */
};

/* Why findings were summarized instead of sent one by one. */
enum pmg_reason {
	PMG_REASON_RING_FULL = 1,	/* the CPU's ring had no room */
	PMG_REASON_BUDGET = 2,		/* the accessor's user had used its
					 * share of the ring
					 */
	PMG_REASON_RATE_LIMIT = 3,	/* the pair's rate limit */
	PMG_REASON_LOG_LIMIT = 4,	/* the kernel log's rate limit */
	PMG_REASON_SEND = 5,		/* the message could not be sent to
					 * every listener (a full socket)
					 */
};

/* Which procfs file matched. */
enum pmg_kind {
	PMG_KIND_PID_MEM = 1,	/* /<pid>/mem */
	PMG_KIND_TASK_MEM = 2,	/* /<pid>/task/<tid>/mem */
};

/*
 * Attributes of one finding (nested in PMG_A_FINDING). "init ns" means the
 * number as the initial pid namespace sees it; "v" numbers are as the
 * accessor's own pid namespace sees them (0: not visible there).
 * An attribute whose value could not be had is left out, never invented.
 */
enum pmg_finding_attr {
	PMG_F_UNSPEC,
	PMG_F_SEQ,		/* u64: number of the finding among those the
				 * module delivered (sent or logged) since
				 * load, from 1: a gap is a lost finding
				 */
	PMG_F_SIGNATURE,	/* u32: enum pmg_signature */
	PMG_F_ACCESS,		/* u8: enum pmg_access of the open */
	PMG_F_FLAGS,		/* u32: the open's f_flags (O_* bits) */
	PMG_F_ACTION,		/* u8: enum pmg_action */
	PMG_F_TIME_NS,		/* u64: CLOCK_REALTIME of the open, ns */
	PMG_F_KIND,		/* u8: enum pmg_kind */
	PMG_F_PID,		/* u32: accessor tgid, init ns */
	PMG_F_TID,		/* u32: accessor thread id, init ns */
	PMG_F_PPID,		/* u32: accessor's parent tgid, init ns */
	PMG_F_VPID,		/* u32: accessor tgid, accessor's ns */
	PMG_F_VTID,		/* u32: accessor thread id, accessor's ns */
	PMG_F_VPPID,		/* u32: parent tgid, accessor's ns */
	PMG_F_UID,		/* u32: real uid, initial user ns */
	PMG_F_EUID,		/* u32: effective uid, initial user ns */
	PMG_F_GID,		/* u32: real gid, initial user ns */
	PMG_F_COMM,		/* string: accessor comm (raw bytes) */
	PMG_F_EXE,		/* string: accessor executable path */
	PMG_F_EXE_DEV,		/* u32: st_dev of the executable */
	PMG_F_EXE_INO,		/* u64: st_ino of the executable */
	PMG_F_CGROUP_ID,	/* u64: cgroup v2 id of the accessor */
	PMG_F_PIDNS,		/* u32: inode of the accessor's pid ns */
	PMG_F_MNTNS,		/* u32: inode of the accessor's mount ns */
	PMG_F_TARGET_PID,	/* u32: target tgid, init ns */
	PMG_F_TARGET_TID,	/* u32: target tid, init ns (task/<tid>/mem) */
	PMG_F_TARGET_VPID,	/* u32: target tgid, accessor's ns */
	PMG_F_TARGET_VTID,	/* u32: target tid, accessor's ns */
	PMG_F_TARGET_COMM,	/* string: target comm (raw bytes) */
	PMG_F_TARGET_SELF,	/* u8: 1 if target tgid == accessor tgid */
	PMG_F_PATH,		/* string: path from the accessor's mount ns root */
	PMG_F_PROCFS_PATH,	/* string: "/<pid>/mem", "/<pid>/task/<tid>/mem" */
	PMG_F_DEV,		/* u32: st_dev of the mem file (new encoding) */
	PMG_F_INO,		/* u64: st_ino of the mem file */
	PMG_F_SUPPRESSED,	/* u32: findings of this pair suppressed since
				 * the previous one sent (rate limit)
				 */
	PMG_F_PAD,
	PMG_F_OUTCOME,		/* u8: enum pmg_outcome */
	PMG_F_CHANNEL,		/* u8: enum pmg_channel (absent: proc-mem) */
	PMG_F_SYSCALL,		/* u32: the accessor's system call number */
	PMG_F_COMPAT,		/* u8: 1 if that number is a 32-bit call's */
	PMG_F_REQUEST,		/* u32: the ptrace request (channel ptrace) */
	PMG_F_SUMMARY,		/* u32: this is a summary: it stands for that
				 * many findings of this accessor and target
				 * that were not sent one by one
				 */
	PMG_F_REASON,		/* u8: enum pmg_reason (summaries) */
	PMG_F_FIRST_NS,		/* u64: CLOCK_REALTIME of the first finding a
				 * summary stands for (PMG_F_TIME_NS: the last)
				 */
	PMG_F_PARTIAL,		/* u32: bits of enum pmg_partial: fields that
				 * could not be had whole
				 */
	__PMG_F_MAX,
};

#define PMG_F_MAX (__PMG_F_MAX - 1)

/* Fields a finding could only give in part (PMG_F_PARTIAL). */
enum pmg_partial {
	PMG_PARTIAL_PATH = 1,	/* the mount was no longer reachable from its
				 * namespace's root: the path starts at the
				 * mount
				 */
};

/* What a notice tells (PMG_N_TYPE). */
enum pmg_notice_type {
	PMG_NOTICE_DISARMED = 1,	/* a probe stopped firing (ftrace or
					 * kprobes switched off)
					 */
	PMG_NOTICE_ARMED = 2,		/* it fires again */
	PMG_NOTICE_POLICY = 3,		/* the policy changed (who, what) */
	PMG_NOTICE_UNLOAD = 4,		/* the module is being unloaded
					 * (PMG_N_DETAIL says if forced while
					 * locked)
					 */
};

/*
 * Attributes of a notice (nested in PMG_A_NOTICE): events of the module
 * itself, in the same sequence as the findings.
 */
enum pmg_notice_attr {
	PMG_N_UNSPEC,
	PMG_N_SEQ,		/* u64: sequence number, shared with findings */
	PMG_N_TYPE,		/* u8: enum pmg_notice_type */
	PMG_N_TIME_NS,		/* u64: CLOCK_REALTIME, ns */
	PMG_N_PID,		/* u32: who (tgid, init ns): policy changes */
	PMG_N_UID,		/* u32: their effective uid, init user ns */
	PMG_N_COMM,		/* string: their comm */
	PMG_N_EXE,		/* string: their executable */
	PMG_N_CMD,		/* u8: the enum pmg_cmd that changed the policy */
	PMG_N_DETAIL,		/* string: what changed, or which probe */
	PMG_N_PAD,
	__PMG_N_MAX,
};

#define PMG_N_MAX (__PMG_N_MAX - 1)

/*
 * Statistics (nested in PMG_A_STATS), all u64, counted since load.
 * Findings are counted one per signature: an O_RDWR open is two findings.
 * Every finding ends in exactly one of sent, drop_ring_full, drop_send,
 * logged, suppressed or allowed (inflight until then), so always:
 *   matches = sent + drop_ring_full + drop_send + logged
 *             + suppressed + allowed + inflight (in findings, once idle)
 */
enum pmg_stat_attr {
	PMG_S_UNSPEC,
	PMG_S_INSPECTED,	/* opens seen by the probe */
	PMG_S_MATCHES,		/* findings (mem opens, per signature) */
	PMG_S_SENT,		/* findings multicast to "alerts" */
	PMG_S_DROP_RING_FULL,	/* lost: per-CPU ring was full */
	PMG_S_DROP_SEND,	/* lost: message could not be built or sent */
	PMG_S_LOGGED,		/* nobody listened: went to the kernel log
				 * (if the "log" parameter is on)
				 */
	PMG_S_LOG_RATELIMITED,	/* of LOGGED, lines the log rate limit ate */
	PMG_S_NMISSED,		/* misses of the kprobe (its handler did not
				 * run, e.g. on recursion)
				 */
	PMG_S_BLOCKED,		/* findings whose open was denied */
	PMG_S_ALLOWED,		/* findings an allow rule covered and that
				 * were not reported (report-allowed off;
				 * with it on, they count where delivered)
				 */
	PMG_S_SUPPRESSED,	/* findings the rate limit suppressed */
	PMG_S_RATE_EVICTIONS,	/* rate-table entries evicted */
	PMG_S_ENFORCE_MISSES,	/* opens that may have escaped denial: kprobe
				 * misses while a block mode was in force,
				 * and denials that could not be applied
				 * (the module was being unloaded)
				 */
	PMG_S_INFLIGHT,		/* records (opens) queued, not yet sent */
	PMG_S_PACED,		/* unused since 0.2: always 0 (mem opens no
				 * longer wait for a pacing listener)
				 */
	PMG_S_PACE_TIMEOUTS,	/* unused since 0.2: always 0 */
	PMG_S_PACERS,		/* pacing listeners now */
	PMG_S_PAD,
	PMG_S_GRANTED,		/* delivered findings the kernel let through */
	PMG_S_REFUSED,		/* delivered findings the kernel refused */
	PMG_S_OUTCOME_UNKNOWN,	/* delivered findings whose outcome was not
				 * known in time
				 */
	PMG_S_SUMMARIES,	/* summary findings delivered */
	PMG_S_SUMMARIZED,	/* dropped or suppressed findings that a
				 * delivered summary names
				 */
	PMG_S_SUMMARY_OVERFLOW,	/* of SUMMARIZED, findings whose summary
				 * could name neither accessor nor target
				 * (the CPU's summary table was full)
				 */
	PMG_S_DISARMED,		/* times a probe was found disarmed */
	PMG_S_NOTICES,		/* notices delivered */
	__PMG_S_MAX,
};

#define PMG_S_MAX (__PMG_S_MAX - 1)

/* Modes for PMG_C_READ / PMG_C_WRITE / PMG_C_ATTACH. */
enum pmg_mode {
	PMG_MODE_OFF = 0,
	PMG_MODE_ALERT = 1,
	PMG_MODE_BLOCK = 2,
};

/* Configuration (nested in PMG_A_CONFIG). */
enum pmg_config_attr {
	PMG_C_UNSPEC,
	PMG_C_READ,		/* u8: enum pmg_mode for read opens */
	PMG_C_WRITE,		/* u8: enum pmg_mode for write opens */
	PMG_C_RATELIMIT,	/* u32: findings per second per pair, 0 = off */
	PMG_C_BURST,		/* u32: burst per pair */
	PMG_C_LOG,		/* u8: log findings nobody listens to */
	PMG_C_REPORT_ALLOWED,	/* u8: report allowed accesses too */
	PMG_C_LOCKED,		/* u8: policy locked (read only) */
	PMG_C_ATTACH,		/* u8: enum pmg_mode for ptrace attach and
				 * pidfd_getfd
				 */
	__PMG_C_MAX,
};

#define PMG_C_MAX (__PMG_C_MAX - 1)

/* Allow rule (nested in PMG_A_RULE). Absent fields match anything; a rule
 * needs at least one of exe, uid, cgroup or self. An exe rule is given by
 * path (PMG_R_EXE_PATH): the module resolves it, in the requester's
 * mount namespace, to the file it names then, and matches that file
 * exactly. PMG_R_EXE_DEV and PMG_R_EXE_INO are in replies only (the
 * superblock's device number and the inode number of that file).
 */
enum pmg_rule_attr {
	PMG_R_UNSPEC,
	PMG_R_ID,		/* u32: rule id (replies only) */
	PMG_R_EXE_DEV,		/* u32: device of the rule's executable
				 * (replies only)
				 */
	PMG_R_EXE_INO,		/* u64: inode of the rule's executable
				 * (replies only)
				 */
	PMG_R_UID,		/* u32: accessor's effective uid */
	PMG_R_CGROUP_ID,	/* u64: accessor's cgroup v2 id */
	PMG_R_SELF,		/* u8: 1 = target is the accessor itself */
	PMG_R_ACCESS,		/* u8: enum pmg_access bits the rule allows */
	PMG_R_PAD,
	PMG_R_EXE_PATH,		/* string: the accessor's executable */
	PMG_R_STALE,		/* u8: 1 if the path now names another file
				 * (replies only)
				 */
	PMG_R_CHANNELS,		/* u8: bits (1 << enum pmg_channel) the rule
				 * covers; absent: every channel
				 */
	__PMG_R_MAX,
};

#define PMG_R_MAX (__PMG_R_MAX - 1)

#endif /* _UAPI_PROCMEM_GUARD_H */
