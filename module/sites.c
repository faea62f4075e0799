// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction-level probes on inlined mapcount writes (see sites.h): arming
 * the table sites_load.c staged.
 *
 * "sites=on" places every needed probe disabled, compares
 * the instruction bytes at its address with the table's, and enables them
 * only if every site matches.  The pre-handler runs just before the locked
 * add it sits on, so applying the delta there is exact.
 *
 * Only the counters folio_mapcount() reads are probed: _large_mapcount, and
 * _mapcount of small folios.  A per-page _mapcount site (flag "page")
 * carries its large folio's delta only where the inlined helper updates
 * _large_mapcount without a probe-able instruction of its own (7.x MM-ID
 * kernels: a plain store under the folio's bit lock); elsewhere it is not
 * armed.  A needed site the generator could not classify ("unsure"), or
 * whose name is not unique ("ambiguous"), keeps the whole table unarmed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "event.h"
#include "folio_live.h"
#include "fork.h"
#include "mm_ids.h"
#include "probe_lock.h"
#include "hooks.h"
#include "shadow.h"
#include "arch_x86.h"
#include "sites.h"
#include "sites_table.h"
#include "stats.h"
#include "trace.h"
#include "tracking.h"

static bool ms_armed;

bool ms_test_nmi_lock_busy;
module_param_named(test_nmi_lock_busy, ms_test_nmi_lock_busy, bool, 0600);
MODULE_PARM_DESC(test_nmi_lock_busy, "tests only: every lock a site handler tries is busy");
/* The armed table, for ms_sites_missed() from any context (RCU). */
static struct ms_site_table __rcu *ms_armed_table;

bool ms_sites_armed(void)
{
	return READ_ONCE(ms_armed);
}

/* Hits the armed sites' kprobes skipped (recursion): events we missed. */
unsigned long ms_sites_missed(void)
{
	struct ms_site_table *t;
	unsigned long n = 0;
	unsigned int i;

	rcu_read_lock();
	t = rcu_dereference(ms_armed_table);
	for (i = 0; t && i < t->nr; i++)
		if (t->probes[i].armed)
			n += READ_ONCE(t->probes[i].kp.nmissed);
	rcu_read_unlock();
	return n;
}

static long ms_site_delta(const struct ms_site *s, struct pt_regs *regs)
{
	long v;

	if (s->delta.kind == MS_DELTA_CONST)
		return s->delta.value;
	v = ms_arch_reg(regs, s->delta.reg);
	if (s->delta.width == 32)
		v = (s32)v;
	return s->delta.negate ? -v : v;
}

static int ms_site_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ms_site_probe *sp = container_of(kp, struct ms_site_probe, kp);
	const struct ms_site *s = &sp->site;
	unsigned long addr = ms_arch_reg(regs, s->base) + s->disp;
	struct ms_event ev = {};
	struct folio *folio;
	struct page *page;

	this_cpu_inc(*sp->hits);
	if (!ms_tracking())
		return 0;
	page = ms_memmap_page(addr - (s->counter == MS_CNT_MAPCOUNT ?
				    offsetof(struct page, _mapcount) :
				    offsetof(struct folio, _large_mapcount)));
	if (!page) {
		/* A write we cannot attribute: counts may be off anywhere. */
		ms_count(site_bad_pointers);
		ms_trust_lost(MS_LOSS_MISSED);
		return 0;
	}
	if (s->counter == MS_CNT_MAPCOUNT) {
		folio = page_folio(page);
		/* A small folio's own count, or one page of a large folio. */
		if (folio_test_large(folio) && !sp->page_is_folio)
			return 0;
		ev.pfn = page_to_pfn(page);
		ev.nr = 1;
	} else {
		folio = (struct folio *)page;
		ev.pfn = folio_pfn(folio);
		ev.nr = folio_nr_pages(folio);
	}
	ev.folio = folio;
	ev.delta = ms_site_delta(s, regs);
	ev.level = sp->level;
	ev.source = MS_SRC_SITE;
	ev.where = s->function;
	/* Fork sites map into the child; others (hugetlb) have no mm here. */
	ev.mm = sp->level == MS_LEVEL_HUGETLB ? NULL : ms_fork_child_mm();
	if (!ms_event_admit(&ev, ev.mm ? ev.mm : current->mm))
		return 0;
	ms_event_account(&ev);
	ms_shadow_apply(&ev);
	return 0;
}

NOKPROBE_SYMBOL(ms_site_pre);

static unsigned long ms_site_hits(const struct ms_site_probe *sp)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += *per_cpu_ptr(sp->hits, cpu);
	return n;
}

static bool ms_helper_is(const struct ms_site *s, const char *part)
{
	return strstr(s->helper, part);
}

