// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c - the "procmem_guard" generic netlink family: requests and
 * replies. The top of the control plane: it parses requests into plain C
 * structs, calls down (policy, tamper, probe, report, sink, stats) and
 * encodes the answers; nothing calls into it but module init and exit.
 * Once the family is registered, the sink is handed the family and its
 * "alerts" group.
 *
 * Only the initial network namespace sees the family. Joining "alerts"
 * needs CAP_NET_ADMIN (GENL_MCAST_CAP_NET_ADMIN, checked by the core on
 * bind), and so do the counters and pacing (GENL_ADMIN_PERM); changing the
 * policy and listing its rules need CAP_SYS_ADMIN (pmg_admin()). Every
 * request is validated strictly against pmg_nl_policy by pmg_parse():
 * unknown attributes, wrong types and lengths, values out of range and
 * attributes only the kernel sends are refused with -EINVAL and an extack
 * message. (The family declares no policy of its own so that the core's
 * -ERANGE for some malformed attributes reaches the caller as -EINVAL too.)
 *
 * Every change of the policy is also a notice to the listeners: who (pid,
 * uid, comm, executable) changed what.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include "compat.h"
#include "genl.h"
#include "policy.h"
#include "probe.h"
#include "procmem_guard.h"
#include "report.h"
#include "sink.h"
#include "stats.h"
#include "tamper.h"

static const struct nla_policy pmg_config_policy[PMG_C_MAX + 1] = {
	[PMG_C_READ]		= NLA_POLICY_MAX(NLA_U8, PMG_MODE_BLOCK),
	[PMG_C_WRITE]		= NLA_POLICY_MAX(NLA_U8, PMG_MODE_BLOCK),
	[PMG_C_RATELIMIT]	= { .type = NLA_U32 },
	[PMG_C_BURST]		= { .type = NLA_U32 },
	[PMG_C_LOG]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PMG_C_REPORT_ALLOWED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[PMG_C_LOCKED]		= { .type = NLA_REJECT },
	[PMG_C_ATTACH]		= NLA_POLICY_MAX(NLA_U8, PMG_MODE_BLOCK),
};

static const struct nla_policy pmg_rule_policy[PMG_R_MAX + 1] = {
	[PMG_R_ID]		= { .type = NLA_REJECT },
	[PMG_R_EXE_DEV]		= { .type = NLA_REJECT,
				    .reject_message = "an exe rule is given by PMG_R_EXE_PATH" },
	[PMG_R_EXE_INO]		= { .type = NLA_REJECT,
				    .reject_message = "an exe rule is given by PMG_R_EXE_PATH" },
	[PMG_R_UID]		= { .type = NLA_U32 },
	[PMG_R_CGROUP_ID]	= { .type = NLA_U64 },
	[PMG_R_SELF]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PMG_R_ACCESS]		= NLA_POLICY_RANGE(NLA_U8, PMG_ACCESS_READ,
						   PMG_ACCESS_READ_WRITE |
						   PMG_ACCESS_ATTACH),
	[PMG_R_PAD]		= { .type = NLA_REJECT },
	[PMG_R_EXE_PATH]	= { .type = NLA_NUL_STRING,
				    .len = PMG_EXE_PATH_MAX - 1 },
	[PMG_R_STALE]		= { .type = NLA_REJECT },
	[PMG_R_CHANNELS]	= NLA_POLICY_MASK(NLA_U8, PMG_RULE_CHANNEL_ALL),
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
	[PMG_A_ARMED]		= { .type = NLA_REJECT },
	[PMG_A_NOTICE]		= { .type = NLA_REJECT },
};

static struct genl_family pmg_family;

/* ---- requests into plain structs ---- */

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

/*
 * Changing the policy, and reading its rules, need CAP_SYS_ADMIN in the
 * initial user namespace, for the socket's opener and for the sender
 * (netlink_capable()). CAP_NET_ADMIN, which listening needs, is not
 * enough: the listener that parses attacker-chosen strings has it, and so
 * do network managers. CAP_MAC_ADMIN is not taken instead: a MAC policy
 * loader would then be able to switch this monitor off.
 */
