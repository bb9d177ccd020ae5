# SPDX-License-Identifier: GPL-2.0-or-later
# capture-guest.sh DEST (sourced in a guest, busybox sh): copy what the
# suite and lspci read of this machine into DEST as a fixture sysroot: the
# PCI devices with their attributes and links, IOMMU groups and units,
# the physical slots, the PCI drivers and their modules, the ACPI IOMMU table, and the /proc
# and /lib/modules files the tools read.  pci.ids is the host's: the
# guest's is a copy of it.  Links are kept as the kernel
# made them (relative); write-only attributes become empty files, so that
# the tools' writes land on them as on a fixture.

cap_dest=$1

# Attributes copied with their contents, and those only present (the
# kernel offers them only to be written, or their presence is the fact).
CAP_READ="vendor device subsystem_vendor subsystem_device class revision
	boot_vga driver_override reset_method modalias irq numa_node
	local_cpulist local_cpus enable resource config d3cold_allowed
	msi_bus sriov_totalvfs sriov_numvfs sriov_offset sriov_stride
	sriov_vf_device sriov_drivers_autoprobe secondary_bus_number
	subordinate_bus_number current_link_speed current_link_width
	max_link_speed max_link_width power_state"
CAP_TOUCH="remove rescan reset"
CAP_LINKS="driver iommu_group iommu subsystem physfn"

cap_link() {	# cap_link PATH: the link at PATH, its target as it is
	mkdir -p "$cap_dest${1%/*}"
	ln -sfn "$(readlink "$1")" "$cap_dest$1"
}

cap_file() {	# cap_file PATH: a regular file with its bytes
	mkdir -p "$cap_dest${1%/*}"
	cat "$1" >"$cap_dest$1" 2>/dev/null || : >"$cap_dest$1"
}

cap_touch() {
	mkdir -p "$cap_dest${1%/*}"
	: >"$cap_dest$1"
}

cap_device() {	# cap_device /sys/devices/...: one PCI function
	mkdir -p "$cap_dest$1"
	cd "$1" || return
	# one cp for the attributes and one for the links: a fork costs much
	# under emulation
	cp $(for a in $CAP_READ; do [ -f "$a" ] && echo "$a"; done) "$cap_dest$1/" 2>/dev/null
	cp -P $(for a in $CAP_LINKS virtfn*; do [ -L "$a" ] && echo "$a"; done) "$cap_dest$1/" 2>/dev/null
	touch $(for a in $CAP_TOUCH; do [ -e "$a" ] && echo "$cap_dest$1/$a"; done) /dev/null
	cd /
}

for d in /sys/bus/pci/devices/*; do
	cap_link "$d"
	cap_device "$(readlink -f "$d")"
done
# The physical slots: the address a slot's card appears at, and the
# hotplug controller's view of it where it has one.  A bridge's hotplug
# controller can have 31 of them: one mkdir, and one cp each.
mkdir -p "$cap_dest/sys/bus/pci/slots" $(for s in /sys/bus/pci/slots/*; do
	[ -d "$s" ] && echo "$cap_dest$s"; done)
for s in /sys/bus/pci/slots/*; do
	[ -d "$s" ] || continue
	cd "$s" || continue
	cp $(for a in address max_bus_speed cur_bus_speed adapter power attention latch; do
		[ -f "$a" ] && echo "$a"; done) "$cap_dest$s/" 2>/dev/null
	cd /
done
cap_touch /sys/bus/pci/drivers_probe
cap_file /sys/bus/pci/drivers_autoprobe
cap_touch /sys/bus/pci/rescan

for drv in /sys/bus/pci/drivers/*; do
	mkdir -p "$cap_dest$drv"
	for a in bind unbind new_id remove_id uevent; do
		[ -e "$drv/$a" ] && cap_touch "$drv/$a"
	done
	for l in "$drv"/*; do
		[ -L "$l" ] && cap_link "$l"
	done
	if [ -L "$drv/module" ]; then
		m=$(readlink -f "$drv/module")
		for l in "$m"/drivers/*; do
			[ -L "$l" ] && cap_link "$l"
		done
		for a in initstate refcnt; do
			[ -f "$m/$a" ] && cap_file "$m/$a"
		done
	fi
done
for m in /sys/module/vfio*/ /sys/module/kvm*/; do
	[ -f "$m/initstate" ] && cap_file "${m%/}/initstate"
done

for g in /sys/kernel/iommu_groups/*; do
	[ -d "$g" ] || continue
	mkdir -p "$cap_dest$g/devices"
	for l in "$g"/devices/*; do
		cap_link "$l"
	done
	for a in type reserved_regions; do
		[ -f "$g/$a" ] && cap_file "$g/$a"
	done
done
mkdir -p "$cap_dest/sys/kernel/iommu_groups"

for u in /sys/class/iommu/*; do
	[ -L "$u" ] || continue
	cap_link "$u"
	ud=$(readlink -f "$u")
	for l in "$ud"/devices/*; do
		[ -L "$l" ] && cap_link "$l"
	done
	for a in "$ud"/intel-iommu/* "$ud"/amd-iommu/*; do
		[ -f "$a" ] && cap_file "$a"
	done
done
mkdir -p "$cap_dest/sys/class/iommu"

for t in DMAR IVRS; do
	[ -f "/sys/firmware/acpi/tables/$t" ] && cap_file "/sys/firmware/acpi/tables/$t"
done

cap_file /proc/cmdline
# init's environment, where the kernel puts the parameters it does not
# know (pcie_acs_override= without the out-of-tree patch)
cap_file /proc/1/environ
cap_file /proc/cpuinfo
cap_file /proc/sys/kernel/osrelease
rel=$(uname -r)
for f in modules.builtin modules.alias; do
	cap_file "/lib/modules/$rel/$f"
done
