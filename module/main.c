// SPDX-License-Identifier: GPL-2.0
/*
 * mapshadow: shadow folio mapcounts from the kernel's rmap and zap paths and
 * check them against the live counters.  Module entry and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "compat.h"
#include "control.h"
#include "debugfs.h"
#include "hooks.h"
#include "mapshadow.h"
#include "mm_ids.h"
#include "shadow.h"
#include "races.h"
#include "sites.h"
#include "validate.h"

static unsigned int max_folios = 131072;
module_param(max_folios, uint, 0400);
MODULE_PARM_DESC(max_folios, "most folios shadowed at once; more are counted as dropped (default 131072)");

/* Events the probes missed: trust is lost when this grows (tracking.h). */
static unsigned long ms_events_missed_total(void)
{
	return ms_hooks_missed() + ms_sites_missed();
}

static int __init ms_init(void)
{
	int err;

	if (!max_folios) {
		pr_err("max_folios must be at least 1\n");
		return -EINVAL;
	}
	err = ms_shadow_init(max_folios);
	if (err)
		return err;
	err = ms_mm_ids_init();
	if (err) {
		ms_shadow_exit();
		return err;
	}
	/* Hooks first: the control files act on armed hooks only. */
	ms_trust_set_missed_source(ms_events_missed_total);
	ms_hooks_arm();
	err = ms_debugfs_init();
	if (err) {
		ms_hooks_disarm();
		ms_validate_exit();
		ms_mm_ids_exit();
		ms_shadow_exit();
		return err;
	}
	pr_info("loaded, version %s, %u of %u hooks armed, tracking %s\n",
		MS_VERSION, ms_hooks_armed(), MS_NR_HOOKS, ms_tracking_name());
	return 0;
}

static void __exit ms_exit(void)
{
	/* No new commands, then stop the event sources, then their readers. */
	ms_debugfs_exit();
	ms_tracking_stop();
	ms_races_exit();
	ms_sites_exit();
	ms_hooks_disarm();
	ms_validate_exit();
	ms_control_exit();
	ms_mm_ids_exit();
	ms_shadow_exit();
	pr_info("unloaded\n");
}

module_init(ms_init);
module_exit(ms_exit);

MODULE_DESCRIPTION("Shadow folio mapcounts and report where the kernel's go wrong");
MODULE_AUTHOR("mapshadow developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(MS_VERSION);
