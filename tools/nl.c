// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - requests to the procmem_guard generic netlink family.
 *
 * A request is sent with NLM_F_ACK; the kernel answers with an optional
 * reply message and then an ack (or an error, with an extended ack message
 * when it has one). Only those messages, from the kernel (port 0) and with
 * the request's sequence number, are looked at. One engine (transact())
 * sends every request, on the request socket or, for the listener, on its
 * multicast socket.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "clock.h"
#include "codec.h"
#include "nl.h"
#include "rules.h"

struct pmg_nl {
	struct nl_sock *sk;
	int family;
	int group;
	char extack[256];
};

int pmg_nlerr_to_errno(int nlerr)
{
	static const int map[] = {
		[NLE_SUCCESS] = 0,
		[NLE_INTR] = EINTR,
		[NLE_BAD_SOCK] = EBADF,
		[NLE_AGAIN] = EAGAIN,
		[NLE_NOMEM] = ENOMEM,
		[NLE_EXIST] = EEXIST,
		[NLE_INVAL] = EINVAL,
		[NLE_RANGE] = ERANGE,
		[NLE_MSGSIZE] = EMSGSIZE,
		[NLE_OPNOTSUPP] = EOPNOTSUPP,
		[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
		[NLE_OBJ_NOTFOUND] = ENOENT,
		[NLE_BUSY] = EBUSY,
		[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
		[NLE_NOACCESS] = EACCES,
		[NLE_PERM] = EPERM,
		[NLE_NODEV] = ENODEV,
	};
	unsigned int e = nlerr < 0 ? -(unsigned int)nlerr : (unsigned int)nlerr;

	if (e == 0)
		return 0;
	if (e < sizeof(map) / sizeof(map[0]) && map[e])
		return -map[e];
	return -EIO;
}

static void set_netlink_opt(int fd, int opt)
{
	int one = 1;

	/* Best effort: an old kernel just goes without. */
	(void)setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one));
}

int pmg_nl_socket(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int r;

	*out = NULL;
	if (!sk)
		return -ENOMEM;
	r = genl_connect(sk);
	if (r < 0) {
		nl_socket_free(sk);
		r = pmg_nlerr_to_errno(r);
		return r ? r : -EIO;	/* never 0 with *out NULL */
	}
	*out = sk;
	return 0;
}

int pmg_nl_connect(struct pmg_nl **out)
{
	struct pmg_nl *nl = calloc(1, sizeof(*nl));
	int r;

	*out = NULL;
	if (!nl)
		return -ENOMEM;
	r = pmg_nl_socket(&nl->sk);
	if (r) {
		free(nl);
		return r;
	}
	set_netlink_opt(nl_socket_get_fd(nl->sk), NETLINK_EXT_ACK);
	set_netlink_opt(nl_socket_get_fd(nl->sk), NETLINK_CAP_ACK);
	*out = nl;
	return 0;
}

int pmg_nl_open(struct pmg_nl **out)
{
	int r = pmg_nl_connect(out);

	if (!r)
		r = pmg_nl_resolve(*out);
	if (r) {
		pmg_nl_close(*out);
		*out = NULL;
	}
	return r;
}

void pmg_nl_close(struct pmg_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

int pmg_nl_resolve(struct pmg_nl *nl)
{
	int family, group;

	nl->family = 0;
	nl->group = 0;
	family = genl_ctrl_resolve(nl->sk, PMG_GENL_NAME);
	if (family < 0)
		return pmg_nlerr_to_errno(family);
	group = genl_ctrl_resolve_grp(nl->sk, PMG_GENL_NAME, PMG_MCGRP_ALERTS);
	if (group < 0)
		return pmg_nlerr_to_errno(group);
	nl->family = family;
	nl->group = group;
	return 0;
}

int pmg_nl_resolve_group(struct pmg_nl *nl, const char *family,
			 const char *group)
{
	int id = genl_ctrl_resolve_grp(nl->sk, family, group);

	return id < 0 ? pmg_nlerr_to_errno(id) : id;
}

int pmg_nl_family(const struct pmg_nl *nl)
{
	return nl->family;
}

int pmg_nl_alerts_group(const struct pmg_nl *nl)
{
	return nl->group;
}

const char *pmg_nl_extack(const struct pmg_nl *nl)
{
	return nl->extack[0] ? nl->extack : NULL;
}

/* --- the request engine ------------------------------------------------------ */

typedef int (*reply_fn)(const unsigned char *attrs, size_t len, void *arg);

struct request {
	struct pmg_nl *nl;
	uint32_t seq;		/* of the request: the answer carries it */
	reply_fn parse;
	void *arg;
	int err;		/* 0 or negative errno */
	bool done;
	bool skipped;		/* a message that is not the answer came */
};

/* Keep the message text of an extended ack (NLMSGERR_ATTR_MSG). */
static void save_extack(struct pmg_nl *nl, const struct nlmsghdr *h)
{
	struct pmg_tlv_iter it;
	struct pmg_tlv a;
	struct nlmsgerr e;
	size_t off = NLMSG_HDRLEN + sizeof(e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len < off)
		return;
	memcpy(&e, NLMSG_DATA(h), sizeof(e));
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e.msg.nlmsg_len < NLMSG_HDRLEN)
			return;
		off += e.msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_ALIGN(off);
	if (off >= h->nlmsg_len)
		return;

	pmg_tlv_iter_init(&it, (const unsigned char *)h + off,
			   h->nlmsg_len - off);
	while (pmg_tlv_next(&it, &a) > 0)
		if (a.type == NLMSGERR_ATTR_MSG &&
		    pmg_tlv_string(&a, nl->extack, sizeof(nl->extack)))
			nl->extack[0] = '\0';
}

