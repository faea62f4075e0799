/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generator's insides, shared by gen.c (the model of the program so
 * far, random numbers, the driver), gen_ops.c (single operations) and
 * gen_snip.c (short scenarios where features meet).
 */
#ifndef MSFUZZ_GEN_H
#define MSFUZZ_GEN_H

#include "msfuzz.h"

/* What the generator believes about a handle and a process. */
struct g_handle {
	unsigned char type, shared;
	bool fd;
	unsigned long len;
};

struct g_proc {
	bool live;
	unsigned long mem;
	unsigned char has[RT_MAXH];
};

struct gen {
	const struct gen_opts *o;
	FILE *out;
	__u64 rng;
	int nops, nh;			/* emitted, handles made */
	int nprocs;			/* process numbers used: p0..p(nprocs-1) */
	unsigned long total;		/* the budget, as rt_map.c counts it (rt_cost()) */
	int hot, last_child;		/* most recent handle and fork */
	struct g_handle h[RT_MAXH];
	struct g_proc p[RT_MAXPROC];
};

/* Pick flags for g_pick(). */
#define G_LARGE		0x1	/* a type with large folios */
#define G_FD		0x2	/* backed by a file */
#define G_ANONPRIV	0x4	/* private anonymous (uffd-move, dontunmap) */
#define G_SHARED	0x8	/* mapped by two processes or more */

/* gen.c */
unsigned long g_rnd(struct gen *g, unsigned long n);
bool g_chance(struct gen *g, int percent);
int g_weighted(struct gen *g, const int *weights, int n);
bool g_full(const struct gen *g);
void g_emit(struct gen *g, struct rt_op *op);
bool g_pick(struct gen *g, unsigned int want, int *proc, int *h);
int g_pick_proc(struct gen *g, int other_than);
int g_sharer(struct gen *g, int h, int other_than);
void g_range(struct gen *g, int h, unsigned long *off, unsigned long *len);
bool g_large(int type);
bool g_fd_type(int type);
bool g_fits(const struct gen *g, unsigned long bytes);
unsigned long g_in_slot(unsigned long off2, unsigned long len2);

/* gen_ops.c: each emits one or two operations; false if none fitted. */
bool g_map(struct gen *g, int proc, int type, unsigned long len, bool populate);
int g_fork(struct gen *g, int parent);
int g_live(const struct gen *g);
void g_write(struct gen *g, int proc, int h, unsigned long off, unsigned long len);
void g_op(struct gen *g, int verb, int proc, int h, unsigned long off,
	  unsigned long len, int arg);
int g_advice(struct gen *g, int type);
bool g_single(struct gen *g, int kind);
int g_single_kinds(void);
int g_single_weight(struct gen *g, int kind);

/* gen_snip.c */
bool g_snippet(struct gen *g);

#endif /* MSFUZZ_GEN_H */
