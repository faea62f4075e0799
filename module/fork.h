/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_FORK_H
#define MAPSHADOW_FORK_H

void ms_fork_window_state(int *open, int *generation);

#endif /* MAPSHADOW_FORK_H */
