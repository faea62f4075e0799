/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_H
#define MAPSHADOW_H

#include <linux/gfp.h>
#include <linux/sched.h>
#include <linux/string.h>

#define MS_VERSION "0.1.0"

/*
 * Allocations from probe handlers: never sleep, never take the emergency
 * reserves (rmap hooks also run in reclaim, under PF_MEMALLOC), never warn.
 */
#define MS_GFP_PROBE (GFP_NOWAIT | __GFP_NOMEMALLOC | __GFP_NOWARN)

/*
 * current->comm without task_lock(): get_task_comm() takes it on 6.12,
 * and handlers run in IRQ context (mm_page_free) where that could
 * deadlock.  A racing rename may give a mixed name; the last byte of comm
 * is always NUL, so the copy is always a string.
 */
static inline void ms_current_comm(char buf[TASK_COMM_LEN])
{
	memcpy(buf, current->comm, TASK_COMM_LEN);
	buf[TASK_COMM_LEN - 1] = '\0';
}

#endif /* MAPSHADOW_H */
