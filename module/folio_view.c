// SPDX-License-Identifier: GPL-2.0
/*
 * One folio, explained: the shadow, the live counters, the exact answer to
 * "how many mms map it" from the rmap-ID sums, and the kernel's own answer.
 */
#include <linux/mm.h>
#include "compat.h"
#include "findings.h"
#include "folio_view.h"
#include "raw_counters.h"
#include "rmap_id_math.h"

static const char * const ms_state_name[] = {
	[MS_STATE_ADOPTED] = "adopted",
	[MS_STATE_STRICT] = "strict",
	[MS_STATE_UNVERIFIABLE] = "unverifiable",
};

/* The exact answer; "exact:" lines are key: value for scripts. */
static void ms_exact_show(struct seq_file *m, const struct ms_shadow_view *v)
{
	struct ms_rmap_class c;
	u32 id;
	int r;

	if (!v) {
		seq_puts(m, "exact: unknown\nexact_reason: untracked\n");
		return;
	}
	if (v->core.state != MS_STATE_STRICT || !v->sums_valid) {
		seq_printf(m, "exact: unknown\nexact_reason: %s\n",
			   v->core.state != MS_STATE_STRICT ?
			   ms_state_name[v->core.state] : "mm-unknown");
		return;
	}
	if (!v->core.mapcount) {
		seq_puts(m, "exact: unmapped\n");
		return;
	}
	if (ms_rmap_class_of(v->core.order, &c)) {
		seq_puts(m, "exact: unknown\nexact_reason: order\n");
		return;
	}
	r = ms_rmap_owner(&c, v->sums, v->core.mapcount, &id);
	if (r == 1)
		seq_printf(m, "exact: exclusive\nexact_rmap_id: %u\n", id);
	else if (r == 0)
		seq_puts(m, "exact: shared\n");
	else if (r == -EOVERFLOW)
		seq_printf(m, "exact: unknown\nexact_reason: mapcount-above-%llu\n",
			   (unsigned long long)c.p);
	else
		seq_puts(m, "exact: unknown\nexact_reason: inconsistent-sums\n");
}

void ms_folio_show(struct seq_file *m, struct folio *folio,
		   const struct ms_shadow_view *v)
{
	int ids[2], counts[2];
	const char *fn;
	struct ms_raw raw;
	bool shared, bit;

	seq_printf(m, "order: %u\n", folio_order(folio));
	seq_printf(m, "head_pfn: 0x%lx\n", folio_pfn(folio));
	seq_printf(m, "tracked: %s\n", v ? "yes" : "no");
	if (v) {
		seq_printf(m, "state: %s\n", ms_state_name[v->core.state]);
		seq_printf(m, "shadow_mapcount: %d\n", v->core.mapcount);
		seq_printf(m, "shadow_levels: pte=%d pmd=%d pud=%d hugetlb=%d\n",
			   v->core.levels[0], v->core.levels[1],
			   v->core.levels[2], v->core.levels[3]);
		seq_printf(m, "inflight: %d\n", v->core.inflight);
		seq_printf(m, "sums: %s %llx %llx %llx %llx\n",
			   v->sums_valid ? "valid" : "invalid",
			   v->sums[0], v->sums[1], v->sums[2], v->sums[3]);
	}
	seq_printf(m, "live_mapcount: %d\n", folio_mapcount(folio));
	ms_raw_read(folio, &raw);
	seq_printf(m, "raw: %s\n", ms_raw_class_name(raw.worst));
	ms_exact_show(m, v);
	shared = ms_compat_kernel_shared(folio, &fn);
	seq_printf(m, "kernel: %s\nkernel_function: %s\n",
		   shared ? "shared" : "exclusive", fn);
	if (folio_test_large(folio) && !folio_test_hugetlb(folio) &&
	    ms_compat_mm_id_slots(folio, ids, counts, &bit))
		seq_printf(m, "kernel_mm_ids: %d:%d %d:%d shared_bit=%d\n",
			   ids[0], counts[0], ids[1], counts[1], bit);
}
