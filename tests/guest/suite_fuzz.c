// SPDX-License-Identifier: GPL-2.0
/*
 * suite_fuzz - a generic netlink fuzzer for the "procmem_guard" family.
 *
 * Sends PMG_FUZZ_MESSAGES (default 1,000,000) random and mutated requests,
 * half as nobody (uid 65534, kept dumpable) and half as root, while
 * findings flow: a child opens /proc/self/mem in a loop and the real CLI
 * listens (`procmem-guard listen --format json`, every line it prints must
 * be JSON). Requests go out in batches: one sendmsg() carries up to
 * FUZZ_BATCH_MSGS netlink messages, each with NLM_F_ACK and its own
 * sequence number; the kernel handles the whole batch synchronously, so
 * every ack is queued by the time sendmsg() returns and is read back in
 * bulk with recvmmsg().
 *
 * What is generated: valid requests of every command (SET_CONFIG,
 * ALLOW_ADD, ALLOW_DEL, APPLY with up to 300 rules, the getters), the same
 * with 1-8 mutations (bit flips, attribute lengths truncated, oversized or
 * made absurd, NLA_F_NESTED / NLA_F_NET_BYTEORDER toggled, types changed,
 * tails cut, garbage and huge attributes appended, attributes duplicated,
 * bytes inserted), random attribute trees (random types and lengths,
 * nested garbage up to depth 3), raw random bytes; commands random
 * (unknown ones included) and header fields random (NLM_F_* bits,
 * NLM_F_REQUEST dropped, genl version and reserved bytes, a genl header
 * cut short). Root never sends PMG_CMD_LOCK.
 *
 * The oracle. Every message must be acked exactly once, with:
 *   0, -EINVAL, -EOPNOTSUPP or -EPERM, and also
 *   -ENOENT only for ALLOW_DEL and -ENOSPC only for ALLOW_ADD, APPLY and
 *     PACE: those are the results of well-formed requests (no rule has that
 *     id; 256 rules already; four pacing listeners already) that the module checks after validation. A request
 *     that reaches them passed the strict parse, so whether it was built
 *     valid or came out of a mutation does not matter; nobody never
 *     reaches them (GENL_ADMIN_PERM comes first).
 * and more precisely, from the order in which the generic netlink core
 * checks a message:
 *   - NLM_F_REQUEST clear: acked with 0 and not handled;
 *   - genl header cut short: -EINVAL;
 *   - unknown command (0, FINDING, > PACE): -EOPNOTSUPP (-EINVAL too
 *     above PMG_CMD_MAX when the genl reserved field or nlmsg_flags bits
 *     other than REQUEST, ACK, ECHO and DUMP are set: the core checks the
 *     header of commands from resv_start_op on before it looks them up);
 *   - nobody sending an admin command (GET_STATS, and SET_CONFIG to the
 *     last): -EPERM (-EOPNOTSUPP is accepted
 *     too when NLM_F_DUMP is set: 6.12, unlike 6.1, looks the dump
 *     handler up before it checks permissions);
 *   - NLM_F_DUMP on a known command: -EOPNOTSUPP (the family has no dumps);
 *   - otherwise root never gets -EPERM (the policy is never locked) nor
 *     -EOPNOTSUPP.
 * Anything else fails the test and prints the message in hex.
 *
 * Nobody must not change anything: `procmem-guard config show` and
 * `allow list` are the same before and after its run. Root may change the
 * policy at will; a known policy is applied afterwards and checked. The
 * statistics invariant must hold after each run.
 *
 * Env: PMG_FUZZ_MESSAGES (total, default 1000000), PMG_FUZZ_SECONDS (time
 * cap for the fuzzing, split between the two users, default 240: on Debian's
 * 6.1 under TCG the million takes about 160 s, on 6.12 about 65 s; on the
 * KASAN debug kernel 300 a second get through, and the cap stops it - the
 * numbers printed say how far it got), PMG_FUZZ_SEED (default: from the
 * clock; printed, the generated sequence depends only on it),
 * PMG_FUZZ_BATCH (messages per sendmsg(), 1-64, default 64).
 */
#include "kselftest_harness.h"
#include "pmg_test.h"
#include "policy.h"

#include <grp.h>
#include <inttypes.h>
#include <sys/mman.h>

#define FUZZ_DEFAULT_MESSAGES	1000000ULL
#define FUZZ_BATCH_MSGS		64	/* most messages per sendmsg() */
#define FUZZ_BATCH_BYTES	(384 * 1024)
#define FUZZ_MAX_ATTRS		60000	/* attribute bytes of one message */
#define FUZZ_MAX_HDRS		1024
#define FUZZ_RECV_SLOT		(64 * 1024)
#define FUZZ_SOCKBUF		(16 * 1024 * 1024)
#define FUZZ_REPORTS		8	/* offending messages printed in full */
#define FUZZ_NOBODY		65534

#define ARRAY_LEN(a)		(sizeof(a) / sizeof((a)[0]))

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long x;

	if (!v || !*v)
		return def;
	errno = 0;
	x = strtoull(v, &end, 0);
	return errno || *end ? def : x;
}

/* ---- random numbers (xorshift64*) ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)((rnd(r) >> 16) % n) : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static uint64_t pick_u64(struct rng *r)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0xffff,
		0x10000, 20, 100000, 100001, 1000000, 1000001, 0x7fffffff,
		0x80000000, 0xfffffffe, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0xffffffffffffffffULL,
	};

	return chance(r, 50) ? v[below(r, ARRAY_LEN(v))] : rnd(r);
}

/* ---- one message's attributes ---- */

struct gen {
	unsigned char buf[FUZZ_MAX_ATTRS + 64];
	size_t len;
	uint32_t hdrs[FUZZ_MAX_HDRS];	/* offsets of attribute headers */
	unsigned int nhdrs;
};

static size_t g_room(const struct gen *g)
{
	return g->len < FUZZ_MAX_ATTRS ? FUZZ_MAX_ATTRS - g->len : 0;
}

