#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# AMD Zen's "PCIe Dummy Host Bridge" (1022:1452, class 0600), which no
# driver claims, in the GPU's IOMMU group: VFIO takes the group as it is,
# so every tool leaves the bridge alone and counts the group as isolated.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide
[ -d "$Z" ] || skip_all "fixture z490-guide missing"
HB=root/sys/devices/pci0000:00/0000:00:00.0

# dummy: z490-guide with 00:00.0 made the dummy host bridge, driverless,
# in the group of the card 07:00.0 ($g).
dummy() {
	cp -R "$Z" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	g=$(basename $(readlink root/sys/bus/pci/devices/0000:07:00.0/iommu_group)) &&
	echo 0x1022 >$HB/vendor && echo 0x1452 >$HB/device && echo 0x060000 >$HB/class &&
	printf '\042\020\122\024' | dd of=$HB/config bs=1 conv=notrunc 2>/dev/null &&
	rm $HB/driver &&
	ln -sfn ../../../kernel/iommu_groups/$g $HB/iommu_group &&
	rm root/sys/kernel/iommu_groups/0/devices/0000:00:00.0 &&
	ln -s ../../../../devices/pci0000:00/0000:00:00.0 root/sys/kernel/iommu_groups/$g/devices/0000:00:00.0
}

test_expect_success 'iommu-groups: the group of the card and the dummy bridge is isolated' '
	dummy &&
	iommu-groups --root root -v -g $g >out && cat out &&
	grep_q "00:00.0 Host bridge .*\[1022:1452\]" out &&
	test $(grep -c " isolated=yes\$" out) -eq 2 && ! grep_q isolated=no out
'

test_expect_success 'passcheck: group-isolated PASS' '
	dummy &&
	run passcheck --root root 07:00.0 && cat out &&
	grep_q "^PASS group-isolated" out && ! grep_q "try another slot" out
'

test_expect_success 'vfio-bind: binds the card and its audio, leaves the host bridge alone' '
	dummy &&
	run vfio-bind --root root -n 07:00.0 && expect_rc 0 && test_cmp /dev/null err &&
	grep_q "0000:07:00.0/driver_override" out && grep_q "0000:07:00.1/driver_override" out &&
	! grep_q 00:00.0 out
'

test_done
