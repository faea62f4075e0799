// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/sitetable_parse.c, the parser of the site tables
 * written by debugfs-tools/sitegen. Good lines are checked field by field,
 * bad ones by the errno they must produce.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitetable_parse.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct ms_site_line out;

static int parse(const char *line)
{
	return ms_site_parse_line(line, strlen(line), &out);
}

/* A site line with one token replaced (index 1..9; 9 = flags, "" = none). */
static const char *site_with(int idx, const char *tok)
{
	static char buf[2048];
	const char *def[10] = {
		"site", "copy_page_range", "0xb8b", "f0015d50", "rbp", "0x50",
		"large_mapcount", "reg:ebx", "__folio_try_dup_anon_rmap", "",
	};
	int i;

	def[idx] = tok;
	buf[0] = '\0';
	for (i = 0; i < 10; i++) {
		if (!*def[i])
			continue;
		if (i)
			strcat(buf, " ");
		strcat(buf, def[i]);
	}
	return buf;
}

static void test_good_site(void)
{
	const struct ms_site *s = &out.site;

	is_int(parse("site copy_page_range 0xb8b f0015d50 rbp 0x50 large_mapcount reg:ebx "
		     "__folio_try_dup_anon_rmap"), MS_SITE_SITE, "example site line");
	is_int(out.kind, MS_SITE_SITE, "kind stored");
	is_str(s->function, "copy_page_range", "function");
	is_int(s->offset, 0xb8b, "offset");
	is_int(s->nbytes, 4, "nbytes");
	ok(!memcmp(s->bytes, "\xf0\x01\x5d\x50", 4), "bytes");
	is_int(s->base, MS_REG_BP, "base register");
	is_int(s->base_width, 64, "base width");
	is_int(s->disp, 0x50, "disp");
	is_int(s->counter, MS_CNT_LARGE_MAPCOUNT, "counter");
	is_int(s->delta.kind, MS_DELTA_REG, "delta kind");
	is_int(s->delta.reg, MS_REG_BX, "delta register");
	is_int(s->delta.width, 32, "delta width");
	ok(!s->delta.negate, "delta not negated");
	is_str(s->helper, "__folio_try_dup_anon_rmap", "helper");
	is_int(s->flags, 0, "no flags");

	is_int(parse("site copy_page_range 0x1e3a f041ff02 r10 0x0 mapcount +1 "
		     "folio_dup_file_rmap_ptes\n"), MS_SITE_SITE, "disp 0, trailing newline");
	is_int(s->base, MS_REG_R10, "r10");
	is_int(s->disp, 0, "disp 0");
	is_int(s->counter, MS_CNT_MAPCOUNT, "mapcount");
	is_int(s->delta.kind, MS_DELTA_CONST, "constant delta");
	is_int(s->delta.value, 1, "+1");

	is_int(parse("site\tf.isra.0\t0x0\tf0\tebp\t-0x8\tentire_mapcount\t-1\th\tool"),
	       MS_SITE_SITE, "tabs, dotted name, negative disp, ool");
	is_str(s->function, "f.isra.0", "dotted function");
	is_int(s->base_width, 32, "ebp is 32 bits wide");
	is_int(s->disp, -8, "disp -8");
	is_int(s->delta.value, -1, "-1");
	is_int(s->flags, MS_SITE_F_OOL, "ool flag");

	is_int(parse("site f  0x10   f0ff4d58 rbp 0x58 nr_pages_mapped -reg:r15d h  "
		     "ambiguous,ool  "), MS_SITE_SITE, "runs of blanks, trailing blanks");
	is_int(s->counter, MS_CNT_NR_PAGES_MAPPED, "nr_pages_mapped");
	is_int(s->delta.kind, MS_DELTA_REG, "register delta");
	ok(s->delta.negate, "-reg negated");
	is_int(s->delta.reg, MS_REG_R15, "r15d is r15");
	is_int(s->flags, MS_SITE_F_AMBIGUOUS | MS_SITE_F_OOL, "both flags");

	is_int(parse(site_with(9, "ool,ambiguous")), MS_SITE_SITE, "flags in any order");
	is_int(parse(site_with(9, "ambiguous")), MS_SITE_SITE, "ambiguous alone");
	is_int(out.site.flags, MS_SITE_F_AMBIGUOUS, "ambiguous flag");
}

