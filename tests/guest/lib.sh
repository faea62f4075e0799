# Helpers for in-guest tests; sourced by tests/guest/*.sh (bash, as root).
# Each test prints "ok - what" / "not ok - what" lines; the host numbers them.
# shellcheck shell=bash

D=/sys/kernel/debug/mapshadow
# ok, not_ok, diag and check come from the tree's one TAP helper.
. "$MS_WORK/guest/tap.sh"
# How long to wait for a helper process or a workload: 60 s times the
# harness's factor for this kernel (MS_TIMEOUT_SCALE, 6 on the debug kernel).
MS_WAIT=$((60 * ${MS_TIMEOUT_SCALE:-1}))

# ms_load [PARAM=VALUE...]: insmod, then stage and arm the kernel's site
# table when the harness provided one (unless MS_NO_SITES is set), and
# its flag-race probes too when the host set MS_RACES=1 (the suite as the
# race detector's false-positive run).
ms_load() {
	insmod "$MS_KO/mapshadow.ko" "$@" || return 1
	if [ -z "${MS_NO_SITES:-}" ] && [ -f "$MS_WORK/sites.tbl" ]; then
		cat "$MS_WORK/sites.tbl" > "$D/sites" &&
			echo sites=on > "$D/control" ||
			{ echo "# arming the site table failed"; return 1; }
	fi
	if [ "${MS_RACES:-0}" = 1 ] && [ -z "${MS_NO_SITES:-}" ] &&
	   [ -f "$MS_WORK/sites.tbl" ]; then
		echo races=on > "$D/control" ||
			{ echo "# arming the flag-race probes failed"; return 1; }
	fi
}

ms_unload() {
	rmmod mapshadow
}

# A helper process as the coprocess T: inject-target (target MODE...) or
# anything else that prints "ready PID ADDR1 [ADDR2]" and then answers
# each command line with "done"; TPID, A1 and A2 come from that line.
target() {
	coproc T { exec "$MS_BIN/inject-target" "$@"; }
	read -r -t "$MS_WAIT" -u "${T[0]}" word TPID A1 A2 && [ "$word" = ready ]
}
# cmd WHAT: one command to T; true once it replied "done".
cmd() {
	local reply
	echo "$1" >&"${T[1]}" && read -r -t "$MS_WAIT" -u "${T[0]}" reply &&
		[ "$reply" = "done" ]
}
stop() { echo exit >&"${T[1]}"; wait "$T_PID" 2>/dev/null; }

# field KEY TEXT: the value of "KEY: value" in TEXT.
field() { sed -n "s/^$1: //p" <<< "$2"; }

# nfind: how many findings are stored.
nfind() { grep -vc '^#' "$D/findings"; }

# finding N FIELD: a field of the Nth finding, named as in the findings
# file's header (id time_ns kind pfn order type shadow live pid comm
# source); comm may have spaces, source is the last word.
finding() {
	awk -v n="$1" -v f="$2" '
		/^#/ { for (i = 2; i <= NF; i++) col[$i] = i - 1; next }
		++row == n {
			if (f == "source") { print $NF; exit }
			if (f != "comm") { print $col[f]; exit }
			s = $col["comm"]
			for (i = col["comm"] + 1; i < NF; i++) s = s " " $i
			print s; exit
		}' "$D/findings"
}

# findings_of KIND FIELD: that field of every finding of one kind.
findings_of() {
	local i
	for ((i = 1; i <= $(nfind); i++)); do
		[ "$(finding "$i" kind)" = "$1" ] && finding "$i" "$2"
	done
}

# stat_of KEY: a value from the stats file.
stat_of() {
	sed -n "s/^$1: //p" "$D/stats"
}

# hook_field TARGET COLUMN: a column (1-based) of one row of the hooks file.
hook_field() {
	awk -v t="$1" -v c="$2" '$1 == t { print $c }' "$D/hooks"
}

# selftest_trigger WHAT: have tests/kmod/ms_selftest do WHAT (an oops, a
# warning, a KASAN report...: the harness's self-tests).  A SKIP when this
# kernel lacks the checker WHAT needs (the module says "not supported").
selftest_trigger() {
	local err
	grep -q "^ms_selftest " /proc/modules || insmod "$MS_KO/ms_selftest.ko" ||
		{ not_ok "insmod ms_selftest"; return 1; }
	ok "triggering $1"
	err=$({ echo "$1" > /sys/kernel/debug/ms_selftest/trigger; } 2>&1) && return 0
	case $err in
	*"not supported"*) ok "# SKIP $1: its checker is not built into $(uname -r)"; return 2 ;;
	*) not_ok "trigger $1: $err"; return 1 ;;
	esac
}

