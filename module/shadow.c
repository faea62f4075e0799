// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow store.  A fixed hash table of per-folio entries keyed by head
 * pfn; each bucket has its own IRQ-safe spinlock because frees
 * (mm_page_free) arrive in any context.  Entries come from two slab caches
 * (small folios need one rmap-ID sum, large ones up to MS_SUMS) without
 * sleeping and without the emergency reserves (rmap hooks run in reclaim
 * too) under a hard cap: past the cap, or when allocation fails, the folio
 * is simply not tracked and the drop is counted.  The events behind an
 * entry are not in it: they are in the history rings (history.h).
 *
 * Nothing is reported with a bucket lock held: a report is taken as a copy
 * under the lock (struct ms_report) and made after it is dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include "findings.h"
#include "folio_live.h"
#include "history.h"
#include "hooks.h"
#include "kernel_check.h"
#include "mapshadow.h"
#include "probe_lock.h"
#include "raw_counters.h"
#include "rmap_id_math.h"
#include "shadow.h"
#include "stats.h"
#include "trace.h"
#include "tracking.h"
#include "validate.h"

/*
 * Buckets: one per two entries the cap allows, so that a chain stays short
 * however many folios are tracked (the cost of an event must not grow with
 * them); at least 2^10, at most 2^22.
 */
#define MS_HASH_BITS_MIN 10
#define MS_HASH_BITS_MAX 22
/*
 * Sums a large folio's entry keeps: enough for order 10 (4 x 6-bit
 * chunks); a small folio's keeps one (orders 0 to 2).
 */
#define MS_SUMS 4
#define MS_SUMS_SMALL 1

struct ms_folio {
	struct hlist_node node;
	unsigned long pfn;
	struct ms_counts core;
	u32 seq;		/* bumped by every change */
	u32 epoch;		/* trust epoch it became strict in */
	u32 reported;		/* MS_FIND_ONCE_KINDS reported for it */
	u8 checks;		/* quiescent checks: samples per-page reads */
	bool sums_valid;	/* every mapping's mm known since unmapped */
	u8 nr_sums;		/* MS_SUMS_SMALL or MS_SUMS: its cache */
	u64 last_event;		/* link to its newest event (history.h) */
	u64 sums[];		/* rmap-ID sums (rmap_id_math.h) */
};

/* The two entry sizes, and how many of each there are. */
enum ms_entry_class {
	MS_ENTRY_SMALL,
	MS_ENTRY_LARGE,
	MS_NR_ENTRY_CLASSES,
};

static const struct {
	const char *cache;
	u8 nr_sums;
} ms_entry_classes[MS_NR_ENTRY_CLASSES] = {
	[MS_ENTRY_SMALL] = { "ms_folio_small", MS_SUMS_SMALL },
	[MS_ENTRY_LARGE] = { "ms_folio_large", MS_SUMS },
};

struct ms_bucket {
	spinlock_t lock;	/* the chain and every entry on it */
	struct hlist_head head;
};

static struct ms_bucket *ms_buckets;
static unsigned int ms_hash_bits;
static struct kmem_cache *ms_cache[MS_NR_ENTRY_CLASSES];
static atomic_long_t ms_nr_entries;
static atomic_long_t ms_nr_class[MS_NR_ENTRY_CLASSES];
static unsigned long ms_max_entries;

static struct ms_bucket *ms_bucket_of(unsigned long pfn)
{
	return &ms_buckets[hash_long(pfn, ms_hash_bits)];
}

/*
 * Set while this CPU holds a bucket lock.  Code the store calls can end in
 * dump_page() on DEBUG_VM kernels (a VM_WARN_ON_FOLIO on a racing folio),
 * and our dump_page() hook must not then wait for the lock it holds.
 */
static DEFINE_PER_CPU(int, ms_in_store);

