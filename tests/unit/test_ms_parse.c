// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of debugfs-tools/ms_parse.c, the parser of the module's
 * debugfs "stats" and "hooks" files. Table-driven: one row per line fed to
 * the parser, with the status and (for good lines) the fields expected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_parse.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct stat_case {
	const char *line;
	int status;
	const char *key;	/* expected fields when status is MS_OK */
	const char *value;
	bool is_number;
	uint64_t number;
};

/* Designated initializers: -Wextra wants every field of positional ones. */
#define GOOD_STAT(l, k, v, isnum, num) \
	{ .line = l, .status = MS_OK, .key = k, .value = v, \
	  .is_number = isnum, .number = num }
#define BAD_STAT(l, st)	{ .line = l, .status = st }

static const struct stat_case stat_cases[] = {
	/* good lines */
	GOOD_STAT("version: 0.1.0", "version", "0.1.0", false, 0),
	GOOD_STAT("enabled: 1\n", "enabled", "1", true, 1),
	GOOD_STAT("events: 12345", "events", "12345", true, 12345),
	GOOD_STAT("events:12345", "events", "12345", true, 12345),
	GOOD_STAT("events:\t42 \t", "events", "42", true, 42),
	GOOD_STAT("hooks_armed: 0", "hooks_armed", "0", true, 0),
	GOOD_STAT("padded: 007", "padded", "007", true, 7),
	GOOD_STAT("max: 18446744073709551615", "max", "18446744073709551615",
		  true, UINT64_MAX),
	GOOD_STAT("mode: fast", "mode", "fast", false, 0),
	GOOD_STAT("mode: 12abc", "mode", "12abc", false, 0),
	GOOD_STAT("mode: +5", "mode", "+5", false, 0),
	GOOD_STAT("mode: -", "mode", "-", false, 0),
	GOOD_STAT("dotted.key-name: x", "dotted.key-name", "x", false, 0),
	/* nothing to parse */
	BAD_STAT("", MS_SKIP),
	BAD_STAT("\n", MS_SKIP),
	BAD_STAT(" \t ", MS_SKIP),
	BAD_STAT("# a comment: 5", MS_SKIP),
	/* malformed */
	BAD_STAT("events 12345", MS_ERR_NOCOLON),
	BAD_STAT("events", MS_ERR_NOCOLON),
	BAD_STAT(": 5", MS_ERR_KEY),
	BAD_STAT(" events: 5", MS_ERR_KEY),
	BAD_STAT("events : 5", MS_ERR_KEY),
	BAD_STAT("ev ents: 5", MS_ERR_KEY),
	BAD_STAT("1events: 5", MS_ERR_KEY),
	BAD_STAT("ev/ents: 5", MS_ERR_KEY),
	BAD_STAT("events:", MS_ERR_NOVALUE),
	BAD_STAT("events:   \n", MS_ERR_NOVALUE),
	BAD_STAT("events: 1 2", MS_ERR_VALUE),
	BAD_STAT("version: 0.1.0 beta", MS_ERR_VALUE),
	BAD_STAT("a: b: c", MS_ERR_VALUE),
	BAD_STAT("events: -1", MS_ERR_NEGATIVE),
	BAD_STAT("events: -0", MS_ERR_NEGATIVE),
	BAD_STAT("events: 18446744073709551616", MS_ERR_RANGE),
	BAD_STAT("events: 99999999999999999999999", MS_ERR_RANGE),
	BAD_STAT("events: 5\r", MS_ERR_CHAR),
	BAD_STAT("ev\x01nts: 5", MS_ERR_CHAR),
	BAD_STAT("events: \xc3\xa9t\xc3\xa9", MS_ERR_CHAR),
	BAD_STAT("events: 5\x7f", MS_ERR_CHAR),
};

struct hook_case {
	const char *line;
	int status;
	struct ms_hook want;	/* expected fields when status is MS_OK */
};

#define GOOD_HOOK(l, t, m, a, h, x, r) \
	{ .line = l, .status = MS_OK, .want = { .target = t, .mechanism = m, \
	  .armed = a, .hits = h, .missed = x, .reason = r } }
#define BAD_HOOK(l, st)	{ .line = l, .status = st }

