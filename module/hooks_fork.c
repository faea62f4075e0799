// SPDX-License-Identifier: GPL-2.0
/*
 * Fork.  copy_page_range() duplicates mappings with helpers inlined from
 * include/linux/rmap.h that have no symbol.  With a site table armed those
 * writes are probed exactly (sites.c).  Without one, the copy is a blind
 * window (tracking.h): nothing is judged while it is open, an event of the
 * child's mm during it marks its folio unverifiable (reclaim and migration
 * reach the child's new PTEs through the rmap before we know of them), and
 * when copy_page_range() returns every tracked folio the child then maps is
 * marked unverifiable by walking the child's page tables.  Both mms are
 * write-locked then and the child has never run, so its tables only lose
 * entries under us (reclaim, migration), which the rule above covers.
 *
 * The walk runs in a return handler, preemption off: it is bounded.  A
 * copy too large to walk loses trust in every shadow instead (tracking.h),
 * which costs coverage, never a false finding.  It never creates shadow
 * entries: a folio we do not track yet is adopted at first sight, with the
 * child's mappings in its live count.
 *
 * copy_huge_pmd() (PMD-mapped anon THP) is exact without a table: on
 * success the child's PMD maps the same folio once more.  Kernels that
 * emit folio_try_dup_anon_rmap_pmd() out of line get it hooked by name
 * instead (hooks_rmap.c).
 */
#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include "compat.h"
#include "event.h"
#include "fork.h"
#include "hooks.h"
#include "mm_ids.h"
#include "shadow.h"
#include "sites.h"
#include "stats.h"
#include "tracking.h"

#define ARG(regs, n) regs_get_kernel_argument(regs, n)

/* Page table entries one fork walk may visit in probe context. */
#define MS_FORK_WALK_BUDGET 65536

struct ms_walk {
	struct folio *last;
	unsigned long budget;
};

static void ms_mark_pfn(struct ms_walk *w, unsigned long pfn)
{
	/* A pfn from a page table: only memory the memmap describes. */
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	if (!page)
		return;
	folio = page_folio(page);
	if (folio == w->last)
		return;
	w->last = folio;
	ms_shadow_mark_if_tracked(folio);
}

/* False when the budget ran out. */
static bool ms_walk_ptes(pmd_t pmd, unsigned long addr, unsigned long end,
			 struct ms_walk *w)
{
	pte_t *ptep = pte_offset_kernel(&pmd, addr);

	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		pte_t pte = ptep_get(ptep);
		unsigned long pfn;

		if (!w->budget)
			return false;
		w->budget--;
		if (pte_none(pte))
			continue;
		if (pte_present(pte)) {
			if (!pte_special(pte))
				ms_mark_pfn(w, pte_pfn(pte));
		} else if (ms_compat_pte_leaf_pfn(pte, &pfn)) {
			/* Still mapped, as far as the mapcount goes. */
			ms_mark_pfn(w, pfn);
		}
	}
	return true;
}

static bool ms_walk_pmds(pud_t *pudp, unsigned long addr, unsigned long end,
			 struct ms_walk *w)
{
	pmd_t *pmdp = pmd_offset(pudp, addr);
	unsigned long next;

	for (; addr < end; addr = next, pmdp++) {
		pmd_t pmd = pmdp_get_lockless(pmdp);

		next = pmd_addr_end(addr, end);
		if (!w->budget)
			return false;
		w->budget--;
		if (pmd_none(pmd) || !pmd_present(pmd))
			continue;
		if (pmd_leaf(pmd)) {
			/* Counted exactly by the copy_huge_pmd hook. */
			continue;
		}
		if (pmd_bad(pmd))
			continue;
		if (!ms_walk_ptes(pmd, addr, next, w))
			return false;
	}
	return true;
}

static bool ms_walk_vma(struct vm_area_struct *vma, struct ms_walk *w)
{
	unsigned long addr = vma->vm_start, end = vma->vm_end, next;

	if (vma->vm_flags & VM_PFNMAP)
		return true;
	for (; addr < end; addr = next) {
		pgd_t *pgd = pgd_offset(vma->vm_mm, addr);
		p4d_t *p4d;
		unsigned long p4d_next, pud_next;
		pud_t *pud;

		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd) || pgd_bad(*pgd))
			continue;
		p4d = p4d_offset(pgd, addr);
		for (; addr < next; addr = p4d_next, p4d++) {
			p4d_next = p4d_addr_end(addr, next);
			if (p4d_none(*p4d) || p4d_bad(*p4d))
				continue;
			pud = pud_offset(p4d, addr);
			for (; addr < p4d_next; addr = pud_next, pud++) {
				pud_next = pud_addr_end(addr, p4d_next);
				if (pud_none(*pud) || pud_leaf(*pud) ||
				    pud_bad(*pud))
					continue;
				if (!ms_walk_pmds(pud, addr, pud_next, w))
					return false;
			}
		}
	}
	return true;
}

/* Marks what the child maps after a copy we did not see. */
static void ms_fork_walk(struct vm_area_struct *dst)
{
	struct ms_walk w = { .budget = MS_FORK_WALK_BUDGET };

	ms_count(fork_walks);
	if (!ms_walk_vma(dst, &w))
		ms_trust_lost(MS_LOSS_FORK_WALK);
	this_cpu_add(ms_counters.fork_walk_ptes, MS_FORK_WALK_BUDGET - w.budget);
}

