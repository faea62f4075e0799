// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of debugfs-tools/ms_parse.c, the parser of the module's
 * debugfs "stats", "hooks", "findings", "scan" and "findings_detail"
 * files, and its explanations of the errors of "control" and "sites".
 * Table-driven: one row per line fed to the parser, with the status and
 * (for good lines) the fields expected.
 */
#include <errno.h>
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
	GOOD_STAT("findings_live-unmapped: 3", "findings_live-unmapped", "3", true, 3),
	GOOD_STAT("findings_kernel-report: 0\n", "findings_kernel-report", "0", true, 0),
	GOOD_STAT("filter_value: kworker/0:1", "filter_value", "kworker/0:1", false, 0),
	GOOD_STAT("filter_value: -", "filter_value", "-", false, 0),
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
	struct ms_hook_row want;	/* expected fields when status is MS_OK */
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
	GOOD_HOOK("copy_page_range+0xb8b             site-int3        armed"
		  "            12        0 -",
		  "copy_page_range+0xb8b", "site-int3", true, 12, 0, "-"),
	GOOD_HOOK("zap_pte_range.isra.0+0x1f site-opt off 0 0 not-armed",
		  "zap_pte_range.isra.0+0x1f", "site-opt", false, 0, 0, "not-armed"),
	GOOD_HOOK("folio_try_dup_anon_rmap_ptes kretprobe-ftrace armed 5 0 -",
		  "folio_try_dup_anon_rmap_ptes", "kretprobe-ftrace", true, 5, 0, "-"),
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
	BAD_HOOK("+0xb8b site-int3 armed 1 0 -", MS_ERR_TARGET),
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

struct finding_case {
	const char *line;
	int status;
	struct ms_finding_row want;	/* expected fields when status is MS_OK */
};

#define GOOD_FINDING(l, ...) \
	{ .line = l, .status = MS_OK, .want = { __VA_ARGS__ } }
#define BAD_FINDING(l, st)	{ .line = l, .status = st }

