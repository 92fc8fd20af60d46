// SPDX-License-Identifier: GPL-2.0
/*
 * suite_lock - the policy lock. Once locked, the module stays loaded until
 * the guest powers off, so this suite runs last: tests/guest/run-suites.sh
 * lists it among the suites that pin the module.
 */
#include "kselftest_harness.h"
#include "pmg_test.h"

TEST(lock_only_tightens_and_pins_the_module)
{
	/* Changes that loosen the locked policy: each is refused. */
	static const char *const loosening[] = {
		"procmem-guard config set read=off 2>/dev/null",
		"procmem-guard config set ratelimit=1/s 2>/dev/null",
		"procmem-guard config set log=off 2>/dev/null",
		"procmem-guard allow add --uid 5 2>/dev/null",
		NULL,
	};
	/* Tightening works: a stricter mode, fewer rules. */
	static const char *const tightening[] = {
		"procmem-guard config set read=block",
		"grep -qx block /sys/module/procmem_guard/parameters/read",
		"procmem-guard allow del 2",
		"[ $(procmem-guard allow list | grep -c .) -eq 1 ]",
		NULL,
	};
	char out[512];
	FILE *p;
	size_t n;

	pmg_unload();
	ASSERT_EQ(0, pmg_load("read=alert write=block"));
	ASSERT_EQ(0, pmg_sh("procmem-guard allow add --uid 0 --access read >/dev/null"));
	ASSERT_EQ(0, pmg_sh("procmem-guard allow add --uid 1000 --access read >/dev/null"));
	ASSERT_EQ(0, pmg_sh("procmem-guard lock"));
	EXPECT_EQ(0, pmg_sh("procmem-guard config show | grep -q 'locked.*yes'"));

	/* No unload until reboot. */
	EXPECT_NE(0, pmg_sh("rmmod procmem_guard 2>/dev/null"));
	EXPECT_TRUE(pmg_loaded());

	/* Relaxing is refused, and says why. */
	p = popen("procmem-guard config set write=alert 2>&1", "r");
	ASSERT_NE(NULL, p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	EXPECT_NE(0, pclose(p));
	EXPECT_NE(NULL, strstr(out, "locked")) TH_LOG("%s", out);
	pmg_expect_sh(_metadata, false, loosening);
	EXPECT_EQ(0, pmg_sh("grep -qx block /sys/module/procmem_guard/parameters/write"));

	pmg_expect_sh(_metadata, true, tightening);
	/* And stays tight: back to alert is refused. */
	EXPECT_NE(0, pmg_sh("procmem-guard config set read=alert 2>/dev/null"));
}

TEST_HARNESS_MAIN
