// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pure path matcher (include/pmg_match.h), the same code
 * the module runs on dentry names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "pmg_match_path.h"

static const struct pmg_self self = { .tgid = 4242, .tid = 4243 };

/* Matches a "/proc/..." path: strips the mount prefix the way the module
 * sees names relative to the procfs root.
 */
static enum pmg_match_kind match_proc(const char *path, struct pmg_match *m)
{
	if (strncmp(path, "/proc", 5) != 0)
		return pmg_no_match(m);
	return pmg_match_path(path + 5, strlen(path + 5), &self, m);
}

static enum pmg_match_kind match_raw(const char *path, struct pmg_match *m)
{
	return pmg_match_path(path, strlen(path), NULL, m);
}

struct match_case {
	const char *path;
	enum pmg_match_kind kind;
	unsigned int pid, tid;
};

/* Must match, with the right target. */
static const struct match_case yes[] = {
	{ "/proc/1/mem", PMG_MATCH_PID_MEM, 1, 0 },
	{ "/proc/2/mem", PMG_MATCH_PID_MEM, 2, 0 },
	{ "/proc/9/mem", PMG_MATCH_PID_MEM, 9, 0 },
	{ "/proc/10/mem", PMG_MATCH_PID_MEM, 10, 0 },
	{ "/proc/100/mem", PMG_MATCH_PID_MEM, 100, 0 },
	{ "/proc/4242/mem", PMG_MATCH_PID_MEM, 4242, 0 },
	{ "/proc/32768/mem", PMG_MATCH_PID_MEM, 32768, 0 },
	{ "/proc/4194303/mem", PMG_MATCH_PID_MEM, 4194303, 0 },
	{ "/proc/self/mem", PMG_MATCH_PID_MEM, 4242, 0 },
	{ "/proc/thread-self/mem", PMG_MATCH_TASK_MEM, 4242, 4243 },
	{ "/proc/1/task/1/mem", PMG_MATCH_TASK_MEM, 1, 1 },
	{ "/proc/1/task/2/mem", PMG_MATCH_TASK_MEM, 1, 2 },
	{ "/proc/77/task/78/mem", PMG_MATCH_TASK_MEM, 77, 78 },
	{ "/proc/4194303/task/4194303/mem", PMG_MATCH_TASK_MEM, 4194303, 4194303 },
	{ "/proc/self/task/5/mem", PMG_MATCH_TASK_MEM, 4242, 5 },
	{ "/proc1/mem", PMG_MATCH_PID_MEM, 1, 0 },	/* "/proc" + "1/mem" */
};

/* Must not match. */
static const char * const no[] = {
	"/proc/12a/mem", "/proc/a12/mem", "/proc/1a/mem", "/proc/0x1/mem",
	"/proc/1/mem2", "/proc/1/mem ", "/proc/1/Mem", "/proc/1/MEM",
	"/proc/1/me", "/proc/1/m", "/proc/1/memory", "/proc/1/mem/",
	"/proc/1/mem/x", "/proc/1/task/mem", "/proc/1/task/2/3/mem",
	"/proc/1/task/2/mem/", "/proc/1/task//mem", "/proc/1/tasks/2/mem",
	"/proc/1/Task/2/mem", "/proc/1/task/2a/mem", "/proc/1/task/02/mem",
	"/proc/1/task/0/mem", "/proc/01/mem", "/proc/001/mem", "/proc/00/mem",
	"/proc/0/mem", "/proc/-1/mem", "/proc/+1/mem", "/proc/ 1/mem",
	"/proc/1 /mem", "/proc//1/mem", "/proc/1//mem", "/proc//mem",
	"/proc/mem", "/proc/", "/proc", "/proc//", "/proc/./1/mem",
	"/proc/1/./mem", "/proc/../proc/1/mem", "/proc/1/../1/mem",
	"/proc/meminfo", "/proc/1/smaps", "/proc/1/maps", "/proc/1/environ",
	"/proc/1/status", "/proc/1/task/1/status", "/proc/1/task/1/maps",
	"/proc/1/pagemap", "/proc/1/cmdline", "/proc/sys/kernel/pid_max",
	"/proc/sys/vm/mem", "/proc/sys/mem", "/proc/kcore", "/proc/kmem",
	"/proc/self/status", "/proc/self/maps", "/proc/thread-self/status",
	"/proc/self", "/proc/self/", "/proc/self/task/mem",
	"/proc/self/task/1/2/mem", "/proc/thread-self/task/1/mem",
	"/proc/thread-self/mem/x", "/proc/x/self/mem", "/proc/1/self/mem",
	"/proc/4194304/mem", "/proc/4294967295/mem", "/proc/4294967296/mem",
	"/proc/2147483648/mem", "/proc/99999999999999999999/mem",
	"/proc/1/task/4194304/mem", "/proc/1/task/2147483648/mem",
	"/proc/1/net/mem", "/proc/1/fd/mem", "/proc/1/root/mem",
	"/proc/1/cwd/mem", "/proc/1/root/proc/1/mem",
	"/dev/mem", "/tmp/proc/1/mem", "/mem", "", "/",
};

