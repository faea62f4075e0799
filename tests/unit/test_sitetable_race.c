// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the flags inventory lines of the site table (version 2):
 * "word" and "race", as ms-sitegen writes them (debugfs-tools/sitegen/
 * raceout.c) and module/sitetable_parse.c reads them. Good lines are
 * checked field by field and written back to the same text (round trip);
 * bad ones must give the errno they must produce, with nothing kept.
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

static const char *const regs64[MS_REG_NR] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static void put_s32(char *p, s32 v)
{
	if (v < 0)
		sprintf(p, "-0x%x", (unsigned int)(0 - (unsigned int)v));
	else
		sprintf(p, "0x%x", (unsigned int)v);
}

static void put_insn(char *buf, const struct ms_race_insn *in)
{
	char *p = buf + strlen(buf);
	unsigned int i;

	p += sprintf(p, " 0x%x ", in->offset);
	for (i = 0; i < in->nbytes; i++)
		p += sprintf(p, "%02x", in->bytes[i]);
	p += sprintf(p, " %s ", regs64[in->base]);
	put_s32(p, in->disp);
}

/* A race line as ms-sitegen writes it (64-bit register names). */
static const char *format_race(const struct ms_race *r)
{
	static char buf[MS_SITE_LINE_MAX + 1];
	char *p;

	snprintf(buf, sizeof(buf), "race %s", r->function);
	put_insn(buf, &r->write);
	p = buf + strlen(buf);
	p += sprintf(p, " %s ", ms_race_word_name(r->word));
	if (r->bits_known)
		p += sprintf(p, "0x%llx", (unsigned long long)r->bits);
	else
		p += sprintf(p, "unknown");
	p += sprintf(p, " %s %s", r->helper, ms_race_shape_name(r->shape));
	if (r->shape == MS_RACE_PAIR)
		put_insn(buf, &r->load);
	p = buf + strlen(buf);
	if (r->flags)
		sprintf(p, " %s%s%s", r->flags & MS_RACE_F_AMBIGUOUS ? "ambiguous" : "",
			(r->flags & MS_RACE_F_AMBIGUOUS) && (r->flags & MS_RACE_F_GUESS) ? "," : "",
			r->flags & MS_RACE_F_GUESS ? "guess" : "");
	return buf;
}

/* Lines ms-sitegen wrote for the two test kernels (--races, then the table). */
static const char *const good[] = {
	/* 6.12.117: __split_huge_page_tail, load +0x954, two stores. */
	"race split_huge_page_to_list_to_order 0x95e 498917 r15 0x0 flags 0x3eefffff "
	"__split_huge_page_tail pair 0x954 498b17 r15 0x0",
	"race split_huge_page_to_list_to_order 0x96c 498907 r15 0x0 flags 0x3eefffff "
	"__split_huge_page_tail pair 0x954 498b17 r15 0x0",
	/* folio_set_order, bits unknown. */
	"race split_huge_page_to_list_to_order 0xf3a 49894640 r14 0x40 _flags_1 unknown "
	"folio_set_order pair 0xf29 498b4640 r14 0x40",
	/* The free path's andq of page[1].flags. */
	"race free_unref_page 0x463 4881634000fcfeff rbx 0x40 page+1 0x103ff "
	"free_pages_prepare rmw",
	"race free_unref_folios 0x790 4881634000fcfeff rbx 0x40 _flags_1 0x103ff "
	"free_pages_prepare rmw",
	/* __SetPageHead, __folio_clear_mlocked (guess). */
	"race prep_compound_page 0x15 480fba2f06 rdi 0x0 page 0x40 __SetPageHead rmw",
	"race free_pages_prepare 0x3f8 480fba750013 rbp 0x0 flags 0x80000 "
	"__folio_clear_mlocked rmw guess",
	/* Atomic writers of _flags_1; a negative displacement. */
	"race deferred_split_folio 0x122 f0804b4201 rbx 0x42 _flags_1 0x10000 "
	"folio_set_partially_mapped atomic",
	"race shrink_folio_list 0x130 f0490fba6ef800 r14 -0x8 flags 0x1 folio_trylock atomic",
	"race folio_mark_accessed 0x5b f0480fb113 rbx 0x0 flags unknown "
	"folio_update_gen atomic ambiguous,guess",
	/* 7.3.4: __split_folio_to_order through r13 = new_folio + 2. */
	"race __folio_freeze_and_split_unmapped 0x3cd 498975fe r13 -0x2 flags unknown "
	"__split_folio_to_order pair 0x3be 498b75fe r13 -0x2",
	/* Bits 0: writes back what it read. */
	"race f 0x10 488903 rbx 0x0 page+3 0x0 h pair 0x8 488b03 rbx 0x0",
	"race f 0x10 488903 rbx 0x0 _flags_3 0xffffffffffffffff h pair 0x8 488b03 rbx 0x0 ambiguous",
};

