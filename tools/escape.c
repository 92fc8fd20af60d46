// SPDX-License-Identifier: GPL-2.0
/*
 * escape.c - byte strings in JSON and on a terminal. See escape.h for the
 * conventions.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "escape.h"

/* Byte classes: runs of SAFE bytes are copied as they are. */
enum { SAFE, SPECIAL, HIGH };

static const unsigned char cls[256] = {
	[0 ... 0x1f] = SPECIAL,
	[0x20 ... 0x21] = SAFE,
	['"'] = SPECIAL,
	[0x23 ... 0x5b] = SAFE,
	['\\'] = SPECIAL,
	[0x5d ... 0x7e] = SAFE,
	[0x7f] = SPECIAL,
	[0x80 ... 0xff] = HIGH,
};

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t pmg_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;

	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (!is_cont(s[i]))
			return 0;
	return len;
}

bool pmg_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = pmg_utf8_seq(p + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

static uint32_t utf8_cp(const unsigned char *s, size_t len)
{
	switch (len) {
	case 1:
		return s[0];
	case 2:
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	case 3:
		return (uint32_t)(s[0] & 0x0f) << 12 |
		       (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	default:
		return (uint32_t)(s[0] & 0x07) << 18 |
		       (uint32_t)(s[1] & 0x3f) << 12 |
		       (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	}
}

/* Bit 7 of each byte of x that is below 0x20, 0x7f or above, '"' or '\\'. */
static uint64_t unplain8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones << 7;
	uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');

	/* Exact as "any such byte" (the borrows and carries only spread
	 * from a byte that is one). */
	return (((x - ones * 0x20) & ~x) | ((x + ones) | x) |
		((q - ones) & ~q) | ((bs - ones) & ~bs)) & high;
}

bool pmg_plain(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t x;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (cls[p[i]] != SAFE)
				return false;
		return true;
	}
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, p + i, 8);
		if (unplain8(x))
			return false;
	}
	memcpy(&x, p + n - 8, 8);	/* the last 8, overlapping */
	return !unplain8(x);
}

/* Valid characters that are still escaped: invisible or terminal unsafe. */
static bool is_invisible(uint32_t cp)
{
	return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Two character escapes; \b and \f only in JSON. */
static char short_escape(uint32_t cp, bool json)
{
	switch (cp) {
	case '"':
		return '"';
	case '\\':
		return '\\';
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	case '\b':
		return json ? 'b' : 0;
	case '\f':
		return json ? 'f' : 0;
	}
	return 0;
}

static const char hexd[] = "0123456789abcdef";

static size_t put_u4(char *o, uint32_t cp)
{
	o[0] = '\\';
	o[1] = 'u';
	o[2] = hexd[(cp >> 12) & 15];
	o[3] = hexd[(cp >> 8) & 15];
	o[4] = hexd[(cp >> 4) & 15];
	o[5] = hexd[cp & 15];
	return 6;
}

static size_t put_x(char *o, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		o[4 * i] = '\\';
		o[4 * i + 1] = 'x';
		o[4 * i + 2] = hexd[p[i] >> 4];
		o[4 * i + 3] = hexd[p[i] & 15];
	}
	return 4 * len;
}

/*
 * The escaped form of the character (or invalid byte) at p (n > 0 bytes
 * left) into o (16 bytes): returns its length, *clen the input bytes it
 * stands for, *bad whether that is a byte that is not UTF-8.
 */
static size_t esc_char(const unsigned char *p, size_t n, bool json, char *o,
		       size_t *clen, bool *bad)
{
	size_t len = pmg_utf8_seq(p, n);
	uint32_t cp;
	char e;

	*bad = !len;
	if (!len) {
		*clen = 1;
		if (!json)
			return put_x(o, p, 1);
		o[0] = '\xef';	/* U+FFFD */
		o[1] = '\xbf';
		o[2] = '\xbd';
		return 3;
	}
	*clen = len;
	cp = utf8_cp(p, len);
	e = short_escape(cp, json);
	if (e) {
		o[0] = '\\';
		o[1] = e;
		return 2;
	}
	if (!json && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)))
		return put_x(o, p, len);
	if (cp < 0x20 || is_invisible(cp))
		return put_u4(o, cp);
	memcpy(o, p, len);
	return len;
}

/* Output bytes of the exact bytes of k input bytes, in base64. */
static size_t b64_len(size_t k)
{
	return (k + 2) / 3 * 4;
}

size_t pmg_escape(struct pmg_buf *b, bool json, const char *s, size_t n,
		  size_t budget, size_t b64_frame, bool *invalid)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, j, out = 0, k, clen, extra;
	bool inv = false, bad;
	char o[32];	/* 16 at most; room for the copy's paths */

	while (i < n) {
		for (j = i; j < n && cls[p[j]] == SAFE; j++)
			;
		if (j > i) {
			k = j - i;
			if (budget != SIZE_MAX) {
				/* Each byte: one out, and its base64. */
				while (k && out + k + (inv && b64_frame ?
				       b64_frame + b64_len(i + k) : 0) >
				       budget)
					k--;
			}
			pmg_buf_put(b, s + i, k);
			out += k;
			i += k;
			if (i < j)
				break;
			continue;
		}
		k = esc_char(p + i, n - i, json, o, &clen, &bad);
		if (budget != SIZE_MAX) {
			extra = json && b64_frame && (inv || bad) ?
				b64_frame + b64_len(i + clen) : 0;
			if (out + k + extra > budget)
				break;
		}
		pmg_buf_put(b, o, k);
		out += k;
		i += clen;
		inv |= bad;
	}
	*invalid = inv;
	return i;
}

/* --- into a json-c printbuf ------------------------------------------------- */

static int to_printbuf(struct printbuf *pb, bool json, const char *s,
		       size_t n)
{
	struct pmg_buf b = { 0 };
	bool inv;
	int r = 0;

	pmg_escape(&b, json, s, n, SIZE_MAX, 0, &inv);
	if (b.oom || (b.len && printbuf_memappend(pb, b.p, (int)b.len) < 0))
		r = -ENOMEM;
	pmg_buf_free(&b);
	return r;
}

int pmg_json_escape(struct printbuf *pb, const char *s, size_t n)
{
	return to_printbuf(pb, true, s, n);
}

int pmg_text_escape(struct printbuf *pb, const char *s, size_t n)
{
	return to_printbuf(pb, false, s, n);
}
