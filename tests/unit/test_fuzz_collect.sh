#!/bin/bash
# tests/fuzz/collect.sh, the host side of make fuzz: the files the guest's
# lane printed come out whole, and summary.md has the rates, each failure
# with its report, the crashes with their verdicts, and the coverage.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
C=$here/../fuzz/collect.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
tap_begin
cat > "$t/run1.log" <<'LOG'
ok 1 - 6.12: boot, kernel log clean
# 6.12/fuzz-lane: fuzz-seed 1
# 6.12/fuzz-lane: fuzz-file seed1.txt: # msfuzz v1 seed=1
# 6.12/fuzz-lane: fuzz-file seed1.txt: p0 map m1 anon 16K
# 6.12/fuzz-lane: fuzz-file seed1.txt: 
# 6.12/fuzz-lane: fuzz-file seed1.txt:   p0 write m1 +0 16K
# 6.12/fuzz-lane: fuzz-file-end seed1.txt
# 6.12/fuzz-lane: fuzz-file seed1.report: title: BUG: mapshadow: underflow in folio_remove_rmap_ptes
# 6.12/fuzz-lane: fuzz-file-end seed1.report
# 6.12/fuzz-lane: # fuzz-stats programs=2 ops=30 syscalls=50 failures=2 unique=1 minutes=1.00
# 6.12/fuzz-lane: # fuzz-rate 2.0 programs/min, 30 ops/min, 50 syscalls/min
# 6.12/fuzz-lane: fuzz-hit folio_remove_rmap_ptes
# 6.12/fuzz-lane: fuzz-never dump_page
not ok 2 - 6.12/fuzz-lane: failure (seed 1, reproduced, 2 ops): BUG: mapshadow: underflow in folio_remove_rmap_ptes
LOG
check "collect runs" "$C" "$t/run1.log" "$t"
check "a program comes out line for line (blank and indented lines too)" \
	test "$(cat "$t/seed1.txt")" = "$(printf '%s\n' '# msfuzz v1 seed=1' 'p0 map m1 anon 16K' '' '  p0 write m1 +0 16K')"
check "the report too" grep -qx 'title: BUG: mapshadow: underflow in folio_remove_rmap_ptes' "$t/seed1.report"
echo "reproduced: the replay crashed the guest too" > "$t/crash-seed9.verdict"
check "summary runs" "$C" --summary "$t" 6.12
S=$t/summary.md
check "summary: the rates" grep -q '^- 2.0 programs/min, 30 ops/min, 50 syscalls/min$' "$S"
check "summary: the failure with its report" grep -q '^title: BUG: mapshadow: underflow in folio_remove_rmap_ptes$' "$S"
check "summary: the crash and its verdict" grep -q 'reproduced: the replay crashed the guest too' "$S"
check "summary: coverage hit and never hit" \
	bash -c "grep -q '^- hit (1): folio_remove_rmap_ptes$' $S && grep -q '^- never hit (1): dump_page$' $S"
check "bad usage: exit 2" bash -c "'$C' only-one; test \$? = 2"
tap_totals
tap_end
