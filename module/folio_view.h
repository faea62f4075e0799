/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MAPSHADOW_FOLIO_VIEW_H
#define MAPSHADOW_FOLIO_VIEW_H

#include <linux/seq_file.h>
#include "shadow.h"

struct folio;

void ms_folio_show(struct seq_file *m, struct folio *folio,
		   const struct ms_shadow_view *v);

#endif /* MAPSHADOW_FOLIO_VIEW_H */
