# No false findings while fork duplicates PTEs inline without a site table
# (issue 9, defect 1).  Without a table copy_page_range() raises a small
# folio's live mapcount before mapshadow hears of the child's mapping;
# reclaim (try_to_unmap) or migration (try_to_migrate) of a folio the fork
# has already copied must not turn that into an underflow, a mismatch or a
# freed-mapped finding.  The module is loaded without the site table
# (6.12's default situation), zram is the swap, and three phases of
# PRESSURE_SECS seconds each (default 30) run fork-loop (PRESSURE_FORK_MIB
# of small anon pages, PRESSURE_RECLAIM_MIB in the reclaim phase, forking
# in a loop, each child exiting at once, never-forked folios refilled
# between two forks):
#   reclaim     fork-loop -m reclaim (each fork copies the half of the region
#               that was refilled an iteration earlier) next to two mem-hog
#               processes (PRESSURE_HOG_MIB each), all in a cgroup v2 with
#               memory.max PRESSURE_MAX: reclaim never stops
#   move        fork-loop -m move: a thread move_pages()s the new window
#               between the two NUMA nodes (numa=fake=2) during the forks
#   compaction  fork-loop -m compact, /proc/sys/vm/compact_memory written in
#               a loop during the forks
# Each phase asserts that it really forked, reclaimed (pswpout, pgsteal_*)
# or migrated (pgmigrate_success), and that mapshadow found nothing.
# PRESSURE_PHASES picks phases (default "reclaim move compaction").
# timeout: 480
. "$MS_WORK/guest/lib.sh"

SECS=${PRESSURE_SECS:-30}
FORK_MIB=${PRESSURE_FORK_MIB:-300}
RECLAIM_MIB=${PRESSURE_RECLAIM_MIB:-160}
HOG_MIB=${PRESSURE_HOG_MIB:-400}
MAX=${PRESSURE_MAX:-600M}
MIN_FORKS=${PRESSURE_MIN_FORKS:-1}
PHASES=${PRESSURE_PHASES:-reclaim move compaction}
CGROOT=/sys/fs/cgroup
CG=$CGROOT/ms-pressure

# vmstat KEY-REGEX: the sum of the /proc/vmstat counters whose name matches.
vmstat() {
	awk -v k="^($1)\$" '$1 ~ k { s += $2 } END { print s + 0 }' /proc/vmstat
}

# in_cg PROG ARGS... &: PROG inside the cgroup, in the background; $! is
# PROG's pid (the subshell of "&" becomes sh, which becomes PROG).
in_cg() {
	exec sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$CG" "$@"
}

# findings_by_kind: "kind=N ..." of the nonzero findings_KIND counters
# (findings_overflow counts those beyond the stored 128, not a kind).
findings_by_kind() {
	sed -n 's/^findings_\([a-z-]*\): \([1-9][0-9]*\)$/\1=\2/p' "$D/stats" |
		grep -v '^overflow=' | tr '\n' ' '
}

