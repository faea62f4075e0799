// SPDX-License-Identifier: GPL-2.0
/* The kernel's folio bookkeeping checked against itself; see kernel_rules.h. */
#include "kernel_rules.h"
#include "raw_counters.h"

static bool ms_slots_consistent(const struct ms_kcounters *k)
{
	long used = 0;
	int i;

	for (i = 0; i < MS_MM_SLOTS; i++) {
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
	for (i = 0; i < MS_MM_SLOTS; i++)
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

/* Each rule is a finding kind of its own: the name is the kind's. */
static const u8 ms_rule_kinds[MS_NR_KERNEL_RULES] = {
	[MS_RULE_LARGE_VS_PAGES] = MS_FIND_LARGE_VS_PAGES,
	[MS_RULE_NR_PAGES_MAPPED] = MS_FIND_NR_PAGES_MAPPED,
	[MS_RULE_ENTIRELY_MAPPED] = MS_FIND_ENTIRELY_MAPPED,
	[MS_RULE_MM_SLOTS] = MS_FIND_MM_SLOTS,
	[MS_RULE_MM_SHARED_BIT] = MS_FIND_MM_SHARED_BIT,
};

unsigned int ms_kernel_rule_kind(unsigned int rule)
{
	return rule < MS_NR_KERNEL_RULES ? ms_rule_kinds[rule] : MS_NR_FIND_KINDS;
}

unsigned int ms_kernel_rules_kinds(unsigned int broken)
{
	unsigned int r, kinds = 0;

	for (r = 0; r < MS_NR_KERNEL_RULES; r++)
		if (broken & (1U << r))
			kinds |= 1U << ms_rule_kinds[r];
	return kinds;
}

const char *ms_kernel_rule_name(unsigned int rule)
{
	return ms_finding_kind_name(ms_kernel_rule_kind(rule));
}
