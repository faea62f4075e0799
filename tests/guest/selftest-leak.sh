# Harness self-test (debug kernel): objects dropped on purpose, then a
# kmemleak scan reports them; the harness must report this test as failed
# (tests/vm/selftest.sh).  kmemleak reports objects older than 5 s that
# did not change since the previous scan: wait, then scan twice.
# timeout: 60
. "$MS_WORK/guest/lib.sh"

selftest_trigger leak || finish
sleep 6
echo scan > /sys/kernel/debug/kmemleak
echo scan > /sys/kernel/debug/kmemleak
grep -m1 -A3 '^unreferenced object' /sys/kernel/debug/kmemleak | sed 's/^/# /'
finish
