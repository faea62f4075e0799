/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ms-sitegen: find the mapcount writes that the kernel inlines from
 * include/linux/rmap.h and print them as a mapshadow site table.
 *
 *   elfinfo.c   the ELF side: build id, release, .symtab, text bytes
 *   dwarfwalk.c the DWARF side: field offsets, rmap.h inline instances
 *   classify.c  disassembly (capstone) and classification into sites
 *   pagekind.c  mapcount sites: folio-level or per-page (DWARF locations)
 *   output.c    sorting and printing of the table
 *
 * and the inventory of the writes to struct page flags words in mm/ code
 * (issue 11: the non-atomic read-modify-writes, and the atomic writers):
 *
 *   races.c     disassembly of mm/ functions, the shapes (one instruction,
 *               load...store pairs, locked writers)
 *   raceword.c  which flags word an instruction writes (DWARF locations)
 *               and the inline chain it came from
 *   raceout.c   the "race" lines of the table, and the --races report
 */
#ifndef SITEGEN_H
#define SITEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <elfutils/libdw.h>
#include <gelf.h>

#define SG_NAME_MAX	63	/* names in the table, like the parser's limit */
#define SG_INSN_MAX	15	/* longest x86 instruction */
#define SG_LINE_MAX	512	/* a table line, '\n' excluded (MS_SITE_LINE_MAX) */

/* The counters, in the table's order and with the table's names. */
enum sg_counter {
	SG_MAPCOUNT,
	SG_LARGE_MAPCOUNT,
	SG_ENTIRE_MAPCOUNT,
	SG_NR_PAGES_MAPPED,
	SG_NR_COUNTERS
};

extern const char *const sg_counter_names[SG_NR_COUNTERS];

void sg_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void sg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *sg_alloc(size_t n);	/* calloc or die */
void *sg_grow(void *p, size_t *cap, size_t need, size_t size);

/* ---- elfinfo.c ---- */

struct sg_sym {
	uint64_t addr;
	uint64_t size;
	const char *name;
	unsigned int same_name;	/* symbols in .symtab with this name */
};

/* A jump label (static key): the NOP at code can become a jmp to target. */
struct sg_jump {
	uint64_t code, target;
};

struct sg_elf {
	Elf *elf;
	int fd;
	struct sg_jump *jumps;		/* __jump_table, by code address */
	size_t njumps;
	char build_id[2 * 64 + 1];	/* hex, "" if none */
	char release[128];		/* from linux_banner, "" if unknown */
	struct sg_sym *funcs;		/* STT_FUNC with a size, by address */
	size_t nfuncs;
};

void sg_elf_open(struct sg_elf *e, const char *path);
void sg_elf_close(struct sg_elf *e);
/* The function symbol containing addr, or NULL. */
const struct sg_sym *sg_elf_func_at(const struct sg_elf *e, uint64_t addr);
/* Bytes of an allocated section at [addr, addr + len), or NULL. */
const uint8_t *sg_elf_bytes(const struct sg_elf *e, uint64_t addr, uint64_t len);
/* The first jump label at or after addr (index into e->jumps, maybe njumps). */
size_t sg_elf_jump_from(const struct sg_elf *e, uint64_t addr);

/* ---- dwarfwalk.c ---- */

/*
 * One PC range of one instance of an rmap.h function: an inlined
 * subroutine, or (ool) the out-of-line copy the compiler emitted of a
 * static inline one. An instance with several ranges gives several rows.
 */
struct sg_inl {
	uint64_t lo, hi;	/* [lo, hi) */
	const char *name;	/* this instance's function */
	const char *outer;	/* outermost rmap.h function of the chain */
	unsigned int depth;	/* rmap.h nesting depth, 0 = outermost */
	bool ool;		/* the chain's root is an out-of-line copy */
	bool folio_arg;		/* takes a struct folio * or struct page * */
};

/* A code range [lo, hi) of a function of an mm/ compilation unit. */
struct sg_range {
	uint64_t lo, hi;
};

#define SG_FLAG_WORDS	4	/* page[0..3].flags of a folio: flags, _flags_1.. */

