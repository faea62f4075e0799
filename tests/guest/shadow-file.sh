# Exact shadow, file memory: page cache mapped shared and private (COW) on
# tmpfs and, where the guest can make one, on ext2 (ext4 driver) on a zram
# disk; huge tmpfs folios mapped by PMD and PTEs (shmem-thp).  Each
# workload holds its mappings while "scan" checks every strict folio, and
# again after it has exited.
# timeout: 180
. "$MS_WORK/guest/lib.sh"

M=/tmp/ms-shadow-file
mkdir -p "$M/huge" "$M/ext2"
ms_load || { not_ok "insmod"; finish; }

hold_scan file-map -f "$M/tmpfs-file" &&
	assert_hit folio_add_file_rmap_ptes folio_add_new_anon_rmap folio_remove_rmap_ptes copy_page_range

# A disk file system: ext2 on a fresh zram device.
zdev=
if modprobe zram 2>/dev/null && [ -e /sys/class/zram-control/hot_add ]; then
	zdev=zram$(cat /sys/class/zram-control/hot_add)
fi
if [ -n "$zdev" ] && echo 64M > "/sys/block/$zdev/disksize" &&
   ms_tool mke2fs -q -b 4096 "/dev/$zdev" >/dev/null 2>&1 && { modprobe ext4 2>/dev/null; true; } &&
   ms_tool mount -t ext2 "/dev/$zdev" "$M/ext2"; then
	HOLD_LABEL=ext2 hold_scan file-map -f "$M/ext2/file" &&
		assert_hit folio_add_file_rmap_ptes folio_remove_rmap_ptes
	ms_tool umount "$M/ext2" || diag "umount $M/ext2 failed"
	# Unmapping and dropping the page cache frees its folios while we look.
	scan_check "ext2: after umount" nostrict
else
	ok "# SKIP file-map on ext2: no zram, mke2fs or ext2 mount in this guest"
fi
if [ -n "$zdev" ]; then
	echo 1 > "/sys/block/$zdev/reset"
	echo "${zdev#zram}" > /sys/class/zram-control/hot_remove
fi

if ms_tool mount -t tmpfs -o huge=always,size=256M tmpfs "$M/huge"; then
	hold_scan shmem-thp -f "$M/huge/file" &&
		assert_hit folio_add_file_rmap_pmd folio_remove_rmap_pmd folio_add_file_rmap_ptes \
			folio_add_new_anon_rmap
	HOLD_LABEL="2 MiB" hold_scan shmem-thp -s 2 -f "$M/huge/file2"
	ms_tool umount "$M/huge" || diag "umount $M/huge failed"
else
	not_ok "mount tmpfs huge=always"
fi

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
