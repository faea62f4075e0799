// SPDX-License-Identifier: GPL-2.0
/*
 * The generator's scenarios: a few operations that make features meet on
 * the same memory, where mapcount bookkeeping has its corner cases:
 *
 *   advise-fork   madvise a large folio, fork, COW writes on both sides
 *   split-fork    split_huge_pages of a range, fork, writes, partial munmap
 *   ksm-fork      identical pages made mergeable, a pause for ksmd, fork
 *   partial-thp   munmap/mprotect/mremap/DONTNEED across a 2 MiB boundary
 *   cow-chain     parent, child, grandchild write the same range; the middle exits
 *   migrate       move_pages of a range two processes map, and back
 *   remap-fork    mremap (maybe misaligned) to a new handle, fork, COW
 *   uffd-move     UFFDIO_MOVE of a THP range, then fork
 *   pageout-cow   MADV_PAGEOUT, fork, read in the child, write in the parent
 *   guard-fork    guard pages installed, fork, touched, removed
 *   mlock-split   mlock, split, munlock, fork
 *   collapse-cow  fork, the child dirties part, the parent (or the child,
 *                 through process_madvise) collapses
 */
#include "gen.h"

#define S_DONTNEED	4
#define S_WILLNEED	3
#define S_PAGEOUT	21
#define S_COLLAPSE	25
#define S_UNMERGEABLE	13
#define S_GUARD_INSTALL	102
#define S_GUARD_REMOVE	103

/* A child of @p: a new one, or else another process that has @h. */
static int s_child(struct gen *g, int p, int h)
{
	int c = g_fork(g, p);

	return c >= 0 ? c : g_sharer(g, h, p);
}

static void s_write_some(struct gen *g, int p, int h)
{
	unsigned long off, len;

	if (p < 0 || !g->p[p].live || !g->p[p].has[h])
		return;
	g_range(g, h, &off, &len);
	g_write(g, p, h, off, len);
}

static bool s_advise_fork(struct gen *g)
{
	static const int adv[] = { 4, 8, 21, 20, 25, 18, 10, 23, 12, 102 };
	unsigned long off, len;
	int p, h, c;

	if (!g_pick(g, G_LARGE, &p, &h))
		return false;
	g_range(g, h, &off, &len);
	g_op(g, RT_V_MADVISE, p, h, off, len, adv[g_rnd(g, 10)]);
	c = s_child(g, p, h);
	s_write_some(g, c, h);
	s_write_some(g, p, h);
	if (c > 0 && g_chance(g, 40))
		g_op(g, RT_V_EXIT, c, 0, 0, 0, 0);
	return true;
}

static bool s_split_fork(struct gen *g)
{
	struct rt_op op = { .verb = RT_V_SPLIT };
	unsigned long off, len;
	int p, h, c;

	if (!g_pick(g, G_LARGE, &p, &h))
		return false;
	op.proc = p;
	op.proc2 = p;
	op.h = h;
	g_range(g, h, &op.off, &op.len);
	g_emit(g, &op);
	c = s_child(g, p, h);
	s_write_some(g, c, h);
	s_write_some(g, p, h);
	if (c > 0 && g_chance(g, 30)) {
		g_range(g, h, &off, &len);
		g_op(g, RT_V_MUNMAP, c, h, off, len, 0);
	}
	return true;
}

static bool s_ksm_fork(struct gen *g)
{
	int p = g_pick_proc(g, -1), h, c;

	if (!g_map(g, p, RT_T_ANON_KSM, (1 + g_rnd(g, 16)) * 65536, false))
		return false;
	h = g->nh;
	g_op(g, RT_V_WRITE, p, h, 0, g->h[h].len, 0x4b);
	g_op(g, RT_V_SLEEP, p, 0, 0, 0, 200 + g_rnd(g, 4) * 100);
	c = s_child(g, p, h);
	if (c >= 0)
		g_op(g, RT_V_WRITE, c, h, g_rnd(g, g->h[h].len / RT_PAGE) * RT_PAGE,
		     RT_PAGE, 2);
	if (g_chance(g, 40))
		g_op(g, RT_V_MADVISE, p, h, 0, g->h[h].len, S_UNMERGEABLE);
	return true;
}

