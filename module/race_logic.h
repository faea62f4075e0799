/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flag-race detector's arithmetic (pure: the module and the unit
 * tests build it).
 *
 * A non-atomic read-modify-write of a flags word loads L, computes S from
 * it and stores S.  Any bit another CPU changed meanwhile (memory M at the
 * store differs from L) that the store puts back (S differs from M) is a
 * lost update:  lost = (M ^ L) & (S ^ M).
 */
#ifndef MAPSHADOW_RACE_LOGIC_H
#define MAPSHADOW_RACE_LOGIC_H

#include "pure.h"
#include "sitetable_parse.h"

static inline u64 ms_race_lost_bits(u64 loaded, u64 mem, u64 store)
{
	return (mem ^ loaded) & (store ^ mem);
}

/* Why a folio could be reached by other CPUs at a non-atomic write. */
enum ms_race_reach {
	MS_REACH_MAPPED = 1U << 0,	/* mapped in some page table */
	MS_REACH_LRU = 1U << 1,		/* on an LRU list */
	MS_REACH_REF = 1U << 2,		/* referenced beyond its owner */
};

/*
 * refs: the folio's refcount; ref_max: the most references the writer's
 * own function holds (1: the sole owner).  A frozen or freed folio
 * (refs 0) is reachable by nobody: every path that could write its flags
 * must first take a reference, and fails at 0, LRU walkers included.
 */
static inline unsigned int ms_race_reach(int mapcount, bool lru, int refs,
					 int ref_max)
{
	if (refs <= 0)
		return 0;
	return (mapcount > 0 ? MS_REACH_MAPPED : 0) |
	       (lru ? MS_REACH_LRU : 0) |
	       (refs > ref_max ? MS_REACH_REF : 0);
}

/*
 * The source register of a 64-bit store "mov %reg, disp(%base)" (REX.W
 * 0x89 /r, maybe with REX.R), or -1: the value a pair's store writes.
 */
int ms_race_store_src(const u8 *bytes, unsigned int n);

/* "mapped,lru,ref" (the set bits of reach) into buf; "-" for none. */
void ms_race_reach_str(unsigned int reach, char *buf, size_t len);

#endif /* MAPSHADOW_RACE_LOGIC_H */
