// SPDX-License-Identifier: GPL-2.0
/*
 * The flag-race detector (see races.h): probes on the non-atomic writers
 * of the staged table's flags inventory.  "races=on" copies the inventory,
 * places one probe per write (and per pair's load) disabled, checks each
 * instruction's bytes against the table's, and enables those that match.
 * Atomic writers are listed, not probed.
 *
 * Handlers run in the int3 trap (NMI context) or, once kprobes has
 * optimized them, from a jump: they take no lock of their own, and report
 * through findings.c, which only tries its lock there (probe_lock.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "arch_x86.h"
#include "finding_kinds.h"
#include "findings.h"
#include "folio_live.h"
#include "hooks.h"
#include "race_allow.h"
#include "race_logic.h"
#include "races.h"
#include "stats.h"
#include "sites_table.h"
#include "trace.h"
#include "tracking.h"

struct ms_race_probe {
	struct kprobe kp;		/* the write: rmw, or a pair's store */
	struct kprobe load_kp;		/* a pair's load */
	struct ms_race race;
	u32 word_offset;		/* of the word from its page or folio */
	int store_src;			/* a pair's stored register, or -1 */
	const char *state;		/* "armed", or why not */
	struct kprobe replay_kp;	/* replay=on: this atomic writer, made plain */
	const struct ms_race_allow *allow;
	bool kp_on, load_on, replay_on;	/* registered */
	atomic_long_t hits, reachable, lost, unmatched, bad, changes, replays;
	atomic_t reported;		/* flag-race: once per arming */
	atomic_t widen_reported;	/* a widened window's change: once */
};

struct ms_race_set {
	struct ms_race_probe *probes;
	unsigned int nr, armed;
};

/* Under ms_sites_lock; the handlers reach their probe through kp. */
static struct ms_race_set *ms_race_set;
/* widen=US: how long a non-atomic write's window is held open. */
static unsigned int ms_race_widen_us;

/* A pair's load, waiting for its store on this CPU. */
struct ms_pair_slot {
	const struct ms_race_probe *rp;
	const struct task_struct *task;
	unsigned long word;
	unsigned long loaded;
	const struct ms_race_probe *other;	/* an atomic writer since */
};

static DEFINE_PER_CPU(struct ms_pair_slot, ms_pair_slot);

bool ms_races_armed(void)
{
	return READ_ONCE(ms_race_set);
}

/* The flags word an instruction's operand lies in (sitetable_parse.h). */
static unsigned long ms_race_word(const struct pt_regs *regs,
				  const struct ms_race_insn *insn)
{
	return (ms_arch_reg(regs, insn->base) + insn->disp) & ~7UL;
}

/* The page or folio whose word is at word, or NULL. */
static struct folio *ms_race_folio(const struct ms_race_probe *rp,
				   unsigned long word)
{
	struct page *page = ms_memmap_page(word - rp->word_offset);

	return page ? page_folio(page) : NULL;
}

/* Names of the bits in mask, as they mean on this word. */
static void ms_race_bit_names(const struct ms_race_probe *rp, u64 mask,
			      char *buf, size_t len)
{
	static const struct { int bit; const char *name; } head[] = {
		{ PG_locked, "locked" }, { PG_writeback, "writeback" },
		{ PG_referenced, "referenced" }, { PG_uptodate, "uptodate" },
		{ PG_dirty, "dirty" }, { PG_lru, "lru" }, { PG_head, "head" },
		{ PG_waiters, "waiters" }, { PG_active, "active" },
		{ PG_workingset, "workingset" },
		{ PG_owner_priv_1, "owner_priv_1" },
		{ PG_anon_exclusive, "anon_exclusive/mappedtodisk" },
		{ PG_arch_1, "arch_1" }, { PG_reserved, "reserved" },
		{ PG_private, "private" }, { PG_private_2, "private_2" },
		{ PG_reclaim, "reclaim" }, { PG_swapbacked, "swapbacked" },
		{ PG_unevictable, "unevictable" }, { PG_mlocked, "mlocked" },
		{ PG_hwpoison, "hwpoison" },
	}, tail[] = {
		{ PG_anon_exclusive, "anon_exclusive" },
		{ PG_hwpoison, "hwpoison" },
		{ PG_has_hwpoisoned, "has_hwpoisoned" },
		{ PG_large_rmappable, "large_rmappable" },
		{ PG_partially_mapped, "partially_mapped" },
	};
	bool first_page = !MS_WORD_INDEX(rp->race.word);
	size_t n = first_page ? ARRAY_SIZE(head) : ARRAY_SIZE(tail);
	size_t used = 0, i;
	int bit;

	buf[0] = '\0';
	for (bit = 0; bit < 64 && used < len; bit++) {
		const char *name = NULL;

		if (!(mask & BIT_ULL(bit)))
			continue;
		for (i = 0; i < n && !name; i++) {
			if ((first_page ? head[i].bit : tail[i].bit) == bit)
				name = first_page ? head[i].name : tail[i].name;
		}
		if (name)
			used += scnprintf(buf + used, len - used, "%s%s",
					  used ? "|" : "", name);
		else
			used += scnprintf(buf + used, len - used, "%sbit%d",
					  used ? "|" : "", bit);
	}
	if (!used)
		scnprintf(buf, len, "-");
}