static void test_good(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		if (!is_int(parse(good[i]), MS_SITE_RACE, "good %zu parses", i))
			continue;
		is_int(out.kind, MS_SITE_RACE, "good %zu: kind", i);
		is_str(format_race(&out.race), good[i], "good %zu: round trip", i);
	}
}

static void test_fields(void)
{
	const struct ms_race *r = &out.race;

	is_int(parse(good[0]), MS_SITE_RACE, "pair line");
	is_str(r->function, "split_huge_page_to_list_to_order", "function");
	is_int(r->write.offset, 0x95e, "store offset");
	is_int(r->write.nbytes, 3, "store bytes");
	ok(!memcmp(r->write.bytes, "\x49\x89\x17", 3), "store bytes value");
	is_int(r->write.base, MS_REG_R15, "store base");
	is_int(r->write.base_width, 64, "store base width");
	is_int(r->write.disp, 0, "store disp");
	is_int(r->word, MS_WORD_FOLIO0, "word flags");
	ok(r->bits_known && r->bits == 0x3eefffff, "bits");
	is_str(r->helper, "__split_huge_page_tail", "helper");
	is_int(r->shape, MS_RACE_PAIR, "shape pair");
	is_int(r->load.offset, 0x954, "load offset");
	is_int(r->load.nbytes, 3, "load bytes");
	is_int(r->load.base, MS_REG_R15, "load base");
	is_int(r->flags, 0, "no flags");

	is_int(parse(good[2]), MS_SITE_RACE, "bits unknown");
	ok(!r->bits_known && !r->bits, "unknown: not known, zero");
	is_int(r->word, MS_WORD_FOLIO1, "_flags_1");
	is_int(MS_WORD_INDEX(r->word), 1, "page[1]");
	ok(MS_WORD_IS_FOLIO(r->word), "counted from a folio");

	is_int(parse(good[3]), MS_SITE_RACE, "rmw line");
	is_int(r->shape, MS_RACE_RMW, "shape rmw");
	is_int(r->word, MS_WORD_PAGE1, "page+1");
	is_int(MS_WORD_INDEX(r->word), 1, "page+1 is page[1]");
	ok(!MS_WORD_IS_FOLIO(r->word), "counted from a page");
	is_int(r->write.nbytes, 8, "andq imm32: 8 bytes");
	is_int(r->load.nbytes, 0, "no load");

	is_int(parse(good[8]), MS_SITE_RACE, "negative disp");
	is_int(r->write.disp, -8, "disp -8");
	is_int(r->shape, MS_RACE_ATOMIC, "atomic");

	is_int(parse(good[9]), MS_SITE_RACE, "flags");
	is_int(r->flags, MS_RACE_F_AMBIGUOUS | MS_RACE_F_GUESS, "ambiguous,guess");
	is_int(parse(good[6]), MS_SITE_RACE, "guess");
	is_int(r->flags, MS_RACE_F_GUESS, "guess alone");

	is_int(parse(good[12]), MS_SITE_RACE, "64-bit mask");
	ok(r->bits == ~0ull, "all bits");
	is_int(parse(good[11]), MS_SITE_RACE, "mask 0");
	ok(r->bits_known && r->bits == 0, "known zero");

	is_int(parse("race\tf.isra.0\t0x1\t4809\tebx\t0x40\tpage+2\t0x1\th\trmw\n"),
	       MS_SITE_RACE, "tabs, 32-bit base, newline");
	is_int(r->write.base_width, 32, "ebx");
	is_int(r->word, MS_WORD_PAGE2, "page+2");
}

static void test_words(void)
{
	static const char *const names[MS_WORD_NR] = {
		"flags", "_flags_1", "_flags_2", "_flags_3", "page", "page+1", "page+2", "page+3",
	};
	char line[64];
	int w;

	for (w = 0; w < MS_WORD_NR; w++) {
		snprintf(line, sizeof(line), "word %s 0x%x", names[w], 0x40 * (w & 3));
		is_int(parse(line), MS_SITE_WORD, "%s", line);
		is_int(out.word.word, w, "word %s", names[w]);
		is_int(out.word.offset, 0x40 * (w & 3), "offset of %s", names[w]);
		is_str(ms_race_word_name(w), names[w], "name %d", w);
	}
	is_str(ms_race_word_name(MS_WORD_NR), "?", "word name out of range");
	is_str(ms_race_shape_name(MS_RACE_PAIR), "pair", "shape name");
	is_str(ms_race_shape_name(MS_RACE_NR), "?", "shape name out of range");
}

