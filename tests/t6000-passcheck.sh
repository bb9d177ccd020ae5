#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# passcheck on copies of the fixture sysroots: each check's PASS, WARN,
# FAIL and SKIP, with the fix it names.  Its real-kernel tests are in
# t6100-passcheck-vm.sh.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide

# A writable copy of the guide's host, with /dev/kvm.
guide() {
	cp -R "$Z" root && mkdir -p root/dev && mknod root/dev/kvm c 10 232
}

# The guide's second card on vfio-pci, as vfio-bind leaves it.
bound() {
	mkdir -p root/sys/module/vfio_pci root/sys/module/vfio root/dev/vfio &&
	mknod root/dev/vfio/vfio c 10 196 &&
	for f in 0000:07:00.0 0000:07:00.1; do
		mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
		ln -sfn ../../../../../../bus/pci/drivers/vfio-pci root/sys/bus/pci/devices/$f/driver &&
		echo vfio-pci >root/sys/bus/pci/devices/$f/driver_override || return 1
	done
}

# line CHECK [DEVICE]: the line passcheck printed for it, in ./line.
line() {
	if [ $# -eq 2 ]; then
		grep "^[A-Z]* $1: $2: " out >line
	else
		grep "^[A-Z]* $1: " out >line
	fi || { echo "no line for $*:"; cat out; return 1; }
	test "$(wc -l <line)" -eq 1 || { echo "more than one line for $*:"; cat out; return 1; }
}

# expect_line STATUS CHECK [DEVICE] [TEXT]: that line has STATUS and TEXT.
expect_line() {
	el_status=$1 el_text=
	shift
	if [ $# -eq 3 ]; then
		el_text=$3
		line "$1" "$2"
	elif [ $# -eq 2 ] && [ "${2#0000:}" = "$2" ]; then
		el_text=$2
		line "$1"
	else
		line "$@"
	fi || return 1
	grep -q "^$el_status " line || { echo "expected $el_status:"; cat line; return 1; }
	[ -z "$el_text" ] || grep -q -F -e "$el_text" line || { echo "expected '$el_text':"; cat line; return 1; }
}

test_expect_success 'every line is STATUS check: message; exit 1 iff something FAILs' "
	for f in z490-guide laptop-optimus iommu-off server-sriov; do
		run passcheck --root \"\$FIXTURES/\$f\" &&
		! grep -v -E '^(PASS|WARN|FAIL|SKIP) [a-z-]+: ' out &&
		if grep -q '^FAIL' out; then expect_rc 1; else expect_rc 0; fi || return 1
	done
"

test_expect_success 'the guide host before setup: the card named, the fixes named' "
	guide &&
	run passcheck --root root && expect_rc 1 &&
	expect_line PASS cpu-virt 'VT-x' &&
	expect_line PASS kvm-device &&
	expect_line PASS iommu-firmware 'DMAR' &&
	expect_line PASS iommu-enabled '23 IOMMU groups (dmar0)' &&
	expect_line PASS kernel-cmdline 'intel_iommu=on, iommu=pt' &&
	expect_line WARN vfio-modules 'initramfs-vfio --root root loads it at boot' &&
	expect_line PASS group-isolated 0000:07:00.0 'group 18' &&
	expect_line FAIL vfio-driver 0000:07:00.0 '0000:07:00.0 on amdgpu, 0000:07:00.1 on snd_hda_intel: run vfio-bind --root root 07:00.0' &&
	expect_line WARN vfio-at-boot 0000:07:00.0 'vfio-bind --root root --persist 07:00.0, then initramfs-vfio --root root' &&
	expect_line PASS boot-vga 0000:07:00.0 &&
	expect_line WARN reset 0000:07:00.0 'vendor-reset' &&
	expect_line WARN shared-ids 0000:07:00.0 '1002:ab28 of 0000:07:00.1 is also 0000:03:00.1'
"

test_expect_success 'without a device: every display controller but the boot VGA device' "
	run passcheck --root '$Z' &&
	sed -n 's/^[A-Z]* group-isolated: \\([0-9a-f:.]*\\): .*/\\1/p' out >got &&
	for d in '$Z'/sys/bus/pci/devices/*; do
		case \$(cat \$d/class) in 0x0300*|0x0302*|0x0380*) ;; *) continue ;; esac
		[ \"\$(cat \$d/boot_vga 2>/dev/null)\" = 1 ] || basename \$d
	done >expect &&
	test_cmp expect got && ! grep -q 0000:03:00.0 got
"

test_expect_success 'the boot VGA device named: WARN' "
	run passcheck --root '$Z' 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 'boot VGA device' &&
	expect_line PASS group-isolated 0000:03:00.0 'group 1 holds only this device'
"

# The guide's host as a desktop (z490-desktop: Xorg, Firefox and PipeWire
# hold the boot GPU's nodes), with the display as Linux 6.1 shows it
# (t2200): the framebuffer console bound on vtcon1 and the boot GPU's
# first BAR.  display drm|efifb [bare]: drm, amdgpu has the card and its
# fb0 and has removed efifb; efifb, the card has no driver and efifb draws
# on its BAR (/proc/iomem as root reads it).  bare: without the processes.
D=$FIXTURES/z490-desktop
BOOT_ID=5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11
display() {
	if [ "${2:-}" = bare ]; then
		grep -v '^fd\|^maps\|^proc' "$D.spec"
	else
		cat "$D.spec"
	fi >spec &&
	if [ "$1" = efifb ]; then
		sed -i -e 's/^\(dev 03:00.0 .*\) driver=amdgpu module=amdgpu/\1/' \
			-e '/^node 03:00.0 /d' spec
	fi &&
	"$BUILD/tests/tools/mksysroot" spec root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	desktop_display root $BOOT_ID &&
	mkdir -p root/sys/bus/platform/drivers/efi-framebuffer root/sys/bus/platform/devices &&
	if [ "$1" = efifb ]; then
		p=root/sys/devices/platform/efi-framebuffer.0 &&
		mkdir -p $p/graphics/fb0 &&
		ln -s ../../../devices/platform/efi-framebuffer.0 root/sys/bus/platform/devices/efi-framebuffer.0 &&
		ln -s ../../../bus/platform/drivers/efi-framebuffer $p/driver &&
		printf '4000000000-40007fffff : efifb\n' >root/proc/iomem
	else
		printf '4000000000-43ffffffff : 0000:03:00.0\n' >root/proc/iomem
	fi
}

# The display-manager.service alias systemctl enable writes.
dm_alias() {
	mkdir -p root/etc/systemd/system &&
	ln -s /lib/systemd/system/lightdm.service root/etc/systemd/system/display-manager.service
}

# holders_of: the processes the boot-vga line in ./line names, one a line.
holders_of() {
	sed 's/.*--giveback [0-9a-f:.]*; //; s/; [0-9]* process.* could not be read.*//' line |
		tr -s ';' '\n' | sed 's/^ //' | grep '^PID '
}

test_expect_success 'boot-vga: the desktop boot GPU, what --handover --stop-holders stops and unbinds' "
	display drm && dm_alias && cp -R root before &&
	run passcheck --root root 03:00.0 && line boot-vga 0000:03:00.0 &&
	cat >expect <<EOF &&
WARN boot-vga: 0000:03:00.0: the boot VGA device: vfio-bind --root root --handover --stop-holders 03:00.0 can take it: it stops the 3 processes that hold the card and unbinds vtcon1 ((M) frame buffer device); the host has no display on it until vfio-bind --root root --giveback 03:00.0; PID 812 (Xorg) holds /dev/dri/card0, run by the display manager (lightdm.service); PID 1402 (firefox-esr) holds /dev/dri/renderD128; PID 1290 (pipewire) holds /dev/snd/controlC0; or pass another card (0000:00:02.0, 0000:07:00.0) or make one of them primary in the firmware setup, and the host keeps its display
EOF
	test_cmp expect line && same_tree before root
"

test_expect_success 'boot-vga: the processes named are the ones vfio-bind --handover refuses for' "
	display drm && dm_alias &&
	run passcheck --root root 03:00.0 && line boot-vga 0000:03:00.0 && holders_of >got &&
	run vfio-bind --root root --handover 03:00.0 && expect_rc 3 &&
	sed -n 's/^vfio-bind: [0-9a-f:.]* is in use by the host: //p' err >expect &&
	test -s expect && test_cmp expect got
"

test_expect_success 'boot-vga: efifb on the card, a process holding its audio function' "
	display efifb &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 'the boot VGA device: vfio-bind --root root --handover --stop-holders 03:00.0 can take it: it stops the process that holds the card, unbinds vtcon1 ((M) frame buffer device) and releases efi-framebuffer.0 from efi-framebuffer; the host has no display on it until vfio-bind --root root --giveback 03:00.0; PID 1290 (pipewire) holds /dev/snd/controlC0' &&
	grep -q 'controlC0; or pass another card (0000:00:02.0, 0000:07:00.0) or make one of them primary' line
"

# planned: what vfio-bind --root root --handover -n 03:00.0 unbinds and
# releases before the functions, as passcheck words it.
planned() {
	vfio-bind --root root --handover -n 03:00.0 >plan &&
	sed -n -e 's|^echo 0 > root/sys/class/vtconsole/\(vtcon[0-9]*\)/bind$|\1|p' \
		-e 's|^echo \(.*\) > root/sys/bus/platform/drivers/\(.*\)/unbind$|\1 from \2|p' plan
}

test_expect_success 'boot-vga: nothing holds the card: --handover takes it, the plan vfio-bind makes' "
	display efifb bare &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 'the boot VGA device: vfio-bind --root root --handover 03:00.0 can take it: it unbinds vtcon1 ((M) frame buffer device) and releases efi-framebuffer.0 from efi-framebuffer; no process holds the card; the host has no display on it until vfio-bind --root root --giveback 03:00.0' &&
	planned >expect && printf 'vtcon1\nefi-framebuffer.0 from efi-framebuffer\n' >want &&
	test_cmp want expect &&
	rm -r root && display drm bare &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 'vfio-bind --root root --handover 03:00.0 can take it: it unbinds vtcon1 ((M) frame buffer device); no process holds the card; the host' &&
	planned >expect && echo vtcon1 >want && test_cmp want expect
"

test_expect_success 'boot-vga: no console, no firmware framebuffer, no holder: taken directly' "
	display drm bare && echo 0 >root/sys/devices/virtual/vtconsole/vtcon1/bind &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 'the boot VGA device: vfio-bind --root root --handover 03:00.0 can take it directly: no process holds the card, no console or firmware framebuffer is on it; the host has no display on it until vfio-bind --root root --giveback 03:00.0' &&
	planned >expect && test ! -s expect && grep_q '^# recorded in .* first: 2 changes\$' plan
"

test_expect_success 'boot-vga: the audio function goes with the boot VGA device; vfio-driver names --handover' "
	display drm &&
	run passcheck --root root 03:00.1 &&
	expect_line WARN boot-vga 0000:03:00.1 'goes with the boot VGA device 0000:03:00.0: vfio-bind --root root --handover --stop-holders 03:00.0 can take it: it stops the 3 processes' &&
	expect_line FAIL vfio-driver 0000:03:00.1 '0000:03:00.0 on amdgpu, 0000:03:00.1 on snd_hda_intel: 0000:03:00.0, the boot VGA device, goes with it: run vfio-bind --root root --handover 03:00.0 (boot-vga)' &&
	run passcheck --root root 03:00.0 &&
	expect_line FAIL vfio-driver 0000:03:00.0 'snd_hda_intel: the boot VGA device: run vfio-bind --root root --handover 03:00.0 (boot-vga)' &&
	run vfio-bind --root root 03:00.1 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:03:00.0 is the boot VGA device' err
"

test_expect_success 'vfio-at-boot: the boot GPU names --handover, not --persist, which refuses it' "
	display drm &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN vfio-at-boot 0000:03:00.0 'not on vfio-pci: nothing binds 0000:03:00.0, 0000:03:00.1 at boot, and for the boot VGA device nothing should: vfio-bind --root root --handover 03:00.0 takes it when the VM starts, as does its --libvirt-hook (boot-vga)' &&
	run vfio-bind --root root --persist -n 03:00.0 && expect_rc 3 &&
	grep_q 'is the boot VGA device' err &&
	run passcheck --root root 07:00.0 &&
	expect_line WARN vfio-at-boot 0000:07:00.0 'run vfio-bind --root root --persist 07:00.0'
"

test_expect_success 'boot-vga: processes that cannot be read leave the holders unknown' "
	display drm && chmod -R a+rX root && chmod 0700 root/proc/1290/fd && chmod a+x . .. &&
	run setpriv --reuid=65534 --regid=65534 --clear-groups passcheck --root \"\$PWD/root\" 03:00.0 &&
	line boot-vga 0000:03:00.0 &&
	grep_q '; 1 process could not be read: which hold the card is unknown (as root passcheck names them); or pass another card' line &&
	grep_q 'it stops the 2 processes that hold the card' line && ! grep_q 'PID 1290' line &&
	run setpriv --reuid=65534 --regid=65534 --clear-groups vfio-bind --root \"\$PWD/root\" --handover 03:00.0 &&
	grep_q '^vfio-bind: 1 process could not be read' err
"

# handed_over: the state file --handover writes for the drm host (t2170),
# the card on vfio-pci as the kernel leaves it.
handed_over() {
	mkdir -p root/run/vfio-utils && {
		echo '# vfio-bind --handover 0000:03:00.0: what it changed, undone by vfio-bind --giveback'
		echo "boot_id $BOOT_ID"
		echo 'vtcon vtcon1 (M) frame buffer device'
		echo 'pci 0000:03:00.0 amdgpu'
		echo 'pci 0000:03:00.1 snd_hda_intel'
	} >root/run/vfio-utils/handover-0000:03:00.0 &&
	echo 0 >root/sys/devices/virtual/vtconsole/vtcon1/bind &&
	for f in 0 1; do
		echo vfio-pci >root/sys/bus/pci/devices/0000:03:00.$f/driver_override &&
		ln -sfn ../../../../../../bus/pci/drivers/vfio-pci \
			root/sys/bus/pci/devices/0000:03:00.$f/driver || return 1
	done
}

test_expect_success 'boot-vga: handed over this boot: PASS, naming the state file and --giveback' "
	display drm bare && handed_over &&
	run passcheck --root root 03:00.0 &&
	expect_line PASS boot-vga 0000:03:00.0 \"the boot VGA device, handed over this boot ('root/run/vfio-utils/handover-0000:03:00.0'): on vfio-pci; vfio-bind --root root --giveback 03:00.0 gives the host its display back\" &&
	expect_line PASS vfio-driver 0000:03:00.0 '2 functions on vfio-pci' &&
	run vfio-bind --root root --handover 03:00.0 && expect_rc 3 &&
	grep_q 'a hand-over of 0000:03:00.0 is recorded' err
"

test_expect_success 'boot-vga: a record of an earlier boot is no hand-over; one not on vfio-pci is said' "
	display drm bare && handed_over &&
	echo 0b7c6d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e >root/proc/sys/kernel/random/boot_id &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 \"the boot VGA device, on vfio-pci with no hand-over recorded ('root/run/vfio-utils/handover-0000:03:00.0'): the host has no display on it\" &&
	echo $BOOT_ID >root/proc/sys/kernel/random/boot_id &&
	ln -sfn ../../../../../../bus/pci/drivers/amdgpu root/sys/bus/pci/devices/0000:03:00.0/driver &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 \"the boot VGA device: a hand-over of this boot is recorded in 'root/run/vfio-utils/handover-0000:03:00.0', but 0000:03:00.0 on amdgpu: vfio-bind --root root --giveback 03:00.0 undoes what it records\" &&
	expect_line FAIL vfio-driver 0000:03:00.0 '0000:03:00.0 on amdgpu: a hand-over of this boot is recorded: run vfio-bind --root root --giveback 03:00.0, then vfio-bind --root root --handover 03:00.0 (boot-vga)' &&
	run vfio-bind --root root --handover 03:00.0 && expect_rc 3 &&
	grep_q \"'vfio-bind --giveback 0000:03:00.0' gives it back first\" err
"

test_expect_success 'boot-vga: /proc read once for the boot card, however many of its functions are checked' "
	display drm && dm_alias &&
	strace -f -qq -e trace=openat,openat2 -o trace passcheck --root root 03:00.0 03:00.1 >out 2>/dev/null || :
	test \"\$(grep -c 'proc/812/maps\"' trace)\" = 1 &&
	test \"\$(grep -c '^WARN boot-vga: .*PID 812 (Xorg) holds /dev/dri/card0' out)\" = 2
"

test_expect_success 'boot-vga: a record without a boot id is none, as for vfio-bind; no boot id is said' "
	display drm bare && handed_over &&
	sed -i '/^boot_id /d' root/run/vfio-utils/handover-0000:03:00.0 &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 'the boot VGA device, on vfio-pci with no hand-over recorded' &&
	run vfio-bind --root root --giveback 03:00.0 && expect_rc 3 &&
	grep_q 'is from an earlier boot: ignored' err &&
	rm -r root && display drm bare && handed_over && rm root/proc/sys/kernel/random/boot_id &&
	run passcheck --root root 03:00.0 &&
	expect_line WARN boot-vga 0000:03:00.0 \"the boot VGA device: could not read 'root/proc/sys/kernel/random/boot_id': No such file or directory\" &&
	run vfio-bind --root root --giveback 03:00.0 && expect_rc 3 &&
	grep_q \"^vfio-bind: could not read 'root/proc/sys/kernel/random/boot_id': No such file or directory\\$\" err
"

test_expect_success 'boot-vga -J: one record, the same words as the text' "
	display drm && dm_alias &&
	passcheck --root root 03:00.0 >text; passcheck --root root -J 03:00.0 >out.json
	grep '^WARN boot-vga: ' text >expect &&
	python3 - out.json >got <<'PY' &&
import json, sys
c = [x for x in json.load(open(sys.argv[1]))['checks'] if x['check'] == 'boot-vga']
assert len(c) == 1 and sorted(c[0]) == ['check', 'device', 'message', 'status'], c
print('%s %s: %s: %s' % (c[0]['status'], c[0]['check'], c[0]['device'], c[0]['message']))
PY
	test_cmp expect got
"

test_expect_success 'devices: a host with only the boot GPU is told how to check it' "
	display drm bare &&
	for d in 0000:00:02.0 0000:07:00.0; do
		echo 0x028000 >root/sys/bus/pci/devices/\$d/class || return 1
	done &&
	run passcheck --root root &&
	expect_line SKIP devices 'no display controller besides the boot VGA device (0000:03:00.0): name the device to check; passcheck --root root 03:00.0 says whether vfio-bind --handover can take it from the host' &&
	run passcheck --root root 03:00.0 && line boot-vga 0000:03:00.0 && grep_q ' --handover ' line &&
	! grep_q 'another card' line
"

test_expect_success 'a vendor:device ID checks every device that has it' "
	run passcheck --root '$Z' 1002:ab28 &&
	line group-isolated 0000:03:00.1 && line group-isolated 0000:07:00.1
"

test_expect_success 'pci-stub is not vfio-pci: FAIL naming it, as vfio-bind --check says' "
	guide && bound &&
	mkdir -p root/sys/bus/pci/drivers/pci-stub &&
	ln -sfn ../../../../../../bus/pci/drivers/pci-stub root/sys/bus/pci/devices/0000:07:00.1/driver &&
	echo pci-stub >root/sys/bus/pci/devices/0000:07:00.1/driver_override &&
	run passcheck --root root 07:00.0 && expect_rc 1 &&
	expect_line FAIL vfio-driver 0000:07:00.0 '0000:07:00.1 on pci-stub: run vfio-bind --root root 07:00.0' &&
	expect_line WARN vfio-at-boot 0000:07:00.0 'not on vfio-pci: nothing binds' &&
	run vfio-bind --root root --check 07:00.0 && expect_rc 1
"

test_expect_success 'bound now, nothing at boot: WARN; after vfio-bind --persist: PASS' "
	guide && bound &&
	run passcheck --root root 07:00.0 &&
	expect_line PASS vfio-driver 0000:07:00.0 '2 functions on vfio-pci' &&
	expect_line PASS vfio-modules 'loaded' && expect_line PASS vfio-device &&
	expect_line WARN vfio-at-boot 0000:07:00.0 'on vfio-pci now: nothing binds 0000:07:00.0, 0000:07:00.1 at boot' &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	run passcheck --root root 07:00.0 && expect_rc 0 &&
	expect_line PASS vfio-at-boot 0000:07:00.0 '/etc/modprobe.d/vfio.conf' &&
	expect_line PASS shared-ids 0000:07:00.0 '1002:ab28 of 0000:07:00.1 is also 0000:03:00.1, which the host keeps: bound by address at boot'
"

# The guide's host with its host card's HDMI audio of another ID, so that
# 1002:ab28 is the guest card's alone.
unshared() {
	echo 0xaaf0 >root/sys/bus/pci/devices/0000:03:00.1/device
}

test_expect_success 'vfio-at-boot: ids= in any modprobe.d file, the kernel command line, driverctl' "
	guide && bound && unshared && mkdir -p root/etc/modprobe.d root/etc/driverctl.d &&
	echo 'options vfio-pci ids=1002:73ff,1002:ab28 disable_vga=1' >root/etc/modprobe.d/gpu.conf &&
	run passcheck --root root 07:00.0 &&
	expect_line PASS vfio-at-boot 0000:07:00.0 'ids= in modprobe.d, root/etc/modprobe.d/gpu.conf:1' &&
	rm root/etc/modprobe.d/gpu.conf &&
	echo 'BOOT_IMAGE=/vmlinuz intel_iommu=on vfio_pci.ids=1002:73ff,1002:AB28' >root/proc/cmdline &&
	run passcheck --root root 07:00.0 &&
	expect_line PASS vfio-at-boot 0000:07:00.0 'kernel command line' &&
	echo 'BOOT_IMAGE=/vmlinuz intel_iommu=on vfio_pci.ids=1002:73ff' >root/proc/cmdline &&
	run passcheck --root root 07:00.0 &&
	expect_line WARN vfio-at-boot 0000:07:00.0 'nothing binds 0000:07:00.1 at boot' &&
	echo vfio-pci >root/etc/driverctl.d/pci-0000:07:00.1 &&
	run passcheck --root root 07:00.0 &&
	expect_line PASS vfio-at-boot 0000:07:00.0
"

test_expect_success 'a group shared with a card reader: FAIL naming it' "
	run passcheck --root \"\$FIXTURES/laptop-optimus\" && expect_rc 1 &&
	expect_line FAIL group-isolated 0000:01:00.0 'group 8 also holds 0000:02:00.0 (Unassigned class [ff00], rtsx_pci)' &&
	grep_q '; try another slot (one wired to the CPU) or another board\$' line &&
	expect_line FAIL vfio-driver 0000:01:00.0 '0000:02:00.0 on rtsx_pci' &&
	expect_line WARN reset 0000:01:00.0 'no reset method'
"

A=$FIXTURES/acs-intel

test_expect_success 'a shared group: why, and a free slot that gives a group of its own' "
	cp -R '$A' root &&
	rm root/sys/bus/pci/devices/0000:05:00.0/driver &&
	run passcheck --root root 0c:00.0 && expect_rc 1 &&
	expect_line FAIL group-isolated 0000:0c:00.0 'group 8 also holds 0000:0f:00.0 (Ethernet controller, e1000e): all of them would go to the VM; why: root port without ACS at 0000:00:1d.0 (no-acs), root port without ACS at 0000:00:1d.1 (no-acs), multifunction device without ACS at 0000:00:1d.0 (multifunction); slot 4 (behind 0000:00:1c.1) would give it a group of its own' &&
	grep_q 'of its own\$' line &&
	! lspci_root root -vvv -s 00:1d.0 | grep 'Access Control Services' &&
	lspci_root root -vvv -s 00:1c.1 | grep_q 'Access Control Services' - &&
	iommu-groups --root root --slots | grep_q '^Slot 4: 05:00 behind 00:1c.1: own group: 05:00.0 ' -
"

test_expect_success 'no free slot: the ones that would give a group of its own, with what they hold' "
	run passcheck --root '$A' 07:01.0 && expect_rc 1 &&
	expect_line FAIL group-isolated 0000:07:01.0 'why: behind a PCIe-to-PCI bridge at 0000:06:00.0 (pcie-to-pci); slot 1 (behind 0000:00:03.0, now holding 0000:02:00.0) or slot 2 (behind 0000:00:04.0, now holding 0000:03:00.0) would give it a group of its own (6 more: iommu-groups --root $A --slots)' &&
	test \$(iommu-groups --root '$A' --slots | grep -c ': own group: ') -eq 8
"

test_expect_success 'no slot gives a group of its own: said, and where to look' "
	cp -R '$A' root &&
	for s in \$(iommu-groups --root root --slots -J | python3 -c '
import json, sys
print(*[s[\"slot\"] for s in json.load(sys.stdin)[\"slots\"] if s[\"own_group\"]])'); do
		rm -r root/sys/bus/pci/slots/\$s || return 1
	done &&
	run passcheck --root root 0c:00.0 && expect_rc 1 &&
	expect_line FAIL group-isolated 0000:0c:00.0 '(multifunction); no slot would give it a group of its own (iommu-groups --root root --slots): try another board'
"

test_expect_success 'no IOMMU in the firmware: the firmware setup named' "
	run passcheck --root \"\$FIXTURES/iommu-off\" && expect_rc 1 &&
	expect_line FAIL iommu-firmware 'enable VT-d in the firmware setup' &&
	expect_line FAIL iommu-enabled 'the firmware describes no IOMMU' &&
	expect_line SKIP interrupt-remapping &&
	expect_line SKIP kernel-cmdline &&
	expect_line SKIP devices
"

test_expect_success 'a DMAR table but no groups: kcmdline-edit --iommu named' "
	cp -R \"\$FIXTURES/iommu-off\" root &&
	mkdir -p root/sys/firmware/acpi/tables && echo DMAR >root/sys/firmware/acpi/tables/DMAR &&
	run passcheck --root root && expect_rc 1 &&
	expect_line PASS iommu-firmware &&
	expect_line FAIL iommu-enabled 'booted without intel_iommu=on: run kcmdline-edit --root root --iommu, regenerate the boot configuration, reboot' &&
	expect_line FAIL kernel-cmdline 'intel_iommu=on is missing' &&
	echo 'BOOT_IMAGE=/vmlinuz ro intel_iommu=on intel-iommu=off' >root/proc/cmdline &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL iommu-enabled 'booted with intel_iommu=off: run kcmdline-edit --root root --remove intel_iommu=off --iommu' &&
	expect_line FAIL kernel-cmdline 'intel_iommu=off turns the IOMMU off'
"

test_expect_success 'amd_iommu=on on an AMD host: WARN, the kernel ignores it' "
	guide &&
	sed -i 's/GenuineIntel/AuthenticAMD/; s/ vmx / svm /' root/proc/cpuinfo &&
	echo 'BOOT_IMAGE=/vmlinuz amd_iommu=on iommu=pt' >root/proc/cmdline &&
	run passcheck --root root &&
	expect_line PASS cpu-virt 'AMD-V (svm)' &&
	expect_line WARN kernel-cmdline 'amd_iommu=on is not a kernel option' &&
	expect_line WARN kernel-cmdline 'kcmdline-edit --root root --remove amd_iommu=on'
"

test_expect_success 'no vmx or svm: FAIL, and /dev/kvm missing says why' "
	cp -R '$Z' root &&
	sed -i 's/ vmx / /' root/proc/cpuinfo &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL cpu-virt 'enable Intel VT-x in the firmware setup' &&
	expect_line FAIL kvm-device 'virtualization is off'
"

test_expect_success 'interrupt remapping: /proc/interrupts, the ecap bit, unsafe interrupts' "
	guide &&
	printf '           CPU0\n  0:   22  IR-IO-APIC    2-edge      timer\n' >root/proc/interrupts &&
	run passcheck --root root && expect_line PASS interrupt-remapping 'IR- chips' &&
	printf '           CPU0\n  0:   22  IO-APIC    2-edge      timer\n' >root/proc/interrupts &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL interrupt-remapping 'allow_unsafe_interrupts=1' &&
	mkdir -p root/sys/module/vfio_iommu_type1/parameters &&
	echo Y >root/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts &&
	run passcheck --root root && expect_line WARN interrupt-remapping 'a guest can send interrupts' &&
	rm -r root/proc/interrupts root/sys/module/vfio_iommu_type1 &&
	echo f050d2 >root/sys/devices/virtual/iommu/dmar0/intel-iommu/ecap &&
	run passcheck --root root && expect_line FAIL interrupt-remapping 'the IOMMU cannot'
"

test_expect_success 'reset: methods shown, vendor-reset recognised' "
	guide &&
	run passcheck --root root 00:02.0 && expect_line PASS reset 0000:00:02.0 'reset methods: flr bus' &&
	mkdir -p root/sys/module/vendor_reset &&
	echo 'device_specific bus' >root/sys/bus/pci/devices/0000:07:00.0/reset_method &&
	run passcheck --root root 07:00.0 && expect_line PASS reset 0000:07:00.0 'vendor-reset resets it'
"

# rom IMAGE-TYPE...: a ROM with one image per code type, the last flagged.
rom() {
	python3 - "$@" <<'PY'
import struct, sys
types = [int(t) for t in sys.argv[1:]]
out = b''
for i, t in enumerate(types):
    img = bytearray(1024)
    img[0:2] = b'\x55\xaa'
    struct.pack_into('<H', img, 0x18, 0x40)
    img[0x40:0x44] = b'PCIR'
    struct.pack_into('<H', img, 0x40 + 0x10, len(img) // 512)
    img[0x40 + 0x14] = t
    img[0x40 + 0x15] = 0x80 if i == len(types) - 1 else 0
    out += bytes(img)
sys.stdout.buffer.write(out)
PY
}

test_expect_success 'option ROM: UEFI image, legacy only, unreadable' "
	guide && D=root/sys/bus/pci/devices/0000:07:00.0 &&
	rom 0 3 >\$D/rom &&
	run passcheck --root root 07:00.0 && expect_line PASS option-rom 0000:07:00.0 'UEFI image' &&
	rom 0 >\$D/rom &&
	run passcheck --root root 07:00.0 && expect_line WARN option-rom 0000:07:00.0 'no UEFI image' &&
	rm \$D/rom && mkdir \$D/rom &&
	run passcheck --root root 07:00.0 && expect_line SKIP option-rom 0000:07:00.0 'echo 1 >'
"

test_expect_success '-q prints only WARN and FAIL' "
	run passcheck --root '$Z' -q &&
	test -s out && ! grep -q -E '^(PASS|SKIP)' out &&
	passcheck --root '$Z' | grep -E '^(WARN|FAIL) ' >expect; test_cmp expect out
"

test_expect_success '-J is valid JSON that agrees with the text' "
	passcheck --root '$Z' >text; passcheck --root '$Z' -J >out.json
	python3 - out.json >derived <<'PY' &&
import json, sys
doc = json.load(open(sys.argv[1]))
n = {'PASS': 0, 'WARN': 0, 'FAIL': 0, 'SKIP': 0}
for c in doc['checks']:
    n[c['status']] += 1
    dev = c['device'] + ': ' if c['device'] else ''
    print('%s %s: %s%s' % (c['status'], c['check'], dev, c['message']))
assert n == {'PASS': doc['pass'], 'WARN': doc['warn'], 'FAIL': doc['fail'], 'SKIP': doc['skip']}
PY
	test_cmp text derived
"

test_expect_success 'reads only: the tree is the same afterwards' "
	guide && bound && cp -R root before &&
	passcheck --root root >/dev/null; passcheck --root root -J 07:00.0 >/dev/null
	same_tree before root
"

test_expect_success 'runs no other program' "
	trace_exec passcheck --root '$Z' >/dev/null;
	{ test \$(grep -c ' execve(' trace) -eq 1 && ! grep -q -E ' (v?fork|clone3?)\\(' trace ||
	  { cat trace; false; }; }
"

test_expect_success 'bad devices: usage error or not found, nothing on stdout' "
	for a in 'zz:00.0' '../../etc' '1002:73ff:1' '/sys/bus/pci/devices/0000:07:00.0'; do
		run passcheck --root '$Z' \"\$a\" && expect_rc 2 && test ! -s out &&
		grep_q \"^passcheck: invalid device '\" err || return 1
	done &&
	run passcheck --root '$Z' 0a:1f.7 && expect_rc 3 && test ! -s out &&
	grep_q \"^passcheck: no PCI device at '0a:1f.7'\" err &&
	run passcheck --root '$Z' abcd:ef01 && expect_rc 3 &&
	grep_q \"^passcheck: no PCI device with ID 'abcd:ef01'\" err
"

test_expect_success 'a missing --root: an error naming it' "
	run passcheck --root \"\$PWD/nonexistent\" && expect_rc 3 && test ! -s out &&
	grep_q \"^passcheck: could not open root directory '\$PWD/nonexistent'\" err
"

test_expect_success 'fast on the 554-function server' "
	passcheck --root \"\$FIXTURES/server-sriov\" >/dev/null;
	start=\$(date +%s%N) &&
	passcheck --root \"\$FIXTURES/server-sriov\" >/dev/null;
	end=\$(date +%s%N) &&
	echo \"\$(( (end - start) / 1000000 )) ms\" &&
	test \$(( (end - start) / 1000000 )) -lt 500
"

# The boot configuration against what the running kernel got (the guide
# host was booted with intel_iommu=on iommu=pt).
BOOT=$FIXTURES/boot

test_expect_success 'boot-cmdline: no boot configuration found: SKIP' "
	guide && run passcheck --root root &&
	expect_line SKIP boot-cmdline 'no boot configuration found'
"

test_expect_success 'boot-cmdline: GRUB set up by kcmdline-edit --iommu: PASS' "
	guide && cp -R '$BOOT/arch-grub/etc' root/ &&
	run passcheck --root root &&
	expect_line WARN boot-cmdline \"'root/etc/default/grub' does not set intel_iommu=on, iommu=pt, which the running kernel was booted with\" &&
	kcmdline-edit --root root --iommu >/dev/null &&
	run passcheck --root root &&
	expect_line PASS boot-cmdline \"the running kernel has the passthrough parameters 'root/etc/default/grub' sets\"
"

test_expect_success 'boot-cmdline: set but not yet booted: regenerate and reboot' "
	guide && cp -R '$BOOT/arch-grub/etc' root/ &&
	kcmdline-edit --root root --iommu --add vfio-pci.ids=1002:73ff >/dev/null &&
	run passcheck --root root &&
	expect_line WARN boot-cmdline \"'root/etc/default/grub' sets vfio_pci.ids=1002:73ff, which the running kernel was booted without: run chroot root grub-mkconfig -o /boot/grub/grub.cfg, then reboot\"
"

test_expect_success 'boot-cmdline: each BLS entry is compared, as systemd-boot reads it' "
	guide && cp -R '$BOOT/arch-sdboot/boot' root/ &&
	kcmdline-edit --root root --bls --iommu >/dev/null &&
	run passcheck --root root &&
	expect_line PASS boot-cmdline 'root/boot/loader/entries/arch.conf' &&
	kcmdline-edit --root root --bls --entry arch-fallback --remove iommu >/dev/null &&
	run passcheck --root root &&
	expect_line WARN boot-cmdline \"'root/boot/loader/entries/arch-fallback.conf' does not set iommu=pt\"
"

test_expect_success 'boot-cmdline: Debian drop-ins are read after /etc/default/grub' "
	guide && cp -R '$BOOT/ubuntu-cloud/etc' root/ &&
	mkdir -p root/etc/default/grub.d &&
	echo 'GRUB_CMDLINE_LINUX_DEFAULT=\"\$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on iommu=pt\"' >root/etc/default/grub.d/99-vfio.cfg &&
	run passcheck --root root &&
	expect_line PASS boot-cmdline \"'root/etc/default/grub' sets\"
"

# --xml: the libvirt domain the devices are for.
DOMAINS=$TOP/tests/domains

test_expect_success '--xml: a domain without the card, KVM not hidden: what to run' "
	guide && cp '$DOMAINS/win10-virsh.xml' root/win10.xml &&
	run passcheck --root root --xml win10.xml 07:00.0 && expect_rc 1 &&
	expect_line WARN xml-kvm-hidden 'domain win10 does not hide KVM' &&
	expect_line WARN xml-vendor-id 'virtxml-hide sets one' &&
	expect_line FAIL xml-hostdev 0000:07:00.0 'domain win10 lacks 0000:07:00.0, 0000:07:00.1 (' &&
	grep_q 'group): virtxml-hostdev --root root -i 07:00.0 win10.xml, then chroot root virsh define /win10.xml\$' line &&
	! grep -q 'xml-guest-slot\|xml-renumbered' out
"

test_expect_success '--xml: both functions passed and the hypervisor hidden by virtxml-hide: PASS' "
	guide && bound && cp '$DOMAINS/win10-tabs.xml' root/games.xml &&
	run passcheck --root root --xml games.xml 07:00.0 &&
	expect_line PASS xml-hostdev 0000:07:00.0 'domain games has all 2 functions' &&
	expect_line WARN xml-kvm-hidden &&
	virtxml-hide --root root -i games.xml >/dev/null &&
	run passcheck --root root --xml games.xml 07:00.0 &&
	expect_line PASS xml-kvm-hidden 'domain games hides KVM' &&
	expect_line PASS xml-vendor-id \"domain games sets the Hyper-V vendor_id '\"
"

test_expect_success '--xml: hyperv passthrough mode takes no vendor_id: SKIP' "
	guide && cp '$DOMAINS/hyperv-passthrough.xml' root/pt.xml &&
	run passcheck --root root --xml pt.xml 07:00.0 &&
	expect_line SKIP xml-vendor-id \"<hyperv mode='passthrough'>\"
"

test_expect_success '--xml -: the domain on standard input; -J carries the checks' "
	guide && { passcheck --root root -J --xml - 07:00.0 <'$DOMAINS/win10-tabs.xml' >out.json || :; } &&
	python3 -c '
import json, sys
c = {(x[\"check\"], x[\"device\"]): x[\"status\"] for x in json.load(open(\"out.json\"))[\"checks\"]}
assert c[(\"xml-hostdev\", \"0000:07:00.0\")] == \"PASS\", c
assert c[(\"xml-kvm-hidden\", None)] == \"WARN\", c
'
"

test_expect_success '--xml: not a domain, or no such file: an error naming it, no checks' "
	guide && echo '<network/>' >root/net.xml &&
	run passcheck --root root --xml net.xml && expect_rc 3 && test ! -s out &&
	grep_q \"^passcheck: 'root/net.xml' is not a libvirt domain\" err &&
	run passcheck --root root --xml nonexistent.xml && expect_rc 3 && test ! -s out &&
	grep_q \"^passcheck: could not open 'root/nonexistent.xml': No such file or directory\" err &&
	run passcheck --xml '' && expect_rc 2
"

# The card's functions in the domain: all of them, on one guest slot, and
# still the devices virtxml-hostdev recorded.

# fix: the first command of the fix in ./line, before ", then", in ./fix.
fix() {
	sed -n 's/^.*: \(virtxml-hostdev .*\), then chroot root virsh define .*$/\1/p' line >fix &&
	test -s fix || { echo "no virtxml-hostdev fix in:"; cat line; return 1; }
}

# guest_slot_pass: the xml-* checks of 07:00.0 PASS, the card on one guest slot.
guest_slot_pass() {
	expect_line PASS xml-hostdev 0000:07:00.0 'has all 2 functions' &&
	expect_line PASS xml-guest-slot 0000:07:00.0 \
		"the card's 2 functions on guest slot 0000:0$1:00: 0000:07:00.0 at 0000:0$1:00.0, 0000:07:00.1 at 0000:0$1:00.1"
}

test_expect_success '--xml: the fix xml-hostdev names, pasted, gives the domain the card on one slot' "
	guide && cp '$DOMAINS/win10-virsh.xml' root/win10.xml &&
	run passcheck --root root --xml win10.xml 07:00.0 && expect_rc 1 &&
	expect_line FAIL xml-hostdev 0000:07:00.0 && fix &&
	test \"\$(cat fix)\" = 'virtxml-hostdev --root root -i 07:00.0 win10.xml' &&
	sh -e fix >/dev/null &&
	run passcheck --root root --xml win10.xml 07:00.0 &&
	guest_slot_pass 4 &&
	expect_line PASS xml-renumbered 'the 2 functions virtxml-hostdev recorded in domain win10 are the same devices on this host'
"

test_expect_success '--xml - or a pipe: the fix is the virsh pipeline, for the domain named' "
	guide &&
	run passcheck --root root --xml - 07:00.0 <'$DOMAINS/win10-virsh.xml' && expect_rc 1 &&
	expect_line FAIL xml-hostdev 0000:07:00.0 &&
	grep_q 'group): chroot root virsh dumpxml --inactive win10 | virtxml-hostdev --root root 07:00.0 | chroot root virsh define /dev/stdin\$' line &&
	run passcheck --xml - 07:00.0 --root root <'$DOMAINS/win11-virsh.xml' && expect_rc 1 &&
	expect_line FAIL xml-guest-slot 0000:07:00.0 &&
	grep_q ' | virtxml-hostdev --root root --fix 07:00 | chroot root virsh define /dev/stdin\$' line &&
	mkfifo root/dump && { cat '$DOMAINS/win10-virsh.xml' >root/dump & } &&
	run passcheck --root root --xml /dump 07:00.0 && wait && expect_rc 1 &&
	expect_line FAIL xml-hostdev 0000:07:00.0 &&
	grep_q 'group): chroot root virsh dumpxml --inactive win10 | virtxml-hostdev --root root 07:00.0 | chroot root virsh define /dev/stdin\$' line
"

# missing DOMAIN DEVICE: what xml-hostdev FAILs as missing for DEVICE, one a line.
missing() {
	passcheck --root root --xml "$1" "$2" | sed -n "s/^FAIL xml-hostdev: [^ ]* domain [^ ]* lacks \(.*\) (a VM .*/\1/p" |
		tr -d , | tr ' ' '\n' | sort
}

# added DOMAIN: the host addresses of the PCI hostdevs in DOMAIN, one a line.
added() {
	python3 -c '
import sys, xml.etree.ElementTree as ET
for a in ET.parse(sys.argv[1]).getroot().findall("devices/hostdev/source/address"):
    print("%04x:%02x:%02x.%x" % tuple(int(a.get(k), 0) for k in ("domain", "bus", "slot", "function")))' "$1" | sort
}

test_expect_success '--xml: what xml-hostdev asks for is what virtxml-hostdev adds (vfio-bind'"'"'s set)' "
	guide && cp '$DOMAINS/win10-virsh.xml' root/empty.xml &&
	for dev in 07:00.0 07:00.1 03:00.0 00:1f.3 00:14.0; do
		missing empty.xml \$dev >want &&
		virtxml-hostdev --root root --force \$dev <root/empty.xml >root/all.xml 2>/dev/null &&
		added root/all.xml >got && test_cmp want got &&
		test -s got || return 1
	done &&
	rm -r root && cp -R \"\$FIXTURES/laptop-optimus\" root && cp '$DOMAINS/win10-virsh.xml' root/empty.xml &&
	missing empty.xml 01:00.0 >want &&
	printf '%s\n' 0000:01:00.0 0000:02:00.0 >expect && test_cmp expect want &&
	virtxml-hostdev --root root --force 01:00.0 <root/empty.xml >root/all.xml 2>/dev/null &&
	added root/all.xml >got && test_cmp want got
"

test_expect_success '--xml: the card on two guest slots (virt-manager'"'"'s way): FAIL, and --fix pasted moves it' "
	guide && cp '$DOMAINS/win11-virsh.xml' root/win11.xml &&
	run passcheck --root root --xml win11.xml 07:00.0 && expect_rc 1 &&
	expect_line PASS xml-hostdev 0000:07:00.0 &&
	expect_line FAIL xml-guest-slot 0000:07:00.0 'domain win11 has the functions of the card at 07:00 on more than one guest slot: 0000:07:00.0 at 0000:04:00.0, 0000:07:00.1 at 0000:05:00.0 (the GPU drivers expect them on one slot' &&
	fix && test \"\$(cat fix)\" = 'virtxml-hostdev --root root -i --fix 07:00 win11.xml' &&
	sh -e fix >/dev/null &&
	run passcheck --root root --xml win11.xml 07:00.0 &&
	guest_slot_pass 4 && ! grep -q '^FAIL xml-' out &&
	virt-xml-validate root/win11.xml domain >/dev/null
"

test_expect_success '--xml: one guest function twice, or no guest address: FAIL' "
	guide &&
	virtxml-hostdev --root root 07:00.0 <'$DOMAINS/win10-virsh.xml' >one.xml &&
	python3 -c '
import re, sys
t = open(sys.argv[1]).read()
t = t.replace(\"slot=\\x270x00\\x27 function=\\x270x1\\x27/>\\n    </hostdev>\", \"slot=\\x270x00\\x27 function=\\x270x0\\x27/>\\n    </hostdev>\")
open(sys.argv[2], \"w\").write(t)' one.xml root/twice.xml &&
	! cmp -s one.xml root/twice.xml &&
	run passcheck --root root --xml twice.xml 07:00.0 && expect_rc 1 &&
	expect_line FAIL xml-guest-slot 0000:07:00.0 'at one guest function twice: 0000:07:00.0 at 0000:04:00.0, 0000:07:00.1 at 0000:04:00.0' &&
	cp '$DOMAINS/win10-tabs.xml' root/games.xml &&
	run passcheck --root root --xml games.xml 07:00.0 && expect_rc 1 &&
	expect_line FAIL xml-guest-slot 0000:07:00.0 \"domain games has 0000:07:00.0, 0000:07:00.1 of the card at 07:00 without a guest address: libvirt puts each function on a slot of its own, and the GPU drivers expect them on one: \" &&
	fix && test \"\$(cat fix)\" = 'virtxml-hostdev --root root -i --fix 07:00 games.xml' &&
	sh -e fix >/dev/null &&
	run passcheck --root root --xml games.xml 07:00.0 &&
	guest_slot_pass 1 && ! grep -q '^FAIL xml-' out &&
	sed \"s/bus='0x04' slot='0x00' function='0x[01]'\\( multifunction='on'\\)\\{0,1\\}/bus='0x00' slot='0x00' function='0x0'/\" one.xml >root/zero.xml &&
	test \"\$(grep -c \"<address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0'/>\" root/zero.xml)\" = 2 &&
	run passcheck --root root --xml zero.xml 07:00.0 && expect_rc 1 &&
	expect_line FAIL xml-guest-slot 0000:07:00.0 'domain win10 has 0000:07:00.0, 0000:07:00.1 of the card at 07:00 without a guest address' &&
	run virtxml-hostdev --root root --check 07:00.0 zero.xml && expect_rc 1 &&
	grep -q 'without a guest address' err &&
	fix && test \"\$(cat fix)\" = 'virtxml-hostdev --root root -i --fix 07:00 zero.xml' &&
	sh -e fix >/dev/null &&
	run passcheck --root root --xml zero.xml 07:00.0 &&
	guest_slot_pass 4 && ! grep -q '^FAIL xml-' out
"

test_expect_success '--xml: a guest address read as libvirt reads it: attributes left out are 0' "
	guide &&
	virtxml-hostdev --root root 07:00.0 <'$DOMAINS/win10-virsh.xml' >one.xml &&
	sed \"s/ domain='0x0000' bus='0x04' slot='0x00' function='0x0' multifunction='on'/ bus='0x04' multifunction='on'/\" one.xml >root/short.xml &&
	grep -q \"<address type='pci' bus='0x04' multifunction='on'/>\" root/short.xml &&
	run passcheck --root root --xml short.xml 07:00.0 &&
	guest_slot_pass 4 &&
	run virtxml-hostdev --root root --check 07:00.0 short.xml && expect_rc 0 && test ! -s err &&
	virsh -q -c test:///default \"define root/short.xml; dumpxml win10\" >back.xml &&
	grep -q \"<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0' multifunction='on'/>\" back.xml
"

# The guide's host after its host GPU was swapped for one without a PCIe
# switch: the guest card is at 05:00 now, and 07:00.0 is the Wi-Fi.
R=$FIXTURES/z490-guide-renumbered

# renumbered: ./root is the renumbered host, root/win10.xml the domain
# virtxml-hostdev wrote for the guest card on the guide's host before.
renumbered() {
	cp -R "$R" root && mkdir -p root/dev && mknod root/dev/kvm c 10 232 &&
	virtxml-hostdev --root "$Z" 07:00.0 <"$DOMAINS/win10-virsh.xml" >root/win10.xml
}

test_expect_success 'renumbered: on the guide'"'"'s own host, passcheck and virtxml-hostdev --check pass' "
	guide && bound && vfio-bind --root root --persist 07:00.0 >/dev/null &&
	virtxml-hostdev --root '$Z' 07:00.0 <'$DOMAINS/win10-virsh.xml' >root/win10.xml &&
	run passcheck --root root --xml win10.xml 07:00.0 && expect_rc 0 &&
	expect_line PASS xml-renumbered 'the 2 functions virtxml-hostdev recorded in domain win10 are the same devices' &&
	run virtxml-hostdev --root root --check -i 07:00.0 win10.xml && expect_rc 0
"

test_expect_success 'renumbered: the Wi-Fi at the recorded address FAILs, naming what is there and where the card went' "
	renumbered &&
	run passcheck --root root --xml win10.xml 05:00.0 && expect_rc 1 &&
	expect_line FAIL xml-renumbered 0000:07:00.0 'domain win10 passes 0000:07:00.0, recorded by virtxml-hostdev as 1002:73ff/1462:5022/030000, and it is now 8086:2723/8086:0084/028000, 07:00.0 Network controller [0280]: Intel Corporation Wi-Fi 6 AX200 [8086:2723] (rev 1a): the host'\''s PCI numbering changed, and the VM would take another device, which the host uses (wlp7s0 carries the default route; ' &&
	grep_q '; the recorded device is at 05:00.0 now: virtxml-hostdev --root root -i --remove win10.xml && virtxml-hostdev --root root -i 05:00.0 win10.xml, then chroot root virsh define /win10.xml\$' line &&
	expect_line FAIL xml-renumbered 0000:07:00.1 'recorded by virtxml-hostdev as 1002:ab28/1002:ab28/040300, and this host has no device there now: the host'\''s PCI numbering changed, and the VM does not start; the recorded device is at 05:00.1 now' &&
	expect_line FAIL xml-hostdev 0000:05:00.0 'lacks 0000:05:00.0, 0000:05:00.1' &&
	run virtxml-hostdev --root root --check -i 05:00.0 win10.xml && expect_rc 1 &&
	grep_q \"takes 0000:07:00.0, recorded as 1002:73ff/1462:5022/030000, and it is now 8086:2723/8086:0084/028000: the host's PCI numbering changed\" err &&
	run virtxml-hostdev --root root -i 05:00.0 win10.xml && expect_rc 3
"

test_expect_success 'renumbered: the fix pasted gives the domain the card at its new address' "
	renumbered &&
	run passcheck --root root --xml win10.xml 05:00.0 && expect_rc 1 &&
	expect_line FAIL xml-renumbered 0000:07:00.0 && fix &&
	sh -e fix >/dev/null &&
	run passcheck --root root --xml win10.xml 05:00.0 &&
	expect_line PASS xml-renumbered 'the 2 functions virtxml-hostdev recorded in domain win10 are the same devices' &&
	expect_line PASS xml-hostdev 0000:05:00.0 'has all 2 functions' &&
	expect_line PASS xml-guest-slot 0000:05:00.0 '0000:05:00.0 at 0000:04:00.0, 0000:05:00.1 at 0000:04:00.1' &&
	expect_line PASS xml-hostdev-missing &&
	added root/win10.xml >got && printf '%s\n' 0000:05:00.0 0000:05:00.1 >expect && test_cmp expect got &&
	run virtxml-hostdev --root root --check -i 05:00.0 win10.xml && expect_rc 0
"

test_expect_success 'renumbered, -J: the FAILs carry the recorded addresses' "
	renumbered && { passcheck --root root -J --xml - 05:00.0 <root/win10.xml >out.json || :; } &&
	python3 -c '
import json
c = {(x[\"check\"], x[\"device\"]): x for x in json.load(open(\"out.json\"))[\"checks\"]}
assert c[(\"xml-renumbered\", \"0000:07:00.0\")][\"status\"] == \"FAIL\", c
assert c[(\"xml-renumbered\", \"0000:07:00.1\")][\"status\"] == \"FAIL\", c
m = c[(\"xml-renumbered\", \"0000:07:00.0\")][\"message\"]
assert m.endswith(\"virsh dumpxml --inactive win10 | virtxml-hostdev --root root --remove | virtxml-hostdev --root root 05:00.0 | chroot root virsh define /dev/stdin\"), m
'
"

test_expect_success 'renumbered: a recorded function the domain no longer passes is not judged' "
	renumbered &&
	python3 -c '
import re, sys
t = open(\"root/win10.xml\").read()
m = re.search(r\"\n *<hostdev mode=.subsystem. [^>]*>\n *<source>\n *<address [^>]*bus=.0x07. slot=.0x00. function=.0x1./>.*?</hostdev>\", t, re.S)
open(\"root/win10.xml\", \"w\").write(t[:m.start()] + t[m.end():])' &&
	run passcheck --root root --xml win10.xml 05:00.0 && expect_rc 1 &&
	expect_line FAIL xml-renumbered 0000:07:00.0 &&
	! grep -q 'xml-renumbered: 0000:07:00.1' out
"

# What the host uses (see t2000-vfio-bind.sh for the fixtures' story).

test_expect_success 'host-in-use: PASS for the guest card, which the host does not use' "
	guide &&
	run passcheck --root root 07:00.0 &&
	expect_line PASS host-in-use 0000:07:00.0 'the host uses none of the 2 functions'
"

test_expect_success 'host-in-use: the root NVMe FAILs with every reason; no vfio-bind advice' "
	guide &&
	run passcheck --root root 04:00.0 && expect_rc 1 &&
	expect_line FAIL host-in-use 0000:04:00.0 '0000:04:00.0 is in use by the host: swap on /dev/nvme0n1p3; /dev/nvme0n1p1 is mounted on /boot; /dev/nvme0n1p2 is mounted on /;' &&
	expect_line FAIL vfio-driver 0000:04:00.0 'the host uses 0000:04:00.0 (host-in-use)' &&
	expect_line WARN vfio-at-boot 0000:04:00.0 'and nothing should: the host uses 0000:04:00.0 (host-in-use)' &&
	! grep 0000:04:00.0 out | grep vfio-bind
"

test_expect_success 'host-in-use: routes, connections and dm holders, each device' "
	guide &&
	run passcheck --root root 08:00.0 09:00.0 0a:00.0 && expect_rc 1 &&
	expect_line FAIL host-in-use 0000:08:00.0 'enp8s0 carries the default route; enp8s0 carries an established connection (192.168.1.23:41868 to 140.82.121.4:443)' &&
	expect_line FAIL host-in-use 0000:09:00.0 'wlp9s0 carries the default route' &&
	expect_line FAIL host-in-use 0000:0a:00.0 '/dev/nvme1n1p1 holds /dev/dm-0, mounted on /home' &&
	! grep -E '0000:(08|09|0a):00.0' out | grep vfio-bind
"

test_expect_success 'host-in-use: a bridged port, through its bridge' "
	run passcheck --root '$FIXTURES/server-sriov' 17:00.0 && expect_rc 1 &&
	expect_line FAIL host-in-use 0000:17:00.0 'ens17f0 carries the default route through br0' &&
	! grep 0000:17:00.0 out | grep vfio-bind
"

test_expect_success 'host-in-use: the onboard audio FAILs for each platform function it takes' "
	guide &&
	run passcheck --root root 00:1f.3 && expect_rc 1 &&
	grep '^FAIL host-in-use: 0000:00:1f.3: ' out >lines &&
	cat >expect <<EOF &&
FAIL host-in-use: 0000:00:1f.3: 0000:00:1f.0 is in use by the host: a platform function of the chipset (ISA bridge): the kernel needs it; a VM cannot have it without taking it from the host
FAIL host-in-use: 0000:00:1f.3: 0000:00:1f.4 is in use by the host: a platform function of the chipset (SMBus): the kernel needs it; a VM cannot have it without taking it from the host
EOF
	test_cmp expect lines &&
	expect_line FAIL vfio-driver 0000:00:1f.3 'the host uses 0000:00:1f.0, 0000:00:1f.4 (host-in-use)' &&
	! grep 0000:00:1f.3 out | grep vfio-bind
"

test_expect_success 'host-in-use: in -J, one FAIL record per function in use' "
	guide &&
	passcheck --root root -J 00:1f.3 | python3 -c '
import json, sys
c = [x for x in json.load(sys.stdin)[\"checks\"] if x[\"check\"] == \"host-in-use\"]
assert [x[\"status\"] for x in c] == [\"FAIL\", \"FAIL\"], c
assert all(x[\"device\"] == \"0000:00:1f.3\" for x in c), c
'
"

test_expect_success 'host-in-use: a host bridge no driver claims in the group is no use' "
	guide &&
	g=\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.0/iommu_group)) &&
	ln -sfn ../../../kernel/iommu_groups/\$g root/sys/devices/pci0000:00/0000:00:00.0/iommu_group &&
	rm root/sys/kernel/iommu_groups/0/devices/0000:00:00.0 &&
	ln -s ../../../../devices/pci0000:00/0000:00:00.0 root/sys/kernel/iommu_groups/\$g/devices/0000:00:00.0 &&
	run passcheck --root root 07:00.0 &&
	expect_line FAIL host-in-use 0000:07:00.0 '0000:00:00.0 is in use by the host: a platform function of the chipset (host bridge)' &&
	rm root/sys/devices/pci0000:00/0000:00:00.0/driver &&
	run passcheck --root root 07:00.0 &&
	expect_line PASS host-in-use 0000:07:00.0 'none of the 2 functions' &&
	expect_line PASS group-isolated 0000:07:00.0 &&
	expect_line FAIL vfio-driver 0000:07:00.0 '0000:07:00.0 on amdgpu, 0000:07:00.1 on snd_hda_intel: run vfio-bind --root root 07:00.0'
"

# What binds at boot, judged as kmod and the kernel will (the guide's line,
# issue 14): 1002:ab28 is also the host card's HDMI audio, 03:00.1.
GUIDE_LINE='options vfio-pci ids=1002:73ff,1002:ab28 disable_vga=1 kvm.ignore_msrs=1'

test_expect_success 'vfio-ids: the guide modprobe.d line takes the host card audio: FAIL with file, line, device, driver, fix' "
	guide && mkdir -p root/etc/modprobe.d &&
	printf '# from the guide\n%s\n' '$GUIDE_LINE' >root/etc/modprobe.d/vfio-guide.conf &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL vfio-ids 0000:03:00.1 'root/etc/modprobe.d/vfio-guide.conf:2: ' &&
	grep_q \"'ids=1002:73ff,1002:ab28' takes every device with ID 1002:ab28 at boot, this one too (Audio device, snd_hda_intel), which the host keeps\" line &&
	grep_q 'bind the VM.s functions by address with vfio-bind --root root --persist 07:00.0\$' line &&
	test \$(grep -c '^FAIL vfio-ids: ' out) -eq 1 &&
	expect_line WARN vfio-at-boot 0000:07:00.0 'only by options vfio-pci ids= in modprobe.d, root/etc/modprobe.d/vfio-guide.conf:2, which takes a device the host keeps too' &&
	! grep -q '^PASS vfio-at-boot' out
"

test_expect_success 'vfio-options: kvm.ignore_msrs on an options vfio-pci line: FAIL with the line that works' "
	guide && mkdir -p root/etc/modprobe.d &&
	printf '# from the guide\n%s\n' '$GUIDE_LINE' >root/etc/modprobe.d/vfio-guide.conf &&
	run passcheck --root root &&
	expect_line FAIL vfio-options \"root/etc/modprobe.d/vfio-guide.conf:2: 'kvm.ignore_msrs=1' is not a parameter of vfio_pci\" &&
	grep_q \"(\\\"vfio_pci: unknown parameter 'kvm.ignore_msrs' ignored\\\"); write 'options kvm ignore_msrs=1' on a line of its own\" line &&
	echo 'options vfio_pci disable_idle_d3=1 nointxmask=1 enable_sriov=1 disable_denylist=0 disable-vga=1' >root/etc/modprobe.d/vfio-guide.conf &&
	run passcheck --root root &&
	expect_line PASS vfio-options \"only vfio_pci's parameters\" &&
	echo 'options vfio-pci ids=1002:73ff bogus=1' >root/etc/modprobe.d/vfio-guide.conf &&
	run passcheck --root root &&
	expect_line FAIL vfio-options \"'bogus=1' is not a parameter of vfio_pci\" && grep_q 'take it out' line
"

test_expect_success 'vfio-ids: the same IDs on the running kernel command line and in GRUB: FAIL naming each' "
	guide && cp -R '$BOOT/arch-grub/etc' root/ &&
	echo 'BOOT_IMAGE=/vmlinuz-linux intel_iommu=on iommu=pt vfio-pci.ids=1002:73ff,1002:ab28' >root/proc/cmdline &&
	kcmdline-edit --root root --iommu --add vfio-pci.ids=1002:73ff,1002:ab28 >/dev/null 2>&1 &&
	n=\$(grep -n 'vfio-pci.ids=' root/etc/default/grub | cut -d: -f1) && test -n \"\$n\" &&
	run passcheck --root root && expect_rc 1 &&
	grep '^FAIL vfio-ids: 0000:03:00.1: ' out >fails &&
	test \$(wc -l <fails) -eq 2 &&
	grep_q \"^FAIL vfio-ids: 0000:03:00.1: the running kernel's command line: 'vfio-pci.ids=1002:73ff,1002:ab28' takes every device with ID 1002:ab28 at boot, this one too (Audio device, snd_hda_intel)\" fails &&
	grep_q \"^FAIL vfio-ids: 0000:03:00.1: root/etc/default/grub:\$n: 'vfio-pci.ids=1002:73ff,1002:ab28' takes\" fails &&
	grep_q 'vfio-bind --root root --persist 07:00.0\$' fails
"

test_expect_success 'vfio-ids: an ID only the guest card has is no failure' "
	guide && cp -R '$BOOT/arch-grub/etc' root/ && mkdir -p root/etc/modprobe.d &&
	echo 'options vfio-pci ids=1002:73ff' >root/etc/modprobe.d/vfio.conf &&
	kcmdline-edit --root root --iommu --add vfio-pci.ids=1002:73ff >/dev/null &&
	run passcheck --root root 07:00.0 &&
	! grep -q '^FAIL vfio-ids' out &&
	expect_line PASS vfio-ids \"root/etc/modprobe.d/vfio.conf:1, root/etc/default/grub:\" &&
	grep_q 'bind no device the host keeps by ID' line
"

test_expect_success 'vfio-ids: the boot VGA card is kept even when it is checked' "
	guide && mkdir -p root/etc/modprobe.d &&
	echo 'options vfio-pci ids=1002:73df' >root/etc/modprobe.d/vfio.conf &&
	run passcheck --root root 03:00.0 &&
	expect_line FAIL vfio-ids 0000:03:00.0 \"'ids=1002:73df' takes every device with ID 1002:73df at boot, this one too (VGA compatible controller, amdgpu)\"
"

# kmod_last_ids: the ids= that kmod itself gives vfio_pci from ./root's
# modprobe.d directories, read in its order with its masking (modprobe
# takes several -C): the last one counts.
kmod_last_ids() {
	set --
	for d in etc/modprobe.d run/modprobe.d usr/local/lib/modprobe.d usr/lib/modprobe.d lib/modprobe.d; do
		[ -d "root/$d" ] && set -- "$@" -C "root/$d"
	done
	modprobe "$@" --showconfig 2>/dev/null | sed -n 's/^options vfio_pci //p' |
		tr ' ' '\n' | sed -n 's/^ids=//p' | tail -n 1
}

test_expect_success 'vfio-ids: modprobe.d read as kmod reads it: masking, order, the last ids= (judged by modprobe --showconfig)' "
	command -v modprobe >/dev/null || { echo 'no modprobe'; return 1; }
	guide && mkdir -p root/etc/modprobe.d root/usr/lib/modprobe.d &&
	echo 'options vfio-pci ids=1002:73ff,1002:ab28' >root/usr/lib/modprobe.d/x.conf &&
	echo 'options vfio-pci ids=1002:73ff' >root/etc/modprobe.d/x.conf &&
	last=\$(kmod_last_ids) && test \"\$last\" = 1002:73ff &&
	run passcheck --root root &&
	! grep -q '^FAIL vfio-ids' out &&
	expect_line PASS vfio-ids 'root/etc/modprobe.d/x.conf:1 binds no device' &&
	echo 'options vfio_pci ids=1002:ab28 disable_vga=1' >root/usr/lib/modprobe.d/y.conf &&
	last=\$(kmod_last_ids) && test \"\$last\" = 1002:ab28 &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL vfio-ids 0000:03:00.1 \"root/usr/lib/modprobe.d/y.conf:1: 'ids=\$last' takes\" &&
	echo 'options vfio-pci ids=1002:73ff' >root/etc/modprobe.d/z.alias &&
	echo 'options vfio-pci ids=1002:ab28' >root/etc/modprobe.d/.zz.conf &&
	mkdir root/etc/modprobe.d/zzz.conf &&
	last=\$(kmod_last_ids) && test \"\$last\" = 1002:73ff &&
	run passcheck --root root &&
	! grep -q '^FAIL vfio-ids' out && expect_line PASS vfio-ids 'root/etc/modprobe.d/z.alias:1 binds no device' &&
	modprobe -C root/etc/modprobe.d --showconfig 2>/dev/null | grep '^options vfio_pci' >kmod &&
	printf 'options vfio_pci ids=1002:73ff\noptions vfio_pci ids=1002:73ff\n' >expect && test_cmp expect kmod
"

test_expect_success 'vfio-ids: modprobe.d that cannot be read is no PASS' "
	guide && mkdir -p root/etc/modprobe.d && mkfifo root/etc/modprobe.d/vfio.conf &&
	run passcheck --root root 07:00.0 &&
	grep_q \"^passcheck: could not read 'root/etc/modprobe.d/vfio.conf': Invalid argument\" err &&
	expect_line WARN vfio-ids 'could not read modprobe.d (the error above)' &&
	! grep -q '^PASS vfio-ids' out
"

test_expect_success 'vfio-ids: vfio-bind --persist binds the shared ID by address: not flagged' "
	guide && bound &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	run passcheck --root root 07:00.0 && expect_rc 0 &&
	! grep -q '^FAIL' out && ! grep -q '^FAIL vfio-ids' out &&
	expect_line PASS vfio-at-boot 0000:07:00.0 '/etc/modprobe.d/vfio.conf'
"

test_expect_success 'initramfs-stale: an image older than modprobe.d or the generator configuration: FAIL with the command' "
	guide && mkdir -p root/etc/modprobe.d root/boot root/usr/bin &&
	: >root/usr/bin/mkinitcpio && chmod +x root/usr/bin/mkinitcpio &&
	echo 'options vfio-pci ids=1002:73ff' >root/etc/modprobe.d/vfio.conf &&
	echo 'MODULES=()' >root/etc/mkinitcpio.conf &&
	: >root/boot/initramfs-linux.img && : >root/boot/vmlinuz-linux &&
	touch -d '2026-01-01 10:00' root/etc/mkinitcpio.conf &&
	touch -d '2026-01-01 11:00' root/boot/initramfs-linux.img &&
	touch -d '2026-01-01 12:00' root/etc/modprobe.d/vfio.conf &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL initramfs-stale \"'root/boot/initramfs-linux.img' is older than 'root/etc/modprobe.d/vfio.conf'\" &&
	grep_q 'run chroot root mkinitcpio -P\$' line &&
	touch -d '2026-01-01 13:00' root/boot/initramfs-linux.img &&
	run passcheck --root root &&
	expect_line PASS initramfs-stale \"'root/boot/initramfs-linux.img' is newer\" &&
	touch -d '2026-01-01 14:00' root/etc/mkinitcpio.conf &&
	run passcheck --root root &&
	expect_line FAIL initramfs-stale \"'root/boot/initramfs-linux.img' is older than 'root/etc/mkinitcpio.conf'\"
"

test_expect_success 'initramfs-stale: Debian initrd.img and initramfs-tools/modules' "
	guide && mkdir -p root/etc/initramfs-tools root/boot &&
	echo vfio_pci >root/etc/initramfs-tools/modules &&
	: >root/boot/initrd.img-6.1.0-18-amd64 &&
	touch -d '2026-01-01 10:00' root/boot/initrd.img-6.1.0-18-amd64 &&
	touch -d '2026-01-01 11:00' root/etc/initramfs-tools/modules &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL initramfs-stale \"'root/boot/initrd.img-6.1.0-18-amd64' is older than 'root/etc/initramfs-tools/modules'\" &&
	grep_q 'run chroot root update-initramfs -u -k all\$' line
"

test_expect_success '--xml: a hostdev at an address with no device: FAIL naming it' "
	guide && sed 's/bus=\"0x07\" slot=\"0x00\" function=\"0x1\"/bus=\"0x0b\" slot=\"0x00\" function=\"0x1\"/' '$DOMAINS/win10-tabs.xml' >root/gone.xml &&
	grep -q 'bus=\"0x0b\"' root/gone.xml &&
	run passcheck --root root --xml gone.xml 07:00.0 && expect_rc 1 &&
	expect_line FAIL xml-hostdev-missing 0000:0b:00.1 'domain games passes 0000:0b:00.1, where this host has no PCI device' &&
	cp '$DOMAINS/win10-tabs.xml' root/games.xml &&
	run passcheck --root root --xml games.xml 07:00.0 &&
	expect_line PASS xml-hostdev-missing 'every <hostdev> of domain games is a device of this host'
"

test_expect_success 'devices: no display controller at all is said so' "
	guide && for d in 0000:03:00.0 0000:00:02.0 0000:07:00.0; do
		echo 0x028000 >root/sys/bus/pci/devices/\$d/class || return 1
	done &&
	run passcheck --root root &&
	expect_line SKIP devices 'no display controller at all: name the device to check' &&
	run passcheck --root '$Z' 03:00.0 && ! grep -q 'SKIP devices' out &&
	cp -R \"\$FIXTURES/iommu-off\" off &&
	run passcheck --root off &&
	expect_line SKIP devices 'no display controller besides the boot VGA device (0000:'
"

test_expect_success 'amd_iommu=on: one answer, remove it; boot-cmdline never asks for it back' "
	guide && cp -R '$BOOT/arch-grub/etc' root/ &&
	sed -i 's/GenuineIntel/AuthenticAMD/; s/ vmx / svm /' root/proc/cpuinfo &&
	echo 'BOOT_IMAGE=/vmlinuz amd_iommu=on iommu=pt' >root/proc/cmdline &&
	kcmdline-edit --root root --add iommu=pt >/dev/null &&
	run passcheck --root root &&
	expect_line WARN kernel-cmdline 'kcmdline-edit --root root --remove amd_iommu=on' &&
	! grep 'amd_iommu' out | grep -v '^WARN kernel-cmdline' &&
	expect_line PASS boot-cmdline
"

test_expect_success 'in a virtual machine: the hypervisor must give a virtual IOMMU, not the firmware setup' "
	cp -R \"\$FIXTURES/iommu-off\" root &&
	sed -i 's/^flags\([^:]*\): /flags\1: hypervisor /' root/proc/cpuinfo &&
	grep -q 'flags.*: hypervisor ' root/proc/cpuinfo &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL iommu-firmware 'this is a virtual machine (the CPU flag hypervisor): the hypervisor must give it a virtual IOMMU (QEMU: -device intel-iommu,intremap=on,caching-mode=on' &&
	grep_q \"libvirt: <iommu model='intel'/>)\" line &&
	! grep -q 'firmware setup' line &&
	run iommu-groups --root root && expect_rc 1 &&
	grep_q 'this is a virtual machine' err && grep_q 'intel-iommu,intremap=on,caching-mode=on' err &&
	! grep -q 'firmware setup' err
"


# The class the vfio-ids FAIL names, from the ID database as lspci reads it.
class_name() {
	lspci -A linux-sysfs -O sysfs.path=root/sys/bus/pci -O hwdb.disable=1 -i "$1" -s 03:00.1 |
		sed 's/^03:00\.1 \(.*\): .*/\1/'
}

test_expect_success 'a tree without pci.ids: the class names of the running system'"'"'s; -i FILE, a pipe too' "
	guide && rm -f root/usr/share/misc/pci.ids && mkdir -p root/etc/modprobe.d &&
	printf '# from the guide\n%s\n' '$GUIDE_LINE' >root/etc/modprobe.d/vfio-guide.conf &&
	HOST_IDS=/nonexistent &&
	for f in /usr/share/misc/pci.ids /usr/share/hwdata/pci.ids /usr/share/pci.ids; do
		if [ -f \$f ]; then HOST_IDS=\$f; break; fi
	done &&
	run passcheck --root root && expect_rc 1 &&
	expect_line FAIL vfio-ids 0000:03:00.1 &&
	if [ \$HOST_IDS != /nonexistent ]; then
		grep_q \"this one too (\$(class_name \$HOST_IDS), snd_hda_intel)\" line &&
		grep_q 'this one too (Audio device, ' line
	else
		grep_q 'this one too (unknown class, ' line
	fi &&
	sed 's/^\t03  Audio device\$/\t03  Sound (from -i)/' '$Z/usr/share/misc/pci.ids' >my.ids &&
	test \"\$(class_name my.ids)\" = 'Sound (from -i)' &&
	run passcheck --root root -i my.ids && expect_rc 1 &&
	expect_line FAIL vfio-ids 0000:03:00.1 && grep_q 'this one too (Sound (from -i), snd_hda_intel)' line &&
	mkfifo ids.pipe && { cat my.ids >ids.pipe & } &&
	run passcheck --root root -i ids.pipe && wait && expect_rc 1 &&
	expect_line FAIL vfio-ids 0000:03:00.1 && grep_q 'this one too (Sound (from -i), snd_hda_intel)' line
"

test_expect_success '-i FILE missing: exit 3 naming it, no check printed' "
	guide &&
	run passcheck --root root -i nowhere/pci.ids 07:00.0 && expect_rc 3 && test ! -s out &&
	test \"\$(cat err)\" = \"passcheck: could not read 'nowhere/pci.ids': No such file or directory\"
"

# The fixes passcheck prints under --root are for that system: pasted into
# a shell they act on the root, a root whose name has a space included.
test_expect_success 'the fixes under --root act on the root when pasted: --root DIR, chroot DIR' '
	cp -R "$FIXTURES/iommu-off" "my root" &&
	mkdir -p "my root/sys/firmware/acpi/tables" && echo DMAR >"my root/sys/firmware/acpi/tables/DMAR" &&
	cp -R "$BOOT/arch-grub/etc" "my root/" &&
	run passcheck --root "my root" && expect_rc 1 &&
	expect_line FAIL iommu-enabled &&
	sed -n "s/^.*intel_iommu=on: run \(.*\), regenerate the boot configuration, reboot\$/\1/p" line >fix &&
	test "$(cat fix)" = "kcmdline-edit --root '"'"'my root'"'"' --iommu" &&
	sh -e fix >/dev/null &&
	run passcheck --root "my root" &&
	expect_line WARN boot-cmdline "sets intel_iommu=on, iommu=pt, which the running kernel was booted without" &&
	sed -n "s/^.*booted without: run \(.*\), then reboot\$/\1/p" line >fix &&
	mkdir bin && printf "#!/bin/sh\nfor a; do printf \"[%%s]\\\\n\" \"\$a\"; done >\"%s/calls\"\n" "$PWD" >bin/chroot &&
	chmod +x bin/chroot && PATH=$PWD/bin:$PATH sh -e fix &&
	printf "[%s]\n" "my root" grub-mkconfig -o /boot/grub/grub.cfg >want && test_cmp want calls
'

test_expect_success 'vfio-at-boot under --root: the vfio-bind --persist it names, pasted, binds at boot' '
	cp -R "$Z" "my root" &&
	run passcheck --root "my root" 07:00.0 &&
	expect_line WARN vfio-at-boot 0000:07:00.0 &&
	sed -n "s/^.*at boot: run \(.*\), then \(.*\)\$/\1/p" line >fix &&
	test "$(cat fix)" = "vfio-bind --root '"'"'my root'"'"' --persist 07:00.0" &&
	grep_q "then initramfs-vfio --root '"'"'my root'"'"'\$" line &&
	sh -e fix >/dev/null &&
	run passcheck --root "my root" 07:00.0 &&
	expect_line PASS vfio-at-boot 0000:07:00.0 "bound to vfio-pci at boot"
'

test_done
