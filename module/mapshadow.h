/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mapshadow: module-wide facts, and how its locks fit together.
 *
 * Locks, and where they are taken:
 *
 *   shadow bucket locks (shadow.c, spinlock, IRQs off)
 *	every probe handler (under the kernel's page table lock, preemption
 *	off), mm_page_free (any context: hard IRQ too), the re-check work,
 *	"scan", the folio and stats files.  A CPU holding one is marked
 *	(ms_shadow_locked_here()) so that dump_page(), reached from a
 *	DEBUG_VM check inside the store, does not wait for it.
 *   ms_suspects_lock (validate.c, spinlock, IRQs off)
 *	taken under a bucket lock when a check raises a suspicion.
 *   ms_findings_lock (findings.c, spinlock, IRQs off)
 *	a leaf: findings are taken as a copy under a bucket lock and made
 *	after it is dropped; no folio word is read under it.
 *   mm bucket locks (mm_ids.c, spinlock, IRQs off)
 *	every rmap event (its mm's total), mm_init() and exit_mmap(); the
 *	kernel-MM-ID xarray lock nests inside.  Lookups of the xarrays are
 *	lockless (RCU).
 *   ms_fork_lock (fork.c, spinlock, IRQs off)
 *	a leaf: the fork registry, from fork hooks and inlined sites.
 *   ms_control_lock (control.c, mutex)
 *	one control verb at a time; ms_sites_lock nests inside (sites=on).
 *   ms_sites_lock (sites_load.c, mutex)
 *	the staged table, arming and disarming it; process context only.
 *	The armed table is also published for RCU readers (missed counts).
 *   a staged table's write_lock (sites_load.c, mutex)
 *	one writer of the "sites" file at a time.
 *
 * Order: shadow bucket -> suspects; mm bucket -> xarray; control -> sites.
 * No other two are ever held together.
 *
 * A probe handler (hooks_*.c, sites.c ms_site_pre(), the mm_page_free
 * probe) runs with preemption off, maybe in IRQ context, maybe in reclaim:
 *  - it never sleeps: no mutex, no GFP_KERNEL, no get_task_comm() (it takes
 *    task_lock() on 6.12; ms_current_comm() instead);
 *  - it allocates only with MS_GFP_PROBE, under a cap, counting failures;
 *  - it reports nothing with a bucket lock held (the console may be slow);
 *  - it calls nothing it probes (rmap functions, dump_page()): kprobes
 *    would skip the nested probe, and the missed event costs all trust.
 *  Handlers are NOKPROBE_SYMBOL: nobody may probe them in turn.
 */
#ifndef MAPSHADOW_H
#define MAPSHADOW_H

#include <linux/gfp.h>
#include <linux/sched.h>
#include <linux/string.h>

/* MS_VERSION comes from Kbuild, which reads dkms.conf: one home. */
#ifndef MS_VERSION
#error "MS_VERSION is set by Kbuild from dkms.conf"
#endif

/*
 * Allocations from probe handlers: never sleep, never take the emergency
 * reserves (rmap hooks also run in reclaim, under PF_MEMALLOC), never warn.
 */
#define MS_GFP_PROBE (GFP_NOWAIT | __GFP_NOMEMALLOC | __GFP_NOWARN)

/*
 * current->comm without task_lock(): get_task_comm() takes it on 6.12,
 * and handlers run in IRQ context (mm_page_free) where that could
 * deadlock.  A racing rename may give a mixed name; the last byte of comm
 * is always NUL, so the copy is always a string.
 */
static inline void ms_current_comm(char buf[TASK_COMM_LEN])
{
	memcpy(buf, current->comm, TASK_COMM_LEN);
	buf[TASK_COMM_LEN - 1] = '\0';
}

#endif /* MAPSHADOW_H */
