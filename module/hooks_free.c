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

/*
 * Shadows are keyed by head pfn, and a compound page's tails head no
 * folio: their own shadows ended when they were last freed, before the
 * block was allocated again as one compound page.  So a freed folio has
 * one entry to look up, where a 2 MiB THP would otherwise cost 512 bucket
 * lookups.  (Were one left behind by an event we missed, the entry's
 * order would disagree when its pfn next heads a folio, and the shadow is
 * reshaped then: shadow.c.)  A non-compound block is every page's own:
 * drivers map its pages one by one.
 */
static unsigned long ms_freed_heads(struct page *page, unsigned int order)
{
	return order && PageHead(page) ? 1 : 1UL << order;
}

void ms_on_page_free(void *data, struct page *page, unsigned int order)
{
	ms_count(hook_hits[MS_HOOK_PAGE_FREE]);
	ms_shadow_free_range(page_to_pfn(page), ms_freed_heads(page, order),
			     MS_HOOK_PAGE_FREE);
}

NOKPROBE_SYMBOL(ms_on_page_free);

/* void free_huge_folio(struct folio *), void free_zone_device_folio(...) */
int ms_on_free_folio(struct kprobe *p, struct pt_regs *regs)
{
	struct folio *folio = (struct folio *)regs_get_kernel_argument(regs, 0);
	enum ms_hook_id id = ms_hook_of_kp(p);

	ms_count(hook_hits[id]);
	/* A folio: its head's entry only (ms_freed_heads()). */
	ms_shadow_free_range(folio_pfn(folio), 1, id);
	return 0;
}

NOKPROBE_SYMBOL(ms_on_free_folio);
