// SPDX-License-Identifier: GPL-2.0
/*
 * pageout: anonymous small pages and THPs swapped out and back in.
 *
 * Needs swap (the guest test sets up zram).  MADV_PAGEOUT reclaims a
 * small-page region and a THP region at once: every mapping is removed
 * (a PMD-mapped THP is split first) and replaced by a swap entry; the
 * program fails if /proc/self/smaps shows no swap afterwards.  A child
 * forked then shares the swap entries.  Both processes read the first half
 * of each region back: the first to fault reads the page into the swap
 * cache (folio_add_new_anon_rmap), the other maps the swap cache folio
 * (folio_add_anon_rmap_ptes).  The hold comes then, half swapped in; after
 * it the parent reads and rewrites everything.
 */
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

#define SEED_ORIG	1
#define SEED_PARENT	2

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size, small_len = len / 2;
	char *thp = wl_alloc_thp(len), *small = wl_alloc_anon(small_len, false);
	long swap_kb;
	pid_t pid;

	wl_fill(thp, len, SEED_ORIG, 0);
	wl_fill(small, small_len, SEED_ORIG, 0);
	wl_report_thp(o, thp, len);
	if (madvise(thp, len, MADV_PAGEOUT) || madvise(small, small_len, MADV_PAGEOUT))
		wl_fatal("madvise MADV_PAGEOUT");
	swap_kb = wl_smaps_kb(thp, len, "Swap") + wl_smaps_kb(small, small_len, "Swap");
	wl_info(o, "Swap %ld of %zu kB after MADV_PAGEOUT", swap_kb,
		(len + small_len) >> 10);
	if (swap_kb <= 0)
		wl_fail("pageout", "nothing swapped out (is swap on?)");

	pid = wl_fork();
	if (!pid) {
		wl_verify(thp, len / 2, SEED_ORIG, 0, "child verify thp swap-in");
		wl_verify(small, small_len / 2, SEED_ORIG, 0,
			  "child verify small swap-in");
		wl_hold_child();
		wl_verify(thp, len, SEED_ORIG, 0, "child verify thp");
		wl_verify(small, small_len, SEED_ORIG, 0, "child verify small");
		_exit(0);
	}
	wl_verify(thp, len / 2, SEED_ORIG, 0, "verify thp swap-in");
	wl_verify(small, small_len / 2, SEED_ORIG, 0, "verify small swap-in");
	wl_hold(1);
	wl_wait_child(pid);

	wl_verify(thp, len, SEED_ORIG, 0, "verify thp");
	wl_verify(small, small_len, SEED_ORIG, 0, "verify small");
	wl_fill(thp, len, SEED_PARENT, 0);
	wl_fill(small, small_len, SEED_PARENT, 0);
	wl_verify(thp, len, SEED_PARENT, 0, "verify thp rewrite");
	wl_verify(small, small_len, SEED_PARENT, 0, "verify small rewrite");
	wl_munmap(thp, len);
	wl_munmap(small, small_len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "pageout", 0);
	return wl_run(&o, scenario);
}
