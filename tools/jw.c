// SPDX-License-Identifier: GPL-2.0
/*
 * jw.c - one line of JSON or text into a reusable buffer (see jw.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "jw.h"

/* --- the buffer ------------------------------------------------------------ */

void pmg_buf_free(struct pmg_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

bool pmg_buf_grow(struct pmg_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 1024;
	char *p;

	if (b->oom)
		return false;
	while (cap - b->len <= n) {
		if (cap > SIZE_MAX / 2)
			goto oom;
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p)
		goto oom;
	b->p = p;
	b->cap = cap;
	return true;
oom:
	b->oom = true;
	return false;
}

/* --- plain values -------------------------------------------------------------- */

void jw_start(struct jw *w, struct pmg_buf *b, enum jw_mode mode,
	      const size_t *cap)
{
	size_t extra[JW_SLOTS];

	if (cap)	/* a second pass: the frames measured by the first */
		memcpy(extra, w->b64_extra, sizeof(extra));
	memset(w, 0, offsetof(struct jw, scratch));
	if (cap)
		memcpy(w->b64_extra, extra, sizeof(extra));
	w->b = b;
	w->mode = mode;
	w->cap = cap;
	b->len = 0;
	b->oom = false;
	if (b->p)
		b->p[0] = '\0';
}

char *jw_room_slow(struct jw *w)
{
	struct pmg_buf *b = w->b;

	if (!pmg_buf_grow(b, JW_BLOCK))
		return w->scratch;
	return b->p + b->len;
}

char *jo_qname_long(struct jw *w, char *o, const char *s, size_t n)
{
	jw_end(w, o);
	jw_c(w, '"');
	pmg_buf_put(w->b, s, n);
	jw_c(w, '"');
	return jw_room(w);
}

void jw_str0(struct jw *w, const char *s)
{
	pmg_buf_put(w->b, s, strlen(s));
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* v in decimal, right-aligned ending at end; returns the first digit. */
static char *u64_digits(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		unsigned int k = (unsigned int)(v % 100) * 2;

		v /= 100;
		p -= 2;
		pmg_copy(p, digit_pairs + k, 2);
	}
	if (v >= 10) {
		p -= 2;
		pmg_copy(p, digit_pairs + v * 2, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

static const uint64_t pow10[20] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
	10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
	100000000000ull, 1000000000000ull, 10000000000000ull,
	100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull,
	10000000000000000000ull,
};

char *jo_u64(char *o, uint64_t v)
{
	unsigned int t;

	if (v < 10) {
		*o = (char)('0' + v);
		return o + 1;
	}
	/* Digits: about bits * log10(2), then one more if v reaches 10^t. */
	t = (unsigned int)(64 - __builtin_clzll(v)) * 1233 >> 12;
	t += v >= pow10[t];
	u64_digits(o + t, v);
	return o + t;
}

char *jo_u64_keep(struct jw_memo *m, char *o, uint64_t v)
{
	char *e = jo_u64(o, v);

	m->v = v;
	m->n = (uint8_t)(e - o);
	memcpy(m->s, o, m->n);
	return e;
}

char *jo_name_keep(struct jw *w, struct jw_name_memo *m, char *o,
		   uint64_t v, const char *s)
{
	char *e = s ? jo_qname(w, o, s) : jo_lit(o, "null");

	m->n = 0;
	if (s && __builtin_strlen(s) > JW_NAME_MAX)
		return e;	/* another block: not kept */
	m->v = v;
	m->n = (uint8_t)(e - o);
	memcpy(m->s, o, m->n);
	return e;
}

void jw_u64(struct jw *w, uint64_t v)
{
	struct pmg_buf *b = w->b;

	if (b->cap - b->len <= 20 && !pmg_buf_grow(b, 20))
		return;
	b->len = (size_t)(jo_u64(b->p + b->len, v) - b->p);
	b->p[b->len] = '\0';
}

void jw_i64(struct jw *w, int64_t v)
{
	if (v < 0) {
		jw_c(w, '-');
		jw_u64(w, (uint64_t)0 - (uint64_t)v);
	} else {
		jw_u64(w, (uint64_t)v);
	}
}

void jw_octal(struct jw *w, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	*--p = '0';
	pmg_buf_put(w->b, p, (size_t)(buf + sizeof(buf) - p));
}

/* The date and time of one second, formatted once (per thread). */
static __thread struct {
	int64_t sec;
	bool valid;
	char s[20];		/* "2026-11-27T01:02:03" */
} tcache;

static void put2(char *o, int v)
{
	o[0] = (char)('0' + v / 10);
	o[1] = (char)('0' + v % 10);
}

char *jo_time(char *o, uint64_t ns, int digits)
{
	int64_t sec = (int64_t)(ns / 1000000000u);
	uint32_t frac = (uint32_t)(ns % 1000000000u);
	time_t t = (time_t)sec;
	struct tm tm;
	char *end;
	int year;

	if (!tcache.valid || tcache.sec != sec) {
		if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
			memset(&tm, 0, sizeof(tm));
		year = tm.tm_year + 1900;
		put2(tcache.s, year / 100);
		put2(tcache.s + 2, year % 100);
		tcache.s[4] = '-';
		put2(tcache.s + 5, tm.tm_mon + 1);
		tcache.s[7] = '-';
		put2(tcache.s + 8, tm.tm_mday);
		tcache.s[10] = 'T';
		put2(tcache.s + 11, tm.tm_hour);
		tcache.s[13] = ':';
		put2(tcache.s + 14, tm.tm_min);
		tcache.s[16] = ':';
		put2(tcache.s + 17, tm.tm_sec);
		tcache.sec = sec;
		tcache.valid = true;
	}
	pmg_copy(o, tcache.s, 19);
	if (digits == 6)
		frac /= 1000;
	else if (digits == 3)
		frac /= 1000000;
	else
		digits = 9;
	o[19] = '.';
	/* The fraction, zero padded, from its last digits on. */
	end = o + 20 + digits;
	*end = 'Z';
	o = end;
	for (; digits >= 2; digits -= 2) {
		o -= 2;
		pmg_copy(o, digit_pairs + frac % 100 * 2, 2);
		frac /= 100;
	}
	if (digits)
		*--o = (char)('0' + frac % 10);
	return end + 1;
}

void jw_time(struct jw *w, uint64_t ns, int digits)
{
	struct pmg_buf *b = w->b;

	if (b->cap - b->len <= 32 && !pmg_buf_grow(b, 32))
		return;
	b->len = (size_t)(jo_time(b->p + b->len, ns, digits) - b->p);
	b->p[b->len] = '\0';
}

void jw_tod(struct jw *w, uint64_t ns)
{
	size_t at = w->b->len;

	jw_time(w, ns, 9);
	if (w->b->oom)
		return;
	/* "2026-11-27T01:02:03.123456789Z" -> "01:02:03.123456789" */
	memmove(w->b->p + at, w->b->p + at + 11, 18);
	w->b->len = at + 18;
	w->b->p[w->b->len] = '\0';
}

void jw_ebytes(struct jw *w, const char *s, size_t n)
{
	bool inv;

	pmg_escape(w->b, w->mode == JW_JSON, s, n, SIZE_MAX, 0, &inv);
}

void jw_qstr(struct jw *w, const char *s)
{
	jw_c(w, '"');
	jw_str0(w, s);
	jw_c(w, '"');
}

void jw_qbytes(struct jw *w, const char *s, size_t n)
{
	jw_c(w, '"');
	jw_ebytes(w, s, n);
	jw_c(w, '"');
}

/* --- strings that may be cut ----------------------------------------------------- */

void jw_bytes(struct jw *w, int slot, const char *name, const char *p,
	      size_t n)
{
	size_t start = w->b->len;
	size_t budget = w->cap ? w->cap[slot] : SIZE_MAX;
	bool json = w->mode == JW_JSON, inv;
	size_t kept;

	/* Most strings are plain ASCII, written as they are, and fit. */
	if (n <= budget && pmg_plain(p, n)) {
		pmg_buf_put(w->b, p, n);
		kept = n;
		inv = false;
	} else {
		kept = pmg_escape(w->b, json, p, n, budget, w->b64_extra[slot],
				  &inv);
	}
	w->kept[slot] = (uint32_t)kept;
	w->invalid[slot] = inv && json;
	w->name[slot] = name;
	w->cost[slot] = w->b->len - start;
	if (kept < n && !w->cut[slot]) {
		w->cut[slot] = true;
		w->ncut++;
	}
}

void jw_qslot(struct jw *w, int slot, const char *name, const char *p,
	      size_t n)
{
	jw_c(w, '"');
	jw_bytes(w, slot, name, p, n);
	jw_c(w, '"');
}

char *jo_slot(struct jw *w, char *o, int slot, const char *name,
	      const char *p, size_t n, const char *frame, size_t framelen)
{
	if (n <= JW_NAME_MAX && (!w->cap || n <= w->cap[slot]) &&
	    pmg_plain(p, n)) {
		/* What jw_bytes() would do, in place. */
		w->kept[slot] = (uint32_t)n;
		w->invalid[slot] = false;
		w->name[slot] = name;
		w->cost[slot] = n;
		o[0] = '"';
		pmg_copy(o + 1, p, n);
		o[n + 1] = '"';
		return o + n + 2;
	}
	jw_end(w, o);
	jw_qslot(w, slot, name, p, n);
	jw_b64(w, slot, frame, framelen, p);
	return jw_room(w);
}

void jw_b64_put(struct jw *w, int slot, const char *frame, size_t framelen,
		const char *p)
{
	size_t start = w->b->len;

	jw_raw(w, frame, framelen);
	jw_c(w, '"');
	pmg_b64_put(w->b, p, w->kept[slot]);
	jw_c(w, '"');
	w->b64_extra[slot] = framelen + 2;
	w->cost[slot] += w->b->len - start;
}

bool jw_plan(const struct jw *w, size_t len1, size_t max, size_t reserve,
	     size_t cap[JW_SLOTS])
{
	size_t fixed = len1, avail, left, share;
	bool done[JW_SLOTS] = { false };
	int i, pick, n = 0;

	for (i = 0; i < JW_SLOTS; i++) {
		cap[i] = 0;
		fixed -= w->cost[i];
		if (w->name[i])
			n++;
		else
			done[i] = true;
	}
	if (fixed + reserve > max)
		return false;
	avail = max - fixed - reserve;
	/* The shortest first get what they need; the rest share alike. */
	for (left = avail; n; n--) {
		pick = -1;
		for (i = 0; i < JW_SLOTS; i++)
			if (!done[i] && (pick < 0 ||
					 w->cost[i] < w->cost[pick]))
				pick = i;
		share = left / (size_t)n;
		cap[pick] = w->cost[pick] < share ? w->cost[pick] : share;
		left -= cap[pick];
		done[pick] = true;
	}
	return true;
}

void jw_cut_names(struct jw *w)
{
	bool first = true, dup;
	int i, k;

	for (i = 0; i < JW_SLOTS; i++) {
		if (!w->cut[i])
			continue;
		for (dup = false, k = 0; k < i && !dup; k++)
			dup = w->cut[k] && !strcmp(w->name[k], w->name[i]);
		if (dup)
			continue;
		if (!first)
			jw_c(w, ',');
		first = false;
		jw_qstr(w, w->name[i]);
	}
}

/* --- objects with optional members ------------------------------------------------ */

void jw_key_str(struct jw *w, const char *key)
{
	jw_elem(w);
	jw_c(w, '"');
	jw_str0(w, key);
	jw_lit(w, "\":");
}

/* --- base64 --------------------------------------------------------------------------- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void pmg_b64_put(struct pmg_buf *b, const void *src, size_t n)
{
	const unsigned char *p = src;
	size_t i, need = (n + 2) / 3 * 4;
	char *o;
	uint32_t v;

	if (b->cap - b->len <= need && !pmg_buf_grow(b, need))
		return;
	o = b->p + b->len;
	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = b64[(v >> 6) & 63];
		*o++ = b64[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = '=';
		*o++ = '=';
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = b64[(v >> 6) & 63];
		*o++ = '=';
	}
	b->len += need;
	b->p[b->len] = '\0';
}

static int b64_val(char c)
{
	const char *q = c ? strchr(b64, c) : NULL;

	return q ? (int)(q - b64) : -1;
}

long pmg_b64_decode(const char *s, size_t n, void *out, size_t outsz)
{
	unsigned char *o = out;
	size_t i, len = 0, pad = 0;
	int k, v[4];
	uint32_t x;

	if (n % 4)
		return -EINVAL;
	if (n && s[n - 1] == '=')
		pad = n >= 2 && s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++) {
			v[k] = i + (size_t)k >= n - pad ? 0 : b64_val(s[i + k]);
			if (v[k] < 0)
				return -EINVAL;
		}
		x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		for (k = 0; k < 3; k++) {
			if (i + 4 == n && k >= 3 - (int)pad) {
				/* Canonical: the padding bits are zero. */
				if ((x >> (16 - 8 * k)) & 0xff)
					return -EINVAL;
				continue;
			}
			if (len == outsz)
				return -ENOSPC;
			o[len++] = (unsigned char)(x >> (16 - 8 * k));
		}
	}
	return (long)len;
}
