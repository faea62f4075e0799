# Control-file garbage (random bytes, overlong lines, bad numbers, every verb
# malformed) is refused with an error and changes nothing.
# timeout: 300
. "$MS_WORK/guest/lib.sh"

MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
state() { grep -E '^(enabled|sites_armed|filter_mode|filter_value|findings_[a-z-]+): ' "$D/stats"; }
before=$(state)
accepted=0
# try STRING: one write(2) of exactly STRING (the shell's printf may split).
try() {
	printf '%s' "$1" > /tmp/verb
	if dd if=/tmp/verb of="$D/control" bs=4096 status=none 2>/dev/null; then
		accepted=$((accepted + 1)); diag "accepted: $1"
	fi
}
for v in " " "scan " " scan" "SCAN" "scan scan" "scan=" "clear=1" "stack" "stack=" \
	 "stack=maybe" "stack=on " "enable=1" "disable now" "filter" "filter " "filter pid" \
	 "filter pid=" "filter pid=0" "filter pid=-1" "filter pid=+5" "filter pid=0x10" \
	 "filter pid=1e3" "filter pid=99999999999" "filter pid=4194305" "filter pid=1 " \
	 "filter comm=" "filter comm=has space" "filter comm=0123456789abcdefg" \
	 "filter all " "filter everything" "sites" "sites=" "sites=yes" "sites=on=on" \
	 $'scan\n\n' $'clear\nscan' "$(printf 'x%.0s' $(seq 200))"; do
	try "$v"
done
check "malformed verbs all refused" test $accepted = 0
printf 'scan\000' > /tmp/verb
check "a verb with a NUL refused" bash -c "! dd if=/tmp/verb of=$D/control status=none 2>/dev/null"
# 3000 random writes from one process (forking head and dd for each is slow
# under TCG): each must fail with EINVAL.
out=$(python3 -c '
import os
n = refused = 0
for i in range(3000):
    data = os.urandom(1 + os.urandom(1)[0])
    fd = os.open("'"$D"'/control", os.O_WRONLY)
    try:
        os.write(fd, data)
    except OSError as e:
        refused += e.errno == 22
    os.close(fd)
    n += 1
print(n, refused)')
n=${out% *} refused=${out#* }
check "$refused of $n random writes refused with EINVAL" test "$refused" = "$n" -a "$n" = 3000
check "overlong write refused" bash -c "! head -c 100000 /dev/zero | tr '\\0' a > $D/control 2>/dev/null"
check "filter pid of a missing process refused" \
	bash -c "! echo 'filter pid=4194000' > $D/control 2>/dev/null"
check "state unchanged by garbage" test "$(state)" = "$before"
check "a good verb still works" bash -c "echo scan > $D/control"
check "filter pid=1 accepted" bash -c "echo 'filter pid=1' > $D/control"
check "filter shown in stats" test "$(stat_of filter_mode) $(stat_of filter_value)" = "pid 1"
check "filter all restores" bash -c "echo 'filter all' > $D/control && test \$(sed -n 's/^filter_mode: //p' $D/stats) = all"
check "garbage into sites refused" bash -c "! head -c 5000 /dev/urandom > $D/sites 2>/dev/null"
check "sites=on still has nothing to arm" bash -c "! echo sites=on > $D/control 2>/dev/null"
ms_unload
finish
