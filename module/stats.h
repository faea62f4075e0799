/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU counters: cheap to bump from any probe context, summed on read. */
#ifndef MAPSHADOW_STATS_H
#define MAPSHADOW_STATS_H

#include <linux/percpu.h>
#include "event.h"
#include "hooks.h"
#include "shadow_state.h"
#include "shared_answer.h"
#include "tracking.h"

struct ms_counters {
	unsigned long hook_hits[MS_NR_HOOKS];
	unsigned long events[MS_NR_LEVELS];
	unsigned long shadow_created[MS_NR_STATES];
	unsigned long shadow_cap_drops;
	unsigned long shadow_alloc_fails;
	unsigned long shadow_reshaped_mapped;
	unsigned long shadow_underflows;
	unsigned long shadow_became_strict;
	unsigned long shadow_marked_unverifiable;
	unsigned long shadow_freed_mapped;
	unsigned long shadow_distrusted;	/* strict, adopted again: trust lost */
	unsigned long fork_walks;
	unsigned long fork_walk_ptes;
	unsigned long fork_child_events;	/* marked: the child was being copied */
	unsigned long fork_slots_full;
	unsigned long site_bad_pointers;
	unsigned long probe_lock_busy;	/* NMI context: a lock stayed busy */
	unsigned long nmi_no_alloc;	/* NMI context: no entry made */
	unsigned long race_windows;	/* widened windows held open */
	unsigned long race_window_changes;	/* foreign changes seen in them */
	unsigned long race_replays;	/* replay=on writes made plain */
	unsigned long trust_lost[MS_NR_LOSSES];
	unsigned long judge_skips[MS_NR_SKIPS];
	unsigned long validate_checks;
	unsigned long validate_suspects;
	unsigned long validate_suspect_drops;
	unsigned long validate_transient;
	unsigned long mm_id_drops;
	unsigned long mm_stale;		/* entries of mms whose exit we missed */
	unsigned long answers[MS_NR_ANSWERS];	/* the kernel's, judged */
};

DECLARE_PER_CPU(struct ms_counters, ms_counters);

#define ms_count(field) this_cpu_inc(ms_counters.field)

/* Sum of one counter over all possible CPUs. */
#define ms_count_sum(field) ({						\
	unsigned long __sum = 0;					\
	int __cpu;							\
	for_each_possible_cpu(__cpu)					\
		__sum += per_cpu(ms_counters, __cpu).field;		\
	__sum;								\
})

#endif /* MAPSHADOW_STATS_H */
