# Exact shadow, KSM: ksmd merges identical pages (replace_page maps the KSM
# folio, the old page's rmap goes), a child shares the merged pages and
# copies some, MADV_UNMERGEABLE copies the rest.  ksmd runs fast for the
# test and is stopped (all pages unmerged) afterwards.
# timeout: 120
. "$MS_WORK/guest/lib.sh"

K=/sys/kernel/mm/ksm
ms_load || { not_ok "insmod"; finish; }

if [ -e "$K/run" ]; then
	sysfs_set "$K/pages_to_scan" 5000
	sysfs_set "$K/sleep_millisecs" 10
	sysfs_set "$K/run" 1
	hold_scan ksm && assert_hit folio_add_anon_rmap_ptes folio_remove_rmap_ptes \
		folio_add_new_anon_rmap copy_page_range
	diag "ksm: pages_sharing $(cat "$K/pages_sharing") pages_shared $(cat "$K/pages_shared") full_scans $(cat "$K/full_scans")"
	echo 2 > "$K/run"	# unmerge whatever is left
	sysfs_restore
	scan_check "after ksmd stopped" nostrict
else
	ok "# SKIP ksm: no $K (kernel without KSM)"
fi

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