static void ms_race_where(const struct ms_race_probe *rp, char *buf,
			  size_t len)
{
	scnprintf(buf, len, "%s+0x%x (%s, %s)", rp->race.function,
		  rp->race.write.offset, rp->race.helper,
		  ms_race_shape_name(rp->race.shape));
}

/*
 * Its mapcount as far as it can be read at this moment: a writer of a
 * large folio's order (folio_set_order() while the folio is made or
 * unmade) runs before its large counters mean anything.
 */
static int ms_race_mapcount(const struct ms_race_probe *rp,
			    struct folio *folio)
{
	if (folio_test_large(folio) && MS_WORD_INDEX(rp->race.word) == 1 &&
	    rp->race.bits_known && (rp->race.bits & 0xff))
		return 0;
	return ms_live_mapcount(folio);
}

/* The rule: a non-atomic write to a folio other CPUs can reach. */
static void ms_race_check_reach(struct ms_race_probe *rp, struct folio *folio)
{
	int mapcount = ms_race_mapcount(rp, folio), refs = folio_ref_count(folio);
	char note[MS_NOTE_LEN], where[128], why[32], bits[64];
	unsigned int reach;
	int ref_max = 1;

	if (rp->allow) {
		if (!rp->allow->refs_per_page)
			return;
		ref_max += rp->allow->refs_per_page * folio_nr_pages(folio);
	}
	reach = ms_race_reach(mapcount, folio_test_lru(folio), refs, ref_max);
	if (!reach)
		return;
	atomic_long_inc(&rp->reachable);
	if (atomic_cmpxchg(&rp->reported, 0, 1))
		return;
	ms_race_where(rp, where, sizeof(where));
	ms_race_reach_str(reach, why, sizeof(why));
	ms_race_bit_names(rp, rp->race.bits_known ? rp->race.bits : 0,
			  bits, sizeof(bits));
	scnprintf(note, sizeof(note),
		  "non-atomic write at %s of %s bits %s while reachable (%s): mapcount %d refcount %d",
		  where, ms_race_word_name(rp->race.word), bits, why,
		  mapcount, refs);
	ms_finding_report_note(MS_FIND_FLAG_RACE, folio, mapcount,
			       MS_SRC_FLAG_SITE, rp->race.function, note);
}

/* A load of word by rp on this CPU: its store will look for it here. */
static struct ms_pair_slot *ms_race_slot_load(const struct ms_race_probe *rp,
					      unsigned long word)
{
	struct ms_pair_slot *slot = this_cpu_ptr(&ms_pair_slot);

	slot->task = current;
	slot->word = word;
	WRITE_ONCE(slot->other, NULL);
	slot->loaded = READ_ONCE(*(unsigned long *)word);
	WRITE_ONCE(slot->rp, rp);
	return slot;
}