/* Appends n bytes: d, or random (or zero) bytes when d is NULL. */
static void g_bytes(struct gen *g, struct rng *r, const void *d, size_t n)
{
	size_t i;
	bool zero = r && chance(r, 20);

	if (n > g_room(g))
		n = g_room(g);
	if (d)
		memcpy(g->buf + g->len, d, n);
	else
		for (i = 0; i < n; i++)
			g->buf[g->len + i] = zero ? 0 : (unsigned char)rnd(r);
	g->len += n;
}

static void g_pad(struct gen *g)
{
	while ((g->len & 3) && g->len < sizeof(g->buf))
		g->buf[g->len++] = 0;
}

/* Starts an attribute; returns its offset, or SIZE_MAX when full. */
static size_t g_begin(struct gen *g, uint16_t type)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN, .nla_type = type };
	size_t off = g->len;

	if (g_room(g) < NLA_HDRLEN)
		return SIZE_MAX;
	memcpy(g->buf + off, &a, sizeof(a));
	g->len += NLA_HDRLEN;
	if (g->nhdrs < FUZZ_MAX_HDRS)
		g->hdrs[g->nhdrs++] = off;
	return off;
}

static void g_end(struct gen *g, size_t off)
{
	uint16_t len;

	if (off == SIZE_MAX)
		return;
	len = g->len - off > 0xffff ? 0xffff : (uint16_t)(g->len - off);
	memcpy(g->buf + off, &len, sizeof(len));
	g_pad(g);
}

static void g_put(struct gen *g, uint16_t type, const void *d, size_t n)
{
	size_t off = g_begin(g, type);

	if (off == SIZE_MAX)
		return;
	g_bytes(g, NULL, d, n);
	g_end(g, off);
}

static void g_u8(struct gen *g, uint16_t type, uint8_t v)
{
	g_put(g, type, &v, 1);
}

static void g_u32(struct gen *g, uint16_t type, uint32_t v)
{
	g_put(g, type, &v, 4);
}

static void g_u64(struct gen *g, uint16_t type, uint64_t v)
{
	g_put(g, type, &v, 8);
}

/* ---- valid requests ---- */

static void gen_config(struct gen *g, struct rng *r)
{
	static const uint32_t rates[] = { 0, 1, 10, 1000, 1000000 };
	size_t nest = g_begin(g, PMG_A_CONFIG | NLA_F_NESTED);

	if (chance(r, 60))
		g_u8(g, PMG_C_READ, below(r, 3));
	if (chance(r, 60))
		g_u8(g, PMG_C_WRITE, below(r, 3));
	if (chance(r, 40))
		g_u32(g, PMG_C_RATELIMIT, chance(r, 50) ?
		      rates[below(r, ARRAY_LEN(rates))] : below(r, 1000001));
	if (chance(r, 40))
		g_u32(g, PMG_C_BURST, chance(r, 50) ? 1 + below(r, 20) :
		      1 + below(r, 100000));
	if (chance(r, 30))
		g_u8(g, PMG_C_LOG, below(r, 2));
	if (chance(r, 30))
		g_u8(g, PMG_C_REPORT_ALLOWED, below(r, 2));
	g_end(g, nest);
}

static void gen_rule(struct gen *g, struct rng *r)
{
	size_t nest = g_begin(g, PMG_A_RULE | NLA_F_NESTED);
	bool any = false;

	while (!any) {
		if (chance(r, 40)) {
			g_u32(g, PMG_R_EXE_DEV, (uint32_t)pick_u64(r));
			g_u64(g, PMG_R_EXE_INO, pick_u64(r));
			any = true;
		}
		if (chance(r, 50)) {
			g_u32(g, PMG_R_UID, chance(r, 50) ? 4200 + below(r, 50) :
			      (uint32_t)pick_u64(r));
			any = true;
		}
		if (chance(r, 30)) {
			g_u64(g, PMG_R_CGROUP_ID, pick_u64(r));
			any = true;
		}
		if (chance(r, 20)) {
			g_u8(g, PMG_R_SELF, 1);
			any = true;
		}
		if (g_room(g) < 64)
			break;
	}
	if (chance(r, 50))
		g_u8(g, PMG_R_ACCESS, 1 + below(r, 3));
	g_end(g, nest);
}

static void gen_valid(struct gen *g, struct rng *r, uint8_t cmd)
{
	unsigned int i, n;

	switch (cmd) {
	case PMG_CMD_SET_CONFIG:
		gen_config(g, r);
		break;
	case PMG_CMD_ALLOW_ADD:
		gen_rule(g, r);
		break;
	case PMG_CMD_ALLOW_DEL:
		g_u32(g, PMG_A_RULE_ID, chance(r, 70) ? below(r, 64) :
		      (uint32_t)pick_u64(r));
		break;
	case PMG_CMD_APPLY:
		if (chance(r, 70))
			gen_config(g, r);
		if (chance(r, 70))
			n = below(r, 9);
		else if (chance(r, 65))
			n = 9 + below(r, 56);
		else
			n = 200 + below(r, 101);	/* over 256: -ENOSPC */
		for (i = 0; i < n; i++)
			gen_rule(g, r);
		break;
	default:
		/* Getters, LOCK and PACE take nothing. */
		break;
	}
}

/* ---- random attribute trees ---- */

static void gen_payload(struct gen *g, struct rng *r)
{
	static const unsigned int sizes[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 32, 255, 256,
	};
	uint64_t v;
	size_t n;

	if (chance(r, 60))
		n = sizes[below(r, ARRAY_LEN(sizes))];
	else if (chance(r, 95))
		n = below(r, 300);
	else
		n = below(r, 8000);	/* oversized */
	if (n <= 8 && chance(r, 50)) {
		v = pick_u64(r);
		g_bytes(g, NULL, &v, n);
	} else {
		g_bytes(g, r, NULL, n);
	}
}

static void gen_random_attrs(struct gen *g, struct rng *r, unsigned int depth)
{
	unsigned int i, n = below(r, depth ? 5 : 8);
	uint16_t type;
	size_t off;

	for (i = 0; i < n && g_room(g) > 16; i++) {
		if (chance(r, 75))
			type = below(r, 12);
		else
			type = (uint16_t)rnd(r) & NLA_TYPE_MASK;
		if (chance(r, 5))
			type |= NLA_F_NET_BYTEORDER;
		if (depth < 3 && chance(r, 35)) {
			off = g_begin(g, type | (chance(r, 80) ? NLA_F_NESTED : 0));
			if (chance(r, 80))
				gen_random_attrs(g, r, depth + 1);
			else
				gen_payload(g, r);	/* nested garbage */
			g_end(g, off);
		} else {
			off = g_begin(g, type | (chance(r, 5) ? NLA_F_NESTED : 0));
			gen_payload(g, r);
			g_end(g, off);
		}
	}
}

