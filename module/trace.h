/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mapshadow's own tracepoints, under /sys/kernel/tracing/events/mapshadow/
 * (bpftrace: tracepoint:mapshadow:finding ...):
 *   finding        every finding, as the findings file has it
 *   shadow_update  every change of a shadow count (off by default: the
 *                  per-folio history, instead of reading the event ring)
 *   state          tracking=off|warming|live, validation=on|off,
 *                  sites=armed|off, races=on|all|off
 * Strings are fixed arrays, which bpftrace reads as strings.
 * Times in findings are CLOCK_MONOTONIC (ktime_get_mono_fast_ns()), the
 * clock of bpftrace's nsecs.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mapshadow

#ifndef MAPSHADOW_TRACE_FINDING
#define MAPSHADOW_TRACE_FINDING
#include <linux/sched.h>
#include <linux/types.h>

/* One finding, as the finding event records it (more than BPF's 12 args). */
struct ms_trace_finding {
	u64 id, time_ns;
	const char *kind, *type, *source;
	const char *comm;		/* TASK_COMM_LEN bytes */
	unsigned long pfn;
	unsigned int order, nr_pages_mapped;
	int shadow, live, mapcount, large, entire, pid;
};
#endif

#if !defined(MAPSHADOW_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define MAPSHADOW_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(finding,
	TP_PROTO(const struct ms_trace_finding *f),
	TP_ARGS(f),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, time_ns)
		__array(char, kind, 24)
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__array(char, type, 16)
		__field(int, shadow)
		__field(int, live)
		__field(int, mapcount)
		__field(int, large)
		__field(int, entire)
		__field(unsigned int, nr_pages_mapped)
		__field(int, pid)
		__array(char, comm, TASK_COMM_LEN)
		__array(char, source, 32)
	),
	TP_fast_assign(
		__entry->id = f->id;
		__entry->time_ns = f->time_ns;
		strscpy(__entry->kind, f->kind, sizeof(__entry->kind));
		__entry->pfn = f->pfn;
		__entry->order = f->order;
		strscpy(__entry->type, f->type, sizeof(__entry->type));
		__entry->shadow = f->shadow;
		__entry->live = f->live;
		__entry->mapcount = f->mapcount;
		__entry->large = f->large;
		__entry->entire = f->entire;
		__entry->nr_pages_mapped = f->nr_pages_mapped;
		__entry->pid = f->pid;
		memcpy(__entry->comm, f->comm, TASK_COMM_LEN);
		strscpy(__entry->source, f->source, sizeof(__entry->source));
	),
	TP_printk("id=%llu time_ns=%llu kind=%s pfn=0x%lx order=%u type=%s shadow=%d live=%d _mapcount=%d _large_mapcount=%d _entire_mapcount=%d _nr_pages_mapped=0x%x pid=%d comm=%s source=%s",
		  __entry->id, __entry->time_ns, __entry->kind, __entry->pfn,
		  __entry->order, __entry->type, __entry->shadow,
		  __entry->live, __entry->mapcount, __entry->large,
		  __entry->entire, __entry->nr_pages_mapped, __entry->pid,
		  __entry->comm, __entry->source)
);

TRACE_EVENT(shadow_update,
	TP_PROTO(unsigned long pfn, int delta, const char *level, int mapcount,
		 const char *source),
	TP_ARGS(pfn, delta, level, mapcount, source),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(int, delta)
		__array(char, level, 16)
		__field(int, mapcount)
		__array(char, source, 32)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->delta = delta;
		strscpy(__entry->level, level, sizeof(__entry->level));
		__entry->mapcount = mapcount;
		strscpy(__entry->source, source, sizeof(__entry->source));
	),
	TP_printk("pfn=0x%lx delta=%+d level=%s mapcount=%d source=%s",
		  __entry->pfn, __entry->delta, __entry->level,
		  __entry->mapcount, __entry->source)
);

TRACE_EVENT(state,
	TP_PROTO(const char *what, const char *state),
	TP_ARGS(what, state),
	TP_STRUCT__entry(
		__array(char, what, 16)
		__array(char, state, 16)
	),
	TP_fast_assign(
		strscpy(__entry->what, what, sizeof(__entry->what));
		strscpy(__entry->state, state, sizeof(__entry->state));
	),
	TP_printk("%s=%s", __entry->what, __entry->state)
);

#endif /* MAPSHADOW_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
