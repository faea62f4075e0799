// SPDX-License-Identifier: GPL-2.0
/* Tracking state, trust epoch and blind fork windows; see tracking.h. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include "fork.h"
#include "stats.h"
#include "trace.h"
#include "tracking.h"

int ms_tracking_state = MS_TRACKING_OFF;
static char ms_held_back[64];	/* one word, for "stats" */
static bool ms_enabled = true;

static atomic_t ms_epoch = ATOMIC_INIT(1);
/* The probes' missed-event total (main.c), and its last value seen. */
static unsigned long (*ms_missed_total)(void);
static atomic_long_t ms_missed_seen = ATOMIC_LONG_INIT(0);

static const char * const ms_loss_names[MS_NR_LOSSES] = {
	[MS_LOSS_MISSED] = "missed_events",
	[MS_LOSS_FORK_WALK] = "fork_walk_too_large",
	[MS_LOSS_SITES_OFF] = "sites_disarmed",
};

static const char * const ms_skip_names[MS_NR_SKIPS] = {
	[MS_SKIP_FORK_WINDOW] = "fork_window",
	[MS_SKIP_EPOCH] = "trust_lost",
};

bool ms_validate_enabled(void)
{
	return READ_ONCE(ms_enabled);
}

void ms_validate_set_enabled(bool on)
{
	WRITE_ONCE(ms_enabled, on);
	trace_state("validation", on ? "on" : "off");
}

void ms_trust_set_missed_source(unsigned long (*total)(void))
{
	ms_missed_total = total;
}

/*
 * Probe handlers run with preemption off and the rmap updates they see
 * run under page table locks: one grace period after the last hook is
 * armed, no update that began unseen is still in flight.
 */
void ms_tracking_warm(void)
{
	WRITE_ONCE(ms_tracking_state, MS_TRACKING_WARMING);
	trace_state("tracking", "warming");
	synchronize_rcu();
}

void ms_tracking_go_live(const char *held_back)
{
	if (ms_missed_total)
		atomic_long_set(&ms_missed_seen, ms_missed_total());
	if (held_back) {
		strscpy(ms_held_back, held_back, sizeof(ms_held_back));
		pr_warn("tracking stays warming, nothing is judged: %s\n",
			held_back);
		return;
	}
	WRITE_ONCE(ms_tracking_state, MS_TRACKING_LIVE);
	trace_state("tracking", "live");
}

/* Stop first: a shadow fed by half of the hooks would be wrong. */
void ms_tracking_stop(void)
{
	if (READ_ONCE(ms_tracking_state) == MS_TRACKING_OFF)
		return;
	WRITE_ONCE(ms_tracking_state, MS_TRACKING_OFF);
	trace_state("tracking", "off");
	synchronize_rcu();
}

const char *ms_tracking_name(void)
{
	switch (READ_ONCE(ms_tracking_state)) {
	case MS_TRACKING_LIVE:
		return "live";
	case MS_TRACKING_WARMING:
		return "warming";
	default:
		return "off";
	}
}

/* Why tracking is not live: "-" when it is. */
const char *ms_tracking_why(void)
{
	if (ms_tracking_live())
		return "-";
	if (!ms_tracking())
		return "stopped";
	return ms_held_back[0] ? ms_held_back : "starting";
}

u32 ms_trust_epoch(void)
{
	return atomic_read(&ms_epoch);
}

void ms_trust_lost(enum ms_trust_loss why)
{
	atomic_inc(&ms_epoch);
	ms_count(trust_lost[why]);
}

void ms_trust_poll(void)
{
	long seen = atomic_long_read(&ms_missed_seen);
	long now;

	if (!ms_missed_total)
		return;
	now = ms_missed_total();

	if (now == seen || atomic_long_cmpxchg(&ms_missed_seen, seen, now) != seen)
		return;
	/* Fewer: a site table went away (and took its own epoch bump). */
	if (now > seen)
		ms_trust_lost(MS_LOSS_MISSED);
}

bool ms_trust_judge_now(struct ms_trust_snap *snap)
{
	if (snap) {
		snap->blind_seq = ms_fork_blind_seq();
		snap->epoch = ms_trust_epoch();
	}
	if (ms_fork_blind_windows()) {
		ms_count(judge_skips[MS_SKIP_FORK_WINDOW]);
		return false;
	}
	return true;
}

/*
 * A window that opened and closed since the suspicion does not matter: a
 * folio the copy touched was marked (by the walk, or by its child's
 * events), which changed its seq, and the re-check compares seqs.  One
 * open now, or opening during the re-check (ms_trust_span_clear()), does.
 */
bool ms_trust_judge_again(const struct ms_trust_snap *snap)
{
	ms_trust_poll();
	if (ms_fork_blind_windows()) {
		ms_count(judge_skips[MS_SKIP_FORK_WINDOW]);
		return false;
	}
	if (ms_trust_epoch() != snap->epoch) {
		ms_count(judge_skips[MS_SKIP_EPOCH]);
		return false;
	}
	return true;
}

u32 ms_trust_span_begin(void)
{
	return ms_fork_blind_seq();
}

bool ms_trust_span_clear(u32 begin)
{
	if (!ms_fork_blind_windows() && ms_fork_blind_seq() == begin)
		return true;
	ms_count(judge_skips[MS_SKIP_FORK_WINDOW]);
	return false;
}

unsigned long ms_trust_losses(enum ms_trust_loss why)
{
	return ms_count_sum(trust_lost[why]);
}

unsigned long ms_trust_skips(enum ms_skip why)
{
	return ms_count_sum(judge_skips[why]);
}

const char *ms_trust_loss_name(enum ms_trust_loss why)
{
	return ms_loss_names[why];
}

const char *ms_skip_name(enum ms_skip why)
{
	return ms_skip_names[why];
}
