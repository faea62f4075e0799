# Exact shadow, swap: MADV_PAGEOUT swaps out small pages and THPs to a zram
# swap device; parent and child fault half of them back in (new folio in the
# swap cache, then the swap cache folio mapped again); swapoff brings the
# rest back (unuse_pte).
# timeout: 180
. "$MS_WORK/guest/lib.sh"

# HOLD_ACTION: swapoff while the workload holds pages swapped out.
swap_off() {
	check "$MS_SCENARIO: swapoff while held" ms_tool swapoff "/dev/$ZDEV"
}

ms_load || { not_ok "insmod"; finish; }

if zram_swap_on 256M; then
	hold_scan pageout && {
		assert_hit folio_remove_rmap_ptes
		assert_hit_any folio_add_anon_rmap_ptes folio_add_new_anon_rmap
	}
	HOLD_LABEL="2 MiB" hold_scan pageout -s 2
	# swapoff while a held workload has pages out: unuse_pte maps them.
	HOLD_ACTION=swap_off HOLD_LABEL=swapoff hold_scan pageout &&
		assert_hit_any folio_add_anon_rmap_ptes folio_add_new_anon_rmap
	diag "swap: $(grep -E '^(SwapTotal|SwapFree)' /proc/meminfo | tr -s ' \n' ' ')"
	zram_swap_off
	scan_check "after swapoff" nostrict
else
	ok "# SKIP pageout: no zram swap in this guest"
fi
zram_swap_off

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
