/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg_share.h - how much of a per-CPU ring each user may hold.
 *
 * Pure C: compiled into the kernel module (report.c, where the producer
 * reads the worker's counts with READ_ONCE) and into the userspace unit
 * tests.
 *
 * A ring counts, for up to PMG_UID_SLOTS users at a time and one slot for
 * every other user together, how many records the producer queued (enq)
 * and the worker took (deq), each written by one side only. A slot whose
 * counts are equal holds nothing and may be given to another user.
 *
 * The limit (SECURITY.md, floods): a user counted in the shared slot while
 * 8 others held slots can be given a slot of its own once one empties
 * (the worker takes records in order), with its records still counted in
 * the shared slot, and so hold more than a share, up to the whole ring.
 * Keeping every newcomer in the shared slot while it holds records would
 * rule that out, but would let one user in the shared slot take every
 * newcomer's room; who is counted there is not known.
 */
#ifndef _PMG_SHARE_H
#define _PMG_SHARE_H

#ifdef __KERNEL__
#include <linux/compiler.h>
#define PMG_SHARE_LOAD(x)	READ_ONCE(x)
#else
#define PMG_SHARE_LOAD(x)	(x)
#endif

#define PMG_UID_SLOTS		8
#define PMG_SHARE_OTHERS	PMG_UID_SLOTS	/* every other user's slot */

struct pmg_share {
	unsigned int uid[PMG_UID_SLOTS];		/* producer */
	unsigned int enq[PMG_UID_SLOTS + 1];	/* producer */
	unsigned int deq[PMG_UID_SLOTS + 1];	/* consumer */
};

/* Records slot i holds (the producer's view). */
static inline unsigned int pmg_share_held(const struct pmg_share *s,
					  unsigned int i)
{
	return s->enq[i] - PMG_SHARE_LOAD(s->deq[i]);
}

/*
 * The slot whose count a record of uid goes to: the one that holds its
 * records, else an empty one, which becomes its own, else the shared
 * slot.
 */
static inline unsigned int pmg_share_slot(struct pmg_share *s,
					  unsigned int uid)
{
	unsigned int i;

	for (i = 0; i < PMG_UID_SLOTS; i++)
		if (s->uid[i] == uid && pmg_share_held(s, i))
			return i;
	for (i = 0; i < PMG_UID_SLOTS; i++) {
		if (!pmg_share_held(s, i)) {
			s->uid[i] = uid;
			return i;
		}
	}
	return PMG_SHARE_OTHERS;
}

enum pmg_share_verdict {
	PMG_SHARE_QUEUED,	/* counted in *slot */
	PMG_SHARE_RING_FULL,	/* the ring holds size records */
	PMG_SHARE_USER_FULL,	/* the user's slot holds share */
};

/*
 * Whether a record of uid may be queued in a ring that holds queued of
 * size records, and if so counts it (the caller queues it, and the worker
 * adds to deq[*slot] once it took it).
 */
static inline enum pmg_share_verdict
pmg_share_admit(struct pmg_share *s, unsigned int uid, unsigned int queued,
		unsigned int size, unsigned int share, unsigned int *slot)
{
	unsigned int us = pmg_share_slot(s, uid);

	if (queued >= size)
		return PMG_SHARE_RING_FULL;
	if (pmg_share_held(s, us) >= share)
		return PMG_SHARE_USER_FULL;
	s->enq[us]++;
	*slot = us;
	return PMG_SHARE_QUEUED;
}

#endif /* _PMG_SHARE_H */
