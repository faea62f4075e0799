/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of the lines of the mapshadow debugfs files.
 *
 * Pure functions, no I/O, so the unit tests can feed them any line. A line
 * is a NUL-terminated string; one trailing '\n' is allowed and ignored.
 *
 *   stats:     "key: value"   value is an unsigned decimal number or one
 *              word; keys are letters, digits, '_', '-' and '.'
 *   hooks:     "target mechanism state hits missed reason"
 *              state is "armed" or "off", hits and missed unsigned decimal
 *              numbers, reason "-" (none) or one word; a site's target is
 *              "function+0xoffset"
 *   findings:  "id time_ns kind pfn order type shadow live pid comm source"
 *              pfn is "0x" and hex digits, shadow, live and pid signed
 *              decimal numbers; comm is the task name ("-" when empty) and
 *              may contain blanks: it is everything between pid and the
 *              last column, source
 *   scan:      "key: value" lines as in stats, and
 *              "disagree: pfn=0x.. order=N shadow=N live=N pte=N pmd=N
 *              pud=N hugetlb=N" for each disagreeing folio
 *   findings_detail: free text; only the first line of each block,
 *              "finding N: kind", is parsed
 *
 * In all of them, blank lines and lines whose first non-blank character
 * is '#' (the hooks and findings headers) are reported as MS_SKIP.
 *
 * Also here, equally pure: what the errors of the module's two writable
 * files (control and sites) mean, for one-line messages.
 */
#ifndef MS_PARSE_H
#define MS_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#define MS_LINE_MAX	256	/* longest accepted line, '\n' excluded */
#define MS_KEY_MAX	63	/* stats key */
#define MS_VALUE_MAX	63	/* stats value */
#define MS_TARGET_MAX	127	/* hook target: kernel symbol or tracepoint */
#define MS_WORD_MAX	31	/* hook mechanism and reason, finding kind, folio type */
#define MS_COMM_MAX	63	/* task name in findings ("-" when empty) */
#define MS_ORDER_MAX	63	/* largest folio order accepted */
#define MS_LEVELS	4	/* pte, pmd, pud, hugetlb */

enum ms_status {
	MS_OK		= 0,
	MS_SKIP		= 1,	/* blank or comment line, nothing parsed */
	MS_ERR_TOOLONG	= -1,	/* longer than MS_LINE_MAX */
	MS_ERR_CHAR	= -2,	/* control or non-ASCII character */
	MS_ERR_NOCOLON	= -3,	/* stats line without ':' */
	MS_ERR_KEY	= -4,	/* stats key empty, too long or bad character */
	MS_ERR_NOVALUE	= -5,	/* stats value missing */
	MS_ERR_VALUE	= -6,	/* stats value not one word, or too long */
	MS_ERR_NEGATIVE	= -7,	/* negative number where counts are expected */
	MS_ERR_RANGE	= -8,	/* number does not fit in 64 bits */
	MS_ERR_NUMBER	= -9,	/* not a decimal number */
	MS_ERR_COLUMNS	= -10,	/* hooks row without exactly six columns */
	MS_ERR_TARGET	= -11,	/* hook target too long or bad character */
	MS_ERR_MECHANISM = -12,	/* hook mechanism too long or bad character */
	MS_ERR_STATE	= -13,	/* hook state neither "armed" nor "off" */
	MS_ERR_REASON	= -14,	/* hook reason too long or bad character */
	MS_ERR_FCOLUMNS	= -15,	/* findings line with fewer than 11 columns */
	MS_ERR_KIND	= -16,	/* finding kind too long or bad character */
	MS_ERR_HEX	= -17,	/* not "0x" and hex digits */
	MS_ERR_ORDER	= -18,	/* folio order above MS_ORDER_MAX */
	MS_ERR_TYPE	= -19,	/* folio type too long or bad character */
	MS_ERR_COMM	= -20,	/* task name longer than MS_COMM_MAX */
	MS_ERR_SOURCE	= -21,	/* finding source too long or bad character */
	MS_ERR_DISAGREE	= -22,	/* scan "disagree:" line not in its format */
};

struct ms_stat {
	char key[MS_KEY_MAX + 1];
	char value[MS_VALUE_MAX + 1];	/* as written, numbers included */
	bool is_number;
	uint64_t number;		/* valid when is_number */
};

