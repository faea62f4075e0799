// SPDX-License-Identifier: GPL-2.0
/*
 * shared-anon: MAP_SHARED | MAP_ANONYMOUS memory written by two processes.
 *
 * Shared anonymous memory is shmem: its folios are file folios
 * (folio_add_file_rmap_*), large ones if shmem THP is enabled for anonymous
 * shmem (advised with MADV_HUGEPAGE here).  The parent writes the first
 * half, forks, and the child writes the second half; each must see the
 * other's writes since nothing is copied.  The parent unmaps 1 MiB out of
 * the first half (a partially unmapped shmem folio) while the child still
 * maps it.
 */
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#define SEED_PARENT	1
#define SEED_CHILD	2

static void child(char *p, size_t len)
{
	size_t half = len / 2;

	wl_verify(p, half, SEED_PARENT, 0, "child verify parent's half");
	wl_fill(p + half, len - half, SEED_CHILD, half);
	wl_hold_child();
	/* The parent's munmap does not reach the child's mapping. */
	wl_verify(p, half, SEED_PARENT, 0, "child verify after parent's munmap");
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size, half = len / 2;
	size_t hole = half / 2 & ~(WL_MIB - 1);
	char *p;
	pid_t pid;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		wl_fatal("mmap MAP_SHARED|MAP_ANONYMOUS");
	madvise(p, len, MADV_HUGEPAGE);	/* advice only */
	wl_fill(p, half, SEED_PARENT, 0);

	pid = wl_fork();
	if (!pid)
		child(p, len);
	wl_munmap(p + hole, WL_MIB);
	wl_hold(1);
	wl_wait_child(pid);

	wl_verify(p, hole, SEED_PARENT, 0, "parent verify own half");
	wl_verify(p + hole + WL_MIB, half - hole - WL_MIB, SEED_PARENT,
		  hole + WL_MIB, "parent verify own half after hole");
	wl_verify(p + half, len - half, SEED_CHILD, half,
		  "parent verify child's half");
	wl_munmap(p, len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "shared-anon", 0);
	return wl_run(&o, scenario);
}