/* Process context: the files, the re-check work. */
static void ms_bucket_lock(struct ms_bucket *b, unsigned long *flags)
	__acquires(&b->lock)
{
	spin_lock_irqsave(&b->lock, *flags);
	__this_cpu_inc(ms_in_store);
}

static void ms_bucket_unlock(struct ms_bucket *b, unsigned long flags)
	__releases(&b->lock)
{
	__this_cpu_dec(ms_in_store);
	ms_unlock(&b->lock, flags);
}

bool ms_shadow_locked_here(void)
{
	return this_cpu_read(ms_in_store);
}

/*
 * The rmap-ID sums start over: valid when every mapping from here on will
 * be seen with its mm (the folio is unmapped), else until it is.
 */
/*
 * Whether f's entry holds every sum of its folio's class (*c): a folio
 * grown past its entry's sums (it was not freed) has none.
 */
static bool ms_sums_fit(const struct ms_folio *f, struct ms_rmap_class *c)
{
	return !ms_rmap_class_of(f->core.order, c) && c->nr_sums <= f->nr_sums;
}

static void ms_sums_reset_locked(struct ms_folio *f, bool valid)
{
	struct ms_rmap_class c;

	memset(f->sums, 0, f->nr_sums * sizeof(f->sums[0]));
	f->sums_valid = valid && ms_sums_fit(f, &c);
}

/* Strict only in the epoch it became strict in (tracking.h). */
static void ms_refresh_locked(struct ms_folio *f)
{
	if (f->core.state != MS_STATE_STRICT || f->epoch == ms_trust_epoch())
		return;
	f->core.state = MS_STATE_ADOPTED;
	f->sums_valid = false;
	f->seq++;
	ms_count(shadow_distrusted);
}

static void ms_make_strict_locked(struct ms_folio *f)
{
	f->core.state = MS_STATE_STRICT;
	f->epoch = ms_trust_epoch();
}

static struct ms_folio *ms_find(struct ms_bucket *b, unsigned long pfn)
{
	struct ms_folio *f;

	hlist_for_each_entry(f, &b->head, node) {
		if (f->pfn == pfn) {
			ms_refresh_locked(f);
			return f;
		}
	}
	return NULL;
}

static enum ms_entry_class ms_class_of(unsigned int order)
{
	struct ms_rmap_class c;

	if (!ms_rmap_class_of(order, &c) && c.nr_sums <= MS_SUMS_SMALL)
		return MS_ENTRY_SMALL;
	return MS_ENTRY_LARGE;
}

static struct ms_folio *ms_alloc(unsigned int order)
{
	enum ms_entry_class cls = ms_class_of(order);
	struct ms_folio *f;

	if (!ms_may_alloc())
		return NULL;
	if (atomic_long_inc_return(&ms_nr_entries) > ms_max_entries) {
		atomic_long_dec(&ms_nr_entries);
		ms_count(shadow_cap_drops);
		return NULL;
	}
	f = kmem_cache_alloc(ms_cache[cls], MS_GFP_PROBE);
	if (!f) {
		atomic_long_dec(&ms_nr_entries);
		ms_count(shadow_alloc_fails);
		return NULL;
	}
	f->nr_sums = ms_entry_classes[cls].nr_sums;
	atomic_long_inc(&ms_nr_class[cls]);
	return f;
}

static void ms_free(struct ms_folio *f)
{
	enum ms_entry_class cls = f->nr_sums == MS_SUMS_SMALL ?
		MS_ENTRY_SMALL : MS_ENTRY_LARGE;

	kmem_cache_free(ms_cache[cls], f);
	atomic_long_dec(&ms_nr_class[cls]);
	atomic_long_dec(&ms_nr_entries);
}

static void ms_view_of(const struct ms_folio *f, struct ms_shadow_view *v);

/* A finding taken under a bucket lock, made once the lock is dropped. */
struct ms_report {
	bool due;
	enum ms_finding_kind kind;
	struct folio *folio;
	int live;
	u8 source;
	const char *where;	/* valid while the probe handler runs */
	struct ms_shadow_view v;
};

