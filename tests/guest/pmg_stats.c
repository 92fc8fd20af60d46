// SPDX-License-Identifier: GPL-2.0
/*
 * pmg_stats - the statistics invariant for the shell suites: prints
 *   <matches> <accounted + inflight>
 * of the loaded module (pmg_test.h: pmg_stats_accounted()), two equal
 * numbers when the invariant holds. Exit status 1, and nothing printed,
 * when the module cannot be asked.
 */
#include "pmg_test.h"

int main(void)
{
	struct pmg_stats st;

	if (pmg_stats_now(&st))
		return 1;
	printf("%llu %llu\n", (unsigned long long)st.v[PMG_S_MATCHES],
	       (unsigned long long)(pmg_stats_accounted(&st) +
				    st.v[PMG_S_INFLIGHT]));
	return 0;
}
