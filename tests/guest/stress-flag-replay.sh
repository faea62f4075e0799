# Replay of the PG_partially_mapped bug of 6.12.0-6.12.6 (test mode):
# replay=on makes deferred_split_folio()'s atomic set of
# PG_partially_mapped the plain load and store it was, with widen=500
# holding its window open.  partial-race partially unmaps PTE-mapped THPs
# while another thread poisons page 1 (MADV_HWPOISON: memory_failure()
# sets PG_hwpoison in the same word, atomically, under no lock the
# unmapper holds).  The rule must fire on the first replayed write (the
# folio is mapped), and lost updates must be seen and named within the
# run.  The same run without replay gives no flag finding.
# timeout: 420
# allow-log: Memory failure|Injecting memory failure|TEST MODE|hwpoison|HWPoison
. "$MS_WORK/guest/lib.sh"

T=$MS_WORK/sites.tbl
SECS=${MS_REPLAY_SECS:-120}
need_site_table
if [ ! -e /proc/sys/vm/memory_failure_recovery ]; then
	ok "# SKIP kernel without CONFIG_MEMORY_FAILURE"
	finish
fi
ms_load || { not_ok "insmod"; finish; }
check "races=all arms" bash -c "echo races=all > $D/control"
nflag() { findings_of "$1" kind | wc -l; }

check "replay off: partial-race -m hwpoison, 20 s" "$MS_BIN/partial-race" -q -m hwpoison -n 0 -t 20
check "replay off: no flag-race ($(nflag flag-race))" test "$(nflag flag-race)" = 0
check "replay off: no flag-lost ($(nflag flag-lost))" test "$(nflag flag-lost)" = 0

echo widen=500 > "$D/control"
check "replay=on" bash -c "echo replay=on > $D/control"
check "the races file says so" grep -qE '^# widen: 500 us; replay: [1-9]' "$D/races"
t0=$(date +%s)
"$MS_BIN/partial-race" -q -m hwpoison -n 0 -t "$SECS" > /tmp/partial-race.out 2>&1 &
pid=$!
t_race="" t_lost=""
while kill -0 "$pid" 2>/dev/null; do
	[ -z "$t_race" ] && [ "$(nflag flag-race)" -gt 0 ] && t_race=$(($(date +%s) - t0))
	[ -z "$t_lost" ] && [ "$(nflag flag-lost)" -gt 0 ] && t_lost=$(($(date +%s) - t0))
	[ -n "$t_lost" ] && kill "$pid" 2>/dev/null
	sleep 1
done
wait "$pid"
[ -z "$t_race" ] && [ "$(nflag flag-race)" -gt 0 ] && t_race=$(($(date +%s) - t0))
[ -z "$t_lost" ] && [ "$(nflag flag-lost)" -gt 0 ] && t_lost=$(($(date +%s) - t0))
echo replay=off > "$D/control"
echo widen=0 > "$D/control"
row=$(awk '!/^#/ && $5 == "folio_set_partially_mapped" && $12 > 0' "$D/races" | head -n1)
replays=$(awk '!/^#/ && $5 == "folio_set_partially_mapped" { s += $12 } END { print s + 0 }' "$D/races")
reach=$(awk '!/^#/ && $5 == "folio_set_partially_mapped" { s += $8 } END { print s + 0 }' "$D/races")
check "writes replayed ($replays)" test "$replays" -gt 0
check "flag-race on the first replayed write (after ${t_race:-?} s)" test "$(nflag flag-race)" -ge 1
check "every replayed write was to a reachable folio ($reach of $replays)" test "$reach" = "$replays"
race=$(grep -m1 'non-atomic write at deferred_split_folio' "$D/findings_detail")
check "it names deferred_split_folio, the word and PG_partially_mapped" \
	grep -q '(folio_set_partially_mapped, atomic) of _flags_1 bits partially_mapped while reachable (mapped' <<< "$race"
check "flag-lost within $SECS s (after ${t_lost:-never} s)" test -n "$t_lost"
lost=$(grep -m1 'lost update at deferred_split_folio' "$D/findings_detail")
check "it names the lost bit" grep -qE 'of _flags_1: [a-z_|]*hwpoison' <<< "$lost"
tr_ns=$(findings_of flag-race time_ns | head -n1)
tl_ns=$(findings_of flag-lost time_ns | head -n1)
[ -n "$tr_ns" ] && [ -n "$tl_ns" ] &&
	diag "first flag-lost $(awk -v a="$tl_ns" -v b="$tr_ns" 'BEGIN { printf "%.1f", (a - b) / 1e9 }') s after the first flag-race (module clock)"
diag "findings by kind: $(awk '!/^#/ { print $3 }' "$D/findings" | sort | uniq -c | tr -s ' \n' ' ')"
diag "row: $row"
diag "$race"
diag "$lost"
diag "$(grep -E '^race_' "$D/stats" | tr '\n' ' ') $(cat /tmp/partial-race.out)"
echo races=off > "$D/control"
ms_unload
finish
