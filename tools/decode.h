/* SPDX-License-Identifier: GPL-2.0 */
/*
 * decode.h - strict decoding of procmem_guard netlink messages.
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
 *     fit the destination (comm: 15 bytes, paths: 4095 bytes);
 *   - attributes with unknown numbers are ignored (the ABI is append only);
 *   - when an attribute repeats, the last one wins;
 *   - bytes left over after the last attribute are an error.
 */
#ifndef PMG_DECODE_H
#define PMG_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "pmg.h"

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

/* Same, from a nest payload. */
int pmg_decode_finding_payload(const void *data, size_t len,
			       struct pmg_finding *out);

/* Called once per finding; a non-zero return stops the walk. */
typedef int (*pmg_finding_cb)(const struct pmg_finding *f, void *arg);

/*
 * Walk a received netlink buffer (one or more netlink messages, as read by
 * one recvmsg()). Every message must be a generic netlink message of type
 * `family` with cmd PMG_CMD_FINDING carrying at least one PMG_A_FINDING;
 * NLMSG_NOOP messages are skipped. The whole buffer is validated first:
 * if any part is malformed, -EBADMSG is returned and cb is never called.
 * Otherwise cb is called for each finding in order, and the number of
 * findings is returned (or cb's non-zero value, if it stopped the walk).
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

#endif /* PMG_DECODE_H */
