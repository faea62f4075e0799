/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parser of one line of a mapshadow site table, the output of
 * debugfs-tools/sitegen (ms-sitegen VMLINUX). Pure code: no allocation,
 * no I/O, no kernel API but memcpy/memset, so that the module and the
 * userspace unit tests share it.
 *
 * The format, one item per line, tokens separated by spaces or tabs:
 *
 *   # mapshadow site table v2          MS_SITE_MAGIC (version 2)
 *   # anything else, or a blank line   MS_SITE_SKIP
 *   build-id HEX                       MS_SITE_BUILD_ID, 1 to 32 bytes
 *   release STRING                     MS_SITE_RELEASE, up to 64 chars
 *   field COUNTER 0xOFFSET             MS_SITE_FIELD
 *   site FUNCTION 0xOFFSET BYTES BASEREG DISP COUNTER DELTA HELPER [FLAGS]
 *                                      MS_SITE_SITE
 *   word WORD 0xOFFSET                 MS_SITE_WORD
 *   race FUNCTION 0xOFFSET BYTES BASEREG DISP WORD BITS HELPER SHAPE
 *        [0xLOADOFFSET LOADBYTES LOADBASEREG LOADDISP] [FLAGS]
 *                                      MS_SITE_RACE (one line)
 *
 * COUNTER is mapcount, large_mapcount, entire_mapcount or nr_pages_mapped.
 * BYTES is the probed instruction, 1 to 15 bytes in hex without spaces.
 * BASEREG is a register name (rax..r15, or its 32-bit form eax..r15d).
 * DISP is hex with an optional '-': the counter is at BASEREG + DISP, so
 * the structure holding it starts at BASEREG + DISP - (its field offset).
 * DELTA is what the instruction adds to the counter: +N or -N (decimal),
 * reg:NAME or -reg:NAME (the value of register NAME before the
 * instruction, 32-bit names sign-extended). FLAGS is a comma list, each
 * flag at most once, of
 *   ambiguous  FUNCTION is not a unique symbol name: do not probe by name
 *   ool        FUNCTION is itself an out-of-line copy of an rmap.h inline
 *   page       (mapcount only) the write is atomic_inc(&page->_mapcount)
 *              of one page of a large folio (the per-page loops of the
 *              dup helpers): the structure at BASEREG + DISP - (the
 *              mapcount field offset) is a struct page, not the folio
 *   unsure     (mapcount only) the generator could not tell a per-page
 *              write from a folio-level one; not with "page"
 * A mapcount site with neither "page" nor "unsure" is folio-level:
 * atomic_inc(&folio->_mapcount) of a small folio.
 * FUNCTION and HELPER are C identifiers, dots allowed ("foo.isra.0").
 *
 * Version 2 added the flags inventory (issue 11): the writes to a struct
 * page flags word in mm/ code that ms-sitegen found, one "race" line
 * each, and the "word" lines that say where each flags word sits.
 *
 * WORD names a flags word relative to the struct the generator saw the
 * base register point into: "flags", "_flags_1", "_flags_2", "_flags_3"
 * are page[N].flags of a struct folio (folio->flags, folio->_flags_1,
 * ...); "page", "page+1", "page+2", "page+3" are page[N].flags counted
 * from a struct page (page->flags of that page, which may be a head or a
 * tail; page+1 is page[1].flags, e.g. a head page's _flags_1).
 *   word WORD 0xOFFSET   WORD is at struct + OFFSET (one line per name
 *                        used; the loader checks it against its own
 *                        offsetof(struct folio, ...) and sizeof(struct
 *                        page))
 * A race line, in order:
 *   FUNCTION 0xOFFSET  the instruction that writes the word (shape pair:
 *                      the store)
 *   BYTES              its bytes, as for sites
 *   BASEREG DISP       its memory operand is BASEREG + DISP (no index);
 *                      the word is the aligned 8 bytes holding that
 *                      address: (BASEREG + DISP) & ~7, and the struct is
 *                      that minus the word's OFFSET
 *   WORD               as above
 *   BITS               0xMASK, up to 64 bits: the bits of the word the
 *                      write may change (0: writes back what it read);
 *                      "unknown" when computed
 *   HELPER             the innermost inlined function that is not a
 *                      generic bitop (__folio_set_locked, folio_set_order,
 *                      __split_huge_page_tail, ...), or FUNCTION's own
 *                      name when the write is in its body
 *   SHAPE              rmw     one instruction without a lock prefix that
 *                              reads and writes the word (or, and, bts,
 *                              btr, ...; BYTES must not start with f0)
 *                      pair    a load of the word into a register, then a
 *                              store of a value computed from it, with no
 *                              locked write of the word in between; four
 *                              more fields give the load:
 *                              0xLOADOFFSET (in FUNCTION) LOADBYTES
 *                              LOADBASEREG LOADDISP, its operand being
 *                              LOADBASEREG + LOADDISP (the same word)
 *                      atomic  a locked writer (lock prefix or xchg): not a
 *                              race; listed so that a report can name the
 *                              atomic writers of the other bits of a word
 *   FLAGS              comma list, each at most once:
 *                      ambiguous  FUNCTION is not a unique symbol name
 *                      guess      DWARF had no location for the struct:
 *                                 the word was inferred from the helper's
 *                                 parameter and the code before
 *
 * A line is at most MS_SITE_LINE_MAX bytes, not counting one trailing
 * '\n'. Control characters other than tab, and bytes above 0x7e, are
 * refused.
 */
#ifndef MS_SITETABLE_PARSE_H
#define MS_SITETABLE_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
#endif

#define MS_SITE_LINE_MAX	512	/* bytes, '\n' excluded */
#define MS_SITE_NAME_MAX	64	/* FUNCTION, HELPER: 63 chars + NUL */
#define MS_SITE_INSN_MAX	15	/* longest x86 instruction */
#define MS_SITE_BUILD_ID_MAX	32	/* bytes */
#define MS_SITE_RELEASE_MAX	65	/* 64 chars + NUL, as in utsname */
#define MS_SITE_VERSION		2	/* the table version this parser reads */

/* What a line was; negative errno values are returned for bad lines. */
enum ms_site_kind {
	MS_SITE_SKIP = 0,	/* blank line or comment */
	MS_SITE_MAGIC,		/* "# mapshadow site table vN" */
	MS_SITE_BUILD_ID,
	MS_SITE_RELEASE,
	MS_SITE_FIELD,
	MS_SITE_SITE,
	MS_SITE_WORD,		/* "word WORD 0xOFFSET" */
	MS_SITE_RACE,		/* "race ...": the flags inventory */
};

/* General purpose registers, named as the fields of x86-64 pt_regs. */
enum ms_site_reg {
	MS_REG_AX,
	MS_REG_BX,
	MS_REG_CX,
	MS_REG_DX,
	MS_REG_SI,
	MS_REG_DI,
	MS_REG_BP,
	MS_REG_SP,
	MS_REG_R8,
	MS_REG_R9,
	MS_REG_R10,
	MS_REG_R11,
	MS_REG_R12,
	MS_REG_R13,
	MS_REG_R14,
	MS_REG_R15,
	MS_REG_NR
};

enum ms_site_counter {
	MS_CNT_MAPCOUNT,	/* page->_mapcount (small folio or one page) */
	MS_CNT_LARGE_MAPCOUNT,	/* folio->_large_mapcount */
	MS_CNT_ENTIRE_MAPCOUNT,	/* folio->_entire_mapcount */
	MS_CNT_NR_PAGES_MAPPED,	/* folio->_nr_pages_mapped */
	MS_CNT_NR
};

enum ms_site_delta_kind {
	MS_DELTA_CONST,		/* value */
	MS_DELTA_REG,		/* +/- register reg (width bits) */
};

#define MS_SITE_F_AMBIGUOUS	0x1
#define MS_SITE_F_OOL		0x2
#define MS_SITE_F_PAGE		0x4	/* per-page page->_mapcount write */
#define MS_SITE_F_UNSURE	0x8	/* per-page or folio-level: unknown */

struct ms_site_delta {
	enum ms_site_delta_kind kind;
	s32 value;		/* MS_DELTA_CONST */
	enum ms_site_reg reg;	/* MS_DELTA_REG */
	u8 width;		/* MS_DELTA_REG: 32 or 64 */
	bool negate;		/* MS_DELTA_REG: "-reg:NAME" */
};

struct ms_site {
	char function[MS_SITE_NAME_MAX];
	u32 offset;			/* from the start of function */
	u8 bytes[MS_SITE_INSN_MAX + 1];
	u8 nbytes;
	enum ms_site_reg base;
	u8 base_width;			/* 32 or 64, as written */
	s32 disp;
	enum ms_site_counter counter;
	struct ms_site_delta delta;
	char helper[MS_SITE_NAME_MAX];
	u32 flags;			/* MS_SITE_F_* */
};

struct ms_site_field {
	enum ms_site_counter counter;
	u32 offset;
};

/* The flags words: page[N].flags from a folio (FOLIO0..3) or a page (PAGE0..3). */
enum ms_race_word {
	MS_WORD_FOLIO0,		/* "flags": folio->flags */
	MS_WORD_FOLIO1,		/* "_flags_1": folio->_flags_1 = page[1].flags */
	MS_WORD_FOLIO2,		/* "_flags_2" */
	MS_WORD_FOLIO3,		/* "_flags_3" */
	MS_WORD_PAGE0,		/* "page": page->flags */
	MS_WORD_PAGE1,		/* "page+1": page[1].flags */
	MS_WORD_PAGE2,		/* "page+2" */
	MS_WORD_PAGE3,		/* "page+3" */
	MS_WORD_NR
};

/* page[N]: N of a word, and whether it counts from a folio. */
#define MS_WORD_INDEX(w)	((unsigned int)(w) & 3)
#define MS_WORD_IS_FOLIO(w)	((unsigned int)(w) < MS_WORD_PAGE0)

enum ms_race_shape {
	MS_RACE_RMW,		/* one unlocked read-modify-write instruction */
	MS_RACE_PAIR,		/* a load, then a store of a value computed from it */
	MS_RACE_ATOMIC,		/* a locked writer */
	MS_RACE_NR
};

#define MS_RACE_F_AMBIGUOUS	0x1
#define MS_RACE_F_GUESS		0x2

struct ms_site_word {
	enum ms_race_word word;
	u32 offset;
};

struct ms_race_insn {
	u32 offset;			/* from the start of the function */
	u8 bytes[MS_SITE_INSN_MAX + 1];
	u8 nbytes;
	enum ms_site_reg base;
	u8 base_width;			/* 32 or 64, as written */
	s32 disp;
};

struct ms_race {
	char function[MS_SITE_NAME_MAX];
	struct ms_race_insn write;	/* the writing instruction (pair: the store) */
	enum ms_race_word word;
	bool bits_known;
	u64 bits;			/* bits_known: what it may change */
	char helper[MS_SITE_NAME_MAX];
	enum ms_race_shape shape;
	struct ms_race_insn load;	/* MS_RACE_PAIR only */
	u32 flags;			/* MS_RACE_F_* */
};

struct ms_site_line {
	enum ms_site_kind kind;
	union {
		u32 version;				/* MS_SITE_MAGIC */
		struct {
			u8 id[MS_SITE_BUILD_ID_MAX];
			u8 len;
		} build_id;				/* MS_SITE_BUILD_ID */
		char release[MS_SITE_RELEASE_MAX];	/* MS_SITE_RELEASE */
		struct ms_site_field field;		/* MS_SITE_FIELD */
		struct ms_site site;			/* MS_SITE_SITE */
		struct ms_site_word word;		/* MS_SITE_WORD */
		struct ms_race race;			/* MS_SITE_RACE */
	};
};

/*
 * Parse line[0..len) (one trailing '\n' allowed). Returns the line's kind
 * (enum ms_site_kind, also stored in out->kind) or a negative errno:
 *   -E2BIG         line longer than MS_SITE_LINE_MAX
 *   -ENAMETOOLONG  a token longer than its field
 *   -ERANGE        a number out of range
 *   -EINVAL        anything else malformed: unknown keyword, register or
 *                  counter, bad hex or decimal, missing or extra tokens,
 *                  bad characters
 * out is fully overwritten (zeroed first) in every case.
 */
int ms_site_parse_line(const char *line, size_t len, struct ms_site_line *out);

/*
 * "ax".."r15", "mapcount".."nr_pages_mapped", "flags".."page+3",
 * "rmw".."atomic"; "?" when out of range.
 */
const char *ms_site_reg_name(enum ms_site_reg reg);
const char *ms_site_counter_name(enum ms_site_counter counter);
const char *ms_race_word_name(enum ms_race_word word);
const char *ms_race_shape_name(enum ms_race_shape shape);

#endif /* MS_SITETABLE_PARSE_H */
