// SPDX-License-Identifier: GPL-2.0
/*
 * mm lifetime.  mm_init() returns every new mm (fork and exec): from then
 * on all of its mappings pass our hooks, so its total must return to zero
 * by the time exit_mmap() has unmapped everything.
 */
#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include "findings.h"
#include "hooks.h"
#include "mm_ids.h"
#include "stats.h"

/* struct mm_struct *mm_init(struct mm_struct *mm, ...) */
int ms_mm_init_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct mm_struct *mm = (struct mm_struct *)regs_return_value(regs);

	ms_count(hook_hits[MS_HOOK_MM_INIT]);
	if (mm)
		ms_mm_born(mm);
	return 0;
}

NOKPROBE_SYMBOL(ms_mm_init_ret);

/* void exit_mmap(struct mm_struct *mm) */
int ms_exit_mmap_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	ms_count(hook_hits[MS_HOOK_EXIT_MMAP]);
	struct ms_exit_call *call = (struct ms_exit_call *)ri->data;

	call->mm = (struct mm_struct *)regs_get_kernel_argument(regs, 0);
	return 0;
}

NOKPROBE_SYMBOL(ms_exit_mmap_entry);

int ms_exit_mmap_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	u32 id = 0;
	struct ms_exit_call *call = (struct ms_exit_call *)ri->data;
	long leak = ms_mm_exit(call->mm, &id);

	if (leak)
		ms_finding_report_mm(id, leak);
	return 0;
}

NOKPROBE_SYMBOL(ms_exit_mmap_ret);
