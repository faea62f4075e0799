// SPDX-License-Identifier: GPL-2.0
/*
 * rmap-ID arithmetic; see rmap_id_math.h.  After the "precise mapped
 * shared" RFC (David Hildenbrand, <20231124132626.235350-1-david@redhat.com>,
 * mm/rmap_id.c there), with its size classes redone so that nothing wraps.
 *
 * Sub-IDs.  Fix a class with bound p and chunk width c, and let B = p + 1.
 * A chunk value v < 2^c has the sub-ID
 *
 *	s(v) = sum of B^b over the bits b set in v,
 *
 * i.e. v's binary digits read as base-B digits.  Chunk X of the ID (bits
 * X*c .. X*c+c-1) gives sum X.
 *
 * Claim.  If 1 <= k <= p and k*s(a) == s(v_1) + ... + s(v_k), then every
 * v_i == a.
 *
 * Proof.  Let d_b be the number of v_i with bit b set.  Then the right side
 * is sum_b d_b*B^b with 0 <= d_b <= k <= p < B: the d_b are its base-B
 * digits, as no position carries.  The left side is sum_b e_b*B^b with
 * e_b = k if bit b of a is set, else 0; again 0 <= e_b < B, so these are
 * its digits.  Base-B digits are unique, so d_b == e_b for every b: a bit
 * set in a is set in all k of the v_i, a bit clear in a in none of them.
 * Hence v_i == a.  Both sides are at most p*s(2^c - 1) = B^c - 1, so with
 * B^c <= 2^64 the equation holds in u64 exactly as over the integers.
 *
 * Applied to every chunk: if sum X == mapcount * subid_X(id) for every X
 * and 1 <= mapcount <= p, every mapping agrees with id in every chunk, so
 * one mm maps the folio.  The converse is immediate.  Nothing is claimed
 * about other mapcounts.
 *
 * The limit.  With k = p + 1 the digit d_b may reach B and carry: for p = 2
 * (B = 3), 3*s(2) = 9 = s(1) + s(3) + s(3) = 1 + 4 + 4.  Three mappings by
 * mms 1, 3 and 3 look exactly like three by mm 2.
 *
 * Wrapping.  Sums are updated modulo 2^64 (unsigned arithmetic; removal
 * adds (u64)-n * subid).  The stored value is thus the true sum modulo
 * 2^64 whatever happened before, and whenever 0 <= mapcount <= p the true
 * sum is below B^c <= 2^64 and so equal to the stored one.  Going above p
 * and back is harmless.
 *
 * Choosing p.  Two constraints: p >= 2^order + 1, since a PMD-mapped folio
 * being remapped by PTEs briefly carries every PTE and the PMD, and unlike
 * the kernel's readers the shadow sees every intermediate event; and
 * (p + 1)^c <= 2^64 as above.  For each chunk width we take the largest p
 * the second allows, which gives the widest range of decidable mapcounts
 * at no cost, and use the fewest sums (ceil(24 / c)) whose p covers the
 * order:
 *
 *	orders	sums x bits	p	max sub-ID		max sum (p * max sub-ID)
 *	 0-2	1 x 24		5	947676267664323379	4738381338321616895
 *	 3-5	2 x 12		39	430185025641025641	16777215999999999999
 *	 6-7	3 x 8		255	72340172838076673	2^64 - 1
 *	 8-10	4 x 6		1624	11337940328814126	18412815093994140624
 *	11-12	5 x 5		7130	2586203245535305	18439629140666724650
 *	13-15	6 x 4		65535	281479271743489		2^64 - 1
 *
 * The RFC used 3 x 8 bits with p = 512 for orders 6-9, where p * max sub-ID
 * is 513^8 - 1, about 2^72: it wraps.  Three sums force c >= 8 and hence
 * p <= 255, so orders 8 and 9 need a fourth sum.
 *
 * Owner.  Without a candidate, sum X is decoded by division: if sum X ==
 * m*s(v) for some v, then m divides it and the quotient s(v) has base-B
 * digits 0 or 1, which are v's bits (a base-B representation is unique);
 * a remainder, another digit or more digits than a chunk has mean there
 * is no such v.  mm IDs are allocated from 1 up, so the quotient has few
 * digits: the loop ends with them.
 */
#include "pure.h"
#include "rmap_id_math.h"

static const struct {
	u8 max_order;
	struct ms_rmap_class c;
} ms_rmap_classes[] = {
	{ 2, { .nr_sums = 1, .chunk_bits = 24, .p = 5 } },
	{ 5, { .nr_sums = 2, .chunk_bits = 12, .p = 39 } },
	{ 7, { .nr_sums = 3, .chunk_bits = 8, .p = 255 } },
	{ 10, { .nr_sums = 4, .chunk_bits = 6, .p = 1624 } },
	{ 12, { .nr_sums = 5, .chunk_bits = 5, .p = 7130 } },
	{ MS_RMAP_MAX_ORDER, { .nr_sums = 6, .chunk_bits = 4, .p = 65535 } },
};

