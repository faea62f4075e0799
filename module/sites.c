// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction-level probes on inlined mapcount writes (see sites.h).
 *
 * A table is staged by writing it to debugfs "sites".  Each line is checked
 * as it arrives: the build id must be the running kernel's (its
 * /sys/kernel/notes), the field offsets must be the ones this module was
 * built with.  "sites=on" then places every needed probe disabled, compares
 * the instruction bytes at its address with the table's, and enables them
 * only if every site matches.  The pre-handler runs just before the locked
 * add it sits on, so applying the delta there is exact.
 *
 * Only the counters folio_mapcount() reads are probed: _large_mapcount, and
 * _mapcount of small folios.  A per-page _mapcount site (flag "page")
 * carries its large folio's delta only where the inlined helper updates
 * _large_mapcount without a probe-able instruction of its own (7.x MM-ID
 * kernels: a plain store under the folio's bit lock); elsewhere it is not
 * armed.  Sites the generator could not classify ("unsure") are refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include "event.h"
#include "folio_live.h"
#include "fork.h"
#include "mm_ids.h"
#include "hooks.h"
#include "shadow.h"
#include "sites.h"
#include "sitetable_parse.h"
#include "stats.h"
#include "tracking.h"

#define MS_SITES_MAX 256
#define MS_NT_GNU_BUILD_ID 3	/* ELF note type of the build id */

struct ms_site_probe {
	struct kprobe kp;
	struct ms_site site;
	u8 level;		/* enum ms_level of the folio-level change */
	bool page_is_folio;	/* a per-page site counts for its folio */
	bool armed;
	const char *skip;	/* why not armed */
	unsigned long __percpu *hits;	/* one of its table's */
};

struct ms_site_table {
	struct mutex write_lock;	/* partial, line, error: one writer */
	struct ms_site_probe *probes;
	unsigned long __percpu *hits;	/* MS_SITES_MAX: every hit counts */
	unsigned int nr;
	bool magic, build_id, release;
	char partial[MS_SITE_LINE_MAX + 2];
	size_t partial_len;
	unsigned int line;
	int error;
};

static DEFINE_MUTEX(ms_sites_lock);	/* the loaded table and arming */
static struct ms_site_table *ms_loaded;
static bool ms_armed;
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

static unsigned long ms_reg(struct pt_regs *regs, enum ms_site_reg r)
{
	switch (r) {
	case MS_REG_AX: return regs->ax;
	case MS_REG_BX: return regs->bx;
	case MS_REG_CX: return regs->cx;
	case MS_REG_DX: return regs->dx;
	case MS_REG_SI: return regs->si;
	case MS_REG_DI: return regs->di;
	case MS_REG_BP: return regs->bp;
	case MS_REG_SP: return regs->sp;
	case MS_REG_R8: return regs->r8;
	case MS_REG_R9: return regs->r9;
	case MS_REG_R10: return regs->r10;
	case MS_REG_R11: return regs->r11;
	case MS_REG_R12: return regs->r12;
	case MS_REG_R13: return regs->r13;
	case MS_REG_R14: return regs->r14;
	case MS_REG_R15: return regs->r15;
	default: return 0;
	}
}

static long ms_site_delta(const struct ms_site *s, struct pt_regs *regs)
{
	long v;

	if (s->delta.kind == MS_DELTA_CONST)
		return s->delta.value;
	v = ms_reg(regs, s->delta.reg);
	if (s->delta.width == 32)
		v = (s32)v;
	return s->delta.negate ? -v : v;
}

static int ms_site_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ms_site_probe *sp = container_of(kp, struct ms_site_probe, kp);
	const struct ms_site *s = &sp->site;
	unsigned long addr = ms_reg(regs, s->base) + s->disp;
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
	/* Fork sites map into the child; others (hugetlb) have no mm here. */
	ev.mm = sp->level == MS_LEVEL_HUGETLB ? NULL : ms_fork_child_mm();
	if (!ms_event_admit(&ev, ev.mm ? ev.mm : current->mm))
		return 0;
	ms_event_account(&ev);
	ms_shadow_apply(&ev);
	return 0;
}

NOKPROBE_SYMBOL(ms_site_pre);

