/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kind of finding, in one list (pure: the module, the CLI in
 * debugfs-tools and the unit tests all read it).  Adding a kind is one
 * line here plus its detector.
 *
 *   X(ID, "name", once)
 *
 * once: the folio's own state shows it until the folio is freed, so it is
 * reported once per folio, not at every check.
 */
#ifndef MAPSHADOW_FINDING_KINDS_H
#define MAPSHADOW_FINDING_KINDS_H

#include "pure.h"

/* Unit tests add a kind here to prove every user follows the list. */
#ifndef MS_FINDING_KINDS_TEST
#define MS_FINDING_KINDS_TEST(X)
#endif

#define MS_FINDING_KINDS(X)						\
	/* the shadow against folio_mapcount(), seen twice */		\
	X(MISMATCH, "mismatch", 0)					\
	X(LIVE_UNMAPPED, "live-unmapped", 0)				\
	X(SHADOW_UNMAPPED, "shadow-unmapped", 0)			\
	/* a shadow or raw counter below zero */			\
	X(UNDERFLOW, "underflow", 1)					\
	X(FREED_MAPPED, "freed-mapped", 0)				\
	/* the kernel complained itself (bad page, bad PTE) */		\
	X(KERNEL_REPORT, "kernel-report", 0)				\
	/* it cleared an entry mapping a folio as bad: no rmap removal */ \
	X(MAPPING_DROPPED, "mapping-dropped", 0)			\
	/* an mm torn down with mappings left: a missed removal */	\
	X(MM_LEAK, "mm-leak", 0)					\
	/* the kernel's words against each other (kernel_rules.h) */	\
	X(LARGE_VS_PAGES, "large-vs-pages", 1)				\
	X(NR_PAGES_MAPPED, "nr-pages-mapped", 1)			\
	X(ENTIRELY_MAPPED, "entirely-mapped", 1)			\
	X(MM_SLOTS, "mm-slots", 1)					\
	X(MM_SHARED_BIT, "mm-shared-bit", 1)				\
	/* its "mapped shared" answer broke its promise */		\
	X(SHARED_MISSED, "shared-missed", 1)				\
	X(BAD_SLOT, "bad-slot", 1)					\
	/* a non-atomic write of a flags word others can write */	\
	X(FLAG_RACE, "flag-race", 0)					\
	X(FLAG_LOST, "flag-lost", 0)					\
	MS_FINDING_KINDS_TEST(X)

#define MS_FIND_ENUM_(id, name, once) MS_FIND_##id,
enum ms_finding_kind {
	MS_FINDING_KINDS(MS_FIND_ENUM_)
	MS_NR_FIND_KINDS,
};

#undef MS_FIND_ENUM_

/* Kinds a folio reports once in its life: they persist until it is freed. */
#define MS_FIND_ONCE_(id, name, once) | ((once) ? 1U << MS_FIND_##id : 0)
#define MS_FIND_ONCE_KINDS (0U MS_FINDING_KINDS(MS_FIND_ONCE_))

/* "mismatch", ...; "?" for anything else. */
const char *ms_finding_kind_name(unsigned int kind);

#endif /* MAPSHADOW_FINDING_KINDS_H */