struct ms_hook_row {
	char target[MS_TARGET_MAX + 1];
	char mechanism[MS_WORD_MAX + 1];
	bool armed;
	uint64_t hits;
	uint64_t missed;
	char reason[MS_WORD_MAX + 1];	/* "-" when there is none */
};

/* One line of the findings file. */
struct ms_finding_row {
	uint64_t id;
	uint64_t time_ns;
	char kind[MS_WORD_MAX + 1];
	uint64_t pfn;
	unsigned int order;
	char type[MS_WORD_MAX + 1];
	int32_t shadow;
	int32_t live;
	int32_t pid;
	char comm[MS_COMM_MAX + 1];	/* control and non-ASCII bytes as '?' */
	char source[MS_TARGET_MAX + 1];
};

/* One "disagree:" line of the scan file. */
struct ms_disagree {
	uint64_t pfn;
	unsigned int order;
	int32_t shadow;
	int32_t live;
	int32_t level[MS_LEVELS];	/* pte, pmd, pud, hugetlb */
};

/* The finding kinds this tool knows, NULL-terminated. */
extern const char *const ms_finding_kinds[];

/*
 * Parse the @len characters at @s as an unsigned decimal number.
 * Returns MS_OK, MS_ERR_NUMBER, MS_ERR_NEGATIVE or MS_ERR_RANGE.
 */
int ms_parse_u64(const char *s, unsigned int len, uint64_t *out);

/* Parse one line of the stats file. Returns MS_OK, MS_SKIP or MS_ERR_*. */
int ms_parse_stat(const char *line, struct ms_stat *st);

/* Parse one row of the hooks file. Returns MS_OK, MS_SKIP or MS_ERR_*. */
int ms_parse_hook(const char *line, struct ms_hook_row *hook);

/*
 * Parse the @len characters at @s as a signed decimal number that fits in
 * 32 bits. Returns MS_OK, MS_ERR_NUMBER or MS_ERR_RANGE.
 */
int ms_parse_s32(const char *s, unsigned int len, int32_t *out);

/*
 * Parse the @len characters at @s as "0x" and 1 or more hex digits.
 * Returns MS_OK, MS_ERR_HEX or MS_ERR_RANGE.
 */
int ms_parse_hex(const char *s, unsigned int len, uint64_t *out);

/* Parse one line of the findings file. Returns MS_OK, MS_SKIP or MS_ERR_*. */
int ms_parse_finding(const char *line, struct ms_finding_row *f);

/*
 * Parse one "disagree:" line of the scan file (other lines are stats
 * lines). Returns MS_OK, MS_SKIP or MS_ERR_*.
 */
int ms_parse_disagree(const char *line, struct ms_disagree *d);

/*
 * Is @line the first line of a findings_detail block, "finding N: kind"?
 * Returns MS_OK and the kind in @kind, or MS_SKIP for any other line.
 */
int ms_parse_detail_header(const char *line, char kind[MS_WORD_MAX + 1]);

/* Is @kind one of ms_finding_kinds? */
bool ms_finding_kind_known(const char *kind);

/*
 * Why the module refused the control verb @verb with errno @err: a short
 * explanation, or NULL when strerror(@err) says it best.
 */
const char *ms_control_error(const char *verb, int err);

/* The same for a write of a site table to "sites". */
const char *ms_sites_error(int err);

/* What a /proc/PID/pagemap entry says of its page. */
enum ms_pagemap {
	MS_PAGEMAP_PFN,		/* present, *pfn set */
	MS_PAGEMAP_HIDDEN,	/* present, but the pfn reads 0 (not root) */
	MS_PAGEMAP_SWAPPED,	/* swapped out or a migration entry */
	MS_PAGEMAP_NONE,	/* nothing mapped there */
};

int ms_pagemap_decode(uint64_t entry, uint64_t *pfn);

/*
 * The set bits of a /proc/kpageflags word by name ("anon|lru|thp"),
 * "bitN" for unnamed ones, "-" for none; at most @len bytes with the NUL.
 */
void ms_kpageflags_names(uint64_t flags, char *buf, size_t len);

/* Short English description of an enum ms_status value. */
const char *ms_strerror(int status);

#endif /* MS_PARSE_H */
