#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_fuzz_bugs.sh: every kernel bug written up in tests/fuzz/bugs/ (a
# NAME.md with its standalone NAME.c) is replayed by an in-guest test,
# tests/guest/fuzz-bug-*.sh, that builds and runs that C reproducer (the
# harness copies tests/fuzz/bugs/*.c into the guest's work folder).
set -u
here=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(cd "$here/../.." && pwd)}
. "$here/../tap.sh"
tap_begin
n=0
for md in "$TOP"/tests/fuzz/bugs/*.md; do
	[ -e "$md" ] || continue
	name=$(basename "$md" .md)
	n=$((n + 1))
	c="$TOP/tests/fuzz/bugs/$name.c"
	check "$name: has its standalone reproducer ($name.c)" test -s "$c"
	t=$(grep -l "bugs/$name.c" "$TOP"/tests/guest/fuzz-bug-*.sh 2>/dev/null | head -n1)
	check "$name: an in-guest test replays it (${t:+$(basename "$t")})" test -n "$t"
	[ -n "$t" ] || continue
	check "$name: the test runs $name.c from the work folder" \
		grep -q "\$MS_WORK/bugs/$name.c" "$t"
	check "$name: the harness gives the guest tests/fuzz/bugs/*.c" \
		grep -q 'tests/fuzz/bugs/\*.c' "$TOP/tests/vm/run.sh"
done
check "bugs written up: $n" test "$n" -ge 1
tap_totals