TEST(must_match)
{
	struct pmg_match m;
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		EXPECT_EQ(yes[i].kind, match_proc(yes[i].path, &m))
			TH_LOG("%s", yes[i].path);
		EXPECT_EQ(yes[i].kind, m.kind);
		EXPECT_EQ(yes[i].pid, m.pid) TH_LOG("%s", yes[i].path);
		EXPECT_EQ(yes[i].tid, m.tid) TH_LOG("%s", yes[i].path);
	}
}

TEST(must_not_match)
{
	struct pmg_match m;
	size_t i;

	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		m.pid = 99;
		m.tid = 99;
		EXPECT_EQ(PMG_MATCH_NONE, match_proc(no[i], &m))
			TH_LOG("%s matched", no[i]);
		EXPECT_EQ(0, m.pid);
		EXPECT_EQ(0, m.tid);
	}
}

/* Every pid below the limit round-trips, in both shapes, for a spread. */
TEST(pid_range)
{
	struct pmg_match m;
	char path[64];
	unsigned int pid, n = 0;

	for (pid = 1; pid < PMG_PID_LIMIT; pid = pid < 1000 ? pid + 1 : pid * 3 + 7) {
		snprintf(path, sizeof(path), "/proc/%u/mem", pid);
		ASSERT_EQ(PMG_MATCH_PID_MEM, match_proc(path, &m)) TH_LOG("%s", path);
		ASSERT_EQ(pid, m.pid);
		snprintf(path, sizeof(path), "/proc/%u/task/%u/mem", pid, pid + 1);
		if (pid + 1 < PMG_PID_LIMIT) {
			ASSERT_EQ(PMG_MATCH_TASK_MEM, match_proc(path, &m));
			ASSERT_EQ(pid, m.pid);
			ASSERT_EQ(pid + 1, m.tid);
		}
		n++;
	}
	ASSERT_GT(n, 1000);
}

/* Leading zeros, signs and junk around every digit position. */
TEST(malformed_numbers)
{
	static const char junk[] = "ax+- .:/\t\n\xff";
	struct pmg_match m;
	char path[64];
	unsigned int i, pos;

	/* A leading zero. */
	EXPECT_EQ(PMG_MATCH_NONE, match_proc("/proc/0123/mem", &m));
	EXPECT_EQ(PMG_MATCH_NONE, match_proc("/proc/1/task/0123/mem", &m));
	for (i = 0; i < sizeof(junk) - 1; i++) {
		for (pos = 0; pos <= 3; pos++) {
			char num[8] = "123";

			memmove(num + pos + 1, num + pos, 4 - pos);
			num[pos] = junk[i];
			snprintf(path, sizeof(path), "/proc/%s/mem", num);
			EXPECT_EQ(PMG_MATCH_NONE, match_proc(path, &m))
				TH_LOG("%s", path);
			snprintf(path, sizeof(path), "/proc/1/task/%s/mem", num);
			EXPECT_EQ(PMG_MATCH_NONE, match_proc(path, &m))
				TH_LOG("%s", path);
		}
	}
}

static const char * const empty_cases[] = {
	"//1/mem", "/1//mem", "/1/mem//", "/1/task//2/mem",
	"/1/task/2//mem", "1//mem", "//", "///",
};

TEST(empty_components)
{
	struct pmg_match m;
	size_t i;

	for (i = 0; i < sizeof(empty_cases) / sizeof(empty_cases[0]); i++)
		EXPECT_EQ(PMG_MATCH_NONE, match_raw(empty_cases[i], &m))
			TH_LOG("case %zu", i);
	/* A name of length 0 in a dentry chain. */
	{
		struct pmg_name names[2] = { { "", 0 }, { "mem", 3 } };

		EXPECT_EQ(PMG_MATCH_NONE, pmg_match_names(names, 2, &m));
	}
}