static void test_bad(void)
{
	static const struct {
		const char *line;
		int ret;
	} cases[] = {
		{ "race", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h", -EINVAL },		/* no shape */
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h rmw x", -EINVAL },	/* bad flag */
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h rmw guess x", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h rmw guess,guess", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h rmw guess,", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h rmw Guess", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h RMW", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h store", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 folio 0x1 h rmw", -EINVAL },	/* bad word */
		{ "race f 0x0 4809 rbx 0x0 page+4 0x1 h rmw", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 _flags_4 0x1 h rmw", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 1 h rmw", -EINVAL },		/* bad bits */
		{ "race f 0x0 4809 rbx 0x0 flags Unknown h rmw", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags -0x1 h rmw", -EINVAL },
		{ "race f 0x0 4809 rbx 0x0 flags 0x10000000000000000 h rmw", -ERANGE },
		{ "race f 0x0 4809 rax 0x0 flags 0x1 h pair", -EINVAL },	/* no load */
		{ "race f 0x0 4809 rax 0x0 flags 0x1 h pair 0x0 488b rax", -EINVAL },
		{ "race f 0x8 4889 rax 0x0 flags 0x1 h pair 0x0 488b rax 0x0 guess x", -EINVAL },
		{ "race f 0x8 4889 rax 0x0 flags 0x1 h pair 0x0 488b rxx 0x0", -EINVAL },
		{ "race f 0x8 4889 rax 0x0 flags 0x1 h pair 0x0 48g8 rax 0x0", -EINVAL },
		{ "race f 0x8 4889 rax 0x0 flags 0x1 h pair -0x0 488b rax 0x0", -EINVAL },
		{ "race f 0x8 4889 rax 0x0 flags 0x1 h pair 0x0 488b rax 0x80000000", -ERANGE },
		{ "race f 0x8 4889 rax 0x0 flags 0x1 h rmw 0x0 488b rax 0x0", -EINVAL },
		{ "race f 0x8 f04889 rax 0x0 flags 0x1 h atomic 0x0 488b rax 0x0", -EINVAL },
		{ "race f 0x0 f0480fab03 rbx 0x0 flags 0x1 h rmw", -EINVAL },	/* locked rmw */
		{ "race f 0x3cd 49897 5fe r13 -0x2 flags 0x1 h rmw", -EINVAL },	/* odd bytes */
		{ "race 1f 0x0 4809 rbx 0x0 flags 0x1 h rmw", -EINVAL },	/* bad names */
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 h-x rmw", -EINVAL },
		{ "race f 0x100000000 4809 rbx 0x0 flags 0x1 h rmw", -ERANGE },
		{ "race f 0x0 48 rbx 0x0 flags 0x1 h rmw extra tokens here and more x y", -EINVAL },
		{ "race f 0x0 00112233445566778899aabbccddeeff rbx 0x0 flags 0x1 h rmw",
		  -ENAMETOOLONG },
		{ "race f 0x0 4809 rbx 0x0 flags 0x1 "
		  "h234567890123456789012345678901234567890123456789012345678901234 rmw",
		  -ENAMETOOLONG },
		{ " race f 0x0 4809 rbx 0x0 flags 0x1 h rmw", -EINVAL },	/* indented */
		{ "Race f 0x0 4809 rbx 0x0 flags 0x1 h rmw", -EINVAL },
		{ "races f 0x0 4809 rbx 0x0 flags 0x1 h rmw", -EINVAL },
		{ "word", -EINVAL },
		{ "word flags", -EINVAL },
		{ "word flags 0x0 x", -EINVAL },
		{ "word folio 0x0", -EINVAL },
		{ "word flags 0", -EINVAL },
		{ "word flags 0x100000000", -ERANGE },
		{ "words flags 0x0", -EINVAL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&out, 0xa5, sizeof(out));
		is_int(parse(cases[i].line), cases[i].ret, "bad %zu: %s", i, cases[i].line);
		ok(out.kind == MS_SITE_SKIP && !out.race.function[0] && !out.race.bits &&
		   !out.race.helper[0], "bad %zu: nothing kept", i);
	}
	/* The longest race line: every field at its widest, within the limit. */
	{
		char line[MS_SITE_LINE_MAX + 64], name[MS_SITE_NAME_MAX];

		memset(name, 'f', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		snprintf(line, sizeof(line),
			 "race %s 0xffffffff 00112233445566778899aabbccddee r15d -0x80000000 "
			 "_flags_3 0xffffffffffffffff %s pair 0xffffffff "
			 "00112233445566778899aabbccddee r15d -0x80000000 ambiguous,guess",
			 name, name);
		ok(strlen(line) <= MS_SITE_LINE_MAX, "widest race line fits (%zu bytes)",
		   strlen(line));
		is_int(parse(line), MS_SITE_RACE, "widest race line parses");
		is_int(out.race.write.nbytes, 15, "15 bytes");
		is_int(out.race.load.disp, (s32)0x80000000u, "load disp -0x80000000");
		is_int(out.race.flags, MS_RACE_F_AMBIGUOUS | MS_RACE_F_GUESS, "both flags");
	}
}

int main(void)
{
	test_good();
	test_fields();
	test_words();
	test_bad();
	return tap_finish();
}
