/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmg_ratelimit.h - the arithmetic of procmem-guard's rate limiter.
 *
 * Pure C with no includes: compiled into the kernel module (which adds the
 * table, its locks and the clock) and into the userspace unit tests.
 *
 * Each (accessor, target) pair has a token bucket: credit in nanoseconds,
 * a finding costs 1 s / rate, the credit is capped at burst findings and
 * grows with time. Pairs live in a set-associative table of
 * PMG_RATE_WAYS-entry sets; a pair new to its set takes a free entry or
 * evicts the least recently used one, and its first findings always go.
 */
#ifndef _PMG_RATELIMIT_H
#define _PMG_RATELIMIT_H

#define PMG_RATE_WAYS		4
#define PMG_NSEC_PER_SEC	1000000000ULL

struct pmg_rate_entry {
	unsigned int acc, tgt;
	unsigned long long tokens;	/* credit in ns */
	unsigned long long last;	/* clock of the last use, ns */
	unsigned int suppressed;	/* since the pair's last admitted one */
	unsigned int used;
};

/* The kernel's hash_32() (<linux/hash.h>, generic version). */
static inline unsigned int pmg_hash_32(unsigned int val, unsigned int bits)
{
	return (unsigned int)(val * 0x61C88647U) >> (32 - bits);
}

/* Which set a pair lives in, of 1 << bits sets (bits 1..31). */
static inline unsigned int pmg_rate_set_of(unsigned int acc, unsigned int tgt,
					   unsigned int bits)
{
	return pmg_hash_32(acc ^ (unsigned int)(tgt * 0x61C88647U), bits);
}

/*
 * Admits n findings of (acc, tgt) at time now (ns, never less than a time
 * passed before for this set) with rate findings per second (1 and up) and
 * burst. set points at the pair's PMG_RATE_WAYS entries, which the caller
 * keeps locked. Returns 1 to admit, with *suppressed the pair's count of
 * findings suppressed since its previous admitted one (then reset), or 0 to
 * suppress (counted). *evicted is set to 1 if a pair was evicted.
 */
static inline int pmg_rate_set_admit(struct pmg_rate_entry *set,
				     unsigned int acc, unsigned int tgt,
				     unsigned long long now, unsigned int rate,
				     unsigned int burst, unsigned int n,
				     unsigned int *suppressed, int *evicted)
{
	unsigned long long cost = PMG_NSEC_PER_SEC / rate;
	unsigned long long cap = cost * burst, need = cost * n;
	struct pmg_rate_entry *e = NULL, *victim = NULL;
	unsigned int i;

	*suppressed = 0;
	*evicted = 0;
	for (i = 0; i < PMG_RATE_WAYS; i++) {
		if (set[i].used && set[i].acc == acc && set[i].tgt == tgt) {
			e = &set[i];
			break;
		}
		if (!victim || !set[i].used ||
		    (victim->used && set[i].last < victim->last))
			victim = &set[i];
	}
	if (!e) {
		/* A new pair: its first finding always goes. */
		*evicted = victim->used != 0;
		victim->acc = acc;
		victim->tgt = tgt;
		victim->used = 1;
		victim->suppressed = 0;
		victim->tokens = cap > need ? cap - need : 0;
		victim->last = now;
		return 1;
	}
	if (now > e->last) {
		e->tokens += now - e->last;
		if (e->tokens > cap)
			e->tokens = cap;
		e->last = now;
	}
	if (e->tokens < need) {
		e->suppressed += n;
		return 0;
	}
	e->tokens -= need;
	*suppressed = e->suppressed;
	e->suppressed = 0;
	return 1;
}

#endif /* _PMG_RATELIMIT_H */