/* The build id of the running kernel, from the notes it exports. */
static int ms_kernel_build_id(u8 *id, unsigned int *len)
{
	loff_t pos = 0;
	struct file *f;
	size_t off = 0;
	ssize_t n;
	u8 *buf;
	int err = -ENOENT;

	buf = kmalloc(4096, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	f = filp_open("/sys/kernel/notes", O_RDONLY, 0);
	if (IS_ERR(f)) {
		kfree(buf);
		return PTR_ERR(f);
	}
	n = kernel_read(f, buf, 4096, &pos);
	filp_close(f, NULL);
	while (n > 0 && off + sizeof(struct elf64_note) <= (size_t)n) {
		struct elf64_note *nh = (struct elf64_note *)(buf + off);
		size_t name = ALIGN(nh->n_namesz, 4), desc = ALIGN(nh->n_descsz, 4);
		size_t next = off + sizeof(*nh) + name + desc;

		if (next > (size_t)n)
			break;
		if (nh->n_type == MS_NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
		    !memcmp(buf + off + sizeof(*nh), "GNU", 4) &&
		    nh->n_descsz <= MS_SITE_BUILD_ID_MAX) {
			memcpy(id, buf + off + sizeof(*nh) + name, nh->n_descsz);
			*len = nh->n_descsz;
			err = 0;
			break;
		}
		off = next;
	}
	kfree(buf);
	return err;
}

static u32 ms_field_offset(enum ms_site_counter c)
{
	switch (c) {
	case MS_CNT_MAPCOUNT: return offsetof(struct page, _mapcount);
	case MS_CNT_LARGE_MAPCOUNT: return offsetof(struct folio, _large_mapcount);
	case MS_CNT_ENTIRE_MAPCOUNT: return offsetof(struct folio, _entire_mapcount);
	case MS_CNT_NR_PAGES_MAPPED: return offsetof(struct folio, _nr_pages_mapped);
	default: return U32_MAX;
	}
}

static int ms_table_line(struct ms_site_table *t, const char *line, size_t len)
{
	struct ms_site_line *l;
	u8 id[MS_SITE_BUILD_ID_MAX];
	unsigned int idlen;
	int kind, err = 0;

	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	t->line++;
	kind = ms_site_parse_line(line, len, l);
	if (kind < 0) {
		pr_warn("sites:%u: malformed line (%d)\n", t->line, kind);
		err = kind;
		goto out;
	}
	switch (kind) {
	case MS_SITE_MAGIC:
		t->magic = l->version == MS_SITE_VERSION;
		if (!t->magic) {
			pr_warn("sites:%u: table version %u, this module reads %u\n",
				t->line, l->version, MS_SITE_VERSION);
			err = -EINVAL;
		}
		break;
	case MS_SITE_BUILD_ID:
		err = ms_kernel_build_id(id, &idlen);
		if (err) {
			pr_warn("sites: cannot read the kernel's build id (%d)\n", err);
			break;
		}
		if (idlen != l->build_id.len || memcmp(id, l->build_id.id, idlen)) {
			pr_warn("sites:%u: table is for build id %*phN, the kernel is %*phN\n",
				t->line, l->build_id.len, l->build_id.id, idlen, id);
			err = -EINVAL;
		}
		t->build_id = !err;
		break;
	case MS_SITE_RELEASE:
		if (strcmp(l->release, init_utsname()->release)) {
			pr_warn("sites:%u: table is for %s, the kernel is %s\n",
				t->line, l->release, init_utsname()->release);
			err = -EINVAL;
		}
		t->release = !err;
		break;
	case MS_SITE_FIELD:
		if (l->field.offset != ms_field_offset(l->field.counter)) {
			pr_warn("sites:%u: %s at 0x%x, this module has it at 0x%x\n",
				t->line, ms_site_counter_name(l->field.counter),
				l->field.offset, ms_field_offset(l->field.counter));
			err = -EINVAL;
		}
		break;
	case MS_SITE_SITE:
		if (!t->magic || !t->build_id) {
			pr_warn("sites:%u: site before the header and build id\n", t->line);
			err = -EINVAL;
		} else if (t->nr >= MS_SITES_MAX) {
			pr_warn("sites:%u: more than %d sites\n", t->line, MS_SITES_MAX);
			err = -E2BIG;
		} else {
			t->probes[t->nr++].site = l->site;
		}
		break;
	}
out:
	kfree(l);
	return err;
}

static void ms_table_free(struct ms_site_table *t)
{
	if (t) {
		free_percpu(t->hits);
		vfree(t->probes);
		kfree(t);
	}
}

static unsigned long ms_site_hits(const struct ms_site_probe *sp)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += *per_cpu_ptr(sp->hits, cpu);
	return n;
}

static int ms_sites_open(struct inode *inode, struct file *file)
{
	struct ms_site_table *t;
	unsigned int i;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	mutex_init(&t->write_lock);
	t->probes = vzalloc(array_size(MS_SITES_MAX, sizeof(*t->probes)));
	t->hits = __alloc_percpu(array_size(MS_SITES_MAX, sizeof(unsigned long)),
				 __alignof__(unsigned long));
	if (!t->probes || !t->hits) {
		ms_table_free(t);
		return -ENOMEM;
	}
	for (i = 0; i < MS_SITES_MAX; i++)
		t->probes[i].hits = t->hits + i;
	file->private_data = t;
	return nonseekable_open(inode, file);
}

