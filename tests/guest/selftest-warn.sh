# Harness self-test: the guest kernel warns on purpose; the harness must
# report this test as failed (tests/vm/selftest.sh checks that it does).
# timeout: 60
. "$MS_WORK/guest/lib.sh"

grep -q "^ms_selftest " /proc/modules || insmod "$MS_KO/ms_selftest.ko" ||
	{ not_ok "insmod ms_selftest"; finish; }
echo warn > /sys/kernel/debug/ms_selftest/trigger
ok "triggered warn"
finish
