# No leaks (kernels with kmemleak: the debug kernel; SKIP elsewhere).
# Runs last: first, nothing unreferenced is left from boot or the earlier
# tests; then a load, workloads under tracking, every debugfs file
# and verb, an unload while workloads run, a second load and unload leave
# no unreferenced object behind, mapshadow's or any other.  The host also
# fails the test on kmemleak's "new suspected memory leaks" log line.
# timeout: 300
# order: last
. "$MS_WORK/guest/lib.sh"

K=/sys/kernel/debug/kmemleak
if [ ! -e "$K" ]; then
	ok "# SKIP leaks: kernel without CONFIG_DEBUG_KMEMLEAK"
	finish
fi

# leak_scan: the unreferenced objects now.  kmemleak reports an object
# only when it is older than 5 s and unchanged since the previous scan:
# wait, then scan twice.
leak_scan() {
	sleep 6
	echo scan > "$K" && echo scan > "$K" && cat "$K"
}
nleaks() { grep -c '^unreferenced object' <<< "$1"; }

# leak_report WHAT TEXT [mine]: one assertion that TEXT lists no object;
# with "mine", a second that none was allocated by mapshadow: a backtrace
# through it, by symbol while it is loaded, or as a bare address in the
# module area (0xffffffffa0000000 and up) once it is gone, the only module
# loaded and unloaded since the last "clear".
leak_report() {
	local what=$1 text=$2 n mine
	n=$(nleaks "$text")
	check "no unreferenced object $what ($n)" test "$n" = 0
	if [ "${3:-}" = mine ]; then
		mine=$(awk '
			/^unreferenced object/ { obj = $0 }
			/\[mapshadow\]/ { hit[obj] = 1 }
			{ for (i = 1; i <= NF; i++)
				if ($i ~ /^0xffffffff[a-f][0-9a-f]+$/ && length($i) == 18)
					hit[obj] = 1 }
			END { n = 0; for (o in hit) n++; print n }' <<< "$text")
		check "none of them allocated by mapshadow ($mine)" test "$mine" = 0
	fi
	[ "$n" = 0 ] || head -n 60 <<< "$text" | sed 's/^/# /'
}

leak_report "from boot or the earlier tests" "$(leak_scan)"
echo clear > "$K"

ms_load || { not_ok "insmod"; finish; }
for w in thp-pte-map fork-cow partial-munmap mremap-thp shmem-thp mthp; do
	"$MS_BIN/$w" -q >/dev/null 2>&1 || diag "workload $w failed"
done
"$MS_BIN/file-map" -q -f /tmp/leaks-file >/dev/null 2>&1 || diag "workload file-map failed"
echo scan > "$D/control"
for v in "filter comm=fork-cow" "filter all" stack=off stack=on disable enable \
	"show pfn=0x1" sites=off sites=on clear; do
	echo "$v" > "$D/control" 2>/dev/null
done
for f in "$D"/*; do
	[ -r "$f" ] && [ "${f##*/}" != control ] && [ "${f##*/}" != sites ] && cat "$f" >/dev/null
done
leak_report "while loaded" "$(leak_scan)" mine
# Unload while workloads run (events in flight), then once more idle.
start_workload_loops
sleep 2
check "rmmod under load" ms_unload
kill "${WL_PIDS[@]}" 2>/dev/null
wait 2>/dev/null
check "loads again" ms_load
check "rmmod" ms_unload
leak_report "after rmmod" "$(leak_scan)" mine
finish