static const struct hook_case hook_cases[] = {
	/* good rows */
	GOOD_HOOK("folio_add_anon_rmap_ptes      kprobe-ftrace  "
		  "armed  1234      0       -",
		  "folio_add_anon_rmap_ptes", "kprobe-ftrace", true, 1234, 0, "-"),
	GOOD_HOOK("folio_add_file_rmap_pud       kprobe         "
		  "off    0         0       symbol-not-found\n",
		  "folio_add_file_rmap_pud", "kprobe", false, 0, 0, "symbol-not-found"),
	GOOD_HOOK("mm_page_free\ttracepoint\tarmed\t99999\t7\t-",
		  "mm_page_free", "tracepoint", true, 99999, 7, "-"),
	GOOD_HOOK("  __folio_rmap.isra.0 kretprobe off 18446744073709551615 3 -EINVAL  ",
		  "__folio_rmap.isra.0", "kretprobe", false, UINT64_MAX, 3, "-EINVAL"),
	GOOD_HOOK("kmem:mm_page_free kprobe-int3 armed 1 2 -",
		  "kmem:mm_page_free", "kprobe-int3", true, 1, 2, "-"),
	/* nothing to parse */
	BAD_HOOK("# target                      mechanism      "
		 "state  hits      missed  reason", MS_SKIP),
	BAD_HOOK("   # indented comment", MS_SKIP),
	BAD_HOOK("", MS_SKIP),
	BAD_HOOK("\t\n", MS_SKIP),
	/* wrong number of columns */
	BAD_HOOK("folio_add_anon_rmap_ptes", MS_ERR_COLUMNS),
	BAD_HOOK("folio_add_anon_rmap_ptes kprobe armed 1 0", MS_ERR_COLUMNS),
	BAD_HOOK("folio_add_anon_rmap_ptes kprobe armed 1 0 - extra", MS_ERR_COLUMNS),
	BAD_HOOK("folio_add_anon_rmap_ptes kprobe off 1 0 symbol not found", MS_ERR_COLUMNS),
	/* bad fields */
	BAD_HOOK("1folio kprobe armed 1 0 -", MS_ERR_TARGET),
	BAD_HOOK("folio-add kprobe armed 1 0 -", MS_ERR_TARGET),
	BAD_HOOK("folio/add kprobe armed 1 0 -", MS_ERR_TARGET),
	BAD_HOOK("folio Kprobe armed 1 0 -", MS_ERR_MECHANISM),
	BAD_HOOK("folio kprobe/ftrace armed 1 0 -", MS_ERR_MECHANISM),
	BAD_HOOK("folio -kprobe armed 1 0 -", MS_ERR_MECHANISM),
	BAD_HOOK("folio kprobe ARMED 1 0 -", MS_ERR_STATE),
	BAD_HOOK("folio kprobe on 1 0 -", MS_ERR_STATE),
	BAD_HOOK("folio kprobe armedx 1 0 -", MS_ERR_STATE),
	BAD_HOOK("folio kprobe armed -1 0 -", MS_ERR_NEGATIVE),
	BAD_HOOK("folio kprobe armed 1 -3 -", MS_ERR_NEGATIVE),
	BAD_HOOK("folio kprobe armed abc 0 -", MS_ERR_NUMBER),
	BAD_HOOK("folio kprobe armed 1e3 0 -", MS_ERR_NUMBER),
	BAD_HOOK("folio kprobe armed 0x10 0 -", MS_ERR_NUMBER),
	BAD_HOOK("folio kprobe armed 1 +2 -", MS_ERR_NUMBER),
	BAD_HOOK("folio kprobe armed 18446744073709551616 0 -", MS_ERR_RANGE),
	BAD_HOOK("folio kprobe off 0 0 bad/reason", MS_ERR_REASON),
	BAD_HOOK("folio kprobe off 0 0 r\x01", MS_ERR_CHAR),
};

