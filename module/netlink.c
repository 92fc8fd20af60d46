// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "procmem_guard" generic netlink family: requests, replies
 * and the "alerts" multicast group.
 *
 * Only the initial network namespace sees the family. Joining "alerts"
 * needs CAP_NET_ADMIN (GENL_MCAST_CAP_NET_ADMIN, checked by the core on
 * bind); every command that changes state is GENL_ADMIN_PERM. Every request
 * is validated strictly against pmg_nl_policy by pmg_parse(): unknown
 * attributes, wrong types and lengths, values out of range and attributes
 * only the kernel sends are refused with -EINVAL and an extack message.
 * (The family declares no policy of its own so that the core's -ERANGE for
 * some malformed attributes reaches the caller as -EINVAL too.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/net_namespace.h>
#include "compat.h"
#include "netlink.h"
#include "params.h"
#include "policy.h"
#include "probe.h"
#include "report.h"
#include "stats.h"
#include "procmem_guard.h"

static const struct nla_policy pmg_config_policy[PMG_C_MAX + 1] = {
	[PMG_C_READ]		= NLA_POLICY_MAX(NLA_U8, PMG_MODE_BLOCK),
	[PMG_C_WRITE]		= NLA_POLICY_MAX(NLA_U8, PMG_MODE_BLOCK),
	[PMG_C_RATELIMIT]	= { .type = NLA_U32 },
	[PMG_C_BURST]		= { .type = NLA_U32 },
	[PMG_C_LOG]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PMG_C_REPORT_ALLOWED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[PMG_C_LOCKED]		= { .type = NLA_REJECT },
};

static const struct nla_policy pmg_rule_policy[PMG_R_MAX + 1] = {
	[PMG_R_ID]		= { .type = NLA_REJECT },
	[PMG_R_EXE_DEV]		= { .type = NLA_U32 },
	[PMG_R_EXE_INO]		= { .type = NLA_U64 },
	[PMG_R_UID]		= { .type = NLA_U32 },
	[PMG_R_CGROUP_ID]	= { .type = NLA_U64 },
	[PMG_R_SELF]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PMG_R_ACCESS]		= NLA_POLICY_RANGE(NLA_U8, PMG_ACCESS_READ,
						   PMG_ACCESS_READ_WRITE),
	[PMG_R_PAD]		= { .type = NLA_REJECT },
};

static const struct nla_policy pmg_nl_policy[PMG_A_MAX + 1] = {
	[PMG_A_PROTOCOL_VERSION] = { .type = NLA_REJECT },
	[PMG_A_MODULE_VERSION]	= { .type = NLA_REJECT },
	[PMG_A_FINDING]		= { .type = NLA_REJECT },
	[PMG_A_STATS]		= { .type = NLA_REJECT },
	[PMG_A_CONFIG]		= NLA_POLICY_NESTED(pmg_config_policy),
	[PMG_A_RULE]		= NLA_POLICY_NESTED(pmg_rule_policy),
	[PMG_A_RULE_ID]		= { .type = NLA_U32 },
	[PMG_A_PAD]		= { .type = NLA_REJECT },
};

static struct genl_family pmg_family;

/*
 * Pacing listeners: sockets that asked (PMG_CMD_PACE) not to be sent more
 * than their receive queue can take. The worker looks at how full each one
 * is before it sends; a socket is dropped from the list once it is closed.
 */
static DEFINE_MUTEX(pmg_pacers_lock);
static struct sock *pmg_pacers[PMG_MAX_PACERS];

/* Under pmg_pacers_lock: forget closed sockets; returns how many are left. */
static unsigned int pmg_pacers_prune(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < PMG_MAX_PACERS; i++) {
		struct sock *sk = pmg_pacers[i];

		if (!sk)
			continue;
		if (sock_flag(sk, SOCK_DEAD)) {
			pmg_pacers[i] = NULL;
			sock_put(sk);
			continue;
		}
		n++;
	}
	return n;
}

