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
 * An iteration is one fork; with -n 0 -t SECS it forks for SECS seconds.
 * "fork-loop: forking" (not with -q) says that the region is filled and the
 * forks begin.
 *
 * -m reclaim: every iteration drops and refills the whole region, in
 * address order, the order in which the next fork copies it: under memory
 * pressure (the guest test puts the program in a cgroup with a small
 * memory.max next to mem-hog) the oldest folios, those the fork copies
 * first, are the ones reclaim unmaps (try_to_unmap) while the fork is
 * still copying the rest, also from the fork's own page-table allocations.
 * -m move: a second thread move_pages(2)s the newest window between NUMA
 * nodes 0 and 1 (MPOL_MF_MOVE_ALL, batches of 512 pages, back and forth)
 * while the main thread forks, so try_to_migrate() runs on never-forked
 * folios during the forks.  It prints "fork-loop: moved N pages ..." at the
 * end (not with -q).  With fewer than two nodes it prints "fork-loop: skip
 * ..." and exits 0.
 * -m compact: for compaction from outside (/proc/sys/vm/compact_memory in
 * a loop).  Compaction moves pages from the start of a zone to free pages
 * at its end; a window refilled at once would get back the very pages it
 * freed, which compaction has already moved.  So a spacer as large as the
 * window is filled first and takes those, the window gets pages from the
 * free blocks that compaction left at the start of the zone, and the
 * spacer is unmapped before the fork: the next compaction migrates the
 * window's new folios.
 * -m plain (the default): none of these.
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

enum mode { PLAIN, RECLAIM, MOVE, COMPACT };

static char *region;
static size_t region_len, window_len, cursor;

/* __atomic: written by main, read by the mover. */
static bool mover_stop;
static size_t newest;		/* offset of the window refilled last */
static unsigned long moved, move_errors;	/* the mover's, read after join */

static long move_pages(unsigned long n, void **pages, const int *nodes,
		       int *status, int flags)
{
	return syscall(SYS_move_pages, 0, n, pages, nodes, status, flags);
}

/*
 * The mover: the newest window to node 1 batch by batch, then back to node
 * 0, until told to stop; it follows the main thread to each new window.
 * Pages that are busy just stay where they are (their status is negative);
 * so do whole batches when the kernel is short of memory.
 */
static void *mover(void *arg)
{
	static void *pages[MOVE_BATCH];
	static int nodes[MOVE_BATCH], status[MOVE_BATCH];
	size_t base = 0, off = 0, i, n;
	int node = 1;

	(void)arg;
	while (!__atomic_load_n(&mover_stop, __ATOMIC_RELAXED)) {
		if (__atomic_load_n(&newest, __ATOMIC_RELAXED) != base) {
			base = __atomic_load_n(&newest, __ATOMIC_RELAXED);
			off = 0;
		}
		n = (window_len - off) / WL_PAGE_SIZE;
		if (n > MOVE_BATCH)
			n = MOVE_BATCH;
		for (i = 0; i < n; i++) {
			pages[i] = region + base + off + i * WL_PAGE_SIZE;
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
		if (off >= window_len) {
			off = 0;
			node = !node;
		}
	}
	return NULL;
}

static enum mode mode;

static void scenario(const struct wl_opts *o)
{
	/* What is dropped and refilled: the window, or everything. */
	size_t off = mode == RECLAIM ? 0 : cursor;
	size_t len = mode == RECLAIM ? region_len : window_len;
	char *spacer = NULL;
	pid_t pid;

	(void)o;
	pid = wl_fork();
	if (!pid)
		_exit(0);
	wl_wait_child(pid);
	wl_verify(region + cursor, window_len, SEED, cursor, "verify window");
	if (madvise(region + off, len, MADV_DONTNEED))
		wl_fatal("madvise MADV_DONTNEED");
	wl_verify_zero(region + off, WL_PAGE_SIZE, "after MADV_DONTNEED");
	if (mode == COMPACT) {
		spacer = wl_alloc_anon(len, false);
		wl_fill(spacer, len, SEED + 1, 0);
	}
	wl_fill(region + off, len, SEED, off);
	if (spacer)
		wl_munmap(spacer, len);
	__atomic_store_n(&newest, cursor, __ATOMIC_RELAXED);
	cursor = (cursor + window_len) % region_len;
}

int main(int argc, char **argv)
{
	struct wl_opts o;
	pthread_t thread;
	int rc, err;

	wl_parse_opts(&o, argc, argv, "fork-loop", WL_OPT_MODE | WL_OPT_TIME);
	if (!o.mode || !strcmp(o.mode, "plain"))
		mode = PLAIN;
	else if (!strcmp(o.mode, "reclaim"))
		mode = RECLAIM;
	else if (!strcmp(o.mode, "move"))
		mode = MOVE;
	else if (!strcmp(o.mode, "compact"))
		mode = COMPACT;
	else
		wl_fail("options", "-m %s: unknown mode (plain, reclaim, move, compact)", o.mode);
	if (mode == MOVE && access("/sys/devices/system/node/node1", F_OK))
		wl_skip("one NUMA node (boot with numa=fake=2)");

	region_len = o.size;
	window_len = region_len / WINDOWS;
	region = wl_alloc_anon(region_len, false);
	wl_fill(region, region_len, SEED, 0);
	if (mode == MOVE) {
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
	if (mode == MOVE) {
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
