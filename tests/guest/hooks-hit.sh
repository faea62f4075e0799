# A workload that PTE-maps THPs, forks, writes (COW), partially munmaps and
# mremaps makes every armed hook's hit count non-zero.
# timeout: 180
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }
armed=$(awk '!/^#/ && $3 == "armed" { print $1 }' "$D/hooks")
check "at least the 5 base hooks are armed" test "$(echo "$armed" | wc -w)" -ge 5
for w in thp-pte-map fork-cow fork-child-alive partial-munmap mremap-thp file-map; do
	check "workload $w" "$MS_BIN/$w" -q
done
for h in $armed; do
	hits=$(hook_field "$h" 4)
	check "hook $h hit ($hits)" test "${hits:-0}" -gt 0
	check "hook $h missed nothing" test "$(hook_field "$h" 5)" = 0
done
diag "$(cat "$D/hooks")"
ms_unload
finish