static int pmg_pacers_add(struct sock *sk, struct netlink_ext_ack *extack)
{
	unsigned int i;
	int err = -ENOSPC;

	if (!sk) {
		NL_SET_ERR_MSG_MOD(extack, "no socket to pace");
		return -EINVAL;
	}
	mutex_lock(&pmg_pacers_lock);
	pmg_pacers_prune();
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		if (pmg_pacers[i] == sk) {
			err = 0;
			goto out;
		}
	}
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		if (!pmg_pacers[i]) {
			sock_hold(sk);
			pmg_pacers[i] = sk;
			err = 0;
			goto out;
		}
	}
	NL_SET_ERR_MSG_MOD(extack, "too many pacing listeners");
out:
	mutex_unlock(&pmg_pacers_lock);
	return err;
}

static unsigned int pmg_pacers_count(void)
{
	unsigned int n;

	mutex_lock(&pmg_pacers_lock);
	n = pmg_pacers_prune();
	mutex_unlock(&pmg_pacers_lock);
	return n;
}

/*
 * A batch message is allocated from one 16 KiB block (payload, headers and
 * skb overhead); what it adds to a receive queue is that allocation.
 */
#define PMG_BATCH_ALLOC		16384
#define PMG_BATCH_TRUESIZE	SKB_TRUESIZE(SKB_WITH_OVERHEAD(PMG_BATCH_ALLOC))

/*
 * How many batch messages may be sent now: as many as fit in the emptiest
 * half of the pacing listeners' receive buffers (the core refuses a message
 * only once a queue is over the whole buffer, so one more always fits).
 * UINT_MAX with no pacing listener.
 */
unsigned int pmg_nl_pace_budget(void)
{
	unsigned int i, budget = UINT_MAX;

	mutex_lock(&pmg_pacers_lock);
	pmg_pacers_prune();
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		struct sock *sk = pmg_pacers[i];
		int room;

		if (!sk)
			continue;
		room = READ_ONCE(sk->sk_rcvbuf) / 2 -
		       atomic_read(&sk->sk_rmem_alloc);
		budget = min_t(unsigned int, budget,
			       room > 0 ? room / PMG_BATCH_TRUESIZE : 0);
	}
	mutex_unlock(&pmg_pacers_lock);
	return budget;
}

/* Strict parse of a request's attributes; any failure is -EINVAL. */
static int pmg_parse(struct genl_info *info, struct nlattr **tb)
{
	int err = nlmsg_parse(info->nlhdr, GENL_HDRLEN, tb, PMG_A_MAX,
			      pmg_nl_policy, info->extack);

	if (err && info->extack && !info->extack->_msg)
		NL_SET_ERR_MSG_MOD(info->extack, "malformed request");
	return err ? -EINVAL : 0;
}

/* Refuses a request without attribute attr; what is a string literal. */
static int pmg_require(struct genl_info *info, struct nlattr **tb, int attr,
		       const char *what)
{
	if (tb[attr])
		return 0;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	if (info->extack)
		info->extack->_msg = what;
	return -EINVAL;
}

static int pmg_put_stats(struct sk_buff *skb)
{
	struct pmg_stats s;
	struct nlattr *nest;
	int i;

	pmg_stats_read(&s);
	s.c[PMG_S_INFLIGHT] = pmg_report_inflight();
	s.c[PMG_S_NMISSED] = pmg_probe_nmissed();
	s.c[PMG_S_ENFORCE_MISSES] += pmg_policy_enforce_misses();
	s.c[PMG_S_PACERS] = pmg_pacers_count();
	nest = nla_nest_start(skb, PMG_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = PMG_S_UNSPEC + 1; i < PMG_S_PAD; i++)
		if (nla_put_u64_64bit(skb, i, s.c[i], PMG_S_PAD))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * Answers a read-only request: validates it, then builds the reply (size
 * bytes of payload at most), fill() adding the attributes.
 */
static int pmg_reply(struct genl_info *info, u8 cmd, size_t size,
		     int (*fill)(struct sk_buff *skb))
{
	struct nlattr *tb[PMG_A_MAX + 1];
	struct sk_buff *skb;
	void *hdr;

	if (pmg_parse(info, tb))
		return -EINVAL;
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &pmg_family, 0, cmd);
	if (!hdr || fill(skb)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int pmg_fill_status(struct sk_buff *skb)
{
	if (nla_put_u32(skb, PMG_A_PROTOCOL_VERSION, PMG_PROTOCOL_VERSION) ||
	    nla_put_string(skb, PMG_A_MODULE_VERSION, PMG_VERSION))
		return -EMSGSIZE;
	return pmg_policy_put_config(skb) ?: pmg_put_stats(skb);
}

static int pmg_cmd_get_status(struct sk_buff *skb, struct genl_info *info)
{
	return pmg_reply(info, PMG_CMD_GET_STATUS, NLMSG_GOODSIZE,
			 pmg_fill_status);
}

static int pmg_cmd_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	return pmg_reply(info, PMG_CMD_GET_STATS, NLMSG_GOODSIZE,
			 pmg_put_stats);
}

static int pmg_cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return pmg_reply(info, PMG_CMD_GET_CONFIG, NLMSG_GOODSIZE,
			 pmg_policy_put_config);
}

