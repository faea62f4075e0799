/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a finding reaches the kernel log (module parameter "report"):
 *   count   the default: counted, one rate-limited line per kind
 *   warn    also a report in the kernel's own format, the title line
 *           "BUG: mapshadow: KIND in SOURCE" between cut-here markers, with
 *           the folio, the counters and the stack where it was seen: what
 *           syzkaller, syzbot, KernelCI and 0-day look for
 *   panic   the same report, then panic() (for a crash dump at the first
 *           finding, as panic_on_warn does)
 */
#ifndef MAPSHADOW_REPORT_MODE_H
#define MAPSHADOW_REPORT_MODE_H

#include "findings.h"
#include "kernel_check.h"

struct ms_report_line {
	const char *kind, *type, *note;
	unsigned long pfn;
	unsigned int order;
	int shadow, live;
	const struct ms_raw *raw;
	const struct ms_witness *w;
	/* An mm's leftover (mm-leak): pfn is its rmap ID, shadow its count. */
	bool is_mm;
};

/* Whether findings are reported in the kernel's format (warn, panic). */
bool ms_report_kernel_style_on(void);
/* Print (and maybe panic) as the report parameter says. */
void ms_report_kernel_style(const struct ms_report_line *r);

#endif /* MAPSHADOW_REPORT_MODE_H */