static const struct finding_case finding_cases[] = {
	/* good lines */
	GOOD_FINDING("3 19052441796 underflow 0x329d 0 anon 0 -1 258 "
		     "inject-target folio_remove_rmap_ptes",
		     .id = 3, .time_ns = 19052441796ULL, .kind = "underflow",
		     .pfn = 0x329d, .order = 0, .type = "anon", .shadow = 0,
		     .live = -1, .pid = 258, .comm = "inject-target",
		     .source = "folio_remove_rmap_ptes"),
	GOOD_FINDING("1 5 live-unmapped 0x1a2b3c 9 file 512 0 1 systemd fork-walk\n",
		     .id = 1, .time_ns = 5, .kind = "live-unmapped",
		     .pfn = 0x1a2b3c, .order = 9, .type = "file", .shadow = 512,
		     .live = 0, .pid = 1, .comm = "systemd", .source = "fork-walk"),
	/* comm "-": the task had no name */
	GOOD_FINDING("7 9 kernel-report 0x10 0 hugetlb 1 1 0 - ?",
		     .id = 7, .time_ns = 9, .kind = "kernel-report", .pfn = 0x10,
		     .type = "hugetlb", .shadow = 1, .live = 1, .pid = 0,
		     .comm = "-", .source = "?"),
	/* negative counts down to INT32_MIN */
	GOOD_FINDING("2 2 mismatch 0x1 1 shmem -2147483648 -7 99 a inline-site",
		     .id = 2, .time_ns = 2, .kind = "mismatch", .pfn = 1,
		     .order = 1, .type = "shmem", .shadow = INT32_MIN,
		     .live = -7, .pid = 99, .comm = "a", .source = "inline-site"),
	/* huge pfn, id and time */
	GOOD_FINDING("18446744073709551615 18446744073709551615 freed-mapped "
		     "0xffffffffffffffff 63 ksm 2147483647 2147483647 4194304 "
		     "x mm_page_free",
		     .id = UINT64_MAX, .time_ns = UINT64_MAX, .kind = "freed-mapped",
		     .pfn = UINT64_MAX, .order = 63, .type = "ksm",
		     .shadow = INT32_MAX, .live = INT32_MAX, .pid = 4194304,
		     .comm = "x", .source = "mm_page_free"),
	/* a task name with blanks, and one with odd bytes */
	GOOD_FINDING("4 1 underflow 0x10 2 anon 1 1 4242 Web Content  fork-walk",
		     .id = 4, .time_ns = 1, .kind = "underflow", .pfn = 0x10,
		     .order = 2, .type = "anon", .shadow = 1, .live = 1,
		     .pid = 4242, .comm = "Web Content", .source = "fork-walk"),
	GOOD_FINDING("5 1 underflow 0x10 0 anon 1 1 7 t\x1b[0m\xc3\xa9 fork-walk",
		     .id = 5, .time_ns = 1, .kind = "underflow", .pfn = 0x10,
		     .type = "anon", .shadow = 1, .live = 1, .pid = 7,
		     .comm = "t?[0m??", .source = "fork-walk"),
	GOOD_FINDING("6 1 mismatch 0xABCdef 0 anon 1 2 3 c kmem:mm_page_free",
		     .id = 6, .time_ns = 1, .kind = "mismatch", .pfn = 0xabcdef,
		     .type = "anon", .shadow = 1, .live = 2, .pid = 3, .comm = "c",
		     .source = "kmem:mm_page_free"),
	/* nothing to parse */
	BAD_FINDING("# id time_ns kind pfn order type shadow live pid comm source",
		    MS_SKIP),
	BAD_FINDING("", MS_SKIP),
	BAD_FINDING(" \n", MS_SKIP),
	/* wrong number of columns */
	BAD_FINDING("3 19052441796 underflow 0x329d 0 anon 0 -1 258 folio_remove_rmap_ptes",
		    MS_ERR_FCOLUMNS),
	BAD_FINDING("3 19052441796 underflow 0x329d 0 anon 0 -1", MS_ERR_FCOLUMNS),
	BAD_FINDING("3", MS_ERR_FCOLUMNS),
	/* bad fields */
	BAD_FINDING("x 1 underflow 0x1 0 anon 0 -1 1 c s", MS_ERR_NUMBER),
	BAD_FINDING("-3 1 underflow 0x1 0 anon 0 -1 1 c s", MS_ERR_NEGATIVE),
	BAD_FINDING("3 1.5 underflow 0x1 0 anon 0 -1 1 c s", MS_ERR_NUMBER),
	BAD_FINDING("3 1 Underflow 0x1 0 anon 0 -1 1 c s", MS_ERR_KIND),
	BAD_FINDING("3 1 under/flow 0x1 0 anon 0 -1 1 c s", MS_ERR_KIND),
	BAD_FINDING("3 1 -underflow 0x1 0 anon 0 -1 1 c s", MS_ERR_KIND),
	BAD_FINDING("3 1 underflow 329d 0 anon 0 -1 1 c s", MS_ERR_HEX),
	BAD_FINDING("3 1 underflow 0x 0 anon 0 -1 1 c s", MS_ERR_HEX),
	BAD_FINDING("3 1 underflow 0x32g 0 anon 0 -1 1 c s", MS_ERR_HEX),
	BAD_FINDING("3 1 underflow 0X329d 0 anon 0 -1 1 c s", MS_ERR_HEX),
	BAD_FINDING("3 1 underflow 0x10000000000000000 0 anon 0 -1 1 c s",
		    MS_ERR_RANGE),
	BAD_FINDING("3 1 underflow 0x1 64 anon 0 -1 1 c s", MS_ERR_ORDER),
	BAD_FINDING("3 1 underflow 0x1 -1 anon 0 -1 1 c s", MS_ERR_NEGATIVE),
	BAD_FINDING("3 1 underflow 0x1 0 ANON 0 -1 1 c s", MS_ERR_TYPE),
	BAD_FINDING("3 1 underflow 0x1 0 anon - -1 1 c s", MS_ERR_NUMBER),
	BAD_FINDING("3 1 underflow 0x1 0 anon 0 --1 1 c s", MS_ERR_NUMBER),
	BAD_FINDING("3 1 underflow 0x1 0 anon 0 +1 1 c s", MS_ERR_NUMBER),
	BAD_FINDING("3 1 underflow 0x1 0 anon 0 -2147483649 1 c s", MS_ERR_RANGE),
	BAD_FINDING("3 1 underflow 0x1 0 anon 2147483648 0 1 c s", MS_ERR_RANGE),
	BAD_FINDING("3 1 underflow 0x1 0 anon 0 0 1x c s", MS_ERR_NUMBER),
	BAD_FINDING("3 1 underflow 0x1 0 anon 0 0 1 c so/urce", MS_ERR_SOURCE),
	BAD_FINDING("3 1 underflow 0x1 0 anon 0 0 1 c source\r", MS_ERR_SOURCE),
};

