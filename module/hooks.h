/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook table: every place mapshadow hooks the kernel is one row
 * (target, mechanism, handler, kernels).  hooks_table.c holds the rows,
 * hooks.c arms and disarms them, the handlers live in hooks_*.c.
 */
#ifndef MAPSHADOW_HOOKS_H
#define MAPSHADOW_HOOKS_H

#include <linux/kprobes.h>
#include <linux/seq_file.h>

enum ms_hook_id {
	MS_HOOK_ADD_ANON_PTES,
	MS_HOOK_ADD_NEW_ANON,
	MS_HOOK_ADD_FILE_PTES,
	MS_HOOK_REMOVE_PTES,
	MS_HOOK_PAGE_FREE,
	MS_NR_HOOKS,
};

enum ms_hook_kind {
	MS_HOOK_KPROBE,
	MS_HOOK_TRACEPOINT,
};

struct tracepoint;

struct ms_hook {
	/* What the row asks for. */
	const char *target;
	enum ms_hook_kind kind;
	kprobe_pre_handler_t pre;	/* MS_HOOK_KPROBE */
	void *tp_probe;			/* MS_HOOK_TRACEPOINT */
	u32 kernel_min, kernel_max;	/* KERNEL_VERSION range, 0 = open */

	/* What arming got. */
	struct kprobe kp;
	struct tracepoint *tp;
	bool armed;
	const char *reason;		/* why not armed */
};

extern struct ms_hook ms_hooks[MS_NR_HOOKS];

int ms_hooks_arm(void);
void ms_hooks_disarm(void);
unsigned int ms_hooks_armed(void);
void ms_hooks_show(struct seq_file *m);

/* Handlers (hooks_rmap.c, hooks_free.c). */
int ms_on_add_anon_ptes(struct kprobe *p, struct pt_regs *regs);
int ms_on_add_new_anon(struct kprobe *p, struct pt_regs *regs);
int ms_on_add_file_ptes(struct kprobe *p, struct pt_regs *regs);
int ms_on_remove_ptes(struct kprobe *p, struct pt_regs *regs);
void ms_on_page_free(void *data, struct page *page, unsigned int order);

#endif /* MAPSHADOW_HOOKS_H */
