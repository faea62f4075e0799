// SPDX-License-Identifier: GPL-2.0
/*
 * The generator's single operations: each kind below picks its process,
 * handle and range from the model (gen.c) and emits one operation, or a
 * few when one alone would do little (a map is followed by a write that
 * populates it; a truncate by a write past the new end and the way back).
 */
#include <sys/mman.h>

#include "gen.h"

enum {
	K_WRITE, K_READ, K_MADVISE, K_FORK, K_MUNMAP, K_MPROTECT, K_MREMAP,
	K_MLOCK, K_SPLIT, K_PMADVISE, K_MIGRATE, K_MBIND, K_UFFD, K_FILE,
	K_END, K_MAP, K_SYS, K_NR
};

static const int k_weights[K_NR] = {
	[K_WRITE] = 18, [K_READ] = 5, [K_MADVISE] = 18, [K_FORK] = 6,
	[K_MUNMAP] = 4, [K_MPROTECT] = 5, [K_MREMAP] = 5, [K_MLOCK] = 3,
	[K_SPLIT] = 4, [K_PMADVISE] = 3, [K_MIGRATE] = 3, [K_MBIND] = 2,
	[K_UFFD] = 3, [K_FILE] = 3, [K_END] = 3, [K_MAP] = 4, [K_SYS] = 2,
};

static const int t_weights[RT_T_NR] = {
	[RT_T_ANON] = 8, [RT_T_ANON_THP] = 24, [RT_T_ANON_MTHP] = 12,
	[RT_T_ANON_SHARED] = 8, [RT_T_ANON_KSM] = 5, [RT_T_MEMFD] = 8,
	[RT_T_MEMFD_HUGE] = 4, [RT_T_SHMEM] = 8, [RT_T_SHMEM_HUGE] = 4,
	[RT_T_FILE] = 8, [RT_T_HUGETLB] = 5, [RT_T_DAX] = 2,
	[RT_T_HUGETLB_1G] = 2, [RT_T_DAX_1G] = 2,
};

/* madvise advice and how often; REMOVE is for shared mappings only. */
static const int a_values[] = {
	4, 8, 21, 20, 25, 3, 14, 15, 12, 13, 10, 11, 18, 19, 22, 23, 102, 103,
	9, 24, 100, 101,
};

static const int a_weights[] = {
	10, 7, 7, 5, 7, 3, 3, 3, 3, 2, 4, 2, 4, 2, 3, 4, 3, 2, 3, 2, 1, 1,
};

#define A_N		((int)ARRAY_SIZE(a_values))
#define A_DONTNEED	4
#define A_FREE		8
#define A_REMOVE	9
#define A_WIPEONFORK	18
#define A_KEEPONFORK	19
#define A_PAGEOUT	21
#define A_COLLAPSE	25
#define A_HWPOISON	100
#define A_SOFT_OFFLINE	101
#define KSM_BYTE	0x4b

int g_single_kinds(void)
{
	return K_NR;
}

int g_live(const struct gen *g)
{
	int p, live = 0;

	for (p = 0; p < g->nprocs; p++)
		live += g->p[p].live;
	return live;
}

/* Forks while there is room, exits (to make room) more often when full. */
int g_single_weight(struct gen *g, int kind)
{
	int live = g_live(g);

	if (kind == K_FORK && live >= g->o->maxprocs)
		return 0;
	if (kind == K_END && live <= 1)
		return 0;
	if (kind == K_END && live >= g->o->maxprocs)
		return 3 * k_weights[kind];
	return k_weights[kind];
}

static bool g_anon_private(int type)
{
	return type == RT_T_ANON || type == RT_T_ANON_THP || type == RT_T_ANON_MTHP ||
	       type == RT_T_ANON_KSM;
}

/*
 * An advice for a mapping of @type; most of the time (not always: the
 * error paths are paths too) one the kernel takes for that type: FREE and
 * WIPEONFORK only on private anonymous memory, REMOVE only on shared,
 * COLLAPSE not where THPs are off or impossible.  Never HWPOISON nor
 * SOFT_OFFLINE on a 1 GiB type: the page would leave the pool reserved at
 * boot (or the device) for good, and with it every later program's.
 */
int g_advice(struct gen *g, int type)
{
	int w[A_N], i, a;

	for (i = 0; i < A_N; i++)
		w[i] = a_weights[i];
	if (!g->o->hwpoison || rt_type_1g(type)) {
		w[A_N - 1] = 0;
		w[A_N - 2] = 0;
	}
	a = a_values[g_weighted(g, w, A_N)];
	if (g_chance(g, 15))
		return a;
	if ((a == A_FREE || a == A_WIPEONFORK || a == A_KEEPONFORK) && !g_anon_private(type))
		return A_DONTNEED;
	if (a == A_REMOVE && g_anon_private(type))
		return A_DONTNEED;
	if (a == A_COLLAPSE && (type == RT_T_ANON || type == RT_T_ANON_KSM ||
				type == RT_T_HUGETLB || type == RT_T_MEMFD_HUGE ||
				type == RT_T_DAX || rt_type_1g(type)))
		return A_PAGEOUT;
	return a;
}

