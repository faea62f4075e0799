#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_fuzz_title.sh: the fuzz lane's failure titles (fuzz_title_of in
# tests/guest/lib.sh, which deduplicates failures and decides whether a
# minimized program still fails the same way).  Real kernel log lines, from
# the lane's runs on 6.12 and 7.3, must give stable titles: the numbers,
# addresses and task names out, the kind and the function in.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(cd "$here/../.." && pwd)}
. "$here/../tap.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# lib.sh sources the TAP helper from the guest's work folder.
mkdir -p "$t/guest"
cp "$TOP/tests/tap.sh" "$t/guest/"
MS_WORK=$t MS_BIN=$t MS_KO=$t
# shellcheck source=../guest/lib.sh
. "$TOP/tests/guest/lib.sh"
tap_begin

title() { printf '%s\n' "$@" | fuzz_title_of; }
same() {	# same DESC WANT LINE...
	local desc=$1 want=$2 got
	shift 2
	got=$(title "$@")
	check "$desc: '$got'" test "$got" = "$want"
}

same "mapshadow's kind and function stay whole (mm inside them)" \
	'BUG: mapshadow: mm-leak in exit_mmap' \
	'BUG: mapshadow: mm-leak in exit_mmap'
same "a mapshadow underflow" \
	'BUG: mapshadow: underflow in folio_remove_rmap_ptes' \
	'folio: pfn 0x1234 order 0' 'BUG: mapshadow: underflow in folio_remove_rmap_ptes'
same "the kernel's rss counter: mm, comm and pid out, in any case" \
	'BUG: Bad rss-counter state mm X type:MM_FILEPAGES val:X Comm X Pid X' \
	'BUG: Bad rss-counter state mm:00000000a806f27b type:MM_FILEPAGES val:262144 Comm:msfuzz Pid:1049'
same "the same from another task" \
	'BUG: Bad rss-counter state mm X type:MM_FILEPAGES val:X Comm X Pid X' \
	'BUG: Bad rss-counter state mm:00000000f8391fde type:MM_FILEPAGES val:512 Comm:ksmd Pid:43'
same "a page-table entry the kernel cleared as bad" \
	'mm/pgtable-generic.c:X: bad pud X(X)' \
	'mm/pgtable-generic.c:44: bad pud 0000000035a2a1c0(80000001400008e7)'
same "the first report wins" \
	'mm/pgtable-generic.c:X: bad pud X(X)' \
	'mm/pgtable-generic.c:44: bad pud 000000007983b0d5(80000001400008e7)' \
	'BUG: mapshadow: mm-leak in exit_mmap'
same "a bad page state" \
	'BUG: Bad page state in process X  pfn:X' \
	'BUG: Bad page state in process msfuzz  pfn:1a2b3'
same "a warning: its file and function stay" \
	'WARNING: CPU: N PID: N at mm/rmap.c:X __folio_add_rmap+X/X' \
	'WARNING: CPU: 1 PID: 977 at mm/rmap.c:1500 __folio_add_rmap+0x1c/0x2a0'
same "no report, no title" '' 'msfuzz: ops=150' '[ 1.0] random: crng init done'
tap_totals
