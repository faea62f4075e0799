// SPDX-License-Identifier: GPL-2.0
/* The kernel's folio bookkeeping checked against itself; see kernel_rules.h. */
#include "kernel_rules.h"
#include "raw_counters.h"

static bool ms_slots_consistent(const struct ms_kcounters *k)
{
	long used = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if (!k->slot_id[i]) {
			if (k->slot_count[i] != -1)
				return false;
			continue;
		}
		if (k->slot_count[i] < 0)
			return false;
		used += (long)k->slot_count[i] + 1;
	}
	return used <= (long)k->large + 1;
}

static bool ms_shared_bit_consistent(const struct ms_kcounters *k)
{
	int i;

	if (k->shared_bit)
		return k->large >= 0;	/* an unmapped folio is exclusive */
	if (k->large < 0)
		return true;
	for (i = 0; i < 2; i++)
		if (k->slot_id[i] && k->slot_count[i] == k->large)
			return true;
	return false;
}

unsigned int ms_kernel_rules_broken(const struct ms_kcounters *k)
{
	bool entirely = k->nr_pages_mapped & MS_ENTIRELY_MAPPED;
	bool entire_mapped = k->entire >= 0;
	unsigned int broken = 0;

	if (k->has_pages) {
		if ((long long)k->large + 1 !=
		    k->page_sum + (long long)k->entire + 1)
			broken |= 1U << MS_RULE_LARGE_VS_PAGES;
		if ((u32)(k->nr_pages_mapped & MS_PAGES_MAPPED_MASK) !=
		    k->pages_mapped)
			broken |= 1U << MS_RULE_NR_PAGES_MAPPED;
	}
	if (entirely != entire_mapped)
		broken |= 1U << MS_RULE_ENTIRELY_MAPPED;
	if (k->has_mm_ids) {
		if (!ms_slots_consistent(k))
			broken |= 1U << MS_RULE_MM_SLOTS;
		if (!ms_shared_bit_consistent(k))
			broken |= 1U << MS_RULE_MM_SHARED_BIT;
	}
	return broken;
}

const char *ms_kernel_rule_name(unsigned int rule)
{
	static const char * const names[MS_NR_KERNEL_RULES] = {
		[MS_RULE_LARGE_VS_PAGES] = "large-vs-pages",
		[MS_RULE_NR_PAGES_MAPPED] = "nr-pages-mapped",
		[MS_RULE_ENTIRELY_MAPPED] = "entirely-mapped",
		[MS_RULE_MM_SLOTS] = "mm-slots",
		[MS_RULE_MM_SHARED_BIT] = "mm-shared-bit",
	};

	return rule < MS_NR_KERNEL_RULES ? names[rule] : "?";
}
