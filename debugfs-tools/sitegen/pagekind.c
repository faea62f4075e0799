// SPDX-License-Identifier: GPL-2.0
/*
 * Folio-level or per-page? For each site on the mapcount counter, tell
 * atomic_inc(&folio->_mapcount) of a small folio from
 * atomic_inc(&page->_mapcount) of one page of a large folio (the per-page
 * loops of __folio_dup_file_rmap, __folio_try_dup_anon_rmap, ...).
 *
 * 1. Variables. scopes_at() gives the scopes containing the site's PC,
 *    innermost first. In the rmap.h instances among them (and the
 *    lexical blocks inside those), innermost first, the formal parameters
 *    and variables named "folio" (struct folio *) and "page" (struct
 *    page *) have their locations evaluated at the PC. A variable whose
 *    value there is BASEREG + DISP - (field offset) is the structure the
 *    site writes: DW_OP_regN (the register holds it) or DW_OP_bregN K;
 *    DW_OP_stack_value (the register holds it minus K, as when the
 *    compiler keeps only &page->_mapcount in a loop, the "lock incl
 *    (%r10)" sites). The first instance with a match decides: "folio"
 *    alone makes a folio-level site, "page" alone a per-page one; both
 *    at once decides nothing.
 * 2. Elimination, for compilers that lose the folio's location (GCC 12
 *    on 6.12 gives the folio parameters of the dup helpers none at all).
 *    Folio-level when all of: in the innermost rmap.h instance "folio"
 *    has no location at the PC while "page" is in a register that is not
 *    the site's; a site of a folio-only counter (_large_mapcount, ...)
 *    inside that same instance uses the same base register with the
 *    struct at BASEREG + 0 (so that register is the folio's there); and
 *    no site that the variables found per-page sits on the same line.
 * 3. Lines. A site still undecided takes the answer of the decided sites
 *    of the same helper (by name) at the same source line of that helper
 *    (the call line of the function inlined there, atomic_inc(), or the
 *    line of the PC itself): the per-page loops sit on other lines than
 *    the small-folio branches.
 * 4. Source. Where the build's include/linux/rmap.h is at hand, a site
 *    still undecided takes what that line of it writes:
 *    "&folio->_mapcount" folio-level, "&page->_mapcount" per-page (a
 *    kernel built with KASAN and DEBUG_VM keeps no location for either
 *    variable at the small-folio branches).  The file is SOURCE's (-I),
 *    else the one the DWARF names (the helper's DW_AT_decl_file: a
 *    self-built kernel's own source tree, wherever that path is visible,
 *    so the answer does not hang on who passes -I).  Otherwise: unsure.
 * Each mapcount site gets a "# kind" comment in the table saying how.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "sitegen.h"

/* DWARF register numbers of x86-64, with capstone's 64-bit names. */
static const char *const dwarf_regs[16] = {
	"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

#define MAX_CHAIN	8	/* rmap.h instances remembered per site */

/* What the scopes at one site's PC say. */
struct scan {
	Dwarf_Off inst[MAX_CHAIN];	/* rmap.h instances, innermost first */
	unsigned int ninst;
	const char *helper;		/* innermost rmap.h function */
	const char *file;		/* the rmap.h its DWARF names */
	int line;			/* its line at the PC, 0 if unknown */
	enum sg_kind vars;		/* 1: what the variables decided */
	bool elsewhere;			/* 2: page elsewhere, folio unknown */
	enum sg_kind kind;		/* the verdict */
	char why[400];
};

const char *sg_die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	if (!dwarf_attr_integrate(die, DW_AT_name, &a))
		return NULL;
	return dwarf_formstring(&a);
}

/* "folio" or "page" when die's type is a pointer to that struct, else NULL. */
const char *sg_pointee(Dwarf_Die *die)
{
	Dwarf_Die ptr, st;
	const char *name;

	if (!sg_strip_type(die, &ptr) || dwarf_tag(&ptr) != DW_TAG_pointer_type)
		return NULL;
	if (!sg_strip_type(&ptr, &st) || dwarf_tag(&st) != DW_TAG_structure_type)
		return NULL;
	name = dwarf_diename(&st);
	if (name && (!strcmp(name, "folio") || !strcmp(name, "page")))
		return name;
	return NULL;
}

