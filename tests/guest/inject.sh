# Fault injection: each injected mapcount fault gives exactly the expected
# finding (kind, pfn, shadow and live counts, a stack); "clear" empties the
# list; undone faults leave nothing behind.  The kinds: live-unmapped,
# mismatch, shadow-unmapped, underflow (+ kernel-report), freed-mapped and
# mm-leak.
# timeout: 240
# allow-log: Bad page|page dumped because|Call Trace:
. "$MS_WORK/guest/lib.sh"

I=/sys/kernel/debug/ms_inject/ctl
ms_load || { not_ok "insmod mapshadow"; finish; }
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; finish; }

inj_pfn() { sed -n 's/^pfn: //p' "$I"; }
settle() { sleep 0.5; }


# 1. A lost increment: the file page is mapped twice, the kernel counts one.
check "no findings at start" test "$(nfind)" = 0
target twice /tmp/inject-file || not_ok "start target"
check "inject skip-inc" bash -c "echo '$TPID $A1 skip-inc' > $I"
pfn=$(inj_pfn)
check "unmap one of two mappings" cmd unmap1
settle
check "exactly one finding after skip-inc ($(nfind))" test "$(nfind)" = 1
check "kind live-unmapped" test "$(finding 1 kind)" = live-unmapped
check "names the injected pfn $pfn" test "$(finding 1 pfn)" = "$pfn"
check "shadow 1, live 0" test "$(finding 1 shadow) $(finding 1 live)" = "1 0"
check "names the process" test "$(finding 1 comm)" = inject-target
check "names the hook" test "$(finding 1 source)" = folio_remove_rmap_ptes
check "detail has the raw counters" grep -q '_mapcount -1' "$D/findings_detail"
check "detail has a stack" grep -q 'stack: .*folio_remove_rmap_ptes\|stack: .*ms_' "$D/findings_detail"
check "detail has the recent events" grep -q 'event: .*folio_add_file_rmap_ptes' "$D/findings_detail"
check "the newest event is the removal the kernel lost" \
	bash -c "grep 'event: ' $D/findings_detail | tail -1 | grep -q 'folio_remove_rmap_ptes -1 level pte'"
check "its events are its own, oldest first: two maps, then the removal" \
	bash -c "grep -o 'event: .*level' $D/findings_detail | awk '{ print \$6, \$7 }' | tr '\n' ' ' |
		 grep -qx 'folio_add_file_rmap_ptes +1 folio_add_file_rmap_ptes +1 folio_remove_rmap_ptes -1 '"
check "undo the injection" bash -c "echo undo > $I"
check "unmap the other mapping" cmd unmap2
stop
settle
check "nothing more after undo ($(nfind))" test "$(nfind)" = 1
check "clear" bash -c "echo clear > $D/control"
check "clear empties the list" test "$(nfind)" = 0

# 2. A spurious increment: the kernel counts three mappings of two.
target twice /tmp/inject-file2 || not_ok "start target"
check "inject spurious-inc" bash -c "echo '$TPID $A2 spurious-inc' > $I"
pfn=$(inj_pfn)
check "unmap one of two mappings" cmd unmap1
settle
check "exactly one finding after spurious-inc ($(nfind))" test "$(nfind)" = 1
check "kind mismatch" test "$(finding 1 kind)" = mismatch
check "names the injected pfn $pfn" test "$(finding 1 pfn)" = "$pfn"
check "shadow 1, live 2" test "$(finding 1 shadow) $(finding 1 live)" = "1 2"
echo undo > "$I"
cmd unmap2
stop
settle
check "nothing more after undo ($(nfind))" test "$(nfind)" = 1
echo clear > "$D/control"

# 3. A spurious increment seen when the shadow reaches zero.
target twice /tmp/inject-file3 || not_ok "start target"
echo "$TPID $A1 spurious-inc" > "$I"
pfn=$(inj_pfn)
cmd unmap1
cmd unmap2
settle
check "exactly one finding: shadow-unmapped ($(nfind))" test "$(nfind)" = 1
check "kind shadow-unmapped" test "$(finding 1 kind)" = shadow-unmapped
check "names the injected pfn $pfn" test "$(finding 1 pfn)" = "$pfn"
check "shadow 0, live 1" test "$(finding 1 shadow) $(finding 1 live)" = "0 1"
echo undo > "$I"
stop
echo clear > "$D/control"

