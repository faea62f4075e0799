// SPDX-License-Identifier: GPL-2.0
/* The "report" module parameter and the kernel-style report; see report_mode.h. */
#define pr_fmt(fmt) fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/string.h>
#include "hooks.h"
#include "report_mode.h"

enum ms_report_mode { MS_REPORT_COUNT, MS_REPORT_WARN, MS_REPORT_PANIC };

static const char *const ms_report_names[] = { "count", "warn", "panic" };
static int ms_report_mode = MS_REPORT_COUNT;

static int ms_report_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(ms_report_names, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(ms_report_mode, i);
	return 0;
}

static int ms_report_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", ms_report_names[READ_ONCE(ms_report_mode)]);
}

static const struct kernel_param_ops ms_report_ops = {
	.set = ms_report_set,
	.get = ms_report_get,
};

module_param_cb(report, &ms_report_ops, NULL, 0600);
MODULE_PARM_DESC(report, "count (default): count findings; warn: also a kernel-style 'BUG: mapshadow:' report each; panic: the report, then panic");

bool ms_report_kernel_style_on(void)
{
	return READ_ONCE(ms_report_mode) != MS_REPORT_COUNT;
}

void ms_report_kernel_style(const struct ms_report_line *r)
{
	const struct ms_witness *w = r->w;
	int mode = READ_ONCE(ms_report_mode);
	unsigned int i;

	if (mode == MS_REPORT_COUNT)
		return;
	pr_err("------------[ cut here ]------------\n");
	/*
	 * The title: kind and function, never an offset (it changes with
	 * every build, and syzkaller's titles would with it).
	 */
	pr_err("BUG: mapshadow: %s in %s\n", r->kind,
	       !w ? "?" : w->where[0] ? w->where : ms_source_name(w->source));
	if (w && w->where[0])
		pr_err("site: %s (%s)\n", w->where, ms_source_name(w->source));
	if (r->is_mm)
		pr_err("mm: rmap ID 0x%lx torn down with %d mappings mapshadow never saw removed\n",
		       r->pfn, r->shadow);
	else
		pr_err("folio: pfn 0x%lx order %u %s: mapshadow counts %d mappings, folio_mapcount() %d\n",
		       r->pfn, r->order, r->type, r->shadow, r->live);
	if (r->raw)
		pr_err("raw: _mapcount %d _large_mapcount %d _entire_mapcount %d _nr_pages_mapped 0x%x\n",
		       r->raw->mapcount, r->raw->kc.large, r->raw->kc.entire,
		       r->raw->kc.nr_pages_mapped);
	if (r->note)
		pr_err("%s\n", r->note);
	if (w) {
		pr_err("seen by: pid %d comm %s\n", w->pid, w->comm);
		pr_err("Call Trace:\n");
		for (i = 0; i < w->nr_stack; i++)
			pr_err(" %pS\n", (void *)w->stack[i]);
	}
	pr_err("---[ end trace mapshadow ]---\n");
	if (mode == MS_REPORT_PANIC)
		panic("mapshadow: %s (report=panic)", r->kind);
}
