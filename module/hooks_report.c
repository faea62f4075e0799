// SPDX-License-Identifier: GPL-2.0
/*
 * When the kernel notices a bad mapcount itself.  print_bad_pte() (6.12),
 * print_bad_page_map() (7.x, inlined) and bad_page() all call dump_page():
 * each call becomes a "kernel-report" finding on that folio, so a report of
 * ours can be matched with the kernel's own splat.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include "findings.h"
#include "folio_live.h"
#include "hooks.h"
#include "shadow.h"
#include "stats.h"

/* void dump_page(const struct page *page, const char *reason) */
int ms_on_dump_page(struct kprobe *p, struct pt_regs *regs)
{
	struct page *page = (struct page *)regs_get_kernel_argument(regs, 0);
	struct ms_shadow_view v;
	struct ms_witness w;
	struct folio *folio;
	bool tracked;

	ms_count(hook_hits[MS_HOOK_DUMP_PAGE]);
	/* The page is probably corrupt: it must at least be a real one. */
	if (!page || !ms_memmap_page((unsigned long)page))
		return 0;
	folio = page_folio(page);
	if (!ms_memmap_page((unsigned long)folio))
		return 0;
	/* Called from inside the store (DEBUG_VM): report without a lookup. */
	tracked = !ms_shadow_locked_here() &&
		  ms_shadow_lookup(folio_pfn(folio), &v);
	ms_witness_capture(&w, MS_HOOK_DUMP_PAGE, NULL);
	ms_finding_report(MS_FIND_KERNEL_REPORT, tracked ? &v : NULL, folio,
			  folio_mapcount(folio), &w);
	return 0;
}

NOKPROBE_SYMBOL(ms_on_dump_page);
