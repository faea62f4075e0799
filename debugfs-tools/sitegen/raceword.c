// SPDX-License-Identifier: GPL-2.0
/*
 * Which struct page flags word does an instruction write? races.c finds
 * instructions whose memory operand BASEREG + DISP sits at a flags offset
 * (0..7 bytes into page[N].flags, N = 0..3, counted from the base); the
 * offsets alone say nothing of the object (0x40 is a field of many
 * structs), so the DWARF decides:
 *
 * 1. Variables. In every scope containing the PC (sg_scopes_at(): the
 *    function, its inlined subroutines and lexical blocks, innermost
 *    first), a variable or parameter of type struct folio * or struct
 *    page * whose location at the PC is BASEREG (DW_OP_regN) or BASEREG
 *    plus K (DW_OP_bregN K ... DW_OP_stack_value), or the same for a
 *    register holding BASEREG's pointer (struct sg_base: copies found in
 *    the code before, races.c base_info(); the "addr" of a generic bitop
 *    around the PC, bitop_addr()), points at the object:
 *    DISP - K inside page[N].flags makes the word page[N].flags of that
 *    folio (struct folio: flags, _flags_1, ...) or of that page
 *    (struct page: page, page+1, ...). A folio variable wins over a page
 *    one at the same register (folio_set_order() inlined into
 *    prep_compound_page() sees both).
 * 2. Helper, for compilers that lose locations. The innermost function
 *    of the inline chain that is not a generic bitop or atomic
 *    (arch/x86/include/asm, include/asm-generic, instrumented*.h, ...) is
 *    the helper; when it is declared in include/linux/page-flags.h or
 *    include/linux/pagemap.h (folio_trylock()), or is one of the few mm
 *    helpers named in flag_helpers[], the instruction is a bit operation,
 *    or/and/xor, xchg or cmpxchg, and the helper's struct folio * /
 *    struct page * parameter has no location at the PC, the base
 *    register is taken to be that parameter, pointing where the
 *    code before the PC says (races.c: base_info(); a
 *    pointer loaded or passed in points at the struct, "lea 1(%r12),%rax"
 *    one byte into it), modulo sizeof(struct page) (loops step through
 *    the pages), and only within the first 8 bytes of a page (a helper's
 *    pointer is its page; "lea -1(%rdx)" of compound_head() is not a
 *    byte offset). Flag "guess" in the table. A parameter located
 *    elsewhere, or a base of unknown offset, rules it out.
 *
 * The inline chain (innermost first, up to the function) is kept for the
 * report; its helper names the record in the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "sitegen.h"

/* Helpers outside page-flags.h that write a flags word they are given. */
static const char *const flag_helpers[] = {
	"folio_set_order", "set_compound_order", "folio_reset_order",
	"prep_compound_head", "prep_compound_tail",
};

/* Declared in a header of generic bitops, atomics or instrumentation? */
static bool generic_file(const char *file)
{
	static const char *const parts[] = {
		"/asm/", "asm-generic/", "/instrumented", "include/linux/bitops.h",
		"include/linux/atomic", "include/linux/compiler", "include/linux/kcsan",
		"include/linux/kasan-checks.h", "include/linux/bitmap.h",
	};
	size_t i;

	if (!file)
		return false;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (strstr(file, parts[i]))
			return true;
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The DIE of the function a scope stands for (abstract origin). */
static bool origin(Dwarf_Die *scope, Dwarf_Die *fn)
{
	Dwarf_Attribute a;

	*fn = *scope;
	while (dwarf_attr(fn, DW_AT_abstract_origin, &a) ||
	       dwarf_attr(fn, DW_AT_specification, &a)) {
		if (!dwarf_formref_die(&a, fn))
			return false;
	}
	return true;
}

static bool is_flag_helper(const char *name, const char *file)
{
	size_t i;

	if (file && (ends_with(file, "include/linux/page-flags.h") ||
		     ends_with(file, "include/linux/pagemap.h")))
		return true;
	for (i = 0; name && i < sizeof(flag_helpers) / sizeof(flag_helpers[0]); i++) {
		if (!strcmp(name, flag_helpers[i]))
			return true;
	}
	return false;
}

/*
 * Does disp - k fall in page[N].flags of a struct of kind type ("folio"
 * or "page")? Sets *index.
 */
static bool in_word(const struct sg_dwarf *d, const char *type, int64_t off,
		    unsigned int *index, unsigned int *byte)
{
	unsigned int i;

	for (i = 0; i < SG_FLAG_WORDS; i++) {
		int64_t w;

		if (!strcmp(type, "folio"))
			w = d->folio_flags[i];
		else
			w = d->page_flags >= 0 && d->page_size > 0 ?
			    d->page_flags + (int64_t)i * d->page_size : -1;
		if (w >= 0 && off >= w && off < w + 8) {
			*index = i;
			*byte = (unsigned int)(off - w);
			return true;
		}
	}
	return false;
}

struct match {
	bool found;
	bool folio;
	unsigned int index, byte;
	char how[160];
};

/* The struct folio * / struct page * variables of one scope. */
static void scan_scope(Dwarf_Die *scope, const struct sg_dwarf *d, uint64_t pc,
		       const struct sg_base *b, int64_t disp, const char *fn, struct match *m)
{
	Dwarf_Die child;

	if (dwarf_child(scope, &child) != 0)
		return;
	do {
		const char *name, *type, *r;
		unsigned int index, byte, i;
		int64_t k;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter &&
		    dwarf_tag(&child) != DW_TAG_variable)
			continue;
		type = sg_pointee(&child);
		if (!type || !sg_reg_value(&child, pc, &r, &k))
			continue;
		for (i = 0; i < b->n; i++) {
			if (!strcmp(r, b->reg[i]) &&
			    in_word(d, type, disp + b->off[i] - k, &index, &byte))
				break;
		}
		if (i == b->n)
			continue;
		/* The first folio match wins; a page match only until then. */
		if (m->found && (m->folio || strcmp(type, "folio")))
			continue;
		name = sg_die_name(&child);
		m->found = true;
		m->folio = !strcmp(type, "folio");
		m->index = index;
		m->byte = byte;
		if (i)
			snprintf(m->how, sizeof(m->how), "%s (struct %s *) = %s%+lld in %s, "
				 "%s = %s%+lld", name ? name : "?", type, r, (long long)k,
				 fn ? fn : "?", b->reg[0], r, (long long)b->off[i]);
		else
			snprintf(m->how, sizeof(m->how), "%s (struct %s *) = %s%+lld in %s",
				 name ? name : "?", type, r, (long long)k, fn ? fn : "?");
	} while (dwarf_siblingof(&child, &child) == 0);
}

