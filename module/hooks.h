/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook table: every place mapshadow hooks the kernel is one row
 * (target, mechanism, handler, kernels).  hooks_table.c holds the rows,
 * hooks.c arms and disarms them, the handlers live in hooks_*.c.
 */
#ifndef MAPSHADOW_HOOKS_H
#define MAPSHADOW_HOOKS_H

#include <linux/fprobe.h>
#include <linux/kprobes.h>
#include <linux/pgtable.h>
#include <linux/seq_file.h>
#include "event.h"
#include "tracking.h"

enum ms_hook_id {
	/* rmap primitives, out of line on every supported kernel */
	MS_HOOK_ADD_ANON_PTES,
	MS_HOOK_ADD_ANON_PMD,
	MS_HOOK_ADD_NEW_ANON,
	MS_HOOK_ADD_FILE_PTES,
	MS_HOOK_ADD_FILE_PMD,
	MS_HOOK_ADD_FILE_PUD,
	MS_HOOK_REMOVE_PTES,
	MS_HOOK_REMOVE_PMD,
	MS_HOOK_REMOVE_PUD,
	MS_HOOK_HUGETLB_ADD_ANON,
	MS_HOOK_HUGETLB_ADD_NEW_ANON,
	/* fork dup helpers, where the compiler emitted them out of line */
	MS_HOOK_DUP_ANON_PTES,
	MS_HOOK_DUP_ANON_PMD,
	/* fork: where the inlined dup helpers run */
	MS_HOOK_COPY_PAGE_RANGE,
	MS_HOOK_COPY_HUGE_PMD,
	/* folio lifecycle */
	MS_HOOK_PAGE_FREE,
	MS_HOOK_FREE_HUGE_FOLIO,
	MS_HOOK_FREE_ZONE_DEVICE,
	/* the kernel's own complaints (bad page, bad PTE/page map) */
	MS_HOOK_DUMP_PAGE,
	MS_HOOK_PMD_CLEAR_BAD,
	MS_HOOK_PUD_CLEAR_BAD,
	/* mm lifetime: rmap IDs and per-mm totals */
	MS_HOOK_MM_INIT,
	MS_HOOK_EXIT_MMAP,
	MS_NR_HOOKS,
	/* sources that are not rows of the table */
	MS_SRC_FORK_WALK = MS_NR_HOOKS,
	MS_SRC_SITE,
	MS_SRC_FLAG_SITE,
	MS_NR_SOURCES,
};

enum ms_hook_kind {
	MS_HOOK_KPROBE,
	MS_HOOK_KRETPROBE,
	MS_HOOK_CALL,		/* a kretprobe, or an fprobe: hooks_call.c */
	MS_HOOK_TRACEPOINT,
};

/*
 * The handlers of an MS_HOOK_CALL row see a call the same way whatever
 * mechanism caught it (hooks_call.c): its first MS_CALL_ARGS arguments on
 * entry, its return value on return, and data kept between the two.  An
 * entry handler that returns non-zero does not want the return.
 */
#define MS_CALL_ARGS 4
typedef int (*ms_call_entry_t)(enum ms_hook_id id, void *data,
			       const unsigned long *args);
typedef void (*ms_call_ret_t)(enum ms_hook_id id, void *data,
			      unsigned long ret);

struct tracepoint;

struct ms_hook {
	/* What the row asks for. */
	const char *target;
	enum ms_hook_kind kind;
	kprobe_pre_handler_t pre;		/* MS_HOOK_KPROBE */
	kretprobe_handler_t entry, ret;		/* MS_HOOK_KRETPROBE */
	ms_call_entry_t call_entry;		/* MS_HOOK_CALL */
	ms_call_ret_t call_ret;
	size_t data_size;
	void *tp_probe;				/* MS_HOOK_TRACEPOINT */
	u32 kernel_min;				/* KERNEL_VERSION, 0: any */
	bool lifecycle;				/* armed before the others */
	bool optional;				/* the shadow is exact without it */

