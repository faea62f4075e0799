# Harness self-test: the guest kernel warns on purpose; the harness must
# report this test as failed (tests/vm/selftest.sh checks that it does).
# timeout: 60
. "$MS_WORK/guest/lib.sh"

selftest_trigger warn
finish