/* ---- mutations ---- */

/*
 * A random attribute header of the buffer, at *h: false when there is none
 * or fewer than need of its bytes are in the buffer.
 */
static bool pick_hdr(struct gen *g, struct rng *r, size_t need, uint32_t *h)
{
	if (!g->nhdrs)
		return false;
	*h = g->hdrs[below(r, g->nhdrs)];
	return *h + need <= g->len;
}

static void mutate_once(struct gen *g, struct rng *r)
{
	uint16_t v16, len;
	size_t at, n;
	uint32_t h;

	switch (below(r, 10)) {
	case 0:		/* flip a bit */
		if (g->len)
			g->buf[below(r, g->len)] ^= 1u << below(r, 8);
		break;
	case 1:		/* overwrite a byte */
		if (g->len)
			g->buf[below(r, g->len)] = (unsigned char)pick_u64(r);
		break;
	case 2:		/* an attribute's length: truncated, oversized, absurd */
		if (!pick_hdr(g, r, 2, &h))
			break;
		memcpy(&len, g->buf + h, 2);
		switch (below(r, 6)) {
		case 0: v16 = below(r, 4); break;		/* < NLA_HDRLEN */
		case 1: v16 = NLA_HDRLEN; break;		/* empty */
		case 2: v16 = len - 1 - below(r, 4); break;	/* truncated */
		case 3: v16 = len + 1 + below(r, 8); break;	/* oversized */
		case 4: v16 = len + 4 * (1 + below(r, 64)); break;
		default: v16 = (uint16_t)rnd(r); break;
		}
		memcpy(g->buf + h, &v16, 2);
		break;
	case 3:		/* an attribute's type or flags */
		if (!pick_hdr(g, r, 4, &h))
			break;
		memcpy(&v16, g->buf + h + 2, 2);
		switch (below(r, 4)) {
		case 0: v16 ^= NLA_F_NESTED; break;
		case 1: v16 ^= NLA_F_NET_BYTEORDER; break;
		case 2: v16 = (v16 & ~NLA_TYPE_MASK) | below(r, 12); break;
		default: v16 = (uint16_t)rnd(r); break;
		}
		memcpy(g->buf + h + 2, &v16, 2);
		break;
	case 4:		/* cut the tail */
		if (g->len)
			g->len = below(r, g->len);
		break;
	case 5:		/* append garbage */
		g_bytes(g, r, NULL, below(r, 64));
		break;
	case 6:		/* append a random (possibly huge) attribute */
		gen_random_attrs(g, r, 2);
		if (chance(r, 30)) {
			n = g_begin(g, below(r, 12) | (chance(r, 50) ? NLA_F_NESTED : 0));
			g_bytes(g, r, NULL, 1000 + below(r, 15000));
			g_end(g, n);
		}
		break;
	case 7:		/* duplicate an attribute */
		if (!pick_hdr(g, r, 2, &h))
			break;
		memcpy(&len, g->buf + h, 2);
		if (len < NLA_HDRLEN || h + len > g->len || len > g_room(g))
			break;
		at = g->len;
		memmove(g->buf + at, g->buf + h, len);
		g->len += len;
		g_pad(g);
		break;
	case 8:		/* insert bytes (breaks alignment) */
		n = 1 + below(r, 3);
		if (n > g_room(g) || !g->len)
			break;
		at = below(r, g->len);
		memmove(g->buf + at + n, g->buf + at, g->len - at);
		g->len += n;
		while (n--)
			g->buf[at + n] = (unsigned char)rnd(r);
		break;
	default:	/* a nested attribute where a scalar belongs, or back */
		if (!pick_hdr(g, r, 4, &h))
			break;
		v16 = NLA_HDRLEN + 4 * below(r, 3);
		memcpy(g->buf + h, &v16, 2);
		memcpy(&v16, g->buf + h + 2, 2);
		v16 ^= NLA_F_NESTED;
		memcpy(g->buf + h + 2, &v16, 2);
		break;
	}
}

/* ---- messages, batches, the oracle ---- */

enum fuzz_role { ROLE_ROOT, ROLE_NOBODY };

/* Reply classes counted. */
enum { E_OK, E_INVAL, E_OPNOTSUPP, E_PERM, E_NOENT, E_NOSPC, E_OTHER, E_N };

static const char * const e_names[E_N] = {
	"0", "EINVAL", "EOPNOTSUPP", "EPERM", "ENOENT", "ENOSPC", "other",
};

/* Results, in memory shared with the child that fuzzes. */
struct fuzz_result {
	uint64_t sent, acked, batches;
	uint64_t count[E_N];
	uint64_t violations, missing, overruns;
	uint64_t generated[4];		/* valid, mutated, random, raw */
	uint64_t root_lock_attempts;	/* must stay 0 */
	double seconds;
	bool capped;			/* stopped by the time cap */
};

static const char * const gen_names[4] = { "valid", "mutated", "random-attrs", "raw-bytes" };

struct fmsg {
	size_t off, len;	/* in the batch buffer */
	uint32_t seq;
	uint16_t flags;
	uint16_t reserved;	/* genlmsghdr.reserved */
	uint8_t cmd;
	bool short_genl;
	int err;
	bool acked;
	char extack[128];
};

struct fuzzer {
	enum fuzz_role role;
	int family, fd;
	struct rng rng;
	struct fuzz_result *res;
	unsigned char *batch;
	size_t blen;
	struct fmsg msgs[FUZZ_BATCH_MSGS];
	unsigned int n;
	uint32_t seq;
	unsigned int reports;
	unsigned int batch_max;		/* PMG_FUZZ_BATCH, 1..FUZZ_BATCH_MSGS */
	struct gen g;
	unsigned char *rbuf;		/* FUZZ_BATCH_MSGS * 2 receive slots */
};

