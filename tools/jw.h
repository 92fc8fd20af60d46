/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jw.h - a small writer of one line of JSON (or text) into a reusable
 * buffer, for the lines `listen` prints: no allocation per line once the
 * buffer has grown, no object tree, exact escaping (escape.h), and lines
 * bounded in length.
 *
 * Strings from the kernel (comm, paths) are written through "slots"
 * (jw_bytes()): each slot is one string of the line that may be cut. A
 * line is written in one pass; if it comes out longer than the limit, the
 * caller writes it again with a cap per slot computed from what the first
 * pass measured (jw_plan()), the longest strings cut first, each at a
 * UTF-8 character boundary, and the cut slots are listed (jw_cut_names()).
 * Everything else in a line is bounded and never cut.
 */
#ifndef PMG_JW_H
#define PMG_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; p[len] is kept NUL. */
struct pmg_buf {
	char *p;
	size_t len, cap;
	bool oom;		/* an append failed: the content is cut */
};

void pmg_buf_free(struct pmg_buf *b);
/* Make room for n more bytes (and the NUL): false when out of memory. */
bool pmg_buf_grow(struct pmg_buf *b, size_t n);

/* n bytes from p to d; short copies without a call (they are most). */
static inline void pmg_copy(char *d, const void *p, size_t n)
{
	const char *s = p;
	uint64_t a, z;
	uint32_t x, y;

	if (__builtin_constant_p(n) || n > 16) {
		__builtin_memcpy(d, s, n);
	} else if (n >= 8) {		/* two overlapping words */
		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(&z, s + n - 8, 8);
		__builtin_memcpy(d, &a, 8);
		__builtin_memcpy(d + n - 8, &z, 8);
	} else if (n >= 4) {
		__builtin_memcpy(&x, s, 4);
		__builtin_memcpy(&y, s + n - 4, 4);
		__builtin_memcpy(d, &x, 4);
		__builtin_memcpy(d + n - 4, &y, 4);
	} else {
		while (n--)
			*d++ = *s++;
	}
}

