/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - the policy file of `procmem-guard apply`, and the value
 * parsers the command line shares with it.
 *
 * Policy file format: one directive per line; words are separated by
 * blanks; a word that starts with '#' begins a comment that runs to the end
 * of the line; blank lines are ignored. Each setting may appear once.
 *
 *   read off|alert|block          reading another process's memory
 *   write off|alert|block         writing it
 *   attach off|alert|block        attaching to it (ptrace, pidfd_getfd)
 *   ratelimit <N>/s|off           at most N findings per second per
 *                                 (accessor, target) pair, or no limit
 *   burst <M>                     findings a pair may send at once
 *   log on|off                    log findings nobody listens to
 *   report_allowed on|off         also report accesses an allow rule covers
 *   allow [exe=<path>] [uid=<n>] [cgroup=<path>] [self]
 *         [access=<kinds>] [channel=<channels>]
 *                                 one allow rule (any number of them)
 *
 * The setting names and their values are those of `config set`, of the
 * module parameters, of `status` and of the JSON output. Older spellings
 * still read, with a warning: "report-allowed", and "ratelimit <N>/s
 * burst <M>" on one line.
 *
 * An allow rule matches an access when all of its selectors match:
 *   exe=<path>     the accessor runs this executable; the path is made
 *                  canonical now (realpath(3): symlinks resolved) and the
 *                  module holds the file it names then, so the rule follows
 *                  that file, not the name
 *   uid=<n>        the accessor's effective uid (a number)
 *   cgroup=<path>  the accessor is in this cgroup v2 directory, e.g.
 *                  /sys/fs/cgroup/system.slice/x.service; resolved now to
 *                  the cgroup id (the directory's inode number)
 *   self           the accessor reaches its own memory
 * access= limits the rule to those kinds (read, write, attach, read-write,
 * joined by commas; default: any), channel= to those routes (proc-mem,
 * process-vm, ptrace, pidfd-getfd; default: any). A rule needs at least
 * one of exe, uid, cgroup or self. Paths must be absolute and cannot
 * contain blanks.
 *
 * What applying does (apply.c): the settings the file gives replace the
 * running ones, the others keep their running values, and the allow rules
 * are replaced by the file's.
 */
#ifndef PMG_POLICY_H
#define PMG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "names.h"
#include "pmg.h"

struct pmg_policy {
	struct pmg_config config;	/* the settings the file gives */
	struct pmg_rule *rules;		/* malloc()ed */
	size_t nrules;
	unsigned int directives;	/* settings and rules given */
	char *warnings;			/* malloc()ed "<name>:<line>: ...\n"
					 * lines, or NULL
					 */
};

/* Where and why parsing failed. */
struct pmg_perr {
	unsigned int line;	/* 1-based; 0 when not about one line */
	char msg[512];		/* "<name>:<line>: <reason>" */
};

/*
 * Parse a policy from f; name is what messages call it. On success returns
 * 0 and *out must be released with pmg_policy_free(). On error returns
 * -EINVAL (or -ENOMEM, -EIO) with *err filled and *out empty.
 */
int pmg_policy_parse(FILE *f, const char *name, struct pmg_policy *out,
		     struct pmg_perr *err);
/* Same, from the file at path (-EISDIR: a directory). */
int pmg_policy_load(const char *path, struct pmg_policy *out,
		    struct pmg_perr *err);
void pmg_policy_free(struct pmg_policy *p);

/*
 * s as messages show it: bytes that are not printable ASCII as '?', cut
 * with "..." to fit buf (size bufsz > 4). Returns buf.
 */
const char *pmg_shown(const char *s, char *buf, size_t bufsz);

/* Value parsers: 0, or -EINVAL (the enums' names: names.h). */
int pmg_parse_u32(const char *s, uint32_t *out);	/* decimal */
int pmg_parse_onoff(const char *s, bool *out);		/* on|off */
int pmg_parse_rate(const char *s, uint32_t *out);	/* <N>/s (N >= 1) | off (0) */

/*
 * The settings, in the order status, config show and config export print
 * them: the name every interface spells them with, and the values they
 * take.
 */
struct pmg_setting {
	const char *name;	/* "read", "report_allowed" */
	const char *values;	/* "off|alert|block" */
	int attr;		/* PMG_C_* */
};

/* The table; *n gets its length. */
const struct pmg_setting *pmg_settings(size_t *n);

/*
 * The value of setting attr in c, as config set and the policy file take
 * it ("block", "10/s", "off", "20", "on"), into buf (size n): 0, or
 * -ENOENT when c lacks it.
 */
int pmg_setting_value(const struct pmg_config *c, int attr, char *buf,
		      size_t n);

/*
 * Allow rule selectors. On error they return -EINVAL and put the reason in
 * msg (msgsz bytes).
 */
int pmg_rule_set_exe(struct pmg_rule *r, const char *path,
		     char *msg, size_t msgsz);
int pmg_rule_set_cgroup(struct pmg_rule *r, const char *path,
			char *msg, size_t msgsz);
int pmg_rule_set_uid(struct pmg_rule *r, const char *uid,
		     char *msg, size_t msgsz);
int pmg_rule_set_access(struct pmg_rule *r, const char *access,
			char *msg, size_t msgsz);
int pmg_rule_set_channel(struct pmg_rule *r, const char *channels,
			 char *msg, size_t msgsz);
/*
 * The selector attr from value: PMG_R_EXE_PATH (exe=: the path, and the
 * file's device and inode for comparisons, which are never sent),
 * PMG_R_UID, PMG_R_CGROUP_ID, PMG_R_ACCESS, PMG_R_CHANNELS, PMG_R_SELF
 * (value unused).
 */
int pmg_rule_set(struct pmg_rule *r, int attr, const char *value,
		 char *msg, size_t msgsz);
/* One word of an allow line: exe=, uid=, cgroup=, self, access=, channel=. */
int pmg_rule_parse_word(struct pmg_rule *r, const char *word,
			char *msg, size_t msgsz);
/* A rule must have a selector: exe, uid, cgroup or self. */
int pmg_rule_check(const struct pmg_rule *r, char *msg, size_t msgsz);
/*
 * Whether an exe rule is advisory (no uid= or cgroup= with it: a process
 * can make its executable look like any file it may run); then the
 * warning is in msg.
 */
bool pmg_rule_advisory(const struct pmg_rule *r, char *msg, size_t msgsz);

/*
 * One "key=value" of `config set` into *c. A key given twice is an error.
 * On success msg holds a warning (an old spelling) or "".
 */
int pmg_config_set_kv(struct pmg_config *c, const char *kv,
		      char *msg, size_t msgsz);

#endif /* PMG_POLICY_H */
