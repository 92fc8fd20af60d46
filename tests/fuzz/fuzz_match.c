// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_match - libFuzzer target for the path matcher (include/pmg_match.h).
 *
 * Input: byte 0 holds flags; with bit 0 set, bytes 1-8 are a "self"
 * (tgid, tid: little-endian u32 each) for pmg_match_path(). The rest is
 * used twice:
 *   - as a path for pmg_match_path() (with and without the self);
 *   - as name records (a length byte, then that many bytes, repeated) for
 *     pmg_match_names(), with up to 6 names.
 * Every result is compared with a plain reference implementation of the
 * rules pmg_match.h states, and checked for its invariants: kind NONE
 * leaves pid and tid 0; a match has pid (and tid for task/<tid>/mem) in
 * 1 .. PMG_PID_LIMIT - 1, has the canonical shape (the input spells
 * exactly "<pid>/mem" or "<pid>/task/<tid>/mem", with "self" and
 * "thread-self" standing for the given self), and matching the canonical
 * path built from the result gives the same result again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmg_match_path.h"

#define MAX_NAMES	6

static void fail(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	fprintf(stderr, "fuzz_match: %s; input (%zu bytes):", what, n);
	for (i = 0; i < n && i < 512; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
	abort();
}

/* procfs' rules: decimal digits, no leading zero, below PMG_PID_LIMIT. */
static int ref_pid(const char *s, size_t n, unsigned int *out)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0 || s[0] == '0' || n > 9)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (v < 1 || v >= PMG_PID_LIMIT)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int is_lit(const struct pmg_name *n, const char *lit)
{
	return n->len == strlen(lit) && !memcmp(n->name, lit, n->len);
}

/* Reference classification of a dentry chain. */
static enum pmg_match_kind ref_names(const struct pmg_name *names,
				     unsigned int n, struct pmg_match *m)
{
	memset(m, 0, sizeof(*m));
	if (n == 2 && is_lit(&names[1], "mem") &&
	    !ref_pid(names[0].name, names[0].len, &m->pid))
		return m->kind = PMG_MATCH_PID_MEM;
	if (n == 4 && is_lit(&names[1], "task") && is_lit(&names[3], "mem") &&
	    !ref_pid(names[0].name, names[0].len, &m->pid) &&
	    !ref_pid(names[2].name, names[2].len, &m->tid))
		return m->kind = PMG_MATCH_TASK_MEM;
	memset(m, 0, sizeof(*m));
	return PMG_MATCH_NONE;
}

/* Reference classification of a path string. */
static enum pmg_match_kind ref_path(const char *p, size_t len,
				    const struct pmg_self *self,
				    struct pmg_match *m)
{
	struct pmg_name names[16];
	char pidbuf[16], tidbuf[16];
	unsigned int n = 0;
	size_t i = 0, start;

	memset(m, 0, sizeof(*m));
	if (len && p[0] == '/')
		i = 1;
	if (i >= len)
		return PMG_MATCH_NONE;
	for (;;) {
		start = i;
		while (i < len && p[i] != '/')
			i++;
		if (i == start || i - start > PMG_NAME_MAX ||
		    (i - start == 1 && p[start] == '.') ||
		    (i - start == 2 && p[start] == '.' && p[start + 1] == '.'))
			return PMG_MATCH_NONE;
		if (n >= 8)
			return PMG_MATCH_NONE;
		names[n].name = p + start;
		names[n].len = (unsigned int)(i - start);
		if (n == 0 && self && is_lit(&names[0], "self")) {
			names[0].len = (unsigned int)snprintf(pidbuf, sizeof(pidbuf), "%u", self->tgid);
			names[0].name = pidbuf;
		} else if (n == 0 && self && is_lit(&names[0], "thread-self")) {
			names[0].len = (unsigned int)snprintf(pidbuf, sizeof(pidbuf), "%u", self->tgid);
			names[0].name = pidbuf;
			names[1].name = "task";
			names[1].len = 4;
			names[2].len = (unsigned int)snprintf(tidbuf, sizeof(tidbuf), "%u", self->tid);
			names[2].name = tidbuf;
			n = 2;
		}
		n++;
		if (i == len)
			break;
		i++;	/* the '/'; a trailing one makes an empty name */
	}
	if (n > PMG_MATCH_DEPTH)
		return PMG_MATCH_NONE;
	return ref_names(names, n, m);
}