static inline void pmg_buf_put(struct pmg_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n && !pmg_buf_grow(b, n))
		return;
	pmg_copy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void pmg_buf_putc(struct pmg_buf *b, char c)
{
	if (b->cap - b->len <= 1 && !pmg_buf_grow(b, 1))
		return;
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

#define JW_SLOTS	16	/* strings per line that may be cut */
#define JW_BLOCK	1024	/* bytes of a block (jw_room()) */
#define JW_NAME_MAX	64	/* a name (jo_qname()), counted in a block */

/* How a slot's bytes are escaped. */
enum jw_mode {
	JW_JSON,	/* a JSON string body: see escape.h */
	JW_TEXT,	/* text for a terminal: see escape.h */
};

struct jw {
	struct pmg_buf *b;
	enum jw_mode mode;
	const size_t *cap;		/* per slot; NULL: no limit (pass 1) */
	/* Measured per slot (pass 1: in full; pass 2: as written). */
	size_t cost[JW_SLOTS];		/* bytes the string and its exact
					 * bytes (jw_b64()) took
					 */
	size_t b64_extra[JW_SLOTS];	/* of those, the exact bytes' frame
					 * (key, quotes), without the base64
					 */
	uint32_t kept[JW_SLOTS];	/* bytes of the string written */
	bool invalid[JW_SLOTS];		/* those hold bytes that are not
					 * UTF-8: jw_b64() is due
					 */
	const char *name[JW_SLOTS];	/* the field, for "truncated" */
	bool cut[JW_SLOTS];
	unsigned int ncut;
	/* Commas for jw_key(): bit d set once depth d has a member. */
	uint32_t member;
	unsigned int depth;
	/* Where jw_room() lets a block write when out of memory. */
	char scratch[JW_BLOCK + 1];
};

/* Start a line (the buffer is emptied); cap NULL for no limit. */
void jw_start(struct jw *w, struct pmg_buf *b, enum jw_mode mode,
	      const size_t *cap);

#define jw_lit(w, s)	pmg_buf_put((w)->b, (s), sizeof(s) - 1)

static inline void jw_raw(struct jw *w, const char *s, size_t n)
{
	pmg_buf_put(w->b, s, n);
}

static inline void jw_c(struct jw *w, char c)
{
	pmg_buf_putc(w->b, c);
}

void jw_str0(struct jw *w, const char *s);	/* raw, NUL terminated */
void jw_u64(struct jw *w, uint64_t v);
void jw_i64(struct jw *w, int64_t v);
void jw_octal(struct jw *w, uint64_t v);	/* "0" then octal digits */

/*
 * Time as RFC 3339 UTC, "2026-11-27T01:02:03.123456789Z" with digits
 * (9, 6 or 3) fractional digits; no quotes.
 */
void jw_time(struct jw *w, uint64_t ns, int digits);

/* The time of day of ns, UTC: "01:02:03.123456789" (Falco's evt.time). */
void jw_tod(struct jw *w, uint64_t ns);

/* Bounded bytes escaped for the writer's mode, without quotes. */
void jw_ebytes(struct jw *w, const char *s, size_t n);

/* A quoted JSON string of ASCII text known to need no escaping. */
void jw_qstr(struct jw *w, const char *s);
/* A quoted JSON string of any bytes (bounded ones: no slot, never cut). */
void jw_qbytes(struct jw *w, const char *s, size_t n);

/*
 * The bytes p[0..n) of slot `slot` (field name `name`), escaped for the
 * writer's mode, without quotes, cut to fit the slot's cap. Afterwards
 * w->invalid[slot] tells if they held bytes that are not UTF-8 (in JSON
 * mode shown as U+FFFD), and jw_b64() then writes the exact bytes.
 */
void jw_bytes(struct jw *w, int slot, const char *name, const char *p,
	      size_t n);

/*
 * The exact bytes of slot (the part jw_bytes() kept) in base64, quoted,
 * preceded by frame[0..framelen) (e.g. ",\"comm_b64\":"), counted to the
 * slot. Nothing when the slot held only UTF-8.
 */
void jw_b64_put(struct jw *w, int slot, const char *frame, size_t framelen,
		const char *p);

static inline void jw_b64(struct jw *w, int slot, const char *frame,
			  size_t framelen, const char *p)
{
	if (w->invalid[slot])
		jw_b64_put(w, slot, frame, framelen, p);
}

/*
 * The bytes of slot as a quoted string: jw_c('"'), jw_bytes(), jw_c('"')
 * in one.
 */
void jw_qslot(struct jw *w, int slot, const char *name, const char *p,
	      size_t n);

/*
 * Blocks: bounded pieces written without a check each, for the lines
 * written most (a JSON finding). o = jw_room(w) makes room for JW_BLOCK
 * bytes and returns where they go; the jo_*() helpers write a piece at o
 * and return the end of it; jw_end(w, o) ends the block (the buffer then
 * holds everything up to o). A block writes at most JW_BLOCK bytes,
 * counting a literal by its length, a number as 20, a time as 32 and a
 * jo_qname() as JW_NAME_MAX + 2. No other writer call inside a block.
 * Out of memory, jw_room() returns a scratch area and jw_end() keeps
 * nothing: the line is cut (b->oom) as with every other writer.
 */
char *jw_room_slow(struct jw *w);

static inline char *jw_room(struct jw *w)
{
	struct pmg_buf *b = w->b;

	if (b->cap - b->len <= JW_BLOCK)
		return jw_room_slow(w);
	return b->p + b->len;
}

static inline void jw_end(struct jw *w, char *o)
{
	struct pmg_buf *b = w->b;

	if (b->oom)
		return;
	b->len = (size_t)(o - b->p);
	*o = '\0';
}

/*
 * A number of one line kept for the next lines: jo_u64_memo() writes v
 * as jo_u64() does, and copies the digits when v is the one last written
 * through m (a flood of findings comes mostly from one process). A memo
 * starts all zero.
 */
struct jw_memo {
	uint64_t v;
	uint8_t n;		/* digits in s; 0: none kept */
	char s[20];
};

char *jo_u64_keep(struct jw_memo *m, char *o, uint64_t v);

static inline char *jo_u64_memo(struct jw_memo *m, char *o, uint64_t v)
{
	if (m->n && m->v == v) {
		pmg_copy(o, m->s, sizeof(m->s));
		return o + m->n;
	}
	return jo_u64_keep(m, o, v);
}

/*
 * The same for a name (jo_qname(), or null when s is NULL) of a value v:
 * jo_name_keep() writes it and keeps it in m (but a name longer than
 * JW_NAME_MAX), jo_name_memo() copies it while v is the same.
 */
struct jw_name_memo {
	uint64_t v;
	uint8_t n;		/* bytes in s; 0: none kept */
	char s[JW_NAME_MAX + 2];
};

char *jo_name_keep(struct jw *w, struct jw_name_memo *m, char *o,
		   uint64_t v, const char *s);

static inline bool jo_name_kept(const struct jw_name_memo *m, uint64_t v)
{
	return m->n && m->v == v;
}

static inline char *jo_name_memo(struct jw_name_memo *m, char *o)
{
	pmg_copy(o, m->s, m->n);
	return o + m->n;
}

/* End the block at o and start another. */
static inline char *jw_next(struct jw *w, char *o)
{
	jw_end(w, o);
	return jw_room(w);
}

#define jo_lit(o, s)	(pmg_copy((o), (s), sizeof(s) - 1), (o) + sizeof(s) - 1)

char *jo_u64(char *o, uint64_t v);		/* at most 20 bytes */
/* jw_time() at o: at most 31 bytes. */
char *jo_time(char *o, uint64_t ns, int digits);
/*
 * A quoted name (ASCII text known to need no escaping, as jw_qstr());
 * one longer than JW_NAME_MAX ends the block and starts another (o
 * changes).
 */
char *jo_qname_long(struct jw *w, char *o, const char *s, size_t n);

static inline char *jo_qname(struct jw *w, char *o, const char *s)
{
	size_t n = __builtin_strlen(s);

	if (n > JW_NAME_MAX)
		return jo_qname_long(w, o, s, n);
	o[0] = '"';
	pmg_copy(o + 1, s, n);
	o[n + 1] = '"';
	return o + n + 2;
}

/*
 * The bytes p[0..n) of slot as a quoted string and, when they held bytes
 * that are not UTF-8, frame and their exact bytes (jw_qslot() then
 * jw_b64()), counted in a block as a jo_qname(): a string longer than
 * JW_NAME_MAX, or one to escape or cut, ends the block and starts another.
 */
char *jo_slot(struct jw *w, char *o, int slot, const char *name,
	      const char *p, size_t n, const char *frame, size_t framelen);

/*
 * Objects and arrays whose members are optional: jw_open() and jw_close()
 * ("{", "}", "[", "]"), jw_key(w, "literal") for a member (its comma when
 * it is not the first, then "key":), jw_elem() for an array's element.
 */
static inline void jw_open(struct jw *w, char c)
{
	jw_c(w, c);
	w->depth++;
	w->member &= ~(1u << w->depth);
}

static inline void jw_close(struct jw *w, char c)
{
	jw_c(w, c);
	w->member &= ~(1u << w->depth);
	w->depth--;
}

static inline void jw_elem(struct jw *w)
{
	uint32_t bit = 1u << w->depth;

	if (w->member & bit)
		jw_c(w, ',');
	w->member |= bit;
}

/* Mark the current object as having members (written with jw_lit()). */
static inline void jw_has_member(struct jw *w)
{
	w->member |= 1u << w->depth;
}

#define jw_key(w, k)	do { jw_elem(w); jw_lit(w, "\"" k "\":"); } while (0)
/* A key that is not a literal. */
void jw_key_str(struct jw *w, const char *key);

/*
 * After a first pass of length len1 (w as it measured), the caps for a
 * second pass so that the line takes at most max bytes, reserve of them
 * kept free for the list of cut fields. False if even all strings empty
 * would not fit.
 */
bool jw_plan(const struct jw *w, size_t len1, size_t max, size_t reserve,
	     size_t cap[JW_SLOTS]);

/* Append the names of the cut slots as JSON strings, comma separated. */
void jw_cut_names(struct jw *w);

/* Base64 (RFC 4648, with padding) of p[0..n) appended to b. */
void pmg_b64_put(struct pmg_buf *b, const void *src, size_t n);
/*
 * Decode base64 s[0..n) into out (outsz bytes): the number of bytes, or
 * -EINVAL if s is not canonical padded base64, -ENOSPC if out is short.
 */
long pmg_b64_decode(const char *s, size_t n, void *out, size_t outsz);

#endif /* PMG_JW_H */
