// SPDX-License-Identifier: GPL-2.0
/* Online validation with a deferred re-check; see validate.h. */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "findings.h"
#include "hooks.h"
#include "shadow.h"
#include "stats.h"
#include "tracking.h"
#include "validate.h"

#define MS_SUSPECTS 32
/* Long enough for every update that began before the suspicion to end. */
#define MS_RECHECK_DELAY (HZ / 20)

struct ms_suspect {
	unsigned long pfn;
	u32 seq;
	u32 kinds;		/* enum ms_finding_kind bits */
	struct ms_trust_snap snap;
	struct ms_witness w;
};

static DEFINE_SPINLOCK(ms_suspects_lock);	/* the array and its count */
static struct ms_suspect ms_suspects[MS_SUSPECTS];
static unsigned int ms_nr_suspects;

static void ms_recheck(struct work_struct *work);
static DECLARE_DELAYED_WORK(ms_recheck_work, ms_recheck);

void ms_validate_suspect(unsigned long pfn, u32 seq, u8 source, u32 kinds,
			 const struct ms_trust_snap *snap)
{
	struct ms_suspect *s = NULL;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&ms_suspects_lock, flags);
	/* A folio suspected again is re-checked against its latest state. */
	for (i = 0; i < ms_nr_suspects; i++)
		if (ms_suspects[i].pfn == pfn)
			break;
	if (i < ms_nr_suspects) {
		s = &ms_suspects[i];
		kinds |= s->kinds;
	} else if (ms_nr_suspects < MS_SUSPECTS) {
		s = &ms_suspects[ms_nr_suspects++];
	} else {
		ms_count(validate_suspect_drops);
	}
	if (s) {
		s->pfn = pfn;
		s->kinds = kinds;
		s->seq = seq;
		s->snap = *snap;
		ms_witness_capture(&s->w, source, NULL);
	}
	spin_unlock_irqrestore(&ms_suspects_lock, flags);
	if (s) {
		ms_count(validate_suspects);
		schedule_delayed_work(&ms_recheck_work, MS_RECHECK_DELAY);
	}
}

static void ms_recheck_one(struct ms_suspect *s)
{
	struct ms_shadow_view *v;
	struct folio *folio;
	unsigned long kinds;
	unsigned int kind;
	u32 span;
	int live;

	/* Events lost since the suspicion: the shadow proves nothing. */
	if (!ms_trust_judge_again(&s->snap))
		return;
	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return;
	span = ms_trust_span_begin();
	kinds = ms_shadow_recheck(s->pfn, s->seq, s->kinds, v, &folio, &live);
	if (kinds && !ms_trust_span_clear(span))
		kinds = 0;
	else if (!kinds)
		ms_count(validate_transient);
	for_each_set_bit(kind, &kinds, MS_NR_FIND_KINDS)
		ms_finding_report(kind, v, folio, live, &s->w);
	kfree(v);
}

static void ms_recheck(struct work_struct *work)
{
	static struct ms_suspect batch[MS_SUSPECTS];	/* only this work uses it */
	unsigned int i, n;
	unsigned long flags;

	spin_lock_irqsave(&ms_suspects_lock, flags);
	n = ms_nr_suspects;
	memcpy(batch, ms_suspects, n * sizeof(batch[0]));
	ms_nr_suspects = 0;
	spin_unlock_irqrestore(&ms_suspects_lock, flags);
	for (i = 0; i < n; i++)
		if (ms_judging())
			ms_recheck_one(&batch[i]);
}

/* After every hook is disarmed: no new suspects can appear. */
void ms_validate_exit(void)
{
	cancel_delayed_work_sync(&ms_recheck_work);
}
