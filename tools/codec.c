// SPDX-License-Identifier: GPL-2.0
/*
 * codec.c - the attribute layout of procmem_guard netlink messages: one
 * field table per nest, read by the strict decoder and by the encoder.
 * See codec.h for the rules.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "codec.h"

void pmg_tlv_iter_init(struct pmg_tlv_iter *it, const void *buf, size_t len)
{
	it->pos = buf;
	it->left = buf ? len : 0;
}

int pmg_tlv_next(struct pmg_tlv_iter *it, struct pmg_tlv *a)
{
	struct nlattr h;
	size_t step;

	if (it->left == 0)
		return 0;
	if (it->left < NLA_HDRLEN)
		return -EBADMSG;
	memcpy(&h, it->pos, sizeof(h));
	if (h.nla_len < NLA_HDRLEN || h.nla_len > it->left)
		return -EBADMSG;

	a->type = h.nla_type & NLA_TYPE_MASK;
	a->len = h.nla_len - NLA_HDRLEN;
	a->data = it->pos + NLA_HDRLEN;

	/* The last attribute may come without its alignment padding. */
	step = NLA_ALIGN((size_t)h.nla_len);
	if (step > it->left)
		step = it->left;
	it->pos += step;
	it->left -= step;
	return 1;
}

int pmg_tlv_string(const struct pmg_tlv *a, char *dst, size_t dstsz)
{
	const unsigned char *nul = memchr(a->data, 0, a->len);
	size_t n;

	if (!nul)
		return -EBADMSG;
	n = (size_t)(nul - a->data);
	if (n >= dstsz)
		return -EBADMSG;
	memcpy(dst, a->data, n);
	dst[n] = '\0';
	return 0;
}

/* How an attribute is stored into a struct member. */
enum vtype {
	V_NONE,		/* not decoded: ignored */
	V_U8,		/* u8 -> uint8_t */
	V_BOOL,		/* u8 -> bool */
	V_TRUE,		/* u8 -> bool, encoded only when true (as 1) */
	V_FLAG,		/* empty flag -> bool true */
	V_U32,		/* u32 -> uint32_t */
	V_U64,		/* u64 -> uint64_t */
	V_STR,		/* NUL terminated string -> char[] */
	V_BYTES,	/* NUL terminated string -> struct pmg_str (no copy) */
};

struct field {
	unsigned char vtype;
	unsigned short max;	/* V_BYTES: longest string, NUL excluded */
	unsigned short off;
	unsigned short size;
};

_Static_assert(sizeof(struct pmg_rule) <= 65535 &&
	       sizeof(struct pmg_finding) <= 65535 &&
	       sizeof(struct pmg_notice) <= 65535 &&
	       sizeof(struct pmg_config) <= 65535,
	       "offsets and sizes of fields must fit struct field");

#define FIELD(type, vt, st, member)					\
	[type] = { vt, 0, offsetof(st, member), sizeof(((st *)0)->member) }
#define BYTES(type, st, member, maxlen)					\
	[type] = { V_BYTES, maxlen, offsetof(st, member),		\
		   sizeof(((st *)0)->member) }

