# mapshadow's own tracepoints (events/mapshadow/: finding, shadow_update,
# state), as bpftrace and the trace buffer see them: an injected lost
# increment gives one "finding" event with the finding's id, kind, pfn,
# counters and time (CLOCK_MONOTONIC: the trace clock "mono" and the
# findings file agree), "shadow_update" events follow that folio, and
# "state" events tell validation and the site table going on and off.
# timeout: 180
. "$MS_WORK/guest/lib.sh"

TR=/sys/kernel/tracing
[ -d "$TR/events" ] || mount -t tracefs nodev "$TR" 2>/dev/null
I=/sys/kernel/debug/ms_inject/ctl
E=$TR/events/mapshadow
echo 0 > "$TR/tracing_on"
echo > "$TR/trace"
echo mono > "$TR/trace_clock"
ms_load || { not_ok "insmod"; finish; }
for e in finding shadow_update state; do
	check "event mapshadow:$e exists" test -d "$E/$e"
done
check "the finding event's format names its fields" \
	grep -q 'field:int live;' "$E/finding/format"
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; finish; }
echo 1 > "$E/finding/enable"
echo 1 > "$E/shadow_update/enable"
echo 1 > "$E/state/enable"
echo 1 > "$TR/tracing_on"

inject_lost_increment /tmp/tracepoints-file
pfn=$INJ_PFN
inject_undo
echo disable > "$D/control"
echo enable > "$D/control"
sites=$(stat_of sites_armed)
echo sites=off > "$D/control"
echo 0 > "$TR/tracing_on"
trace=/tmp/tracepoints.trace
cat "$TR/trace" > "$trace"
ev=$(grep ' finding: ' "$trace")
check "one finding event ($(grep -c . <<< "$ev"))" test "$(grep -c . <<< "$ev")" = 1
check "it carries the finding's id, kind and pfn" \
	grep -q "id=$(finding 1 id) .*kind=live-unmapped pfn=$pfn " <<< "$ev"
check "it carries the counters and the raw words" \
	grep -q 'shadow=1 live=0 _mapcount=-1 ' <<< "$ev"
check "it names the process and the hook" \
	grep -q 'comm=inject-target source=folio_remove_rmap_ptes' <<< "$ev"
check "its time is the findings file's" \
	grep -q "time_ns=$(finding 1 time_ns) " <<< "$ev"
# The buffer's own stamp (trace_clock mono, in s) is within a second.
stamp=$(sed -E 's/.* ([0-9]+\.[0-9]+): finding:.*/\1/' <<< "$ev")
check "the buffer's mono stamp agrees ($stamp s)" \
	awk -v s="$stamp" -v t="$(finding 1 time_ns)" 'BEGIN { d = s - t / 1e9; exit !(d > -1 && d < 1) }'
check "shadow_update events follow the folio" \
	bash -c "grep ' shadow_update: pfn=$pfn ' $trace | grep -q 'delta=-1 level=pte mapcount=1 source=folio_remove_rmap_ptes'"
check "state events for disable and enable" \
	bash -c "grep ' state: validation=' $trace | tr '\n' ' ' | grep -q 'validation=off.*validation=on'"
if [ "$sites" = 1 ]; then
	check "a state event for the site table" grep -q ' state: sites=off' "$trace"
fi
diag "$ev"
echo 0 > "$E/enable"
echo local > "$TR/trace_clock"
rmmod ms_inject
ms_unload
finish
