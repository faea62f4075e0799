# Exact shadow, userfaultfd: every page of a MISSING-registered region is
# filled by UFFDIO_COPY from a resolver thread (a new anonymous folio per
# fault), a quarter zapped and copied in again, then a child COW-writes.
# timeout: 120
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }

hold_scan uffd-copy && assert_hit folio_add_new_anon_rmap folio_remove_rmap_ptes copy_page_range

check "no events missed" test "$(stat_of events_missed)" = 0
diag "$(cat "$D/stats")"
ms_unload
finish
