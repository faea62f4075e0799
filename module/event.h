/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one event type that flows through mapshadow: every hook turns what it
 * sees into an ms_event, and only events change the shadow.
 */
#ifndef MAPSHADOW_EVENT_H
#define MAPSHADOW_EVENT_H

#include <linux/types.h>

struct folio;
struct mm_struct;

enum ms_level {
	MS_LEVEL_PTE,
	MS_LEVEL_PMD,
	MS_LEVEL_PUD,
	MS_LEVEL_HUGETLB,
	MS_NR_LEVELS,
};

struct ms_event {
	struct folio *folio;
	unsigned long pfn;	/* first page the mapping covers */
	unsigned int nr;	/* pages covered */
	struct mm_struct *mm;
	u32 mm_id;		/* rmap ID of mm, 0 if unknown */
	int delta;		/* change of folio_mapcount() */
	u8 level;		/* enum ms_level */
	u8 source;		/* enum ms_hook_id */
};

#endif /* MAPSHADOW_EVENT_H */