static int pmg_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG_MOD(info->extack, "needs CAP_SYS_ADMIN");
	return -EPERM;
}

/* Passes a refusal's reason (a string literal) on to the caller. */
static int pmg_answer(struct genl_info *info, int err, const char *why)
{
	if (err && why && info->extack)
		info->extack->_msg = why;
	return err;
}

/* A PMG_A_CONFIG nest (already validated) as a settings change. */
static void pmg_parse_config(const struct nlattr *nest,
			     struct pmg_settings_change *c)
{
	static const struct {
		u8 attr;
		u32 field;
	} modes[] = {
		{ PMG_C_READ, PMG_SET_READ },
		{ PMG_C_WRITE, PMG_SET_WRITE },
		{ PMG_C_ATTACH, PMG_SET_ATTACH },
	};
	struct nlattr *tb[PMG_C_MAX + 1];
	unsigned int i;

	memset(c, 0, sizeof(*c));
	if (!nest || nla_parse_nested(tb, PMG_C_MAX, nest, NULL, NULL))
		return;
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		if (tb[modes[i].attr]) {
			c->fields |= modes[i].field;
			c->v.mode[i] = nla_get_u8(tb[modes[i].attr]);
		}
	}
	if (tb[PMG_C_RATELIMIT]) {
		c->fields |= PMG_SET_RATELIMIT;
		c->v.ratelimit = nla_get_u32(tb[PMG_C_RATELIMIT]);
	}
	if (tb[PMG_C_BURST]) {
		c->fields |= PMG_SET_BURST;
		c->v.burst = nla_get_u32(tb[PMG_C_BURST]);
	}
	if (tb[PMG_C_REPORT_ALLOWED]) {
		c->fields |= PMG_SET_REPORT_ALLOWED;
		c->v.report_allowed = nla_get_u8(tb[PMG_C_REPORT_ALLOWED]);
	}
	if (tb[PMG_C_LOG]) {
		c->fields |= PMG_SET_LOG;
		c->v.log = nla_get_u8(tb[PMG_C_LOG]);
	}
}

/*
 * A PMG_A_RULE nest (already validated) as a rule request; the exe path
 * points into the request. NULL or why not.
 */
static const char *pmg_parse_rule(const struct nlattr *nest,
				  struct pmg_rule_request *req)
{
	struct pmg_allow_rule *r = &req->r;
	struct nlattr *tb[PMG_R_MAX + 1];

	memset(req, 0, sizeof(*req));
	if (nla_parse_nested(tb, PMG_R_MAX, nest, NULL, NULL))
		return "malformed rule";
	if (tb[PMG_R_EXE_PATH])
		req->exe_path = nla_data(tb[PMG_R_EXE_PATH]);
	if (tb[PMG_R_UID]) {
		r->fields |= PMG_RULE_UID;
		r->uid = nla_get_u32(tb[PMG_R_UID]);
	}
	if (tb[PMG_R_CGROUP_ID]) {
		r->fields |= PMG_RULE_CGROUP;
		r->cgroup_id = nla_get_u64(tb[PMG_R_CGROUP_ID]);
	}
	if (tb[PMG_R_SELF] && nla_get_u8(tb[PMG_R_SELF]))
		r->fields |= PMG_RULE_SELF;
	if (tb[PMG_R_ACCESS]) {
		r->fields |= PMG_RULE_ACCESS;
		r->access = nla_get_u8(tb[PMG_R_ACCESS]);
	}
	if (tb[PMG_R_CHANNELS]) {
		r->fields |= PMG_RULE_CHANNEL;
		r->channels = nla_get_u8(tb[PMG_R_CHANNELS]);
	}
	return NULL;
}

/* ---- notices of policy changes ---- */

