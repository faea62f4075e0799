# A kernel locked down (integrity) while mapshadow is loaded, as on a
# Secure Boot machine: debugfs then opens only files nobody may write, for
# reading. The CLI's reads still work; control and sites fail with one line
# that names the lockdown; rmmod works; a new insmod of the unsigned module
# is refused, and the CLI says why. Lockdown cannot be lifted: this test
# runs last in its boot.
# order: final
# timeout: 120
. "$MS_WORK/guest/lib.sh"

L=/sys/kernel/security/lockdown
[ -e "$L" ] || busybox mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if [ ! -w "$L" ]; then
	ok "# SKIP this kernel has no lockdown LSM"
	finish
fi
check "not locked down at first" grep -q '^\[none\]' "$L"
MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
echo "# mapshadow test table" > /tmp/t.tbl
check "lock down (integrity)" bash -c "echo integrity > $L"
check "locked down now" grep -q '\[integrity\]' "$L"
check "status reads still work" "$MS_BIN/mapshadow" status
check "findings reads still work" "$MS_BIN/mapshadow" findings
for what in "ctl scan" "sites /tmp/t.tbl"; do
	# shellcheck disable=SC2086 # the command and its argument
	err=$("$MS_BIN/mapshadow" $what 2>&1); rc=$?
	check "$what: exit 1 ($rc)" test "$rc" = 1
	check "$what: one line naming the lockdown" \
		grep -qx "mapshadow: writing $D/[a-z]*: refused, the kernel is locked down (integrity): .*kernel_lockdown(7)" <<< "$err"
	diag "$err"
done
check "rmmod works" rmmod mapshadow
# A kernel without module signing (the debug kernel, as a developer builds
# one; it has /proc/config.gz, Debian's do not) loads unsigned modules
# under lockdown too: mapshadow then says at load what lockdown takes away.
if zcat /proc/config.gz 2>/dev/null | grep -q '^# CONFIG_MODULE_SIG is not set'; then
	dmesg -C
	check "no module signing here: insmod under lockdown works" insmod "$MS_KO/mapshadow.ko"
	check "and mapshadow warns that control and sites are refused" \
		bash -c "dmesg | grep -q 'mapshadow: the kernel is locked down: debugfs refuses control and sites'"
	check "status still reads" "$MS_BIN/mapshadow" status
	check "rmmod works again" rmmod mapshadow
else
	check "insmod of the unsigned module refused" bash -c "! insmod $MS_KO/mapshadow.ko 2>/dev/null"
	err=$("$MS_BIN/mapshadow" status 2>&1)
	check "the CLI says signed modules only" grep -q \
		"module not loaded (no $D); the kernel is locked down (integrity): it loads only signed modules" <<< "$err"
fi
finish
