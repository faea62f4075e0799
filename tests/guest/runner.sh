#!/bin/bash
# Runs inside the guest (chroot into the trixie root): executes the tests
# named in /mnt/work/tests.list, one after another, each under its own time
# limit, and streams their output to the second serial port for the host.
W=/mnt/work
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
export MS_WORK=$W MS_KO=$W/ko MS_BIN=$W/bin PATH=$W/bin:/usr/sbin:/usr/bin:/sbin:/bin
# The host's MS_STRESS_*/MS_SOAK_* variables (tests/vm/run.sh).
[ -f "$W/env" ] && . "$W/env"
# The host's factor for time limits on this kernel (tests/vm/run.sh).
MS_TIMEOUT_SCALE=$(cat "$W/scale" 2>/dev/null || echo 1)
export MS_TIMEOUT_SCALE
cd /tmp || exit 1
echo "@@ guest $(uname -r) cpus=$(nproc)" >&3
while read -r name limit; do
	echo "mapshadow-test: begin $name" > /dev/kmsg
	echo "@@ begin $name" >&3
	start=$SECONDS
	timeout -k 5 "$limit" bash "$W/guest/$name.sh" >&3 2>&1 </dev/null
	rc=$?
	# Leave nothing behind for the next test.
	rmmod mapshadow 2>/dev/null
	echo "@@ end $name rc=$rc secs=$((SECONDS - start))" >&3
	echo "mapshadow-test: end $name" > /dev/kmsg
done < "$W/tests.list"
echo "@@ done" >&3
