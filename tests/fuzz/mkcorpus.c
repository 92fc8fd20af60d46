// SPDX-License-Identifier: GPL-2.0
/*
 * mkcorpus - writes the seed corpora of the fuzz targets:
 *   mkcorpus MATCH_DIR DECODE_DIR
 * MATCH_DIR gets inputs for fuzz_match (flags byte, optional self, path),
 * DECODE_DIR netlink buffers for fuzz_decode: finding messages as the
 * module builds them (family id 30, cmd PMG_CMD_FINDING, PMG_A_FINDING
 * and PMG_A_NOTICE nests), with every field, with few, with odd bytes in
 * strings, every channel, summaries, notices alone and mixed with
 * findings (with a sequence gap), several findings and messages per
 * buffer, and a few almost-valid ones.
 * tests/fuzz/check.sh builds and runs it for every fuzzing run, so the
 * seeds always follow include/procmem_guard.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "procmem_guard.h"

#define FAMILY	30

static const char *dir;

static void out(const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* ---- fuzz_match ---- */

static void match_seed(const char *name, int self, uint32_t tgid,
		       uint32_t tid, const char *path)
{
	unsigned char b[512];
	size_t n = 0;

	b[n++] = self ? 1 : 0;
	if (self) {
		memcpy(b + n, &tgid, 4);
		memcpy(b + n + 4, &tid, 4);
		n += 8;
	}
	memcpy(b + n, path, strlen(path));
	out(name, b, n + strlen(path));
}

static void names_seed(const char *name, const char *const *names, int k)
{
	unsigned char b[512];
	size_t n = 0, l;
	int i;

	b[n++] = 0;
	for (i = 0; i < k; i++) {
		l = strlen(names[i]);
		b[n++] = (unsigned char)l;
		memcpy(b + n, names[i], l);
		n += l;
	}
	out(name, b, n);
}

static void match_corpus(void)
{
	static const char *const n1[] = { "1", "mem" };
	static const char *const n2[] = { "4194303", "task", "17", "mem" };
	static const char *const n3[] = { "01", "mem" };
	static const char *const n4[] = { "12", "task", "12", "mem", "x" };

	match_seed("pid-mem", 0, 0, 0, "/1/mem");
	match_seed("pid-mem-relative", 0, 0, 0, "812/mem");
	match_seed("pid-mem-max", 0, 0, 0, "/4194303/mem");
	match_seed("pid-mem-limit", 0, 0, 0, "/4194304/mem");
	match_seed("pid-zero", 0, 0, 0, "/0/mem");
	match_seed("pid-leading-zero", 0, 0, 0, "/007/mem");
	match_seed("pid-sign", 0, 0, 0, "/+1/mem");
	match_seed("task-mem", 0, 0, 0, "/1/task/1/mem");
	match_seed("task-mem-big", 0, 0, 0, "/4194303/task/4194303/mem");
	match_seed("task-mem-bad-tid", 0, 0, 0, "/5/task/05/mem");
	match_seed("trailing-slash", 0, 0, 0, "/1/mem/");
	match_seed("double-slash", 0, 0, 0, "/1//mem");
	match_seed("dot", 0, 0, 0, "/./1/mem");
	match_seed("dotdot", 0, 0, 0, "/1/../1/mem");
	match_seed("too-deep", 0, 0, 0, "/1/task/1/mem/x");
	match_seed("other-file", 0, 0, 0, "/1/maps");
	match_seed("self-plain", 0, 0, 0, "/self/mem");
	match_seed("self", 1, 812, 813, "/self/mem");
	match_seed("self-task", 1, 812, 813, "self/task/813/mem");
	match_seed("thread-self", 1, 812, 813, "/thread-self/mem");
	match_seed("thread-self-zero", 1, 0, 0, "/thread-self/mem");
	match_seed("self-huge", 1, 0xffffffffu, 4194303, "/self/mem");
	match_seed("empty", 0, 0, 0, "");
	match_seed("root", 0, 0, 0, "/");
	names_seed("names-pid-mem", n1, 2);
	names_seed("names-task-mem", n2, 4);
	names_seed("names-leading-zero", n3, 2);
	names_seed("names-five", n4, 5);
}

