/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event history: every shadow change goes into a bounded ring per CPU,
 * out of the per-folio store.  An entry keeps only a link to its folio's
 * last event, and each event links to the one before it, so a report
 * follows its folio's chain back through the rings while the events are
 * still there (older ones are overwritten; the tracepoint
 * mapshadow:shadow_update keeps everything for those who need it).
 */
#ifndef MAPSHADOW_HISTORY_H
#define MAPSHADOW_HISTORY_H

#include <linux/types.h>

struct ms_event;

/* Events a report shows, newest last. */
#define MS_HISTORY_SHOWN 4
#define MS_HISTORY_MIN 64U
#define MS_HISTORY_MAX 1048576U

struct ms_history_event {
	u64 time_ns;
	unsigned long pfn;	/* the folio's head page */
	const void *mm;		/* print with %p only: hashed */
	s32 delta;
	u16 cpu;
	u8 source;
	u8 level;
};

/* events_per_cpu: rounded up to a power of two, MIN to MAX. */
int ms_history_init(unsigned int events_per_cpu);
void ms_history_exit(void);
/*
 * Records ev, a change of the folio at pfn, and makes it the newest of its
 * chain: *last is the folio's link to its last event (0: none), updated by
 * the caller's lock.  Any context; never sleeps, never fails (the oldest
 * event of this CPU is overwritten).
 */
void ms_history_push(unsigned long pfn, const struct ms_event *ev, u64 *last);
/*
 * The events of the folio at pfn from its link last back, at most
 * MS_HISTORY_SHOWN, oldest first, as far as they are still in the rings;
 * returns how many.
 */
unsigned int ms_history_of(unsigned long pfn, u64 last,
			   struct ms_history_event *out);
/* What the rings cost, allocated at load. */
unsigned long ms_history_bytes(void);

#endif /* MAPSHADOW_HISTORY_H */
