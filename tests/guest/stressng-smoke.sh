# Real workloads, not ours: stress-ng's memory and process stressors (vm,
# mmap, fork, madvise, mremap, userfaultfd, numa, mlock; KSM on) overcommit
# the guest's memory with a zram swap, validating online: once with the
# kernel's site table armed, once without.  stress-ng succeeds, memory
# pressure was real, zero findings and scan disagreements; a soft lockup or
# RCU stall panics the guest (a failure).  MS_STRESS_SECS per run (default
# 20); soak-stressng is the long version (make soak).
# timeout: 300
. "$MS_WORK/guest/lib.sh"

stress_both "${MS_STRESS_SECS:-20}"
finish
