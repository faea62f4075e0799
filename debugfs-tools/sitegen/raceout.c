// SPDX-License-Identifier: GPL-2.0
/*
 * The flags inventory (races.c) as table lines, after the mapcount sites
 * (module/sitetable_parse.h has the format):
 *
 *   word WORD 0xOFFSET
 *   race FUNCTION 0xOFFSET BYTES BASEREG DISP WORD BITS HELPER SHAPE
 *        [0xLOADOFFSET LOADBYTES LOADBASEREG LOADDISP] [FLAGS]
 *
 * and, with --races, as a report for people: the non-atomic writers, the
 * atomic writers of the tail pages' words (page[1..3].flags), then the
 * atomic writers of page 0's word and of pages of unknown position.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitegen.h"

static const char *const shape_names[SG_RACE_NR_SHAPES] = {
	[SG_RACE_RMW] = "rmw",
	[SG_RACE_PAIR] = "pair",
	[SG_RACE_ATOMIC] = "atomic",
};

static int cmp_race(const void *a, const void *b)
{
	const struct sg_race *x = a, *y = b;

	return sg_cmp_place(x->func, x->w.addr, y->func, y->w.addr);
}

static struct sg_race *sorted(const struct sg_races *rs)
{
	struct sg_race *r = sg_alloc((rs->n + 1) * sizeof(*r));

	memcpy(r, rs->r, rs->n * sizeof(*r));
	qsort(r, rs->n, sizeof(*r), cmp_race);
	return r;
}

static void print_bytes(const struct sg_insn_ref *i)
{
	unsigned int k;

	for (k = 0; k < i->len; k++)
		printf("%02x", i->bytes[k]);
}

/* Offset of the word from the struct its base points to, -1 if none. */
static int64_t word_offset(const struct sg_dwarf *d, enum sg_word_base base, unsigned int index)
{
	if (base == SG_WORD_FOLIO)
		return d->folio_flags[index];
	return d->page_flags + (int64_t)index * d->page_size;
}

void sg_races_print_table(const struct sg_races *rs, const struct sg_dwarf *d)
{
	struct sg_race *r;
	unsigned int i;
	size_t k;

	if (d->page_flags < 0 || d->page_size <= 0)
		return;
	printf("# race FUNCTION OFFSET BYTES BASEREG DISP WORD BITS HELPER SHAPE "
	       "[LOADOFFSET LOADBYTES LOADBASEREG LOADDISP] [FLAGS]\n");
	printf("# word address = (BASEREG + DISP) & ~7; struct = that - word offset\n");
	for (i = 0; i < 2 * SG_FLAG_WORDS; i++) {
		struct sg_word w = {
			.base = i < SG_FLAG_WORDS ? SG_WORD_FOLIO : SG_WORD_PAGE,
			.index = i % SG_FLAG_WORDS,
		};
		int64_t off = word_offset(d, w.base, w.index);

		if (off >= 0)
			printf("word %s 0x%llx\n", sg_word_name(&w), (unsigned long long)off);
	}
	r = sorted(rs);
	for (k = 0; k < rs->n; k++) {
		const struct sg_race *x = &r[k];
		const char *sep = " ";

		printf("race %s 0x%llx ", x->func->name,
		       (unsigned long long)(x->w.addr - x->func->addr));
		print_bytes(&x->w);
		printf(" %s ", x->w.basereg);
		sg_print_s64(x->w.disp);
		printf(" %s ", sg_word_name(&x->word));
		if (x->bits_known)
			printf("0x%llx", (unsigned long long)x->bits);
		else
			printf("unknown");
		printf(" %s %s", x->word.helper[0] ? x->word.helper : "?", shape_names[x->shape]);
		if (x->shape == SG_RACE_PAIR) {
			printf(" 0x%llx ", (unsigned long long)(x->load.addr - x->func->addr));
			print_bytes(&x->load);
			printf(" %s ", x->load.basereg);
			sg_print_s64(x->load.disp);
		}
		if (x->func->same_name > 1) {
			printf("%sambiguous", sep);
			sep = ",";
		}
		if (x->word.guess)
			printf("%sguess", sep);
		printf("\n");
	}
	free(r);
}

