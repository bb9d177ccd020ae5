#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-bind --libvirt-hook called by libvirt's own QEMU driver: virsh -c
# 'qemu:///embed?root=DIR' starts a domain (TCG) with the card of the
# guide's desktop host as PCI hostdevs, and the driver runs
# /etc/libvirt/hooks/qemu with its arguments and the domain XML it
# formats on standard input.  All in a private mount namespace: a
# scratch directory is mounted over /etc/libvirt there, never the host's
# written.  There /sys/bus/pci/devices, /sys/kernel/iommu_groups and
# /dev/vfio are empty: libvirt's own PCI passthrough refuses ("host
# doesn't support passthrough of host PCI devices") and finds no device of
# this machine to detach, reset or reattach, whatever it has at the
# card's address.  The start fails after the prepare hook, as it does on a
# host without the card, and libvirt runs the hooks of a stopped domain.
#
# Two facts of libvirt 9.0 this rests on.  The QEMU driver runs a hook
# only once the hooks were looked for (virHookPresent), which libvirtd
# and virtqemud do when they start and embedded mode never does: virsh
# gets tests/preload/virhookinit.so, which does just that.  And the hook
# is run with libvirt's environment (PATH kept), its standard output and
# error read by libvirt, the error in the message of a failed start.
#
# The hook is the man page's line, with --root naming the fixture tree
# that stands for the host: exec vfio-bind --root TREE --libvirt-hook "$@".
# A fixture's sysfs does not move drivers; kernel_plays (below) does what
# the kernel does after each write the hand-over and give-back make, in
# the background, while libvirt runs.
. "$(dirname "$0")/lib.sh"

[ -f "$FIXTURES/z490-desktop.spec" ] || skip_all "fixture z490-desktop missing"
MKSYSROOT=$BUILD/tests/tools/mksysroot
VIRHOOKINIT=$BUILD/tests/preload/virhookinit.so
BOOT_ID=5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11
DEV=root/sys/bus/pci/devices
STATE=root/run/vfio-utils/handover-0000:03:00.0

missing=
command -v virsh >/dev/null || missing='no virsh (libvirt-clients)'
[ -n "$missing" ] || ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so >/dev/null 2>&1 ||
	missing="no libvirt QEMU driver (libvirt-daemon-driver-qemu)"
[ -n "$missing" ] || command -v qemu-system-x86_64 >/dev/null || missing='no qemu-system-x86_64'
[ -n "$missing" ] || [ "$(id -u)" = 0 ] || missing='not root: no private mount namespace (unshare -m)'
[ -n "$missing" ] || [ -d /etc/libvirt ] || missing='no /etc/libvirt to mount over'
[ -n "$missing" ] || [ -f "$VIRHOOKINIT" ] || missing="no $VIRHOOKINIT (make check builds it)"
if [ -n "$missing" ]; then
	[ "${CI:-}" = true ] && { echo "Bail out! CI=true and $missing"; exit 1; }
	skip_all "$missing"
fi

# host [procs]: z490-desktop in ./root as t2170's drm host: amdgpu has the
# card and its framebuffer console, vfio-pci loaded, the boot id; with
# procs, its processes too (Xorg holds card0).
host() {
	if [ "${1:-}" = procs ]; then
		cp "$FIXTURES/z490-desktop.spec" spec
	else
		grep -v '^fd\|^maps\|^proc' "$FIXTURES/z490-desktop.spec" >spec
	fi &&
	"$MKSYSROOT" spec root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	: >root/sys/bus/pci/drivers/vfio-pci/bind && : >root/sys/bus/pci/drivers/vfio-pci/unbind &&
	desktop_display root $BOOT_ID &&
	printf '4000000000-43ffffffff : 0000:03:00.0\n' >root/proc/iomem
}

