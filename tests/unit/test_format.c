// SPDX-License-Identifier: GPL-2.0
/*
 * test_format.c - decoding findings from netlink messages built in memory,
 * and formatting them as text, JSON and Tracee JSON.
 *
 * Build (from the top of the tree, after `make -C tools`):
 *   cc -I include -I build/kselftest -I tools tests/unit/test_format.c \
 *      tools/libpmg.a $(pkg-config --cflags --libs libnl-genl-3.0 json-c) \
 *      -o build/unit/test_format
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "kselftest_harness.h"

#include "codec.h"
#include "escape.h"
#include "format.h"

#define FAMILY		0x1b	/* any generic netlink family id */
#define MAX_FOUND	8

/* The bytes every formatter must get through unharmed. */
static const char weird_comm[] = "a\"b\\c\nd\001e\377";
/* Valid UTF-8 (e-acute, an emoji), an RLO mark, and bad sequences. */
static const char weird_path[] =
	"/tmp/\xc3\xa9/\xf0\x9f\x98\x80/\xe2\x80\xae/\xc3/\xed\xa0\x80/"
	"\xe0\x80\xaf/\xf4\x90\x80\x80/\x7f/mem";

/* --- building messages ----------------------------------------------------- */

static uint64_t time_ns_of(int y, int mo, int d, int h, int mi, int s,
			   uint64_t ns)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = s,
	};

	return (uint64_t)timegm(&tm) * 1000000000u + ns;
}

static void set_str(struct pmg_finding *f, int attr, struct pmg_str *dst,
		    const char *s)
{
	dst->p = s;
	dst->n = (uint32_t)strlen(s);
	PMG_SET(f, attr);
}

static struct pmg_str str_of(const char *s)
{
	return (struct pmg_str){ s, (uint32_t)strlen(s) };
}

#define SET(f, attr, member, v) do { (f)->member = (v); PMG_SET(f, attr); } while (0)

/* A read of /proc/1/mem by cat, every attribute present. */
static void full_finding(struct pmg_finding *f)
{
	memset(f, 0, sizeof(*f));
	SET(f, PMG_F_SEQ, seq, 7);
	SET(f, PMG_F_SIGNATURE, signature, PMG_SIG_MEM_READ);
	SET(f, PMG_F_ACCESS, access, PMG_ACCESS_READ);
	SET(f, PMG_F_FLAGS, flags, 0100000);
	SET(f, PMG_F_ACTION, action, PMG_ACTION_ALERT);
	SET(f, PMG_F_TIME_NS, time_ns,
	    time_ns_of(2026, 11, 27, 1, 2, 3, 123456789));
	SET(f, PMG_F_KIND, kind, PMG_KIND_PID_MEM);
	SET(f, PMG_F_PID, pid, 1234);
	SET(f, PMG_F_TID, tid, 1235);
	SET(f, PMG_F_PPID, ppid, 1000);
	SET(f, PMG_F_VPID, vpid, 34);
	SET(f, PMG_F_VTID, vtid, 35);
	SET(f, PMG_F_VPPID, vppid, 1);
	SET(f, PMG_F_UID, uid, 1000);
	SET(f, PMG_F_EUID, euid, 0);
	SET(f, PMG_F_GID, gid, 1001);
	set_str(f, PMG_F_COMM, &f->comm, "cat");
	set_str(f, PMG_F_EXE, &f->exe, "/usr/bin/cat");
	SET(f, PMG_F_EXE_DEV, exe_dev, 2049);
	SET(f, PMG_F_EXE_INO, exe_ino, 131073);
	SET(f, PMG_F_CGROUP_ID, cgroup_id, UINT64_C(0xfffffffffffff001));
	SET(f, PMG_F_PIDNS, pidns, 4026531836u);
	SET(f, PMG_F_MNTNS, mntns, 4026531841u);
	SET(f, PMG_F_TARGET_PID, target_pid, 1);
	SET(f, PMG_F_TARGET_VPID, target_vpid, 1);
	SET(f, PMG_F_TARGET_VTID, target_vtid, 1);
	set_str(f, PMG_F_TARGET_COMM, &f->target_comm, "systemd");
	SET(f, PMG_F_TARGET_SELF, target_self, false);
	set_str(f, PMG_F_PATH, &f->path, "/proc/1/mem");
	set_str(f, PMG_F_PROCFS_PATH, &f->procfs_path, "/1/mem");
	SET(f, PMG_F_DEV, dev, 22);
	SET(f, PMG_F_INO, ino, 81234);
	SET(f, PMG_F_SUPPRESSED, suppressed, 0);
}

/* A write to /proc/77/task/78/mem, blocked. */
static void write_finding(struct pmg_finding *f)
{
	full_finding(f);
	f->signature = PMG_SIG_MEM_WRITE;
	f->access = PMG_ACCESS_WRITE;
	f->flags = 01;
	f->action = PMG_ACTION_BLOCK;
	f->kind = PMG_KIND_TASK_MEM;
	f->target_pid = 77;
	SET(f, PMG_F_TARGET_TID, target_tid, 78);
	f->path = str_of("/proc/77/task/78/mem");
	f->procfs_path = str_of("/77/task/78/mem");
}