static bool known_cmd(uint8_t cmd)
{
	return cmd >= PMG_CMD_GET_STATUS && cmd <= PMG_CMD_MAX &&
	       cmd != PMG_CMD_FINDING;
}

/* The commands nobody may not send: the counters need CAP_NET_ADMIN too. */
static bool admin_cmd(uint8_t cmd)
{
	return cmd == PMG_CMD_GET_STATS ||
	       (cmd >= PMG_CMD_SET_CONFIG && cmd <= PMG_CMD_MAX);
}

static int e_class(int err)
{
	switch (err) {
	case 0: return E_OK;
	case -EINVAL: return E_INVAL;
	case -EOPNOTSUPP: return E_OPNOTSUPP;
	case -EPERM: return E_PERM;
	case -ENOENT: return E_NOENT;
	case -ENOSPC: return E_NOSPC;
	default: return E_OTHER;
	}
}

/* Flags the core's strict header check refuses. */
static bool odd_flags(uint16_t flags)
{
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	return flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO);
}

/* NULL if err is an acceptable answer to m, else why not. */
static const char *oracle(enum fuzz_role role, const struct fmsg *m, int err)
{
	bool dump = (m->flags & NLM_F_DUMP) == NLM_F_DUMP;

	if (!(m->flags & NLM_F_REQUEST))
		return err ? "a message without NLM_F_REQUEST must be acked with 0" : NULL;
	if (m->short_genl)
		return err != -EINVAL ? "a short genl header must be -EINVAL" : NULL;
	if (!known_cmd(m->cmd)) {
		/* From resv_start_op (PMG_CMD_MAX + 1) on, the core checks
		 * the header strictly before it looks the command up.
		 */
		if (m->cmd > PMG_CMD_MAX && (m->reserved || odd_flags(m->flags)))
			return err != -EINVAL && err != -EOPNOTSUPP ?
			       "an unknown command must be -EINVAL or -EOPNOTSUPP" : NULL;
		return err != -EOPNOTSUPP ? "an unknown command must be -EOPNOTSUPP" : NULL;
	}
	if (role == ROLE_NOBODY && admin_cmd(m->cmd))
		return err == -EPERM || (dump && err == -EOPNOTSUPP) ? NULL :
		       "an admin command from nobody must be -EPERM";
	if (dump)
		return err != -EOPNOTSUPP ? "NLM_F_DUMP must be -EOPNOTSUPP (no dumps)" : NULL;
	switch (err) {
	case 0:
	case -EINVAL:
		return NULL;
	case -ENOENT:
		return m->cmd == PMG_CMD_ALLOW_DEL ? NULL :
		       "-ENOENT from a command other than ALLOW_DEL";
	case -ENOSPC:
		return m->cmd == PMG_CMD_ALLOW_ADD || m->cmd == PMG_CMD_APPLY ||
		       m->cmd == PMG_CMD_PACE ?
		       NULL : "-ENOSPC from a command other than ALLOW_ADD, APPLY or PACE";
	case -EPERM:
		return "-EPERM for root (the policy is never locked here)";
	case -EOPNOTSUPP:
		return "-EOPNOTSUPP for a known command";
	default:
		return "errno outside 0, -EINVAL, -EOPNOTSUPP, -EPERM, -ENOENT, -ENOSPC";
	}
}

static void hexdump(const unsigned char *p, size_t len)
{
	size_t i, shown = len > 2048 ? 2048 : len;

	for (i = 0; i < shown; i++) {
		if (i % 32 == 0)
			printf("#   %04zx:", i);
		printf(" %02x", p[i]);
		if (i % 32 == 31 || i + 1 == shown)
			printf("\n");
	}
	if (shown < len)
		printf("#   ... %zu more bytes\n", len - shown);
}

static void report(struct fuzzer *f, const struct fmsg *m, const char *why)
{
	f->res->violations++;
	if (f->reports++ >= FUZZ_REPORTS)
		return;
	printf("# FUZZ VIOLATION (%s): %s\n",
	       f->role == ROLE_ROOT ? "root" : "nobody", why);
	if (m->acked)
		printf("#   reply %d (%s)%s%s%s\n", m->err, strerror(-m->err),
		       m->extack[0] ? ", extack \"" : "", m->extack,
		       m->extack[0] ? "\"" : "");
	printf("#   message: cmd %u, nlmsg_flags 0x%x, %zu bytes:\n",
	       m->cmd, m->flags, m->len);
	hexdump(f->batch + m->off, m->len);
	fflush(stdout);
}

