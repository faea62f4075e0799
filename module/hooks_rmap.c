// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers of the out-of-line rmap primitives.  The entry handler turns the
 * call into an event and applies it (the kernel is about to make the same
 * change); the return handler ends the update, so that validation knows when
 * the live counters have caught up; an entry that keeps nothing (not
 * tracking, filtered out) asks for no return, which saves the return
 * trampoline's cost on every call the filter drops.  Both run with
 * preemption off, under the caller's page table lock: no sleeping, no
 * allocation that may sleep, no calls into mm code we probe.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include "event.h"
#include "hooks.h"
#include "mm_ids.h"
#include "shadow.h"
#include "sites.h"
#include "stats.h"

static struct vm_area_struct *ms_vma(const unsigned long *args, int n)
{
	return (struct vm_area_struct *)args[n];
}

/* Fills ev for rmap primitive id from its arguments. */
static void ms_decode(enum ms_hook_id id, const unsigned long *args,
		      struct ms_event *ev)
{
	struct folio *folio = (struct folio *)args[0];
	struct page *page = (struct page *)args[1];
	struct vm_area_struct *vma;
	bool pmd;

	ev->folio = folio;
	ev->source = id;
	ev->pfn = folio_pfn(folio);
	ev->nr = folio_nr_pages(folio);
	switch (id) {
	case MS_HOOK_ADD_ANON_PTES:	/* (folio, page, nr, vma, addr, flags) */
	case MS_HOOK_ADD_FILE_PTES:	/* (folio, page, nr, vma) */
	case MS_HOOK_REMOVE_PTES:
	case MS_HOOK_DUP_ANON_PTES:	/* (folio, page, nr, dst_vma, src_vma) */
		ev->pfn = page_to_pfn(page);
		ev->nr = (int)args[2];
		ev->delta = ev->nr;
		ev->level = MS_LEVEL_PTE;
		vma = ms_vma(args, 3);
		break;
	case MS_HOOK_ADD_ANON_PMD:	/* (folio, page, vma, ...) */
	case MS_HOOK_ADD_FILE_PMD:
	case MS_HOOK_REMOVE_PMD:
	case MS_HOOK_DUP_ANON_PMD:	/* (folio, page, dst_vma, src_vma) */
		ev->delta = 1;
		ev->level = MS_LEVEL_PMD;
		vma = ms_vma(args, 2);
		break;
	case MS_HOOK_ADD_FILE_PUD:
	case MS_HOOK_REMOVE_PUD:
		ev->delta = 1;
		ev->level = MS_LEVEL_PUD;
		vma = ms_vma(args, 2);
		break;
	case MS_HOOK_ADD_NEW_ANON:	/* (folio, vma, addr, flags) */
		/*
		 * Sets rather than adds: a PMD-mappable folio is mapped once
		 * by a PMD, an mTHP by one PTE per page, a small folio once.
		 */
		pmd = folio_test_large(folio) && folio_test_pmd_mappable(folio);
		ev->delta = pmd ? 1 : ev->nr;
		ev->level = pmd ? MS_LEVEL_PMD : MS_LEVEL_PTE;
		vma = ms_vma(args, 1);
		break;
	case MS_HOOK_HUGETLB_ADD_ANON:	/* (folio, vma, addr, ...) */
	case MS_HOOK_HUGETLB_ADD_NEW_ANON:
		ev->delta = 1;
		ev->level = MS_LEVEL_HUGETLB;
		vma = ms_vma(args, 1);
		break;
	default:
		vma = NULL;
	}
	if (id == MS_HOOK_REMOVE_PTES || id == MS_HOOK_REMOVE_PMD ||
	    id == MS_HOOK_REMOVE_PUD)
		ev->delta = -ev->delta;
	ev->mm = vma ? vma->vm_mm : NULL;
}

int ms_rmap_entry(enum ms_hook_id id, void *data, const unsigned long *args)
{
	struct ms_call *call = data;
	bool copying;

	ms_count(hook_hits[id]);
	call->tracked = false;
	if (!ms_tracking())
		return 1;
	ms_decode(id, args, &call->ev);
	if (!ms_event_admit(&call->ev, call->ev.mm))
		return 1;
	copying = ms_event_account(&call->ev);
	call->tracked = ms_shadow_begin(&call->ev, true);
	/*
	 * The child of a fork copied without a site table: this folio may
	 * have gained mappings there that we never saw (hooks_fork.c).
	 */
	if (copying) {
		ms_count(fork_child_events);
		ms_shadow_mark_if_tracked(call->ev.folio);
	}
	/*
	 * hugetlb folios are unmapped and duplicated only by inlined code:
	 * without armed sites their count cannot be followed.
	 */
	if (call->ev.level == MS_LEVEL_HUGETLB && !ms_sites_armed())
		ms_shadow_mark_unverifiable(call->ev.folio);
	/* The return matters only to a tracked folio's update. */
	return !call->tracked;
}

NOKPROBE_SYMBOL(ms_rmap_entry);

void ms_rmap_ret(enum ms_hook_id id, void *data, unsigned long ret)
{
	struct ms_call *call = data;

	if (call->tracked)
		ms_shadow_end(&call->ev, false);
}

NOKPROBE_SYMBOL(ms_rmap_ret);

/* folio_try_dup_anon_rmap_*(): the change happens only if they return 0. */
int ms_dup_entry(enum ms_hook_id id, void *data, const unsigned long *args)
{
	struct ms_call *call = data;

	ms_count(hook_hits[id]);
	call->counted = false;
	call->tracked = false;
	if (!ms_tracking())
		return 1;
	ms_decode(id, args, &call->ev);
	if (!ms_event_admit(&call->ev, call->ev.mm))
		return 1;
	call->counted = true;
	call->tracked = ms_shadow_begin(&call->ev, false);
	return 0;
}

NOKPROBE_SYMBOL(ms_dup_entry);

void ms_dup_ret(enum ms_hook_id id, void *data, unsigned long ret)
{
	struct ms_call *call = data;
	bool done = ret == 0;

	if (!call->counted)
		return;
	/* The dup itself is seen: its child's copy window does not matter. */
	if (done)
		ms_event_account(&call->ev);
	if (call->tracked)
		ms_shadow_end(&call->ev, done);
}

NOKPROBE_SYMBOL(ms_dup_ret);
