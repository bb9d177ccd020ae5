#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What a hand-over of the boot GPU finds and does in a real kernel, on a
# guest booted with UEFI firmware (OVMF, vm_boot_ovmf), so that the
# kernel's efifb owns the boot display as on a desktop: the firmware
# framebuffer and its console at boot, what the bochs DRM driver does to
# them when it loads, a process holding /dev/dri/card0, then the sequence
# a hand-over runs written by hand in the guest (unbind the framebuffer
# console, end the holder, unbind the card, bind vfio-pci) and the
# give-back (unbind vfio-pci, clear the override, bind bochs-drm, the
# console) with the state after each step; twenty cycles leave the state
# of before; and, last, unbind written while the holder still has the
# card open, with the console unbound and bound, and while another has
# fb0 open.  A second guest, booted at the same time, has no DRM driver:
# efifb itself is released, the card handed to vfio-pci, and efifb's
# bind tried to give it back.  The facts vfio-bind --handover and
# --giveback are to match; then, in the first guest, vfio-bind itself:
# plain binding refused naming the holder, --handover refused while the
# card is held and done with --stop-holders, --giveback, twenty cycles of
# both, the same as libvirt's qemu hook with a domain's XML, and a
# hand-over killed at each of its writes, given back from its record.
. "$(dirname "$0")/lib.sh"
# The boots take 20 to 30 s of guest time each; a hung unbind costs only
# its step (the guest waits 10 s for it), not the boot.
VM_TIMEOUT=${VM_TIMEOUT:-180}
. "$TOP/tests/vm/lib.sh"
vm_need_ovmf
# Under TCG on a loaded machine the kernel's early check that the timer
# interrupt arrives through the remapped IO-APIC can time out and panic
# ("timer doesn't work through Interrupt-remapped IO-APIC"), which costs
# a second boot; the check proves nothing these tests look at.
APPEND='intel_iommu=on iommu=pt no_timer_check'

vm_boot_ovmf ho intel "$APPEND" <<'EOS' &
. /usr/share/vfio-utils/display-guest.sh
VGA=0000:00:02.0
up() { read -r u _ </proc/uptime; echo $u; }
state() { display_state; }

# at boot, before any DRM driver: the firmware's framebuffer
up >/out/t.script
state >/out/state.boot
for d in /sys/bus/pci/devices/*; do
	[ -e $d/boot_vga ] && { read -r b <$d/boot_vga; echo "${d##*/} $b"; }
done >/out/boot_vga
readlink /sys/class/graphics/fb0/device >/out/boot.fb0-device
ls /sys/firmware/efi >/out/efi
ls /sys/bus/platform/drivers >/out/platform-drivers

# bochs-drm, as a booting system's udev loads it
modprobe bochs
up >/out/t.bochs
modprobe vfio_pci
state >/out/state.bochs
# what the forums' scripts write next: efifb's device is gone
echo efi-framebuffer.0 >/sys/bus/platform/drivers/efi-framebuffer/unbind 2>/out/efifb.gone.err
echo $? >/out/efifb.gone.rc
card=$(ls /sys/bus/pci/devices/$VGA/drm | grep '^card')
echo $card >/out/card
ls /dev/dri >/out/dev-dri
lspci -k -s 00:02.0 >/out/lspci.bochs

# a process holding the card, as a desktop's compositor does
display_hold $card
holder=$DISPLAY_HOLDER
readlink /proc/$holder/fd/0 >/out/holder.fd0
state >/out/state.before

# the hand-over by hand, step by step
for v in $(display_fbcons); do echo 0 >$v/bind; done
state >/out/step1.vtcon
display_unhold
echo $VGA >/sys/bus/pci/devices/$VGA/driver/unbind
state >/out/step2.unbind
echo vfio-pci >/sys/bus/pci/devices/$VGA/driver_override
echo $VGA >/sys/bus/pci/drivers_probe
state >/out/step3.vfio
basename "$(readlink /sys/bus/pci/devices/$VGA/iommu_group)" >/out/group
ls /dev/vfio >/out/dev-vfio
lspci -k -s 00:02.0 >/out/lspci.vfio
# the give-back
echo $VGA >/sys/bus/pci/drivers/vfio-pci/unbind
state >/out/step4.unbind
echo >/sys/bus/pci/devices/$VGA/driver_override
state >/out/step5.override
echo $VGA >/sys/bus/pci/drivers/bochs-drm/bind
state >/out/step6.bochs
for v in $(display_fbcons); do echo 1 >$v/bind; done
display_hold $card
state >/out/state.after1
lspci -k -s 00:02.0 >/out/lspci.after1

