// SPDX-License-Identifier: GPL-2.0
/*
 * test_export.c - the policy in the policy file's words (tools/export.c):
 * settings as status and config show print them and as JSON, rules as
 * allow list prints them, config export, and apply's differences; the
 * name lists of access kinds and channels (tools/names.c).
 *
 * The running policy is made up here (as pmg_allow_list() would return
 * it); the guest suite policy_file.sh does the same against the module.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "codec.h"
#include "export.h"
#include "policy.h"

static int parse(const char *text, struct pmg_policy *p)
{
	struct pmg_perr e;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	if (!f)
		return -errno;
	r = pmg_policy_parse(f, "t", p, &e);
	fclose(f);
	if (r)
		fprintf(stderr, "%s\n", e.msg);
	return r;
}

/* What fn printed to a memory stream; free() it. */
#define CAPTURE(buf, call)						\
	do {								\
		size_t _len = 0;					\
		FILE *_f = open_memstream(&(buf), &_len);		\
		ASSERT_NE(NULL, _f);					\
		call;							\
		fclose(_f);						\
	} while (0)

/* The running configuration the tests start from. */
static struct pmg_config running(void)
{
	struct pmg_config c = {
		.read = PMG_MODE_BLOCK, .write = PMG_MODE_ALERT,
		.attach = PMG_MODE_OFF, .ratelimit = 10, .burst = 20,
		.log = true, .report_allowed = false, .locked = false,
	};

	c.present = PMG_BIT(PMG_C_READ) | PMG_BIT(PMG_C_WRITE) |
		    PMG_BIT(PMG_C_ATTACH) | PMG_BIT(PMG_C_RATELIMIT) |
		    PMG_BIT(PMG_C_BURST) | PMG_BIT(PMG_C_LOG) |
		    PMG_BIT(PMG_C_REPORT_ALLOWED) | PMG_BIT(PMG_C_LOCKED);
	return c;
}

/* A rule as ALLOW_LIST returns it, made from a parsed one. */
static struct pmg_rule listed(const struct pmg_rule *parsed, uint32_t id)
{
	struct pmg_rule r = *parsed;

	r.id = id;
	PMG_SET(&r, PMG_R_ID);
	if (PMG_HAS(&r, PMG_R_EXE_PATH)) {
		r.stale = false;
		PMG_SET(&r, PMG_R_STALE);
	}
	return r;
}