/* int copy_page_range(struct vm_area_struct *dst_vma, *src_vma) */
int ms_copy_page_range_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct ms_copy_call *call = (struct ms_copy_call *)ri->data;
	struct mm_struct *child;

	ms_count(hook_hits[MS_HOOK_COPY_PAGE_RANGE]);
	call->dst = (struct vm_area_struct *)ARG(regs, 0);
	child = call->dst->vm_mm;
	call->sites_gen = ms_fork_sites_generation();
	call->sites = ms_sites_armed();
	call->stashed = ms_fork_stash(child);
	if (!call->stashed) {
		/* Sites will not know the child: its total proves nothing. */
		ms_count(fork_slots_full);
		ms_mm_incomplete(child);
	}
	call->copying = false;
	if (!call->sites) {
		ms_fork_blind_open();
		call->copying = ms_mm_copying(child, 1);
		if (!call->copying)
			ms_trust_lost(MS_LOSS_FORK_WALK);
	}
	return 0;
}

NOKPROBE_SYMBOL(ms_copy_page_range_entry);

int ms_copy_page_range_ret(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct ms_copy_call *call = (struct ms_copy_call *)ri->data;
	struct mm_struct *child = call->dst->vm_mm;

	/*
	 * Even a failed copy may have duplicated part of the range.  Sites
	 * armed or disarmed meanwhile saw only part of it.
	 */
	if (ms_tracking() && (!call->sites || !ms_fork_sites_stable(call->sites_gen))) {
		ms_fork_walk(call->dst);
		ms_mm_incomplete(child);
	}
	if (call->copying)
		ms_mm_copying(child, -1);
	if (!call->sites)
		ms_fork_blind_close();
	if (call->stashed)
		ms_fork_stash(NULL);
	return 0;
}

NOKPROBE_SYMBOL(ms_copy_page_range_ret);

/* The child's PMD maps the THP once more. */
static void ms_huge_pmd_event(struct ms_event *ev, struct folio *folio,
			      struct mm_struct *child)
{
	ev->folio = folio;
	ev->pfn = folio_pfn(folio);
	ev->nr = folio_nr_pages(folio);
	ev->delta = 1;
	ev->level = MS_LEVEL_PMD;
	ev->source = MS_HOOK_COPY_HUGE_PMD;
	ev->mm = child;
}

/*
 * int copy_huge_pmd(struct mm_struct *dst_mm, struct mm_struct *src_mm,
 *		     pmd_t *dst_pmd, pmd_t *src_pmd, unsigned long addr,
 *		     struct vm_area_struct *dst_vma, *src_vma)
 */
int ms_copy_huge_pmd_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ms_huge_pmd_call *call = (struct ms_huge_pmd_call *)ri->data;
	pmd_t src = pmdp_get_lockless((pmd_t *)ARG(regs, 3));
	struct ms_event ev = {};
	struct folio *folio;
	struct page *page;

	ms_count(hook_hits[MS_HOOK_COPY_HUGE_PMD]);
	call->folio = NULL;
	call->dst_mm = (struct mm_struct *)ARG(regs, 0);
	call->sites_gen = ms_fork_sites_generation();
	call->dst_pmd = (pmd_t *)ARG(regs, 2);
	if (ms_hook_armed(MS_HOOK_DUP_ANON_PMD) || ms_sites_armed())
		return 0;
	/* A pfn from a page table: only memory the memmap describes. */
	if (!pmd_present(src) || !pmd_leaf(src))
		return 0;
	page = pfn_to_online_page(pmd_pfn(src));
	if (!page)
		return 0;
	folio = page_folio(page);
	/* Only anon THPs are copied; the huge zero folio has no rmap. */
	if (!folio_test_anon(folio))
		return 0;
	ms_huge_pmd_event(&ev, folio, call->dst_mm);
	if (!ms_event_admit(&ev, call->dst_mm))
		return 0;
	if (ms_shadow_begin(&ev, false))
		call->folio = folio;
	return 0;
}

NOKPROBE_SYMBOL(ms_copy_huge_pmd_entry);

int ms_copy_huge_pmd_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ms_huge_pmd_call *call = (struct ms_huge_pmd_call *)ri->data;
	struct ms_event ev = {};
	bool done = false;
	pmd_t dst;

	if (!call->folio)
		return 0;
	/* Sites armed meanwhile may have counted the dup already. */
	if (!ms_fork_sites_stable(call->sites_gen)) {
		ms_shadow_mark_unverifiable(call->folio);
		ms_mm_incomplete(call->dst_mm);
	} else if (regs_return_value(regs) == 0) {
		dst = pmdp_get_lockless(call->dst_pmd);
		done = pmd_present(dst) && pmd_leaf(dst) &&
		       pmd_pfn(dst) == folio_pfn(call->folio);
	}
	ms_huge_pmd_event(&ev, call->folio, call->dst_mm);
	if (done)
		ms_event_account(&ev);
	ms_shadow_end(&ev, done);
	return 0;
}

NOKPROBE_SYMBOL(ms_copy_huge_pmd_ret);