#define P(type, attr, v) \
	(PMG_HAS(f, attr) && nla_put_##type(m, attr, v))

/*
 * Every present field of *f, written here independently of the library
 * (codec.c), so that the decoder is tested against another encoder.
 */
static int put_fields(struct nl_msg *m, const struct pmg_finding *f)
{
	return P(u64, PMG_F_SEQ, f->seq) ||
	       P(u32, PMG_F_SIGNATURE, f->signature) ||
	       P(u8, PMG_F_ACCESS, f->access) ||
	       P(u32, PMG_F_FLAGS, f->flags) ||
	       P(u8, PMG_F_ACTION, f->action) ||
	       P(u64, PMG_F_TIME_NS, f->time_ns) ||
	       P(u8, PMG_F_KIND, f->kind) ||
	       P(u32, PMG_F_PID, f->pid) || P(u32, PMG_F_TID, f->tid) ||
	       P(u32, PMG_F_PPID, f->ppid) || P(u32, PMG_F_VPID, f->vpid) ||
	       P(u32, PMG_F_VTID, f->vtid) || P(u32, PMG_F_VPPID, f->vppid) ||
	       P(u32, PMG_F_UID, f->uid) || P(u32, PMG_F_EUID, f->euid) ||
	       P(u32, PMG_F_GID, f->gid) ||
	       P(string, PMG_F_COMM, f->comm.p) ||
	       P(string, PMG_F_EXE, f->exe.p) ||
	       P(u32, PMG_F_EXE_DEV, f->exe_dev) ||
	       P(u64, PMG_F_EXE_INO, f->exe_ino) ||
	       P(u64, PMG_F_CGROUP_ID, f->cgroup_id) ||
	       P(u32, PMG_F_PIDNS, f->pidns) ||
	       P(u32, PMG_F_MNTNS, f->mntns) ||
	       P(u32, PMG_F_TARGET_PID, f->target_pid) ||
	       P(u32, PMG_F_TARGET_TID, f->target_tid) ||
	       P(u32, PMG_F_TARGET_VPID, f->target_vpid) ||
	       P(u32, PMG_F_TARGET_VTID, f->target_vtid) ||
	       P(string, PMG_F_TARGET_COMM, f->target_comm.p) ||
	       P(u8, PMG_F_TARGET_SELF, f->target_self) ||
	       P(string, PMG_F_PATH, f->path.p) ||
	       P(string, PMG_F_PROCFS_PATH, f->procfs_path.p) ||
	       P(u32, PMG_F_DEV, f->dev) ||
	       P(u64, PMG_F_INO, f->ino) ||
	       P(u32, PMG_F_SUPPRESSED, f->suppressed);
}

/* Equal findings: the same fields, the same bytes in their strings. */
static bool same_str(struct pmg_str a, struct pmg_str b)
{
	return a.n == b.n && (!a.n || !memcmp(a.p, b.p, a.n)) &&
	       (!a.p) == (!b.p);
}

static bool same_finding(const struct pmg_finding *a,
			 const struct pmg_finding *b)
{
	struct pmg_finding x = *a, y = *b;
	static const size_t strs[] = {
		offsetof(struct pmg_finding, comm),
		offsetof(struct pmg_finding, exe),
		offsetof(struct pmg_finding, target_comm),
		offsetof(struct pmg_finding, path),
		offsetof(struct pmg_finding, procfs_path),
	};
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		struct pmg_str *sx = (void *)((char *)&x + strs[i]);
		struct pmg_str *sy = (void *)((char *)&y + strs[i]);

		if (!same_str(*sx, *sy))
			return false;
		memset(sx, 0, sizeof(*sx));
		memset(sy, 0, sizeof(*sy));
	}
	return !memcmp(&x, &y, sizeof(x));
}

/* One PMG_A_FINDING nest holding every present field of *f. */
static int put_finding(struct nl_msg *m, const struct pmg_finding *f)
{
	struct nlattr *nest = nla_nest_start(m, PMG_A_FINDING | NLA_F_NESTED);

	if (!nest || put_fields(m, f))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc_size(64 * 1024);

	if (m && !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, FAMILY, 0, 0, cmd,
			      PMG_GENL_VERSION)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* A FINDING message with the given findings. */
static struct nl_msg *finding_msg(const struct pmg_finding *f, int n)
{
	struct nl_msg *m = new_msg(PMG_CMD_FINDING);
	int i;

	for (i = 0; m && i < n; i++) {
		if (put_finding(m, &f[i])) {
			nlmsg_free(m);
			return NULL;
		}
	}
	return m;
}

static size_t msg_len(struct nl_msg *m)
{
	return nlmsg_hdr(m)->nlmsg_len;
}

/* --- decoding into an array -------------------------------------------------- */

struct found {
	int n;
	struct pmg_finding f[MAX_FOUND];
};

static int collect(const struct pmg_finding *f, void *arg)
{
	struct found *fo = arg;

	if (fo->n == MAX_FOUND)
		return -ENOSPC;
	fo->f[fo->n++] = *f;
	return 0;
}

static int decode(const void *buf, size_t len, struct found *fo)
{
	memset(fo, 0, sizeof(*fo));
	return pmg_decode_msg(buf, len, FAMILY, collect, fo);
}

/* --- JSON access --------------------------------------------------------------- */

/* Follow a dotted path ("process.comm"); true if every key exists. */
static bool jfind(json_object *o, const char *path, json_object **out)
{
	char buf[128], *save = NULL, *key;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key;
	     key = strtok_r(NULL, ".", &save)) {
		if (!o || !json_object_object_get_ex(o, key, &o))
			return false;
	}
	*out = o;
	return true;
}

#define J(root, path) ({						\
	json_object *_v = NULL;						\
	ASSERT_TRUE(jfind(root, path, &_v)) TH_LOG("no key %s", path);	\
	_v; })

/* What a JSON value must be: its type, and its value unless null. */
enum jkind { J_STR, J_INT, J_U64, J_BOOL, J_NULL };

