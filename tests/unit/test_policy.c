// SPDX-License-Identifier: GPL-2.0
/*
 * test_policy.c - the policy file parser, the `config set` parser and the
 * value parsers.
 *
 * Build (from the top of the tree, after `make -C tools`):
 *   cc -I include -I build/kselftest -I tools tests/unit/test_policy.c \
 *      tools/libpmg.a $(pkg-config --cflags --libs libnl-genl-3.0 json-c) \
 *      -o build/unit/test_policy
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "policy.h"

/* Parse a policy held in a string. */
static int parse(const char *text, struct pmg_policy *p, struct pmg_perr *e)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	if (!f)
		return -errno;
	r = pmg_policy_parse(f, "test.policy", p, e);
	fclose(f);
	return r;
}

/* A fresh regular file; its path goes to buf. */
static int make_file(char *buf, size_t size)
{
	int fd;

	snprintf(buf, size, "/tmp/pmg-test-exe-XXXXXX");
	fd = mkstemp(buf);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The mount point of a cgroup v2 file system, from mountinfo. */
static int cgroup2_root(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[1024], mnt[512], fstype[64];
	const char *sep;
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(sep, " - %63s", fstype) != 1)
			continue;
		if (!strcmp(fstype, "cgroup2")) {
			snprintf(buf, size, "%s", mnt);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

TEST(good_policy)
{
	char exe[64], text[1024];
	struct pmg_policy p;
	struct pmg_perr e;
	struct stat st, self;

	ASSERT_EQ(0, make_file(exe, sizeof(exe)));
	ASSERT_EQ(0, stat(exe, &st));
	ASSERT_EQ(0, stat("/proc/self/exe", &self));
	snprintf(text, sizeof(text),
		 "# procmem-guard policy\n"
		 "\n"
		 "read alert\n"
		 "write block   # deny code injection\n"
		 "\tratelimit 10/s burst 20\r\n"
		 "log on\n"
		 "report-allowed off\n"
		 "allow exe=%s uid=0\n"
		 "allow self access=read\n"
		 "allow uid=1000 access=read-write\n"
		 "   # indented comment\n"
		 "allow exe=/proc/self/exe # this test program\n",
		 exe);
	ASSERT_EQ(0, parse(text, &p, &e)) TH_LOG("%s", e.msg);

	EXPECT_EQ(PMG_BIT(PMG_C_READ) | PMG_BIT(PMG_C_WRITE) |
		  PMG_BIT(PMG_C_RATELIMIT) | PMG_BIT(PMG_C_BURST) |
		  PMG_BIT(PMG_C_LOG) | PMG_BIT(PMG_C_REPORT_ALLOWED),
		  p.config.present);
	EXPECT_EQ(PMG_MODE_ALERT, p.config.read);
	EXPECT_EQ(PMG_MODE_BLOCK, p.config.write);
	EXPECT_EQ(10u, p.config.ratelimit);
	EXPECT_EQ(20u, p.config.burst);
	EXPECT_TRUE(p.config.log);
	EXPECT_FALSE(p.config.report_allowed);

	ASSERT_EQ(4u, p.nrules);
	EXPECT_EQ(PMG_BIT(PMG_R_EXE_PATH) | PMG_BIT(PMG_R_EXE_DEV) |
		  PMG_BIT(PMG_R_EXE_INO) | PMG_BIT(PMG_R_UID),
		  p.rules[0].present);
	EXPECT_STREQ(exe, p.rules[0].exe_path);
	EXPECT_EQ((uint32_t)st.st_dev, p.rules[0].exe_dev);
	EXPECT_EQ((uint64_t)st.st_ino, p.rules[0].exe_ino);
	EXPECT_EQ(0u, p.rules[0].uid);

	EXPECT_EQ(PMG_BIT(PMG_R_SELF) | PMG_BIT(PMG_R_ACCESS),
		  p.rules[1].present);
	EXPECT_TRUE(p.rules[1].self);
	EXPECT_EQ(PMG_ACCESS_READ, p.rules[1].access);

	EXPECT_EQ(PMG_BIT(PMG_R_UID) | PMG_BIT(PMG_R_ACCESS),
		  p.rules[2].present);
	EXPECT_EQ(1000u, p.rules[2].uid);
	EXPECT_EQ(PMG_ACCESS_READ_WRITE, p.rules[2].access);

	EXPECT_EQ(PMG_BIT(PMG_R_EXE_PATH) | PMG_BIT(PMG_R_EXE_DEV) |
		  PMG_BIT(PMG_R_EXE_INO), p.rules[3].present);
	EXPECT_EQ((uint32_t)self.st_dev, p.rules[3].exe_dev);
	EXPECT_EQ((uint64_t)self.st_ino, p.rules[3].exe_ino);
	/* The path is canonical: /proc/self/exe is a symlink. */
	EXPECT_EQ('/', p.rules[3].exe_path[0]);
	EXPECT_EQ(NULL, strstr(p.rules[3].exe_path, "/proc/self"));
	EXPECT_EQ(9u, p.directives);
	/* The old spellings and the exe rule without uid= are warned of. */
	ASSERT_NE(NULL, p.warnings);
	EXPECT_NE(NULL, strstr(p.warnings, "test.policy:5: warning: "
			       "'ratelimit <N>/s burst <M>' is spelled"));
	EXPECT_NE(NULL, strstr(p.warnings, "test.policy:7: warning: "
			       "'report-allowed' is spelled 'report_allowed' now"));
	EXPECT_NE(NULL, strstr(p.warnings, "test.policy:12: warning: exe="));
	EXPECT_NE(NULL, strstr(p.warnings, "is advisory"));
	EXPECT_EQ(NULL, strstr(p.warnings, "test.policy:8:"));
	pmg_policy_free(&p);
	unlink(exe);
}

/* What protocol 2 added: attach, burst on its own, access lists, channels. */
TEST(attach_burst_lists_channels)
{
	struct pmg_policy p;
	struct pmg_perr e;

	ASSERT_EQ(0, parse("attach block\n"
			   "ratelimit 7/s\n"
			   "burst 9\n"
			   "report_allowed on\n"
			   "allow uid=0 access=read,attach channel=ptrace,proc-mem\n"
			   "allow uid=1 access=read-write,attach\n"
			   "allow self channel=process-vm\n", &p, &e))
		TH_LOG("%s", e.msg);
	EXPECT_EQ(PMG_BIT(PMG_C_ATTACH) | PMG_BIT(PMG_C_RATELIMIT) |
		  PMG_BIT(PMG_C_BURST) | PMG_BIT(PMG_C_REPORT_ALLOWED),
		  p.config.present);
	EXPECT_EQ(PMG_MODE_BLOCK, p.config.attach);
	EXPECT_EQ(7u, p.config.ratelimit);
	EXPECT_EQ(9u, p.config.burst);
	EXPECT_TRUE(p.config.report_allowed);
	ASSERT_EQ(3u, p.nrules);
	EXPECT_EQ(PMG_ACCESS_READ | PMG_ACCESS_ATTACH, p.rules[0].access);
	EXPECT_EQ((1u << PMG_CHANNEL_PTRACE) | (1u << PMG_CHANNEL_PROC_MEM),
		  p.rules[0].channels);
	EXPECT_EQ(PMG_BIT(PMG_R_UID) | PMG_BIT(PMG_R_ACCESS) |
		  PMG_BIT(PMG_R_CHANNELS), p.rules[0].present);
	EXPECT_EQ(7u, p.rules[1].access);
	EXPECT_EQ(1u << PMG_CHANNEL_PROCESS_VM, p.rules[2].channels);
	EXPECT_EQ(NULL, p.warnings);
	pmg_policy_free(&p);
}

/* A file without directives parses; apply refuses it (--allow-empty). */
TEST(counts_directives)
{
	struct pmg_policy p;
	struct pmg_perr e;

	ASSERT_EQ(0, parse("# only comments\n\n", &p, &e));
	EXPECT_EQ(0u, p.directives);
	pmg_policy_free(&p);
	ASSERT_EQ(0, parse("allow self\nlog on\n", &p, &e));
	EXPECT_EQ(2u, p.directives);
	pmg_policy_free(&p);
}

TEST(load_directory)
{
	struct pmg_policy p;
	struct pmg_perr e;

	EXPECT_EQ(-EISDIR, pmg_policy_load("/tmp", &p, &e));
	EXPECT_STREQ("/tmp: is a directory, not a policy file", e.msg);
	EXPECT_EQ(NULL, p.rules);
}

TEST(last_line_and_comment_only_files)
{
	struct pmg_policy p;
	struct pmg_perr e;

	ASSERT_EQ(0, parse("", &p, &e));
	EXPECT_EQ(0u, p.config.present);
	EXPECT_EQ(0u, p.nrules);
	pmg_policy_free(&p);

	ASSERT_EQ(0, parse("# nothing\n\n   \n#read block\n", &p, &e));
	EXPECT_EQ(0u, p.config.present);
	pmg_policy_free(&p);

	/* No newline at the end; "ratelimit off" is a setting too. */
	ASSERT_EQ(0, parse("ratelimit off", &p, &e));
	EXPECT_EQ(PMG_BIT(PMG_C_RATELIMIT), p.config.present);
	EXPECT_EQ(0u, p.config.ratelimit);
	pmg_policy_free(&p);
}

TEST(exe_follows_symlinks)
{
	char exe[64], link[80], text[256];
	struct pmg_policy p;
	struct pmg_perr e;
	struct stat st;

	ASSERT_EQ(0, make_file(exe, sizeof(exe)));
	snprintf(link, sizeof(link), "%s.link", exe);
	ASSERT_EQ(0, symlink(exe, link));
	ASSERT_EQ(0, stat(exe, &st));
	snprintf(text, sizeof(text), "allow exe=%s\n", link);
	ASSERT_EQ(0, parse(text, &p, &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(1u, p.nrules);
	EXPECT_EQ((uint32_t)st.st_dev, p.rules[0].exe_dev);
	EXPECT_EQ((uint64_t)st.st_ino, p.rules[0].exe_ino);
	pmg_policy_free(&p);
	unlink(link);
	unlink(exe);
}

TEST(cgroup_resolves_to_inode)
{
	char root[512], text[700];
	struct pmg_policy p;
	struct pmg_perr e;
	struct stat st;

	if (!cgroup2_root(root, sizeof(root)))
		SKIP(return, "no cgroup v2 file system mounted");
	ASSERT_EQ(0, stat(root, &st));
	snprintf(text, sizeof(text), "allow cgroup=%s access=write\n", root);
	ASSERT_EQ(0, parse(text, &p, &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(1u, p.nrules);
	EXPECT_EQ(PMG_BIT(PMG_R_CGROUP_ID) | PMG_BIT(PMG_R_ACCESS),
		  p.rules[0].present);
	EXPECT_EQ((uint64_t)st.st_ino, p.rules[0].cgroup_id);
	pmg_policy_free(&p);
}

TEST(many_rules)
{
	struct pmg_policy p;
	struct pmg_perr e;
	char *text = malloc(100 * 32);
	size_t off = 0;
	int i;

	ASSERT_NE(NULL, text);
	for (i = 0; i < 100; i++)
		off += (size_t)sprintf(text + off, "allow uid=%d\n", i);
	ASSERT_EQ(0, parse(text, &p, &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(100u, p.nrules);
	EXPECT_EQ(99u, p.rules[99].uid);
	pmg_policy_free(&p);
	free(text);
}

struct bad_case {
	const char *text;
	unsigned int line;
	const char *reason;	/* a part of the message */
};

static const struct bad_case bad_cases[] = {
	{ "read maybe\n", 1, "usage: read off|alert|block" },
	{ "read\n", 1, "usage: read off|alert|block" },
	{ "read alert block\n", 1, "usage: read off|alert|block" },
	{ "# c\n\nwrite\n", 3, "usage: write off|alert|block" },
	{ "read alert\n\nread block\n", 3, "'read' already given on line 1" },
	{ "bogus on\n", 1, "unknown directive 'bogus'" },
	{ "Read alert\n", 1, "unknown directive 'Read'" },
	{ "ratelimit 10\n", 1, "usage: ratelimit" },
	{ "ratelimit 0/s\n", 1, "usage: ratelimit" },
	{ "ratelimit -1/s\n", 1, "usage: ratelimit" },
	{ "ratelimit 10/m\n", 1, "usage: ratelimit" },
	{ "ratelimit 4294967296/s\n", 1, "usage: ratelimit" },
	{ "ratelimit 10/s burst\n", 1, "usage: ratelimit" },
	{ "ratelimit 10/s burst 0\n", 1, "M >= 1" },
	{ "ratelimit 10/s boost 5\n", 1, "M >= 1" },
	{ "ratelimit off burst 5\n", 1, "usage: ratelimit" },
	{ "ratelimit off\nratelimit 5/s\n", 2, "already given on line 1" },
	{ "log maybe\n", 1, "usage: log on|off" },
	{ "report-allowed yes\n", 1, "usage: report_allowed on|off" },
	{ "report_allowed 1\n", 1, "usage: report_allowed on|off" },
	{ "attach maybe\n", 1, "usage: attach off|alert|block" },
	{ "burst 0\n", 1, "usage: burst <N>, N >= 1" },
	{ "ratelimit 5/s burst 3\nburst 4\n", 2, "'burst' already given on line 1" },
	{ "burst 4\nratelimit 5/s burst 3\n", 2, "'burst' already given on line 1" },
	{ "report-allowed on\nreport_allowed off\n", 2,
	  "'report_allowed' already given on line 1" },
	{ "allow uid=1 access=read,\n", 1, "access=read,: expected" },
	{ "allow uid=1 access=,read\n", 1, "expected read, write, attach" },
	{ "allow uid=1 channel=ptrace,mem\n", 1, "channel=ptrace,mem: expected" },
	{ "allow uid=1 channel=\n", 1, "channel=: expected" },
	{ "allow uid=1 channel=ptrace channel=ptrace\n", 1,
	  "'channel=' given twice" },
	{ "allow channel=ptrace\n", 1, "needs a selector" },
	{ "allow\n", 1, "needs a selector" },
	{ "allow access=read\n", 1, "needs a selector" },
	{ "allow uid=abc\n", 1, "uid=abc: expected a number" },
	{ "allow uid=-1\n", 1, "uid=-1: expected a number" },
	{ "allow uid=4294967295\n", 1, "expected a number" },
	{ "allow uid=\n", 1, "expected a number" },
	{ "allow uid=1 uid=2\n", 1, "'uid=' given twice" },
	{ "allow self self\n", 1, "'self' given twice" },
	{ "allow self=1\n", 1, "unknown selector 'self=1'" },
	{ "allow colour=red\n", 1, "unknown selector 'colour=red'" },
	{ "allow self access=all\n", 1, "access=all: expected read" },
	{ "allow exe=bin/sh\n", 1, "exe=bin/sh: the path must be absolute" },
	{ "allow exe=/nonexistent/pmg\n", 1, "No such file or directory" },
	{ "allow exe=/tmp\n", 1, "exe=/tmp: not a regular file" },
	{ "allow cgroup=/tmp\n", 1, "not a cgroup v2 directory" },
	{ "allow cgroup=sys\n", 1, "the path must be absolute" },
	{ "allow uid=0\n# ok so far\nallow\n", 3, "needs a selector" },
	{ "log on\nread alert\nwrite alert\nlog off\n", 4,
	  "'log' already given on line 1" },
	{ "allow uid=1 a b c d e f g h i j k l m n o p\n", 1,
	  "too many words" },
	{ "allow uid=\001\n", 1, "uid=?: expected" },
};

TEST(errors_carry_file_and_line)
{
	char want[600];
	struct pmg_policy p;
	struct pmg_perr e;
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		EXPECT_EQ(-EINVAL, parse(c->text, &p, &e))
			TH_LOG("case %zu should fail", i);
		EXPECT_EQ(c->line, e.line) TH_LOG("case %zu: %s", i, e.msg);
		snprintf(want, sizeof(want), "test.policy:%u: ", c->line);
		EXPECT_EQ(0, strncmp(e.msg, want, strlen(want)))
			TH_LOG("case %zu: %s", i, e.msg);
		EXPECT_NE(NULL, strstr(e.msg, c->reason))
			TH_LOG("case %zu: '%s' lacks '%s'", i, e.msg, c->reason);
		EXPECT_EQ(0u, p.nrules);
		EXPECT_EQ(NULL, p.rules);
	}
}

TEST(nul_byte_in_line)
{
	static const char text[] = "read alert\nlog on\0 hidden\n";
	struct pmg_policy p;
	struct pmg_perr e;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	ASSERT_NE(NULL, f);
	EXPECT_EQ(-EINVAL, pmg_policy_parse(f, "x", &p, &e));
	EXPECT_EQ(2u, e.line);
	EXPECT_STREQ("x:2: NUL byte in the line", e.msg);
	fclose(f);
}

TEST(load_missing_file)
{
	struct pmg_policy p;
	struct pmg_perr e;

	EXPECT_EQ(-ENOENT, pmg_policy_load("/nonexistent/policy", &p, &e));
	EXPECT_EQ(0u, e.line);
	EXPECT_STREQ("/nonexistent/policy: No such file or directory", e.msg);
}

TEST(load_file)
{
	char path[64];
	struct pmg_policy p;
	struct pmg_perr e;
	FILE *f;

	ASSERT_EQ(0, make_file(path, sizeof(path)));
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("write block\nallow self\nread loud\n", f);
	fclose(f);
	EXPECT_EQ(-EINVAL, pmg_policy_load(path, &p, &e));
	EXPECT_EQ(3u, e.line);
	EXPECT_EQ(0, strncmp(e.msg, path, strlen(path)));
	EXPECT_NE(NULL, strstr(e.msg, ":3: usage: read"));
	unlink(path);
}

TEST(config_set)
{
	struct pmg_config c = { 0 };
	char msg[300];

	ASSERT_EQ(0, pmg_config_set_kv(&c, "read=block", msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_config_set_kv(&c, "write=off", msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_config_set_kv(&c, "ratelimit=5/s", msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_config_set_kv(&c, "burst=7", msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_config_set_kv(&c, "log=off", msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_config_set_kv(&c, "report-allowed=on", msg,
				       sizeof(msg)));
	EXPECT_STREQ("'report-allowed' is spelled 'report_allowed' now", msg);
	EXPECT_EQ(PMG_BIT(PMG_C_READ) | PMG_BIT(PMG_C_WRITE) |
		  PMG_BIT(PMG_C_RATELIMIT) | PMG_BIT(PMG_C_BURST) |
		  PMG_BIT(PMG_C_LOG) | PMG_BIT(PMG_C_REPORT_ALLOWED), c.present);
	EXPECT_EQ(PMG_MODE_BLOCK, c.read);
	EXPECT_EQ(PMG_MODE_OFF, c.write);
	EXPECT_EQ(5u, c.ratelimit);
	EXPECT_EQ(7u, c.burst);
	EXPECT_FALSE(c.log);
	EXPECT_TRUE(c.report_allowed);

	EXPECT_EQ(-EINVAL, pmg_config_set_kv(&c, "read=alert", msg,
					      sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "'read' given twice"));
	EXPECT_EQ(PMG_MODE_BLOCK, c.read);

	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, pmg_config_set_kv(&c, "attach=block", msg, sizeof(msg)));
	EXPECT_STREQ("", msg);
	ASSERT_EQ(0, pmg_config_set_kv(&c, "report_allowed=off", msg,
				       sizeof(msg)));
	EXPECT_STREQ("", msg);
	EXPECT_EQ(PMG_MODE_BLOCK, c.attach);
	EXPECT_EQ(-EINVAL, pmg_config_set_kv(&c, "report-allowed=on", msg,
					      sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "'report_allowed' given twice"));

	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, pmg_config_set_kv(&c, "ratelimit=off", msg, sizeof(msg)));
	EXPECT_EQ(0u, c.ratelimit);
	EXPECT_EQ(PMG_BIT(PMG_C_RATELIMIT), c.present);
}

TEST(config_set_errors)
{
	static const char *const bad[] = {
		"read", "=alert", "read=", "read=loud", "locked=on",
		"burst=0", "burst=x", "ratelimit=5", "ratelimit=0/s",
		"log=yes", "color=red", "attach=on", "report_allowed=1",
		"log=1", "lock=on",
	};
	struct pmg_config c = { 0 };
	char msg[300];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, pmg_config_set_kv(&c, bad[i], msg,
						      sizeof(msg)))
			TH_LOG("%s", bad[i]);
		EXPECT_NE('\0', msg[0]);
	}
	EXPECT_EQ(0u, c.present);
}

TEST(rule_selectors)
{
	struct pmg_rule r = { 0 };
	char msg[300];

	EXPECT_EQ(-EINVAL, pmg_rule_check(&r, msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_rule_set_access(&r, "write", msg, sizeof(msg)));
	EXPECT_EQ(-EINVAL, pmg_rule_check(&r, msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_rule_parse_word(&r, "self", msg, sizeof(msg)));
	EXPECT_EQ(0, pmg_rule_check(&r, msg, sizeof(msg)));
	ASSERT_EQ(0, pmg_rule_set_uid(&r, "4294967294", msg, sizeof(msg)));
	EXPECT_EQ(4294967294u, r.uid);
	EXPECT_EQ(-EINVAL, pmg_rule_set_exe(&r, "/", msg, sizeof(msg)));
	EXPECT_FALSE(PMG_HAS(&r, PMG_R_EXE_INO));
}

TEST(value_parsers)
{
	/* The 32-bit parsers: input, answer, and the value when accepted. */
	static const struct {
		int (*parse)(const char *s, uint32_t *out);
		const char *in;
		int want;
		uint32_t value;
	} cases[] = {
		{ pmg_parse_u32, "0", 0, 0 },
		{ pmg_parse_u32, "007", 0, 7 },
		{ pmg_parse_u32, "4294967295", 0, 4294967295u },
		{ pmg_parse_u32, "4294967296", -EINVAL, 0 },
		{ pmg_parse_u32, "", -EINVAL, 0 },
		{ pmg_parse_u32, "+1", -EINVAL, 0 },
		{ pmg_parse_u32, "-1", -EINVAL, 0 },
		{ pmg_parse_u32, " 1", -EINVAL, 0 },
		{ pmg_parse_u32, "1 ", -EINVAL, 0 },
		{ pmg_parse_u32, "0x10", -EINVAL, 0 },
		{ pmg_parse_rate, "1/s", 0, 1 },
		{ pmg_parse_rate, "off", 0, 0 },
		{ pmg_parse_rate, "/s", -EINVAL, 0 },
		{ pmg_parse_rate, "5/s/s", -EINVAL, 0 },
		{ pmg_parse_rate, "5/sec", -EINVAL, 0 },
	};
	uint32_t v;
	uint8_t m;
	size_t i;
	bool b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(cases[i].want, cases[i].parse(cases[i].in, &v))
			TH_LOG("'%s'", cases[i].in);
		if (!cases[i].want) {
			EXPECT_EQ(cases[i].value, v) TH_LOG("'%s'", cases[i].in);
		}
	}

	EXPECT_EQ(0, pmg_parse_mode("alert", &m));
	EXPECT_EQ(PMG_MODE_ALERT, m);
	EXPECT_EQ(-EINVAL, pmg_parse_mode("ALERT", &m));
	EXPECT_EQ(0, pmg_parse_access("read-write", &m));
	EXPECT_EQ(PMG_ACCESS_READ_WRITE, m);
	EXPECT_EQ(-EINVAL, pmg_parse_access("rw", &m));
	EXPECT_EQ(0, pmg_parse_onoff("on", &b));
	EXPECT_TRUE(b);
	EXPECT_EQ(-EINVAL, pmg_parse_onoff("1", &b));
}

TEST_HARNESS_MAIN
