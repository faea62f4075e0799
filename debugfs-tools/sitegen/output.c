// SPDX-License-Identifier: GPL-2.0
/*
 * The site table, on stdout (module/sitetable_parse.h reads it back):
 *
 *   # mapshadow site table v2           (MS_SITE_VERSION)
 *   build-id HEX
 *   release RELEASE                     (when linux_banner was found)
 *   field COUNTER 0xOFFSET              (one per counter)
 *   site FUNCTION 0xOFFSET BYTES BASEREG DISP COUNTER DELTA HELPER [FLAGS]
 *
 * Sites are sorted by function name, then offset. FLAGS is a comma list:
 * "ambiguous" (the function's name is not unique in .symtab, so a kprobe
 * by name may land in another function) and "ool" (the function is itself
 * an out-of-line copy of an rmap.h inline, so it can also be probed by
 * name); on mapcount sites also "page" (a per-page page->_mapcount write
 * of a large folio) or "unsure" (per-page or folio-level: not known), none
 * of the two for a folio-level write (pagekind.c). Lines starting with '#'
 * are comments; "# kind" comments say how each mapcount site was told
 * folio-level or per-page, "# note" comments list writes to counters that
 * are not sites. The flags inventory follows (raceout.c: "word" and
 * "race" lines, new in version 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitegen.h"
#include "sitetable_parse.h"	/* MS_SITE_VERSION */

int sg_cmp_place(const struct sg_sym *fa, uint64_t a, const struct sg_sym *fb, uint64_t b)
{
	int c = strcmp(fa->name, fb->name);

	if (c)
		return c;
	if (fa->addr != fb->addr)
		return fa->addr < fb->addr ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int cmp_site(const void *a, const void *b)
{
	const struct sg_site *x = a, *y = b;

	return sg_cmp_place(x->func, x->addr, y->func, y->addr);
}

static int cmp_note(const void *a, const void *b)
{
	const struct sg_note *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void sg_print_s64(int64_t v)
{
	if (v < 0)
		printf("-0x%llx", (unsigned long long)-v);
	else
		printf("0x%llx", (unsigned long long)v);
}

static void print_site(const struct sg_site *s)
{
	const char *sep;
	unsigned int i;

	printf("site %s 0x%llx ", s->func->name,
	       (unsigned long long)(s->addr - s->func->addr));
	for (i = 0; i < s->len; i++)
		printf("%02x", s->bytes[i]);
	printf(" %s ", s->basereg);
	sg_print_s64(s->disp);
	printf(" %s ", sg_counter_names[s->counter]);
	if (s->delta_kind == SG_DELTA_CONST)
		printf("%+lld", (long long)s->delta);
	else
		printf("%sreg:%s", s->delta_neg ? "-" : "", s->delta_reg);
	printf(" %s", s->inl->outer);
	sep = " ";
	if (s->func->same_name > 1) {
		printf("%sambiguous", sep);
		sep = ",";
	}
	if (s->inl->ool) {
		printf("%sool", sep);
		sep = ",";
	}
	if (s->kind == SG_KIND_PAGE || s->kind == SG_KIND_UNSURE)
		printf("%s%s", sep, s->kind == SG_KIND_PAGE ? "page" : "unsure");
	printf("\n");
}

/* How a mapcount site was found folio-level, per-page or unsure. */
static void print_kind(const struct sg_site *s)
{
	static const char *const kinds[] = {
		[SG_KIND_NONE] = "?",
		[SG_KIND_FOLIO] = "folio",
		[SG_KIND_PAGE] = "page",
		[SG_KIND_UNSURE] = "unsure",
	};

	int n;

	if (s->counter != SG_MAPCOUNT)
		return;
	n = printf("# kind %s+0x%llx %s: ", s->func->name,
		   (unsigned long long)(s->addr - s->func->addr), kinds[s->kind]);
	/* Cut to the longest line the parser takes. */
	printf("%.*s\n", n < SG_LINE_MAX ? SG_LINE_MAX - n : 0, s->why);
}

void sg_print(const struct sg_result *r, const struct sg_elf *e, const struct sg_dwarf *d)
{
	struct sg_site *sites;
	struct sg_note *notes;
	size_t i;
	int c;

	sites = sg_alloc((r->nsites + 1) * sizeof(*sites));
	memcpy(sites, r->sites, r->nsites * sizeof(*sites));
	qsort(sites, r->nsites, sizeof(*sites), cmp_site);
	notes = sg_alloc((r->nnotes + 1) * sizeof(*notes));
	memcpy(notes, r->notes, r->nnotes * sizeof(*notes));
	qsort(notes, r->nnotes, sizeof(*notes), cmp_note);

	printf("# mapshadow site table v%d\n", MS_SITE_VERSION);
	printf("# site FUNCTION OFFSET BYTES BASEREG DISP COUNTER DELTA HELPER [FLAGS]\n");
	printf("# counter address = BASEREG + DISP; struct base = that - field offset\n");
	if (e->build_id[0])
		printf("build-id %s\n", e->build_id);
	if (e->release[0])
		printf("release %s\n", e->release);
	for (c = 0; c < SG_NR_COUNTERS; c++) {
		if (d->field[c] >= 0)
			printf("field %s 0x%llx\n", sg_counter_names[c],
			       (unsigned long long)d->field[c]);
	}
	for (i = 0; i < r->nsites; i++)
		print_site(&sites[i]);
	for (i = 0; i < r->nsites; i++)
		print_kind(&sites[i]);
	for (i = 0; i < r->nnotes; i++) {
		const struct sg_note *n = &notes[i];

		if (n->func)
			printf("# note %s+0x%llx", n->func->name,
			       (unsigned long long)(n->addr - n->func->addr));
		else
			printf("# note 0x%llx", (unsigned long long)n->addr);
		printf(" \"%s\" in %s (chain %s): %s\n", n->text, n->inl->name,
		       n->inl->outer, n->why);
	}
	free(sites);
	free(notes);
}

void sg_print_summary(const struct sg_result *r, const struct sg_dwarf *d, double seconds)
{
	size_t outer = 0, i;

	for (i = 0; i < d->ninl; i++)
		outer += d->inl[i].depth == 0;
	fprintf(stderr,
		"ms-sitegen: %zu CUs, %zu rmap.h instances (%zu ranges, %zu outermost), "
		"%zu instructions decoded (%zu undecodable ranges), %zu sites, %zu notes, "
		"%zu locked RMWs on other objects, %.1f s\n",
		d->ncus, d->ninstances, d->ninl, outer, r->insns, r->decode_errors,
		r->nsites, r->nnotes, r->not_folio, seconds);
}