# finish: exit status for the runner (assertions already printed).
finish() {
	tap_end
	exit
}

# need_site_table: the test needs the kernel's site table; without one
# (MS_SITES=0) it is a SKIP, and the test ends here.
need_site_table() {
	[ -f "$MS_WORK/sites.tbl" ] && return 0
	ok "# SKIP no site table for this kernel (MS_SITES=0)"
	finish
}

# inject_lost_increment FILE: a target maps FILE's page twice (TPID, A1,
# A2), ms_inject makes the kernel lose the increment of the first mapping
# and the target unmaps it: mapshadow finds live-unmapped, shadow 1 live 0.
# Its pfn in INJ_PFN.  ms_inject must be loaded; inject_undo cleans up.
inject_lost_increment() {
	target twice "$1" || not_ok "start target"
	check "inject skip-inc" bash -c "echo '$TPID $A1 skip-inc' > /sys/kernel/debug/ms_inject/ctl"
	INJ_PFN=$(sed -n 's/^pfn: //p' /sys/kernel/debug/ms_inject/ctl)
	check "unmap one of two mappings" cmd unmap1
	sleep 0.5
}

inject_undo() {
	echo undo > /sys/kernel/debug/ms_inject/ctl
	cmd unmap2
	stop
}

# ---------------------------------------------------------------------------
# Scans while a workload holds its mappings (tests/guest/shadow-*.sh).
# Workloads take -H: once their mappings are set up they print
# "NAME: holding", wait for SIGUSR1, then tear down and exit.  A workload
# that lacks what it needs prints "NAME: skip WHY" and exits 0.

# scan_field KEY: a value from the last scan result.
scan_field() {
	sed -n "s/^$1: //p" "$D/scan"
}

# scan_check WHAT [nostrict]: one scan; assert zero disagreements and,
# unless nostrict, that some strict folios were checked.  Disagreements are
# printed as diagnostics.
scan_check() {
	local what=$1
	if ! echo scan > "$D/control"; then
		not_ok "$what: scan"
		return 1
	fi
	check "$what: 0 disagreements (strict $(scan_field strict), agreed $(scan_field agreed), busy $(scan_field busy), unchecked $(scan_field unchecked), fork_overlap $(scan_field fork_overlap))" \
		test "$(scan_field disagreed)" = 0
	check "$what: the kernel's own bookkeeping consistent" \
		test "$(scan_field kernel_broken)" = 0
	grep '^disagree:\|^broken:' "$D/scan" | sed 's/^/# /'
	[ "${2:-}" = nostrict ] ||
		check "$what: strict folios checked" test "$(scan_field strict)" -gt 0
}

# hook_hits TARGET: hits of one hook (0 if it has no row).
hook_hits() {
	local h
	h=$(hook_field "$1" 4)
	case $h in
	''|*[!0-9]*) echo 0 ;;
	*) echo "$h" ;;
	esac
}

# hits_mark: remember every hook's hits; assert_hit compares against them.
# hold_scan calls it when it starts a workload.
declare -A MS_HITS0=()
MS_SCENARIO=scenario
hits_mark() {
	local t rest
	MS_HITS0=()
	while read -r t rest; do
		case $t in '#'*|'') continue ;; esac
		MS_HITS0[$t]=$(hook_hits "$t")
	done < "$D/hooks"
}

# assert_hit HOOK...: each hook was hit since hits_mark.  A hook the module
# left off on this kernel (say an inline target) is a SKIP with its reason.
assert_hit() {
	local h before now
	for h; do
		if [ "$(hook_field "$h" 3)" = off ]; then
			ok "# SKIP $MS_SCENARIO: hook $h is off here ($(hook_field "$h" 6))"
			continue
		fi
		before=${MS_HITS0[$h]:-0} now=$(hook_hits "$h")
		check "$MS_SCENARIO: hook $h hit ($before -> $now)" test "$now" -gt "$before"
	done
}

# assert_hit_any HOOK...: at least one of the hooks was hit since hits_mark.
assert_hit_any() {
	local h before now any=1 desc=""
	for h; do
		before=${MS_HITS0[$h]:-0} now=$(hook_hits "$h")
		desc="$desc${desc:+ or }$h ($before -> $now)"
		[ "$now" -gt "$before" ] && any=0
	done
	check "$MS_SCENARIO: hook $desc hit" test $any = 0
}