static bool s_partial_thp(struct gen *g)
{
	unsigned long l, bnd, off, len;
	int p, h, c, r;

	if (!g_pick(g, G_LARGE, &p, &h) || g->h[h].len < RT_HPAGE)
		return false;
	l = g->h[h].len;
	bnd = l > RT_HPAGE ? (1 + g_rnd(g, l / RT_HPAGE - 1)) * RT_HPAGE : l / 2;
	off = bnd - (1 + g_rnd(g, 16)) * RT_PAGE * (g_chance(g, 50) ? 16 : 1);
	len = 2 * (bnd - off);
	if (off + len > l)
		len = l - off;
	r = g_rnd(g, 4);
	if (r == 0) {
		g_op(g, RT_V_MUNMAP, p, h, off, len, 0);
	} else if (r == 1) {
		g_op(g, RT_V_MPROTECT, p, h, off, len, 1);
	} else if (r == 2 && g->nh + 1 < RT_MAXH && g_fits(g, rt_cost(g->h[h].type, len))) {
		struct rt_op op = { .verb = RT_V_MREMAP, .proc = p, .h = h, .off = off,
				    .len = len, .len2 = len, .h2 = ++g->nh,
				    .flags = RT_MR_FIXED << RT_MR_SHIFT };

		g_emit(g, &op);
	} else {
		g_op(g, RT_V_MADVISE, p, h, off, len, S_DONTNEED);
	}
	g_write(g, p, h, off > RT_HPAGE ? off - RT_HPAGE / 2 : 0, RT_HPAGE);
	if (g_chance(g, 50)) {
		c = s_child(g, p, h);
		s_write_some(g, c, h);
	}
	if (r == 1 && g_chance(g, 80))
		g_op(g, RT_V_MPROTECT, p, h, off, len, 3);
	return true;
}

static bool s_cow_chain(struct gen *g)
{
	unsigned long off, len;
	int p, h, c, gc;

	if (!g_pick(g, g_chance(g, 70) ? G_LARGE : 0, &p, &h))
		return false;
	g_range(g, h, &off, &len);
	c = g_fork(g, p);
	if (c < 0)
		return false;
	gc = g_fork(g, c);
	g_write(g, c, h, off, len);
	g_write(g, p, h, off, len);
	if (gc >= 0) {
		g_write(g, gc, h, off, len);
		g_op(g, g_chance(g, 70) ? RT_V_EXIT : RT_V_EXEC, c, 0, 0, 0, 0);
		s_write_some(g, gc, h);
	}
	return true;
}

static bool s_migrate(struct gen *g)
{
	struct rt_op op = { .verb = RT_V_MIGRATE };
	int p, h, c;

	if (!g_pick(g, 0, &p, &h))
		return false;
	c = s_child(g, p, h);
	op.proc = p;
	op.proc2 = c >= 0 && g_chance(g, 50) ? c : p;
	op.h = h;
	op.arg = 1;
	g_range(g, h, &op.off, &op.len);
	g_emit(g, &op);
	s_write_some(g, c, h);
	s_write_some(g, p, h);
	op.arg = 0;
	if (g_chance(g, 60))
		g_emit(g, &op);
	return true;
}

static bool s_remap_fork(struct gen *g)
{
	static const unsigned long skew[] = { 0, 4096, 65536 };
	struct rt_op op = { .verb = RT_V_MREMAP, .flags = RT_MR_FIXED << RT_MR_SHIFT };
	unsigned long off, len;
	int p, h, n, c;

	if (!g_pick(g, G_LARGE, &p, &h))
		return false;
	g_range(g, h, &op.off, &op.len);
	if (g->nh + 1 >= RT_MAXH || !g_fits(g, rt_cost(g->h[h].type, op.len)))
		return false;
	op.proc = p;
	op.h = h;
	op.len2 = op.len;
	n = ++g->nh;
	op.h2 = n;
	op.off2 = g_in_slot(skew[g_rnd(g, 3)], op.len2);
	g_emit(g, &op);
	c = s_child(g, p, n);
	s_write_some(g, c, n);
	if (g->p[p].has[n]) {
		g_range(g, n, &off, &len);
		g_op(g, RT_V_MUNMAP, p, n, off, len, 0);
	}
	return true;
}