static void test_numbers(void)
{
	static const struct {
		const char *tok;
		int ret;
		long long want;
	} offsets[] = {
		{ "0x0", MS_SITE_SITE, 0 },
		{ "0xABCdef", MS_SITE_SITE, 0xabcdef },
		{ "0xffffffff", MS_SITE_SITE, 0xffffffffll },
		{ "0x00000000000000000001", MS_SITE_SITE, 1 },
		{ "0x100000000", -ERANGE, 0 },
		{ "0x", -EINVAL, 0 },
		{ "0X10", -EINVAL, 0 },
		{ "b8b", -EINVAL, 0 },
		{ "0xg", -EINVAL, 0 },
		{ "-0x10", -EINVAL, 0 },
		{ "+0x10", -EINVAL, 0 },
		{ "16", -EINVAL, 0 },
	}, disps[] = {
		{ "0x0", MS_SITE_SITE, 0 },
		{ "-0x0", MS_SITE_SITE, 0 },
		{ "0x7fffffff", MS_SITE_SITE, 0x7fffffff },
		{ "-0x80000000", MS_SITE_SITE, -0x80000000ll },
		{ "0x80000000", -ERANGE, 0 },
		{ "-0x80000001", -ERANGE, 0 },
		{ "0xffffffffffffffffffff", -ERANGE, 0 },
		{ "--0x1", -EINVAL, 0 },
		{ "-", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "50", -EINVAL, 0 },
	}, deltas[] = {
		{ "+1", MS_SITE_SITE, 1 },
		{ "-1", MS_SITE_SITE, -1 },
		{ "+0", MS_SITE_SITE, 0 },
		{ "+512", MS_SITE_SITE, 512 },
		{ "+2147483647", MS_SITE_SITE, 2147483647 },
		{ "-2147483648", MS_SITE_SITE, -2147483648ll },
		{ "+2147483648", -ERANGE, 0 },
		{ "-2147483649", -ERANGE, 0 },
		{ "+99999999999999999999999", -ERANGE, 0 },
		{ "1", -EINVAL, 0 },
		{ "+", -EINVAL, 0 },
		{ "-", -EINVAL, 0 },
		{ "--1", -EINVAL, 0 },
		{ "+-1", -EINVAL, 0 },
		{ "+0x1", -EINVAL, 0 },
		{ "+1a", -EINVAL, 0 },
		{ "reg:", -EINVAL, 0 },
		{ "-reg:", -EINVAL, 0 },
		{ "reg:foo", -EINVAL, 0 },
		{ "reg:bx", -EINVAL, 0 },
		{ "+reg:ebx", -EINVAL, 0 },
		{ "reg:ebx:", -EINVAL, 0 },
		{ "REG:ebx", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		if (is_int(parse(site_with(2, offsets[i].tok)), offsets[i].ret,
			   "offset %s", offsets[i].tok) && offsets[i].ret > 0)
			is_int(out.site.offset, offsets[i].want, "offset %s value", offsets[i].tok);
	}
	for (i = 0; i < ARRAY_SIZE(disps); i++) {
		if (is_int(parse(site_with(5, disps[i].tok)), disps[i].ret,
			   "disp %s", disps[i].tok) && disps[i].ret > 0)
			is_int(out.site.disp, disps[i].want, "disp %s value", disps[i].tok);
	}
	for (i = 0; i < ARRAY_SIZE(deltas); i++) {
		if (is_int(parse(site_with(7, deltas[i].tok)), deltas[i].ret,
			   "delta %s", deltas[i].tok) && deltas[i].ret > 0) {
			is_int(out.site.delta.kind, MS_DELTA_CONST, "delta %s kind", deltas[i].tok);
			is_int(out.site.delta.value, deltas[i].want, "delta %s value",
			       deltas[i].tok);
		}
	}
}

static void test_registers(void)
{
	static const char *const r64[MS_REG_NR] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	static const char *const r32[MS_REG_NR] = {
		"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp",
		"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
	};
	static const char *const names[MS_REG_NR] = {
		"ax", "bx", "cx", "dx", "si", "di", "bp", "sp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	static const char *const bad[] = {
		"ax", "bp", "rip", "r16", "r7", "R10", "RBP", "r8w", "r8b", "al", "ah",
		"spl", "eip", "r10dd", "rbpx", "xmm0", "",
	};
	char delta[32];
	int i;
	size_t j;

	for (i = 0; i < MS_REG_NR; i++) {
		if (is_int(parse(site_with(4, r64[i])), MS_SITE_SITE, "base %s", r64[i])) {
			is_int(out.site.base, i, "base %s index", r64[i]);
			is_int(out.site.base_width, 64, "base %s width", r64[i]);
		}
		if (is_int(parse(site_with(4, r32[i])), MS_SITE_SITE, "base %s", r32[i])) {
			is_int(out.site.base, i, "base %s index", r32[i]);
			is_int(out.site.base_width, 32, "base %s width", r32[i]);
		}
		snprintf(delta, sizeof(delta), "reg:%s", r32[i]);
		if (is_int(parse(site_with(7, delta)), MS_SITE_SITE, "delta %s", delta)) {
			is_int(out.site.delta.reg, i, "delta %s index", delta);
			is_int(out.site.delta.width, 32, "delta %s width", delta);
		}
		snprintf(delta, sizeof(delta), "-reg:%s", r64[i]);
		if (is_int(parse(site_with(7, delta)), MS_SITE_SITE, "delta %s", delta)) {
			is_int(out.site.delta.reg, i, "delta %s index", delta);
			is_int(out.site.delta.width, 64, "delta %s width", delta);
			ok(out.site.delta.negate, "delta %s negated", delta);
		}
		is_str(ms_site_reg_name(i), names[i], "ms_site_reg_name(%d)", i);
	}
	is_str(ms_site_reg_name(MS_REG_NR), "?", "ms_site_reg_name out of range");
	is_str(ms_site_reg_name(-1), "?", "ms_site_reg_name(-1)");
	for (j = 0; j < ARRAY_SIZE(bad); j++) {
		if (!*bad[j])
			continue;	/* an empty token is just a missing one */
		is_int(parse(site_with(4, bad[j])), -EINVAL, "base %s refused", bad[j]);
		snprintf(delta, sizeof(delta), "reg:%s", bad[j]);
		is_int(parse(site_with(7, delta)), -EINVAL, "delta %s refused", delta);
	}
}

static void test_counters_and_fields(void)
{
	static const char *const names[MS_CNT_NR] = {
		"mapcount", "large_mapcount", "entire_mapcount", "nr_pages_mapped",
	};
	static const char *const bad[] = {
		"Mapcount", "pincount", "mapcount_", "large", "page", "_mapcount",
		"nr_pages_mapped,", "entire-mapcount",
	};
	char line[128];
	int i;
	size_t j;

	for (i = 0; i < MS_CNT_NR; i++) {
		if (is_int(parse(site_with(6, names[i])), MS_SITE_SITE, "counter %s", names[i]))
			is_int(out.site.counter, i, "counter %s index", names[i]);
		snprintf(line, sizeof(line), "field %s 0x%x", names[i], 0x30 + 4 * i);
		if (is_int(parse(line), MS_SITE_FIELD, "%s", line)) {
			is_int(out.field.counter, i, "%s: counter", line);
			is_int(out.field.offset, 0x30 + 4 * i, "%s: offset", line);
		}
		is_str(ms_site_counter_name(i), names[i], "ms_site_counter_name(%d)", i);
	}
	is_str(ms_site_counter_name(MS_CNT_NR), "?", "ms_site_counter_name out of range");
	for (j = 0; j < ARRAY_SIZE(bad); j++) {
		is_int(parse(site_with(6, bad[j])), -EINVAL, "counter %s refused", bad[j]);
		snprintf(line, sizeof(line), "field %s 0x30", bad[j]);
		is_int(parse(line), -EINVAL, "%s refused", line);
	}
	is_int(parse("field mapcount 0xffffffff"), MS_SITE_FIELD, "field offset max");
	is_int(parse("field mapcount 0x100000000"), -ERANGE, "field offset too big");
	is_int(parse("field mapcount 48"), -EINVAL, "field offset not hex");
	is_int(parse("field mapcount"), -EINVAL, "field without offset");
	is_int(parse("field"), -EINVAL, "field alone");
	is_int(parse("field mapcount 0x30 0x30"), -EINVAL, "field with an extra token");
	is_int(parse("field 0x30 mapcount"), -EINVAL, "field tokens swapped");
}

static void test_names_and_bytes(void)
{
	char name[80];
	size_t n;

	memset(name, 'a', sizeof(name));
	name[MS_SITE_NAME_MAX - 1] = '\0';	/* 63 characters */
	is_int(parse(site_with(1, name)), MS_SITE_SITE, "63-character function");
	is_int(strlen(out.site.function), 63, "63 characters kept");
	is_int(parse(site_with(8, name)), MS_SITE_SITE, "63-character helper");
	name[MS_SITE_NAME_MAX - 1] = 'a';
	name[MS_SITE_NAME_MAX] = '\0';		/* 64 characters */
	is_int(parse(site_with(1, name)), -ENAMETOOLONG, "64-character function");
	is_int(parse(site_with(8, name)), -ENAMETOOLONG, "64-character helper");

	is_int(parse(site_with(1, "_")), MS_SITE_SITE, "function _");
	is_int(parse(site_with(1, "__x64_sys_fork")), MS_SITE_SITE, "digits inside");
	is_int(parse(site_with(1, "copy_page_range.cold")), MS_SITE_SITE, ".cold");
	is_int(parse(site_with(1, "1abc")), -EINVAL, "leading digit");
	is_int(parse(site_with(1, ".foo")), -EINVAL, "leading dot");
	is_int(parse(site_with(1, "foo-bar")), -EINVAL, "dash");
	is_int(parse(site_with(1, "foo+0x10")), -EINVAL, "plus");
	is_int(parse(site_with(8, "rmap.h:123")), -EINVAL, "colon in helper");

	is_int(parse(site_with(3, "f0")), MS_SITE_SITE, "1 byte");
	is_int(out.site.nbytes, 1, "1 byte length");
	is_int(parse(site_with(3, "F0FF4D58")), MS_SITE_SITE, "upper-case bytes");
	ok(!memcmp(out.site.bytes, "\xf0\xff\x4d\x58", 4), "upper-case bytes value");
	memset(name, '0', sizeof(name));
	name[2 * MS_SITE_INSN_MAX] = '\0';	/* 15 bytes */
	is_int(parse(site_with(3, name)), MS_SITE_SITE, "15 bytes");
	is_int(out.site.nbytes, 15, "15 bytes length");
	name[2 * MS_SITE_INSN_MAX] = '0';
	name[2 * MS_SITE_INSN_MAX + 2] = '\0';	/* 16 bytes */
	is_int(parse(site_with(3, name)), -ENAMETOOLONG, "16 bytes");
	name[2 * MS_SITE_INSN_MAX + 1] = '\0';	/* 31 digits */
	is_int(parse(site_with(3, name)), -ENAMETOOLONG, "31 digits");
	is_int(parse(site_with(3, "f0f")), -EINVAL, "odd digit count");
	is_int(parse(site_with(3, "f0zz")), -EINVAL, "bad hex");
	is_int(parse(site_with(3, "0xf0")), -EINVAL, "0x prefix");
	is_int(parse(site_with(3, "f0,ff")), -EINVAL, "comma");

	/* build-id */
	is_int(parse("build-id 764949bbe8b7a9241512fbf3b0d66d0ba34686a8"), MS_SITE_BUILD_ID,
	       "20-byte build id");
	is_int(out.build_id.len, 20, "build id length");
	ok(out.build_id.id[0] == 0x76 && out.build_id.id[19] == 0xa8, "build id bytes");
	memset(name, 'a', sizeof(name));
	n = 2 * MS_SITE_BUILD_ID_MAX;
	memcpy(name, "build-id ", 9);
	name[9 + n] = '\0';
	is_int(parse(name), MS_SITE_BUILD_ID, "32-byte build id");
	is_int(out.build_id.len, 32, "32 bytes");
	name[9 + n] = 'a';
	name[9 + n + 2] = '\0';
	is_int(parse(name), -ENAMETOOLONG, "33-byte build id");
	is_int(parse("build-id ab"), MS_SITE_BUILD_ID, "1-byte build id");
	is_int(parse("build-id abc"), -EINVAL, "odd build id");
	is_int(parse("build-id 0x7649"), -EINVAL, "build id with 0x");
	is_int(parse("build-id 76494g"), -EINVAL, "build id bad hex");
	is_int(parse("build-id"), -EINVAL, "build id missing");
	is_int(parse("build-id ab cd"), -EINVAL, "build id in two tokens");

	/* release */
	is_int(parse("release 6.12.117+deb12-amd64"), MS_SITE_RELEASE, "release");
	is_str(out.release, "6.12.117+deb12-amd64", "release value");
	memset(name, 'r', sizeof(name));
	memcpy(name, "release ", 8);
	name[8 + 64] = '\0';
	is_int(parse(name), MS_SITE_RELEASE, "64-character release");
	is_int(strlen(out.release), 64, "64 characters kept");
	name[8 + 64] = 'r';
	name[8 + 65] = '\0';
	is_int(parse(name), -ENAMETOOLONG, "65-character release");
	is_int(parse("release"), -EINVAL, "release missing");
	is_int(parse("release 6.12 x"), -EINVAL, "release in two tokens");
}

/* The line for a test description: control and non-ASCII bytes as \xNN. */
static const char *printable(const char *line)
{
	static char buf[512];
	size_t n = 0;

	for (; *line && n + 5 < sizeof(buf); line++) {
		unsigned char c = *line;

		if (c < 0x20 || c > 0x7e)
			n += sprintf(buf + n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

static void test_structure(void)
{
	static const struct {
		const char *line;
		int ret;
	} cases[] = {
		{ "", MS_SITE_SKIP },
		{ "\n", MS_SITE_SKIP },
		{ " \t ", MS_SITE_SKIP },
		{ "# a comment", MS_SITE_SKIP },
		{ "#", MS_SITE_SKIP },
		{ "  # indented comment", MS_SITE_SKIP },
		{ "# note copy_page_range+0x1e81 \"movl %eax, 0x50(%r9)\"", MS_SITE_SKIP },
		{ "# mapshadow site table", MS_SITE_SKIP },
		{ "# mapshadow site table v", -EINVAL },
		{ "# mapshadow site table v0", -EINVAL },
		{ "# mapshadow site table v1 ", -EINVAL },
		{ "# mapshadow site table v1x", -EINVAL },
		{ "# mapshadow site table v99999999999", -EINVAL },
		{ " site f 0x0 f0 rax 0x0 mapcount +1 h", -EINVAL },
		{ "sites f 0x0 f0 rax 0x0 mapcount +1 h", -EINVAL },
		{ "Site f 0x0 f0 rax 0x0 mapcount +1 h", -EINVAL },
		{ "site", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h ool x", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h ool x y z w", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h bogus", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h ool,ool", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h ool,", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h ,ool", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h ool,,ambiguous", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h OOL", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h\n\n", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h\r", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h\x01", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h\x7f", -EINVAL },
		{ "site f 0x0 f0 rax 0x0 mapcount +1 h\xc3\xa9", -EINVAL },
		{ "# comment with \x1b escape", -EINVAL },
		{ "build-id\x0b" "ab", -EINVAL },
		{ "hello", -EINVAL },
		{ "=", -EINVAL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		is_int(parse(cases[i].line), cases[i].ret, "line %zu: \"%s\"", i,
		       printable(cases[i].line));

	is_int(parse("# mapshadow site table v1"), MS_SITE_MAGIC, "magic v1");
	is_int(out.version, 1, "version 1");
	is_int(MS_SITE_VERSION, 2, "parser reads version 2 (race and word lines)");
	is_int(parse("# mapshadow site table v42\n"), MS_SITE_MAGIC, "magic v42");
	is_int(out.version, 42, "version 42");
	is_int(parse("# mapshadow site table v4294967295"), MS_SITE_MAGIC, "magic max");
}

static void test_lengths(void)
{
	static const char site[] = "site f 0x0 f0 rax 0x0 mapcount +1 h";
	char buf[MS_SITE_LINE_MAX + 8];
	size_t n;

	/* Exactly MS_SITE_LINE_MAX: a comment, and a site padded with blanks. */
	memset(buf, 'c', sizeof(buf));
	buf[0] = '#';
	is_int(ms_site_parse_line(buf, MS_SITE_LINE_MAX, &out), MS_SITE_SKIP,
	       "comment of %d bytes", MS_SITE_LINE_MAX);
	buf[MS_SITE_LINE_MAX] = '\n';
	is_int(ms_site_parse_line(buf, MS_SITE_LINE_MAX + 1, &out), MS_SITE_SKIP,
	       "%d bytes plus newline", MS_SITE_LINE_MAX);
	is_int(ms_site_parse_line(buf, MS_SITE_LINE_MAX + 1 + 1, &out), -E2BIG,
	       "%d bytes, a newline and one more", MS_SITE_LINE_MAX);
	buf[MS_SITE_LINE_MAX] = 'c';
	is_int(ms_site_parse_line(buf, MS_SITE_LINE_MAX + 1, &out), -E2BIG,
	       "comment of %d bytes", MS_SITE_LINE_MAX + 1);

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, site, strlen(site));
	is_int(ms_site_parse_line(buf, MS_SITE_LINE_MAX, &out), MS_SITE_SITE,
	       "site padded to %d bytes", MS_SITE_LINE_MAX);
	is_int(ms_site_parse_line(buf, MS_SITE_LINE_MAX + 1, &out), -E2BIG,
	       "site padded to %d bytes", MS_SITE_LINE_MAX + 1);

	/* len, not the NUL, ends the line. */
	snprintf(buf, sizeof(buf), "%s ool garbage", site);
	n = strlen(site);
	is_int(ms_site_parse_line(buf, n, &out), MS_SITE_SITE, "len cuts the line");
	is_int(out.site.flags, 0, "nothing read past len");
	is_str(out.site.helper, "h", "helper ends at len");
	is_int(ms_site_parse_line(buf, n + 4, &out), MS_SITE_SITE, "len includes flags");
	is_int(out.site.flags, MS_SITE_F_OOL, "flags seen");
	is_int(ms_site_parse_line(buf, 0, &out), MS_SITE_SKIP, "len 0");
	memcpy(buf, site, sizeof(site));
	is_int(ms_site_parse_line(buf, sizeof(site), &out), -EINVAL, "NUL inside len");
}

static void test_out_cleared(void)
{
	memset(&out, 0xa5, sizeof(out));
	is_int(parse("site f 0x0 f0 rax 0x0 mapcount +1 h bogus"), -EINVAL, "bad flags");
	ok(out.kind == MS_SITE_SKIP && !out.site.function[0] && !out.site.offset &&
	   !out.site.nbytes && !out.site.helper[0], "out zeroed after an error");
	memset(&out, 0xa5, sizeof(out));
	is_int(parse("# comment"), MS_SITE_SKIP, "comment");
	ok(out.kind == MS_SITE_SKIP && !out.site.function[0], "out zeroed for a comment");
	memset(&out, 0xa5, sizeof(out));
	is_int(parse("field mapcount 0x30"), MS_SITE_FIELD, "field");
	ok(out.kind == MS_SITE_FIELD && out.field.offset == 0x30, "kind and field set");
}

/* "page" and "unsure": mapcount sites only, and not both. */
static void test_kind_flags(void)
{
	static const char pre[] = "site copy_page_range 0x1e3a f041ff02 r10 0x0 ";
	static const struct {
		const char *rest;
		int ret;
		unsigned int flags;
	} cases[] = {
		{ "mapcount +1 folio_dup_file_rmap_ptes", MS_SITE_SITE, 0 },
		{ "mapcount +1 folio_dup_file_rmap_ptes page", MS_SITE_SITE, MS_SITE_F_PAGE },
		{ "mapcount +1 h unsure", MS_SITE_SITE, MS_SITE_F_UNSURE },
		{ "mapcount +1 h ool,page", MS_SITE_SITE, MS_SITE_F_OOL | MS_SITE_F_PAGE },
		{ "mapcount +1 h page,ool", MS_SITE_SITE, MS_SITE_F_OOL | MS_SITE_F_PAGE },
		{ "mapcount +1 h ambiguous,ool,page", MS_SITE_SITE,
		  MS_SITE_F_AMBIGUOUS | MS_SITE_F_OOL | MS_SITE_F_PAGE },
		{ "mapcount +1 h unsure,ambiguous", MS_SITE_SITE,
		  MS_SITE_F_AMBIGUOUS | MS_SITE_F_UNSURE },
		{ "mapcount +1 h page,unsure", -EINVAL, 0 },
		{ "mapcount +1 h unsure,page", -EINVAL, 0 },
		{ "mapcount +1 h ool,unsure,page", -EINVAL, 0 },
		{ "mapcount +1 h page,page", -EINVAL, 0 },
		{ "mapcount +1 h unsure,unsure", -EINVAL, 0 },
		{ "mapcount +1 h Page", -EINVAL, 0 },
		{ "mapcount +1 h pages", -EINVAL, 0 },
		{ "mapcount +1 h pag", -EINVAL, 0 },
		{ "mapcount +1 h folio", -EINVAL, 0 },
		{ "mapcount +1 h page,", -EINVAL, 0 },
		{ "mapcount +1 h page extra", -EINVAL, 0 },
		{ "large_mapcount +1 h page", -EINVAL, 0 },
		{ "entire_mapcount +1 h unsure", -EINVAL, 0 },
		{ "nr_pages_mapped +1 h ool,page", -EINVAL, 0 },
		{ "large_mapcount +1 h ool", MS_SITE_SITE, MS_SITE_F_OOL },
	};
	char line[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line), "%s%s", pre, cases[i].rest);
		is_int(parse(line), cases[i].ret, "kind flags %zu: %s", i, cases[i].rest);
		is_int(out.site.flags, cases[i].flags, "kind flags %zu: flags %#x", i,
		       cases[i].flags);
	}
	is_int(parse(site_with(9, "page")), -EINVAL, "page on large_mapcount");
	is_int(parse(site_with(9, "unsure")), -EINVAL, "unsure on large_mapcount");
	is_int(MS_SITE_F_PAGE, 0x4, "MS_SITE_F_PAGE");
	is_int(MS_SITE_F_UNSURE, 0x8, "MS_SITE_F_UNSURE");

	/* The lines ms-sitegen writes for 7.3.4's copy_page_range. */
	is_int(parse("site copy_page_range 0x8f1 f041ff4130 r9 0x30 mapcount +1 "
		     "folio_try_dup_anon_rmap_pte"), MS_SITE_SITE, "7.3 folio-level site");
	is_int(out.site.flags, 0, "folio-level: no flag");
	is_int(parse("site folio_try_dup_anon_rmap_ptes 0x97 f0ff4030 rax 0x30 mapcount +1 "
		     "folio_try_dup_anon_rmap_ptes ool,page\n"), MS_SITE_SITE, "7.3 ool per-page");
	is_int(out.site.flags, MS_SITE_F_OOL | MS_SITE_F_PAGE, "ool,page");
	is_int(out.site.base, MS_REG_AX, "page pointer in rax");
}

int main(void)
{
	test_good_site();
	test_numbers();
	test_registers();
	test_counters_and_fields();
	test_names_and_bytes();
	test_structure();
	test_lengths();
	test_out_cleared();
	test_kind_flags();
	return tap_finish();
}
