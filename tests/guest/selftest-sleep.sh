# Harness self-test (debug kernel): might_sleep() with preemption off, so
# "BUG: sleeping function called from invalid context"; the harness must
# report this test as failed (tests/vm/selftest.sh).
# timeout: 60
. "$MS_WORK/guest/lib.sh"

selftest_trigger sleep
finish