/* A lost update: report it, with the atomic writer seen meanwhile. */
static void ms_race_report_lost(struct ms_race_probe *rp, struct folio *folio,
				const struct ms_pair_slot *slot,
				unsigned long mem, unsigned long store)
{
	char note[MS_NOTE_LEN], where[128], by[128], bits[64];
	const struct ms_race_probe *other;
	u64 lost = ms_race_lost_bits(slot->loaded, mem, store);

	if (!lost)
		return;
	atomic_long_inc(&rp->lost);
	ms_race_where(rp, where, sizeof(where));
	ms_race_bit_names(rp, lost, bits, sizeof(bits));
	other = READ_ONCE(slot->other);
	if (other)
		ms_race_where(other, by, sizeof(by));
	else
		strscpy(by, "an unprobed writer", sizeof(by));
	scnprintf(note, sizeof(note),
		  "lost update at %s of %s: %s (loaded 0x%lx, in memory 0x%lx, stored 0x%lx), written meanwhile by %s",
		  where, ms_race_word_name(rp->race.word), bits,
		  slot->loaded, mem, store, by);
	ms_finding_report_note(MS_FIND_FLAG_LOST, folio,
			       ms_race_mapcount(rp, folio), MS_SRC_FLAG_SITE,
			       rp->race.function, note);
}

/* Hold the window open (widen=US); false when widening is off. */
static bool ms_race_widen(void)
{
	unsigned int us = READ_ONCE(ms_race_widen_us);

	if (!us)
		return false;
	ms_count(race_windows);
	udelay(us);
	return true;
}

/*
 * Widening, one instruction: the word read before and after a window
 * held open just before the write.  A foreign change in it is a race the
 * write could have lost, even if this time it did not.
 */
static void ms_race_widen_rmw(struct ms_race_probe *rp, unsigned long word,
			      struct folio *folio)
{
	char note[MS_NOTE_LEN], where[128], bits[64];
	unsigned long before = READ_ONCE(*(unsigned long *)word), after;

	if (!ms_race_widen())
		return;
	after = READ_ONCE(*(unsigned long *)word);
	if (after == before)
		return;
	ms_count(race_window_changes);
	atomic_long_inc(&rp->changes);
	if (atomic_cmpxchg(&rp->widen_reported, 0, 1))
		return;
	ms_race_where(rp, where, sizeof(where));
	ms_race_bit_names(rp, before ^ after, bits, sizeof(bits));
	scnprintf(note, sizeof(note),
		  "widened window of %u us before the non-atomic write at %s of %s: %s changed by another writer (0x%lx, then 0x%lx)",
		  READ_ONCE(ms_race_widen_us), where,
		  ms_race_word_name(rp->race.word), bits, before, after);
	ms_finding_report_note(MS_FIND_FLAG_RACE, folio,
			       ms_race_mapcount(rp, folio), MS_SRC_FLAG_SITE,
			       rp->race.function, note);
}

/* At a pair's store: bits changed since its load that it stores back. */
static void ms_race_check_lost(struct ms_race_probe *rp, unsigned long word,
			       struct folio *folio, struct pt_regs *regs)
{
	struct ms_pair_slot *slot = this_cpu_ptr(&ms_pair_slot);

	if (slot->rp != rp || slot->task != current || slot->word != word) {
		/* Preempted and moved, or the load was not ours. */
		atomic_long_inc(&rp->unmatched);
		slot->rp = NULL;
		return;
	}
	/* Widening a pair holds open the window between its load and store. */
	ms_race_widen();
	if (rp->store_src >= 0)
		ms_race_report_lost(rp, folio, slot,
				    READ_ONCE(*(unsigned long *)word),
				    ms_arch_reg(regs, rp->store_src));
	WRITE_ONCE(slot->rp, NULL);
}

static int ms_race_write_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ms_race_probe *rp = container_of(kp, struct ms_race_probe, kp);
	unsigned long word = ms_race_word(regs, &rp->race.write);
	struct folio *folio;

	atomic_long_inc(&rp->hits);
	folio = ms_race_folio(rp, word);
	if (!folio) {
		atomic_long_inc(&rp->bad);
		return 0;
	}
	if (rp->race.shape == MS_RACE_PAIR)
		ms_race_check_lost(rp, word, folio, regs);
	else
		ms_race_widen_rmw(rp, word, folio);
	ms_race_check_reach(rp, folio);
	return 0;
}

NOKPROBE_SYMBOL(ms_race_write_pre);

