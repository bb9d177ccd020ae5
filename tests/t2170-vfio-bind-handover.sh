#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-bind --handover and --giveback on fixture trees: the guide's
# desktop host with the display as Linux 6.1 shows it (t2200): the
# framebuffer console on vtcon1, the firmware's efifb on the boot GPU or
# its DRM driver's own framebuffer.  The plan and its order, the state
# file written before each change and from the boot that wrote it, a run
# killed after each write and given back from what it left.  A fixture's
# sysfs does not move drivers: where a test needs what the kernel does
# after a write, it says so and does it.  Then --libvirt-hook, with
# libvirt's arguments and the domain XML on standard input.  The real
# kernel: t2200.
. "$(dirname "$0")/lib.sh"

[ -f "$FIXTURES/z490-desktop.spec" ] || skip_all "fixture z490-desktop missing"
MKSYSROOT=$BUILD/tests/tools/mksysroot
FAILAT_SO=$BUILD/tests/preload/failat.so
BOOT_ID=5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11
STATE=root/run/vfio-utils/handover-0000:03:00.0

# killed_at N: vfio-bind --handover 03:00.0 killed (SIGKILL) at its Nth
# write, its exit status in $rc; ASan wants its runtime first, the shim
# only wraps libc calls.
killed_at() {
	rc=0
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		FAILAT=write:$1:kill LD_PRELOAD=$FAILAT_SO \
		vfio-bind --root root --handover 03:00.0 >out 2>err || rc=$?
}

