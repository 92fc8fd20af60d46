// SPDX-License-Identifier: GPL-2.0
/*
 * suite_lock - the policy lock. Once locked, the module stays loaded until
 * the guest powers off, so this suite runs last: tests/guest/run-suites.sh
 * lists it among the suites that pin the module.
 */
#include "kselftest_harness.h"
#include "pmg_test.h"
#include "pmg_raw.h"

/*
 * One fixture, so that the three run in this order (the harness runs the
 * tests of a fixture together). The first runs some 20 commands: on the
 * KASAN kernel, with other guests on the host, 30 s (TEST()'s limit) were
 * not enough.
 */
FIXTURE(lock) {
	int unused;
};

FIXTURE_SETUP(lock)
{
}

FIXTURE_TEARDOWN(lock)
{
}

TEST_F_TIMEOUT(lock, lock_only_tightens_and_pins_the_module, 300)
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

/* The module is locked (above): the kernel keeps ftrace on for it. */
TEST_F_TIMEOUT(lock, a_locked_module_keeps_ftrace_on, 120)
{
	FILE *f;
	int v = -1;

	ASSERT_TRUE(pmg_loaded());
	EXPECT_NE(0, pmg_write_text("/proc/sys/kernel/ftrace_enabled", "0"));
	f = fopen("/proc/sys/kernel/ftrace_enabled", "r");
	ASSERT_NE(NULL, f);
	EXPECT_EQ(1, fscanf(f, "%d", &v));
	fclose(f);
	EXPECT_EQ(1, v);
	pmg_write_text("/proc/sys/kernel/ftrace_enabled", "1");
}

static bool is_unload(const struct pmg_raw_ev *e, const void *arg)
{
	(void)arg;
	return e->notice && e->type == PMG_NOTICE_UNLOAD;
}

/*
 * rmmod -f takes no notice of references (CONFIG_MODULE_FORCE_UNLOAD=y in
 * every Debian kernel): the lock cannot stop it, but the listeners hear.
 */
TEST_F_TIMEOUT(lock, a_forced_unload_of_a_locked_module_is_reported, 120)
{
	struct pmg_raw_listener l;
	struct pmg_raw_ev e;
	size_t from = 0;
	long k;

	ASSERT_TRUE(pmg_loaded());
	ASSERT_EQ(0, pmg_raw_listen(&l, false));
	if (pmg_sh("rmmod -f procmem_guard 2>/dev/null")) {
		pmg_raw_stop(&l);
		SKIP(return, "this kernel cannot force an unload");
	}
	k = pmg_raw_wait(&l, &from, is_unload, NULL, 10);
	ASSERT_LE(0, k);
	e = pmg_raw_get(&l, k);
	TH_LOG("unload notice: %s", e.detail);
	EXPECT_NE(NULL, strstr(e.detail, "forced"));
	pmg_raw_stop(&l);
	EXPECT_FALSE(pmg_loaded());
}

/* Sends SET_CONFIG read=off the moment the family appears. */
static int racer(void)
{
	uint8_t off_mode = PMG_MODE_OFF;
	char nest[16], attrs[32];
	size_t noff = 0, off = 0;
	double end = pmg_now() + 30;
	int family, err;

	pmg_put_attr(nest, &noff, PMG_C_READ, &off_mode, 1);
	pmg_put_attr(attrs, &off, PMG_A_CONFIG | NLA_F_NESTED, nest, noff);
	while ((family = pmg_family_ids(NULL)) < 0 && pmg_now() < end)
		;
	if (family < 0)
		return 3;
	err = pmg_raw_request(family, PMG_CMD_SET_CONFIG, 0, attrs, off, NULL,
			      0);
	return err == 0 ? 1 : err == -EPERM ? 0 : 2;
}

FIXTURE(race) {
	int unused;
};

FIXTURE_SETUP(race)
{
}

FIXTURE_TEARDOWN(race)
{
}

/* A module loaded locked is locked before anything can reach it. */
TEST_F_TIMEOUT(race, the_load_time_lock_cannot_be_raced, 600)
{
	int i, st, won = 0, other = 0, rounds = 20;
	pid_t p;

	if (pmg_loaded() && pmg_sh("rmmod -f procmem_guard 2>/dev/null"))
		SKIP(return, "a locked module here cannot be unloaded to try again");
	for (i = 0; i < rounds; i++) {
		p = fork();
		ASSERT_LE(0, p);
		if (p == 0)
			_exit(racer());
		ASSERT_EQ(0, pmg_load("lock=1 read=block"));
		ASSERT_EQ(p, waitpid(p, &st, 0));
		won += WEXITSTATUS(st) == 1;
		other += WEXITSTATUS(st) > 1;
		EXPECT_EQ(0, pmg_sh("grep -qx block /sys/module/procmem_guard/parameters/read"));
		if (pmg_sh("rmmod -f procmem_guard 2>/dev/null"))
			SKIP(return, "this kernel cannot force an unload");
	}
	TH_LOG("%d rounds: the racer changed the policy %d times, %d other answers",
	       rounds, won, other);
	EXPECT_EQ(0, won);
}

TEST_HARNESS_MAIN
