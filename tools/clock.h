/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clock.h - monotonic milliseconds and deadlines, for the waits of the
 * request engine, the listener and `listen`.
 */
#ifndef PMG_CLOCK_H
#define PMG_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in milliseconds. */
int64_t pmg_now_ms(void);

/* A deadline timeout_ms from now; -1 (none) when timeout_ms is negative. */
int64_t pmg_deadline(int timeout_ms);

/* Milliseconds left until deadline, for poll(): 0 once past, -1 for none. */
int pmg_ms_left(int64_t deadline);

#endif /* PMG_CLOCK_H */
