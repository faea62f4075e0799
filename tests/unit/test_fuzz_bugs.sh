#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_fuzz_bugs.sh: every kernel bug written up in tests/fuzz/bugs/ (a
# NAME.md with its standalone NAME.c) is replayed by an in-guest test,
# tests/guest/fuzz-bug-*.sh, that carries the same C reproducer (the guest
# sees only tests/guest): the two copies must not drift apart.
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
	t=$(grep -l "tests/fuzz/bugs/$name.c" "$TOP"/tests/guest/fuzz-bug-*.sh 2>/dev/null | head -n1)
	check "$name: an in-guest test replays it (${t:+$(basename "$t")})" test -n "$t"
	[ -n "$t" ] || continue
	check "$name: the test's copy of $name.c is the same" \
		cmp -s "$c" <(sed -n "/^cat > \$FZ\/repro.c <<'C'\$/,/^C\$/p" "$t" | sed '1d;$d')
done
check "bugs written up: $n" test "$n" -ge 1
tap_totals
