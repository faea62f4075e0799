// SPDX-License-Identifier: GPL-2.0
/*
 * When the kernel notices a bad mapcount itself.  print_bad_pte() (6.12),
 * print_bad_page_map() (7.x, inlined) and bad_page() all call dump_page():
 * each call becomes a "kernel-report" finding on that folio, so a report of
 * ours can be matched with the kernel's own splat.
 *
 * pmd_clear_bad() and pud_clear_bad() are where a page-table walker that
 * met an entry it did not expect (pmd_none_or_clear_bad()) says "bad pmd"
 * or "bad pud" and clears it.  When that entry was a huge leaf mapping a
 * folio the shadow counts at that level, the mapping is gone without its
 * rmap removal, its rss counter or its folio reference: a
 * "mapping-dropped" finding, on that folio, with the walker's stack (the
 * mm-leak at the process's exit is the same mapping, seen late).
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include "findings.h"
#include "folio_live.h"
#include "hooks.h"
#include "shadow.h"
#include "shadow_rules.h"
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

/*
 * A leaf the kernel is about to clear as bad: PFN mapped at LEVEL.  The
 * entry still maps the folio (the caller clears it after us), so its
 * memmap cannot go away under us.
 */
static void ms_on_clear_bad(unsigned long pfn, enum ms_level level,
			    enum ms_hook_id hook)
{
	struct ms_shadow_view v;
	struct ms_witness w;
	struct folio *folio;
	struct page *page;

	if (!pfn_valid(pfn))
		return;
	page = ms_memmap_page((unsigned long)pfn_to_page(pfn));
	if (!page)
		return;
	folio = page_folio(page);
	if (!ms_memmap_page((unsigned long)folio) ||
	    ms_shadow_locked_here() ||
	    !ms_shadow_lookup(folio_pfn(folio), &v) ||
	    v.core.levels[level] <= 0)
		return;
	ms_witness_capture(&w, hook, NULL);
	ms_finding_report(MS_FIND_MAPPING_DROPPED, &v, folio,
			  folio_mapcount(folio), &w);
}

/* void pmd_clear_bad(pmd_t *pmd) */
int ms_on_pmd_clear_bad(struct kprobe *p, struct pt_regs *regs)
{
	pmd_t *pmdp = (pmd_t *)regs_get_kernel_argument(regs, 0);
	pmd_t pmd;

	ms_count(hook_hits[MS_HOOK_PMD_CLEAR_BAD]);
	if (!pmdp)
		return 0;
	pmd = READ_ONCE(*pmdp);
	if (pmd_present(pmd) && pmd_leaf(pmd))
		ms_on_clear_bad(pmd_pfn(pmd), MS_LEVEL_PMD,
				MS_HOOK_PMD_CLEAR_BAD);
	return 0;
}

NOKPROBE_SYMBOL(ms_on_pmd_clear_bad);

/* void pud_clear_bad(pud_t *pud) */
int ms_on_pud_clear_bad(struct kprobe *p, struct pt_regs *regs)
{
	pud_t *pudp = (pud_t *)regs_get_kernel_argument(regs, 0);
	pud_t pud;

	ms_count(hook_hits[MS_HOOK_PUD_CLEAR_BAD]);
	if (!pudp)
		return 0;
	pud = READ_ONCE(*pudp);
	if (pud_present(pud) && pud_leaf(pud))
		ms_on_clear_bad(pud_pfn(pud), MS_LEVEL_PUD,
				MS_HOOK_PUD_CLEAR_BAD);
	return 0;
}

NOKPROBE_SYMBOL(ms_on_pud_clear_bad);