struct jwant {
	const char *path;	/* dotted, as jfind() takes it */
	enum jkind kind;
	const char *s;
	int64_t i;		/* J_INT, J_BOOL */
	uint64_t u;		/* J_U64 */
};

#define JS(p, v)	{ (p), J_STR, .s = (v) }
#define JI(p, v)	{ (p), J_INT, .i = (v) }
#define JU(p, v)	{ (p), J_U64, .u = (v) }
#define JB(p, v)	{ (p), J_BOOL, .i = (v) }
#define JN(p)		{ (p), J_NULL, .s = NULL }

/* The value at w->path has w's type (asserted first), then w's value. */
static void jcheck(struct __test_metadata *_metadata, json_object *root,
		   const struct jwant *w)
{
	static const struct {
		json_type type;
		const char *what;
	} kinds[] = {
		[J_STR] = { json_type_string, "a string" },
		[J_INT] = { json_type_int, "an integer" },
		[J_U64] = { json_type_int, "an integer" },
		[J_BOOL] = { json_type_boolean, "a boolean" },
		[J_NULL] = { json_type_null, "null" },
	};
	json_object *j = J(root, w->path);

	ASSERT_EQ((int)kinds[w->kind].type, (int)json_object_get_type(j))
		TH_LOG("%s is not %s", w->path, kinds[w->kind].what);
	switch (w->kind) {
	case J_STR:
		ASSERT_STREQ(w->s, json_object_get_string(j)) TH_LOG("%s", w->path);
		break;
	case J_INT:
		ASSERT_EQ(w->i, json_object_get_int64(j)) TH_LOG("%s", w->path);
		break;
	case J_U64:
		ASSERT_EQ(w->u, json_object_get_uint64(j)) TH_LOG("%s", w->path);
		break;
	case J_BOOL:
		ASSERT_EQ(!!w->i, json_object_get_boolean(j)) TH_LOG("%s", w->path);
		break;
	case J_NULL:
		break;
	}
}

/* Every expectation of a table, in order. */
static void check_json(struct __test_metadata *_metadata, json_object *root,
		       const struct jwant *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		jcheck(_metadata, root, &w[i]);
}

#define ASSERT_JSON(root, table) \
	check_json(_metadata, root, table, sizeof(table) / sizeof((table)[0]))
#define ASSERT_J(root, want)	jcheck(_metadata, root, &(const struct jwant)want)
#define ASSERT_JINT(root, path, val)	ASSERT_J(root, JI(path, val))
#define ASSERT_JU64(root, path, val)	ASSERT_J(root, JU(path, val))
#define ASSERT_JSTR(root, path, val)	ASSERT_J(root, JS(path, val))
#define ASSERT_JBOOL(root, path, val)	ASSERT_J(root, JB(path, val))
#define ASSERT_JNULL(root, path)	ASSERT_J(root, JN(path))

/*
 * The exact bytes of the string value of the n-th (0-based) occurrence of
 * "key": in a JSON line, decoded with the surrogateescape convention.
 */
static long raw_value(const char *line, const char *key, int nth,
		      char *out, size_t outsz)
{
	char pat[64];
	const char *p = line, *start, *q;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	for (;;) {
		p = strstr(p, pat);
		if (!p)
			return -ENOENT;
		if (nth-- == 0)
			break;
		p++;
	}
	start = p + strlen(pat);
	for (q = start; *q && *q != '"'; q++)
		if (*q == '\\' && q[1])
			q++;
	if (*q != '"')
		return -EINVAL;
	return pmg_json_unescape(start, (size_t)(q - start), out, outsz);
}

static json_object *format_json(const struct pmg_finding *f, char **line)
{
	*line = pmg_format_finding(f, PMG_FORMAT_JSON, NULL);
	return *line ? json_tokener_parse(*line) : NULL;
}

/* --- tests: decoding ------------------------------------------------------------ */

TEST(decode_full_finding)
{
	struct pmg_finding want;
	struct nl_msg *m;
	struct found fo;

	full_finding(&want);
	m = finding_msg(&want, 1);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(1, decode(nlmsg_hdr(m), msg_len(m), &fo));
	ASSERT_EQ(1, fo.n);
	EXPECT_EQ(want.present, fo.f[0].present);
	EXPECT_STREQ("cat", fo.f[0].comm.p);
	EXPECT_STREQ("/proc/1/mem", fo.f[0].path.p);
	EXPECT_EQ(UINT64_C(0xfffffffffffff001), fo.f[0].cgroup_id);
	EXPECT_TRUE(same_finding(&want, &fo.f[0]));
	nlmsg_free(m);
}

TEST(decode_several_findings_and_messages)
{
	struct pmg_finding f[3];
	struct nl_msg *a, *b;
	unsigned char buf[16384];
	size_t la, lb;
	struct found fo;

	full_finding(&f[0]);
	write_finding(&f[1]);
	full_finding(&f[2]);
	f[2].seq = 9;
	a = finding_msg(f, 2);
	b = finding_msg(&f[2], 1);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	la = NLMSG_ALIGN(msg_len(a));
	lb = msg_len(b);
	ASSERT_LT(la + lb, sizeof(buf));
	memset(buf, 0, sizeof(buf));
	memcpy(buf, nlmsg_hdr(a), msg_len(a));
	memcpy(buf + la, nlmsg_hdr(b), lb);

	ASSERT_EQ(3, decode(buf, la + lb, &fo));
	EXPECT_EQ(7u, fo.f[0].seq);
	EXPECT_EQ((uint32_t)PMG_SIG_MEM_WRITE, fo.f[1].signature);
	EXPECT_EQ(78u, fo.f[1].target_tid);
	EXPECT_EQ(9u, fo.f[2].seq);
	nlmsg_free(a);
	nlmsg_free(b);
}

