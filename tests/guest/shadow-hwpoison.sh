# Exact shadow, memory failure: MADV_HWPOISON poisons one small page and
# one THP subpage (the THP is split, the poisoned pages unmapped); the
# workload catches the SIGBUS and holds.  The kernel log shows "Memory
# failure" and "Injecting memory failure" lines, which are expected.
# timeout: 120
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }

if [ -e /proc/sys/vm/memory_failure_recovery ]; then
	hold_scan hwpoison && assert_hit folio_remove_rmap_ptes folio_remove_rmap_pmd \
		folio_add_anon_rmap_ptes
else
	ok "# SKIP hwpoison: kernel without CONFIG_MEMORY_FAILURE"
fi

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
