// SPDX-License-Identifier: GPL-2.0
/*
 * mapshadow: parser of site table lines (format in sitetable_parse.h).
 *
 * Built into the module and into the userspace unit tests
 * (tests/unit/test_sitetable_parse.c), hence no kernel API beyond
 * memcpy/memset and errno values.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "sitetable_parse.h"

/*
 * The longest line: "race", 9 fields, 4 of a pair's load and its flags;
 * one more slot to notice extra tokens.
 */
#define MS_SITE_TOKENS	15

struct ms_tok {
	const char *s;
	size_t n;
};

static const char *const ms_reg64[MS_REG_NR] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const ms_reg32[MS_REG_NR] = {
	"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp",
	"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};

static const char *const ms_reg_names[MS_REG_NR] = {
	"ax", "bx", "cx", "dx", "si", "di", "bp", "sp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const ms_counter_names[MS_CNT_NR] = {
	"mapcount", "large_mapcount", "entire_mapcount", "nr_pages_mapped",
};

static const char *const ms_word_names[MS_WORD_NR] = {
	"flags", "_flags_1", "_flags_2", "_flags_3", "page", "page+1", "page+2", "page+3",
};

static const char *const ms_shape_names[MS_RACE_NR] = {
	"rmw", "pair", "atomic",
};

static const char ms_magic[] = "# mapshadow site table v";

const char *ms_site_reg_name(enum ms_site_reg reg)
{
	return (unsigned int)reg < MS_REG_NR ? ms_reg_names[reg] : "?";
}

const char *ms_site_counter_name(enum ms_site_counter counter)
{
	return (unsigned int)counter < MS_CNT_NR ? ms_counter_names[counter] : "?";
}

const char *ms_race_word_name(enum ms_race_word word)
{
	return (unsigned int)word < MS_WORD_NR ? ms_word_names[word] : "?";
}

const char *ms_race_shape_name(enum ms_race_shape shape)
{
	return (unsigned int)shape < MS_RACE_NR ? ms_shape_names[shape] : "?";
}

static bool ms_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Does the token equal the NUL-terminated word? */
static bool tok_is(const struct ms_tok *t, const char *word)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (word[i] != t->s[i])
			return false;
	}
	return word[i] == '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "0x" and at least one hex digit, value at most max. */
static int parse_hex(const char *s, size_t n, u64 max, u64 *out)
{
	u64 v = 0;
	size_t i;

	if (n < 3 || s[0] != '0' || s[1] != 'x')
		return -EINVAL;
	for (i = 2; i < n; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -EINVAL;
		if (v > (max - d) / 16)
			return -ERANGE;
		v = v * 16 + d;
	}
	*out = v;
	return 0;
}