/* ---- fuzz_decode ---- */

#include "msgbuild.h"


/* A message of family and cmd holding the finding o, alone in m. */
static void finding_msg(struct buf *m, uint16_t family, uint8_t cmd,
			const struct fopts *o)
{
	size_t msg;

	m->n = 0;
	msg = msg_begin(m, family, cmd);
	finding(m, o);
	msg_end(m, msg);
}

static void one(const char *name, const struct fopts *o)
{
	static struct buf m;

	finding_msg(&m, FAMILY, PMG_CMD_FINDING, o);
	out(name, m.b, m.n);
}

/* A FINDING message whose one nest holds a signature and then the
 * attribute type with the n bytes at d (a comm without NUL, a u32 field
 * sent as a u64...): each must be refused.
 */
static void bad_attr(const char *name, uint16_t type, const void *d, size_t n)
{
	static struct buf m;
	size_t msg, nest;

	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	nest = attr_begin(&m, PMG_A_FINDING | NLA_F_NESTED);
	u32(&m, PMG_F_SIGNATURE, PMG_SIG_MEM_READ);
	put(&m, type, d, n);
	attr_end(&m, nest, 1);
	msg_end(&m, msg);
	out(name, m.b, m.n);
}

static void decode_corpus(void)
{
	static struct buf m;
	struct fopts base = {
		.sig = PMG_SIG_MEM_READ, .access = PMG_ACCESS_READ,
		.action = PMG_ACTION_ALERT, .kind = PMG_KIND_PID_MEM,
		.exe = "/usr/bin/cat", .path = "/proc/1/mem",
		.procfs = "/1/mem", .tpid = 1, .syscall = ~0u,
		.request = ~0u,
	};
	struct fopts o;
	char longpath[4096];
	size_t msg, nest;
	uint64_t pid64;
	int i;

	one("finding-read", &base);
	o = base;
	o.sig = PMG_SIG_MEM_WRITE;
	o.access = PMG_ACCESS_READ_WRITE;
	o.action = PMG_ACTION_BLOCK;
	one("finding-write-blocked", &o);
	o = base;
	o.kind = PMG_KIND_TASK_MEM;
	o.ttid = 2;
	o.path = "/proc/1/task/2/mem";
	o.procfs = "/1/task/2/mem";
	one("finding-task-mem", &o);
	o = base;
	o.action = PMG_ACTION_ALLOW;
	o.suppressed = 4242;
	o.tpid = 812;
	o.procfs = "/812/mem";
	o.path = "/tmp/p/812/mem";
	one("finding-allowed-self-suppressed", &o);
	o = base;
	o.minimal = 1;
	one("finding-minimal", &o);
	o = base;
	o.exe = NULL;
	o.path = NULL;
	o.tpid = 0;
	o.kind = 0;
	one("finding-without-optional", &o);
	o = base;
	o.comm = "a\"b\\c\nd\x01" "e\xff" "f";
	o.tcomm = "\xe2\x80\xae" "evil\x7f";
	o.exe = "/tmp/\xc3\x28weird \"exe\"\t\x1b[31m";
	one("finding-odd-bytes", &o);
	o = base;
	o.comm = "\xf0\x9f\x98\x80\xed\xa0\x80\xc0\xaf";
	o.path = "/proc/\xe2\x80\xa8/\xe2\x81\xa6mem";
	one("finding-utf8-edge", &o);
	o = base;
	o.sig = 9999;
	o.access = 9;
	o.action = 77;
	o.kind = 5;
	one("finding-unknown-values", &o);
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	o = base;
	o.exe = longpath;
	o.path = longpath;
	one("finding-longest-paths", &o);

	/* Protocol 2: other channels, outcomes, summaries. */
	o = base;
	o.sig = PMG_SIG_PTRACE_INJECT;
	o.channel = PMG_CHANNEL_PTRACE;
	o.access = PMG_ACCESS_WRITE;
	o.outcome = PMG_OUTCOME_GRANTED;
	o.syscall = 26;
	o.compat = 1;
	o.request = 5;
	o.path = NULL;
	o.kind = 0;
	one("finding-ptrace-poke-compat", &o);
	o.sig = PMG_SIG_PTRACE_ATTACH;
	o.access = PMG_ACCESS_ATTACH;
	o.request = 0x4206;
	o.outcome = PMG_OUTCOME_REFUSED;
	o.compat = 0;
	o.syscall = 101;
	one("finding-ptrace-seize-refused", &o);
	o.sig = PMG_SIG_VM_READ;
	o.channel = PMG_CHANNEL_PROCESS_VM;
	o.access = PMG_ACCESS_READ;
	o.syscall = 310;
	o.outcome = PMG_OUTCOME_UNKNOWN;
	one("finding-process-vm-read", &o);
	o.sig = PMG_SIG_PIDFD_GETFD;
	o.channel = PMG_CHANNEL_PIDFD_GETFD;
	o.access = PMG_ACCESS_ATTACH;
	o.syscall = 438;
	o.outcome = PMG_OUTCOME_BLOCKED;
	o.action = PMG_ACTION_BLOCK;
	one("finding-pidfd-getfd-blocked", &o);
	o = base;
	o.channel = PMG_CHANNEL_PROC_MEM;
	o.summary = 4096;
	o.reason = PMG_REASON_RING_FULL;
	o.exe = NULL;
	o.tpid = 0;
	o.path = NULL;
	one("summary-various", &o);

	/* Notices alone, and mixed with findings in sequence order. */
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	notice(&m, 3, PMG_NOTICE_DISARMED, 0, NULL, NULL, "open probe");
	msg_end(&m, msg);
	out("notice-disarmed", m.b, m.n);
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	o = base;
	o.seq = 1;
	finding(&m, &o);
	notice(&m, 2, PMG_NOTICE_POLICY, 900, "procmem-guard",
	       "/usr/sbin/procmem-guard", "apply, write alert->block, rules 0->1");
	o.seq = 5;	/* 3 and 4 lost */
	finding(&m, &o);
	notice(&m, 6, PMG_NOTICE_UNLOAD, 0, NULL, NULL,
	       "the module is being unloaded");
	notice(&m, 7, 99, 1, "\xff\"x\n", "/tmp/\xc3\x28", longpath);
	msg_end(&m, msg);
	out("findings-and-notices-with-gap", m.b, m.n);
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	nest = attr_begin(&m, PMG_A_NOTICE | NLA_F_NESTED);
	u64(&m, PMG_N_SEQ, 1);
	attr_end(&m, nest, 1);
	msg_end(&m, msg);
	out("notice-without-type", m.b, m.n);

	/* The last sequence number twice: no gap, however it wraps. */
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	notice(&m, UINT64_MAX, PMG_NOTICE_POLICY, 0, NULL, NULL, NULL);
	notice(&m, UINT64_MAX, PMG_NOTICE_POLICY, 0, NULL, NULL, NULL);
	notice(&m, 0, PMG_NOTICE_POLICY, 0, NULL, NULL, NULL);
	msg_end(&m, msg);
	out("seq-at-its-maximum-twice", m.b, m.n);

	/* Several findings in one message, several messages in one buffer. */
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	for (i = 0; i < 3; i++)
		finding(&m, &base);
	msg_end(&m, msg);
	out("three-findings", m.b, m.n);
	m.n = 0;
	for (i = 0; i < 2; i++) {
		msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
		finding(&m, &base);
		msg_end(&m, msg);
	}
	msg = m.n;
	{
		struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP };

		memcpy(m.b + m.n, &h, sizeof(h));
		m.n += NLMSG_HDRLEN;
	}
	out("two-messages-and-noop", m.b, m.n);

	/* An unknown attribute, flags on types, no final padding. */
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	put(&m, 77, "x", 1);
	nest = attr_begin(&m, PMG_A_FINDING | NLA_F_NESTED);
	u32(&m, PMG_F_SIGNATURE | NLA_F_NET_BYTEORDER, PMG_SIG_MEM_READ);
	u32(&m, 200, 1);
	str(&m, PMG_F_COMM, "x");
	u32(&m, PMG_F_SIGNATURE, PMG_SIG_MEM_WRITE);	/* repeated: last wins */
	{
		size_t a = attr_begin(&m, PMG_F_ACCESS);

		m.b[m.n++] = 1;
		attr_end(&m, a, 0);
	}
	attr_end(&m, nest, 0);
	{
		uint32_t len = (uint32_t)(m.n - msg);

		memcpy(m.b + msg, &len, 4);
	}
	out("unknown-attrs-unpadded", m.b, m.n);

	/* Almost valid: each must be refused as a whole. */
	finding_msg(&m, FAMILY + 1, PMG_CMD_FINDING, &base);
	out("bad-family", m.b, m.n);
	finding_msg(&m, FAMILY, PMG_CMD_GET_STATUS, &base);
	out("bad-cmd", m.b, m.n);
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	nest = attr_begin(&m, PMG_A_FINDING | NLA_F_NESTED);
	u32(&m, PMG_F_PID, 1);
	attr_end(&m, nest, 1);
	msg_end(&m, msg);
	out("no-signature", m.b, m.n);
	bad_attr("comm-without-nul", PMG_F_COMM, "0123456789abcdef", 16);
	pid64 = 1;
	bad_attr("wrong-size", PMG_F_PID, &pid64, 8);	/* u32 sent as u64 */
	finding_msg(&m, FAMILY, PMG_CMD_FINDING, &base);
	m.b[NLMSG_HDRLEN + GENL_HDRLEN] += 8;	/* nest longer than the message */
	out("nest-overruns", m.b, m.n);
	m.n = 0;
	msg = msg_begin(&m, FAMILY, PMG_CMD_FINDING);
	msg_end(&m, msg);
	out("no-finding", m.b, m.n);
	finding_msg(&m, FAMILY, PMG_CMD_FINDING, &base);
	out("truncated", m.b, m.n - 5);
	/* Replies the other decoders take: a config nest payload, stats. */
	m.n = 0;
	u8(&m, PMG_C_READ, PMG_MODE_BLOCK);
	u8(&m, PMG_C_WRITE, PMG_MODE_ALERT);
	u32(&m, PMG_C_RATELIMIT, 10);
	u32(&m, PMG_C_BURST, 20);
	u8(&m, PMG_C_LOG, 1);
	u8(&m, PMG_C_REPORT_ALLOWED, 0);
	u8(&m, PMG_C_LOCKED, 0);
	u8(&m, PMG_C_ATTACH, PMG_MODE_BLOCK);
	out("config-payload", m.b, m.n);
	m.n = 0;
	for (i = PMG_S_INSPECTED; i < PMG_S_PAD; i++)
		u64(&m, (uint16_t)i, (uint64_t)i * 1000);
	out("stats-payload", m.b, m.n);
	m.n = 0;
	u32(&m, PMG_R_ID, 3);
	u32(&m, PMG_R_EXE_DEV, 2049);
	u64(&m, PMG_R_EXE_INO, 99);
	u32(&m, PMG_R_UID, 0);
	u8(&m, PMG_R_SELF, 1);
	u8(&m, PMG_R_ACCESS, PMG_ACCESS_READ | PMG_ACCESS_ATTACH);
	str(&m, PMG_R_EXE_PATH, "/usr/bin/gdb");
	u8(&m, PMG_R_STALE, 1);
	u8(&m, PMG_R_CHANNELS, (1 << PMG_CHANNEL_PTRACE) | (1 << PMG_CHANNEL_PROC_MEM));
	out("rule-payload", m.b, m.n);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s MATCH_DIR DECODE_DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	match_corpus();
	dir = argv[2];
	decode_corpus();
	return 0;
}
