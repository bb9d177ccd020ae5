#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# initramfs.sh KERNELDIR BUILD OUT: pack the guests' base initramfs into
# OUT (an uncompressed newc cpio): busybox, bash, kmod, lspci and the
# suite's binaries from BUILD with the libraries they load, the fault
# shim (tests/preload/failat.so), pci.ids, the
# classic script, the modules the tests load (vfio and the drivers of the
# emulated devices, with their dependencies) and /init.  Each boot adds
# its own test script as a second archive after this one.
#
# initramfs.sh --qemu OUT: pack into OUT what a VM inside the guest needs,
# an archive that goes between the base one and the test script only for
# the tests that ask (vm_with_qemu): qemu-system-x86_64 with the libraries
# it loads, its TCG accelerator module (QEMU_MODULE_DIR), SeaBIOS and the
# option ROM of its APIC, in the places Debian's QEMU looks for them, and
# inner-vm.sh, which runs it.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$PATH:/usr/sbin:/sbin

# What the guests load: vfio, pci-stub, and a driver for each emulated
# device (bochs for the VGA cards, snd-hda-intel, e1000 and e1000e, the
# q35 chipset's ahci, i2c-i801 and lpc_ich, nvme for the drives of
# vm_nvme_topology), ext4 for a file system on a drive (it mounts the
# ext2 busybox's mke2fs makes), and bridge for a NIC in a bridge.
MODULES="irqbypass vfio vfio_iommu_type1 vfio_virqfd vfio_pci_core vfio_pci pci_stub
	bochs snd_hda_intel e1000 e1000e ahci i2c_i801 lpc_ich nvme ext4 bridge"

root=$(mktemp -d "${TMPDIR:-/tmp}/vfio-utils-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin "$root"/lib64 \
	"$root"/proc "$root"/sys "$root"/dev "$root"/tmp "$root"/run "$root"/etc/modprobe.d \
	"$root"/usr/share/misc "$root"/usr/share/vfio-utils

# copy_bin FILE [DEST]: FILE and every library ldd says it loads.
copy_bin() {
	dest=${2:-$1}
	mkdir -p "$root$(dirname "$dest")"
	rm -f "$root$dest"
	cp -L "$1" "$root$dest"
	ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }' |
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

pack() {
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$1.tmp"
	mv "$1.tmp" "$1"
}

if [ "$1" = --qemu ]; then
	qemu=$(command -v qemu-system-x86_64)
	copy_bin "$qemu" "$qemu"
	moddir=/usr/lib/x86_64-linux-gnu/qemu
	copy_bin "$moddir/accel-tcg-x86_64.so"
	cp -R /usr/share/seabios "$root/usr/share/seabios"
	# the TCG machine's APIC loads this option ROM, from QEMU's own folder
	mkdir -p "$root/usr/share/qemu"
	cp /usr/share/qemu/kvmvapic.bin "$root/usr/share/qemu/"
	cp "$TOP/tests/vm/inner-vm.sh" "$root/usr/share/vfio-utils/"
	pack "$2"
	exit 0
fi

kdir=$(cd "$1" && pwd) build=$(cd "$2" && pwd) out=$3
release=$(ls "$kdir/lib/modules")

copy_bin "$(command -v busybox)" /bin/busybox
for applet in $(busybox --list | grep -vx busybox); do
	ln -sf busybox "$root/bin/$applet"
done
# The real programs where the tests need their exact behaviour: bash and
# GNU find and sort for the classic script, kmod for modprobe.d.
copy_bin "$(command -v bash)" /bin/bash
copy_bin "$(command -v find)" /bin/find
copy_bin "$(command -v sort)" /bin/sort
copy_bin "$(command -v lspci)" /usr/bin/lspci
copy_bin "$(command -v kmod)" /bin/kmod
for k in modprobe insmod rmmod lsmod modinfo depmod; do
	rm -f "$root/bin/$k"
	ln -sf ../bin/kmod "$root/sbin/$k"
done
cp /usr/share/misc/pci.ids "$root/usr/share/misc/pci.ids"
cp "$TOP/tests/classic/iommu.sh" "$TOP/tests/vm/capture-guest.sh" "$TOP/tests/vm/display-guest.sh" \
	"$root/usr/share/vfio-utils/"
# A tool is cmd/NAME.c or the folder cmd/NAME/.
for t in $(cd "$TOP/cmd" && ls | sed 's/\.c$//'); do
	copy_bin "$build/$t" "/usr/bin/$t"
done
# Test programs that ask the kernel directly (vfio-group).
for t in $(cd "$TOP/tests/tools" && ls *.c | sed 's/\.c$//'); do
	copy_bin "$build/tests/tools/$t" "/usr/bin/$t"
done
# The fault shim, for a tool killed at a chosen write (t2200).
mkdir -p "$root/usr/lib/vfio-utils"
copy_bin "$build/tests/preload/failat.so" /usr/lib/vfio-utils/failat.so

# The modules with everything they depend on, then the kernel's own index
# of them, as depmod makes it on an installed system.
mdir=lib/modules/$release
mkdir -p "$root/$mdir"
for m in $MODULES; do
	modprobe -C /dev/null -d "$kdir" -S "$release" --show-depends "$m" 2>/dev/null
done | awk '$1 == "insmod" { print $2 }' | sort -u |
while read -r ko; do
	rel=${ko#"$kdir"/}
	mkdir -p "$root/$(dirname "$rel")"
	cp "$ko" "$root/$rel"
done
cp "$kdir/$mdir"/modules.order "$kdir/$mdir"/modules.builtin \
	"$kdir/$mdir"/modules.builtin.modinfo "$root/$mdir/"
depmod -b "$root" "$release"

cp "$TOP/tests/vm/init" "$root/init"
chmod 755 "$root/init"

pack "$out"
