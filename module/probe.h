/* SPDX-License-Identifier: GPL-2.0 */
/* probe.h - the kprobe on security_file_open(). */
#ifndef _PMG_PROBE_H
#define _PMG_PROBE_H

#include <linux/types.h>

int pmg_probe_init(void);
void pmg_probe_exit(void);
unsigned long pmg_probe_nmissed(void);

#endif /* _PMG_PROBE_H */
