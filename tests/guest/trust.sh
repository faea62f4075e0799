# Lost events never become findings.  Each way of losing events is made to
# happen, and the workloads run on: the shadow is given up (trust lost, or
# tracking held back), nothing is reported.  And "disable" stops every
# kind of finding, the kernel's own reports and mm leaks too.
# timeout: 420
# allow-log: Bad page|page dumped because|Call Trace:
. "$MS_WORK/guest/lib.sh"

I=/sys/kernel/debug/ms_inject/ctl

# run_loads SECS: the fork, COW, partial-unmap and mremap loops for SECS s.
run_loads() {
	start_workload_loops
	sleep "$1"
	kill "${WL_PIDS[@]}" 2>/dev/null
	wait "${WL_PIDS[@]}" 2>/dev/null
}

# 1. "disable": an unmap without the rmap call, then a free, then the
# process's exit would give freed-mapped and mm-leak, a lost increment an
# underflow and the kernel's own report; disabled, nothing.
ms_load || { not_ok "insmod"; finish; }
insmod "$MS_KO/ms_inject.ko" || not_ok "insmod ms_inject"
check "disable" bash -c "echo disable > $D/control"
target once || not_ok "start target"
echo "$TPID $A1 skip-remove" > "$I"
cmd zap1
echo free-held > "$I"
stop
# A lost increment on a page mapped once, then its zap: the kernel's own
# "Bad page map" (a kernel-report) and an underflow, both disabled.
target once || not_ok "start target"
echo "$TPID $A1 skip-inc" > "$I"
cmd unmap1
echo drop > "$I"
stop
sleep 0.5
check "the kernel did complain" bash -c "dmesg | grep -q 'Bad page'"
check "disabled: no finding of any kind ($(nfind))" test "$(nfind)" = 0
rmmod ms_inject
ms_unload

# 2. A hook the shadow needs cannot be armed: tracking stays warming and
# says why; without removals every folio would look mapped forever.
ms_load test_fail_hook=folio_remove_rmap_ptes || not_ok "insmod test_fail_hook"
check "the hook is off, with the reason" \
	test "$(hook_field folio_remove_rmap_ptes 3) $(hook_field folio_remove_rmap_ptes 6)" = "off test-fail-hook"
check "tracking stays warming ($(stat_of tracking))" test "$(stat_of tracking)" = warming
check "stats say why ($(stat_of tracking_why))" \
	test "$(stat_of tracking_why)" = hook-off:folio_remove_rmap_ptes:test-fail-hook
check "the kernel log says why" bash -c "dmesg | grep -q 'tracking stays warming.*folio_remove_rmap_ptes'"
run_loads 8
check "held back: nothing judged ($(stat_of validate_checks) checks)" test "$(stat_of validate_checks)" = 0
no_findings "workloads with a needed hook off"
ms_unload

# 3. Too few kretprobe instances (maxactive=1): events are missed, trust is
# lost, the shadows are adopted again and nothing is reported.
ms_load maxactive=1 || not_ok "insmod maxactive=1"
run_loads 20
missed=$(stat_of events_missed)
check "events were missed with maxactive=1 ($missed)" test "$missed" -gt 0
check "trust lost for them ($(stat_of trust_lost_missed_events))" \
	test "$(stat_of trust_lost_missed_events)" -gt 0
no_findings "workloads with missed events"
diag "$(grep -E '^(events_missed|trust_|checks_skipped|folios_distrusted|validate_checks)' "$D/stats" | tr '\n' ' ')"
ms_unload

# 4. More forks at once than fork slots (fork_slots=0: none): sites cannot
# name the child's mm, so its total proves nothing at exit (no mm-leak).
if [ -f "$MS_WORK/sites.tbl" ]; then
	ms_load fork_slots=0 || not_ok "insmod fork_slots=0"
	check "sites armed" test "$(stat_of sites_armed)" = 1
	for i in 1 2 3; do "$MS_BIN/fork-cow" -q -n 2 -s 4 >/dev/null; done
	"$MS_BIN/fork-child-alive" -q -n 2 -s 4 >/dev/null
	check "forks found no slot ($(stat_of fork_slots_full))" test "$(stat_of fork_slots_full)" -gt 0
	no_findings "forks without a slot"
	ms_unload
else
	ok "# SKIP fork slots: no site table"
fi

# 5. A site table that cannot be armed whole is not armed at all.
if [ -f "$MS_WORK/sites.tbl" ]; then
	insmod "$MS_KO/mapshadow.ko" test_fail_hook=site || not_ok "insmod test_fail_hook=site"
	cat "$MS_WORK/sites.tbl" > "$D/sites"
	check "sites=on refused" bash -c "! echo sites=on > $D/control"
	check "no site armed" test "$(awk '$3 == "armed" && $2 ~ /^site/' "$D/hooks" | wc -l)" = 0
	check "stats: sites not armed" test "$(stat_of sites_armed)" = 0
	check "the kernel log says why" bash -c "dmesg | grep -q 'cannot enable the probe.*no site armed'"
	ms_unload
else
	ok "# SKIP site arming: no site table"
fi

# 6. Sites disarmed while hugetlb folios (followed only through inlined
# code) are mapped: their unmaps go unseen, trust is lost, nothing is
# reported when they are freed.
H=/proc/sys/vm/nr_hugepages
if [ -f "$MS_WORK/sites.tbl" ] && [ -e "$H" ]; then
	ms_load || not_ok "insmod"
	sysfs_set "$H" 16
	"$MS_BIN/hugetlb" -H > /tmp/trust-hugetlb.out 2>&1 &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		grep -qx "hugetlb: holding" /tmp/trust-hugetlb.out && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if grep -qx "hugetlb: holding" /tmp/trust-hugetlb.out; then
		check "hugetlb folios tracked strict ($(stat_of folios_strict))" \
			test "$(stat_of folios_strict)" -gt 0
		check "sites=off while they are mapped" bash -c "echo sites=off > $D/control"
		kill -USR1 "$pid"
		wait "$pid"
		check "trust lost when sites were disarmed ($(stat_of trust_lost_sites_disarmed))" \
			test "$(stat_of trust_lost_sites_disarmed)" -ge 1
		no_findings "hugetlb folios unmapped and freed after sites=off"
	else
		kill "$pid" 2>/dev/null
		wait "$pid"
		ok "# SKIP sites off under hugetlb: $(tail -n1 /tmp/trust-hugetlb.out)"
	fi
	sysfs_restore
	ms_unload
else
	ok "# SKIP sites off under hugetlb: no site table or no hugetlb"
fi
finish
