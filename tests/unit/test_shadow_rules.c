// SPDX-License-Identifier: GPL-2.0
/* Shadow arithmetic (module/shadow_rules.c): first sight, apply, reshape. */
#include "tap.h"
#include "shadow_rules.h"
#include "shadow_state.h"

static void test_first_sight(void)
{
	struct ms_counts c;

	ms_counts_first_sight(&c, 9, 0);
	is_int(c.state, MS_STATE_STRICT, "unmapped folio is strict at first sight");
	is_int(c.mapcount, 0, "strict starts at 0");
	is_int(c.order, 9, "order recorded");
	ms_counts_first_sight(&c, 0, 3);
	is_int(c.state, MS_STATE_ADOPTED, "mapped folio is adopted at first sight");
	is_int(c.mapcount, 3, "adopted starts at the live count");
}

static void test_apply(void)
{
	struct ms_counts c;

	ms_counts_first_sight(&c, 9, 0);
	is_int(ms_counts_apply(&c, 0, 512), MS_APPLY_OK, "add 512 PTEs");
	is_int(ms_counts_apply(&c, 1, 1), MS_APPLY_OK, "add a PMD");
	is_int(c.mapcount, 513, "mapcount is PTEs plus PMDs");
	is_int(c.levels[0], 512, "pte level");
	is_int(c.levels[1], 1, "pmd level");
	is_int(ms_counts_apply(&c, 1, -1), MS_APPLY_OK, "remove the PMD");
	is_int(ms_counts_apply(&c, 0, -512), MS_APPLY_OK, "remove the PTEs");
	is_int(c.mapcount, 0, "back to zero");
	is_int(ms_counts_apply(&c, 0, -1), MS_APPLY_UNDERFLOW,
	       "strict count below zero is an underflow");
	is_int(ms_counts_apply(&c, 7, 1), MS_APPLY_OK, "unknown level: count only");
	is_int(c.mapcount, 0, "count moved by the unknown level");

	ms_counts_first_sight(&c, 0, 1);
	is_int(ms_counts_apply(&c, 0, -2), MS_APPLY_OK,
	       "adopted count below zero is not an underflow");
}

static void test_quiescent(void)
{
	struct ms_counts c;

	ms_counts_first_sight(&c, 0, 2);
	c.inflight = 1;
	ok(!ms_counts_quiescent_unmapped(&c, 0), "in flight: stays adopted");
	c.inflight = 0;
	ok(!ms_counts_quiescent_unmapped(&c, 1), "still mapped: stays adopted");
	ok(ms_counts_quiescent_unmapped(&c, 0), "unmapped and quiescent: strict");
	is_int(c.state, MS_STATE_STRICT, "state strict");
	is_int(c.mapcount, 0, "count reset to 0");
	ok(!ms_counts_quiescent_unmapped(&c, 0), "already strict: no transition");
	c.state = MS_STATE_UNVERIFIABLE;
	c.mapcount = 5;
	ok(ms_counts_quiescent_unmapped(&c, 0), "unverifiable becomes strict when unmapped");
}

static void test_reshape(void)
{
	struct ms_counts c;

	ms_counts_first_sight(&c, 9, 0);
	ok(!ms_counts_reshape(&c, 0), "unmapped folio takes the new order");
	is_int(c.order, 0, "new order");
	is_int(c.state, MS_STATE_STRICT, "still strict");
	ms_counts_apply(&c, 0, 1);
	ok(ms_counts_reshape(&c, 4), "mapped strict folio reshaped: lost");
	is_int(c.state, MS_STATE_UNVERIFIABLE, "and unverifiable");
}

int main(void)
{
	test_first_sight();
	test_apply();
	test_quiescent();
	test_reshape();
	return tap_finish();
}
