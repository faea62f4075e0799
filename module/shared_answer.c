// SPDX-License-Identifier: GPL-2.0
/* The kernel's "mapped shared" answer judged; see shared_answer.h. */
#include "shared_answer.h"

/* Exclusive folio: may a slot hold what it holds? */
static bool ms_slots_fit_owner(const struct ms_shared_input *in)
{
	int i;

	for (i = 0; i < MS_MM_SLOTS; i++) {
		if (!in->slot_id[i])
			continue;
		if (in->slot_id[i] != in->owner ||
		    (long)in->slot_count[i] + 1 > in->mapcount)
			return false;
	}
	return true;
}

static enum ms_shared_verdict ms_maybe_cause(const struct ms_shared_input *in)
{
	int i;

	if (!in->has_slots)
		return MS_ANSWER_MAYBE_MAPPED_TWICE;
	for (i = 0; i < MS_MM_SLOTS; i++)
		if (in->slot_id[i] == in->owner)
			return (long)in->slot_count[i] + 1 < in->mapcount ?
			       MS_ANSWER_MAYBE_UNDERCOUNT :
			       MS_ANSWER_MAYBE_OTHER;
	return MS_ANSWER_MAYBE_NO_SLOT;
}

enum ms_shared_verdict ms_shared_judge(const struct ms_shared_input *in)
{
	switch (in->exact) {
	case MS_EXACT_EXCLUSIVE:
		/* Without the owner's kernel ID the slots cannot be judged. */
		if (in->has_slots && in->owner && !ms_slots_fit_owner(in))
			return MS_ANSWER_BAD_SLOT;
		if (!in->kernel_shared)
			return MS_ANSWER_EXCLUSIVE;
		if (in->has_slots && !in->owner)
			return MS_ANSWER_MAYBE_OTHER;
		return ms_maybe_cause(in);
	case MS_EXACT_SHARED:
		if (in->has_slots && in->slots_cover && !in->slots_match)
			return MS_ANSWER_BAD_SLOT;
		if (in->kernel_shared)
			return MS_ANSWER_SHARED;
		return in->promised ? MS_ANSWER_SHARED_MISSED :
				      MS_ANSWER_GUESSED_EXCLUSIVE;
	default:
		return MS_ANSWER_UNKNOWN;
	}
}

const char *ms_shared_verdict_name(enum ms_shared_verdict v)
{
	static const char * const names[MS_NR_ANSWERS] = {
		[MS_ANSWER_UNKNOWN] = "unknown",
		[MS_ANSWER_EXCLUSIVE] = "exclusive",
		[MS_ANSWER_SHARED] = "shared",
		[MS_ANSWER_MAYBE_MAPPED_TWICE] = "maybe_shared_mapped_twice",
		[MS_ANSWER_MAYBE_NO_SLOT] = "maybe_shared_no_slot",
		[MS_ANSWER_MAYBE_UNDERCOUNT] = "maybe_shared_undercount",
		[MS_ANSWER_MAYBE_OTHER] = "maybe_shared_other",
		[MS_ANSWER_GUESSED_EXCLUSIVE] = "guessed_exclusive",
		[MS_ANSWER_SHARED_MISSED] = "shared_missed",
		[MS_ANSWER_BAD_SLOT] = "bad_slot",
	};

	return (unsigned int)v < MS_NR_ANSWERS ? names[v] : "?";
}
