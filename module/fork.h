/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forks in progress, as the rest of mapshadow needs to know them:
 *  - the registry: which child mm each forking task copies into, for the
 *    inlined dup sites (sites.c), which see only the folio;
 *  - the site generation: a count of site tables coming to life or going
 *    away, odd while they do, so that a fork overlapping a change knows it
 *    cannot tell which of its writes the sites counted;
 *  - blind windows: forks copying without a site table (tracking.h).
 * The handlers of fork itself are in hooks_fork.c.
 */
#ifndef MAPSHADOW_FORK_H
#define MAPSHADOW_FORK_H

#include <linux/types.h>

struct mm_struct;

/* Sets (mm) or clears (NULL) the current task's slot; false if none free. */
bool ms_fork_stash(struct mm_struct *mm);
/* The mm the current task is forking into, or NULL. */
struct mm_struct *ms_fork_child_mm(void);

void ms_fork_sites_changing(void);
void ms_fork_sites_changed(void);
unsigned int ms_fork_sites_generation(void);

static inline bool ms_fork_sites_stable(unsigned int gen_at_start)
{
	return !(gen_at_start & 1) && gen_at_start == ms_fork_sites_generation();
}

void ms_fork_blind_open(void);
void ms_fork_blind_close(void);
/* Blind windows open now, and a count of every opening and closing. */
int ms_fork_blind_windows(void);
u32 ms_fork_blind_seq(void);

#endif /* MAPSHADOW_FORK_H */
