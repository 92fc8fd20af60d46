/* SPDX-License-Identifier: GPL-2.0 */
/* params.h - module parameters. */
#ifndef _PMG_PARAMS_H
#define _PMG_PARAMS_H

#include <linux/types.h>

extern bool pmg_param_log;

#endif /* _PMG_PARAMS_H */
