// SPDX-License-Identifier: GPL-2.0
/* Findings store and views; see findings.h. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "compat.h"
#include "findings.h"
#include "history.h"
#include "hooks.h"
#include "kernel_check.h"
#include "mapshadow.h"
#include "probe_lock.h"
#include "raw_counters.h"
#include "report_mode.h"
#include "trace.h"
#include "tracking.h"

struct ms_finding {
	u64 id;
	u64 time_ns;
	u8 kind;
	u8 order;
	const char *type;
	unsigned long pfn;
	int shadow, live;
	u8 state;
	struct ms_raw raw;
	struct ms_witness w;
	unsigned int nr_events;
	struct ms_history_event events[MS_HISTORY_SHOWN];
	char note[MS_NOTE_LEN];		/* flag findings: site, word, bits */
};

static DEFINE_SPINLOCK(ms_findings_lock);	/* everything below */
static struct ms_finding ms_findings[MS_FINDINGS_MAX];
static unsigned int ms_nr_findings;
static unsigned long ms_overflow;
static unsigned long ms_by_kind[MS_NR_FIND_KINDS];
static u64 ms_next_id = 1;
static bool ms_stack_on = true;
/* A burst of one kind must not hide another kind in the log. */
static struct ratelimit_state ms_log_limit[MS_NR_FIND_KINDS] = {
	[0 ... MS_NR_FIND_KINDS - 1] = RATELIMIT_STATE_INIT("mapshadow", 5 * HZ, 5),
};

void ms_witness_capture(struct ms_witness *w, u8 source, const char *where)
{
	w->pid = task_tgid_nr(current);
	ms_current_comm(w->comm);
	w->source = source;
	strscpy(w->where, where ?: "", sizeof(w->where));
	w->nr_stack = READ_ONCE(ms_stack_on) ?
		stack_trace_save(w->stack, MS_STACK_DEPTH, 1) : 0;
}

static void ms_finding_add(enum ms_finding_kind kind,
			   const struct ms_shadow_view *v, struct folio *folio,
			   int live, const struct ms_witness *w,
			   const char *note)
{
	struct ms_finding *f = NULL;
	unsigned int order = 0;
	const char *type = "-";
	unsigned long flags;
	static const char ms_no_comm[TASK_COMM_LEN] = "-";
	unsigned long pfn = v ? v->pfn : folio ? folio_pfn(folio) : 0;
	int shadow = v ? v->core.mapcount : 0;
	u64 id = 0, now = ms_now_ns();
	struct ms_history_event events[MS_HISTORY_SHOWN];
	unsigned int nr_events = 0;
	struct ms_report_line rl;
	struct ms_raw raw;

	/* "disable" and a tracking that is not live stop every kind. */
	if (!ms_judging())
		return;
	/* The folio's last events, still in the history rings. */
	if (v)
		nr_events = ms_history_of(v->pfn, v->last_event, events);
	/*
	 * The folio's words are read before the lock: a DEBUG_VM check in
	 * them may end in dump_page(), which reports here too.
	 */
	memset(&raw, 0, sizeof(raw));
	if (folio) {
		order = folio_order(folio);
		type = ms_folio_type(folio);
		ms_raw_read(folio, &raw, true);
	}
	if (!ms_lock(&ms_findings_lock, &flags))
		return;
	ms_by_kind[kind]++;
	if (ms_nr_findings < MS_FINDINGS_MAX) {
		f = &ms_findings[ms_nr_findings++];
		memset(f, 0, sizeof(*f));
		id = ms_next_id++;
		f->id = id;
		f->time_ns = now;
		f->kind = kind;
		f->pfn = pfn;
		f->order = order;
		f->type = type;
		f->shadow = shadow;
		f->state = v ? v->core.state : MS_NR_STATES;
		f->live = live;
		f->raw = raw;
		if (w)
			f->w = *w;
		f->nr_events = nr_events;
		memcpy(f->events, events, nr_events * sizeof(events[0]));
		if (note)
			strscpy(f->note, note, sizeof(f->note));
	} else {
		ms_overflow++;
	}
	ms_unlock(&ms_findings_lock, flags);
	/*
	 * A kernel-style report says it all, and a line before it naming
	 * the task could start a log parser's report there (a task names
	 * itself: "BUG: x").
	 */
	if (!ms_report_kernel_style_on() && __ratelimit(&ms_log_limit[kind]))
		pr_warn("finding %llu: %s %s 0x%lx order %u shadow %d live %d (%s via %s)\n",
			id, ms_finding_kind_name(kind),
			kind == MS_FIND_MM_LEAK ? "mm" : "pfn", pfn, order,
			shadow, live, w ? w->comm : "?",
			w ? ms_source_name(w->source) : "?");
	if (note && !ms_report_kernel_style_on() &&
	    __ratelimit(&ms_log_limit[kind]))
		pr_warn("finding %llu: %s\n", id, note);
	/* Also past the store's cap: the log is where CI looks. */
	rl = (struct ms_report_line){
		.kind = ms_finding_kind_name(kind), .type = type,
		.note = note, .order = order, .live = live, .pfn = pfn,
		.shadow = shadow, .raw = folio ? &raw : NULL, .w = w,
		.is_mm = kind == MS_FIND_MM_LEAK,
	};
	ms_report_kernel_style(&rl);
	if (trace_finding_enabled()) {
		struct ms_trace_finding t = {
			.id = id, .time_ns = now,
			.kind = ms_finding_kind_name(kind), .type = type,
			.source = w ? ms_source_name(w->source) : "?",
			.comm = w ? w->comm : ms_no_comm,
			.pfn = pfn,
			.order = order, .nr_pages_mapped = raw.kc.nr_pages_mapped,
			.shadow = shadow, .live = live,
			.mapcount = raw.mapcount, .large = raw.kc.large,
			.entire = raw.kc.entire, .pid = w ? w->pid : 0,
		};

		trace_finding(&t);
	}
}

