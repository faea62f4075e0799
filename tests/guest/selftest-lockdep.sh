# Harness self-test (debug kernel): two locks taken in both orders, so
# lockdep reports a possible circular locking dependency; the harness must
# report this test as failed (tests/vm/selftest.sh).
# timeout: 60
. "$MS_WORK/guest/lib.sh"

selftest_trigger lockdep
finish
