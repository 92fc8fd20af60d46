/* SPDX-License-Identifier: GPL-2.0 */
/*
 * escape.h - byte strings (comm, paths) in JSON and on a terminal.
 *
 * A comm or a path is a sequence of arbitrary bytes (all but NUL): quotes,
 * backslashes, control characters and bytes that are not UTF-8 at all.
 *
 * JSON (the "surrogateescape" convention, as Python names it):
 *   - well-formed UTF-8 is kept as it is, except the characters below;
 *   - '"' and '\' are escaped as \" and \\;
 *   - control characters U+0000..U+001F are written \b \f \n \r \t or
 *     \u00XX; U+007F, the C1 controls U+0080..U+009F and the invisible
 *     direction/line marks U+200E, U+200F, U+2028..U+202E, U+2066..U+2069
 *     are written \uXXXX (lossless, and safe to print on a terminal);
 *   - every byte 0xNN that is not part of well-formed UTF-8 is written as
 *     the escape \udcNN, a lone low surrogate U+DC80..U+DCFF.
 * Well-formed UTF-8 never encodes a surrogate, so the mapping is one to one.
 * The output is plain ASCII-compatible JSON that jq and python3 accept.
 * To get the bytes back: python3 json.loads(...) then
 * s.encode("utf-8", "surrogateescape"), or pmg_json_unescape() below.
 * jq (and json-c) replace a lone surrogate with U+FFFD when they decode the
 * string: they accept the line, but only bytes that were valid UTF-8
 * survive them unchanged.
 *
 * Text (one readable line): printable ASCII and well-formed UTF-8 as they
 * are; '"' and '\' as \" and \\; \n \r \t; other control characters,
 * U+007F, C1 controls and invalid bytes as \xNN (each byte); the direction
 * and line marks listed above as \uXXXX.
 */
#ifndef PMG_ESCAPE_H
#define PMG_ESCAPE_H

#include <stddef.h>

#include <json-c/printbuf.h>

/*
 * Length (1..4) of the well-formed UTF-8 sequence starting at s, or 0 if
 * the bytes at s (n > 0 of them) do not start one.
 */
size_t pmg_utf8_seq(const unsigned char *s, size_t n);

/* Append s[0..n) as the body of a JSON string (no quotes). 0 or -ENOMEM. */
int pmg_json_escape(struct printbuf *pb, const char *s, size_t n);

/* Append s[0..n) for display on one line (no quotes). 0 or -ENOMEM. */
int pmg_text_escape(struct printbuf *pb, const char *s, size_t n);

/*
 * Decode the body of a JSON string literal (the bytes between the quotes)
 * into out (outsz bytes; the result is not NUL terminated), turning the
 * escapes \udc80..\udcff back into the bytes 0x80..0xff and other \u
 * escapes (surrogate pairs included) into UTF-8. Returns the number of
 * bytes written, -EINVAL if the literal is not valid JSON (or holds a lone
 * surrogate outside U+DC80..U+DCFF), -ENOSPC if out is too small.
 */
long pmg_json_unescape(const char *in, size_t n, char *out, size_t outsz);

#endif /* PMG_ESCAPE_H */
