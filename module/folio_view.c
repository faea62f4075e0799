// SPDX-License-Identifier: GPL-2.0
/*
 * One folio, explained: the shadow, the live counters, the exact answer to
 * "how many mms map it" from the rmap-ID sums, and the kernel's own answer.
 */
#include <linux/mm.h>
#include "compat.h"
#include "findings.h"
#include "folio_view.h"
#include "kernel_check.h"
#include "mm_ids.h"
#include "raw_counters.h"
#include "rmap_id_math.h"

/* "kernel_rules: ok" or the broken ones; large folios only. */
static void ms_kernel_rules_show(struct seq_file *m, const struct ms_raw *raw)
{
	unsigned long broken;
	unsigned int r;

	if (!raw->kc.nr_pages)
		return;
	broken = ms_kernel_rules_broken(&raw->kc);
	seq_puts(m, "kernel_rules:");
	if (!broken)
		seq_puts(m, " ok");
	for_each_set_bit(r, &broken, MS_NR_KERNEL_RULES)
		seq_printf(m, " %s", ms_kernel_rule_name(r));
	seq_putc(m, '\n');
}

/* The exact answer; "exact:" lines are key: value for scripts. */
static void ms_exact_show(struct seq_file *m, const struct ms_shadow_view *v)
{
	const char *reason;
	u32 id;

	if (!v) {
		seq_puts(m, "exact: unknown\nexact_reason: untracked\n");
		return;
	}
	if (v->core.state != MS_STATE_STRICT || !v->sums_valid) {
		seq_printf(m, "exact: unknown\nexact_reason: %s\n",
			   v->core.state != MS_STATE_STRICT ?
			   ms_state_name(v->core.state) : "mm-unknown");
		return;
	}
	if (!v->core.mapcount) {
		seq_puts(m, "exact: unmapped\n");
		return;
	}
	switch (ms_rmap_exact(v->core.order, v->core.mapcount, v->sums, &id,
			      &reason)) {
	case MS_EXACT_EXCLUSIVE:
		seq_printf(m, "exact: exclusive\nexact_rmap_id: %u\n", id);
		/* To compare with the kernel's MM-ID slots below. */
		if (ms_mm_kernel_id(id))
			seq_printf(m, "exact_kernel_mm_id: %d\n",
				   ms_mm_kernel_id(id));
		break;
	case MS_EXACT_SHARED:
		seq_puts(m, "exact: shared\n");
		break;
	default:
		seq_printf(m, "exact: unknown\nexact_reason: %s\n", reason);
		break;
	}
}

void ms_folio_show(struct seq_file *m, struct folio *folio,
		   const struct ms_shadow_view *v)
{
	enum ms_shared_verdict verdict = MS_ANSWER_UNKNOWN;
	struct ms_raw raw;
	bool shared;

	seq_printf(m, "order: %u\n", folio_order(folio));
	seq_printf(m, "head_pfn: 0x%lx\n", folio_pfn(folio));
	seq_printf(m, "tracked: %s\n", v ? "yes" : "no");
	if (v) {
		seq_printf(m, "state: %s\n", ms_state_name(v->core.state));
		seq_printf(m, "shadow_mapcount: %d\n", v->core.mapcount);
		seq_puts(m, "shadow_levels:");
		ms_levels_show(m, &v->core);
		seq_putc(m, '\n');
		seq_printf(m, "inflight: %d\n", v->core.inflight);
		seq_printf(m, "sums: %s %llx %llx %llx %llx\n",
			   v->sums_valid ? "valid" : "invalid",
			   v->sums[0], v->sums[1], v->sums[2], v->sums[3]);
	}
	seq_printf(m, "live_mapcount: %d\n", folio_mapcount(folio));
	ms_raw_read(folio, &raw, true);
	seq_printf(m, "raw: %s\n", ms_raw_class_name(raw.worst));
	seq_printf(m, "raw_words: _mapcount=%d _large_mapcount=%d _entire_mapcount=%d _nr_pages_mapped=0x%x\n",
		   raw.mapcount, raw.kc.large, raw.kc.entire,
		   raw.kc.nr_pages_mapped);
	ms_kernel_rules_show(m, &raw);
	ms_exact_show(m, v);
	shared = ms_compat_kernel_shared(folio);
	seq_printf(m, "kernel: %s\nkernel_function: %s\n",
		   shared ? "shared" : "exclusive",
		   ms_compat_kernel_shared_name());
	if (raw.kc.has_mm_ids)
		seq_printf(m, "kernel_mm_ids: %d:%d %d:%d shared_bit=%d\n",
			   raw.kc.slot_id[0], raw.kc.slot_count[0],
			   raw.kc.slot_id[1], raw.kc.slot_count[1],
			   raw.kc.shared_bit);
	/* The kernel's answer judged (shared_answer.h). */
	if (v && v->core.state == MS_STATE_STRICT && v->sums_valid)
		ms_kernel_check(folio, &v->core, v->sums,
				raw.kc.nr_pages ? &raw.kc : NULL, &verdict);
	seq_printf(m, "answer: %s\n", ms_shared_verdict_name(verdict));
}