TEST(decode_unaligned_buffer)
{
	struct pmg_finding want;
	unsigned char *buf;
	struct nl_msg *m;
	struct found fo;

	full_finding(&want);
	m = finding_msg(&want, 1);
	ASSERT_NE(NULL, m);
	buf = malloc(msg_len(m) + 1);
	ASSERT_NE(NULL, buf);
	memcpy(buf + 1, nlmsg_hdr(m), msg_len(m));
	ASSERT_EQ(1, decode(buf + 1, msg_len(m), &fo));
	EXPECT_TRUE(same_finding(&want, &fo.f[0]));
	free(buf);
	nlmsg_free(m);
}

TEST(decode_nest_directly)
{
	struct pmg_finding want, got;
	struct nl_msg *m;
	struct nlattr *nest;

	full_finding(&want);
	m = finding_msg(&want, 1);
	ASSERT_NE(NULL, m);
	nest = (struct nlattr *)((char *)nlmsg_data(nlmsg_hdr(m)) + GENL_HDRLEN);
	ASSERT_EQ(0, pmg_decode_finding(nest, &got));
	EXPECT_TRUE(same_finding(&want, &got));
	nlmsg_free(m);
}

TEST(decode_skips_pad_unknown_and_noop)
{
	unsigned char buf[8192];
	struct pmg_finding want;
	struct nlattr *nest;
	struct nlmsghdr noop = {
		.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
	};
	struct nl_msg *m;
	struct found fo;

	memset(&want, 0, sizeof(want));
	SET(&want, PMG_F_SIGNATURE, signature, PMG_SIG_MEM_READ);
	m = new_msg(PMG_CMD_FINDING);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, nla_put_u32(m, 40, 5));	/* unknown top-level */
	nest = nla_nest_start(m, PMG_A_FINDING | NLA_F_NESTED);
	ASSERT_EQ(0, nla_put(m, PMG_F_PAD, 0, NULL));
	ASSERT_EQ(0, nla_put_u32(m, PMG_F_SIGNATURE, PMG_SIG_MEM_READ));
	ASSERT_EQ(0, nla_put_u64(m, 200, 1));	/* unknown, from the future */
	nla_nest_end(m, nest);

	memcpy(buf, &noop, sizeof(noop));
	memcpy(buf + NLMSG_HDRLEN, nlmsg_hdr(m), msg_len(m));
	ASSERT_EQ(1, decode(buf, NLMSG_HDRLEN + msg_len(m), &fo));
	EXPECT_TRUE(same_finding(&want, &fo.f[0]));
	nlmsg_free(m);
}

/* A message whose one finding nest holds the given raw attribute. */
static struct nl_msg *msg_with_attr(int type, const void *data, int len)
{
	struct nl_msg *m = new_msg(PMG_CMD_FINDING);
	struct nlattr *nest;

	if (!m)
		return NULL;
	nest = nla_nest_start(m, PMG_A_FINDING | NLA_F_NESTED);
	if (nla_put_u32(m, PMG_F_SIGNATURE, PMG_SIG_MEM_READ) ||
	    nla_put(m, type, len, data)) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, nest);
	return m;
}

TEST(decode_rejects_bad_attributes)
{
	static const struct {
		int type;
		const char *data;
		int len;
	} bad[] = {
		{ PMG_F_PID, "\1\0\0", 3 },		/* u32 too short */
		{ PMG_F_PID, "\1\0\0\0\0", 5 },		/* u32 too long */
		{ PMG_F_SEQ, "\1\0\0\0", 4 },		/* u64 too short */
		{ PMG_F_ACCESS, "\1\0", 2 },		/* u8 too long */
		{ PMG_F_ACCESS, "", 0 },		/* u8 empty */
		{ PMG_F_COMM, "cat", 3 },		/* no NUL */
		{ PMG_F_COMM, "", 0 },			/* empty string */
		{ PMG_F_COMM, "0123456789abcdef", 17 },	/* 16 > 15 bytes */
	};
	struct found fo;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nl_msg *m = msg_with_attr(bad[i].type, bad[i].data,
						 bad[i].len);

		ASSERT_NE(NULL, m);
		EXPECT_EQ(-EBADMSG, decode(nlmsg_hdr(m), msg_len(m), &fo))
			TH_LOG("case %zu", i);
		EXPECT_EQ(0, fo.n);
		nlmsg_free(m);
	}
}

TEST(decode_accepts_longest_comm)
{
	struct nl_msg *m = msg_with_attr(PMG_F_COMM, "0123456789abcde", 16);
	struct found fo;

	ASSERT_NE(NULL, m);
	ASSERT_EQ(1, decode(nlmsg_hdr(m), msg_len(m), &fo));
	EXPECT_STREQ("0123456789abcde", fo.f[0].comm.p);
	nlmsg_free(m);
}