struct disagree_case {
	const char *line;
	int status;
	struct ms_disagree want;	/* expected fields when status is MS_OK */
};

#define GOOD_DISAGREE(l, ...) \
	{ .line = l, .status = MS_OK, .want = { __VA_ARGS__ } }
#define BAD_DISAGREE(l, st)	{ .line = l, .status = st }

static const struct disagree_case disagree_cases[] = {
	GOOD_DISAGREE("disagree: pfn=0x329d order=0 shadow=1 live=2 pte=1 pmd=0 pud=0 hugetlb=0",
		      .pfn = 0x329d, .order = 0, .shadow = 1, .live = 2,
		      .level = { 1, 0, 0, 0 }),
	GOOD_DISAGREE("disagree: pfn=0xffffffffffffffff order=9 shadow=-1 live=-2147483648 "
		      "pte=-3 pmd=1 pud=2 hugetlb=3\n",
		      .pfn = UINT64_MAX, .order = 9, .shadow = -1, .live = INT32_MIN,
		      .level = { -3, 1, 2, 3 }),
	BAD_DISAGREE("", MS_SKIP),
	BAD_DISAGREE("disagree:", MS_ERR_DISAGREE),
	BAD_DISAGREE("disagree: pfn=0x1 order=0 shadow=1 live=2 pte=1 pmd=0 pud=0",
		     MS_ERR_DISAGREE),
	BAD_DISAGREE("disagree: pfn=0x1 order=0 shadow=1 live=2 pte=1 pmd=0 pud=0 hugetlb=0 x=1",
		     MS_ERR_DISAGREE),
	BAD_DISAGREE("disagree: order=0 pfn=0x1 shadow=1 live=2 pte=1 pmd=0 pud=0 hugetlb=0",
		     MS_ERR_DISAGREE),
	BAD_DISAGREE("disagree: pfn=0x1 order=0 shadow= live=2 pte=1 pmd=0 pud=0 hugetlb=0",
		     MS_ERR_DISAGREE),
	BAD_DISAGREE("disagreed: 3", MS_ERR_DISAGREE),
	BAD_DISAGREE("disagree: pfn=1 order=0 shadow=1 live=2 pte=1 pmd=0 pud=0 hugetlb=0",
		     MS_ERR_HEX),
	BAD_DISAGREE("disagree: pfn=0x1 order=64 shadow=1 live=2 pte=1 pmd=0 pud=0 hugetlb=0",
		     MS_ERR_ORDER),
	BAD_DISAGREE("disagree: pfn=0x1 order=-1 shadow=1 live=2 pte=1 pmd=0 pud=0 hugetlb=0",
		     MS_ERR_ORDER),
	BAD_DISAGREE("disagree: pfn=0x1 order=0 shadow=1 live=z pte=1 pmd=0 pud=0 hugetlb=0",
		     MS_ERR_NUMBER),
	BAD_DISAGREE("disagree: pfn=0x1 order=0 shadow=1 live=2 pte=1 pmd=0 pud=0 "
		     "hugetlb=9999999999", MS_ERR_RANGE),
	BAD_DISAGREE("disagree: pfn=0x1 order=0 shadow=1 live=2\tpte=1 pmd=0 pud=0 hugetlb=0\x01",
		     MS_ERR_CHAR),
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
		const struct ms_hook_row *w = &c->want;
		struct ms_hook_row h;
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

static void test_finding_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(finding_cases); i++) {
		const struct finding_case *c = &finding_cases[i];
		const struct ms_finding_row *w = &c->want;
		struct ms_finding_row f;
		int rc;

		poison(&f, sizeof(f));
		rc = ms_parse_finding(c->line, &f);
		if (!is_int(rc, c->status, "finding %zu %s: %s", i, shown(c->line),
			    ms_strerror(c->status)))
			continue;
		if (c->status != MS_OK) {
			ok(is_poisoned(&f, sizeof(f)), "finding %zu: output untouched", i);
			continue;
		}
		ok(f.id == w->id && f.time_ns == w->time_ns, "finding %zu: id, time", i);
		is_str(f.kind, w->kind, "finding %zu: kind", i);
		ok(f.pfn == w->pfn, "finding %zu: pfn", i);
		is_int(f.order, w->order, "finding %zu: order", i);
		is_str(f.type, w->type, "finding %zu: type", i);
		is_int(f.shadow, w->shadow, "finding %zu: shadow", i);
		is_int(f.live, w->live, "finding %zu: live", i);
		is_int(f.pid, w->pid, "finding %zu: pid", i);
		is_str(f.comm, w->comm, "finding %zu: comm", i);
		is_str(f.source, w->source, "finding %zu: source", i);
	}
}

