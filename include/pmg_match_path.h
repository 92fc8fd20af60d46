/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg_match_path.h - the path matcher on path strings, for the userspace
 * tests and fuzzers (the module matches dentry chains and never includes
 * this). Pure C with no includes but the matcher itself.
 */
#ifndef _PMG_MATCH_PATH_H
#define _PMG_MATCH_PATH_H

#include "pmg_match.h"

/*
 * Who "self" is, for pmg_match_path(): pass NULL to treat "self" and
 * "thread-self" as the plain (non-numeric) names they are in a dentry chain.
 */
struct pmg_self {
	unsigned int tgid;
	unsigned int tid;
};

/* Writes v in decimal into buf (at least 11 bytes); returns the length. */
static inline unsigned int pmg_utoa(unsigned int v, char *buf)
{
	char tmp[10];
	unsigned int n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

/*
 * Classifies a procfs-relative path string such as "/1/mem" or
 * "1/task/2/mem" (len bytes, need not be NUL-terminated). One leading '/'
 * is accepted; otherwise the path must be canonical: an empty component,
 * "." or "..", a trailing '/', or a name over PMG_NAME_MAX bytes is no
 * match, because a dentry chain never holds them. With self != NULL a
 * leading "self" stands for <self->tgid> and "thread-self" for
 * <self->tgid>/task/<self->tid>, as procfs resolves them.
 */
static inline enum pmg_match_kind
pmg_match_path(const char *path, unsigned long len,
	       const struct pmg_self *self, struct pmg_match *m)
{
	struct pmg_name names[PMG_MATCH_DEPTH];
	char pidbuf[11], tidbuf[11];
	unsigned int n = 0;
	unsigned long i = 0, start;

	if (len > 0 && path[0] == '/')
		i = 1;
	if (i >= len)
		return pmg_no_match(m);
	while (i <= len) {
		struct pmg_name cur;

		start = i;
		while (i < len && path[i] != '/')
			i++;
		cur.name = path + start;
		cur.len = (unsigned int)(i - start);
		i++;		/* step over the '/' (or past the end) */
		if (cur.len == 0 || cur.len > PMG_NAME_MAX ||
		    pmg_name_is(&cur, ".", 1) || pmg_name_is(&cur, "..", 2))
			return pmg_no_match(m);
		if (n == 0 && self && pmg_name_is(&cur, "self", 4)) {
			cur.name = pidbuf;
			cur.len = pmg_utoa(self->tgid, pidbuf);
		} else if (n == 0 && self &&
			   pmg_name_is(&cur, "thread-self", 11)) {
			names[n].name = pidbuf;
			names[n++].len = pmg_utoa(self->tgid, pidbuf);
			names[n].name = "task";
			names[n++].len = 4;
			cur.name = tidbuf;
			cur.len = pmg_utoa(self->tid, tidbuf);
		}
		if (n == PMG_MATCH_DEPTH)
			return pmg_no_match(m);
		names[n++] = cur;
	}
	return pmg_match_names(names, n, m);
}

#endif /* _PMG_MATCH_PATH_H */