static bool s_uffd_move(struct gen *g)
{
	struct rt_op op = { .verb = RT_V_UFFD_MOVE };
	int p, h, c;

	if (!g_pick(g, G_ANONPRIV, &p, &h) || g->h[h].len < RT_HPAGE)
		return false;
	if (!g_map(g, p, RT_T_ANON_THP, RT_HPAGE, false))
		return false;
	op.proc = p;
	op.h = g->nh;
	op.h2 = h;
	op.off2 = g_rnd(g, g->h[h].len / RT_HPAGE) * RT_HPAGE;
	op.len = RT_HPAGE;
	g_emit(g, &op);
	c = s_child(g, p, op.h);
	s_write_some(g, c, op.h);
	s_write_some(g, p, h);
	return true;
}

static bool s_pageout_cow(struct gen *g)
{
	unsigned long off, len;
	int p, h, c;

	if (!g_pick(g, 0, &p, &h))
		return false;
	g_range(g, h, &off, &len);
	g_op(g, RT_V_MADVISE, p, h, off, len, S_PAGEOUT);
	c = s_child(g, p, h);
	if (c >= 0)
		g_op(g, RT_V_READ, c, h, off, len, 0);
	g_write(g, p, h, off, len);
	if (c >= 0 && g_chance(g, 50))
		g_op(g, RT_V_MADVISE, c, h, off, len, S_WILLNEED);
	return true;
}

static bool s_guard_fork(struct gen *g)
{
	unsigned long off, len;
	int p, h, c;

	if (!g_pick(g, G_ANONPRIV, &p, &h) && !g_pick(g, 0, &p, &h))
		return false;
	g_range(g, h, &off, &len);
	g_op(g, RT_V_MADVISE, p, h, off, len, S_GUARD_INSTALL);
	c = s_child(g, p, h);
	if (c >= 0)
		g_write(g, c, h, off, len);
	g_op(g, RT_V_MADVISE, p, h, off, len, S_GUARD_REMOVE);
	g_write(g, p, h, off, len);
	return true;
}

static bool s_mlock_split(struct gen *g)
{
	struct rt_op op = { .verb = RT_V_SPLIT };
	int p, h, c;

	if (!g_pick(g, G_LARGE, &p, &h))
		return false;
	g_op(g, RT_V_MLOCK, p, h, 0, g->h[h].len, 0);
	op.proc = p;
	op.proc2 = p;
	op.h = h;
	g_range(g, h, &op.off, &op.len);
	g_emit(g, &op);
	if (g_chance(g, 50))
		g_op(g, RT_V_MUNLOCK, p, h, 0, g->h[h].len, 0);
	c = s_child(g, p, h);
	s_write_some(g, c, h);
	return true;
}

static bool s_collapse_cow(struct gen *g)
{
	struct rt_op op = { .verb = RT_V_PMADVISE, .arg = S_COLLAPSE };
	unsigned long off, len;
	int p, h, c;

	if (!g_pick(g, G_LARGE, &p, &h))
		return false;
	c = s_child(g, p, h);
	if (c < 0)
		return false;
	g_range(g, h, &off, &len);
	g_write(g, c, h, off, len);
	if (g_chance(g, 50)) {
		g_op(g, RT_V_MADVISE, p, h, 0, g->h[h].len, S_COLLAPSE);
	} else {
		op.proc = p;
		op.proc2 = c;
		op.h = h;
		op.len = g->h[h].len;
		g_emit(g, &op);
	}
	s_write_some(g, p, h);
	return true;
}

bool g_snippet(struct gen *g)
{
	static bool (* const snippets[])(struct gen *g) = {
		s_advise_fork, s_split_fork, s_ksm_fork, s_partial_thp,
		s_cow_chain, s_migrate, s_remap_fork, s_uffd_move,
		s_pageout_cow, s_guard_fork, s_mlock_split, s_collapse_cow,
	};
	static const int weights[] = { 8, 5, 3, 8, 4, 3, 4, 3, 3, 3, 2, 4 };
	int k = g_weighted(g, weights, ARRAY_SIZE(weights));

	return snippets[k](g);
}
