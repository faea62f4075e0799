# Harness self-test: this test runs past its time limit; the harness must
# report it as failed and go on with the next test.
# timeout: 5
. "$MS_WORK/guest/lib.sh"

ok "about to hang"
sleep 600
finish
