// SPDX-License-Identifier: GPL-2.0
/*
 * The program text format: parse a file into struct rt_op, print one back.
 *
 * One operation a line, "pN VERB ARGS..."; '#' starts a comment; the
 * grammar is in README.md.  Each verb's arguments are described by a
 * signature string (below), which both the parser and the printer walk,
 * plus an optional tail for the few verbs that have one.  Besides the
 * syntax, the parser checks the structure: a process runs operations only
 * after a fork created it and not after its exit or exec, a process
 * number is forked again only after its process ended, every handle is
 * created (by map or mremap) once, and a new range of mremap fits in its
 * handle's slot (rt.h: fixed over the next one would unmap what is there).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msfuzz.h"

/*
 * Arguments: H handle, h second handle, o +offset, O second +offset,
 * l length, L second length, P process, T type, A advice, R protection,
 * n node, i number.
 */
static const char * const pg_sig[RT_V_NR] = {
	[RT_V_MAP] = "HTl",	[RT_V_MUNMAP] = "Hol",	[RT_V_MPROTECT] = "HolR",
	[RT_V_MADVISE] = "HolA", [RT_V_MREMAP] = "HolL", [RT_V_MLOCK] = "Hol",
	[RT_V_MUNLOCK] = "Hol",	[RT_V_WRITE] = "Hol",	[RT_V_READ] = "Hol",
	[RT_V_FORK] = "P",	[RT_V_EXIT] = "",	[RT_V_EXEC] = "",
	[RT_V_PMADVISE] = "PHolA", [RT_V_MIGRATE] = "PHoln", [RT_V_MBIND] = "Hol",
	[RT_V_UFFD_COPY] = "Hol", [RT_V_UFFD_ZERO] = "Hol", [RT_V_UFFD_MOVE] = "HohOl",
	[RT_V_PUNCH] = "Hol",	[RT_V_TRUNCATE] = "Hl",	[RT_V_SPLIT] = "PHol",
	[RT_V_COMPACT] = "",	[RT_V_DROPCACHES] = "i", [RT_V_SLEEP] = "i",
	[RT_V_INJECT] = "Ho",
};

static const char * const pg_mremap_modes[] = { "inplace", "maymove", "fixed", "dontunmap" };

struct pg_state {
	const char *file;
	int line;
	unsigned char born[RT_MAXPROC];	/* 1 forked, 2 exited */
	unsigned char made[RT_MAXH];
};

void ms_size(char *buf, size_t size, unsigned long v)
{
	if (v && !(v & ((1UL << 30) - 1)))
		snprintf(buf, size, "%luG", v >> 30);
	else if (v && !(v & ((1UL << 20) - 1)))
		snprintf(buf, size, "%luM", v >> 20);
	else if (v && !(v & ((1UL << 10) - 1)))
		snprintf(buf, size, "%luK", v >> 10);
	else if (v < 10)
		snprintf(buf, size, "%lu", v);
	else
		snprintf(buf, size, "0x%lx", v);
}

/* Decimal or 0x hex, then K, M or G; nothing else. */
static bool pg_num(const char *s, unsigned long *v)
{
	unsigned long shift = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, s[0] == '0' && s[1] == 'x' ? 16 : 10);
	if (errno)
		return false;
	if (*end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (*end || *v > RT_SLOT >> shift)
		return false;
	*v <<= shift;
	return true;
}

static bool pg_prefixed(const char *s, char c, unsigned long max, unsigned long *v)
{
	return s[0] == c && pg_num(s + 1, v) && *v <= max;
}

static int pg_err(struct pg_state *st, const char *fmt, const char *what)
{
	fprintf(stderr, "%s:%d: ", st->file, st->line);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	return -1;
}

/* One argument of kind @k from @s into @op. */
static bool pg_arg(char k, const char *s, struct rt_op *op)
{
	unsigned long v;
	int i;

	switch (k) {
	case 'H': case 'h':
		if (!pg_prefixed(s, 'm', RT_MAXH - 1, &v) || !v)
			return false;
		*(k == 'H' ? &op->h : &op->h2) = v;
		return true;
	case 'P':
		if (!pg_prefixed(s, 'p', RT_MAXPROC - 1, &v))
			return false;
		op->proc2 = v;
		return true;
	case 'o': case 'O':
		if (!pg_prefixed(s, '+', RT_SLOT, &v))
			return false;
		*(k == 'o' ? &op->off : &op->off2) = v;
		return true;
	case 'l': case 'L':
		/* map's comes after its type, which sets its longest (rt.h). */
		if (!pg_num(s, &v) || v > (op->verb == RT_V_MAP ? rt_maxlen(op->type) : RT_SLOT))
			return false;
		*(k == 'l' ? &op->len : &op->len2) = v;
		return true;
	case 'T':
		i = ms_lookup(ms_type_names, RT_T_NR, s);
		op->type = i;
		return i >= 0;
	case 'A':
		op->arg = ms_advice_value(s);
		return op->arg >= 0;
	case 'R':
		op->arg = ms_prot_value(s);
		return op->arg >= 0;
	case 'n': case 'i':
		if (!pg_num(s, &v) || v > (k == 'n' ? 63 : 100000))
			return false;
		op->arg = v;
		return true;
	}
	return false;
}

