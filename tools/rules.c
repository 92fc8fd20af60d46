// SPDX-License-Identifier: GPL-2.0
/*
 * rules.c - a growing array of allow rules (see rules.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "rules.h"

int pmg_rules_append(struct pmg_rule **v, size_t *n, size_t *cap,
		     const struct pmg_rule *r)
{
	struct pmg_rule *nv;
	size_t ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 16;
		nv = realloc(*v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *r;
	return 0;
}
