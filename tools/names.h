/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h - the names of the values of the netlink interface's enums
 * (include/procmem_guard.h), one table per enum, looked up both ways: the
 * formatters print them, the policy file and the command line parse them.
 */
#ifndef PMG_NAMES_H
#define PMG_NAMES_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <procmem_guard.h>

/* Value -> name; NULL for a value the table does not know. */
const char *pmg_access_name(unsigned int access);	/* read, write, read-write */
const char *pmg_action_name(unsigned int action);	/* alert, block, allow */
const char *pmg_kind_name(unsigned int kind);		/* pid-mem, task-mem */
const char *pmg_mode_name(unsigned int mode);		/* off, alert, block */
const char *pmg_outcome_name(unsigned int outcome);	/* granted, refused, blocked, unknown */
const char *pmg_channel_name(unsigned int channel);	/* proc-mem, process-vm, ptrace, pidfd-getfd */
const char *pmg_reason_name(unsigned int reason);	/* ring-full, user-share-full, rate-limit, log-limit */
const char *pmg_notice_name(unsigned int type);		/* probe-disarmed, probe-armed, policy-changed, module-unloading */
const char *pmg_stat_name(int attr);			/* inspected, ... */
/* What a counter counts, one line for `status --help`; NULL as above. */
const char *pmg_stat_help(int attr);
/* A system call's name from its number (compat: the 32-bit ABI's). */
const char *pmg_syscall_name(unsigned int nr, bool compat);	/* openat, ptrace, ... */
const char *pmg_ptrace_request_name(unsigned int request);	/* PTRACE_ATTACH, ... */
const char *pmg_cmd_name(unsigned int cmd);		/* config-set, allow-add, allow-del, apply, lock */

/* Name -> value: 0, or -EINVAL for a name the table does not know. */
int pmg_parse_access(const char *s, uint8_t *out);	/* read|write|read-write */
int pmg_parse_mode(const char *s, uint8_t *out);	/* off|alert|block */
int pmg_parse_channel(const char *s, uint8_t *out);	/* proc-mem|process-vm|ptrace|pidfd-getfd */

/*
 * Lists, as allow rules take them: names joined by commas. Access kinds
 * (bits of enum pmg_access): read, write, attach, and read-write for read
 * and write together ("read,attach", "read-write,attach"). Channels (bits
 * 1 << enum pmg_channel): "proc-mem,ptrace". Parsing: 0 with *bits set, or
 * -EINVAL for an empty list, an empty or unknown name.
 */
int pmg_parse_access_list(const char *s, uint8_t *bits);
int pmg_parse_channel_list(const char *s, uint8_t *bits);
/*
 * The names of bits into buf (size n), in the table's order, read-write
 * for read and write: 0, or -EINVAL when a bit has no name (nothing
 * written but "") or bits is 0.
 */
int pmg_access_list_name(unsigned int bits, char *buf, size_t n);
int pmg_channel_list_name(unsigned int bits, char *buf, size_t n);

#endif /* PMG_NAMES_H */
