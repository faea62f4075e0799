# Online validation under concurrency: several workload processes in
# parallel on 2 vCPUs, sharing folios (the workloads' own text and libc-free
# static binaries, shared files, fork) mapped and unmapped from different
# page tables at once.  Zero findings, zero scan disagreements.
# timeout: 600
. "$MS_WORK/guest/lib.sh"

SECS=${CONCURRENT_SECS:-90}
ms_load || { not_ok "insmod"; finish; }
pids=()
# The workloads at nice 19, like khugepaged and ksmd (see stress_pass in
# lib.sh): seven CPU-bound loops at nice 0 on two emulated CPUs once kept
# khugepaged, preempted inside an RCU read-side section in
# collapse_huge_page(), off the CPU for 21 s on 7.3 (PREEMPT_RCU, no RCU
# boost): an RCU stall report from CPU starvation on a host running three
# guests on two cores, with no mapshadow frame on the stack.
for w in thp-pte-map fork-cow fork-child-alive partial-munmap mremap-thp; do
	nice -n 19 "$MS_BIN/$w" -q -n 0 -s 4 >/dev/null 2>"/tmp/$w.err" &
	pids+=($!)
done
for i in 1 2; do
	nice -n 19 "$MS_BIN/file-map" -q -n 0 -s 2 -f "/tmp/conc-file$i" >/dev/null 2>"/tmp/file-map$i.err" &
	pids+=($!)
done
start=$SECONDS
scans=0
while [ $((SECONDS - start)) -lt "$SECS" ]; do
	sleep 10
	echo scan > "$D/control" && scans=$((scans + 1))
	[ "$(sed -n 's/^disagreed: //p' "$D/scan")" = 0 ] ||
		not_ok "scan $scans during the load: $(grep -E '^(strict|disagreed|busy)' "$D/scan" | tr '\n' ' ')"
done
alive=0
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
kill "${pids[@]}" 2>/dev/null
wait 2>/dev/null
check "workloads ran $SECS s in parallel (${#pids[@]} alive: $alive)" test $alive = ${#pids[@]}
check "workloads reported no error" bash -c '! grep -h FAIL /tmp/*.err'
check "$scans scans during the load saw 0 disagreements" test "$scans" -gt 0
echo scan > "$D/control"
check "final scan: 0 disagreements" test "$(sed -n 's/^disagreed: //p' "$D/scan")" = 0
check "validation ran ($(stat_of validate_checks) checks, $(stat_of validate_transient) transient)" \
	test "$(stat_of validate_checks)" -gt 0
check "no events missed" test "$(stat_of events_missed)" = 0
no_findings "$SECS s of concurrent workloads"
diag "$(grep -E '^(folios|validate|events|fork)' "$D/stats" | tr '\n' ' ')"
ms_unload
finish
