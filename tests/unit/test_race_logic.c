// SPDX-License-Identifier: GPL-2.0
/*
 * The flag-race arithmetic (module/race_logic.c): lost bits against an
 * exhaustive 3-bit model of a load, a foreign atomic update and a store;
 * the store's source register from real encodings; the reach rule.
 */
#include "tap.h"
#include "race_logic.h"

/*
 * Model: a writer loads L, another CPU flips bits F of memory (an atomic
 * update), the writer stores S = (L & ~clear) | set.  The updates lost
 * are the foreign ones the store undid: bits of F where S differs from
 * L ^ F.
 */
static void lost_model(void)
{
	unsigned int l, f, set, clear, bad = 0, cases = 0;

	for (l = 0; l < 8; l++)
		for (f = 0; f < 8; f++)
			for (set = 0; set < 8; set++)
				for (clear = 0; clear < 8; clear++) {
					u64 s = (l & ~clear) | set;
					u64 m = l ^ f;
					u64 want = f & (s ^ m);

					cases++;
					bad += ms_race_lost_bits(l, m, s) != want;
				}
	ok(bad == 0, "lost bits match the model in %u cases", cases);
	is_int(ms_race_lost_bits(0x10, 0x10, 0x18), 0, "no foreign change: nothing lost");
	is_int(ms_race_lost_bits(0x10, 0x14, 0x18), 0x4,
	       "a bit set in between and stored back clear is lost");
	is_int(ms_race_lost_bits(0x10, 0x14, 0x1c), 0, "the store keeps it: not lost");
	is_int(ms_race_lost_bits(0x10, 0x00, 0x18), 0x10,
	       "a bit cleared in between and stored back set is lost");
}

static void store_src(void)
{
	/* From the 6.12 inventory: mov %rax,(%r15). */
	static const u8 a[] = { 0x49, 0x89, 0x07 };
	/* mov %r8,0x40(%rbx): REX.WR. */
	static const u8 b[] = { 0x4c, 0x89, 0x43, 0x40 };
	/* 32-bit store, register move, a load: none is a flags store. */
	static const u8 c[] = { 0x89, 0x07 };
	static const u8 d[] = { 0x48, 0x89, 0xc7 };
	static const u8 e[] = { 0x49, 0x8b, 0x07 };

	is_int(ms_race_store_src(a, sizeof(a)), MS_REG_AX, "mov %%rax,(%%r15): rax");
	is_int(ms_race_store_src(b, sizeof(b)), MS_REG_R8, "mov %%r8,0x40(%%rbx): r8");
	is_int(ms_race_store_src(c, sizeof(c)), -1, "a 32-bit store: none");
	is_int(ms_race_store_src(d, sizeof(d)), -1, "register to register: none");
	is_int(ms_race_store_src(e, sizeof(e)), -1, "a load: none");
	is_int(ms_race_store_src(a, 1), -1, "truncated: none");
}

static void reach(void)
{
	char buf[32];

	is_int(ms_race_reach(0, false, 1, 1), 0, "sole owner, unmapped, off the LRU: unreachable");
	is_int(ms_race_reach(0, false, 0, 0), 0, "frozen: unreachable");
	is_int(ms_race_reach(0, true, 0, 1), 0, "frozen on the LRU (being freed): unreachable");
	is_int(ms_race_reach(2, false, 3, 1), MS_REACH_MAPPED | MS_REACH_REF,
	       "mapped twice, 3 references: mapped and referenced");
	is_int(ms_race_reach(0, true, 1, 1), MS_REACH_LRU, "on the LRU");
	is_int(ms_race_reach(0, false, 2, 2), 0, "two references where the writer holds two");
	ms_race_reach_str(MS_REACH_MAPPED | MS_REACH_LRU | MS_REACH_REF, buf, sizeof(buf));
	is_str(buf, "mapped,lru,ref", "reasons named");
	ms_race_reach_str(0, buf, sizeof(buf));
	is_str(buf, "-", "no reason: -");
	ms_race_reach_str(MS_REACH_MAPPED | MS_REACH_LRU, buf, 8);
	is_str(buf, "mapped", "a short buffer keeps whole names");
}

int main(void)
{
	tap_plan(20);
	lost_model();
	store_src();
	reach();
	return tap_finish();
}
