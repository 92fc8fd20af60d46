/* SPDX-License-Identifier: GPL-2.0 */
/*
 * export.h - the policy in the words of the policy file (policy.h): the
 * settings of `status` and `config show`, the rules of `allow list`, the
 * whole running policy of `config export`, and what `apply` would change.
 * JSON uses the same names, with JSON's types: true/false for on/off, the
 * rate as a number per second (0: off).
 *
 * A rule's selectors read as on an allow line: exe=<path> uid=<n>
 * cgroup=<path> self access=<kinds> channel=<channels>. A cgroup the
 * module knows only by id is named by its directory, found by walking the
 * cgroup v2 hierarchy; one that no longer exists reads cgroup_id=<n>,
 * which no policy file takes.
 */
#ifndef PMG_EXPORT_H
#define PMG_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "policy.h"

/* "name: value" lines of every setting c has, then "locked: yes|no". */
void pmg_print_config(FILE *out, const struct pmg_config *c);
/* The same as a JSON object; a setting c lacks is null. */
json_object *pmg_config_to_json(const struct pmg_config *c);

/*
 * The directory of the cgroup v2 whose id is id, into buf (size n), under
 * the first cgroup2 mount of this mount namespace: 0, or -ENOENT.
 */
int pmg_cgroup_path(uint64_t id, char *buf, size_t n);

/*
 * A rule's selectors as the words of an allow line, escaped for a
 * terminal (escape.h); its cgroup as cgroup_path, or cgroup_id=<n> when
 * cgroup_path is NULL. malloc()ed; NULL when out of memory.
 */
char *pmg_rule_words(const struct pmg_rule *r, const char *cgroup_path);
/* pmg_rule_words(r, NULL). */
char *pmg_rule_to_text(const struct pmg_rule *r);
/*
 * {"id","exe","exe_dev","exe_inode","stale","uid","cgroup_id","self",
 * "access","channel"}: absent selectors are null (they match anything);
 * self is never null.
 */
json_object *pmg_rule_to_json(const struct pmg_rule *r);

/*
 * The policy c and rules as a policy file: every setting, then an allow
 * line per rule. A rule no line can hold (its cgroup is gone, its path has
 * blanks or bytes a line cannot carry) is written as a comment, and a
 * stale rule gets a comment saying so; each such case is also a line
 * "<what>" in *notes (malloc()ed, or NULL when none). Returns 0, or
 * -ENOMEM.
 */
int pmg_policy_export(FILE *out, const struct pmg_config *c,
		      const struct pmg_rule *rules, size_t n, char **notes);

/*
 * What applying file would change in the running policy (running,
 * rules[0..n-1]), as lines of the policy file: "-<line>" for what goes,
 * "+<line>" for what comes, the settings first (a setting the file leaves
 * out keeps its running value), then the rules (an allow rule that is
 * running already, and not stale, stays). *send gets the settings to send:
 * the running values with the file's over them. Returns the number of
 * lines written (0: applying changes nothing), or -ENOMEM.
 */
int pmg_policy_diff(FILE *out, const struct pmg_config *running,
		    const struct pmg_rule *rules, size_t n,
		    const struct pmg_policy *file, struct pmg_config *send);

#endif /* PMG_EXPORT_H */
