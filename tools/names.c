// SPDX-License-Identifier: GPL-2.0
/*
 * names.c - one name table per enum of the netlink interface, and the
 * lookups both ways (see names.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "names.h"

#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const access_names[] = { [PMG_ACCESS_READ] = "read",
	[PMG_ACCESS_WRITE] = "write", [PMG_ACCESS_READ_WRITE] = "read-write" };
static const char *const action_names[] = { [PMG_ACTION_ALERT] = "alert",
	[PMG_ACTION_BLOCK] = "block", [PMG_ACTION_ALLOW] = "allow" };
static const char *const kind_names[] = { [PMG_KIND_PID_MEM] = "pid-mem",
	[PMG_KIND_TASK_MEM] = "task-mem" };
static const char *const mode_names[] = { [PMG_MODE_OFF] = "off",
	[PMG_MODE_ALERT] = "alert", [PMG_MODE_BLOCK] = "block" };

/* The counters, in the order status prints them, with their help lines. */
static const struct {
	const char *name;
	const char *help;
} stats[] = {
	[PMG_S_INSPECTED] = { "inspected", "opens seen by the probe" },
	[PMG_S_MATCHES] = { "matches", "findings (opens of a mem file, per signature)" },
	[PMG_S_SENT] = { "sent", "findings sent to listeners" },
	[PMG_S_DROP_RING_FULL] = { "drop_ring_full", "findings lost: a per-CPU ring was full" },
	[PMG_S_DROP_SEND] = { "drop_send", "findings lost: the message could not be sent" },
	[PMG_S_LOGGED] = { "logged", "findings nobody listened to, sent to the kernel log" },
	[PMG_S_LOG_RATELIMITED] = { "log_ratelimited", "of those, lines the log rate limit ate" },
	[PMG_S_NMISSED] = { "nmissed", "kprobe and kretprobe misses" },
	[PMG_S_BLOCKED] = { "blocked", "findings whose open was denied" },
	[PMG_S_ALLOWED] = { "allowed", "findings an allow rule covered" },
	[PMG_S_SUPPRESSED] = { "suppressed", "findings the rate limit suppressed" },
	[PMG_S_RATE_EVICTIONS] = { "rate_evictions", "rate limit table entries evicted" },
	[PMG_S_ENFORCE_MISSES] = { "enforce_misses", "opens that should have been denied but could not be" },
	[PMG_S_INFLIGHT] = { "inflight", "findings queued, not processed yet" },
	[PMG_S_PACED] = { "paced", "mem opens that waited for a pacing listener to catch up" },
	[PMG_S_PACE_TIMEOUTS] = { "pace_timeouts", "of those, waits that ran out (pace_ms)" },
	[PMG_S_PACERS] = { "pacers", "pacing listeners now" },
};

static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n ? names[v] : NULL;
}

static int value_of(const char *const *names, size_t n, const char *s,
		    uint8_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *pmg_access_name(unsigned int access)
{
	return name_of(access_names, COUNT(access_names), access);
}

const char *pmg_action_name(unsigned int action)
{
	return name_of(action_names, COUNT(action_names), action);
}

const char *pmg_kind_name(unsigned int kind)
{
	return name_of(kind_names, COUNT(kind_names), kind);
}

const char *pmg_mode_name(unsigned int mode)
{
	return name_of(mode_names, COUNT(mode_names), mode);
}

const char *pmg_stat_name(int attr)
{
	return attr < 0 || (size_t)attr >= COUNT(stats) ? NULL :
	       stats[attr].name;
}

const char *pmg_stat_help(int attr)
{
	return pmg_stat_name(attr) ? stats[attr].help : NULL;
}

int pmg_parse_access(const char *s, uint8_t *out)
{
	return value_of(access_names, COUNT(access_names), s, out);
}

int pmg_parse_mode(const char *s, uint8_t *out)
{
	return value_of(mode_names, COUNT(mode_names), s, out);
}
