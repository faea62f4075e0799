// SPDX-License-Identifier: GPL-2.0
/*
 * Folio lifecycle: where a folio's shadow ends.  mm_page_free fires for
 * every buddy free, in any context including hard IRQ, before the page's
 * fields are reset; hugetlb folios going back to their pool and ZONE_DEVICE
 * folios never reach it and are hooked by name.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include "hooks.h"
#include "shadow.h"
#include "stats.h"

void ms_on_page_free(void *data, struct page *page, unsigned int order)
{
	ms_count(hook_hits[MS_HOOK_PAGE_FREE]);
	/* Every page of the block: drivers map pages of non-compound blocks. */
	ms_shadow_free_range(page_to_pfn(page), 1UL << order, MS_HOOK_PAGE_FREE);
}

NOKPROBE_SYMBOL(ms_on_page_free);

/* void free_huge_folio(struct folio *), void free_zone_device_folio(...) */
int ms_on_free_folio(struct kprobe *p, struct pt_regs *regs)
{
	struct folio *folio = (struct folio *)regs_get_kernel_argument(regs, 0);
	enum ms_hook_id id = ms_hook_of_kp(p);

	ms_count(hook_hits[id]);
	ms_shadow_free_range(folio_pfn(folio), folio_nr_pages(folio), id);
	return 0;
}

NOKPROBE_SYMBOL(ms_on_free_folio);
