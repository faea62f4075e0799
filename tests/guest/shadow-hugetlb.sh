# Exact shadow, hugetlb: 2 MiB hugetlb pages mapped private and shared,
# COW after fork, partial munmap with the child alive.  Pages are reserved
# at run time (vm.nr_hugepages=32) and given back afterwards.
# timeout: 120
. "$MS_WORK/guest/lib.sh"

H=/proc/sys/vm/nr_hugepages
ms_load || { not_ok "insmod"; finish; }

if [ -e "$H" ]; then
	sysfs_set "$H" 32
	diag "nr_hugepages $(cat "$H"), free $(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null)"
	hold_scan hugetlb && assert_hit hugetlb_add_new_anon_rmap free_huge_folio
	HOLD_LABEL="one page" hold_scan hugetlb -s 2 && assert_hit hugetlb_add_new_anon_rmap
	sysfs_restore
else
	ok "# SKIP hugetlb: no $H (kernel without hugetlbfs)"
fi

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
