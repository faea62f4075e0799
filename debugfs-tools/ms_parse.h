/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of the lines of the mapshadow debugfs files.
 *
 * Pure functions, no I/O, so the unit tests can feed them any line. A line
 * is a NUL-terminated string; one trailing '\n' is allowed and ignored.
 *
 *   stats:  "key: value"   value is an unsigned decimal number or one word
 *   hooks:  "target mechanism state hits missed reason"
 *           state is "armed" or "off", hits and missed unsigned decimal
 *           numbers, reason "-" (none) or one word
 *
 * In both files, blank lines and lines whose first non-blank character is
 * '#' (the hooks header) are reported as MS_SKIP.
 */
#ifndef MS_PARSE_H
#define MS_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#define MS_LINE_MAX	256	/* longest accepted line, '\n' excluded */
#define MS_KEY_MAX	63	/* stats key */
#define MS_VALUE_MAX	63	/* stats value */
#define MS_TARGET_MAX	127	/* hook target: kernel symbol or tracepoint */
#define MS_WORD_MAX	31	/* hook mechanism and reason */

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
};

struct ms_stat {
	char key[MS_KEY_MAX + 1];
	char value[MS_VALUE_MAX + 1];	/* as written, numbers included */
	bool is_number;
	uint64_t number;		/* valid when is_number */
};

struct ms_hook {
	char target[MS_TARGET_MAX + 1];
	char mechanism[MS_WORD_MAX + 1];
	bool armed;
	uint64_t hits;
	uint64_t missed;
	char reason[MS_WORD_MAX + 1];	/* "-" when there is none */
};

/*
 * Parse the @len characters at @s as an unsigned decimal number.
 * Returns MS_OK, MS_ERR_NUMBER, MS_ERR_NEGATIVE or MS_ERR_RANGE.
 */
int ms_parse_u64(const char *s, unsigned int len, uint64_t *out);

/* Parse one line of the stats file. Returns MS_OK, MS_SKIP or MS_ERR_*. */
int ms_parse_stat(const char *line, struct ms_stat *st);

/* Parse one row of the hooks file. Returns MS_OK, MS_SKIP or MS_ERR_*. */
int ms_parse_hook(const char *line, struct ms_hook *hook);

/* Short English description of an enum ms_status value. */
const char *ms_strerror(int status);

#endif /* MS_PARSE_H */
