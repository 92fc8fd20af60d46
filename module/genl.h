/* SPDX-License-Identifier: GPL-2.0 */
/* genl.h - the "procmem_guard" generic netlink family (the control plane). */
#ifndef _PMG_GENL_H
#define _PMG_GENL_H

int pmg_genl_init(void);
void pmg_genl_exit(void);

#endif /* _PMG_GENL_H */