TEST(decode_rejects_bad_messages)
{
	struct pmg_finding f;
	struct nl_msg *m;
	struct found fo;
	unsigned char buf[8192];
	size_t len;

	/* Wrong family, then wrong command, then no finding at all. */
	full_finding(&f);
	m = finding_msg(&f, 1);
	ASSERT_NE(NULL, m);
	len = msg_len(m);
	EXPECT_EQ(-EBADMSG, pmg_decode_msg(nlmsg_hdr(m), len, FAMILY + 1,
					   collect, &fo));
	nlmsg_free(m);

	m = new_msg(PMG_CMD_GET_STATS);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, put_finding(m, &f));
	EXPECT_EQ(-EBADMSG, decode(nlmsg_hdr(m), msg_len(m), &fo));
	nlmsg_free(m);

	m = new_msg(PMG_CMD_FINDING);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(-EBADMSG, decode(nlmsg_hdr(m), msg_len(m), &fo));
	nlmsg_free(m);

	/* Trailing bytes after a good message. */
	m = finding_msg(&f, 1);
	ASSERT_NE(NULL, m);
	len = msg_len(m);
	ASSERT_LT(len + 3, sizeof(buf));
	memcpy(buf, nlmsg_hdr(m), len);
	memset(buf + len, 0, 3);
	EXPECT_EQ(1, decode(buf, len, &fo));
	EXPECT_EQ(-EBADMSG, decode(buf, len + 3, &fo));
	nlmsg_free(m);

	/* A finding without a signature. */
	memset(&f, 0, sizeof(f));
	SET(&f, PMG_F_PID, pid, 1);
	m = finding_msg(&f, 1);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(-EBADMSG, decode(nlmsg_hdr(m), msg_len(m), &fo));
	nlmsg_free(m);

	/* Empty and tiny buffers. */
	EXPECT_EQ(-EBADMSG, decode(buf, 0, &fo));
	EXPECT_EQ(-EBADMSG, decode(NULL, 0, &fo));
	EXPECT_EQ(-EBADMSG, decode(buf, 1, &fo));
	EXPECT_EQ(0, fo.n);
}

TEST(decode_rejects_every_truncation)
{
	struct pmg_finding f;
	struct nlmsghdr *h;
	unsigned char *buf;
	struct nl_msg *m;
	struct found fo;
	size_t len, cut;

	full_finding(&f);
	m = finding_msg(&f, 1);
	ASSERT_NE(NULL, m);
	len = msg_len(m);
	for (cut = 0; cut < len; cut++) {
		/* Exactly cut bytes, so ASan sees any read past them. */
		buf = malloc(cut ? cut : 1);
		ASSERT_NE(NULL, buf);
		memcpy(buf, nlmsg_hdr(m), cut);
		EXPECT_EQ(-EBADMSG, decode(buf, cut, &fo)) TH_LOG("cut %zu", cut);
		if (cut >= sizeof(*h)) {
			/* The header agrees with the cut: inner lengths lie. */
			h = (struct nlmsghdr *)buf;
			h->nlmsg_len = (uint32_t)cut;
			EXPECT_EQ(-EBADMSG, decode(buf, cut, &fo))
				TH_LOG("cut %zu, header fixed", cut);
		}
		EXPECT_EQ(0, fo.n);
		free(buf);
	}
	nlmsg_free(m);
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

TEST(decode_survives_mutations)
{
	struct pmg_finding f[2];
	unsigned char *buf;
	struct nl_msg *m;
	struct found fo;
	size_t len;
	int i, k, r, ok = 0;

	full_finding(&f[0]);
	write_finding(&f[1]);
	m = finding_msg(f, 2);
	ASSERT_NE(NULL, m);
	len = msg_len(m);
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < 20000; i++) {
		memcpy(buf, nlmsg_hdr(m), len);
		for (k = 0; k < 1 + (int)(rnd() % 4); k++)
			buf[rnd() % len] = (unsigned char)rnd();
		r = decode(buf, len - (rnd() % 3 == 0 ? rnd() % len : 0), &fo);
		ASSERT_TRUE(r == -EBADMSG || (r > 0 && r == fo.n))
			TH_LOG("iteration %d: %d", i, r);
		ok += r > 0;
	}
	TH_LOG("%d of 20000 mutated messages still decoded", ok);
	free(buf);
	nlmsg_free(m);
}

TEST(decode_survives_random_bytes)
{
	unsigned char buf[512];
	struct nlmsghdr h;
	struct found fo;
	size_t len, i;
	int n, r;

	for (n = 0; n < 20000; n++) {
		len = rnd() % sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = (unsigned char)rnd();
		if (len >= sizeof(h) && n % 2) {
			/* Plausible header, random body. */
			h.nlmsg_len = (uint32_t)len;
			h.nlmsg_type = FAMILY;
			memcpy(buf, &h, 8);
			buf[NLMSG_HDRLEN] = PMG_CMD_FINDING;
		}
		r = decode(buf, len, &fo);
		ASSERT_TRUE(r == -EBADMSG || r == -ENOSPC || r == fo.n);
	}
}

/* --- tests: escaping -------------------------------------------------------------- */

static char *escape_json(const char *s, size_t n)
{
	struct printbuf *pb = printbuf_new();
	char *out;

	if (!pb || pmg_json_escape(pb, s, n)) {
		printbuf_free(pb);
		return NULL;
	}
	out = strdup(pb->buf);
	printbuf_free(pb);
	return out;
}

static bool plain_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

TEST(escape_json_exact_text)
{
	char *e = escape_json(weird_comm, strlen(weird_comm));

	ASSERT_NE(NULL, e);
	EXPECT_STREQ("a\\\"b\\\\c\\nd\\u0001e\\udcff", e);
	free(e);

	e = escape_json(weird_path, strlen(weird_path));
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("/tmp/\xc3\xa9/\xf0\x9f\x98\x80/\\u202e/\\udcc3/"
		     "\\udced\\udca0\\udc80/\\udce0\\udc80\\udcaf/"
		     "\\udcf4\\udc90\\udc80\\udc80/\\u007f/mem", e);
	free(e);
}

