// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_decode - libFuzzer target for the CLI's decoder (tools/codec.h) and
 * formatter (tools/format.h): what a listener does with every datagram the
 * kernel sends it.
 *
 * The input is a received buffer for the family id FUZZ_FAMILY. For each
 * finding pmg_decode_msg() hands over, the callback formats it in all three
 * formats and checks each line: non-NULL, no byte below 0x20 (one line, no
 * raw control characters), and for json and tracee a document json-c
 * parses. Checked too: the callback is called exactly as many times as
 * pmg_decode_msg() says, and never when it fails. The reply decoders
 * (config, rule, stats) get the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "codec.h"
#include "export.h"
#include "format.h"

#define FUZZ_FAMILY	30

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

static void check_line(const char *s, int json)
{
	json_object *o;
	const char *p;

	if (!s)
		fail("pmg_format_finding returned NULL", NULL);
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			fail("control character in a formatted finding", s);
	if (json) {
		o = json_tokener_parse(s);
		if (!o)
			fail("formatted finding is not JSON", s);
		json_object_put(o);
	}
}

static int on_finding(const struct pmg_finding *f, void *arg)
{
	static const enum pmg_format fmts[] = {
		PMG_FORMAT_TEXT, PMG_FORMAT_JSON, PMG_FORMAT_TRACEE,
	};
	int *calls = arg;
	size_t i;
	char *s;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		s = pmg_format_finding(f, fmts[i], "fuzz-host");
		check_line(s, fmts[i] != PMG_FORMAT_TEXT);
		free(s);
	}
	(*calls)++;
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
	int calls = 0, r;

	cur = data;
	cur_len = size;
	r = pmg_decode_msg(data, size, FUZZ_FAMILY, on_finding, &calls);
	if (r < 0 && calls)
		fail("the callback ran although decoding failed", NULL);
	if (r >= 0 && r != calls)
		fail("pmg_decode_msg's count differs from the callbacks", NULL);
	other_decoders(data, size);
	return 0;
}