/*
 * Only the kernel's answer to this request is looked at: a message from
 * another port or with another sequence number (an nlctrl notification on
 * a multicast socket, say) is skipped, and the request says so.
 */
static int on_msg_in(struct nl_msg *msg, void *arg)
{
	struct request *rq = arg;
	struct sockaddr_nl *src = nlmsg_get_src(msg);
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (!src || src->nl_pid != 0 || h->nlmsg_seq != rq->seq) {
		rq->skipped = true;
		return NL_SKIP;
	}
	if (h->nlmsg_type == NLMSG_ERROR)
		save_extack(rq->nl, h);
	return NL_OK;
}

/* on_msg_in() has checked the sequence number already. */
static int on_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *rq = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	const unsigned char *p = NLMSG_DATA(h);
	int r;

	if (rq->err)
		return NL_OK;
	if (h->nlmsg_type != rq->nl->family ||
	    h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		rq->err = -EBADMSG;
		return NL_OK;
	}
	if (rq->parse) {
		r = rq->parse(p + GENL_HDRLEN,
			      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
			      rq->arg);
		if (r)
			rq->err = r;
	}
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct request *rq = arg;

	(void)msg;
	rq->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct request *rq = arg;

	(void)who;
	rq->err = e->error < 0 ? e->error : -EPROTO;
	rq->done = true;
	return NL_STOP;
}

static struct nl_cb *request_cb(struct request *rq)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_msg_in, rq);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, rq);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, rq);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, rq);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, rq);
	return cb;
}

/* Wait until the answer came, or the deadline passed (-ETIMEDOUT). */
static int wait_answer(struct nl_sock *sk, struct nl_cb *cb,
		       struct request *rq, int64_t deadline)
{
	struct pollfd p = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
	int r;

	while (!rq->done) {
		if (deadline >= 0) {
			r = poll(&p, 1, pmg_ms_left(deadline));
			if (r < 0 && errno != EINTR)
				return -errno;
			if (r == 0)
				return -ETIMEDOUT;
			if (r < 0)
				continue;
		}
		r = nl_recvmsgs(sk, cb);
		if (r < 0 && !rq->done)
			return pmg_nlerr_to_errno(r);
	}
	return rq->err;
}

/*
 * The engine: send msg (consumed) on sk and wait, until deadline (-1: for
 * as long as it takes), for the kernel's answer; parse is called on the
 * reply. *skipped (may be NULL) tells whether other messages came.
 */
static int transact(struct pmg_nl *nl, struct nl_sock *sk, struct nl_msg *msg,
		    reply_fn parse, void *arg, int64_t deadline, bool *skipped)
{
	struct request rq = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int r;

	nl->extack[0] = '\0';
	cb = request_cb(&rq);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = nl_send_auto(sk, msg);
	rq.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (r >= 0)
		r = wait_answer(sk, cb, &rq, deadline);
	else
		r = pmg_nlerr_to_errno(r);
	nl_cb_put(cb);
	if (skipped)
		*skipped = rq.skipped;
	return r;
}

/* A request on nl's own socket, answered however long it takes. */
static int request(struct pmg_nl *nl, struct nl_msg *msg,
		   reply_fn parse, void *arg)
{
	return transact(nl, nl->sk, msg, parse, arg, -1, NULL);
}