/* Builds one message at the end of the batch. */
static void build_one(struct fuzzer *f)
{
	static const uint16_t extra_flags[] = {
		NLM_F_MULTI, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_DUMP, NLM_F_APPEND,
	};
	static const uint8_t cmds[] = {
		PMG_CMD_GET_STATUS, PMG_CMD_GET_STATS, PMG_CMD_GET_CONFIG,
		PMG_CMD_SET_CONFIG, PMG_CMD_ALLOW_ADD, PMG_CMD_ALLOW_DEL,
		PMG_CMD_ALLOW_LIST, PMG_CMD_APPLY, PMG_CMD_LOCK,
		PMG_CMD_SET_CONFIG, PMG_CMD_ALLOW_ADD, PMG_CMD_APPLY,
		PMG_CMD_ALLOW_DEL, PMG_CMD_PACE,
	};
	struct rng *r = &f->rng;
	struct gen *g = &f->g;
	struct fmsg *m = &f->msgs[f->n];
	struct nlmsghdr nh;
	struct genlmsghdr gh = { .version = PMG_GENL_VERSION };
	unsigned int kind, k;
	size_t body;

	memset(m, 0, sizeof(*m));
	g->len = 0;
	g->nhdrs = 0;
	if (chance(r, 80))
		gh.cmd = cmds[below(r, ARRAY_LEN(cmds))];
	else
		gh.cmd = (uint8_t)rnd(r);
	if (f->role == ROLE_ROOT && gh.cmd == PMG_CMD_LOCK)
		gh.cmd = PMG_CMD_GET_STATUS;	/* never lock */
	kind = below(r, 100);
	if (kind < 30) {
		kind = 0;
		gen_valid(g, r, gh.cmd);
	} else if (kind < 75) {
		kind = 1;
		gen_valid(g, r, gh.cmd);
		for (k = 1 + below(r, 8); k; k--)
			mutate_once(g, r);
	} else if (kind < 95) {
		kind = 2;
		gen_random_attrs(g, r, 0);
		if (chance(r, 30))
			mutate_once(g, r);
	} else {
		kind = 3;
		g_bytes(g, r, NULL, below(r, 512));
	}
	f->res->generated[kind]++;
	if (chance(r, 5))
		gh.version = (uint8_t)rnd(r);
	if (chance(r, 3))
		gh.reserved = (uint16_t)rnd(r);

	nh.nlmsg_type = f->family;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (chance(r, 10))
		nh.nlmsg_flags |= chance(r, 70) ?
			extra_flags[below(r, ARRAY_LEN(extra_flags))] :
			(uint16_t)rnd(r);
	if (chance(r, 2))
		nh.nlmsg_flags &= ~NLM_F_REQUEST;
	nh.nlmsg_flags |= NLM_F_ACK;	/* every message gets an answer */
	nh.nlmsg_seq = ++f->seq;
	nh.nlmsg_pid = chance(r, 2) ? (uint32_t)rnd(r) : 0;

	m->short_genl = chance(r, 1);
	if (m->short_genl)
		body = below(r, GENL_HDRLEN);
	else
		body = GENL_HDRLEN + g->len;
	nh.nlmsg_len = NLMSG_HDRLEN + body;
	m->off = f->blen;
	m->len = nh.nlmsg_len;
	m->seq = nh.nlmsg_seq;
	m->flags = nh.nlmsg_flags;
	m->cmd = gh.cmd;
	m->reserved = gh.reserved;
	memcpy(f->batch + f->blen, &nh, sizeof(nh));
	memcpy(f->batch + f->blen + NLMSG_HDRLEN, &gh,
	       body < GENL_HDRLEN ? body : GENL_HDRLEN);
	if (body > GENL_HDRLEN)
		memcpy(f->batch + f->blen + NLMSG_HDRLEN + GENL_HDRLEN,
		       g->buf, g->len);
	/* Zero padding up to the next message. */
	memset(f->batch + f->blen + nh.nlmsg_len, 0,
	       NLMSG_ALIGN(nh.nlmsg_len) - nh.nlmsg_len);
	f->blen += NLMSG_ALIGN(nh.nlmsg_len);
	if (f->role == ROLE_ROOT && known_cmd(gh.cmd) && gh.cmd == PMG_CMD_LOCK)
		f->res->root_lock_attempts++;
	f->n++;
}

/* The ack's extended message, if any (NETLINK_CAP_ACK: no echo). */
static void ack_extack(const struct nlmsghdr *h, char *out, size_t outsz)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nlmsgerr));
	struct nlattr a;

	out[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		memcpy(&a, (const char *)h + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > h->nlmsg_len)
			return;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(out, outsz, "%.*s", (int)(a.nla_len - NLA_HDRLEN),
				 (const char *)h + off + NLA_HDRLEN);
		off += NLA_ALIGN(a.nla_len);
	}
}

/* Handles the messages of one received datagram; returns acks seen. */
static unsigned int take_acks(struct fuzzer *f, const unsigned char *buf,
			      size_t len, uint32_t first_seq)
{
	const struct nlmsghdr *h;
	unsigned int acks = 0;
	int left = (int)len;

	for (h = (const struct nlmsghdr *)buf; NLMSG_OK(h, left);
	     h = NLMSG_NEXT(h, left)) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		struct fmsg *m;
		uint32_t i;

		if (h->nlmsg_type != NLMSG_ERROR)
			continue;	/* a reply: its ack follows */
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			continue;
		i = e->msg.nlmsg_seq - first_seq;
		if (i >= f->n) {
			printf("# stray ack for sequence %u\n", e->msg.nlmsg_seq);
			f->res->violations++;
			continue;
		}
		m = &f->msgs[i];
		if (m->acked) {
			report(f, m, "acked twice");
			continue;
		}
		m->acked = true;
		m->err = e->error;
		ack_extack(h, m->extack, sizeof(m->extack));
		acks++;
	}
	return acks;
}

/* Sends the batch, reads every ack, checks each answer. */
static int flush_batch(struct fuzzer *f)
{
	struct mmsghdr mm[FUZZ_BATCH_MSGS * 2];
	struct iovec iov[FUZZ_BATCH_MSGS * 2];
	unsigned int got = 0, i;
	uint32_t first_seq;
	double deadline;
	ssize_t sent;
	int n;

	if (!f->n)
		return 0;
	first_seq = f->msgs[0].seq;
	sent = send(f->fd, f->batch, f->blen, 0);
	if (sent != (ssize_t)f->blen) {
		printf("# send of a %zu-byte batch failed: %s\n", f->blen,
		       sent < 0 ? strerror(errno) : "short send");
		return -1;
	}
	f->res->sent += f->n;
	f->res->batches++;
	deadline = pmg_now() + 10;
	while (got < f->n) {
		for (i = 0; i < ARRAY_LEN(mm); i++) {
			iov[i].iov_base = f->rbuf + (size_t)i * FUZZ_RECV_SLOT;
			iov[i].iov_len = FUZZ_RECV_SLOT;
			memset(&mm[i].msg_hdr, 0, sizeof(mm[i].msg_hdr));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		/* All acks are queued when send() returns; wait only if not. */
		n = recvmmsg(f->fd, mm, ARRAY_LEN(mm), MSG_DONTWAIT, NULL);
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = f->fd, .events = POLLIN };

			if (pmg_now() > deadline)
				break;
			poll(&p, 1, 100);
			continue;
		}
		if (n < 0 && errno == ENOBUFS) {
			printf("# receive buffer overrun: acks lost (fuzzer too greedy)\n");
			f->res->overruns++;
			break;
		}
		if (n < 0) {
			printf("# recvmmsg: %s\n", strerror(errno));
			return -1;
		}
		for (i = 0; i < (unsigned int)n; i++)
			got += take_acks(f, f->rbuf + (size_t)i * FUZZ_RECV_SLOT,
					 mm[i].msg_len, first_seq);
	}
	for (i = 0; i < f->n; i++) {
		struct fmsg *m = &f->msgs[i];
		const char *why;

		if (!m->acked) {
			f->res->missing++;
			report(f, m, "no ack");
			continue;
		}
		f->res->acked++;
		f->res->count[e_class(m->err)]++;
		why = oracle(f->role, m, m->err);
		if (why)
			report(f, m, why);
	}
	f->n = 0;
	f->blen = 0;
	return 0;
}

