// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-bookkeeping rules (module/kernel_rules.c) and the judge of the
 * kernel's "mapped shared" answer (module/shared_answer.c), against a model
 * of a large folio that does what 7.3's rmap code does: per-page and folio
 * counters (mm/rmap.c, __folio_add_rmap / __folio_remove_rmap) and the
 * MM-ID slots (include/linux/rmap.h, folio_add_return_large_mapcount /
 * folio_sub_return_large_mapcount).  Random map/unmap sequences by up to
 * four mms must never break a rule or produce a finding verdict; corrupting
 * one word must break exactly the rule that watches it.
 */
#include <stdlib.h>
#include "tap.h"
#include "kernel_rules.h"
#include "raw_counters.h"
#include "shared_answer.h"

#define NR 16
#define MMS 4

struct model {
	s32 page[NR], large, entire, nr_mapped;
	s32 slot_id[2], slot_count[2];
	bool shared;
	int ptes[MMS + 1][NR];	/* per mm, per page: PTE mappings */
	int pmds[MMS + 1];
};

static void model_init(struct model *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < NR; i++)
		m->page[i] = -1;
	m->large = m->entire = -1;
	m->slot_count[0] = m->slot_count[1] = -1;
}

/* folio_add_return_large_mapcount() */
static void slots_add(struct model *m, int id, int diff)
{
	int new = m->large + diff;

	m->large = new;
	if (m->slot_id[0] == id) {
		m->slot_count[0] += diff;
	} else if (m->slot_id[1] == id) {
		m->slot_count[1] += diff;
	} else if (!m->slot_id[0]) {
		m->slot_id[0] = id;
		m->slot_count[0] = diff - 1;
		if (new != diff - 1)
			m->shared = true;
	} else if (!m->slot_id[1]) {
		m->slot_id[1] = id;
		m->slot_count[1] = diff - 1;
		m->shared = true;
	}
}

/* folio_sub_return_large_mapcount() */
static void slots_sub(struct model *m, int id, int diff)
{
	int new = m->large - diff, k;

	m->large = new;
	for (k = 0; k < 2; k++) {
		if (m->slot_id[k] != id)
			continue;
		m->slot_count[k] -= diff;
		if (m->slot_count[k] >= 0)
			return;
		m->slot_count[k] = -1;
		m->slot_id[k] = 0;
		break;
	}
	if (m->slot_count[0] == new || m->slot_count[1] == new)
		m->shared = false;
}

static void add_ptes(struct model *m, int mm, int first, int n)
{
	int i, fresh = 0;

	for (i = first; i < first + n; i++) {
		fresh += ++m->page[i] == 0;
		m->ptes[mm][i]++;
	}
	m->nr_mapped += fresh;
	slots_add(m, mm, n);
}

static void remove_ptes(struct model *m, int mm, int first, int n)
{
	int i, gone = 0;

	slots_sub(m, mm, n);
	for (i = first; i < first + n; i++) {
		gone += --m->page[i] == -1;
		m->ptes[mm][i]--;
	}
	m->nr_mapped -= gone;
}

static void add_pmd(struct model *m, int mm)
{
	if (++m->entire == 0)
		m->nr_mapped += MS_ENTIRELY_MAPPED;
	m->pmds[mm]++;
	slots_add(m, mm, 1);
}

static void remove_pmd(struct model *m, int mm)
{
	slots_sub(m, mm, 1);
	if (--m->entire == -1)
		m->nr_mapped -= MS_ENTIRELY_MAPPED;
	m->pmds[mm]--;
}

static void counters_of(const struct model *m, struct ms_kcounters *k)
{
	int i;

	memset(k, 0, sizeof(*k));
	k->large = m->large;
	k->entire = m->entire;
	k->nr_pages_mapped = m->nr_mapped;
	k->nr_pages = NR;
	k->has_pages = true;
	for (i = 0; i < NR; i++) {
		k->page_sum += m->page[i] + 1;
		k->pages_mapped += m->page[i] >= 0;
	}
	k->has_mm_ids = true;
	for (i = 0; i < 2; i++) {
		k->slot_id[i] = m->slot_id[i];
		k->slot_count[i] = m->slot_count[i];
	}
	k->shared_bit = m->shared;
}

static int mm_total(const struct model *m, int mm)
{
	int i, n = m->pmds[mm];

	for (i = 0; i < NR; i++)
		n += m->ptes[mm][i];
	return n;
}

