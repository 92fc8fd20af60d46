/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl.h - requests to the procmem_guard generic netlink family.
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure. An error the kernel reported is returned as it is (-EPERM,
 * -EINVAL, ...); when the kernel attached an extended ack message, it is
 * kept and pmg_nl_extack() returns it until the next request.
 */
#ifndef PMG_NL_H
#define PMG_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pmg.h"

struct pmg_nl;
struct nl_sock;

/* A bare generic netlink socket, connected (for listener.c's). */
int pmg_nl_socket(struct nl_sock **out);

/* Open a generic netlink socket, without resolving anything yet. */
int pmg_nl_connect(struct pmg_nl **out);

/*
 * Open a generic netlink socket and resolve the family "procmem_guard" and
 * its group "alerts". -ENOENT: the module is not loaded.
 */
int pmg_nl_open(struct pmg_nl **out);
void pmg_nl_close(struct pmg_nl *nl);

/* Resolve the family and the group again (their ids change on reload). */
int pmg_nl_resolve(struct pmg_nl *nl);

/* Id of a multicast group of any family, or -errno (-ENOENT: none). */
int pmg_nl_resolve_group(struct pmg_nl *nl, const char *family,
			 const char *group);

int pmg_nl_family(const struct pmg_nl *nl);	/* 0 if not resolved */
int pmg_nl_alerts_group(const struct pmg_nl *nl);
/* The last request's extended ack message, or NULL. */
const char *pmg_nl_extack(const struct pmg_nl *nl);

/*
 * GET_STATUS. When the module speaks another protocol version than
 * PMG_PROTOCOL_VERSION, returns -EPROTONOSUPPORT with st->protocol set
 * (0 and has_protocol false if the module did not say) and the rest of *st
 * left empty.
 */
int pmg_get_status(struct pmg_nl *nl, struct pmg_status *st);
/* GET_STATUS, only to check the protocol version: 0 or -EPROTONOSUPPORT. */
int pmg_check_protocol(struct pmg_nl *nl, uint32_t *module_protocol);

int pmg_get_stats(struct pmg_nl *nl, struct pmg_stats *out);
int pmg_get_config(struct pmg_nl *nl, struct pmg_config *out);
/* Sends the fields of *changes that are present; PMG_C_LOCKED never. */
int pmg_set_config(struct pmg_nl *nl, const struct pmg_config *changes);
/* Adds a rule (PMG_R_ID is never sent); *id gets the new rule's id. */
int pmg_allow_add(struct pmg_nl *nl, const struct pmg_rule *rule,
		  uint32_t *id);
int pmg_allow_del(struct pmg_nl *nl, uint32_t id);
/* *rules is malloc()ed (free() it), *n its length. */
int pmg_allow_list(struct pmg_nl *nl, struct pmg_rule **rules, size_t *n);
/*
 * Replaces the whole policy at once: the settable fields of *config that
 * are present, and all allow rules by rules[0..n-1] (PMG_R_ID unused).
 */
int pmg_apply(struct pmg_nl *nl, const struct pmg_config *config,
	      const struct pmg_rule *rules, size_t n);
int pmg_lock(struct pmg_nl *nl);

/*
 * Send cmd, without attributes, to the family nl resolved, but from sk,
 * another generic netlink socket of the caller's (the module takes the
 * request as coming from that socket, as PMG_CMD_PACE needs), and wait up
 * to timeout_ms (-1: no limit) for the answer: 0, -errno, or -ETIMEDOUT.
 * Messages that are not the answer (nlctrl notifications on a multicast
 * socket, say) are skipped, and *skipped tells whether any was. The
 * extended ack is kept as for any request (pmg_nl_extack()).
 */
int pmg_nl_command_from(struct pmg_nl *nl, struct nl_sock *sk, uint8_t cmd,
			int timeout_ms, bool *skipped);

/* libnl error (NLE_*, positive or negative) -> negative errno. */
int pmg_nlerr_to_errno(int nlerr);

#endif /* PMG_NL_H */
