/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_FORK_H
#define MAPSHADOW_FORK_H

struct mm_struct;

struct mm_struct *ms_fork_child_mm(void);

#endif /* MAPSHADOW_FORK_H */