void ms_finding_report(enum ms_finding_kind kind,
		       const struct ms_shadow_view *v, struct folio *folio,
		       int live, const struct ms_witness *w)
{
	ms_finding_add(kind, v, folio, live, w, NULL);
}

void ms_finding_report_note(enum ms_finding_kind kind, struct folio *folio,
			    int live, u8 source, const char *where,
			    const char *note)
{
	struct ms_witness w;

	ms_witness_capture(&w, source, where);
	ms_finding_add(kind, NULL, folio, live, &w, note);
}

/*
 * An mm seen from its birth was torn down with mappings we never saw go:
 * "shadow" is the mm's leftover total, "live" 0, the pfn field its rmap ID.
 */
void ms_finding_report_mm(u32 mm_id, long total)
{
	struct ms_witness w;
	struct ms_shadow_view v = {};

	v.pfn = mm_id;
	v.core.mapcount = total;
	v.core.state = MS_STATE_STRICT;
	ms_witness_capture(&w, MS_HOOK_EXIT_MMAP, NULL);
	ms_finding_report(MS_FIND_MM_LEAK, &v, NULL, 0, &w);
}

void ms_findings_clear(void)
{
	unsigned long flags;

	spin_lock_irqsave(&ms_findings_lock, flags);
	ms_nr_findings = 0;
	ms_overflow = 0;
	memset(ms_by_kind, 0, sizeof(ms_by_kind));
	spin_unlock_irqrestore(&ms_findings_lock, flags);
}

void ms_findings_set_stack(bool on)
{
	WRITE_ONCE(ms_stack_on, on);
}

unsigned long ms_findings_count(enum ms_finding_kind kind)
{
	return READ_ONCE(ms_by_kind[kind]);
}

unsigned long ms_findings_overflow(void)
{
	return READ_ONCE(ms_overflow);
}

/* A consistent copy of one finding, so that printing holds no lock. */
static bool ms_finding_get(unsigned int i, struct ms_finding *out)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&ms_findings_lock, flags);
	ok = i < ms_nr_findings;
	if (ok)
		*out = ms_findings[i];
	spin_unlock_irqrestore(&ms_findings_lock, flags);
	return ok;
}