static void check_roundtrip(struct __test_metadata *_metadata,
			    const unsigned char *s, size_t n)
{
	char back[256];
	char *e = escape_json((const char *)s, n);
	long k;

	ASSERT_NE(NULL, e);
	ASSERT_TRUE(plain_printable(e));
	/* What comes out is valid UTF-8. */
	for (k = 0; e[k]; ) {
		size_t l = pmg_utf8_seq((const unsigned char *)e + k,
					strlen(e + k));
		ASSERT_NE(0u, l);
		k += (long)l;
	}
	k = pmg_json_unescape(e, strlen(e), back, sizeof(back));
	ASSERT_EQ((long)n, k);
	ASSERT_EQ(0, memcmp(s, back, n));
	free(e);
}

TEST(escape_json_roundtrip_all_pairs)
{
	unsigned char s[2];
	int a, b;

	for (a = 1; a < 256; a++) {
		for (b = 1; b < 256; b++) {
			s[0] = (unsigned char)a;
			s[1] = (unsigned char)b;
			check_roundtrip(_metadata, s, 2);
		}
	}
}

TEST(escape_json_roundtrip_random)
{
	unsigned char s[40];
	size_t n, i;
	int it;

	for (it = 0; it < 20000; it++) {
		n = rnd() % sizeof(s);
		for (i = 0; i < n; i++) {
			s[i] = (unsigned char)rnd();
			if (!s[i] || rnd() % 2)
				s[i] = (unsigned char)(0x80 | (rnd() & 0x7f));
		}
		check_roundtrip(_metadata, s, n);
	}
}

TEST(unescape_rejects_bad_literals)
{
	static const char *const bad[] = {
		"\\", "\\x41", "\\u12", "\\u12g4", "\"", "a\nb",
		"\\ud800", "\\ud800\\u0041", "\\udc00", "\\udd00",
	};
	char out[16];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, pmg_json_unescape(bad[i], strlen(bad[i]),
						     out, sizeof(out)))
			TH_LOG("case %zu", i);
	EXPECT_EQ(4, pmg_json_unescape("\\ud83d\\ude00", 12, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(out, "\xf0\x9f\x98\x80", 4));
	EXPECT_EQ(-ENOSPC, pmg_json_unescape("abc", 3, out, 2));
}

TEST(escape_text)
{
	struct printbuf *pb = printbuf_new();

	ASSERT_NE(NULL, pb);
	ASSERT_EQ(0, pmg_text_escape(pb, weird_comm, strlen(weird_comm)));
	EXPECT_STREQ("a\\\"b\\\\c\\nd\\x01e\\xff", pb->buf);
	printbuf_reset(pb);
	ASSERT_EQ(0, pmg_text_escape(pb, "\xc2\x9b" "1m\xe2\x80\xae\xc3\xa9",
				     9));
	EXPECT_STREQ("\\xc2\\x9b1m\\u202e\xc3\xa9", pb->buf);
	printbuf_free(pb);
}

/* --- tests: JSON ---------------------------------------------------------------------- */

TEST(json_read_finding_field_by_field)
{
	static const struct jwant want[] = {
		JS("time", "2026-11-27T01:02:03.123456789Z"),
		JU("seq", 7),
		JS("signature", "TRC-1023"),
		JS("event", "proc_mem_access"),
		JS("name", "Process memory access detected"),
		JI("severity", 3),
		JS("category", "credential-access"),
		JS("technique", "Proc Filesystem"),
		JS("mitre", "T1003.007"),
		JS("action", "alert"),
		JS("access", "read"),
		JI("flags", 0100000),
		JS("kind", "pid-mem"),
		JS("path", "/proc/1/mem"),
		JS("procfs_path", "/1/mem"),
		JI("suppressed", 0),

		JI("process.pid", 1234),
		JI("process.tid", 1235),
		JI("process.ppid", 1000),
		JI("process.vpid", 34),
		JI("process.vtid", 35),
		JI("process.vppid", 1),
		JI("process.uid", 1000),
		JI("process.euid", 0),
		JI("process.gid", 1001),
		JS("process.comm", "cat"),
		JS("process.exe", "/usr/bin/cat"),
		JI("process.exe_dev", 2049),
		JU("process.exe_inode", 131073),
		JU("process.cgroup_id", UINT64_C(0xfffffffffffff001)),
		JI("process.pid_ns", 4026531836u),
		JI("process.mnt_ns", 4026531841u),

		JI("target.pid", 1),
		JN("target.tid"),
		JI("target.vpid", 1),
		JI("target.vtid", 1),
		JS("target.comm", "systemd"),
		JB("target.self", false),

		JI("file.dev", 22),
		JU("file.inode", 81234),
	};

	struct pmg_finding f;
	json_object *o;
	char *line;

	full_finding(&f);
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o) TH_LOG("not JSON: %s", line);
	EXPECT_EQ(NULL, strchr(line, '\n'));
	ASSERT_EQ((int)json_type_object, (int)json_object_get_type(o));

	ASSERT_JSON(o, want);

	/* No escaped slashes; the keys come in the documented order. */
	EXPECT_EQ(NULL, strstr(line, "\\/"));
	EXPECT_EQ(line, strstr(line, "{\"time\":\"2026-11-27T01:02:03.123456789Z\","
				"\"seq\":7,\"signature\":\"TRC-1023\","));
	json_object_put(o);
	free(line);
}

