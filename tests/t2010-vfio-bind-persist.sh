#!/bin/sh
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

test_expect_success '--persist --now, the kernel refuses the bind: vfio.conf not written, exit 1' "
	guide &&
	run vfio-bind --root root --persist --now 07:00.0 && expect_rc 1 &&
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
	grep_q '^This lasts until reboot; to bind at every boot: vfio-bind --persist 07:00.0 03:00.0\$' out
"

test_expect_success '--unbind --persist: the hint does not say to load vfio-pci early' "
	guide && on_vfio 07:00.0 07:00.1 &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 0 &&
	grep_q 'vfio-pci and this configuration load early' out &&
	run vfio-bind --root root --unbind --persist 07:00.0 && expect_rc 0 &&
	grep_q \"^removed 'root/etc/modprobe.d/vfio.conf'\" out &&
	! grep -q 'load early' out &&
	grep_q '^Next: initramfs-vfio, so that the initramfs no longer holds what was removed; then reboot.\$' out
"

test_done