# hold_start NAME SECS ARGS...: start workload NAME with -H ARGS in the
# background, its output in HOLD_OUT and its pid in HOLD_PID, and wait up
# to SECS for its "NAME: holding" line (or for it to exit).
hold_start() {
	local name=$1 secs=$2 i
	shift 2
	"$MS_BIN/$name" -H "$@" > "$HOLD_OUT" 2>&1 &
	HOLD_PID=$!
	for ((i = 0; i < secs * 10; i++)); do
		grep -qx "$name: holding" "$HOLD_OUT" && break
		kill -0 "$HOLD_PID" 2>/dev/null || break
		sleep 0.1
	done
}

# hold_scan NAME [ARGS...]: run "$MS_BIN/NAME -H ARGS..." in the background
# and, once it holds (at most MS_HOLD_WAIT seconds, default 60, times
# MS_TIMEOUT_SCALE): run the
# command in $HOLD_ACTION if set (it sees HOLD_PID and HOLD_OUT, the
# workload's pid and output file), scan and assert zero disagreements and
# some strict folios; release it with SIGUSR1, assert it exits 0, scan again
# and assert zero disagreements.  HOLD_LABEL, if set, prefixes the
# assertions' names.  Sets MS_SCENARIO and marks the hook hits
# (hits_mark) first, so assert_hit afterwards covers the whole scenario.
# Returns 0 when the scenario ran, 2 when the workload skipped (an
# "ok - # SKIP" line is printed), 1 on a failure.
hold_scan() {
	local name=$1 what="${HOLD_LABEL:+$HOLD_LABEL: }$*" pid rc=0 i
	local wait=$((${MS_HOLD_WAIT:-60} * ${MS_TIMEOUT_SCALE:-1})) skip
	shift
	MS_SCENARIO=$what
	HOLD_OUT=$(mktemp "/tmp/ms-hold-$name.XXXXXX")
	hits_mark
	hold_start "$name" "$wait" "$@"
	pid=$HOLD_PID
	if ! grep -qx "$name: holding" "$HOLD_OUT"; then
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" || rc=$?
			skip=$(sed -n "s/^$name: skip //p" "$HOLD_OUT")
			if [ $rc = 0 ] && [ -n "$skip" ]; then
				ok "# SKIP $what: $skip"
				rm -f "$HOLD_OUT"
				return 2
			fi
			not_ok "$what: exited (status $rc) before holding"
		else
			not_ok "$what: not holding after ${wait}s"
			kill -KILL "$pid"
			wait "$pid" 2>/dev/null
		fi
		sed 's/^/# /' "$HOLD_OUT"
		rm -f "$HOLD_OUT"
		return 1
	fi
	if [ -n "${HOLD_ACTION:-}" ]; then
		$HOLD_ACTION
	fi
	scan_check "$what: while holding"
	kill -USR1 "$pid"
	wait "$pid" || rc=$?
	check "$what: exit status 0 ($rc)" test $rc = 0
	[ $rc = 0 ] || sed 's/^/# /' "$HOLD_OUT"
	grep -v -x "$name: holding" "$HOLD_OUT" | sed 's/^/# /'
	rm -f "$HOLD_OUT"
	scan_check "$what: after exit" nostrict
	[ $rc = 0 ]
}

# sysfs_save FILE...: remember the current values (the [selected] one for
# choice files); sysfs_restore puts them all back.
declare -A MS_SYSFS_SAVED=()
MS_SYSFS_ORDER=()
sysfs_save() {
	local f v
	for f; do
		[ -e "$f" ] || continue
		[ -n "${MS_SYSFS_SAVED[$f]+x}" ] && continue
		v=$(cat "$f")
		case $v in *"["*"]"*) v=${v#*\[}; v=${v%%\]*} ;; esac
		MS_SYSFS_SAVED[$f]=$v
		MS_SYSFS_ORDER+=("$f")
	done
}

# sysfs_set FILE VALUE: save FILE, then write VALUE (a failed write is a
# diagnostic, not an assertion).
sysfs_set() {
	sysfs_save "$1"
	[ -e "$1" ] || { diag "no $1"; return 1; }
	echo "$2" > "$1" 2>/dev/null || { diag "cannot write $2 to $1"; return 1; }
}

