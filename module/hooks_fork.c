// SPDX-License-Identifier: GPL-2.0
/*
 * Fork.  copy_page_range() duplicates mappings with helpers inlined from
 * include/linux/rmap.h that have no symbol.  With a site table armed those
 * writes are probed exactly (sites.c).  Without one, every folio the child
 * ends up mapping is marked unverifiable by walking the child's page tables
 * when copy_page_range() returns: both mms are write-locked then and the
 * child has never run, so its tables cannot change or go away under us.
 *
 * copy_huge_pmd() (PMD-mapped anon THP) is exact without a table: on
 * success the child's PMD maps the same folio once more.  Kernels that
 * emit folio_try_dup_anon_rmap_pmd() out of line get it hooked by name
 * instead (hooks_rmap.c).
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include "event.h"
#include "filter.h"
#include "fork.h"
#include "hooks.h"
#include "mm_ids.h"
#include "shadow.h"
#include "sites.h"
#include "stats.h"

#define ARG(regs, n) regs_get_kernel_argument(regs, n)

/*
 * The child's mm of each fork in progress, by forking task: inlined dup
 * sites learn from it which mm they map into.  copy_page_range() may sleep
 * and move between CPUs, so this is keyed by task, not CPU.
 */
#define MS_FORK_SLOTS 64
static DEFINE_SPINLOCK(ms_fork_lock);	/* ms_fork_slots */
static struct {
	const struct task_struct *task;
	struct mm_struct *mm;
} ms_fork_slots[MS_FORK_SLOTS];

static void ms_fork_stash(struct mm_struct *mm)
{
	unsigned long flags;
	int i, free = -1;

	spin_lock_irqsave(&ms_fork_lock, flags);
	for (i = 0; i < MS_FORK_SLOTS; i++) {
		if (ms_fork_slots[i].task == current) {
			free = i;
			break;
		}
		if (free < 0 && !ms_fork_slots[i].task)
			free = i;
	}
	if (free >= 0) {
		ms_fork_slots[free].task = mm ? current : NULL;
		ms_fork_slots[free].mm = mm;
	}
	spin_unlock_irqrestore(&ms_fork_lock, flags);
}

/* The mm the current task is forking into, or NULL. */
struct mm_struct *ms_fork_child_mm(void)
{
	struct mm_struct *mm = NULL;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&ms_fork_lock, flags);
	for (i = 0; i < MS_FORK_SLOTS; i++) {
		if (ms_fork_slots[i].task == current) {
			mm = ms_fork_slots[i].mm;
			break;
		}
	}
	spin_unlock_irqrestore(&ms_fork_lock, flags);
	return mm;
}

static atomic_t ms_fork_windows = ATOMIC_INIT(0);
static atomic_t ms_fork_generation = ATOMIC_INIT(0);

/* Open fork windows: validation must not trust counts while one is open. */
void ms_fork_window_state(int *open, int *generation)
{
	*open = atomic_read(&ms_fork_windows);
	*generation = atomic_read(&ms_fork_generation);
}

static void ms_mark(struct folio **last, struct folio *folio)
{
	if (folio == *last)
		return;
	*last = folio;
	ms_shadow_mark_unverifiable(folio, MS_SRC_FORK_WALK);
}

static void ms_walk_ptes(pmd_t pmd, unsigned long addr, unsigned long end,
			 struct folio **last)
{
	pte_t *ptep = pte_offset_kernel(&pmd, addr);

	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		pte_t pte = ptep_get(ptep);
		unsigned long pfn;

		if (!pte_present(pte) || pte_special(pte))
			continue;
		pfn = pte_pfn(pte);
		if (!pfn_valid(pfn))
			continue;
		ms_mark(last, page_folio(pfn_to_page(pfn)));
	}
}

static void ms_walk_pmds(pud_t *pudp, unsigned long addr, unsigned long end,
			 struct folio **last)
{
	pmd_t *pmdp = pmd_offset(pudp, addr);
	unsigned long next;

	for (; addr < end; addr = next, pmdp++) {
		pmd_t pmd = pmdp_get_lockless(pmdp);

		next = pmd_addr_end(addr, end);
		if (pmd_none(pmd) || !pmd_present(pmd))
			continue;
		if (pmd_leaf(pmd)) {
			/* Counted exactly by the copy_huge_pmd hook. */
			continue;
		}
		if (pmd_bad(pmd))
			continue;
		ms_walk_ptes(pmd, addr, next, last);
	}
}

