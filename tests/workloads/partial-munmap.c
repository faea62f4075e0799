// SPDX-License-Identifier: GPL-2.0
/*
 * partial-munmap: unmap and zap pieces out of the middle of THPs.
 *
 * munmap() of pages 100..355 of every THP splits the PMD and removes 256 PTE
 * mappings of a folio that stays partly mapped; MADV_DONTNEED of pages
 * 400..449 zaps another piece without touching the VMA. The pages that are
 * left must keep their content, the zapped ones must read back as zero, and
 * the final munmap removes the rest of each folio's mappings.
 */
#include <sys/mman.h>

#include "common.h"

#define HOLE_FIRST	100	/* munmap()ed pages, in each THP */
#define HOLE_LAST	355
#define ZAP_FIRST	400	/* MADV_DONTNEED pages, in each THP */
#define ZAP_LAST	449

#define PAGES(first, last)	(((last) - (first) + 1) * WL_PAGE_SIZE)
#define AT(thp, page)		((thp) + (page) * WL_PAGE_SIZE)

static void scenario(const struct wl_opts *o)
{
	char *p = wl_alloc_thp(o->size);
	size_t off;

	wl_fill(p, o->size, 1, 0);
	wl_report_thp(o, p, o->size);

	for (off = 0; off < o->size; off += WL_THP_SIZE) {
		char *thp = p + off;

		wl_munmap(AT(thp, HOLE_FIRST), PAGES(HOLE_FIRST, HOLE_LAST));
		if (madvise(AT(thp, ZAP_FIRST), PAGES(ZAP_FIRST, ZAP_LAST),
			    MADV_DONTNEED))
			wl_fatal("madvise MADV_DONTNEED");
	}

	for (off = 0; off < o->size; off += WL_THP_SIZE) {
		char *thp = p + off;

		wl_verify(thp, PAGES(0, HOLE_FIRST - 1), 1, off,
			  "verify before hole");
		wl_verify(AT(thp, HOLE_LAST + 1), PAGES(HOLE_LAST + 1, ZAP_FIRST - 1),
			  1, off + (HOLE_LAST + 1) * WL_PAGE_SIZE, "verify after hole");
		wl_verify_zero(AT(thp, ZAP_FIRST), PAGES(ZAP_FIRST, ZAP_LAST),
			       "verify zapped");
		wl_verify(AT(thp, ZAP_LAST + 1), PAGES(ZAP_LAST + 1, WL_THP_PAGES - 1),
			  1, off + (ZAP_LAST + 1) * WL_PAGE_SIZE, "verify after zap");
	}
	wl_hold(0);
	/* munmap() over the holes is fine: it unmaps whatever is still there. */
	wl_munmap(p, o->size);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "partial-munmap", 0);
	return wl_run(&o, scenario);
}
