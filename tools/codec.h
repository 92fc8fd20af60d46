/* SPDX-License-Identifier: GPL-2.0 */
/*
 * codec.h - the layout of the procmem_guard netlink attributes: strict
 * decoding of what the module sends, and encoding of the nests the CLI
 * sends (configuration, allow rule). One field table per nest (codec.c)
 * serves both directions.
 *
 * The decoder trusts nothing in the bytes it is given: every length is
 * checked before it is used, headers and values are copied out with memcpy
 * (the buffer need not be aligned), and anything malformed yields
 * -EBADMSG. It never allocates.
 *
 * Rules applied to attributes:
 *   - u8, u32 and u64 attributes must have exactly that payload size;
 *   - a flag attribute must have an empty payload;
 *   - a string attribute must contain a NUL, and the bytes before it must
 *     fit the destination (comm: 15 bytes, paths and a notice's detail:
 *     4095 bytes); the strings of findings and notices are not copied
 *     (struct pmg_str points into the buffer);
 *   - attributes with unknown numbers are ignored (the ABI is append only);
 *   - when an attribute repeats, the last one wins;
 *   - bytes left over after the last attribute are an error.
 */
#ifndef PMG_CODEC_H
#define PMG_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "pmg.h"

struct nl_msg;

/* One attribute, as found in a buffer. */
struct pmg_tlv {
	uint16_t type;			/* without NLA_F_NESTED/NET_BYTEORDER */
	uint16_t len;			/* payload length */
	const unsigned char *data;	/* payload */
};

struct pmg_tlv_iter {
	const unsigned char *pos;
	size_t left;
};

void pmg_tlv_iter_init(struct pmg_tlv_iter *it, const void *buf, size_t len);

/*
 * Next attribute: 1 and *a filled, 0 at the clean end of the buffer,
 * -EBADMSG if the buffer is malformed.
 */
int pmg_tlv_next(struct pmg_tlv_iter *it, struct pmg_tlv *a);

/*
 * Decode one PMG_A_FINDING nest. The caller guarantees that nest->nla_len
 * bytes are readable at nest. Returns 0, or -EBADMSG (also when
 * PMG_F_SIGNATURE is missing: a finding without a signature means nothing).
 */
int pmg_decode_finding(const struct nlattr *nest, struct pmg_finding *out);

/* Same, from a nest payload. Its strings point into data. */
int pmg_decode_finding_payload(const void *data, size_t len,
			       struct pmg_finding *out);

/*
 * Decode one PMG_A_NOTICE nest payload: 0, or -EBADMSG (also when
 * PMG_N_TYPE is missing). Its strings point into data.
 */
int pmg_decode_notice_payload(const void *data, size_t len,
			      struct pmg_notice *out);

/* Called once per finding; a non-zero return stops the walk. */
typedef int (*pmg_finding_cb)(const struct pmg_finding *f, void *arg);

/* What pmg_decode_items() hands each finding and notice to (NULL: skip). */
struct pmg_decode_ops {
	int (*finding)(const struct pmg_finding *f, void *arg);
	int (*notice)(const struct pmg_notice *n, void *arg);
};

/*
 * Walk a received netlink buffer (one or more netlink messages, as read by
 * one recvmsg()) in one pass. Every message must be a generic netlink
 * message of type `family` with cmd PMG_CMD_FINDING carrying at least one
 * PMG_A_FINDING or PMG_A_NOTICE nest, in any mix; NLMSG_NOOP messages are
 * skipped. Each finding and notice is handed over as soon as it is
 * decoded, in order; the structs live on the stack (copy them), their
 * strings point into buf. Returns the number of findings and notices, a
 * callback's non-zero value (negative errnos only: it stopped the walk),
 * or -EBADMSG when something is malformed: then the items before the bad
 * one have been handed over already, and the caller must drop them.
 */
int pmg_decode_items(const void *buf, size_t len, int family,
		     const struct pmg_decode_ops *ops, void *arg);

/*
 * The findings of such a buffer, validated first: if any part is
 * malformed, -EBADMSG is returned and cb is never called. Otherwise cb is
 * called for each finding in order (notices are checked and skipped), and
 * the number of findings is returned (0 if the buffer held notices only),
 * or cb's non-zero value, if it stopped the walk.
 */
int pmg_decode_msg(const void *buf, size_t len, int family,
		   pmg_finding_cb cb, void *arg);

/* Nest payload decoders for replies. Return 0 or -EBADMSG. */
int pmg_decode_config(const void *data, size_t len, struct pmg_config *out);
int pmg_decode_rule(const void *data, size_t len, struct pmg_rule *out);
int pmg_decode_stats(const void *data, size_t len, struct pmg_stats *out);

/*
 * Copy a string attribute payload into dst (size dstsz): it must hold a NUL
 * and fit. Returns 0 or -EBADMSG.
 */
int pmg_tlv_string(const struct pmg_tlv *a, char *dst, size_t dstsz);

/* The nests whose fields codec.c describes. */
enum pmg_nest {
	PMG_NEST_FINDING,	/* struct pmg_finding, PMG_F_* */
	PMG_NEST_CONFIG,	/* struct pmg_config, PMG_C_* */
	PMG_NEST_RULE,		/* struct pmg_rule, PMG_R_* */
	PMG_NEST_NOTICE,	/* struct pmg_notice, PMG_N_* */
};

/* A field's value, as its attribute carries it. */
struct pmg_value {
	enum {
		PMG_VAL_INT,	/* u8 or u32: n */
		PMG_VAL_U64,	/* u64: n */
		PMG_VAL_BOOL,	/* n is 0 or 1 */
		PMG_VAL_STR,	/* s, len raw bytes, NUL terminated */
	} kind;
	uint64_t n;
	const char *s;
	size_t len;
};

/*
 * The field attr of obj (a struct of the nest's type): 0 with *v filled, or
 * -ENOENT when the field is absent (or attr is not one).
 */
int pmg_field_value(enum pmg_nest nest, const void *obj, int attr,
		    struct pmg_value *v);

/* The configuration fields a request may set: all but PMG_C_LOCKED. */
#define PMG_C_SETTABLE	(~PMG_BIT(PMG_C_LOCKED) & ~PMG_BIT(PMG_C_UNSPEC))

/*
 * The rule fields only replies carry: the id, the executable's identity
 * (a request names the executable by PMG_R_EXE_PATH) and staleness.
 */
#define PMG_R_REPLY_ONLY	(PMG_BIT(PMG_R_ID) | PMG_BIT(PMG_R_EXE_DEV) | \
				 PMG_BIT(PMG_R_EXE_INO) | PMG_BIT(PMG_R_STALE))

/*
 * Append a PMG_A_CONFIG nest holding the settable fields of *c that are
 * present (nothing at all when none is), or a PMG_A_RULE nest holding the
 * present fields of *r but those of PMG_R_REPLY_ONLY (and PMG_R_SELF only
 * when set). Each field is encoded as the decoder above reads it back. 0,
 * or -EMSGSIZE when the message is full.
 */
int pmg_encode_config(struct nl_msg *m, const struct pmg_config *c);
int pmg_encode_rule(struct nl_msg *m, const struct pmg_rule *r);

#endif /* PMG_CODEC_H */
