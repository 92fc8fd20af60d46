/* SPDX-License-Identifier: GPL-2.0 */
/*
 * escape.h - byte strings (comm, paths) in JSON and on a terminal.
 *
 * A comm or a path is a sequence of arbitrary bytes (all but NUL): quotes,
 * backslashes, control characters and bytes that are not UTF-8 at all.
 *
 * JSON (every line valid UTF-8, and readable):
 *   - well-formed UTF-8 is kept as it is, except the characters below;
 *   - '"' and '\' are escaped as \" and \\;
 *   - control characters U+0000..U+001F are written \b \f \n \r \t or
 *     \u00XX; U+007F, the C1 controls U+0080..U+009F and the invisible
 *     direction/line marks U+200E, U+200F, U+2028..U+202E, U+2066..U+2069
 *     are written \uXXXX (lossless, and safe to print on a terminal);
 *   - every byte that is not part of well-formed UTF-8 (a stray
 *     continuation byte, a truncated or overlong sequence, a surrogate,
 *     anything above U+10FFFF) becomes U+FFFD, the replacement character.
 * The string is then readable but no longer the exact bytes: the
 * formatters write the exact bytes alongside, in base64 (a field named
 * after the readable one with "_b64" appended, e.g. "comm_b64"), whenever
 * a U+FFFD stands for a byte.
 *
 * Text (one readable line): printable ASCII and well-formed UTF-8 as they
 * are; '"' and '\' as \" and \\; \n \r \t; other control characters,
 * U+007F, C1 controls and invalid bytes as \xNN (each byte); the direction
 * and line marks listed above as \uXXXX. Lossless.
 */
#ifndef PMG_ESCAPE_H
#define PMG_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/printbuf.h>

#include "jw.h"

/*
 * Length (1..4) of the well-formed UTF-8 sequence starting at s, or 0 if
 * the bytes at s (n > 0 of them) do not start one.
 */
size_t pmg_utf8_seq(const unsigned char *s, size_t n);

/* Whether s[0..n) is well-formed UTF-8 throughout. */
bool pmg_utf8_valid(const char *s, size_t n);

/*
 * Whether s[0..n) is printable ASCII but '"' and '\\' throughout: bytes
 * that both modes write as they are.
 */
bool pmg_plain(const char *s, size_t n);

/*
 * Append the escaped form of s[0..n) to b (JSON string body without the
 * quotes, or text), as much of it as fits in budget bytes, where a string
 * that holds invalid bytes also counts b64_frame + the length of its
 * exact bytes in base64 (JSON only, when b64_frame is not 0: the string's
 * exact bytes follow it; pass SIZE_MAX for no budget). Stops
 * at a character boundary. Returns the number of bytes of s written;
 * *invalid tells if those held bytes that are not UTF-8.
 */
size_t pmg_escape(struct pmg_buf *b, bool json, const char *s, size_t n,
		  size_t budget, size_t b64_frame, bool *invalid);

/* The same into a json-c printbuf, no budget. 0 or -ENOMEM. */
int pmg_json_escape(struct printbuf *pb, const char *s, size_t n);
int pmg_text_escape(struct printbuf *pb, const char *s, size_t n);

#endif /* PMG_ESCAPE_H */