/* Lines may be split across writes: keep the tail until its newline. */
static ssize_t ms_sites_write_locked(struct ms_site_table *t,
				     const char __user *ubuf, size_t len)
{
	size_t done = 0;

	if (t->error)
		return t->error;
	while (done < len) {
		size_t room = sizeof(t->partial) - t->partial_len;
		size_t n = min(len - done, room);
		char *nl;
		int err;

		if (!n) {
			pr_warn("sites:%u: line too long\n", t->line + 1);
			t->error = -EINVAL;
			return t->error;
		}
		if (copy_from_user(t->partial + t->partial_len, ubuf + done, n))
			return -EFAULT;
		t->partial_len += n;
		done += n;
		while ((nl = memchr(t->partial, '\n', t->partial_len))) {
			size_t line = nl - t->partial + 1;

			err = ms_table_line(t, t->partial, line);
			if (err) {
				t->error = err;
				return err;
			}
			t->partial_len -= line;
			memmove(t->partial, t->partial + line, t->partial_len);
		}
	}
	return len;
}

static ssize_t ms_sites_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct ms_site_table *t = file->private_data;
	ssize_t ret;

	/* Threads sharing the file would interleave lines otherwise. */
	if (mutex_lock_interruptible(&t->write_lock))
		return -EINTR;
	ret = ms_sites_write_locked(t, ubuf, len);
	mutex_unlock(&t->write_lock);
	return ret;
}

/* A complete, valid table replaces the staged one; sites=on arms it. */
static int ms_sites_release(struct inode *inode, struct file *file)
{
	struct ms_site_table *t = file->private_data;

	if (!t->error && t->partial_len &&
	    ms_table_line(t, t->partial, t->partial_len))
		t->error = -EINVAL;
	mutex_lock(&ms_sites_lock);
	if (t->error || !t->magic || !t->build_id || !t->nr) {
		if (!t->error)
			pr_warn("sites: incomplete table ignored (header, build id or sites missing)\n");
	} else if (ms_armed) {
		pr_warn("sites: a table is armed; echo sites=off > control first\n");
	} else {
		ms_table_free(ms_loaded);
		ms_loaded = t;
		t = NULL;
		pr_info("sites: table of %u sites staged; echo sites=on > control to arm\n",
			ms_loaded->nr);
	}
	mutex_unlock(&ms_sites_lock);
	ms_table_free(t);
	return 0;
}

const struct file_operations ms_sites_fops = {
	.owner = THIS_MODULE,
	.open = ms_sites_open,
	.write = ms_sites_write,
	.release = ms_sites_release,
};

static bool ms_helper_is(const struct ms_site *s, const char *part)
{
	return strstr(s->helper, part);
}

/* Which sites the shadow needs, and the level of the change they make. */
static void ms_plan(struct ms_site_table *t)
{
	unsigned int i, j;

	for (i = 0; i < t->nr; i++) {
		struct ms_site_probe *sp = &t->probes[i];
		struct ms_site *s = &sp->site;

		sp->skip = NULL;
		if (s->flags & MS_SITE_F_AMBIGUOUS)
			sp->skip = "ambiguous-symbol";
		else if ((s->flags & MS_SITE_F_OOL) &&
			 (ms_hook_armed(MS_HOOK_DUP_ANON_PTES) ||
			  ms_hook_armed(MS_HOOK_DUP_ANON_PMD)))
			sp->skip = "hooked-by-name";
		else if (s->flags & MS_SITE_F_UNSURE)
			sp->skip = "unsure-page-or-folio";
		else if (s->counter == MS_CNT_ENTIRE_MAPCOUNT ||
			 s->counter == MS_CNT_NR_PAGES_MAPPED)
			sp->skip = "not-needed";
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
	struct ms_site_table *t;
	unsigned int i, armed = 0;
	int cpu, err = 0;

	mutex_lock(&ms_sites_lock);
	t = ms_loaded;
	if (!t) {
		pr_warn("sites: no table staged (cat sites.tbl > sites)\n");
		err = -ENOENT;
		goto out;
	}
	if (ms_armed)
		goto out;
	ms_plan(t);
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
		/* One vCPU: the kernel turns lock prefixes into DS (0x3e). */
		if (!err && code[0] == 0x3e && sp->site.bytes[0] == 0xf0)
			code[0] = 0xf0;
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
	WRITE_ONCE(ms_armed, true);
	ms_fork_sites_changed();
	pr_info("sites: %u of %u sites armed\n", armed, t->nr);
out:
	mutex_unlock(&ms_sites_lock);
	return err;
}

void ms_sites_disarm(void)
{
	mutex_lock(&ms_sites_lock);
	if (ms_armed && ms_loaded) {
		ms_fork_sites_changing();
		WRITE_ONCE(ms_armed, false);
		ms_disarm_locked(ms_loaded);
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
	t = ms_loaded;
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
	ms_table_free(ms_loaded);
	ms_loaded = NULL;
}
