# A workload that PTE-maps THPs, forks, writes (COW), partially munmaps and
# mremaps hits every hook of those paths; no armed hook misses an event.
# The rmap primitives are kretprobes, or fprobes with fprobes=1 where the
# kernel has them (hooks_call.c): both mechanisms see every call.
# timeout: 240
. "$MS_WORK/guest/lib.sh"

HOOKS="folio_add_anon_rmap_ptes folio_add_new_anon_rmap folio_add_file_rmap_ptes
folio_remove_rmap_ptes folio_remove_rmap_pmd copy_page_range copy_huge_pmd mm_page_free"
RMAP="folio_add_anon_rmap_ptes folio_add_new_anon_rmap folio_add_file_rmap_ptes
folio_remove_rmap_ptes folio_remove_rmap_pmd"

# hits_all MECHANISM ARGS...: load with ARGS, run the workloads, check every
# hook armed and hit with nothing missed, and the rmap rows' mechanism.
hits_all() {
	local mech=$1 h hits armed
	shift
	ms_load "$@" || { not_ok "insmod $*"; return; }
	armed=$(awk '!/^#/ && $3 == "armed" { print $1 }' "$D/hooks")
	for h in $HOOKS; do
		check "$mech: hook $h armed" grep -qx "$h" <<< "$armed"
	done
	for h in $RMAP; do
		check "$mech: hook $h is a $mech ($(hook_field "$h" 2))" test "$(hook_field "$h" 2)" = "$mech"
	done
	for w in thp-pte-map fork-cow fork-child-alive partial-munmap mremap-thp file-map; do
		check "$mech: workload $w" "$MS_BIN/$w" -q
	done
	for h in $HOOKS; do
		hits=$(hook_field "$h" 4)
		check "$mech: hook $h hit ($hits)" test "${hits:-0}" -gt 0
	done
	for h in $armed; do
		check "$mech: hook $h missed nothing" test "$(hook_field "$h" 5)" = 0
	done
	no_findings "the workloads ($mech)"
	diag "$(cat "$D/hooks")"
	ms_unload
}

if grep -qw register_fprobe /proc/kallsyms; then
	hits_all fprobe fprobes=1
else
	ok "# SKIP fprobes: this kernel has no CONFIG_FPROBE"
fi
hits_all kretprobe-ftrace
finish
