/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The locks probe handlers share, taken so that the site handler may too.
 *
 * A site is a kprobe on an instruction inside a function.  Its handler
 * runs from the int3 trap, which the kernel enters as an NMI (in_nmi()).
 * It cannot interrupt one of our own locked sections: it fires at fixed
 * instructions of copy_page_range() and the hugetlb code, none of which
 * runs under our locks, every lock is taken with interrupts off, and
 * kprobes do not nest.  Lockdep cannot know that, and refuses any lock in
 * NMI context that is also taken outside it.
 *
 * So in NMI context a lock is only tried, a bounded number of times: one
 * still busy then is a lost event (trust lost, probe_lock_busy counted),
 * never a wait without end.  Nor does that context allocate (slab locks):
 * a folio or mm without an entry stays without one (nmi_no_alloc).
 */
#ifndef MAPSHADOW_PROBE_LOCK_H
#define MAPSHADOW_PROBE_LOCK_H

#include <linux/hardirq.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include "compat.h"
#include "stats.h"
#include "tracking.h"

#define MS_NMI_LOCK_TRIES 4096

/* Test hook (main.c, test_nmi_lock_busy=1): every NMI-context try fails. */
extern bool ms_test_nmi_lock_busy;

/*
 * True with lock held, interrupts saved in *flags.  For sparse, the
 * context is taken by ms_lock()'s __cond_lock(), as spin_trylock() does
 * (compat.h).
 */
static __always_inline bool ms_lock_try(spinlock_t *lock, unsigned long *flags)
{
	unsigned int i;

	if (likely(!in_nmi())) {
		spin_lock_irqsave(lock, *flags);
		__release(lock);
		return true;
	}
	for (i = 0; i < MS_NMI_LOCK_TRIES && !ms_test_nmi_lock_busy; i++) {
		if (spin_trylock_irqsave(lock, *flags)) {
			__release(lock);
			return true;
		}
		cpu_relax();
	}
	ms_count(probe_lock_busy);
	ms_trust_lost(MS_LOSS_MISSED);
	return false;
}

#define ms_lock(lock, flags) ms_compat_cond_lock(lock, ms_lock_try(lock, flags))

static __always_inline void ms_unlock(spinlock_t *lock, unsigned long flags)
	__releases(lock)
{
	spin_unlock_irqrestore(lock, flags);
}

/* Whether this context may allocate (MS_GFP_PROBE); counts a refusal. */
static __always_inline bool ms_may_alloc(void)
{
	if (likely(!in_nmi()))
		return true;
	ms_count(nmi_no_alloc);
	return false;
}

/* A timestamp any context may take (ktime_get_ns() may not in NMI). */
static __always_inline u64 ms_now_ns(void)
{
	return ktime_get_mono_fast_ns();
}

#endif /* MAPSHADOW_PROBE_LOCK_H */
