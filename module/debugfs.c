// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mapshadow/: root-only files.
 *   stats  "key: value" lines
 *   hooks  the hook table with hit and miss counts
 *   scan   the result of the last "scan" verb
 *   folio  the folio chosen with "show pfn=0x...": shadow, exact and
 *          kernel answers to "mapped by more than one mm"
 *   findings         one line per finding
 *   findings_detail  each finding with counters, recent events and stack
 *   control  verbs (control.c)
 *   sites  write a site table to stage it (sites.c)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/security.h>
#include <linux/utsname.h>
#include "compat.h"
#include "control.h"
#include "filter.h"
#include "findings.h"
#include "mm_ids.h"
#include "debugfs.h"
#include "hooks.h"
#include "mapshadow.h"
#include "shadow.h"
#include "shared_answer.h"
#include "races.h"
#include "sites.h"
#include "stats.h"
#include "tracking.h"
#include "validate.h"

static struct dentry *ms_dir;

static int stats_show(struct seq_file *m, void *v)
{
	struct ms_store_memory mem;
	unsigned long hits = 0;
	int i;

	for (i = 0; i < MS_NR_HOOKS; i++)
		hits += ms_count_sum(hook_hits[i]);
	seq_printf(m, "version: %s\n", MS_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	seq_printf(m, "enabled: %d\n", ms_validate_enabled());
	seq_printf(m, "tracking: %s\n", ms_tracking_name());
	seq_printf(m, "tracking_why: %s\n", ms_tracking_why());
	seq_printf(m, "trust_epoch: %u\n", ms_trust_epoch());
	seq_printf(m, "hooks_armed: %u\n", ms_hooks_armed());
	seq_printf(m, "hooks_total: %u\n", MS_NR_HOOKS);
	seq_printf(m, "sites_armed: %d\n", ms_sites_armed());
	seq_printf(m, "hook_hits: %lu\n", hits);
	for (i = 0; i < MS_NR_LEVELS; i++)
		seq_printf(m, "events_%s: %lu\n", ms_level_name(i),
			   ms_count_sum(events[i]));
	seq_printf(m, "events_missed: %lu\n", ms_hooks_missed());
	ms_shadow_memory(&mem);
	seq_printf(m, "folios_tracked: %lu\n", mem.entries);
	seq_printf(m, "folios_tracked_small: %lu\n", mem.small_entries);
	seq_printf(m, "folios_tracked_large: %lu\n", mem.large_entries);
	seq_printf(m, "store_small_entry_bytes: %lu\n", mem.small_entry_bytes);
	seq_printf(m, "store_large_entry_bytes: %lu\n", mem.large_entry_bytes);
	seq_printf(m, "store_index_bytes: %lu\n", mem.index_bytes);
	seq_printf(m, "store_history_bytes: %lu\n", mem.history_bytes);
	seq_printf(m, "store_bytes: %lu\n", mem.total_bytes);
	seq_printf(m, "folios_strict: %lu\n", ms_shadow_count(MS_STATE_STRICT));
	seq_printf(m, "folios_adopted: %lu\n", ms_shadow_count(MS_STATE_ADOPTED));
	seq_printf(m, "folios_unverifiable: %lu\n",
		   ms_shadow_count(MS_STATE_UNVERIFIABLE));
	seq_printf(m, "folios_created_strict: %lu\n",
		   ms_count_sum(shadow_created[MS_STATE_STRICT]));
	seq_printf(m, "folios_created_adopted: %lu\n",
		   ms_count_sum(shadow_created[MS_STATE_ADOPTED]));
	seq_printf(m, "folios_became_strict: %lu\n",
		   ms_count_sum(shadow_became_strict));
	seq_printf(m, "folios_marked_unverifiable: %lu\n",
		   ms_count_sum(shadow_marked_unverifiable));
	seq_printf(m, "folios_dropped_cap: %lu\n", ms_count_sum(shadow_cap_drops));
	seq_printf(m, "folios_dropped_nomem: %lu\n",
		   ms_count_sum(shadow_alloc_fails));
	seq_printf(m, "shadow_underflows: %lu\n", ms_count_sum(shadow_underflows));
	seq_printf(m, "freed_while_mapped: %lu\n",
		   ms_count_sum(shadow_freed_mapped));
	seq_printf(m, "reshaped_while_mapped: %lu\n",
		   ms_count_sum(shadow_reshaped_mapped));
	seq_printf(m, "folios_distrusted: %lu\n", ms_count_sum(shadow_distrusted));
	seq_printf(m, "fork_walks: %lu\n", ms_count_sum(fork_walks));
	seq_printf(m, "fork_walk_ptes: %lu\n", ms_count_sum(fork_walk_ptes));
	seq_printf(m, "fork_child_events: %lu\n",
		   ms_count_sum(fork_child_events));
	seq_printf(m, "fork_slots_full: %lu\n", ms_count_sum(fork_slots_full));
	seq_printf(m, "site_bad_pointers: %lu\n",
		   ms_count_sum(site_bad_pointers));
	seq_printf(m, "probe_lock_busy: %lu\n", ms_count_sum(probe_lock_busy));
	seq_printf(m, "nmi_no_alloc: %lu\n", ms_count_sum(nmi_no_alloc));
	seq_printf(m, "race_widen_us: %u\n", ms_races_widen_us());
	seq_printf(m, "race_windows: %lu\n", ms_count_sum(race_windows));
	seq_printf(m, "race_window_changes: %lu\n",
		   ms_count_sum(race_window_changes));
	seq_printf(m, "race_replays: %lu\n", ms_count_sum(race_replays));
	for (i = 0; i < MS_NR_LOSSES; i++)
		seq_printf(m, "trust_lost_%s: %lu\n", ms_trust_loss_name(i),
			   ms_trust_losses(i));
	for (i = 0; i < MS_NR_SKIPS; i++)
		seq_printf(m, "checks_skipped_%s: %lu\n", ms_skip_name(i),
			   ms_trust_skips(i));
	seq_printf(m, "mms_tracked: %lu\n", ms_mm_count());
	seq_printf(m, "mm_id_drops: %lu\n", ms_count_sum(mm_id_drops));
	seq_printf(m, "mms_stale: %lu\n", ms_count_sum(mm_stale));
	seq_printf(m, "validate_checks: %lu\n", ms_count_sum(validate_checks));
	seq_printf(m, "validate_suspects: %lu\n", ms_count_sum(validate_suspects));
	seq_printf(m, "validate_transient: %lu\n", ms_count_sum(validate_transient));
	seq_printf(m, "validate_suspect_drops: %lu\n",
		   ms_count_sum(validate_suspect_drops));
	for (i = 0; i < MS_NR_FIND_KINDS; i++)
		seq_printf(m, "findings_%s: %lu\n",
			   ms_finding_kind_name(i), ms_findings_count(i));
	seq_printf(m, "findings_overflow: %lu\n", ms_findings_overflow());
	seq_printf(m, "answer_function: %s\n", ms_compat_kernel_shared_name());
	for (i = 0; i < MS_NR_ANSWERS; i++)
		if (!ms_shared_verdict_is_finding(i))
			seq_printf(m, "answer_%s: %lu\n", ms_shared_verdict_name(i),
				   ms_count_sum(answers[i]));
	ms_filter_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int hooks_show(struct seq_file *m, void *v)
{
	ms_hooks_show(m);
	ms_sites_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hooks);

static int scan_show(struct seq_file *m, void *v)
{
	ms_control_show_scan(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scan);

static int findings_show(struct seq_file *m, void *v)
{
	ms_findings_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(findings);

static int folio_show(struct seq_file *m, void *v)
{
	ms_control_show_folio(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(folio);

static int races_show(struct seq_file *m, void *v)
{
	ms_races_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(races);

static int findings_detail_show(struct seq_file *m, void *v)
{
	ms_findings_show_detail(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(findings_detail);

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
	debugfs_create_file("scan", 0400, ms_dir, NULL, &scan_fops);
	debugfs_create_file("findings", 0400, ms_dir, NULL, &findings_fops);
	debugfs_create_file("folio", 0400, ms_dir, NULL, &folio_fops);
	debugfs_create_file("findings_detail", 0400, ms_dir, NULL,
			    &findings_detail_fops);
	debugfs_create_file("control", 0200, ms_dir, NULL, &ms_control_fops);
	debugfs_create_file("sites", 0200, ms_dir, NULL, &ms_sites_fops);
	debugfs_create_file("races", 0400, ms_dir, NULL, &races_fops);
	/*
	 * Lockdown (integrity and up) lets debugfs open only files nobody may
	 * write, for reading: stats, findings and the like still work; control
	 * and sites give EPERM. Say so once, here, not at each refused write.
	 */
	if (security_locked_down(LOCKDOWN_DEBUGFS))
		pr_warn("the kernel is locked down: debugfs refuses control and sites (EPERM), so mapshadow runs with its load-time settings; stats, findings, the kernel log and the mapshadow tracepoints still work\n");
	return 0;
}

/* Waits for readers still inside our files before returning. */
void ms_debugfs_exit(void)
{
	debugfs_remove(ms_dir);
	ms_dir = NULL;
}