static void ms_report_take_locked(struct ms_report *r, struct ms_folio *f,
				  enum ms_finding_kind kind,
				  struct folio *folio, int live, u8 source)
{
	r->due = true;
	r->kind = kind;
	r->folio = folio;
	r->live = live;
	r->source = source;
	ms_view_of(f, &r->v);
}

static void ms_report_make(struct ms_report *r)
{
	struct ms_witness w;

	if (!r->due)
		return;
	ms_witness_capture(&w, r->source, r->where);
	ms_finding_report(r->kind, &r->v, r->folio, r->live, &w);
}

/*
 * The shadow of strict f went below zero.  Only a kernel bug or a missed
 * event can do that: if trust was lost meanwhile, or a fork is copying
 * what we cannot see, the shadow is given up instead of reported.
 */
static void ms_underflow_locked(struct ms_folio *f, struct folio *folio,
				u8 source, struct ms_report *r)
{
	ms_count(shadow_underflows);
	if (!ms_judging())
		return;
	ms_trust_poll();
	ms_refresh_locked(f);
	if (f->core.state != MS_STATE_STRICT)
		return;
	if (!ms_trust_judge_now(NULL)) {
		f->core.state = MS_STATE_UNVERIFIABLE;
		f->sums_valid = false;
		ms_count(shadow_marked_unverifiable);
		return;
	}
	if (f->reported & BIT(MS_FIND_UNDERFLOW))
		return;
	f->reported |= BIT(MS_FIND_UNDERFLOW);
	ms_report_take_locked(r, f, MS_FIND_UNDERFLOW, folio,
			      ms_live_mapcount(folio), source);
}

/* The rmap-ID sums follow the count while every mm is known. */
static void ms_sums_apply_locked(struct ms_folio *f, const struct ms_event *ev)
{
	struct ms_rmap_class c;

	if (!f->sums_valid)
		return;
	if (!ev->mm_id || !ms_sums_fit(f, &c)) {
		f->sums_valid = false;
		return;
	}
	ms_rmap_sums_apply(&c, f->sums, ev->mm_id, ev->delta);
}

static void ms_apply_locked(struct ms_folio *f, const struct ms_event *ev,
			    struct ms_report *r)
{
	ms_history_push(f->pfn, ev, &f->last_event);
	ms_sums_apply_locked(f, ev);
	f->seq++;
	if (ms_counts_apply(&f->core, ev->level, ev->delta) == MS_APPLY_UNDERFLOW) {
		ms_underflow_locked(f, ev->folio, ev->source, r);
		r->where = ev->where;
	}
	trace_shadow_update(f->pfn, ev->delta, ms_level_name(ev->level),
			    f->core.mapcount, ms_source_name(ev->source));
}

enum ms_op {
	MS_OP_BEGIN,		/* an update starts */
	MS_OP_BEGIN_APPLY,	/* an update starts, shadow changes now */
	MS_OP_APPLY,		/* an update that is atomic with its probe */
	MS_OP_MARK,		/* a path we cannot follow touched it */
	MS_OP_MARK_TRACKED,	/* the same, only if it has an entry */
};

static void ms_new_entry(struct ms_bucket *b, struct ms_folio *f,
			 struct folio *folio)
{
	f->pfn = folio_pfn(folio);
	f->seq = 0;
	f->reported = 0;
	f->checks = 0;
	f->last_event = 0;
	ms_counts_first_sight(&f->core, folio_order(folio),
			      ms_live_mapcount(folio));
	f->epoch = ms_trust_epoch();
	/* Updates begun before tracking may still land: trust nothing yet. */
	if (!ms_tracking_live() && f->core.state == MS_STATE_STRICT)
		f->core.state = MS_STATE_ADOPTED;
	ms_sums_reset_locked(f, f->core.state == MS_STATE_STRICT);
	hlist_add_head(&f->node, &b->head);
	ms_count(shadow_created[f->core.state]);
}

