# DKMS for real, as a user does it: "make dkms-install" from a copy of the
# source tree, in the guest, against the running kernel's headers (the
# kernel folder's build tree, linked as /lib/modules/KVER/build as a
# headers package does); then modprobe, debugfs, "make dkms-remove", and
# nothing left in /lib/modules or /var/lib/dkms. The root is read-only:
# /usr/src and /var/lib/dkms get a tmpfs, the modules folder an overlay.
# timeout: 900
. "$MS_WORK/guest/lib.sh"

# The root has no util-linux mount: busybox's passes the options through.
mount() { busybox mount "$@"; }
umount() { busybox umount "$@"; }
kver=$(uname -r)
kdir=$(cat "$MS_WORK/kdir")
mods=/usr/lib/modules/$kver
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$MS_WORK/src/dkms.conf")
check "dkms is installed" command -v dkms
mount -t tmpfs tmpfs /usr/src
mount -t tmpfs tmpfs /var/lib/dkms
mkdir -p /tmp/ovl/up /tmp/ovl/work
# An overlay where the kernel has one, else a copy (a kernel of few modules).
writable_mods() {
	if modprobe overlay 2>/dev/null && mount -t overlay overlay \
		-o "lowerdir=$mods,upperdir=/tmp/ovl/up,workdir=/tmp/ovl/work" "$mods"; then
		echo "overlay"
	else
		cp -a "$mods" /tmp/ovl/copy && mount --bind /tmp/ovl/copy "$mods" && echo "copy"
	fi
}
how=$(writable_mods)
check "the modules folder made writable (${how:-failed})" test -n "$how"
ln -sfn "$kdir/build" "$mods/build"
cp -r "$MS_WORK/src" /tmp/mapshadow-src
start=$SECONDS
check "make dkms-install" make -C /tmp/mapshadow-src dkms-install
diag "dkms add+build+install took $((SECONDS - start)) s"
ko=$(ls "$mods"/updates/dkms/mapshadow.ko* 2>/dev/null | head -n1)
check "installed in updates/dkms (${ko##*/})" test -n "$ko"
check "dkms status says installed" bash -c "dkms status mapshadow | grep -q 'mapshadow/$ver, $kver, x86_64: installed'"
check "modinfo finds it, version $ver" test "$(modinfo -F version mapshadow)" = "$ver"
check "modprobe mapshadow" modprobe mapshadow
check "debugfs: its stats say version $ver" grep -qx "version: $ver" "$D/stats"
check "the CLI sees it" "$MS_BIN/mapshadow" status
check "rmmod" rmmod mapshadow
check "make dkms-remove" make -C /tmp/mapshadow-src dkms-remove
check "nothing left in /var/lib/dkms" test -z "$(ls -A /var/lib/dkms | grep -v '^framework\|^dkms_dbversion$')"
check "nothing left in $mods/updates" test -z "$(find "$mods/updates" -name 'mapshadow*' 2>/dev/null)"
check "nothing left in /usr/src" test ! -e "/usr/src/mapshadow-$ver"
check "modprobe no longer finds it" bash -c '! modinfo mapshadow 2>/dev/null'
rm -f "$mods/build"
cd /
umount "$mods" /var/lib/dkms /usr/src
finish
