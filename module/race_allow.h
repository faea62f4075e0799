/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flag writers proven safe by their locking or by their function's own
 * references: the flag-race rule must not report them.  Every entry says
 * why; none is silent.
 */
#ifndef MAPSHADOW_RACE_ALLOW_H
#define MAPSHADOW_RACE_ALLOW_H

#include "sitetable_parse.h"

struct ms_race_allow {
	const char *helper;	/* the inlined writer, e.g. "__folio_set_locked" */
	const char *function;	/* where it is inlined; NULL: anywhere */
	/*
	 * 0: never reported.  N > 0: the writer's function holds one
	 * reference plus N per page of the folio (a reference it added for
	 * a cache it publishes the folio in only later); more is reported.
	 */
	int refs_per_page;
	const char *reason;
};

/* The entry that covers race r, or NULL. */
const struct ms_race_allow *ms_race_allowed(const struct ms_race *r);
/* The whole list, for the "races" file. */
unsigned int ms_race_allow_count(void);

#endif /* MAPSHADOW_RACE_ALLOW_H */