static void answer_of(const struct model *m, struct ms_shared_input *in)
{
	int mm, mappers = 0, covered = 0;

	memset(in, 0, sizeof(*in));
	in->mapcount = m->large + 1;
	for (mm = 1; mm <= MMS; mm++) {
		if (!mm_total(m, mm))
			continue;
		mappers++;
		in->owner = mm;
	}
	in->exact = !mappers ? MS_EXACT_UNKNOWN : mappers == 1 ?
		    MS_EXACT_EXCLUSIVE : MS_EXACT_SHARED;
	if (mappers != 1)
		in->owner = 0;
	/* folio_maybe_mapped_shared() of a large folio */
	in->kernel_shared = in->mapcount > 1 && m->shared;
	in->promised = true;
	in->has_slots = true;
	memcpy(in->slot_id, m->slot_id, sizeof(in->slot_id));
	memcpy(in->slot_count, m->slot_count, sizeof(in->slot_count));
	/* What the module learns from the sums: the slots' counts are true. */
	in->slots_match = true;
	for (mm = 0; mm < 2; mm++) {
		if (!m->slot_id[mm])
			continue;
		covered += m->slot_count[mm] + 1;
		in->slots_match &= m->slot_count[mm] + 1 ==
				   mm_total(m, m->slot_id[mm]);
	}
	in->slots_cover = covered == in->mapcount;
}

/* One random step: map or unmap something some mm has or may have. */
static void step(struct model *m)
{
	int mm = 1 + rand() % MMS, first = rand() % NR;
	int n = 1 + rand() % (NR - first), i;

	switch (rand() % 4) {
	case 0:
		add_ptes(m, mm, first, n);
		break;
	case 1:
		for (i = first; i < first + n; i++)
			if (!m->ptes[mm][i])
				return;
		remove_ptes(m, mm, first, n);
		break;
	case 2:
		if (m->entire < 3)
			add_pmd(m, mm);
		break;
	default:
		if (m->pmds[mm])
			remove_pmd(m, mm);
		break;
	}
}

static void random_sequences(void)
{
	unsigned long steps = 0, broken = 0, findings = 0;
	unsigned long verdicts[MS_NR_ANSWERS] = { 0 };
	struct ms_shared_input in;
	struct ms_kcounters k;
	struct model m;
	int run, s, v;

	srand(5);
	for (run = 0; run < 2000; run++) {
		model_init(&m);
		for (s = 0; s < 60; s++) {
			step(&m);
			counters_of(&m, &k);
			broken += ms_kernel_rules_broken(&k) != 0;
			answer_of(&m, &in);
			v = ms_shared_judge(&in);
			verdicts[v]++;
			findings += ms_shared_verdict_is_finding(v);
			steps++;
		}
	}
	is_int(broken, 0, "%lu random quiescent states: no rule broken", steps);
	is_int(findings, 0, "and no finding verdict");
	ok(verdicts[MS_ANSWER_EXCLUSIVE] && verdicts[MS_ANSWER_SHARED],
	   "the sequences reach exclusive (%lu) and shared (%lu) folios",
	   verdicts[MS_ANSWER_EXCLUSIVE], verdicts[MS_ANSWER_SHARED]);
	ok(verdicts[MS_ANSWER_MAYBE_NO_SLOT] + verdicts[MS_ANSWER_MAYBE_UNDERCOUNT],
	   "and the allowed \"maybe shared\" answers (no slot %lu, undercount %lu, other %lu)",
	   verdicts[MS_ANSWER_MAYBE_NO_SLOT],
	   verdicts[MS_ANSWER_MAYBE_UNDERCOUNT],
	   verdicts[MS_ANSWER_MAYBE_OTHER]);
}

/* Corrupting one word breaks the rule that watches it. */
static void corruptions(void)
{
	struct ms_kcounters k, good;
	struct model m;

	model_init(&m);
	add_ptes(&m, 1, 0, NR);
	add_pmd(&m, 1);
	add_ptes(&m, 2, 3, 4);
	counters_of(&m, &good);
	is_int(ms_kernel_rules_broken(&good), 0, "PTE+PMD by two mms: consistent");

	k = good;
	k.page_sum--;
	is_int(ms_kernel_rules_broken(&k), 1 << MS_RULE_LARGE_VS_PAGES,
	       "a page lost a mapcount: large-vs-pages");
	k = good;
	k.large++;
	is_int(ms_kernel_rules_broken(&k), 1 << MS_RULE_LARGE_VS_PAGES,
	       "_large_mapcount one too high: large-vs-pages");
	k = good;
	k.nr_pages_mapped--;
	is_int(ms_kernel_rules_broken(&k), 1 << MS_RULE_NR_PAGES_MAPPED,
	       "_nr_pages_mapped one short: nr-pages-mapped");
	k = good;
	k.nr_pages_mapped &= ~MS_ENTIRELY_MAPPED;
	is_int(ms_kernel_rules_broken(&k), 1 << MS_RULE_ENTIRELY_MAPPED,
	       "ENTIRELY_MAPPED lost: entirely-mapped");
	k = good;
	k.slot_count[0] += 5;
	is_int(ms_kernel_rules_broken(&k), 1 << MS_RULE_MM_SLOTS,
	       "slots count more than the folio: mm-slots");
	k = good;
	k.slot_id[1] = 0;
	is_int(ms_kernel_rules_broken(&k) & (1 << MS_RULE_MM_SLOTS),
	       1 << MS_RULE_MM_SLOTS, "a free slot with a count: mm-slots");
	k = good;
	k.shared_bit = false;
	is_int(ms_kernel_rules_broken(&k), 1 << MS_RULE_MM_SHARED_BIT,
	       "two mms, shared bit clear: mm-shared-bit");
	k = good;
	k.has_pages = false;
	k.page_sum = 0;
	k.has_mm_ids = false;
	k.shared_bit = false;
	is_int(ms_kernel_rules_broken(&k), 0,
	       "without per-page words or slots only what is read is judged");

	model_init(&m);
	counters_of(&m, &k);
	is_int(ms_kernel_rules_broken(&k), 0, "unmapped folio: consistent");
	k.shared_bit = true;
	is_int(ms_kernel_rules_broken(&k), 1 << MS_RULE_MM_SHARED_BIT,
	       "unmapped but \"maybe shared\": mm-shared-bit");
	is_str(ms_kernel_rule_name(MS_RULE_NR_PAGES_MAPPED), "nr-pages-mapped", "rule name");
	is_str(ms_kernel_rule_name(99), "?", "rule name out of range");
}

