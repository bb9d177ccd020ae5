#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A FIFO where a sysfs or proc attribute or a small configuration file
# should be: every tool returns at once and treats it as unreadable, as if
# the file were not there (a read of a FIFO nobody writes would block for
# ever).
. "$(dirname "$0")/lib.sh"

GPU=sys/bus/pci/devices/0000:07:00.0

# fifo_vs_absent FILE CMD...: CMD on a copy of z490-guide in ./root, first
# with a FIFO at FILE, then with FILE gone; both finish within 10 seconds
# and give the same exit status and output.
fifo_vs_absent() {
	fa_file=$1
	shift
	[ -d root ] || cp -R "$FIXTURES/z490-guide" root || return 1
	mkdir -p "root/$(dirname "$fa_file")" && rm -f "root/$fa_file" && mkfifo "root/$fa_file" &&
	{ timeout 10 "$@" >fifo.out 2>fifo.err; echo $? >fifo.rc; } &&
	cat fifo.rc fifo.out fifo.err &&
	[ "$(cat fifo.rc)" != 124 ] &&
	rm "root/$fa_file" &&
	{ timeout 10 "$@" >gone.out 2>gone.err; echo $? >gone.rc; } &&
	test_cmp gone.rc fifo.rc && test_cmp gone.out fifo.out && test_cmp gone.err fifo.err
}

test_expect_success 'reset_method a FIFO: iommu-groups -J' '
	fifo_vs_absent $GPU/reset_method iommu-groups --root root -J
'
test_expect_success 'reset_method a FIFO: passcheck' '
	fifo_vs_absent $GPU/reset_method passcheck --root root 07:00.0
'
test_expect_success 'ecap of the IOMMU a FIFO: passcheck' '
	fifo_vs_absent sys/class/iommu/dmar0/intel-iommu/ecap passcheck --root root 07:00.0
'
test_expect_success 'osrelease a FIFO: passcheck' '
	fifo_vs_absent proc/sys/kernel/osrelease passcheck --root root 07:00.0
'
test_expect_success 'the ROM a FIFO: passcheck' '
	fifo_vs_absent $GPU/rom passcheck --root root 07:00.0
'
test_expect_success 'the driverctl file a FIFO: passcheck' '
	fifo_vs_absent etc/driverctl.d/pci-0000:07:00.0 passcheck --root root 07:00.0
'
test_expect_success 'config a FIFO (no revision file): iommu-groups' '
	cp -R "$FIXTURES/z490-guide" root && rm root/$GPU/revision &&
	fifo_vs_absent $GPU/config iommu-groups --root root
'
test_expect_success 'modalias a FIFO, no driver: vfio-bind --persist --dry-run' '
	cp -R "$FIXTURES/z490-guide" root && rm root/$GPU/driver &&
	fifo_vs_absent $GPU/modalias vfio-bind --root root --persist --dry-run 07:00.0
'
test_expect_success 'osrelease a FIFO: vfio-bind --persist --dry-run' '
	fifo_vs_absent proc/sys/kernel/osrelease vfio-bind --root root --persist --dry-run 07:00.0
'

test_expect_success 'pci.ids a FIFO: iommu-groups' '
	fifo_vs_absent usr/share/misc/pci.ids iommu-groups --root root
'
test_expect_success 'pci.ids a FIFO: passcheck' '
	fifo_vs_absent usr/share/misc/pci.ids passcheck --root root 07:00.0
'
test_expect_success 'pci.ids a directory: iommu-groups lists as without it' '
	cp -R "$FIXTURES/z490-guide" root && rm root/usr/share/misc/pci.ids &&
	run iommu-groups --root root && cp out want && expect_rc 0 &&
	mkdir root/usr/share/misc/pci.ids &&
	run iommu-groups --root root && expect_rc 0 && test_cmp /dev/null err && test_cmp want out
'
test_expect_success 'vendor a FIFO: iommu-groups -J' '
	fifo_vs_absent $GPU/vendor iommu-groups --root root -J
'
test_expect_success 'class a FIFO: vfio-bind --list' '
	fifo_vs_absent $GPU/class vfio-bind --root root --list
'

test_done
