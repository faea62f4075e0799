# After each workload, "scan" finds every quiescent strict folio's shadow
# equal to folio_mapcount() and the kernel's own words consistent: zero
# disagreements, nothing broken.
# timeout: 240
. "$MS_WORK/guest/lib.sh"

scan_field() { sed -n "s/^$1: //p" "$D/scan"; }
ms_load || { not_ok "insmod"; finish; }
for w in thp-pte-map fork-cow fork-child-alive partial-munmap mremap-thp file-map; do
	"$MS_BIN/$w" -q >/dev/null || not_ok "workload $w"
	echo scan > "$D/control" || not_ok "scan after $w"
	check "after $w: 0 disagreements (strict $(scan_field strict), agreed $(scan_field agreed), busy $(scan_field busy))" \
		test "$(scan_field disagreed)" = 0
	check "after $w: the kernel's own bookkeeping consistent" \
		test "$(scan_field kernel_broken)" = 0
	grep '^disagree:\|^broken:' "$D/scan" | sed 's/^/# /'
done
no_findings "the workloads"
check "some strict folios were checked" test "$(scan_field strict)" -gt 0
check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