void g_op(struct gen *g, int verb, int proc, int h, unsigned long off,
	  unsigned long len, int arg)
{
	struct rt_op op = { .verb = verb, .proc = proc, .h = h, .off = off,
			    .len = len, .arg = arg };

	g_emit(g, &op);
}

void g_write(struct gen *g, int proc, int h, unsigned long off, unsigned long len)
{
	static const int bytes[] = { 1, 2, 3, KSM_BYTE };
	int b = g->h[h].type == RT_T_ANON_KSM && g_chance(g, 70) ? KSM_BYTE :
		bytes[g_rnd(g, 4)];

	g_op(g, RT_V_WRITE, proc, h, off, len, b == 1 ? 0 : b);
}

static unsigned long g_size(struct gen *g, int type)
{
	static const unsigned long small[] = { 64 << 10, 256 << 10, 1 << 20, 2 << 20, 4 << 20 };
	static const unsigned long mid[] = { 1 << 20, 2 << 20, 4 << 20, (2 << 20) + (64 << 10) };

	switch (type) {
	case RT_T_ANON:
		return small[g_rnd(g, 5)];
	case RT_T_ANON_THP:
		return (1 + g_rnd(g, 4)) * RT_HPAGE;
	case RT_T_ANON_MTHP:
		return (4 + g_rnd(g, 44)) * (64 << 10);
	case RT_T_ANON_KSM:
		return (1 + g_rnd(g, 16)) * (64 << 10);
	case RT_T_MEMFD_HUGE:
	case RT_T_HUGETLB:
	case RT_T_DAX:
	case RT_T_SHMEM:
	case RT_T_SHMEM_HUGE:
		return (1 + g_rnd(g, 2)) * RT_HPAGE;
	case RT_T_HUGETLB_1G:
	case RT_T_DAX_1G:
		return RT_SLOT;		/* one 1 GiB page: all of the slot */
	}
	return mid[g_rnd(g, 4)];
}

static int g_type(struct gen *g)
{
	int w[RT_T_NR], t;

	for (t = 0; t < RT_T_NR; t++)
		w[t] = t_weights[t];
	if (!g->o->shmem_huge)
		w[RT_T_SHMEM_HUGE] = 0;
	if (!g->o->dax)
		w[RT_T_DAX] = 0;
	/* Weights 0 (and last): without these options, the same draws as before them. */
	if (!g->o->hugetlb_1g)
		w[RT_T_HUGETLB_1G] = 0;
	if (!g->o->dax_1g)
		w[RT_T_DAX_1G] = 0;
	return g_weighted(g, w, RT_T_NR);
}

bool g_map(struct gen *g, int proc, int type, unsigned long len, bool populate)
{
	struct rt_op op = { .verb = RT_V_MAP, .proc = proc };
	int h = g->nh + 1;

	if (proc < 0 || h >= RT_MAXH || g_full(g))
		return false;
	op.type = type < 0 ? g_type(g) : type;
	op.len = len ? len : g_size(g, op.type);
	/* Not for a 1 GiB type: it costs nothing, it stays 1 GiB long. */
	if (!g_fits(g, rt_cost(op.type, op.len)))
		op.len = g_fits(g, RT_HPAGE) ? RT_HPAGE : 64 << 10;
	if (!g_fits(g, rt_cost(op.type, op.len)))
		return false;
	/* Not dax-1g: device-dax refuses MAP_PRIVATE (dax's are the error path). */
	if (g_fd_type(op.type) && op.type != RT_T_DAX_1G && g_chance(g, 30))
		op.flags = RT_F_PRIVATE;
	if ((op.type == RT_T_HUGETLB || op.type == RT_T_HUGETLB_1G) && g_chance(g, 30))
		op.flags = RT_F_SHARED;
	op.h = h;
	g->nh = h;
	g_emit(g, &op);
	if (!populate || !g_chance(g, 85))
		return true;
	if (op.type == RT_T_FILE && g_chance(g, 50))
		g_op(g, RT_V_READ, proc, h, 0, op.len, 0);
	else
		g_write(g, proc, h, 0, op.len);
	return true;
}

