# Exact shadow, page migration: move_pages(2) moves small anonymous pages,
# THPs, shmem pages and a hugetlb page to node 1 and back while a child
# maps them too; remove_migration_pte/_pmd map the new folios.  Needs two
# NUMA nodes: the guest boots with numa=fake=2 (MS_APPEND), else this is a
# SKIP.
# timeout: 120
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }

if [ -e /sys/devices/system/node/node1 ]; then
	# One hugetlb page of the workload migrates too (both nodes get some).
	sysfs_set /proc/sys/vm/nr_hugepages 8
	hold_scan migrate && {
		assert_hit folio_add_anon_rmap_ptes folio_add_anon_rmap_pmd \
			folio_add_file_rmap_ptes folio_remove_rmap_ptes folio_remove_rmap_pmd
		if [ "$(cat /proc/sys/vm/nr_hugepages)" -gt 0 ]; then
			assert_hit hugetlb_add_anon_rmap
		fi
	}
	sysfs_restore
else
	ok "# SKIP migrate: one NUMA node (boot with numa=fake=2)"
fi

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