/*
 * Find or create the entry of folio and do op on it.  A spare entry is
 * allocated outside the lock and returned to the cache if another CPU
 * created the entry meanwhile.  Returns false if the folio is not tracked.
 */
static bool ms_shadow_op(struct folio *folio, enum ms_op op,
			 const struct ms_event *ev)
{
	unsigned long pfn = folio_pfn(folio);
	unsigned int order = folio_order(folio);
	struct ms_bucket *b = ms_bucket_of(pfn);
	struct ms_folio *f, *spare = NULL;
	struct ms_report r = {};
	unsigned long flags;

	/* Fails only in NMI context, the lock busy (probe_lock.h). */
	if (!ms_lock(&b->lock, &flags))
		return false;
	__this_cpu_inc(ms_in_store);
	f = ms_find(b, pfn);
	if (!f) {
		ms_bucket_unlock(b, flags);
		if (op == MS_OP_MARK_TRACKED)
			return false;
		spare = ms_alloc(order);
		if (!spare)
			return false;
		if (!ms_lock(&b->lock, &flags)) {
			ms_free(spare);
			return false;
		}
		__this_cpu_inc(ms_in_store);
		f = ms_find(b, pfn);
		if (!f) {
			f = spare;
			spare = NULL;
			ms_new_entry(b, f, folio);
		}
	}
	if (f->core.order != order) {
		if (ms_counts_reshape(&f->core, order))
			ms_count(shadow_reshaped_mapped);
		ms_sums_reset_locked(f, !f->core.mapcount);
	}
	switch (op) {
	case MS_OP_BEGIN_APPLY:
		ms_apply_locked(f, ev, &r);
		fallthrough;
	case MS_OP_BEGIN:
		f->core.inflight++;
		f->seq++;
		break;
	case MS_OP_APPLY:
		ms_apply_locked(f, ev, &r);
		break;
	case MS_OP_MARK:
	case MS_OP_MARK_TRACKED:
		f->sums_valid = false;
		if (f->core.state != MS_STATE_UNVERIFIABLE) {
			f->core.state = MS_STATE_UNVERIFIABLE;
			ms_count(shadow_marked_unverifiable);
		}
		f->seq++;
		break;
	}
	ms_bucket_unlock(b, flags);
	if (spare)
		ms_free(spare);
	ms_report_make(&r);
	return true;
}

/* Large folios' per-page words are read in full at some checks only. */
static bool ms_pages_due(struct ms_folio *f)
{
	return (1U << f->core.order) <= MS_KCHECK_PAGES_ALWAYS ||
	       !(f->checks++ % MS_KCHECK_PAGES_EVERY);
}

/*
 * The finding kinds f's folio shows now; f is strict and quiescent.  The
 * mapcount disagreements are all under MS_FIND_MISMATCH here.
 */
static u32 ms_kinds_now_locked(struct ms_folio *f, struct folio *folio,
			       int live, const struct ms_raw *raw,
			       enum ms_shared_verdict *verdict)
{
	const struct ms_kcounters *k = raw->kc.nr_pages ? &raw->kc : NULL;
	u32 kinds;

	kinds = ms_kernel_check(folio, &f->core, f->sums_valid ? f->sums : NULL,
				k, verdict);
	if (live != f->core.mapcount)
		kinds |= BIT(MS_FIND_MISMATCH);
	return kinds & ~f->reported;
}

/*
 * Nothing is in flight for f and the kernel has finished ev: the live
 * counters must agree with the shadow and with each other now.
 */
static void ms_quiescent_locked(struct ms_folio *f, const struct ms_event *ev,
				struct ms_report *r)
{
	int live = ms_live_mapcount(ev->folio);
	enum ms_shared_verdict verdict;
	struct ms_trust_snap snap;
	struct ms_raw raw;
	u32 kinds;

