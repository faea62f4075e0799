# Harness self-test (debug kernel): KASAN reports an out-of-bounds read; the
# harness must report this test as failed (tests/vm/selftest.sh).
# timeout: 60
. "$MS_WORK/guest/lib.sh"

selftest_trigger kasan
finish