/* The optional or special words after the signature's arguments. */
static bool pg_tail(struct rt_op *op, char **w, int n)
{
	unsigned long v;
	int m;

	switch (op->verb) {
	case RT_V_MAP:
		if (n == 1 && !strcmp(w[0], "shared"))
			op->flags = RT_F_SHARED;
		else if (n == 1 && !strcmp(w[0], "private"))
			op->flags = RT_F_PRIVATE;
		return n == 0 || op->flags;
	case RT_V_MREMAP:
		if (!n)
			return true;
		m = ms_lookup(pg_mremap_modes, 4, w[0]);
		if (m <= 0 || n < 2 || !pg_arg('h', w[1], op))
			return false;
		op->flags = m << RT_MR_SHIFT;
		if (n == 3 && m != RT_MR_MAYMOVE)
			return pg_arg('O', w[2], op);
		return n == 2;
	case RT_V_MLOCK:
		if (n == 1 && !strcmp(w[0], "onfault"))
			op->flags = RT_F_ONFAULT;
		return n == 0 || op->flags;
	case RT_V_WRITE:
		if (!n)
			return true;
		if (n > 1 || !pg_num(w[0], &v) || !v || v > 255)
			return false;
		op->arg = v;
		return true;
	case RT_V_MBIND:
		if (n == 1 && !strcmp(w[0], "default")) {
			op->flags = RT_F_DEFAULT;
			return true;
		}
		return n == 1 && pg_arg('n', w[0], op);
	case RT_V_INJECT:
		op->arg = n == 1 ? ms_lookup(rt_inject_modes, RT_INJECT_NR, w[0]) : -1;
		return op->arg >= 0;
	case RT_V_SPLIT:
		if (n == 1 && pg_arg('i', w[0], op)) {
			op->flags = RT_F_ORDER;
			return true;
		}
		return n == 0;
	}
	return n == 0;
}

/* Structure: processes exist when they run, handles are made once, in their slots. */
static int pg_check(struct pg_state *st, const struct rt_op *op, const char *line)
{
	int mode = op->verb == RT_V_MREMAP ? op->flags >> RT_MR_SHIFT : RT_MR_INPLACE;
	bool makes = op->verb == RT_V_MAP || mode;
	int h = op->verb == RT_V_MAP ? op->h : op->h2;

	if (st->born[op->proc] != 1)
		return pg_err(st, st->born[op->proc] ? "process ended before: %s" :
			      "process not forked yet: %s", line);
	if (op->verb == RT_V_FORK) {
		if (!op->proc2 || st->born[op->proc2] == 1)
			return pg_err(st, "process number in use: %s", line);
		st->born[op->proc2] = 1;
	}
	if (op->verb == RT_V_EXIT || op->verb == RT_V_EXEC)
		st->born[op->proc] = 2;
	if (makes) {
		if (st->made[h])
			return pg_err(st, "handle made twice: %s", line);
		st->made[h] = 1;
	}
	if ((mode == RT_MR_FIXED || mode == RT_MR_DONTUNMAP) && op->off2 + op->len2 > RT_SLOT)
		return pg_err(st, "new range leaves its slot: %s", line);
	return 0;
}

static int pg_line(struct pg_state *st, char *line, struct rt_op *op)
{
	char *w[16], *save = NULL, *t, copy[MS_LINE_MAX * 2];
	const char *sig;
	unsigned long v;
	int n = 0, i;

	snprintf(copy, sizeof(copy), "%s", line);
	for (t = strtok_r(line, " \t", &save); t && n < 16; t = strtok_r(NULL, " \t", &save)) {
		if (*t == '#')
			break;
		w[n++] = t;
	}
	if (!n)
		return 0;
	memset(op, 0, sizeof(*op));
	if (n < 2 || !pg_prefixed(w[0], 'p', RT_MAXPROC - 1, &v))
		return pg_err(st, "expected \"pN VERB ...\": %s", copy);
	op->proc = v;
	i = ms_lookup(ms_verb_names, RT_V_NR, w[1]);
	if (i <= 0)
		return pg_err(st, "unknown operation: %s", copy);
	op->verb = i;
	sig = pg_sig[i];
	if (n - 2 < (int)strlen(sig))
		return pg_err(st, "too few arguments: %s", copy);
	for (i = 0; sig[i]; i++)
		if (!pg_arg(sig[i], w[2 + i], op))
			return pg_err(st, "bad argument: %s", copy);
	if (!pg_tail(op, w + 2 + i, n - 2 - i))
		return pg_err(st, "bad arguments at the end: %s", copy);
	if (pg_check(st, op, copy))
		return -1;
	return 1;
}