TEST(json_write_finding)
{
	static const struct jwant want[] = {
		JS("signature", "TRC-1024"),
		JS("event", "proc_mem_code_injection"),
		JS("name",
		   "Code injection detected through /proc/<pid>/mem file"),
		JS("category", "defense-evasion"),
		JS("technique", "Proc Memory"),
		JS("mitre", "T1055.009"),
		JS("action", "block"),
		JS("access", "write"),
		JS("kind", "task-mem"),
		JI("target.pid", 77),
		JI("target.tid", 78),
		JS("path", "/proc/77/task/78/mem"),
	};

	struct pmg_finding f;
	json_object *o;
	char *line;

	write_finding(&f);
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o);
	ASSERT_JSON(o, want);
	json_object_put(o);
	free(line);
}

TEST(json_absent_fields_are_null)
{
	static const char *const nulls[] = {
		"time", "seq", "action", "access", "flags", "kind", "path",
		"procfs_path", "suppressed", "process.pid", "process.tid",
		"process.ppid", "process.vpid", "process.vtid",
		"process.vppid", "process.uid", "process.euid", "process.gid",
		"process.comm", "process.exe", "process.exe_dev",
		"process.exe_inode", "process.cgroup_id", "process.pid_ns",
		"process.mnt_ns", "target.pid", "target.tid", "target.vpid",
		"target.vtid", "target.comm", "target.self", "file.dev",
		"file.inode",
	};
	struct pmg_finding f;
	json_object *o;
	char *line;
	size_t i;

	memset(&f, 0, sizeof(f));
	SET(&f, PMG_F_SIGNATURE, signature, PMG_SIG_MEM_READ);
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o);
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		ASSERT_JNULL(o, nulls[i]);
	ASSERT_JSTR(o, "signature", "TRC-1023");
	json_object_put(o);
	free(line);
}

TEST(json_unknown_values)
{
	static const struct jwant want[] = {
		JS("signature", "TRC-1999"),
		JN("event"),
		JN("name"),
		JN("severity"),
		JN("mitre"),
		JN("access"),
		JN("action"),
	};

	struct pmg_finding f;
	json_object *o;
	char *line;

	full_finding(&f);
	f.signature = 1999;
	f.access = 9;
	f.action = 0;
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o);
	ASSERT_JSON(o, want);
	json_object_put(o);
	free(line);
}

TEST(json_weird_bytes_roundtrip)
{
	struct pmg_finding want;
	struct nl_msg *m;
	struct found fo;
	json_object *o;
	char *line, back[PMG_PATH_LEN];
	long n;

	full_finding(&want);
	want.comm = str_of(weird_comm);
	want.target_comm = str_of(weird_comm);
	want.exe = str_of(weird_path);
	m = finding_msg(&want, 1);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(1, decode(nlmsg_hdr(m), msg_len(m), &fo));
	ASSERT_TRUE(same_finding(&want, &fo.f[0]));

	o = format_json(&fo.f[0], &line);
	ASSERT_NE(NULL, o) TH_LOG("json-c refused: %s", line);
	EXPECT_EQ(NULL, strchr(line, '\n'));
	ASSERT_TRUE(plain_printable(line));
	EXPECT_NE(NULL, strstr(line,
		"\"comm\":\"a\\\"b\\\\c\\nd\\u0001e\\udcff\""));

	n = raw_value(line, "comm", 0, back, sizeof(back));
	ASSERT_EQ((long)strlen(weird_comm), n);
	EXPECT_EQ(0, memcmp(weird_comm, back, (size_t)n));
	n = raw_value(line, "comm", 1, back, sizeof(back));
	ASSERT_EQ((long)strlen(weird_comm), n);
	EXPECT_EQ(0, memcmp(weird_comm, back, (size_t)n));
	n = raw_value(line, "exe", 0, back, sizeof(back));
	ASSERT_EQ((long)strlen(weird_path), n);
	EXPECT_EQ(0, memcmp(weird_path, back, (size_t)n));

	/* json-c takes the line; it shows the lone surrogate as U+FFFD. */
	ASSERT_JSTR(o, "process.comm", "a\"b\\c\nd\001e\xef\xbf\xbd");
	json_object_put(o);
	free(line);
	nlmsg_free(m);
}

/* --- tests: Tracee ---------------------------------------------------------------------- */

TEST(tracee_shape)
{
	static const struct jwant want[] = {
		JI("processId", 34),
		JI("threadId", 35),
		JI("parentProcessId", 1),
		JI("hostProcessId", 1234),
		JI("hostThreadId", 1235),
		JI("hostParentProcessId", 1000),
		JI("userId", 1000),
		JI("mountNamespace", 4026531841u),
		JI("pidNamespace", 4026531836u),
		JS("processName", "cat"),
		JS("executable.path", "/usr/bin/cat"),
		JS("hostName", "testhost"),
		JU("cgroupId", UINT64_C(0xfffffffffffff001)),
		JS("eventName", "security_file_open"),
		JI("argsNum", 4),
		JI("returnValue", 0),
	};

	static const struct jwant metadata[] = {
		JS("metadata.Version", "1"),
		JS("metadata.Description",
		   "Process memory access detected. Adversaries may access "
		   "other processes memory to steal credentials and secrets."),
		JS("metadata.Properties.signatureID", "TRC-1023"),
		JS("metadata.Properties.signatureName",
		   "Process memory access detected"),
		JI("metadata.Properties.Severity", 3),
		JS("metadata.Properties.Category", "credential-access"),
		JS("metadata.Properties.Technique", "Proc Filesystem"),
		JS("metadata.Properties.external_id", "T1003.007"),
		JS("metadata.Properties.id",
		   "attack-pattern--3120b9fa-23b8-4500-ae73-09494f607b7d"),
		JS("metadata.Properties.Kubernetes_Technique", ""),
	};

	struct pmg_finding f;
	json_object *o, *args, *a;
	char *line;
	static const char *const names[] = { "pathname", "flags", "dev", "inode" };
	static const char *const types[] = {
		"const char*", "int", "dev_t", "unsigned long",
	};
	int i;

	full_finding(&f);
	line = pmg_format_finding(&f, PMG_FORMAT_TRACEE, "testhost");
	ASSERT_NE(NULL, line);
	o = json_tokener_parse(line);
	ASSERT_NE(NULL, o) TH_LOG("not JSON: %s", line);

	ASSERT_JU64(o, "timestamp", f.time_ns);
	ASSERT_JSON(o, want);

	args = J(o, "args");
	ASSERT_EQ((int)json_type_array, (int)json_object_get_type(args));
	ASSERT_EQ(4, (int)json_object_array_length(args));
	for (i = 0; i < 4; i++) {
		a = json_object_array_get_idx(args, i);
		ASSERT_JSTR(a, "name", names[i]);
		ASSERT_JSTR(a, "type", types[i]);
	}
	ASSERT_JSTR(json_object_array_get_idx(args, 0), "value", "/proc/1/mem");
	ASSERT_JINT(json_object_array_get_idx(args, 1), "value", 0100000);
	ASSERT_JINT(json_object_array_get_idx(args, 2), "value", 22);
	ASSERT_JU64(json_object_array_get_idx(args, 3), "value", 81234);

	ASSERT_JSON(o, metadata);
	json_object_put(o);
	free(line);
}

