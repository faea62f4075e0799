/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What is tracked: all processes, one process (its mm), or tasks by name.
 * An event outside the filter does not enter the shadow; a folio it touches
 * that is tracked becomes unverifiable, so a filter never makes a false
 * finding.
 */
#ifndef MAPSHADOW_FILTER_H
#define MAPSHADOW_FILTER_H

#include <linux/seq_file.h>
#include <linux/types.h>

struct mm_struct;

bool ms_filter_allows(const struct mm_struct *mm);
int ms_filter_set_pid(int pid);
void ms_filter_set_comm(const char *comm);
void ms_filter_set_all(void);
void ms_filter_show(struct seq_file *m);

#endif /* MAPSHADOW_FILTER_H */
