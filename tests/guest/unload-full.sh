# Unloading with a full store: rmmod frees every shadow entry, and reading
# stats walks them all (folios_strict, _adopted, _unverifiable); neither may
# hog a CPU.  A fork-once holds 1 GiB of small pages (262144 folios, every
# one tracked) in two processes while stats is read and the module removed,
# with the soft lockup threshold at 4 s (watchdog_thresh=2) and
# softlockup_panic=1.  Found by the debug kernel's soak: without a
# reschedule point per bucket, rmmod freed 262144 entries for 22 s under
# KASAN (soft lockup in ms_shadow_exit).  On Debian's kernels the same
# frees take well under a second, so there only the debug kernel's run of
# this test can fail on it.
# timeout: 600
. "$MS_WORK/guest/lib.sh"

avail=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
MIB=$(( avail / 2 < 1024 ? avail / 4 * 2 : 1024 ))
NR=$(( MIB * 256 ))
OUT=/tmp/unload-full.out

panic_on_stall
sysfs_set /proc/sys/kernel/watchdog_thresh 2
ms_load "max_folios=$(( NR + 262144 ))" || { not_ok "insmod"; sysfs_restore; finish; }
HOLD_OUT=$OUT hold_start fork-once "$MS_WAIT" -n 1 -s "$MIB"
pid=$HOLD_PID
check "fork-once holds $MIB MiB in two processes" grep -qx "fork-once: holding" $OUT
tracked=$(stat_of folios_tracked)
check "every folio of it tracked ($tracked >= $NR)" test "$tracked" -ge "$NR"
check "nothing dropped" test "$(( $(stat_of folios_dropped_cap) + $(stat_of folios_dropped_nomem) ))" = 0
t0=$(date +%s%N)
check "stats read with $tracked entries" bash -c "cat $D/stats > /dev/null"
diag "stats read in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
t0=$(date +%s%N)
check "rmmod with $tracked entries" ms_unload
diag "rmmod in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
check "module gone" bash -c '! grep -q "^mapshadow " /proc/modules'
kill -USR1 $pid
wait $pid
rc=$?
check "fork-once: exit status 0 ($rc)" test $rc = 0
[ $rc = 0 ] || sed 's/^/# /' $OUT
# The kernel log is checked for soft lockups and RCU stalls by the harness;
# softlockup_panic ends the run before that.
sysfs_restore
finish
