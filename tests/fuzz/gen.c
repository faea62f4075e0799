// SPDX-License-Identifier: GPL-2.0
/*
 * "msfuzz gen": a random program, the same one for the same seed (and
 * options and MSFUZZ_* settings, which the header line records).
 *
 * The generator keeps a model of the program so far: which processes are
 * alive, which handles each one has, how long they are, and the memory
 * budget as the runtime counts it (rt_map.c's rt_cost(): the 1 GiB types
 * cost nothing), so that what it writes mostly works and never needs more
 * than MSFUZZ_MAXMEM.  About a third of the time it writes a short
 * scenario (gen_snip.c) where features meet (a fork after a madvise of a
 * large folio, a split then a fork, COW in parent and child, KSM then
 * fork...), otherwise one operation (gen_ops.c) on a handle chosen with a
 * bias for large folios and memory that several processes map.  Random
 * numbers: splitmix64, not libc.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define G_SNIPPET_PERCENT	35

static __u64 g_next(struct gen *g)
{
	__u64 z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned long g_rnd(struct gen *g, unsigned long n)
{
	return n ? g_next(g) % n : 0;
}

bool g_chance(struct gen *g, int percent)
{
	return (int)g_rnd(g, 100) < percent;
}

int g_weighted(struct gen *g, const int *weights, int n)
{
	unsigned long sum = 0, r;
	int i;

	for (i = 0; i < n; i++)
		sum += weights[i];
	if (!sum)
		return -1;
	r = g_rnd(g, sum);
	for (i = 0; i < n; i++) {
		if (r < (unsigned long)weights[i])
			return i;
		r -= weights[i];
	}
	return n - 1;
}

bool g_large(int type)
{
	return type != RT_T_ANON && type != RT_T_ANON_KSM;
}

/* Backed by a file: what rt_map.c does not map MAP_ANONYMOUS. */
bool g_fd_type(int type)
{
	return type >= RT_T_MEMFD && type != RT_T_HUGETLB && type != RT_T_HUGETLB_1G;
}

bool g_fits(const struct gen *g, unsigned long bytes)
{
	return g->total + bytes <= g->o->maxmem;
}

/* mremap's offset @off2 in the new slot, or 0 if @len2 would leave it (prog.c). */
unsigned long g_in_slot(unsigned long off2, unsigned long len2)
{
	return off2 + len2 > RT_SLOT ? 0 : off2;
}

bool g_full(const struct gen *g)
{
	return g->nops >= g->o->nops;
}

static void g_gone(struct gen *g, int proc, int h)
{
	struct g_proc *p = &g->p[proc];
	unsigned long cost = rt_cost(g->h[h].type, g->h[h].len);

	if (!p->has[h])
		return;
	p->has[h] = 0;
	if (!g->h[h].fd) {
		p->mem -= cost;
		g->total -= cost;
	}
}

/* Handle @h (its type set) is now @proc's, @len long. */
static void g_made(struct gen *g, int proc, int h, unsigned long len)
{
	unsigned long cost = rt_cost(g->h[h].type, len);

	g->p[proc].has[h] = 1;
	g->p[proc].mem += cost;
	g->total += cost;
	g->hot = h;
}

/* What @op does to the model; rt_map.c and rt_vma.c do the same. */
static void g_apply(struct gen *g, const struct rt_op *op)
{
	struct g_handle *h = &g->h[op->h];
	struct g_proc *p = &g->p[op->proc];
	int mode = op->flags >> RT_MR_SHIFT;
	unsigned long grow;

	switch (op->verb) {
	case RT_V_MAP:
		*h = (struct g_handle){ .type = op->type, .len = op->len,
			.fd = g_fd_type(op->type) };
		h->shared = op->type == RT_T_ANON_SHARED ||
			    (h->fd && !(op->flags & RT_F_PRIVATE)) ||
			    ((op->type == RT_T_HUGETLB || op->type == RT_T_HUGETLB_1G) &&
			     (op->flags & RT_F_SHARED));
		g_made(g, op->proc, op->h, op->len);
		break;
	case RT_V_MUNMAP:
		if (!op->off && op->len >= h->len)
			g_gone(g, op->proc, op->h);
		break;
	case RT_V_MREMAP:
		if (mode == RT_MR_INPLACE) {
			if (op->len2 > op->len) {
				grow = rt_cost(h->type, op->len2 - op->len);
				p->mem += grow;
				g->total += grow;
			}
			if (op->off + op->len >= h->len && op->len2 > op->len)
				h->len = op->off + op->len2;
			break;
		}
		g->h[op->h2] = *h;
		g->h[op->h2].len = op->len2;
		g_made(g, op->proc, op->h2, op->len2);
		if (mode != RT_MR_DONTUNMAP && !op->off && op->len >= h->len)
			g_gone(g, op->proc, op->h);
		break;
	case RT_V_FORK:
		g->p[op->proc2] = *p;
		g->total += p->mem;
		g->last_child = op->proc2;
		if (g->nprocs <= op->proc2)
			g->nprocs = op->proc2 + 1;
		break;
	case RT_V_EXIT:
	case RT_V_EXEC:
		g->total -= p->mem;
		memset(p, 0, sizeof(*p));
		break;
	default:
		if (op->h)
			g->hot = op->h;
	}
}