# kernel_plays: until ./kernel.stop exists (or ./root is gone with the
# scratch directory of an interrupted run), what Linux does in ./root
# after the writes of a hand-over and a give-back: an address written to
# drivers/DRIVER/unbind leaves the driver, to drivers/DRIVER/bind goes to
# it, to drivers_probe goes to the driver its driver_override names; each
# logged to ./kernel.log.  The attribute is emptied once done, so that
# the next write is seen.  A probe of a device that still has a driver
# waits for the unbind written before it.
kernel_plays() {
	kp_pci=root/sys/bus/pci
	while [ ! -e kernel.stop ] && [ -d root ]; do
		for kp_f in $kp_pci/drivers/*/unbind $kp_pci/drivers/*/bind; do
			[ -s "$kp_f" ] || continue
			read -r kp_a <"$kp_f" || :
			: >"$kp_f"
			kp_drv=${kp_f%/*}
			case $kp_f in
			*/unbind)
				rm -f "$kp_pci/devices/$kp_a/driver" "$kp_drv/$kp_a"
				echo "$kp_a: unbound from ${kp_drv##*/}" ;;
			*)
				ln -srfn "$kp_drv" "$kp_pci/devices/$kp_a/driver" &&
				ln -srfn "$kp_pci/devices/$kp_a" "$kp_drv/$kp_a"
				echo "$kp_a: bound to ${kp_drv##*/}" ;;
			esac
		done
		if [ -s $kp_pci/drivers_probe ]; then
			read -r kp_a <$kp_pci/drivers_probe || :
			if [ ! -e "$kp_pci/devices/$kp_a/driver" ]; then
				: >$kp_pci/drivers_probe
				kp_o=
				read -r kp_o <"$kp_pci/devices/$kp_a/driver_override" || :
				case $kp_o in
				'' | '(null)')
					echo "$kp_a: probed, no driver_override" ;;
				*)
					ln -srfn "$kp_pci/drivers/$kp_o" "$kp_pci/devices/$kp_a/driver" &&
					ln -srfn "$kp_pci/devices/$kp_a" "$kp_pci/drivers/$kp_o/$kp_a"
					echo "$kp_a: probed, bound to $kp_o" ;;
				esac
			fi
		fi
		sleep 0.01
	done >kernel.log 2>&1
}

# hooks [man] [SCRIPT...]: ./etc-libvirt, to be mounted over
# /etc/libvirt: a copy of the host's without its hooks; with man, the
# hook installed by the man page's line as mandoc shows it, less its
# systemctl restart, with --root ./root and ./etc-libvirt for
# /etc/libvirt; then each SCRIPT (PATH=TEXT) in hooks/, executable.
hooks() {
	mkdir etc-libvirt && cp -R /etc/libvirt/. etc-libvirt/ && rm -rf etc-libvirt/hooks &&
	mkdir -p etc-libvirt/hooks/qemu.d &&
	if [ "${1:-}" = man ]; then
		shift &&
		mandoc -Tascii "$TOP/man1/vfio-bind.1" |
			sed -n 's/^ *# \(printf .* >\/etc\/libvirt\/hooks\/qemu .*\)$/\1/p' >line &&
		printf '%s\n' 'printf '\''#!/bin/sh\nexec vfio-bind --libvirt-hook "$@"\n'\'' >/etc/libvirt/hooks/qemu && chmod 755 /etc/libvirt/hooks/qemu && systemctl restart libvirtd' >expect &&
		test_cmp expect line &&
		sed -e 's/ && systemctl restart libvirtd$//' \
			-e "s|vfio-bind --libvirt-hook|vfio-bind --root $PWD/root --libvirt-hook|" \
			-e "s|/etc/libvirt/|$PWD/etc-libvirt/|g" line >install.sh &&
		sh install.sh
	fi &&
	for h_s; do
		printf '%s' "${h_s#*=}" >"etc-libvirt/hooks/${h_s%%=*}" &&
		chmod 755 "etc-libvirt/hooks/${h_s%%=*}" || return 1
	done
}