/* The line as a C literal, shortened, for test descriptions. */
static const char *shown(const char *line)
{
	static char buf[64];
	size_t n = 0;

	buf[n++] = '"';
	for (; *line && n < sizeof(buf) - 8; line++) {
		unsigned char c = *line;

		if (c == '\n')
			n += sprintf(buf + n, "\\n");
		else if (c == '\t')
			n += sprintf(buf + n, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			n += sprintf(buf + n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	strcpy(buf + n, *line ? "...\"" : "\"");
	return buf;
}

/* Something a failed parse must leave untouched. */
static void poison(void *p, size_t len)
{
	memset(p, 0x5a, len);
}

static bool is_poisoned(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != 0x5a)
			return false;
	return true;
}

static void test_stat_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stat_cases); i++) {
		const struct stat_case *c = &stat_cases[i];
		struct ms_stat st;
		int rc;

		poison(&st, sizeof(st));
		rc = ms_parse_stat(c->line, &st);
		if (!is_int(rc, c->status, "stat %zu %s: %s", i, shown(c->line),
			    ms_strerror(c->status)))
			continue;
		if (c->status != MS_OK) {
			ok(is_poisoned(&st, sizeof(st)), "stat %zu: output untouched", i);
			continue;
		}
		is_str(st.key, c->key, "stat %zu: key", i);
		is_str(st.value, c->value, "stat %zu: value", i);
		is_int(st.is_number, c->is_number, "stat %zu: is_number", i);
		if (c->is_number)
			ok(st.number == c->number, "stat %zu: number", i);
	}
}

static void test_hook_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hook_cases); i++) {
		const struct hook_case *c = &hook_cases[i];
		const struct ms_hook *w = &c->want;
		struct ms_hook h;
		int rc;

		poison(&h, sizeof(h));
		rc = ms_parse_hook(c->line, &h);
		if (!is_int(rc, c->status, "hook %zu %s: %s", i, shown(c->line),
			    ms_strerror(c->status)))
			continue;
		if (c->status != MS_OK) {
			ok(is_poisoned(&h, sizeof(h)), "hook %zu: output untouched", i);
			continue;
		}
		is_str(h.target, w->target, "hook %zu: target", i);
		is_str(h.mechanism, w->mechanism, "hook %zu: mechanism", i);
		is_int(h.armed, w->armed, "hook %zu: armed", i);
		ok(h.hits == w->hits, "hook %zu: hits", i);
		ok(h.missed == w->missed, "hook %zu: missed", i);
		is_str(h.reason, w->reason, "hook %zu: reason", i);
	}
}

/* Build "<prefix><fill x n><suffix>" in a static buffer. */
static const char *make_line(const char *prefix, char fill, size_t n, const char *suffix)
{
	static char buf[2 * MS_LINE_MAX];
	size_t p = strlen(prefix);

	memcpy(buf, prefix, p);
	memset(buf + p, fill, n);
	strcpy(buf + p + n, suffix);
	return buf;
}

static void test_lengths(void)
{
	struct ms_stat st;
	struct ms_hook h;

	/* Whole line: MS_LINE_MAX characters pass, one more does not. */
	is_int(ms_parse_stat(make_line("k: 5", ' ', MS_LINE_MAX - 4, ""), &st), MS_OK,
	       "stat line of exactly MS_LINE_MAX characters");
	is_int(ms_parse_stat(make_line("k: 5", ' ', MS_LINE_MAX - 4, "\n"), &st), MS_OK,
	       "stat line of MS_LINE_MAX characters plus newline");
	is_int(ms_parse_stat(make_line("k: 5", ' ', MS_LINE_MAX - 3, ""), &st),
	       MS_ERR_TOOLONG, "stat line of MS_LINE_MAX + 1 characters");
	is_int(ms_parse_stat(make_line("#", 'x', MS_LINE_MAX, ""), &st),
	       MS_ERR_TOOLONG, "overlong comment line");
	is_int(ms_parse_hook(make_line("f kprobe armed 1 0 -", ' ', MS_LINE_MAX, ""), &h),
	       MS_ERR_TOOLONG, "overlong hooks row");

	/* Fields: the maximum length passes, one more does not. */
	is_int(ms_parse_stat(make_line("", 'k', MS_KEY_MAX, ": 1"), &st), MS_OK,
	       "key of MS_KEY_MAX characters");
	is_int(ms_parse_stat(make_line("", 'k', MS_KEY_MAX + 1, ": 1"), &st),
	       MS_ERR_KEY, "key of MS_KEY_MAX + 1 characters");
	is_int(ms_parse_stat(make_line("k: ", 'v', MS_VALUE_MAX, ""), &st), MS_OK,
	       "value of MS_VALUE_MAX characters");
	is_int(ms_parse_stat(make_line("k: ", 'v', MS_VALUE_MAX + 1, ""), &st),
	       MS_ERR_VALUE, "value of MS_VALUE_MAX + 1 characters");
	is_int(ms_parse_hook(make_line("", 't', MS_TARGET_MAX, " kprobe off 0 0 -"), &h),
	       MS_OK, "target of MS_TARGET_MAX characters");
	is_int(ms_parse_hook(make_line("", 't', MS_TARGET_MAX + 1, " kprobe off 0 0 -"), &h),
	       MS_ERR_TARGET, "target of MS_TARGET_MAX + 1 characters");
	is_int(ms_parse_hook(make_line("f ", 'm', MS_WORD_MAX, " off 0 0 -"), &h),
	       MS_OK, "mechanism of MS_WORD_MAX characters");
	is_int(ms_parse_hook(make_line("f ", 'm', MS_WORD_MAX + 1, " off 0 0 -"), &h),
	       MS_ERR_MECHANISM, "mechanism of MS_WORD_MAX + 1 characters");
	is_int(ms_parse_hook(make_line("f kprobe off 0 0 ", 'r', MS_WORD_MAX, ""), &h),
	       MS_OK, "reason of MS_WORD_MAX characters");
	is_int(ms_parse_hook(make_line("f kprobe off 0 0 ", 'r', MS_WORD_MAX + 1, ""), &h),
	       MS_ERR_REASON, "reason of MS_WORD_MAX + 1 characters");
}

