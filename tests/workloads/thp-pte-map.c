// SPDX-License-Identifier: GPL-2.0
/*
 * thp-pte-map: PMD-mapped THPs become PTE-mapped THPs.
 *
 * An mprotect() of one 4 KiB page inside each 2 MiB THP splits the VMA and
 * with it the PMD, so the folio goes from one PMD mapping to 512 PTE
 * mappings (folio_add_anon_rmap_ptes / folio_remove_rmap_pmd). Restoring the
 * protection merges the VMAs back but the THP stays PTE-mapped until munmap
 * removes all 512 PTE mappings.
 */
#include <stdlib.h>

#include "common.h"

static void scenario(const struct wl_opts *o)
{
	char *p = wl_alloc_thp(o->size);

	wl_fill(p, o->size, 1, 0);
	wl_report_thp(o, p, o->size);
	wl_split_pmds(p, o->size);
	wl_verify(p, o->size, 1, 0, "verify after split");
	/* Writes through the PTEs of a split THP, still the same folio. */
	wl_fill(p, o->size, 2, 0);
	wl_verify(p, o->size, 2, 0, "verify after rewrite");
	wl_hold(0);
	wl_munmap(p, o->size);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "thp-pte-map", 0);
	return wl_run(&o, scenario);
}
