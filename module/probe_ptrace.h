/* SPDX-License-Identifier: GPL-2.0 */
/* probe_ptrace.h - process_vm_readv/writev, ptrace and pidfd_getfd. */
#ifndef _PMG_PROBE_PTRACE_H
#define _PMG_PROBE_PTRACE_H

int pmg_probe_ptrace_init(void);
void pmg_probe_ptrace_exit(void);
unsigned long pmg_probe_ptrace_nmissed(void);

#endif /* _PMG_PROBE_PTRACE_H */
