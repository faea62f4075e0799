# The module loads, creates its debugfs directory, and unloads cleanly;
# bad parameters are refused with one line saying why, and leave nothing.
# timeout: 60
. "$MS_WORK/guest/lib.sh"

check "insmod mapshadow.ko" ms_load
check "module listed in /proc/modules" grep -q '^mapshadow ' /proc/modules
check "debugfs directory exists" test -d "$D"
check "load message names armed hooks" \
	bash -c 'dmesg | grep -q "mapshadow: loaded, version .*hooks armed"'
check "rmmod mapshadow" ms_unload
check "debugfs directory removed" test ! -e "$D"
check "unload message" bash -c 'dmesg | grep -q "mapshadow: unloaded"'
check "loads again after unload" ms_load
check "second rmmod" ms_unload
refused() {	# refused PARAM MESSAGE
	check "insmod $1 refused" bash -c "! insmod $MS_KO/mapshadow.ko $1 2>/dev/null"
	check "$1: the log says '$2'" bash -c "dmesg | grep -q 'mapshadow: $2'"
	check "$1: nothing left behind" \
		bash -c "! grep -q '^mapshadow ' /proc/modules && test ! -e $D"
}
refused max_folios=0 "max_folios must be at least 1"
refused history_events=63 "history_events must be 64 to 1048576"
refused history_events=2000000 "history_events must be 64 to 1048576"
# A ring size is rounded up to a power of two: 100 events take 128 slots.
check "insmod history_events=100" insmod "$MS_KO/mapshadow.ko" history_events=100
check "history_events=100: the rings hold 128 events per CPU, 40 to 64 B each" \
	bash -c "b=\$(awk '\$1 == \"store_history_bytes:\" { print \$2 }' $D/stats);
		 n=\$(nproc --all); [ \$b -ge \$((n * 128 * 40)) ] && [ \$b -le \$((n * 128 * 64 + n * 64)) ]"
check "rmmod after history_events=100" ms_unload
finish