static void report_row(const struct sg_race *x)
{
	char off[64], bits[24];

	if (x->shape == SG_RACE_PAIR)
		snprintf(off, sizeof(off), "+0x%llx..+0x%llx",
			 (unsigned long long)(x->load.addr - x->func->addr),
			 (unsigned long long)(x->w.addr - x->func->addr));
	else
		snprintf(off, sizeof(off), "+0x%llx",
			 (unsigned long long)(x->w.addr - x->func->addr));
	if (x->bits_known)
		snprintf(bits, sizeof(bits), "0x%llx", (unsigned long long)x->bits);
	else
		snprintf(bits, sizeof(bits), "unknown");
	printf("%-36s %-16s %-6s %-8s %-18s %s%s\n", x->func->name, off, shape_names[x->shape],
	       sg_word_name(&x->word), bits, x->word.chain, x->word.guess ? " (guess)" : "");
	if (x->shape == SG_RACE_PAIR)
		printf("%-36s   load:  %s\n%-36s   store: %s\n", "", x->load.text, "", x->w.text);
	else
		printf("%-36s   %s\n", "", x->w.text);
	printf("%-36s   word: %s\n", "", x->word.how);
}

static void report_section(const struct sg_race *r, size_t n, const char *title,
			   bool (*want)(const struct sg_race *))
{
	size_t k, count = 0;

	for (k = 0; k < n; k++)
		count += want(&r[k]);
	printf("\n## %s: %zu\n\n", title, count);
	if (!count)
		return;
	printf("%-36s %-16s %-6s %-8s %-18s %s\n", "function", "offset(s)", "shape", "word",
	       "bits", "inlined from (innermost first)");
	for (k = 0; k < n; k++) {
		if (want(&r[k]))
			report_row(&r[k]);
	}
}

static bool tail_word(const struct sg_race *x)
{
	return x->word.index > 0;
}

static bool want_nonatomic(const struct sg_race *x)
{
	return x->shape != SG_RACE_ATOMIC;
}

static bool want_atomic_tail(const struct sg_race *x)
{
	return x->shape == SG_RACE_ATOMIC && tail_word(x);
}

static bool want_atomic_head(const struct sg_race *x)
{
	return x->shape == SG_RACE_ATOMIC && !tail_word(x);
}

void sg_races_print_report(const struct sg_races *rs, const struct sg_elf *e,
			   const struct sg_dwarf *d)
{
	struct sg_race *r = sorted(rs);
	unsigned int i;

	printf("# flags inventory of %s (build id %s)\n", e->release[0] ? e->release : "?",
	       e->build_id[0] ? e->build_id : "?");
	printf("# scope: every function of an mm/ compilation unit (%zu ranges), with what it "
	       "inlines\n", d->nmm);
	printf("# words:");
	for (i = 0; i < SG_FLAG_WORDS; i++) {
		struct sg_word w = { .base = SG_WORD_FOLIO, .index = i };

		if (d->folio_flags[i] >= 0)
			printf(" %s=folio+0x%llx", sg_word_name(&w),
			       (unsigned long long)d->folio_flags[i]);
	}
	printf(" page=page+0x%llx (sizeof(struct page) 0x%llx)\n",
	       (unsigned long long)d->page_flags, (unsigned long long)d->page_size);
	printf("# bits: the bits of the 64-bit word the write may change; unknown when computed\n");
	report_section(r, rs->n, "non-atomic read-modify-writes (rmw, pair)", want_nonatomic);
	report_section(r, rs->n, "atomic writers of tail pages' words (_flags_1.., page+1..)",
		       want_atomic_tail);
	report_section(r, rs->n, "atomic writers of page 0's word and of page->flags",
		       want_atomic_head);
	free(r);
}

void sg_races_summary(const struct sg_races *rs)
{
	size_t n[SG_RACE_NR_SHAPES] = { 0 }, k;

	for (k = 0; k < rs->n; k++)
		n[rs->r[k].shape]++;
	fprintf(stderr,
		"ms-sitegen: flags inventory: %zu mm/ function ranges, %zu instructions "
		"(%zu undecodable), %zu candidates at flags offsets, %zu not a page's "
		"flags, %zu indexed (skipped), %zu pair walks cut; %zu rmw, %zu pair, "
		"%zu atomic\n",
		rs->funcs, rs->insns, rs->decode_errors, rs->candidates, rs->not_flags,
		rs->indexed, rs->walk_cut, n[SG_RACE_RMW], n[SG_RACE_PAIR], n[SG_RACE_ATOMIC]);
}