static void test_u64(void)
{
	uint64_t v = 42;

	is_int(ms_parse_u64("0", 1, &v), MS_OK, "u64: 0");
	ok(v == 0, "u64: 0 value");
	is_int(ms_parse_u64("123abc", 3, &v), MS_OK, "u64: only len characters read");
	ok(v == 123, "u64: 123 value");
	is_int(ms_parse_u64("18446744073709551615", 20, &v), MS_OK, "u64: UINT64_MAX");
	ok(v == UINT64_MAX, "u64: UINT64_MAX value");
	v = 42;
	is_int(ms_parse_u64("", 0, &v), MS_ERR_NUMBER, "u64: empty");
	is_int(ms_parse_u64("-", 1, &v), MS_ERR_NUMBER, "u64: lone minus");
	is_int(ms_parse_u64(" 5", 2, &v), MS_ERR_NUMBER, "u64: leading blank");
	is_int(ms_parse_u64("5-", 2, &v), MS_ERR_NUMBER, "u64: trailing minus");
	is_int(ms_parse_u64("-5", 2, &v), MS_ERR_NEGATIVE, "u64: negative");
	is_int(ms_parse_u64("18446744073709551616", 20, &v), MS_ERR_RANGE,
	       "u64: UINT64_MAX + 1");
	is_int(ms_parse_u64("99999999999999999999x", 21, &v), MS_ERR_NUMBER,
	       "u64: junk after a long number is junk, not overflow");
	ok(v == 42, "u64: output untouched on errors");
}

static void test_strerror(void)
{
	static const int codes[] = {
		MS_OK, MS_SKIP, MS_ERR_TOOLONG, MS_ERR_CHAR, MS_ERR_NOCOLON,
		MS_ERR_KEY, MS_ERR_NOVALUE, MS_ERR_VALUE, MS_ERR_NEGATIVE,
		MS_ERR_RANGE, MS_ERR_NUMBER, MS_ERR_COLUMNS, MS_ERR_TARGET,
		MS_ERR_MECHANISM, MS_ERR_STATE, MS_ERR_REASON,
	};
	const size_t n = ARRAY_SIZE(codes);
	bool distinct = true, known = true;
	size_t i, j;

	for (i = 0; i < n; i++) {
		known &= strcmp(ms_strerror(codes[i]), "unknown error") != 0;
		for (j = 0; j < i; j++)
			distinct &= strcmp(ms_strerror(codes[i]), ms_strerror(codes[j])) != 0;
	}
	ok(known, "ms_strerror: every status has a message");
	ok(distinct, "ms_strerror: messages are distinct");
	is_str(ms_strerror(-1000), "unknown error", "ms_strerror: unknown status");
}

int main(void)
{
	test_stat_cases();
	test_hook_cases();
	test_lengths();
	test_u64();
	test_strerror();
	return tap_finish();
}
