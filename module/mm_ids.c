// SPDX-License-Identifier: GPL-2.0
/* rmap IDs and per-mm totals; see mm_ids.h. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include "compat.h"
#include "mapshadow.h"
#include "mm_ids.h"
#include "probe_lock.h"
#include "stats.h"
#include "tracking.h"

#define MS_MM_HASH_BITS 10
#define MS_MM_ID_LIMIT BIT(24)

struct ms_mm_entry {
	struct hlist_node node;
	const struct mm_struct *mm;	/* compared only, never dereferenced */
	u32 id;
	u32 epoch;			/* trust epoch at mm_init() */
	bool complete;			/* seen from mm_init() */
	int copying;			/* forks copying into it unseen */
	long total;			/* mappings seen: maps minus unmaps */
};

/* Every event looks its mm up: one lock per bucket, not one for all. */
struct ms_mm_bucket {
	spinlock_t lock;	/* the chain and every entry on it */
	struct hlist_head head;
};

static struct ms_mm_bucket ms_mm_table[1 << MS_MM_HASH_BITS];
static DEFINE_IDA(ms_mm_ida);
/*
 * rmap ID -> the kernel's own MM ID (where it has one) and back, read
 * locklessly; one lock (the first's) for both.
 */
static DEFINE_XARRAY_FLAGS(ms_mm_kernel_ids, XA_FLAGS_LOCK_IRQ);
static DEFINE_XARRAY_FLAGS(ms_mm_rmap_ids, XA_FLAGS_LOCK_IRQ);
static struct kmem_cache *ms_mm_cache;
static atomic_long_t ms_nr_mms;

static struct ms_mm_bucket *ms_mm_bucket(const struct mm_struct *mm)
{
	return &ms_mm_table[hash_ptr((void *)mm, MS_MM_HASH_BITS)];
}

static struct ms_mm_entry *ms_mm_find(const struct mm_struct *mm)
{
	struct ms_mm_entry *e;

	hlist_for_each_entry(e, &ms_mm_bucket(mm)->head, node)
		if (e->mm == mm)
			return e;
	return NULL;
}

/*
 * Called for an mm in one of its own rmap events, so it is alive.  A
 * failed store only leaves its kernel MM ID unknown.
 */
static void ms_mm_kernel_id_store(u32 id, int kernel_id)
{
	unsigned long flags;

	if (kernel_id <= 0)
		return;
	xa_lock_irqsave(&ms_mm_kernel_ids, flags);
	if (!xa_is_err(__xa_store(&ms_mm_kernel_ids, id, xa_mk_value(kernel_id),
				  MS_GFP_PROBE)))
		xa_store(&ms_mm_rmap_ids, kernel_id, xa_mk_value(id),
			 MS_GFP_PROBE);
	xa_unlock_irqrestore(&ms_mm_kernel_ids, flags);
}

static void ms_mm_release_id(u32 id)
{
	unsigned long flags;
	void *kernel_id;

	xa_lock_irqsave(&ms_mm_kernel_ids, flags);
	kernel_id = __xa_erase(&ms_mm_kernel_ids, id);
	/* Only if the kernel's ID still leads back here. */
	if (xa_is_value(kernel_id))
		xa_cmpxchg(&ms_mm_rmap_ids, xa_to_value(kernel_id),
			   xa_mk_value(id), NULL, MS_GFP_PROBE);
	xa_unlock_irqrestore(&ms_mm_kernel_ids, flags);
	ida_free(&ms_mm_ida, id);
}

int ms_mm_kernel_id(u32 id)
{
	void *entry = xa_load(&ms_mm_kernel_ids, id);

	return xa_is_value(entry) ? xa_to_value(entry) : 0;
}

u32 ms_mm_rmap_id_of_kernel_id(int kernel_id)
{
	void *entry = kernel_id > 0 ? xa_load(&ms_mm_rmap_ids, kernel_id) : NULL;

	return xa_is_value(entry) ? xa_to_value(entry) : 0;
}

/* Called with mm's bucket locked; allocations are atomic and may fail. */
static struct ms_mm_entry *ms_mm_get(const struct mm_struct *mm, bool complete)
{
	struct ms_mm_entry *e = ms_mm_find(mm);
	int id;

	if (e)
		return e;
	if (!ms_may_alloc())
		return NULL;
	e = kmem_cache_zalloc(ms_mm_cache, MS_GFP_PROBE);
	if (!e) {
		ms_count(mm_id_drops);
		return NULL;
	}
	id = ida_alloc_range(&ms_mm_ida, 1, MS_MM_ID_LIMIT - 1,
			     MS_GFP_PROBE);
	if (id < 0) {
		kmem_cache_free(ms_mm_cache, e);
		ms_count(mm_id_drops);
		return NULL;
	}
	e->mm = mm;
	e->id = id;
	e->complete = complete;
	e->epoch = ms_trust_epoch();
	ms_mm_kernel_id_store(id, ms_compat_mm_kernel_id(mm));
	hlist_add_head(&e->node, &ms_mm_bucket(mm)->head);
	atomic_long_inc(&ms_nr_mms);
	return e;
}

