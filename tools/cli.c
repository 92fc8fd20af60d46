// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - exit codes and error reporting shared by the subcommands.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void pmg_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PMG_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pmg_fail_protocol(uint32_t module_protocol)
{
	pmg_err("module speaks protocol %" PRIu32
		", this procmem-guard speaks %d", module_protocol,
		PMG_PROTOCOL_VERSION);
	return PMG_EXIT_PROTOCOL;
}

/* -ENOENT means "not loaded" only if the family is really gone. */
static bool module_gone(struct pmg_nl *nl)
{
	return !nl || pmg_nl_resolve(nl) == -ENOENT;
}

/* Errors a locked policy may show as when the kernel does not say. */
static bool maybe_locked(struct pmg_nl *nl, int err)
{
	struct pmg_config c;

	if (!nl || (err != -EPERM && err != -EACCES && err != -EBUSY))
		return false;
	return !pmg_get_config(nl, &c) && PMG_HAS(&c, PMG_C_LOCKED) &&
	       c.locked;
}

/* The kernel's reason, without the module's name in front. */
static void reason(struct pmg_nl *nl, char *why, size_t n)
{
	static const char prefix[] = PMG_GENL_NAME ": ";
	const char *m = nl ? pmg_nl_extack(nl) : NULL;

	if (m && !strncmp(m, prefix, sizeof(prefix) - 1))
		m += sizeof(prefix) - 1;
	snprintf(why, n, "%s", m ? m : "");
}

int pmg_fail(struct pmg_nl *nl, int err, const char *what)
{
	char why[256];

	reason(nl, why, sizeof(why));
	if (err == -ENOENT && !why[0] && module_gone(nl)) {
		pmg_err("module not loaded: load it with 'modprobe procmem_guard'"
			" or 'systemctl start procmem-guard'");
		return PMG_EXIT_NOT_LOADED;
	}
	if (!why[0] && maybe_locked(nl, err))
		snprintf(why, sizeof(why), "the policy is locked until reboot");
	if (err == -EPERM && (!why[0] || !strncmp(why, "needs ", 6))) {
		/* Without a reason: a command the core checks (listening,
		 * counters, pacing) needs CAP_NET_ADMIN.
		 */
		pmg_err("permission denied: %s %s", what,
			why[0] ? why : "needs CAP_NET_ADMIN");
		return PMG_EXIT_PERM;
	}
	if (err == -EPERM) {
		pmg_err("permission denied: %s: %s", what, why);
		return PMG_EXIT_PERM;
	}
	if (why[0])
		pmg_err("%s: %s (%s)", what, why, strerror(-err));
	else
		pmg_err("%s: %s", what, strerror(-err));
	return PMG_EXIT_RUNTIME;
}

int pmg_connect(struct pmg_nl **nl)
{
	uint32_t proto = 0;
	int r;

	r = pmg_nl_open(nl);
	if (r)
		return pmg_fail(NULL, r, "connecting to the module");
	r = pmg_check_protocol(*nl, &proto);
	if (r) {
		r = r == -EPROTONOSUPPORT ? pmg_fail_protocol(proto) :
					    pmg_fail(*nl, r, "status");
		pmg_nl_close(*nl);
		*nl = NULL;
	}
	return r;
}

int pmg_session_end(struct pmg_nl *nl, int r, const char *what)
{
	if (r < 0)
		r = pmg_fail(nl, r, what);
	pmg_nl_close(nl);
	if (fflush(stdout) && !r)
		r = PMG_EXIT_RUNTIME;
	return r;
}

int pmg_session(const char *what, int (*fn)(struct pmg_nl *nl, void *arg),
		void *arg)
{
	struct pmg_nl *nl;
	int r = pmg_connect(&nl);

	if (r)
		return r;
	return pmg_session_end(nl, fn(nl, arg), what);
}
