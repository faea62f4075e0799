/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow store: per folio (keyed by head pfn) the mapcount it should
 * have, per-level counts, the number of updates in flight and its rmap-ID
 * sums.  Safe from any context; memory is capped.
 */
#ifndef MAPSHADOW_SHADOW_H
#define MAPSHADOW_SHADOW_H

#include <linux/seq_file.h>
#include <linux/types.h>
#include "event.h"
#include "shadow_rules.h"
#include "shadow_state.h"

/* A consistent copy of one entry, for reports and tests. */
struct ms_shadow_view {
	unsigned long pfn;
	bool sums_valid;
	u64 sums[4];
	struct ms_counts core;
	u32 seq;
	u64 last_event;		/* its newest event (history.h) */
};

/* " pte=N pmd=N pud=N hugetlb=N": a shadow's mappings by level. */
static inline void ms_levels_show(struct seq_file *m, const struct ms_counts *c)
{
	unsigned int l;

	for (l = 0; l < MS_NR_LEVELS; l++)
		seq_printf(m, " %s=%d", ms_level_name(l), c->levels[l]);
}

int ms_shadow_init(unsigned int max_folios);
void ms_shadow_exit(void);

/*
 * Entry side of a kernel update: applies ev (if apply) and marks the folio
 * busy until ms_shadow_end().  Returns false when the folio is not tracked
 * (cap reached or allocation failure: counted, never fatal).
 */
bool ms_shadow_begin(const struct ms_event *ev, bool apply);
/* Return side: applies ev if it was deferred, and ends the update. */
void ms_shadow_end(const struct ms_event *ev, bool apply);
/* An update that is atomic with its probe (instruction sites). */
void ms_shadow_apply(const struct ms_event *ev);
/* A path we cannot follow touched the folio. */
void ms_shadow_mark_unverifiable(struct folio *folio);
/* The same, for a folio only if it is tracked already (filtered events). */
void ms_shadow_mark_if_tracked(struct folio *folio);
/* Buddy/pool free of [pfn, pfn + nr): drop entries, note mapped frees. */
void ms_shadow_free_range(unsigned long pfn, unsigned long nr, u8 source);

struct ms_scan_result {
	unsigned long strict, agreed, disagreed, busy, reshaped, unchecked;
	unsigned int nr_bad;
	struct ms_shadow_view bad[8];
	int bad_live[8];
	/* Folios whose own bookkeeping is broken (kernel_check.h). */
	unsigned long broken;
	unsigned int nr_broken;
	unsigned long broken_pfn[8];
	u32 broken_kinds[8];	/* enum ms_finding_kind bits */
};

void ms_shadow_scan(struct ms_scan_result *res);

u32 ms_shadow_recheck(unsigned long pfn, u32 seq, u32 kinds,
		      struct ms_shadow_view *v, struct folio **folio, int *live);
unsigned long ms_shadow_count(enum ms_state state);
unsigned long ms_shadow_entries(void);

/*
 * What the store costs now.  A folio has one entry, small (orders 0 to 2:
 * one rmap-ID sum) or large; the index (the bucket array) and the history
 * rings are allocated at load.
 */
struct ms_store_memory {
	unsigned long entries;
	unsigned long small_entries, large_entries;
	unsigned long small_entry_bytes, large_entry_bytes;
	unsigned long index_bytes;
	unsigned long history_bytes;
	unsigned long total_bytes;
};

void ms_shadow_memory(struct ms_store_memory *mem);
bool ms_shadow_lookup(unsigned long pfn, struct ms_shadow_view *view);
/* This CPU holds a bucket lock: a lookup now would deadlock. */
bool ms_shadow_locked_here(void);

#endif /* MAPSHADOW_SHADOW_H */
