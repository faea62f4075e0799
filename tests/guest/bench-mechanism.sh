# What the probe mechanism alone costs, per kind of probe (issue 13), in
# guest instructions (QEMU -icount: "make bench"; run alone, by name).
# mapshadow hooks each out-of-line rmap primitive with a kretprobe: an
# ftrace-based kprobe on entry and a rethook on return.  The kernel has
# cheaper ways to see the same calls; this measures them side by side, in
# one boot, with the tracefs dynamic events of each kind on the same
# functions (tests/bench/krp-empty.bt's list), tracing off so that each
# event's handler returns at once:
#   base      no probes
#   kretprobe p: and r: events (what mapshadow uses today)
#   fprobe    f: and f:...%return events (ftrace, with rethook on 6.12
#             and the function-graph return stack from 6.14)
#   kprobe    p: events only (entry only, as the bpftrace reference)
#   fentry    f: events only
# and mapshadow itself, site table armed, both ways:
#   ms-krp    the default: its rmap rows are kretprobes
#   ms-fp     fprobes=1: its rmap rows are fprobes where they can be
# Printed as "# mech: " lines and as instructions per folio above base.
#   MS_BENCH_MIB (default 64), MS_BENCH_RUNS (default 3), MS_BENCH_MECH_LIST
#   (pairs BENCH:KIND, default below)
# timeout: 3600
. "$MS_WORK/guest/lib.sh"

MIB=${MS_BENCH_MIB:-64}
RUNS=${MS_BENCH_RUNS:-3}
LIST=${MS_BENCH_MECH_LIST:-"munmap:small fork:thp munmap:thp cow:small"}
T=/sys/kernel/tracing
FUNCS="folio_add_new_anon_rmap folio_add_anon_rmap_ptes folio_add_file_rmap_ptes
folio_add_anon_rmap_pmd folio_add_file_rmap_pmd folio_remove_rmap_ptes
folio_remove_rmap_pmd copy_page_range copy_huge_pmd"

# probes KIND: the dynamic events of KIND on every function, enabled
probes() {
	local f i=0
	for f in $FUNCS; do
		i=$((i + 1))
		case $1 in
		kretprobe) echo "p:msmech/e$i $f" && echo "r:msmech/r$i $f" ;;
		fprobe) echo "f:msmech/e$i $f" && echo "f:msmech/r$i $f%return" ;;
		kprobe) echo "p:msmech/e$i $f" ;;
		fentry) echo "f:msmech/e$i $f" ;;
		esac
	done >> "$T/dynamic_events" || return 1
	echo 1 > "$T/events/msmech/enable"
}

# noprobes: every dynamic event gone (this test made the only ones)
noprobes() {
	[ -d "$T/events/msmech" ] && echo 0 > "$T/events/msmech/enable"
	: > "$T/dynamic_events"
}

bench_quiet
[ -d "$T/events" ] || mount -t tracefs nodev "$T" 2>/dev/null
check "tracefs has dynamic events" test -w "$T/dynamic_events"
noprobes
echo 0 > "$T/tracing_on"
MAX_FOLIOS=$(bench_max_folios "$MIB")
diag "mech: kernel,bench,kind,mib,base,kretprobe,fprobe,kprobe,fentry,ms-krp,ms-fp (ns = guest instructions)"
for pair in $LIST; do
	b=${pair%%:*} k=${pair#*:}
	cmd=("$MS_BIN/bench-mapcount" -s "$MIB" -r "$RUNS" "$b" "$k")
	per=$(bench_folios "$k" "$MIB")
	declare -A v=()
	v[base]=$(bench_med "${cmd[@]}")
	for kind in kretprobe fprobe kprobe fentry; do
		if probes "$kind"; then
			v[$kind]=$(bench_med "${cmd[@]}")
		else
			diag "$kind events refused: $(tail -n3 "$T/error_log" 2>/dev/null)"
		fi
		noprobes
	done
	ms_load "max_folios=$MAX_FOLIOS" && v[ms-krp]=$(bench_med "${cmd[@]}")
	ms_unload
	ms_load fprobes=1 "max_folios=$MAX_FOLIOS" && v[ms-fp]=$(bench_med "${cmd[@]}")
	check "$b $k: nothing missed" test "$(stat_of events_missed)" = 0
	ms_unload
	check "$b $k: all seven measured" test -n "${v[base]}" -a -n "${v[kretprobe]}" -a -n "${v[fprobe]}" \
		-a -n "${v[kprobe]}" -a -n "${v[fentry]}" -a -n "${v[ms-krp]}" -a -n "${v[ms-fp]}"
	diag "mech: $(uname -r),$b,$k,$MIB,${v[base]},${v[kretprobe]},${v[fprobe]},${v[kprobe]},${v[fentry]},${v[ms-krp]},${v[ms-fp]}"
	diag "mech-per-folio $b $k ($per folios): $(awk -v b="${v[base]}" -v r="${v[kretprobe]}" -v f="${v[fprobe]}" -v p="${v[kprobe]}" \
		-v e="${v[fentry]}" -v mk="${v[ms-krp]}" -v mf="${v[ms-fp]}" -v n="$per" \
		'BEGIN { printf "kretprobe %+d, fprobe %+d, kprobe %+d, fentry %+d, ms-krp %+d, ms-fp %+d instructions per folio; ms-krp %.3fx, ms-fp %.3fx", (r-b)/n, (f-b)/n, (p-b)/n, (e-b)/n, (mk-b)/n, (mf-b)/n, mk/b, mf/b }')"
	unset v
done
echo 1 > "$T/tracing_on"
sysfs_restore
finish
