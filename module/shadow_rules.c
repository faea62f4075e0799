// SPDX-License-Identifier: GPL-2.0
/* Shadow arithmetic; see shadow_rules.h.  No locking, no kernel calls. */
#include "pure.h"
#include "shadow_rules.h"
#include "shadow_state.h"

/*
 * First event for a folio.  If nothing maps it yet, its whole history is
 * ahead of us and it is strict; otherwise it was mapped before we looked
 * and is adopted with the live count as the starting point.
 */
void ms_counts_first_sight(struct ms_counts *c, unsigned int order,
			   int live_before)
{
	memset(c, 0, sizeof(*c));
	c->order = order;
	if (live_before == 0) {
		c->state = MS_STATE_STRICT;
	} else {
		c->state = MS_STATE_ADOPTED;
		c->mapcount = live_before;
	}
}

int ms_counts_apply(struct ms_counts *c, unsigned int level, int delta)
{
	c->mapcount += delta;
	if (level < MS_NR_LEVELS)
		c->levels[level] += delta;
	if (c->state == MS_STATE_STRICT && c->mapcount < 0)
		return MS_APPLY_UNDERFLOW;
	return MS_APPLY_OK;
}

/*
 * Called with no update in flight and the live count in hand: a folio that
 * nothing maps has a known history from here on.  Returns true when the
 * folio just became strict.
 */
bool ms_counts_quiescent_unmapped(struct ms_counts *c, int live)
{
	if (c->inflight || live != 0 || c->state == MS_STATE_STRICT)
		return false;
	memset(c->levels, 0, sizeof(c->levels));
	c->mapcount = 0;
	c->state = MS_STATE_STRICT;
	return true;
}

/*
 * The folio at this pfn changed order (split, or freed and reallocated
 * without a free we saw).  An unmapped shadow simply takes the new shape;
 * a mapped one cannot be carried over and becomes unverifiable.  Returns
 * true when the shadow had to give up.
 */
bool ms_counts_reshape(struct ms_counts *c, unsigned int order)
{
	bool lost = c->mapcount != 0 && c->state == MS_STATE_STRICT;

	c->order = order;
	if (c->mapcount != 0)
		c->state = MS_STATE_UNVERIFIABLE;
	return lost;
}

const char *ms_state_name(unsigned int state)
{
	static const char * const names[MS_NR_STATES] = {
		[MS_STATE_ADOPTED] = "adopted", [MS_STATE_STRICT] = "strict",
		[MS_STATE_UNVERIFIABLE] = "unverifiable",
	};

	return state < MS_NR_STATES ? names[state] : "-";
}

const char *ms_level_name(unsigned int level)
{
	static const char * const names[MS_NR_LEVELS] = {
		[MS_LEVEL_PTE] = "pte", [MS_LEVEL_PMD] = "pmd",
		[MS_LEVEL_PUD] = "pud", [MS_LEVEL_HUGETLB] = "hugetlb",
	};

	return level < MS_NR_LEVELS ? names[level] : "?";
}