/* Fork a child of @parent, numbered with the lowest free number. */
int g_fork(struct gen *g, int parent)
{
	struct rt_op op = { .verb = RT_V_FORK, .proc = parent };
	int c;

	if (parent < 0 || !g->p[parent].live || g_live(g) >= g->o->maxprocs ||
	    !g_fits(g, g->p[parent].mem) || g_full(g))
		return -1;
	for (c = 1; c < RT_MAXPROC && g->p[c].live; c++)
		;
	if (c == RT_MAXPROC)
		return -1;
	op.proc2 = c;
	g_emit(g, &op);
	return c;
}

static bool g_mremap(struct gen *g)
{
	static const int mode_w[] = { 2, 2, 4, 2 };
	static const unsigned long skew[] = { 0, 0, 0, 4096, 65536, 1 << 20 };
	struct rt_op op = { .verb = RT_V_MREMAP };
	int p, h, mode = g_weighted(g, mode_w, 4);
	unsigned long d;
	bool big;

	if (!g_pick(g, g_chance(g, 60) ? G_LARGE : 0, &p, &h))
		return false;
	op.proc = p;
	op.h = h;
	if (mode == RT_MR_DONTUNMAP && !g_pick(g, G_ANONPRIV, &p, &h))
		mode = RT_MR_FIXED;
	op.proc = p;
	op.h = h;
	/* A 1 GiB type fills its slot: it moves or shrinks, never grows. */
	big = rt_type_1g(g->h[h].type);
	if (mode == RT_MR_INPLACE) {
		d = g_chance(g, 50) ? RT_HPAGE : 65536;
		op.off = g_chance(g, 50) || g->h[h].len <= d ? 0 : g->h[h].len - d;
		op.len = g->h[h].len - op.off;
		op.len2 = g_chance(g, 40) && op.len > d ? op.len - d : op.len + d;
		if (big && op.len2 > op.len)
			op.len2 = op.len > d ? op.len - d : op.len / 2;
		if (op.len2 > op.len && !g_fits(g, rt_cost(g->h[h].type, op.len2 - op.len)))
			return false;
	} else {
		g_range(g, h, &op.off, &op.len);
		op.len2 = op.len;
		if (mode != RT_MR_DONTUNMAP && g_chance(g, 25) && !big)
			op.len2 += RT_HPAGE;
		if (g->nh + 1 >= RT_MAXH || !g_fits(g, rt_cost(g->h[h].type, op.len2)))
			return false;
		op.h2 = ++g->nh;
		op.flags = mode << RT_MR_SHIFT;
		if (mode != RT_MR_MAYMOVE)
			op.off2 = g_in_slot(skew[g_rnd(g, 6)], op.len2);
	}
	g_emit(g, &op);
	return true;
}

static bool g_uffd(struct gen *g)
{
	unsigned long off, len;
	int p, h, d;

	if (g_chance(g, 40)) {
		if (!g_pick(g, G_ANONPRIV, &p, &h))
			return false;
		g_range(g, h, &off, &len);
		if (len > 4 * RT_HPAGE)
			len = 4 * RT_HPAGE;
		if (!g_map(g, p, g->h[h].type == RT_T_ANON_THP ? RT_T_ANON_THP : RT_T_ANON,
			   (len + RT_HPAGE - 1) & ~(RT_HPAGE - 1), false))
			return false;
		d = g->nh;
		if (!g_full(g)) {
			struct rt_op op = { .verb = RT_V_UFFD_MOVE, .proc = p, .h = d,
					    .h2 = h, .off2 = off, .len = len };

			g_emit(g, &op);
		}
		return true;
	}
	if (!g_pick(g, 0, &p, &h))
		return false;
	g_range(g, h, &off, &len);
	if (len > RT_HPAGE)
		len = RT_HPAGE;
	if (g_chance(g, 60))
		g_op(g, RT_V_MADVISE, p, h, off, len, 4);
	g_op(g, g_chance(g, 60) ? RT_V_UFFD_COPY : RT_V_UFFD_ZERO, p, h, off, len, 0);
	return true;
}

static bool g_file(struct gen *g)
{
	unsigned long off, len, size;
	int p, h;

	if (!g_pick(g, G_FD, &p, &h))
		return false;
	g_range(g, h, &off, &len);
	if (g_chance(g, 70)) {
		g_op(g, RT_V_PUNCH, p, h, off, len, 0);
		return true;
	}
	size = g_rnd(g, g->h[h].len / RT_PAGE) * RT_PAGE;
	g_op(g, RT_V_TRUNCATE, p, h, 0, size, 0);
	if (g_chance(g, 60)) {
		g_op(g, RT_V_READ, p, h, off, len, 0);
		g_op(g, RT_V_TRUNCATE, p, h, 0, g->h[h].len, 0);
	}
	return true;
}

