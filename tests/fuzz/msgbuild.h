/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msgbuild.h - netlink messages of findings and notices built byte by
 * byte, as the module builds them (include/procmem_guard.h), without
 * libnl or tools/: for the fuzzer's seed corpus (mkcorpus.c) and the
 * lines the format checker looks at (tests/format/gen_lines.c).
 */
#ifndef PMG_MSGBUILD_H
#define PMG_MSGBUILD_H

#include <stdint.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <procmem_guard.h>

struct buf {
	unsigned char b[65536];
	size_t n;
};

static inline size_t attr_begin(struct buf *m, uint16_t type)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN, .nla_type = type };
	size_t off = m->n;

	memcpy(m->b + m->n, &a, sizeof(a));
	m->n += NLA_HDRLEN;
	return off;
}

static inline void attr_end(struct buf *m, size_t off, int pad)
{
	uint16_t len = (uint16_t)(m->n - off);

	memcpy(m->b + off, &len, 2);
	while (pad && (m->n & 3))
		m->b[m->n++] = 0;
}

static inline void put(struct buf *m, uint16_t type, const void *d, size_t n)
{
	size_t off = attr_begin(m, type);

	memcpy(m->b + m->n, d, n);
	m->n += n;
	attr_end(m, off, 1);
}

static inline void u8(struct buf *m, uint16_t t, uint8_t v) { put(m, t, &v, 1); }
static inline void u32(struct buf *m, uint16_t t, uint32_t v) { put(m, t, &v, 4); }
static inline void u64(struct buf *m, uint16_t t, uint64_t v) { put(m, t, &v, 8); }
static inline void str(struct buf *m, uint16_t t, const char *s) { put(m, t, s, strlen(s) + 1); }

static inline size_t msg_begin(struct buf *m, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_seq = 0 };
	struct genlmsghdr g = { .cmd = cmd, .version = PMG_GENL_VERSION };
	size_t off = m->n;

	memcpy(m->b + m->n, &h, sizeof(h));
	m->n += NLMSG_HDRLEN;
	memcpy(m->b + m->n, &g, sizeof(g));
	m->n += GENL_HDRLEN;
	return off;
}

static inline void msg_end(struct buf *m, size_t off)
{
	uint32_t len = (uint32_t)(m->n - off);

	memcpy(m->b + off, &len, 4);
	while (m->n & 3)
		m->b[m->n++] = 0;
}

struct fopts {
	uint32_t sig;
	uint8_t access, action, kind;
	const char *comm, *exe, *path, *procfs, *tcomm;
	uint32_t tpid, ttid, suppressed;
	int minimal;
	uint64_t seq;		/* 0: 7 */
	uint8_t channel, outcome, reason;	/* protocol 2; 0: absent */
	uint32_t syscall, request, summary;	/* ~0u: absent */
	int compat;
};

static inline void finding(struct buf *m, const struct fopts *o)
{
	size_t nest = attr_begin(m, PMG_A_FINDING | NLA_F_NESTED);

	u64(m, PMG_F_SEQ, o->seq ? o->seq : 7);
	u32(m, PMG_F_SIGNATURE, o->sig);
	if (o->channel)
		u8(m, PMG_F_CHANNEL, o->channel);
	if (o->outcome)
		u8(m, PMG_F_OUTCOME, o->outcome);
	if (o->syscall != ~0u && o->syscall) {
		u32(m, PMG_F_SYSCALL, o->syscall);
		if (o->compat)
			u8(m, PMG_F_COMPAT, 1);
	}
	if (o->request != ~0u && o->channel == PMG_CHANNEL_PTRACE)
		u32(m, PMG_F_REQUEST, o->request);
	if (o->summary) {
		u32(m, PMG_F_SUMMARY, o->summary);
		u8(m, PMG_F_REASON, o->reason);
		u64(m, PMG_F_FIRST_NS, 1795741322000000000ULL);
	}
	if (!o->minimal) {
		u8(m, PMG_F_ACCESS, o->access);
		u32(m, PMG_F_FLAGS, o->access == 3 ? 0x8002 : 0x8000);
		u8(m, PMG_F_ACTION, o->action);
		u64(m, PMG_F_TIME_NS, 1795741323123456789ULL);
		if (o->kind)
			u8(m, PMG_F_KIND, o->kind);
		u32(m, PMG_F_PID, 812);
		u32(m, PMG_F_TID, 812);
		u32(m, PMG_F_PPID, 640);
		u32(m, PMG_F_VPID, 812);
		u32(m, PMG_F_VTID, 812);
		u32(m, PMG_F_VPPID, 640);
		u32(m, PMG_F_UID, 0);
		u32(m, PMG_F_EUID, 0);
		u32(m, PMG_F_GID, 0);
		str(m, PMG_F_COMM, o->comm ? o->comm : "cat");
		if (o->exe) {
			str(m, PMG_F_EXE, o->exe);
			u32(m, PMG_F_EXE_DEV, 2049);
			u64(m, PMG_F_EXE_INO, 1234567);
		}
		u64(m, PMG_F_CGROUP_ID, 1234);
		u32(m, PMG_F_PIDNS, 4026531836u);
		u32(m, PMG_F_MNTNS, 4026531841u);
		if (o->tpid) {
			u32(m, PMG_F_TARGET_PID, o->tpid);
			u32(m, PMG_F_TARGET_VPID, o->tpid);
			str(m, PMG_F_TARGET_COMM, o->tcomm ? o->tcomm : "systemd");
			u8(m, PMG_F_TARGET_SELF, o->tpid == 812);
		}
		if (o->ttid) {
			u32(m, PMG_F_TARGET_TID, o->ttid);
			u32(m, PMG_F_TARGET_VTID, o->ttid);
		}
		if (o->path)
			str(m, PMG_F_PATH, o->path);
		str(m, PMG_F_PROCFS_PATH, o->procfs ? o->procfs : "/1/mem");
		u32(m, PMG_F_DEV, 22);
		u64(m, PMG_F_INO, 41523);
		if (o->suppressed)
			u32(m, PMG_F_SUPPRESSED, o->suppressed);
	}
	attr_end(m, nest, 1);
}

/* A notice of type, with who when pid is not 0. */
static inline void notice(struct buf *m, uint64_t seq, uint8_t type,
			  uint32_t pid, const char *comm, const char *exe,
			  const char *detail)
{
	size_t nest = attr_begin(m, PMG_A_NOTICE | NLA_F_NESTED);

	u64(m, PMG_N_SEQ, seq);
	u8(m, PMG_N_TYPE, type);
	u64(m, PMG_N_TIME_NS, 1795741324000000000ULL);
	if (pid) {
		u32(m, PMG_N_PID, pid);
		u32(m, PMG_N_UID, 0);
		str(m, PMG_N_COMM, comm);
		u8(m, PMG_N_CMD, PMG_CMD_APPLY);
	}
	if (exe)
		str(m, PMG_N_EXE, exe);
	if (detail)
		str(m, PMG_N_DETAIL, detail);
	attr_end(m, nest, 1);
}

#endif /* PMG_MSGBUILD_H */