/*
 * replay=on (test mode): this atomic writer of bits behaves as the code
 * before the fix did, a plain load and store with the window between
 * (held open by widen=US), and the instruction is skipped.  The rule and
 * the lost-update check run on it as on any non-atomic writer; an atomic
 * writer of the word on another CPU (races=all) names itself meanwhile.
 */
static int ms_race_replay_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ms_race_probe *rp = container_of(kp, struct ms_race_probe,
						replay_kp);
	unsigned long word = ms_race_word(regs, &rp->race.write);
	unsigned long *w = (unsigned long *)word, mem;
	struct folio *folio = ms_race_folio(rp, word);
	struct ms_pair_slot *slot;

	if (!folio)
		return 0;	/* executed as it is */
	atomic_long_inc(&rp->replays);
	ms_count(race_replays);
	ms_race_check_reach(rp, folio);
	slot = ms_race_slot_load(rp, word);
	ms_race_widen();
	mem = READ_ONCE(*w);
	ms_race_report_lost(rp, folio, slot, mem, slot->loaded | rp->race.bits);
	WRITE_ONCE(*w, slot->loaded | rp->race.bits);
	WRITE_ONCE(slot->rp, NULL);
	regs->ip = (unsigned long)kp->addr + rp->race.write.nbytes;
	return 1;
}

NOKPROBE_SYMBOL(ms_race_replay_pre);

/* A post handler keeps kprobes from optimizing the replay probe. */
static void ms_race_replay_post(struct kprobe *kp, struct pt_regs *regs,
				unsigned long flags)
{
}

NOKPROBE_SYMBOL(ms_race_replay_post);

static int ms_race_load_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ms_race_probe *rp = container_of(kp, struct ms_race_probe,
						load_kp);
	unsigned long word = ms_race_word(regs, &rp->race.load);

	this_cpu_write(ms_pair_slot.rp, NULL);
	if (ms_race_folio(rp, word))
		ms_race_slot_load(rp, word);
	return 0;
}

NOKPROBE_SYMBOL(ms_race_load_pre);

/*
 * An atomic writer (races=all): if a pair on any CPU has loaded this word
 * and not stored it yet, this may be the write it will lose; say so.
 */
static int ms_race_atomic_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ms_race_probe *rp = container_of(kp, struct ms_race_probe, kp);
	unsigned long word = ms_race_word(regs, &rp->race.write);
	int cpu;

	atomic_long_inc(&rp->hits);
	for_each_online_cpu(cpu) {
		struct ms_pair_slot *slot = per_cpu_ptr(&ms_pair_slot, cpu);

		if (READ_ONCE(slot->rp) && READ_ONCE(slot->word) == word)
			WRITE_ONCE(slot->other, rp);
	}
	return 0;
}

NOKPROBE_SYMBOL(ms_race_atomic_pre);

/*
 * Place kp at function+offset, disabled, if its bytes are the table's
 * (checked before: a probe of ours already there has replaced them).
 */
static const char *ms_race_place(struct kprobe *kp, const char *function,
				 const struct ms_race_insn *insn,
				 kprobe_pre_handler_t handler, bool checked,
				 bool *on)
{
	u8 code[MS_SITE_INSN_MAX];

	kp->symbol_name = function;
	kp->offset = insn->offset;
	kp->pre_handler = handler;
	kp->flags = KPROBE_FLAG_DISABLED;
	if (register_kprobe(kp))
		return "cannot-probe";
	*on = true;
	if (checked)
		return NULL;
	if (copy_from_kernel_nofault(code, kp->addr, insn->nbytes))
		return "bytes-differ";
	ms_arch_relock(code, insn->bytes);	/* one CPU: lock became ds */
	if (memcmp(code, insn->bytes, insn->nbytes))
		return "bytes-differ";
	return NULL;
}

/* Every probe of set, in one batch (one RCU grace period, not hundreds). */
static void ms_race_unplace(struct ms_race_set *set)
{
	struct kprobe **kps;
	unsigned int i, n = 0;

	kps = kvmalloc_array(3 * set->nr, sizeof(*kps), GFP_KERNEL | __GFP_NOFAIL);
	for (i = 0; i < set->nr; i++) {
		struct ms_race_probe *rp = &set->probes[i];

		if (rp->kp_on)
			kps[n++] = &rp->kp;
		if (rp->load_on)
			kps[n++] = &rp->load_kp;
		if (rp->replay_on)
			kps[n++] = &rp->replay_kp;
		rp->kp_on = false;
		rp->load_on = false;
		rp->replay_on = false;
	}
	if (n)
		unregister_kprobes(kps, n);
	kvfree(kps);
}

