/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - the policy file of `procmem-guard apply`, and the value
 * parsers the command line shares with it.
 *
 * Policy file format: one directive per line; words are separated by
 * blanks; a word that starts with '#' begins a comment that runs to the end
 * of the line; blank lines are ignored. Each setting may appear once.
 *
 *   read off|alert|block          what to do with opens for reading
 *   write off|alert|block         what to do with opens for writing
 *   ratelimit <N>/s [burst <M>]   at most N findings per second per
 *                                 (accessor, target) pair, bursts of M
 *   ratelimit off                 no rate limit
 *   log on|off                    log findings nobody listens to
 *   report-allowed on|off         also report opens an allow rule covers
 *   allow [exe=<path>] [uid=<n>] [cgroup=<path>] [self]
 *         [access=read|write|read-write]
 *                                 one allow rule (any number of them)
 *
 * An allow rule matches an open when all of its selectors match:
 *   exe=<path>     the opener runs this executable; the path is resolved
 *                  now with stat() to its (device, inode) pair, so the rule
 *                  follows the file, not the name (symlinks are followed)
 *   uid=<n>        the opener's effective uid (a number)
 *   cgroup=<path>  the opener is in this cgroup v2 directory, e.g.
 *                  /sys/fs/cgroup/system.slice/x.service; resolved now to
 *                  the cgroup id (the directory's inode number)
 *   self           the opener opens its own memory
 * access= limits the rule to that kind of open (default: any). A rule needs
 * at least one selector; access= alone is not one. Paths must be absolute
 * and cannot contain blanks.
 *
 * Applying a policy replaces all allow rules at once; settings the file
 * does not mention keep their current values.
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
};

/* Where and why parsing failed. */
struct pmg_perr {
	unsigned int line;	/* 1-based; 0 when not about one line */
	char msg[512];		/* "<name>:<line>: <reason>" */
};

/*
 * Parse a policy from f; name is what error messages call it. On success
 * returns 0 and *out must be released with pmg_policy_free(). On error
 * returns -EINVAL (or -ENOMEM, -EIO) with *err filled and *out empty.
 */
int pmg_policy_parse(FILE *f, const char *name, struct pmg_policy *out,
		     struct pmg_perr *err);
/* Same, from the file at path. */
int pmg_policy_load(const char *path, struct pmg_policy *out,
		    struct pmg_perr *err);
void pmg_policy_free(struct pmg_policy *p);

/* Value parsers: 0, or -EINVAL (the enums' names: names.h). */
int pmg_parse_u32(const char *s, uint32_t *out);	/* decimal */
int pmg_parse_onoff(const char *s, bool *out);		/* on|off */
int pmg_parse_rate(const char *s, uint32_t *out);	/* <N>/s (N >= 1) | off (0) */

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
/*
 * The selector attr from value: PMG_R_EXE_INO (exe=, both exe attributes),
 * PMG_R_UID, PMG_R_CGROUP_ID, PMG_R_ACCESS, PMG_R_SELF (value unused).
 */
int pmg_rule_set(struct pmg_rule *r, int attr, const char *value,
		 char *msg, size_t msgsz);
/* One word of an allow line: exe=, uid=, cgroup=, self, access=. */
int pmg_rule_parse_word(struct pmg_rule *r, const char *word,
			char *msg, size_t msgsz);
/* A rule must have a selector: exe, uid, cgroup or self. */
int pmg_rule_check(const struct pmg_rule *r, char *msg, size_t msgsz);

/*
 * One "key=value" of `config set` (read, write, ratelimit, burst, log,
 * report-allowed) into *c. A key given twice is an error.
 */
int pmg_config_set_kv(struct pmg_config *c, const char *kv,
		      char *msg, size_t msgsz);

#endif /* PMG_POLICY_H */
