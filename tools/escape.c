// SPDX-License-Identifier: GPL-2.0
/*
 * escape.c - byte strings in JSON and on a terminal. See escape.h for the
 * conventions.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "escape.h"

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

/* Valid characters that are still escaped: invisible or terminal unsafe. */
static bool is_invisible(uint32_t cp)
{
	return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Two character escapes; \b and \f only in JSON. */
static const char *short_escape(uint32_t cp, bool json)
{
	switch (cp) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
		return json ? "\\b" : NULL;
	case '\f':
		return json ? "\\f" : NULL;
	}
	return NULL;
}

static int append(struct printbuf *pb, const void *p, size_t n)
{
	return printbuf_memappend(pb, p, (int)n) < 0 ? -ENOMEM : 0;
}

static int append_num(struct printbuf *pb, const char *fmt, unsigned int v)
{
	char b[16];
	int k = snprintf(b, sizeof(b), fmt, v);

	return append(pb, b, (size_t)k);
}

static int append_bytes_hex(struct printbuf *pb, const unsigned char *p,
			    size_t len)
{
	size_t i;
	int r = 0;

	for (i = 0; i < len && !r; i++)
		r = append_num(pb, "\\x%02x", p[i]);
	return r;
}

/* One character (len > 0) or one invalid byte (len == 0), JSON style. */
static int json_one(struct printbuf *pb, const unsigned char *p, size_t len)
{
	const char *e;
	uint32_t cp;

	if (!len)
		return append_num(pb, "\\udc%02x", p[0]);
	cp = utf8_cp(p, len);
	e = short_escape(cp, true);
	if (e)
		return append(pb, e, 2);
	if (cp < 0x20 || is_invisible(cp))
		return append_num(pb, "\\u%04x", cp);
	return append(pb, p, len);
}

/* One character (len > 0) or one invalid byte (len == 0), text style. */
static int text_one(struct printbuf *pb, const unsigned char *p, size_t len)
{
	const char *e;
	uint32_t cp;

	if (!len)
		return append_bytes_hex(pb, p, 1);
	cp = utf8_cp(p, len);
	e = short_escape(cp, false);
	if (e)
		return append(pb, e, 2);
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return append_bytes_hex(pb, p, len);
	if (is_invisible(cp))
		return append_num(pb, "\\u%04x", cp);
	return append(pb, p, len);
}

static int escape(struct printbuf *pb, const char *s, size_t n, bool json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	int r = 0;

	while (i < n && !r) {
		len = pmg_utf8_seq(p + i, n - i);
		r = json ? json_one(pb, p + i, len) : text_one(pb, p + i, len);
		i += len ? len : 1;
	}
	return r;
}

int pmg_json_escape(struct printbuf *pb, const char *s, size_t n)
{
	return escape(pb, s, n, true);
}

int pmg_text_escape(struct printbuf *pb, const char *s, size_t n)
{
	return escape(pb, s, n, false);
}

/* --- decoding ---------------------------------------------------------- */

struct obuf {
	char *p;
	size_t len, cap;
};

static int put(struct obuf *b, const void *src, size_t n)
{
	const char *s = src;
	size_t i;

	if (b->cap - b->len < n)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		b->p[b->len++] = s[i];
	return 0;
}

static int put_utf8(struct obuf *b, uint32_t cp)
{
	unsigned char u[4];

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return put(b, u, 1);
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return put(b, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return put(b, u, 3);
	}
	u[0] = (unsigned char)(0xf0 | cp >> 18);
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return put(b, u, 4);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse "XXXX" at in[*i]; advances *i. */
static int hex4(const char *in, size_t n, size_t *i, uint32_t *v)
{
	size_t k;
	int h;

	if (n - *i < 4)
		return -EINVAL;
	*v = 0;
	for (k = 0; k < 4; k++) {
		h = hexval(in[*i + k]);
		if (h < 0)
			return -EINVAL;
		*v = *v << 4 | (uint32_t)h;
	}
	*i += 4;
	return 0;
}

/* After "\u": one code point, a surrogate pair, or an escaped byte. */
static int unescape_u(const char *in, size_t n, size_t *i, struct obuf *b)
{
	uint32_t cp, lo;
	unsigned char byte;

	if (hex4(in, n, i, &cp))
		return -EINVAL;
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		if (cp < 0xdc80 || cp > 0xdcff)
			return -EINVAL;
		byte = (unsigned char)(cp & 0xff);
		return put(b, &byte, 1);
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (n - *i < 2 || in[*i] != '\\' || in[*i + 1] != 'u')
			return -EINVAL;
		*i += 2;
		if (hex4(in, n, i, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return -EINVAL;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return put_utf8(b, cp);
}

static int unescape_one(const char *in, size_t n, size_t *i, struct obuf *b)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	char e;
	size_t k;

	if (n - *i < 2)
		return -EINVAL;
	e = in[*i + 1];
	*i += 2;
	if (e == 'u')
		return unescape_u(in, n, i, b);
	for (k = 0; from[k]; k++)
		if (from[k] == e)
			return put(b, &to[k], 1);
	return -EINVAL;
}

long pmg_json_unescape(const char *in, size_t n, char *out, size_t outsz)
{
	struct obuf b = { out, 0, outsz };
	unsigned char c;
	size_t i = 0;
	int r;

	while (i < n) {
		c = (unsigned char)in[i];
		if (c == '"' || c < 0x20)
			return -EINVAL;
		if (c == '\\') {
			r = unescape_one(in, n, &i, &b);
		} else {
			r = put(&b, &in[i], 1);
			i++;
		}
		if (r)
			return r;
	}
	return (long)b.len;
}