	/* What arming got. */
	struct kretprobe krp;			/* .kp used for kprobes too */
	struct fprobe fp;			/* MS_HOOK_CALL, when fprobe */
	bool fprobe;				/* fp armed rather than krp */
	struct tracepoint *tp;
	bool armed;
	const char *reason;			/* why not armed */
};

extern struct ms_hook ms_hooks[MS_NR_HOOKS];

bool ms_test_fail(const char *target);
int ms_hooks_arm(void);
void ms_hooks_disarm(void);
unsigned int ms_hooks_armed(void);
bool ms_hook_armed(enum ms_hook_id id);
unsigned long ms_hooks_missed(void);
void ms_hooks_show(struct seq_file *m);
const char *ms_source_name(unsigned int source);

/* The hook a probe handler runs for. */
static inline enum ms_hook_id ms_hook_of_kp(struct kprobe *kp)
{
	return container_of(kp, struct ms_hook, krp.kp) - ms_hooks;
}

static inline enum ms_hook_id ms_hook_of_ri(struct kretprobe_instance *ri)
{
	return container_of(get_kretprobe(ri), struct ms_hook, krp) - ms_hooks;
}

/*
 * What each kretprobe keeps between its entry and return handlers; the
 * table sizes every row's instance data from these.
 */
struct ms_call {			/* hooks_rmap.c */
	struct ms_event ev;
	bool counted;		/* passed the tracking state and the filter */
	bool tracked;		/* has a shadow entry */
};

struct ms_copy_call {			/* hooks_fork.c: copy_page_range */
	struct vm_area_struct *dst;
	unsigned int sites_gen;
	bool sites;		/* a site table saw the copy */
	bool stashed;		/* the child's mm is in a fork slot */
	bool copying;		/* the child's mm knows it is being copied */
};

struct ms_huge_pmd_call {		/* hooks_fork.c: copy_huge_pmd */
	pmd_t *dst_pmd;
	struct folio *folio;
	struct mm_struct *dst_mm;
	unsigned int sites_gen;
};

struct ms_exit_call {			/* hooks_mm.c: exit_mmap */
	struct mm_struct *mm;
};

/* The mechanisms of MS_HOOK_CALL rows: hooks_call.c */
int ms_call_arm(struct ms_hook *h, int maxactive);
int ms_krp_arm(struct ms_hook *h, kretprobe_handler_t entry,
	       kretprobe_handler_t ret, int maxactive);
void ms_call_disarm(struct ms_hook *h);
unsigned long ms_call_missed(struct ms_hook *h);
bool ms_call_fprobe(struct ms_hook *h);

/* Handlers: hooks_rmap.c */
int ms_rmap_entry(enum ms_hook_id id, void *data, const unsigned long *args);
void ms_rmap_ret(enum ms_hook_id id, void *data, unsigned long ret);
int ms_dup_entry(enum ms_hook_id id, void *data, const unsigned long *args);
void ms_dup_ret(enum ms_hook_id id, void *data, unsigned long ret);
/* hooks_fork.c */
int ms_copy_page_range_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int ms_copy_page_range_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
int ms_copy_huge_pmd_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int ms_copy_huge_pmd_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
/* hooks_free.c */
void ms_on_page_free(void *data, struct page *page, unsigned int order);
int ms_on_free_folio(struct kprobe *p, struct pt_regs *regs);
/* hooks_mm.c */
int ms_mm_init_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
int ms_exit_mmap_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int ms_exit_mmap_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
/* hooks_report.c */
int ms_on_dump_page(struct kprobe *p, struct pt_regs *regs);
int ms_on_pmd_clear_bad(struct kprobe *p, struct pt_regs *regs);
int ms_on_pud_clear_bad(struct kprobe *p, struct pt_regs *regs);

#endif /* MAPSHADOW_HOOKS_H */