# recorder: a hook that appends "$# ARGS" to ./calls, keeps the XML on
# its standard input as ./call-OPERATION-SUB.xml, and appends to ./seen
# what the hand-over left when it ran: the state file there or not (a
# copy in ./state-OPERATION-SUB), the drivers of 03:00.0 and 03:00.1,
# vtcon1's bind.
recorder() {
	cat <<EOF
#!/bin/sh
echo "\$# \$*" >>'$PWD/calls'
cat >"$PWD/call-\$2-\$3.xml"
{
	printf '%s %s: ' "\$2" "\$3"
	if cp '$PWD/$STATE' "$PWD/state-\$2-\$3" 2>/dev/null; then
		printf 'state file, '
	else
		printf 'no state file, '
	fi
	for f in 0 1; do
		basename "\$(readlink '$PWD/$DEV'/0000:03:00.\$f/driver)"
	done | paste -s -d ' ' | tr '\\n' ,
	echo " vtcon1 \$(cat '$PWD/root/sys/class/vtconsole/vtcon1/bind')"
} >>'$PWD/seen'
EOF
}

# domain NAME: a domain for TCG with the card's two functions as managed
# PCI hostdevs, as virsh create takes it.
domain() {
	cat <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
      </source>
    </hostdev>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x03' slot='0x00' function='0x1'/>
      </source>
    </hostdev>
  </devices>
</domain>
EOF
}

# libvirt_start FILE: virsh -c qemu:///embed create FILE in a private
# mount namespace with ./etc-libvirt as /etc/libvirt, no PCI device, no
# IOMMU group and no /dev/vfio/vfio, and a libvirt-qemu user (as
# libvirt_qemu_argv in lib.sh gets one); virsh's output in ./out and
# ./err, its status in $rc.  The kernel plays its part in ./root
# meanwhile.  virsh gets virhookinit.so unless LV_PRELOAD says otherwise
# (empty: nothing).
libvirt_start() {
	mkdir lv && cp /etc/passwd passwd && cp /etc/group group &&
	if ! getent passwd libvirt-qemu >/dev/null; then
		echo 'libvirt-qemu:x:64055:64055::/nonexistent:/usr/sbin/nologin' >>passwd &&
		echo 'libvirt-qemu:x:64055:' >>group && echo 'kvm:x:64056:' >>group
	fi &&
	cat >ns.sh <<EOF &&
set -e
mount --bind passwd /etc/passwd
mount --bind group /etc/group
mount --bind etc-libvirt /etc/libvirt
for d in /sys/bus/pci/devices /sys/kernel/iommu_groups /dev/vfio; do
	if [ -d \$d ]; then mount -t tmpfs none \$d; fi
done
LD_PRELOAD='${LV_PRELOAD-$VIRHOOKINIT}' exec virsh -q -c 'qemu:///embed?root=$PWD/lv' create '$1'
EOF
	rm -f kernel.stop && { kernel_plays & } &&
	rc=0 && timeout 60 unshare -m sh ns.sh >out 2>err || rc=$?
	touch kernel.stop && wait
}

test_expect_success 'embedded, without what the daemons do at their start, libvirt runs no hook' "
	host && domain win10 >win10.xml && hooks \"qemu=\$(recorder)\" &&
	LV_PRELOAD= libvirt_start win10.xml && expect_rc 1 &&
	grep_q \"^error: unsupported configuration: host doesn't support passthrough of host PCI devices\\\$\" err &&
	test ! -e calls
"

test_expect_success 'libvirt calls the qemu hook: prepare begin, stopped end, release end, with the XML' "
	host && domain win10 >win10.xml && hooks \"qemu=\$(recorder)\" &&
	libvirt_start win10.xml && expect_rc 1 &&
	grep_q \"^error: unsupported configuration: host doesn't support passthrough of host PCI devices\\\$\" err &&
	cat >expect <<EOF &&
4 win10 prepare begin -
4 win10 stopped end -
4 win10 release end -
EOF
	test_cmp expect calls &&
	for c in prepare-begin stopped-end release-end; do
		xmllint --xpath 'string(/domain/name)' call-\$c.xml >name &&
		echo win10 >expect && test_cmp expect name &&
		xmllint --xpath 'count(/domain/devices/hostdev[@mode=\"subsystem\"][@type=\"pci\"]/source/address)' \
			call-\$c.xml >n && echo 2 >expect && test_cmp expect n || exit 1
	done
"

