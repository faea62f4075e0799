# Harness self-test: the guest kernel panics; the harness must report the
# test as failed and QEMU must exit instead of hanging.
# timeout: 60
. "$MS_WORK/guest/lib.sh"

selftest_trigger panic
finish
