/* SPDX-License-Identifier: GPL-2.0 */
/* Instruction-level probes on inlined mapcount writes (a loaded site table). */
#ifndef MAPSHADOW_SITES_H
#define MAPSHADOW_SITES_H

#include <linux/types.h>

/* True while a site table is armed: inlined fork and hugetlb paths are exact. */
bool ms_sites_armed(void);

#endif /* MAPSHADOW_SITES_H */