void ms_findings_show(struct seq_file *m)
{
	struct ms_finding *f;
	unsigned int i;

	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return;
	seq_puts(m, "# id time_ns kind pfn order type shadow live pid comm source\n");
	for (i = 0; ms_finding_get(i, f); i++)
		seq_printf(m, "%llu %llu %s 0x%lx %u %s %d %d %d %s %s\n",
			   f->id, f->time_ns, ms_finding_kind_name(f->kind),
			   f->pfn, f->order, f->type, f->shadow, f->live,
			   f->w.pid, f->w.comm[0] ? f->w.comm : "-",
			   ms_source_name(f->w.source));
	kfree(f);
}

/* Who saw a finding, where, the folio's recent events and the stack. */
static void ms_finding_show_witness(struct seq_file *m,
				    const struct ms_finding *f)
{
	unsigned int j;

	seq_printf(m, "  seen by: pid %d comm %s in %s\n", f->w.pid,
		   f->w.comm[0] ? f->w.comm : "-", ms_source_name(f->w.source));
	if (f->w.where[0])
		seq_printf(m, "  site: %s\n", f->w.where);
	if (f->note[0])
		seq_printf(m, "  race: %s\n", f->note);
	for (j = 0; j < f->nr_events; j++)
		seq_printf(m, "  event: t %llu cpu %u %s %+d level %s mm %p\n",
			   f->events[j].time_ns, f->events[j].cpu,
			   ms_source_name(f->events[j].source),
			   f->events[j].delta, ms_level_name(f->events[j].level),
			   f->events[j].mm);
	for (j = 0; j < f->w.nr_stack; j++)
		seq_printf(m, "  stack: %pS\n", (void *)f->w.stack[j]);
}

void ms_findings_show_detail(struct seq_file *m)
{
	struct ms_finding *f;
	unsigned int i;

	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return;
	for (i = 0; ms_finding_get(i, f); i++) {
		const struct ms_raw *r = &f->raw;

		seq_printf(m, "finding %llu: %s\n", f->id, ms_finding_kind_name(f->kind));
		if (f->kind == MS_FIND_MM_LEAK) {
			/* No folio: the pfn field holds the mm's rmap ID. */
			seq_printf(m, "  mm: rmap ID 0x%lx torn down with %d mapping(s) never seen removed\n",
				   f->pfn, f->shadow);
			ms_finding_show_witness(m, f);
			continue;
		}
		seq_printf(m, "  folio: pfn 0x%lx order %u %s, shadow %s\n",
			   f->pfn, f->order, f->type, ms_state_name(f->state));
		seq_printf(m, "  mapcount: shadow %d live %d\n", f->shadow, f->live);
		seq_printf(m, "  raw: _mapcount %d", r->mapcount);
		if (r->large_folio)
			seq_printf(m, " _large_mapcount %d _entire_mapcount %d _nr_pages_mapped 0x%x",
				   r->kc.large, r->kc.entire, r->kc.nr_pages_mapped);
		if (r->kc.has_mm_ids)
			seq_printf(m, " _mm_id_mapcount %d %d",
				   r->kc.slot_count[0], r->kc.slot_count[1]);
		seq_printf(m, " (%s)\n", ms_raw_class_name(r->worst));
		if (r->kc.nr_pages)
			seq_printf(m, "  pages: %u, %u mapped, %u below -1, sum of page mapcounts %lld\n",
				   r->kc.nr_pages, r->kc.pages_mapped,
				   r->kc.pages_underflowed, r->kc.page_sum);
		if (r->kc.has_mm_ids)
			seq_printf(m, "  mm_ids: %d:%d %d:%d shared_bit=%d\n",
				   r->kc.slot_id[0], r->kc.slot_count[0],
				   r->kc.slot_id[1], r->kc.slot_count[1],
				   r->kc.shared_bit);
		ms_finding_show_witness(m, f);
	}
	kfree(f);
}