/* At least one decimal digit, value at most max. */
static int parse_dec(const char *s, size_t n, u64 max, u64 *out)
{
	u64 v = 0;
	size_t i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (max - (s[i] - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_u32_hex(const struct ms_tok *t, u32 *out)
{
	u64 v;
	int ret = parse_hex(t->s, t->n, 0xffffffffull, &v);

	if (!ret)
		*out = (u32)v;
	return ret;
}

/* Optional '-', then "0x..." */
static int parse_s32_hex(const struct ms_tok *t, s32 *out)
{
	bool neg = t->n && t->s[0] == '-';
	u64 v;
	int ret;

	ret = parse_hex(t->s + neg, t->n - neg, neg ? 0x80000000ull : 0x7fffffffull, &v);
	if (ret)
		return ret;
	*out = neg ? (s32)(0 - v) : (s32)v;
	return 0;
}

/* A C identifier, dots allowed after the first character. */
static int parse_name(const struct ms_tok *t, char *out)
{
	size_t i;

	if (t->n >= MS_SITE_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < t->n; i++) {
		char c = t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (i && ((c >= '0' && c <= '9') || c == '.'))))
			return -EINVAL;
	}
	memcpy(out, t->s, t->n);
	out[t->n] = '\0';
	return 0;
}

static int parse_reg(const struct ms_tok *t, enum ms_site_reg *reg, u8 *width)
{
	int i;

	for (i = 0; i < MS_REG_NR; i++) {
		if (tok_is(t, ms_reg64[i])) {
			*reg = i;
			*width = 64;
			return 0;
		}
		if (tok_is(t, ms_reg32[i])) {
			*reg = i;
			*width = 32;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_counter(const struct ms_tok *t, enum ms_site_counter *counter)
{
	int i;

	for (i = 0; i < MS_CNT_NR; i++) {
		if (tok_is(t, ms_counter_names[i])) {
			*counter = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Hex digit pairs, no prefix: the instruction bytes and the build id. */
static int parse_bytes(const struct ms_tok *t, u8 *out, size_t max, u8 *len)
{
	size_t i;

	if (t->n > 2 * max)
		return -ENAMETOOLONG;
	if (!t->n || t->n % 2)
		return -EINVAL;
	for (i = 0; i < t->n; i += 2) {
		int hi = hex_digit(t->s[i]), lo = hex_digit(t->s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (u8)(hi << 4 | lo);
	}
	*len = (u8)(t->n / 2);
	return 0;
}

/* +N, -N, reg:NAME, -reg:NAME */
static int parse_delta(const struct ms_tok *t, struct ms_site_delta *d)
{
	struct ms_tok rest;
	bool neg;
	u64 v;
	int ret;

	if (!t->n)
		return -EINVAL;
	neg = t->s[0] == '-';
	rest.s = t->s + neg;
	rest.n = t->n - neg;
	if (rest.n > 4 && !memcmp(rest.s, "reg:", 4)) {
		rest.s += 4;
		rest.n -= 4;
		d->kind = MS_DELTA_REG;
		d->negate = neg;
		return parse_reg(&rest, &d->reg, &d->width);
	}
	if (!neg && t->s[0] != '+')
		return -EINVAL;
	rest.s = t->s + 1;
	rest.n = t->n - 1;
	ret = parse_dec(rest.s, rest.n, neg ? 0x80000000ull : 0x7fffffffull, &v);
	if (ret)
		return ret;
	d->kind = MS_DELTA_CONST;
	d->value = neg ? (s32)(0 - v) : (s32)v;
	return 0;
}

/* Comma list of names[i] (flag values[i]), each at most once. */
static int parse_flag_list(const struct ms_tok *t, const char *const *names,
			   const u32 *values, int n, u32 *flags)
{
	struct ms_tok item;
	size_t i = 0, start;
	int f;

	*flags = 0;
	while (i <= t->n) {
		start = i;
		while (i < t->n && t->s[i] != ',')
			i++;
		item.s = t->s + start;
		item.n = i - start;
		for (f = 0; f < n && !tok_is(&item, names[f]); f++)
			;
		if (f == n || (*flags & values[f]))
			return -EINVAL;
		*flags |= values[f];
		i++;	/* past the comma, or past the end */
	}
	return 0;
}

/* Site flags: page and unsure exclude each other. */
static int parse_flags(const struct ms_tok *t, u32 *flags)
{
	static const char *const names[] = { "ambiguous", "ool", "page", "unsure" };
	static const u32 values[] = {
		MS_SITE_F_AMBIGUOUS, MS_SITE_F_OOL, MS_SITE_F_PAGE, MS_SITE_F_UNSURE,
	};
	int ret = parse_flag_list(t, names, values, ARRAY_SIZE(names), flags);

	if (!ret && (*flags & MS_SITE_F_PAGE) && (*flags & MS_SITE_F_UNSURE))
		return -EINVAL;
	return ret;
}

static int parse_site(const struct ms_tok *tok, int ntok, struct ms_site *s)
{
	int ret;

	if (ntok != 9 && ntok != 10)
		return -EINVAL;
	ret = parse_name(&tok[1], s->function);
	if (!ret)
		ret = parse_u32_hex(&tok[2], &s->offset);
	if (!ret)
		ret = parse_bytes(&tok[3], s->bytes, MS_SITE_INSN_MAX, &s->nbytes);
	if (!ret)
		ret = parse_reg(&tok[4], &s->base, &s->base_width);
	if (!ret)
		ret = parse_s32_hex(&tok[5], &s->disp);
	if (!ret)
		ret = parse_counter(&tok[6], &s->counter);
	if (!ret)
		ret = parse_delta(&tok[7], &s->delta);
	if (!ret)
		ret = parse_name(&tok[8], s->helper);
	if (!ret && ntok == 10)
		ret = parse_flags(&tok[9], &s->flags);
	/* Per-page or not is a question for page->_mapcount only. */
	if (!ret && s->counter != MS_CNT_MAPCOUNT &&
	    (s->flags & (MS_SITE_F_PAGE | MS_SITE_F_UNSURE)))
		ret = -EINVAL;
	return ret;
}

/* One of names[0..n) exactly: its index, else -EINVAL. */
static int parse_enum(const struct ms_tok *t, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (tok_is(t, names[i]))
			return i;
	}
	return -EINVAL;
}

static int parse_race_flags(const struct ms_tok *t, u32 *flags)
{
	static const char *const names[] = { "ambiguous", "guess" };
	static const u32 values[] = { MS_RACE_F_AMBIGUOUS, MS_RACE_F_GUESS };

	return parse_flag_list(t, names, values, ARRAY_SIZE(names), flags);
}

/* 0xOFFSET BYTES BASEREG DISP: one instruction of a race line. */
static int parse_race_insn(const struct ms_tok *tok, struct ms_race_insn *in)
{
	int ret = parse_u32_hex(&tok[0], &in->offset);

	if (!ret)
		ret = parse_bytes(&tok[1], in->bytes, MS_SITE_INSN_MAX, &in->nbytes);
	if (!ret)
		ret = parse_reg(&tok[2], &in->base, &in->base_width);
	if (!ret)
		ret = parse_s32_hex(&tok[3], &in->disp);
	return ret;
}

/*
 * race FUNCTION 0xOFFSET BYTES BASEREG DISP WORD BITS HELPER SHAPE
 *      [0xLOADOFFSET LOADBYTES LOADBASEREG LOADDISP] [FLAGS]
 */
static int parse_race(const struct ms_tok *tok, int ntok, struct ms_race *r)
{
	int ret, extra;
	u64 bits;

	if (ntok < 10)
		return -EINVAL;
	ret = parse_name(&tok[1], r->function);
	if (!ret)
		ret = parse_race_insn(&tok[2], &r->write);
	if (ret)
		return ret;
	ret = parse_enum(&tok[6], ms_word_names, MS_WORD_NR);
	if (ret < 0)
		return ret;
	r->word = ret;
	if (tok_is(&tok[7], "unknown")) {
		r->bits_known = false;
	} else {
		ret = parse_hex(tok[7].s, tok[7].n, ~0ull, &bits);
		if (ret)
			return ret;
		r->bits_known = true;
		r->bits = bits;
	}
	ret = parse_name(&tok[8], r->helper);
	if (ret)
		return ret;
	ret = parse_enum(&tok[9], ms_shape_names, MS_RACE_NR);
	if (ret < 0)
		return ret;
	r->shape = ret;
	extra = r->shape == MS_RACE_PAIR ? 4 : 0;
	if (ntok != 10 + extra && ntok != 11 + extra)
		return -EINVAL;
	if (extra) {
		ret = parse_race_insn(&tok[10], &r->load);
		if (ret)
			return ret;
	}
	if (ntok == 11 + extra) {
		ret = parse_race_flags(&tok[10 + extra], &r->flags);
		if (ret)
			return ret;
	}
	/* A lock prefix makes an instruction atomic, not an rmw race. */
	if (r->shape == MS_RACE_RMW && r->write.bytes[0] == 0xf0)
		return -EINVAL;
	return 0;
}

/* "# mapshadow site table vN": MS_SITE_MAGIC, else a comment. */
static int parse_comment(const char *line, size_t len, struct ms_site_line *out)
{
	size_t m = sizeof(ms_magic) - 1;
	u64 v;

	if (len < m || memcmp(line, ms_magic, m))
		return MS_SITE_SKIP;
	if (parse_dec(line + m, len - m, 0xffffffffull, &v) || !v)
		return -EINVAL;
	out->version = (u32)v;
	return MS_SITE_MAGIC;
}

static int parse_line(const char *line, size_t len, struct ms_site_line *out)
{
	struct ms_tok tok[MS_SITE_TOKENS + 1];
	int ntok = 0, ret;
	size_t i;

	if (len && line[len - 1] == '\n')
		len--;
	if (len > MS_SITE_LINE_MAX)
		return -E2BIG;
	for (i = 0; i < len; i++) {
		if (line[i] != '\t' && (line[i] < 0x20 || line[i] > 0x7e))
			return -EINVAL;
	}

	for (i = 0; i < len && ms_blank(line[i]); i++)
		;
	if (i == len)
		return MS_SITE_SKIP;
	if (line[i] == '#')
		return i ? MS_SITE_SKIP : parse_comment(line, len, out);
	if (i)
		return -EINVAL;	/* no indented directives */

	while (i < len) {
		if (ntok == MS_SITE_TOKENS + 1)
			return -EINVAL;
		tok[ntok].s = line + i;
		while (i < len && !ms_blank(line[i]))
			i++;
		tok[ntok].n = line + i - tok[ntok].s;
		ntok++;
		while (i < len && ms_blank(line[i]))
			i++;
	}

	if (tok_is(&tok[0], "site")) {
		ret = parse_site(tok, ntok, &out->site);
		return ret ? ret : MS_SITE_SITE;
	}
	if (tok_is(&tok[0], "race")) {
		ret = parse_race(tok, ntok, &out->race);
		return ret ? ret : MS_SITE_RACE;
	}
	if (tok_is(&tok[0], "word")) {
		if (ntok != 3)
			return -EINVAL;
		ret = parse_enum(&tok[1], ms_word_names, MS_WORD_NR);
		if (ret < 0)
			return ret;
		out->word.word = ret;
		ret = parse_u32_hex(&tok[2], &out->word.offset);
		return ret ? ret : MS_SITE_WORD;
	}
	if (tok_is(&tok[0], "field")) {
		if (ntok != 3)
			return -EINVAL;
		ret = parse_counter(&tok[1], &out->field.counter);
		if (!ret)
			ret = parse_u32_hex(&tok[2], &out->field.offset);
		return ret ? ret : MS_SITE_FIELD;
	}
	if (tok_is(&tok[0], "build-id")) {
		if (ntok != 2)
			return -EINVAL;
		ret = parse_bytes(&tok[1], out->build_id.id, MS_SITE_BUILD_ID_MAX,
				  &out->build_id.len);
		return ret ? ret : MS_SITE_BUILD_ID;
	}
	if (tok_is(&tok[0], "release")) {
		if (ntok != 2)
			return -EINVAL;
		if (tok[1].n >= MS_SITE_RELEASE_MAX)
			return -ENAMETOOLONG;
		memcpy(out->release, tok[1].s, tok[1].n);
		out->release[tok[1].n] = '\0';
		return MS_SITE_RELEASE;
	}
	return -EINVAL;
}

int ms_site_parse_line(const char *line, size_t len, struct ms_site_line *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = parse_line(line, len, out);
	if (ret < 0)
		memset(out, 0, sizeof(*out));
	else
		out->kind = ret;
	return ret;
}
