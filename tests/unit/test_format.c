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
#include "jw.h"
#include "lines.h"
#include "listener.h"

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

/* --- lines ------------------------------------------------------------------------ */

static struct pmg_lines lines;

/* The line of f in fmt (max bytes at most), with a fixed host. */
static const char *fmt_finding(const struct pmg_finding *f,
			       enum pmg_format fmt, size_t max)
{
	struct pmg_line_meta m;

	pmg_lines_free(&lines);
	if (pmg_lines_init(&lines, fmt, max))
		return NULL;
	strcpy(lines.hostname, "testhost");
	strcpy(lines.boot_id, "0123456789abcdef0123456789abcdef");
	strcpy(lines.machine_id, "fedcba9876543210fedcba9876543210");
	if (pmg_lines_finding(&lines, f, &m))
		return NULL;
	return lines.line.p;
}

/*
 * json-c, strict and checking UTF-8, must take the whole line as one
 * object.
 */
static json_object *parse_strict(const char *s)
{
	struct json_tokener *t = json_tokener_new();
	json_object *o;

	if (!t)
		return NULL;
	json_tokener_set_flags(t, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(t, s, (int)strlen(s));
	if (json_tokener_get_error(t) != json_tokener_success ||
	    json_tokener_get_parse_end(t) != strlen(s) ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(t);
	return o;
}

static json_object *format_json(const struct pmg_finding *f, char **line)
{
	const char *s = fmt_finding(f, PMG_FORMAT_JSON, PMG_MAX_LINE_DEFAULT);

	*line = s ? strdup(s) : NULL;
	return *line ? parse_strict(*line) : NULL;
}

/* The exact bytes a "*_b64" member at path holds. */
static long b64_at(json_object *root, const char *path, char *out,
		   size_t outsz)
{
	json_object *v;

	if (!jfind(root, path, &v) || !json_object_is_type(v, json_type_string))
		return -ENOENT;
	return pmg_b64_decode(json_object_get_string(v),
			      (size_t)json_object_get_string_len(v), out,
			      outsz);
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

/* --- tests: protocol 2 ------------------------------------------------------------ */

/* A finding with every attribute protocol 2 added. */
static void ptrace_finding(struct pmg_finding *f)
{
	full_finding(f);
	f->present &= ~(PMG_BIT(PMG_F_PATH) | PMG_BIT(PMG_F_PROCFS_PATH) |
			PMG_BIT(PMG_F_KIND) | PMG_BIT(PMG_F_FLAGS) |
			PMG_BIT(PMG_F_DEV) | PMG_BIT(PMG_F_INO));
	memset(&f->path, 0, sizeof(f->path));
	memset(&f->procfs_path, 0, sizeof(f->procfs_path));
	f->ino = f->dev = f->flags = f->kind = 0;
	f->signature = PMG_SIG_PTRACE_INJECT;
	f->access = PMG_ACCESS_WRITE;
	SET(f, PMG_F_CHANNEL, channel, PMG_CHANNEL_PTRACE);
	SET(f, PMG_F_OUTCOME, outcome, PMG_OUTCOME_GRANTED);
	SET(f, PMG_F_SYSCALL, syscall, 26);
	SET(f, PMG_F_COMPAT, compat, true);
	SET(f, PMG_F_REQUEST, request, 5);	/* PTRACE_POKEDATA */
}

/* A summary of 12 findings (ring full), exe and target unknown. */
static void summary_finding(struct pmg_finding *f)
{
	full_finding(f);
	f->present &= ~(PMG_BIT(PMG_F_PATH) | PMG_BIT(PMG_F_PROCFS_PATH) |
			PMG_BIT(PMG_F_KIND) | PMG_BIT(PMG_F_FLAGS) |
			PMG_BIT(PMG_F_DEV) | PMG_BIT(PMG_F_INO) |
			PMG_BIT(PMG_F_EXE) | PMG_BIT(PMG_F_TARGET_PID) |
			PMG_BIT(PMG_F_TARGET_VPID) | PMG_BIT(PMG_F_TARGET_VTID) |
			PMG_BIT(PMG_F_TARGET_COMM) | PMG_BIT(PMG_F_TARGET_SELF) |
			PMG_BIT(PMG_F_SUPPRESSED));
	memset(&f->path, 0, sizeof(f->path));
	memset(&f->procfs_path, 0, sizeof(f->procfs_path));
	memset(&f->exe, 0, sizeof(f->exe));
	memset(&f->target_comm, 0, sizeof(f->target_comm));
	f->ino = f->dev = f->flags = f->kind = 0;
	f->target_pid = f->target_vpid = f->target_vtid = 0;
	f->suppressed = 0;
	SET(f, PMG_F_CHANNEL, channel, PMG_CHANNEL_PROC_MEM);
	SET(f, PMG_F_SUMMARY, summary, 12);
	SET(f, PMG_F_REASON, reason, PMG_REASON_RING_FULL);
	SET(f, PMG_F_FIRST_NS, first_ns, f->time_ns - 1000000000u);
}

/* Protocol 2's attributes, written independently of codec.c. */
static int put_fields2(struct nl_msg *m, const struct pmg_finding *f)
{
	return P(u8, PMG_F_OUTCOME, f->outcome) ||
	       P(u8, PMG_F_CHANNEL, f->channel) ||
	       P(u32, PMG_F_SYSCALL, f->syscall) ||
	       P(u8, PMG_F_COMPAT, f->compat) ||
	       P(u32, PMG_F_REQUEST, f->request) ||
	       P(u32, PMG_F_SUMMARY, f->summary) ||
	       P(u8, PMG_F_REASON, f->reason) ||
	       P(u64, PMG_F_FIRST_NS, f->first_ns) ||
	       P(u32, PMG_F_PARTIAL, f->partial);
}

static int put_finding2(struct nl_msg *m, const struct pmg_finding *f)
{
	struct nlattr *nest = nla_nest_start(m, PMG_A_FINDING | NLA_F_NESTED);

	if (!nest || put_fields(m, f) || put_fields2(m, f))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

#undef P
#define P(type, attr, v) \
	(PMG_HAS(n, attr) && nla_put_##type(m, attr, v))

static int put_notice(struct nl_msg *m, const struct pmg_notice *n)
{
	struct nlattr *nest = nla_nest_start(m, PMG_A_NOTICE | NLA_F_NESTED);

	if (!nest || P(u64, PMG_N_SEQ, n->seq) || P(u8, PMG_N_TYPE, n->type) ||
	    P(u64, PMG_N_TIME_NS, n->time_ns) || P(u32, PMG_N_PID, n->pid) ||
	    P(u32, PMG_N_UID, n->uid) || P(string, PMG_N_COMM, n->comm.p) ||
	    P(string, PMG_N_EXE, n->exe.p) || P(u8, PMG_N_CMD, n->cmd) ||
	    P(string, PMG_N_DETAIL, n->detail.p))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

#define NSET(n, attr, member, v) do { (n)->member = (v); PMG_SET(n, attr); } while (0)

/* A policy change by "apply", from a shell. */
static void policy_notice(struct pmg_notice *n, uint64_t seq)
{
	memset(n, 0, sizeof(*n));
	NSET(n, PMG_N_SEQ, seq, seq);
	NSET(n, PMG_N_TYPE, type, PMG_NOTICE_POLICY);
	NSET(n, PMG_N_TIME_NS, time_ns, time_ns_of(2026, 11, 27, 1, 2, 4, 0));
	NSET(n, PMG_N_PID, pid, 900);
	NSET(n, PMG_N_UID, uid, 0);
	NSET(n, PMG_N_COMM, comm, str_of("procmem-guard"));
	NSET(n, PMG_N_EXE, exe, str_of("/usr/sbin/procmem-guard"));
	NSET(n, PMG_N_CMD, cmd, PMG_CMD_APPLY);
	NSET(n, PMG_N_DETAIL, detail, str_of("apply, write alert->block"));
}

/* What pmg_decode_items() hands over, in order. */
struct items {
	int n;
	char kind[16];		/* 'f' or 'n' */
	struct pmg_finding f[8];
	struct pmg_notice no[8];
};

static int item_finding(const struct pmg_finding *f, void *arg)
{
	struct items *it = arg;

	if (it->n == 16)
		return -ENOSPC;
	it->f[it->n % 8] = *f;
	it->kind[it->n++] = 'f';
	return 0;
}

static int item_notice(const struct pmg_notice *n, void *arg)
{
	struct items *it = arg;

	if (it->n == 16)
		return -ENOSPC;
	it->no[it->n % 8] = *n;
	it->kind[it->n++] = 'n';
	return 0;
}

static const struct pmg_decode_ops item_ops = { item_finding, item_notice };

TEST(decode_protocol2_attributes)
{
	struct pmg_finding want[2], got;
	struct nl_msg *m = new_msg(PMG_CMD_FINDING);
	struct items it = { 0 };

	ptrace_finding(&want[0]);
	summary_finding(&want[1]);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, put_finding2(m, &want[0]));
	ASSERT_EQ(0, put_finding2(m, &want[1]));
	ASSERT_EQ(2, pmg_decode_items(nlmsg_hdr(m), msg_len(m), FAMILY,
				      &item_ops, &it));
	EXPECT_TRUE(same_finding(&want[0], &it.f[0]))

	EXPECT_TRUE(same_finding(&want[1], &it.f[1]));
	got = it.f[0];
	EXPECT_EQ(5u, got.request);
	EXPECT_TRUE(got.compat);
	EXPECT_EQ(12u, it.f[1].summary);
	nlmsg_free(m);
}

TEST(decode_notices_and_findings_in_order)
{
	struct pmg_finding f[2];
	struct pmg_notice n[2];
	struct nl_msg *m = new_msg(PMG_CMD_FINDING), *only;
	struct items it = { 0 };
	struct found fo;

	full_finding(&f[0]);
	write_finding(&f[1]);
	policy_notice(&n[0], 8);
	policy_notice(&n[1], 10);
	n[1].type = PMG_NOTICE_DISARMED;
	n[1].present &= ~(PMG_BIT(PMG_N_PID) | PMG_BIT(PMG_N_UID) |
			  PMG_BIT(PMG_N_COMM) | PMG_BIT(PMG_N_EXE) |
			  PMG_BIT(PMG_N_CMD));
	f[1].seq = 9;
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, put_finding(m, &f[0]));
	ASSERT_EQ(0, put_notice(m, &n[0]));
	ASSERT_EQ(0, put_finding(m, &f[1]));
	ASSERT_EQ(0, put_notice(m, &n[1]));
	ASSERT_EQ(4, pmg_decode_items(nlmsg_hdr(m), msg_len(m), FAMILY,
				      &item_ops, &it));
	EXPECT_EQ(0, memcmp("fnfn", it.kind, 4));
	EXPECT_EQ(7u, it.f[0].seq);
	EXPECT_EQ(8u, it.no[1].seq);
	EXPECT_EQ(PMG_CMD_APPLY, it.no[1].cmd);
	EXPECT_EQ(0, memcmp("apply, write alert->block", it.no[1].detail.p,
			    it.no[1].detail.n));
	EXPECT_EQ(9u, it.f[2].seq);
	EXPECT_EQ(PMG_NOTICE_DISARMED, it.no[3].type);
	EXPECT_FALSE(PMG_HAS(&it.no[3], PMG_N_PID));
	/* The finding-only walk counts findings and skips the notices. */
	EXPECT_EQ(2, decode(nlmsg_hdr(m), msg_len(m), &fo));
	EXPECT_EQ(2, fo.n);
	nlmsg_free(m);

	/* A message of notices only is valid: no findings in it. */
	only = new_msg(PMG_CMD_FINDING);
	ASSERT_NE(NULL, only);
	ASSERT_EQ(0, put_notice(only, &n[1]));
	EXPECT_EQ(0, decode(nlmsg_hdr(only), msg_len(only), &fo));
	memset(&it, 0, sizeof(it));
	EXPECT_EQ(1, pmg_decode_items(nlmsg_hdr(only), msg_len(only), FAMILY,
				      &item_ops, &it));
	nlmsg_free(only);
}

TEST(decode_rejects_bad_notices)
{
	static char longdetail[PMG_PATH_LEN + 1];
	struct pmg_notice n;
	struct nl_msg *m;
	struct found fo;
	struct nlattr *nest;
	int i;

	memset(longdetail, 'x', sizeof(longdetail) - 1);
	for (i = 0; i < 4; i++) {
		m = new_msg(PMG_CMD_FINDING);
		ASSERT_NE(NULL, m);
		policy_notice(&n, 3);
		if (i == 0)	/* no type */
			n.present &= ~PMG_BIT(PMG_N_TYPE);
		if (i == 1)	/* detail too long: 4096 bytes */
			n.detail = str_of(longdetail);
		if (i < 2) {
			ASSERT_EQ(0, put_notice(m, &n));
		} else {
			nest = nla_nest_start(m, PMG_A_NOTICE | NLA_F_NESTED);
			ASSERT_EQ(0, nla_put_u8(m, PMG_N_TYPE, 1));
			if (i == 2) {	/* u64 of 4 bytes */
				ASSERT_EQ(0, nla_put_u32(m, PMG_N_SEQ, 1));
			} else {	/* a comm of 16 bytes */
				ASSERT_EQ(0, nla_put_string(m, PMG_N_COMM,
							    "0123456789abcdef"));
			}
			nla_nest_end(m, nest);
		}
		EXPECT_EQ(-EBADMSG, decode(nlmsg_hdr(m), msg_len(m), &fo))
			TH_LOG("case %d", i);
		nlmsg_free(m);
	}
}

/* The listener's events for one datagram fed to an offline listener. */
static int feed_events(struct pmg_listener *l, struct nl_msg *m,
		       struct pmg_event *ev, int max)
{
	int n = 0;

	if (pmg_listener_feed(l, nlmsg_hdr(m), msg_len(m)))
		return -1;
	while (n < max && !pmg_listener_next(l, 0, &ev[n]) &&
	       ev[n].type != PMG_EV_TIMEOUT)
		n++;
	return n;
}

TEST(listener_gaps_span_findings_and_notices)
{
	struct pmg_listener *l;
	struct pmg_finding f;
	struct pmg_notice n;
	struct pmg_event ev[8];
	struct nl_msg *m;
	unsigned char *bad;

	ASSERT_EQ(0, pmg_listener_open_offline(&l, FAMILY));
	m = new_msg(PMG_CMD_FINDING);
	ASSERT_NE(NULL, m);
	full_finding(&f);
	f.seq = 1;
	ASSERT_EQ(0, put_finding(m, &f));
	policy_notice(&n, 2);
	ASSERT_EQ(0, put_notice(m, &n));
	f.seq = 5;		/* 3 and 4 were lost */
	ASSERT_EQ(0, put_finding(m, &f));
	policy_notice(&n, 6);
	ASSERT_EQ(0, put_notice(m, &n));
	ASSERT_EQ(5, feed_events(l, m, ev, 8));
	EXPECT_EQ(PMG_EV_FINDING, ev[0].type);
	EXPECT_EQ(PMG_EV_NOTICE, ev[1].type);
	EXPECT_EQ(PMG_EV_LOST, ev[2].type);
	EXPECT_EQ(2u, ev[2].lost);
	EXPECT_EQ(PMG_EV_FINDING, ev[3].type);
	EXPECT_EQ(5u, ev[3].finding.seq);
	EXPECT_EQ(PMG_EV_NOTICE, ev[4].type);
	/* Zero copy: the strings point into the listener's buffer. */
	EXPECT_EQ(0, memcmp("cat", ev[3].finding.comm.p, 4));
	EXPECT_EQ(2u, pmg_listener_lost(l));

	/* A datagram whose last item is malformed yields nothing of it. */
	bad = malloc(msg_len(m));
	ASSERT_NE(NULL, bad);
	memcpy(bad, nlmsg_hdr(m), msg_len(m));
	ASSERT_EQ(0, pmg_listener_feed(l, bad, msg_len(m) - 4));
	ASSERT_EQ(0, pmg_listener_next(l, 0, &ev[0]));
	EXPECT_EQ(PMG_EV_BAD, ev[0].type);
	EXPECT_EQ(-EBADMSG, ev[0].err);
	ASSERT_EQ(0, pmg_listener_next(l, 0, &ev[0]));
	EXPECT_EQ(PMG_EV_TIMEOUT, ev[0].type);
	free(bad);
	nlmsg_free(m);
	pmg_listener_close(l);
}

/* The highest sequence number twice is no gap (last + 1 wraps to 0). */
TEST(listener_gap_at_the_highest_sequence_number)
{
	struct pmg_listener *l;
	struct pmg_notice n;
	struct pmg_event ev[8];
	struct nl_msg *m;

	ASSERT_EQ(0, pmg_listener_open_offline(&l, FAMILY));
	m = new_msg(PMG_CMD_FINDING);
	ASSERT_NE(NULL, m);
	policy_notice(&n, UINT64_MAX - 1);
	ASSERT_EQ(0, put_notice(m, &n));
	policy_notice(&n, UINT64_MAX);
	ASSERT_EQ(0, put_notice(m, &n));
	ASSERT_EQ(0, put_notice(m, &n));
	ASSERT_EQ(3, feed_events(l, m, ev, 8));
	EXPECT_EQ(PMG_EV_NOTICE, ev[0].type);
	EXPECT_EQ(PMG_EV_NOTICE, ev[1].type);
	EXPECT_EQ(PMG_EV_NOTICE, ev[2].type);
	EXPECT_EQ(0u, pmg_listener_lost(l));
	nlmsg_free(m);
	pmg_listener_close(l);
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
	EXPECT_STREQ("a\\\"b\\\\c\\nd\\u0001e\xef\xbf\xbd", e);
	free(e);

	e = escape_json(weird_path, strlen(weird_path));
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("/tmp/\xc3\xa9/\xf0\x9f\x98\x80/\\u202e/\xef\xbf\xbd/"
		     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd/"
		     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd/"
		     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd/"
		     "\\u007f/mem", e);
	free(e);
}

/* Every pair of bytes: a JSON string json-c takes, valid UTF-8. */
TEST(escape_json_all_pairs_are_valid_json)
{
	char lit[64], *e;
	unsigned char s[2];
	json_object *o;
	int a, b;

	for (a = 1; a < 256; a++) {
		for (b = 1; b < 256; b++) {
			s[0] = (unsigned char)a;
			s[1] = (unsigned char)b;
			e = escape_json((const char *)s, 2);
			ASSERT_NE(NULL, e);
			ASSERT_TRUE(plain_printable(e));
			ASSERT_TRUE(pmg_utf8_valid(e, strlen(e)));
			snprintf(lit, sizeof(lit), "{\"s\":\"%s\"}", e);
			o = parse_strict(lit);
			ASSERT_NE(NULL, o) TH_LOG("%02x %02x: %s", a, b, lit);
			/* Valid UTF-8 comes back as it went in. */
			if (pmg_utf8_valid((const char *)s, 2))
				ASSERT_EQ(0, memcmp(s, json_object_get_string(
					json_object_object_get(o, "s")), 2));
			json_object_put(o);
			free(e);
		}
	}
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

TEST(base64_round_trip_and_strictness)
{
	static const char *const bad[] = {
		"A", "AB", "ABC", "A===", "AB=C", "AB=A", "ABC*", "AB==AB==",
		"AQ==AQ==", "AR==",	/* padding bits not zero */
	};
	struct pmg_buf b = { 0 };
	unsigned char s[64];
	char out[64];
	size_t n, i;
	int it;

	for (it = 0; it < 2000; it++) {
		n = rnd() % sizeof(s);
		for (i = 0; i < n; i++)
			s[i] = (unsigned char)rnd();
		b.len = 0;
		pmg_b64_put(&b, s, n);
		ASSERT_FALSE(b.oom);
		ASSERT_EQ((n + 2) / 3 * 4, b.len);
		ASSERT_EQ((long)n, pmg_b64_decode(b.p, b.len, out, sizeof(out)));
		ASSERT_EQ(0, memcmp(s, out, n));
	}
	pmg_buf_free(&b);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, pmg_b64_decode(bad[i], strlen(bad[i]), out,
						  sizeof(out)))
			TH_LOG("case %zu", i);
	EXPECT_EQ(-ENOSPC, pmg_b64_decode("AAAA", 4, out, 2));
	EXPECT_EQ(0, pmg_b64_decode("", 0, out, 0));
}

/* --- tests: JSON ---------------------------------------------------------------------- */

TEST(json_read_finding_field_by_field)
{
	static const struct jwant want[] = {
		JS("type", "finding"),
		JS("time", "2026-11-27T01:02:03.123456789Z"),
		JU("seq", 7),
		JS("signature", "TRC-1023"),
		JS("event", "proc_mem_access"),
		JS("name", "Process memory access detected"),
		JI("severity", 3),
		JS("category", "credential-access"),
		JS("technique", "Proc Filesystem"),
		JS("mitre", "T1003.007"),
		JN("channel"),
		JS("action", "alert"),
		JN("outcome"),
		JS("access", "read"),
		JI("flags", 0100000),
		JS("kind", "pid-mem"),
		JS("path", "/proc/1/mem"),
		JS("procfs_path", "/1/mem"),
		JN("partial"),
		JI("suppressed", 0),
		JN("syscall"),
		JN("request"),
		JN("summary"),

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
		JS("hostname", "testhost"),
		JS("boot_id", "0123456789abcdef0123456789abcdef"),
	};

	struct pmg_finding f;
	json_object *o, *v;
	char *line;

	full_finding(&f);
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o) TH_LOG("not JSON: %s", line);
	EXPECT_EQ(NULL, strchr(line, '\n'));
	ASSERT_EQ((int)json_type_object, (int)json_object_get_type(o));

	ASSERT_JSON(o, want);
	/* Only valid UTF-8: no exact bytes alongside, nothing cut. */
	EXPECT_FALSE(jfind(o, "process.comm_b64", &v));
	EXPECT_FALSE(jfind(o, "truncated", &v));

	/* No escaped slashes; "type" comes first, then "time". */
	EXPECT_EQ(NULL, strstr(line, "\\/"));
	EXPECT_EQ(line, strstr(line, "{\"type\":\"finding\",\"time\":"
				"\"2026-11-27T01:02:03.123456789Z\","
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

TEST(json_protocol2_fields)
{
	static const struct jwant want[] = {
		JS("signature", "TRC-103"),
		JS("event", "ptrace_code_injection"),
		JS("mitre", "T1055.008"),
		JS("channel", "ptrace"),
		JS("outcome", "granted"),
		JS("access", "write"),
		JI("syscall.nr", 26),
		JS("syscall.name", "ptrace"),
		JB("syscall.compat", true),
		JI("request.nr", 5),
		JS("request.name", "PTRACE_POKEDATA"),
		JN("path"),
		JN("kind"),
		JN("summary"),
	};
	static const struct jwant sum[] = {
		JS("type", "summary"),
		JI("summary.count", 12),
		JS("summary.reason", "ring-full"),
		JS("summary.first_time", "2026-11-27T01:02:02.123456789Z"),
		JN("process.exe"),
		JN("target.pid"),
		JN("target.comm"),
		JS("channel", "proc-mem"),
	};
	struct pmg_finding f;
	json_object *o;
	char *line;

	ptrace_finding(&f);
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o) TH_LOG("%s", line);
	ASSERT_JSON(o, want);
	json_object_put(o);
	free(line);

	summary_finding(&f);
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o) TH_LOG("%s", line);
	ASSERT_JSON(o, sum);
	json_object_put(o);
	free(line);

	/* PMG-200x carry their own name; the 32-bit ABI's numbers. */
	f.signature = PMG_SIG_VM_READ;
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o);
	ASSERT_JSTR(o, "signature", "PMG-2001");
	ASSERT_JSTR(o, "mitre", "T1003");
	json_object_put(o);
	free(line);
	f.signature = 2009;
	o = format_json(&f, &line);
	ASSERT_NE(NULL, o);
	ASSERT_JSTR(o, "signature", "PMG-2009");
	ASSERT_JNULL(o, "event");
	json_object_put(o);
	free(line);
}

TEST(json_absent_fields_are_null)
{
	static const char *const nulls[] = {
		"time", "seq", "channel", "action", "outcome", "access",
		"flags", "kind", "path", "procfs_path", "partial",
		"suppressed", "syscall", "request", "summary", "process.pid",
		"process.tid", "process.ppid", "process.vpid", "process.vtid",
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
	ASSERT_TRUE(pmg_utf8_valid(line, strlen(line)));
	EXPECT_NE(NULL, strstr(line,
		"\"comm\":\"a\\\"b\\\\c\\nd\\u0001e\xef\xbf\xbd\","
		"\"comm_b64\":\""));

	/* The readable strings: U+FFFD where a byte was not UTF-8... */
	ASSERT_JSTR(o, "process.comm", "a\"b\\c\nd\001e\xef\xbf\xbd");
	/* ...and the exact bytes alongside. */
	n = b64_at(o, "process.comm_b64", back, sizeof(back));
	ASSERT_EQ((long)strlen(weird_comm), n);
	EXPECT_EQ(0, memcmp(weird_comm, back, (size_t)n));
	n = b64_at(o, "target.comm_b64", back, sizeof(back));
	ASSERT_EQ((long)strlen(weird_comm), n);
	EXPECT_EQ(0, memcmp(weird_comm, back, (size_t)n));
	n = b64_at(o, "process.exe_b64", back, sizeof(back));
	ASSERT_EQ((long)strlen(weird_path), n);
	EXPECT_EQ(0, memcmp(weird_path, back, (size_t)n));
	json_object_put(o);
	free(line);
	nlmsg_free(m);
}

TEST(json_notice_and_listener_lines)
{
	static const struct jwant nw[] = {
		JS("type", "notice"),
		JS("time", "2026-11-27T01:02:04.000000000Z"),
		JU("seq", 8),
		JS("event", "policy-changed"),
		JS("command", "apply"),
		JS("detail", "apply, write alert->block"),
		JI("by.pid", 900),
		JI("by.uid", 0),
		JS("by.comm", "procmem-guard"),
		JS("by.exe", "/usr/sbin/procmem-guard"),
		JS("hostname", "testhost"),
	};
	static const struct jwant lw[] = {
		JS("type", "listener"),
		JS("event", "lost"),
		JI("lost", 12),
		JI("lost_total", 40),
		JS("message", "lost 12 findings or notices (socket overrun), "
			      "40 so far"),
		JN("error"),
		JS("boot_id", "0123456789abcdef0123456789abcdef"),
	};
	struct pmg_lev e = { .lev = PMG_LEV_LOST, .time_ns = 1, .lost = 12,
			     .lost_total = 40 };
	struct pmg_line_meta meta;
	struct pmg_notice n;
	json_object *o;

	policy_notice(&n, 8);
	ASSERT_NE(NULL, fmt_finding(&(struct pmg_finding){ 0 },
				    PMG_FORMAT_JSON, 8192));
	ASSERT_EQ(0, pmg_lines_notice(&lines, &n, &meta));
	EXPECT_EQ(PMG_LINE_NOTICE, meta.type);
	EXPECT_EQ(PMG_SEV_NOTICE, meta.severity);
	EXPECT_STREQ("policy-changed", meta.event);
	o = parse_strict(lines.line.p);
	ASSERT_NE(NULL, o) TH_LOG("%s", lines.line.p);
	ASSERT_JSON(o, nw);
	json_object_put(o);

	ASSERT_EQ(0, pmg_lines_listener(&lines, &e, &meta));
	EXPECT_EQ(PMG_LINE_LISTENER, meta.type);
	EXPECT_EQ(PMG_SEV_WARNING, meta.severity);
	EXPECT_STREQ("Warning", meta.priority);
	o = parse_strict(lines.line.p);
	ASSERT_NE(NULL, o) TH_LOG("%s", lines.line.p);
	ASSERT_JSON(o, lw);
	json_object_put(o);
}

/* A sender's drops: a listener event with the sink and its counts. */
TEST(json_output_dropped_event)
{
	struct pmg_lev e = {
		.lev = PMG_LEV_OUTPUT_DROPPED, .time_ns = 1,
		.output = { .kind = "post", .name = "https://***@h/\"x\n",
			    .dropped = 2, .dropped_total = 5, .failed = 4,
			    .unsent = 1, .delivered = 9 },
	};
	struct pmg_line_meta meta;
	json_object *o, *out, *v;

	ASSERT_NE(NULL, fmt_finding(&(struct pmg_finding){ 0 },
				    PMG_FORMAT_JSON, 8192));
	ASSERT_EQ(0, pmg_lines_listener(&lines, &e, &meta));
	EXPECT_EQ(PMG_SEV_WARNING, meta.severity);
	EXPECT_STREQ("output-dropped", meta.event);
	o = parse_strict(lines.line.p);
	ASSERT_NE(NULL, o) TH_LOG("%s", lines.line.p);
	ASSERT_TRUE(json_object_object_get_ex(o, "message", &v));
	EXPECT_STREQ("post output dropped 2 lines (5 so far: 0 queue full, "
		     "4 failed, 0 rejected, 1 unsent; 9 delivered)",
		     json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "output", &out));
	ASSERT_TRUE(json_object_object_get_ex(out, "name", &v));
	EXPECT_STREQ("https://***@h/\"x\n", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(out, "dropped", &v));
	EXPECT_EQ(2, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(out, "dropped_total", &v));
	EXPECT_EQ(5, json_object_get_int64(v));
	json_object_put(o);
}

/* --- tests: Tracee ---------------------------------------------------------------------- */

static const char *tracee_line(const struct pmg_finding *f)
{
	return fmt_finding(f, PMG_FORMAT_TRACEE, PMG_MAX_LINE_DEFAULT);
}

TEST(tracee_shape)
{
	static const struct jwant want[] = {
		JI("threadStartTime", 0),
		JI("processorId", 0),
		JI("processId", 34),
		JU("cgroupId", UINT64_C(0xfffffffffffff001)),
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
		JS("containerId", ""),
		JS("eventId", "6016"),
		JS("eventName", "proc_mem_access"),
		JI("argsNum", 1),
		JI("returnValue", 0),
		JS("syscall", ""),
		JN("stackAddresses"),
		JB("contextFlags.containerStarted", false),
		JB("contextFlags.isCompat", false),
	};

	static const struct jwant metadata[] = {
		JS("metadata.Version", "1"),
		JS("metadata.Description",
		   "Process memory access detected. Adversaries may access "
		   "other processes memory to steal credentials and secrets."),
		JN("metadata.Tags"),
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
	static const char *const names[] = {
		"pathname", "flags", "dev", "inode", "ctime", "syscall_pathname",
	};
	static const char *const types[] = {
		"string", "int32", "uint32", "uint64", "uint64", "string",
	};
	struct pmg_finding f;
	json_object *o, *args, *a, *df;
	const char *line;
	int i;

	full_finding(&f);
	line = tracee_line(&f);
	ASSERT_NE(NULL, line);
	o = parse_strict(line);
	ASSERT_NE(NULL, o) TH_LOG("not JSON: %s", line);

	ASSERT_JU64(o, "timestamp", f.time_ns);
	ASSERT_JSON(o, want);
	ASSERT_JSON(o, metadata);

	args = J(o, "args");
	ASSERT_EQ((int)json_type_array, (int)json_object_get_type(args));
	ASSERT_EQ(1, (int)json_object_array_length(args));
	df = json_object_array_get_idx(args, 0);
	ASSERT_JSTR(df, "name", "detectedFrom");
	ASSERT_JSTR(df, "type", "unknown");
	ASSERT_JINT(df, "value.id", 732);
	ASSERT_JSTR(df, "value.name", "security_file_open");
	ASSERT_JINT(df, "value.returnValue", 0);
	args = J(df, "value.args");
	ASSERT_EQ(6, (int)json_object_array_length(args));
	for (i = 0; i < 6; i++) {
		a = json_object_array_get_idx(args, i);
		ASSERT_JSTR(a, "name", names[i]);
		ASSERT_JSTR(a, "type", types[i]);
	}
	ASSERT_JSTR(json_object_array_get_idx(args, 0), "value", "/proc/1/mem");
	ASSERT_JINT(json_object_array_get_idx(args, 1), "value", 0100000);
	ASSERT_JINT(json_object_array_get_idx(args, 2), "value", 22);
	ASSERT_JU64(json_object_array_get_idx(args, 3), "value", 81234);
	json_object_put(o);
}

TEST(tracee_write_blocked)
{
	static const struct jwant want[] = {
		JI("returnValue", -13),
		JS("hostName", "testhost"),
		JS("metadata.Properties.signatureID", "TRC-1024"),
		JS("metadata.Properties.signatureName",
		   "Code injection detected through /proc/<pid>/mem file"),
		JS("metadata.Properties.Category", "defense-evasion"),
		JS("metadata.Properties.Technique", "Proc Memory"),
		JS("metadata.Properties.external_id", "T1055.009"),
		JS("metadata.Properties.id",
		   "attack-pattern--d201d4cc-214d-4a74-a1ba-b3fa09fd4591"),
		JS("eventId", "6003"),
		JI("argsNum", 2),
	};

	struct pmg_finding f;
	json_object *o, *a;
	const char *line;
	char back[64];

	write_finding(&f);
	f.comm = str_of(weird_comm);
	line = tracee_line(&f);
	ASSERT_NE(NULL, line);
	o = parse_strict(line);
	ASSERT_NE(NULL, o);
	ASSERT_JSON(o, want);
	EXPECT_NE(NULL, strstr(line,
		"\"processName\":\"a\\\"b\\\\c\\nd\\u0001e\xef\xbf\xbd\""));
	/* The exact bytes: a finding data arg. */
	a = json_object_array_get_idx(J(o, "args"), 1);
	ASSERT_JSTR(a, "name", "processName_b64");
	ASSERT_JSTR(a, "type", "const char *");
	ASSERT_EQ((long)strlen(weird_comm),
		  b64_at(a, "value", back, sizeof(back)));
	EXPECT_EQ(0, memcmp(weird_comm, back, strlen(weird_comm)));
	json_object_put(o);
}

TEST(tracee_other_channels)
{
	struct pmg_finding f;
	json_object *o, *df;

	ptrace_finding(&f);
	o = parse_strict(tracee_line(&f));
	ASSERT_NE(NULL, o);
	ASSERT_JSTR(o, "eventName", "ptrace_code_injection");
	ASSERT_JSTR(o, "eventId", "6019");
	ASSERT_JSTR(o, "syscall", "ptrace");
	ASSERT_JBOOL(o, "contextFlags.isCompat", true);
	df = json_object_array_get_idx(J(o, "args"), 0);
	ASSERT_JSTR(df, "value.name", "ptrace");
	ASSERT_JINT(json_object_array_get_idx(J(df, "value.args"), 0),
		    "value", 5);
	ASSERT_JINT(json_object_array_get_idx(J(df, "value.args"), 1),
		    "value", 1);	/* the target, as the tracer sees it */
	json_object_put(o);

	f.signature = PMG_SIG_VM_WRITE;
	f.channel = PMG_CHANNEL_PROCESS_VM;
	o = parse_strict(tracee_line(&f));
	ASSERT_NE(NULL, o);
	ASSERT_JSTR(o, "eventName", "process_vm_write_inject");
	ASSERT_JSTR(o, "eventId", "6020");
	ASSERT_JSTR(o, "metadata.Properties.signatureID", "TRC-1025");
	json_object_put(o);

	summary_finding(&f);
	o = parse_strict(tracee_line(&f));
	ASSERT_NE(NULL, o);
	ASSERT_JINT(o, "argsNum", 4);
	ASSERT_JSTR(json_object_array_get_idx(J(o, "args"), 1), "name",
		    "summaryCount");
	ASSERT_JINT(json_object_array_get_idx(J(o, "args"), 1), "value", 12);
	ASSERT_JSTR(o, "executable.path", "");
	json_object_put(o);
}

/*
 * Field by field against Tracee's own lines (tests/data/tracee/): every
 * member of the sample is in our line, with the same JSON type, nested
 * alike; with exact, the member sets are equal too, in the same order.
 * Args are matched by name.
 */
static bool same_shape(json_object *ours, json_object *theirs, bool exact,
		       const char *where, char *why, size_t whysz)
{
	char sub[256];
	size_t i, k;

	if (json_object_get_type(ours) != json_object_get_type(theirs)) {
		snprintf(why, whysz, "%s: JSON type %s, Tracee's %s", where,
			 json_type_to_name(json_object_get_type(ours)),
			 json_type_to_name(json_object_get_type(theirs)));
		return false;
	}
	if (json_object_is_type(theirs, json_type_object)) {
		json_object_object_foreach(theirs, key, v) {
			json_object *mine;

			snprintf(sub, sizeof(sub), "%s.%s", where, key);
			if (!json_object_object_get_ex(ours, key, &mine)) {
				snprintf(why, whysz, "%s: missing", sub);
				return false;
			}
			if (!same_shape(mine, v, exact, sub, why, whysz))
				return false;
		}
		if (exact && json_object_object_length(ours) !=
			     json_object_object_length(theirs)) {
			snprintf(why, whysz, "%s: %d members, Tracee's %d",
				 where, json_object_object_length(ours),
				 json_object_object_length(theirs));
			return false;
		}
		if (exact) {	/* the same order */
			struct json_object_iterator a = json_object_iter_begin(ours);
			struct json_object_iterator b = json_object_iter_begin(theirs);
			struct json_object_iterator e = json_object_iter_end(theirs);

			for (; !json_object_iter_equal(&b, &e);
			     json_object_iter_next(&a), json_object_iter_next(&b)) {
				if (strcmp(json_object_iter_peek_name(&a),
					   json_object_iter_peek_name(&b))) {
					snprintf(why, whysz, "%s: %s where Tracee "
						 "has %s", where,
						 json_object_iter_peek_name(&a),
						 json_object_iter_peek_name(&b));
					return false;
				}
			}
		}
		return true;
	}
	if (!json_object_is_type(theirs, json_type_array))
		return true;
	for (i = 0; i < json_object_array_length(theirs); i++) {
		json_object *t = json_object_array_get_idx(theirs, i), *m = NULL;
		json_object *tn = NULL, *mn = NULL;

		/* Args ({"name",...}) by name, anything else by position. */
		if (json_object_object_get_ex(t, "name", &tn)) {
			for (k = 0; k < json_object_array_length(ours); k++) {
				m = json_object_array_get_idx(ours, k);
				if (json_object_object_get_ex(m, "name", &mn) &&
				    !strcmp(json_object_get_string(mn),
					    json_object_get_string(tn)))
					break;
				m = NULL;
			}
		} else if (i < json_object_array_length(ours)) {
			m = json_object_array_get_idx(ours, i);
		}
		snprintf(sub, sizeof(sub), "%s[%s]", where,
			 tn ? json_object_get_string(tn) : "i");
		if (!m) {
			snprintf(why, whysz, "%s: missing", sub);
			return false;
		}
		if (!same_shape(m, t, exact, sub, why, whysz))
			return false;
	}
	return true;
}

static json_object *sample(const char *path)
{
	json_object *o = json_object_from_file(path);

	return o;
}

TEST(tracee_matches_tracee_samples)
{
	json_object *d = sample("tests/data/tracee/v0.24.1-finding-TRC-1023.json");
	json_object *a = sample("tests/data/tracee/v0.24.1-docs-signature-event.json");
	struct pmg_finding f;
	json_object *o;
	char why[512] = "";

	ASSERT_NE(NULL, d) TH_LOG("run from the top of the tree");
	ASSERT_NE(NULL, a);
	full_finding(&f);
	o = parse_strict(tracee_line(&f));
	ASSERT_NE(NULL, o);
	EXPECT_TRUE(same_shape(o, d, true, "", why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_TRUE(same_shape(o, a, false, "", why, sizeof(why)))
		TH_LOG("%s", why);
	json_object_put(o);
	json_object_put(d);
	json_object_put(a);
}

/* --- tests: Falco and ECS ------------------------------------------------------------------- */

static bool rfc3339(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return false;
	if (*end == '.')
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
	return !strcmp(end, "Z");
}

/* Falcosidekick's Check(): a priority, a rule, a time, output_fields. */
static void falcosidekick_takes(struct __test_metadata *_metadata,
				const char *line)
{
	static const char *const prios[] = {
		"Emergency", "Alert", "Critical", "Error", "Warning",
		"Notice", "Informational", "Debug",
	};
	json_object *o = parse_strict(line), *v;
	bool known = false;
	size_t i;

	ASSERT_NE(NULL, o) TH_LOG("%s", line);
	ASSERT_TRUE(jfind(o, "priority", &v));
	for (i = 0; i < 8; i++)
		known |= !strcmp(json_object_get_string(v), prios[i]);
	EXPECT_TRUE(known) TH_LOG("priority %s", json_object_get_string(v));
	ASSERT_TRUE(jfind(o, "rule", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_string) &&
		    json_object_get_string_len(v) > 0);
	ASSERT_TRUE(jfind(o, "time", &v));
	EXPECT_TRUE(rfc3339(json_object_get_string(v)));
	ASSERT_TRUE(jfind(o, "output_fields", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_object) &&
		    json_object_object_length(v) > 0);
	ASSERT_TRUE(jfind(o, "output", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_string));
	ASSERT_TRUE(jfind(o, "source", &v));
	ASSERT_TRUE(jfind(o, "tags", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_array));
	json_object_put(o);
}

TEST(falco_lines)
{
	struct pmg_lev e = { .lev = PMG_LEV_MODULE_UNLOADED };
	struct pmg_line_meta meta;
	struct pmg_finding f;
	struct pmg_notice n;
	json_object *o;

	full_finding(&f);
	falcosidekick_takes(_metadata, fmt_finding(&f, PMG_FORMAT_FALCO, 8192));
	o = parse_strict(lines.line.p);
	ASSERT_NE(NULL, o);
	ASSERT_JSTR(o, "priority", "Warning");
	ASSERT_JSTR(o, "rule", "Process memory access detected");
	
	json_object_put(o);
	EXPECT_NE(NULL, strstr(lines.line.p, "\"output\":\"01:02:03.123456789: "
			       "Warning Process memory access detected ("));
	EXPECT_NE(NULL, strstr(lines.line.p, "\"fd.name\":\"/proc/1/mem\""));
	EXPECT_NE(NULL, strstr(lines.line.p, "\"proc.name\":\"cat\""));

	/* Blocked: a higher priority. */
	write_finding(&f);
	falcosidekick_takes(_metadata, fmt_finding(&f, PMG_FORMAT_FALCO, 8192));
	EXPECT_NE(NULL, strstr(lines.line.p, "\"priority\":\"Critical\""));

	policy_notice(&n, 3);
	ASSERT_EQ(0, pmg_lines_notice(&lines, &n, &meta));
	falcosidekick_takes(_metadata, lines.line.p);
	ASSERT_EQ(0, pmg_lines_listener(&lines, &e, &meta));
	falcosidekick_takes(_metadata, lines.line.p);
}

TEST(ecs_lines)
{
	static const struct jwant want[] = {
		JS("ecs.version", "8.17.0"),
		JS("@timestamp", "2026-11-27T01:02:03.123Z"),
		JS("event.kind", "alert"),
		JS("event.outcome", "failure"),
		JS("event.code", "TRC-1024"),
		JS("rule.id", "TRC-1024"),
		JS("threat.framework", "MITRE ATT&CK"),
		JI("process.pid", 1234),
		JS("process.user.id", "0"),
		JS("process.name", "cat"),
		JI("Target.process.pid", 77),
		JI("Target.process.thread.id", 78),
		JS("host.name", "testhost"),
		JS("host.id", "fedcba9876543210fedcba9876543210"),
		JS("host.boot.id", "0123456789abcdef0123456789abcdef"),
		JS("file.path", "/proc/77/task/78/mem"),
		JS("procmem_guard.action", "block"),
	};
	struct pmg_finding f;
	json_object *o, *v;

	write_finding(&f);
	SET(&f, PMG_F_OUTCOME, outcome, PMG_OUTCOME_BLOCKED);
	o = parse_strict(fmt_finding(&f, PMG_FORMAT_ECS, 8192));
	ASSERT_NE(NULL, o) TH_LOG("%s", lines.line.p);
	ASSERT_JSON(o, want);
	ASSERT_TRUE(jfind(o, "event.type", &v));
	EXPECT_STREQ("[\"access\",\"denied\"]",
		     json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	ASSERT_TRUE(jfind(o, "threat.tactic.id", &v));
	EXPECT_STREQ("[\"TA0005\",\"TA0004\"]",
		     json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	ASSERT_TRUE(jfind(o, "threat.technique.subtechnique.reference", &v));
	EXPECT_STREQ("[\"https:\\/\\/attack.mitre.org\\/techniques\\/T1055\\/009\\/\"]",
		     json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* --- tests: hostile bytes, bounded lines ------------------------------------------------------- */

static const enum pmg_format all_formats[] = {
	PMG_FORMAT_TEXT, PMG_FORMAT_JSON, PMG_FORMAT_TRACEE, PMG_FORMAT_FALCO,
	PMG_FORMAT_ECS,
};

/* A base64 string v: its bytes start one of strs? 1, else -1. */
static int b64_starts_one(json_object *v, const char *const *strs, int nstrs)
{
	char out[PMG_PATH_LEN + 16];
	long len = pmg_b64_decode(json_object_get_string(v),
				  (size_t)json_object_get_string_len(v), out,
				  sizeof(out));
	int i;

	for (i = 0; len >= 0 && i < nstrs; i++)
		if ((size_t)len <= strlen(strs[i]) &&
		    !memcmp(out, strs[i], (size_t)len))
			return 1;
	return -1;
}

/* Every "*_b64" member anywhere in o: its bytes start one of strs. */
static int check_b64(json_object *o, const char *const *strs, int nstrs)
{
	json_object *nm, *v;
	int n = 0, r;
	size_t k;

	if (json_object_is_type(o, json_type_array)) {
		for (k = 0; k < json_object_array_length(o); k++) {
			json_object *e = json_object_array_get_idx(o, k);

			/* Tracee's args: {"name":"x_b64","value":...} */
			if (json_object_object_get_ex(e, "name", &nm) &&
			    strstr(json_object_get_string(nm), "_b64") &&
			    json_object_object_get_ex(e, "value", &v))
				r = b64_starts_one(v, strs, nstrs);
			else
				r = check_b64(e, strs, nstrs);
			if (r < 0)
				return r;
			n += r;
		}
		return n;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	json_object_object_foreach(o, key, val) {
		size_t kl = strlen(key);

		if (kl > 4 && !strcmp(key + kl - 4, "_b64"))
			r = b64_starts_one(val, strs, nstrs);
		else
			r = check_b64(val, strs, nstrs);
		if (r < 0)
			return r;
		n += r;
	}
	return n;
}

/* A hostile string of n bytes (no NUL) from the pattern's seed. */
static void hostile(char *s, size_t n, int seed)
{
	static const char pieces[][5] = {
		"\"", "\\", "\n", "\x01", "\xff", "\xc0\xaf", "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xe2\x80\xae", "\xc3\xa9", "\x7f", "a", "/",
		"\xf0\x9f\x98\x80", "\xc2\x9b", "\xf4\x90\x80\x80",
	};
	size_t i = 0, k;
	const char *p;

	rnd_state = (uint32_t)seed * 2654435761u + 1;
	while (i < n) {
		p = pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))];
		for (k = 0; p[k] && i < n; k++)
			s[i++] = p[k];
	}
	s[n] = '\0';
}

/* Lines of f in every format: parsed strictly, valid UTF-8, <= max. */
static void check_all_formats(struct __test_metadata *_metadata,
			      const struct pmg_finding *f, size_t max,
			      const char *const *strs, int nstrs,
			      bool expect_cut)
{
	size_t i;

	for (i = 0; i < sizeof(all_formats) / sizeof(all_formats[0]); i++) {
		const char *line = fmt_finding(f, all_formats[i], max);
		json_object *o;

		ASSERT_NE(NULL, line);
		ASSERT_LE(strlen(line) + 1, max)
			TH_LOG("%s: %zu bytes", pmg_format_name(all_formats[i]),
			       strlen(line) + 1);
		ASSERT_TRUE(pmg_utf8_valid(line, strlen(line)));
		ASSERT_TRUE(plain_printable(line)) TH_LOG("%s", line);
		if (all_formats[i] == PMG_FORMAT_TEXT) {
			if (expect_cut)
				EXPECT_NE(NULL, strstr(line, " truncated="));
			continue;
		}
		o = parse_strict(line);
		ASSERT_NE(NULL, o) TH_LOG("%s: %s",
					  pmg_format_name(all_formats[i]), line);
		ASSERT_LE(0, check_b64(o, strs, nstrs))
			TH_LOG("%s: exact bytes differ", pmg_format_name(all_formats[i]));
		if (expect_cut)
			EXPECT_NE(NULL, strstr(line, "truncated"))
				TH_LOG("%s", pmg_format_name(all_formats[i]));
		json_object_put(o);
	}
}

TEST(worst_case_finding_fits)
{
	static char comm[16], tcomm[16], exe[4001], path[4001], procfs[4001];
	const char *strs[] = { comm, tcomm, exe, path, procfs };
	static const size_t maxes[] = { PMG_MAX_LINE_DEFAULT, PMG_MAX_LINE_MIN,
					5000, 65536 };
	struct pmg_finding f;
	size_t m;

	hostile(comm, 15, 1);
	hostile(tcomm, 15, 2);
	hostile(exe, 4000, 3);
	hostile(path, 4000, 4);
	hostile(procfs, 4000, 5);
	full_finding(&f);
	SET(&f, PMG_F_CHANNEL, channel, PMG_CHANNEL_PROC_MEM);
	SET(&f, PMG_F_OUTCOME, outcome, PMG_OUTCOME_GRANTED);
	SET(&f, PMG_F_SYSCALL, syscall, 257);
	SET(&f, PMG_F_PARTIAL, partial, PMG_PARTIAL_PATH | PMG_PARTIAL_EXE);
	f.comm = str_of(comm);
	f.target_comm = str_of(tcomm);
	f.exe = str_of(exe);
	f.path = str_of(path);
	f.procfs_path = str_of(procfs);
	for (m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++)
		check_all_formats(_metadata, &f, maxes[m], strs, 5,
				  maxes[m] < 65536);
}

/* partial lists the fields that are not what they seem, by name. */
TEST(json_partial_names_the_fields)
{
	static const struct {
		uint32_t bits;
		const char *want;
	} cases[] = {
		{ PMG_PARTIAL_PATH, "[\"path\"]" },
		{ PMG_PARTIAL_EXE, "[\"exe\"]" },
		{ PMG_PARTIAL_PATH | PMG_PARTIAL_EXE, "[\"path\",\"exe\"]" },
		{ 0, "[]" },
	};
	struct pmg_finding f;
	json_object *o, *t;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		full_finding(&f);
		SET(&f, PMG_F_PARTIAL, partial, cases[i].bits);
		o = parse_strict(fmt_finding(&f, PMG_FORMAT_JSON, 8192));
		ASSERT_NE(NULL, o);
		ASSERT_TRUE(jfind(o, "partial", &t));
		EXPECT_STREQ(cases[i].want,
			     json_object_to_json_string_ext(t,
				JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	}
}

TEST(json_cut_strings_say_so)
{
	static char exe[4001];
	struct pmg_finding f;
	json_object *o, *t;
	char back[4100];
	long n;

	memset(exe, 'x', 4000);
	exe[3000] = '\xff';
	full_finding(&f);
	f.exe = str_of(exe);
	o = parse_strict(fmt_finding(&f, PMG_FORMAT_JSON, 4096));
	ASSERT_NE(NULL, o);
	ASSERT_TRUE(jfind(o, "truncated", &t));
	ASSERT_EQ(1, (int)json_object_array_length(t));
	EXPECT_STREQ("process.exe",
		     json_object_get_string(json_object_array_get_idx(t, 0)));
	/* Cut before the bad byte: no exact bytes needed, all 'x'. */
	ASSERT_TRUE(jfind(o, "process.exe", &t));
	EXPECT_GT(json_object_get_string_len(t), 500);
	EXPECT_LT(json_object_get_string_len(t), 4096);
	EXPECT_EQ(strspn(json_object_get_string(t), "x"),
		  (size_t)json_object_get_string_len(t));
	json_object_put(o);

	/* A short string with the bad byte: the exact bytes come along. */
	exe[100] = '\xff';
	o = parse_strict(fmt_finding(&f, PMG_FORMAT_JSON, 4096));
	ASSERT_NE(NULL, o);
	n = b64_at(o, "process.exe_b64", back, sizeof(back));
	ASSERT_GT(n, 100);
	EXPECT_EQ(0, memcmp(exe, back, (size_t)n));
	json_object_put(o);
}

/* Random hostile findings: every format, every line valid and bounded. */
TEST(writer_fuzz_hostile_bytes)
{
	static char s[5][4096];
	const char *strs[5] = { s[0], s[1], s[2], s[3], s[4] };
	struct pmg_finding f;
	int it, k;

	for (it = 0; it < 300; it++) {
		for (k = 0; k < 5; k++) {
			size_t n = k < 2 ? rnd() % 16 : rnd() % 4096;

			hostile(s[k], n, it * 5 + k + 100);
			/* some raw random bytes too */
			for (size_t i = 0; i < n; i++)
				if (!s[k][i] || rnd() % 7 == 0)
					s[k][i] = (char)(1 + rnd() % 255);
		}
		full_finding(&f);
		if (it % 3 == 0)
			summary_finding(&f);
		f.comm = str_of(s[0]);
		if (PMG_HAS(&f, PMG_F_TARGET_COMM))
			f.target_comm = str_of(s[1]);
		if (PMG_HAS(&f, PMG_F_EXE))
			f.exe = str_of(s[2]);
		if (PMG_HAS(&f, PMG_F_PATH)) {
			f.path = str_of(s[3]);
			f.procfs_path = str_of(s[4]);
		}
		check_all_formats(_metadata, &f, it % 2 ? 4096 : 8192, strs, 5,
				  false);
	}
}

TEST(hostile_notice_fits)
{
	static char detail[4001], exe[4001], comm[16];
	const char *strs[] = { detail, exe, comm };
	struct pmg_line_meta meta;
	struct pmg_notice n;
	size_t i;

	hostile(detail, 4000, 7);
	hostile(exe, 4000, 8);
	hostile(comm, 15, 9);
	policy_notice(&n, 5);
	n.detail = str_of(detail);
	n.exe = str_of(exe);
	n.comm = str_of(comm);
	for (i = 0; i < sizeof(all_formats) / sizeof(all_formats[0]); i++) {
		json_object *o;

		ASSERT_NE(NULL, fmt_finding(&(struct pmg_finding){ 0 },
					    all_formats[i], 4096));
		ASSERT_EQ(0, pmg_lines_notice(&lines, &n, &meta));
		ASSERT_LE(lines.line.len + 1, 4096u);
		ASSERT_TRUE(pmg_utf8_valid(lines.line.p, lines.line.len));
		if (all_formats[i] == PMG_FORMAT_TEXT)
			continue;
		o = parse_strict(lines.line.p);
		ASSERT_NE(NULL, o) TH_LOG("%s", lines.line.p);
		ASSERT_LE(0, check_b64(o, strs, 3));
		json_object_put(o);
	}
}

/* --- tests: text ------------------------------------------------------------------------- */

static const char *text_of(const struct pmg_finding *f)
{
	return fmt_finding(f, PMG_FORMAT_TEXT, PMG_MAX_LINE_DEFAULT);
}

TEST(text_line)
{
	struct pmg_finding f;
	const char *line;

	full_finding(&f);
	f.comm = str_of(weird_comm);
	line = text_of(&f);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ("2026-11-27T01:02:03.123456789Z TRC-1023 alert read "
		     "pid=1234 uid=1000 euid=0 comm=\"a\\\"b\\\\c\\nd\\x01e\\xff\" "
		     "exe=\"/usr/bin/cat\" target_pid=1 target_comm=\"systemd\" "
		     "path=\"/proc/1/mem\" flags=0100000 suppressed=0 seq=7",
		     line);

	write_finding(&f);
	line = text_of(&f);
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, " TRC-1024 block write "));
	EXPECT_NE(NULL, strstr(line, " target_tid=78"));

	ptrace_finding(&f);
	line = text_of(&f);
	EXPECT_NE(NULL, strstr(line, " TRC-103 alert write "));
	EXPECT_NE(NULL, strstr(line, " outcome=granted channel=ptrace "
			       "syscall=ptrace compat request=PTRACE_POKEDATA"));

	summary_finding(&f);
	line = text_of(&f);
	EXPECT_NE(NULL, strstr(line, " TRC-1023 alert read summary count=12 "
			       "reason=ring-full first=2026-11-27T01:02:02."));

	memset(&f, 0, sizeof(f));
	SET(&f, PMG_F_SIGNATURE, signature, PMG_SIG_MEM_WRITE);
	line = text_of(&f);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ("? TRC-1024 ? ? pid=? uid=? euid=? comm=? exe=? "
		     "target_pid=? target_comm=? path=?", line);
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

/*
 * A JSON finding's pieces kept from one line to the next (numbers and
 * names by value, the signature's fields, the host's) never show in a
 * line that differs from the one a fresh struct pmg_lines writes: a
 * sequence that changes one field after another, and back.
 */
TEST(json_memo)
{
	struct pmg_lines L;
	struct pmg_finding f[12];
	struct pmg_line_meta m;
	char *kept;
	int i, round;

	full_finding(&f[0]);
	ptrace_finding(&f[1]);
	summary_finding(&f[2]);
	full_finding(&f[3]);
	f[3].pid = 99;			/* a number that changes */
	f[3].pidns = 7;
	full_finding(&f[4]);
	f[4].signature = 999;		/* no such signature: TRC-999 */
	full_finding(&f[5]);
	f[5].signature = 2999;		/* PMG-2999 */
	ptrace_finding(&f[6]);
	f[6].compat = false;		/* the same syscall number, 64-bit */
	full_finding(&f[7]);
	f[7].present &= ~PMG_BIT(PMG_F_PID);	/* present, then absent */
	full_finding(&f[8]);
	SET(&f[8], PMG_F_CHANNEL, channel, 200);	/* unknown: null */
	f[8].action = 201;
	full_finding(&f[9]);
	set_str(&f[9], PMG_F_COMM, &f[9].comm, weird_comm);
	full_finding(&f[10]);
	f[10].seq = UINT64_MAX;
	f[10].ino = 0;
	write_finding(&f[11]);

	ASSERT_EQ(0, pmg_lines_init(&L, PMG_FORMAT_JSON, PMG_MAX_LINE_DEFAULT));
	strcpy(L.hostname, "testhost");
	strcpy(L.boot_id, "0123456789abcdef0123456789abcdef");
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 12; i++) {
			ASSERT_EQ(0, pmg_lines_finding(&L, &f[i], &m));
			kept = strdup(L.line.p);
			ASSERT_NE(NULL, kept);
			EXPECT_STREQ(fmt_finding(&f[i], PMG_FORMAT_JSON,
						 PMG_MAX_LINE_DEFAULT), kept);
			free(kept);
		}
	}
	pmg_lines_free(&L);
}

TEST(format_names)
{
	enum pmg_format fmt;

	ASSERT_EQ(0, pmg_format_parse("tracee", &fmt));
	EXPECT_EQ(PMG_FORMAT_TRACEE, (int)fmt);
	ASSERT_EQ(0, pmg_format_parse("falco", &fmt));
	EXPECT_EQ(PMG_FORMAT_FALCO, (int)fmt);
	ASSERT_EQ(0, pmg_format_parse("ecs", &fmt));
	EXPECT_EQ(PMG_FORMAT_ECS, (int)fmt);
	EXPECT_EQ(-EINVAL, pmg_format_parse("xml", &fmt));
	EXPECT_STREQ("read-write", pmg_access_name(PMG_ACCESS_READ_WRITE));
	EXPECT_EQ(NULL, pmg_access_name(0));
	EXPECT_STREQ("block", pmg_mode_name(PMG_MODE_BLOCK));
	EXPECT_STREQ("drop_ring_full", pmg_stat_name(PMG_S_DROP_RING_FULL));
	EXPECT_STREQ("inflight", pmg_stat_name(PMG_S_INFLIGHT));
	EXPECT_EQ(NULL, pmg_stat_name(PMG_S_PAD));
	EXPECT_STREQ("openat", pmg_syscall_name(257, false));
	EXPECT_STREQ("PTRACE_SEIZE", pmg_ptrace_request_name(0x4206));
	EXPECT_STREQ("apply", pmg_cmd_name(PMG_CMD_APPLY));
}

TEST_HARNESS_MAIN
