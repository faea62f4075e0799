// SPDX-License-Identifier: GPL-2.0
/*
 * rmap-ID arithmetic (module/rmap_id_math.c): the size classes and their
 * overflow bounds, the "exclusive iff all sums match" property exhaustively
 * on tiny classes and at random on the real ones, a counterexample one
 * mapping past the bound, and the edges.
 */
#include <limits.h>
#include "tap.h"
#include "rmap_id_math.h"

#define ID_MAX MS_RMAP_ID_MASK

/* Deterministic xorshift64*, so every run checks the same cases. */
static u64 rng_state = 1;

static u64 rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static u64 rng_range(u64 lo, u64 hi)
{
	return lo + rng() % (hi - lo + 1);
}

static u32 rng_id(void)
{
	switch (rng() % 8) {
	case 0:
		return 0;
	case 1:
		return ID_MAX;
	default:
		return rng() & ID_MAX;
	}
}

/* base^e, or false if it does not fit in u64. */
static bool pow_fits(u64 base, unsigned int e, u64 *out)
{
	u64 r = 1;

	while (e--) {
		if (__builtin_mul_overflow(r, base, &r))
			return false;
	}
	*out = r;
	return true;
}

/* s(2^bits - 1) = sum of (p+1)^b for b < bits, overflow-checked. */
static bool all_ones_subid(u64 p, unsigned int bits, u64 *out)
{
	u64 s = 0, pw;
	unsigned int b;

	for (b = 0; b < bits; b++) {
		if (!pow_fits(p + 1, b, &pw) || __builtin_add_overflow(s, pw, &s))
			return false;
	}
	*out = s;
	return true;
}