static const char *pmg_mode_word(u8 mode)
{
	return mode == PMG_MODE_BLOCK ? "block" :
	       mode == PMG_MODE_ALERT ? "alert" : "off";
}

/*
 * What changed between two states of the policy, as one line:
 * "read alert->block, rules 2->3".
 */
static char *pmg_describe(const struct pmg_settings *a, u32 na,
			  const struct pmg_settings *b, u32 nb,
			  const char *what)
{
	static const char * const names[] = { "read", "write", "attach" };
	size_t size = 256, len;
	unsigned int i;
	char *s = kmalloc(size, GFP_KERNEL);

	if (!s)
		return NULL;
	len = scnprintf(s, size, "%s", what);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (a->mode[i] != b->mode[i])
			len += scnprintf(s + len, size - len, ", %s %s->%s",
					 names[i], pmg_mode_word(a->mode[i]),
					 pmg_mode_word(b->mode[i]));
	if (a->ratelimit != b->ratelimit)
		len += scnprintf(s + len, size - len, ", ratelimit %u->%u",
				 a->ratelimit, b->ratelimit);
	if (a->burst != b->burst)
		len += scnprintf(s + len, size - len, ", burst %u->%u",
				 a->burst, b->burst);
	if (a->report_allowed != b->report_allowed)
		len += scnprintf(s + len, size - len, ", report-allowed %s",
				 b->report_allowed ? "on" : "off");
	if (a->log != b->log)
		len += scnprintf(s + len, size - len, ", log %s",
				 b->log ? "on" : "off");
	if (na != nb)
		scnprintf(s + len, size - len, ", rules %u->%u", na, nb);
	return s;
}

/* The requester (current: netlink requests run in the sender's context). */
static void pmg_notice_who(struct pmg_notice *n)
{
	struct mm_struct *mm = get_task_mm(current);
	struct file *exe = mm ? pmg_get_mm_exe_file(mm) : NULL;
	char *buf, *p;

	n->pid = task_tgid_nr(current);
	n->uid = from_kuid_munged(&init_user_ns, current_euid());
	pmg_copy_comm(n->comm, current);
	if (mm)
		mmput(mm);
	if (!exe)
		return;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (buf) {
		p = d_path(&exe->f_path, buf, PATH_MAX);
		if (!IS_ERR(p))
			n->exe = kstrdup(p, GFP_KERNEL);
		kfree(buf);
	}
	fput(exe);
}

/*
 * After every change: the probes count misses while a block mode holds,
 * and the listeners hear who changed what.
 */
static int pmg_changed(struct genl_info *info, int err, const char *why,
		       const struct pmg_settings *before, u32 nbefore,
		       const char *what)
{
	struct pmg_settings after;
	struct pmg_notice *n;
	bool locked;
	u32 nafter;

	if (err)
		return pmg_answer(info, err, why);
	pmg_probe_set_blocking(pmg_policy_blocks());
	pmg_policy_read(&after, &locked, &nafter);
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return 0;
	n->type = PMG_NOTICE_POLICY;
	n->cmd = info->genlhdr->cmd;
	n->detail = pmg_describe(before, nbefore, &after, nafter, what);
	pmg_notice_who(n);
	pmg_report_notice(n);
	return 0;
}

/* ---- answers out of plain structs ---- */