static void check_result(enum pmg_match_kind k, const struct pmg_match *m,
			 const uint8_t *in, size_t n)
{
	if (k != m->kind)
		fail("returned kind differs from m->kind", in, n);
	switch (k) {
	case PMG_MATCH_NONE:
		if (m->pid || m->tid)
			fail("no match but pid or tid set", in, n);
		break;
	case PMG_MATCH_PID_MEM:
		if (m->pid < 1 || m->pid >= PMG_PID_LIMIT || m->tid)
			fail("pid/mem: pid out of range or tid set", in, n);
		break;
	case PMG_MATCH_TASK_MEM:
		if (m->pid < 1 || m->pid >= PMG_PID_LIMIT ||
		    m->tid < 1 || m->tid >= PMG_PID_LIMIT)
			fail("task/mem: pid or tid out of range", in, n);
		break;
	default:
		fail("unknown kind", in, n);
	}
}

static void same(const struct pmg_match *a, const struct pmg_match *b,
		 const char *what, const uint8_t *in, size_t n)
{
	if (a->kind != b->kind || a->pid != b->pid || a->tid != b->tid)
		fail(what, in, n);
}

/* A match must spell one of the canonical forms, exactly. */
static void check_shape(const char *p, size_t len, const struct pmg_self *self,
			const struct pmg_match *m, const uint8_t *in, size_t n)
{
	char want[4][64];
	int k = 0, i;

	if (len && p[0] == '/') {
		p++;
		len--;
	}
	if (m->kind == PMG_MATCH_PID_MEM) {
		snprintf(want[k++], sizeof(want[0]), "%u/mem", m->pid);
		if (self && self->tgid == m->pid)
			snprintf(want[k++], sizeof(want[0]), "self/mem");
	} else if (m->kind == PMG_MATCH_TASK_MEM) {
		snprintf(want[k++], sizeof(want[0]), "%u/task/%u/mem", m->pid, m->tid);
		if (self && self->tgid == m->pid)
			snprintf(want[k++], sizeof(want[0]), "self/task/%u/mem", m->tid);
		if (self && self->tgid == m->pid && self->tid == m->tid)
			snprintf(want[k++], sizeof(want[0]), "thread-self/mem");
	} else {
		return;
	}
	for (i = 0; i < k; i++)
		if (strlen(want[i]) == len && !memcmp(want[i], p, len))
			return;
	fail("a match that does not spell a canonical path", in, n);
}

static void fuzz_path(const char *p, size_t len, const struct pmg_self *self,
		      const uint8_t *in, size_t n)
{
	struct pmg_match m, r, again;
	enum pmg_match_kind k;
	char canon[64];
	int cl;

	memset(&m, 0xa5, sizeof(m));
	k = pmg_match_path(p, len, self, &m);
	check_result(k, &m, in, n);
	ref_path(p, len, self, &r);
	same(&m, &r, "pmg_match_path differs from the reference", in, n);
	check_shape(p, len, self, &m, in, n);
	if (k == PMG_MATCH_NONE)
		return;
	if (k == PMG_MATCH_PID_MEM)
		cl = snprintf(canon, sizeof(canon), "/%u/mem", m.pid);
	else
		cl = snprintf(canon, sizeof(canon), "/%u/task/%u/mem", m.pid, m.tid);
	pmg_match_path(canon, (unsigned long)cl, NULL, &again);
	same(&m, &again, "the canonical path of a match does not match alike", in, n);
}

static void fuzz_names(const uint8_t *p, size_t len, const uint8_t *in,
		       size_t n)
{
	struct pmg_name names[MAX_NAMES];
	struct pmg_match m, r;
	enum pmg_match_kind k;
	unsigned int count = 0;
	size_t i = 0;

	while (i < len && count < MAX_NAMES) {
		size_t l = p[i++];

		if (l > len - i)
			l = len - i;
		names[count].name = (const char *)p + i;
		names[count].len = (unsigned int)l;
		count++;
		i += l;
	}
	memset(&m, 0x5a, sizeof(m));
	k = pmg_match_names(names, count, &m);
	check_result(k, &m, in, n);
	ref_names(names, count, &r);
	same(&m, &r, "pmg_match_names differs from the reference", in, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pmg_self self, *sp = NULL;
	const uint8_t *rest = data;
	size_t left = size;

	if (left && (data[0] & 1) && left >= 9) {
		memcpy(&self.tgid, data + 1, 4);
		memcpy(&self.tid, data + 5, 4);
		sp = &self;
		rest = data + 9;
		left -= 9;
	} else if (left) {
		rest = data + 1;
		left--;
	}
	fuzz_path((const char *)rest, left, NULL, data, size);
	if (sp)
		fuzz_path((const char *)rest, left, sp, data, size);
	fuzz_names(rest, left, data, size);
	return 0;
}