	if (!live && !f->core.mapcount) {
		/* Fully unmapped: from here every mapping is seen again. */
		ms_sums_reset_locked(f, true);
	}
	if (f->core.state != MS_STATE_STRICT) {
		if (ms_counts_quiescent_unmapped(&f->core, live)) {
			ms_make_strict_locked(f);
			ms_count(shadow_became_strict);
			ms_sums_reset_locked(f, true);
		}
		return;
	}
	if (!ms_judging())
		return;
	ms_count(validate_checks);
	ms_raw_read_event(ev->folio, &raw, ms_pages_due(f), ev->pfn,
			  ev->level == MS_LEVEL_PTE ? ev->nr : 0);
	/*
	 * A remove drove one of the kernel's own counters negative: its own
	 * words say so, whatever the shadow knows.
	 */
	if (ev->delta < 0 && raw.worst == MS_RAW_UNDERFLOW &&
	    !(f->reported & BIT(MS_FIND_UNDERFLOW))) {
		f->reported |= BIT(MS_FIND_UNDERFLOW);
		ms_report_take_locked(r, f, MS_FIND_UNDERFLOW, ev->folio, live,
				      ev->source);
		return;
	}
	kinds = ms_kinds_now_locked(f, ev->folio, live, &raw, &verdict);
	/* Findings are counted as such, once seen twice. */
	if (f->core.mapcount > 0 && !ms_shared_verdict_is_finding(verdict))
		ms_count(answers[verdict]);
	if (!kinds)
		return;
	/* A suspicion needs a shadow we still believe. */
	ms_trust_poll();
	ms_refresh_locked(f);
	if (f->core.state == MS_STATE_STRICT && ms_trust_judge_now(&snap))
		ms_validate_suspect(f->pfn, f->seq, ev->source, kinds, &snap);
}

bool ms_shadow_begin(const struct ms_event *ev, bool apply)
{
	return ms_shadow_op(ev->folio, apply ? MS_OP_BEGIN_APPLY : MS_OP_BEGIN, ev);
}

void ms_shadow_end(const struct ms_event *ev, bool apply)
{
	unsigned long pfn = folio_pfn(ev->folio);
	struct ms_bucket *b = ms_bucket_of(pfn);
	struct ms_report r = {};
	unsigned long flags;
	struct ms_folio *f;

	ms_bucket_lock(b, &flags);
	f = ms_find(b, pfn);
	if (f) {
		if (apply)
			ms_apply_locked(f, ev, &r);
		if (f->core.inflight > 0)
			f->core.inflight--;
		f->seq++;
		if (!f->core.inflight && !r.due)
			ms_quiescent_locked(f, ev, &r);
	}
	ms_bucket_unlock(b, flags);
	ms_report_make(&r);
}

void ms_shadow_apply(const struct ms_event *ev)
{
	ms_shadow_op(ev->folio, MS_OP_APPLY, ev);
}

void ms_shadow_mark_unverifiable(struct folio *folio)
{
	ms_shadow_op(folio, MS_OP_MARK, NULL);
}

void ms_shadow_mark_if_tracked(struct folio *folio)
{
	ms_shadow_op(folio, MS_OP_MARK_TRACKED, NULL);
}

/*
 * A strict folio freed while its shadow says mapped: a missed removal, or
 * a kernel that freed a mapped folio.  Judged like an underflow.
 */
static void ms_freed_mapped_locked(struct ms_folio *f, u8 source,
				   struct ms_report *r)
{
	struct folio *folio = page_folio(pfn_to_page(f->pfn));

	ms_count(shadow_freed_mapped);
	if (!ms_judging())
		return;
	ms_trust_poll();
	ms_refresh_locked(f);
	if (f->core.state == MS_STATE_STRICT && ms_trust_judge_now(NULL))
		ms_report_take_locked(r, f, MS_FIND_FREED_MAPPED, folio,
				      ms_live_mapcount(folio), source);
}

