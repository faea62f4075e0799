# A workload that PTE-maps THPs, forks, writes (COW), partially munmaps and
# mremaps hits every hook of those paths; no armed hook misses an event.
# timeout: 180
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }
armed=$(awk '!/^#/ && $3 == "armed" { print $1 }' "$D/hooks")
for h in folio_add_anon_rmap_ptes folio_add_new_anon_rmap folio_add_file_rmap_ptes \
	 folio_remove_rmap_ptes folio_remove_rmap_pmd copy_page_range copy_huge_pmd \
	 mm_page_free; do
	check "hook $h armed" grep -qx "$h" <<< "$armed"
done
for w in thp-pte-map fork-cow fork-child-alive partial-munmap mremap-thp file-map; do
	check "workload $w" "$MS_BIN/$w" -q
done
for h in folio_add_anon_rmap_ptes folio_add_new_anon_rmap folio_add_file_rmap_ptes \
	 folio_remove_rmap_ptes folio_remove_rmap_pmd copy_page_range copy_huge_pmd \
	 mm_page_free; do
	hits=$(hook_field "$h" 4)
	check "hook $h hit ($hits)" test "${hits:-0}" -gt 0
done
for h in $armed; do
	check "hook $h missed nothing" test "$(hook_field "$h" 5)" = 0
done
no_findings "the workloads"
diag "$(cat "$D/hooks")"
ms_unload
finish
