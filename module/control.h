/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_CONTROL_H
#define MAPSHADOW_CONTROL_H

#include <linux/fs.h>
#include <linux/seq_file.h>

extern const struct file_operations ms_control_fops;
void ms_control_show_scan(struct seq_file *m);
void ms_control_exit(void);
void ms_control_show_folio(struct seq_file *m);

#endif /* MAPSHADOW_CONTROL_H */