void ms_shadow_free_range(unsigned long pfn, unsigned long nr, u8 source)
{
	unsigned long end = pfn + nr;

	if (!atomic_long_read(&ms_nr_entries))
		return;
	for (; pfn < end; pfn++) {
		struct ms_bucket *b = ms_bucket_of(pfn);
		struct ms_report r = {};
		unsigned long flags;
		struct ms_folio *f;

		ms_bucket_lock(b, &flags);
		f = ms_find(b, pfn);
		if (f) {
			if (f->core.state == MS_STATE_STRICT && f->core.mapcount)
				ms_freed_mapped_locked(f, source, &r);
			hlist_del(&f->node);
		}
		ms_bucket_unlock(b, flags);
		if (!f)
			continue;
		ms_free(f);
		ms_report_make(&r);
	}
}

static void ms_view_of(const struct ms_folio *f, struct ms_shadow_view *v)
{
	v->sums_valid = f->sums_valid;
	memset(v->sums, 0, sizeof(v->sums));
	memcpy(v->sums, f->sums, f->nr_sums * sizeof(f->sums[0]));
	v->pfn = f->pfn;
	v->core = f->core;
	v->seq = f->seq;
	v->last_event = f->last_event;
}

bool ms_shadow_lookup(unsigned long pfn, struct ms_shadow_view *view)
{
	struct ms_bucket *b = ms_bucket_of(pfn);
	unsigned long flags;
	struct ms_folio *f;

	ms_bucket_lock(b, &flags);
	f = ms_find(b, pfn);
	if (f)
		ms_view_of(f, view);
	ms_bucket_unlock(b, flags);
	return f;
}

enum ms_check {
	MS_CHECK_AGREE,
	MS_CHECK_DISAGREE,
	MS_CHECK_NOT_STRICT,
	MS_CHECK_BUSY,
	MS_CHECK_RESHAPED,
};

/*
 * Compares one entry with its live folio; *live is set when compared, and
 * then *broken (if asked for) to the finding kinds of the kernel's own
 * bookkeeping that the folio shows (kernel_check.h), per-page words read.
 */
static enum ms_check ms_check_locked(struct ms_folio *f, int *live,
				     u32 *broken)
{
	enum ms_shared_verdict verdict;
	struct folio *folio;
	struct ms_raw raw;

	if (f->core.state != MS_STATE_STRICT)
		return MS_CHECK_NOT_STRICT;
	if (f->core.inflight)
		return MS_CHECK_BUSY;
	folio = page_folio(pfn_to_page(f->pfn));
	if (folio_pfn(folio) != f->pfn || folio_order(folio) != f->core.order)
		return MS_CHECK_RESHAPED;
	*live = ms_live_mapcount(folio);
	if (broken) {
		ms_raw_read(folio, &raw, true);
		*broken = ms_kernel_check(folio, &f->core,
					  f->sums_valid ? f->sums : NULL,
					  raw.kc.nr_pages ? &raw.kc : NULL,
					  &verdict);
	}
	return *live == f->core.mapcount ? MS_CHECK_AGREE : MS_CHECK_DISAGREE;
}

/*
 * The quiescent cross-check behind "echo scan > control".  A disagreement,
 * or broken bookkeeping, counts only if it is still there, with no shadow
 * change in between, when looked at again after every other entry was
 * visited.
 */
