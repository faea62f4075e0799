// SPDX-License-Identifier: GPL-2.0
/* The flag-race allow-list; see race_allow.h. */
#include <linux/kernel.h>
#include <linux/string.h>
#include "race_allow.h"

/*
 * Each entry was a flag-race finding, explained by reading the code; the
 * closing notes of issue 11 keep the evidence.  NULL-terminated.
 */
static const struct ms_race_allow ms_race_allow_list[] = {
	/*
	 * __folio_migrate_mapping(), mapping case: the new folio is locked,
	 * off the LRU and unmapped; the page cache's references are added
	 * (folio_ref_add(newfolio, nr)) just before, under the xa_lock, and
	 * it is published in the cache by xas_store() only after.  Nobody
	 * else can reach it.  (6.12 suite: refcount 2 on order 0.)
	 */
	{ "__folio_set_swapbacked", "__folio_migrate_mapping", 1,
	  "new folio: the migration's reference and the cache's, published later" },
	/*
	 * folio_add_new_anon_rmap(): a new anon folio about to be mapped for
	 * the first time.  The fault paths add one reference per page they
	 * will map just before (do_anonymous_page(): folio_ref_add(folio,
	 * nr_pages - 1)); it is in no page table (set_ptes() comes after)
	 * and on no LRU (folio_add_lru_vma() after).  (6.12 suite: order 4,
	 * refcount 16.)
	 */
	{ "__folio_set_swapbacked", "folio_add_new_anon_rmap", 1,
	  "new anon folio: one reference per page it is about to map" },
	{ NULL, NULL, 0, NULL }
};

const struct ms_race_allow *ms_race_allowed(const struct ms_race *r)
{
	unsigned int i;

	for (i = 0; ms_race_allow_list[i].helper; i++) {
		const struct ms_race_allow *a = &ms_race_allow_list[i];

		if (strcmp(a->helper, r->helper))
			continue;
		if (!a->function || !strcmp(a->function, r->function))
			return a;
	}
	return NULL;
}

unsigned int ms_race_allow_count(void)
{
	return ARRAY_SIZE(ms_race_allow_list) - 1;
}
