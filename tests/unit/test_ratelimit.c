// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the rate limiter's arithmetic (include/pmg_ratelimit.h),
 * the same code the module runs under its per-set locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "pmg_ratelimit.h"

#define SEC	1000000000ULL
#define MS	1000000ULL

struct rl {
	struct pmg_rate_entry set[PMG_RATE_WAYS];
	unsigned int suppressed;
	int evicted;
};

static int admit(struct rl *r, unsigned int acc, unsigned int tgt,
		 unsigned long long now, unsigned int rate, unsigned int burst,
		 unsigned int n)
{
	return pmg_rate_set_admit(r->set, acc, tgt, now, rate, burst, n,
				  &r->suppressed, &r->evicted);
}

TEST(burst_then_rate)
{
	struct rl r = { 0 };
	unsigned int i, ok = 0;

	/* rate 10/s, burst 20: 20 at once, then 1 per 100 ms. */
	for (i = 0; i < 30; i++)
		ok += admit(&r, 1, 2, 5 * SEC, 10, 20, 1);
	EXPECT_EQ(20, ok);
	EXPECT_EQ(0, admit(&r, 1, 2, 5 * SEC + 99 * MS, 10, 20, 1));
	EXPECT_EQ(1, admit(&r, 1, 2, 5 * SEC + 100 * MS, 10, 20, 1));
	/* The 11 suppressed so far are handed over with the admitted one. */
	EXPECT_EQ(11, r.suppressed);
	EXPECT_EQ(0, admit(&r, 1, 2, 5 * SEC + 100 * MS, 10, 20, 1));
	EXPECT_EQ(0, r.suppressed);
}

TEST(credit_is_capped_at_burst)
{
	struct rl r = { 0 };
	unsigned int i, ok = 0;

	EXPECT_EQ(1, admit(&r, 1, 2, SEC, 10, 5, 1));
	/* An hour later: the credit is 5 findings, not 36,000. */
	for (i = 0; i < 100; i++)
		ok += admit(&r, 1, 2, 3601 * SEC, 10, 5, 1);
	EXPECT_EQ(5, ok);
}

TEST(n_findings_at_once)
{
	struct rl r = { 0 };

	/* A read-write open is two findings: both go or neither. */
	EXPECT_EQ(1, admit(&r, 1, 2, SEC, 1, 3, 2));
	EXPECT_EQ(0, admit(&r, 1, 2, SEC, 1, 3, 2));
	/* One finding's credit is left: a single one goes, and carries the
	 * two suppressed before it.
	 */
	EXPECT_EQ(1, admit(&r, 1, 2, SEC, 1, 3, 1));
	EXPECT_EQ(2, r.suppressed);
}

TEST(clock_going_back_is_harmless)
{
	struct rl r = { 0 };
	unsigned int i, ok = 0;

	EXPECT_EQ(1, admit(&r, 1, 2, 10 * SEC, 1, 2, 1));
	EXPECT_EQ(1, admit(&r, 1, 2, 10 * SEC, 1, 2, 1));
	/* An earlier time (another CPU's older reading) adds no credit and
	 * does not wrap around.
	 */
	for (i = 0; i < 10; i++)
		ok += admit(&r, 1, 2, 9 * SEC, 1, 2, 1);
	EXPECT_EQ(0, ok);
	EXPECT_EQ(1, admit(&r, 1, 2, 11 * SEC, 1, 2, 1));
}

TEST(new_pairs_always_go_and_evict_the_oldest)
{
	struct rl r = { 0 };
	unsigned int i;

	for (i = 0; i < PMG_RATE_WAYS; i++) {
		EXPECT_EQ(1, admit(&r, 100 + i, 7, SEC + i, 1, 1, 1));
		EXPECT_EQ(0, r.evicted);
	}
	/* Each known pair is out of credit. */
	for (i = 0; i < PMG_RATE_WAYS; i++)
		EXPECT_EQ(0, admit(&r, 100 + i, 7, SEC + 10 + i, 1, 1, 1));
	/* A fifth pair goes, and evicts the least recently used one. */
	EXPECT_EQ(1, admit(&r, 200, 7, SEC + 20, 1, 1, 1));
	EXPECT_EQ(1, r.evicted);
	/* Pair 100 was used least recently: it made room; it is new again,
	 * and its first finding goes.
	 */
	for (i = 0; i < PMG_RATE_WAYS; i++)
		EXPECT_NE(100U, r.set[i].acc);
	EXPECT_EQ(1, admit(&r, 100, 7, SEC + 30, 1, 1, 1));
	EXPECT_EQ(1, r.evicted);
}

TEST(pairs_do_not_share_credit)
{
	struct rl r = { 0 };

	EXPECT_EQ(1, admit(&r, 1, 2, SEC, 1, 1, 1));
	EXPECT_EQ(0, admit(&r, 1, 2, SEC, 1, 1, 1));
	EXPECT_EQ(1, admit(&r, 1, 3, SEC, 1, 1, 1));
	EXPECT_EQ(1, admit(&r, 2, 2, SEC, 1, 1, 1));
}

TEST(set_index_is_the_kernel_hash)
{
	unsigned int bits;

	/* hash_32(acc ^ hash_32(tgt, 32), bits): spot values, and every
	 * index in range.
	 */
	EXPECT_EQ(0x61C88647U >> 24, pmg_hash_32(1, 8));
	EXPECT_EQ(0U, pmg_hash_32(0, 8));
	for (bits = 4; bits <= 14; bits++) {
		unsigned int a;

		for (a = 0; a < 5000; a++)
			ASSERT_LT(pmg_rate_set_of(a, a * 7 + 1, bits), 1U << bits);
	}
}

TEST(random_against_a_model)
{
	/* One pair, random gaps and sizes, checked against a plain model. */
	struct rl r = { 0 };
	unsigned long long now = SEC, tokens = 0, cost, cap;
	unsigned int rate = 50, burst = 7, i, sup = 0, admitted = 0;

	srand(42);
	cost = SEC / rate;
	cap = cost * burst;
	for (i = 0; i < 100000; i++) {
		unsigned long long dt = (unsigned long long)(rand() % 40) * MS;
		unsigned int n = 1 + (unsigned int)(rand() % 2);
		int want, got;

		now += dt;
		if (!i) {
			want = 1;
			tokens = cap - n * cost;
		} else {
			tokens = tokens + dt > cap ? cap : tokens + dt;
			want = tokens >= n * cost;
			if (want)
				tokens -= n * cost;
		}
		got = admit(&r, 5, 6, now, rate, burst, n);
		ASSERT_EQ(want, got);
		if (got) {
			ASSERT_EQ(sup, r.suppressed);
			sup = 0;
			admitted++;
		} else {
			sup += n;
		}
	}
	TH_LOG("%u of 100000 admitted", admitted);
	ASSERT_GT(admitted, 1000);
	ASSERT_LT(admitted, 99000);
}

TEST_HARNESS_MAIN
