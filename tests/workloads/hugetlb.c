// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb: 2 MiB hugetlb pages, private and shared, across fork.
 *
 * Needs reserved huge pages (the guest test writes vm.nr_hugepages); if the
 * first mmap fails with ENOMEM the program prints "hugetlb: skip no
 * hugepages" and exits 0.  A MAP_PRIVATE and a MAP_SHARED MAP_HUGETLB
 * region are written (hugetlb_add_new_anon_rmap for the private pages, the
 * hugetlb file rmap for the shared ones).  After fork the child writes both:
 * its private writes copy (hugetlb COW) and its shared writes are seen by
 * the parent.  The parent unmaps one huge page of each region while the
 * child still maps them.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << 26)	/* MAP_HUGE_SHIFT 26 */
#endif

#define SEED_ORIG	1
#define SEED_CHILD	2

static void *map_huge(size_t len, int share)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       share | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);

	if (p == MAP_FAILED && errno == ENOMEM)
		wl_skip("no hugepages");
	if (p == MAP_FAILED)
		wl_fatal(share == MAP_SHARED ? "mmap hugetlb shared" :
			 "mmap hugetlb private");
	return p;
}

static void child(char *priv, char *shared, size_t len)
{
	wl_verify(priv, len, SEED_ORIG, 0, "child verify private");
	wl_verify(shared, len, SEED_ORIG, 0, "child verify shared");
	wl_fill(priv, len, SEED_CHILD, 0);
	wl_fill(shared, len, SEED_CHILD, 0);
	wl_hold_child();
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size;
	/* The last huge page goes first, or the only one with -s 2. */
	size_t cut = len - WL_THP_SIZE;
	char *priv = map_huge(len, MAP_PRIVATE);
	char *shared = map_huge(len, MAP_SHARED);
	pid_t pid;

	wl_fill(priv, len, SEED_ORIG, 0);
	wl_fill(shared, len, SEED_ORIG, 0);

	pid = wl_fork();
	if (!pid)
		child(priv, shared, len);
	/* The child keeps its own mappings of these (all of it with -s 2). */
	wl_munmap(priv + cut, WL_THP_SIZE);
	wl_munmap(shared + cut, WL_THP_SIZE);
	wl_hold(1);
	wl_wait_child(pid);

	wl_verify(priv, cut, SEED_ORIG, 0, "parent verify private");
	wl_verify(shared, cut, SEED_CHILD, 0, "parent verify shared");
	if (cut) {
		wl_munmap(priv, cut);
		wl_munmap(shared, cut);
	}
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "hugetlb", 0);
	return wl_run(&o, scenario);
}
