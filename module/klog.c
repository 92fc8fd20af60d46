// SPDX-License-Identifier: GPL-2.0
/*
 * klog.c - findings in the kernel log, while nobody listens.
 *
 * Every string a line carries (comm, executable, path) is chosen by the
 * accessor, so each is escaped: bytes outside printable ASCII, '"' and '\'
 * become \xNN, so a line can neither be split nor made to look like
 * another. Long strings are cut, ending in "...".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include "klog.h"
#include "params.h"
#include "procmem_guard.h"
#include "stats.h"

#define PMG_KLOG_STR	256	/* escaped bytes kept per string */

static DEFINE_RATELIMIT_STATE(pmg_log_rs, 5 * HZ, 10);
/* Worker only (one ordered workqueue), so one set of buffers. */
static char pmg_klog_comm[PMG_KLOG_STR], pmg_klog_exe[PMG_KLOG_STR],
	    pmg_klog_path[PMG_KLOG_STR];

/* Escapes s into buf (PMG_KLOG_STR bytes), cut with "..." if too long. */
static const char *pmg_klog_escape(char *buf, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!s)
		return "?";
	for (; *s; s++) {
		unsigned char c = *s;
		bool plain = c > 0x20 && c < 0x7f && c != '"' && c != '\\';

		if (o + (plain ? 1 : 4) > PMG_KLOG_STR - 4) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (plain) {
			buf[o++] = c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o] = '\0';
	return buf;
}

static const char *pmg_access_word(u8 access)
{
	return access == PMG_ACCESS_READ_WRITE ? "read-write" :
	       access == PMG_ACCESS_WRITE ? "write" : "read";
}

static const char *pmg_action_word(u8 action)
{
	return action == PMG_ACTION_BLOCK ? "block" :
	       action == PMG_ACTION_ALLOW ? "allow" : "alert";
}

void pmg_klog_finding(const struct pmg_finding_ctx *f)
{
	const struct pmg_record *r = f->rec;

	pmg_stat_add(PMG_S_LOGGED, 1);
	if (!READ_ONCE(pmg_param_log))
		return;
	if (!__ratelimit(&pmg_log_rs)) {
		pmg_stat_add(PMG_S_LOG_RATELIMITED, 1);
		return;
	}
	pr_info("TRC-%u %s: pid=%u tid=%u uid=%u euid=%u comm=\"%s\" exe=\"%s\" target=%u tid=%u path=\"%s\" action=%s\n",
		f->sig, pmg_access_word(r->access), r->pid, r->tid, r->uid,
		r->euid, pmg_klog_escape(pmg_klog_comm, r->comm),
		pmg_klog_escape(pmg_klog_exe, f->exe), r->tpid, r->ttid,
		pmg_klog_escape(pmg_klog_path, f->path ?: f->procfs_path),
		pmg_action_word(f->action));
}
