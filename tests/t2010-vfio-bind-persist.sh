#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-bind --persist: what happens when binding now fails, what the hints
# say, and the softdeps judged by kmod's own parser.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide
[ -d "$Z" ] || skip_all "fixture z490-guide missing"

guide() {
	cp -R "$Z" root &&
	mkdir -p root/sys/bus/pci/drivers/vfio-pci
}

# on_vfio ADDR...: the functions as if vfio-pci already had them.
on_vfio() {
	for a in "$@"; do
		ln -sfn ../../../../../../bus/pci/drivers/vfio-pci \
			"root/sys/bus/pci/devices/0000:$a/driver" || return 1
	done
}

test_expect_success '--persist --now, the kernel refuses the bind: vfio.conf not written, exit 3' "
	guide &&
	run vfio-bind --root root --persist --now 07:00.0 && expect_rc 3 &&
	test ! -e root/etc/modprobe.d/vfio.conf &&
	grep_q '^vfio-bind: 0000:07:00.0: vfio-pci did not take the device (amdgpu)\$' err &&
	grep_q \"^vfio-bind: 'root/etc/modprobe.d/vfio.conf' left as it was: the devices did not bind now\$\" err &&
	! grep_q updated out
"

test_expect_success '--persist --now, the devices on vfio-pci: vfio.conf written, exit 0' "
	guide && on_vfio 07:00.0 07:00.1 &&
	run vfio-bind --root root --persist --now 07:00.0 && expect_rc 0 &&
	grep_q \"^updated 'root/etc/modprobe.d/vfio.conf'\" out &&
	modprobe -C root/etc/modprobe.d --showconfig | grep_q '^options vfio_pci ids=1002:73ff' -
"

test_expect_success 'the hint to bind at every boot names every device given' "
	guide && on_vfio 07:00.0 07:00.1 03:00.0 03:00.1 &&
	run vfio-bind --root root --force 07:00.0 03:00.0 && expect_rc 0 &&
	grep_q '^This lasts until reboot; to bind at every boot: vfio-bind --root root --persist 07:00.0 03:00.0\$' out
"

test_expect_success '--unbind --persist: the hint does not say to load vfio-pci early' "
	guide && on_vfio 07:00.0 07:00.1 &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 0 &&
	grep_q 'vfio-pci and this configuration load early' out &&
	run vfio-bind --root root --unbind --persist 07:00.0 && expect_rc 0 &&
	grep_q \"^removed 'root/etc/modprobe.d/vfio.conf'\" out &&
	! grep -q 'load early' out &&
	! grep -q 'initramfs-vfio' out &&
	grep_q \"^Next: no initramfs generator in 'root/'; if the initramfs holds '/etc/modprobe.d/vfio.conf', rebuild it; then reboot.\$\" out
"

test_expect_success '--persist: the hint names initramfs-vfio on the same root' "
	guide && on_vfio 07:00.0 07:00.1 &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 0 &&
	grep_q '^Next: initramfs-vfio --root root, so that vfio-pci and this configuration load early from the initramfs; then reboot.\$' out
"

# After an undo the images are rebuilt by each generator there, inside
# the system, as initramfs-vfio prints it; never initramfs-vfio, which
# would set a generator up.
C=$TOP/tests/initramfs
gen_mkinitcpio() {
	mkdir -p root/etc && cp "$C/mkinitcpio/arch-v39.conf" root/etc/mkinitcpio.conf &&
	installed root /usr/bin/mkinitcpio && vfio_kernel root 6.6.8-arch1-1
}
gen_initramfs_tools() {
	mkdir -p root/etc/initramfs-tools &&
	cp "$C/initramfs-tools/debian-modules" root/etc/initramfs-tools/modules &&
	installed root /usr/sbin/update-initramfs && vfio_kernel root 6.1.0-18-amd64
}
gen_dracut() {
	mkdir -p root/etc && cp "$C/dracut/fedora-01-dist.conf" root/etc/dracut.conf &&
	installed root /usr/bin/dracut && vfio_kernel root 6.6.8-200.fc39.x86_64
}
for gen in mkinitcpio initramfs_tools dracut; do
	test_expect_success "--unbind --persist ($gen): the rebuild without the binding, as initramfs-vfio prints it" "
		guide && ln -s usr/lib root/lib && gen_$gen &&
		run vfio-bind --root root --persist 07:00.0 && expect_rc 0 &&
		initramfs-vfio --root root >init.out &&
		grep '^  chroot root ' init.out >rebuild && test -s rebuild &&
		run vfio-bind --root root --unbind --persist 07:00.0 && expect_rc 0 &&
		grep_q '^Next: rebuild the initramfs images, so that they no longer bind what was removed; then reboot:\$' out &&
		grep '^  ' out >ours && test_cmp rebuild ours &&
		! grep -q initramfs-vfio out
	"
done

# nvidia_tree: laptop-optimus with the kernel's module tree as depmod
# leaves it once NVIDIA's driver is installed from DKMS: nouveau from the
# kernel, nvidia from updates/dkms, both matching the card in
# modules.alias; nouveau blacklisted, as NVIDIA's packages do.
nvidia_tree() {
	cp -R "$FIXTURES/laptop-optimus" root &&
	mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	r=$(cat root/proc/sys/kernel/osrelease) && m=root/lib/modules/$r &&
	mkdir -p $m/kernel/drivers/gpu/drm/nouveau $m/updates/dkms root/etc/modprobe.d &&
	: >$m/kernel/drivers/gpu/drm/nouveau/nouveau.ko.zst && : >$m/updates/dkms/nvidia.ko &&
	cat >$m/modules.dep <<-EOF &&
	kernel/drivers/gpu/drm/nouveau/nouveau.ko.zst:
	updates/dkms/nvidia.ko:
	EOF
	cat >$m/modules.alias <<-EOF &&
	# Aliases extracted from modules themselves.
	alias pci:v000010DEd*sv*sd*bc03sc*i* nouveau
	alias pci:v000012D2d*sv*sd*bc03sc*i* nouveau
	alias pci:v000010DEd*sv*sd*bc03sc00i00 nvidia
	alias pci:v000010DEd*sv*sd*bc03sc02i00 nvidia
	EOF
	printf 'blacklist nouveau\noptions nouveau modeset=0\n' >root/etc/modprobe.d/blacklist-nouveau.conf
}

test_expect_success 'NVIDIA card, no driver: a softdep for nouveau and for nvidia from DKMS, as modprobe reads them' "
	nvidia_tree && rm root/sys/bus/pci/devices/0000:01:00.0/driver &&
	run vfio-bind --root root --persist --force 01:00.0 && expect_rc 0 &&
	modprobe -C root/etc/modprobe.d --showconfig | grep -E '^softdep (nouveau|nvidia) ' | sort >got &&
	printf 'softdep nouveau pre: vfio-pci\nsoftdep nvidia pre: vfio-pci\n' >want &&
	test_cmp want got
"

test_expect_success 'NVIDIA card on nvidia now: nouveau, which could claim it at boot too, gets a softdep as well' "
	nvidia_tree &&
	run vfio-bind --root root --persist --force 01:00.0 && expect_rc 0 &&
	modprobe -C root/etc/modprobe.d --showconfig | grep -E '^softdep (nouveau|nvidia) ' | sort >got &&
	printf 'softdep nouveau pre: vfio-pci\nsoftdep nvidia pre: vfio-pci\n' >want &&
	test_cmp want got &&
	run vfio-bind --root root --persist --force 01:00.0 && expect_rc 0 &&
	grep_q 'already says this' out
"

test_done
