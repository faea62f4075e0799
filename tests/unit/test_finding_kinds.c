// SPDX-License-Identifier: GPL-2.0
/*
 * The module and the CLI share one list of finding kinds
 * (module/finding_kinds.h).  Built here with one kind more ("test-dummy",
 * reported once per folio, see the Makefile): the module's names, its
 * once-per-folio mask and the CLI's parser must all know it, and agree on
 * every other kind, in order.
 */
#include "finding_kinds.h"
#include "ms_parse.h"
#include "tap.h"

int main(void)
{
	unsigned int k, n = 0;

	ok(MS_NR_FIND_KINDS == 18, "17 kinds and the test's own (%d)",
	   MS_NR_FIND_KINDS);
	is_str(ms_finding_kind_name(MS_FIND_TEST_DUMMY), "test-dummy",
	       "the module names the added kind");
	ok(ms_finding_kind_known("test-dummy"), "the CLI knows the added kind");
	ok(MS_FIND_ONCE_KINDS & (1U << MS_FIND_TEST_DUMMY),
	   "the added kind is once per folio, as listed");
	ok(!(MS_FIND_ONCE_KINDS & (1U << MS_FIND_MISMATCH)),
	   "mismatch is not once per folio");
	ok(MS_FIND_ONCE_KINDS & (1U << MS_FIND_BAD_SLOT),
	   "bad-slot is once per folio");
	for (k = 0; k < MS_NR_FIND_KINDS; k++) {
		const char *name = ms_finding_kind_name(k);

		ok(ms_finding_kinds[k] && !strcmp(ms_finding_kinds[k], name),
		   "kind %u: the CLI's list has %s in the same place", k, name);
		ok(ms_finding_kind_known(name), "kind %u: the CLI knows %s", k, name);
	}
	while (ms_finding_kinds[n])
		n++;
	is_int(n, MS_NR_FIND_KINDS, "the CLI's list is as long as the module's");
	is_str(ms_finding_kind_name(MS_NR_FIND_KINDS), "?", "no kind past the end");
	return tap_finish();
}