static void ms_walk_vma(struct vm_area_struct *vma)
{
	unsigned long addr = vma->vm_start, end = vma->vm_end, next;
	struct folio *last = NULL;

	if (vma->vm_flags & VM_PFNMAP)
		return;
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
				ms_walk_pmds(pud, addr, pud_next, &last);
			}
		}
	}
}

struct ms_copy_call {
	struct vm_area_struct *dst;
	unsigned int sites_gen;
	bool sites;
};

/* int copy_page_range(struct vm_area_struct *dst_vma, *src_vma) */
int ms_copy_page_range_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct ms_copy_call *call = (struct ms_copy_call *)ri->data;

	BUILD_BUG_ON(sizeof(*call) > 16);
	ms_count(hook_hits[MS_HOOK_COPY_PAGE_RANGE]);
	call->dst = (struct vm_area_struct *)ARG(regs, 0);
	call->sites_gen = ms_sites_generation();
	call->sites = ms_sites_armed();
	ms_fork_stash(call->dst->vm_mm);
	atomic_inc(&ms_fork_windows);
	atomic_inc(&ms_fork_generation);
	return 0;
}

int ms_copy_page_range_ret(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct ms_copy_call *call = (struct ms_copy_call *)ri->data;

	/*
	 * Even a failed copy may have duplicated part of the range.  Sites
	 * armed or disarmed meanwhile saw only part of it.
	 */
	if (ms_tracking() && (!call->sites || !ms_sites_stable(call->sites_gen))) {
		ms_walk_vma(call->dst);
		ms_mm_incomplete(call->dst->vm_mm);
		ms_count(fork_walks);
	}
	ms_fork_stash(NULL);
	atomic_dec(&ms_fork_windows);
	return 0;
}

struct ms_huge_pmd_call {
	pmd_t *dst_pmd;
	struct folio *folio;
	struct mm_struct *dst_mm;
	unsigned int sites_gen;
};

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

	BUILD_BUG_ON(sizeof(*call) > 32);
	ms_count(hook_hits[MS_HOOK_COPY_HUGE_PMD]);
	call->folio = NULL;
	call->dst_mm = (struct mm_struct *)ARG(regs, 0);
	call->sites_gen = ms_sites_generation();
	call->dst_pmd = (pmd_t *)ARG(regs, 2);
	if (ms_hook_armed(MS_HOOK_DUP_ANON_PMD) || ms_sites_armed())
		return 0;
	if (!pmd_present(src) || !pmd_leaf(src) || !pfn_valid(pmd_pfn(src)))
		return 0;
	folio = page_folio(pmd_page(src));
	/* Only anon THPs are copied; the huge zero folio has no rmap. */
	if (!folio_test_anon(folio))
		return 0;
	ev.folio = folio;
	ev.source = MS_HOOK_COPY_HUGE_PMD;
	if (!ms_filter_allows(call->dst_mm)) {
		ms_shadow_mark_if_tracked(folio, MS_HOOK_COPY_HUGE_PMD);
		ms_mm_incomplete(call->dst_mm);
		return 0;
	}
	if (ms_shadow_begin(&ev, false))
		call->folio = folio;
	return 0;
}

int ms_copy_huge_pmd_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ms_huge_pmd_call *call = (struct ms_huge_pmd_call *)ri->data;
	struct ms_event ev = {};
	bool done = false;
	pmd_t dst;

	if (!call->folio)
		return 0;
	/* Sites armed meanwhile may have counted the dup already. */
	if (!ms_sites_stable(call->sites_gen)) {
		ms_shadow_mark_unverifiable(call->folio, MS_HOOK_COPY_HUGE_PMD);
		ms_mm_incomplete(call->dst_mm);
	} else if (regs_return_value(regs) == 0) {
		dst = pmdp_get_lockless(call->dst_pmd);
		done = pmd_present(dst) && pmd_leaf(dst) &&
		       page_folio(pmd_page(dst)) == call->folio;
	}
	ev.folio = call->folio;
	ev.pfn = folio_pfn(call->folio);
	ev.nr = folio_nr_pages(call->folio);
	ev.delta = 1;
	ev.level = MS_LEVEL_PMD;
	ev.source = MS_HOOK_COPY_HUGE_PMD;
	ev.mm = call->dst_mm;
	if (done) {
		ms_count(events[MS_LEVEL_PMD]);
		ev.mm_id = ms_mm_account(call->dst_mm, 1);
	}
	ms_shadow_end(&ev, done);
	return 0;
}