/*
 * Helper fallback: the helper's folio/page parameter. True (and *folio)
 * if it has one and it has no register value at pc.
 */
static bool helper_param(Dwarf_Die *scope, uint64_t pc, bool *folio, const char **pname)
{
	Dwarf_Die child;
	bool have = false;

	if (dwarf_child(scope, &child) != 0)
		return false;
	do {
		const char *type, *r;
		int64_t k;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		type = sg_pointee(&child);
		if (!type)
			continue;
		if (sg_reg_value(&child, pc, &r, &k))
			return false;	/* located, and not at the base */
		if (!have) {
			*folio = !strcmp(type, "folio");
			*pname = sg_die_name(&child);
			have = true;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return have;
}

/* A constant parameter's value at pc (DW_AT_const_value or DW_OP_lit/const). */
static bool const_param(Dwarf_Die *var, uint64_t pc, int64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	Dwarf_Sword sv;
	size_t n;

	if (dwarf_attr_integrate(var, DW_AT_const_value, &a))
		return dwarf_formsdata(&a, &sv) == 0 && (*v = sv, true);
	if (!dwarf_attr_integrate(var, DW_AT_location, &a) ||
	    dwarf_getlocation_addr(&a, pc, &ops, &n, 1) != 1 || n != 2 ||
	    ops[1].atom != DW_OP_stack_value)
		return false;
	if (ops[0].atom >= DW_OP_lit0 && ops[0].atom <= DW_OP_lit31)
		*v = ops[0].atom - DW_OP_lit0;
	else if (ops[0].atom == DW_OP_constu || ops[0].atom == DW_OP_const1u ||
		 ops[0].atom == DW_OP_const2u || ops[0].atom == DW_OP_const4u)
		*v = (int64_t)ops[0].number;
	else if (ops[0].atom == DW_OP_consts || ops[0].atom == DW_OP_const1s ||
		 ops[0].atom == DW_OP_const2s || ops[0].atom == DW_OP_const4s)
		*v = (int64_t)ops[0].number;
	else
		return false;
	return true;
}

/*
 * A generic bitop around the instruction (arch_set_bit(nr, addr), ...)
 * names the operand's address: its pointer parameter "addr" located at
 * R + K is the bitmap, so R is one more alias of the base. A byte
 * operation (x86 set_bit/clear_bit of a constant bit: "orb" at
 * CONST_MASK_ADDR(nr, addr) = addr + nr / 8) starts nr / 8 bytes into
 * it, and needs nr known; a word operation (bts, btr, ...) on a bit
 * below 64 starts at addr.
 */
static void bitop_addr(Dwarf_Die *scope, uint64_t pc, int64_t disp, struct sg_base *b)
{
	Dwarf_Die child;
	const char *r = NULL;
	int64_t k = 0, nr = -1;

	if (dwarf_child(scope, &child) != 0)
		return;
	do {
		const char *name;
		Dwarf_Die ptr;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		name = sg_die_name(&child);
		if (name && !strcmp(name, "nr") && !const_param(&child, pc, &nr))
			nr = -1;
		if (!name || strcmp(name, "addr") || !sg_strip_type(&child, &ptr) ||
		    dwarf_tag(&ptr) != DW_TAG_pointer_type)
			continue;
		if (!sg_reg_value(&child, pc, &r, &k))
			r = NULL;
	} while (dwarf_siblingof(&child, &child) == 0);
	if (!r || b->n >= SG_BASE_ALIASES)
		return;
	if (b->opsize == 1) {
		if (nr < 0 || nr >= 64)
			return;
		k += nr / 8;
	}
	b->reg[b->n] = r;
	b->off[b->n] = k - disp;
	b->n++;
}

bool sg_word_at(Dwarf *dw, const struct sg_dwarf *d, uint64_t pc, const struct sg_base *base,
		int64_t disp, struct sg_word *w)
{
	struct sg_base bb = *base, *b = &bb;
	int64_t base_off = b->struct_off;
	Dwarf_Die cudie, *scopes = NULL, fn, helper_scope;
	const char *helper = NULL, *helper_file = NULL, **owner;
	struct match m = { 0 };
	size_t used = 0;
	int n, i;

	memset(w, 0, sizeof(*w));
	if (!dwarf_addrdie(dw, pc, &cudie))
		return false;
	n = sg_scopes_at(&cudie, pc, &scopes);
	/* The function each scope belongs to (blocks: the one around them). */
	owner = sg_alloc((n + 1) * sizeof(*owner));
	for (i = n - 1; i >= 0; i--) {
		int tag = dwarf_tag(&scopes[i]);

		owner[i] = i + 1 < n ? owner[i + 1] : NULL;
		if ((tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram) &&
		    origin(&scopes[i], &fn))
			owner[i] = dwarf_diename(&fn);
	}
	/* The generic bitops innermost first: their addr is the operand's. */
	for (i = 0; i < n; i++) {
		int tag = dwarf_tag(&scopes[i]);

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		if (!origin(&scopes[i], &fn) || !generic_file(dwarf_decl_file(&fn)))
			break;
		bitop_addr(&scopes[i], pc, disp, b);
	}
	for (i = 0; i < n; i++) {
		int tag = dwarf_tag(&scopes[i]);
		const char *file;

		if (tag != DW_TAG_lexical_block && tag != DW_TAG_inlined_subroutine &&
		    tag != DW_TAG_subprogram)
			continue;
		scan_scope(&scopes[i], d, pc, b, disp, owner[i], &m);
		if (tag == DW_TAG_lexical_block || !origin(&scopes[i], &fn))
			continue;
		file = dwarf_decl_file(&fn);
		if (used < sizeof(w->chain))
			used += snprintf(w->chain + used, sizeof(w->chain) - used, "%s%s",
					 used ? "<" : "", owner[i] ? owner[i] : "?");
		if (!helper && !generic_file(file)) {
			helper = owner[i] ? owner[i] : "?";
			helper_file = file;
			helper_scope = scopes[i];
		}
	}
	if (helper)
		snprintf(w->helper, sizeof(w->helper), "%s", helper);
	if (m.found) {
		w->base = m.folio ? SG_WORD_FOLIO : SG_WORD_PAGE;
		w->index = m.index;
		w->byte = m.byte;
		snprintf(w->how, sizeof(w->how), "%s", m.how);
	} else if (helper && b->known && is_flag_helper(helper, helper_file)) {
		const char *pname = NULL;
		bool folio = false;
		unsigned int index, byte;

		/*
		 * Loops step through pages: only the place in one page counts,
		 * and a flags helper's pointer points at most a few bytes into
		 * its page's first word (byte operations).
		 */
		base_off %= d->page_size;
		if (base_off < 0)
			base_off += d->page_size;
		if (base_off < 8 && helper_param(&helper_scope, pc, &folio, &pname) &&
		    in_word(d, folio ? "folio" : "page", base_off + disp, &index, &byte)) {
			m.found = true;
			w->base = folio ? SG_WORD_FOLIO : SG_WORD_PAGE;
			w->index = index;
			w->byte = byte;
			w->guess = true;
			snprintf(w->how, sizeof(w->how),
				 "helper %s: %s (no location) taken to be %s%+lld (code before)",
				 helper, pname ? pname : "?", b->reg[0], (long long)-base_off);
		}
	}
	if (getenv("MS_SITEGEN_DEBUG") && !m.found) {
		unsigned int k;

		fprintf(stderr, "DBG %llx known=%d off=%lld helper=%s aliases:",
			(unsigned long long)pc, b->known, (long long)b->struct_off,
			helper ? helper : "-");
		for (k = 0; k < b->n; k++)
			fprintf(stderr, " %s%+lld", b->reg[k], (long long)b->off[k]);
		fprintf(stderr, "\n");
	}
	free(owner);
	free(scopes);
	return m.found;
}

const char *sg_word_name(const struct sg_word *w)
{
	static const char *const folio[SG_FLAG_WORDS] = {
		"flags", "_flags_1", "_flags_2", "_flags_3",
	};
	static const char *const page[SG_FLAG_WORDS] = {
		"page", "page+1", "page+2", "page+3",
	};

	if (w->index >= SG_FLAG_WORDS)
		return "?";
	return w->base == SG_WORD_FOLIO ? folio[w->index] : page[w->index];
}
