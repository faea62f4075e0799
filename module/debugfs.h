/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_DEBUGFS_H
#define MAPSHADOW_DEBUGFS_H

int ms_debugfs_init(void);
void ms_debugfs_exit(void);

#endif /* MAPSHADOW_DEBUGFS_H */
