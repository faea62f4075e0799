# Exact shadow, THP split and collapse.  split-thp holds THPs (half
# PTE-mapped, half PMD-mapped, also mapped by a child) while the test splits
# them through /sys/kernel/debug/split_huge_pages: the first half to order 0,
# the second half to order 4 where the kernel can.  A huge tmpfs file is
# split the same way by path.  collapse makes THPs from small pages with
# MADV_COLLAPSE (anonymous and tmpfs file) and with khugepaged.
# timeout: 240
. "$MS_WORK/guest/lib.sh"

S=/sys/kernel/debug/split_huge_pages
KH=/sys/kernel/mm/transparent_hugepage/khugepaged
M=/tmp/ms-shadow-split
mkdir -p "$M/huge"

# split_write WHAT LINE: one request to split_huge_pages.
split_write() {
	if echo "$2" 2>/dev/null > "$S"; then
		ok "$MS_SCENARIO: split $1"
	else
		not_ok "$MS_SCENARIO: split $1 ($2)"
	fi
}

# HOLD_ACTION of split-thp: scan, then split the held region.
split_region() {
	local start end mid
	# No process substitution: the guest's /dev has no /dev/fd.
	read -r start end <<< "$(sed -n 's/^split-thp: region //p' "$HOLD_OUT")"
	if [ -z "$end" ]; then
		not_ok "$MS_SCENARIO: no region line"
		return
	fi
	scan_check "$MS_SCENARIO: before the split"
	mid=$(printf '%#x' $(((start + end) / 2)))
	split_write "first half to order 0" "$HOLD_PID,$start,$mid"
	if echo "$HOLD_PID,$mid,$end,4" 2>/dev/null > "$S"; then
		ok "$MS_SCENARIO: split second half to order 4"
	else
		diag "no split to order 4 here; to order 0 instead"
		split_write "second half to order 0" "$HOLD_PID,$mid,$end"
	fi
}

# HOLD_ACTION of shmem-thp: scan, then split the whole file by path.
split_file() {
	scan_check "$MS_SCENARIO: before the split"
	split_write "file to order 0" "$M/huge/file,0x0,0x800"
}

ms_load || { not_ok "insmod"; finish; }

if [ -w "$S" ]; then
	HOLD_ACTION=split_region hold_scan split-thp &&
		assert_hit folio_remove_rmap_pmd folio_add_anon_rmap_ptes
	if ms_tool mount -t tmpfs -o huge=always,size=256M tmpfs "$M/huge"; then
		HOLD_ACTION=split_file HOLD_LABEL="split by path" \
			hold_scan shmem-thp -f "$M/huge/file" &&
			assert_hit folio_remove_rmap_pmd folio_remove_rmap_ptes
		ms_tool umount "$M/huge" || diag "umount $M/huge failed"
	else
		not_ok "mount tmpfs huge=always"
	fi
else
	ok "# SKIP split: no $S"
fi

pmd0=$(stat_of events_pmd)
hold_scan collapse -m madvise -f "$M/collapse-file" &&
	assert_hit folio_add_new_anon_rmap folio_add_file_rmap_pmd folio_remove_rmap_ptes
diag "events_pmd $pmd0 -> $(stat_of events_pmd)"

if [ -e "$KH/scan_sleep_millisecs" ]; then
	sysfs_set "$KH/scan_sleep_millisecs" 10
	sysfs_set "$KH/alloc_sleep_millisecs" 10
	sysfs_set "$KH/pages_to_scan" 8192
	MS_HOLD_WAIT=90 hold_scan collapse -m khugepaged &&
		assert_hit folio_add_new_anon_rmap folio_remove_rmap_ptes
	diag "khugepaged: full_scans $(cat "$KH/full_scans") pages_collapsed $(cat "$KH/pages_collapsed")"
	sysfs_restore
else
	ok "# SKIP khugepaged: no $KH"
fi

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