/* Largest p with (p + 1)^bits <= 2^64, i.e. p * s(all ones) fits in u64. */
static u64 max_p_for(unsigned int bits)
{
	u64 lo = 1, hi = 1ull << 32;

	/* Invariant: lo fits, hi does not (bits >= 2) or is the cap. */
	while (lo + 1 < hi) {
		u64 mid = lo + (hi - lo) / 2, s, prod;

		if (all_ones_subid(mid, bits, &s) &&
		    !__builtin_mul_overflow(mid, s, &prod))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void test_classes(void)
{
	unsigned int order, bad_orders[] = { MS_RMAP_MAX_ORDER + 1, 18, 31, UINT_MAX };
	struct ms_rmap_class c;
	unsigned int i;

	tap_diag("order sums bits p       max sub-ID           max sum");
	for (order = 0; order <= MS_RMAP_MAX_ORDER; order++) {
		u64 maxsub = 0, maxsum = 0, next, id_sub;
		bool fits, minimal = true;
		unsigned int x, fewer;

		if (!is_int(ms_rmap_class_of(order, &c), 0, "order %u has a class", order))
			continue;
		ok(c.nr_sums >= 1 && c.nr_sums <= MS_RMAP_MAX_SUMS &&
		   c.nr_sums * c.chunk_bits >= MS_RMAP_ID_BITS &&
		   (c.nr_sums - 1) * c.chunk_bits < MS_RMAP_ID_BITS,
		   "order %u: %u sums of %u bits cover the %u-bit ID, none idle",
		   order, c.nr_sums, c.chunk_bits, MS_RMAP_ID_BITS);
		ok(c.p >= (1ull << order) + 1,
		   "order %u: p=%llu covers %llu pages plus a PMD", order, c.p,
		   1ull << order);

		fits = all_ones_subid(c.p, c.chunk_bits, &maxsub) &&
		       !__builtin_mul_overflow(c.p, maxsub, &maxsum);
		ok(fits, "order %u: p * max sub-ID fits in u64", order);
		ok(!(all_ones_subid(c.p + 1, c.chunk_bits, &next) &&
		     !__builtin_mul_overflow(c.p + 1, next, &next)),
		   "order %u: p=%llu is the largest for %u-bit chunks", order, c.p,
		   c.chunk_bits);
		is_int(c.p, max_p_for(c.chunk_bits), "order %u: p by search", order);

		/* The library's sub-IDs never exceed the all-ones one. */
		id_sub = 0;
		for (x = 0; x < c.nr_sums; x++) {
			u64 s = ms_rmap_subid(&c, ID_MAX, x);

			if (s > id_sub)
				id_sub = s;
		}
		ok(fits && id_sub == maxsub,
		   "order %u: largest sub-ID of ID %#x is the all-ones one", order, ID_MAX);

		/* One sum fewer would force wider chunks and a p too small. */
		fewer = c.nr_sums - 1;
		if (fewer) {
			unsigned int bits = (MS_RMAP_ID_BITS + fewer - 1) / fewer;

			minimal = max_p_for(bits) < (1ull << order) + 1;
		}
		ok(minimal, "order %u: %u sums is the fewest", order, c.nr_sums);
		if (fits)
			tap_diag("%5u %4u %4u %-7llu %-20llu %llu", order, c.nr_sums,
				 c.chunk_bits, c.p, maxsub, maxsum);
	}
	for (i = 0; i < ARRAY_SIZE(bad_orders); i++)
		is_int(ms_rmap_class_of(bad_orders[i], &c), -ERANGE,
		       "order %u is out of range", bad_orders[i]);
}

/* Our construction is the RFC's; its order 6-9 class was not sound. */
static void test_rfc(void)
{
	static const u64 rfc4[] = { 0, 1, 1025, 1026, 1050625, 1050626, 1051650,
				    1051651, 1076890625 };
	struct ms_rmap_class c4 = { .nr_sums = 4, .chunk_bits = 6, .p = 1024 };
	struct ms_rmap_class c5 = { .nr_sums = 5, .chunk_bits = 5, .p = 4096 };
	struct ms_rmap_class c6 = { .nr_sums = 6, .chunk_bits = 4, .p = 32768 };
	u64 s, prod;
	unsigned int v;
	bool same = true;

	for (v = 0; v < ARRAY_SIZE(rfc4); v++)
		same &= ms_rmap_subid(&c4, v, 0) == rfc4[v];
	ok(same, "p=1024 sub-IDs 0..8 match the RFC's rmap_subids_4");
	is_int(ms_rmap_subid(&c4, 63 << 18, 3), 1132513103723526ll,
	       "p=1024 sub-ID of 63 matches the RFC, in chunk 3");
	is_int(ms_rmap_subid(&c5, 31, 0), 281818741907461ll,
	       "p=4096 sub-ID of 31 matches the RFC");
	is_int(ms_rmap_subid(&c6, 15 << 20, 5), 35188667252740ll,
	       "p=32768 sub-ID of 15 matches the RFC, in chunk 5");
	ok(all_ones_subid(512, 8, &s) && __builtin_mul_overflow((u64)512, s, &prod),
	   "the RFC's 3 x 8-bit class with p=512 wraps: 512 * s(255) > 2^64");
}

/*
 * Exhaustive: every multiset of 1..k_max IDs below 2^(nr_sums*chunk_bits),
 * enumerated as non-decreasing sequences with the sums kept by
 * ms_rmap_sums_apply() (+1 going down, -1 coming back).
 */
struct exh {
	const struct ms_rmap_class *c;
	u32 nr_ids;
	u64 sub[64][MS_RMAP_MAX_SUMS];	/* reference sub-IDs */
	u64 sums[MS_RMAP_MAX_SUMS];
	unsigned int k_max;
	bool lib_all;			/* ms_rmap_exclusive() on every candidate */
	unsigned long sets, checks, wrong, beyond_false_excl;
};

static void exh_check(struct exh *e, unsigned int k, u32 first, bool all_same)
{
	unsigned int x;
	u32 a, id;
	int r;

	if (k > e->c->p) {
		/* Past the bound: count candidates the bare test wrongly accepts. */
		for (a = 0; a < e->nr_ids; a++)
			if (!(all_same && a == first) &&
			    ms_rmap_sums_match(e->c, e->sums, k, a))
				e->beyond_false_excl++;
		return;
	}
	e->sets++;
	/* Reference check of the math, every candidate, from the table. */
	for (a = 0; a < e->nr_ids; a++) {
		bool match = true;

		for (x = 0; x < e->c->nr_sums; x++)
			match &= e->sums[x] == k * e->sub[a][x];
		e->checks++;
		if (match != (all_same && a == first))
			e->wrong++;
		if (e->lib_all &&
		    ms_rmap_exclusive(e->c, e->sums, k, a) != (all_same && a == first))
			e->wrong++;
	}
	if (!e->lib_all)
		e->wrong += ms_rmap_exclusive(e->c, e->sums, k, first) != all_same;
	r = ms_rmap_owner(e->c, e->sums, k, &id);
	if (all_same ? r != 1 || id != first : r != 0)
		e->wrong++;
}

static void exh_walk(struct exh *e, unsigned int k, u32 from, u32 first, bool all_same)
{
	u32 a;

	for (a = from; a < e->nr_ids; a++) {
		u32 f = k ? first : a;
		bool same = all_same && (!k || a == first);

		ms_rmap_sums_apply(e->c, e->sums, a, 1);
		exh_check(e, k + 1, f, same);
		if (k + 1 < e->k_max)
			exh_walk(e, k + 1, a, f, same);
		ms_rmap_sums_apply(e->c, e->sums, a, -1);
	}
}

static void test_exhaustive(void)
{
	static const struct {
		u8 nr_sums, chunk_bits;
		u64 p;
		bool past;		/* also walk k = p + 1 */
	} cfg[] = {
		{ 1, 2, 2, true }, { 1, 2, 3, true }, { 1, 3, 2, true },
		{ 1, 3, 3, true }, { 1, 3, 4, true }, { 1, 4, 4, true },
		{ 1, 5, 3, true }, { 2, 2, 2, true }, { 2, 2, 3, true },
		{ 2, 2, 4, true }, { 2, 3, 2, true }, { 2, 3, 3, false },
		{ 2, 3, 4, false }, { 3, 2, 2, true }, { 3, 2, 3, false },
	};
	static struct exh e;
	unsigned int i, x;
	u32 a;

	for (i = 0; i < ARRAY_SIZE(cfg); i++) {
		struct ms_rmap_class c = {
			.nr_sums = cfg[i].nr_sums,
			.chunk_bits = cfg[i].chunk_bits,
			.p = cfg[i].p,
		};

		memset(&e, 0, sizeof(e));
		e.c = &c;
		e.nr_ids = 1u << (c.nr_sums * c.chunk_bits);
		e.k_max = c.p + cfg[i].past;
		e.lib_all = e.nr_ids <= 16;
		for (a = 0; a < e.nr_ids; a++)
			for (x = 0; x < c.nr_sums; x++)
				e.sub[a][x] = ms_rmap_subid(&c, a, x);
		exh_walk(&e, 0, 0, 0, true);

		ok(!e.wrong && !e.sums[0] && !e.sums[c.nr_sums - 1],
		   "exhaustive %u x %u bits, p=%llu: %lu multisets of 1..p, %lu candidates",
		   c.nr_sums, c.chunk_bits, c.p, e.sets, e.checks);
		if (e.wrong)
			tap_diag("%lu wrong answers", e.wrong);
		if (cfg[i].past)
			ok(e.beyond_false_excl > 0,
			   "exhaustive %u x %u bits, p=%llu: %lu false matches at k=p+1",
			   c.nr_sums, c.chunk_bits, c.p, e.beyond_false_excl);
	}
}

/* The bound is tight: p + 1 mappings fool the bare test in every class. */
static void test_limit(void)
{
	struct ms_rmap_class c = { .nr_sums = 1, .chunk_bits = 3, .p = 2 };
	u64 sums[MS_RMAP_MAX_SUMS] = { 0 }, mine[MS_RMAP_MAX_SUMS];
	unsigned int order;
	u32 id = 0;

	/* p = 2, base 3: 3 * s(2) = 9 = s(1) + s(3) + s(3). */
	ms_rmap_sums_apply(&c, sums, 1, 1);
	ms_rmap_sums_apply(&c, sums, 3, 1);
	ok(!ms_rmap_exclusive(&c, sums, 2, 2) && ms_rmap_owner(&c, sums, 2, &id) == 0,
	   "p=2: mms 1 and 3 are seen as shared");
	ms_rmap_sums_apply(&c, sums, 3, 1);
	is_int(sums[0], 9, "p=2: s(1) + s(3) + s(3) = 9 = 3 * s(2)");
	ok(ms_rmap_sums_match(&c, sums, 3, 2),
	   "p=2: three mappings by mms 1, 3, 3 pass the bare test for mm 2 (wrong)");
	ok(!ms_rmap_exclusive(&c, sums, 3, 2), "p=2: exclusive() refuses at mapcount 3");
	is_int(ms_rmap_owner(&c, sums, 3, &id), -EOVERFLOW, "p=2: owner() cannot tell");

	/* Every real class: (p+1) * s(2) = (p+1)^2 = s(1) + p * s(3). */
	for (order = 0; order <= MS_RMAP_MAX_ORDER; order++) {
		u64 fake[MS_RMAP_MAX_SUMS] = { 0 };
		long k;

		ms_rmap_class_of(order, &c);
		k = c.p + 1;
		memset(mine, 0, sizeof(mine));
		ms_rmap_sums_apply(&c, mine, 2, k);
		ms_rmap_sums_apply(&c, fake, 1, 1);
		ms_rmap_sums_apply(&c, fake, 3, k - 1);
		ok(!memcmp(mine, fake, sizeof(mine)) && ms_rmap_sums_match(&c, fake, k, 2) &&
		   !ms_rmap_exclusive(&c, fake, k, 2) &&
		   ms_rmap_owner(&c, fake, k, &id) == -EOVERFLOW,
		   "order %u: p+1=%ld mappings by mms 1 and 3 x p look like mm 2's; refused",
		   order, k);
	}
}

struct map {
	u32 id;
	long n;
};

/* Apply a scenario, check against the truth, undo it; returns failures. */
static unsigned int run_case(const struct ms_rmap_class *c, const struct map *m,
			     unsigned int nr, u32 stranger)
{
	u64 sums[MS_RMAP_MAX_SUMS] = { 0 };
	unsigned int i, fail = 0;
	bool exclusive = true;
	long total = 0;
	u32 id = 0;
	int r;

	for (i = 0; i < nr; i++) {
		ms_rmap_sums_apply(c, sums, m[i].id, m[i].n);
		total += m[i].n;
		if (m[i].id != m[0].id)
			exclusive = false;
	}
	if (total < 1 || (u64)total > c->p)
		return 1;	/* scenario bug */
	for (i = 0; i < nr; i++)
		fail += ms_rmap_exclusive(c, sums, total, m[i].id) != exclusive;
	fail += ms_rmap_exclusive(c, sums, total, stranger) !=
		(exclusive && stranger == m[0].id);
	r = ms_rmap_owner(c, sums, total, &id);
	fail += exclusive ? r != 1 || id != m[0].id : r != 0;
	for (i = 0; i < nr; i++)
		ms_rmap_sums_apply(c, sums, m[i].id, -m[i].n);
	for (i = 0; i < c->nr_sums; i++)
		fail += sums[i] != 0;
	return fail;
}

#define RANDOM_TRIALS 4000
#define RANDOM_MMS 16

static void test_random(void)
{
	unsigned int order;

	for (order = 0; order <= MS_RMAP_MAX_ORDER; order++) {
		unsigned int t, fail = 0, cases = 0;
		struct ms_rmap_class c;
		struct map m[RANDOM_MMS];

		ms_rmap_class_of(order, &c);
		for (t = 0; t < RANDOM_TRIALS; t++) {
			u32 a = rng_id(), b = rng_id();
			long k = rng_range(1, c.p), left;
			unsigned int nr = 0, i;

			switch (t % 7) {
			case 0:		/* one mm, any count */
				m[nr++] = (struct map){ a, k };
				break;
			case 1:		/* p - 1 of one mm and one foreign */
				if (b == a)
					b = a ^ 1;
				m[nr++] = (struct map){ a, c.p - 1 };
				m[nr++] = (struct map){ b, 1 };
				break;
			case 2:		/* p of one mm */
				m[nr++] = (struct map){ a, c.p };
				break;
			case 3:		/* two mms, random split (maybe the same) */
				if (k < 2)
					k = 2;
				left = rng_range(1, k - 1);
				m[nr++] = (struct map){ a, left };
				m[nr++] = (struct map){ rng() % 4 ? b : a, k - left };
				break;
			case 4:		/* a one-bit neighbour */
				if (k < 2)
					k = 2;
				b = a ^ (1u << (rng() % MS_RMAP_ID_BITS));
				left = rng_range(1, k - 1);
				m[nr++] = (struct map){ a, left };
				m[nr++] = (struct map){ b, k - left };
				break;
			case 5:		/* neighbours in one chunk only, p total */
				b = a ^ (1u << (rng() % c.chunk_bits) <<
					 (c.chunk_bits * (rng() % c.nr_sums)));
				b &= ID_MAX;
				if (b == a)
					b = a ^ 1;
				left = rng_range(1, c.p - 1);
				m[nr++] = (struct map){ a, left };
				m[nr++] = (struct map){ b, c.p - left };
				break;
			default:	/* many mms, repeats allowed */
				left = k;
				while (left && nr < RANDOM_MMS) {
					long n = nr == RANDOM_MMS - 1 ? left :
						 (long)rng_range(1, left);
					u32 id = nr && rng() % 3 == 0 ?
						 m[rng() % nr].id : rng_id();

					m[nr++] = (struct map){ id, n };
					left -= n;
				}
				break;
			}
			/* Now and then, in pieces: add 1, then the rest. */
			if (nr < RANDOM_MMS && m[0].n > 1 && rng() % 4 == 0) {
				m[nr] = (struct map){ m[0].id, 1 };
				m[0].n -= 1;
				nr++;
			}
			for (i = 0; i < nr; i++)
				if (m[i].n < 1)
					fail++;
			fail += run_case(&c, m, nr, rng_id());
			cases++;
		}
		ok(!fail, "random, order %u (p=%llu): %u cases", order, c.p, cases);
		if (fail)
			tap_diag("%u failures", fail);
	}
}

/* Going above p wraps the sums; coming back makes them exact again. */
static void test_wrap(void)
{
	unsigned int order;

	for (order = 0; order <= MS_RMAP_MAX_ORDER; order++) {
		u64 sums[MS_RMAP_MAX_SUMS] = { 0 };
		struct ms_rmap_class c;
		u32 id = 0, a = rng_id() | 1;
		bool good = true;

		ms_rmap_class_of(order, &c);
		ms_rmap_sums_apply(&c, sums, a, c.p);
		ms_rmap_sums_apply(&c, sums, ID_MAX, c.p * 3);
		ms_rmap_sums_apply(&c, sums, a ^ 1, 12345);
		good &= !ms_rmap_exclusive(&c, sums, c.p * 4 + 12345, a);
		good &= ms_rmap_owner(&c, sums, c.p * 4 + 12345, &id) == -EOVERFLOW;
		ms_rmap_sums_apply(&c, sums, ID_MAX, -(long)c.p * 3);
		ms_rmap_sums_apply(&c, sums, a ^ 1, -12345);
		good &= ms_rmap_exclusive(&c, sums, c.p, a);
		good &= ms_rmap_owner(&c, sums, c.p, &id) == 1 && id == a;
		ok(good, "order %u: past p and back, the sums are exact again", order);
	}
}

static void test_edges(void)
{
	struct ms_rmap_class c;
	unsigned int order, x;
	u32 id;

	for (order = 0; order <= MS_RMAP_MAX_ORDER; order++) {
		u64 sums[MS_RMAP_MAX_SUMS] = { 0 }, want;
		bool zero = true, exact = true;

		ms_rmap_class_of(order, &c);
		for (x = 0; x < c.nr_sums; x++)
			zero &= !ms_rmap_subid(&c, 0, x);
		ms_rmap_sums_apply(&c, sums, 0, c.p);
		id = 1;
		ok(zero && !sums[0] && ms_rmap_exclusive(&c, sums, c.p, 0) &&
		   !ms_rmap_exclusive(&c, sums, c.p, 1) &&
		   ms_rmap_owner(&c, sums, c.p, &id) == 1 && id == 0,
		   "order %u: ID 0 has sub-IDs 0 and owns p mappings", order);
		ms_rmap_sums_apply(&c, sums, ID_MAX, 1);
		ok(ms_rmap_owner(&c, sums, c.p + 1, &id) == -EOVERFLOW &&
		   !ms_rmap_exclusive(&c, sums, c.p + 1, 0),
		   "order %u: p mappings by ID 0 plus one more: no answer", order);
		ms_rmap_sums_apply(&c, sums, ID_MAX, -1);
		ms_rmap_sums_apply(&c, sums, 0, -(long)c.p);

		ms_rmap_sums_apply(&c, sums, ID_MAX, c.p);
		for (x = 0; x < c.nr_sums; x++)
			exact &= !__builtin_mul_overflow(c.p, ms_rmap_subid(&c, ID_MAX, x),
							  &want) && sums[x] == want;
		ok(exact && ms_rmap_exclusive(&c, sums, c.p, ID_MAX) &&
		   ms_rmap_owner(&c, sums, c.p, &id) == 1 && id == ID_MAX,
		   "order %u: p mappings by ID %#x, largest sums, no overflow", order, ID_MAX);
		ms_rmap_sums_apply(&c, sums, ID_MAX, -1);
		ms_rmap_sums_apply(&c, sums, ID_MAX - 1, 1);
		ok(!ms_rmap_exclusive(&c, sums, c.p, ID_MAX) &&
		   !ms_rmap_exclusive(&c, sums, c.p, ID_MAX - 1) &&
		   ms_rmap_owner(&c, sums, c.p, &id) == 0,
		   "order %u: p-1 by %#x and one by %#x: shared", order, ID_MAX, ID_MAX - 1);

		memset(sums, 0, sizeof(sums));
		ms_rmap_sums_apply(&c, sums, 0x123456 | (1u << MS_RMAP_ID_BITS), 2);
		ok(ms_rmap_exclusive(&c, sums, 2, 0x123456) &&
		   ms_rmap_subid(&c, 0x123456, c.nr_sums) == 0,
		   "order %u: ID bits above %u and sums past nr_sums are ignored", order,
		   MS_RMAP_ID_BITS);
		ok(!ms_rmap_exclusive(&c, sums, 0, 0x123456) &&
		   !ms_rmap_exclusive(&c, sums, -2, 0x123456) &&
		   ms_rmap_owner(&c, sums, 0, &id) == -EINVAL &&
		   ms_rmap_owner(&c, sums, -1, &id) == -EINVAL &&
		   !ms_rmap_decidable(&c, 0) && ms_rmap_decidable(&c, c.p) &&
		   !ms_rmap_decidable(&c, c.p + 1),
		   "order %u: mapcounts outside [1, p] get no answer", order);
	}

	/* Orders 11-12: 5 x 5 bits = 25; the top bit of chunk 4 is no ID bit. */
	ms_rmap_class_of(11, &c);
	{
		u64 sums[MS_RMAP_MAX_SUMS] = { 0 };
		struct ms_rmap_class wide = c;

		wide.nr_sums = 1;
		sums[4] = 3 * ms_rmap_subid(&wide, 0x10, 0);
		is_int(ms_rmap_owner(&c, sums, 3, &id), -EINVAL,
		       "sums decoding to an ID >= 2^%u are invalid", MS_RMAP_ID_BITS);
	}
}

int main(void)
{
	test_classes();
	test_rfc();
	test_exhaustive();
	test_limit();
	test_random();
	test_wrap();
	test_edges();
	return tap_finish();
}
