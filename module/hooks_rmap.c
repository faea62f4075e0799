// SPDX-License-Identifier: GPL-2.0
/*
 * Entry handlers of the out-of-line rmap primitives.  They run with
 * preemption off under the caller's page table lock: no sleeping, no
 * allocation, nothing that calls back into mm.
 */
#include <linux/mm.h>
#include "event.h"
#include "hooks.h"
#include "stats.h"

#define ARG(regs, n) regs_get_kernel_argument(regs, n)

/* f(folio, page, nr_pages, vma, ...): the *_rmap_ptes family. */
static void ms_emit_ptes(struct pt_regs *regs, int sign, enum ms_hook_id id)
{
	struct page *page = (struct page *)ARG(regs, 1);
	int nr = (int)ARG(regs, 2);
	struct vm_area_struct *vma = (struct vm_area_struct *)ARG(regs, 3);
	struct ms_event ev = {
		.folio = (struct folio *)ARG(regs, 0),
		.pfn = page_to_pfn(page),
		.nr = nr,
		.mm = vma->vm_mm,
		.delta = sign * nr,
		.level = MS_LEVEL_PTE,
		.source = id,
	};

	ms_count(hook_hits[id]);
	ms_event_submit(&ev);
}

/* void folio_add_anon_rmap_ptes(folio, page, nr_pages, vma, address, flags) */
int ms_on_add_anon_ptes(struct kprobe *p, struct pt_regs *regs)
{
	ms_emit_ptes(regs, 1, MS_HOOK_ADD_ANON_PTES);
	return 0;
}

/* void folio_add_file_rmap_ptes(folio, page, nr_pages, vma) */
int ms_on_add_file_ptes(struct kprobe *p, struct pt_regs *regs)
{
	ms_emit_ptes(regs, 1, MS_HOOK_ADD_FILE_PTES);
	return 0;
}

/* void folio_remove_rmap_ptes(folio, page, nr_pages, vma) */
int ms_on_remove_ptes(struct kprobe *p, struct pt_regs *regs)
{
	ms_emit_ptes(regs, -1, MS_HOOK_REMOVE_PTES);
	return 0;
}

/*
 * void folio_add_new_anon_rmap(folio, vma, address, flags)
 * Sets rather than adds: a PMD-mappable folio is mapped once by a PMD, an
 * mTHP by one PTE per page, a small folio once.
 */
int ms_on_add_new_anon(struct kprobe *p, struct pt_regs *regs)
{
	struct folio *folio = (struct folio *)ARG(regs, 0);
	struct vm_area_struct *vma = (struct vm_area_struct *)ARG(regs, 1);
	bool pmd = folio_test_large(folio) && folio_test_pmd_mappable(folio);
	struct ms_event ev = {
		.folio = folio,
		.pfn = folio_pfn(folio),
		.nr = folio_nr_pages(folio),
		.mm = vma->vm_mm,
		.delta = pmd ? 1 : folio_nr_pages(folio),
		.level = pmd ? MS_LEVEL_PMD : MS_LEVEL_PTE,
		.source = MS_HOOK_ADD_NEW_ANON,
	};

	ms_count(hook_hits[MS_HOOK_ADD_NEW_ANON]);
	ms_event_submit(&ev);
	return 0;
}
