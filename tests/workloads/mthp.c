// SPDX-License-Identifier: GPL-2.0
/*
 * mthp: multi-size THP (mTHP) folios, mapped by PTEs only.
 *
 * Regions whose start and length are not 2 MiB aligned, advised
 * MADV_HUGEPAGE, sit between MADV_NOHUGEPAGE gaps; with every
 * hugepages-<size>kB/enabled set to "always" (the guest test does that) a
 * fault allocates the largest enabled folio that fits naturally aligned in
 * the VMA: 1 MiB, 512 KiB ... 16 KiB folios, all PTE-mapped
 * (folio_add_new_anon_rmap of a large folio at PTE level).  The parent
 * unmaps and zaps pieces out of the middle of each region (partially mapped
 * mTHPs), forks, and the child COW-writes the first quarter of every region
 * while the parent keeps the originals.  After the child has gone the parent
 * rewrites everything (reuse) and unmaps.  The arena is always 8 MiB: -s
 * is accepted and ignored.
 */
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#define SEED_ORIG	1
#define SEED_CHILD	2
#define SEED_PARENT	3
#define KIB		1024UL

/* Offsets and lengths inside a 2 MiB slot, none of them 2 MiB aligned. */
static const struct { size_t off, len; } regions[] = {
	{ 64 * KIB, 2 * WL_MIB - 64 * KIB },	/* up to the slot's end */
	{ 4 * KIB, 1536 * KIB },
	{ 192 * KIB, 1024 * KIB + 68 * KIB },
	{ 512 * KIB, 448 * KIB },
};
#define NR_REGIONS	(sizeof(regions) / sizeof(regions[0]))

/* The piece punched out of each region: pages [len/2, len/2 + 20). */
#define HOLE_LEN	(20 * WL_PAGE_SIZE)
#define ZAP_LEN		(3 * WL_PAGE_SIZE)

static char *region(char *arena, size_t i)
{
	return arena + i * 2 * WL_MIB + regions[i].off;
}

static size_t hole_off(size_t i)
{
	return regions[i].len / 2 & ~(WL_PAGE_SIZE - 1);
}

static size_t zap_off(size_t i)
{
	return (regions[i].len / 4 * 3 & ~(WL_PAGE_SIZE - 1)) + WL_PAGE_SIZE;
}

/* Fill or verify a region except its hole and zapped pages. */
static void each_piece(char *arena, size_t i, uint64_t seed, bool verify,
		       const char *what)
{
	char *r = region(arena, i);
	size_t ends[3][2] = {
		{ 0, hole_off(i) },
		{ hole_off(i) + HOLE_LEN, zap_off(i) },
		{ zap_off(i) + ZAP_LEN, regions[i].len },
	};
	size_t k;

	for (k = 0; k < 3; k++) {
		size_t off = ends[k][0], len = ends[k][1] - ends[k][0];

		if (verify)
			wl_verify(r + off, len, seed, off, what);
		else
			wl_fill(r + off, len, seed, off);
	}
}

static void child(char *arena)
{
	size_t i;

	for (i = 0; i < NR_REGIONS; i++) {
		char *r = region(arena, i);
		size_t q = regions[i].len / 4 & ~(WL_PAGE_SIZE - 1);

		wl_fill(r, q, SEED_CHILD, 0);
		wl_verify(r, q, SEED_CHILD, 0, "child verify copies");
		wl_verify(r + q, hole_off(i) - q, SEED_ORIG, q,
			  "child verify shared");
	}
	wl_hold_child();
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	size_t arena_len = NR_REGIONS * 2 * WL_MIB, i;
	char *arena = wl_alloc_thp(arena_len);
	pid_t pid;

	/* Gaps without THP; each region becomes its own VMA. */
	if (madvise(arena, arena_len, MADV_NOHUGEPAGE))
		wl_fatal("madvise MADV_NOHUGEPAGE");
	for (i = 0; i < NR_REGIONS; i++)
		if (madvise(region(arena, i), regions[i].len, MADV_HUGEPAGE))
			wl_fatal("madvise MADV_HUGEPAGE");
	for (i = 0; i < NR_REGIONS; i++)
		wl_fill(region(arena, i), regions[i].len, SEED_ORIG, 0);
	wl_info(o, "AnonHugePages %ld kB of %zu kB", wl_smaps_kb(arena, arena_len,
		"AnonHugePages"), arena_len >> 10);

	for (i = 0; i < NR_REGIONS; i++) {
		char *r = region(arena, i);

		wl_munmap(r + hole_off(i), HOLE_LEN);
		if (madvise(r + zap_off(i), ZAP_LEN, MADV_DONTNEED))
			wl_fatal("madvise MADV_DONTNEED");
	}

	pid = wl_fork();
	if (!pid)
		child(arena);
	wl_hold(1);
	wl_wait_child(pid);

	for (i = 0; i < NR_REGIONS; i++) {
		each_piece(arena, i, SEED_ORIG, true, "parent verify");
		each_piece(arena, i, SEED_PARENT, false, NULL);
		each_piece(arena, i, SEED_PARENT, true, "parent verify reused");
		wl_verify_zero(region(arena, i) + zap_off(i), ZAP_LEN,
			       "verify zapped");
	}
	wl_munmap(arena, arena_len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "mthp", 0);
	return wl_run(&o, scenario);
}
