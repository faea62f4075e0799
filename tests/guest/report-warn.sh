# report=warn: each finding also goes to the kernel log in the kernel's own
# report format, which kernel CI and fuzzers find by its title line: one
# injected lost increment gives exactly one "BUG: mapshadow: live-unmapped
# in folio_remove_rmap_ptes" between cut-here markers, with the folio, its
# counters and a call trace, and the machine keeps running.  A bad value
# is refused at insmod and at runtime.
# timeout: 120
# allow-log: BUG: mapshadow: |Call Trace:
. "$MS_WORK/guest/lib.sh"

I=/sys/kernel/debug/ms_inject/ctl
P=/sys/module/mapshadow/parameters/report
check "insmod report=bogus is refused" bash -c "! insmod $MS_KO/mapshadow.ko report=bogus 2>/dev/null"
check "and nothing is loaded" bash -c "! grep -q '^mapshadow ' /proc/modules"
ms_load report=warn || { not_ok "insmod report=warn"; finish; }
check "the parameter reads warn" test "$(cat "$P")" = warn
check "a bad value is refused at runtime" bash -c "! echo loud > $P 2>/dev/null"
check "and changes nothing" test "$(cat "$P")" = warn
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; finish; }
dmesg -C
inject_lost_increment /tmp/report-warn-file
pfn=$INJ_PFN
inject_undo
log=$(dmesg)
check "one finding ($(nfind))" test "$(nfind)" = 1
check "one BUG: mapshadow: title line" \
	test "$(grep -c 'BUG: mapshadow: live-unmapped in folio_remove_rmap_ptes$' <<< "$log")" = 1
check "after a cut-here marker" \
	bash -c "grep -B1 'BUG: mapshadow:' <<< \"\$0\" | grep -q -- '-----\\[ cut here \\]-----'" "$log"
check "with the folio and its counters" \
	grep -q "folio: pfn $pfn order 0 .*mapshadow counts 1 mappings, folio_mapcount() 0" <<< "$log"
check "with the raw words" grep -q 'raw: _mapcount -1 ' <<< "$log"
check "with a call trace" bash -c "grep -A2 'Call Trace:' <<< \"\$0\" | grep -q '+0x'" "$log"
check "and an end marker" grep -q -- '---\[ end trace mapshadow \]---' <<< "$log"
check "and no count-mode line, which a task's name could turn into a title" \
	bash -c "! grep -q 'mapshadow: finding' <<< \"\$0\"" "$log"
check "the machine keeps running" bash -c "echo scan > $D/control"
check "report=count: no more reports" bash -c "echo count > $P && test \$(cat $P) = count"
rmmod ms_inject
ms_unload
finish
