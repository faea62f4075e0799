/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one event type that flows through mapshadow: every hook turns what it
 * sees into an ms_event, and only events change the shadow.
 */
#ifndef MAPSHADOW_EVENT_H
#define MAPSHADOW_EVENT_H

#include <linux/types.h>
#include "shadow_rules.h"

struct folio;
struct mm_struct;

struct ms_event {
	struct folio *folio;
	unsigned long pfn;	/* first page the mapping covers */
	unsigned int nr;	/* pages covered */
	struct mm_struct *mm;
	u32 mm_id;		/* rmap ID of mm, 0 if unknown */
	int delta;		/* change of folio_mapcount() */
	u8 level;		/* enum ms_level (shadow_rules.h) */
	u8 source;		/* enum ms_hook_id */
	const char *where;	/* a site's function, or NULL */
};

/*
 * The one way into the shadow for every hook and site.  Admit: may the
 * event be followed (the filter asks about filter_mm)?  If not, a folio we
 * track changes without us, and ev->mm's total misses it: both are marked
 * and false is returned.  Account: the event happens; count its level and
 * add it to its mm's total (sets ev->mm_id; hugetlb folios are counted per
 * page table, not per mm, because of PMD sharing).  Returns true when a
 * fork copies into ev->mm unseen (hooks_fork.c).
 */
bool ms_event_admit(const struct ms_event *ev,
		    const struct mm_struct *filter_mm);
bool ms_event_account(struct ms_event *ev);

#endif /* MAPSHADOW_EVENT_H */