void ms_shadow_scan(struct ms_scan_result *res)
{
	struct { unsigned long pfn; u32 seq; } suspect[32];
	unsigned int i, nr_suspect = 0;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < (1U << ms_hash_bits); i++) {
		struct ms_bucket *b = &ms_buckets[i];
		unsigned long flags;
		struct ms_folio *f;
		u32 broken = 0;
		int live;

		ms_bucket_lock(b, &flags);
		hlist_for_each_entry(f, &b->head, node) {
			enum ms_check r;

			ms_refresh_locked(f);
			r = ms_check_locked(f, &live, &broken);

			switch (r) {
			case MS_CHECK_AGREE:
			case MS_CHECK_DISAGREE:
				res->strict++;
				if (r == MS_CHECK_AGREE && !broken) {
					res->agreed++;
					break;
				}
				if (nr_suspect < ARRAY_SIZE(suspect)) {
					suspect[nr_suspect].pfn = f->pfn;
					suspect[nr_suspect++].seq = f->seq;
				} else {
					res->disagreed++; /* no room to re-check */
				}
				break;
			case MS_CHECK_NOT_STRICT:
				res->unchecked++;
				break;
			case MS_CHECK_BUSY:
				res->strict++;
				res->busy++;
				break;
			case MS_CHECK_RESHAPED:
				res->strict++;
				res->reshaped++;
				break;
			}
		}
		ms_bucket_unlock(b, flags);
		cond_resched();
	}
	for (i = 0; i < nr_suspect; i++) {
		struct ms_bucket *b = ms_bucket_of(suspect[i].pfn);
		enum ms_check r = MS_CHECK_BUSY;
		unsigned long flags;
		struct ms_folio *f;
		u32 broken = 0;
		int live = 0;

		ms_bucket_lock(b, &flags);
		f = ms_find(b, suspect[i].pfn);
		if (f && f->seq == suspect[i].seq)
			r = ms_check_locked(f, &live, &broken);
		if (r == MS_CHECK_DISAGREE) {
			res->disagreed++;
			if (res->nr_bad < ARRAY_SIZE(res->bad)) {
				ms_view_of(f, &res->bad[res->nr_bad]);
				res->bad_live[res->nr_bad++] = live;
			}
		} else if (r == MS_CHECK_AGREE) {
			res->agreed++;
		} else {
			res->busy++;
		}
		if ((r == MS_CHECK_AGREE || r == MS_CHECK_DISAGREE) && broken) {
			res->broken++;
			if (res->nr_broken < ARRAY_SIZE(res->broken_pfn)) {
				res->broken_pfn[res->nr_broken] = f->pfn;
				res->broken_kinds[res->nr_broken++] = broken;
			}
		}
		ms_bucket_unlock(b, flags);
	}
}

/*
 * The second look at a suspect: of the kinds it was suspected of, those
 * still seen with the entry unchanged since (same seq), strict and
 * quiescent; the per-page words are read in full.  The mapcount kinds come
 * back as the one that fits.
 */
u32 ms_shadow_recheck(unsigned long pfn, u32 seq, u32 kinds,
		      struct ms_shadow_view *v, struct folio **folio, int *live)
{
	struct ms_bucket *b = ms_bucket_of(pfn);
	unsigned long flags;
	struct ms_folio *f;
	enum ms_shared_verdict verdict;
	enum ms_check r = MS_CHECK_BUSY;
	struct ms_raw raw;
	u32 now = 0;

	ms_bucket_lock(b, &flags);
	f = ms_find(b, pfn);
	if (f && f->seq == seq)
		r = ms_check_locked(f, live, NULL);
	if (r == MS_CHECK_AGREE || r == MS_CHECK_DISAGREE) {
		*folio = page_folio(pfn_to_page(pfn));
		ms_raw_read(*folio, &raw, true);
		now = kinds & ms_kinds_now_locked(f, *folio, *live, &raw,
						   &verdict);
	}
	if (now & BIT(MS_FIND_MISMATCH)) {
		now &= ~BIT(MS_FIND_MISMATCH);
		now |= BIT(!*live ? MS_FIND_LIVE_UNMAPPED :
			   !f->core.mapcount ? MS_FIND_SHADOW_UNMAPPED :
			   MS_FIND_MISMATCH);
	}
	if (now) {
		f->reported |= now & MS_FIND_ONCE_KINDS;
		ms_view_of(f, v);
	}
	ms_bucket_unlock(b, flags);
	return now;
}

