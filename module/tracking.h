/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When the shadow can be believed.
 *
 * Events enter the shadow only while tracking is on.  Hooks are armed one
 * by one: until all are, a folio's history would be partial, so tracking
 * starts WARMING (every folio first seen is adopted) and becomes LIVE one
 * grace period after the last hook is armed.  It stays WARMING, with the
 * reason shown in "stats", while a hook the shadow needs is off.
 *
 * Even LIVE, events can be lost: kretprobe instances run out (maxactive),
 * a probe is skipped for recursion, a fork walk is too large to finish in
 * probe context, a site table goes away while folios depend on it.  Each
 * loss bumps the trust epoch: a strict shadow made strict in an older
 * epoch is adopted again (shadow.c), and a check or re-check that spans a
 * bump reports nothing.  A fork copied without a site table is a window of
 * events we do not see: while one is open, or if one opened since a
 * suspicion, nothing is judged either.
 */
#ifndef MAPSHADOW_TRACKING_H
#define MAPSHADOW_TRACKING_H

#include <linux/compiler.h>
#include <linux/types.h>

enum ms_tracking {
	MS_TRACKING_OFF,
	MS_TRACKING_WARMING,
	MS_TRACKING_LIVE,
};

/* Why trust was lost; one counter each in "stats". */
enum ms_trust_loss {
	MS_LOSS_MISSED,		/* a probe missed an event */
	MS_LOSS_FORK_WALK,	/* a fork too large to walk in probe context */
	MS_LOSS_SITES_OFF,	/* the site table was disarmed */
	MS_NR_LOSSES,
};

/* Why a judgement was not made; one counter each in "stats". */
enum ms_skip {
	MS_SKIP_FORK_WINDOW,	/* a fork without site table was copying */
	MS_SKIP_EPOCH,		/* trust was lost since the suspicion */
	MS_NR_SKIPS,
};

extern int ms_tracking_state;

static inline bool ms_tracking(void)
{
	return READ_ONCE(ms_tracking_state) != MS_TRACKING_OFF;
}

/* Findings need every hook live: never while starting or stopping. */
static inline bool ms_tracking_live(void)
{
	return READ_ONCE(ms_tracking_state) == MS_TRACKING_LIVE;
}

/* "enable"/"disable": whether anything is judged and reported. */
bool ms_validate_enabled(void);
void ms_validate_set_enabled(bool on);

/* Findings are made only when enabled and tracking is live: the one gate. */
static inline bool ms_judging(void)
{
	return ms_validate_enabled() && ms_tracking_live();
}

/*
 * Starting: WARMING, then one grace period; the caller then tells what
 * was missed before (mms alive now are incomplete) and goes live, or
 * stays warming if held_back says why.
 */
void ms_tracking_warm(void);
void ms_tracking_go_live(const char *held_back);
void ms_tracking_stop(void);
const char *ms_tracking_name(void);
const char *ms_tracking_why(void);

/* Where ms_trust_poll() reads the probes' missed-event total. */
void ms_trust_set_missed_source(unsigned long (*total)(void));

/* The current trust epoch (folios remember theirs). */
u32 ms_trust_epoch(void);
void ms_trust_lost(enum ms_trust_loss why);
/*
 * Reads the probes' missed counters and loses trust if they moved.  Slow
 * (every hook and site): called before a judgement, not per event.
 */
void ms_trust_poll(void);

/* What a suspicion remembers, to know whether its re-check may judge. */
struct ms_trust_snap {
	u32 epoch;
	u32 blind_seq;
};

/*
 * May the shadow be judged now?  False while a blind fork window is open;
 * counts the skip.  snap (if given) is filled for a later re-check.
 */
bool ms_trust_judge_now(struct ms_trust_snap *snap);
/* May a re-check of a suspicion taken at snap judge?  Counts the skip. */
bool ms_trust_judge_again(const struct ms_trust_snap *snap);
/*
 * Around one look at the shadow (a re-check): no blind window opened
 * meanwhile.  Counts the skip.
 */
u32 ms_trust_span_begin(void);
bool ms_trust_span_clear(u32 begin);

unsigned long ms_trust_losses(enum ms_trust_loss why);
unsigned long ms_trust_skips(enum ms_skip why);
const char *ms_trust_loss_name(enum ms_trust_loss why);
const char *ms_skip_name(enum ms_skip why);

#endif /* MAPSHADOW_TRACKING_H */
