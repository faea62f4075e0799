# Stress: many load/unload cycles under load (not part of the default set).
# timeout: 600
. "$MS_WORK/guest/lib.sh"
pids=()
for w in thp-pte-map fork-cow partial-munmap mremap-thp; do
	"$MS_BIN/$w" -q -n 0 -s 4 >/dev/null 2>"/tmp/$w.err" &
	pids+=($!)
done
"$MS_BIN/file-map" -q -n 0 -s 4 -f /tmp/cycles-file >/dev/null 2>/tmp/file-map.err &
pids+=($!)
for i in $(seq ${CYCLES:-40}); do
	ms_load; sleep 0.3; ms_unload
done
kill "${pids[@]}"
ok "cycles done"
finish
