/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Findings: what mapshadow reports.  A bounded store (the first
 * MS_FINDINGS_MAX since the last "clear"; later ones are counted as
 * overflow), a rate-limited kernel log line per kind, and two debugfs
 * views: "findings" (one line each) and "findings_detail".
 */
#ifndef MAPSHADOW_FINDINGS_H
#define MAPSHADOW_FINDINGS_H

#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include "finding_kinds.h"
#include "kernel_check.h"
#include "shadow.h"

#define MS_FINDINGS_MAX 128
#define MS_STACK_DEPTH 16

/* A site's or flag writer's function name, as a report's title shows it. */
#define MS_WHERE_LEN 48

/* Context captured where a finding was seen (maybe not where reported). */
struct ms_witness {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u8 source;
	/* A site's or a flag writer's function (no offset), or "". */
	char where[MS_WHERE_LEN];
	unsigned int nr_stack;
	unsigned long stack[MS_STACK_DEPTH];
};

void ms_witness_capture(struct ms_witness *w, u8 source, const char *where);
void ms_finding_report(enum ms_finding_kind kind,
		       const struct ms_shadow_view *v, struct folio *folio,
		       int live, const struct ms_witness *w);
void ms_finding_report_mm(u32 mm_id, long total);
/* A finding with no shadow behind it, explained by note (flag races). */
#define MS_NOTE_LEN 320
void ms_finding_report_note(enum ms_finding_kind kind, struct folio *folio,
			    int live, u8 source, const char *where,
			    const char *note);
void ms_findings_clear(void);
void ms_findings_set_stack(bool on);
unsigned long ms_findings_count(enum ms_finding_kind kind);
unsigned long ms_findings_overflow(void);
void ms_findings_show(struct seq_file *m);
void ms_findings_show_detail(struct seq_file *m);

#endif /* MAPSHADOW_FINDINGS_H */
