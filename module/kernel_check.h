/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks of the kernel's own bookkeeping of a quiescent folio: its counter
 * words against each other (kernel_rules.h) and its "mapped shared" answer
 * against the exact one (shared_answer.h).  The result is a mask of the
 * finding kinds (findings.h) that apply.
 */
#ifndef MAPSHADOW_KERNEL_CHECK_H
#define MAPSHADOW_KERNEL_CHECK_H

#include <linux/types.h>
#include "kernel_rules.h"
#include "shadow_rules.h"
#include "shared_answer.h"

struct folio;

/*
 * Above this many pages all per-page words are read 1 check in 64 (a
 * wrong word stays wrong until it is read; a THP's 512 words cost more
 * than the rest of a check); the words of the pages the event touched
 * are read at every check, so an underflow through an unmap is seen at
 * once.
 */
#define MS_KCHECK_PAGES_ALWAYS 64
#define MS_KCHECK_PAGES_EVERY 64

/*
 * The counter words of a large folio that is not hugetlb; per-page words
 * only if pages.  Returns false for other folios.
 */
bool ms_kcounters_read(struct folio *folio, struct ms_kcounters *k,
		       bool pages);
/* The folio's own counters at the time of the finding. */
struct ms_raw {
	s32 mapcount;		/* page 0's _mapcount (the folio's, if small) */
	bool large_folio;	/* kc holds the large folio's words */
	struct ms_kcounters kc;
	u8 worst;		/* enum ms_raw_class, the worst of them */
};

/* The words of folio; per-page ones of a large folio only if pages. */
void ms_raw_read(struct folio *folio, struct ms_raw *raw, bool pages);
/*
 * The same after a PTE-level event on [pfn, pfn + nr): without pages, the
 * per-page words of those pages are still read for underflows.
 */
void ms_raw_read_event(struct folio *folio, struct ms_raw *raw, bool pages,
		       unsigned long pfn, unsigned int nr);
/* "anon", "file", "shmem", "ksm", "hugetlb" or "nomapping". */
const char *ms_folio_type(struct folio *folio);

/*
 * @sums: the folio's rmap-ID sums, NULL when not all its mms are known;
 * @k: its words from ms_kcounters_read(), NULL if that returned false.
 */
u32 ms_kernel_check(struct folio *folio, const struct ms_counts *core,
		    const u64 *sums, const struct ms_kcounters *k,
		    enum ms_shared_verdict *verdict);

#endif /* MAPSHADOW_KERNEL_CHECK_H */