/* Process context: it walks the whole store. */
unsigned long ms_shadow_count(enum ms_state state)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < (1U << ms_hash_bits); i++) {
		struct ms_bucket *b = &ms_buckets[i];
		unsigned long flags;
		struct ms_folio *f;

		ms_bucket_lock(b, &flags);
		hlist_for_each_entry(f, &b->head, node) {
			ms_refresh_locked(f);
			n += f->core.state == state;
		}
		ms_bucket_unlock(b, flags);
		/* Millions of entries: the stats reader must not hog a CPU. */
		cond_resched();
	}
	return n;
}

unsigned long ms_shadow_entries(void)
{
	return atomic_long_read(&ms_nr_entries);
}

void ms_shadow_memory(struct ms_store_memory *mem)
{
	mem->entries = ms_shadow_entries();
	mem->small_entries = atomic_long_read(&ms_nr_class[MS_ENTRY_SMALL]);
	mem->large_entries = atomic_long_read(&ms_nr_class[MS_ENTRY_LARGE]);
	/* The slabs' object sizes: what one entry costs, padding included. */
	mem->small_entry_bytes = kmem_cache_size(ms_cache[MS_ENTRY_SMALL]);
	mem->large_entry_bytes = kmem_cache_size(ms_cache[MS_ENTRY_LARGE]);
	mem->index_bytes = (1UL << ms_hash_bits) * sizeof(*ms_buckets);
	mem->history_bytes = ms_history_bytes();
	mem->total_bytes = mem->small_entries * mem->small_entry_bytes +
			   mem->large_entries * mem->large_entry_bytes +
			   mem->index_bytes + mem->history_bytes;
}

/* Every entry cache created so far (NULL is skipped). */
static void ms_caches_destroy(void)
{
	unsigned int i;

	for (i = 0; i < MS_NR_ENTRY_CLASSES; i++) {
		kmem_cache_destroy(ms_cache[i]);
		ms_cache[i] = NULL;
	}
}

int ms_shadow_init(unsigned int max_folios)
{
	unsigned int i;

	ms_max_entries = max_folios;
	ms_hash_bits = clamp_t(int, order_base_2(max_folios) - 1,
			       MS_HASH_BITS_MIN, MS_HASH_BITS_MAX);
	ms_buckets = kvcalloc(1U << ms_hash_bits, sizeof(*ms_buckets), GFP_KERNEL);
	if (!ms_buckets)
		return -ENOMEM;
	for (i = 0; i < (1U << ms_hash_bits); i++) {
		spin_lock_init(&ms_buckets[i].lock);
		INIT_HLIST_HEAD(&ms_buckets[i].head);
	}
	for (i = 0; i < MS_NR_ENTRY_CLASSES; i++) {
		ms_cache[i] = kmem_cache_create(ms_entry_classes[i].cache,
						struct_size_t(struct ms_folio, sums,
							      ms_entry_classes[i].nr_sums),
						__alignof__(struct ms_folio), 0, NULL);
		if (!ms_cache[i]) {
			ms_caches_destroy();
			kvfree(ms_buckets);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Called after every hook is disarmed: nothing else touches the table. */
void ms_shadow_exit(void)
{
	unsigned int i;

	for (i = 0; i < (1U << ms_hash_bits); i++) {
		struct hlist_node *tmp;
		struct ms_folio *f;

		hlist_for_each_entry_safe(f, tmp, &ms_buckets[i].head, node) {
			hlist_del(&f->node);
			ms_free(f);
		}
		/*
		 * rmmod: a full store is freed here.  262144 entries took 22 s
		 * on the KASAN kernel under load, a soft lockup without this.
		 */
		cond_resched();
	}
	ms_caches_destroy();
	kvfree(ms_buckets);
}