static void test_disagree_cases(void)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(disagree_cases); i++) {
		const struct disagree_case *c = &disagree_cases[i];
		const struct ms_disagree *w = &c->want;
		struct ms_disagree d;
		bool levels = true;
		int rc;

		poison(&d, sizeof(d));
		rc = ms_parse_disagree(c->line, &d);
		if (!is_int(rc, c->status, "disagree %zu %s: %s", i, shown(c->line),
			    ms_strerror(c->status)))
			continue;
		if (c->status != MS_OK) {
			ok(is_poisoned(&d, sizeof(d)), "disagree %zu: output untouched", i);
			continue;
		}
		ok(d.pfn == w->pfn, "disagree %zu: pfn", i);
		is_int(d.order, w->order, "disagree %zu: order", i);
		is_int(d.shadow, w->shadow, "disagree %zu: shadow", i);
		is_int(d.live, w->live, "disagree %zu: live", i);
		for (j = 0; j < MS_LEVELS; j++)
			levels &= d.level[j] == w->level[j];
		ok(levels, "disagree %zu: pte pmd pud hugetlb", i);
	}
}

static void test_detail_header(void)
{
	char kind[MS_WORD_MAX + 1] = "untouched";

	is_int(ms_parse_detail_header("finding 12: live-unmapped\n", kind), MS_OK,
	       "detail: block header");
	is_str(kind, "live-unmapped", "detail: kind of the block");
	is_int(ms_parse_detail_header("finding 1: underflow", kind), MS_OK,
	       "detail: header without newline");
	is_str(kind, "underflow", "detail: kind without newline");
	strcpy(kind, "untouched");
	is_int(ms_parse_detail_header("  folio: pfn 0x329d order 0 anon, shadow strict\n",
				      kind), MS_SKIP, "detail: indented line");
	is_int(ms_parse_detail_header("finding x: underflow", kind), MS_SKIP,
	       "detail: no id");
	is_int(ms_parse_detail_header("finding 3:underflow", kind), MS_SKIP,
	       "detail: no blank after ':'");
	is_int(ms_parse_detail_header("finding 3: ", kind), MS_SKIP,
	       "detail: no kind");
	is_int(ms_parse_detail_header("finding 3: two words", kind), MS_SKIP,
	       "detail: kind of two words");
	is_int(ms_parse_detail_header("findings 3: underflow", kind), MS_SKIP,
	       "detail: other first word");
	is_int(ms_parse_detail_header("", kind), MS_SKIP, "detail: empty line");
	is_str(kind, "untouched", "detail: kind untouched by other lines");
}