#define FF(type, vt, member)	FIELD(type, vt, struct pmg_finding, member)
#define FS(type, member, max)	BYTES(type, struct pmg_finding, member, max)
static const struct field finding_fields[PMG_F_MAX + 1] = {
	FF(PMG_F_SEQ, V_U64, seq),
	FF(PMG_F_SIGNATURE, V_U32, signature),
	FF(PMG_F_ACCESS, V_U8, access),
	FF(PMG_F_FLAGS, V_U32, flags),
	FF(PMG_F_ACTION, V_U8, action),
	FF(PMG_F_TIME_NS, V_U64, time_ns),
	FF(PMG_F_KIND, V_U8, kind),
	FF(PMG_F_PID, V_U32, pid),
	FF(PMG_F_TID, V_U32, tid),
	FF(PMG_F_PPID, V_U32, ppid),
	FF(PMG_F_VPID, V_U32, vpid),
	FF(PMG_F_VTID, V_U32, vtid),
	FF(PMG_F_VPPID, V_U32, vppid),
	FF(PMG_F_UID, V_U32, uid),
	FF(PMG_F_EUID, V_U32, euid),
	FF(PMG_F_GID, V_U32, gid),
	FS(PMG_F_COMM, comm, PMG_COMM_MAX),
	FS(PMG_F_EXE, exe, PMG_PATH_MAX),
	FF(PMG_F_EXE_DEV, V_U32, exe_dev),
	FF(PMG_F_EXE_INO, V_U64, exe_ino),
	FF(PMG_F_CGROUP_ID, V_U64, cgroup_id),
	FF(PMG_F_PIDNS, V_U32, pidns),
	FF(PMG_F_MNTNS, V_U32, mntns),
	FF(PMG_F_TARGET_PID, V_U32, target_pid),
	FF(PMG_F_TARGET_TID, V_U32, target_tid),
	FF(PMG_F_TARGET_VPID, V_U32, target_vpid),
	FF(PMG_F_TARGET_VTID, V_U32, target_vtid),
	FS(PMG_F_TARGET_COMM, target_comm, PMG_COMM_MAX),
	FF(PMG_F_TARGET_SELF, V_BOOL, target_self),
	FS(PMG_F_PATH, path, PMG_PATH_MAX),
	FS(PMG_F_PROCFS_PATH, procfs_path, PMG_PATH_MAX),
	FF(PMG_F_DEV, V_U32, dev),
	FF(PMG_F_INO, V_U64, ino),
	FF(PMG_F_SUPPRESSED, V_U32, suppressed),
	FF(PMG_F_OUTCOME, V_U8, outcome),
	FF(PMG_F_CHANNEL, V_U8, channel),
	FF(PMG_F_SYSCALL, V_U32, syscall),
	FF(PMG_F_COMPAT, V_BOOL, compat),
	FF(PMG_F_REQUEST, V_U32, request),
	FF(PMG_F_SUMMARY, V_U32, summary),
	FF(PMG_F_REASON, V_U8, reason),
	FF(PMG_F_FIRST_NS, V_U64, first_ns),
	FF(PMG_F_PARTIAL, V_U32, partial),
};

#define NF(type, vt, member)	FIELD(type, vt, struct pmg_notice, member)
#define NS(type, member, max)	BYTES(type, struct pmg_notice, member, max)
static const struct field notice_fields[PMG_N_MAX + 1] = {
	NF(PMG_N_SEQ, V_U64, seq),
	NF(PMG_N_TYPE, V_U8, type),
	NF(PMG_N_TIME_NS, V_U64, time_ns),
	NF(PMG_N_PID, V_U32, pid),
	NF(PMG_N_UID, V_U32, uid),
	NS(PMG_N_COMM, comm, PMG_COMM_MAX),
	NS(PMG_N_EXE, exe, PMG_PATH_MAX),
	NF(PMG_N_CMD, V_U8, cmd),
	NS(PMG_N_DETAIL, detail, PMG_PATH_MAX),
};

#define CF(type, vt, member)	FIELD(type, vt, struct pmg_config, member)
static const struct field config_fields[PMG_C_MAX + 1] = {
	CF(PMG_C_READ, V_U8, read),
	CF(PMG_C_WRITE, V_U8, write),
	CF(PMG_C_RATELIMIT, V_U32, ratelimit),
	CF(PMG_C_BURST, V_U32, burst),
	CF(PMG_C_LOG, V_BOOL, log),
	CF(PMG_C_REPORT_ALLOWED, V_BOOL, report_allowed),
	CF(PMG_C_LOCKED, V_BOOL, locked),
	CF(PMG_C_ATTACH, V_U8, attach),
};

