// SPDX-License-Identifier: GPL-2.0
/*
 * Every hook mapshadow places, one row each.  A row names its target, the
 * mechanism, the handler and the kernels it applies to; a target the running
 * kernel lacks is shown as not armed in debugfs "hooks", never a load error.
 */
#include "hooks.h"

#define KPROBE_ROW(sym, fn) \
	{ .target = sym, .kind = MS_HOOK_KPROBE, .pre = fn }
#define TRACEPOINT_ROW(name, fn) \
	{ .target = name, .kind = MS_HOOK_TRACEPOINT, .tp_probe = fn }

struct ms_hook ms_hooks[MS_NR_HOOKS] = {
	[MS_HOOK_ADD_ANON_PTES] =
		KPROBE_ROW("folio_add_anon_rmap_ptes", ms_on_add_anon_ptes),
	[MS_HOOK_ADD_NEW_ANON] =
		KPROBE_ROW("folio_add_new_anon_rmap", ms_on_add_new_anon),
	[MS_HOOK_ADD_FILE_PTES] =
		KPROBE_ROW("folio_add_file_rmap_ptes", ms_on_add_file_ptes),
	[MS_HOOK_REMOVE_PTES] =
		KPROBE_ROW("folio_remove_rmap_ptes", ms_on_remove_ptes),
	/* Not exported: found by name with for_each_kernel_tracepoint(). */
	[MS_HOOK_PAGE_FREE] =
		TRACEPOINT_ROW("mm_page_free", ms_on_page_free),
};
