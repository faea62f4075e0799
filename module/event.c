// SPDX-License-Identifier: GPL-2.0
/* The one way into the shadow; see event.h. */
#include <linux/kprobes.h>
#include "event.h"
#include "filter.h"
#include "mm_ids.h"
#include "shadow.h"
#include "stats.h"

bool ms_event_admit(const struct ms_event *ev,
		    const struct mm_struct *filter_mm)
{
	if (ms_filter_allows(filter_mm))
		return true;
	ms_shadow_mark_if_tracked(ev->folio);
	if (ev->mm)
		ms_mm_incomplete(ev->mm);
	return false;
}

NOKPROBE_SYMBOL(ms_event_admit);

bool ms_event_account(struct ms_event *ev)
{
	bool copying = false;

	ms_count(events[ev->level]);
	if (ev->level != MS_LEVEL_HUGETLB)
		ev->mm_id = ms_mm_account(ev->mm, ev->delta, &copying);
	return copying;
}

NOKPROBE_SYMBOL(ms_event_account);
