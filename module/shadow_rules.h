/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow arithmetic: the rules one folio's shadow follows, free of locking
 * and kernel types so that they build in the module and in unit tests.
 */
#ifndef MAPSHADOW_SHADOW_RULES_H
#define MAPSHADOW_SHADOW_RULES_H

#include "pure.h"

/* The page-table level a mapping is made at. */
enum ms_level {
	MS_LEVEL_PTE,
	MS_LEVEL_PMD,
	MS_LEVEL_PUD,
	MS_LEVEL_HUGETLB,
	MS_NR_LEVELS,
};

struct ms_counts {
	int mapcount;			/* expected folio_mapcount() */
	int levels[MS_NR_LEVELS];	/* mappings per page-table level */
	s16 inflight;			/* kernel updates begun, not ended */
	u8 state;			/* enum ms_state */
	u8 order;
};

/* Outcomes of ms_counts_apply(). */
enum ms_apply {
	MS_APPLY_OK,
	MS_APPLY_UNDERFLOW,	/* a strict count went below zero */
};

void ms_counts_first_sight(struct ms_counts *c, unsigned int order,
			   int live_before);
int ms_counts_apply(struct ms_counts *c, unsigned int level, int delta);
bool ms_counts_quiescent_unmapped(struct ms_counts *c, int live);
bool ms_counts_reshape(struct ms_counts *c, unsigned int order);
/* "pte", "pmd", "pud", "hugetlb"; "?" for anything else. */
const char *ms_level_name(unsigned int level);
/* "adopted", "strict", "unverifiable"; "-" for anything else. */
const char *ms_state_name(unsigned int state);

#endif /* MAPSHADOW_SHADOW_RULES_H */
