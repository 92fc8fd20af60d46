/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - what the subcommands share: exit codes and error reporting.
 */
#ifndef PMG_CLI_H
#define PMG_CLI_H

#include <stdint.h>

#include "nl.h"

#define PMG_PROG	"procmem-guard"

enum pmg_exit {
	PMG_EXIT_OK = 0,
	PMG_EXIT_USAGE = 1,		/* bad command line or policy file */
	PMG_EXIT_RUNTIME = 2,		/* runtime or kernel error */
	PMG_EXIT_NOT_LOADED = 3,	/* module not loaded */
	PMG_EXIT_PERM = 4,		/* permission denied */
	PMG_EXIT_PROTOCOL = 5,		/* protocol version mismatch */
};

/* "procmem-guard: <message>\n" on stderr. */
void pmg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Report that `what` (e.g. "config set") failed with err (negative errno)
 * and return the exit code. The kernel's extack message is shown when there
 * is one; without it, a refusal (-EPERM, -EACCES, -EBUSY) while the policy
 * is locked says so. -ENOENT while the module is gone is "module not
 * loaded", with how to load it (3); -EPERM is "permission denied: <what>
 * needs CAP_SYS_ADMIN" (the kernel says which capability; without a word
 * from it, CAP_NET_ADMIN, which the generic netlink core checks) or
 * "permission denied: <what>: <reason>" (4); others are runtime errors
 * (2). nl may be NULL.
 */
int pmg_fail(struct pmg_nl *nl, int err, const char *what);

/* "module speaks protocol N, ..." and PMG_EXIT_PROTOCOL. */
int pmg_fail_protocol(uint32_t module_protocol);

/*
 * Open a request socket and check the module's protocol version. Returns
 * PMG_EXIT_OK with *nl set, or an exit code after reporting the problem.
 */
int pmg_connect(struct pmg_nl **nl);

/*
 * A request session: connect and check the protocol (pmg_connect), run
 * fn(nl, arg), and close. fn returns 0, an exit code (> 0), or the
 * negative errno of a failed request, which is reported as what failed
 * (pmg_fail()). Returns the exit code; a failed flush of standard output
 * turns success into PMG_EXIT_RUNTIME.
 */
int pmg_session(const char *what, int (*fn)(struct pmg_nl *nl, void *arg),
		void *arg);

/* The end of a session: close nl and map r as pmg_session() does. */
int pmg_session_end(struct pmg_nl *nl, int r, const char *what);

#endif /* PMG_CLI_H */