# host efifb|drm [SPEC-LINES]: z490-desktop without its processes, vfio-pci loaded,
# the boot id, the two virtual consoles and the boot GPU's first BAR.
# efifb: the card has no driver, efifb draws on its BAR (/proc/iomem as
# root reads it); drm: amdgpu has the card and its fb0, efifb is gone.
host() {
	grep -v '^fd\|^maps\|^proc' "$FIXTURES/z490-desktop.spec" >spec &&
	if [ $# -gt 1 ]; then cat "$2" >>spec; fi &&
	if [ "$1" = efifb ]; then
		sed -i -e 's/^\(dev 03:00.0 .*\) driver=amdgpu module=amdgpu/\1/' \
			-e '/^node 03:00.0 /d' spec
	fi &&
	"$MKSYSROOT" spec root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	desktop_display root $BOOT_ID &&
	mkdir -p root/sys/bus/platform/drivers/efi-framebuffer root/sys/bus/platform/devices &&
	: >root/sys/bus/platform/drivers/efi-framebuffer/bind &&
	: >root/sys/bus/platform/drivers/efi-framebuffer/unbind &&
	if [ "$1" = efifb ]; then
		efifb_at 4000000000
	else
		printf '4000000000-43ffffffff : 0000:03:00.0\n' >root/proc/iomem
	fi
}

# efifb_at ADDRESS: efi-framebuffer.0 bound to efifb, with fb0, its
# region at ADDRESS in /proc/iomem.
efifb_at() {
	p=root/sys/devices/platform/efi-framebuffer.0 &&
	mkdir -p $p/graphics/fb0 &&
	ln -s ../../../devices/platform/efi-framebuffer.0 root/sys/bus/platform/devices/efi-framebuffer.0 &&
	ln -s ../../../bus/platform/drivers/efi-framebuffer $p/driver &&
	ln -s ../../../../devices/platform/efi-framebuffer.0 \
		root/sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0 &&
	printf '%s-%s : efifb\n' $1 "$(printf '%x' $((0x$1 + 0x7fffff)))" >root/proc/iomem
}

test_expect_success 'plain vfio-bind refuses the boot GPU, --handover is the consent' "
	host drm && cp -R root before &&
	run vfio-bind --root root 03:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:03:00.0 is the boot VGA device' err &&
	run vfio-bind --root root --handover -n 03:00.0 && expect_rc 0 &&
	! grep_q 'boot VGA' err && same_tree before root
"

test_expect_success 'plain vfio-bind on the held boot GPU names the processes and --handover --stop-holders' "
	cp -R '$FIXTURES/z490-desktop' root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	cp -R root before &&
	run vfio-bind --root root 03:00 && expect_rc 3 && test ! -s out &&
	cat >expect <<EOF &&
vfio-bind: 0000:03:00.0 is the boot VGA device: the firmware and the console use it, and the host may have no display left
vfio-bind: 0000:03:00.0 is in use by the host: PID 812 (Xorg) holds /dev/dri/card0
vfio-bind: 0000:03:00.0 is in use by the host: PID 1402 (firefox-esr) holds /dev/dri/renderD128
vfio-bind: 0000:03:00.1 is in use by the host: PID 1290 (pipewire) holds /dev/snd/controlC0
vfio-bind: nothing changed; --handover --stop-holders ends them and takes the boot VGA device from the host's display
EOF
	test_cmp expect err && same_tree before root
"

test_expect_success 'dry run with efifb: console, firmware framebuffer, then the functions' "
	host efifb && cp -R root before &&
	run vfio-bind --root root --handover -n 03:00.0 && expect_rc 0 &&
	cat >expect <<EOF &&
# recorded in root/run/vfio-utils/handover-0000:03:00.0 first: 4 changes
echo 0 > root/sys/class/vtconsole/vtcon1/bind
echo efi-framebuffer.0 > root/sys/bus/platform/drivers/efi-framebuffer/unbind
echo vfio-pci > root/sys/bus/pci/devices/0000:03:00.0/driver_override
echo 0000:03:00.0 > root/sys/bus/pci/drivers_probe
echo vfio-pci > root/sys/bus/pci/devices/0000:03:00.1/driver_override
echo 0000:03:00.1 > root/sys/bus/pci/drivers/\$(basename \$(readlink root/sys/bus/pci/devices/0000:03:00.1/driver))/unbind
echo 0000:03:00.1 > root/sys/bus/pci/drivers_probe
EOF
	test_cmp expect out && test ! -s err && same_tree before root
"

test_expect_success 'dry run with the DRM driver: its console, no efifb to release' "
	host drm &&
	run vfio-bind --root root --handover -n 03:00.0 && expect_rc 0 &&
	grep_q '^# recorded in root/run/vfio-utils/handover-0000:03:00.0 first: 3 changes\$' out &&
	grep_q '^echo 0 > root/sys/class/vtconsole/vtcon1/bind\$' out &&
	! grep_q 'efi-framebuffer' out
"

test_expect_success 'efifb on another card: neither it nor the console is touched' "
	host efifb && rm -r root/sys/devices/platform/efi-framebuffer.0/graphics &&
	printf '0x0000005000000000 0x00000050ffffffff 0x000000000014220c\n' \
		>root/sys/bus/pci/devices/0000:07:00.0/resource &&
	printf '5000000000-50007fffff : efifb\n' >root/proc/iomem &&
	run vfio-bind --root root --handover -n 03:00.0 && expect_rc 0 &&
	grep_q 'first: 2 changes' out && ! grep_q 'vtcon\\|efi-framebuffer' out
"

test_expect_success 'without the region in /proc/iomem the firmware display is the boot VGA device' "
	host efifb && printf '4000000000-43ffffffff : 0000:03:00.0\n' >root/proc/iomem &&
	run vfio-bind --root root --handover -n 03:00.0 && expect_rc 0 &&
	grep_q 'first: 4 changes' out &&
	grep_q '^echo efi-framebuffer.0 > root/sys/bus/platform/drivers/efi-framebuffer/unbind\$' out
"

test_expect_success 'a console already unbound is not recorded' "
	host drm && echo 0 >root/sys/devices/virtual/vtconsole/vtcon1/bind &&
	run vfio-bind --root root --handover -n 03:00.0 && expect_rc 0 &&
	grep_q 'first: 2 changes' out && ! grep_q vtcon out
"

test_expect_success 'a process holding the card is named, nothing written, no state file' "
	printf 'proc 812 Xorg\nfd 812 9 /dev/dri/card0\n' >extra && host drm extra && cp -R root before &&
	run vfio-bind --root root --handover 03:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:03:00.0 is in use by the host: PID 812 (Xorg) holds /dev/dri/card0\$' err &&
	same_tree before root
"

# The state file as the hand-over records it, up to change N of the
# efifb host's four.
state_upto() {
	{
		echo '# vfio-bind --handover 0000:03:00.0: what it changed, undone by vfio-bind --giveback'
		echo "boot_id $BOOT_ID"
		echo 'vtcon vtcon1 (M) frame buffer device'
		[ "$1" -lt 2 ] || echo 'firmware efi-framebuffer.0 efi-framebuffer'
		[ "$1" -lt 3 ] || echo 'pci 0000:03:00.0 -'
		[ "$1" -lt 3 ] || echo 'pci 0000:03:00.1 snd_hda_intel'
	}
}

test_expect_success 'a hand-over the card refuses is undone in reverse, the state file removed' "
	host efifb &&
	run vfio-bind --root root --handover 03:00.0 && expect_rc 3 &&
	cat >expect <<EOF &&
vtcon1 ((M) frame buffer device): unbound
efi-framebuffer.0: released from efi-framebuffer
efi-framebuffer.0: on efi-framebuffer
vtcon1 ((M) frame buffer device): bound again
EOF
	test_cmp expect out &&
	grep_q '^vfio-bind: 0000:03:00.0: vfio-pci did not take the device (no driver bound)\$' err &&
	grep_q '^vfio-bind: the hand-over of 0000:03:00.0 was undone\$' err &&
	test ! -e $STATE && test \"\$(cat root/sys/class/vtconsole/vtcon1/bind)\" = 1
"

if [ -f "$FAILAT_SO" ]; then
	# Each write of the hand-over in turn kills it (SIGKILL).  Whatever it
	# wrote to sysfs by then, the state file records, and at most the one
	# change it was about to make besides; --giveback from it writes back
	# exactly that, in reverse.
	test_expect_success 'killed after each write: the state file records every change made' "
		host efifb && cp -R root pristine && k=1 && saw=0 &&
		while [ \$k -le 12 ]; do
			rm -rf root && cp -R pristine root &&
			killed_at \$k
			[ \$rc = 137 ] || break
			made=0 &&
			if [ \"\$(cat root/sys/class/vtconsole/vtcon1/bind)\" = 0 ]; then made=1; fi &&
			if [ -s root/sys/bus/platform/drivers/efi-framebuffer/unbind ]; then made=2; fi &&
			if [ \"\$(cat root/sys/bus/pci/devices/0000:03:00.0/driver_override)\" = vfio-pci ]; then made=3; fi &&
			if [ \$made -gt 0 ]; then
				state_upto \$made >expect && state_upto \$((made + 1)) >expect.next &&
				{ cmp -s expect $STATE || test_cmp expect.next $STATE; } || exit 1
				saw=\$((saw + 1))
			fi
			ls root/run/vfio-utils | grep -v '^handover-0000:03:00.0\$' >stray || :
			test ! -s stray || { echo \"k=\$k: left\"; cat stray; exit 1; }
			k=\$((k + 1))
		done &&
		echo \"killed at \$((k - 1)) writes, \$saw with changes made\" &&
		test \$k -gt 6 && test \$saw -ge 3
	"

	test_expect_success 'killed before the functions: --giveback puts the console and efifb back' "
		host efifb &&
		killed_at 5
		test \$rc = 137 && state_upto 2 >expect && test_cmp expect $STATE &&
		test \"\$(cat root/sys/bus/platform/drivers/efi-framebuffer/unbind)\" = efi-framebuffer.0 &&
		rm root/sys/devices/platform/efi-framebuffer.0/driver &&
		run vfio-bind --root root --giveback 03:00.0 && expect_rc 0 &&
		cat >expect <<EOF &&
efi-framebuffer.0: given back to efi-framebuffer
vtcon1 ((M) frame buffer device): bound again
0000:03:00.0: given back
EOF
		test_cmp expect out && test ! -s err &&
		test \"\$(cat root/sys/bus/platform/drivers/efi-framebuffer/bind)\" = efi-framebuffer.0 &&
		test \"\$(cat root/sys/class/vtconsole/vtcon1/bind)\" = 1 && test ! -e $STATE
	"
fi

test_expect_success '--giveback -n: the reverse order of what the state file records' "
	host drm && mkdir -p root/run/vfio-utils &&
	state_upto 3 | sed 's/^pci 0000:03:00.0 -/pci 0000:03:00.0 amdgpu/' >$STATE &&
	for f in 0 1; do
		echo vfio-pci >root/sys/bus/pci/devices/0000:03:00.\$f/driver_override &&
		ln -sfn ../../../../../../bus/pci/drivers/vfio-pci \
			root/sys/bus/pci/devices/0000:03:00.\$f/driver || exit 1
	done &&
	rm root/sys/class/vtconsole/vtcon1 && cp -R root before &&
	run vfio-bind --root root --giveback -n 03:00.0 && expect_rc 0 &&
	cat >expect <<EOF &&
echo 0000:03:00.1 > root/sys/bus/pci/drivers/vfio-pci/unbind
echo > root/sys/bus/pci/devices/0000:03:00.1/driver_override
echo 0000:03:00.1 > root/sys/bus/pci/drivers/snd_hda_intel/bind
echo 0000:03:00.0 > root/sys/bus/pci/drivers/vfio-pci/unbind
echo > root/sys/bus/pci/devices/0000:03:00.0/driver_override
echo 0000:03:00.0 > root/sys/bus/pci/drivers/amdgpu/bind
efi-framebuffer.0: removed by the kernel when a driver took the card; it comes back at the next boot
vtcon1 ((M) frame buffer device): gone, with the framebuffer it was on
rm root/run/vfio-utils/handover-0000:03:00.0
EOF
	test_cmp expect out && test ! -s err && same_tree before root
"

test_expect_success 'a state file of an earlier boot: --giveback ignores it, --handover writes anew' "
	host drm && mkdir -p root/run/vfio-utils &&
	state_upto 1 | sed 's/^boot_id .*/boot_id 0b5e7c2e-0000-4000-8000-000000000000/' >$STATE &&
	cp -R root before &&
	run vfio-bind --root root --giveback 03:00.0 && expect_rc 3 &&
	echo \"vfio-bind: 'root/run/vfio-utils/handover-0000:03:00.0' is from an earlier boot: ignored, nothing given back\" >expect &&
	test_cmp expect err && test ! -s out && same_tree before root &&
	run vfio-bind --root root --handover -n 03:00.0 && expect_rc 0 &&
	echo \"vfio-bind: 'root/run/vfio-utils/handover-0000:03:00.0' is from an earlier boot: ignored\" >expect &&
	test_cmp expect err
"

test_expect_success 'a hand-over of this boot on record: --handover refuses, naming --giveback' "
	host drm && mkdir -p root/run/vfio-utils && state_upto 1 >$STATE && cp -R root before &&
	run vfio-bind --root root --handover 03:00.0 && expect_rc 3 &&
	echo \"vfio-bind: a hand-over of 0000:03:00.0 is recorded in 'root/run/vfio-utils/handover-0000:03:00.0': 'vfio-bind --giveback 0000:03:00.0' gives it back first\" >expect &&
	test_cmp expect err && same_tree before root
"

test_expect_success '--giveback without a hand-over on record' "
	host drm && cp -R root before &&
	run vfio-bind --root root --giveback 03:00.0 && expect_rc 3 &&
	echo \"vfio-bind: no hand-over of 0000:03:00.0 is recorded in 'root/run/vfio-utils/handover-0000:03:00.0': nothing to give back\" >expect &&
	test_cmp expect err && same_tree before root
"

test_expect_success 'a console that the DRM driver bound again by itself is left alone' "
	host drm && mkdir -p root/run/vfio-utils && state_upto 1 >$STATE &&
	run vfio-bind --root root --giveback 03:00.0 && expect_rc 0 &&
	grep_q '^vtcon1 ((M) frame buffer device): bound again by the kernel\$' out &&
	test ! -e $STATE
"


# domain NAME ADDRESS...: a libvirt domain NAME with a PCI hostdev for
# each ADDRESS (bus:slot.function), as virsh dumpxml writes it
domain() {
	d_name=$1
	shift
	echo "<domain type='kvm'>"
	echo "  <name>$d_name</name>"
	echo '  <devices>'
	for d_a; do
		echo "    <hostdev mode='subsystem' type='pci' managed='yes'>"
		echo "      <source>"
		echo "        <address domain='0x0000' bus='0x${d_a%%:*}' slot='0x$(echo $d_a | cut -c4-5)' function='0x${d_a##*.}'/>"
		echo '      </source>'
		echo '    </hostdev>'
	done
	echo '  </devices>'
	echo '</domain>'
}

test_expect_success '--libvirt-hook prepare begin: the hand-over of the hostdevs card, once' "
	host drm && domain win10 03:00.0 03:00.1 >win10.xml &&
	run vfio-bind --root root --handover -n 03:00.0 && mv out expect &&
	run vfio-bind --root root --libvirt-hook -n win10 prepare begin - <win10.xml && expect_rc 0 &&
	test_cmp expect out && test ! -s err
"

test_expect_success '--libvirt-hook: the other operations and a domain without hostdevs do nothing' "
	host drm && domain win10 03:00.0 >win10.xml && domain plain >plain.xml && cp -R root before &&
	for op in 'start begin' 'started begin' 'stopped end' 'release begin' 'migrate begin' \
		'restore begin' 'reconnect begin' 'attach begin'; do
		run vfio-bind --root root --libvirt-hook win10 \$op - <win10.xml && expect_rc 0 &&
		test ! -s out && test ! -s err || exit 1
	done &&
	run vfio-bind --root root --libvirt-hook plain prepare begin - <plain.xml && expect_rc 0 &&
	test ! -s out && test ! -s err && same_tree before root
"

test_expect_success '--libvirt-hook release end: given back what is recorded, nothing without a record' "
	host drm && domain win10 03:00.0 >win10.xml && cp -R root before &&
	run vfio-bind --root root --libvirt-hook win10 release end - <win10.xml && expect_rc 0 &&
	test ! -s out && test ! -s err && same_tree before root &&
	mkdir -p root/run/vfio-utils && state_upto 1 >$STATE &&
	run vfio-bind --root root --libvirt-hook win10 release end - <win10.xml && expect_rc 0 &&
	grep_q '^vtcon1 ((M) frame buffer device): bound again by the kernel\$' out && test ! -e $STATE
"

# libvirt gives a managed='yes' hostdev back to its host driver when the
# domain stops (the reattach), before it runs release end: the functions
# are on their drivers again, the console is still unbound.
test_expect_success '--libvirt-hook release end after libvirt reattached the card: the console alone bound again' "
	host drm && domain win10 03:00.0 03:00.1 >win10.xml && mkdir -p root/run/vfio-utils &&
	state_upto 3 | sed -e '/^firmware /d' -e 's/^pci 0000:03:00.0 -/pci 0000:03:00.0 amdgpu/' >$STATE &&
	echo 0 >root/sys/class/vtconsole/vtcon1/bind &&
	run vfio-bind --root root --libvirt-hook win10 release end - <win10.xml && expect_rc 0 &&
	cat >expect <<EOF &&
0000:03:00.1: on snd_hda_intel
0000:03:00.0: on amdgpu
vtcon1 ((M) frame buffer device): bound again
0000:03:00.0: given back
EOF
	test_cmp expect out && test ! -s err && test ! -e $STATE &&
	test \"\$(cat root/sys/class/vtconsole/vtcon1/bind)\" = 1 &&
	for f in 0 1; do
		test \"\$(cat root/sys/bus/pci/devices/0000:03:00.\$f/driver_override)\" = '(null)' || exit 1
	done
"

test_expect_success '--libvirt-hook: XML of another domain than libvirt names is refused' "
	host drm && domain win10 03:00.0 >win10.xml && cp -R root before &&
	run vfio-bind --root root --libvirt-hook win11 prepare begin - <win10.xml && expect_rc 3 &&
	echo \"vfio-bind: the domain XML on standard input is 'win10', not 'win11': nothing done\" >expect &&
	test_cmp expect err && same_tree before root
"

test_done
