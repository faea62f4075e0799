/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own bookkeeping of a large folio, checked against itself
 * (pure: module and unit tests).  With no update of the folio in flight:
 *
 *   rule              holds when
 *   large-vs-pages    _large_mapcount + 1 ==
 *                       sum over pages (_mapcount + 1) + _entire_mapcount + 1
 *   nr-pages-mapped   _nr_pages_mapped & FOLIO_PAGES_MAPPED ==
 *                       number of pages whose _mapcount >= 0
 *   entirely-mapped   ENTIRELY_MAPPED set in _nr_pages_mapped iff
 *                       _entire_mapcount >= 0
 *   mm-slots          (MM-ID) a free slot has ID 0 and count -1, a used one
 *                       a count >= 0; the used slots' mappings add up to at
 *                       most folio_mapcount(), as the kernel keeps them
 *                       (include/linux/rmap.h, folio_add_return_large_mapcount)
 *   mm-shared-bit     (MM-ID) a mapped folio without the "maybe mapped
 *                       shared" bit has one slot holding every mapping
 *
 * hugetlb folios keep none of the per-page words and are not checked.
 */
#ifndef MAPSHADOW_KERNEL_RULES_H
#define MAPSHADOW_KERNEL_RULES_H

#include "finding_kinds.h"
#include "pure.h"

enum ms_kernel_rule {
	MS_RULE_LARGE_VS_PAGES,
	MS_RULE_NR_PAGES_MAPPED,
	MS_RULE_ENTIRELY_MAPPED,
	MS_RULE_MM_SLOTS,
	MS_RULE_MM_SHARED_BIT,
	MS_NR_KERNEL_RULES,
};

/* MM-ID slots of a large folio (CONFIG_MM_ID kernels): an mm and a count. */
#define MS_MM_SLOTS 2

/* A large folio's counter words, raw (the -1-based values). */
struct ms_kcounters {
	s32 large, entire, nr_pages_mapped;
	u32 nr_pages;
	bool has_pages;		/* the per-page words below were read */
	long long page_sum;	/* sum over pages of (_mapcount + 1) */
	u32 pages_mapped;	/* pages whose _mapcount >= 0 */
	u32 pages_underflowed;	/* pages whose _mapcount < -1 */
	bool has_mm_ids;	/* the kernel keeps MM-ID slots */
	s32 slot_id[MS_MM_SLOTS];	/* 0: free */
	s32 slot_count[MS_MM_SLOTS];	/* -1: free */
	bool shared_bit;
};

/* A mask of the broken rules, bit r for enum ms_kernel_rule r. */
unsigned int ms_kernel_rules_broken(const struct ms_kcounters *k);
/* The finding kind of rule r, and of a mask of broken rules. */
unsigned int ms_kernel_rule_kind(unsigned int rule);
unsigned int ms_kernel_rules_kinds(unsigned int broken);
const char *ms_kernel_rule_name(unsigned int rule);

#endif /* MAPSHADOW_KERNEL_RULES_H */
