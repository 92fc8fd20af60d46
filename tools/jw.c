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

	memcpy(extra, w->b64_extra, sizeof(extra));
	memset(w, 0, sizeof(*w));
	if (cap)	/* a second pass: the frames measured by the first */
		memcpy(w->b64_extra, extra, sizeof(extra));
	w->b = b;
	w->mode = mode;
	w->cap = cap;
	b->len = 0;
	b->oom = false;
	if (b->p)
		b->p[0] = '\0';
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
		*--p = digit_pairs[k + 1];
		*--p = digit_pairs[k];
	}
	if (v >= 10) {
		*--p = digit_pairs[v * 2 + 1];
		*--p = digit_pairs[v * 2];
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

static unsigned int digits10(uint64_t v)
{
	unsigned int n = 1;

	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000;
		n += 4;
	}
}

void jw_u64(struct jw *w, uint64_t v)
{
	struct pmg_buf *b = w->b;
	unsigned int n = digits10(v);

	if (b->cap - b->len <= n && !pmg_buf_grow(b, n))
		return;
	u64_digits(b->p + b->len + n, v);
	b->len += n;
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

void jw_time(struct jw *w, uint64_t ns, int digits)
{
	int64_t sec = (int64_t)(ns / 1000000000u);
	uint32_t frac = (uint32_t)(ns % 1000000000u);
	char buf[16], *p;
	time_t t = (time_t)sec;
	struct tm tm;
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
	jw_raw(w, tcache.s, 19);
	if (digits == 6)
		frac /= 1000;
	else if (digits == 3)
		frac /= 1000000;
	else
		digits = 9;
	p = buf + 1 + digits;
	*p = 'Z';
	while (p > buf + 1) {
		*--p = (char)('0' + frac % 10);
		frac /= 10;
	}
	buf[0] = '.';
	jw_raw(w, buf, (size_t)digits + 2);
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

	kept = pmg_escape(w->b, json, p, n, budget, w->b64_extra[slot], &inv);
	w->kept[slot] = (uint32_t)kept;
	w->invalid[slot] = inv && json;
	w->name[slot] = name;
	w->cost[slot] = w->b->len - start;
	if (kept < n && !w->cut[slot]) {
		w->cut[slot] = true;
		w->ncut++;
	}
}

void jw_b64(struct jw *w, int slot, const char *frame, size_t framelen,
	    const char *p)
{
	size_t start = w->b->len;

	if (!w->invalid[slot])
		return;
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
