# Exact shadow, anonymous memory: each workload holds its mappings (THPs
# PTE- and PMD-mapped, COW with children alive, partial munmap, mremap,
# mTHP, MADV_DONTFORK, shared anonymous memory with and without shmem THP)
# while "scan" compares every strict folio's shadow with folio_mapcount(),
# and again after it has exited.  The rmap hooks of each path must be hit.
# timeout: 240
. "$MS_WORK/guest/lib.sh"

T=/sys/kernel/mm/transparent_hugepage

# mthp_allocs: anonymous mTHP folios (smaller than PMD) faulted in so far.
mthp_allocs() {
	local f n=0
	for f in "$T"/hugepages-*kB/stats/anon_fault_alloc; do
		case $f in */hugepages-2048kB/*) continue ;; esac
		[ -r "$f" ] && n=$((n + $(cat "$f")))
	done
	echo $n
}

ms_load || { not_ok "insmod"; finish; }

hold_scan thp-pte-map && assert_hit folio_remove_rmap_pmd folio_add_anon_rmap_ptes
hold_scan fork-cow && assert_hit copy_page_range copy_huge_pmd folio_add_new_anon_rmap
hold_scan fork-child-alive -c 3 && assert_hit copy_huge_pmd folio_add_new_anon_rmap
hold_scan partial-munmap && assert_hit folio_remove_rmap_ptes folio_remove_rmap_pmd
hold_scan mremap-thp && assert_hit folio_remove_rmap_pmd folio_add_anon_rmap_ptes

# mTHP: every size "always" while mthp runs.
sizes=("$T"/hugepages-*kB/enabled)
if [ -e "${sizes[0]}" ]; then
	for f in "${sizes[@]}"; do sysfs_set "$f" always; done
	n0=$(mthp_allocs)
	hold_scan mthp && assert_hit folio_add_new_anon_rmap folio_remove_rmap_ptes \
		folio_try_dup_anon_rmap_ptes copy_page_range
	check "mthp: mTHP folios faulted in ($n0 -> $(mthp_allocs))" test "$(mthp_allocs)" -gt "$n0"
	sysfs_restore
else
	ok "# SKIP mthp: no $T/hugepages-*kB (kernel without mTHP)"
fi

hold_scan dontfork && assert_hit copy_page_range folio_remove_rmap_pmd folio_add_new_anon_rmap
hold_scan shared-anon && assert_hit folio_add_file_rmap_ptes folio_remove_rmap_ptes

# Shared anonymous memory in huge shmem folios (per-size controls since 6.11).
shm=("$T"/hugepages-*kB/shmem_enabled)
if [ -e "${shm[0]}" ]; then
	for f in "${shm[@]}"; do sysfs_set "$f" advise; done
else
	sysfs_set "$T/shmem_enabled" advise
fi
HOLD_LABEL="shmem THP" hold_scan shared-anon &&
	assert_hit folio_add_file_rmap_pmd folio_remove_rmap_pmd
sysfs_restore

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