void g_emit(struct gen *g, struct rt_op *op)
{
	char line[MS_LINE_MAX];

	if (g_full(g))
		return;
	g_apply(g, op);
	prog_format(op, line, sizeof(line));
	fprintf(g->out, "%s\n", line);
	g->nops++;
}

/*
 * A live process and one of its handles, of the kind @want asks for;
 * weighted towards large folios, memory several processes map, and the
 * handle used last.
 */
bool g_pick(struct gen *g, unsigned int want, int *proc, int *h)
{
	static int wp[RT_MAXPROC * RT_MAXH], wh[RT_MAXPROC * RT_MAXH];
	int weights[RT_MAXPROC * RT_MAXH], n = 0, p, i, k, w;
	const struct g_handle *gh;

	for (p = 0; p < g->nprocs; p++) {
		for (i = 1; i <= g->nh && g->p[p].live; i++) {
			if (!g->p[p].has[i])
				continue;
			gh = &g->h[i];
			k = g_sharer(g, i, p) >= 0;
			if (((want & G_LARGE) && !g_large(gh->type)) ||
			    ((want & G_FD) && !gh->fd) ||
			    ((want & G_SHARED) && !k) ||
			    ((want & G_ANONPRIV) && gh->type != RT_T_ANON &&
			     gh->type != RT_T_ANON_THP && gh->type != RT_T_ANON_MTHP &&
			     gh->type != RT_T_ANON_KSM))
				continue;
			w = 2 + (g_large(gh->type) ? 3 : 0) + (k ? 4 : 0) + (i == g->hot ? 4 : 0);
			wp[n] = p;
			wh[n] = i;
			weights[n++] = w;
		}
	}
	k = g_weighted(g, weights, n);
	if (k < 0)
		return false;
	*proc = wp[k];
	*h = wh[k];
	return true;
}

/* A live process other than @other_than if there is one, else -1. */
int g_pick_proc(struct gen *g, int other_than)
{
	int live[RT_MAXPROC], n = 0, p;

	for (p = 0; p < g->nprocs; p++)
		if (g->p[p].live && p != other_than)
			live[n++] = p;
	if (!n)
		return -1;
	/* The newest process half the time: the one that just forked. */
	if (g->p[g->last_child].live && g->last_child != other_than && g_chance(g, 50))
		return g->last_child;
	return live[g_rnd(g, n)];
}

/* Another live process that has handle @h, or -1. */
int g_sharer(struct gen *g, int h, int other_than)
{
	int p;

	for (p = g->nprocs - 1; p >= 0; p--)
		if (p != other_than && g->p[p].live && g->p[p].has[h])
			return p;
	return -1;
}

static unsigned long g_pow2(struct gen *g)
{
	static const unsigned long sizes[] = { 4096, 65536, 512 << 10, 1 << 20 };

	return sizes[g_rnd(g, 4)];
}

/*
 * A range of a 1 GiB type's handle: all of it nine times in ten, else a
 * 2 MiB unit, which the kernel mostly refuses (EINVAL): error paths too.
 */
static void g_range_1g(struct gen *g, int h, unsigned long *off, unsigned long *len)
{
	unsigned long units = g->h[h].len / RT_HPAGE;

	*off = 0;
	*len = g->h[h].len;
	if (units > 1 && !g_chance(g, 90)) {
		*off = g_rnd(g, units) * RT_HPAGE;
		*len = RT_HPAGE;
	}
}