struct sg_dwarf {
	int64_t field[SG_NR_COUNTERS];	/* byte offsets, -1 if not found */
	int64_t page_mapcount;		/* offsetof(struct page, _mapcount) */
	int64_t page_size;		/* sizeof(struct page) */
	int64_t page_flags;		/* offsetof(struct page, flags), -1 */
	/* offsetof(struct folio, flags / _flags_1 / _flags_2 / _flags_3), -1 */
	int64_t folio_flags[SG_FLAG_WORDS];
	struct sg_range *mm;		/* functions of mm/ CUs, by address */
	size_t nmm, capmm;
	struct sg_inl *inl;
	size_t ninl, capinl;
	size_t ncus, ninstances;
};

void sg_dwarf_walk(struct sg_dwarf *d, Elf *elf);
/* Follow DW_AT_type through typedefs and qualifiers; false if none. */
bool sg_strip_type(Dwarf_Die *die, Dwarf_Die *out);
/* Is file (a DW_AT_decl_file) include/linux/rmap.h? */
bool sg_is_rmap_h(const char *file);

/* ---- classify.c ---- */

enum sg_delta_kind { SG_DELTA_CONST, SG_DELTA_REG };

/* What a mapcount site writes (pagekind.c); other counters: NONE. */
enum sg_kind {
	SG_KIND_NONE,
	SG_KIND_FOLIO,		/* folio->_mapcount of a small folio */
	SG_KIND_PAGE,		/* page->_mapcount of one page of a large folio */
	SG_KIND_UNSURE,		/* could not tell */
};

struct sg_site {
	uint64_t addr;
	const struct sg_sym *func;
	uint8_t bytes[SG_INSN_MAX];
	unsigned int len;
	char text[192];			/* disassembly, for notes */
	const char *basereg;		/* 64-bit name */
	int64_t disp;
	enum sg_counter counter;
	enum sg_delta_kind delta_kind;
	int64_t delta;			/* SG_DELTA_CONST */
	const char *delta_reg;		/* SG_DELTA_REG, as capstone names it */
	bool delta_neg;			/* SG_DELTA_REG: subtracted */
	const struct sg_inl *inl;	/* innermost rmap.h instance */
	enum sg_kind kind;
	char why[512];			/* how kind was decided, for a comment */
};

/* Writes to a counter that are not sites: printed as comments. */
struct sg_note {
	uint64_t addr;
	const struct sg_sym *func;
	char text[192];
	const char *why;
	const struct sg_inl *inl;
};

struct sg_result {
	struct sg_site *sites;
	size_t nsites, capsites;
	struct sg_note *notes;
	size_t nnotes, capnotes;
	size_t insns;			/* instructions decoded */
	size_t decode_errors;
	size_t not_folio;		/* lock RMWs in rmap.h code on other objects */
};

void sg_classify(struct sg_result *r, const struct sg_elf *e, const struct sg_dwarf *d);
/*
 * capstone registers: the number 0..15 of a general purpose one of any
 * width (rax rbx rcx rdx rsi rdi rbp rsp r8..r15), -1 if none; the 64-bit
 * register of a number.
 */
int sg_gpr(unsigned int reg);
unsigned int sg_gpr64(int i);

/* ---- pagekind.c ---- */

/*
 * Set kind (and why) of every mapcount site.  source: a kernel source or
 * headers tree holding include/linux/rmap.h of this build, or NULL: then
 * the rmap.h the DWARF names is read, if it is there.
 */
void sg_page_kinds(struct sg_result *r, const struct sg_elf *e, const struct sg_dwarf *d,
		   const char *source);

/* DWARF helpers shared with raceword.c. */
/* The concrete scopes containing pc, innermost first (malloc'ed); count. */
int sg_scopes_at(Dwarf_Die *cudie, uint64_t pc, Dwarf_Die **out);
/* var's value at pc as register + offset (x86-64 DWARF register names). */
bool sg_reg_value(Dwarf_Die *var, uint64_t pc, const char **reg, int64_t *off);
/* "folio" or "page" when die's type is a pointer to that struct. */
const char *sg_pointee(Dwarf_Die *die);
/* DW_AT_name, following abstract origins. */
const char *sg_die_name(Dwarf_Die *die);

