// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the lines of the mapshadow debugfs files, see ms_parse.h.
 *
 * Validation is strict on purpose: the files are written by our own module,
 * so anything unexpected is a module bug (or a module/tool version
 * mismatch) that is better reported than half-understood.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "finding_kinds.h"
#include "ms_parse.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define HOOK_COLUMNS	6
#define FINDING_FIXED	9	/* id .. pid; then comm (1+ words) and source */
#define DISAGREE_PREFIX	"disagree:"
#define DETAIL_PREFIX	"finding "	/* the first line of a detail block */

/* The module's own list (module/finding_kinds.h), in its order. */
#define MS_FIND_NAME_(id, name, once) name,
const char *const ms_finding_kinds[] = {
	MS_FINDING_KINDS(MS_FIND_NAME_)
	NULL,
};

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

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Kernel symbols ("foo.isra.0"), tracepoints ("kmem:mm_page_free") and
 * sites ("copy_page_range+0xb8b").
 */
static bool is_target_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == ':' ||
	       c == '+';
}

/* Finding kinds and folio types: "live-unmapped", "hugetlb". */
static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
}

/* A hook target, "fork-walk", "inline-site", or "?" when unknown. */
static bool is_source_char(char c)
{
	return is_target_char(c) || c == '-' || c == '?';
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

int ms_parse_s32(const char *s, unsigned int len, int32_t *out)
{
	bool neg = len && s[0] == '-';
	uint64_t v;
	int rc;

	rc = ms_parse_u64(s + neg, len - neg, &v);
	if (rc == MS_ERR_NEGATIVE)	/* "--5" */
		return MS_ERR_NUMBER;
	if (rc)
		return rc;
	if (v > (uint64_t)INT32_MAX + neg)
		return MS_ERR_RANGE;
	*out = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
	return MS_OK;
}

int ms_parse_hex(const char *s, unsigned int len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int i;

	if (len < 3 || s[0] != '0' || s[1] != 'x' || !all_of(s + 2, len - 2, is_hex))
		return MS_ERR_HEX;
	for (i = 2; i < len; i++) {
		char c = s[i];
		unsigned int d = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;

		if (v >> 60)
			return MS_ERR_RANGE;
		v = v << 4 | d;
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

int ms_parse_hook(const char *line, struct ms_hook_row *hook)
{
	struct field f[HOOK_COLUMNS + 1];
	struct ms_hook_row tmp = { 0 };
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

static bool word_ok(const struct field *f, unsigned int max, bool (*pred)(char))
{
	return f->len <= max && all_of(f->s, f->len, pred);
}

/* Finding kinds and folio types start with a letter: "live-unmapped". */
static bool name_ok(const struct field *f)
{
	return word_ok(f, MS_WORD_MAX, is_word_char) && is_alpha(f->s[0]);
}

static unsigned int trim_end(const char *s, unsigned int len)
{
	while (len && is_blank(s[len - 1]))
		len--;
	return len;
}

/* Task names are the user's: show their odd bytes as '?', not raw. */
static void copy_printable(char *dst, const char *src, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned char c = src[i];

		dst[i] = c < 0x20 || c >= 0x7f ? '?' : c;
	}
	dst[len] = '\0';
}

/* Length checks only: a task name may hold any byte but NUL and '\n'. */
static int line_length(const char *line, unsigned int *len)
{
	size_t n = strlen(line);

	if (n && line[n - 1] == '\n')
		n--;
	if (n > MS_LINE_MAX)
		return MS_ERR_TOOLONG;
	*len = n;
	return MS_OK;
}

static int parse_order(const struct field *f, unsigned int *order)
{
	uint64_t v;
	int rc = ms_parse_u64(f->s, f->len, &v);

	if (rc)
		return rc;
	if (v > MS_ORDER_MAX)
		return MS_ERR_ORDER;
	*order = v;
	return MS_OK;
}

/* The numbers of a findings line, in their columns. */
static int parse_finding_numbers(const struct field *f, struct ms_finding_row *t)
{
	int rc;

	rc = ms_parse_u64(f[0].s, f[0].len, &t->id);
	if (!rc)
		rc = ms_parse_u64(f[1].s, f[1].len, &t->time_ns);
	if (!rc)
		rc = ms_parse_hex(f[3].s, f[3].len, &t->pfn);
	if (!rc)
		rc = parse_order(&f[4], &t->order);
	if (!rc)
		rc = ms_parse_s32(f[6].s, f[6].len, &t->shadow);
	if (!rc)
		rc = ms_parse_s32(f[7].s, f[7].len, &t->live);
	if (!rc)
		rc = ms_parse_s32(f[8].s, f[8].len, &t->pid);
	return rc;
}

int ms_parse_finding(const char *line, struct ms_finding_row *finding)
{
	struct field f[FINDING_FIXED + 1], src;
	struct ms_finding_row tmp = { 0 };
	unsigned int len, end, start, comm_len;
	int rc;

	rc = line_length(line, &len);
	if (rc)
		return rc;
	if (is_skipped(line, len))
		return MS_SKIP;

	/* The source is the last word; the task name all between it and pid. */
	end = trim_end(line, len);
	start = end;
	while (start && !is_blank(line[start - 1]))
		start--;
	src.s = line + start;
	src.len = end - start;
	if (split_fields(line, start, f, FINDING_FIXED) != FINDING_FIXED + 1)
		return MS_ERR_FCOLUMNS;
	comm_len = trim_end(line, start) - (f[FINDING_FIXED].s - line);

	rc = parse_finding_numbers(f, &tmp);
	if (rc)
		return rc;
	if (!name_ok(&f[2]))
		return MS_ERR_KIND;
	if (!name_ok(&f[5]))
		return MS_ERR_TYPE;
	if (comm_len > MS_COMM_MAX)
		return MS_ERR_COMM;
	if (!word_ok(&src, MS_TARGET_MAX, is_source_char))
		return MS_ERR_SOURCE;

	copy_field(tmp.kind, f[2].s, f[2].len);
	copy_field(tmp.type, f[5].s, f[5].len);
	copy_printable(tmp.comm, f[FINDING_FIXED].s, comm_len);
	copy_field(tmp.source, src.s, src.len);
	*finding = tmp;
	return MS_OK;
}

static const char *const disagree_keys[] = {
	"pfn", "order", "shadow", "live", "pte", "pmd", "pud", "hugetlb",
};

#define DISAGREE_COLUMNS ARRAY_SIZE(disagree_keys)

/* Is @f "key=value" for @key? Then @value is the value. */
static bool key_value(const struct field *f, const char *key, struct field *value)
{
	unsigned int n = strlen(key);

	if (f->len <= n + 1 || memcmp(f->s, key, n) || f->s[n] != '=')
		return false;
	value->s = f->s + n + 1;
	value->len = f->len - n - 1;
	return true;
}

int ms_parse_disagree(const char *line, struct ms_disagree *d)
{
	const unsigned int plen = strlen(DISAGREE_PREFIX);
	struct field f[DISAGREE_COLUMNS + 1], v[DISAGREE_COLUMNS];
	int32_t num[DISAGREE_COLUMNS];
	struct ms_disagree tmp = { 0 };
	unsigned int len, i;
	int rc;

	rc = check_line(line, &len);
	if (rc)
		return rc;
	if (is_skipped(line, len))
		return MS_SKIP;
	if (len < plen || memcmp(line, DISAGREE_PREFIX, plen) ||
	    split_fields(line + plen, len - plen, f, DISAGREE_COLUMNS) !=
	    DISAGREE_COLUMNS)
		return MS_ERR_DISAGREE;
	for (i = 0; i < DISAGREE_COLUMNS; i++)
		if (!key_value(&f[i], disagree_keys[i], &v[i]))
			return MS_ERR_DISAGREE;

	rc = ms_parse_hex(v[0].s, v[0].len, &tmp.pfn);
	for (i = 1; i < DISAGREE_COLUMNS && !rc; i++)
		rc = ms_parse_s32(v[i].s, v[i].len, &num[i]);
	if (rc)
		return rc;
	if (num[1] < 0 || num[1] > MS_ORDER_MAX)
		return MS_ERR_ORDER;
	tmp.order = num[1];
	tmp.shadow = num[2];
	tmp.live = num[3];
	for (i = 0; i < MS_LEVELS; i++)
		tmp.level[i] = num[4 + i];
	*d = tmp;
	return MS_OK;
}

int ms_parse_detail_header(const char *line, char kind[MS_WORD_MAX + 1])
{
	const unsigned int plen = strlen(DETAIL_PREFIX);
	struct field k;
	unsigned int len, i;

	if (line_length(line, &len) || len <= plen ||
	    memcmp(line, DETAIL_PREFIX, plen))
		return MS_SKIP;
	for (i = plen; i < len && is_digit(line[i]); i++)
		;
	if (i == plen || len < i + 3 || line[i] != ':' || line[i + 1] != ' ')
		return MS_SKIP;
	k.s = line + i + 2;
	k.len = len - i - 2;
	if (!name_ok(&k))
		return MS_SKIP;
	copy_field(kind, k.s, k.len);
	return MS_OK;
}

bool ms_finding_kind_known(const char *kind)
{
	const char *const *k;

	for (k = ms_finding_kinds; *k; k++)
		if (!strcmp(*k, kind))
			return true;
	return false;
}

static const char *sites_on_error(int err)
{
	switch (err) {
	case ENOENT:
		return "nothing staged (mapshadow sites FILE), or a site's function is missing";
	case EINVAL:
		return "the staged site table does not fit this kernel";
	case EILSEQ:
		return "an instruction in the kernel differs from the staged site table";
	}
	return NULL;
}

const char *ms_control_error(const char *verb, int err)
{
	if (!strcmp(verb, "sites=on") && sites_on_error(err))
		return sites_on_error(err);
	switch (err) {
	case EINVAL:
		return "unknown or malformed verb (the verbs: mapshadow help)";
	case ESRCH:
		return "no process has that pid";
	case ENOMEM:
		return "the module is out of memory";
	}
	return NULL;
}

const char *ms_sites_error(int err)
{
	switch (err) {
	case EINVAL:
		return "malformed, or not for this kernel (build id, release, field offsets)";
	case E2BIG:
		return "the table has more sites than the module takes, or an overlong line";
	case ERANGE:
		return "a number in the table is out of range";
	case ENAMETOOLONG:
		return "a name in the table is too long";
	case ENOENT:
		return "the module cannot read the kernel's build id";
	case ENOMEM:
		return "the module is out of memory";
	}
	return NULL;
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
	case MS_ERR_FCOLUMNS:	return "expected 11 columns";
	case MS_ERR_KIND:	return "bad finding kind";
	case MS_ERR_HEX:	return "not a 0x hexadecimal number";
	case MS_ERR_ORDER:	return "folio order out of range";
	case MS_ERR_TYPE:	return "bad folio type";
	case MS_ERR_COMM:	return "task name too long";
	case MS_ERR_SOURCE:	return "bad finding source";
	case MS_ERR_DISAGREE:	return "malformed disagree line";
	}
	return "unknown error";
}

int ms_pagemap_decode(uint64_t entry, uint64_t *pfn)
{
	if (entry & (1ULL << 63)) {
		*pfn = entry & ((1ULL << 55) - 1);
		return *pfn ? MS_PAGEMAP_PFN : MS_PAGEMAP_HIDDEN;
	}
	return entry & (1ULL << 62) ? MS_PAGEMAP_SWAPPED : MS_PAGEMAP_NONE;
}

/* include/uapi/linux/kernel-page-flags.h, KPF_* by bit. */
static const char *const ms_kpf_names[] = {
	"locked", "error", "referenced", "uptodate", "dirty", "lru", "active",
	"slab", "writeback", "reclaim", "buddy", "mmap", "anon", "swapcache",
	"swapbacked", "compound_head", "compound_tail", "huge", "unevictable",
	"hwpoison", "nopage", "ksm", "thp", "offline", "zero_page", "idle",
	"pgtable",
};

void ms_kpageflags_names(uint64_t flags, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int bit;

	if (!len)
		return;
	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		char one[16];
		const char *name = one;
		int n;

		if (!(flags & (1ULL << bit)))
			continue;
		if (bit < ARRAY_SIZE(ms_kpf_names))
			name = ms_kpf_names[bit];
		else
			snprintf(one, sizeof(one), "bit%u", bit);
		n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "", name);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0';
			break;
		}
		used += n;
	}
	if (!used && len > 1)
		snprintf(buf, len, "-");
}
