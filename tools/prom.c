// SPDX-License-Identifier: GPL-2.0
/*
 * prom.c - the module's state and counters as Prometheus metrics (text
 * format 0.0.4: HELP and TYPE before each metric's samples, one group per
 * metric, no timestamps, so node_exporter's textfile collector takes it).
 *
 * Metrics (prefix procmem_guard_; counters count since the module was
 * loaded and restart from 0 when it is loaded again):
 *
 *   module_loaded                gauge  1, or 0 when the module is not loaded
 *   build_info{version,module_version,protocol}  gauge 1: this program's
 *                                version, the module's, its protocol
 *   probe_armed                  gauge  1 while every probe fires, 0 once one
 *                                was found disarmed (PMG_A_ARMED)
 *   policy_locked                gauge  1 if the policy is locked
 *   mode{access,mode}            gauge  1 for the mode in force for each
 *                                access (read, write, attach), 0 for the
 *                                others (off, alert, block)
 *   ratelimit_findings_per_second, ratelimit_burst, log_enabled,
 *   report_allowed               gauges, the configuration
 *   and one metric per counter, from the table below (its HELP is the
 *   counter's help line from names.c, or the family's for one that
 *   several counters share). The kernel counts findings in totals only:
 *   there is no count per signature or channel to export. What the
 *   totals do tell:
 *     findings_total = findings_sent_total + findings_logged_total
 *                      + findings_allowed_total + sum(dropped_total)
 *                      + inflight                    (once idle)
 *   findings_delivered_total{outcome} counts the findings delivered (sent
 *   or logged) by what the kernel then did (granted, refused, unknown);
 *   findings_blocked_total counts every finding procmem-guard refused,
 *   delivered or not, so it is a metric of its own, not an outcome.
 * A field or counter the module did not report is left out.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* asprintf(), mkostemp() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"
#include "escape.h"
#include "names.h"
#include "prom.h"

#ifndef PMG_VERSION
#define PMG_VERSION "unknown"
#endif

#define P "procmem_guard_"

/* A metric family of counters: name, type, and help (NULL: the counter's). */
struct family {
	const char *name;
	const char *type;
	const char *help;
};

enum {
	F_NONE,		/* a counter that is not exported */
	F_INSPECTED, F_FINDINGS, F_SENT, F_LOGGED, F_ALLOWED, F_DROPPED,
	F_LOG_DROPPED, F_INFLIGHT, F_DELIVERED, F_BLOCKED, F_SUMMARIES,
	F_SUMMARIZED, F_OVERFLOW, F_NMISSED, F_ENFORCE, F_EVICTIONS,
	F_DISARMED, F_NOTICES, F_PACERS, F_COUNT
};

static const struct family families[F_COUNT] = {
	[F_INSPECTED] = { P "inspected_total", "counter", NULL },
	[F_FINDINGS] = { P "findings_total", "counter", NULL },
	[F_SENT] = { P "findings_sent_total", "counter", NULL },
	[F_LOGGED] = { P "findings_logged_total", "counter", NULL },
	[F_ALLOWED] = { P "findings_allowed_total", "counter", NULL },
	[F_DROPPED] = { P "dropped_total", "counter",
		"Findings not delivered one by one, by reason: ring_full (a "
		"per-CPU ring, or the user's share of it, was full; "
		"summarized), send_failed (the message could not be sent), "
		"rate_limited (the pair's rate limit; summarized)" },
	[F_LOG_DROPPED] = { P "log_lines_dropped_total", "counter", NULL },
	[F_INFLIGHT] = { P "inflight", "gauge", NULL },
	[F_DELIVERED] = { P "findings_delivered_total", "counter",
		"Delivered findings by what the kernel did with the access: "
		"granted, refused (permissions, another LSM, ptrace rules), "
		"unknown (not known in time)" },
	[F_BLOCKED] = { P "findings_blocked_total", "counter", NULL },
	[F_SUMMARIES] = { P "summaries_total", "counter", NULL },
	[F_SUMMARIZED] = { P "summarized_total", "counter", NULL },
	[F_OVERFLOW] = { P "summary_overflow_total", "counter", NULL },
	[F_NMISSED] = { P "probe_misses_total", "counter", NULL },
	[F_ENFORCE] = { P "enforce_misses_total", "counter", NULL },
	[F_EVICTIONS] = { P "rate_evictions_total", "counter", NULL },
	[F_DISARMED] = { P "probe_disarmed_total", "counter", NULL },
	[F_NOTICES] = { P "notices_total", "counter", NULL },
	[F_PACERS] = { P "pacers", "gauge", NULL },
};

