/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg_match.h - the procmem-guard path matcher.
 *
 * Pure C with no includes: compiled into the kernel module and into the
 * userspace unit tests alike. It classifies a procfs-relative dentry chain
 * (names from the procfs root down to the opened file) as one of:
 *
 *   <pid>/mem                 PMG_MATCH_PID_MEM, pid parsed
 *   <pid>/task/<tid>/mem      PMG_MATCH_TASK_MEM, pid and tid parsed
 *   anything else             PMG_MATCH_NONE
 *
 * The module only calls it for files it already knows are procfs mem files
 * (their f_op is proc_mem_operations), so the matcher's job is to classify
 * and parse, not to decide by name alone. Numbers follow procfs' own rules
 * (fs/proc/util.c name_to_int): decimal digits only, no leading zero, no
 * sign; a pid must also be a possible pid (1 .. PMG_PID_LIMIT - 1).
 * Names are dentry names: never empty, never "." or "..", never containing
 * '/'. "self" and "thread-self" are symlinks the kernel has already resolved
 * when a file is opened. pmg_match_path.h classifies path strings with the
 * same code, for the tests.
 */
#ifndef _PMG_MATCH_H
#define _PMG_MATCH_H

/* PID_MAX_LIMIT on 64-bit kernels: no pid can reach it. */
#define PMG_PID_LIMIT		(4U * 1024U * 1024U)
/* Longest dentry name (NAME_MAX). */
#define PMG_NAME_MAX		255U
/* Deepest chain that can be a mem file: <pid>/task/<tid>/mem. */
#define PMG_MATCH_DEPTH		4U

enum pmg_match_kind {
	PMG_MATCH_NONE = 0,
	PMG_MATCH_PID_MEM = 1,
	PMG_MATCH_TASK_MEM = 2,
};

struct pmg_name {
	const char *name;
	unsigned int len;
};

struct pmg_match {
	enum pmg_match_kind kind;
	unsigned int pid;	/* as named in the procfs instance */
	unsigned int tid;	/* PMG_MATCH_TASK_MEM only, else 0 */
};

static inline int pmg_name_is(const struct pmg_name *n, const char *lit,
			      unsigned int lit_len)
{
	unsigned int i;

	if (n->len != lit_len)
		return 0;
	for (i = 0; i < lit_len; i++)
		if (n->name[i] != lit[i])
			return 0;
	return 1;
}

/* Parses a pid name; returns 0 and sets *out, or -1. */
static inline int pmg_parse_pid(const struct pmg_name *n, unsigned int *out)
{
	unsigned int i, v = 0;

	if (n->len == 0 || n->len > 7)	/* PMG_PID_LIMIT has 7 digits */
		return -1;
	if (n->name[0] == '0')		/* no leading zero, and no pid 0 */
		return -1;
	for (i = 0; i < n->len; i++) {
		unsigned int c = (unsigned char)n->name[i] - '0';

		if (c > 9)
			return -1;
		v = v * 10 + c;
	}
	if (v >= PMG_PID_LIMIT)
		return -1;
	*out = v;
	return 0;
}

/*
 * Classifies names[0..n-1], ordered from the procfs root down to the file.
 * Returns the kind and fills *m (kind NONE leaves pid and tid 0).
 */
static inline enum pmg_match_kind pmg_no_match(struct pmg_match *m)
{
	m->kind = PMG_MATCH_NONE;
	m->pid = 0;
	m->tid = 0;
	return PMG_MATCH_NONE;
}

static inline enum pmg_match_kind
pmg_match_names(const struct pmg_name *names, unsigned int n,
		struct pmg_match *m)
{
	pmg_no_match(m);
	if (n == 2 && pmg_name_is(&names[1], "mem", 3) &&
	    pmg_parse_pid(&names[0], &m->pid) == 0) {
		m->kind = PMG_MATCH_PID_MEM;
	} else if (n == 4 && pmg_name_is(&names[3], "mem", 3) &&
		   pmg_name_is(&names[1], "task", 4) &&
		   pmg_parse_pid(&names[0], &m->pid) == 0 &&
		   pmg_parse_pid(&names[2], &m->tid) == 0) {
		m->kind = PMG_MATCH_TASK_MEM;
	} else {
		return pmg_no_match(m);
	}
	return m->kind;
}

#endif /* _PMG_MATCH_H */
