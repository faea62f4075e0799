// SPDX-License-Identifier: GPL-2.0
/*
 * The DWARF side of ms-sitegen.
 *
 * 1. Byte offsets of the mapcount fields, from the definitions of struct
 *    folio and struct page (members may sit in anonymous unions and
 *    structs: their offsets add up).
 * 2. Every instance of a function declared in include/linux/rmap.h that
 *    has code: inlined subroutines at any depth, and out-of-line copies of
 *    static inline functions. For each PC range of each instance, one
 *    struct sg_inl row with the outermost rmap.h function of its inline
 *    chain and its nesting depth among rmap.h functions.
 * 3. For the flags inventory (races.c): the offsets of the flags words
 *    (struct page's flags; struct folio's flags, _flags_1, _flags_2,
 *    _flags_3) and the code ranges of every function of a compilation
 *    unit under mm/ (code inlined into them from headers included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "sitegen.h"

static const char rmap_h[] = "include/linux/rmap.h";

/* What we know about one abstract origin, cached by DIE offset. */
struct origin {
	Dwarf_Off off;		/* 0: free slot */
	bool rmap;		/* declared in include/linux/rmap.h */
	bool folio_arg;
	const char *name;	/* strdup'ed, rmap.h functions only */
};

struct origin_cache {
	struct origin *slot;
	size_t mask, used;
};

struct ctx {
	struct sg_dwarf *d;
	struct origin_cache cache;
};

/* The chain above a DIE: outermost rmap.h function and rmap.h depth. */
struct chain {
	const char *outer;
	unsigned int depth;
	bool ool;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix) &&
	       (n == m || s[n - m - 1] == '/');
}

bool sg_is_rmap_h(const char *file)
{
	return ends_with(file, rmap_h);
}

