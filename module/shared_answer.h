/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Is this folio mapped by more than one mm?": the kernel's answer judged
 * against the exact one from the rmap-ID sums (pure: module and unit tests).
 *
 * The kernel's answer may say "shared" for an exclusive folio: its contract
 * allows it, and each such answer is counted by cause.  Where the answer
 * comes from MM-ID slots (folio_maybe_mapped_shared(), 6.15+) it must
 * never say "exclusive" for a shared folio, and a slot must never name an
 * mm that does not map the folio or count more mappings than that mm has
 * (a slot count only ever falls short: rmap.h, "valid corner cases where we
 * might underflow a per-MM mapcount"), so slots whose counts add up to the
 * mapcount must match the rmap-ID sums exactly; those verdicts are findings.  A
 * guessed answer (folio_likely_mapped_shared(), 6.12) may err either way.
 */
#ifndef MAPSHADOW_SHARED_ANSWER_H
#define MAPSHADOW_SHARED_ANSWER_H

#include "kernel_rules.h"
#include "pure.h"
#include "rmap_id_math.h"

struct ms_shared_input {
	enum ms_exact exact;
	s32 owner;		/* exclusive: the owner's kernel MM ID, 0 unknown */
	s32 mapcount;		/* the folio's mapcount (shadow == live here) */
	bool kernel_shared;	/* the kernel's answer */
	bool promised;		/* the kernel never says exclusive when shared */
	bool has_slots;		/* MM-ID slots below are the kernel's */
	s32 slot_id[MS_MM_SLOTS];	/* 0: free */
	s32 slot_count[MS_MM_SLOTS];	/* -1 based */
	/*
	 * The used slots' mappings add up to the mapcount, so each must be
	 * exact; slots_match: the rmap-ID sums agree with them.
	 */
	bool slots_cover, slots_match;
};

enum ms_shared_verdict {
	MS_ANSWER_UNKNOWN,		/* no exact answer */
	MS_ANSWER_EXCLUSIVE,		/* both say exclusive */
	MS_ANSWER_SHARED,		/* both say shared */
	/* "shared" for an exclusive folio, by cause: */
	MS_ANSWER_MAYBE_MAPPED_TWICE,	/* one mm maps it more than once */
	MS_ANSWER_MAYBE_NO_SLOT,	/* no slot names the owner */
	MS_ANSWER_MAYBE_UNDERCOUNT,	/* the owner's slot misses mappings */
	MS_ANSWER_MAYBE_OTHER,
	/* "exclusive" for a shared folio: */
	MS_ANSWER_GUESSED_EXCLUSIVE,	/* allowed: the answer is a guess */
	MS_ANSWER_SHARED_MISSED,	/* promised: a finding */
	/* A slot names a non-mapper, overcounts, or covers but contradicts: */
	MS_ANSWER_BAD_SLOT,
	MS_NR_ANSWERS,
};

enum ms_shared_verdict ms_shared_judge(const struct ms_shared_input *in);
const char *ms_shared_verdict_name(enum ms_shared_verdict v);
/* Verdicts that are findings rather than statistics. */
static inline bool ms_shared_verdict_is_finding(enum ms_shared_verdict v)
{
	return v == MS_ANSWER_SHARED_MISSED || v == MS_ANSWER_BAD_SLOT;
}

#endif /* MAPSHADOW_SHARED_ANSWER_H */
