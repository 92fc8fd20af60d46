/* SPDX-License-Identifier: GPL-2.0 */
/* probe_open.h - the kprobe on security_file_open(): mem opens. */
#ifndef _PMG_PROBE_OPEN_H
#define _PMG_PROBE_OPEN_H

int pmg_probe_open_init(void);
void pmg_probe_open_exit(void);
unsigned long pmg_probe_open_nmissed(void);

#endif /* _PMG_PROBE_OPEN_H */
