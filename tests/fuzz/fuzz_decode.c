// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_decode - libFuzzer target for the CLI's decoder (tools/codec.h),
 * the listener's receive path (tools/listener.h, fed offline) and the
 * line formatters (tools/lines.h): what a listener does with every
 * datagram the kernel sends it.
 *
 * The input is a received buffer for the family id FUZZ_FAMILY. It goes
 * through an offline listener; every event it hands out (finding, notice,
 * loss, bad message) is formatted in all five formats, with the longest
 * and the shortest line limit, and each line is checked: no byte below
 * 0x20, valid UTF-8, within the limit, and for the JSON formats one
 * object json-c parses strictly. Checked too: pmg_decode_items() and
 * pmg_decode_msg() agree (the latter's count of findings, its callback
 * never called when it fails); the reply decoders (config, rule, stats)
 * get the same bytes.
 *
 * Only the first FORMAT_MAX events of an input are formatted: an input
 * of 64 KiB holds some 5,000 minimal findings, and formatting each in ten
 * ways took seconds, which libFuzzer's timeout counts as a hang. The
 * listener still queues and hands out every one of them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "codec.h"
#include "escape.h"
#include "export.h"
#include "format.h"
#include "lines.h"
#include "listener.h"

#define FUZZ_FAMILY	30
#define FORMAT_MAX	64

static const uint8_t *cur;
static size_t cur_len;

static void fail(const char *what, const char *line)
{
	size_t i;

	fprintf(stderr, "fuzz_decode: %s\n", what);
	if (line)
		fprintf(stderr, "line: %s\n", line);
	fprintf(stderr, "input (%zu bytes):", cur_len);
	for (i = 0; i < cur_len && i < 1024; i++)
		fprintf(stderr, " %02x", cur[i]);
	fprintf(stderr, "\n");
	abort();
}

static void check_line(const struct pmg_lines *L, int r)
{
	const char *s = L->line.p;
	struct json_tokener *t;
	json_object *o;
	const char *p;

	if (r || !s)
		fail("formatting failed", NULL);
	if (L->line.len + 1 > L->max_line)
		fail("line longer than its limit", s);
	if (strlen(s) != L->line.len)
		fail("NUL inside a line", s);
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			fail("control character in a line", s);
	if (!pmg_utf8_valid(s, L->line.len))
		fail("line not valid UTF-8", s);
	if (L->format == PMG_FORMAT_TEXT)
		return;
	t = json_tokener_new();
	if (!t)
		abort();
	json_tokener_set_flags(t, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(t, s, (int)L->line.len);
	if (json_tokener_get_error(t) != json_tokener_success ||
	    json_tokener_get_parse_end(t) != L->line.len ||
	    !json_object_is_type(o, json_type_object))
		fail("line is not one JSON object", s);
	json_object_put(o);
	json_tokener_free(t);
}

static struct pmg_lines lines[5][2];

static void format_event(const struct pmg_event *ev)
{
	struct pmg_line_meta m;
	struct pmg_lev e = { 0 };
	int f, k, r;

	for (f = 0; f < 5; f++) {
		for (k = 0; k < 2; k++) {
			struct pmg_lines *L = &lines[f][k];

			switch (ev->type) {
			case PMG_EV_FINDING:
				r = pmg_lines_finding(L, &ev->finding, &m);
				break;
			case PMG_EV_NOTICE:
				r = pmg_lines_notice(L, &ev->notice, &m);
				break;
			default:
				e.lev = ev->type == PMG_EV_LOST ?
					PMG_LEV_LOST : PMG_LEV_BAD_MESSAGE;
				e.lost = ev->lost;
				e.err = ev->err;
				r = pmg_lines_listener(L, &e, &m);
				break;
			}
			check_line(L, r);
		}
	}
}

static int count_finding(const struct pmg_finding *f, void *arg)
{
	(void)f;
	(*(int *)arg)++;
	return 0;
}

static int count_notice(const struct pmg_notice *n, void *arg)
{
	(void)n;
	(void)arg;
	return 0;
}

static void other_decoders(const uint8_t *data, size_t size)
{
	struct pmg_config c;
	struct pmg_stats st;
	struct pmg_rule r;
	json_object *o;
	char *s;

	if (!pmg_decode_config(data, size, &c)) {
		o = pmg_config_to_json(&c);
		json_object_put(o);
	}
	if (!pmg_decode_rule(data, size, &r)) {
		s = pmg_rule_to_text(&r);
		if (!s)
			fail("pmg_rule_to_text returned NULL", NULL);
		free(s);
		o = pmg_rule_to_json(&r);
		json_object_put(o);
	}
	if (!pmg_decode_stats(data, size, &st)) {
		o = pmg_stats_to_json(&st);
		json_object_put(o);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pmg_decode_ops ops = { count_finding, count_notice };
	static struct pmg_listener *l;
	static int ready;
	struct pmg_event ev;
	int calls = 0, items, r, f, n = 0;

	cur = data;
	cur_len = size;
	if (!ready) {
		static const enum pmg_format fmts[] = {
			PMG_FORMAT_TEXT, PMG_FORMAT_JSON, PMG_FORMAT_TRACEE,
			PMG_FORMAT_FALCO, PMG_FORMAT_ECS,
		};

		for (f = 0; f < 5; f++) {
			if (pmg_lines_init(&lines[f][0], fmts[f],
					   PMG_MAX_LINE_MIN) ||
			    pmg_lines_init(&lines[f][1], fmts[f],
					   PMG_MAX_LINE_DEFAULT))
				abort();
			strcpy(lines[f][0].hostname, "fuzz-\xff\"host\n");
		}
		if (pmg_listener_open_offline(&l, FUZZ_FAMILY))
			abort();
		ready = 1;
	}
	items = pmg_decode_items(data, size, FUZZ_FAMILY, &ops, &calls);
	calls = 0;
	r = pmg_decode_msg(data, size, FUZZ_FAMILY, count_finding, &calls);
	if (r < 0 && calls)
		fail("the callback ran although decoding failed", NULL);
	if (r >= 0 && r != calls)
		fail("pmg_decode_msg's count differs from the callbacks", NULL);
	if ((items < 0) != (r < 0))
		fail("pmg_decode_items and pmg_decode_msg disagree", NULL);

	if (size <= 65536) {
		if (pmg_listener_feed(l, data, size))
			fail("pmg_listener_feed failed", NULL);
		while (!pmg_listener_next(l, 0, &ev) &&
		       ev.type != PMG_EV_TIMEOUT)
			if (n++ < FORMAT_MAX)
				format_event(&ev);
	}
	other_decoders(data, size);
	return 0;
}
