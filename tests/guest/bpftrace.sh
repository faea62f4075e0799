# The bpftrace scripts of debugfs-tools/bpftrace, run in the guest:
# findings.bt prints an injected finding (pfn, kind, stacks) as the
# findings file has it; follow-pfn.bt sees that folio's rmap calls and
# mapshadow's shadow updates; rmap-rate.bt counts rmap calls by comm and
# function while a workload runs.  Their outputs are the scripts'
# *_example.txt.
# timeout: 420
. "$MS_WORK/guest/lib.sh"

B=$MS_WORK/bpftrace
I=/sys/kernel/debug/ms_inject/ctl
bpftrace_ready || finish
# bpftrace SCRIPT ARGS...: in the background, output in /tmp/bt.out, until
# it says its probes are attached (it compiles first: slow under TCG).
bt_start() {
	bpftrace "$@" > /tmp/bt.out 2>&1 &
	BT=$!
	local i
	for ((i = 0; i < 4 * MS_WAIT; i++)); do
		grep -q '^Attaching' /tmp/bt.out && return 0
		kill -0 "$BT" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}
bt_stop() {
	kill -INT "$BT" 2>/dev/null
	wait "$BT" 2>/dev/null
	sleep 0.2
}

ms_load || { not_ok "insmod"; finish; }
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; finish; }
target twice /tmp/bpftrace-file || not_ok "start target"
pfn=$("$MS_BIN/mapshadow" explain "$TPID" "$A1" | sed -n 's/.*, folio \(0x[0-9a-f]*\) of order.*/\1/p')
check "the folio's pfn from explain ($pfn)" test -n "$pfn"

check "findings.bt attaches" bt_start "$B/findings.bt"
FPID=$BT
mv /tmp/bt.out /tmp/findings.out 2>/dev/null; bpftrace_out=/tmp/findings.out
check "follow-pfn.bt $pfn attaches" bt_start "$B/follow-pfn.bt" "$pfn"
check "inject skip-inc" bash -c "echo '$TPID $A1 skip-inc' > $I"
check "unmap one of two mappings" cmd unmap1
# bpftrace reads its buffers every 100 ms or so; under TCG, give it time.
for ((i = 0; i < 20; i++)); do
	grep -q 'mapshadow finding' /tmp/bt.out && break
	sleep 0.5
done
sleep 1
bt_stop
BT=$FPID bt_stop
follow=$(cat /tmp/bt.out)
found=$(cat /tmp/findings.out)
check "findings.bt: one finding" test "$(grep -c ' finding [0-9]*: ' <<< "$found")" = 1
check "findings.bt: the findings file's id, kind and pfn" \
	grep -q " finding $(finding 1 id): live-unmapped pfn $pfn " <<< "$found"
check "findings.bt: the findings file's time" \
	grep -q " time_ns $(finding 1 time_ns) " <<< "$found"
t=$(sed -n 's/^\([0-9]*\) finding .*/\1/p' <<< "$found")
check "findings.bt: nsecs and time_ns within a second ($t)" \
	awk -v a="$t" -v b="$(finding 1 time_ns)" 'BEGIN { d = a - b; exit !(d >= 0 && d < 1e9) }'
check "findings.bt: a kernel stack" bash -c "grep -A3 'kernel stack:' <<< \"\$0\" | grep -q '+[0-9]'" "$found"
check "follow-pfn.bt: the kernel's rmap call" \
	grep -q "kernel folio_remove_rmap_ptes pfn $pfn by inject-target" <<< "$follow"
check "follow-pfn.bt: mapshadow's shadow update" \
	grep -q "mapshadow shadow_update pfn $pfn delta -1 level pte mapcount 1 source folio_remove_rmap_ptes" <<< "$follow"
check "follow-pfn.bt: the finding" grep -q "mapshadow finding 1: live-unmapped shadow 1 live 0" <<< "$follow"
# The same finding as JSON, parsed by python3's json (the consumer CI has).
json_names_it() {
	"$MS_BIN/mapshadow" findings --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
f = d["findings"]
sys.exit(not (d["count"] == 1 and len(f) == 1 and f[0]["kind"] == "live-unmapped"
	      and f[0]["pfn"] == int(sys.argv[1], 16) and f[0]["comm"] == "inject-target"
	      and f[0]["shadow"] == 1 and f[0]["live"] == 0))' "$pfn"
}
check "findings --json: python3 parses it, and it names the finding" json_names_it
diag "$found"
diag "$follow"
echo undo > "$I"
cmd unmap2
stop

check "rmap-rate.bt 2 attaches" bt_start "$B/rmap-rate.bt" 2
"$MS_BIN/fork-cow" -q
"$MS_BIN/thp-pte-map" -q
sleep 3
bt_stop
rate=$(cat /tmp/bt.out)
check "rmap-rate.bt: a table by comm and function" \
	grep -qE '^@rmap\[fork-cow, folio_(add|remove)_[a-z_]*\]: [0-9]+' <<< "$rate"
diag "$(head -n 30 <<< "$rate")"
rmmod ms_inject
ms_unload
finish
