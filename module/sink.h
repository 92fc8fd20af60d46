/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sink.h - findings into multicast messages, and all delivery
 * back-pressure: the listeners that asked to be paced, and how many
 * messages they can take now.
 */
#ifndef _PMG_SINK_H
#define _PMG_SINK_H

#include <linux/types.h>
#include "finding.h"

struct genl_family;
struct netlink_ext_ack;
struct sk_buff;
struct sock;

/* Findings gathered into as few multicast messages as fit. */
struct pmg_batch {
	struct sk_buff *skb;
	void *hdr;
	unsigned int count;	/* findings in skb */
	unsigned int others;	/* summaries and notices in skb */
	unsigned int sent;	/* messages flushed since init */
	/* Called after each message went (err 0) or did not (-errno). */
	void (*sent_fn)(struct pmg_batch *b, int err);
};

/* The family and its findings group are handed over once registered. */
void pmg_sink_init(const struct genl_family *family, unsigned int group);
void pmg_sink_exit(void);

bool pmg_sink_listening(void);

/*
 * Batch messages the worker may send now: unlimited with no pacing
 * listener, on the final pass, or once the pacing listeners have had no
 * room for a second (stalled: the losses are counted); 0 means hold the
 * findings back and look again later.
 */
unsigned int pmg_sink_budget(bool final);

/* A listener asks to be paced (its socket); 0 or -errno with *why. */
int pmg_sink_pace(struct sock *sk, const char **why);
unsigned int pmg_sink_pacers(void);

void pmg_sink_batch_init(struct pmg_batch *b,
			 void (*sent_fn)(struct pmg_batch *b, int err));
/* False if f could not be added (a finding is then counted drop_send). */
bool pmg_sink_batch_add(struct pmg_batch *b, const struct pmg_finding_ctx *f);
void pmg_sink_batch_add_notice(struct pmg_batch *b, const struct pmg_notice *n,
			       u64 seq);
void pmg_sink_batch_flush(struct pmg_batch *b);

#endif /* _PMG_SINK_H */