void prog_free(struct prog *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free((char *)p->ops[i].text);
	free(p->ops);
	free(p->header);
	memset(p, 0, sizeof(*p));
}

int prog_load(struct prog *p, const char *path)
{
	struct pg_state st = { .file = path, .born = { 1 } };
	char line[MS_LINE_MAX * 2], text[MS_LINE_MAX];
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int r = 0;

	memset(p, 0, sizeof(*p));
	if (!f) {
		fprintf(stderr, "msfuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (r >= 0 && fgets(line, sizeof(line), f)) {
		st.line++;
		line[strcspn(line, "\r\n")] = 0;
		if (!p->header && !p->n && !strncmp(line, "# msfuzz", 8)) {
			p->header = strdup(line);
			continue;
		}
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 64;
			p->ops = realloc(p->ops, p->cap * sizeof(*p->ops));
			if (!p->ops)
				return pg_err(&st, "%s", "out of memory");
		}
		r = pg_line(&st, line, &p->ops[p->n]);
		if (r > 0) {
			prog_format(&p->ops[p->n], text, sizeof(text));
			p->ops[p->n++].text = strdup(text);
		}
	}
	if (f != stdin)
		fclose(f);
	if (r < 0)
		prog_free(p);
	return r < 0 ? -1 : 0;
}

/* Append argument @k of @op to @buf at @pos. */
static int pg_put(char *buf, size_t size, int pos, char k, const struct rt_op *op)
{
	char s[32];

	switch (k) {
	case 'H': case 'h':
		return pos + snprintf(buf + pos, size - pos, " m%d", k == 'H' ? op->h : op->h2);
	case 'P':
		return pos + snprintf(buf + pos, size - pos, " p%d", op->proc2);
	case 'o': case 'O':
		ms_size(s, sizeof(s), k == 'o' ? op->off : op->off2);
		return pos + snprintf(buf + pos, size - pos, " +%s", s);
	case 'l': case 'L':
		ms_size(s, sizeof(s), k == 'l' ? op->len : op->len2);
		return pos + snprintf(buf + pos, size - pos, " %s", s);
	case 'T':
		return pos + snprintf(buf + pos, size - pos, " %s", ms_type_names[op->type]);
	case 'A':
		return pos + snprintf(buf + pos, size - pos, " %s", ms_advice_name(op->arg));
	case 'R':
		return pos + snprintf(buf + pos, size - pos, " %s", ms_prot_name(op->arg));
	}
	return pos + snprintf(buf + pos, size - pos, " %d", op->arg);
}

void prog_format(const struct rt_op *op, char *buf, size_t size)
{
	const char *sig = pg_sig[op->verb];
	int pos, mode = op->flags >> RT_MR_SHIFT;
	char s[32];

	pos = snprintf(buf, size, "p%d %s", op->proc, ms_verb_names[op->verb]);
	for (; *sig && pos < (int)size; sig++)
		pos = pg_put(buf, size, pos, *sig, op);
	if (pos >= (int)size)
		return;
	switch (op->verb) {
	case RT_V_MAP:
		if (op->flags)
			snprintf(buf + pos, size - pos, " %s",
				 op->flags & RT_F_SHARED ? "shared" : "private");
		break;
	case RT_V_MREMAP:
		if (!mode)
			break;
		pos += snprintf(buf + pos, size - pos, " %s m%d", pg_mremap_modes[mode], op->h2);
		ms_size(s, sizeof(s), op->off2);
		if (op->off2 && pos < (int)size)
			snprintf(buf + pos, size - pos, " +%s", s);
		break;
	case RT_V_MLOCK:
		if (op->flags & RT_F_ONFAULT)
			snprintf(buf + pos, size - pos, " onfault");
		break;
	case RT_V_WRITE:
		if (op->arg)
			snprintf(buf + pos, size - pos, " %d", op->arg);
		break;
	case RT_V_MBIND:
		if (op->flags & RT_F_DEFAULT)
			snprintf(buf + pos, size - pos, " default");
		else
			snprintf(buf + pos, size - pos, " %d", op->arg);
		break;
	case RT_V_SPLIT:
		if (op->flags & RT_F_ORDER)
			snprintf(buf + pos, size - pos, " %d", op->arg);
		break;
	case RT_V_INJECT:
		snprintf(buf + pos, size - pos, " %s", rt_inject_modes[op->arg]);
		break;
	}
}

int prog_write(const struct prog *p, const bool *keep, FILE *f)
{
	int i;

	if (p->header)
		fprintf(f, "%s\n", p->header);
	for (i = 0; i < p->n; i++)
		if (!keep || keep[i])
			fprintf(f, "%s\n", p->ops[i].text);
	return fflush(f) || ferror(f) ? -1 : 0;
}