/* Each exported counter: its family, and its label if the family has one. */
static const struct {
	unsigned char family;
	const char *label;	/* "name=\"value\"", or NULL */
} stat_metrics[PMG_S_MAX + 1] = {
	[PMG_S_INSPECTED] = { F_INSPECTED, NULL },
	[PMG_S_MATCHES] = { F_FINDINGS, NULL },
	[PMG_S_SENT] = { F_SENT, NULL },
	[PMG_S_LOGGED] = { F_LOGGED, NULL },
	[PMG_S_ALLOWED] = { F_ALLOWED, NULL },
	[PMG_S_DROP_RING_FULL] = { F_DROPPED, "reason=\"ring_full\"" },
	[PMG_S_DROP_SEND] = { F_DROPPED, "reason=\"send_failed\"" },
	[PMG_S_SUPPRESSED] = { F_DROPPED, "reason=\"rate_limited\"" },
	[PMG_S_LOG_RATELIMITED] = { F_LOG_DROPPED, NULL },
	[PMG_S_INFLIGHT] = { F_INFLIGHT, NULL },
	[PMG_S_GRANTED] = { F_DELIVERED, "outcome=\"granted\"" },
	[PMG_S_REFUSED] = { F_DELIVERED, "outcome=\"refused\"" },
	[PMG_S_OUTCOME_UNKNOWN] = { F_DELIVERED, "outcome=\"unknown\"" },
	[PMG_S_BLOCKED] = { F_BLOCKED, NULL },
	[PMG_S_SUMMARIES] = { F_SUMMARIES, NULL },
	[PMG_S_SUMMARIZED] = { F_SUMMARIZED, NULL },
	[PMG_S_SUMMARY_OVERFLOW] = { F_OVERFLOW, NULL },
	[PMG_S_NMISSED] = { F_NMISSED, NULL },
	[PMG_S_ENFORCE_MISSES] = { F_ENFORCE, NULL },
	[PMG_S_RATE_EVICTIONS] = { F_EVICTIONS, NULL },
	[PMG_S_DISARMED] = { F_DISARMED, NULL },
	[PMG_S_NOTICES] = { F_NOTICES, NULL },
	[PMG_S_PACERS] = { F_PACERS, NULL },
	/* PMG_S_PACED, PMG_S_PACE_TIMEOUTS: unused, always 0 */
};

static bool exported(int attr)
{
	return attr > 0 && attr <= PMG_S_MAX && pmg_stat_name(attr) &&
	       stat_metrics[attr].family != F_NONE;
}

const char *pmg_prom_metric_of_stat(int attr)
{
	static char buf[PMG_S_MAX + 1][128];

	if (!exported(attr))
		return NULL;
	if (!buf[attr][0])
		snprintf(buf[attr], sizeof(buf[attr]), "%s%s%s%s",
			 families[stat_metrics[attr].family].name,
			 stat_metrics[attr].label ? "{" : "",
			 stat_metrics[attr].label ? stat_metrics[attr].label : "",
			 stat_metrics[attr].label ? "}" : "");
	return buf[attr];
}

/* HELP text: '\' and line feeds escaped (nothing else is). */
static void put_help(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s ", name);
	for (; *help; help++) {
		if (*help == '\\')
			fputs("\\\\", out);
		else if (*help == '\n')
			fputs("\\n", out);
		else
			fputc(*help, out);
	}
	fputc('\n', out);
}

static void put_family(FILE *out, const char *name, const char *type,
		       const char *help)
{
	put_help(out, name, help);
	fprintf(out, "# TYPE %s %s\n", name, type);
}

/*
 * A label value: '\', '"' and line feeds escaped; bytes that are not
 * UTF-8 become U+FFFD (a label value is UTF-8).
 */
static void put_label_value(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, u;

	while (i < n) {
		u = pmg_utf8_seq(p + i, n - i);
		if (!u) {
			fputs("\xef\xbf\xbd", out);
			i++;
			continue;
		}
		if (p[i] == '\\' || p[i] == '"')
			fprintf(out, "\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", out);
		else
			fwrite(p + i, 1, u, out);
		i += u;
	}
}

