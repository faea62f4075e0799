// SPDX-License-Identifier: GPL-2.0
/*
 * The event history rings (history.h).  Each CPU writes its own ring; a
 * slot is claimed with an atomic increment (an interrupt on the same CPU
 * gets the next one) and published with a sequence number that a reader
 * checks before and after copying, so a reader never shows a torn or an
 * overwritten event.  A link names a slot and the claim that filled it:
 * the CPU in the top 16 bits, the claim's number + 1 below.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include "event.h"
#include "history.h"
#include "probe_lock.h"

#define MS_LINK_CPU_SHIFT 48
#define MS_LINK_SEQ_MASK ((1ULL << MS_LINK_CPU_SHIFT) - 1)

struct ms_history_slot {
	u64 seq;		/* claim + 1 once written, 0 while writing */
	u64 prev;		/* the folio's event before this one */
	struct ms_history_event ev;
};

struct ms_history_ring {
	atomic64_t head;	/* claims so far */
	struct ms_history_slot slot[];
};

static void *ms_rings;
static unsigned int ms_ring_len;	/* a power of two */
static size_t ms_ring_bytes;

static struct ms_history_ring *ms_ring_of(unsigned int cpu)
{
	return ms_rings + (size_t)cpu * ms_ring_bytes;
}

void ms_history_push(unsigned long pfn, const struct ms_event *ev, u64 *last)
{
	unsigned int cpu = raw_smp_processor_id();
	struct ms_history_ring *r;
	struct ms_history_slot *s;
	u64 seq;

	if (!ms_rings)
		return;
	r = ms_ring_of(cpu);
	seq = atomic64_inc_return(&r->head) & MS_LINK_SEQ_MASK;
	s = &r->slot[(seq - 1) & (ms_ring_len - 1)];
	WRITE_ONCE(s->seq, 0);
	smp_wmb();	/* seq 0 before the fields: readers skip the slot */
	s->prev = *last;
	s->ev.time_ns = ms_now_ns();
	s->ev.pfn = pfn;
	s->ev.mm = ev->mm;
	s->ev.delta = ev->delta;
	s->ev.cpu = cpu;
	s->ev.source = ev->source;
	s->ev.level = ev->level;
	smp_wmb();	/* the fields before the seq that publishes them */
	WRITE_ONCE(s->seq, seq);
	*last = (u64)cpu << MS_LINK_CPU_SHIFT | seq;
}

/* One event by its link, if its slot still holds it. */
static bool ms_history_read(u64 link, unsigned long pfn,
			    struct ms_history_event *e, u64 *prev)
{
	unsigned int cpu = link >> MS_LINK_CPU_SHIFT;
	u64 seq = link & MS_LINK_SEQ_MASK;
	const struct ms_history_slot *s;

	if (!seq || cpu >= nr_cpu_ids)
		return false;
	s = &ms_ring_of(cpu)->slot[(seq - 1) & (ms_ring_len - 1)];
	if (READ_ONCE(s->seq) != seq)
		return false;
	smp_rmb();	/* the seq before the fields */
	*e = s->ev;
	*prev = s->prev;
	smp_rmb();	/* the fields before the seq again */
	return READ_ONCE(s->seq) == seq && e->pfn == pfn;
}

unsigned int ms_history_of(unsigned long pfn, u64 last,
			   struct ms_history_event *out)
{
	struct ms_history_event rev[MS_HISTORY_SHOWN];
	unsigned int i, n = 0;
	u64 prev;

	if (!ms_rings)
		return 0;
	while (n < MS_HISTORY_SHOWN && ms_history_read(last, pfn, &rev[n], &prev)) {
		n++;
		last = prev;
	}
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

unsigned long ms_history_bytes(void)
{
	return ms_rings ? (unsigned long)nr_cpu_ids * ms_ring_bytes : 0;
}

int ms_history_init(unsigned int events_per_cpu)
{
	ms_ring_len = roundup_pow_of_two(clamp(events_per_cpu, MS_HISTORY_MIN,
					       MS_HISTORY_MAX));
	ms_ring_bytes = ALIGN(struct_size_t(struct ms_history_ring, slot,
					    ms_ring_len), SMP_CACHE_BYTES);
	ms_rings = kvzalloc(array_size(nr_cpu_ids, ms_ring_bytes), GFP_KERNEL);
	return ms_rings ? 0 : -ENOMEM;
}

void ms_history_exit(void)
{
	kvfree(ms_rings);
	ms_rings = NULL;
}
