/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prom.h - the module's state and counters in the Prometheus text
 * exposition format 0.0.4 (status --format prometheus, metrics), and
 * node_exporter's textfile collector files (metrics --textfile).
 */
#ifndef PMG_PROM_H
#define PMG_PROM_H

#include <stddef.h>
#include <stdio.h>

#include "pmg.h"

/*
 * Write the metrics of st (NULL: the module is not loaded, and the only
 * metrics are procmem_guard_module_loaded 0 and build_info) to out. The
 * metrics are listed in prom.c. 0, or -EIO when writing failed.
 */
int pmg_prom_write(FILE *out, const struct pmg_status *st);

/*
 * The metric a counter (PMG_S_*) is exported as, e.g.
 * "procmem_guard_dropped_total{reason=\"ring_full\"}", or NULL for a
 * counter that is not exported (paced and pace_timeouts: always 0) or
 * that does not exist.
 */
const char *pmg_prom_metric_of_stat(int attr);

/*
 * Write the metrics of st into dir/<name>.prom for node_exporter's
 * textfile collector, atomically: a temporary file in dir whose name does
 * not end in ".prom" (so the collector skips it), mode 0644, written,
 * flushed to disk, then renamed over dir/<name>.prom. 0, or -errno with
 * the problem in err (and no temporary file left behind).
 */
int pmg_prom_textfile(const char *dir, const char *name,
		      const struct pmg_status *st, char *err, size_t errlen);

#endif /* PMG_PROM_H */
