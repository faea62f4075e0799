# Stress: many load/unload cycles under load (not part of the default set).
# timeout: 600
. "$MS_WORK/guest/lib.sh"
start_workload_loops
pids=("${WL_PIDS[@]}")
for i in $(seq ${CYCLES:-40}); do
	ms_load; sleep 0.3; ms_unload
done
kill "${pids[@]}"
ok "cycles done"
finish
