# The module loads, creates its debugfs directory, and unloads cleanly.
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
finish
