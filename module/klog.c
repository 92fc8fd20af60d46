// SPDX-License-Identifier: GPL-2.0
/*
 * klog.c - findings in the kernel log, while nobody listens.
 *
 * Every string a line carries (comm, executable, path) is chosen by the
 * accessor, so each is escaped: bytes outside printable ASCII (space
 * aside), '"' and '\' become \xNN, so a line can neither be split nor
 * made to look like another. Long strings are cut, ending in "...".
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
		bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';

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

static const char *pmg_access_word(u8 bit)
{
	return bit == PMG_ACCESS_READ ? "read" :
	       bit == PMG_ACCESS_WRITE ? "write" : "attach";
}

static const char *pmg_action_word(u8 action)
{
	return action == PMG_ACTION_BLOCK ? "block" :
	       action == PMG_ACTION_ALLOW ? "allow" : "alert";
}

static const char *pmg_outcome_word(u8 outcome)
{
	static const char * const words[] = {
		[PMG_OUTCOME_GRANTED] = "granted",
		[PMG_OUTCOME_REFUSED] = "refused",
		[PMG_OUTCOME_BLOCKED] = "blocked",
		[PMG_OUTCOME_UNKNOWN] = "unknown",
	};

	return outcome < ARRAY_SIZE(words) && words[outcome] ?
	       words[outcome] : "unknown";
}

static const char *pmg_reason_word(u8 reason)
{
	static const char * const words[] = {
		[PMG_REASON_RING_FULL] = "ring full",
		[PMG_REASON_BUDGET] = "user's share of the ring full",
		[PMG_REASON_RATE_LIMIT] = "rate limit",
		[PMG_REASON_LOG_LIMIT] = "kernel log limit",
		[PMG_REASON_SEND] = "not sent to every listener",
	};

	return reason < ARRAY_SIZE(words) && words[reason] ?
	       words[reason] : "?";
}

/* The signature as its name is written: TRC-<n> below 2000, else PMG-<n>. */
static const char *pmg_sig_prefix(u32 sig)
{
	return sig < 2000 ? "TRC" : "PMG";
}

/* A summary is not held back by the findings' limit: there are few. */
static void pmg_klog_summary(const struct pmg_finding_ctx *f)
{
	const struct pmg_record *r = f->rec;

	pr_info("%s-%u summary: %u findings not sent one by one (%s): uid=%d pid=%u comm=\"%s\" exe=\"%s\" target=%u over %llu ms\n",
		pmg_sig_prefix(f->sig), f->sig, f->count,
		pmg_reason_word(f->sum->reason), (int)r->euid, r->pid,
		pmg_klog_escape(pmg_klog_comm, r->comm),
		pmg_klog_escape(pmg_klog_exe, f->exe), r->tpid,
		div_u64(f->sum->last_ns - f->sum->first_ns, NSEC_PER_MSEC));
}

bool pmg_klog_finding(const struct pmg_finding_ctx *f)
{
	const struct pmg_record *r = f->rec;
	u8 bit = 0;
	unsigned int i;

	if (f->sum) {
		if (READ_ONCE(pmg_param_log))
			pmg_klog_summary(f);
		return true;
	}
	pmg_stat_add(PMG_S_LOGGED, 1);
	if (!READ_ONCE(pmg_param_log))
		return true;
	if (!__ratelimit(&pmg_log_rs)) {
		pmg_stat_add(PMG_S_LOG_RATELIMITED, 1);
		return false;
	}
	for (i = 0; i < 3 && !bit; i++)
		if (pmg_signature(r->channel, BIT(i)) == f->sig)
			bit = BIT(i);
	pr_info("%s-%u %s: pid=%u tid=%u uid=%u euid=%u comm=\"%s\" exe=\"%s\" target=%u tid=%u path=\"%s\" action=%s outcome=%s\n",
		pmg_sig_prefix(f->sig), f->sig, pmg_access_word(bit), r->pid,
		r->tid, r->uid, r->euid,
		pmg_klog_escape(pmg_klog_comm, r->comm),
		pmg_klog_escape(pmg_klog_exe, f->exe), r->tpid, r->ttid,
		pmg_klog_escape(pmg_klog_path, f->path ?: f->procfs_path),
		pmg_action_word(f->action), pmg_outcome_word(r->outcome));
	return true;
}

void pmg_klog_notice(const struct pmg_notice *n, u64 seq)
{
	static const char * const types[] = {
		[PMG_NOTICE_DISARMED] = "probe disarmed",
		[PMG_NOTICE_ARMED] = "probe armed",
		[PMG_NOTICE_POLICY] = "policy changed",
		[PMG_NOTICE_UNLOAD] = "unloading",
	};
	const char *type = n->type < ARRAY_SIZE(types) && types[n->type] ?
			   types[n->type] : "notice";

	if (n->pid)
		pr_notice("%s: %s (by pid=%u uid=%d comm=\"%s\" exe=\"%s\")\n",
			  type, pmg_klog_escape(pmg_klog_path, n->detail),
			  n->pid, (int)n->uid,
			  pmg_klog_escape(pmg_klog_comm, n->comm),
			  pmg_klog_escape(pmg_klog_exe, n->exe));
	else
		pr_notice("%s: %s\n", type,
			  pmg_klog_escape(pmg_klog_path, n->detail));
}