# handed_over_given_back: after libvirt_start with vfio-bind and the
# recorder as hooks: libvirt's error the host's, the card on vfio-pci and
# the console off while the domain was starting and stopping, then
# everything back, the state file gone; the kernel's part in its order.
handed_over_given_back() {
	expect_rc 1 &&
	grep_q "^error: unsupported configuration: host doesn't support passthrough of host PCI devices\$" err &&
	cat >expect <<EOF &&
prepare begin: state file, vfio-pci vfio-pci, vtcon1 0
stopped end: state file, vfio-pci vfio-pci, vtcon1 0
release end: no state file, amdgpu snd_hda_intel, vtcon1 1
EOF
	test_cmp expect seen &&
	cat >expect <<EOF &&
# vfio-bind --handover 0000:03:00.0: what it changed, undone by vfio-bind --giveback
boot_id $BOOT_ID
vtcon vtcon1 (M) frame buffer device
pci 0000:03:00.0 amdgpu
pci 0000:03:00.1 snd_hda_intel
EOF
	test_cmp expect state-prepare-begin &&
	cat >expect <<EOF &&
0000:03:00.0: unbound from amdgpu
0000:03:00.0: probed, bound to vfio-pci
0000:03:00.1: unbound from snd_hda_intel
0000:03:00.1: probed, bound to vfio-pci
0000:03:00.1: unbound from vfio-pci
0000:03:00.1: bound to snd_hda_intel
0000:03:00.0: unbound from vfio-pci
0000:03:00.0: bound to amdgpu
EOF
	test_cmp expect kernel.log && test ! -e $STATE &&
	for ho_f in 0 1; do
		read -r ho_o <$DEV/0000:03:00.$ho_f/driver_override && test -z "$ho_o" || return 1
	done
}

test_expect_success 'prepare begin hands the card over, release end gives it back, libvirt in between' "
	host && domain win10 >win10.xml && hooks man \"qemu.d/zz-record=\$(recorder)\" &&
	printf '#!/bin/sh\\nexec vfio-bind --root %s/root --libvirt-hook \"\$@\"\\n' \"\$PWD\" >expect &&
	test_cmp expect etc-libvirt/hooks/qemu &&
	libvirt_start win10.xml && handed_over_given_back
"

test_expect_success 'the same hook in hooks/qemu.d/, without hooks/qemu' "
	host && domain win10 >win10.xml && hooks man \"qemu.d/zz-record=\$(recorder)\" &&
	mv etc-libvirt/hooks/qemu etc-libvirt/hooks/qemu.d/vfio-bind &&
	libvirt_start win10.xml && handed_over_given_back
"

# Under --root, --stop-holders signals nothing (the processes are not this
# system's) and refuses: the hook fails as it does on a host where a
# holder will not go.
test_expect_success 'a refusal of the hook: libvirt starts nothing, its error is the hook message' "
	host procs && domain win10 >win10.xml && hooks man \"qemu.d/zz-record=\$(recorder)\" &&
	cp -R root before &&
	libvirt_start win10.xml && expect_rc 1 &&
	cat >expect <<EOF &&
error: Failed to create domain from win10.xml
error: Hook script execution failed: internal error: Child process (LC_ALL=C PATH=... /etc/libvirt/hooks/qemu win10 prepare begin -) unexpected exit status 3: vfio-bind: 0000:03:00.0 is in use by the host: PID 812 (Xorg) holds /dev/dri/card0
vfio-bind: 0000:03:00.0 is in use by the host: PID 1402 (firefox-esr) holds /dev/dri/renderD128
vfio-bind: 0000:03:00.1 is in use by the host: PID 1290 (pipewire) holds /dev/snd/controlC0
vfio-bind: --stop-holders signals no process under --root '\$PWD/root': they are not this system's
vfio-bind: nothing changed
EOF
	sed -e '/^\$/d' -e 's/(LC_ALL=C PATH=[^ ]* HOME=[^ ]* /(LC_ALL=C PATH=... /' err >got &&
	test_cmp expect got && test ! -s out &&
	cat >expect <<EOF &&
4 win10 prepare begin -
4 win10 stopped end -
4 win10 release end -
EOF
	test_cmp expect calls && test ! -s kernel.log && same_tree before root
"

test_done
