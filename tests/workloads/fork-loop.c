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
 * -m reclaim: the forks copy one half of the region and not the other
 * (MADV_DONTFORK), in turn; after each fork the half it copied is dropped
 * and refilled, so the next fork copies never-forked folios that were
 * filled an iteration earlier: under memory pressure (the guest test puts
 * the program in a cgroup with a small memory.max next to mem-hog) they
 * are among the oldest, the ones reclaim unmaps (try_to_unmap) while the
 * fork is copying them, also from the fork's own page-table allocations.
 * -m move: a second thread move_pages(2)s the newest window to the other
 * NUMA node (MPOL_MF_MOVE_ALL, the whole window in one call), and again,
 * back and forth, while the main thread forks, so try_to_migrate() runs on
 * never-forked folios during the forks.  It prints "fork-loop: moved N
 * pages ..." at the end (not with -q).  With fewer than two nodes it
 * prints "fork-loop: skip ..." and exits 0.
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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "common.h"

/* From <linux/mempolicy.h>; no libnuma. */
#define MPOL_MF_MOVE_ALL	(1 << 2)

#define SEED		1
#define WINDOWS		8	/* the region is verified and rewritten in eighths */

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
 * The mover: the newest window to the other node, all of it in one call
 * (isolated page by page under the mmap lock, then migrated in batches
 * without it, so most of the time the mover spends is spent where a fork
 * can run), over and over; it follows the main thread to each new window.
 * Pages that are busy just stay where they are (their status is negative);
 * so does the whole window when the kernel is short of memory.
 */
static void *mover(void *arg)
{
	size_t n = window_len / WL_PAGE_SIZE, i, base;
	void **pages = calloc(n, sizeof(*pages));
	int *nodes = calloc(n, sizeof(*nodes));
	int *status = calloc(n, sizeof(*status));
	int node = 1;

	(void)arg;
	if (!pages || !nodes || !status)
		wl_fatal("calloc");
	while (!__atomic_load_n(&mover_stop, __ATOMIC_RELAXED)) {
		base = __atomic_load_n(&newest, __ATOMIC_RELAXED);
		for (i = 0; i < n; i++) {
			pages[i] = region + base + i * WL_PAGE_SIZE;
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
		node = !node;
	}
	free(pages);
	free(nodes);
	free(status);
	return NULL;
}

static enum mode mode;
static unsigned int turn;	/* -m reclaim: the half the next fork copies */

static void advise(void *p, size_t len, int advice, const char *what)
{
	if (madvise(p, len, advice))
		wl_fatal(what);
}

static void scenario(const struct wl_opts *o)
{
	size_t half = region_len / 2;
	/* What is dropped and refilled: the window, or the half just copied. */
	size_t off = mode == RECLAIM ? turn * half : cursor;
	size_t len = mode == RECLAIM ? half : window_len;
	char *spacer = NULL;
	pid_t pid;

	(void)o;
	pid = wl_fork();
	if (!pid)
		_exit(0);
	wl_wait_child(pid);
	wl_verify(region + cursor, window_len, SEED, cursor, "verify window");
	advise(region + off, len, MADV_DONTNEED, "madvise MADV_DONTNEED");
	wl_verify_zero(region + off, WL_PAGE_SIZE, "after MADV_DONTNEED");
	if (mode == COMPACT) {
		spacer = wl_alloc_anon(len, false);
		wl_fill(spacer, len, SEED + 1, 0);
	}
	wl_fill(region + off, len, SEED, off);
	if (spacer)
		wl_munmap(spacer, len);
	if (mode == RECLAIM) {
		/* The other half, filled an iteration ago, is copied next. */
		advise(region + off, half, MADV_DONTFORK, "madvise MADV_DONTFORK");
		turn = !turn;
		advise(region + turn * half, half, MADV_DOFORK, "madvise MADV_DOFORK");
	}
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
	if (mode == RECLAIM)
		advise(region + region_len / 2, region_len / 2, MADV_DONTFORK,
		       "madvise MADV_DONTFORK");
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