bool sg_strip_type(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	Dwarf_Die t = *die;

	for (;;) {
		if (!dwarf_attr_integrate(&t, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
			return false;
		switch (dwarf_tag(&t)) {
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			continue;
		default:
			*out = t;
			return true;
		}
	}
}

/* A parameter of type (const) struct folio * or struct page *? */
static bool has_folio_arg(Dwarf_Die *fn)
{
	Dwarf_Die child, ptr, st;
	const char *name;

	if (dwarf_child(fn, &child) != 0)
		return false;
	do {
		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		if (!sg_strip_type(&child, &ptr) || dwarf_tag(&ptr) != DW_TAG_pointer_type)
			continue;
		if (!sg_strip_type(&ptr, &st) || dwarf_tag(&st) != DW_TAG_structure_type)
			continue;
		name = dwarf_diename(&st);
		if (name && (!strcmp(name, "folio") || !strcmp(name, "page")))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

static struct origin *cache_slot(struct origin_cache *c, Dwarf_Off off)
{
	size_t i = (off * 0x9e3779b97f4a7c15ull >> 17) & c->mask;

	while (c->slot[i].off && c->slot[i].off != off)
		i = (i + 1) & c->mask;
	return &c->slot[i];
}

static void cache_grow(struct origin_cache *c)
{
	struct origin_cache n;
	size_t i;

	n.mask = c->mask ? 2 * c->mask + 1 : 4095;
	n.used = c->used;
	n.slot = sg_alloc((n.mask + 1) * sizeof(*n.slot));
	for (i = 0; c->slot && i <= c->mask; i++) {
		if (c->slot[i].off)
			*cache_slot(&n, c->slot[i].off) = c->slot[i];
	}
	free(c->slot);
	*c = n;
}

/* The function an inlined subroutine or concrete subprogram stands for. */
static const struct origin *lookup_origin(struct ctx *x, Dwarf_Die *die)
{
	Dwarf_Attribute a;
	Dwarf_Die fn = *die;
	struct origin *o;
	const char *file;

	while (dwarf_attr(&fn, DW_AT_abstract_origin, &a)) {
		if (!dwarf_formref_die(&a, &fn))
			return NULL;
	}
	if (2 * (x->cache.used + 1) > x->cache.mask)
		cache_grow(&x->cache);
	o = cache_slot(&x->cache, dwarf_dieoffset(&fn));
	if (o->off)
		return o;
	o->off = dwarf_dieoffset(&fn);
	x->cache.used++;
	file = dwarf_decl_file(&fn);
	o->rmap = file && ends_with(file, rmap_h);
	if (o->rmap) {
		const char *name = dwarf_diename(&fn);

		o->name = strdup(name ? name : "?");
		if (!o->name)
			sg_die("out of memory");
		o->folio_arg = has_folio_arg(&fn);
	}
	return o;
}

static void add_ranges(struct ctx *x, Dwarf_Die *die, const struct origin *o,
		       const struct chain *ch)
{
	struct sg_dwarf *d = x->d;
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;

	d->ninstances++;
	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		struct sg_inl *r;

		if (hi <= lo)
			continue;
		d->inl = sg_grow(d->inl, &d->capinl, d->ninl + 1, sizeof(*d->inl));
		r = &d->inl[d->ninl++];
		r->lo = lo;
		r->hi = hi;
		r->name = o->name;
		r->outer = ch->outer ? ch->outer : o->name;
		r->depth = ch->depth;
		r->ool = ch->ool;
		r->folio_arg = o->folio_arg;
	}
}

static void walk_scope(struct ctx *x, Dwarf_Die *scope, const struct chain *ch)
{
	Dwarf_Die child;

	if (dwarf_child(scope, &child) != 0)
		return;
	do {
		const struct origin *o;
		struct chain inner;

		switch (dwarf_tag(&child)) {
		case DW_TAG_lexical_block:
			walk_scope(x, &child, ch);
			break;
		case DW_TAG_inlined_subroutine:
			o = lookup_origin(x, &child);
			if (o && o->rmap) {
				add_ranges(x, &child, o, ch);
				inner.outer = ch->outer ? ch->outer : o->name;
				inner.depth = ch->depth + 1;
				inner.ool = ch->ool;
				walk_scope(x, &child, &inner);
			} else {
				walk_scope(x, &child, ch);
			}
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void walk_subprogram(struct ctx *x, Dwarf_Die *fn)
{
	struct chain ch = { 0 };
	const struct origin *o;

	/* Abstract instances and declarations have no code. */
	if (!dwarf_hasattr(fn, DW_AT_low_pc) && !dwarf_hasattr(fn, DW_AT_ranges))
		return;
	o = lookup_origin(x, fn);
	if (o && o->rmap) {
		/* An out-of-line copy of a static inline rmap.h function. */
		ch.ool = true;
		add_ranges(x, fn, o, &ch);
		ch.outer = o->name;
		ch.depth = 1;
	}
	walk_scope(x, fn, &ch);
}

/* Offset of member name in struct/union die, searching anonymous members. */
static bool member_offset(Dwarf_Die *agg, const char *name, int64_t base, int64_t *out)
{
	Dwarf_Die child, t;

	if (dwarf_child(agg, &child) != 0)
		return false;
	do {
		Dwarf_Attribute a;
		Dwarf_Word loc = 0;
		const char *n;

		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (dwarf_attr(&child, DW_AT_data_member_location, &a) &&
		    dwarf_formudata(&a, &loc) != 0)
			sg_die("struct member with a location expression");
		n = dwarf_diename(&child);
		if (n && !strcmp(n, name)) {
			*out = base + (int64_t)loc;
			return true;
		}
		if (!n && sg_strip_type(&child, &t) &&
		    (dwarf_tag(&t) == DW_TAG_structure_type ||
		     dwarf_tag(&t) == DW_TAG_union_type) &&
		    member_offset(&t, name, base + (int64_t)loc, out))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

static void check_struct(struct sg_dwarf *d, Dwarf_Die *st)
{
	static const char *const folio_members[SG_NR_COUNTERS] = {
		[SG_MAPCOUNT] = "_mapcount",
		[SG_LARGE_MAPCOUNT] = "_large_mapcount",
		[SG_ENTIRE_MAPCOUNT] = "_entire_mapcount",
		[SG_NR_PAGES_MAPPED] = "_nr_pages_mapped",
	};
	const char *name = dwarf_diename(st);
	int i;

	if (!name || dwarf_hasattr(st, DW_AT_declaration))
		return;
	if (!strcmp(name, "folio") && d->field[SG_MAPCOUNT] < 0) {
		for (i = 0; i < SG_NR_COUNTERS; i++) {
			if (!member_offset(st, folio_members[i], 0, &d->field[i]))
				sg_die("struct folio has no member %s", folio_members[i]);
		}
		/* page[N].flags; a kernel without _flags_N leaves -1. */
		for (i = 0; i < SG_FLAG_WORDS; i++) {
			char member[16];

			snprintf(member, sizeof(member), i ? "_flags_%d" : "flags", i);
			if (!member_offset(st, member, 0, &d->folio_flags[i]))
				d->folio_flags[i] = -1;
		}
	} else if (!strcmp(name, "page") && d->page_mapcount < 0) {
		Dwarf_Word size;
		Dwarf_Attribute a;

		if (!member_offset(st, "_mapcount", 0, &d->page_mapcount))
			sg_die("struct page has no member _mapcount");
		if (!member_offset(st, "flags", 0, &d->page_flags))
			d->page_flags = -1;
		if (dwarf_attr(st, DW_AT_byte_size, &a) && dwarf_formudata(&a, &size) == 0)
			d->page_size = (int64_t)size;
	}
}

/*
 * Is the CU under the kernel tree's mm/?  DW_AT_name is relative to the
 * tree ("mm/memory.c", Debian's packages), or absolute when the kernel was
 * built with O= (".../src/mm/memory.c"): then the first "/mm/" counts if
 * no other top-level directory with an mm/ of its own comes before it.
 */
static bool mm_cu(Dwarf_Die *cudie)
{
	static const char *const others[] = {
		"/arch/", "/drivers/", "/fs/", "/tools/", "/samples/", "/virt/",
		"/net/", "/sound/", "/kernel/", "/lib/", "/include/",
	};
	const char *name = dwarf_diename(cudie), *mm;
	size_t i;

	if (!name)
		return false;
	if (!strncmp(name, "mm/", 3) || !strncmp(name, "../mm/", 6))
		return true;
	mm = name[0] == '/' ? strstr(name, "/mm/") : NULL;
	if (!mm)
		return false;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		const char *o = strstr(name, others[i]);

		if (o && o < mm)
			return false;
	}
	return true;
}

/* The code ranges of a concrete function of an mm/ CU. */
static void add_mm_function(struct sg_dwarf *d, Dwarf_Die *fn)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;

	if (!dwarf_hasattr(fn, DW_AT_low_pc) && !dwarf_hasattr(fn, DW_AT_ranges))
		return;
	while ((off = dwarf_ranges(fn, off, &base, &lo, &hi)) > 0) {
		if (hi <= lo || !lo)
			continue;
		d->mm = sg_grow(d->mm, &d->capmm, d->nmm + 1, sizeof(*d->mm));
		d->mm[d->nmm].lo = lo;
		d->mm[d->nmm].hi = hi;
		d->nmm++;
	}
}

static int cmp_range(const void *a, const void *b)
{
	const struct sg_range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Sort the mm/ ranges and merge overlaps, so that each byte is decoded once. */
static void merge_mm(struct sg_dwarf *d)
{
	size_t i, j = 0;

	qsort(d->mm, d->nmm, sizeof(*d->mm), cmp_range);
	for (i = 0; i < d->nmm; i++) {
		if (j && d->mm[i].lo < d->mm[j - 1].hi) {
			if (d->mm[i].hi > d->mm[j - 1].hi)
				d->mm[j - 1].hi = d->mm[i].hi;
			continue;
		}
		d->mm[j++] = d->mm[i];
	}
	d->nmm = j;
}

void sg_dwarf_walk(struct sg_dwarf *d, Elf *elf)
{
	struct ctx x = { .d = d };
	Dwarf *dw;
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, die;
	uint8_t unit_type;
	Dwarf_Half version;
	size_t i;
	bool mm;
	int rc;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < SG_NR_COUNTERS; i++)
		d->field[i] = -1;
	d->page_mapcount = -1;
	d->page_size = -1;
	d->page_flags = -1;
	for (i = 0; i < SG_FLAG_WORDS; i++)
		d->folio_flags[i] = -1;
	dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!dw)
		sg_die("no DWARF: %s (is this the -dbg vmlinux?)", dwarf_errmsg(-1));

	while ((rc = dwarf_get_units(dw, cu, &cu, &version, &unit_type, &cudie, NULL)) == 0) {
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		d->ncus++;
		mm = mm_cu(&cudie);
		if (dwarf_child(&cudie, &die) != 0)
			continue;
		do {
			switch (dwarf_tag(&die)) {
			case DW_TAG_subprogram:
				walk_subprogram(&x, &die);
				if (mm)
					add_mm_function(d, &die);
				break;
			case DW_TAG_structure_type:
				check_struct(d, &die);
				break;
			default:
				break;
			}
		} while (dwarf_siblingof(&die, &die) == 0);
	}
	if (rc < 0)
		sg_die("reading DWARF units: %s", dwarf_errmsg(-1));
	if (d->field[SG_MAPCOUNT] < 0)
		sg_die("no definition of struct folio in the DWARF");
	if (d->page_mapcount >= 0 && d->page_mapcount != d->field[SG_MAPCOUNT])
		sg_die("_mapcount is at %#llx in struct page but %#llx in struct folio",
		       (unsigned long long)d->page_mapcount,
		       (unsigned long long)d->field[SG_MAPCOUNT]);
	merge_mm(d);
	/* The names stay (strdup'ed), the cache and the DWARF go. */
	free(x.cache.slot);
	dwarf_end(dw);
}