static int pmg_put_stats(struct sk_buff *skb)
{
	struct pmg_stats s;
	struct nlattr *nest;
	int i;

	pmg_stats_read(&s);
	s.c[PMG_S_INFLIGHT] = pmg_report_inflight();
	s.c[PMG_S_NMISSED] = pmg_probe_nmissed();
	s.c[PMG_S_ENFORCE_MISSES] += pmg_probe_enforce_misses();
	s.c[PMG_S_PACERS] = pmg_sink_pacers();
	nest = nla_nest_start(skb, PMG_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = PMG_S_UNSPEC + 1; i <= PMG_S_MAX; i++)
		if (i != PMG_S_PAD &&
		    nla_put_u64_64bit(skb, i, s.c[i], PMG_S_PAD))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int pmg_put_config(struct sk_buff *skb)
{
	struct nlattr *nest = nla_nest_start(skb, PMG_A_CONFIG);
	struct pmg_settings s;
	bool locked;

	if (!nest)
		return -EMSGSIZE;
	pmg_policy_read(&s, &locked, NULL);
	if (nla_put_u8(skb, PMG_C_READ, s.mode[0]) ||
	    nla_put_u8(skb, PMG_C_WRITE, s.mode[1]) ||
	    nla_put_u8(skb, PMG_C_ATTACH, s.mode[2]) ||
	    nla_put_u32(skb, PMG_C_RATELIMIT, s.ratelimit) ||
	    nla_put_u32(skb, PMG_C_BURST, s.burst) ||
	    nla_put_u8(skb, PMG_C_LOG, s.log) ||
	    nla_put_u8(skb, PMG_C_REPORT_ALLOWED, s.report_allowed) ||
	    nla_put_u8(skb, PMG_C_LOCKED, locked)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One rule, into skb; with skb NULL, adds its size to *(size_t *)arg. */
struct pmg_rules_out {
	struct sk_buff *skb;
	size_t size;
};

static int pmg_put_rule(const struct pmg_allow_rule *r, const char *exe_path,
			bool stale, void *arg)
{
	struct pmg_rules_out *out = arg;
	struct sk_buff *skb = out->skb;
	struct nlattr *nest;

	if (!skb) {
		out->size += nla_total_size(7 * nla_total_size_64bit(8)) +
			     (exe_path ? nla_total_size(strlen(exe_path) + 1) : 0);
		return 0;
	}
	nest = nla_nest_start(skb, PMG_A_RULE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PMG_R_ID, r->id) ||
	    ((r->fields & PMG_RULE_EXE) &&
	     (nla_put_string(skb, PMG_R_EXE_PATH, exe_path) ||
	      nla_put_u8(skb, PMG_R_STALE, stale) ||
	      nla_put_u32(skb, PMG_R_EXE_DEV, r->exe_dev) ||
	      nla_put_u64_64bit(skb, PMG_R_EXE_INO, r->exe_ino, PMG_R_PAD))) ||
	    ((r->fields & PMG_RULE_UID) && nla_put_u32(skb, PMG_R_UID, r->uid)) ||
	    ((r->fields & PMG_RULE_CGROUP) &&
	     nla_put_u64_64bit(skb, PMG_R_CGROUP_ID, r->cgroup_id, PMG_R_PAD)) ||
	    ((r->fields & PMG_RULE_SELF) && nla_put_u8(skb, PMG_R_SELF, 1)) ||
	    ((r->fields & PMG_RULE_ACCESS) &&
	     nla_put_u8(skb, PMG_R_ACCESS, r->access)) ||
	    ((r->fields & PMG_RULE_CHANNEL) &&
	     nla_put_u8(skb, PMG_R_CHANNELS, r->channels))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
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
	int err;

	if (pmg_parse(info, tb))
		return -EINVAL;
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &pmg_family, 0, cmd);
	err = hdr ? fill(skb) : -EMSGSIZE;
	if (err) {
		nlmsg_free(skb);
		return err == -ENOMEM ? err : -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

/* Status for everybody: versions, the policy's settings, armed or not. */
static int pmg_fill_status_public(struct sk_buff *skb)
{
	if (nla_put_u32(skb, PMG_A_PROTOCOL_VERSION, PMG_PROTOCOL_VERSION) ||
	    nla_put_string(skb, PMG_A_MODULE_VERSION, PMG_VERSION) ||
	    nla_put_u8(skb, PMG_A_ARMED, pmg_tamper_armed()))
		return -EMSGSIZE;
	return pmg_put_config(skb);
}

/* And the counters, which move with every user's activity. */
static int pmg_fill_status(struct sk_buff *skb)
{
	return pmg_fill_status_public(skb) ?: pmg_put_stats(skb);
}

/* ---- commands ---- */

static int pmg_cmd_get_status(struct sk_buff *skb, struct genl_info *info)
{
	return pmg_reply(info, PMG_CMD_GET_STATUS, NLMSG_GOODSIZE,
			 netlink_capable(skb, CAP_NET_ADMIN) ?
			 pmg_fill_status : pmg_fill_status_public);
}

static int pmg_cmd_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	return pmg_reply(info, PMG_CMD_GET_STATS, NLMSG_GOODSIZE,
			 pmg_put_stats);
}

static int pmg_cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return pmg_reply(info, PMG_CMD_GET_CONFIG, NLMSG_GOODSIZE,
			 pmg_put_config);
}

/*
 * Every rule with its exe path: sized first (requests are serialised, so
 * the rules cannot change between the two passes).
 */
static int pmg_cmd_allow_list(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];
	struct pmg_rules_out out = {};
	struct sk_buff *reply;
	void *hdr;
	int err;

	if (pmg_admin(skb, info))
		return -EPERM;
	if (pmg_parse(info, tb))
		return -EINVAL;
	pmg_policy_walk_rules(pmg_put_rule, &out);
	reply = genlmsg_new(out.size, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &pmg_family, 0,
				PMG_CMD_ALLOW_LIST);
	out.skb = reply;
	err = hdr ? pmg_policy_walk_rules(pmg_put_rule, &out) : -EMSGSIZE;
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static int pmg_cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];
	struct pmg_settings_change c;
	struct pmg_settings before;
	const char *why = NULL;
	bool locked;
	u32 n;
	int err;

	if (pmg_admin(skb, info))
		return -EPERM;
	if (pmg_parse(info, tb) ||
	    pmg_require(info, tb, PMG_A_CONFIG, "PMG_A_CONFIG is required"))
		return -EINVAL;
	pmg_parse_config(tb[PMG_A_CONFIG], &c);
	pmg_policy_read(&before, &locked, &n);
	err = pmg_policy_set(&c, &why);
	return pmg_changed(info, err, why, &before, n, "settings changed");
}