# twenty cycles of the same (display-guest.sh's), each with the holder
# started again, as the desktop starts again after a give-back
t0=$(up)
i=0
while [ $i -lt 20 ]; do
	display_handover $VGA
	[ -e /sys/bus/pci/drivers/vfio-pci/$VGA ] && echo "$i vfio-pci" >>/out/cycles
	display_giveback $VGA bochs-drm
	display_hold $card
	i=$((i + 1))
done
echo "$t0 $(up)" >/out/t.cycles
holder=$DISPLAY_HOLDER
state >/out/state.after20
lspci -k -s 00:02.0 >/out/lspci.after20

# held NAME: unbind written while the holder has the card open, in the
# background; the guest waits up to 10 s for it.  NAME.rc and NAME.time
# only if the write came back; the writer's state if it did not
held() {
	state >/out/$1.before
	t=$(up)
	( echo $VGA >/sys/bus/pci/drivers/bochs-drm/unbind 2>/out/$1.err
	  echo $? >/out/$1.rc; echo "$t $(up)" >/out/$1.time ) &
	w=$!
	i=0
	while [ ! -e /out/$1.time ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
	if [ ! -e /out/$1.time ]; then
		cat /proc/$w/status /proc/$w/stack >/out/$1.writer 2>&1
	fi
	state >/out/$1.after
	readlink /proc/$holder/fd/0 >/out/$1.holder-fd0
	read -r s </proc/$holder/stat && echo "$s" >/out/$1.holder-stat
}

# last, as the kernel might hang the writer: the console unbound, the
# holder still there; then, the card given back once the holder is gone,
# with the console bound too
for v in $(display_fbcons); do echo 0 >$v/bind; done
held held
display_unhold
state >/out/held.killed
if [ -e /out/held.rc ]; then
	echo $VGA >/sys/bus/pci/drivers/bochs-drm/bind
	state >/out/held.rebound
	display_hold $card
	holder=$DISPLAY_HOLDER
	held heldcon
	kill $holder; wait $holder
fi
# and a process holding the framebuffer device fb0 rather than card0, as
# fbdev programs (Xorg's fbdev driver, a splash) do, the console unbound
if [ -e /out/heldcon.rc ]; then
	echo $VGA >/sys/bus/pci/drivers/bochs-drm/bind
	for v in $(display_fbcons); do echo 0 >$v/bind; done
	sleep 100000 </dev/fb0 &
	holder=$!
	held heldfb
	kill $holder; wait $holder
fi

# vfio-bind --handover and --giveback on the same card, the desktop's
# holder started again before each, as a libvirt hook would run them
[ -e /sys/bus/pci/drivers/bochs-drm/$VGA ] || echo $VGA >/sys/bus/pci/drivers/bochs-drm/bind
for v in $(display_fbcons); do read -r b <$v/bind; [ "$b" = 1 ] || echo 1 >$v/bind; done
display_hold $card
state >/out/vb.before
passcheck $VGA >/out/pc.out 2>/out/pc.err
echo $? >/out/pc.rc
echo "$DISPLAY_HOLDER" >/out/pc.holder
state >/out/pc.state
vfio-bind $VGA >/out/vb.plain.out 2>/out/vb.plain.err
echo $? >/out/vb.plain.rc
state >/out/vb.plain
vfio-bind --handover $VGA >/out/vb.held.out 2>/out/vb.held.err
echo $? >/out/vb.held.rc
state >/out/vb.held
vfio-bind --handover --stop-holders $VGA >/out/vb.ho.out 2>/out/vb.ho.err
echo $? >/out/vb.ho.rc
wait "$DISPLAY_HOLDER" 2>/dev/null
state >/out/vb.handed
cp /run/vfio-utils/handover-$VGA /out/vb.statefile
vfio-bind --giveback $VGA >/out/vb.gb.out 2>/out/vb.gb.err
echo $? >/out/vb.gb.rc
ls -A /run/vfio-utils >/out/vb.rundir
display_hold $card
state >/out/vb.after1
t0=$(up)
i=0
while [ $i -lt 20 ]; do
	vfio-bind --handover --stop-holders $VGA >/out/vb.cycle.out 2>&1 || {
		echo "$i --handover $?"; cat /out/vb.cycle.out; } >>/out/vb.fail
	wait "$DISPLAY_HOLDER" 2>/dev/null
	[ -e /sys/bus/pci/drivers/vfio-pci/$VGA ] && echo "$i vfio-pci" >>/out/vb.cycles
	vfio-bind --giveback $VGA >/out/vb.cycle.out 2>&1 || {
		echo "$i --giveback $?"; cat /out/vb.cycle.out; } >>/out/vb.fail
	display_hold $card
	i=$((i + 1))
done
echo "$t0 $(up)" >/out/vb.t.cycles
state >/out/vb.after20

# as libvirt's qemu hook, installed with the man page's line, libvirt's
# arguments and the domain's XML on standard input: another domain's
# name, prepare begin, the operations between, release end
mkdir -p /etc/libvirt/hooks
printf '#!/bin/sh\nexec vfio-bind --libvirt-hook "$@"\n' >/etc/libvirt/hooks/qemu &&
	chmod 755 /etc/libvirt/hooks/qemu
cat >/out/win10.xml <<'EOF'
<domain type='kvm'>
  <name>win10</name>
  <memory unit='KiB'>8388608</memory>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
      </source>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </hostdev>
  </devices>
</domain>
EOF
hook() {
	name=$1
	shift
	/etc/libvirt/hooks/qemu "$@" </out/win10.xml >/out/hk.$name.out 2>/out/hk.$name.err
	echo $? >/out/hk.$name.rc
}
state >/out/hk.before
hook other linux prepare begin -
state >/out/hk.other
hook prepare win10 prepare begin -
wait "$DISPLAY_HOLDER" 2>/dev/null
state >/out/hk.prepared
for op in 'start begin' 'started begin' 'stopped end'; do
	hook "${op%% *}" win10 $op -
done
state >/out/hk.between
hook release win10 release end -
display_hold $card
state >/out/hk.after

# a hand-over killed (SIGKILL) at each of its writes in turn, the holder
# started again after each, then given back from the record it left;
# the first run not killed ends the loop
n=1
while [ $n -le 60 ]; do
	rc=0
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		FAILAT=write:$n:kill LD_PRELOAD=/usr/lib/vfio-utils/failat.so \
		vfio-bind --handover --stop-holders $VGA >/out/kill.out 2>&1 || rc=$?
	wait "$DISPLAY_HOLDER" 2>/dev/null
	rec=none
	[ -e /run/vfio-utils/handover-$VGA ] && rec=recorded
	gb=-
	if [ $rec = recorded ]; then
		vfio-bind --giveback $VGA >/out/kill.$n.gb 2>&1
		gb=$?
	fi
	echo "$n $rc $rec $gb" >>/out/kill.runs
	display_hold $card
	state >/out/kill.$n.after
	[ $rc = 0 ] && break
	n=$((n + 1))
done
ls -A /run/vfio-utils >/out/kill.rundir
dmesg >/out/dmesg
up >/out/t.end
EOS

# The same machine where no DRM driver has taken the boot VGA: efifb
# still owns it, released by its platform driver's unbind, then given back
# by its bind.  A boot of its own, as bochs-drm's removal of efifb cannot
# be undone.
vm_boot_ovmf fw intel "$APPEND" <<'EOS' &
. /usr/share/vfio-utils/display-guest.sh
VGA=0000:00:02.0 EFIFB=/sys/bus/platform/drivers/efi-framebuffer
modprobe vfio_pci
display_state >/out/boot
for v in $(display_fbcons); do echo 0 >$v/bind; done
display_state >/out/vtcon
echo efi-framebuffer.0 >$EFIFB/unbind
display_state >/out/unbind
echo vfio-pci >/sys/bus/pci/devices/$VGA/driver_override
echo $VGA >/sys/bus/pci/drivers_probe
display_state >/out/vfio
echo $VGA >/sys/bus/pci/drivers/vfio-pci/unbind
echo >/sys/bus/pci/devices/$VGA/driver_override
display_state >/out/unbound
echo efi-framebuffer.0 >$EFIFB/bind 2>/out/bind.err
echo $? >/out/bind.rc
display_state >/out/bind
dmesg >/out/dmesg
EOS
wait

O=$VM_OUT/ho

test_expect_success 'the guest booted with UEFI and ran its script' "
	vm_ok ho && test \"\$(cat $O/rc)\" = 0 &&
	grep_q '^efivars\$' $O/efi && grep_q 'EFI stub: ' $O.console &&
	printf '# the script started at %s s of the guest, bochs-drm loaded at %s s, done at %s s\\n' \
		\$(cat $O/t.script $O/t.bochs $O/t.end) >&3
" 3>&1

# has FILE LINE...: FILE has each LINE, whole
has() {
	h_file=$1
	shift
	for h_line; do
		grep_q "^$h_line\$" "$h_file" || return 1
	done
}
# hasnt FILE PATTERN: no line of FILE matches PATTERN
hasnt() {
	! grep -e "$2" "$1"
}

test_expect_success 'at boot, efifb owns the boot VGA, with the framebuffer console on it' "
	vm_ok ho &&
	has $O/state.boot 'fb 0 EFI VGA' 'vtcon0 0 (S) dummy device' 'vtcon1 1 (M) frame buffer device' \
		'bus/platform/devices/efi-framebuffer.0' 'bus/platform/drivers/efi-framebuffer/efi-framebuffer.0' \
		'pci 0000:00:02.0 - (null)' 'class/graphics/fb0' &&
	hasnt $O/state.boot '^fb [1-9]' && hasnt $O/state.boot 'class/drm/' &&
	grep_q '/efi-framebuffer.0\$' $O/boot.fb0-device
"

# Debian's 6.1 has efifb, vesafb and simplefb built in, but neither
# SYSFB_SIMPLEFB nor simpledrm: the firmware framebuffer is efifb's,
# never a simple-framebuffer device
test_expect_success 'the firmware framebuffer is efi-framebuffer.0, not simple-framebuffer or vesa' "
	vm_ok ho &&
	has $O/platform-drivers efi-framebuffer simple-framebuffer vesa-framebuffer &&
	hasnt $O/platform-drivers '^simpledrm\$' &&
	hasnt $O/state.boot 'simple-framebuffer\\|vesa-framebuffer\\|simpledrm' &&
	grep_q '^\\[ *[0-9.]*\\] pci 0000:00:02.0: BAR 0: assigned to efifb\$' $O/dmesg &&
	grep_q '^\\[ *[0-9.]*\\] efifb: probing for efifb\$' $O/dmesg
"

test_expect_success 'the boot VGA is 00:02.0, the card behind the root port is not' "
	vm_ok ho && has $O/boot_vga '0000:00:02.0 1' '0000:02:00.0 0'
"

test_expect_success 'bochs-drm takes both cards and removes efifb: its platform device goes' "
	vm_ok ho &&
	has $O/state.bochs 'pci 0000:00:02.0 bochs-drm (null)' 'pci 0000:02:00.0 bochs-drm (null)' \
		'fb 0 bochs-drmdrmfb' 'fb 1 bochs-drmdrmfb' &&
	hasnt $O/state.bochs 'EFI VGA\\|efi-framebuffer' &&
	grep_q '^\\[ *[0-9.]*\\] fbcon: bochs-drmdrmfb (fb0) is primary device\$' $O/dmesg &&
	grep_q 'Kernel driver in use: bochs-drm' $O/lspci.bochs
"

test_expect_success 'the framebuffer console moves to bochs-drm, still bound' "
	vm_ok ho && has $O/state.bochs 'vtcon0 0 (S) dummy device' 'vtcon1 1 (M) frame buffer device'
"

test_expect_success 'card0 and fb0 are below the boot VGA, card1 and fb1 are the other card' "
	vm_ok ho && test \"\$(cat $O/card)\" = card0 &&
	has $O/state.bochs 'bus/pci/devices/0000:00:02.0/drm/card0' \
		'bus/pci/devices/0000:00:02.0/drm/controlD64' 'bus/pci/devices/0000:00:02.0/graphics/fb0' \
		'class/drm/card1' 'class/graphics/fb1' 'bus/pci/devices/0000:02:00.0/drm/card1' \
		'bus/pci/devices/0000:02:00.0/graphics/fb1' &&
	hasnt $O/state.bochs 'devices/0000:00:02.0/.*/\\(card1\\|fb1\\)\$' &&
	has $O/dev-dri card0 card1
"

test_expect_success 'the holder is seen as /proc/PID/fd -> /dev/dri/card0' "
	vm_ok ho && has $O/holder.fd0 /dev/dri/card0
"

test_expect_success 'unbinding the console: the dummy console takes the consoles, fb0 stays' "
	vm_ok ho &&
	has $O/step1.vtcon 'vtcon0 1 (S) dummy device' 'vtcon1 0 (M) frame buffer device' \
		'pci 0000:00:02.0 bochs-drm (null)' 'fb 0 bochs-drmdrmfb'
"

test_expect_success 'unbinding the card, held by nothing: card0 and fb0 go, the other card stays' "
	vm_ok ho &&
	has $O/step2.unbind 'pci 0000:00:02.0 - (null)' 'fb 1 bochs-drmdrmfb' 'class/drm/card1' \
		'vtcon1 0 (M) frame buffer device' &&
	hasnt $O/step2.unbind '^fb 0 \\|class/drm/card0\$\\|devices/0000:00:02.0/\\(drm\\|graphics\\)/'
"

test_expect_success 'driver_override and drivers_probe put it on vfio-pci, its group in /dev/vfio' "
	vm_ok ho && has $O/step3.vfio 'pci 0000:00:02.0 vfio-pci vfio-pci' &&
	grep_q \"^\$(cat $O/group)\\\$\" $O/dev-vfio &&
	grep_q 'Kernel driver in use: vfio-pci' $O/lspci.vfio
"

test_expect_success 'giving back: unbound, the override cleared, then bochs-drm by its bind file' "
	vm_ok ho && has $O/step4.unbind 'pci 0000:00:02.0 - vfio-pci' &&
	has $O/step5.override 'pci 0000:00:02.0 - (null)' &&
	has $O/step6.bochs 'pci 0000:00:02.0 bochs-drm (null)' 'fb 0 bochs-drmdrmfb' \
		'bus/pci/devices/0000:00:02.0/drm/card0' 'bus/pci/devices/0000:00:02.0/graphics/fb0'
"

test_expect_success 'fbcon binds itself again when bochs-drm registers fb0, before bind is written' "
	vm_ok ho &&
	has $O/step5.override 'vtcon0 1 (S) dummy device' 'vtcon1 0 (M) frame buffer device' &&
	has $O/step6.bochs 'vtcon0 0 (S) dummy device' 'vtcon1 1 (M) frame buffer device'
"

F=$VM_OUT/fw

test_expect_success 'no DRM driver: the second guest booted with efifb and ran its script' "
	vm_ok fw && test \"\$(cat $F/rc)\" = 0 &&
	has $F/boot 'fb 0 EFI VGA' 'vtcon1 1 (M) frame buffer device' \
		'bus/platform/drivers/efi-framebuffer/efi-framebuffer.0' 'pci 0000:00:02.0 - (null)'
"

test_expect_success 'no DRM driver: efifb unbound, fb0 goes and fbcon unregisters its console' "
	vm_ok fw &&
	has $F/vtcon 'vtcon0 1 (S) dummy device' 'vtcon1 0 (M) frame buffer device' 'fb 0 EFI VGA' &&
	has $F/unbind 'vtcon0 1 (S) dummy device' 'bus/platform/devices/efi-framebuffer.0' &&
	hasnt $F/unbind '^vtcon1 \\|^fb \\|class/graphics/fb0\\|drivers/efi-framebuffer/'
"

test_expect_success 'no DRM driver: vfio-pci takes the boot VGA and removes efi-framebuffer.0' "
	vm_ok fw && has $F/vfio 'pci 0000:00:02.0 vfio-pci vfio-pci' &&
	hasnt $F/vfio 'efi-framebuffer' &&
	grep_q '^\\[ *[0-9.]*\\] vfio-pci 0000:00:02.0: vgaarb: deactivate vga console\$' $F/dmesg
"

test_expect_success 'no DRM driver: given back, efifb cannot be bound again: No such device' "
	vm_ok fw && has $F/unbound 'pci 0000:00:02.0 - (null)' &&
	test \"\$(cat $F/bind.rc)\" = 1 && grep_q 'No such device' $F/bind.err &&
	test_cmp $F/unbound $F/bind && hasnt $F/bind '^fb \\|^vtcon1 '
"

test_expect_success 'unbinding efi-framebuffer.0 once bochs-drm removed it: No such device' "
	vm_ok ho && test \"\$(cat $O/efifb.gone.rc)\" = 1 &&
	grep_q 'No such device' $O/efifb.gone.err
"

test_expect_success 'the firmware framebuffer does not come back' "
	vm_ok ho && hasnt $O/state.after1 'EFI VGA\\|efi-framebuffer' &&
	hasnt $O/state.after20 'EFI VGA\\|efi-framebuffer'
"

test_expect_success 'one hand-over and give-back leave the state of before' "
	vm_ok ho && test_cmp $O/state.before $O/state.after1 && test_cmp $O/lspci.bochs $O/lspci.after1
"

test_expect_success 'twenty cycles: each on vfio-pci, then the state of before' "
	vm_ok ho && test \"\$(grep -c ' vfio-pci\$' $O/cycles)\" = 20 &&
	test_cmp $O/state.before $O/state.after20 && test_cmp $O/lspci.bochs $O/lspci.after20 &&
	awk '{ printf \"# twenty cycles in %.1f s of guest time\\n\", \$2 - \$1 }' $O/t.cycles >&3
" 3>&1

test_expect_success 'unbind while the holder has card0 open: 6.1 does not hang, the card goes' "
	vm_ok ho && test -e $O/held.rc && test ! -e $O/held.writer &&
	test \"\$(cat $O/held.rc)\" = 0 && test ! -s $O/held.err &&
	has $O/held.after 'pci 0000:00:02.0 - (null)' 'vtcon1 0 (M) frame buffer device' 'fb 1 bochs-drmdrmfb' &&
	hasnt $O/held.after '^fb 0 \\|class/drm/card0\$' &&
	awk '{ printf \"# the write returned after %.2f s\\n\", \$2 - \$1 }' $O/held.time >&3
" 3>&1

test_expect_success 'the holder lives on with its descriptor of the deleted node' "
	vm_ok ho && has $O/held.holder-fd0 '/dev/dri/card0 (deleted)' &&
	grep_q '^[0-9]* (sleep) S ' $O/held.holder-stat
"

test_expect_success 'the holder gone, bochs-drm binds the card again' "
	vm_ok ho &&
	has $O/held.rebound 'pci 0000:00:02.0 bochs-drm (null)' 'fb 0 bochs-drmdrmfb' \
		'vtcon1 1 (M) frame buffer device'
"

test_expect_success 'unbind with the console bound and a holder: the console falls to the dummy one' "
	vm_ok ho && test \"\$(cat $O/heldcon.rc)\" = 0 && test ! -e $O/heldcon.writer &&
	has $O/heldcon.before 'vtcon1 1 (M) frame buffer device' &&
	has $O/heldcon.after 'pci 0000:00:02.0 - (null)' 'vtcon0 1 (S) dummy device' \
		'vtcon1 0 (M) frame buffer device' 'fb 1 bochs-drmdrmfb' &&
	has $O/heldcon.holder-fd0 '/dev/dri/card0 (deleted)' &&
	awk '{ printf \"# the write returned after %.2f s\\n\", \$2 - \$1 }' $O/heldcon.time >&3
" 3>&1

test_expect_success 'unbind while a process has fb0 open: no hang either, fb0 goes' "
	vm_ok ho && test \"\$(cat $O/heldfb.rc)\" = 0 && test ! -e $O/heldfb.writer &&
	has $O/heldfb.before 'pci 0000:00:02.0 bochs-drm (null)' 'fb 0 bochs-drmdrmfb' &&
	has $O/heldfb.after 'pci 0000:00:02.0 - (null)' 'fb 1 bochs-drmdrmfb' &&
	hasnt $O/heldfb.after '^fb 0 ' && has $O/heldfb.holder-fd0 '/dev/fb0 (deleted)' &&
	awk '{ printf \"# the write returned after %.2f s\\n\", \$2 - \$1 }' $O/heldfb.time >&3
" 3>&1

test_expect_success 'passcheck: --handover --stop-holders takes the boot VGA, the holder and vtcon1 named' "
	vm_ok ho && test \"\$(cat $O/pc.rc)\" = 1 && test ! -s $O/pc.err &&
	printf 'WARN boot-vga: 0000:00:02.0: %s%s%s%s%s\\n' 'the boot VGA device: ' \
		'vfio-bind --handover --stop-holders 00:02.0 can take it: it stops the process that holds the card and unbinds vtcon1 ((M) frame buffer device); ' \
		'the host has no display on it until vfio-bind --giveback 00:02.0; ' \
		\"PID \$(cat $O/pc.holder) (sleep) holds /dev/dri/card0\" \
		'; or pass another card (0000:02:00.0) or make it primary in the firmware setup, and the host keeps its display' >expect &&
	grep '^[A-Z]* boot-vga: ' $O/pc.out >got && test_cmp expect got &&
	grep_q '^FAIL vfio-driver: 0000:00:02.0: 0000:00:02.0 on bochs-drm: the boot VGA device: run vfio-bind --handover 00:02.0 (boot-vga)\$' $O/pc.out &&
	test_cmp $O/vb.before $O/pc.state
"

test_expect_success 'vfio-bind: plain binding refuses the boot VGA device, naming the process holding card0' "
	vm_ok ho && test \"\$(cat $O/vb.plain.rc)\" = 3 && test ! -s $O/vb.plain.out &&
	grep_q '^vfio-bind: 0000:00:02.0 is the boot VGA device' $O/vb.plain.err &&
	test \"\$(grep -c '^vfio-bind: 0000:00:02.0 is in use by the host: PID [0-9]* (sleep) holds /dev/dri/card0\$' \
		$O/vb.plain.err)\" = 1 &&
	grep_q '^vfio-bind: nothing changed; --handover --stop-holders ends them and takes' $O/vb.plain.err &&
	test_cmp $O/vb.before $O/vb.plain
"

test_expect_success 'vfio-bind --handover: the process holding card0 refuses it, named, nothing changed' "
	vm_ok ho && test \"\$(cat $O/vb.held.rc)\" = 3 && test ! -s $O/vb.held.out &&
	grep_q '^vfio-bind: 0000:00:02.0 is in use by the host: PID [0-9]* (sleep) holds /dev/dri/card0\$' \
		$O/vb.held.err &&
	! grep_q 'boot VGA' $O/vb.held.err &&
	test_cmp $O/vb.before $O/vb.held
"

test_expect_success 'vfio-bind --handover --stop-holders: on vfio-pci, the console unbound, the state recorded' "
	vm_ok ho && test \"\$(cat $O/vb.ho.rc)\" = 0 && test ! -s $O/vb.ho.err &&
	grep_q '^0000:00:02.0: PID [0-9]* (sleep) holds /dev/dri/card0: stopping it\$' $O/vb.ho.out &&
	grep_q '^vtcon1 ((M) frame buffer device): unbound\$' $O/vb.ho.out &&
	has $O/vb.handed 'pci 0000:00:02.0 vfio-pci vfio-pci' 'vtcon1 0 (M) frame buffer device' \
		'pci 0000:02:00.0 bochs-drm (null)' 'fb 1 bochs-drmdrmfb' &&
	hasnt $O/vb.handed 'devices/0000:00:02.0/\\(drm\\|graphics\\)/' &&
	has $O/vb.statefile 'vtcon vtcon1 (M) frame buffer device' 'pci 0000:00:02.0 bochs-drm' &&
	hasnt $O/vb.statefile '^firmware ' && grep_q '^boot_id [0-9a-f-]*\$' $O/vb.statefile
"

test_expect_success 'vfio-bind --giveback: bochs-drm again, the console bound by the kernel, the file gone' "
	vm_ok ho && test \"\$(cat $O/vb.gb.rc)\" = 0 && test ! -s $O/vb.gb.err &&
	cat >expect <<EOF &&
0000:00:02.0: vfio-pci -> bochs-drm
vtcon1 ((M) frame buffer device): bound again by the kernel
0000:00:02.0: given back
EOF
	test_cmp expect $O/vb.gb.out && test ! -s $O/vb.rundir &&
	test_cmp $O/vb.before $O/vb.after1
"

test_expect_success 'vfio-bind: twenty hand-overs and give-backs leave the state of before' "
	vm_ok ho && test ! -e $O/vb.fail && test \"\$(grep -c ' vfio-pci\$' $O/vb.cycles)\" = 20 &&
	test_cmp $O/vb.before $O/vb.after20 &&
	awk '{ printf \"# twenty cycles of vfio-bind in %.1f s of guest time\\n\", \$2 - \$1 }' $O/vb.t.cycles >&3
" 3>&1

test_expect_success 'the libvirt hook: the XML of another domain refused, nothing changed' "
	vm_ok ho && test \"\$(cat $O/hk.other.rc)\" = 3 && test ! -s $O/hk.other.out &&
	echo \"vfio-bind: the domain XML on standard input is 'win10', not 'linux': nothing done\" >expect &&
	test_cmp expect $O/hk.other.err && test_cmp $O/hk.before $O/hk.other
"

test_expect_success 'the libvirt hook: prepare begin hands the held card over as --handover --stop-holders does' "
	vm_ok ho && test \"\$(cat $O/hk.prepare.rc)\" = 0 && test ! -s $O/hk.prepare.err &&
	grep_q '^0000:00:02.0: PID [0-9]* (sleep) holds /dev/dri/card0: stopping it\$' $O/hk.prepare.out &&
	grep_q '^vtcon1 ((M) frame buffer device): unbound\$' $O/hk.prepare.out &&
	test_cmp $O/vb.handed $O/hk.prepared
"

test_expect_success 'the libvirt hook: start, started and stopped do nothing' "
	vm_ok ho && for op in start started stopped; do
		test \"\$(cat $O/hk.\$op.rc)\" = 0 && test ! -s $O/hk.\$op.out &&
		test ! -s $O/hk.\$op.err || return 1
	done && test_cmp $O/hk.prepared $O/hk.between
"

test_expect_success 'the libvirt hook: release end gives the card and the console back' "
	vm_ok ho && test \"\$(cat $O/hk.release.rc)\" = 0 && test ! -s $O/hk.release.err &&
	cat >expect <<EOF &&
0000:00:02.0: vfio-pci -> bochs-drm
vtcon1 ((M) frame buffer device): bound again by the kernel
0000:00:02.0: given back
EOF
	test_cmp expect $O/hk.release.out && test_cmp $O/hk.before $O/hk.after
"

test_expect_success 'a hand-over killed at each of its writes: given back from its record to the state of before' "
	vm_ok ho && sed 's/^/# /' $O/kill.runs >&3 &&
	awk '\$2 != 0 && \$2 != 137 { exit 1 }
	     \$3 == \"recorded\" && \$4 != 0 { exit 1 }
	     \$2 == 137 { k++ } \$2 == 137 && \$3 == \"recorded\" { r++ }
	     END { exit !(k >= 5 && r >= 3) }' $O/kill.runs &&
	test \"\$(tail -n 1 $O/kill.runs | cut -d' ' -f2-)\" = '0 recorded 0' &&
	! grep_q '^handover-' $O/kill.rundir &&
	for f in $O/kill.*.after; do test_cmp $O/hk.before \$f || return 1; done
" 3>&1

test_done