u32 ms_mm_account(const struct mm_struct *mm, long delta, bool *copying)
{
	unsigned long flags;
	struct ms_mm_entry *e;
	u32 id = 0;

	if (copying)
		*copying = false;
	if (!mm || !ms_lock(&ms_mm_bucket(mm)->lock, &flags))
		return 0;
	e = ms_mm_get(mm, false);
	if (e) {
		e->total += delta;
		id = e->id;
		if (copying)
			*copying = e->copying > 0;
	}
	ms_unlock(&ms_mm_bucket(mm)->lock, flags);
	return id;
}

bool ms_mm_copying(const struct mm_struct *mm, int delta)
{
	unsigned long flags;
	struct ms_mm_entry *e;

	spin_lock_irqsave(&ms_mm_bucket(mm)->lock, flags);
	e = ms_mm_get(mm, false);
	if (e) {
		e->copying += delta;
		/* Its total misses the copies: it proves nothing at exit. */
		e->complete = false;
	}
	spin_unlock_irqrestore(&ms_mm_bucket(mm)->lock, flags);
	return e;
}

static void ms_mm_free(struct ms_mm_entry *e)
{
	ms_mm_release_id(e->id);
	kmem_cache_free(ms_mm_cache, e);
}

void ms_mm_born(const struct mm_struct *mm)
{
	struct ms_mm_entry *stale;
	unsigned long flags;

	spin_lock_irqsave(&ms_mm_bucket(mm)->lock, flags);
	/*
	 * An entry at this address belongs to an mm whose exit_mmap() we
	 * missed: its rmap ID and kernel MM ID must not pass to the new mm.
	 */
	stale = ms_mm_find(mm);
	if (stale) {
		hlist_del(&stale->node);
		atomic_long_dec(&ms_nr_mms);
	}
	ms_mm_get(mm, true);
	spin_unlock_irqrestore(&ms_mm_bucket(mm)->lock, flags);
	if (stale) {
		ms_count(mm_stale);
		ms_mm_free(stale);
	}
}

void ms_mm_incomplete(const struct mm_struct *mm)
{
	unsigned long flags;
	struct ms_mm_entry *e;

	if (!ms_lock(&ms_mm_bucket(mm)->lock, &flags))
		return;
	e = ms_mm_find(mm);
	if (e)
		e->complete = false;
	ms_unlock(&ms_mm_bucket(mm)->lock, flags);
}

void ms_mm_all_incomplete(void)
{
	unsigned long flags;
	struct ms_mm_entry *e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ms_mm_table); i++) {
		spin_lock_irqsave(&ms_mm_table[i].lock, flags);
		hlist_for_each_entry(e, &ms_mm_table[i].head, node)
			e->complete = false;
		spin_unlock_irqrestore(&ms_mm_table[i].lock, flags);
	}
}

long ms_mm_exit(const struct mm_struct *mm, u32 *id)
{
	unsigned long flags;
	struct ms_mm_entry *e;
	long leak = 0;

	spin_lock_irqsave(&ms_mm_bucket(mm)->lock, flags);
	e = ms_mm_find(mm);
	if (e) {
		hlist_del(&e->node);
		atomic_long_dec(&ms_nr_mms);
	}
	spin_unlock_irqrestore(&ms_mm_bucket(mm)->lock, flags);
	if (!e)
		return 0;
	if (e->complete && e->total) {
		/* Only if no event was lost while it lived. */
		ms_trust_poll();
		if (ms_trust_epoch() == e->epoch) {
			leak = e->total;
			*id = e->id;
		} else {
			ms_count(judge_skips[MS_SKIP_EPOCH]);
		}
	}
	ms_mm_free(e);
	return leak;
}

unsigned long ms_mm_count(void)
{
	return atomic_long_read(&ms_nr_mms);
}

int ms_mm_ids_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ms_mm_table); i++) {
		spin_lock_init(&ms_mm_table[i].lock);
		INIT_HLIST_HEAD(&ms_mm_table[i].head);
	}
	ms_mm_cache = KMEM_CACHE(ms_mm_entry, 0);
	return ms_mm_cache ? 0 : -ENOMEM;
}

/* After every hook is disarmed. */
void ms_mm_ids_exit(void)
{
	struct hlist_node *tmp;
	struct ms_mm_entry *e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ms_mm_table); i++) {
		hlist_for_each_entry_safe(e, tmp, &ms_mm_table[i].head, node) {
			hlist_del(&e->node);
			ms_mm_free(e);
		}
	}
	xa_destroy(&ms_mm_kernel_ids);
	xa_destroy(&ms_mm_rmap_ids);
	ida_destroy(&ms_mm_ida);
	kmem_cache_destroy(ms_mm_cache);
}