static int fuzz_socket(void)
{
	int fd, one = 1, size = FUZZ_SOCKBUF;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	/* Root may force; nobody gets up to net.core.[rw]mem_max. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
fail:
	close(fd);
	return -1;
}

/* Sends n messages; 0, or -1 if the fuzzer itself could not go on. */
static int fuzz_run(enum fuzz_role role, int family, uint64_t seed,
		    uint64_t n, double cap, struct fuzz_result *res)
{
	struct fuzzer *f = calloc(1, sizeof(*f));
	int rcv = 0, snd = 0, rc = -1;
	socklen_t sl = sizeof(int);
	size_t max_reply_room;
	double t0 = pmg_now();
	uint64_t i;

	if (!f)
		return -1;
	f->role = role;
	f->family = family;
	f->res = res;
	f->rng.s = seed ? seed : 1;
	f->batch = malloc(FUZZ_BATCH_BYTES + 2 * FUZZ_MAX_ATTRS);
	f->rbuf = malloc((size_t)FUZZ_BATCH_MSGS * 2 * FUZZ_RECV_SLOT);
	f->fd = fuzz_socket();
	if (!f->batch || !f->rbuf || f->fd < 0)
		goto out;
	getsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &rcv, &sl);
	getsockopt(f->fd, SOL_SOCKET, SO_SNDBUF, &snd, &sl);
	/* Each message may queue a reply (ALLOW_LIST: up to ~32 KiB) and an ack. */
	max_reply_room = (size_t)rcv / (64 * 1024);
	f->batch_max = env_u64("PMG_FUZZ_BATCH", FUZZ_BATCH_MSGS);
	if (f->batch_max < 1 || f->batch_max > FUZZ_BATCH_MSGS)
		f->batch_max = FUZZ_BATCH_MSGS;
	if (f->batch_max > max_reply_room)
		f->batch_max = max_reply_room;
	printf("# %s: socket buffers rcv %d snd %d, batches of up to %u messages\n",
	       role == ROLE_ROOT ? "root" : "nobody", rcv, snd, f->batch_max);
	if (max_reply_room < 1 || snd < FUZZ_BATCH_BYTES + 2 * FUZZ_MAX_ATTRS) {
		printf("# socket buffers too small for batches\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		build_one(f);
		if (f->n >= f->batch_max || f->n >= max_reply_room ||
		    f->blen >= FUZZ_BATCH_BYTES || i + 1 == n) {
			if (flush_batch(f))
				goto out;
			if (cap > 0 && pmg_now() - t0 > cap && i + 1 < n) {
				res->capped = true;
				break;
			}
		}
	}
	rc = 0;
out:
	res->seconds = pmg_now() - t0;
	if (f->fd >= 0)
		close(f->fd);
	free(f->batch);
	free(f->rbuf);
	free(f);
	fflush(stdout);
	return rc;
}

static void print_result(const char *who, uint64_t seed,
			 const struct fuzz_result *r)
{
	int i;

	printf("# %s: %" PRIu64 " messages in %" PRIu64 " batches, %.1f s (%.0f/s), seed %" PRIu64 "\n",
	       who, r->sent, r->batches, r->seconds,
	       r->seconds > 0 ? r->sent / r->seconds : 0.0, seed);
	if (r->capped)
		printf("# %s: stopped at the time cap (PMG_FUZZ_SECONDS)\n", who);
	printf("# %s: acked %" PRIu64 ", missing %" PRIu64 ", overruns %" PRIu64
	       ", violations %" PRIu64 "\n", who, r->acked, r->missing,
	       r->overruns, r->violations);
	printf("# %s: replies:", who);
	for (i = 0; i < E_N; i++)
		printf(" %s=%" PRIu64, e_names[i], r->count[i]);
	printf("\n# %s: generated:", who);
	for (i = 0; i < 4; i++)
		printf(" %s=%" PRIu64, gen_names[i], r->generated[i]);
	printf("\n");
	fflush(stdout);
}

/* ---- the environment: findings flowing, a listener ---- */

/* A CLI listener whose every line is checked to be JSON and then dropped
 * (the fuzzer may turn the rate limit off: nothing is kept).
 */
/* Opens our own mem file until the listener prints something. */
static bool json_listener_ready(struct pmg_counting_listener *l, double seconds)
{
	double end = pmg_now() + seconds;
	int fd;

	while (pmg_now() < end) {
		if (pmg_counting_lines(l))
			return true;
		fd = open("/proc/self/mem", O_RDONLY);
		if (fd >= 0)
			close(fd);
		usleep(100000);
	}
	return false;
}

/* True if the listener is still running. */
static bool json_listener_alive(struct pmg_counting_listener *l)
{
	return l->pid > 0 && waitpid(l->pid, NULL, WNOHANG) == 0;
}

static void json_listener_stop(struct pmg_counting_listener *l)
{
	if (l->pid <= 0)
		return;
	kill(l->pid, SIGTERM);
	waitpid(l->pid, NULL, 0);
	pthread_join(l->reader, NULL);
	l->pid = 0;
}

/* A child opening its own mem file in a loop (a quarter read-write). */
static pid_t start_opener(void)
{
	pid_t pid = fork();
	unsigned int i;
	int fd;

	if (pid)
		return pid;
	prctl(PR_SET_NAME, "pmg-fuzz-open");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0;; i++) {
		fd = open("/proc/self/mem", i % 4 ? O_RDONLY : O_RDWR);
		if (fd >= 0)
			close(fd);
		usleep(5000);
	}
}

static void write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0)
		perror(path);
	close(fd);
}

static void read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* Output of a CLI command (as root); its exit status. */
static int cli_text(const char *args, char *buf, size_t size)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", pmg_cli(), args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(buf, 1, size - 1, p);
	buf[n] = '\0';
	return pclose(p);
}