#define RF(type, vt, member)	FIELD(type, vt, struct pmg_rule, member)
static const struct field rule_fields[PMG_R_MAX + 1] = {
	RF(PMG_R_ID, V_U32, id),
	RF(PMG_R_EXE_DEV, V_U32, exe_dev),
	RF(PMG_R_EXE_INO, V_U64, exe_ino),
	RF(PMG_R_UID, V_U32, uid),
	RF(PMG_R_CGROUP_ID, V_U64, cgroup_id),
	RF(PMG_R_SELF, V_TRUE, self),
	RF(PMG_R_ACCESS, V_U8, access),
	RF(PMG_R_EXE_PATH, V_STR, exe_path),
	RF(PMG_R_STALE, V_BOOL, stale),
	RF(PMG_R_CHANNELS, V_U8, channels),
};

/* Expected payload size and member size of each fixed size kind. */
static size_t vtype_size(unsigned char vtype)
{
	switch (vtype) {
	case V_U8:
	case V_BOOL:
	case V_TRUE:
		return 1;
	case V_FLAG:
		return 0;
	case V_U32:
		return 4;
	case V_U64:
		return 8;
	}
	return 0;
}

/*
 * A string attribute (payload p[0..len)) in place: it must hold a NUL
 * within fd->max bytes.
 */
static inline int store_bytes(const struct field *fd, const unsigned char *p,
			      size_t len, struct pmg_str *dst)
{
	const unsigned char *nul = memchr(p, 0, len);

	if (!nul || (size_t)(nul - p) > fd->max)
		return -EBADMSG;
	dst->p = (const char *)p;
	dst->n = (uint32_t)(nul - p);
	return 0;
}

static int store(const struct field *fd, const struct pmg_tlv *a, void *obj)
{
	unsigned char *dst = (unsigned char *)obj + fd->off;

	if (fd->vtype == V_STR)
		return pmg_tlv_string(a, (char *)dst, fd->size);
	if (fd->vtype == V_BYTES)
		return store_bytes(fd, a->data, a->len,
				   (struct pmg_str *)(void *)dst);
	if (a->len != vtype_size(fd->vtype))
		return -EBADMSG;

	switch (fd->vtype) {
	case V_BOOL:
	case V_TRUE:
		*(bool *)dst = a->data[0] != 0;
		break;
	case V_FLAG:
		*(bool *)dst = true;
		break;
	default:
		memcpy(dst, a->data, a->len);
		break;
	}
	return 0;
}

/*
 * The attributes of a nest into obj through the field table tab (n
 * entries): the same checks as pmg_tlv_next() and store(), in one tight
 * loop, since a listener runs it for every attribute of every finding
 * (inlined into each caller, for its table).
 */
static inline __attribute__((always_inline)) int
decode_fields(const void *data, size_t len, const struct field *tab,
	      size_t n, void *obj, uint64_t *present)
{
	const unsigned char *pos = data, *p;
	size_t left = data ? len : 0, alen, plen, step;
	const struct field *fd;
	uint64_t pres = 0;
	unsigned char *dst;
	uint16_t h[2];		/* struct nlattr: nla_len, nla_type */
	unsigned int t;

	while (left) {
		if (left < NLA_HDRLEN)
			return -EBADMSG;
		memcpy(h, pos, sizeof(h));
		alen = h[0];
		if (alen < NLA_HDRLEN || alen > left)
			return -EBADMSG;
		t = h[1] & NLA_TYPE_MASK;
		if (t < n && tab[t].vtype != V_NONE) {
			fd = &tab[t];
			dst = (unsigned char *)obj + fd->off;
			plen = alen - NLA_HDRLEN;
			p = pos + NLA_HDRLEN;
			switch (fd->vtype) {
			case V_U32:
				if (plen != 4)
					return -EBADMSG;
				memcpy(dst, p, 4);
				break;
			case V_U64:
				if (plen != 8)
					return -EBADMSG;
				memcpy(dst, p, 8);
				break;
			case V_U8:
				if (plen != 1)
					return -EBADMSG;
				*dst = *p;
				break;
			case V_BOOL:
			case V_TRUE:
				if (plen != 1)
					return -EBADMSG;
				*(bool *)dst = *p != 0;
				break;
			case V_FLAG:
				if (plen != 0)
					return -EBADMSG;
				*(bool *)dst = true;
				break;
			case V_BYTES:
				if (store_bytes(fd, p, plen,
						(struct pmg_str *)(void *)dst))
					return -EBADMSG;
				break;
			default:	/* V_STR */
				if (store(fd, &(struct pmg_tlv){
					(uint16_t)t, (uint16_t)plen, p }, obj))
					return -EBADMSG;
				break;
			}
			pres |= PMG_BIT(t);
		}
		/* The last attribute may come without its alignment padding. */
		step = NLA_ALIGN(alen);
		if (step >= left)
			break;
		pos += step;
		left -= step;
	}
	*present |= pres;
	return 0;
}