static void test_s32_hex(void)
{
	int32_t i = 42;
	uint64_t v = 42;

	is_int(ms_parse_s32("-1", 2, &i), MS_OK, "s32: -1");
	is_int(i, -1, "s32: -1 value");
	is_int(ms_parse_s32("-0", 2, &i), MS_OK, "s32: -0");
	is_int(i, 0, "s32: -0 value");
	is_int(ms_parse_s32("2147483647", 10, &i), MS_OK, "s32: INT32_MAX");
	is_int(i, INT32_MAX, "s32: INT32_MAX value");
	is_int(ms_parse_s32("-2147483648", 11, &i), MS_OK, "s32: INT32_MIN");
	is_int(i, INT32_MIN, "s32: INT32_MIN value");
	i = 42;
	is_int(ms_parse_s32("2147483648", 10, &i), MS_ERR_RANGE, "s32: INT32_MAX + 1");
	is_int(ms_parse_s32("-2147483649", 11, &i), MS_ERR_RANGE, "s32: INT32_MIN - 1");
	is_int(ms_parse_s32("-99999999999999999999", 21, &i), MS_ERR_RANGE,
	       "s32: beyond 64 bits");
	is_int(ms_parse_s32("", 0, &i), MS_ERR_NUMBER, "s32: empty");
	is_int(ms_parse_s32("-", 1, &i), MS_ERR_NUMBER, "s32: lone minus");
	is_int(ms_parse_s32("--1", 3, &i), MS_ERR_NUMBER, "s32: two minus signs");
	is_int(ms_parse_s32("+1", 2, &i), MS_ERR_NUMBER, "s32: plus sign");
	is_int(i, 42, "s32: output untouched on errors");

	is_int(ms_parse_hex("0x0", 3, &v), MS_OK, "hex: 0x0");
	ok(v == 0, "hex: 0x0 value");
	is_int(ms_parse_hex("0xffffffffffffffff", 18, &v), MS_OK, "hex: UINT64_MAX");
	ok(v == UINT64_MAX, "hex: UINT64_MAX value");
	is_int(ms_parse_hex("0x0000000000000000001", 21, &v), MS_OK,
	       "hex: leading zeros do not overflow");
	ok(v == 1, "hex: leading zeros value");
	v = 42;
	is_int(ms_parse_hex("0x10000000000000000", 19, &v), MS_ERR_RANGE,
	       "hex: UINT64_MAX + 1");
	is_int(ms_parse_hex("0x", 2, &v), MS_ERR_HEX, "hex: no digits");
	is_int(ms_parse_hex("12", 2, &v), MS_ERR_HEX, "hex: no 0x");
	is_int(ms_parse_hex("0x1g", 4, &v), MS_ERR_HEX, "hex: not a hex digit");
	is_int(ms_parse_hex("-0x1", 4, &v), MS_ERR_HEX, "hex: negative");
	ok(v == 42, "hex: output untouched on errors");
}

static void test_kinds(void)
{
	const char *const *k;
	size_t n = 0;

	for (k = ms_finding_kinds; *k; k++, n++)
		ok(ms_finding_kind_known(*k), "kind %s is known", *k);
	is_int(n, 17, "seventeen finding kinds");
	ok(!ms_finding_kind_known("overflow"), "overflow is not a kind");
	ok(!ms_finding_kind_known("Mismatch"), "kinds are lower case");
	ok(!ms_finding_kind_known(""), "empty kind");
}

static bool mentions(const char *msg, const char *part)
{
	return msg && strstr(msg, part);
}