/* `allow list` without the rule ids (they only ever grow). */
static int rules_text(char *buf, size_t size)
{
	char raw[16384], *line, *save = NULL, *sp;
	size_t used = 0;
	int rc = cli_text("allow list", raw, sizeof(raw));

	buf[0] = '\0';
	for (line = strtok_r(raw, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		used += snprintf(buf + used, used < size ? size - used : 0,
				 "%s\n", sp ? sp + 1 : "");
	}
	return rc;
}

/*
 * Every setting: applying keeps a setting the file leaves out, and the
 * fuzzing may have changed any of them.
 */
static const char known_policy[] =
	"read alert\n"
	"write alert\n"
	"attach alert\n"
	"ratelimit 10/s burst 20\n"
	"log on\n"
	"report-allowed off\n"
	"allow uid=4242 access=read\n"
	"allow exe=/bin/busybox uid=4243 access=read-write\n";

static int apply_known_policy(char *msg, size_t msgsz)
{
	struct pmg_policy p;
	struct pmg_perr perr;
	struct pmg_nl *nl;
	FILE *f = fmemopen((void *)known_policy, strlen(known_policy), "r");
	int err;

	msg[0] = '\0';
	if (!f)
		return -errno;
	err = pmg_policy_parse(f, "known-policy", &p, &perr);
	fclose(f);
	if (err) {
		snprintf(msg, msgsz, "%.200s", perr.msg);
		return err;
	}
	err = pmg_nl_open(&nl);
	if (!err) {
		err = pmg_apply(nl, &p.config, p.rules, p.nrules);
		if (err && pmg_nl_extack(nl))
			snprintf(msg, msgsz, "%.200s", pmg_nl_extack(nl));
		pmg_nl_close(nl);
	}
	pmg_policy_free(&p);
	return err;
}

/* The invariant (pmg_stats_accounted()) once the rings are empty; the
 * opener is paused meanwhile. kill() returns before the opener stops, and
 * an open it finishes between the reads of two counters breaks the sum by
 * one (seen once on 6.1), so it waits until the opener has stopped.
 */
static bool invariant_holds(pid_t opener, struct pmg_stats *st)
{
	char terms[256];
	uint64_t sum;
	int err, ws;

	kill(opener, SIGSTOP);
	if (waitpid(opener, &ws, WUNTRACED) != opener || !WIFSTOPPED(ws))
		return false;
	err = pmg_settle(st);
	kill(opener, SIGCONT);
	if (err || st->v[PMG_S_INFLIGHT])
		return false;
	sum = pmg_stats_accounted(st);
	printf("# stats: matches %" PRIu64 " = %s (sum %" PRIu64 "), blocked %"
	       PRIu64 "\n", st->v[PMG_S_MATCHES],
	       pmg_stats_terms(st, terms, sizeof(terms)), sum,
	       st->v[PMG_S_BLOCKED]);
	return sum == st->v[PMG_S_MATCHES];
}

/* Runs the fuzzer in a child (as nobody if asked); fills *res. */
static int fuzz_in_child(enum fuzz_role role, int family, uint64_t seed,
			 uint64_t n, double cap, struct fuzz_result *res)
{
	pid_t pid;
	int st;

	memset(res, 0, sizeof(*res));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (role == ROLE_NOBODY &&
		    (setgroups(0, NULL) || setgid(FUZZ_NOBODY) ||
		     setuid(FUZZ_NOBODY) || prctl(PR_SET_DUMPABLE, 1) ||
		     getuid() != FUZZ_NOBODY))
			_exit(100);
		_exit(fuzz_run(role, family, seed, n, cap, res) ? 101 : 0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- the tests ---- */

FIXTURE(fuzz) {
	struct pmg_counting_listener l;
	struct fuzz_result *res;
	pid_t opener;
	int family;
	uint64_t total, seed;
	double cap;		/* seconds for each of the two users */
	char rmem[32], wmem[32];
};

FIXTURE_SETUP(fuzz)
{
	char msg[256];

	self->total = env_u64("PMG_FUZZ_MESSAGES", FUZZ_DEFAULT_MESSAGES);
	self->cap = env_u64("PMG_FUZZ_SECONDS", 240) / 2.0;
	self->seed = env_u64("PMG_FUZZ_SEED", 0);
	if (!self->seed)
		self->seed = (uint64_t)time(NULL) * 2654435761ULL ^ getpid();
	self->res = mmap(NULL, sizeof(*self->res), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->res);
	/* Room for a batch's acks and replies, also for nobody. */
	read_file("/proc/sys/net/core/rmem_max", self->rmem, sizeof(self->rmem));
	read_file("/proc/sys/net/core/wmem_max", self->wmem, sizeof(self->wmem));
	write_file("/proc/sys/net/core/rmem_max", "16777216");
	write_file("/proc/sys/net/core/wmem_max", "16777216");
	pmg_unload();
	ASSERT_EQ(0, pmg_load(NULL));
	self->family = pmg_family_ids(NULL);
	ASSERT_GT(self->family, 0);
	ASSERT_EQ(0, apply_known_policy(msg, sizeof(msg))) TH_LOG("%s", msg);
	ASSERT_EQ(0, pmg_counting_listener_start(&self->l, false, true, NULL));
	ASSERT_TRUE(json_listener_ready(&self->l, 30));
	self->opener = start_opener();
	ASSERT_GT(self->opener, 0);
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->opener > 0) {
		kill(self->opener, SIGKILL);
		waitpid(self->opener, NULL, 0);
	}
	json_listener_stop(&self->l);
	pmg_unload();
	if (self->rmem[0])
		write_file("/proc/sys/net/core/rmem_max", self->rmem);
	if (self->wmem[0])
		write_file("/proc/sys/net/core/wmem_max", self->wmem);
}

/*
 * What every fuzzing run must show: all n messages sent (unless the time cap
 * came first), each acked exactly once and as the oracle expects, and the
 * listener still running, every line it wrote JSON.
 */
static void expect_clean_run(struct __test_metadata *_metadata,
			     struct pmg_counting_listener *l,
			     const struct fuzz_result *r, uint64_t n)
{
	uint64_t bad = __atomic_load_n(&l->bad, __ATOMIC_RELAXED);

	if (!r->capped)
		EXPECT_EQ(n, r->sent);
	EXPECT_EQ(r->sent, r->acked);
	EXPECT_EQ(0, r->missing);
	EXPECT_EQ(0, r->overruns);
	EXPECT_EQ(0, r->violations);
	EXPECT_EQ(0, r->count[E_OTHER]);
	EXPECT_TRUE(json_listener_alive(l));
	printf("# listener: %" PRIu64 " lines, %" PRIu64 " not JSON\n",
	       pmg_counting_lines(l), bad);
	EXPECT_EQ(0, bad);
}

/* Nobody: only EPERM for admin commands, and nothing changes. */
TEST_F_TIMEOUT(fuzz, nobody_changes_nothing, 600)
{
	char cfg0[2048], cfg1[2048], rules0[8192], rules1[8192];
	uint64_t n = self->total / 2;
	struct fuzz_result *r = self->res;
	struct pmg_stats st;
	int rc;

	ASSERT_EQ(0, cli_text("config show", cfg0, sizeof(cfg0))) TH_LOG("%s", cfg0);
	ASSERT_EQ(0, rules_text(rules0, sizeof(rules0))) TH_LOG("%s", rules0);
	rc = fuzz_in_child(ROLE_NOBODY, self->family, self->seed, n, self->cap, r);
	print_result("nobody", self->seed, r);
	ASSERT_EQ(0, rc) TH_LOG("the fuzzing child failed (exit status %d)", rc);
	expect_clean_run(_metadata, &self->l, r, n);
	/* Never past the permission check of a state-changing command. */
	EXPECT_EQ(0, r->count[E_NOENT]);
	EXPECT_EQ(0, r->count[E_NOSPC]);
	EXPECT_GT(r->count[E_PERM], 0);
	EXPECT_EQ(0, cli_text("config show", cfg1, sizeof(cfg1)));
	EXPECT_EQ(0, rules_text(rules1, sizeof(rules1)));
	EXPECT_STREQ(cfg0, cfg1);
	EXPECT_STREQ(rules0, rules1);
	EXPECT_TRUE(invariant_holds(self->opener, &st));
}

/* Root: any policy may come and go, but never an odd errno; then a known
 * policy goes back in.
 */
TEST_F_TIMEOUT(fuzz, root_gets_only_expected_errors, 600)
{
	char cfg0[2048], cfg1[2048], rules0[8192], rules1[8192], msg[256];
	uint64_t n = self->total - self->total / 2;
	struct fuzz_result *r = self->res;
	struct pmg_stats st;
	int rc;

	ASSERT_EQ(0, cli_text("config show", cfg0, sizeof(cfg0))) TH_LOG("%s", cfg0);
	ASSERT_EQ(0, rules_text(rules0, sizeof(rules0))) TH_LOG("%s", rules0);
	rc = fuzz_in_child(ROLE_ROOT, self->family, self->seed + 1, n, self->cap, r);
	print_result("root", self->seed + 1, r);
	ASSERT_EQ(0, rc) TH_LOG("the fuzzing child failed (exit status %d)", rc);
	expect_clean_run(_metadata, &self->l, r, n);
	EXPECT_EQ(0, r->root_lock_attempts);
	/* The fuzzing reached the policy code. */
	EXPECT_GT(r->count[E_OK], 0);
	EXPECT_GT(r->count[E_INVAL], 0);
	/* Never locked; the known policy goes back in as it was. */
	ASSERT_EQ(0, apply_known_policy(msg, sizeof(msg))) TH_LOG("%s", msg);
	EXPECT_EQ(0, cli_text("config show", cfg1, sizeof(cfg1)));
	EXPECT_EQ(0, rules_text(rules1, sizeof(rules1)));
	EXPECT_STREQ(cfg0, cfg1);
	EXPECT_STREQ(rules0, rules1);
	EXPECT_NE(NULL, strstr(cfg1, "locked: no"));
	EXPECT_TRUE(invariant_holds(self->opener, &st));
}

/*
 * Found by the fuzzer: ALLOW_LIST answers in one message; the rules the
 * module holds (up to PMG_MAX_RULES, every selector set) must fit it.
 */
TEST_F_TIMEOUT(fuzz, allow_list_holds_the_most_rules, 120)
{
	struct pmg_rule *rules = NULL, *got = NULL;
	struct pmg_config none = { 0 };
	char msg[256], out[256];
	struct pmg_nl *nl;
	size_t i, n = 0;
	int err;

	rules = calloc(PMG_MAX_RULES, sizeof(*rules));
	ASSERT_NE(NULL, rules);
	for (i = 0; i < PMG_MAX_RULES; i++) {
		rules[i].present = PMG_BIT(PMG_R_EXE_DEV) | PMG_BIT(PMG_R_EXE_INO) |
				   PMG_BIT(PMG_R_UID) | PMG_BIT(PMG_R_CGROUP_ID) |
				   PMG_BIT(PMG_R_SELF) | PMG_BIT(PMG_R_ACCESS);
		rules[i].exe_dev = 0xfffff;
		rules[i].exe_ino = 0xffffffffffULL + i;
		rules[i].uid = 100000 + i;
		rules[i].cgroup_id = 0xffffffffffULL + i;
		rules[i].self = true;
		rules[i].access = PMG_ACCESS_READ;
	}
	ASSERT_EQ(0, pmg_nl_open(&nl));
	err = pmg_apply(nl, &none, rules, PMG_MAX_RULES);
	ASSERT_EQ(0, err) TH_LOG("apply: %s", pmg_nl_extack(nl) ? pmg_nl_extack(nl) : "");
	err = pmg_allow_list(nl, &got, &n);
	EXPECT_EQ(0, err) TH_LOG("ALLOW_LIST with %d rules: %d (%s)", PMG_MAX_RULES,
				 err, strerror(-err));
	EXPECT_EQ(PMG_MAX_RULES, n);
	free(got);
	pmg_nl_close(nl);
	free(rules);
	EXPECT_EQ(0, cli_text("allow list | tail -n 1", out, sizeof(out))) TH_LOG("%s", out);
	ASSERT_EQ(0, apply_known_policy(msg, sizeof(msg))) TH_LOG("%s", msg);
}

TEST_HARNESS_MAIN