/* Room for every rule, each with every selector. */
#define PMG_RULE_NEST_MAX	nla_total_size(7 * nla_total_size_64bit(8))

static int pmg_cmd_allow_list(struct sk_buff *skb, struct genl_info *info)
{
	return pmg_reply(info, PMG_CMD_ALLOW_LIST,
			 PMG_MAX_RULES * PMG_RULE_NEST_MAX,
			 pmg_policy_put_rules);
}

static int pmg_cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];

	if (pmg_parse(info, tb) ||
	    pmg_require(info, tb, PMG_A_CONFIG, "PMG_A_CONFIG is required"))
		return -EINVAL;
	return pmg_policy_set_config(tb[PMG_A_CONFIG], info->extack);
}

static int pmg_cmd_allow_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];
	struct sk_buff *reply;
	void *hdr;
	u32 id;
	int err;

	if (pmg_parse(info, tb) ||
	    pmg_require(info, tb, PMG_A_RULE, "PMG_A_RULE is required"))
		return -EINVAL;
	err = pmg_policy_add_rule(tb[PMG_A_RULE], &id, info->extack);
	if (err)
		return err;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &pmg_family, 0, PMG_CMD_ALLOW_ADD);
	if (!hdr || nla_put_u32(reply, PMG_A_RULE_ID, id)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static int pmg_cmd_allow_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];

	if (pmg_parse(info, tb) ||
	    pmg_require(info, tb, PMG_A_RULE_ID, "PMG_A_RULE_ID is required"))
		return -EINVAL;
	return pmg_policy_del_rule(nla_get_u32(tb[PMG_A_RULE_ID]), info->extack);
}

static int pmg_cmd_apply(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];

	if (pmg_parse(info, tb))	/* validates every attribute */
		return -EINVAL;
	return pmg_policy_apply(genlmsg_data(info->genlhdr),
				genlmsg_len(info->genlhdr), info->extack);
}

static int pmg_cmd_lock(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];

	if (pmg_parse(info, tb))
		return -EINVAL;
	return pmg_policy_lock(info->extack);
}

/* The requesting socket (NETLINK_CB's sk is the sender's) starts pacing. */
static int pmg_cmd_pace(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];
	int i;

	if (pmg_parse(info, tb))
		return -EINVAL;
	for (i = 1; i <= PMG_A_MAX; i++) {
		if (tb[i]) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[i],
					    "PMG_CMD_PACE takes no attributes");
			return -EINVAL;
		}
	}
	return pmg_pacers_add(NETLINK_CB(skb).sk, info->extack);
}

static const struct genl_small_ops pmg_ops[] = {
	{
		.cmd = PMG_CMD_GET_STATUS,
		.doit = pmg_cmd_get_status,
	},
	{
		.cmd = PMG_CMD_GET_STATS,
		.doit = pmg_cmd_get_stats,
	},
	{
		.cmd = PMG_CMD_GET_CONFIG,
		.doit = pmg_cmd_get_config,
	},
	{
		.cmd = PMG_CMD_SET_CONFIG,
		.doit = pmg_cmd_set_config,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PMG_CMD_ALLOW_ADD,
		.doit = pmg_cmd_allow_add,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PMG_CMD_ALLOW_DEL,
		.doit = pmg_cmd_allow_del,
		.flags = GENL_ADMIN_PERM,
	},
	{
		/* The rules say which binaries may read memory: admins only. */
		.cmd = PMG_CMD_ALLOW_LIST,
		.doit = pmg_cmd_allow_list,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PMG_CMD_APPLY,
		.doit = pmg_cmd_apply,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PMG_CMD_LOCK,
		.doit = pmg_cmd_lock,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PMG_CMD_PACE,
		.doit = pmg_cmd_pace,
		.flags = GENL_ADMIN_PERM,
	},
};

