/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the kernel's own counters of a folio. */
#ifndef MAPSHADOW_FOLIO_LIVE_H
#define MAPSHADOW_FOLIO_LIVE_H

#include <linux/mm.h>

/* What the kernel answers for folio_mapcount() right now. */
static inline int ms_live_mapcount(struct folio *folio)
{
	return folio_mapcount(folio);
}

#endif /* MAPSHADOW_FOLIO_LIVE_H */
