# make run: load mapshadow, run workloads, show what it saw.
# timeout: 240
. "$MS_WORK/guest/lib.sh"

say() { printf '\n== %s\n' "$*"; }
say "guest kernel $(uname -r), $(nproc) CPUs"
say "insmod mapshadow.ko"
ms_load || { not_ok "insmod mapshadow.ko"; finish; }
dmesg | grep 'mapshadow:' | tail -n 3
say "mapshadow status (before any workload)"
mapshadow status
say "running workloads: PTE-mapped THP, fork + COW, partial munmap, mremap, file mapping"
for w in thp-pte-map fork-cow partial-munmap mremap-thp file-map; do
	"$MS_BIN/$w" || not_ok "workload $w"
done
say "while fork-child-alive holds its THPs in parent and children: mapshadow scan"
"$MS_BIN/fork-child-alive" -H > /tmp/demo-hold 2>&1 &
hold=$!
for _ in $(seq 120); do grep -q holding /tmp/demo-hold && break; sleep 0.5; done
mapshadow scan
kill -USR1 $hold; wait $hold
say "mapshadow findings (online validation after every update)"
mapshadow findings
say "mapshadow hooks"
mapshadow hooks
say "mapshadow stats"
mapshadow stats
say "rmmod mapshadow"
ms_unload && echo "unloaded cleanly"

ok "demo finished"
finish