# phase NAME FORK-MODE HOGS COMPACT MEMORY-MAX MIB: one phase with its
# assertions; then the findings are cleared so that the next phase is
# judged on its own.  The mem-hogs start first, once the cgroup is at its
# limit fork-loop (MIB) starts, fills its region and forks for SECS seconds;
# then the mem-hogs are killed (they must still be alive).  With COMPACT,
# compact_memory is written in a loop over those SECS seconds.
phase() {
	local mode=$2 hogs=$3 compact=$4 fpid cpid hpids=() rc i forks alive=0
	local swp0 steal0 mig0 cscan0 swp steal mig cscan compactions=0
	local t0=$SECONDS out=/tmp/pf-fork-$1.out tfill tfork tstop texit max0
	PHASE=$1
	if [ -e "$CG/memory.max" ]; then
		echo "$5" > "$CG/memory.max" || not_ok "$PHASE: memory.max $5"
	fi
	swp0=$(vmstat pswpout) steal0=$(vmstat 'pgsteal_.*')
	mig0=$(vmstat pgmigrate_success) cscan0=$(vmstat compact_migrate_scanned)
	# The mem-hogs first: fork-loop fills its region under pressure, and
	# the folios its first fork copies are the oldest, reclaim's next.
	for ((i = 0; i < hogs; i++)); do
		in_cg "$MS_BIN/mem-hog" -q -n 0 -s "$HOG_MIB" > "/tmp/pf-hog$i-$PHASE.out" 2>&1 &
		hpids+=($!)
	done
	max0=$(sed -n 's/^max //p' "$CG/memory.events")
	for ((i = 0; hogs > 0 && i < 50; i++)); do
		[ "$(sed -n 's/^max //p' "$CG/memory.events")" != "$max0" ] && break
		sleep 0.2
	done
	in_cg "$MS_BIN/fork-loop" -n 0 -t "$SECS" -s "$6" -m "$mode" > "$out" 2>&1 &
	fpid=$!
	while kill -0 "$fpid" 2>/dev/null && ! grep -q '^fork-loop: forking' "$out"; do
		sleep 0.2
	done
	tfill=$((SECONDS - t0))
	if [ "$compact" = 1 ]; then
		# Each write compacts every zone; SIGKILL aborts the one under way
		# (a signal the shell catches would not).
		: > /tmp/pf-compactions
		(
			while :; do
				echo 1 > /proc/sys/vm/compact_memory &&
					echo >> /tmp/pf-compactions
				sleep 1
			done
		) &
		cpid=$!
	fi
	# For SECS seconds, or until fork-loop has printed its result line (or
	# died): the iteration under way when its time is up finishes without
	# the pressure.
	while kill -0 "$fpid" 2>/dev/null && ! grep -q '^fork-loop: ok' "$out" &&
	      [ $((SECONDS - t0 - tfill)) -lt "$SECS" ]; do
		sleep 0.5
	done
	tfork=$((SECONDS - t0))
	if [ "$compact" = 1 ]; then
		kill -KILL "$cpid"
		wait "$cpid" 2>/dev/null
		compactions=$(wc -l < /tmp/pf-compactions)
	fi
	for ((i = 0; i < hogs; i++)); do
		kill -0 "${hpids[i]}" 2>/dev/null && alive=$((alive + 1))
		kill "${hpids[i]}" 2>/dev/null
		wait "${hpids[i]}" 2>/dev/null
	done
	if [ "$hogs" -gt 0 ]; then
		check "$PHASE: $hogs mem-hogs ran to the end ($alive alive)" \
			test "$alive" = "$hogs"
		check "$PHASE: mem-hogs reported no error" \
			bash -c '! grep -h . "$@"' _ /tmp/pf-hog*-"$PHASE".out ||
			cat /tmp/pf-hog*-"$PHASE".out | sed 's/^/# /'
	fi
	tstop=$((SECONDS - t0))
	rc=0; wait "$fpid" || rc=$?
	if [ $rc = 0 ] && grep -q '^fork-loop: skip' "$out"; then
		ok "# SKIP $PHASE: $(sed -n 's/^fork-loop: skip //p' "$out")"
		return
	fi
	texit=$((SECONDS - t0))
	forks=$(sed -n 's/^fork-loop: ok iterations=//p' "$out")
	check "$PHASE: fork-loop exit status 0 ($rc)" test $rc = 0 || sed 's/^/# /' "$out"
	check "$PHASE: ${forks:-no} forks in ${SECS}s (at least $MIN_FORKS)" \
		test "${forks:-0}" -ge "$MIN_FORKS"
	grep '^fork-loop: moved' "$out" | sed 's/^/# /'
	# Let the re-checks still pending (50 ms each) conclude.
	sleep 1
	swp=$(($(vmstat pswpout) - swp0)) steal=$(($(vmstat 'pgsteal_.*') - steal0))
	mig=$(($(vmstat pgmigrate_success) - mig0))
	cscan=$(($(vmstat compact_migrate_scanned) - cscan0))
	diag "$PHASE: memory.max $5; vmstat pswpout +$swp pgsteal +$steal pgmigrate_success +$mig compact_migrate_scanned +$cscan; $compactions compactions"
	if [ "$5" != max ]; then
		check "$PHASE: reclaim swapped out (pswpout +$swp)" test "$swp" -gt 0
		check "$PHASE: reclaim stole pages (pgsteal +$steal)" test "$steal" -gt 0
	fi
	if [ "$mode" = move ] || [ "$mode" = compact ]; then
		check "$PHASE: pages migrated (pgmigrate_success +$mig)" test "$mig" -gt 0
	fi
	diag "$PHASE: seconds from the start: filled $tfill, pressure until $tfork, stopped $tstop, fork-loop exited $texit, phase done $((SECONDS - t0)); findings by kind: $(findings_by_kind)"
	head -n 3 "$D/findings" | sed 's/^/# findings: /'
	diag "$PHASE: $(grep -E '^(folios_(strict|adopted|unverifiable|marked_unverifiable)|fork_walks|validate_(checks|suspects|transient)|events_missed|shadow_underflows|freed_while_mapped):' "$D/stats" | tr '\n' ' ')"
	no_findings "$PHASE phase (${SECS}s)"
	echo clear > "$D/control" || not_ok "$PHASE: clear the findings"
}