sysfs_restore() {
	local i f
	for ((i = ${#MS_SYSFS_ORDER[@]} - 1; i >= 0; i--)); do
		f=${MS_SYSFS_ORDER[i]}
		echo "${MS_SYSFS_SAVED[$f]}" > "$f" 2>/dev/null ||
			diag "cannot restore $f to ${MS_SYSFS_SAVED[$f]}"
	done
	MS_SYSFS_SAVED=() MS_SYSFS_ORDER=()
}

# ms_tool NAME ARGS...: a system tool, or busybox's when the root lacks it
# (the guest root has no mount or swapon).
ms_tool() {
	if command -v "$1" >/dev/null; then "$@"; else busybox "$@"; fi
}

# no_findings WHAT: assert that mapshadow reported nothing (after WHAT).
no_findings() {
	local n
	n=$(grep -vc '^#' "$D/findings")
	check "no findings after $1 ($n)" test "$n" = 0
	[ "$n" = 0 ] || sed 's/^/# /' "$D/findings_detail" | head -n 40
}

# start_workload_loops: the load of the load/unload cycle tests, in the
# background; their pids in WL_PIDS, their errors in /tmp/*.err.  At nice
# 19, like khugepaged: five nice-0 loops on 2 slow vCPUs starved it inside
# collapse_huge_page()'s RCU read side for 21 s, an RCU stall (7.3, a
# make check on an oversubscribed host; as concurrent.sh found).
start_workload_loops() {
	local w
	WL_PIDS=()
	for w in thp-pte-map fork-cow partial-munmap mremap-thp; do
		nice -n 19 "$MS_BIN/$w" -q -n 0 -s 4 >/dev/null 2>"/tmp/$w.err" &
		WL_PIDS+=($!)
	done
	nice -n 19 "$MS_BIN/file-map" -q -n 0 -s 4 -f /tmp/cycles-file >/dev/null 2>/tmp/file-map.err &
	WL_PIDS+=($!)
}

# load_cycles N: N load/unload cycles (ms_load, so with the site table when
# there is one) while the workload loops run; assert every load succeeded,
# no findings in any cycle, the module gone, the workloads still running
# and without error.
load_cycles() {
	local n=$1 i loaded=0 nf=0 f a armed=0 alive=0 p
	start_workload_loops
	for ((i = 1; i <= n; i++)); do
		ms_load && loaded=$((loaded + 1))
		sleep 0.5
		cat "$D/stats" "$D/hooks" >/dev/null
		a=$(stat_of sites_armed) armed=$((armed + ${a:-0}))
		f=$(grep -vc '^#' "$D/findings")
		nf=$((nf + f))
		if [ "$f" != 0 ]; then
			diag "cycle $i: $(grep -E '^(events_missed|folios_)' "$D/stats" | tr '\n' ' ')"
			head -n 30 "$D/findings_detail" | sed 's/^/# /'
		fi
		ms_unload
		sleep 0.2
	done
	for p in "${WL_PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null && alive=$((alive + 1))
		kill "$p" 2>/dev/null
	done
	wait "${WL_PIDS[@]}" 2>/dev/null
	check "$n of $n loads succeeded ($loaded, $armed with the site table armed)" test $loaded = "$n"
	check "no findings in any cycle ($nf)" test $nf = 0
	check "module gone at the end" test ! -e "$D"
	check "workloads still running after the cycles" test $alive = ${#WL_PIDS[@]}
	check "workloads reported no error" bash -c '! grep FAIL /tmp/*.err'
}

# ---------------------------------------------------------------------------
# Memory pressure (shadow-swap, stressng-smoke, soak-*).

# zram_swap_on SIZE: swap on a new zram device of SIZE (256M, 1G...); its
# name in ZDEV (empty when this guest has no zram).
zram_swap_on() {
	ZDEV=
	modprobe zram 2>/dev/null && [ -e /sys/class/zram-control/hot_add ] ||
		return 1
	ZDEV=zram$(cat /sys/class/zram-control/hot_add)
	echo "$1" > "/sys/block/$ZDEV/disksize" &&
		mkswap "/dev/$ZDEV" >/dev/null && ms_tool swapon "/dev/$ZDEV"
}

# zram_swap_off: swapoff ZDEV if it is still on, then remove it.
zram_swap_off() {
	[ -n "${ZDEV:-}" ] || return 0
	if grep -q "^/dev/$ZDEV " /proc/swaps; then
		ms_tool swapoff "/dev/$ZDEV" || not_ok "swapoff /dev/$ZDEV"
	fi
	echo 1 > "/sys/block/$ZDEV/reset"
	echo "${ZDEV#zram}" > /sys/class/zram-control/hot_remove
	ZDEV=
}

# panic_on_stall: a soft lockup or an RCU stall panics the guest, so the
# test ends without a result and the host fails it (sysfs_restore undoes).
panic_on_stall() {
	local f
	for f in softlockup_panic panic_on_rcu_stall; do
		sysfs_set "/proc/sys/kernel/$f" 1
	done
}

# vmstat_of KEY...: the sum of those /proc/vmstat counters.
vmstat_of() {
	awk -v keys=" $* " 'index(keys, " " $1 " ") { n += $2 } END { print n + 0 }' /proc/vmstat
}

# STRESSNG: stress-ng's memory and process stressors, one worker each, sized
# in % of the available memory so that together with the rest they overcommit
# it: reclaim, swap (zram) and compaction run all the time.  --ksm makes
# their memory mergeable.  MS_STRESS_ARGS replaces the list.
STRESSNG=(--vm 1 --vm-bytes 45% --mmap 1 --mmap-bytes 15% --fork 1
	--madvise 1 --mremap 1 --mremap-bytes 10% --userfaultfd 1
	--userfaultfd-bytes 5% --numa 1 --mlock 1 --ksm)

# stress_pass SECS LABEL: load mapshadow (ms_load: the site table is armed
# unless MS_NO_SITES; max_folios=MS_STRESS_MAX_FOLIOS if set), run stress-ng for SECS, compacting and scanning every
# 10 s; assert it succeeded and that the memory pressure was
# real (pages swapped out), zero findings and scan disagreements; print the
# bogo-ops, the kernel's reclaim counters and mapshadow's stats; unload.
stress_pass() {
	local secs=$1 what=$2 pid rc=0 t0 i scans=0 bad=0 out=/tmp/stress-ng.out
	local -a args
	# shellcheck disable=SC2206
	args=(${MS_STRESS_ARGS:-${STRESSNG[@]}})
	ms_load ${MS_STRESS_MAX_FOLIOS:+max_folios=$MS_STRESS_MAX_FOLIOS} ||
		{ not_ok "$what: insmod"; return 1; }
	if [ -z "${MS_NO_SITES:-}" ] && [ -f "$MS_WORK/sites.tbl" ]; then
		check "$what: site table armed" test "$(stat_of sites_armed)" = 1
	else
		check "$what: no site table armed" test "$(stat_of sites_armed)" = 0
	fi
	local -A v0
	local k keys="pswpout pswpin pgscan_kswapd pgscan_direct compact_stall
		compact_success pgmigrate_success thp_split_page numa_pages_migrated"
	for k in $keys; do v0[$k]=$(vmstat_of "$k"); done
	local ksm0; ksm0=$(cat /sys/kernel/mm/ksm/full_scans 2>/dev/null || echo 0)
	t0=$SECONDS
	# At nice 19, like khugepaged and ksmd: with stress-ng at 0 on two
	# emulated CPUs, khugepaged preempted inside an RCU read-side section
	# (collapse_huge_page) waited 21 s for a CPU: an RCU stall on 7.3
	# (PREEMPT_RCU, no RCU boost), CPU starvation rather than a bug.
	nice -n 19 stress-ng --timeout "${secs}s" --metrics-brief --verify --temp-path /tmp \
		"${args[@]}" > "$out" 2>&1 &
	pid=$!
	for ((i = 1; ; i++)); do
		sleep 1
		kill -0 "$pid" 2>/dev/null || break
		[ $((i % 10)) = 0 ] || continue
		echo 1 > /proc/sys/vm/compact_memory 2>/dev/null
		echo scan > "$D/control" && scans=$((scans + 1))
		[ "$(scan_field disagreed)" = 0 ] || {
			bad=$((bad + 1))
			diag "$what: scan at $((SECONDS - t0)) s: $(grep -E '^(strict|disagreed|busy|disagree:)' "$D/scan" | head -n 5 | tr '\n' ' ')"
		}
	done
	wait "$pid" || rc=$?
	check "$what: stress-ng ran $((SECONDS - t0)) s and exited 0 ($rc)" test $rc = 0
	grep -E 'stress-ng: (metrc|info|fail|error|warn|skip)' "$out" |
		grep -Ev 'dispatching|setting to a|defaulting|cache allocate|note:' | sed 's/^/# /'
	[ $rc = 0 ] || tail -n 20 "$out" | sed 's/^/# /'
	diag "$what: kernel:$(for k in $keys; do printf ' %s +%s' "$k" $(($(vmstat_of "$k") - v0[$k])); done)" \
		"ksm_full_scans +$(($(cat /sys/kernel/mm/ksm/full_scans 2>/dev/null || echo 0) - ksm0))"
	check "$what: memory pressure: pages swapped out" \
		test "$(vmstat_of pswpout)" -gt "${v0[pswpout]}"
	check "$what: $scans scans during the run, $bad with disagreements" test $bad = 0
	no_findings "$what: stress-ng"
	diag "$what: $(grep -E '^(sites_armed|hook_hits|events_missed|folios_|shadow_underflows|freed_while_mapped|fork_|mms_|mm_id_drops|validate_|trust_|checks_skipped_)' "$D/stats" | tr '\n' ' ')"
	k=$(grep -E '^findings_' "$D/stats" | grep -v ': 0$' | tr '\n' ' ')
	[ -z "$k" ] || diag "$what: $k"
	ms_unload || not_ok "$what: rmmod"
}

# stress_both SECS: stress_pass with the site table, then without, in a
# guest set up for pressure (zram swap the size of the memory, KSM running,
# stalls panic); every setting restored at the end.
stress_both() {
	local mem
	mem=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
	echo -1000 > /proc/self/oom_score_adj
	panic_on_stall
	sysfs_set /sys/kernel/mm/ksm/run 1
	sysfs_set /sys/kernel/mm/ksm/sleep_millisecs 20
	zram_swap_on "${mem}K" || { not_ok "zram swap"; return 1; }
	diag "memory: $((mem / 1024)) MiB, swap: /dev/$ZDEV $((mem / 1024)) MiB, $(nproc) CPUs"
	stress_pass "$1" "site table"
	MS_NO_SITES=1 stress_pass "$1" "no site table"
	zram_swap_off
	sysfs_restore
}

# ---------------------------------------------------------------------------
# Fuzzing (fuzz-smoke, fuzz-lane): msfuzz programs, mapshadow the oracle.

FUZZ=$MS_BIN/msfuzz
FZ=/tmp/fz

# fuzz_setup: what the programs' mapping types need: a tmpfs, a huge=always
# tmpfs (shmem THP), an ext2 file system on zram for page cache of a disk
# file system (tmpfs when busybox cannot make one), every mTHP size on
# "inherit" under THP "madvise", hugetlb pages, KSM and khugepaged awake,
# and zram swap (PAGEOUT, reclaim).  fuzz_teardown undoes it.
fuzz_setup() {
	local T=/sys/kernel/mm/transparent_hugepage f dev
	mkdir -p $FZ/shm $FZ/huge $FZ/disk
	ms_tool mount -t tmpfs -o size=256M tmpfs $FZ/shm
	ms_tool mount -t tmpfs -o size=256M,huge=always tmpfs $FZ/huge
	export MSFUZZ_TMPFS=$FZ/shm MSFUZZ_TMPFS_HUGE=$FZ/huge MSFUZZ_FILEDIR=$FZ/shm
	FZ_DISK=
	if modprobe zram 2>/dev/null && [ -e /sys/class/zram-control/hot_add ]; then
		dev=zram$(cat /sys/class/zram-control/hot_add)
		modprobe ext4 2>/dev/null
		if echo 128M > "/sys/block/$dev/disksize" &&
		   busybox mke2fs -b 4096 "/dev/$dev" >$FZ/mke2fs.log 2>&1 &&
		   { ms_tool mount -t ext2 "/dev/$dev" $FZ/disk ||
		     ms_tool mount -t ext4 "/dev/$dev" $FZ/disk; } 2>>$FZ/mke2fs.log; then
			FZ_DISK=$dev MSFUZZ_FILEDIR=$FZ/disk
		else
			echo 1 > "/sys/block/$dev/reset" 2>/dev/null
			echo "${dev#zram}" > /sys/class/zram-control/hot_remove 2>/dev/null
			diag "no ext2 on zram ($(tail -n1 $FZ/mke2fs.log)): file mappings on tmpfs"
		fi
	fi
	sysfs_set $T/enabled madvise
	for f in $T/hugepages-*kB/enabled; do sysfs_set "$f" inherit; done
	sysfs_set $T/khugepaged/scan_sleep_millisecs 100
	sysfs_set /proc/sys/vm/nr_hugepages 64
	sysfs_set /sys/kernel/mm/ksm/sleep_millisecs 20
	sysfs_set /sys/kernel/mm/ksm/run 1
	zram_swap_on 512M || diag "no zram swap"
	fuzz_dax_setup
	# 1 GiB hugetlb pages exist only when reserved at boot (make fuzz
	# boots with hugepagesz=1G hugepages=2).
	f=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
	[ "$(cat $f 2>/dev/null || echo 0)" -gt 0 ] && export MSFUZZ_HUGETLB_1G=1
	return 0
}

# fuzz_dax_setup: device-dax devices on the legacy pmem regions that
# "memmap=SIZE!START" on the command line makes (make fuzz boots with
# two), by the sysfs steps "ndctl create-namespace -m devdax -a ALIGN"
# takes: the raw namespace let go, the region's dax seed given a uuid,
# struct pages in RAM, the alignment and the namespace, then bound to
# dax_pmem.  A region of 2 GiB or more gets 1 GiB alignment (its first
# GiB goes to the pfn info block's padding) and is MSFUZZ_DAX_1G; a
# smaller one 2 MiB alignment, MSFUZZ_DAX.  Nothing without such regions.
fuzz_dax_setup() {
	local r=/sys/bus/nd/devices ns region seed m size align
	grep -q 'memmap=[^ ]*!' /proc/cmdline || return 0
	for m in nd_e820 nd_pmem dax_pmem device_dax; do
		modprobe $m 2>/dev/null || { diag "no device-dax: modprobe $m failed"; return 0; }
	done
	for ns in $r/namespace*.0; do
		[ -e "$ns" ] || { diag "no device-dax: no pmem namespace"; return 0; }
		ns=$(basename "$ns")
		region=$(basename "$(readlink -f "$r/$ns/..")")
		size=$(cat "$r/$region/size")
		align=$((2 << 20))
		[ "$size" -lt $((2 << 30)) ] || align=$((1 << 30))
		seed=$(cat "$r/$region/dax_seed")
		if echo "$ns" > /sys/bus/nd/drivers/nd_pmem/unbind &&
		   cat /proc/sys/kernel/random/uuid > "$r/$seed/uuid" &&
		   echo ram > "$r/$seed/mode" && echo $align > "$r/$seed/align" &&
		   echo "$ns" > "$r/$seed/namespace" &&
		   echo "$seed" > /sys/bus/nd/drivers/dax_pmem/bind && [ -c "/dev/$seed" ]; then
			if [ $align = $((1 << 30)) ]; then
				export MSFUZZ_DAX_1G=/dev/$seed
			else
				export MSFUZZ_DAX=/dev/$seed
			fi
			diag "device-dax: /dev/$seed, $((size >> 20)) MiB region, $((align >> 20)) MiB aligned"
		else
			diag "no device-dax from $ns ($((size >> 20)) MiB region)"
		fi
	done
}

fuzz_teardown() {
	sysfs_set /sys/kernel/mm/ksm/run 2
	zram_swap_off
	ms_tool umount $FZ/shm $FZ/huge 2>/dev/null
	if [ -n "$FZ_DISK" ]; then
		ms_tool umount $FZ/disk
		echo 1 > "/sys/block/$FZ_DISK/reset"
		echo "${FZ_DISK#zram}" > /sys/class/zram-control/hot_remove
	fi
	sysfs_restore
}

# fuzz_title_of: the first kernel report among the log lines on stdin
# (timestamps taken off), as a stable title: numbers, addresses and the
# task's name taken out; empty when there is none.  A report is mapshadow's
# own "BUG: mapshadow: KIND in FUNCTION" (report=warn) or the kernel's:
# BUG/WARNING lines, a bad page or rss counter, and a page-table entry the
# kernel found bad and cleared ("mm/pgtable-generic.c:N: bad pud ...").
# "mm", "comm" and "pid" are whole words, in any case, so that a kind or a
# function with "mm" inside ("mm-leak", "exit_mmap") stays as it is.
fuzz_title_of() {
	grep -E 'BUG: |WARNING: |Bad page|Bad rss-counter|kernel BUG|: bad (pgd|p4d|pud|pmd) ' |
		head -n1 |
		sed -E 's/ in process [^ ]+/ in process X/; s/\<(comm|mm|pid)(:| )[^ ]+/\1 X/gI;
			s/\<([a-z_]+):[0-9a-f]+\>/\1:X/g; s/\<[0-9a-f]{8,}\>/X/g;
			s/0x[0-9a-f]+/X/g; s/\<[0-9]+\>/N/g; s/ at [^ ]+\+X\/X/ at F/' |
		cut -c1-120
}

# fuzz_title: fuzz_title_of the kernel log since the last "dmesg -C".
# With -k, the kernel's reports only.
fuzz_title() {
	local skip='^$'
	[ "${1:-}" = -k ] && skip='BUG: mapshadow:'
	dmesg | sed 's/^\[[ 0-9.]*\] *//' | grep -Ev "$skip" | fuzz_title_of
}

# fuzz_try PROG: run one program from a clean slate (findings cleared,
# kernel log emptied); its summary in FZ_SUMMARY, the failure's title (or
# nothing) in FZ_TITLE.
fuzz_try() {
	[ -d "$D" ] && echo clear > "$D/control"
	dmesg -C
	# At nice 19, like khugepaged and ksmd, which would otherwise starve
	# on two emulated CPUs (an RCU stall is then the emulator's, not a
	# kernel bug: start_workload_loops).
	FZ_SUMMARY=$(nice -n 19 timeout 300 "$FUZZ" run "$1" 2>&1 | grep '^msfuzz: ops=' | tail -n1)
	sleep 0.2
	FZ_TITLE=$(fuzz_title)
	fuzz_drop_inject
}

# fuzz_drop_inject: ms_inject (the smoke's faults) holds the page of its
# last injection until told to let go; one at a time.
fuzz_drop_inject() {
	local c=/sys/kernel/debug/ms_inject/ctl
	[ -e $c ] && echo drop > $c 2>/dev/null
	return 0
}

# fuzz_still TITLE PROG: for "msfuzz min": does PROG still fail so?
fuzz_still() {
	fuzz_try "$2"
	[ "$FZ_TITLE" = "$1" ]
}

# fuzz_emit NAME FILE: a file for the host (tests/fuzz/collect.sh).
fuzz_emit() {
	sed "s/^/fuzz-file $1: /" "$2"
	echo "fuzz-file-end $1"
}

# ---------------------------------------------------------------------------
# bpftrace and benchmarks (bpftrace, benchmarks-smoke, bench-*).

# bpftrace_ready: tracefs mounted, and for a kernel built with O= (the
# debug kernel, as most self-built ones: its modules folder's "build" is
# the object tree, without include/linux/kconfig.h) bpftrace told where
# the source is, as a user of such a kernel must (README, bpftrace).
# False (with a SKIP) when the guest root has no bpftrace.
bpftrace_ready() {
	local kb=/lib/modules/$(uname -r)/build
	if ! command -v bpftrace >/dev/null; then
		ok "# SKIP no bpftrace in the guest root"
		return 1
	fi
	[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	if [ -d "$kb" ] && [ ! -e "$kb/include/linux/kconfig.h" ] &&
	   [ -e "$kb/source/include/linux/kconfig.h" ]; then
		export BPFTRACE_KERNEL_SOURCE=$kb/source BPFTRACE_KERNEL_BUILD=$kb
		diag "an O= build tree: BPFTRACE_KERNEL_SOURCE=$BPFTRACE_KERNEL_SOURCE"
	fi
}

# The benchmarks' measurements (bench-mapcount.sh, bench-scale.sh).
# median_of FILE: the median_ns of bench-mapcount's line in FILE.
median_of() {
	sed -n 's/^bench=.* median_ns=\([0-9]*\) .*/\1/p' "$1" | head -n1
}

# bench_med CMD...: the median of one bench-mapcount run (empty on failure).
bench_med() {
	"$@" > /tmp/bench-med.out 2>&1
	median_of /tmp/bench-med.out
}

# bench_folios KIND MIB: how many folios MIB of bench-mapcount's KIND is.
bench_folios() {
	case $1 in
	thp) echo $(($2 / 2)) ;;
	mthp64) echo $(($2 * 16)) ;;
	*) echo $(($2 * 256)) ;;
	esac
}

# bench_max_folios MIB: a max_folios with room for MIB of small pages four
# times over (the area, its COW copies and the rest of the guest: a full
# store would drop folios and measure less than tracking), and never below
# the default.
bench_max_folios() {
	echo $(($1 * 256 * 4 > 131072 ? $1 * 256 * 4 : 131072))
}

# measure COLUMN CMD...: run one measurement; its median in NS (empty when
# it failed: its output as diagnostics).
measure() {
	local col=$1 out=/tmp/bench.out rc=0
	shift
	"$@" > "$out" 2>&1 || rc=$?
	NS=$(median_of "$out")
	if [ -z "$NS" ] || [ $rc != 0 ]; then
		NS=
		diag "$col: exit status $rc"
		tail -n 20 "$out" | sed 's/^/# /'
		return 1
	fi
	grep '^bench=' "$out" | sed "s/^/# $col: /"
}

# ratio A B: A / B to 3 places, "-" when either is missing.
ratio() {
	[ -n "$1" ] && [ -n "$2" ] || { echo "-"; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}

# bench_quiet: nothing that remaps a benchmark's area or runs in its timed
# windows on its own (NUMA hinting faults with numa=fake, khugepaged
# collapsing PTE-mapped THPs, proactive compaction); the THP size knobs
# saved (the benchmark sets them).  sysfs_restore undoes it all.
bench_quiet() {
	local f
	for f in /sys/kernel/mm/transparent_hugepage/enabled \
		 /sys/kernel/mm/transparent_hugepage/hugepages-*/enabled; do
		sysfs_save "$f"
	done
	sysfs_set /proc/sys/kernel/numa_balancing 0
	sysfs_set /proc/sys/vm/compaction_proactiveness 0
	sysfs_set /sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs 86400000
}
