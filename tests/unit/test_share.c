// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of a user's share of a per-CPU ring (include/pmg_share.h), the
 * same code the module's probes run. A ring is simulated: records are
 * queued in order with the slot they were counted in, and the worker takes
 * them in that order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "pmg_share.h"

#define RING	1024
#define SHARE	(RING / 4 * 3)

struct ring {
	struct pmg_share s;
	unsigned int slot[RING], uid[RING];
	unsigned int head, tail;
};

/* A record of uid, as the probe queues it: 1 if it found room. */
static int put(struct ring *r, unsigned int uid)
{
	unsigned int us = ~0u;

	if (pmg_share_admit(&r->s, uid, r->head - r->tail, RING, SHARE, &us) !=
	    PMG_SHARE_QUEUED)
		return 0;
	r->slot[r->head % RING] = us;
	r->uid[r->head % RING] = uid;
	r->head++;
	return 1;
}

/* The worker takes the oldest record. */
static void take(struct ring *r)
{
	r->s.deq[r->slot[r->tail % RING]]++;
	r->tail++;
}

static unsigned int held_by(const struct ring *r, unsigned int uid)
{
	unsigned int i, n = 0;

	for (i = r->tail; i != r->head; i++)
		n += r->uid[i % RING] == uid;
	return n;
}

static unsigned int flood(struct ring *r, unsigned int uid, unsigned int n)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += put(r, uid);
	return ok;
}

/* A record each of users 1 to 8: every named slot holds one. */
static unsigned int fill_named_slots(struct ring *r)
{
	unsigned int u, ok = 0;

	for (u = 1; u <= PMG_UID_SLOTS; u++)
		ok += flood(r, u, 1);
	return ok;
}

TEST(one_user_holds_three_quarters_and_leaves_the_rest)
{
	struct ring *r = calloc(1, sizeof(*r));

	ASSERT_NE(NULL, r);
	EXPECT_EQ(SHARE, flood(r, 1000, 5000));
	EXPECT_EQ(RING - SHARE, flood(r, 1001, 5000));
	EXPECT_EQ(0, flood(r, 1002, 1));
	/* Taken records make room for their own user again. */
	take(r);
	EXPECT_EQ(1, flood(r, 1000, 5));
	free(r);
}

TEST(a_slot_emptied_goes_to_the_next_user)
{
	struct ring *r = calloc(1, sizeof(*r));

	ASSERT_NE(NULL, r);
	EXPECT_EQ(PMG_UID_SLOTS, fill_named_slots(r));
	take(r);	/* user 1's record: its slot is empty */
	EXPECT_EQ(SHARE, flood(r, 2000, 5000));
	EXPECT_EQ(SHARE, held_by(r, 2000));
	EXPECT_EQ(2000u, r->s.uid[0]);
	/* Not counted in the shared slot: the next user finds room there. */
	EXPECT_EQ(1, flood(r, 2001, 1));
	EXPECT_EQ(PMG_SHARE_OTHERS, r->slot[(r->head - 1) % RING]);
	free(r);
}

/*
 * With 8 users' records queued, a ninth is counted in the shared slot,
 * and stays there while the 8 hold theirs; a user who comes once a slot
 * is empty gets it, whatever the shared slot holds.
 */
TEST(a_ninth_user_shares_the_last_slot_and_a_tenth_gets_an_empty_one)
{
	struct ring *r = calloc(1, sizeof(*r));

	ASSERT_NE(NULL, r);
	EXPECT_EQ(PMG_UID_SLOTS, fill_named_slots(r));
	EXPECT_EQ(SHARE, flood(r, 3000, 5000));
	EXPECT_EQ(0, flood(r, 3001, 1));	/* the shared slot is full */
	take(r);
	EXPECT_EQ(1, flood(r, 3001, 1));
	free(r);
}

/*
 * The limit SECURITY.md states: a user counted in the shared slot gets a
 * slot of its own once one empties, with its records still counted in
 * the shared one, and can then hold more than a share (here all the
 * ring's room).
 */
TEST(the_shared_slot_limit_is_as_documented)
{
	struct ring *r = calloc(1, sizeof(*r));
	unsigned int u;

	ASSERT_NE(NULL, r);
	EXPECT_EQ(PMG_UID_SLOTS, fill_named_slots(r));
	EXPECT_EQ(SHARE, flood(r, 3000, 5000));
	for (u = 1; u <= PMG_UID_SLOTS; u++)
		take(r);
	EXPECT_EQ(RING - SHARE, flood(r, 3000, 5000));
	EXPECT_EQ(RING, held_by(r, 3000));
	free(r);
}

TEST(counts_survive_wrapping)
{
	struct ring *r = calloc(1, sizeof(*r));
	unsigned int i;

	ASSERT_NE(NULL, r);
	r->head = r->tail = 0xfffffc00u;
	for (i = 0; i <= PMG_UID_SLOTS; i++)
		r->s.enq[i] = r->s.deq[i] = 0xffffff00u;
	EXPECT_EQ(SHARE, flood(r, 5, 5000));
	for (i = 0; i < 2000; i++) {
		take(r);
		EXPECT_EQ(1, flood(r, 5, 1));
	}
	EXPECT_EQ(SHARE, held_by(r, 5));
	free(r);
}

TEST_HARNESS_MAIN