/* pmadvise, migrate, split: one process acts on another's range. */
static bool g_remote(struct gen *g, int verb)
{
	static const int padv[] = { 20, 21, 3, 25 };
	struct rt_op op = { .verb = verb };
	int p, h, q;

	if (!g_pick(g, g_chance(g, 70) ? G_LARGE : 0, &p, &h))
		return false;
	q = g_chance(g, 40) ? p : g_pick_proc(g, p);
	op.proc = q < 0 ? p : q;
	op.proc2 = p;
	op.h = h;
	g_range(g, h, &op.off, &op.len);
	if (verb == RT_V_PMADVISE) {
		op.arg = padv[g_rnd(g, 4)];
	} else if (verb == RT_V_MIGRATE) {
		op.arg = g_rnd(g, 2);
	} else if (g_chance(g, 30)) {
		op.flags = RT_F_ORDER;
		op.arg = g_rnd(g, 3) * 2;
	}
	g_emit(g, &op);
	return true;
}

static bool g_touch_or_advise(struct gen *g, int kind)
{
	unsigned long off, len;
	int p, h, a, want;

	want = kind == K_WRITE && g_chance(g, 60) ? G_SHARED :
	       kind == K_READ ? 0 : (g_chance(g, 70) ? G_LARGE : 0);
	if (!g_pick(g, want, &p, &h) && !g_pick(g, 0, &p, &h))
		return false;
	g_range(g, h, &off, &len);
	switch (kind) {
	case K_WRITE:
		g_write(g, p, h, off, len);
		break;
	case K_READ:
		g_op(g, RT_V_READ, p, h, off, len, 0);
		break;
	case K_MADVISE:
		a = g_advice(g, g->h[h].type);
		g_op(g, RT_V_MADVISE, p, h, off,
		     a == A_HWPOISON || a == A_SOFT_OFFLINE ? RT_PAGE : len, a);
		break;
	case K_MUNMAP:
		g_op(g, RT_V_MUNMAP, p, h, off, len, 0);
		break;
	case K_MPROTECT:
		a = g_chance(g, 30) ? PROT_NONE : g_chance(g, 60) ? PROT_READ :
		    PROT_READ | PROT_WRITE;
		g_op(g, RT_V_MPROTECT, p, h, off, len, a);
		if (a == (PROT_READ | PROT_WRITE) || g_chance(g, 30))
			break;
		/* Mostly back to read-write, or every later write faults. */
		if (g_chance(g, 50))
			g_write(g, p, h, off, len);
		g_op(g, RT_V_MPROTECT, p, h, off, len, PROT_READ | PROT_WRITE);
		break;
	case K_MLOCK:
		if (g_chance(g, 40)) {
			g_op(g, RT_V_MUNLOCK, p, h, off, len, 0);
		} else {
			struct rt_op op = { .verb = RT_V_MLOCK, .proc = p, .h = h,
					    .off = off, .len = len };

			if (g_chance(g, 30))
				op.flags = RT_F_ONFAULT;
			g_emit(g, &op);
		}
		break;
	case K_MBIND:
		if (g_chance(g, 20)) {
			struct rt_op op = { .verb = RT_V_MBIND, .proc = p, .h = h,
					    .off = off, .len = len, .flags = RT_F_DEFAULT };

			g_emit(g, &op);
		} else {
			g_op(g, RT_V_MBIND, p, h, off, len, g_rnd(g, 2));
		}
		break;
	}
	return true;
}

static bool g_end(struct gen *g)
{
	int p = g_pick_proc(g, 0);

	if (p <= 0)
		return false;
	g_op(g, g_chance(g, 75) ? RT_V_EXIT : RT_V_EXEC, p, 0, 0, 0, 0);
	return true;
}

static void g_sys(struct gen *g)
{
	int r = g_rnd(g, 10);

	if (r < 4)
		g_op(g, RT_V_COMPACT, 0, 0, 0, 0, 0);
	else if (r < 7)
		g_op(g, RT_V_DROPCACHES, 0, 0, 0, 0, 1 + g_rnd(g, 3));
	else
		g_op(g, RT_V_SLEEP, 0, 0, 0, 0, 50 + g_rnd(g, 10) * 50);
}

bool g_single(struct gen *g, int kind)
{
	switch (kind) {
	case K_FORK:
		return g_fork(g, g_pick_proc(g, -1)) >= 0;
	case K_MREMAP:
		return g_mremap(g);
	case K_SPLIT:
		return g_remote(g, RT_V_SPLIT);
	case K_PMADVISE:
		return g_remote(g, RT_V_PMADVISE);
	case K_MIGRATE:
		return g_remote(g, RT_V_MIGRATE);
	case K_UFFD:
		return g_uffd(g);
	case K_FILE:
		return g_file(g);
	case K_END:
		return g_end(g);
	case K_MAP:
		return g_map(g, g_pick_proc(g, -1), -1, 0, true);
	case K_SYS:
		g_sys(g);
		return true;
	}
	return g_touch_or_advise(g, kind);
}
