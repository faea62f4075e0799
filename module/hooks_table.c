// SPDX-License-Identifier: GPL-2.0
/*
 * Every hook mapshadow places, one row each.  A row names its target, the
 * mechanism, the handler and the kernels it applies to; a target the running
 * kernel lacks is shown as not armed in debugfs "hooks", never a load error.
 * kprobes on a function entry use ftrace where the kernel allows it.
 * Lifecycle rows (frees, mm birth and death) are armed before the rest: a
 * folio the shadow learns about must never be freed unseen, or its stale
 * entry would meet the next folio at that pfn.
 */
#include <linux/version.h>
#include "hooks.h"

/*
 * rmap primitives: the shadow changes at entry, the update ends at return.
 * Their mechanism, a kretprobe or (fprobes=1) an fprobe: hooks_call.c.
 */
#define RMAP_ROW(sym) {							\
	.target = sym, .kind = MS_HOOK_CALL,				\
	.call_entry = ms_rmap_entry, .call_ret = ms_rmap_ret,		\
	.data_size = sizeof(struct ms_call) }
/* A row the shadow is exact without, where the kernel has no such target. */
#define OPTIONAL_RMAP_ROW(sym) {					\
	.target = sym, .kind = MS_HOOK_CALL,				\
	.call_entry = ms_rmap_entry, .call_ret = ms_rmap_ret,		\
	.data_size = sizeof(struct ms_call), .optional = true }
#define KRETPROBE_ROW(sym, e, r, size) {				\
	.target = sym, .kind = MS_HOOK_KRETPROBE,			\
	.entry = e, .ret = r, .data_size = size }
/* Out-of-line dup helpers take (..., dst_vma, src_vma) from 6.15 on. */
#define DUP_ROW(sym) {							\
	.target = sym, .kind = MS_HOOK_CALL,				\
	.call_entry = ms_dup_entry, .call_ret = ms_dup_ret,		\
	.data_size = sizeof(struct ms_call), .optional = true,	\
	.kernel_min = KERNEL_VERSION(6, 15, 0) }
/* Reports only: the shadow does not depend on it. */
#define REPORT_KPROBE_ROW(sym, fn) \
	{ .target = sym, .kind = MS_HOOK_KPROBE, .pre = fn, .optional = true }
#define TRACEPOINT_ROW(name, fn) \
	{ .target = name, .kind = MS_HOOK_TRACEPOINT, .tp_probe = fn, \
	  .lifecycle = true }
#define LIFECYCLE_KPROBE_ROW(sym, fn, opt) \
	{ .target = sym, .kind = MS_HOOK_KPROBE, .pre = fn, .lifecycle = true, \
	  .optional = opt }
#define LIFECYCLE_KRETPROBE_ROW(sym, e, r, size) {			\
	.target = sym, .kind = MS_HOOK_KRETPROBE,			\
	.entry = e, .ret = r, .data_size = size, .lifecycle = true }

struct ms_hook ms_hooks[MS_NR_HOOKS] = {
	[MS_HOOK_ADD_ANON_PTES] = RMAP_ROW("folio_add_anon_rmap_ptes"),
	[MS_HOOK_ADD_ANON_PMD] = RMAP_ROW("folio_add_anon_rmap_pmd"),
	[MS_HOOK_ADD_NEW_ANON] = RMAP_ROW("folio_add_new_anon_rmap"),
	[MS_HOOK_ADD_FILE_PTES] = RMAP_ROW("folio_add_file_rmap_ptes"),
	[MS_HOOK_ADD_FILE_PMD] = RMAP_ROW("folio_add_file_rmap_pmd"),
	[MS_HOOK_ADD_FILE_PUD] = OPTIONAL_RMAP_ROW("folio_add_file_rmap_pud"),
	[MS_HOOK_REMOVE_PTES] = RMAP_ROW("folio_remove_rmap_ptes"),
	[MS_HOOK_REMOVE_PMD] = RMAP_ROW("folio_remove_rmap_pmd"),
	[MS_HOOK_REMOVE_PUD] = OPTIONAL_RMAP_ROW("folio_remove_rmap_pud"),
	[MS_HOOK_HUGETLB_ADD_ANON] = OPTIONAL_RMAP_ROW("hugetlb_add_anon_rmap"),
	[MS_HOOK_HUGETLB_ADD_NEW_ANON] = OPTIONAL_RMAP_ROW("hugetlb_add_new_anon_rmap"),
	/* Static in 7.x builds (no ftrace site): int3 kretprobes there. */
	[MS_HOOK_DUP_ANON_PTES] = DUP_ROW("folio_try_dup_anon_rmap_ptes"),
	[MS_HOOK_DUP_ANON_PMD] = DUP_ROW("folio_try_dup_anon_rmap_pmd"),
	[MS_HOOK_COPY_PAGE_RANGE] = KRETPROBE_ROW("copy_page_range",
						  ms_copy_page_range_entry,
						  ms_copy_page_range_ret,
						  sizeof(struct ms_copy_call)),
	[MS_HOOK_COPY_HUGE_PMD] = KRETPROBE_ROW("copy_huge_pmd",
						ms_copy_huge_pmd_entry,
						ms_copy_huge_pmd_ret,
						sizeof(struct ms_huge_pmd_call)),
	/* Not exported: found by name with for_each_kernel_tracepoint(). */
	[MS_HOOK_PAGE_FREE] = TRACEPOINT_ROW("mm_page_free", ms_on_page_free),
	/* Frees that never reach the buddy allocator's tracepoint. */
	[MS_HOOK_FREE_HUGE_FOLIO] = LIFECYCLE_KPROBE_ROW("free_huge_folio",
							 ms_on_free_folio, true),
	[MS_HOOK_FREE_ZONE_DEVICE] = LIFECYCLE_KPROBE_ROW("free_zone_device_folio",
							  ms_on_free_folio, true),
	/* print_bad_pte(), print_bad_page_map() and bad_page() all end here. */
	[MS_HOOK_DUMP_PAGE] = REPORT_KPROBE_ROW("dump_page", ms_on_dump_page),
	/* pmd_none_or_clear_bad() and its like: the entry goes, unzapped. */
	[MS_HOOK_PMD_CLEAR_BAD] = REPORT_KPROBE_ROW("pmd_clear_bad",
						    ms_on_pmd_clear_bad),
	[MS_HOOK_PUD_CLEAR_BAD] = REPORT_KPROBE_ROW("pud_clear_bad",
						    ms_on_pud_clear_bad),
	/*
	 * mm_init() serves both fork (dup_mm) and exec (mm_alloc).  Only
	 * mm-leak needs it (an mm seen from birth); a build that inlines it
	 * (the debug kernel) still counts exactly.
	 */
	[MS_HOOK_MM_INIT] = { .target = "mm_init", .kind = MS_HOOK_KRETPROBE,
			      .ret = ms_mm_init_ret, .lifecycle = true,
			      .optional = true },
	[MS_HOOK_EXIT_MMAP] = LIFECYCLE_KRETPROBE_ROW("exit_mmap",
						      ms_exit_mmap_entry,
						      ms_exit_mmap_ret,
						      sizeof(struct ms_exit_call)),
};
