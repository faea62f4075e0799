// SPDX-License-Identifier: GPL-2.0
/* The kernel's bookkeeping of one folio, checked; see kernel_check.h. */
#include <linux/mm.h>
#include "compat.h"
#include "finding_kinds.h"
#include "kernel_check.h"
#include "raw_counters.h"
#include "mm_ids.h"

/*
 * The folio is not pinned: a racing split or a new compound page at this
 * pfn can change its order under us, and a torn read can show any size.
 * The page loop stays within the largest folio there can be, and its
 * result is dropped if the order changed meanwhile.
 */
bool ms_kcounters_read(struct folio *folio, struct ms_kcounters *k,
		       bool pages)
{
	unsigned int order = folio_order(folio);
	long i;

	memset(k, 0, sizeof(*k));
	if (!folio_test_large(folio) || folio_test_hugetlb(folio))
		return false;
	k->large = atomic_read(&folio->_large_mapcount);
	k->entire = atomic_read(&folio->_entire_mapcount);
	k->nr_pages_mapped = atomic_read(&folio->_nr_pages_mapped);
	k->nr_pages = min_t(unsigned long, 1UL << order, MAX_FOLIO_NR_PAGES);
	/* Without per-page mapcounts there is nothing to add up. */
	k->has_pages = pages && ms_compat_page_mapcounts();
	for (i = 0; k->has_pages && i < k->nr_pages; i++) {
		int v = atomic_read(&folio_page(folio, i)->_mapcount);

		k->page_sum += v + 1;
		k->pages_mapped += v >= 0;
		k->pages_underflowed += v < -1;
	}
	if (k->has_pages && folio_order(folio) != order) {
		k->has_pages = false;
		k->page_sum = 0;
		k->pages_mapped = 0;
		k->pages_underflowed = 0;
	}
	k->has_mm_ids = ms_compat_mm_id_slots(folio, k->slot_id,
					      k->slot_count, &k->shared_bit);
	return true;
}

static void ms_raw_worst(struct ms_raw *raw, enum ms_raw_class c)
{
	if (c > raw->worst)
		raw->worst = c;
}

void ms_raw_read(struct folio *folio, struct ms_raw *raw, bool pages)
{
	struct ms_kcounters *k = &raw->kc;
	int i;

	memset(raw, 0, sizeof(*raw));
	raw->mapcount = atomic_read(&folio->_mapcount);
	ms_raw_worst(raw, ms_raw_page_mapcount(raw->mapcount));
	raw->large_folio = folio_test_large(folio);
	if (!raw->large_folio)
		return;
	if (!ms_kcounters_read(folio, k, pages)) {
		/* hugetlb: the folio-wide counts only */
		k->large = atomic_read(&folio->_large_mapcount);
		k->entire = atomic_read(&folio->_entire_mapcount);
	}
	ms_raw_worst(raw, ms_raw_counter(k->large));
	ms_raw_worst(raw, ms_raw_counter(k->entire));
	if (k->nr_pages)
		ms_raw_worst(raw, ms_raw_nr_pages_mapped(k->nr_pages_mapped,
							 k->nr_pages));
	if (k->pages_underflowed)
		ms_raw_worst(raw, MS_RAW_UNDERFLOW);
	for (i = 0; k->has_mm_ids && i < MS_MM_SLOTS; i++)
		ms_raw_worst(raw, ms_raw_counter(k->slot_count[i]));
}

/* The per-page words of [pfn, pfn + nr) within folio, for underflows. */
static void ms_raw_read_touched(struct folio *folio, struct ms_raw *raw,
				unsigned long pfn, unsigned int nr)
{
	unsigned long first = folio_pfn(folio);
	unsigned long end = first + raw->kc.nr_pages;

	if (pfn < first || pfn >= end)
		return;
	for (end = min(end, pfn + nr); pfn < end; pfn++)
		if (atomic_read(&folio_page(folio, pfn - first)->_mapcount) < -1)
			raw->kc.pages_underflowed++;
	if (raw->kc.pages_underflowed)
		ms_raw_worst(raw, MS_RAW_UNDERFLOW);
}

