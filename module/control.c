// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "control": one verb per write, serialised by one mutex (the
 * kmemleak pattern).  Unknown or malformed input is -EINVAL and changes
 * nothing.
 *   scan       compare every quiescent strict folio with folio_mapcount();
 *              the result is in the "scan" file and the kernel log
 *   sites=on   check the staged site table against the kernel and arm it
 *   sites=off  disarm the site table
 *   races=on   arm the flag-race probes of the staged table's inventory
 *   races=all  the same and the atomic writers (names a lost update's writer)
 *   races=off  disarm them
 *   widen=US   hold each non-atomic flags write's window open US us (0: off)
 *   replay=on|off        test mode: PG_partially_mapped set non-atomically
 *   clear      forget all findings
 *   stack=on|off         capture a stack trace with each finding
 *   enable|disable       online validation and findings on or off
 *   filter pid=N|comm=NAME|all   what is tracked
 *   show pfn=0xHEX       the folio the "folio" file explains
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "compat.h"
#include "control.h"
#include "control_parse.h"
#include "folio_view.h"
#include "filter.h"
#include "findings.h"
#include "hooks.h"
#include "shadow.h"
#include "races.h"
#include "sites.h"
#include "tracking.h"
#include "validate.h"

static DEFINE_MUTEX(ms_control_lock);
static struct ms_scan_result *ms_last_scan;
static bool ms_last_fork_overlap;
static unsigned long ms_scans;
static unsigned long ms_shown_pfn;

static int ms_do_scan(void)
{
	struct ms_trust_snap snap;
	struct ms_scan_result *res;
	bool trusted;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	ms_trust_poll();
	trusted = ms_trust_judge_now(&snap);
	ms_shadow_scan(res);
	/*
	 * A fork copying without a site table, or events lost, while the
	 * scan ran: disagreements seen meanwhile prove nothing.
	 */
	ms_last_fork_overlap = !(ms_trust_judge_again(&snap) && trusted);
	if (ms_last_fork_overlap) {
		res->busy += res->disagreed;
		res->disagreed = 0;
		res->nr_bad = 0;
	}
	kfree(ms_last_scan);
	ms_last_scan = res;
	ms_scans++;
	pr_info("scan: %lu strict folios, %lu agreed, %lu disagreed, %lu busy\n",
		res->strict, res->agreed, res->disagreed, res->busy);
	return 0;
}

static ssize_t ms_control_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char buf[MS_CONTROL_MAX + 2];
	struct ms_command cmd;
	int err;

	if (len > MS_CONTROL_MAX + 1)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	err = ms_control_parse(buf, len, &cmd);
	if (err)
		return err;
	err = mutex_lock_interruptible(&ms_control_lock);
	if (err)
		return err;
	switch (cmd.verb) {
	case MS_VERB_SCAN:
		err = ms_do_scan();
		break;
	case MS_VERB_SITES_ON:
		err = ms_sites_arm();
		break;
	case MS_VERB_SITES_OFF:
		ms_sites_disarm();
		break;
	case MS_VERB_RACES_ON:
	case MS_VERB_RACES_ALL:
		err = ms_races_arm(cmd.verb == MS_VERB_RACES_ALL);
		break;
	case MS_VERB_RACES_OFF:
		ms_races_disarm();
		break;
	case MS_VERB_WIDEN:
		ms_races_set_widen(cmd.us);
		break;
	case MS_VERB_REPLAY_ON:
	case MS_VERB_REPLAY_OFF:
		err = ms_races_replay(cmd.verb == MS_VERB_REPLAY_ON);
		break;
	case MS_VERB_CLEAR:
		ms_findings_clear();
		break;
	case MS_VERB_STACK_ON:
	case MS_VERB_STACK_OFF:
		ms_findings_set_stack(cmd.verb == MS_VERB_STACK_ON);
		break;
	case MS_VERB_ENABLE:
	case MS_VERB_DISABLE:
		ms_validate_set_enabled(cmd.verb == MS_VERB_ENABLE);
		break;
	case MS_VERB_FILTER_ALL:
		ms_filter_set_all();
		break;
	case MS_VERB_FILTER_PID:
		err = ms_filter_set_pid(cmd.pid);
		break;
	case MS_VERB_FILTER_COMM:
		ms_filter_set_comm(cmd.comm);
		break;
	case MS_VERB_SHOW_PFN:
		ms_shown_pfn = cmd.pfn;
		break;
	default:
		err = -EINVAL;
	}
	mutex_unlock(&ms_control_lock);
	return err ? err : len;
}

const struct file_operations ms_control_fops = {
	.owner = THIS_MODULE,
	.write = ms_control_write,
	.llseek = noop_llseek,
};

void ms_control_show_scan(struct seq_file *m)
{
	struct ms_scan_result *r;
	unsigned int i;

	mutex_lock(&ms_control_lock);
	r = ms_last_scan;
	seq_printf(m, "scans: %lu\n", ms_scans);
	if (r) {
		seq_printf(m, "strict: %lu\nagreed: %lu\ndisagreed: %lu\n",
			   r->strict, r->agreed, r->disagreed);
		seq_printf(m, "busy: %lu\nreshaped: %lu\nunchecked: %lu\n",
			   r->busy, r->reshaped, r->unchecked);
		seq_printf(m, "fork_overlap: %d\n", ms_last_fork_overlap);
		seq_printf(m, "kernel_broken: %lu\n", r->broken);
		for (i = 0; i < r->nr_bad; i++) {
			struct ms_shadow_view *v = &r->bad[i];

			seq_printf(m, "disagree: pfn=0x%lx order=%u shadow=%d live=%d",
				   v->pfn, v->core.order, v->core.mapcount,
				   r->bad_live[i]);
			ms_levels_show(m, &v->core);
			seq_putc(m, '\n');
		}
		/* One "pfn/kind" word per line: stats-style key: value. */
		for (i = 0; i < r->nr_broken; i++) {
			unsigned long kinds = r->broken_kinds[i];
			unsigned int k;

			for_each_set_bit(k, &kinds, MS_NR_FIND_KINDS)
				seq_printf(m, "broken: 0x%lx/%s\n", r->broken_pfn[i],
					   ms_finding_kind_name(k));
		}
	}
	mutex_unlock(&ms_control_lock);
}

/* The "folio" file: everything known about the folio chosen with "show". */
void ms_control_show_folio(struct seq_file *m)
{
	struct ms_shadow_view *v;
	struct dev_pagemap *pgmap;
	struct page *page;
	unsigned long pfn;

	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return;
	mutex_lock(&ms_control_lock);
	pfn = ms_shown_pfn;
	mutex_unlock(&ms_control_lock);
	seq_printf(m, "pfn: 0x%lx\n", pfn);
	/* A pfn from a user: online memory, or a device's, pinned. */
	page = pfn ? ms_compat_get_user_page(pfn, &pgmap) : NULL;
	if (!page) {
		seq_puts(m, "valid: no (echo \"show pfn=0x...\" > control)\n");
	} else {
		struct folio *folio = page_folio(page);

		/* The shadow is keyed by the head: a tail's pfn finds it too. */
		ms_folio_show(m, folio,
			      ms_shadow_lookup(folio_pfn(folio), v) ? v : NULL);
		ms_compat_put_user_page(pgmap);
	}
	kfree(v);
}

void ms_control_exit(void)
{
	ms_filter_set_all();
	kfree(ms_last_scan);
	ms_last_scan = NULL;
}