/*
 * A page-aligned range of handle @h: the whole, one 2 MiB unit, a piece
 * across a 2 MiB boundary, one page, a 64 KiB block, a head or a tail.
 * Huge-page-backed handles get whole 2 MiB units nine times in ten.
 */
void g_range(struct gen *g, int h, unsigned long *off, unsigned long *len)
{
	unsigned long l = g->h[h].len, units = l / RT_HPAGE, a, b, bnd;
	int t = g->h[h].type;
	bool huge = t == RT_T_HUGETLB || t == RT_T_MEMFD_HUGE || t == RT_T_DAX;

	if (rt_type_1g(t)) {
		g_range_1g(g, h, off, len);
		return;
	}
	*off = 0;
	*len = l;
	switch (g_rnd(g, huge && g_chance(g, 90) ? 2 : 7)) {
	case 1:
		if (units) {
			*off = g_rnd(g, units) * RT_HPAGE;
			*len = RT_HPAGE;
		}
		break;
	case 2:
		bnd = units > 1 ? (1 + g_rnd(g, units - 1)) * RT_HPAGE : l / 2;
		a = g_pow2(g);
		b = g_pow2(g);
		*off = bnd > a ? bnd - a : 0;
		*len = a + b;
		break;
	case 3:
		*off = g_rnd(g, l / RT_PAGE) * RT_PAGE;
		*len = RT_PAGE;
		break;
	case 4:
		*off = g_rnd(g, l / 65536) * 65536;
		*len = 65536;
		break;
	case 5:
		*len = g_pow2(g);
		break;
	case 6:
		*len = g_pow2(g);
		*off = l > *len ? l - *len : 0;
		break;
	}
	*off &= ~(RT_PAGE - 1);
	if (*off >= l)
		*off = 0;
	if (*off + *len > l)
		*len = l - *off;
	*len = (*len + RT_PAGE - 1) & ~(RT_PAGE - 1);
	if (!*len)
		*len = RT_PAGE;
}

static bool g_any_handle(const struct gen *g, int *nlive)
{
	int p, i;

	*nlive = 0;
	for (p = 0; p < g->nprocs; p++)
		for (i = 1; i <= g->nh; i++)
			*nlive += g->p[p].live && g->p[p].has[i];
	return *nlive > 0;
}

static void g_step(struct gen *g)
{
	int weights[32], n = g_single_kinds(), k, nlive;

	/* The first mapping of all is one every kernel and setup has. */
	if (!g_any_handle(g, &nlive) || (nlive < 2 && g_chance(g, 60))) {
		g_map(g, g_pick_proc(g, -1), g->nh ? -1 : RT_T_ANON_THP, 0, true);
		return;
	}
	if (g_chance(g, G_SNIPPET_PERCENT) && g_snippet(g))
		return;
	for (k = 0; k < n; k++)
		weights[k] = g_single_weight(g, k);
	k = g_weighted(g, weights, n);
	if (k >= 0)
		g_single(g, k);
}

int gen_program(const struct gen_opts *o, FILE *out)
{
	struct gen *g = calloc(1, sizeof(*g));
	char mem[32];
	long tries;

	if (!g)
		return -1;
	g->o = o;
	g->out = out;
	g->rng = o->seed;
	g->p[0].live = true;
	g->nprocs = 1;
	ms_size(mem, sizeof(mem), o->maxmem);
	fprintf(out, "# msfuzz v1 seed=%llu ops=%d procs=%d maxmem=%s%s%s%s%s%s\n",
		(unsigned long long)o->seed, o->nops, o->maxprocs, mem,
		o->hwpoison ? " hwpoison=1" : "", o->dax ? " dax=1" : "",
		o->shmem_huge ? " shmem-huge=1" : "",
		o->hugetlb_1g ? " hugetlb-1g=1" : "", o->dax_1g ? " dax-1g=1" : "");
	/* Bounded: a model with nothing left to do must not spin forever. */
	for (tries = 0; !g_full(g) && tries < 100L * o->nops + 1000; tries++)
		g_step(g);
	free(g);
	return fflush(out) || ferror(out) ? -1 : 0;
}
