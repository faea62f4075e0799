#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_scale_report.sh: tests/bench/scale-report.sh turns bench-scale's
# "# scale-csv: " and "# scale-mem: " lines (as run.sh prints them) into a
# table per kernel, and judges issue 13's scale targets: a met target says
# yes, a missed one "no" and exit status 3; no data is an error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(cd "$here/../.." && pwd)}
. "$here/../tap.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
tap_begin

# report INPUT: runs the report; its output in $t/out, its status in RC.
report() {
	RC=0
	printf '%s\n' "$@" > "$t/in"
	BENCH_OUT=$t/o "$TOP/tests/bench/scale-report.sh" "$t/in" > "$t/out" 2>&1 || RC=$?
}
has() { grep -qF -- "$1" "$t/out"; }

P="# 6.12/bench-scale: # "
report "${P}scale-csv: kernel,test,mib,runs,base_ns,ms_ns,ratio,events_missed,dropped" \
	"${P}scale-csv: k1,fork-small,16,5,1000,1400,1.400,0,0" \
	"${P}scale-csv: k1,fork-small,256,5,16000,22720,1.420,0,0" \
	"${P}scale-csv: k1,fork-small,2048,5,100000,190000,1.900,0,0" \
	"${P}scale-csv: k1,big-fork,5120,1,250000,400000,1.600,0,0" \
	"${P}scale-mem: kernel=k1 mib=5120 ram_mib=6144 folios=1310720 bytes=20000000 entry=8 index=1 per_folio=15 per_4k_ram=12 slab_kb_before=1 slab_kb_after_rmmod=1"
check "every target met: exit 0 ($RC)" test "$RC" = 0
check "a table row per measurement" has "| fork-small | 2048 | 5 | 100000 | 190000 | 1.900x | 0 |"
check "16 vs 256 MiB: +1.4%, met" has "| fork 16 vs 256 MiB within 5% | 1.400x vs 1.420x (+1.4%) | yes |"
check "2048 MiB at 1.9x: met" has "| fork 2048 MiB <= 2x | 1.900x | yes |"
check "12 bytes per 4 KiB: met" has "| <= 16 bytes per 4 KiB of RAM | 12 (15 bytes per folio, 1310720 folios) | yes |"
check "the table is written to BENCH_OUT/scale.md" cmp -s "$t/out" "$t/o/scale.md"

report "${P}scale-csv: k2,fork-small,16,5,1000,6000,6.000,0,0" \
	"${P}scale-csv: k2,fork-small,256,5,16000,112000,7.000,0,0" \
	"${P}scale-csv: k2,fork-small,2048,5,100000,700000,7.000,0,12" \
	"${P}scale-mem: kernel=k2 mib=5120 ram_mib=6144 folios=1310720 bytes=270000000 entry=192 index=16777216 per_folio=205 per_4k_ram=171 slab_kb_before=1 slab_kb_after_rmmod=1"
check "a missed target: exit 3 ($RC)" test "$RC" = 3
check "16 vs 256 MiB: +16.7%, missed" has "(+16.7%) | **no** |"
check "2048 MiB at 7x: missed" has "| fork 2048 MiB <= 2x | 7.000x | **no** |"
check "171 bytes per 4 KiB: missed" has "| <= 16 bytes per 4 KiB of RAM | 171 (205 bytes per folio, 1310720 folios) | **no** |"
check "dropped folios: missed" has "| every folio tracked | some dropped | **no** |"

report "${P}scale-csv: k3,fork-small,16,5,1000,,-,,"
check "a failed measurement counts as missed ($RC)" test "$RC" = 3
report "nothing here"
check "no scale lines: an error, exit 1 ($RC)" test "$RC" = 1
check "no scale lines: says so" has "no '# scale-csv: ' lines"
tap_totals
