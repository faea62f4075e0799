# A fork of a process with 2 GiB of small pages, without a site table: the
# fork walk runs in a return handler with preemption off, so it is bounded
# (trust is lost instead) and creates no shadow entries.  A soft lockup or
# an RCU stall panics the guest (the test then has no result).
# timeout: 600
. "$MS_WORK/guest/lib.sh"

MIB=${FORK_BIG_MIB:-2048}
echo 1 > /proc/sys/kernel/softlockup_panic
[ -e /proc/sys/kernel/panic_on_rcu_stall ] && echo 1 > /proc/sys/kernel/panic_on_rcu_stall
MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
marked0=$(stat_of folios_marked_unverifiable)
check "fork of $MIB MiB of small pages" "$MS_BIN/fork-once" -q -n 1 -s "$MIB"
check "the walk ran ($(stat_of fork_walks) walks)" test "$(stat_of fork_walks)" -gt 0
check "it stopped at its budget: trust lost ($(stat_of trust_lost_fork_walk_too_large))" \
	test "$(stat_of trust_lost_fork_walk_too_large)" -ge 1
check "it visited at most 65536 entries per walk ($(stat_of fork_walk_ptes))" \
	test "$(stat_of fork_walk_ptes)" -le $((65536 * $(stat_of fork_walks)))
# The parent's first 131072 folios are tracked (max_folios): an unbounded
# walk would mark them all.  (The shell's own forks mark a few more.)
marked=$(($(stat_of folios_marked_unverifiable) - marked0))
check "it marked at most its budget ($marked, and the shell's forks)" \
	test "$marked" -le $((65536 + 1024))
no_findings "a $MIB MiB fork"
diag "$(grep -E '^(fork_|folios_|trust_|checks_skipped)' "$D/stats" | tr '\n' ' ')"
ms_unload
echo 0 > /proc/sys/kernel/softlockup_panic
finish
