/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msfuzz: random programs of mm syscalls, for mapshadow to judge.
 *
 * The program text format (README.md) is parsed into and printed from
 * struct rt_op lists (prog.c); gen.c writes random programs, emit.c C
 * reproducers, min.c shrinks a failing program.  What runs a program is
 * the runtime, rt.h.
 */
#ifndef MSFUZZ_H
#define MSFUZZ_H

#include <stdio.h>

#include "rt.h"

#define MS_LINE_MAX	256

struct prog {
	char *header;		/* its "# msfuzz ..." line, or NULL */
	struct rt_op *ops;	/* ops[i].text: the canonical line */
	int n, cap;
};

/* names.c: the text names of verbs, types, advice and protections. */
extern const char * const ms_verb_names[RT_V_NR];
extern const char * const ms_type_names[RT_T_NR];
int ms_lookup(const char * const *names, int n, const char *s);
const char *ms_advice_name(int value);
int ms_advice_value(const char *name);
const char *ms_prot_name(int prot);
int ms_prot_value(const char *name);
void ms_enum_name(char *buf, size_t size, const char *prefix, const char *name);

/* prog.c */
int prog_load(struct prog *p, const char *path);
void prog_free(struct prog *p);
void prog_format(const struct rt_op *op, char *buf, size_t size);
/* Print the header and the ops whose @keep is true (all if @keep is NULL). */
int prog_write(const struct prog *p, const bool *keep, FILE *f);
void ms_size(char *buf, size_t size, unsigned long v);

/* gen.c */
struct gen_opts {
	__u64 seed;
	int nops, maxprocs;
	unsigned long maxmem;
	bool hwpoison, dax, shmem_huge, hugetlb_1g, dax_1g;
};

int gen_program(const struct gen_opts *o, FILE *out);

/* emit.c */
extern const char msfuzz_rt_src[];	/* the runtime's source (Makefile) */
int emit_c(const struct prog *p, const char *name, FILE *out);

/* min.c */
int min_program(const struct prog *p, char **cmd, FILE *out);

#endif /* MSFUZZ_H */