static int pmg_cmd_allow_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];
	struct pmg_rule_request req;
	struct pmg_settings before;
	const char *why;
	struct sk_buff *reply;
	bool locked;
	void *hdr;
	u32 id, n;
	int err;

	if (pmg_admin(skb, info))
		return -EPERM;
	if (pmg_parse(info, tb) ||
	    pmg_require(info, tb, PMG_A_RULE, "PMG_A_RULE is required"))
		return -EINVAL;
	why = pmg_parse_rule(tb[PMG_A_RULE], &req);
	if (why)
		return pmg_answer(info, -EINVAL, why);
	pmg_policy_read(&before, &locked, &n);
	err = pmg_policy_add_rule(&req, &id, &why);
	err = pmg_changed(info, err, why, &before, n, "allow rule added");
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
	struct pmg_settings before;
	const char *why = NULL;
	bool locked;
	u32 n;
	int err;

	if (pmg_admin(skb, info))
		return -EPERM;
	if (pmg_parse(info, tb) ||
	    pmg_require(info, tb, PMG_A_RULE_ID, "PMG_A_RULE_ID is required"))
		return -EINVAL;
	pmg_policy_read(&before, &locked, &n);
	err = pmg_policy_del_rule(nla_get_u32(tb[PMG_A_RULE_ID]), &why);
	return pmg_changed(info, err, why, &before, n, "allow rule deleted");
}

/*
 * The whole policy from one request: PMG_A_CONFIG (absent fields take
 * their defaults) and any number of PMG_A_RULE.
 */