/* A nest into obj (size bytes, cleared first) that must hold attr `need`. */
static int decode_nest(const void *data, size_t len, const struct field *tab,
		       size_t n, void *obj, size_t size, uint64_t *present,
		       int need)
{
	int r;

	memset(obj, 0, size);
	r = decode_fields(data, len, tab, n, obj, present);
	if (r < 0)
		return r;
	return (*present & PMG_BIT(need)) ? 0 : -EBADMSG;
}

int pmg_decode_finding_payload(const void *data, size_t len,
			       struct pmg_finding *out)
{
	return decode_nest(data, len, finding_fields, PMG_F_MAX + 1, out,
			   sizeof(*out), &out->present, PMG_F_SIGNATURE);
}

int pmg_decode_notice_payload(const void *data, size_t len,
			      struct pmg_notice *out)
{
	return decode_nest(data, len, notice_fields, PMG_N_MAX + 1, out,
			   sizeof(*out), &out->present, PMG_N_TYPE);
}

int pmg_decode_finding(const struct nlattr *nest, struct pmg_finding *out)
{
	struct nlattr h;

	if (!nest)
		return -EBADMSG;
	memcpy(&h, nest, sizeof(h));
	if (h.nla_len < NLA_HDRLEN ||
	    (h.nla_type & NLA_TYPE_MASK) != PMG_A_FINDING)
		return -EBADMSG;
	return pmg_decode_finding_payload((const unsigned char *)nest +
					  NLA_HDRLEN,
					  h.nla_len - NLA_HDRLEN, out);
}

int pmg_decode_config(const void *data, size_t len, struct pmg_config *out)
{
	memset(out, 0, sizeof(*out));
	return decode_fields(data, len, config_fields, PMG_C_MAX + 1,
			     out, &out->present);
}

int pmg_decode_rule(const void *data, size_t len, struct pmg_rule *out)
{
	memset(out, 0, sizeof(*out));
	return decode_fields(data, len, rule_fields, PMG_R_MAX + 1,
			     out, &out->present);
}

int pmg_decode_stats(const void *data, size_t len, struct pmg_stats *out)
{
	struct pmg_tlv_iter it;
	struct pmg_tlv a;
	int r;

	memset(out, 0, sizeof(*out));
	pmg_tlv_iter_init(&it, data, len);
	while ((r = pmg_tlv_next(&it, &a)) > 0) {
		if (a.type == PMG_S_UNSPEC || a.type == PMG_S_PAD ||
		    a.type > PMG_S_MAX)
			continue;
		if (a.len != sizeof(uint64_t))
			return -EBADMSG;
		memcpy(&out->v[a.type], a.data, sizeof(uint64_t));
		PMG_SET(out, a.type);
	}
	return r;
}

/* --- field values ---------------------------------------------------------- */

static const struct {
	const struct field *tab;
	size_t n;
	size_t present_off;
} nests[] = {
	[PMG_NEST_FINDING] = { finding_fields, PMG_F_MAX + 1,
			       offsetof(struct pmg_finding, present) },
	[PMG_NEST_CONFIG] = { config_fields, PMG_C_MAX + 1,
			      offsetof(struct pmg_config, present) },
	[PMG_NEST_RULE] = { rule_fields, PMG_R_MAX + 1,
			    offsetof(struct pmg_rule, present) },
	[PMG_NEST_NOTICE] = { notice_fields, PMG_N_MAX + 1,
			      offsetof(struct pmg_notice, present) },
};

