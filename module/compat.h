/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows which kernel mapshadow is built for.  Everything
 * else calls the ms_compat_*() helpers here and never tests a version.
 */
#ifndef MAPSHADOW_COMPAT_H
#define MAPSHADOW_COMPAT_H

#include <linux/version.h>
#include <linux/fprobe.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/rmap.h>
#include "kernel_rules.h"
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/memremap.h>
#ifdef MS_HAVE_LEAFOPS
#include <linux/leafops.h>
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#error "mapshadow needs Linux 6.12 or newer"
#endif
#if !IS_ENABLED(CONFIG_KPROBES) || !IS_ENABLED(CONFIG_DEBUG_FS)
#error "mapshadow needs CONFIG_KPROBES=y and CONFIG_DEBUG_FS=y"
#endif
/*
 * sparse's conditional-lock annotation: 7.x replaced __cond_lock() with
 * its compilers' context analysis, which needs none here.
 */
#ifdef __cond_lock
#define ms_compat_cond_lock(x, c) __cond_lock(x, c)
#else
#define ms_compat_cond_lock(x, c) ((void)(x), (c))
#endif
/* Probe handlers take spinlocks, which sleep on PREEMPT_RT. */
#if IS_ENABLED(CONFIG_PREEMPT_RT)
#error "mapshadow does not support PREEMPT_RT kernels"
#endif

/* Whether this kernel is KERNEL_VERSION lo or newer (0: any). */
static inline bool ms_compat_kernel_at_least(u32 lo)
{
	return !lo || LINUX_VERSION_CODE >= lo;
}

/* How kprobes placed a probe: ftrace call site, jump, or int3. */
static inline const char *ms_compat_kprobe_mechanism(struct kprobe *kp)
{
	if (kprobe_ftrace(kp))
		return "kprobe-ftrace";
	if (kprobe_optimized(kp))
		return "kprobe-opt";
	return "kprobe-int3";
}

/* The kernel's MM ID of a live mm (CONFIG_MM_ID); 0 where it has none. */
static inline int ms_compat_mm_kernel_id(const struct mm_struct *mm)
{
#if IS_ENABLED(CONFIG_MM_ID)
	return mm->mm_id;
#else
	return 0;
#endif
}

/*
 * Whether the kernel's "mapped shared" answer below is a promise (never
 * "exclusive" for a folio more than one mm maps) rather than a guess.
 */
static inline bool ms_compat_kernel_shared_promised(void)
{
	return LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0) &&
	       IS_ENABLED(CONFIG_MM_ID);
}

/*
 * The kernel's own answer to "is this folio mapped by more than one mm":
 * folio_likely_mapped_shared() (a guess from the first page, 6.12) or
 * folio_maybe_mapped_shared() (MM-ID slots, 6.15+; never wrong on
 * "exclusive").
 */
static inline bool ms_compat_kernel_shared(struct folio *folio)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	return folio_maybe_mapped_shared(folio);
#else
	return folio_likely_mapped_shared(folio);
#endif
}

/* The name of that function, for reports. */
static inline const char *ms_compat_kernel_shared_name(void)
{
	return LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0) ?
	       "folio_maybe_mapped_shared" : "folio_likely_mapped_shared";
}

/* The MM-ID slots of a large folio; false where the kernel has none. */
static inline bool ms_compat_mm_id_slots(const struct folio *folio,
					 int ids[MS_MM_SLOTS],
					 int counts[MS_MM_SLOTS], bool *shared)
{
#if IS_ENABLED(CONFIG_MM_ID)
	int i;

	for (i = 0; i < MS_MM_SLOTS; i++) {
		ids[i] = folio_mm_id(folio, i);
		counts[i] = READ_ONCE(folio->_mm_id_mapcount[i]);
	}
	*shared = test_bit(FOLIO_MM_IDS_SHARED_BITNUM, &folio->_mm_ids);
	return true;
#else
	return false;
#endif
}

/*
 * The pfn a non-present PTE still refers to (migration, device private or
 * exclusive, hwpoison entries): the folio stays counted as mapped.  7.x
 * reads these through leafops.h ("softleaf"), 6.12 through swapops.h;
 * Kbuild defines MS_HAVE_LEAFOPS where the kernel has the header.
 */
static inline bool ms_compat_pte_leaf_pfn(pte_t pte, unsigned long *pfn)
{
#ifdef MS_HAVE_LEAFOPS
	softleaf_t entry = softleaf_from_pte(pte);

	if (!softleaf_has_pfn(entry))
		return false;
	*pfn = softleaf_to_pfn(entry);
#else
	swp_entry_t entry = pte_to_swp_entry(pte);

	if (!is_pfn_swap_entry(entry))
		return false;
	*pfn = swp_offset_pfn(entry);
#endif
	return true;
}

/*
 * Whether the kernel keeps a _mapcount per page of a large folio
 * (CONFIG_NO_PAGE_MAPCOUNT, 6.16+, stops it): the per-page rules need it.
 */
static inline bool ms_compat_page_mapcounts(void)
{
	return !IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT);
}

/*
 * The page of a pfn from a user, pinned for as long as it is looked at:
 * online memory, or a device's memory (ZONE_DEVICE, device-dax: never
 * online), whose pagemap is then held in *pgmap until
 * ms_compat_put_user_page().  NULL when the pfn has no memmap to show.
 * get_dev_pagemap() lost its second argument in 6.18 ("mm/memremap:
 * Remove unused get_dev_pagemap() parameter").
 */
static inline struct page *ms_compat_get_user_page(unsigned long pfn,
						   struct dev_pagemap **pgmap)
{
	struct page *page = pfn_to_online_page(pfn);

	*pgmap = NULL;
	if (page || !IS_ENABLED(CONFIG_ZONE_DEVICE) || !pfn_valid(pfn))
		return page;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
	*pgmap = get_dev_pagemap(pfn);
#else
	*pgmap = get_dev_pagemap(pfn, NULL);
#endif
	return *pgmap ? pfn_to_page(pfn) : NULL;
}

static inline void ms_compat_put_user_page(struct dev_pagemap *pgmap)
{
	if (pgmap)
		put_dev_pagemap(pgmap);
}

/*
 * fprobe: until 6.14 an ftrace_ops per probe with a rethook, handlers given
 * pt_regs; from 6.14 on the function-graph return stack, handlers given
 * ftrace_regs, and no instance pool (nr_maxactive is gone).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define ms_compat_fprobe_regs ftrace_regs	/* struct ms_compat_fprobe_regs */
#define ms_compat_fprobe_arg(r, n) ftrace_regs_get_argument(r, n)
#define ms_compat_fprobe_ret(r) ftrace_regs_get_return_value(r)
static inline void ms_compat_fprobe_maxactive(struct fprobe *fp, int n)
{
}
#else
#define ms_compat_fprobe_regs pt_regs
#define ms_compat_fprobe_arg(r, n) regs_get_kernel_argument(r, n)
#define ms_compat_fprobe_ret(r) regs_return_value(r)
static inline void ms_compat_fprobe_maxactive(struct fprobe *fp, int n)
{
	fp->nr_maxactive = n;
}
#endif

#endif /* MAPSHADOW_COMPAT_H */
