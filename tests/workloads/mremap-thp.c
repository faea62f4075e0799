// SPDX-License-Identifier: GPL-2.0
/*
 * mremap-thp: move half of every THP to another address.
 *
 * mremap(MREMAP_MAYMOVE | MREMAP_FIXED) of 1 MiB out of a PMD-mapped THP
 * splits the PMD and moves the PTEs: the folio ends up mapped from two VMAs
 * at unrelated addresses. Even THPs move their first half, odd ones their
 * second half. Content is checked at the new and the old place before both
 * ranges are unmapped.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "common.h"

#define HALF_THP	(WL_THP_SIZE / 2)

static void scenario(const struct wl_opts *o)
{
	char *p = wl_alloc_thp(o->size);
	char *dst;
	size_t off;

	wl_fill(p, o->size, 1, 0);
	wl_report_thp(o, p, o->size);

	/* Reserve the destination so MREMAP_FIXED cannot clobber a mapping. */
	dst = mmap(NULL, o->size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED)
		wl_fatal("mmap destination");

	for (off = 0; off < o->size; off += WL_THP_SIZE) {
		size_t moved = off + (off / WL_THP_SIZE % 2 ? HALF_THP : 0);
		size_t kept = off + (off / WL_THP_SIZE % 2 ? 0 : HALF_THP);

		if (mremap(p + moved, HALF_THP, HALF_THP,
			   MREMAP_MAYMOVE | MREMAP_FIXED, dst + moved) == MAP_FAILED)
			wl_fatal("mremap");
		wl_verify(dst + moved, HALF_THP, 1, moved, "verify moved half");
		wl_verify(p + kept, HALF_THP, 1, kept, "verify kept half");
	}
	wl_hold(0);
	wl_munmap(dst, o->size);
	wl_munmap(p, o->size);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "mremap-thp", 0);
	return wl_run(&o, scenario);
}