TEST(tracee_write_blocked)
{
	static const struct jwant want[] = {
		JI("returnValue", -13),
		JN("hostName"),
		JS("metadata.Properties.signatureID", "TRC-1024"),
		JS("metadata.Properties.signatureName",
		   "Code injection detected through /proc/<pid>/mem file"),
		JS("metadata.Properties.Category", "defense-evasion"),
		JS("metadata.Properties.Technique", "Proc Memory"),
		JS("metadata.Properties.external_id", "T1055.009"),
		JS("metadata.Properties.id",
		   "attack-pattern--d201d4cc-214d-4a74-a1ba-b3fa09fd4591"),
	};

	struct pmg_finding f;
	json_object *o;
	char *line;

	write_finding(&f);
	f.comm = str_of(weird_comm);
	line = pmg_format_finding(&f, PMG_FORMAT_TRACEE, NULL);
	ASSERT_NE(NULL, line);
	o = json_tokener_parse(line);
	ASSERT_NE(NULL, o);
	ASSERT_JSON(o, want);
	EXPECT_NE(NULL, strstr(line,
		"\"processName\":\"a\\\"b\\\\c\\nd\\u0001e\\udcff\""));
	json_object_put(o);
	free(line);
}

/* --- tests: text ------------------------------------------------------------------------- */

TEST(text_line)
{
	struct pmg_finding f;
	char *line;

	full_finding(&f);
	f.comm = str_of(weird_comm);
	line = pmg_format_finding(&f, PMG_FORMAT_TEXT, NULL);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ("2026-11-27T01:02:03.123456789Z TRC-1023 alert read "
		     "pid=1234 uid=1000 euid=0 comm=\"a\\\"b\\\\c\\nd\\x01e\\xff\" "
		     "exe=\"/usr/bin/cat\" target_pid=1 target_comm=\"systemd\" "
		     "path=\"/proc/1/mem\" flags=0100000 suppressed=0 seq=7",
		     line);
	free(line);

	write_finding(&f);
	line = pmg_format_finding(&f, PMG_FORMAT_TEXT, NULL);
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, " TRC-1024 block write "));
	EXPECT_NE(NULL, strstr(line, " target_tid=78"));
	free(line);

	memset(&f, 0, sizeof(f));
	SET(&f, PMG_F_SIGNATURE, signature, PMG_SIG_MEM_WRITE);
	line = pmg_format_finding(&f, PMG_FORMAT_TEXT, NULL);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ("? TRC-1024 ? ? pid=? uid=? euid=? comm=? exe=? "
		     "target_pid=? target_comm=? path=?", line);
	free(line);
}

TEST(time_format)
{
	char buf[64];

	ASSERT_EQ(0, pmg_format_time(0, buf, sizeof(buf)));
	EXPECT_STREQ("1970-01-01T00:00:00.000000000Z", buf);
	ASSERT_EQ(0, pmg_format_time(time_ns_of(2026, 11, 27, 1, 2, 3, 5),
				     buf, sizeof(buf)));
	EXPECT_STREQ("2026-11-27T01:02:03.000000005Z", buf);
	EXPECT_EQ(-ENOSPC, pmg_format_time(0, buf, 20));
}

TEST(format_names)
{
	enum pmg_format fmt;

	ASSERT_EQ(0, pmg_format_parse("tracee", &fmt));
	EXPECT_EQ(PMG_FORMAT_TRACEE, (int)fmt);
	EXPECT_EQ(-EINVAL, pmg_format_parse("xml", &fmt));
	EXPECT_STREQ("read-write", pmg_access_name(PMG_ACCESS_READ_WRITE));
	EXPECT_EQ(NULL, pmg_access_name(0));
	EXPECT_STREQ("block", pmg_mode_name(PMG_MODE_BLOCK));
	EXPECT_STREQ("drop_ring_full", pmg_stat_name(PMG_S_DROP_RING_FULL));
	EXPECT_STREQ("inflight", pmg_stat_name(PMG_S_INFLIGHT));
	EXPECT_EQ(NULL, pmg_stat_name(PMG_S_PAD));
}

TEST_HARNESS_MAIN