TEST(access_and_channel_lists)
{
	static const struct {
		const char *in, *out;
		int bits;
	} access[] = {
		{ "read", "read", 1 }, { "write", "write", 2 },
		{ "attach", "attach", 4 }, { "read-write", "read-write", 3 },
		{ "read,write", "read-write", 3 },
		{ "attach,read", "read,attach", 5 },
		{ "write,attach", "write,attach", 6 },
		{ "read,write,attach", "read-write,attach", 7 },
		{ "read-write,attach", "read-write,attach", 7 },
	}, channel[] = {
		{ "proc-mem", "proc-mem", 2 }, { "pidfd-getfd", "pidfd-getfd", 16 },
		{ "ptrace,proc-mem", "proc-mem,ptrace", 10 },
		{ "proc-mem,process-vm,ptrace,pidfd-getfd",
		  "proc-mem,process-vm,ptrace,pidfd-getfd", 30 },
	};
	static const char *const bad[] = {
		"", ",", "read,", ",read", "Read", "rw", "read;write", "all",
	};
	char buf[64];
	uint8_t b;
	size_t i;

	for (i = 0; i < sizeof(access) / sizeof(access[0]); i++) {
		ASSERT_EQ(0, pmg_parse_access_list(access[i].in, &b));
		EXPECT_EQ(access[i].bits, b) TH_LOG("%s", access[i].in);
		ASSERT_EQ(0, pmg_access_list_name(b, buf, sizeof(buf)));
		EXPECT_STREQ(access[i].out, buf);
	}
	for (i = 0; i < sizeof(channel) / sizeof(channel[0]); i++) {
		ASSERT_EQ(0, pmg_parse_channel_list(channel[i].in, &b));
		EXPECT_EQ(channel[i].bits, b) TH_LOG("%s", channel[i].in);
		ASSERT_EQ(0, pmg_channel_list_name(b, buf, sizeof(buf)));
		EXPECT_STREQ(channel[i].out, buf);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, pmg_parse_access_list(bad[i], &b))
			TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(-EINVAL, pmg_parse_channel_list(bad[i], &b))
			TH_LOG("'%s'", bad[i]);
	}
	EXPECT_EQ(-EINVAL, pmg_access_list_name(0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, pmg_access_list_name(8, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, pmg_channel_list_name(1, buf, sizeof(buf)));
	EXPECT_EQ(-ENOSPC, pmg_channel_list_name(30, buf, 10));
}

/*
 * One spelling: every setting is printed by status and config show, and
 * keyed in JSON, under the name config set and the policy file take.
 */
TEST(settings_one_spelling)
{
	const struct pmg_setting *st;
	struct pmg_config c = running(), back = { 0 };
	json_object *o, *v;
	char *text = NULL, kv[64], line[64], value[32];
	size_t i, n;

	st = pmg_settings(&n);
	ASSERT_EQ(7u, n);
	CAPTURE(text, pmg_print_config(_f, &c));
	o = pmg_config_to_json(&c);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pmg_setting_value(&c, st[i].attr, value,
					       sizeof(value)));
		snprintf(line, sizeof(line), "%s: %s\n", st[i].name, value);
		EXPECT_NE(NULL, strstr(text, line)) TH_LOG("%s", line);
		snprintf(kv, sizeof(kv), "%s=%s", st[i].name, value);
		EXPECT_EQ(0, pmg_config_set_kv(&back, kv, line, sizeof(line)))
			TH_LOG("%s: %s", kv, line);
		EXPECT_TRUE(json_object_object_get_ex(o, st[i].name, &v))
			TH_LOG("%s", st[i].name);
	}
	EXPECT_NE(NULL, strstr(text, "locked: no\n"));
	EXPECT_TRUE(json_object_object_get_ex(o, "locked", &v));
	EXPECT_EQ(n + 1, (size_t)json_object_object_length(o));
	EXPECT_STREQ("{\"read\":\"block\",\"write\":\"alert\",\"attach\":\"off\","
		     "\"ratelimit\":10,\"burst\":20,\"log\":true,"
		     "\"report_allowed\":false,\"locked\":false}",
		     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	/* What config set read back is what was printed. */
	EXPECT_EQ(c.present & ~PMG_BIT(PMG_C_LOCKED), back.present);
	EXPECT_EQ(0, memcmp(&c.ratelimit, &back.ratelimit,
			    offsetof(struct pmg_config, locked) -
			    offsetof(struct pmg_config, ratelimit)));
	json_object_put(o);
	free(text);

	/* A setting the module did not send is "?" and null. */
	memset(&c, 0, sizeof(c));
	CAPTURE(text, pmg_print_config(_f, &c));
	EXPECT_STREQ("read: ?\nwrite: ?\nattach: ?\nratelimit: ?\nburst: ?\n"
		     "log: ?\nreport_allowed: ?\nlocked: ?\n", text);
	free(text);
}

