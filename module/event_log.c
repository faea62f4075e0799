// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU rings of recent shadow updates; see event_log.h.  A writer
 * claims its slot with a local increment, so an interrupt or NMI that
 * pushes meanwhile on the same CPU takes the next slot, never the same
 * one.  A slot's pfn is cleared while it is written and set last: a
 * reader on another CPU skips a slot being written, and checks the pfn
 * again after its copy.  The history is a diagnostic; a torn read costs
 * one line of it, never a wrong finding.
 */
#include <asm/local.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include "event_log.h"
#include "probe_lock.h"

struct ms_logged {
	unsigned long pfn;		/* 0: empty or being written */
	struct ms_ring_event e;
};

struct ms_cpu_log {
	local_t next;
	struct ms_logged slot[MS_EVENT_LOG_LEN];
};

static struct ms_cpu_log *ms_logs;	/* nr_cpu_ids of them */

int ms_event_log_init(void)
{
	ms_logs = kvcalloc(nr_cpu_ids, sizeof(*ms_logs), GFP_KERNEL);
	return ms_logs ? 0 : -ENOMEM;
}

void ms_event_log_exit(void)
{
	kvfree(ms_logs);
	ms_logs = NULL;
}

size_t ms_event_log_bytes(void)
{
	return ms_logs ? nr_cpu_ids * sizeof(*ms_logs) : 0;
}

void ms_event_log_push(unsigned long pfn, const struct ms_event *ev)
{
	unsigned int cpu = raw_smp_processor_id();
	struct ms_cpu_log *log = &ms_logs[cpu];
	struct ms_logged *s;

	s = &log->slot[(local_inc_return(&log->next) - 1) % MS_EVENT_LOG_LEN];
	WRITE_ONCE(s->pfn, 0);
	smp_wmb();	/* pfn cleared before the fields change */
	s->e.time_ns = ms_now_ns();
	s->e.mm = ev->mm;
	s->e.delta = ev->delta;
	s->e.cpu = cpu;
	s->e.source = ev->source;
	s->e.level = ev->level;
	smp_wmb();	/* the fields before the pfn that publishes them */
	WRITE_ONCE(s->pfn, pfn);
}

/* Insert e into out[] (n used, at most MS_RING_LEN), keeping the newest. */
static unsigned int ms_keep_newest(struct ms_ring_event *out, unsigned int n,
				   const struct ms_ring_event *e)
{
	unsigned int i, at;

	if (n == MS_RING_LEN) {
		if (e->time_ns <= out[0].time_ns)
			return n;
		memmove(&out[0], &out[1], (n - 1) * sizeof(*out));
		n--;
	}
	for (at = n; at > 0 && out[at - 1].time_ns > e->time_ns; at--)
		;
	for (i = n; i > at; i--)
		out[i] = out[i - 1];
	out[at] = *e;
	return n + 1;
}

unsigned int ms_event_log_find(unsigned long pfn, struct ms_ring_event *out)
{
	unsigned int cpu, i, n = 0;

	if (!ms_logs || !pfn)
		return 0;
	for_each_possible_cpu(cpu) {
		struct ms_cpu_log *log = &ms_logs[cpu];

		for (i = 0; i < MS_EVENT_LOG_LEN; i++) {
			struct ms_logged *s = &log->slot[i];
			struct ms_ring_event e;

			if (READ_ONCE(s->pfn) != pfn)
				continue;
			smp_rmb();	/* the pfn before the fields */
			e = s->e;
			smp_rmb();	/* the fields before the pfn again */
			if (READ_ONCE(s->pfn) != pfn)
				continue;
			n = ms_keep_newest(out, n, &e);
		}
	}
	return n;
}
