/* SPDX-License-Identifier: GPL-2.0 */
/*
 * synth.h - datagrams of findings as the module multicasts them, built in
 * memory for the listener benchmark (listenbench.c): one generic netlink
 * message per datagram, findings added until the message reaches the
 * module's batch size (about 16 KiB), each carrying the attributes the
 * module sends for an open of /proc/<pid>/mem (module/sink.c).
 */
#ifndef PMG_SYNTH_H
#define PMG_SYNTH_H

#include <stdint.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <procmem_guard.h>

#define SYNTH_BATCH	(16384 - 320)	/* what the module fills, about */

struct synth {
	unsigned char *b;
	size_t n, cap;
	size_t nest;		/* offset of the open nest */
	uint64_t seq;
	uint64_t time_ns;
};

static inline void synth_put(struct synth *s, int type, const void *p,
			     size_t len)
{
	struct nlattr a = { (uint16_t)(NLA_HDRLEN + len), (uint16_t)type };

	memcpy(s->b + s->n, &a, sizeof(a));
	memcpy(s->b + s->n + NLA_HDRLEN, p, len);
	memset(s->b + s->n + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(len) - len);
	s->n += NLA_HDRLEN + NLA_ALIGN(len);
}

#define SYNTH_U(s, type, v) do {					\
	__typeof__(v) _v = (v);						\
	synth_put(s, type, &_v, sizeof(_v));				\
} while (0)

static inline void synth_str(struct synth *s, int type, const char *str)
{
	synth_put(s, type, str, strlen(str) + 1);
}

/* One finding of accessor pid reading target's mem. */
static inline void synth_finding(struct synth *s, uint32_t pid,
				 uint32_t target)
{
	struct nlattr a = { 0, PMG_A_FINDING | NLA_F_NESTED };
	size_t start = s->n;
	char path[64], procfs[64];

	snprintf(path, sizeof(path), "/proc/%u/mem", target);
	snprintf(procfs, sizeof(procfs), "/%u/mem", target);
	s->n += NLA_HDRLEN;
	SYNTH_U(s, PMG_F_SEQ, (uint64_t)++s->seq);
	SYNTH_U(s, PMG_F_SIGNATURE, (uint32_t)PMG_SIG_MEM_READ);
	SYNTH_U(s, PMG_F_CHANNEL, (uint8_t)PMG_CHANNEL_PROC_MEM);
	SYNTH_U(s, PMG_F_ACCESS, (uint8_t)PMG_ACCESS_READ);
	SYNTH_U(s, PMG_F_ACTION, (uint8_t)PMG_ACTION_ALERT);
	s->time_ns += 12345;
	SYNTH_U(s, PMG_F_TIME_NS, s->time_ns);
	SYNTH_U(s, PMG_F_PID, pid);
	SYNTH_U(s, PMG_F_TID, pid);
	SYNTH_U(s, PMG_F_PPID, (uint32_t)812);
	SYNTH_U(s, PMG_F_VPID, pid);
	SYNTH_U(s, PMG_F_VTID, pid);
	SYNTH_U(s, PMG_F_VPPID, (uint32_t)812);
	SYNTH_U(s, PMG_F_UID, (uint32_t)0);
	SYNTH_U(s, PMG_F_EUID, (uint32_t)0);
	SYNTH_U(s, PMG_F_GID, (uint32_t)0);
	synth_str(s, PMG_F_COMM, "cat");
	synth_str(s, PMG_F_EXE, "/usr/bin/cat");
	SYNTH_U(s, PMG_F_EXE_DEV, (uint32_t)0x800001);
	SYNTH_U(s, PMG_F_EXE_INO, (uint64_t)1311237);
	SYNTH_U(s, PMG_F_CGROUP_ID, (uint64_t)7412);
	SYNTH_U(s, PMG_F_PIDNS, (uint32_t)4026531836u);
	SYNTH_U(s, PMG_F_MNTNS, (uint32_t)4026531841u);
	SYNTH_U(s, PMG_F_SYSCALL, (uint32_t)257);
	SYNTH_U(s, PMG_F_TARGET_PID, target);
	SYNTH_U(s, PMG_F_TARGET_VPID, target);
	synth_str(s, PMG_F_TARGET_COMM, "sshd");
	SYNTH_U(s, PMG_F_TARGET_SELF, (uint8_t)0);
	SYNTH_U(s, PMG_F_OUTCOME, (uint8_t)PMG_OUTCOME_GRANTED);
	SYNTH_U(s, PMG_F_KIND, (uint8_t)PMG_KIND_PID_MEM);
	synth_str(s, PMG_F_PATH, path);
	synth_str(s, PMG_F_PROCFS_PATH, procfs);
	SYNTH_U(s, PMG_F_DEV, (uint32_t)22);
	SYNTH_U(s, PMG_F_INO, (uint64_t)81234 + target);
	SYNTH_U(s, PMG_F_FLAGS, (uint32_t)0100000);
	a.nla_len = (uint16_t)(s->n - start);
	memcpy(s->b + start, &a, sizeof(a));
}

/*
 * One datagram of findings into s->b (which holds at least 64 KiB):
 * returns its length and how many findings it holds in *count.
 */
static inline size_t synth_datagram(struct synth *s, int family,
				    uint32_t pid, int *count)
{
	struct nlmsghdr h = { 0 };
	struct genlmsghdr g = { PMG_CMD_FINDING, PMG_GENL_VERSION, 0 };

	s->n = NLMSG_HDRLEN + GENL_HDRLEN;
	*count = 0;
	while (s->n < SYNTH_BATCH - 400) {
		synth_finding(s, pid, 1000 + (uint32_t)(*count % 50));
		(*count)++;
	}
	h.nlmsg_len = (uint32_t)s->n;
	h.nlmsg_type = (uint16_t)family;
	memcpy(s->b, &h, sizeof(h));
	memcpy(s->b + NLMSG_HDRLEN, &g, sizeof(g));
	return s->n;
}

#endif /* PMG_SYNTH_H */
