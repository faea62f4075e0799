#!/bin/sh
# /init of the test guest (busybox).  Mounts the trixie root (9p, read-only)
# with tmpfs where it must write, the run's payload at /mnt/work and the
# kernel's modules, runs the test runner in it, then powers off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

fail() {
	echo "guest-init: $*" > /dev/ttyS1
	echo "guest-init: $*"
	poweroff -f
}

for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m.ko" || fail "cannot load $m"
done
opts=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$opts,ro,cache=loose" msroot /newroot || fail "cannot mount root"
R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mount -t debugfs debugfs $R/sys/kernel/debug
mount -t tracefs tracefs $R/sys/kernel/tracing 2>/dev/null
for d in tmp run var/tmp root; do
	mount -t tmpfs -o mode=1777 tmpfs $R/$d
done
chmod 700 $R/root
mount -t 9p -o "$opts,ro" mswork $R/mnt/work || fail "cannot mount work"
kver=$(uname -r)
mount -t tmpfs tmpfs $R/usr/lib/modules
mkdir -p $R/usr/lib/modules/$kver
mount -t 9p -o "$opts,ro,cache=loose" msmods $R/usr/lib/modules/$kver ||
	fail "cannot mount modules"

# The kernel's folder (CACHE/kernels/ABI) at its host path: under a tmpfs
# already (/root), or under one put on CACHE, which the root has.
kpath=$(cat $R/mnt/work/kdir)
mkdir -p "$R/$kpath" 2>/dev/null ||
	{ mount -t tmpfs tmpfs "$R/${kpath%/kernels/*}" && mkdir -p "$R/$kpath"; } ||
	fail "no place for the kernel folder $kpath"
mount -t 9p -o "$opts,ro,cache=loose" mskernel "$R/$kpath" ||
	fail "cannot mount the kernel folder"

chroot $R /bin/bash /mnt/work/guest/runner.sh
sync
poweroff -f
