# 10 load/unload cycles while the workloads loop leave no warning (the host
# checks the kernel log) and the workloads keep succeeding.  soak-unload
# does 100.
# timeout: 300
. "$MS_WORK/guest/lib.sh"

load_cycles 10
finish