TEST(long_names)
{
	struct pmg_match m;
	char *path = malloc(4096 + 16);
	size_t i;

	ASSERT_NE(NULL, path);
	/* A 4096-byte name of digits, of 'a', and a 255/256-byte name. */
	path[0] = '/';
	memset(path + 1, '1', 4096);
	strcpy(path + 1 + 4096, "/mem");
	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_path(path, strlen(path), NULL, &m));
	memset(path + 1, 'a', 4096);
	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_path(path, strlen(path), NULL, &m));
	for (i = 250; i <= 260; i++) {
		memset(path + 1, '9', i);
		strcpy(path + 1 + i, "/mem");
		EXPECT_EQ(PMG_MATCH_NONE,
			  pmg_match_path(path, strlen(path), NULL, &m));
	}
	/* 4096 bytes of "/1" repeated: far too deep. */
	for (i = 0; i + 2 <= 4096; i += 2)
		memcpy(path + i, "/1", 2);
	strcpy(path + 4096, "/mem");
	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_path(path, strlen(path), NULL, &m));
	free(path);
}

static const char * const big_cases[] = {
	"/4194304/mem", "/9999999/mem", "/10000000/mem",
	"/2147483647/mem", "/2147483648/mem", "/4294967295/mem",
	"/4294967296/mem", "/18446744073709551615/mem",
	"/18446744073709551616/mem", "/1/task/4294967297/mem",
};

TEST(pids_above_limit)
{
	struct pmg_match m;
	size_t i;

	for (i = 0; i < sizeof(big_cases) / sizeof(big_cases[0]); i++)
		EXPECT_EQ(PMG_MATCH_NONE, match_raw(big_cases[i], &m))
			TH_LOG("case %zu", i);
}

/* In a dentry chain "self" and "thread-self" are never resolved. */
TEST(self_without_context)
{
	struct pmg_match m;

	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_path("/self/mem", 9, NULL, &m));
	EXPECT_EQ(PMG_MATCH_NONE,
		  pmg_match_path("/thread-self/mem", 16, NULL, &m));
}

/* The length bounds the path: bytes after it are never read. */
TEST(length_bounds)
{
	struct pmg_match m;
	const char *p = "/1/memXXXX";

	EXPECT_EQ(PMG_MATCH_PID_MEM, pmg_match_path(p, 6, NULL, &m));
	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_path(p, 7, NULL, &m));
	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_path(p, 5, NULL, &m));
	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_path(p, 0, NULL, &m));
	EXPECT_EQ(PMG_MATCH_PID_MEM, pmg_match_path("1/mem", 5, NULL, &m));
}

/* Names with embedded NUL bytes, as a raw chain. */
TEST(embedded_nul)
{
	struct pmg_name names[2] = { { "1\0", 2 }, { "mem", 3 } };
	struct pmg_name names2[2] = { { "1", 1 }, { "mem\0", 4 } };
	struct pmg_match m;

	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_names(names, 2, &m));
	EXPECT_EQ(PMG_MATCH_NONE, pmg_match_names(names2, 2, &m));
}

/* Random paths from the tokens that matter: never a false match, and
 * every match agrees with an independent parse.
 */
static const char * const tokens[] = {
	"1", "12", "4194303", "4194304", "0", "01", "mem", "task", "self",
	"thread-self", "", "x", "mem2", "tas", ".", "..",
};

TEST(random_paths)
{
	struct pmg_match m;
	char path[256], canon[64];
	unsigned int i, seed = 12345, hits = 0, a;

	for (i = 0; i < 200000; i++) {
		unsigned int n, j, len = 0;

		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % 6;
		path[0] = '\0';
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			len += snprintf(path + len, sizeof(path) - len, "/%s",
					tokens[(seed >> 16) % (sizeof(tokens) / sizeof(tokens[0]))]);
		}
		if (pmg_match_path(path, len, NULL, &m) == PMG_MATCH_NONE) {
			/* Nothing of a canonical shape may be missed. */
			if (sscanf(path, "/%u/", &a) == 1 && a > 0 &&
			    a < PMG_PID_LIMIT) {
				snprintf(canon, sizeof(canon), "/%u/mem", a);
				ASSERT_NE(0, strcmp(canon, path));
			}
			continue;
		}
		hits++;
		if (m.kind == PMG_MATCH_PID_MEM)
			snprintf(canon, sizeof(canon), "/%u/mem", m.pid);
		else
			snprintf(canon, sizeof(canon), "/%u/task/%u/mem",
				 m.pid, m.tid);
		ASSERT_EQ(0, strcmp(canon, path)) TH_LOG("%s", path);
	}
	TH_LOG("%u of 200000 random paths matched", hits);
	ASSERT_GT(hits, 100);
}

TEST_HARNESS_MAIN
