# Harness self-test: the guest kernel panics; the harness must report the
# test as failed and QEMU must exit instead of hanging.
# timeout: 60
. "$MS_WORK/guest/lib.sh"

grep -q "^ms_selftest " /proc/modules || insmod "$MS_KO/ms_selftest.ko" ||
	{ not_ok "insmod ms_selftest"; finish; }
ok "about to panic"
echo panic > /sys/kernel/debug/ms_selftest/trigger
finish
