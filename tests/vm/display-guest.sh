# SPDX-License-Identifier: GPL-2.0-or-later
# display-guest.sh (sourced in a guest booted with vm_boot_ovmf): the
# display's state and the hand-over of the boot GPU written by hand, as
# t2200 observed them in the kernel, for the tests that judge a tool's
# hand-over and give-back against them.  Everything reads sysfs with the
# shell's builtins: a fork costs tens of milliseconds under TCG.
#
#	. /usr/share/vfio-utils/display-guest.sh
#	modprobe bochs; modprobe vfio_pci
#	display_hold card0; display_state >/out/before
#	display_handover 0000:00:02.0 ... display_giveback 0000:00:02.0

# The functions display_state reports on: the boot VGA and the card on
# the root port (vm_topology).
DISPLAY_FUNCTIONS=${DISPLAY_FUNCTIONS:-0000:00:02.0 0000:02:00.0}

# display_state: one line per fact a hand-over changes and a give-back
# must put back: each function's driver (- for none) and driver_override,
# each virtual console's binding and name, /proc/fb, the DRM and
# framebuffer devices in all and below each function, the firmware
# framebuffers' platform devices and what their drivers hold.
display_state() {
	for ds_fn in $DISPLAY_FUNCTIONS; do
		ds_drv=-
		for ds_l in /sys/bus/pci/drivers/*/"$ds_fn"; do
			[ -e "$ds_l" ] && { ds_drv=${ds_l%/*}; ds_drv=${ds_drv##*/}; }
		done
		read -r ds_ov <"/sys/bus/pci/devices/$ds_fn/driver_override"
		echo "pci $ds_fn $ds_drv $ds_ov"
	done
	for ds_v in /sys/class/vtconsole/vtcon*; do
		read -r ds_b <"$ds_v/bind"
		read -r ds_n <"$ds_v/name"
		echo "${ds_v##*/} $ds_b $ds_n"
	done
	while read -r ds_l; do
		echo "fb $ds_l"
	done </proc/fb
	for ds_f in /sys/class/drm/* /sys/class/graphics/*; do
		[ -e "$ds_f" ] && echo "${ds_f#/sys/}"
	done
	for ds_fn in $DISPLAY_FUNCTIONS; do
		for ds_f in /sys/bus/pci/devices/"$ds_fn"/drm/* /sys/bus/pci/devices/"$ds_fn"/graphics/*; do
			[ -e "$ds_f" ] && echo "${ds_f#/sys/}"
		done
	done
	for ds_f in /sys/bus/platform/devices/*framebuffer* /sys/bus/platform/drivers/*framebuffer*/*.* \
		/sys/bus/platform/drivers/simpledrm/*.*; do
		[ -e "$ds_f" ] && echo "${ds_f#/sys/}"
	done
}

# display_fbcons: the virtual consoles' drivers that are the framebuffer
# console (fbcon), one sysfs folder a line
display_fbcons() {
	for df_v in /sys/class/vtconsole/vtcon*; do
		read -r df_n <"$df_v/name"
		case $df_n in
		*'frame buffer'*) echo "$df_v" ;;
		esac
	done
}

# display_hold CARD: a process holding /dev/dri/CARD open, as a desktop's
# compositor does; its PID in DISPLAY_HOLDER
display_hold() {
	# shellcheck disable=SC2217 # the open descriptor is the holder
	sleep 100000 <"/dev/dri/$1" &
	DISPLAY_HOLDER=$!
}

# display_unhold: end the holder and wait for it
display_unhold() {
	[ -n "${DISPLAY_HOLDER:-}" ] || return 0
	kill "$DISPLAY_HOLDER"
	wait "$DISPLAY_HOLDER" 2>/dev/null
	DISPLAY_HOLDER=
}

# display_handover FN: the hand-over by hand, in the order the kernel
# needs it: the framebuffer console unbound, the holder ended, FN unbound
# from its driver while nothing holds it, then vfio-pci by driver_override
display_handover() {
	for dh_v in $(display_fbcons); do
		echo 0 >"$dh_v/bind"
	done
	display_unhold
	echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind"
	echo vfio-pci >"/sys/bus/pci/devices/$1/driver_override"
	echo "$1" >/sys/bus/pci/drivers_probe
}

# display_giveback FN DRIVER: back by hand: vfio-pci's unbind, the
# override cleared, DRIVER bound, the framebuffer console bound (which
# the kernel has already done when DRIVER's framebuffer is the primary
# one).  DRIVER is a PCI driver: efifb cannot be given back this way or
# any other, vfio-pci's probe having removed its platform device (t2200)
display_giveback() {
	echo "$1" >/sys/bus/pci/drivers/vfio-pci/unbind
	echo >"/sys/bus/pci/devices/$1/driver_override"
	echo "$1" >"/sys/bus/pci/drivers/$2/bind"
	for dg_v in $(display_fbcons); do
		echo 1 >"$dg_v/bind"
	done
}