static struct nl_msg *new_msg(struct pmg_nl *nl, uint8_t cmd, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_ACK, cmd, PMG_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int simple_request(struct pmg_nl *nl, uint8_t cmd,
			  reply_fn parse, void *arg)
{
	struct nl_msg *msg = new_msg(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	return request(nl, msg, parse, arg);
}

int pmg_nl_command_from(struct pmg_nl *nl, struct nl_sock *sk, uint8_t cmd,
			int timeout_ms, bool *skipped)
{
	struct nl_msg *msg = new_msg(nl, cmd, 0);

	*skipped = false;
	if (!msg)
		return -ENOMEM;
	return transact(nl, sk, msg, NULL, NULL, pmg_deadline(timeout_ms),
			skipped);
}

/* --- replies ---------------------------------------------------------------- */

/* Find the last top-level attribute of a type: 1 found, 0 not, -EBADMSG. */
static int find_attr(const unsigned char *p, size_t len, uint16_t type,
		     struct pmg_tlv *out)
{
	struct pmg_tlv_iter it;
	struct pmg_tlv a;
	int r, found = 0;

	pmg_tlv_iter_init(&it, p, len);
	while ((r = pmg_tlv_next(&it, &a)) > 0) {
		if (a.type == type) {
			*out = a;
			found = 1;
		}
	}
	return r < 0 ? r : found;
}

static int get_u32(const struct pmg_tlv *a, uint32_t *v)
{
	if (a->len != sizeof(*v))
		return -EBADMSG;
	memcpy(v, a->data, sizeof(*v));
	return 0;
}

static int parse_protocol(const unsigned char *p, size_t len,
			  struct pmg_status *st)
{
	struct pmg_tlv a;
	int r = find_attr(p, len, PMG_A_PROTOCOL_VERSION, &a);

	if (r < 0)
		return r;
	if (r == 0)
		return -EPROTONOSUPPORT;
	if (get_u32(&a, &st->protocol))
		return -EBADMSG;
	st->has_protocol = true;
	return st->protocol == PMG_PROTOCOL_VERSION ? 0 : -EPROTONOSUPPORT;
}

/* The last top-level attribute of a type, which must be there. */
static int get_attr(const unsigned char *p, size_t len, uint16_t type,
		    struct pmg_tlv *out)
{
	return find_attr(p, len, type, out) > 0 ? 0 : -EBADMSG;
}

static int parse_config(const unsigned char *p, size_t len, void *arg)
{
	struct pmg_tlv a;

	if (get_attr(p, len, PMG_A_CONFIG, &a))
		return -EBADMSG;
	return pmg_decode_config(a.data, a.len, arg);
}

static int parse_stats(const unsigned char *p, size_t len, void *arg)
{
	struct pmg_tlv a;

	if (get_attr(p, len, PMG_A_STATS, &a))
		return -EBADMSG;
	return pmg_decode_stats(a.data, a.len, arg);
}

static int parse_status(const unsigned char *p, size_t len, void *arg)
{
	struct pmg_status *st = arg;
	struct pmg_tlv a;
	int r;

	r = parse_protocol(p, len, st);
	if (r)
		return r;
	r = find_attr(p, len, PMG_A_MODULE_VERSION, &a);
	if (r > 0)
		r = pmg_tlv_string(&a, st->module_version,
				    sizeof(st->module_version));
	if (r < 0)
		return r;
	r = find_attr(p, len, PMG_A_ARMED, &a);
	if (r > 0) {
		if (a.len != 1)
			return -EBADMSG;
		st->has_armed = true;
		st->armed = a.data[0] != 0;
	}
	if (r < 0)
		return r;
	r = parse_config(p, len, &st->config);
	if (r)
		return r;
	/* The counters come only to a caller with CAP_NET_ADMIN. */
	r = find_attr(p, len, PMG_A_STATS, &a);
	if (r <= 0)
		return r;
	return pmg_decode_stats(a.data, a.len, &st->stats);
}

int pmg_get_status(struct pmg_nl *nl, struct pmg_status *st)
{
	memset(st, 0, sizeof(*st));
	return simple_request(nl, PMG_CMD_GET_STATUS, parse_status, st);
}

int pmg_check_protocol(struct pmg_nl *nl, uint32_t *module_protocol)
{
	struct pmg_status st;
	int r = pmg_get_status(nl, &st);

	if (module_protocol)
		*module_protocol = st.protocol;
	return r;
}

int pmg_get_stats(struct pmg_nl *nl, struct pmg_stats *out)
{
	memset(out, 0, sizeof(*out));
	return simple_request(nl, PMG_CMD_GET_STATS, parse_stats, out);
}

int pmg_get_config(struct pmg_nl *nl, struct pmg_config *out)
{
	memset(out, 0, sizeof(*out));
	return simple_request(nl, PMG_CMD_GET_CONFIG, parse_config, out);
}

/* --- requests carrying a configuration or rules ------------------------------ */

int pmg_set_config(struct pmg_nl *nl, const struct pmg_config *changes)
{
	struct nl_msg *msg;

	if (!(changes->present & PMG_C_SETTABLE))
		return -EINVAL;
	msg = new_msg(nl, PMG_CMD_SET_CONFIG, 0);
	if (!msg)
		return -ENOMEM;
	if (pmg_encode_config(msg, changes)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return request(nl, msg, NULL, NULL);
}

/* The id of a new rule: PMG_A_RULE_ID, or PMG_R_ID in a PMG_A_RULE nest. */
static int parse_rule_id(const unsigned char *p, size_t len, void *arg)
{
	struct pmg_rule rule;
	struct pmg_tlv a;
	int r;

	r = find_attr(p, len, PMG_A_RULE_ID, &a);
	if (r > 0)
		return get_u32(&a, arg);
	if (r == 0)
		r = find_attr(p, len, PMG_A_RULE, &a);
	if (r <= 0)
		return -EBADMSG;
	if (pmg_decode_rule(a.data, a.len, &rule) ||
	    !PMG_HAS(&rule, PMG_R_ID))
		return -EBADMSG;
	*(uint32_t *)arg = rule.id;
	return 0;
}

int pmg_allow_add(struct pmg_nl *nl, const struct pmg_rule *rule,
		  uint32_t *id)
{
	struct nl_msg *msg = new_msg(nl, PMG_CMD_ALLOW_ADD,
				     512 + strnlen(rule->exe_path, PMG_PATH_LEN));
	uint32_t new_id = 0;
	int r;

	if (!msg)
		return -ENOMEM;
	if (pmg_encode_rule(msg, rule)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	r = request(nl, msg, parse_rule_id, &new_id);
	if (!r && id)
		*id = new_id;
	return r;
}

int pmg_allow_del(struct pmg_nl *nl, uint32_t id)
{
	struct nl_msg *msg = new_msg(nl, PMG_CMD_ALLOW_DEL, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, PMG_A_RULE_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return request(nl, msg, NULL, NULL);
}

struct rule_list {
	struct pmg_rule *v;
	size_t n, cap;
};

static int parse_rules(const unsigned char *p, size_t len, void *arg)
{
	struct rule_list *l = arg;
	struct pmg_tlv_iter it;
	struct pmg_rule rule;
	struct pmg_tlv a;
	int r;

	pmg_tlv_iter_init(&it, p, len);
	while ((r = pmg_tlv_next(&it, &a)) > 0) {
		if (a.type != PMG_A_RULE)
			continue;
		if (pmg_decode_rule(a.data, a.len, &rule))
			return -EBADMSG;
		if (pmg_rules_append(&l->v, &l->n, &l->cap, &rule))
			return -ENOMEM;
	}
	return r;
}

int pmg_allow_list(struct pmg_nl *nl, struct pmg_rule **rules, size_t *n)
{
	struct rule_list l = { 0 };
	int r;

	r = simple_request(nl, PMG_CMD_ALLOW_LIST, parse_rules, &l);
	if (r) {
		free(l.v);
		return r;
	}
	*rules = l.v;
	*n = l.n;
	return 0;
}

int pmg_apply(struct pmg_nl *nl, const struct pmg_config *config,
	      const struct pmg_rule *rules, size_t n)
{
	/* Room for the config and for every rule with all its fields. */
	size_t size = 1024, i;
	struct nl_msg *msg;

	for (i = 0; i < n; i++)
		size += 96 + strnlen(rules[i].exe_path, PMG_PATH_LEN);
	msg = new_msg(nl, PMG_CMD_APPLY, size);
	if (!msg)
		return -ENOMEM;
	if (pmg_encode_config(msg, config))
		goto too_big;
	for (i = 0; i < n; i++)
		if (pmg_encode_rule(msg, &rules[i]))
			goto too_big;
	return request(nl, msg, NULL, NULL);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int pmg_lock(struct pmg_nl *nl)
{
	return simple_request(nl, PMG_CMD_LOCK, NULL, NULL);
}
