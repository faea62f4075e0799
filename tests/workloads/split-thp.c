// SPDX-License-Identifier: GPL-2.0
/*
 * split-thp: THPs split by the kernel while two processes map them.
 *
 * The region's THPs are written; the first half of them is PTE-mapped
 * (wl_split_pmds), the second half stays PMD-mapped, and a forked child
 * keeps all of them mapped.  With -H the program prints
 * "split-thp: region 0xSTART 0xEND" and holds: the guest test then asks
 * the kernel to split folios of the region through
 * /sys/kernel/debug/split_huge_pages ("<pid>,0xSTART,0xEND[,<order>]"),
 * unmapping every mapping of each folio, splitting it and mapping the
 * pieces again, in both processes.  Afterwards both processes check the
 * content and the parent rewrites and unmaps the region.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "common.h"

#define SEED_ORIG	1
#define SEED_PARENT	2

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size, half = len / 2;
	char *p = wl_alloc_thp(len);
	static bool shown;
	pid_t pid;

	wl_fill(p, len, SEED_ORIG, 0);
	wl_report_thp(o, p, len);
	wl_split_pmds(p, half - half % WL_THP_SIZE);

	pid = wl_fork();
	if (!pid) {
		wl_hold_child();
		wl_verify(p, len, SEED_ORIG, 0, "child verify");
		_exit(0);
	}
	if (o->hold && !shown) {
		shown = true;
		printf("split-thp: region %#lx %#lx\n", (unsigned long)(uintptr_t)p,
		       (unsigned long)(uintptr_t)(p + len));
	}
	wl_hold(1);
	wl_wait_child(pid);

	wl_verify(p, len, SEED_ORIG, 0, "parent verify");
	wl_info(o, "AnonHugePages %ld kB after the hold",
		wl_smaps_kb(p, len, "AnonHugePages"));
	wl_fill(p, len, SEED_PARENT, 0);
	wl_verify(p, len, SEED_PARENT, 0, "parent verify rewrite");
	wl_munmap(p, len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "split-thp", 0);
	return wl_run(&o, scenario);
}