/* ---- races.c, raceword.c, raceout.c ---- */

enum sg_race_shape {
	SG_RACE_RMW,		/* one instruction, no lock prefix */
	SG_RACE_PAIR,		/* a load, then a store of a value computed from it */
	SG_RACE_ATOMIC,		/* a locked writer (lock prefix or xchg) */
	SG_RACE_NR_SHAPES
};

/* Which word: page[index].flags counted from a struct folio or a struct page. */
enum sg_word_base { SG_WORD_FOLIO, SG_WORD_PAGE };

struct sg_word {
	enum sg_word_base base;
	unsigned int index;		/* 0..SG_FLAG_WORDS-1 */
	unsigned int byte;		/* the operand starts at this byte of it */
	bool guess;			/* from the helper, not from a variable */
	char how[160];			/* the variable or helper that told */
	char helper[SG_NAME_MAX + 1];	/* innermost helper that is not a bitop */
	char chain[200];		/* inline chain, innermost first */
};

struct sg_insn_ref {
	uint64_t addr;
	uint8_t bytes[SG_INSN_MAX];
	unsigned int len;
	char text[192];			/* AT&T, for the report */
	const char *basereg;		/* 64-bit name */
	int64_t disp;
};

struct sg_race {
	enum sg_race_shape shape;
	const struct sg_sym *func;
	struct sg_insn_ref w;		/* the writing instruction (pair: the store) */
	struct sg_insn_ref load;	/* SG_RACE_PAIR: the load */
	struct sg_word word;
	bool bits_known;
	uint64_t bits;			/* bits of the word it may change */
};

struct sg_races {
	struct sg_race *r;
	size_t n, cap;
	size_t funcs, insns, decode_errors;
	size_t candidates;		/* writes at a flags offset, any object */
	size_t not_flags;		/* ... that DWARF did not tie to a page */
	size_t indexed;			/* flags-offset writes with an index register */
	size_t walk_cut;		/* pair walks stopped by the step limit */
};

void sg_races_find(struct sg_races *rs, const struct sg_elf *e, const struct sg_dwarf *d);
/*
 * What the code before an instruction says about its base register
 * (races.c): the registers holding the same pointer there (the base
 * register = reg[i] + off[i]; reg[0] is the base itself, off[0] 0), and,
 * when known, where it points into its struct.
 */
#define SG_BASE_ALIASES	6
struct sg_base {
	const char *reg[SG_BASE_ALIASES];
	int64_t off[SG_BASE_ALIASES];
	unsigned int n;
	bool known;
	int64_t struct_off;
	unsigned int opsize;	/* bytes the instruction's operand covers */
};

/* Which flags word base + disp is at pc; false if DWARF does not tie it to a page. */
bool sg_word_at(Dwarf *dw, const struct sg_dwarf *d, uint64_t pc, const struct sg_base *b,
		int64_t disp, struct sg_word *w);
/* The word's name in the table: flags, _flags_1.., page, page+1.. */
const char *sg_word_name(const struct sg_word *w);
/* Its offset from the struct the base points to (the "word" lines). */
void sg_races_print_table(const struct sg_races *rs, const struct sg_dwarf *d);
void sg_races_print_report(const struct sg_races *rs, const struct sg_elf *e,
			   const struct sg_dwarf *d);
void sg_races_summary(const struct sg_races *rs);

/* ---- output.c ---- */

void sg_print(const struct sg_result *r, const struct sg_elf *e, const struct sg_dwarf *d);
/* Order by function name, then function address, then address. */
int sg_cmp_place(const struct sg_sym *fa, uint64_t a, const struct sg_sym *fb, uint64_t b);
/* 0x.. or -0x.. */
void sg_print_s64(int64_t v);
void sg_print_summary(const struct sg_result *r, const struct sg_dwarf *d, double seconds);

#endif /* SITEGEN_H */
