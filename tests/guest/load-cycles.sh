# 10 load/unload cycles while the workloads loop leave no warning (the host
# checks the kernel log) and the workloads keep succeeding.
# timeout: 300
. "$MS_WORK/guest/lib.sh"

start_workload_loops
pids=("${WL_PIDS[@]}")
loaded=0
for i in $(seq 10); do
	ms_load && loaded=$((loaded + 1))
	sleep 0.5
	cat "$D/stats" "$D/hooks" >/dev/null
	nf=$((${nf:-0} + $(grep -vc '^#' "$D/findings")))
	[ "$(grep -vc '^#' "$D/findings")" = 0 ] || { diag "cycle $i: $(grep -E '^(events_missed|folios_)' "$D/stats" | tr '\n' ' ')"; head -n 30 "$D/findings_detail" | sed 's/^/# /'; }
	ms_unload
	sleep 0.2
done
alive=0
for p in "${pids[@]}"; do
	kill -0 "$p" 2>/dev/null && alive=$((alive + 1))
	kill "$p" 2>/dev/null
done
wait 2>/dev/null
check "10 of 10 loads succeeded" test $loaded = 10
check "no findings in any cycle (${nf:-0})" test "${nf:-0}" = 0
check "module gone at the end" test ! -e "$D"
check "workloads still running after the cycles" test $alive = ${#pids[@]}
check "workloads reported no error" bash -c '! grep FAIL /tmp/*.err'
finish
