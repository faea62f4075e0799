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
#include "history.h"
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

static unsigned int history_events = 32768;
module_param(history_events, uint, 0400);
MODULE_PARM_DESC(history_events, "shadow changes kept per CPU for reports, 64 to 1048576 (default 32768)");

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
	if (history_events < MS_HISTORY_MIN || history_events > MS_HISTORY_MAX) {
		pr_err("history_events must be %u to %u\n", MS_HISTORY_MIN,
		       MS_HISTORY_MAX);
		return -EINVAL;
	}
	err = ms_history_init(history_events);
	if (err)
		return err;
	err = ms_shadow_init(max_folios);
	if (err)
		goto out_history;
	err = ms_mm_ids_init();
	if (err)
		goto out_shadow;
	/* Hooks first: the control files act on armed hooks only. */
	ms_trust_set_missed_source(ms_events_missed_total);
	ms_hooks_arm();
	err = ms_debugfs_init();
	if (err) {
		ms_hooks_disarm();
		ms_validate_exit();
		ms_mm_ids_exit();
		goto out_shadow;
	}
	pr_info("loaded, version %s, %u of %u hooks armed, tracking %s\n",
		MS_VERSION, ms_hooks_armed(), MS_NR_HOOKS, ms_tracking_name());
	return 0;
out_shadow:
	ms_shadow_exit();
out_history:
	ms_history_exit();
	return err;
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
	ms_history_exit();
	pr_info("unloaded\n");
}

module_init(ms_init);
module_exit(ms_exit);

MODULE_DESCRIPTION("Shadow folio mapcounts and report where the kernel's go wrong");
MODULE_AUTHOR("mapshadow developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(MS_VERSION);