TEST(rule_words_and_json)
{
	struct pmg_rule r = { 0 };
	json_object *o;
	char *s;

	r.present = PMG_BIT(PMG_R_ID) | PMG_BIT(PMG_R_EXE_PATH) |
		    PMG_BIT(PMG_R_EXE_DEV) | PMG_BIT(PMG_R_EXE_INO) |
		    PMG_BIT(PMG_R_STALE) | PMG_BIT(PMG_R_UID) |
		    PMG_BIT(PMG_R_CGROUP_ID) | PMG_BIT(PMG_R_ACCESS) |
		    PMG_BIT(PMG_R_CHANNELS);
	r.id = 3;
	snprintf(r.exe_path, sizeof(r.exe_path), "/usr/bin/gdb");
	r.exe_dev = 2049;
	r.exe_ino = 77;
	r.stale = true;
	r.uid = 0;
	r.cgroup_id = 1234567;
	r.access = PMG_ACCESS_READ | PMG_ACCESS_ATTACH;
	r.channels = 1 << PMG_CHANNEL_PTRACE;
	s = pmg_rule_words(&r, "/sys/fs/cgroup/x.service");
	EXPECT_STREQ("exe=/usr/bin/gdb uid=0 cgroup=/sys/fs/cgroup/x.service "
		     "access=read,attach channel=ptrace", s);
	free(s);
	s = pmg_rule_to_text(&r);
	EXPECT_STREQ("exe=/usr/bin/gdb uid=0 cgroup_id=1234567 "
		     "access=read,attach channel=ptrace", s);
	free(s);
	o = pmg_rule_to_json(&r);
	EXPECT_STREQ("{\"id\":3,\"exe\":\"/usr/bin/gdb\",\"exe_dev\":2049,"
		     "\"exe_inode\":77,\"stale\":true,\"uid\":0,"
		     "\"cgroup_id\":1234567,\"self\":false,"
		     "\"access\":\"read,attach\",\"channel\":\"ptrace\"}",
		     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);

	/* Bytes a terminal must not get raw are escaped. */
	memset(&r, 0, sizeof(r));
	r.present = PMG_BIT(PMG_R_EXE_PATH) | PMG_BIT(PMG_R_SELF);
	r.self = true;
	snprintf(r.exe_path, sizeof(r.exe_path), "/tmp/a\033[2Jb\n");
	s = pmg_rule_to_text(&r);
	EXPECT_STREQ("exe=/tmp/a\\x1b[2Jb\\n self", s);
	free(s);
	o = pmg_rule_to_json(&r);
	EXPECT_STREQ("{\"id\":null,\"exe\":\"/tmp/a\\u001b[2Jb\\n\","
		     "\"exe_dev\":null,\"exe_inode\":null,\"stale\":null,"
		     "\"uid\":null,\"cgroup_id\":null,\"self\":true,"
		     "\"access\":null,\"channel\":null}",
		     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static const char policy_text[] =
	"read alert\n"
	"attach block\n"
	"ratelimit off\n"
	"report_allowed on\n"
	"allow exe=/proc/self/exe uid=0 access=read,attach channel=ptrace\n"
	"allow uid=1000 access=read\n"
	"allow self\n"
	"allow uid=1000 access=read\n";

/*
 * The round trip: a policy applied (settings over the running ones, the
 * rules as listed), exported, read back: applying the export changes
 * nothing, and the export holds every setting and rule.
 */
TEST(export_applies_back_unchanged)
{
	static const char settings_text[] =
		"read alert\nwrite alert\nattach block\nratelimit off\n"
		"burst 20\nlog on\nreport_allowed on\nallow exe=/";
	struct pmg_policy file, back;
	struct pmg_config c = running(), send;
	struct pmg_rule rules[8];
	char *text = NULL, *diff = NULL, *notes = NULL;
	size_t i;
	int lines;

	ASSERT_EQ(0, parse(policy_text, &file));
	ASSERT_EQ(4u, file.nrules);
	/* What applying sends: the running settings, the file's over them. */
	CAPTURE(diff, lines = pmg_policy_diff(_f, &c, NULL, 0, &file, &send));
	EXPECT_EQ(2 + 2 + 2 + 2 + 4, lines) TH_LOG("%s", diff);
	EXPECT_NE(NULL, strstr(diff, "-read block\n+read alert\n"));
	EXPECT_NE(NULL, strstr(diff, "-attach off\n+attach block\n"));
	EXPECT_NE(NULL, strstr(diff, "-ratelimit 10/s\n+ratelimit off\n"));
	EXPECT_NE(NULL, strstr(diff, "+allow uid=1000 access=read\n"));
	EXPECT_EQ(NULL, strstr(diff, "write"));
	EXPECT_EQ(NULL, strstr(diff, "burst"));
	EXPECT_EQ(PMG_C_SETTABLE & c.present, send.present);
	EXPECT_EQ(PMG_MODE_ALERT, send.read);
	EXPECT_EQ(PMG_MODE_ALERT, send.write);	/* kept */
	EXPECT_EQ(PMG_MODE_BLOCK, send.attach);
	EXPECT_EQ(0u, send.ratelimit);
	EXPECT_EQ(20u, send.burst);		/* kept */
	EXPECT_TRUE(send.log);			/* kept */
	EXPECT_TRUE(send.report_allowed);
	free(diff);

	/* The module now runs send and the file's rules. */
	send.present |= PMG_BIT(PMG_C_LOCKED);
	for (i = 0; i < file.nrules; i++)
		rules[i] = listed(&file.rules[i], (uint32_t)(10 + i));
	CAPTURE(text, EXPECT_EQ(0, pmg_policy_export(_f, &send, rules,
						     file.nrules, &notes)));
	EXPECT_EQ(NULL, notes);
	EXPECT_EQ(0, strncmp(text, settings_text, strlen(settings_text)))
		TH_LOG("%s", text);
	ASSERT_EQ(0, parse(text, &back)) TH_LOG("%s", text);
	EXPECT_EQ(send.present & PMG_C_SETTABLE, back.config.present);
	EXPECT_EQ(file.nrules, back.nrules);
	EXPECT_EQ(11u, back.directives);
	CAPTURE(diff, lines = pmg_policy_diff(_f, &send, rules, file.nrules,
					      &back, &c));
	EXPECT_EQ(0, lines) TH_LOG("%s", diff);
	EXPECT_STREQ("", diff);
	free(diff);
	free(text);
	pmg_policy_free(&back);
	pmg_policy_free(&file);
}

/* Rules: what goes and what comes; order does not matter, counts do. */
TEST(diff_rules)
{
	struct pmg_policy now, file;
	struct pmg_config c = running(), send;
	struct pmg_rule rules[4];
	char *diff = NULL;
	size_t i;
	int lines;

	ASSERT_EQ(0, parse("allow uid=1\nallow uid=2 access=read\nallow self\n",
			   &now));
	for (i = 0; i < now.nrules; i++)
		rules[i] = listed(&now.rules[i], (uint32_t)(i + 1));
	ASSERT_EQ(0, parse("allow self\nallow uid=2 access=write\nallow uid=1\n"
			   "allow uid=1\n", &file));
	CAPTURE(diff, lines = pmg_policy_diff(_f, &c, rules, now.nrules, &file,
					      &send));
	EXPECT_EQ(3, lines);
	EXPECT_STREQ("-allow uid=2 access=read\n+allow uid=2 access=write\n"
		     "+allow uid=1\n", diff);
	free(diff);
	pmg_policy_free(&file);

	/* No rule at all in the file: every running rule goes. */
	ASSERT_EQ(0, parse("log on\n", &file));
	CAPTURE(diff, lines = pmg_policy_diff(_f, &c, rules, now.nrules, &file,
					      &send));
	EXPECT_EQ(3, lines);
	EXPECT_STREQ("-allow uid=1\n-allow uid=2 access=read\n-allow self\n",
		     diff);
	free(diff);
	pmg_policy_free(&file);
	pmg_policy_free(&now);
}

/*
 * A stale exe rule (its path names another file now) is not what the file
 * asks for: applying replaces it, and export and the diff say so.
 */
TEST(stale_rule)
{
	struct pmg_policy file;
	struct pmg_config c = running(), send;
	struct pmg_rule r;
	char *diff = NULL, *text = NULL, *notes = NULL;
	char path[] = "/tmp/pmg-test-stale-XXXXXX";
	int fd, lines;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(diff = malloc(256), 256, "allow exe=%s uid=0\n", path);
	ASSERT_EQ(0, parse(diff, &file));
	free(diff);
	r = listed(&file.rules[0], 1);
	CAPTURE(diff, lines = pmg_policy_diff(_f, &c, &r, 1, &file, &send));
	EXPECT_EQ(0, lines) TH_LOG("%s", diff);
	free(diff);

	/* The module says the path names another file now. */
	r.stale = true;
	r.exe_ino++;
	CAPTURE(diff, lines = pmg_policy_diff(_f, &c, &r, 1, &file, &send));
	EXPECT_EQ(2, lines);
	EXPECT_NE(NULL, strstr(diff, "uid=0  # stale: the path now names "
			       "another file\n+allow exe=/tmp/pmg-test-stale-"))
		TH_LOG("%s", diff);
	free(diff);
	CAPTURE(text, EXPECT_EQ(0, pmg_policy_export(_f, &c, &r, 1, &notes)));
	EXPECT_NE(NULL, strstr(text, "# stale: the path now names another "
			       "file than the one this rule allows"));
	ASSERT_NE(NULL, notes);
	EXPECT_EQ(0, strncmp(notes, "allow exe=/tmp/pmg-test-stale-", 30));
	free(notes);
	free(text);
	pmg_policy_free(&file);
	unlink(path);
}

/* A rule whose cgroup is gone cannot be a policy line: a comment. */
TEST(export_gone_cgroup)
{
	struct pmg_config c = running();
	struct pmg_rule r = { 0 };
	char *text = NULL, *notes = NULL;

	r.present = PMG_BIT(PMG_R_ID) | PMG_BIT(PMG_R_CGROUP_ID);
	r.cgroup_id = 0xfffffffffffULL;	/* no such inode */
	CAPTURE(text, EXPECT_EQ(0, pmg_policy_export(_f, &c, &r, 1, &notes)));
	EXPECT_NE(NULL, strstr(text, "\n# no cgroup directory has this id "
			       "now, or its path cannot be written on a "
			       "policy line\n#allow cgroup_id=17592186044415\n"))
		TH_LOG("%s", text);
	ASSERT_NE(NULL, notes);
	free(notes);
	free(text);
}

/* The cgroup id of a directory leads back to it: the root, our own. */
TEST(cgroup_path)
{
	static const char *const roots[] = {
		"/sys/fs/cgroup", "/sys/fs/cgroup/unified",
	};
	char path[4096], own[4096], line[4096] = "";
	const char *root = NULL;
	struct statfs sfs;
	struct stat st;
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]) && !root; i++)
		if (!statfs(roots[i], &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC)
			root = roots[i];
	if (!root)
		SKIP(return, "no cgroup v2 hierarchy");
	ASSERT_EQ(0, stat(root, &st));
	ASSERT_EQ(0, pmg_cgroup_path(st.st_ino, path, sizeof(path)));
	EXPECT_STREQ(root, path);
	EXPECT_EQ(-ENOENT, pmg_cgroup_path(0xfffffffffffULL, path,
					   sizeof(path)));
	f = fopen("/proc/self/cgroup", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f) && strncmp(line, "0::/", 4))
		;
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, "0::/", 4) || !strcmp(line, "0::/"))
		return;
	snprintf(own, sizeof(own), "%s%s", root, line + 3);
	if (stat(own, &st))
		return;	/* another cgroup namespace */
	ASSERT_EQ(0, pmg_cgroup_path(st.st_ino, path, sizeof(path)));
	EXPECT_STREQ(own, path);
}

TEST_HARNESS_MAIN
