/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmap IDs: a unique ID per live mm, in [1, 2^24), from the first event
 * seen for it until exit_mmap().  Each mm also keeps the total of its
 * mappings seen (maps minus unmaps); an mm seen from its birth (mm_init())
 * must end at zero, or a removal was missed.
 */
#ifndef MAPSHADOW_MM_IDS_H
#define MAPSHADOW_MM_IDS_H

#include <linux/seq_file.h>
#include <linux/types.h>

struct mm_struct;

/*
 * Account delta mappings to mm; returns its ID, 0 if it has none.
 * *copying (if given): a fork is copying into mm without being seen.
 */
u32 ms_mm_account(const struct mm_struct *mm, long delta, bool *copying);
/* A fork starts (1) or ends (-1) copying into mm unseen; false: no entry. */
bool ms_mm_copying(const struct mm_struct *mm, int delta);
/* The kernel's own MM ID of the mm holding rmap ID id; 0 if none or gone. */
int ms_mm_kernel_id(u32 id);
/* The rmap ID of the live mm whose kernel MM ID is kernel_id; 0 if none. */
u32 ms_mm_rmap_id_of_kernel_id(int kernel_id);
void ms_mm_born(const struct mm_struct *mm);
/* Some of mm's mappings will never be seen: its total proves nothing. */
void ms_mm_incomplete(const struct mm_struct *mm);
void ms_mm_all_incomplete(void);
/* mm is gone: its leftover total if that proves a missed removal, else 0. */
long ms_mm_exit(const struct mm_struct *mm, u32 *id);
unsigned long ms_mm_count(void);
int ms_mm_ids_init(void);
void ms_mm_ids_exit(void);

#endif /* MAPSHADOW_MM_IDS_H */
