/* SPDX-License-Identifier: GPL-2.0 */
/* klog.h - findings in the kernel log, while nobody listens. */
#ifndef _PMG_KLOG_H
#define _PMG_KLOG_H

#include "finding.h"

/* Worker only: one line for f, rate-limited, if the log parameter is on. */
void pmg_klog_finding(const struct pmg_finding_ctx *f);

#endif /* _PMG_KLOG_H */