/*
 * Which sites the shadow needs, and the level of the change they make.
 * Returns the first needed site that cannot be armed (a name kprobes
 * cannot place, a write the generator could not tell page from folio),
 * or NULL: a table missing one of them would miss its writes while the
 * rest of mapshadow believes them followed, so it is not armed at all.
 */
static struct ms_site_probe *ms_plan(struct ms_site_table *t)
{
	struct ms_site_probe *missing = NULL;
	unsigned int i, j;

	for (i = 0; i < t->nr; i++) {
		struct ms_site_probe *sp = &t->probes[i];
		struct ms_site *s = &sp->site;
		bool needed = s->counter == MS_CNT_MAPCOUNT ||
			      s->counter == MS_CNT_LARGE_MAPCOUNT;

		sp->skip = NULL;
		if (!needed)
			sp->skip = "not-needed";
		else if ((s->flags & MS_SITE_F_OOL) &&
			 (ms_hook_armed(MS_HOOK_DUP_ANON_PTES) ||
			  ms_hook_armed(MS_HOOK_DUP_ANON_PMD)))
			sp->skip = "hooked-by-name";
		else if (s->flags & MS_SITE_F_AMBIGUOUS)
			sp->skip = "ambiguous-symbol";
		else if (s->flags & MS_SITE_F_UNSURE)
			sp->skip = "unsure-page-or-folio";
		if (!missing && sp->skip && needed &&
		    (s->flags & (MS_SITE_F_AMBIGUOUS | MS_SITE_F_UNSURE)))
			missing = sp;
		if (ms_helper_is(s, "hugetlb"))
			sp->level = MS_LEVEL_HUGETLB;
		else if (ms_helper_is(s, "pmd"))
			sp->level = MS_LEVEL_PMD;
		else
			sp->level = MS_LEVEL_PTE;
		/*
		 * A per-page site counts for its large folio only where the
		 * helper has no _large_mapcount site of its own; elsewhere it
		 * would fire once per page for nothing (deep mode, not armed).
		 */
		sp->page_is_folio = s->flags & MS_SITE_F_PAGE;
		for (j = 0; j < t->nr && sp->page_is_folio; j++) {
			struct ms_site *o = &t->probes[j].site;

			if (o->counter == MS_CNT_LARGE_MAPCOUNT &&
			    !strcmp(o->function, s->function) &&
			    !strcmp(o->helper, s->helper))
				sp->page_is_folio = false;
		}
		if (!sp->skip && (s->flags & MS_SITE_F_PAGE) && !sp->page_is_folio)
			sp->skip = "per-page";
	}
	return missing;
}

static void ms_disarm_locked(struct ms_site_table *t)
{
	struct kprobe **kps;
	unsigned int i, n = 0;

	RCU_INIT_POINTER(ms_armed_table, NULL);
	synchronize_rcu();

	kps = kcalloc(t->nr, sizeof(*kps), GFP_KERNEL);
	for (i = 0; i < t->nr; i++) {
		if (!t->probes[i].armed)
			continue;
		t->probes[i].armed = false;
		if (kps)
			kps[n++] = &t->probes[i].kp;
		else
			unregister_kprobe(&t->probes[i].kp);
	}
	/* One grace period for all of them. */
	if (kps && n)
		unregister_kprobes(kps, n);
	kfree(kps);
}

/*
 * kprobes resolves a name in modules too: the probe must sit in the core
 * kernel function the table names, at its offset.
 */
static bool ms_site_in_core_kernel(struct ms_site_probe *sp)
{
	char sym[KSYM_SYMBOL_LEN], want[MS_SITE_NAME_MAX + 16];

	sprint_symbol(sym, (unsigned long)sp->kp.addr);
	snprintf(want, sizeof(want), "%s+0x%x/", sp->site.function,
		 sp->site.offset);
	if (!strncmp(sym, want, strlen(want)) && !strchr(sym, '['))
		return true;
	pr_warn("sites: %s+0x%x: resolves to %s, not to the core kernel function\n",
		sp->site.function, sp->site.offset, sym);
	return false;
}

