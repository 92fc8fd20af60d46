/* SPDX-License-Identifier: GPL-2.0 */
/* netlink.h - the "procmem_guard" generic netlink family. */
#ifndef _PMG_NETLINK_H
#define _PMG_NETLINK_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct pmg_record;

/* One finding: a record seen under one signature, with resolved names. */
struct pmg_finding_ctx {
	const struct pmg_record *rec;
	u32 sig;
	u8 action;		/* enum pmg_action */
	u64 seq;
	const char *exe;		/* NULL: unavailable */
	const char *path;		/* NULL: unavailable */
	const char *procfs_path;
};

/* Findings gathered into as few multicast messages as fit. */
struct pmg_batch {
	struct sk_buff *skb;
	void *hdr;
	unsigned int count;	/* findings in skb */
	unsigned int sent;	/* messages flushed since init */
};

int pmg_nl_init(void);
void pmg_nl_exit(void);
bool pmg_nl_listening(void);
unsigned int pmg_nl_pace_budget(void);
void pmg_nl_batch_init(struct pmg_batch *b);
void pmg_nl_batch_add(struct pmg_batch *b, const struct pmg_finding_ctx *f);
void pmg_nl_batch_flush(struct pmg_batch *b);

#endif /* _PMG_NETLINK_H */
