// SPDX-License-Identifier: GPL-2.0
/*
 * mapshadow: shadow folio mapcounts from the kernel's rmap and zap paths and
 * check them against the live counters.  Module entry and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "compat.h"
#include "debugfs.h"
#include "hooks.h"
#include "mapshadow.h"

static int __init ms_init(void)
{
	int err;

	err = ms_debugfs_init();
	if (err)
		return err;
	ms_hooks_arm();
	pr_info("loaded, version %s, %u of %u hooks armed\n", MS_VERSION,
		ms_hooks_armed(), MS_NR_HOOKS);
	return 0;
}

static void __exit ms_exit(void)
{
	/* Stop the event sources first, then the readers of their state. */
	ms_hooks_disarm();
	ms_debugfs_exit();
	pr_info("unloaded\n");
}

module_init(ms_init);
module_exit(ms_exit);

MODULE_DESCRIPTION("Shadow folio mapcounts and report where the kernel's go wrong");
MODULE_AUTHOR("mapshadow developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(MS_VERSION);