void ms_raw_read_event(struct folio *folio, struct ms_raw *raw, bool pages,
		       unsigned long pfn, unsigned int nr)
{
	ms_raw_read(folio, raw, pages);
	if (nr && raw->kc.nr_pages && !raw->kc.has_pages &&
	    ms_compat_page_mapcounts())
		ms_raw_read_touched(folio, raw, pfn, nr);
}

const char *ms_folio_type(struct folio *folio)
{
	if (folio_test_hugetlb(folio))
		return "hugetlb";
	if (folio_test_ksm(folio))
		return "ksm";
	if (folio_test_anon(folio))
		return "anon";
	/* Freed, or on its way: free_pages_prepare() clears an anon mapping. */
	if (!READ_ONCE(folio->mapping))
		return "nomapping";
	if (folio_test_swapbacked(folio))
		return "shmem";
	return "file";
}

/*
 * Do the used slots hold every mapping, and then do the rmap-ID sums say
 * the same as their (mm, count) pairs?
 */
static void ms_slots_vs_sums(const struct ms_kcounters *k,
			     const struct ms_counts *core, const u64 *sums,
			     struct ms_shared_input *in)
{
	u64 expect[MS_RMAP_MAX_SUMS] = {};
	struct ms_rmap_class c;
	long covered = 0;
	int i;

	if (ms_rmap_class_of(core->order, &c))
		return;
	for (i = 0; i < MS_MM_SLOTS; i++) {
		u32 id;

		if (!k->slot_id[i])
			continue;
		id = ms_mm_rmap_id_of_kernel_id(k->slot_id[i]);
		if (!id)
			return;		/* an mm we never saw: no claim */
		ms_rmap_sums_apply(&c, expect, id, (long)k->slot_count[i] + 1);
		covered += (long)k->slot_count[i] + 1;
	}
	if (covered != core->mapcount)
		return;
	in->slots_cover = true;
	in->slots_match = !memcmp(expect, sums, c.nr_sums * sizeof(u64));
}

u32 ms_kernel_check(struct folio *folio, const struct ms_counts *core,
		    const u64 *sums, const struct ms_kcounters *k,
		    enum ms_shared_verdict *verdict)
{
	struct ms_shared_input in = { .mapcount = core->mapcount };
	const char *unused;
	u32 kinds = 0;
	u32 owner;

	if (k)
		kinds |= ms_kernel_rules_kinds(ms_kernel_rules_broken(k));
	*verdict = MS_ANSWER_UNKNOWN;
	if (!sums || core->mapcount <= 0)
		return kinds;
	in.exact = ms_rmap_exact(core->order, core->mapcount, sums, &owner,
				 &unused);
	in.kernel_shared = ms_compat_kernel_shared(folio);
	in.promised = ms_compat_kernel_shared_promised();
	if (k && k->has_mm_ids) {
		/* The owner's kernel ID matters only against the slots. */
		if (in.exact == MS_EXACT_EXCLUSIVE)
			in.owner = ms_mm_kernel_id(owner);
		in.has_slots = true;
		memcpy(in.slot_id, k->slot_id, sizeof(in.slot_id));
		memcpy(in.slot_count, k->slot_count, sizeof(in.slot_count));
		if (in.exact == MS_EXACT_SHARED)
			ms_slots_vs_sums(k, core, sums, &in);
	}
	*verdict = ms_shared_judge(&in);
	if (*verdict == MS_ANSWER_SHARED_MISSED)
		kinds |= BIT(MS_FIND_SHARED_MISSED);
	else if (*verdict == MS_ANSWER_BAD_SLOT)
		kinds |= BIT(MS_FIND_BAD_SLOT);
	return kinds;
}