static void ms_race_prepare(struct ms_race_probe *rp, bool all)
{
	const struct ms_race *r = &rp->race;

	rp->word_offset = ms_word_offset(r->word);
	rp->store_src = r->shape == MS_RACE_PAIR ?
		ms_race_store_src(r->write.bytes, r->write.nbytes) : -1;
	rp->allow = ms_race_allowed(r);
	if (r->shape == MS_RACE_ATOMIC && !all)
		rp->state = "listed";
	else if (r->flags & MS_RACE_F_AMBIGUOUS)
		rp->state = "ambiguous-symbol";
	else
		rp->state = NULL;	/* to be placed */
}

int ms_races_arm(bool all)
{
	struct ms_site_table *t;
	struct ms_race_set *set;
	unsigned int i;

	mutex_lock(&ms_sites_lock);
	t = ms_sites_staged;
	if (ms_race_set || !t || !t->nr_races) {
		pr_warn("races: %s\n", ms_race_set ? "already armed" :
			"no site table with a flags inventory staged");
		mutex_unlock(&ms_sites_lock);
		return ms_race_set ? -EBUSY : -ENOENT;
	}
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (set)
		set->probes = vzalloc(array_size(t->nr_races, sizeof(*set->probes)));
	if (!set || !set->probes) {
		kfree(set);
		mutex_unlock(&ms_sites_lock);
		return -ENOMEM;
	}
	set->nr = t->nr_races;
	for (i = 0; i < set->nr; i++) {
		struct ms_race_probe *rp = &set->probes[i];

		rp->race = t->races[i];
		ms_race_prepare(rp, all);
		if (rp->state)
			continue;
		rp->state = ms_race_place(&rp->kp, rp->race.function,
					  &rp->race.write,
					  rp->race.shape == MS_RACE_ATOMIC ?
					  ms_race_atomic_pre : ms_race_write_pre,
					  false, &rp->kp_on);
		if (!rp->state && rp->race.shape == MS_RACE_PAIR)
			rp->state = ms_race_place(&rp->load_kp, rp->race.function,
						  &rp->race.load, ms_race_load_pre,
						  false, &rp->load_on);
		if (rp->state) {
			if (rp->kp_on)
				unregister_kprobe(&rp->kp);
			if (rp->load_on)
				unregister_kprobe(&rp->load_kp);
			rp->kp_on = false;
			rp->load_on = false;
			continue;
		}
		rp->state = "armed";
		set->armed++;
	}
	/* Loads first: a store never waits for a load that was not seen. */
	for (i = 0; i < set->nr; i++)
		if (set->probes[i].load_on)
			enable_kprobe(&set->probes[i].load_kp);
	for (i = 0; i < set->nr; i++)
		if (set->probes[i].kp_on)
			enable_kprobe(&set->probes[i].kp);
	WRITE_ONCE(ms_race_set, set);
	trace_state("races", all ? "all" : "on");
	pr_info("races: %u of %u flag writers armed (%u non-atomic%s)\n",
		set->armed, t->nr_races, t->nr_races_nonatomic,
		all ? ", atomic ones too" : "");
	mutex_unlock(&ms_sites_lock);
	return 0;
}

void ms_races_disarm(void)
{
	struct ms_race_set *set;

	mutex_lock(&ms_sites_lock);
	set = ms_race_set;
	WRITE_ONCE(ms_race_set, NULL);
	mutex_unlock(&ms_sites_lock);
	if (!set)
		return;
	trace_state("races", "off");
	/* unregister_kprobe() waits for running handlers. */
	ms_race_unplace(set);
	vfree(set->probes);
	kfree(set);
	pr_info("races: disarmed\n");
}

static unsigned int ms_race_replaying(const struct ms_race_set *set)
{
	unsigned int i, n = 0;

	for (i = 0; i < set->nr; i++)
		n += set->probes[i].replay_on;
	return n;
}

