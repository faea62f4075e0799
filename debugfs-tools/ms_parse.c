// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the lines of the mapshadow debugfs files, see ms_parse.h.
 *
 * Validation is strict on purpose: the files are written by our own module,
 * so anything unexpected is a module bug (or a module/tool version
 * mismatch) that is better reported than half-understood.
 */
#include <string.h>

#include "ms_parse.h"

#define HOOK_COLUMNS	6

/* ASCII only: the files are ASCII and the tool must not depend on locale. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_key_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.';
}

/* Kernel symbols ("foo.isra.0") and tracepoints ("kmem:mm_page_free"). */
static bool is_target_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == ':';
}

static bool is_mechanism_char(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
}

static bool is_reason_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.' ||
	       c == ':' || c == '+';
}

static bool all_of(const char *s, unsigned int len, bool (*pred)(char))
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (!pred(s[i]))
			return false;
	return true;
}

/*
 * Common checks of a raw line: returns its length without the optional
 * trailing '\n' in @len, or an error for overlong lines and for characters
 * that never appear in the files (control characters other than tab,
 * DEL, bytes >= 0x80).
 */
static int check_line(const char *line, unsigned int *len)
{
	size_t n = strlen(line);
	size_t i;

	if (n && line[n - 1] == '\n')
		n--;
	if (n > MS_LINE_MAX)
		return MS_ERR_TOOLONG;
	for (i = 0; i < n; i++) {
		unsigned char c = line[i];

		if (c >= 0x7f || (c < 0x20 && c != '\t'))
			return MS_ERR_CHAR;
	}
	*len = n;
	return MS_OK;
}

static bool is_skipped(const char *line, unsigned int len)
{
	unsigned int i = 0;

	while (i < len && is_blank(line[i]))
		i++;
	return i == len || line[i] == '#';
}

/* @dst must hold @len + 1 bytes; callers check @len against its size. */
static void copy_field(char *dst, const char *src, unsigned int len)
{
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int ms_parse_u64(const char *s, unsigned int len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int i;

	if (len >= 2 && s[0] == '-' && all_of(s + 1, len - 1, is_digit))
		return MS_ERR_NEGATIVE;
	if (!len || !all_of(s, len, is_digit))
		return MS_ERR_NUMBER;
	for (i = 0; i < len; i++) {
		unsigned int d = s[i] - '0';

		if (v > (UINT64_MAX - d) / 10)
			return MS_ERR_RANGE;
		v = v * 10 + d;
	}
	*out = v;
	return MS_OK;
}

int ms_parse_stat(const char *line, struct ms_stat *st)
{
	unsigned int len, key_len, start, end, i;
	struct ms_stat tmp = { 0 };
	const char *colon;
	int rc;

	rc = check_line(line, &len);
	if (rc)
		return rc;
	if (is_skipped(line, len))
		return MS_SKIP;

	colon = memchr(line, ':', len);
	if (!colon)
		return MS_ERR_NOCOLON;
	key_len = colon - line;
	if (!key_len || key_len > MS_KEY_MAX || !is_alpha(line[0]) ||
	    !all_of(line, key_len, is_key_char))
		return MS_ERR_KEY;

	/* The value: what is left between the blanks after ':' and at the end. */
	start = key_len + 1;
	while (start < len && is_blank(line[start]))
		start++;
	end = len;
	while (end > start && is_blank(line[end - 1]))
		end--;
	if (start == end)
		return MS_ERR_NOVALUE;
	if (end - start > MS_VALUE_MAX)
		return MS_ERR_VALUE;
	for (i = start; i < end; i++)
		if (is_blank(line[i]))
			return MS_ERR_VALUE;

	rc = ms_parse_u64(line + start, end - start, &tmp.number);
	/* Starting with a digit does not make a number: "0.1.0" is a word. */
	if (rc == MS_ERR_NEGATIVE || rc == MS_ERR_RANGE)
		return rc;
	tmp.is_number = rc == MS_OK;
	copy_field(tmp.key, line, key_len);
	copy_field(tmp.value, line + start, end - start);
	*st = tmp;
	return MS_OK;
}

struct field {
	const char *s;
	unsigned int len;
};

/* Split on blanks; returns the count, which is capped at @max + 1. */
static unsigned int split_fields(const char *line, unsigned int len,
				 struct field *f, unsigned int max)
{
	unsigned int i = 0, n = 0;

	while (n <= max) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			break;
		f[n].s = line + i;
		while (i < len && !is_blank(line[i]))
			i++;
		f[n].len = line + i - f[n].s;
		n++;
	}
	return n;
}

static bool field_is(const struct field *f, const char *word)
{
	return f->len == strlen(word) && !memcmp(f->s, word, f->len);
}

int ms_parse_hook(const char *line, struct ms_hook *hook)
{
	struct field f[HOOK_COLUMNS + 1];
	struct ms_hook tmp = { 0 };
	unsigned int len;
	int rc;

	rc = check_line(line, &len);
	if (rc)
		return rc;
	if (is_skipped(line, len))
		return MS_SKIP;
	if (split_fields(line, len, f, HOOK_COLUMNS) != HOOK_COLUMNS)
		return MS_ERR_COLUMNS;

	if (f[0].len > MS_TARGET_MAX || !(is_alpha(f[0].s[0]) || f[0].s[0] == '_') ||
	    !all_of(f[0].s, f[0].len, is_target_char))
		return MS_ERR_TARGET;
	if (f[1].len > MS_WORD_MAX || !is_alpha(f[1].s[0]) ||
	    !all_of(f[1].s, f[1].len, is_mechanism_char))
		return MS_ERR_MECHANISM;
	if (field_is(&f[2], "armed"))
		tmp.armed = true;
	else if (!field_is(&f[2], "off"))
		return MS_ERR_STATE;
	rc = ms_parse_u64(f[3].s, f[3].len, &tmp.hits);
	if (rc)
		return rc;
	rc = ms_parse_u64(f[4].s, f[4].len, &tmp.missed);
	if (rc)
		return rc;
	if (f[5].len > MS_WORD_MAX || !all_of(f[5].s, f[5].len, is_reason_char))
		return MS_ERR_REASON;

	copy_field(tmp.target, f[0].s, f[0].len);
	copy_field(tmp.mechanism, f[1].s, f[1].len);
	copy_field(tmp.reason, f[5].s, f[5].len);
	*hook = tmp;
	return MS_OK;
}

const char *ms_strerror(int status)
{
	switch (status) {
	case MS_OK:		return "ok";
	case MS_SKIP:		return "blank or comment line";
	case MS_ERR_TOOLONG:	return "line too long";
	case MS_ERR_CHAR:	return "unexpected control or non-ASCII character";
	case MS_ERR_NOCOLON:	return "missing ':'";
	case MS_ERR_KEY:	return "bad key";
	case MS_ERR_NOVALUE:	return "missing value";
	case MS_ERR_VALUE:	return "value is not one short word";
	case MS_ERR_NEGATIVE:	return "negative number";
	case MS_ERR_RANGE:	return "number out of range";
	case MS_ERR_NUMBER:	return "not a decimal number";
	case MS_ERR_COLUMNS:	return "expected 6 columns";
	case MS_ERR_TARGET:	return "bad hook target";
	case MS_ERR_MECHANISM:	return "bad hook mechanism";
	case MS_ERR_STATE:	return "hook state is neither armed nor off";
	case MS_ERR_REASON:	return "bad hook reason";
	}
	return "unknown error";
}
