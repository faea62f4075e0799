// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mapshadow/: root-only files.
 *   stats  "key: value" lines
 *   hooks  the hook table with hit and miss counts
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/utsname.h>
#include "debugfs.h"
#include "hooks.h"
#include "mapshadow.h"
#include "stats.h"

static struct dentry *ms_dir;

static int stats_show(struct seq_file *m, void *v)
{
	static const char * const level_names[MS_NR_LEVELS] = {
		[MS_LEVEL_PTE] = "pte", [MS_LEVEL_PMD] = "pmd",
		[MS_LEVEL_PUD] = "pud", [MS_LEVEL_HUGETLB] = "hugetlb",
	};
	unsigned long hits = 0;
	int i;

	for (i = 0; i < MS_NR_HOOKS; i++)
		hits += ms_count_sum(hook_hits[i]);
	seq_printf(m, "version: %s\n", MS_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	seq_puts(m, "enabled: 1\n");
	seq_printf(m, "hooks_armed: %u\n", ms_hooks_armed());
	seq_printf(m, "hooks_total: %u\n", MS_NR_HOOKS);
	seq_printf(m, "hook_hits: %lu\n", hits);
	for (i = 0; i < MS_NR_LEVELS; i++)
		seq_printf(m, "events_%s: %lu\n", level_names[i],
			   ms_count_sum(events[i]));
	seq_printf(m, "page_frees: %lu\n", ms_count_sum(page_frees));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int hooks_show(struct seq_file *m, void *v)
{
	ms_hooks_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hooks);

int ms_debugfs_init(void)
{
	if (!debugfs_initialized()) {
		pr_err("debugfs is not available (booted with debugfs=off?)\n");
		return -ENODEV;
	}
	ms_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(ms_dir)) {
		pr_err("cannot create debugfs directory: %ld\n",
		       PTR_ERR(ms_dir));
		return PTR_ERR(ms_dir);
	}
	/* debugfs makes directories world-readable; ours holds kernel state. */
	d_inode(ms_dir)->i_mode = S_IFDIR | 0700;
	debugfs_create_file("stats", 0400, ms_dir, NULL, &stats_fops);
	debugfs_create_file("hooks", 0400, ms_dir, NULL, &hooks_fops);
	return 0;
}

/* Waits for readers still inside our files before returning. */
void ms_debugfs_exit(void)
{
	debugfs_remove(ms_dir);
	ms_dir = NULL;
}
