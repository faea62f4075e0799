/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the kernel's own counters of a folio. */
#ifndef MAPSHADOW_FOLIO_LIVE_H
#define MAPSHADOW_FOLIO_LIVE_H

#include <linux/mm.h>

/* What the kernel answers for folio_mapcount() right now. */
static inline int ms_live_mapcount(struct folio *folio)
{
	return folio_mapcount(folio);
}

/*
 * A struct page pointer we did not get from the kernel's own bookkeeping
 * (a register at an inlined site, a page the kernel calls bad): it must
 * be the start of a struct page in the memmap of present memory.
 */
static inline struct page *ms_memmap_page(unsigned long addr)
{
	unsigned long off = addr - (unsigned long)vmemmap;

	if (addr < (unsigned long)vmemmap || off % sizeof(struct page) ||
	    !pfn_valid(off / sizeof(struct page)))
		return NULL;
	return (struct page *)addr;
}

#endif /* MAPSHADOW_FOLIO_LIVE_H */