int ms_sites_arm(void)
{
	struct ms_site_probe *missing;
	struct ms_site_table *t;
	unsigned int i, armed = 0;
	int cpu, err = 0;

	mutex_lock(&ms_sites_lock);
	t = ms_sites_staged;
	if (!t) {
		pr_warn("sites: no table staged (cat sites.tbl > sites)\n");
		err = -ENOENT;
		goto out;
	}
	if (ms_armed)
		goto out;
	missing = ms_plan(t);
	if (missing) {
		pr_warn("sites: %s+0x%x is needed but cannot be armed (%s): no site armed\n",
			missing->site.function, missing->site.offset,
			missing->skip);
		err = -EINVAL;
		goto out;
	}
	/* Place all disabled, check every instruction, then enable. */
	for (i = 0; i < t->nr && !err; i++) {
		struct ms_site_probe *sp = &t->probes[i];
		u8 code[MS_SITE_INSN_MAX];

		if (sp->skip)
			continue;
		memset(&sp->kp, 0, sizeof(sp->kp));
		sp->kp.symbol_name = sp->site.function;
		sp->kp.offset = sp->site.offset;
		sp->kp.pre_handler = ms_site_pre;
		sp->kp.flags = KPROBE_FLAG_DISABLED;
		for_each_possible_cpu(cpu)
			per_cpu(*sp->hits, cpu) = 0;
		err = register_kprobe(&sp->kp);
		if (err) {
			pr_warn("sites: %s+0x%x: cannot place a probe (%d)\n",
				sp->site.function, sp->site.offset, err);
			break;
		}
		sp->armed = true;
		err = copy_from_kernel_nofault(code, sp->kp.addr, sp->site.nbytes);
		if (!err)
			ms_arch_relock(code, sp->site.bytes);
		if (!err && memcmp(code, sp->site.bytes, sp->site.nbytes)) {
			pr_warn("sites: %s+0x%x: instruction is %*phN, table says %*phN\n",
				sp->site.function, sp->site.offset,
				sp->site.nbytes, code, sp->site.nbytes,
				sp->site.bytes);
			err = -EILSEQ;
		}
		if (!err && !ms_site_in_core_kernel(sp))
			err = -EINVAL;
	}
	if (err) {
		ms_disarm_locked(t);
		goto out;
	}
	/*
	 * The generation changes before and after the sites come to life:
	 * a fork overlapping that window sees a change and gives up on the
	 * folios it touched instead of counting them twice or not at all.
	 */
	ms_fork_sites_changing();
	for (i = 0; i < t->nr && !err; i++) {
		struct ms_site_probe *sp = &t->probes[i];

		if (!sp->armed)
			continue;
		err = ms_test_fail("site") ? -EBUSY : enable_kprobe(&sp->kp);
		if (err)
			pr_warn("sites: %s+0x%x: cannot enable the probe (%d); no site armed\n",
				sp->site.function, sp->site.offset, err);
		else
			armed++;
	}
	if (err) {
		/* Whole or not at all: the ones enabled may have counted. */
		ms_disarm_locked(t);
		ms_fork_sites_changed();
		ms_trust_lost(MS_LOSS_SITES_OFF);
		goto out;
	}
	rcu_assign_pointer(ms_armed_table, t);
	t->armed = true;
	WRITE_ONCE(ms_armed, true);
	trace_state("sites", "armed");
	ms_fork_sites_changed();
	pr_info("sites: %u of %u sites armed\n", armed, t->nr);
out:
	mutex_unlock(&ms_sites_lock);
	return err;
}

void ms_sites_disarm(void)
{
	mutex_lock(&ms_sites_lock);
	if (ms_armed && ms_sites_staged) {
		ms_fork_sites_changing();
		WRITE_ONCE(ms_armed, false);
		trace_state("sites", "off");
		ms_disarm_locked(ms_sites_staged);
		ms_sites_staged->armed = false;
		ms_fork_sites_changed();
		/*
		 * Folios followed through inlined code (hugetlb maps and
		 * unmaps, fork copies) lose their events from now on.
		 */
		ms_trust_lost(MS_LOSS_SITES_OFF);
		pr_info("sites: disarmed\n");
	}
	mutex_unlock(&ms_sites_lock);
}

/* Rows for the "hooks" file, in its columns. */
void ms_sites_show(struct seq_file *m)
{
	struct ms_site_table *t;
	unsigned int i;

	mutex_lock(&ms_sites_lock);
	t = ms_sites_staged;
	for (i = 0; t && i < t->nr; i++) {
		struct ms_site_probe *sp = &t->probes[i];
		char target[MS_SITE_NAME_MAX + 16];

		snprintf(target, sizeof(target), "%s+0x%x", sp->site.function,
			 sp->site.offset);
		seq_printf(m, "%-32s %-16s %-6s %12lu %8lu %s\n", target,
			   sp->armed && kprobe_optimized(&sp->kp) ?
			   "site-opt" : "site-int3",
			   sp->armed ? "armed" : "off",
			   ms_site_hits(sp),
			   sp->armed ? sp->kp.nmissed : 0,
			   sp->armed ? "-" : sp->skip ? sp->skip : "not-armed");
	}
	mutex_unlock(&ms_sites_lock);
}

/* Module exit, after the other hooks: nothing else uses the table. */
void ms_sites_exit(void)
{
	ms_sites_disarm();
	ms_site_table_free(ms_sites_staged);
	ms_sites_staged = NULL;
}
