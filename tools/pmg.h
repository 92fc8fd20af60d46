/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg.h - plain C views of what travels over the procmem_guard netlink
 * family (include/procmem_guard.h): findings, notices, configuration,
 * allow rules, statistics and status.
 *
 * Every struct has a "present" bit mask indexed by the attribute number
 * (PMG_F_*, PMG_N_*, PMG_C_*, PMG_R_*, PMG_S_*): a field is meaningful
 * only when its bit is set. A field the kernel left out stays absent; nothing is made up.
 */
#ifndef PMG_H
#define PMG_H

#include <stdbool.h>
#include <stdint.h>

#include <procmem_guard.h>

#define PMG_PATH_LEN		4096	/* PATH_MAX, NUL included */
#define PMG_VERSION_LEN		64

#define PMG_BIT(attr)		(UINT64_C(1) << (attr))
#define PMG_HAS(obj, attr)	(((obj)->present & PMG_BIT(attr)) != 0)
#define PMG_SET(obj, attr)	((obj)->present |= PMG_BIT(attr))

_Static_assert(PMG_F_MAX < 64, "finding attributes must fit the mask");
_Static_assert(PMG_S_MAX < 64, "stat attributes must fit the mask");
_Static_assert(PMG_C_MAX < 64, "config attributes must fit the mask");
_Static_assert(PMG_R_MAX < 64, "rule attributes must fit the mask");
_Static_assert(PMG_N_MAX < 64, "notice attributes must fit the mask");

/*
 * A byte string inside a received message (zero copy): p[0..n) are its
 * bytes, raw (anything but NUL), and p[n] is the NUL the attribute carried.
 * p is NULL when the attribute was absent. It points into the buffer the
 * message was decoded from, so it is valid only as long as that buffer is
 * (for a listener: until the next receive, see listener.h).
 */
struct pmg_str {
	const char *p;
	uint32_t n;
};

#define PMG_COMM_MAX		(PMG_COMM_LEN - 1)	/* bytes of a comm */
#define PMG_PATH_MAX		(PMG_PATH_LEN - 1)	/* bytes of a path */

/*
 * One finding (PMG_A_FINDING nest), or a summary of several (PMG_F_SUMMARY
 * present). Decoded without copying: the strings point into the message.
 */
struct pmg_finding {
	uint64_t present;		/* PMG_BIT(PMG_F_*) */
	uint64_t seq;
	uint64_t time_ns;		/* a summary: its last finding's */
	uint64_t first_ns;		/* a summary: its first finding's */
	uint64_t exe_ino;
	uint64_t cgroup_id;
	uint64_t ino;
	uint32_t signature;		/* enum pmg_signature */
	uint32_t flags;
	uint32_t pid, tid, ppid;
	uint32_t vpid, vtid, vppid;
	uint32_t uid, euid, gid;
	uint32_t exe_dev;
	uint32_t pidns, mntns;
	uint32_t target_pid, target_tid;
	uint32_t target_vpid, target_vtid;
	uint32_t dev;
	uint32_t suppressed;
	uint32_t syscall;		/* the accessor's system call number */
	uint32_t request;		/* ptrace request */
	uint32_t summary;		/* findings a summary stands for */
	uint32_t partial;		/* enum pmg_partial bits */
	uint8_t access;			/* enum pmg_access */
	uint8_t action;			/* enum pmg_action */
	uint8_t kind;			/* enum pmg_kind */
	uint8_t outcome;		/* enum pmg_outcome */
	uint8_t channel;		/* enum pmg_channel */
	uint8_t reason;			/* enum pmg_reason */
	bool target_self;
	bool compat;			/* syscall is a 32-bit call's number */
	struct pmg_str comm;		/* at most PMG_COMM_MAX bytes */
	struct pmg_str exe;		/* at most PMG_PATH_MAX bytes */
	struct pmg_str target_comm;
	struct pmg_str path;
	struct pmg_str procfs_path;
};

/* One notice (PMG_A_NOTICE nest): an event of the module itself. */
struct pmg_notice {
	uint64_t present;		/* PMG_BIT(PMG_N_*) */
	uint64_t seq;			/* shared with the findings */
	uint64_t time_ns;
	uint32_t pid;			/* who (policy changes) */
	uint32_t uid;			/* their effective uid */
	uint8_t type;			/* enum pmg_notice_type */
	uint8_t cmd;			/* enum pmg_cmd that changed the policy */
	struct pmg_str comm;		/* at most PMG_COMM_MAX bytes */
	struct pmg_str exe;		/* at most PMG_PATH_MAX bytes */
	struct pmg_str detail;		/* at most PMG_PATH_MAX bytes */
};

/* Configuration (PMG_A_CONFIG nest). */
struct pmg_config {
	uint64_t present;		/* PMG_BIT(PMG_C_*) */
	uint32_t ratelimit;		/* per second, 0 = off */
	uint32_t burst;
	uint8_t read;			/* enum pmg_mode */
	uint8_t write;			/* enum pmg_mode */
	uint8_t attach;			/* enum pmg_mode */
	bool log;
	bool report_allowed;
	bool locked;
};

/*
 * Allow rule (PMG_A_RULE nest). The module lists an exe rule with the path
 * it was given (exe_path), the file's identity (exe_dev, exe_ino) and
 * whether the path now names another file (stale); a request carries the
 * path only (codec.h).
 */
struct pmg_rule {
	uint64_t present;		/* PMG_BIT(PMG_R_*) */
	uint64_t exe_ino;
	uint64_t cgroup_id;
	uint32_t id;
	uint32_t exe_dev;
	uint32_t uid;			/* effective uid */
	bool self;
	bool stale;
	uint8_t access;			/* bits of enum pmg_access */
	uint8_t channels;		/* bits 1 << enum pmg_channel */
	char exe_path[PMG_PATH_LEN];	/* absolute */
};

/* Statistics (PMG_A_STATS nest), indexed by PMG_S_*. */
struct pmg_stats {
	uint64_t present;		/* PMG_BIT(PMG_S_*) */
	uint64_t v[PMG_S_MAX + 1];
};

/* GET_STATUS reply. */
struct pmg_status {
	bool has_protocol;
	uint32_t protocol;
	char module_version[PMG_VERSION_LEN];	/* "" if absent */
	bool has_armed;				/* PMG_A_ARMED was there */
	bool armed;				/* and said 1 */
	struct pmg_config config;
	struct pmg_stats stats;		/* present == 0: not given (the
					 * counters need CAP_NET_ADMIN)
					 */
};

#endif /* PMG_H */