static void put_counters(FILE *out, const struct pmg_stats *s)
{
	int f, a;
	bool any;

	for (f = F_NONE + 1; f < F_COUNT; f++) {
		any = false;
		for (a = 1; a <= PMG_S_MAX; a++) {
			if (!exported(a) || stat_metrics[a].family != f ||
			    !PMG_HAS(s, a))
				continue;
			if (!any)
				put_family(out, families[f].name,
					   families[f].type,
					   families[f].help ? families[f].help :
					   pmg_stat_help(a));
			any = true;
			fprintf(out, "%s %" PRIu64 "\n",
				pmg_prom_metric_of_stat(a), s->v[a]);
		}
	}
}

/* The configuration fields that are one gauge each, if present. */
static void put_config_gauges(FILE *out, const struct pmg_config *c)
{
	static const struct {
		int attr;
		const char *name, *help;
	} gauges[] = {
		{ PMG_C_LOCKED, P "policy_locked",
		  "1 if the policy is locked until reboot" },
		{ PMG_C_RATELIMIT, P "ratelimit_findings_per_second",
		  "Findings per second per accessor and target before the "
		  "rate limit (0: off)" },
		{ PMG_C_BURST, P "ratelimit_burst", "Burst of the rate limit" },
		{ PMG_C_LOG, P "log_enabled",
		  "1 if findings nobody listens to go to the kernel log" },
		{ PMG_C_REPORT_ALLOWED, P "report_allowed",
		  "1 if accesses an allow rule covers are reported too" },
	};
	struct pmg_value v;
	size_t i;

	for (i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++) {
		if (pmg_field_value(PMG_NEST_CONFIG, c, gauges[i].attr, &v))
			continue;
		put_family(out, gauges[i].name, "gauge", gauges[i].help);
		fprintf(out, "%s %" PRIu64 "\n", gauges[i].name, v.n);
	}
}

static void put_modes(FILE *out, const struct pmg_config *c)
{
	static const struct {
		int attr;
		const char *access;
	} modes[] = {
		{ PMG_C_READ, "read" },
		{ PMG_C_WRITE, "write" },
		{ PMG_C_ATTACH, "attach" },
	};
	struct pmg_value v;
	bool any = false;
	size_t i;
	unsigned int m;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (pmg_field_value(PMG_NEST_CONFIG, c, modes[i].attr, &v))
			continue;
		if (!any)
			put_family(out, P "mode", "gauge",
				   "The mode in force for each access: 1 for "
				   "it, 0 for the others");
		any = true;
		for (m = PMG_MODE_OFF; pmg_mode_name(m); m++)
			fprintf(out, P "mode{access=\"%s\",mode=\"%s\"} %d\n",
				modes[i].access, pmg_mode_name(m), v.n == m);
	}
}

int pmg_prom_write(FILE *out, const struct pmg_status *st)
{
	put_family(out, P "module_loaded", "gauge",
		   "1 if the procmem_guard module is loaded");
	fprintf(out, P "module_loaded %d\n", st ? 1 : 0);
	put_family(out, P "build_info", "gauge",
		   "Versions: this program's, the module's and the protocol "
		   "it speaks");
	fputs(P "build_info{version=\"", out);
	put_label_value(out, PMG_VERSION);
	if (st) {
		fputs("\",module_version=\"", out);
		put_label_value(out, st->module_version);
		fprintf(out, "\",protocol=\"%" PRIu32, st->protocol);
	}
	fputs("\"} 1\n", out);
	if (st) {
		if (st->has_armed) {
			put_family(out, P "probe_armed", "gauge",
				   "1 while every probe fires, 0 once one "
				   "was found disarmed");
			fprintf(out, P "probe_armed %d\n", st->armed ? 1 : 0);
		}
		put_config_gauges(out, &st->config);
		put_modes(out, &st->config);
		put_counters(out, &st->stats);
	}
	return fflush(out) || ferror(out) ? -EIO : 0;
}

int pmg_prom_textfile(const char *dir, const char *name,
		      const struct pmg_status *st, char *err, size_t errlen)
{
	char *tmp = NULL, *dst = NULL;
	FILE *f = NULL;
	int fd = -1, r = 0;

	if (!name[0] || strchr(name, '/')) {
		snprintf(err, errlen, "%s: a file name without '/'", name);
		return -EINVAL;
	}
	if (asprintf(&tmp, "%s/.%s.prom.XXXXXX", dir, name) < 0 ||
	    asprintf(&dst, "%s/%s.prom", dir, name) < 0) {
		tmp = NULL;
		r = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* node_exporter runs as another user (prometheus on Debian). */
	if (fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (pmg_prom_write(f, st) || fsync(fileno(f))) {
		r = -EIO;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	r = fclose(f);
	f = NULL;
	if (r || rename(tmp, dst)) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", dst, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dst);
	return r;
}
