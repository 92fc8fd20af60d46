// SPDX-License-Identifier: GPL-2.0
/*
 * outsinks.c - the kinds of sinks `listen` can add with an option (see
 * struct pmg_sink_kind in outsink.h). Add one line per kind here.
 */
#include <stddef.h>

#include "outsink.h"
#include "senders.h"

const struct pmg_sink_kind *const pmg_sink_kinds[] = {
	&pmg_sink_syslog,
	&pmg_sink_post,
	NULL,
};