static void verdicts(void)
{
	struct ms_shared_input in;
	struct model m;

	model_init(&m);
	add_ptes(&m, 1, 0, 4);
	add_ptes(&m, 2, 0, 4);
	answer_of(&m, &in);
	is_int(ms_shared_judge(&in), MS_ANSWER_SHARED, "two mms: shared, and the kernel agrees");
	in.kernel_shared = false;
	is_int(ms_shared_judge(&in), MS_ANSWER_SHARED_MISSED,
	       "two mms, the kernel says exclusive: shared_missed");
	in.promised = false;
	is_int(ms_shared_judge(&in), MS_ANSWER_GUESSED_EXCLUSIVE,
	       "the same from a guessing kernel: allowed");
	answer_of(&m, &in);
	ok(in.slots_cover && in.slots_match, "two slots covering every mapping match the truth");
	in.slots_match = false;
	is_int(ms_shared_judge(&in), MS_ANSWER_BAD_SLOT,
	       "covering slots that contradict the sums: bad_slot");

	model_init(&m);
	add_ptes(&m, 3, 0, 8);
	answer_of(&m, &in);
	is_int(ms_shared_judge(&in), MS_ANSWER_EXCLUSIVE, "one mm: exclusive");
	in.slot_id[1] = 2;
	in.slot_count[1] = 0;
	is_int(ms_shared_judge(&in), MS_ANSWER_BAD_SLOT,
	       "a slot names an mm that does not map it: bad_slot");
	answer_of(&m, &in);
	in.slot_count[0] = 8;
	is_int(ms_shared_judge(&in), MS_ANSWER_BAD_SLOT,
	       "the owner's slot counts more than its mappings: bad_slot");
	answer_of(&m, &in);
	in.owner = 0;
	in.slot_count[0] = 8;
	is_int(ms_shared_judge(&in), MS_ANSWER_EXCLUSIVE,
	       "owner's kernel ID unknown: slots not judged");

	/* Owner without a slot: mms 1 and 2 took the slots, 3 mapped, 1 and 2 left. */
	model_init(&m);
	add_ptes(&m, 1, 0, 1);
	add_ptes(&m, 2, 1, 1);
	add_ptes(&m, 3, 2, 2);
	remove_ptes(&m, 1, 0, 1);
	remove_ptes(&m, 2, 1, 1);
	answer_of(&m, &in);
	is_int(ms_shared_judge(&in), MS_ANSWER_MAYBE_NO_SLOT,
	       "exclusive, the owner never got a slot: maybe_shared_no_slot");
	/* It maps one more page and gets slot 0, counting only that one. */
	add_ptes(&m, 3, 4, 1);
	answer_of(&m, &in);
	is_int(ms_shared_judge(&in), MS_ANSWER_MAYBE_UNDERCOUNT,
	       "then a slot that misses its older mappings: maybe_shared_undercount");

	memset(&in, 0, sizeof(in));
	in.exact = MS_EXACT_EXCLUSIVE;
	in.mapcount = 2;
	in.kernel_shared = true;
	is_int(ms_shared_judge(&in), MS_ANSWER_MAYBE_MAPPED_TWICE,
	       "small folio mapped twice by one mm: maybe_shared_mapped_twice");
	in.exact = MS_EXACT_UNKNOWN;
	is_int(ms_shared_judge(&in), MS_ANSWER_UNKNOWN, "no exact answer: unknown");
	is_str(ms_shared_verdict_name(MS_ANSWER_BAD_SLOT), "bad_slot", "verdict name");
	is_str(ms_shared_verdict_name(MS_NR_ANSWERS), "?", "verdict name out of range");
}

int main(void)
{
	corruptions();
	verdicts();
	random_sequences();
	return tap_finish();
}