# PRESSURE_WATCH=N: every N seconds, a diagnostic line per process that is
# running or waiting in the kernel (where a slow phase spends its time).
if [ "${PRESSURE_WATCH:-0}" -gt 0 ]; then
	(
		while sleep "$PRESSURE_WATCH"; do
			for st in /proc/[0-9]*/stat; do
				read -r pid comm state _ 2>/dev/null < "$st" || continue
				case $state in R|D) ;; *) continue ;; esac
				echo "# watch t=$SECONDS $pid $comm $state $(head -n 4 "/proc/$pid/stack" 2>/dev/null | tr '\n' ' ')"
			done
		done
	) &
	WATCH_PID=$!
fi

MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
check "no site table armed (sites_armed $(stat_of sites_armed))" \
	test "$(stat_of sites_armed)" = 0

# zram swap, large enough for everything the cgroup cannot hold.
zdev=
if modprobe zram 2>/dev/null && [ -e /sys/class/zram-control/hot_add ]; then
	zdev=zram$(cat /sys/class/zram-control/hot_add)
fi
if ! { [ -n "$zdev" ] && echo 1536M > "/sys/block/$zdev/disksize" &&
       mkswap "/dev/$zdev" >/dev/null && ms_tool swapon "/dev/$zdev"; }; then
	not_ok "zram swap"
	ms_unload
	finish
fi

# A cgroup v2 with memory.max, so that reclaim runs all the time.
[ -e "$CGROOT/cgroup.controllers" ] ||
	ms_tool mount -t cgroup2 cgroup2 "$CGROOT" || not_ok "mount cgroup2"
echo +memory > "$CGROOT/cgroup.subtree_control" 2>/dev/null
mkdir -p "$CG"
if [ -e "$CG/memory.max" ]; then
	ok "cgroup $CG with a memory controller"
else
	# The debug kernel is built without CONFIG_MEMCG.
	ok "# SKIP reclaim phase: no memory controller (kernel without CONFIG_MEMCG)"
	PHASES=${PHASES//reclaim/}
fi

for p in $PHASES; do
	case $p in
	reclaim) phase reclaim reclaim 2 0 "$MAX" "$RECLAIM_MIB" ;;
	move) phase move move 0 0 max "$FORK_MIB" ;;
	compaction) phase compaction compact 0 1 max "$FORK_MIB" ;;
	*) not_ok "unknown phase $p" ;;
	esac
done

diag "phases done after $SECONDS s"
diag "swap: $(grep -E '^(SwapTotal|SwapFree)' /proc/meminfo | tr -s ' \n' ' ')"
if [ -e "$CG/memory.events" ]; then
	diag "cgroup: $(grep -E '^(oom|oom_kill|max) ' "$CG/memory.events" | tr '\n' ' ')"
	check "no OOM kill in the cgroup" test "$(sed -n 's/^oom_kill //p' "$CG/memory.events")" = 0
else
	check "no OOM kill (no memory controller: the kernel log)" \
		bash -c "! dmesg | grep -q 'Out of memory: Killed process'"
fi
for i in 1 2 3 4 5; do rmdir "$CG" 2>/dev/null && break; sleep 1; done
[ -d "$CG" ] && diag "cannot remove $CG: $(tr '\n' ' ' < "$CG/cgroup.procs")"
ms_tool swapoff "/dev/$zdev" || not_ok "swapoff"
echo 1 > "/sys/block/$zdev/reset"
echo "${zdev#zram}" > /sys/class/zram-control/hot_remove
ms_unload
[ -n "${WATCH_PID:-}" ] && kill "$WATCH_PID"
finish
