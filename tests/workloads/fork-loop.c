// SPDX-License-Identifier: GPL-2.0
/*
 * fork-loop: fork over and over while reclaim or migration takes the pages
 * away, each child exiting at once.
 *
 * A region of -s MiB of small anonymous pages (MADV_NOHUGEPAGE: order-0
 * folios) is filled once; then every iteration forks a child that
 * _exit(0)s at once, waits for it, verifies one eighth of the region (a
 * window that moves on each time), drops it (MADV_DONTNEED) and fills it
 * again.  copy_page_range() duplicates every present PTE of the region
 * inline, and the child's exit removes those mappings again; the window's
 * new folios have never been through a fork when the next one copies them.
 * Under memory pressure (the guest test puts the program in a cgroup with a
 * small memory.max next to mem-hog) pages also come back from swap as new
 * folios between two forks, and reclaim unmaps folios (try_to_unmap) while
 * a fork is copying them.  An iteration is one fork; with -n 0 -t SECS it
 * forks for SECS seconds.  "fork-loop: forking" (not with -q) says that the
 * region is filled and the forks begin.
 *
 * -m move: a second thread move_pages(2)s the region between NUMA nodes 0
 * and 1 (MPOL_MF_MOVE_ALL, batches of 512 pages, one pass per node) while
 * the main thread forks, so try_to_migrate() runs during the forks too.
 * It prints "fork-loop: moved N pages ..." at the end (not with -q).  With
 * fewer than two nodes it prints "fork-loop: skip ..." and exits 0.
 * -m plain (the default): no mover; compaction from outside
 * (/proc/sys/vm/compact_memory) migrates the pages instead.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "common.h"

/* From <linux/mempolicy.h>; no libnuma. */
#define MPOL_MF_MOVE_ALL	(1 << 2)

#define SEED		1
#define WINDOWS		8	/* the region is verified and rewritten in eighths */
#define MOVE_BATCH	512	/* pages per move_pages() call */

static char *region;
static size_t region_len, cursor;

static bool mover_stop;		/* __atomic: set by main, read by the mover */
static unsigned long moved, move_errors;	/* the mover's, read after join */

static long move_pages(unsigned long n, void **pages, const int *nodes,
		       int *status, int flags)
{
	return syscall(SYS_move_pages, 0, n, pages, nodes, status, flags);
}

/*
 * The mover: the region to node 1 batch by batch, then back to node 0, until
 * told to stop.  Pages that are swapped out or busy just stay where they are
 * (their status is negative); so do whole batches when the kernel is short
 * of memory or the pages are busy.
 */
static void *mover(void *arg)
{
	static void *pages[MOVE_BATCH];
	static int nodes[MOVE_BATCH], status[MOVE_BATCH];
	size_t off = 0, i, n;
	int node = 1;

	(void)arg;
	while (!__atomic_load_n(&mover_stop, __ATOMIC_RELAXED)) {
		n = (region_len - off) / WL_PAGE_SIZE;
		if (n > MOVE_BATCH)
			n = MOVE_BATCH;
		for (i = 0; i < n; i++) {
			pages[i] = region + off + i * WL_PAGE_SIZE;
			nodes[i] = node;
		}
		if (move_pages(n, pages, nodes, status, MPOL_MF_MOVE_ALL) < 0) {
			if (errno != ENOMEM && errno != EBUSY && errno != EAGAIN)
				wl_fatal("move_pages");
			move_errors++;
		} else {
			for (i = 0; i < n; i++)
				moved += status[i] == node;
		}
		off += n * WL_PAGE_SIZE;
		if (off >= region_len) {
			off = 0;
			node = !node;
		}
	}
	return NULL;
}

static void scenario(const struct wl_opts *o)
{
	size_t window = region_len / WINDOWS;
	pid_t pid;

	(void)o;
	pid = wl_fork();
	if (!pid)
		_exit(0);
	wl_wait_child(pid);
	wl_verify(region + cursor, window, SEED, cursor, "verify window");
	if (madvise(region + cursor, window, MADV_DONTNEED))
		wl_fatal("madvise MADV_DONTNEED");
	wl_verify_zero(region + cursor, WL_PAGE_SIZE, "window after MADV_DONTNEED");
	wl_fill(region + cursor, window, SEED, cursor);
	cursor = (cursor + window) % region_len;
}

int main(int argc, char **argv)
{
	struct wl_opts o;
	bool move = false;
	pthread_t thread;
	int rc, err;

	wl_parse_opts(&o, argc, argv, "fork-loop", WL_OPT_MODE | WL_OPT_TIME);
	if (o.mode && !strcmp(o.mode, "move"))
		move = true;
	else if (o.mode && strcmp(o.mode, "plain"))
		wl_fail("options", "-m %s: unknown mode (plain, move)", o.mode);
	if (move && access("/sys/devices/system/node/node1", F_OK))
		wl_skip("one NUMA node (boot with numa=fake=2)");

	region_len = o.size;
	region = wl_alloc_anon(region_len, false);
	wl_fill(region, region_len, SEED, 0);
	if (move) {
		err = pthread_create(&thread, NULL, mover, NULL);
		if (err) {
			errno = err;
			wl_fatal("pthread_create");
		}
	}
	wl_info(&o, "forking");
	if (fflush(stdout))
		wl_fatal("flush stdout");
	rc = wl_run(&o, scenario);
	if (move) {
		__atomic_store_n(&mover_stop, true, __ATOMIC_RELAXED);
		err = pthread_join(thread, NULL);
		if (err) {
			errno = err;
			wl_fatal("pthread_join");
		}
		wl_info(&o, "moved %lu pages (on the target node after move_pages; %lu calls failed)",
			moved, move_errors);
	}
	/* No final verify: every window was verified before its refill. */
	wl_munmap(region, region_len);
	return rc;
}