int pmg_field_value(enum pmg_nest nest, const void *obj, int attr,
		    struct pmg_value *v)
{
	const unsigned char *p = obj;
	const struct field *fd;
	uint64_t present;
	uint32_t u32;

	if (attr <= 0 || (size_t)attr >= nests[nest].n)
		return -ENOENT;
	fd = &nests[nest].tab[attr];
	memcpy(&present, p + nests[nest].present_off, sizeof(present));
	if (fd->vtype == V_NONE || !(present & PMG_BIT(attr)))
		return -ENOENT;
	p += fd->off;
	memset(v, 0, sizeof(*v));
	switch (fd->vtype) {
	case V_U8:
		v->kind = PMG_VAL_INT;
		v->n = *p;
		break;
	case V_U32:
		v->kind = PMG_VAL_INT;
		memcpy(&u32, p, sizeof(u32));
		v->n = u32;
		break;
	case V_U64:
		v->kind = PMG_VAL_U64;
		memcpy(&v->n, p, sizeof(v->n));
		break;
	case V_STR:
		v->kind = PMG_VAL_STR;
		v->s = (const char *)p;
		v->len = strlen(v->s);
		break;
	case V_BYTES:
		v->kind = PMG_VAL_STR;
		v->s = ((const struct pmg_str *)(const void *)p)->p;
		v->len = ((const struct pmg_str *)(const void *)p)->n;
		break;
	default:	/* V_BOOL, V_TRUE, V_FLAG */
		v->kind = PMG_VAL_BOOL;
		v->n = *(const bool *)p;
		break;
	}
	return 0;
}

/* --- encoding -------------------------------------------------------------- */

/* One field of obj as the attribute store() reads back; 0 or -EMSGSIZE. */
static int put_field(struct nl_msg *m, int type, const struct field *fd,
		     const void *obj)
{
	const unsigned char *src = (const unsigned char *)obj + fd->off;
	uint8_t b;

	switch (fd->vtype) {
	case V_NONE:
		return 0;
	case V_BOOL:
	case V_TRUE:
		if (fd->vtype == V_TRUE && !*(const bool *)src)
			return 0;
		b = *(const bool *)src ? 1 : 0;
		return nla_put_u8(m, type, b) ? -EMSGSIZE : 0;
	case V_FLAG:
		if (!*(const bool *)src)
			return 0;
		return nla_put_flag(m, type) ? -EMSGSIZE : 0;
	case V_STR:
		return nla_put_string(m, type, (const char *)src) ? -EMSGSIZE : 0;
	case V_BYTES:
		return nla_put(m, type,
			       (int)((const struct pmg_str *)(const void *)src)->n + 1,
			       ((const struct pmg_str *)(const void *)src)->p) ?
		       -EMSGSIZE : 0;
	}
	return nla_put(m, type, (int)vtype_size(fd->vtype), src) ? -EMSGSIZE : 0;
}

/* A nest of type holding the fields of obj in mask, in attribute order. */
static int encode_nest(struct nl_msg *m, int type, const struct field *tab,
		       size_t n, const void *obj, uint64_t mask)
{
	struct nlattr *nest = nla_nest_start(m, type | NLA_F_NESTED);
	size_t i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < n; i++)
		if ((mask & PMG_BIT(i)) && put_field(m, (int)i, &tab[i], obj))
			return -EMSGSIZE;
	nla_nest_end(m, nest);
	return 0;
}

int pmg_encode_config(struct nl_msg *m, const struct pmg_config *c)
{
	uint64_t mask = c->present & PMG_C_SETTABLE;

	if (!mask)
		return 0;
	return encode_nest(m, PMG_A_CONFIG, config_fields, PMG_C_MAX + 1, c,
			   mask);
}

int pmg_encode_rule(struct nl_msg *m, const struct pmg_rule *r)
{
	return encode_nest(m, PMG_A_RULE, rule_fields, PMG_R_MAX + 1, r,
			   r->present & ~PMG_R_REPLY_ONLY);
}

/* --- finding messages ------------------------------------------------------ */

/*
 * The findings and notices of one generic netlink message payload
 * (genlmsghdr + attributes), handed to ops as they are decoded. Adds
 * those seen to *count.
 */
