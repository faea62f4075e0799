// SPDX-License-Identifier: GPL-2.0
/*
 * Folio lifecycle: the mm_page_free tracepoint fires for every buddy free,
 * in any context including hard IRQ, before the page's fields are reset.
 */
#include <linux/mm.h>
#include "hooks.h"
#include "stats.h"

void ms_on_page_free(void *data, struct page *page, unsigned int order)
{
	ms_count(hook_hits[MS_HOOK_PAGE_FREE]);
	ms_count(page_frees);
}
