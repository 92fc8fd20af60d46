// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the allow rules and of the lock's "does this change only
 * tighten?" check (include/pmg_policy.h), the same code the module runs.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "pmg_policy.h"

enum { OFF, ALERT, BLOCK };	/* enum pmg_mode */

static const struct pmg_settings base = {
	.mode = { ALERT, ALERT, ALERT }, .ratelimit = 10, .burst = 20,
	.report_allowed = 0, .log = 1,
};

static const struct pmg_allow_rule r_exe = {
	.id = 1, .fields = PMG_RULE_EXE, .exe_key = 0x7700,
};
static const struct pmg_allow_rule r_uid_read = {
	.id = 2, .fields = PMG_RULE_UID | PMG_RULE_ACCESS, .uid = 1000,
	.access = PMG_RULE_READ,
};

/* Settings only: what may change under the lock, and what may not. */
struct settings_case {
	const char *what;
	void (*change)(struct pmg_settings *s);
	int allowed;
};

static void read_block(struct pmg_settings *s) { s->mode[0] = BLOCK; }
static void write_off(struct pmg_settings *s) { s->mode[1] = OFF; }
static void read_off(struct pmg_settings *s) { s->mode[0] = OFF; }
static void attach_block(struct pmg_settings *s) { s->mode[2] = BLOCK; }
static void attach_off(struct pmg_settings *s) { s->mode[2] = OFF; }
static void rate_up(struct pmg_settings *s) { s->ratelimit = 100; }
static void rate_down(struct pmg_settings *s) { s->ratelimit = 5; }
static void rate_off(struct pmg_settings *s) { s->ratelimit = 0; }
static void burst_up(struct pmg_settings *s) { s->burst = 50; }
static void burst_down(struct pmg_settings *s) { s->burst = 1; }
static void report_on(struct pmg_settings *s) { s->report_allowed = 1; }
static void log_off(struct pmg_settings *s) { s->log = 0; }
static void nothing(struct pmg_settings *s) { (void)s; }

static const struct settings_case settings_cases[] = {
	{ "nothing", nothing, 1 },
	{ "read alert -> block", read_block, 1 },
	{ "write alert -> off", write_off, 0 },
	{ "read alert -> off", read_off, 0 },
	{ "attach alert -> block", attach_block, 1 },
	{ "attach alert -> off", attach_off, 0 },
	{ "rate 10 -> 100", rate_up, 1 },
	{ "rate 10 -> 5", rate_down, 0 },
	{ "rate 10 -> off", rate_off, 1 },
	{ "burst 20 -> 50", burst_up, 1 },
	{ "burst 20 -> 1", burst_down, 0 },
	{ "report-allowed off -> on", report_on, 1 },
	{ "log on -> off", log_off, 0 },
};

TEST(settings_under_the_lock)
{
	size_t i;

	for (i = 0; i < sizeof(settings_cases) / sizeof(settings_cases[0]); i++) {
		const struct settings_case *c = &settings_cases[i];
		struct pmg_settings s = base;
		const char *why;

		c->change(&s);
		why = pmg_policy_relaxes(&base, NULL, 0, &s, NULL, 0);
		TH_LOG("%s: %s", c->what, why ? why : "allowed");
		EXPECT_EQ(c->allowed, why == NULL);
	}
}

TEST(rate_limit_cannot_come_back_on)
{
	struct pmg_settings off = base, on = base;

	off.ratelimit = 0;
	on.ratelimit = 1000000;
	EXPECT_NE(NULL, pmg_policy_relaxes(&off, NULL, 0, &on, NULL, 0));
	/* Off to off, with any burst. */
	on.ratelimit = 0;
	on.burst = 1;
	EXPECT_EQ(NULL, pmg_policy_relaxes(&off, NULL, 0, &on, NULL, 0));
}

TEST(report_allowed_and_log_stay_on)
{
	struct pmg_settings old = base, new = base;

	old.report_allowed = 1;
	EXPECT_NE(NULL, pmg_policy_relaxes(&old, NULL, 0, &new, NULL, 0));
	new.report_allowed = 1;
	EXPECT_EQ(NULL, pmg_policy_relaxes(&old, NULL, 0, &new, NULL, 0));
	/* Logging off may be turned on. */
	old.log = 0;
	EXPECT_EQ(NULL, pmg_policy_relaxes(&old, NULL, 0, &new, NULL, 0));
}