# 4. Underflow through a zap: a page mapped once lost its increment, then
# the zap drives _mapcount to -2 (the kernel's own "Bad page map" too).
target once || not_ok "start target"
echo "$TPID $A1 skip-inc" > "$I"
pfn=$(inj_pfn)
cmd unmap1
# The injector's reference goes too: the page is freed, counts and all.
echo drop > "$I"
stop
settle
check "an underflow finding" test -n "$(findings_of underflow pfn)"
check "underflow names pfn $pfn" grep -qx "$pfn" <<< "$(findings_of underflow pfn)"
check "underflow shows _mapcount -2" grep -q '_mapcount -2 .*underflow\|_mapcount -2 (underflow)' "$D/findings_detail"
check "the kernel's own report is a finding too" \
	grep -qx "$pfn" <<< "$(findings_of kernel-report pfn)"
check "stats count the underflow" test "$(stat_of findings_underflow)" -ge 1
diag "$(cat "$D/findings")"
echo clear > "$D/control"

# 5. An unmap without the rmap call, then a free while the shadow says
# mapped.  The zap of a page mapped once skips folio_remove_rmap_ptes(): the
# PTE goes, both counts stay 1 and agree, so nothing is reported yet.  The
# injector then resets _mapcount and drops the last reference: the kernel
# frees a clean page that the shadow still counts (freed-mapped).  The
# process's exit then leaves one mapping it never removed (mm-leak).
target once || not_ok "start target"
check "inject skip-remove" bash -c "echo '$TPID $A1 skip-remove' > $I"
pfn=$(inj_pfn)
echo "show pfn=$pfn" > "$D/control"
mm_id=$(sed -n 's/^exact_rmap_id: //p' "$D/folio")
check "zap the page" cmd zap1
settle
check "the remove was skipped" grep -qx 'skipped: 1' "$I"
check "no finding while both counts agree ($(nfind))" test "$(nfind)" = 0
check "free the held folio" bash -c "echo free-held > $I"
settle
check "exactly one finding after the free ($(nfind))" test "$(nfind)" = 1
check "kind freed-mapped" test "$(finding 1 kind)" = freed-mapped
check "names the freed pfn $pfn" test "$(finding 1 pfn)" = "$pfn"
check "shadow 1, live 0" test "$(finding 1 shadow) $(finding 1 live)" = "1 0"
check "names the free hook" test "$(finding 1 source)" = mm_page_free
check "detail has a stack through the free" grep -q 'stack: release_held.*\[ms_inject\]' "$D/findings_detail" || diag "$(cat "$D/findings_detail")"
stop
settle
if [ "$(hook_field mm_init 3)" = armed ]; then
	check "exactly one more finding after exit ($(nfind))" test "$(nfind)" = 2
	check "kind mm-leak" test "$(finding 2 kind)" = mm-leak
	check "mm-leak names the mm's rmap ID ${mm_id:-?}" test "$(printf '0x%x' "${mm_id:-0}")" = "$(finding 2 pfn)"
	check "mm-leak: one mapping left" test "$(finding 2 shadow)" = 1
	check "mm-leak names the process" test "$(finding 2 comm)" = inject-target
	check "its detail names the mm, not a folio" \
		grep -qx "  mm: rmap ID $(printf '0x%x' "${mm_id:-0}") torn down with 1 mapping(s) never seen removed" "$D/findings_detail"
	check "stats count both" test "$(stat_of findings_freed-mapped) $(stat_of findings_mm-leak)" = "1 1"
else
	# No mm is seen from its birth: none can prove a leak.
	ok "# SKIP mm-leak: mm_init is not probed here ($(hook_field mm_init 6))"
	check "nothing more after exit ($(nfind))" test "$(nfind)" = 1
fi
diag "$(cat "$D/findings")"
echo clear > "$D/control"
rmmod ms_inject
ms_unload
finish