/*
 * The value of var at pc as "register + offset": DW_OP_regN, or
 * DW_OP_bregN K (then optionally DW_OP_plus_uconst N) and
 * DW_OP_stack_value. False for anything else (in memory, constant,
 * pieces, entry values, no location at pc).
 */
bool sg_reg_value(Dwarf_Die *var, uint64_t pc, const char **reg, int64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t n, i;
	int64_t k;
	int r;

	if (!dwarf_attr_integrate(var, DW_AT_location, &a))
		return false;
	if (dwarf_getlocation_addr(&a, pc, &ops, &n, 1) != 1 || !n)
		return false;
	if (n == 1 && ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg15) {
		*reg = dwarf_regs[ops[0].atom - DW_OP_reg0];
		*off = 0;
		return true;
	}
	if (n == 1 && ops[0].atom == DW_OP_regx && ops[0].number < 16) {
		*reg = dwarf_regs[ops[0].number];
		*off = 0;
		return true;
	}
	if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg15) {
		r = ops[0].atom - DW_OP_breg0;
		k = (int64_t)ops[0].number;
	} else if (ops[0].atom == DW_OP_bregx && ops[0].number < 16) {
		r = (int)ops[0].number;
		k = (int64_t)ops[0].number2;
	} else {
		return false;
	}
	for (i = 1; i + 1 < n; i++) {
		if (ops[i].atom != DW_OP_plus_uconst)
			return false;
		k += (int64_t)ops[i].number;
	}
	if (i != n - 1 || ops[i].atom != DW_OP_stack_value)
		return false;
	*reg = dwarf_regs[r];
	*off = k;
	return true;
}

/*
 * The name of die's function (inlined or not) if it is an rmap.h one, else
 * NULL; its declaration file (the path the DWARF gives rmap.h) in *file.
 */
static const char *rmap_function(Dwarf_Die *die, const char **file)
{
	Dwarf_Attribute a;
	Dwarf_Die fn = *die;

	while (dwarf_attr(&fn, DW_AT_abstract_origin, &a)) {
		if (!dwarf_formref_die(&a, &fn))
			return NULL;
	}
	*file = dwarf_decl_file(&fn);
	if (!*file || !sg_is_rmap_h(*file))
		return NULL;
	return dwarf_diename(&fn);
}

/* The folio and page variables of one rmap.h instance at the PC. */
struct vars {
	bool folio_hit, page_hit;	/* holds the struct the site writes */
	bool folio_known, page_known;	/* has a register value at the PC */
	char seen[200];
};

/* Look at the folio/page variables among the children of scope. */
static void scan_vars(Dwarf_Die *scope, const struct sg_site *s, int64_t want,
		      struct vars *v)
{
	Dwarf_Die child;