static void test_write_errors(void)
{
	ok(mentions(ms_control_error("frob", EINVAL), "unknown or malformed verb"),
	   "control: EINVAL is an unknown verb");
	ok(mentions(ms_control_error("filter pid=99999", ESRCH), "no process"),
	   "control: ESRCH is a missing process");
	ok(mentions(ms_control_error("sites=on", ENOENT), "nothing staged"),
	   "control: sites=on ENOENT is nothing staged");
	ok(mentions(ms_control_error("sites=on", EINVAL), "does not fit this kernel"),
	   "control: sites=on EINVAL is a mismatching table");
	ok(mentions(ms_control_error("sites=on", EILSEQ), "instruction"),
	   "control: sites=on EILSEQ is an instruction mismatch");
	ok(mentions(ms_control_error("scan", ENOMEM), "out of memory"),
	   "control: ENOMEM");
	ok(!ms_control_error("scan", EINTR), "control: EINTR left to strerror");
	ok(!ms_control_error("sites=on", ENOSPC), "control: ENOSPC left to strerror");
	ok(mentions(ms_sites_error(EINVAL), "not for this kernel"),
	   "sites: EINVAL is a malformed or foreign table");
	ok(mentions(ms_sites_error(E2BIG), "more sites"), "sites: E2BIG");
	ok(!ms_sites_error(ENOSPC), "sites: ENOSPC left to strerror");
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

static void test_finding_lengths(void)
{
	struct ms_finding_row f;

	is_int(ms_parse_finding(make_line("1 1 mismatch 0x1 0 anon 0 0 1 ", 'c',
					  MS_COMM_MAX, " src"), &f),
	       MS_OK, "comm of MS_COMM_MAX characters");
	is_int(ms_parse_finding(make_line("1 1 mismatch 0x1 0 anon 0 0 1 ", 'c',
					  MS_COMM_MAX + 1, " src"), &f),
	       MS_ERR_COMM, "comm of MS_COMM_MAX + 1 characters");
	is_int(ms_parse_finding(make_line("1 1 ", 'k', MS_WORD_MAX,
					  " 0x1 0 anon 0 0 1 c src"), &f),
	       MS_OK, "kind of MS_WORD_MAX characters");
	is_int(ms_parse_finding(make_line("1 1 ", 'k', MS_WORD_MAX + 1,
					  " 0x1 0 anon 0 0 1 c src"), &f),
	       MS_ERR_KIND, "kind of MS_WORD_MAX + 1 characters");
	is_int(ms_parse_finding(make_line("1 1 mismatch 0x1 0 anon 0 0 1 c ", 's',
					  MS_TARGET_MAX, ""), &f),
	       MS_OK, "source of MS_TARGET_MAX characters");
	is_int(ms_parse_finding(make_line("1 1 mismatch 0x1 0 anon 0 0 1 c ", 's',
					  MS_TARGET_MAX + 1, ""), &f),
	       MS_ERR_SOURCE, "source of MS_TARGET_MAX + 1 characters");
	is_int(ms_parse_finding(make_line("1 1 mismatch 0x1 0 anon 0 0 1 c src", ' ',
					  MS_LINE_MAX, ""), &f),
	       MS_ERR_TOOLONG, "overlong findings line");
}

static void test_lengths(void)
{
	struct ms_stat st;
	struct ms_hook_row h;

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
	test_finding_lengths();
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
		MS_ERR_MECHANISM, MS_ERR_STATE, MS_ERR_REASON, MS_ERR_FCOLUMNS,
		MS_ERR_KIND, MS_ERR_HEX, MS_ERR_ORDER, MS_ERR_TYPE, MS_ERR_COMM,
		MS_ERR_SOURCE, MS_ERR_DISAGREE,
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

static void test_pagemap(void)
{
	uint64_t pfn = 7;
	char buf[64];

	is_int(ms_pagemap_decode((1ULL << 63) | 0x1a2b3, &pfn), MS_PAGEMAP_PFN,
	       "pagemap: present");
	is_int(pfn, 0x1a2b3, "pagemap: its pfn");
	is_int(ms_pagemap_decode((1ULL << 63) | (1ULL << 61), &pfn), MS_PAGEMAP_HIDDEN,
	       "pagemap: present, pfn hidden from non-root");
	is_int(ms_pagemap_decode((1ULL << 62) | 0x55, &pfn), MS_PAGEMAP_SWAPPED,
	       "pagemap: swapped");
	is_int(ms_pagemap_decode(0, &pfn), MS_PAGEMAP_NONE, "pagemap: nothing");
	ms_kpageflags_names((1ULL << 5) | (1ULL << 12) | (1ULL << 22), buf, sizeof(buf));
	is_str(buf, "lru|anon|thp", "kpageflags: named bits");
	ms_kpageflags_names(1ULL << 40, buf, sizeof(buf));
	is_str(buf, "bit40", "kpageflags: an unnamed bit");
	ms_kpageflags_names(0, buf, sizeof(buf));
	is_str(buf, "-", "kpageflags: none");
	ms_kpageflags_names((1ULL << 5) | (1ULL << 12), buf, 6);
	is_str(buf, "lru", "kpageflags: a short buffer keeps whole names");
}

int main(void)
{
	test_stat_cases();
	test_hook_cases();
	test_finding_cases();
	test_disagree_cases();
	test_detail_header();
	test_lengths();
	test_u64();
	test_s32_hex();
	test_kinds();
	test_write_errors();
	test_strerror();
	test_pagemap();
	return tap_finish();
}