TEST(rules_can_only_be_removed)
{
	const struct pmg_allow_rule old[] = { r_exe, r_uid_read };
	struct pmg_allow_rule new[3] = { r_uid_read, r_exe };

	/* Same rules, another order, other ids. */
	new[0].id = 9;
	EXPECT_EQ(NULL, pmg_policy_relaxes(&base, old, 2, &base, new, 2));
	/* One removed, or all. */
	EXPECT_EQ(NULL, pmg_policy_relaxes(&base, old, 2, &base, new, 1));
	EXPECT_EQ(NULL, pmg_policy_relaxes(&base, old, 2, &base, new, 0));
	/* A new rule, or an old one widened. */
	new[2] = r_exe;
	new[2].exe_key = 0x7800;	/* another file */
	EXPECT_NE(NULL, pmg_policy_relaxes(&base, old, 2, &base, new, 3));
	new[2] = r_uid_read;
	new[2].fields &= ~PMG_RULE_ACCESS;	/* read only -> all access */
	EXPECT_NE(NULL, pmg_policy_relaxes(&base, old, 2, &base, new, 3));
	new[2] = r_uid_read;
	new[2].access = PMG_RULE_READ | PMG_RULE_WRITE;
	EXPECT_NE(NULL, pmg_policy_relaxes(&base, old, 2, &base, new, 3));
	/* Narrowed to one channel: another rule, so not allowed either. */
	new[2] = r_uid_read;
	new[2].fields |= PMG_RULE_CHANNEL;
	new[2].channels = 1U << 2;
	EXPECT_NE(NULL, pmg_policy_relaxes(&base, old, 2, &base, new, 3));
}

TEST(rules_need_a_selector)
{
	struct pmg_allow_rule r = { .fields = PMG_RULE_ACCESS,
				    .access = PMG_RULE_READ };

	EXPECT_NE(NULL, pmg_rule_invalid(&r));
	r.fields = 0;
	EXPECT_NE(NULL, pmg_rule_invalid(&r));
	EXPECT_EQ(NULL, pmg_rule_invalid(&r_exe));
	EXPECT_EQ(NULL, pmg_rule_invalid(&r_uid_read));
	r = r_uid_read;
	r.access = 0;
	EXPECT_NE(NULL, pmg_rule_invalid(&r));
	r.access = 8;
	EXPECT_NE(NULL, pmg_rule_invalid(&r));
	r.access = PMG_RULE_ATTACH;
	EXPECT_EQ(NULL, pmg_rule_invalid(&r));
	r.fields |= PMG_RULE_CHANNEL;
	r.channels = 0;
	EXPECT_NE(NULL, pmg_rule_invalid(&r));
	r.channels = 1U << 5;
	EXPECT_NE(NULL, pmg_rule_invalid(&r));
	r.channels = (1U << 2) | (1U << 3);
	EXPECT_EQ(NULL, pmg_rule_invalid(&r));
	/* An exe rule whose executable the module could not resolve. */
	r = r_exe;
	r.exe_key = 0;
	EXPECT_NE(NULL, pmg_rule_invalid(&r));
}

TEST(rules_match_every_selector)
{
	struct pmg_subject s = { .exe_key = 0x7700, .euid = 1000,
				 .cgroup_id = 5, .self = 0, .channel = 1 };
	struct pmg_allow_rule vm_only = { .fields = PMG_RULE_UID |
						    PMG_RULE_CHANNEL,
					  .uid = 1000, .channels = 1U << 2 };
	struct pmg_allow_rule self = { .fields = PMG_RULE_SELF };
	struct pmg_allow_rule cg = { .fields = PMG_RULE_CGROUP,
				     .cgroup_id = 5 };

	EXPECT_EQ(1, pmg_rule_matches(&r_exe, &s, PMG_RULE_WRITE));
	EXPECT_EQ(1, pmg_rule_matches(&r_uid_read, &s, PMG_RULE_READ));
	EXPECT_EQ(0, pmg_rule_matches(&r_uid_read, &s, PMG_RULE_WRITE));
	EXPECT_EQ(1, pmg_rule_matches(&cg, &s, PMG_RULE_READ));
	EXPECT_EQ(0, pmg_rule_matches(&self, &s, PMG_RULE_READ));
	s.self = 1;
	EXPECT_EQ(1, pmg_rule_matches(&self, &s, PMG_RULE_READ));
	/* No executable (an accessor without an mm): an exe rule never
	 * matches.
	 */
	s.exe_key = 0;
	EXPECT_EQ(0, pmg_rule_matches(&r_exe, &s, PMG_RULE_READ));
	s.exe_key = 0x7800;
	EXPECT_EQ(0, pmg_rule_matches(&r_exe, &s, PMG_RULE_READ));
	/* A channel rule covers its channels only. */
	EXPECT_EQ(0, pmg_rule_matches(&vm_only, &s, PMG_RULE_READ));
	s.channel = 2;
	EXPECT_EQ(1, pmg_rule_matches(&vm_only, &s, PMG_RULE_READ));
	s.euid = 0;
	EXPECT_EQ(0, pmg_rule_matches(&r_uid_read, &s, PMG_RULE_READ));
}

TEST_HARNESS_MAIN
