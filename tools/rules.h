/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rules.h - a growing array of allow rules, as ALLOW_LIST replies and
 * policy files fill them.
 */
#ifndef PMG_RULES_H
#define PMG_RULES_H

#include <stddef.h>

#include "pmg.h"

/* Append *r to v[0..*n-1], growing v (capacity *cap); 0 or -ENOMEM. */
int pmg_rules_append(struct pmg_rule **v, size_t *n, size_t *cap,
		     const struct pmg_rule *r);

#endif /* PMG_RULES_H */
