// SPDX-License-Identifier: GPL-2.0
/* Forks in progress; see fork.h. */
#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "fork.h"

/*
 * The child's mm of each fork in progress, by forking task.
 * copy_page_range() may sleep and move between CPUs, so this is keyed by
 * task, not CPU.
 */
#define MS_FORK_SLOTS 64
static unsigned int fork_slots = MS_FORK_SLOTS;
module_param(fork_slots, uint, 0400);
MODULE_PARM_DESC(fork_slots, "forks followed at once with a site table (default and most 64); more are counted as fork_slots_full");

static DEFINE_SPINLOCK(ms_fork_lock);	/* claiming ms_fork_slots */
static struct {
	const struct task_struct *task;
	struct mm_struct *mm;
} ms_fork_slots[MS_FORK_SLOTS];

/*
 * Slots claimed: most site hits are not in a fork, and find that out
 * without a scan.  Each CPU remembers the slot it last found, so a fork's
 * own hits, all from the forking task, usually find theirs at once.
 */
static atomic_t ms_fork_claimed = ATOMIC_INIT(0);
static DEFINE_PER_CPU(unsigned int, ms_fork_hint);

static atomic_t ms_sites_gen = ATOMIC_INIT(0);
static atomic_t ms_blind_open = ATOMIC_INIT(0);
static atomic_t ms_blind_seq = ATOMIC_INIT(0);

bool ms_fork_stash(struct mm_struct *mm)
{
	unsigned int i, n = min_t(unsigned int, fork_slots, MS_FORK_SLOTS);
	bool had = false;
	unsigned long flags;
	int free = -1;

	spin_lock_irqsave(&ms_fork_lock, flags);
	for (i = 0; i < n; i++) {
		if (ms_fork_slots[i].task == current) {
			free = i;
			had = true;
			break;
		}
		if (free < 0 && !ms_fork_slots[i].task)
			free = i;
	}
	if (free >= 0) {
		if (!had && mm)
			atomic_inc(&ms_fork_claimed);
		else if (had && !mm)
			atomic_dec(&ms_fork_claimed);
		/* A slot of current's is written by current only. */
		WRITE_ONCE(ms_fork_slots[free].mm, mm);
		WRITE_ONCE(ms_fork_slots[free].task, mm ? current : NULL);
	}
	spin_unlock_irqrestore(&ms_fork_lock, flags);
	return free >= 0;
}

NOKPROBE_SYMBOL(ms_fork_stash);

/*
 * Lockless: the site handler calls it in NMI context (probe_lock.h).  Only
 * current writes a slot whose task is current, so the slot found cannot
 * change under us; other tasks' writes never make a slot look like ours.
 */
struct mm_struct *ms_fork_child_mm(void)
{
	unsigned int i;

	/*
	 * current's own slot, if it has one, was claimed by current: this
	 * task saw the count go up, on whatever CPU it runs now.
	 */
	if (!atomic_read(&ms_fork_claimed))
		return NULL;
	i = this_cpu_read(ms_fork_hint);
	if (i < MS_FORK_SLOTS && READ_ONCE(ms_fork_slots[i].task) == current)
		return READ_ONCE(ms_fork_slots[i].mm);
	for (i = 0; i < MS_FORK_SLOTS; i++) {
		if (READ_ONCE(ms_fork_slots[i].task) == current) {
			this_cpu_write(ms_fork_hint, i);
			return READ_ONCE(ms_fork_slots[i].mm);
		}
	}
	return NULL;
}

NOKPROBE_SYMBOL(ms_fork_child_mm);

/* Around enabling or disabling a site table (sites.c). */
void ms_fork_sites_changing(void)
{
	atomic_inc(&ms_sites_gen);
}

void ms_fork_sites_changed(void)
{
	atomic_inc(&ms_sites_gen);
}

unsigned int ms_fork_sites_generation(void)
{
	return atomic_read(&ms_sites_gen);
}

void ms_fork_blind_open(void)
{
	atomic_inc(&ms_blind_open);
	atomic_inc(&ms_blind_seq);
}

void ms_fork_blind_close(void)
{
	atomic_inc(&ms_blind_seq);
	atomic_dec(&ms_blind_open);
}

int ms_fork_blind_windows(void)
{
	return atomic_read(&ms_blind_open);
}

u32 ms_fork_blind_seq(void)
{
	return atomic_read(&ms_blind_seq);
}