static int pmg_cmd_apply(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *head = genlmsg_data(info->genlhdr), *a;
	int len = genlmsg_len(info->genlhdr), rem, err;
	struct nlattr *tb[PMG_A_MAX + 1];
	struct pmg_settings_change c = {};
	struct pmg_rule_request *rules;
	struct pmg_settings before;
	const char *why = NULL;
	bool locked;
	u32 n = 0, nbefore;

	if (pmg_admin(skb, info))
		return -EPERM;
	if (pmg_parse(info, tb))	/* validates every attribute */
		return -EINVAL;
	nla_for_each_attr(a, head, len, rem)
		if (nla_type(a) == PMG_A_RULE)
			n++;
	if (n > PMG_MAX_RULES)
		return pmg_answer(info, -ENOSPC,
				  "too many allow rules (at most 256)");
	rules = kvmalloc_array(max(n, 1U), sizeof(*rules), GFP_KERNEL);
	if (!rules)
		return -ENOMEM;
	n = 0;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) == PMG_A_CONFIG)
			pmg_parse_config(a, &c);
		else if (nla_type(a) == PMG_A_RULE)
			why = pmg_parse_rule(a, &rules[n++]);
		if (why)
			break;
	}
	pmg_policy_read(&before, &locked, &nbefore);
	err = why ? -EINVAL : pmg_policy_replace(&c, rules, n, &why);
	kvfree(rules);
	return pmg_changed(info, err, why, &before, nbefore,
			   "policy applied");
}

static int pmg_cmd_lock(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];
	struct pmg_settings before;
	const char *why = NULL;
	bool locked;
	u32 n;
	int err;

	if (pmg_admin(skb, info))
		return -EPERM;
	if (pmg_parse(info, tb))
		return -EINVAL;
	pmg_policy_read(&before, &locked, &n);
	err = pmg_policy_lock(&why);
	if (!err)
		pmg_tamper_lock();
	return pmg_changed(info, err, why, &before, n,
			   locked ? "locked (it was already)" : "locked");
}

/* The requesting socket (NETLINK_CB's sk is the sender's) starts pacing. */
static int pmg_cmd_pace(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PMG_A_MAX + 1];
	const char *why = NULL;
	int i, err;

	if (pmg_parse(info, tb))
		return -EINVAL;
	for (i = 1; i <= PMG_A_MAX; i++) {
		if (tb[i]) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[i],
					    "PMG_CMD_PACE takes no attributes");
			return -EINVAL;
		}
	}
	err = pmg_sink_pace(NETLINK_CB(skb).sk, &why);
	return pmg_answer(info, err, why);
}

static const struct genl_small_ops pmg_ops[] = {
	{
		.cmd = PMG_CMD_GET_STATUS,
		.doit = pmg_cmd_get_status,
	},
	{
		.cmd = PMG_CMD_GET_STATS,
		.doit = pmg_cmd_get_stats,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PMG_CMD_GET_CONFIG,
		.doit = pmg_cmd_get_config,
	},
	{
		.cmd = PMG_CMD_SET_CONFIG,
		.doit = pmg_cmd_set_config,
	},
	{
		.cmd = PMG_CMD_ALLOW_ADD,
		.doit = pmg_cmd_allow_add,
	},
	{
		.cmd = PMG_CMD_ALLOW_DEL,
		.doit = pmg_cmd_allow_del,
	},
	{
		/* The rules say which binaries may read memory: admins only
		 * (pmg_admin()), like every command that changes the policy.
		 */
		.cmd = PMG_CMD_ALLOW_LIST,
		.doit = pmg_cmd_allow_list,
	},
	{
		.cmd = PMG_CMD_APPLY,
		.doit = pmg_cmd_apply,
	},
	{
		.cmd = PMG_CMD_LOCK,
		.doit = pmg_cmd_lock,
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

int pmg_genl_init(void)
{
	int err = genl_register_family(&pmg_family);

	if (err) {
		pr_err("cannot register generic netlink family %s: %d\n",
		       PMG_GENL_NAME, err);
		return err;
	}
	pmg_sink_init(&pmg_family, PMG_MCGRP_ALERTS_IDX);
	return 0;
}

void pmg_genl_exit(void)
{
	genl_unregister_family(&pmg_family);
	pmg_sink_exit();
}