/* The writers replay=on makes plain: the fix of the 6.12.7 bug. */
static bool ms_race_replayable(const struct ms_race *r)
{
	return r->shape == MS_RACE_ATOMIC && r->bits_known && r->bits &&
	       !strcmp(r->helper, "folio_set_partially_mapped");
}

int ms_races_replay(bool on)
{
	struct ms_race_set *set;
	unsigned int i, n = 0;
	int err = 0;

	mutex_lock(&ms_sites_lock);
	set = ms_race_set;
	if (!set) {
		pr_warn("races: replay needs races=on first\n");
		err = -ENOENT;
		goto out;
	}
	for (i = 0; i < set->nr; i++) {
		struct ms_race_probe *rp = &set->probes[i];
		const char *why;

		if (!on && rp->replay_on) {
			unregister_kprobe(&rp->replay_kp);
			rp->replay_on = false;
			continue;
		}
		if (!on || rp->replay_on || !ms_race_replayable(&rp->race))
			continue;
		memset(&rp->replay_kp, 0, sizeof(rp->replay_kp));
		rp->replay_kp.post_handler = ms_race_replay_post;
		why = ms_race_place(&rp->replay_kp, rp->race.function,
				    &rp->race.write, ms_race_replay_pre,
				    rp->kp_on, &rp->replay_on);
		if (why) {
			pr_warn("races: replay of %s+0x%x: %s\n",
				rp->race.function, rp->race.write.offset, why);
			if (rp->replay_on)
				unregister_kprobe(&rp->replay_kp);
			rp->replay_on = false;
			continue;
		}
		enable_kprobe(&rp->replay_kp);
		n++;
	}
	if (on) {
		pr_warn("races: TEST MODE: %u writers of PG_partially_mapped replay the bug fixed in 6.12.7 (non-atomic)\n",
			n);
		if (!n)
			err = -ENOENT;
	} else {
		pr_info("races: replay off\n");
	}
out:
	mutex_unlock(&ms_sites_lock);
	return err;
}

void ms_races_set_widen(unsigned int us)
{
	WRITE_ONCE(ms_race_widen_us, us);
	pr_info("races: widening %u us\n", us);
}

unsigned int ms_races_widen_us(void)
{
	return READ_ONCE(ms_race_widen_us);
}

void ms_races_show(struct seq_file *m)
{
	struct ms_race_set *set;
	unsigned int i;

	mutex_lock(&ms_sites_lock);
	set = ms_race_set;
	if (!set) {
		seq_printf(m, "# races off: %u flag writers staged (echo races=on > control)\n",
			   ms_sites_staged ? ms_sites_staged->nr_races : 0);
		mutex_unlock(&ms_sites_lock);
		return;
	}
	seq_printf(m, "# %u of %u flag writers armed; allow-list: %u entries\n",
		   set->armed, set->nr, ms_race_allow_count());
	seq_printf(m, "# widen: %u us; replay: %u writers\n",
		   READ_ONCE(ms_race_widen_us), ms_race_replaying(set));
	seq_puts(m, "# function+offset shape word bits helper state hits reachable lost unmatched changes replays allowed\n");
	for (i = 0; i < set->nr; i++) {
		const struct ms_race_probe *rp = &set->probes[i];

		seq_printf(m, "%s+0x%x %s %s 0x%llx %s %s %ld %ld %ld %ld %ld %ld %s\n",
			   rp->race.function, rp->race.write.offset,
			   ms_race_shape_name(rp->race.shape),
			   ms_race_word_name(rp->race.word),
			   rp->race.bits_known ? rp->race.bits : 0ULL,
			   rp->race.helper, rp->state,
			   atomic_long_read(&rp->hits),
			   atomic_long_read(&rp->reachable),
			   atomic_long_read(&rp->lost),
			   atomic_long_read(&rp->unmatched),
			   atomic_long_read(&rp->changes),
			   atomic_long_read(&rp->replays),
			   rp->allow ? rp->allow->reason : "-");
	}
	mutex_unlock(&ms_sites_lock);
}

void ms_races_exit(void)
{
	ms_races_disarm();
}