	if (dwarf_child(scope, &child) != 0)
		return;
	do {
		const char *name, *type, *reg;
		size_t used = strlen(v->seen);
		bool known, hit, folio;
		int64_t off = 0;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter &&
		    dwarf_tag(&child) != DW_TAG_variable)
			continue;
		name = sg_die_name(&child);
		type = sg_pointee(&child);
		if (!name || !type || strcmp(name, type))
			continue;
		known = sg_reg_value(&child, s->addr, &reg, &off);
		hit = known && !strcmp(reg, s->basereg) && off == want;
		folio = !strcmp(name, "folio");
		if (known)
			snprintf(v->seen + used, sizeof(v->seen) - used, " %s=%s%+lld%s",
				 name, reg, (long long)off, hit ? "(*)" : "");
		else
			snprintf(v->seen + used, sizeof(v->seen) - used, " %s=?", name);
		if (folio) {
			v->folio_known |= known;
			v->folio_hit |= hit;
		} else {
			v->page_known |= known;
			v->page_hit |= hit;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

/*
 * The line of the helper scopes[inner] at pc: the call line of the
 * outermost inlined subroutine inside it (scopes[0..inner)), else the
 * line table's line of pc.
 */
static int helper_line(Dwarf_Die *cudie, Dwarf_Die *scopes, int inner, uint64_t pc)
{
	Dwarf_Attribute a;
	Dwarf_Word line;
	Dwarf_Line *l;
	int i, ln;

	for (i = inner - 1; i >= 0; i--) {
		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		if (dwarf_attr(&scopes[i], DW_AT_call_line, &a) &&
		    dwarf_formudata(&a, &line) == 0)
			return (int)line;
		return 0;
	}
	l = dwarf_getsrc_die(cudie, pc);
	if (l && dwarf_lineno(l, &ln) == 0)
		return ln;
	return 0;
}

/*
 * The scopes containing pc, innermost first, in *out (malloc'ed): the
 * concrete chain of subprogram, inlined subroutines and lexical blocks.
 * (dwarf_getscopes() leaves an inlined subroutine for its abstract
 * origin, which holds no locations.) Returns the count.
 */
int sg_scopes_at(Dwarf_Die *cudie, uint64_t pc, Dwarf_Die **out)
{
	Dwarf_Die *chain = NULL, cur = *cudie, child;
	size_t n = 0, cap = 0, i;
	bool found;

	do {
		found = false;
		if (dwarf_child(&cur, &child) != 0)
			break;
		do {
			int tag = dwarf_tag(&child);

			if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine &&
			    tag != DW_TAG_lexical_block)
				continue;
			if (dwarf_haspc(&child, pc) != 1)
				continue;
			chain = sg_grow(chain, &cap, n + 1, sizeof(*chain));
			chain[n++] = child;
			cur = child;
			found = true;
			break;
		} while (dwarf_siblingof(&child, &child) == 0);
	} while (found);
	/* Innermost first. */
	for (i = 0; i < n / 2; i++) {
		Dwarf_Die t = chain[i];

		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	*out = chain;
	return (int)n;
}

static void scan_site(Dwarf *dw, const struct sg_dwarf *d, const struct sg_site *s,
		      struct scan *sc)
{
	int64_t want = s->disp - d->field[s->counter];
	Dwarf_Die cudie, *scopes = NULL;
	size_t used = 0;
	int n, i, j;

	memset(sc, 0, sizeof(*sc));
	if (!dwarf_addrdie(dw, s->addr, &cudie)) {
		snprintf(sc->why, sizeof(sc->why), "no CU at the PC");
		return;
	}
	n = sg_scopes_at(&cudie, s->addr, &scopes);
	/* Innermost first: lexical blocks belong to the function above them. */
	for (i = 0; i < n; i++) {
		int tag = dwarf_tag(&scopes[i]);
		struct vars v = { 0 };
		const char *fn, *file;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		fn = rmap_function(&scopes[i], &file);
		if (!fn) {
			if (sc->ninst)
				break;	/* the caller of the outermost helper */
			continue;	/* atomic_inc() and the like */
		}
		if (!sc->ninst) {
			sc->helper = fn;
			sc->file = file;
			sc->line = helper_line(&cudie, scopes, i, s->addr);
		}
		if (sc->ninst < MAX_CHAIN)
			sc->inst[sc->ninst++] = dwarf_dieoffset(&scopes[i]);
		if (s->counter != SG_MAPCOUNT || sc->vars != SG_KIND_NONE)
			continue;
		/* The function's own variables and those of its blocks at pc. */
		for (j = i; j >= 0; j--) {
			if (j < i && dwarf_tag(&scopes[j]) != DW_TAG_lexical_block)
				break;
			scan_vars(&scopes[j], s, want, &v);
		}
		if (used < sizeof(sc->why))
			used += snprintf(sc->why + used, sizeof(sc->why) - used, "%s%s:%s",
					 used ? "; " : "", fn, v.seen[0] ? v.seen : " -");
		if (v.folio_hit && v.page_hit)
			sc->vars = SG_KIND_UNSURE;
		else if (v.folio_hit || v.page_hit)
			sc->vars = v.folio_hit ? SG_KIND_FOLIO : SG_KIND_PAGE;
		else if (sc->ninst == 1)
			sc->elsewhere = v.page_known && !v.folio_known;
	}
	if (!sc->ninst)
		snprintf(sc->why, sizeof(sc->why), "no rmap.h instance at the PC");
	free(scopes);
}

/* Does the chain of sc contain the instance inst? */
static bool in_chain(const struct scan *sc, Dwarf_Off inst)
{
	unsigned int i;

	for (i = 0; i < sc->ninst; i++) {
		if (sc->inst[i] == inst)
			return true;
	}
	return false;
}

/*
 * A site of a folio-only counter (_large_mapcount, ...) in the same
 * rmap.h instance as site i, with the same base register holding the
 * folio (the struct at BASEREG + 0): that register is the folio's.
 */
static const struct sg_site *folio_register(const struct sg_result *r, const struct sg_dwarf *d,
					    const struct scan *sc, size_t i)
{
	const struct sg_site *s = &r->sites[i];
	size_t j;

	for (j = 0; sc[i].ninst && j < r->nsites; j++) {
		const struct sg_site *t = &r->sites[j];

		if (t->counter != SG_MAPCOUNT && !strcmp(t->basereg, s->basereg) &&
		    t->disp == d->field[t->counter] && in_chain(&sc[j], sc[i].inst[0]))
			return t;
	}
	return NULL;
}

/* Is there a site other than i of the same helper line with verdict kind? */
static bool same_line(const struct sg_result *r, const struct scan *sc, size_t i,
		      enum sg_kind kind, bool by_vars)
{
	size_t j;

	for (j = 0; sc[i].helper && sc[i].line && j < r->nsites; j++) {
		if (j != i && r->sites[j].counter == SG_MAPCOUNT && sc[j].helper &&
		    !strcmp(sc[j].helper, sc[i].helper) && sc[j].line == sc[i].line &&
		    (by_vars ? sc[j].vars : sc[j].kind) == kind)
			return true;
	}
	return false;
}

/*
 * The lines of rmap.h: SOURCE/include/linux/rmap.h when source is given
 * and readable, else dwarf_file (the path the DWARF names) when it is
 * absolute and readable; NULL when neither is. Returns the number of
 * lines in *nlines.
 */
static char **read_rmap_h(const char *source, const char *dwarf_file, int *nlines)
{
	char path[4096], buf[1024], **lines = NULL;
	size_t cap = 0;
	FILE *f = NULL;

	if (source) {
		snprintf(path, sizeof(path), "%s/include/linux/rmap.h", source);
		f = fopen(path, "r");
		if (!f && dwarf_file && dwarf_file[0] == '/')
			sg_warn("%s: cannot read it: reading %s (the DWARF's)", path, dwarf_file);
	}
	if (!f && dwarf_file && dwarf_file[0] == '/') {
		snprintf(path, sizeof(path), "%s", dwarf_file);
		f = fopen(path, "r");
	}
	if (!f) {
		sg_warn("%s: cannot read it: sites stay unsure%s", source ? path :
			dwarf_file ? dwarf_file : "include/linux/rmap.h",
			source ? "" : " (give the kernel's source or headers tree: -I)");
		return NULL;
	}
	*nlines = 0;
	while (fgets(buf, sizeof(buf), f)) {
		lines = sg_grow(lines, &cap, *nlines + 1, sizeof(*lines));
		lines[(*nlines)++] = strdup(buf);
	}
	fclose(f);
	return lines;
}

/* Line n (1-based) of rmap.h (read_rmap_h()), or NULL; read once. */
static const char *rmap_h_line(const char *source, const char *dwarf_file, int n)
{
	static char **lines;
	static int nlines = -1;

	if (nlines < 0) {
		nlines = 0;
		lines = read_rmap_h(source, dwarf_file, &nlines);
	}
	return lines && n >= 1 && n <= nlines ? lines[n - 1] : NULL;
}

/* 4: what source line n of rmap.h writes, if it says. */
static enum sg_kind source_kind(const char *source, const char *dwarf_file, int n)
{
	const char *l = rmap_h_line(source, dwarf_file, n);
	bool folio, page;

	if (!l)
		return SG_KIND_NONE;
	folio = strstr(l, "&folio->_mapcount");
	page = strstr(l, "&page->_mapcount");
	return folio == page ? SG_KIND_NONE : folio ? SG_KIND_FOLIO : SG_KIND_PAGE;
}

void sg_page_kinds(struct sg_result *r, const struct sg_elf *e, const struct sg_dwarf *d,
		   const char *source)
{
	struct scan *sc;
	Dwarf *dw;
	size_t i;

	if (!r->nsites)
		return;
	dw = dwarf_begin_elf(e->elf, DWARF_C_READ, NULL);
	if (!dw)
		sg_die("no DWARF: %s", dwarf_errmsg(-1));
	sc = sg_alloc(r->nsites * sizeof(*sc));
	for (i = 0; i < r->nsites; i++)
		scan_site(dw, d, &r->sites[i], &sc[i]);

	/* 1. Variables. */
	for (i = 0; i < r->nsites; i++) {
		if (r->sites[i].counter != SG_MAPCOUNT)
			continue;
		if (sc[i].vars == SG_KIND_FOLIO || sc[i].vars == SG_KIND_PAGE) {
			sc[i].kind = sc[i].vars;
			snprintf(r->sites[i].why, sizeof(r->sites[i].why), "variables:%s",
				 sc[i].why);
		}
	}
	/* 2. Elimination: not page's register, but the folio's. */
	for (i = 0; i < r->nsites; i++) {
		const struct sg_site *t;

		if (r->sites[i].counter != SG_MAPCOUNT || sc[i].kind != SG_KIND_NONE ||
		    !sc[i].elsewhere || same_line(r, sc, i, SG_KIND_PAGE, true))
			continue;
		t = folio_register(r, d, sc, i);
		if (!t)
			continue;
		sc[i].kind = SG_KIND_FOLIO;
		snprintf(r->sites[i].why, sizeof(r->sites[i].why),
			 "page is elsewhere, folio has no location, %s+0x%llx (%s) has the folio "
			 "in %s in the same %s (variables:%s)", t->func->name,
			 (unsigned long long)(t->addr - t->func->addr),
			 sg_counter_names[t->counter], t->basereg, sc[i].helper, sc[i].why);
	}
	/* 3. Lines: what the decided sites of the same helper line say. */
	for (i = 0; i < r->nsites; i++) {
		bool folio, page;

		if (r->sites[i].counter != SG_MAPCOUNT || sc[i].kind != SG_KIND_NONE)
			continue;
		folio = same_line(r, sc, i, SG_KIND_FOLIO, false);
		page = same_line(r, sc, i, SG_KIND_PAGE, false);
		if (folio == page && sc[i].helper) {
			enum sg_kind k = source_kind(source, sc[i].file, sc[i].line);

			if (k != SG_KIND_NONE) {
				r->sites[i].kind = k;
				snprintf(r->sites[i].why, sizeof(r->sites[i].why),
					 "%s line %d: rmap.h writes %s->_mapcount there (variables:%s)",
					 sc[i].helper, sc[i].line,
					 k == SG_KIND_FOLIO ? "folio" : "page", sc[i].why);
				continue;
			}
		}
		r->sites[i].kind = folio != page ? (folio ? SG_KIND_FOLIO : SG_KIND_PAGE) :
				   SG_KIND_UNSURE;
		snprintf(r->sites[i].why, sizeof(r->sites[i].why),
			 "%s line %d: %s (variables:%s)", sc[i].helper ? sc[i].helper : "?",
			 sc[i].line, folio && page ? "decided sites disagree" :
			 folio || page ? "as the decided sites there" : "no decided site there",
			 sc[i].why);
	}
	for (i = 0; i < r->nsites; i++) {
		if (r->sites[i].counter == SG_MAPCOUNT && sc[i].kind != SG_KIND_NONE)
			r->sites[i].kind = sc[i].kind;
	}
	free(sc);
	dwarf_end(dw);
}