enum pmg_mcgrp { PMG_MCGRP_ALERTS_IDX };

static const struct genl_multicast_group pmg_mcgrps[] = {
	[PMG_MCGRP_ALERTS_IDX] = {
		.name = PMG_MCGRP_ALERTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family pmg_family = {
	.name		= PMG_GENL_NAME,
	.version	= PMG_GENL_VERSION,
	.netnsok	= false,
	.module		= THIS_MODULE,
	.small_ops	= pmg_ops,
	.n_small_ops	= ARRAY_SIZE(pmg_ops),
	.resv_start_op	= PMG_CMD_MAX + 1,
	.mcgrps		= pmg_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pmg_mcgrps),
};

bool pmg_nl_listening(void)
{
	return genl_has_listeners(&pmg_family, &init_net, PMG_MCGRP_ALERTS_IDX);
}

static int pmg_put_str(struct sk_buff *skb, int type, const char *s)
{
	return s ? nla_put_string(skb, type, s) : 0;
}

static int pmg_put_finding(struct sk_buff *skb, const struct pmg_finding_ctx *f)
{
	const struct pmg_record *r = f->rec;
	struct nlattr *nest = nla_nest_start(skb, PMG_A_FINDING);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PMG_F_SEQ, f->seq, PMG_F_PAD) ||
	    nla_put_u32(skb, PMG_F_SIGNATURE, f->sig) ||
	    nla_put_u8(skb, PMG_F_ACCESS, r->access) ||
	    nla_put_u32(skb, PMG_F_FLAGS, r->flags) ||
	    nla_put_u8(skb, PMG_F_ACTION, f->action) ||
	    nla_put_u64_64bit(skb, PMG_F_TIME_NS, r->time_ns, PMG_F_PAD) ||
	    (r->kind && nla_put_u8(skb, PMG_F_KIND, r->kind)) ||
	    nla_put_u32(skb, PMG_F_PID, r->pid) ||
	    nla_put_u32(skb, PMG_F_TID, r->tid) ||
	    nla_put_u32(skb, PMG_F_PPID, r->ppid) ||
	    nla_put_u32(skb, PMG_F_VPID, r->vpid) ||
	    nla_put_u32(skb, PMG_F_VTID, r->vtid) ||
	    nla_put_u32(skb, PMG_F_VPPID, r->vppid) ||
	    nla_put_u32(skb, PMG_F_UID, r->uid) ||
	    nla_put_u32(skb, PMG_F_EUID, r->euid) ||
	    nla_put_u32(skb, PMG_F_GID, r->gid) ||
	    nla_put_string(skb, PMG_F_COMM, r->comm) ||
	    pmg_put_str(skb, PMG_F_EXE, f->exe) ||
	    (r->exe_ino &&
	     (nla_put_u32(skb, PMG_F_EXE_DEV, r->exe_dev) ||
	      nla_put_u64_64bit(skb, PMG_F_EXE_INO, r->exe_ino, PMG_F_PAD))) ||
	    nla_put_u64_64bit(skb, PMG_F_CGROUP_ID, r->cgroup_id, PMG_F_PAD) ||
	    nla_put_u32(skb, PMG_F_PIDNS, r->pidns) ||
	    (r->mntns && nla_put_u32(skb, PMG_F_MNTNS, r->mntns)))
		goto cancel;
	if (r->tpid &&
	    (nla_put_u32(skb, PMG_F_TARGET_PID, r->tpid) ||
	     nla_put_u32(skb, PMG_F_TARGET_VPID, r->tvpid) ||
	     nla_put_string(skb, PMG_F_TARGET_COMM, r->tcomm) ||
	     nla_put_u8(skb, PMG_F_TARGET_SELF, r->self)))
		goto cancel;
	if (r->ttid &&
	    (nla_put_u32(skb, PMG_F_TARGET_TID, r->ttid) ||
	     nla_put_u32(skb, PMG_F_TARGET_VTID, r->tvtid)))
		goto cancel;
	if (pmg_put_str(skb, PMG_F_PATH, f->path) ||
	    nla_put_string(skb, PMG_F_PROCFS_PATH, f->procfs_path) ||
	    nla_put_u32(skb, PMG_F_DEV, r->dev) ||
	    nla_put_u64_64bit(skb, PMG_F_INO, r->ino, PMG_F_PAD) ||
	    (r->suppressed &&
	     nla_put_u32(skb, PMG_F_SUPPRESSED, r->suppressed)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * A batch message is sized for a few dozen findings and allocated from one
 * 16 KiB block (with the skb overhead and the headers); a full batch is sent
 * and the next one started. Listeners read datagrams of up to 64 KiB.
 */
#define PMG_BATCH_BYTES	(SKB_WITH_OVERHEAD(PMG_BATCH_ALLOC) - NLMSG_HDRLEN - \
			 GENL_HDRLEN)

void pmg_nl_batch_init(struct pmg_batch *b)
{
	b->skb = NULL;
	b->hdr = NULL;
	b->count = 0;
	b->sent = 0;
}

static bool pmg_batch_open(struct pmg_batch *b, size_t size)
{
	b->skb = genlmsg_new(size, GFP_KERNEL | __GFP_NOWARN);
	if (!b->skb)
		return false;
	b->hdr = genlmsg_put(b->skb, 0, 0, &pmg_family, 0, PMG_CMD_FINDING);
	if (!b->hdr) {
		nlmsg_free(b->skb);
		b->skb = NULL;
		return false;
	}
	return true;
}

void pmg_nl_batch_flush(struct pmg_batch *b)
{
	int err;

	if (!b->skb)
		return;
	if (!b->count) {
		nlmsg_free(b->skb);
		b->skb = NULL;
		b->hdr = NULL;
		return;
	}
	genlmsg_end(b->skb, b->hdr);
	err = genlmsg_multicast(&pmg_family, b->skb, 0, PMG_MCGRP_ALERTS_IDX,
				GFP_KERNEL);
	/* -ENOBUFS: a listener's queue overflowed and it lost the message;
	 * it sees the overrun and counts it. -ESRCH: the last listener left.
	 */
	pmg_stat_add(err ? PMG_S_DROP_SEND : PMG_S_SENT, b->count);
	b->sent++;
	b->skb = NULL;
	b->hdr = NULL;
	b->count = 0;
}

void pmg_nl_batch_add(struct pmg_batch *b, const struct pmg_finding_ctx *f)
{
	if (!b->skb && !pmg_batch_open(b, PMG_BATCH_BYTES) &&
	    !pmg_batch_open(b, NLMSG_GOODSIZE))
		goto drop;
	if (!pmg_put_finding(b->skb, f))
		goto added;
	/* Full: send what is there and start again, sized for two paths. */
	pmg_nl_batch_flush(b);
	if (!pmg_batch_open(b, 2 * PATH_MAX + NLMSG_GOODSIZE))
		goto drop;
	if (!pmg_put_finding(b->skb, f))
		goto added;
drop:
	pmg_stat_add(PMG_S_DROP_SEND, 1);
	return;
added:
	b->count++;
}

int pmg_nl_init(void)
{
	int err = genl_register_family(&pmg_family);

	if (err)
		pr_err("cannot register generic netlink family %s: %d\n",
		       PMG_GENL_NAME, err);
	return err;
}

/* After unregistering, no request can add a pacing listener any more. */
void pmg_nl_exit(void)
{
	unsigned int i;

	genl_unregister_family(&pmg_family);
	for (i = 0; i < PMG_MAX_PACERS; i++) {
		if (pmg_pacers[i])
			sock_put(pmg_pacers[i]);
		pmg_pacers[i] = NULL;
	}
}
