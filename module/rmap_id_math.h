/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmap-ID arithmetic: "is this folio mapped by exactly one mm, and which?"
 * from a mapcount and a few 64-bit sums (pure: module and unit tests).
 *
 * Every mm gets an ID in [0, 2^24).  A folio keeps its mapcount and
 * nr_sums 64-bit sums; (un)mapping n units by an mm adds n to the mapcount
 * and n * subid_X(id) to sum X.  While 1 <= mapcount <= p, exactly one mm
 * maps the folio iff sum X == mapcount * subid_X(id) for every X.  The
 * construction, the proof and the choice of p are in rmap_id_math.c.
 *
 * Sums are kept modulo 2^64: a mapcount above p may wrap them, and they
 * are exact again once it is back in [0, p].  A folio with no mappings
 * has all sums 0.
 */
#ifndef MAPSHADOW_RMAP_ID_MATH_H
#define MAPSHADOW_RMAP_ID_MATH_H

#include "pure.h"

#define MS_RMAP_ID_BITS		24
#define MS_RMAP_ID_MASK		((1u << MS_RMAP_ID_BITS) - 1)
#define MS_RMAP_MAX_SUMS	6
#define MS_RMAP_MAX_ORDER	15

/*
 * One size class.  The ID is cut into nr_sums chunks of chunk_bits bits,
 * chunk X (from the low end) giving sum X; answers are exact for up to p
 * mappings.  Any class works with the functions below as long as
 * 1 <= chunk_bits <= MS_RMAP_ID_BITS, nr_sums <= MS_RMAP_MAX_SUMS and
 * (p + 1)^chunk_bits <= 2^64 (tests build tiny ones).
 */
struct ms_rmap_class {
	u8 nr_sums;
	u8 chunk_bits;
	u64 p;
};

int ms_rmap_class_of(unsigned int order, struct ms_rmap_class *c);
u64 ms_rmap_subid(const struct ms_rmap_class *c, u32 id, unsigned int x);
void ms_rmap_sums_apply(const struct ms_rmap_class *c, u64 *sums, u32 id,
			long n);
bool ms_rmap_sums_match(const struct ms_rmap_class *c, const u64 *sums,
			long mapcount, u32 id);
bool ms_rmap_exclusive(const struct ms_rmap_class *c, const u64 *sums,
		       long mapcount, u32 id);
int ms_rmap_owner(const struct ms_rmap_class *c, const u64 *sums,
		  long mapcount, u32 *id);

enum ms_exact {
	MS_EXACT_UNKNOWN,
	MS_EXACT_EXCLUSIVE,
	MS_EXACT_SHARED,
};

/*
 * The exact answer for a mapped folio of this order with these sums; for
 * an exclusive one *owner is the rmap ID, for an unknown one *reason says
 * why.
 */
enum ms_exact ms_rmap_exact(unsigned int order, long mapcount,
			    const u64 *sums, u32 *owner, const char **reason);

/* Whether the sums can answer at this mapcount. */
static inline bool ms_rmap_decidable(const struct ms_rmap_class *c,
				     long mapcount)
{
	return mapcount > 0 && (u64)mapcount <= c->p;
}

#endif /* MAPSHADOW_RMAP_ID_MATH_H */
