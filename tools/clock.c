// SPDX-License-Identifier: GPL-2.0
/*
 * clock.c - monotonic milliseconds and deadlines (see clock.h).
 */
#include <time.h>

#include "clock.h"

int64_t pmg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t pmg_deadline(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : pmg_now_ms() + timeout_ms;
}

int pmg_ms_left(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - pmg_now_ms();
	if (left <= 0)
		return 0;
	return left > 1000000 ? 1000000 : (int)left;
}
