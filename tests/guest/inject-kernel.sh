# Fault injection into the kernel's own words of a large folio: each
# corruption gives exactly the expected findings of the kernel-bookkeeping
# checks (kernel_rules.h, shared_answer.h), naming the folio and its
# counters, with a stack; undone corruptions leave nothing behind.  The
# folio is a 64 KiB anonymous mTHP (16 pages: its per-page words are read at
# every check).  MM-ID corruptions run where the kernel has MM-ID slots.
# Last, a 2 MiB THP, whose 512 per-page words are read in full at 1 check in
# 64 only: the words of the pages an unmap touched are read at every check,
# so a page whose _mapcount is one too low underflows at its zap, reported
# at once (without that read, 63 zaps in 64 would miss it).
# timeout: 240
. "$MS_WORK/guest/lib.sh"

I=/sys/kernel/debug/ms_inject/ctl
M=/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled
[ -w "$M" ] || { diag "SKIP: no 64 KiB mTHP on this kernel"; finish; }
old_mthp=$(sed 's/.*\[\(.*\)\].*/\1/' "$M")
echo always > "$M"
ms_load || { not_ok "insmod mapshadow"; finish; }
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; finish; }

# The kinds and the pfns of all findings, sorted, one line each.
kinds() { for ((i = 1; i <= $(nfind); i++)); do finding "$i" kind; done | sort | tr '\n' ' '; }
pfns() { for ((i = 1; i <= $(nfind); i++)); do finding "$i" pfn; done | sort -u | tr '\n' ' '; }
folio_of() {	# folio_of PID ADDR: the folio file of the page mapped there
	local pfn
	pfn=$(python3 -c "
f = open('/proc/$1/pagemap', 'rb'); f.seek((int('$2', 16) // 4096) * 8)
print(hex(int.from_bytes(f.read(8), 'little') & ((1 << 55) - 1)))")
	echo "show pfn=$pfn" > "$D/control" && cat "$D/folio"
}

# kcase NAME MODE CORRUPTION EXPECTED-KINDS: corrupt the folio's words,
# zap its last page (one rmap event, then a quiescent check), and expect
# exactly those findings (sorted kinds, space-separated).
kcase() {
	local name=$1 mode=$2 corruption=$3 expected=$4 info head
	target "$mode" || { not_ok "$name: start target"; return; }
	info=$(folio_of "$TPID" "$A1")
	head=$(field head_pfn "$info")
	if [ "$(field order "$info")" != 4 ]; then
		diag "SKIP $name: not a 64 KiB folio (order $(field order "$info"))"
		stop
		return
	fi
	check "$name: no finding before ($(nfind))" test "$(nfind)" = 0
	check "$name: the folio is strict and consistent" \
		test "$(field state "$info") $(field kernel_rules "$info")" = "strict ok"
	local slots
	slots=$(field kernel_mm_ids "$info")
	if [ "$mode" = mthp ] && [ -n "$slots" ]; then
		check "$name: the exact owner's kernel MM ID is slot 0's ($slots)" \
			test "$(field exact_kernel_mm_id "$info")" = "${slots%%:*}"
	fi
	check "$name: inject $corruption" bash -c "echo '$TPID $A1 $corruption' > $I"
	echo scan > "$D/control"
	check "$name: scan finds the folio's bookkeeping broken ($(sed -n 's/^broken: //p' "$D/scan" | tr '\n' ' '))" \
		bash -c "grep -q '^kernel_broken: 1$' $D/scan && grep -q '^broken: $head/' $D/scan"
	check "$name: a scan reports nothing itself ($(nfind))" test "$(nfind)" = 0
	check "$name: zap its last page" cmd zaplast
	sleep 0.5
	check "$name: findings '$expected' (got '$(kinds)')" test "$(kinds)" = "$expected "
	check "$name: all name pfn $head (got $(pfns))" test "$(pfns)" = "$head "
	check "$name: the detail has the counters and a stack" \
		bash -c "grep -q '^  raw: _mapcount' $D/findings_detail && grep -q '^  pages: 16, ' $D/findings_detail && grep -q '^  stack: ' $D/findings_detail" ||
		diag "$(cat "$D/findings_detail")"
	check "$name: stats count it" test "$(stat_of "findings_${expected%% *}")" -ge 1
	local n
	n=$(nfind)
	check "$name: undo" bash -c "echo undo > $I"
	stop
	sleep 0.5
	check "$name: nothing more after undo and exit ($(nfind))" test "$(nfind)" = "$n"
	echo clear > "$D/control"
}

kcase "a page's spurious _mapcount" mthp page-inc "large-vs-pages"
kcase "_nr_pages_mapped one too many" mthp nr-mapped-inc "nr-pages-mapped"
kcase "ENTIRELY_MAPPED set, no PMD" mthp entirely-flip "entirely-mapped"

target mthp || not_ok "start target"
has_mm_ids=$(field kernel_mm_ids "$(folio_of "$TPID" "$A1")")
if [ -n "$has_mm_ids" ]; then
	stop
	kcase "shared folio, shared bit cleared" mthp-fork shared-clear \
		"mm-shared-bit shared-missed"
	kcase "slot 0 renamed to another mm" mthp "slot-rename $$" \
		"bad-slot mm-shared-bit mm-slots"
	kcase "a mapping moved from one mm's slot to the other's" mthp-fork \
		slot-shift "bad-slot"
else
	diag "SKIP: MM-ID corruptions (no MM-ID slots on $(uname -r))"
	check "MM-ID corruptions are refused here" \
		bash -c "! echo '$TPID $A1 shared-clear' > $I 2>/dev/null"
	stop
fi

# The 2 MiB THP: split to PTEs by a first zap, then one page's _mapcount
# made one too low and that page zapped.  khugepaged, scanning every 10 ms,
# must not collapse the range into a new THP meanwhile (a full make check
# saw that: the injection and the zap then met different folios), so no
# empty PTE is allowed in a collapse.
TH=/sys/kernel/mm/transparent_hugepage
sysfs_set $TH/enabled madvise
sysfs_set $TH/khugepaged/max_ptes_none 0
sysfs_set $TH/khugepaged/scan_sleep_millisecs 10
target thp || not_ok "thp: start target"
info=$(folio_of "$TPID" "$A1")
head=$(field head_pfn "$info")
if [ "$(field order "$info")" = 9 ]; then
	check "thp: the folio is strict and consistent" \
		test "$(field state "$info") $(field kernel_rules "$info")" = "strict ok"
	check "thp: zap its last page (the PMD split to PTEs)" cmd zaplast
	sleep 0.5
	check "thp: no finding after the split ($(nfind))" test "$(nfind)" = 0
	check "thp: still the same folio, not collapsed into another" \
		test "$(field head_pfn "$(folio_of "$TPID" "$A1")")" = "$head"
	prev=$(printf '0x%x' $((A1 + 0x200000 - 2 * 0x1000)))
	check "thp: inject page-dec on the page before the last" \
		bash -c "echo '$TPID $prev page-dec' > $I"
	check "thp: zap that page" cmd zapprev
	check "thp: the first finding is an underflow of pfn $head (got $(finding 1 kind) $(finding 1 pfn))" \
		test "$(finding 1 kind) $(finding 1 pfn)" = "underflow $head"
	check "thp: seen in folio_remove_rmap_ptes ($(finding 1 source))" \
		test "$(finding 1 source)" = folio_remove_rmap_ptes
	check "thp: shadow and live agree: only the page's word is wrong ($(finding 1 shadow) $(finding 1 live))" \
		test "$(finding 1 shadow)" = 510 -a "$(finding 1 live)" = 510
	check "thp: undo" bash -c "echo undo > $I"
	stop
	echo clear > "$D/control"
else
	diag "SKIP: thp: not a 2 MiB folio (order $(field order "$info"))"
	stop
fi
sysfs_restore

rmmod ms_inject
ms_unload
echo "$old_mthp" > "$M"
finish