int ms_rmap_class_of(unsigned int order, struct ms_rmap_class *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ms_rmap_classes); i++) {
		if (order <= ms_rmap_classes[i].max_order) {
			*c = ms_rmap_classes[i].c;
			return 0;
		}
	}
	return -ERANGE;
}

static u32 ms_rmap_chunk(const struct ms_rmap_class *c, u32 id, unsigned int x)
{
	unsigned int shift = x * c->chunk_bits;

	if (shift >= MS_RMAP_ID_BITS)
		return 0;
	return ((id & MS_RMAP_ID_MASK) >> shift) & ((1u << c->chunk_bits) - 1);
}

static u64 ms_rmap_chunk_subid(u64 base, u32 v)
{
	u64 subid = 0, pow = 1;

	while (v) {
		if (v & 1)
			subid += pow;
		v >>= 1;
		if (v)
			pow *= base;
	}
	return subid;
}

/* Sub-ID X of an ID (bits above MS_RMAP_ID_BITS ignored); 0 if x is out of range. */
u64 ms_rmap_subid(const struct ms_rmap_class *c, u32 id, unsigned int x)
{
	if (x >= c->nr_sums)
		return 0;
	return ms_rmap_chunk_subid(c->p + 1, ms_rmap_chunk(c, id, x));
}

/* n mappings by the mm with this ID were added (n > 0) or removed (n < 0). */
void ms_rmap_sums_apply(const struct ms_rmap_class *c, u64 *sums, u32 id,
			long n)
{
	unsigned int x;

	for (x = 0; x < c->nr_sums; x++)
		sums[x] += (u64)n * ms_rmap_subid(c, id, x);
}

/*
 * The bare test sum X == mapcount * subid_X(id) for all X, with no check of
 * the mapcount: it means "exactly this mm" only when ms_rmap_decidable().
 */
bool ms_rmap_sums_match(const struct ms_rmap_class *c, const u64 *sums,
			long mapcount, u32 id)
{
	unsigned int x;

	for (x = 0; x < c->nr_sums; x++) {
		if (sums[x] != (u64)mapcount * ms_rmap_subid(c, id, x))
			return false;
	}
	return true;
}

/*
 * True iff the mm with this ID makes all mapcount mappings.  False when
 * another mm is involved, and also when the mapcount is outside [1, p],
 * where the sums cannot tell.
 */
bool ms_rmap_exclusive(const struct ms_rmap_class *c, const u64 *sums,
		       long mapcount, u32 id)
{
	return ms_rmap_decidable(c, mapcount) &&
	       ms_rmap_sums_match(c, sums, mapcount, id);
}

/*
 * Which mm, if only one, maps the folio.  Returns 1 with *id set when one
 * mm makes all mapcount mappings, 0 when several mms do, -EOVERFLOW when
 * mapcount > p (cannot tell), and -EINVAL when mapcount <= 0 or the sums
 * decode to an ID no mm can have (they cannot come from valid updates).
 */
int ms_rmap_owner(const struct ms_rmap_class *c, const u64 *sums,
		  long mapcount, u32 *id)
{
	unsigned int bits = c->chunk_bits, x, b;
	u64 base = c->p + 1, found = 0, m;

	if (mapcount <= 0)
		return -EINVAL;
	if (!ms_rmap_decidable(c, mapcount))
		return -EOVERFLOW;
	if (bits > MS_RMAP_ID_BITS)
		bits = MS_RMAP_ID_BITS;
	m = mapcount;

	for (x = 0; x < c->nr_sums; x++) {
		u64 q = sums[x] / m;
		u32 v = 0;

		if (q * m != sums[x])
			return 0;
		for (b = 0; q && b < bits; b++) {
			u64 digit = q % base;

			if (digit > 1)
				return 0;
			v |= (u32)digit << b;
			q /= base;
		}
		if (q)
			return 0;
		if (!v)
			continue;
		if (x * bits >= MS_RMAP_ID_BITS)
			return -EINVAL;
		found |= (u64)v << (x * bits);
	}
	if (found > MS_RMAP_ID_MASK)
		return -EINVAL;
	*id = found;
	return 1;
}

enum ms_exact ms_rmap_exact(unsigned int order, long mapcount,
			    const u64 *sums, u32 *owner, const char **reason)
{
	struct ms_rmap_class c;
	int r;

	*reason = "order";
	if (ms_rmap_class_of(order, &c))
		return MS_EXACT_UNKNOWN;
	r = ms_rmap_owner(&c, sums, mapcount, owner);
	if (r == 1)
		return MS_EXACT_EXCLUSIVE;
	if (r == 0)
		return MS_EXACT_SHARED;
	*reason = r == -EOVERFLOW ? "mapcount-too-high" : "inconsistent-sums";
	return MS_EXACT_UNKNOWN;
}
