// SPDX-License-Identifier: GPL-2.0
/*
 * fork-cow: copy-on-write of anon memory shared with a child, then reuse.
 *
 * The THP region mixes PTE-mapped THPs (first half of the region) and THPs
 * still PMD-mapped (second half); a small-page region (MADV_NOHUGEPAGE)
 * sits next to it. fork() duplicates every mapping (rmap dup paths). The
 * child writes to the first half of every THP and of the small region, so
 * those pages are copied; on a PMD-mapped THP the write splits the child's
 * PMD first. After the child has exited the parent writes to the other
 * halves: the folios are exclusive again and are reused, not copied.
 */
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

#define SEED_ORIG	1
#define SEED_CHILD	2
#define SEED_PARENT	3

#define HALF_THP	(WL_THP_SIZE / 2)

/* Write (or verify) the first or second half of every THP of the region. */
static void thp_halves(char *p, size_t len, bool second, uint64_t seed,
		       bool verify, const char *what)
{
	size_t off;

	for (off = second ? HALF_THP : 0; off < len; off += WL_THP_SIZE) {
		if (verify)
			wl_verify(p + off, HALF_THP, seed, off, what);
		else
			wl_fill(p + off, HALF_THP, seed, off);
	}
}

static void child(char *thp, size_t thp_len, char *small, size_t small_len)
{
	wl_verify(thp, thp_len, SEED_ORIG, 0, "child verify thp");
	wl_verify(small, small_len, SEED_ORIG, 0, "child verify small");
	thp_halves(thp, thp_len, false, SEED_CHILD, false, NULL);
	wl_fill(small, small_len / 2, SEED_CHILD, 0);
	thp_halves(thp, thp_len, false, SEED_CHILD, true, "child verify copies");
	thp_halves(thp, thp_len, true, SEED_ORIG, true, "child verify shared");
	/* -H: hold with the child's copies and the shared halves mapped. */
	wl_hold_child();
	/* _exit: the parent's stdio state must not be flushed twice. */
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	size_t thp_len = o->size, split_len = thp_len / 2;
	size_t small_len = o->size / 2, small_half = small_len / 2;
	char *thp = wl_alloc_thp(thp_len);
	char *small = wl_alloc_anon(small_len, false);
	pid_t pid;

	wl_fill(thp, thp_len, SEED_ORIG, 0);
	wl_fill(small, small_len, SEED_ORIG, 0);
	wl_report_thp(o, thp, thp_len);
	/* Whole THPs only; with -s 2 the single THP stays PMD-mapped. */
	wl_split_pmds(thp, split_len - split_len % WL_THP_SIZE);

	pid = wl_fork();
	if (!pid)
		child(thp, thp_len, small, small_len);
	wl_hold(1);
	wl_wait_child(pid);

	/* The child's copies must not show through in the parent. */
	wl_verify(thp, thp_len, SEED_ORIG, 0, "parent verify thp");
	wl_verify(small, small_len, SEED_ORIG, 0, "parent verify small");
	thp_halves(thp, thp_len, true, SEED_PARENT, false, NULL);
	wl_fill(small + small_half, small_len - small_half, SEED_PARENT, small_half);
	thp_halves(thp, thp_len, false, SEED_ORIG, true, "parent verify first halves");
	thp_halves(thp, thp_len, true, SEED_PARENT, true, "parent verify reused");
	wl_verify(small + small_half, small_len - small_half, SEED_PARENT,
		  small_half, "parent verify reused small");
	wl_munmap(thp, thp_len);
	wl_munmap(small, small_len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "fork-cow", 0);
	return wl_run(&o, scenario);
}
