/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Online validation: after every update that leaves a strict folio with
 * nothing in flight, its shadow is compared with folio_mapcount().  A
 * disagreement becomes a finding only if a re-check a little later, with
 * no change to the shadow in between, still sees it.
 */
#ifndef MAPSHADOW_VALIDATE_H
#define MAPSHADOW_VALIDATE_H

#include <linux/types.h>
#include "tracking.h"

struct folio;
struct ms_trust_snap;

/*
 * kinds: the finding kinds (bits) the folio seems to show; snap: the trust
 * at the time (tracking.h), which the re-check must still find.
 */
void ms_validate_suspect(unsigned long pfn, u32 seq, u8 source, u32 kinds,
			 const struct ms_trust_snap *snap);
void ms_validate_exit(void);

#endif /* MAPSHADOW_VALIDATE_H */
