// SPDX-License-Identifier: GPL-2.0
/*
 * migrate: move_pages(2) of small pages, THPs, shmem pages and a hugetlb
 * page between NUMA nodes 0 and 1 while a child maps them too.
 *
 * The guest boots with numa=fake=2; with fewer than two nodes the program
 * prints "migrate: skip ..." and exits 0.  Regions: small anonymous pages
 * (MADV_NOHUGEPAGE), PMD-mapped THPs, MAP_SHARED|MAP_ANONYMOUS (shmem)
 * pages and, if huge pages are reserved, one private 2 MiB hugetlb page.
 * A child forked after the fill keeps them all mapped, so MPOL_MF_MOVE_ALL
 * (root) migrates folios mapped by two processes: each mapping becomes a
 * migration entry and remove_migration_pte()/_pmd() maps the new folio
 * (folio_add_anon_rmap_*, folio_add_file_rmap_ptes, hugetlb_add_anon_rmap).
 * The pages go to the other node during the hold and back after it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "common.h"

/* From <linux/mempolicy.h>; no libnuma. */
#define MPOL_MF_MOVE_ALL	(1 << 2)

#define SEED	1
#define TRIES	3

struct plan {
	void **pages;
	int *nodes, *status;
	size_t n;
};

static long move_pages(size_t n, void **pages, const int *nodes, int *status,
		       int flags)
{
	return syscall(SYS_move_pages, 0, n, pages, nodes, status, flags);
}

/* One entry per small page, one per THP (its first page moves it all). */
static void add_pages(struct plan *pl, char *p, size_t len, size_t step)
{
	size_t off;

	for (off = 0; off < len; off += step)
		pl->pages[pl->n++] = p + off;
}

/* Move every page to @node; returns how many are there afterwards. */
static size_t move_all(const struct wl_opts *o, struct plan *pl, int node)
{
	size_t i, there = 0;
	int try;

	for (i = 0; i < pl->n; i++)
		pl->nodes[i] = node;
	/* Busy pages (-EBUSY, -EAGAIN) are retried a few times. */
	for (try = 0; try < TRIES; try++)
		if (move_pages(pl->n, pl->pages, pl->nodes, pl->status,
			       MPOL_MF_MOVE_ALL) < 0)
			wl_fatal("move_pages");
	if (move_pages(pl->n, pl->pages, NULL, pl->status, 0) < 0)
		wl_fatal("move_pages query");
	for (i = 0; i < pl->n; i++)
		there += pl->status[i] == node;
	wl_info(o, "%zu of %zu pages on node %d", there, pl->n, node);
	if (!there)
		wl_fail("migrate", "no page reached node %d (status[0] %d)",
			node, pl->status[0]);
	return there;
}

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size, small_len = len / 2;
	char *thp, *small, *shm, *huge;
	struct plan pl = { 0 };
	size_t max;
	pid_t pid;

	if (access("/sys/devices/system/node/node1", F_OK))
		wl_skip("one NUMA node (boot with numa=fake=2)");
	thp = wl_alloc_thp(len);
	small = wl_alloc_anon(small_len, false);
	shm = mmap(NULL, small_len, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		wl_fatal("mmap shared");
	huge = mmap(NULL, WL_THP_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge == MAP_FAILED) {
		wl_info(o, "no hugetlb page (%s): not migrated", strerror(errno));
		huge = NULL;
	} else {
		wl_fill(huge, WL_THP_SIZE, SEED, 0);
	}
	wl_fill(thp, len, SEED, 0);
	wl_fill(small, small_len, SEED, 0);
	wl_fill(shm, small_len, SEED, 0);
	wl_report_thp(o, thp, len);

	max = len / WL_THP_SIZE + 2 * small_len / WL_PAGE_SIZE + 1;
	pl.pages = calloc(max, sizeof(*pl.pages));
	pl.nodes = calloc(max, sizeof(*pl.nodes));
	pl.status = calloc(max, sizeof(*pl.status));
	if (!pl.pages || !pl.nodes || !pl.status)
		wl_fatal("calloc");
	add_pages(&pl, thp, len, WL_THP_SIZE);
	add_pages(&pl, small, small_len, WL_PAGE_SIZE);
	add_pages(&pl, shm, small_len, WL_PAGE_SIZE);
	if (huge)
		add_pages(&pl, huge, WL_THP_SIZE, WL_THP_SIZE);

	pid = wl_fork();
	if (!pid) {
		wl_hold_child();
		wl_verify(thp, len, SEED, 0, "child verify thp");
		wl_verify(small, small_len, SEED, 0, "child verify small");
		wl_verify(shm, small_len, SEED, 0, "child verify shared");
		if (huge)
			wl_verify(huge, WL_THP_SIZE, SEED, 0, "child verify hugetlb");
		_exit(0);
	}
	move_all(o, &pl, 1);
	wl_verify(thp, len, SEED, 0, "verify thp on node 1");
	wl_verify(small, small_len, SEED, 0, "verify small on node 1");
	wl_verify(shm, small_len, SEED, 0, "verify shared on node 1");
	wl_hold(1);
	move_all(o, &pl, 0);
	wl_wait_child(pid);
	wl_verify(thp, len, SEED, 0, "verify thp on node 0");
	wl_verify(small, small_len, SEED, 0, "verify small on node 0");
	wl_verify(shm, small_len, SEED, 0, "verify shared on node 0");
	wl_munmap(thp, len);
	wl_munmap(small, small_len);
	wl_munmap(shm, small_len);
	if (huge) {
		wl_verify(huge, WL_THP_SIZE, SEED, 0, "verify hugetlb");
		wl_munmap(huge, WL_THP_SIZE);
	}
	free(pl.pages);
	free(pl.nodes);
	free(pl.status);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "migrate", 0);
	return wl_run(&o, scenario);
}
