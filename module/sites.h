/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction-level probes on inlined mapcount writes, from a site table
 * made by debugfs-tools/ms-sitegen for exactly the running kernel build.
 *   cat sites.tbl > /sys/kernel/debug/mapshadow/sites   stage (checked)
 *   echo sites=on > /sys/kernel/debug/mapshadow/control  verify bytes, arm
 *   echo sites=off > ...                                  disarm
 */
#ifndef MAPSHADOW_SITES_H
#define MAPSHADOW_SITES_H

#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/types.h>

/* True while a site table is armed: inlined fork and hugetlb paths are exact. */
bool ms_sites_armed(void);
/* Events the armed sites' probes skipped (recursion); 0 when none armed. */
unsigned long ms_sites_missed(void);

int ms_sites_arm(void);
void ms_sites_disarm(void);
void ms_sites_show(struct seq_file *m);
void ms_sites_exit(void);

extern const struct file_operations ms_sites_fops;

#endif /* MAPSHADOW_SITES_H */
