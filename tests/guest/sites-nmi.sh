# Site handlers run from the int3 trap, which the kernel enters as an NMI:
# lockdep refuses a plain spinlock there (on the debug kernel it watches
# this test).  With kprobe optimization off, every site hit takes the trap.
# There a lock is only tried, a bounded number of times: one that stays
# busy (forced by test_nmi_lock_busy) loses trust and is counted, and
# nothing waits and nothing is reported.
# timeout: 300
. "$MS_WORK/guest/lib.sh"

T=$MS_WORK/sites.tbl
OPT=/proc/sys/debug/kprobes-optimization
BUSY=/sys/module/mapshadow/parameters/test_nmi_lock_busy
need_site_table
opt0=$(cat "$OPT")
echo 0 > "$OPT"
MS_NO_SITES=1 ms_load || { not_ok "insmod"; echo "$opt0" > "$OPT"; finish; }
cat "$T" > "$D/sites"
check "the kernel's table arms" bash -c "echo sites=on > $D/control"
check "no site probe optimized (all take int3)" \
	bash -c "! grep -E '^[0-9a-f]+ +k +copy_page_range\+0x[0-9a-f]+ .*OPTIMIZED' /sys/kernel/debug/kprobes/list"
site_hits() {
	awk '$2 ~ /^site-/ { s += $4 } END { print s + 0 }' "$D/hooks"
}
h0=$(site_hits)
for w in fork-cow fork-child-alive; do
	check "workload $w" "$MS_BIN/$w" -q
done
check "sites hit from the trap ($(($(site_hits) - h0)))" test "$(site_hits)" -gt "$h0"
check "no lock found busy ($(stat_of probe_lock_busy))" test "$(stat_of probe_lock_busy)" = 0
echo scan > "$D/control"
check "scan: 0 disagreements" test "$(scan_field disagreed)" = 0
no_findings "forks through the trap"

# Every try fails: the events are lost, trust with them, and nothing hangs.
lost0=$(stat_of trust_lost_missed_events)
echo 1 > "$BUSY"
check "workload fork-cow, every site lock busy" "$MS_BIN/fork-cow" -q
echo 0 > "$BUSY"
check "busy locks counted ($(stat_of probe_lock_busy))" test "$(stat_of probe_lock_busy)" -gt 0
check "trust lost for them ($(stat_of trust_lost_missed_events) > $lost0)" \
	test "$(stat_of trust_lost_missed_events)" -gt "$lost0"
check "workload fork-cow, locks free again" "$MS_BIN/fork-cow" -q
echo scan > "$D/control"
check "scan: 0 disagreements" test "$(scan_field disagreed)" = 0
no_findings "forks whose site events were lost"
diag "$(grep -E '^(probe_lock_busy|nmi_no_alloc|trust_lost|folios_distrusted)' "$D/stats" | tr '\n' ' ')"
ms_unload
echo "$opt0" > "$OPT"
finish