static int walk_genl(const unsigned char *p, size_t len,
		     const struct pmg_decode_ops *ops, void *arg, int *count)
{
	struct pmg_tlv_iter it;
	struct genlmsghdr g;
	struct pmg_tlv a;
	union {
		struct pmg_finding f;
		struct pmg_notice n;
	} u;
	int n = 0, r;

	if (len < GENL_HDRLEN)
		return -EBADMSG;
	memcpy(&g, p, sizeof(g));
	if (g.cmd != PMG_CMD_FINDING)
		return -EBADMSG;

	pmg_tlv_iter_init(&it, p + GENL_HDRLEN, len - GENL_HDRLEN);
	while ((r = pmg_tlv_next(&it, &a)) > 0) {
		if (a.type == PMG_A_FINDING) {
			if (pmg_decode_finding_payload(a.data, a.len, &u.f))
				return -EBADMSG;
			r = ops->finding ? ops->finding(&u.f, arg) : 0;
		} else if (a.type == PMG_A_NOTICE) {
			if (pmg_decode_notice_payload(a.data, a.len, &u.n))
				return -EBADMSG;
			r = ops->notice ? ops->notice(&u.n, arg) : 0;
		} else {
			continue;
		}
		n++;
		(*count)++;
		if (r)
			return r;
	}
	if (r < 0)
		return r;
	return n ? 0 : -EBADMSG;
}

/* Next netlink message: 1, 0 at the clean end, -EBADMSG. */
static int next_msg(struct pmg_tlv_iter *it, struct nlmsghdr *h,
		    const unsigned char **payload, size_t *plen)
{
	size_t step;

	if (it->left == 0)
		return 0;
	if (it->left < NLMSG_HDRLEN)
		return -EBADMSG;
	memcpy(h, it->pos, sizeof(*h));
	if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > it->left)
		return -EBADMSG;

	*payload = it->pos + NLMSG_HDRLEN;
	*plen = h->nlmsg_len - NLMSG_HDRLEN;

	step = NLMSG_ALIGN((size_t)h->nlmsg_len);
	if (step > it->left)
		step = it->left;
	it->pos += step;
	it->left -= step;
	return 1;
}

int pmg_decode_items(const void *buf, size_t len, int family,
		     const struct pmg_decode_ops *ops, void *arg)
{
	const unsigned char *payload;
	struct pmg_tlv_iter it;
	struct nlmsghdr h;
	int count = 0, r;
	size_t plen;

	pmg_tlv_iter_init(&it, buf, len);
	while ((r = next_msg(&it, &h, &payload, &plen)) > 0) {
		if (h.nlmsg_type == NLMSG_NOOP)
			continue;
		if (family <= 0 || h.nlmsg_type != (unsigned int)family)
			return -EBADMSG;
		r = walk_genl(payload, plen, ops, arg, &count);
		if (r)
			return r;
	}
	if (r < 0)
		return r;
	return count ? count : -EBADMSG;
}

/* Counts the findings for pmg_decode_msg(), and passes them on. */
struct count_findings {
	pmg_finding_cb cb;
	void *arg;
	int n;
	int stop;	/* cb's non-zero value */
};

static int count_finding(const struct pmg_finding *f, void *arg)
{
	struct count_findings *c = arg;

	c->n++;
	c->stop = c->cb ? c->cb(f, c->arg) : 0;
	return c->stop ? -ECANCELED : 0;
}

int pmg_decode_msg(const void *buf, size_t len, int family,
		   pmg_finding_cb cb, void *arg)
{
	struct pmg_decode_ops ops = { .finding = count_finding };
	struct count_findings c = { NULL, NULL, 0, 0 };
	int r = pmg_decode_items(buf, len, family, &ops, &c);

	if (r < 0 || !cb)
		return r < 0 ? r : c.n;
	c.cb = cb;
	c.arg = arg;
	c.n = 0;
	r = pmg_decode_items(buf, len, family, &ops, &c);
	if (c.stop)
		return c.stop;
	return r < 0 ? r : c.n;
}
