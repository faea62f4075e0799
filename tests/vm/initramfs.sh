#!/bin/bash
# initramfs.sh KERNEL-DIR: build (cached) the guest initramfs for one kernel:
# busybox, the kernel's own 9p modules (unless built in), and guest-init.sh
# as /init.
# Prints its path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=${1:?usage: initramfs.sh KERNEL-DIR}
init="$MS_REPO/tests/vm/guest-init.sh"
bb=$(command -v busybox) || ms_die "busybox-static missing (tests/vm/setup-host.sh)"
key=$(cat "$init" "$0" "$bb" | sha256sum | cut -c1-12)
img="$kdir/initramfs-$key.cpio.gz"
[ -e "$img" ] && { echo "$img"; exit 0; }

ms_lock "initramfs-$(cat "$kdir/abi")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$bb" "$tmp/bin/busybox"
ln -s busybox "$tmp/bin/sh"
cp "$init" "$tmp/init"
chmod 755 "$tmp/init"
kver=$(cat "$kdir/kver")
# Dependency order from the kernel's own modules.dep; decompressed because
# busybox insmod does not read .ko.xz.  A kernel with 9p built in (the debug
# kernel) lists them as "builtin": nothing to load, the order stays empty.
: > "$tmp/lib/modules/order"
modprobe --show-depends -a -d "$kdir/x/$(cat "$kdir/modbase")" -S "$kver" \
	9p 9pnet_virtio | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
while read -r ko; do
	name=$(basename "$ko")
	case "$name" in
	*.xz) xz -dc "$ko" > "$tmp/lib/modules/${name%.xz}" ;;
	*.zst) zstd -qdc "$ko" > "$tmp/lib/modules/${name%.zst}" ;;
	*) cp "$ko" "$tmp/lib/modules/$name" ;;
	esac
	echo "${name%.*z*}" | sed 's/\.ko$//' >> "$tmp/lib/modules/order"
done
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$img.tmp"
mv "$img.tmp" "$img"
echo "$img"
