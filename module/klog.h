/* SPDX-License-Identifier: GPL-2.0 */
/* klog.h - findings in the kernel log, while nobody listens. */
#ifndef _PMG_KLOG_H
#define _PMG_KLOG_H

#include "finding.h"

/*
 * Worker only: one line for f if the log parameter is on, rate-limited
 * (summaries are not). False if the limit held it back: summarize it.
 */
bool pmg_klog_finding(const struct pmg_finding_ctx *f);

/* Worker only: a notice, always (they are few). */
void pmg_klog_notice(const struct pmg_notice *n, u64 seq);

#endif /* _PMG_KLOG_H */
