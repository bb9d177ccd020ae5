#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A function unplugged while the tools list the bus: libpci saw it, its
# attributes are gone by the time they are read (ENOENT, as sysfs answers
# in the directory of a removed device).  It is skipped, not fatal.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide
[ -d "$Z" ] || skip_all "fixture z490-guide missing"

# unplugged: z490-guide with the Wi-Fi card 09:00.0 half gone.
unplugged() {
	cp -R "$Z" root &&
	rm root/sys/bus/pci/devices/0000:09:00.0/vendor root/sys/bus/pci/devices/0000:09:00.0/device \
		root/sys/bus/pci/devices/0000:09:00.0/class root/sys/bus/pci/devices/0000:09:00.0/config
}

test_expect_success 'iommu-groups: every other function listed, exit 0, nothing on stderr' '
	unplugged &&
	iommu-groups --root "$Z" | grep -v " 09:00.0 " >want &&
	run iommu-groups --root root && expect_rc 0 && test_cmp /dev/null err &&
	test_cmp want out
'

test_expect_success 'iommu-groups -J: valid JSON without the function' '
	unplugged &&
	run iommu-groups --root root -J && expect_rc 0 && test_cmp /dev/null err &&
	python3 -c "
import json, sys
j = json.load(open(\"out\"))
addrs = [d[\"address\"] for g in j[\"groups\"] for d in g[\"devices\"]]
assert \"0000:09:00.0\" not in addrs and \"0000:07:00.0\" in addrs, addrs"
'

test_expect_success 'passcheck: the same report for the card as with the function there' '
	unplugged &&
	run passcheck --root "$Z" 07:00.0 && want=$rc &&
	grep -v "09:00.0" out | sed "s#--root $Z\( \|\$\)#--root root\1#g" >want &&
	run passcheck --root root 07:00.0 && expect_rc "$want" && test_cmp /dev/null err &&
	grep -v "09:00.0" out >got && test_cmp want got
'

test_expect_success 'vfio-bind: the card binds, vfio-bind --list lists' '
	unplugged && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	run vfio-bind --root root -n 07:00.0 && expect_rc 0 && test_cmp /dev/null err &&
	run vfio-bind --root root --list && expect_rc 1 && test_cmp /dev/null err && test_cmp /dev/null out &&
	ln -sfn ../../../../../../bus/pci/drivers/vfio-pci root/sys/bus/pci/devices/0000:07:00.0/driver &&
	run vfio-bind --root root --list && expect_rc 0 && test_cmp /dev/null err &&
	grep_q "^IOMMU Group [0-9]*: 07:00.0 .* driver=vfio-pci" out
'

test_expect_success 'a function whose directory went after the listing: skipped' '
	cp -R "$Z" root &&
	rm -r "root/sys/devices/pci0000:00/0000:00:1c.3/0000:09:00.0" &&
	test -L root/sys/bus/pci/devices/0000:09:00.0 &&
	iommu-groups --root "$Z" | grep -v " 09:00.0 " >want &&
	run iommu-groups --root root && expect_rc 0 && test_cmp /dev/null err &&
	test_cmp want out &&
	run passcheck --root "$Z" 07:00.0 && want=$rc &&
	grep -v "09:00.0" out | sed "s#--root $Z\( \|\$\)#--root root\1#g" >want &&
	run passcheck --root root 07:00.0 && expect_rc "$want" && test_cmp /dev/null err &&
	grep -v "09:00.0" out >got && test_cmp want got
'

test_done
