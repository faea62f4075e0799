/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recent shadow updates, per CPU, in bounded rings: the history a
 * finding shows for its folio.  A folio entry used to carry its own last
 * four events; keeping them here instead halves the entry.  The full
 * history of a folio is the mapshadow:shadow_update tracepoint's.
 */
#ifndef MAPSHADOW_EVENT_LOG_H
#define MAPSHADOW_EVENT_LOG_H

#include <linux/types.h>
#include "event.h"
#include "shadow.h"

/* Updates kept per CPU: the newest win. */
#define MS_EVENT_LOG_LEN 1024

int ms_event_log_init(void);
void ms_event_log_exit(void);
size_t ms_event_log_bytes(void);
/* Any context, NMI included. */
void ms_event_log_push(unsigned long pfn, const struct ms_event *ev);
/*
 * The newest (at most MS_RING_LEN) updates of pfn still in the rings,
 * oldest first; returns how many.
 */
unsigned int ms_event_log_find(unsigned long pfn, struct ms_ring_event *out);

#endif /* MAPSHADOW_EVENT_LOG_H */
