# SPDX-License-Identifier: GPL-2.0-or-later
# Booting a real Linux kernel under QEMU for the tests, sourced after
# tests/lib.sh:
#
#	. "$TOP/tests/vm/lib.sh"
#	vm_boot on intel 'intel_iommu=on iommu=pt' <<'EOS'
#	coldplug
#	iommu-groups --tree >/out/tree
#	EOS
#	test_expect_success '...' 'vm_ok on && test -s "$VM_OUT/on/tree"'
#
# The guest is Debian's kernel on a q35 machine with an emulated IOMMU and
# a passthrough host's topology (vm_topology); its init runs the script
# read from stdin, whose files in /out come back to $VM_OUT/NAME.  TCG
# emulation works on any machine; no KVM is needed.
#
# A test that needs more devices than vm_topology's sets VM_EXTRA to the
# QEMU arguments that add them before it calls vm_boot (split on blanks,
# so no blanks in the paths; the other guests keep the same machine):
#
#	truncate -s 64M "$TEST_TMP/a.img" "$TEST_TMP/b.img"
#	VM_EXTRA=$(vm_nvme_topology "$TEST_TMP/a.img" "$TEST_TMP/b.img")

VM_CACHE=$TOP/build/vm
VM_OUT=$TEST_TMP/vm
VM_TIMEOUT=${VM_TIMEOUT:-240}
# TCG works everywhere and the same everywhere; where /dev/kvm is fast,
# VM_ACCEL=kvm makes the boots quicker.
VM_ACCEL=${VM_ACCEL:-tcg}
mkdir -p "$VM_OUT"

# Where QEMU or the kernel cannot be had, the VM tests are skipped with
# the reason, except under CI, where they must run.
vm_unavailable() {
	if [ "${CI:-}" = true ]; then
		echo "Bail out! $1"
		exit 1
	fi
	skip_all "$1"
}

command -v qemu-system-x86_64 >/dev/null 2>&1 ||
	vm_unavailable "qemu-system-x86_64 is not installed (make deps)"
VM_KDIR=$("$TOP/tests/vm/kernel.sh" "$VM_CACHE") ||
	vm_unavailable "no kernel for the guests"
VM_KERNEL=$(ls "$VM_KDIR"/boot/vmlinuz-* | head -n 1)

# The base initramfs, remade when the binaries or the harness are newer.
VM_INITRD=$BUILD/vm-initramfs.cpio
if [ ! -s "$VM_INITRD" ] ||
	[ -n "$(find "$BUILD" "$BUILD/tests/tools" "$TOP/tests/vm" "$TOP/tests/classic" -maxdepth 1 -type f \
		-newer "$VM_INITRD" 2>/dev/null | grep -v '\.cpio$' | head -n 1)" ]; then
	"$TOP/tests/vm/initramfs.sh" "$VM_KDIR" "$BUILD" "$VM_INITRD" ||
		vm_unavailable "could not build the guests' initramfs"
fi

# The machine: the boot VGA on the root bus (at 00:02.0, where an
# integrated GPU sits; an AMD IOMMU takes 00:01.0); a two-function display card
# (VGA at .0, HD audio at .1) on a PCIe root port; a PCIe switch with a NIC
# behind it; a conventional PCI-PCI bridge with two NICs, which share its
# group; and the q35 chipset's functions at 00:1f, which share a group.
#
#	00:02.0 VGA (boot)
#	00:03.0 PCI bridge -> 01:01.0 e1000, 01:02.0 e1000
#	00:1c.0 root port -> 02:00.0 VGA, 02:00.1 HD audio
#	00:1c.1 root port -> 03:00.0 switch up -> 04:00.0 switch down -> 05:00.0 e1000e
vm_topology() {
	echo -device VGA,bus=pcie.0,addr=0x2
	echo -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x1c.0,multifunction=on
	echo -device pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=0x1c.1
	echo -device VGA,bus=rp1,addr=0x0.0,multifunction=on
	echo -device ich9-intel-hda,bus=rp1,addr=0x0.1
	echo -device x3130-upstream,id=up1,bus=rp2
	echo -device xio3130-downstream,id=dn1,bus=up1,chassis=3,slot=0
	echo -device e1000e,bus=dn1
	echo -device pci-bridge,id=br1,bus=pcie.0,chassis_nr=4,addr=0x3
	echo -device e1000,bus=br1,addr=0x1
	echo -device e1000,bus=br1,addr=0x2
}

# vm_nvme_topology DISK1 DISK2: two NVMe drives, raw image files DISK1
# and DISK2, each on a PCIe root port of its own after vm_topology's, so
# that the buses numbered before them keep their numbers:
#
#	00:1c.2 root port -> 06:00.0 NVMe (DISK1)
#	00:1c.3 root port -> 07:00.0 NVMe (DISK2)
vm_nvme_topology() {
	echo -device pcie-root-port,id=rp3,bus=pcie.0,chassis=5,addr=0x1c.2
	echo -device pcie-root-port,id=rp4,bus=pcie.0,chassis=6,addr=0x1c.3
	echo -drive file="$1",if=none,id=nvd1,format=raw
	echo -device nvme,drive=nvd1,serial=vfio-utils-1,bus=rp3
	echo -drive file="$2",if=none,id=nvd2,format=raw
	echo -device nvme,drive=nvd2,serial=vfio-utils-2,bus=rp4
}

# vm_nvme_multipath_topology DISK: one NVMe subsystem (one serial number)
# with two controllers, each on a root port of its own after
# vm_nvme_topology's, sharing one namespace, the raw image file DISK: the
# kernel makes one multipath disk of it, below the subsystem rather than
# either function.
#
#	00:1c.4 root port -> 08:00.0 NVMe \ one subsystem, one namespace
#	00:1c.5 root port -> 09:00.0 NVMe /  (DISK) through both
vm_nvme_multipath_topology() {
	echo -device pcie-root-port,id=rp5,bus=pcie.0,chassis=7,addr=0x1c.4
	echo -device pcie-root-port,id=rp6,bus=pcie.0,chassis=8,addr=0x1c.5
	echo -device nvme-subsys,id=nvsub,nqn=vfio-utils-multipath
	echo -device nvme,id=nvc1,serial=vfio-utils-3,subsys=nvsub,bus=rp5
	echo -device nvme,id=nvc2,serial=vfio-utils-3,subsys=nvsub,bus=rp6
	echo -drive file="$1",if=none,id=nvd3,format=raw
	echo -device nvme-ns,drive=nvd3,nsid=1,shared=on,bus=nvc1
}
VM_EXTRA=

# A test whose guests need another machine than vm_topology's names the
# function that prints its devices in VM_TOPOLOGY (VM_EXTRA still adds
# to it):
#
#	VM_TOPOLOGY=vm_acs_topology
VM_TOPOLOGY=vm_topology

# vm_acs_topology: a machine with each of the kernel's reasons to put
# devices in one IOMMU group, for the tests of iommu-groups --why and
# --slots.  Its PCIe ports' hotplug is the kernel's own (pciehp) rather
# than ACPI's, as on most real machines, so that each port's slot has the
# physical slot number QEMU's slot property gives it (each one another).
# QEMU 7.2's xio3130-downstream, the only switch downstream port it has,
# has no ACS capability and no property to give it one: the switch's
# port with ACS is a pcie-root-port on the switch's internal bus, which
# the kernel judges by its ACS capability as it judges a downstream
# port's.  The guests' command line adds VM_ACS_APPEND, with which the
# kernel turns the redirects of 00:04.0's ACS off: ACS present, not
# enabled.  Root ports that are functions of one device and lack ACS
# share a group, as a chipset's do (00:1d.0 and 00:1d.1).
#
#	00:02.0 PCI bridge (conventional) -> 01:01.0 e1000, 01:02.0 e1000
#	00:03.0 root port, disable-acs=on -> 02:00.0 e1000e
#	00:04.0 root port, ACS redirects off -> 03:00.0 e1000e
#	00:1c.0 root port -> 04:00.0 VGA, 04:00.1 HD audio (multifunction)
#	00:1c.1 root port -> 05:00.0 e1000e (a group of its own)
#	00:1c.2 root port -> 06:00.0 PCIe-to-PCI bridge -> 07:01.0 e1000, 07:02.0 e1000
#	00:1c.3 root port -> 08:00.0 switch up
#		-> 09:00.0 switch down, no ACS -> 0a:00.0 e1000e
#		-> 09:01.0 switch down, ACS -> 0b:00.0 e1000e
#	00:1d.0 root port, disable-acs=on -> 0c:00.0 e1000e
#	00:1d.1 root port, disable-acs=on -> 0d:00.0 switch up
#		-> 0e:00.0 switch down, ACS -> 0f:00.0 e1000e
#	00:1f.0, .2, .3 the q35 chipset's functions (multifunction)
VM_ACS_APPEND='pci=disable_acs_redir=0000:00:04.0'
vm_acs_topology() {
	echo -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	echo -device pci-bridge,id=br1,bus=pcie.0,chassis_nr=1,addr=0x2,shpc=off
	echo -device e1000,bus=br1,addr=0x1
	echo -device e1000,bus=br1,addr=0x2
	echo -device pcie-root-port,id=rp1,bus=pcie.0,chassis=2,slot=1,addr=0x3,disable-acs=on
	echo -device e1000e,bus=rp1
	echo -device pcie-root-port,id=rp2,bus=pcie.0,chassis=2,slot=2,addr=0x4
	echo -device e1000e,bus=rp2
	echo -device pcie-root-port,id=rp3,bus=pcie.0,chassis=2,slot=3,addr=0x1c.0,multifunction=on
	echo -device VGA,bus=rp3,addr=0x0.0,multifunction=on
	echo -device ich9-intel-hda,bus=rp3,addr=0x0.1
	echo -device pcie-root-port,id=rp4,bus=pcie.0,chassis=2,slot=4,addr=0x1c.1
	echo -device e1000e,bus=rp4
	echo -device pcie-root-port,id=rp5,bus=pcie.0,chassis=2,slot=5,addr=0x1c.2
	echo -device pcie-pci-bridge,id=pb1,bus=rp5
	echo -device e1000,bus=pb1,addr=0x1
	echo -device e1000,bus=pb1,addr=0x2
	echo -device pcie-root-port,id=rp6,bus=pcie.0,chassis=2,slot=6,addr=0x1c.3
	echo -device x3130-upstream,id=up1,bus=rp6
	echo -device xio3130-downstream,id=dn1,bus=up1,chassis=3,slot=11,addr=0x0
	echo -device e1000e,bus=dn1
	echo -device pcie-root-port,id=dn2,bus=up1,chassis=3,slot=12,addr=0x1
	echo -device e1000e,bus=dn2
	echo -device pcie-root-port,id=rp7,bus=pcie.0,chassis=2,slot=7,addr=0x1d.0,multifunction=on,disable-acs=on
	echo -device e1000e,bus=rp7
	echo -device pcie-root-port,id=rp8,bus=pcie.0,chassis=2,slot=8,addr=0x1d.1,disable-acs=on
	echo -device x3130-upstream,id=up2,bus=rp8
	echo -device pcie-root-port,id=dn3,bus=up2,chassis=4,slot=21,addr=0x0
	echo -device e1000e,bus=dn3
}

# vm_with_qemu: the next boots' guests can start a VM of their own
# (tests/vm/inner-vm.sh): their initramfs gets QEMU, its TCG module and
# SeaBIOS as one more archive, made once and remade when QEMU or the
# harness is newer, and they get more memory for it.  The other tests'
# guests stay as small and quick to boot as they are.
VM_QEMU_INITRD=''
VM_MEM=768
vm_with_qemu() {
	VM_QEMU_INITRD=$BUILD/vm-qemu-initramfs.cpio
	if [ ! -s "$VM_QEMU_INITRD" ] ||
		[ -n "$(find "$(command -v qemu-system-x86_64)" "$TOP/tests/vm" -maxdepth 1 -type f \
			-newer "$VM_QEMU_INITRD" 2>/dev/null | head -n 1)" ]; then
		"$TOP/tests/vm/initramfs.sh" --qemu "$VM_QEMU_INITRD" ||
			vm_unavailable "could not put QEMU into the guests' initramfs"
	fi
	VM_MEM=1024
}

# vm_inner_qemu_argv FUNCTION...: the command line of the VM a guest
# starts with inner_vm, in the form virsh domxml-to-native qemu-argv
# prints (shell words on one line): a q35 machine under TCG with the
# guest's PCI functions FUNCTION... (domain:bus:slot.func, the functions
# of one card, on vfio-pci) as vfio-pci devices at one slot of a PCIe
# root port, each with its host function number, multifunction on the
# first.  Made on this side, before the boot, where libvirt's QEMU driver
# can make it of a domain's XML instead.
vm_inner_qemu_argv() {
	printf '%s' "/usr/bin/qemu-system-x86_64 -accel tcg,tb-size=32 -M q35 -cpu qemu64 -m 64"
	printf '%s' " -nodefaults -display none -no-user-config"
	printf '%s' " -device pcie-root-port,id=rp,bus=pcie.0,chassis=1,addr=0x2"
	for vi_fn in "$@"; do
		printf ' -device vfio-pci,host=%s,bus=rp,addr=0x0.%s' "$vi_fn" "${vi_fn##*.}"
		[ "${vi_fn##*.}" = 0 ] && printf ',multifunction=on'
	done
	echo
}

# vm_inner_qemu_argv_libvirt DOMAIN.xml: the same made by libvirt's QEMU
# driver of a domain's XML (libvirt_qemu_argv, tests/lib.sh; the domain
# type='qemu', each hostdev with <driver name='vfio'/>), then fitted to
# the guest: libvirt's master key (-object secret with a file in its state
# folder) and its monitor socket (-chardev, -mon) go, inner_vm adding its
# own QMP; the rest, -S, -sandbox and the environment libvirt sets
# included, runs as it is.  Non-zero with virsh's message when libvirt
# cannot make it.
vm_inner_qemu_argv_libvirt() {
	vl_line=$(libvirt_qemu_argv "$1") || return 1
	printf '%s\n' "$vl_line" | python3 -c '
import shlex, sys
words, out = shlex.split(sys.stdin.read()), []
i = 0
while i < len(words):
	if words[i] == "-object" and "\"qom-type\":\"secret\"" in words[i + 1] or \
	   words[i] == "-chardev" and "id=charmonitor," in words[i + 1] or words[i] == "-mon":
		i += 2
		continue
	out.append(words[i])
	i += 1
print(" ".join(shlex.quote(w) for w in out))
'
}

# TCG's default CPU calls itself AMD with AMD-V; an Intel IOMMU goes with an
# Intel CPU, which under TCG has no VT-x.
VM_CPU_INTEL=qemu64,vendor=GenuineIntel,-svm

# vm_boot NAME IOMMU APPEND < SCRIPT: boot a guest with IOMMU (intel, amd
# or none) and kernel parameters APPEND, run SCRIPT in it; its /out ends
# in $VM_OUT/NAME, its console in $VM_OUT/NAME.console.  Returns non-zero
# when the guest did not come back with its results.
#
# A guest whose results never arrived (QEMU killed by the timeout, the
# console cut short) is booted once more with the same script: what is
# judged is always one whole run's results.  The first attempt's console
# is kept as NAME.console.1 and the retry is said in NAME.work/qemu.log.
vm_boot() {
	vb_name=$1
	vb_dir=$VM_OUT/$vb_name
	vb_script=$VM_OUT/$vb_name.script
	cat >"$vb_script"
	vm_boot_once "$@" <"$vb_script" && return 0
	cp "$vb_dir.console" "$vb_dir.console.1" 2>/dev/null
	cp "$vb_dir.work/qemu.log" "$vb_dir.qemu.log.1" 2>/dev/null
	echo "# vm_boot $vb_name: the guest did not come back with its results; booting it again" >&2
	vm_boot_once "$@" <"$vb_script"
	vb_rc=$?
	{ echo "vm_boot $vb_name: the first boot did not come back; this is the second. The first:"
	  cat "$vb_dir.qemu.log.1" 2>/dev/null; } >>"$vb_dir.work/qemu.log"
	return $vb_rc
}

vm_boot_once() {
	vb_name=$1 vb_iommu=$2 vb_append=$3
	vb_dir=$VM_OUT/$vb_name
	rm -rf "$vb_dir" "$vb_dir.work"
	mkdir -p "$vb_dir" "$vb_dir.work/root"
	cat >"$vb_dir.work/root/test.sh"
	(cd "$vb_dir.work/root" && echo test.sh | cpio -o -H newc --quiet) >"$vb_dir.work/test.cpio"
	cat "$VM_INITRD" ${VM_QEMU_INITRD:+"$VM_QEMU_INITRD"} "$vb_dir.work/test.cpio" >"$vb_dir.work/initrd"

	case $vb_iommu in
	intel) vb_machine=q35,kernel-irqchip=split vb_cpu=$VM_CPU_INTEL
	       vb_iommudev="-device intel-iommu,intremap=on,caching-mode=on" ;;
	amd)   vb_machine=q35,kernel-irqchip=split vb_cpu=qemu64
	       vb_iommudev="-device amd-iommu,intremap=on" ;;
	none)  vb_machine=q35 vb_cpu=$VM_CPU_INTEL vb_iommudev= ;;
	*)     echo "vm_boot: no IOMMU kind '$vb_iommu'" >&2; return 2 ;;
	esac

	vb_rc=0
	# shellcheck disable=SC2046
	timeout "$VM_TIMEOUT" qemu-system-x86_64 -accel "$VM_ACCEL" -M "$vb_machine" -cpu "$vb_cpu" \
		-m "$VM_MEM" -smp 1 -nodefaults -display none -no-reboot \
		$vb_iommudev $($VM_TOPOLOGY) $VM_EXTRA \
		-kernel "$VM_KERNEL" -initrd "$vb_dir.work/initrd" \
		-append "console=ttyS0 panic=-1 $vb_append" \
		-serial "file:$vb_dir.console" -serial "file:$vb_dir.work/out.b64" \
		>"$vb_dir.work/qemu.log" 2>&1 || vb_rc=$?
	if [ "$vb_rc" -ne 0 ]; then
		echo "vm_boot $vb_name: qemu exited $vb_rc" >>"$vb_dir.work/qemu.log"
	fi
	# The results end with a line "end"; without it they were cut short.
	# UEFI firmware (vm_boot_ovmf) writes its console to every serial
	# port before the kernel starts: clear-screen sequences and the EFI
	# stub's line, which are no base64 and are left out.
	if [ -f "$vb_dir.work/out.b64" ] && tr -d '\r' <"$vb_dir.work/out.b64" | grep -qx end; then
		tr -d '\r' <"$vb_dir.work/out.b64" | sed '/^end$/d' | grep -x '[A-Za-z0-9+/=]*' | base64 -d |
			tar -C "$vb_dir" -xzf - 2>>"$vb_dir.work/qemu.log"
	else
		echo "vm_boot $vb_name: the results were cut short" >>"$vb_dir.work/qemu.log"
	fi
	# A tree captured in the guest (capture-guest.sh) gets the pci.ids the
	# guest had, which is this machine's.
	if [ -d "$vb_dir/root/sys" ]; then
		mkdir -p "$vb_dir/root/usr/share/misc"
		cp /usr/share/misc/pci.ids "$vb_dir/root/usr/share/misc/"
	fi
	[ -f "$vb_dir/rc" ]
}

# vm_ok NAME: the guest came back; otherwise show why (QEMU's messages,
# the end of the console, what arrived of the results), so that a panic, a
# timeout or a missing module is visible.
vm_ok() {
	[ -f "$VM_OUT/$1/rc" ] && return 0
	echo "guest '$1' did not come back with its results"
	echo "--- qemu"; cat "$VM_OUT/$1.work/qemu.log" 2>/dev/null
	echo "--- results: $(wc -c <"$VM_OUT/$1.work/out.b64" 2>/dev/null || echo 0) bytes of base64"
	echo "--- console (the end)"; tail -n 40 "$VM_OUT/$1.console" 2>/dev/null
	if [ -f "$VM_OUT/$1.console.1" ]; then
		echo "--- the first boot's console (the end)"; tail -n 40 "$VM_OUT/$1.console.1"
	fi
	return 1
}

# vm_boot_ovmf NAME IOMMU APPEND < SCRIPT: vm_boot with UEFI firmware,
# Debian's OVMF (the ovmf package, the build QEMU's firmware descriptor
# 60-edk2-x86_64.json names: no Secure Boot, no SMM), in place of
# SeaBIOS.  The kernel is still QEMU's direct boot (-kernel, -initrd,
# -append), which OVMF starts through the kernel's EFI stub, so the guest
# boots as a UEFI machine does: the firmware's graphics output on the
# boot VGA (00:02.0) becomes the kernel's efifb, the boot display, with
# the framebuffer console on it.  The firmware's variables are a fresh
# copy of the template for each call (a retry, as a reboot does, keeps
# what the first boot wrote in them).  Where OVMF is missing the test is
# skipped (or bails out under CI): call vm_need_ovmf before the first
# test.
VM_OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
VM_OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
vm_need_ovmf() {
	[ -r "$VM_OVMF_CODE" ] && [ -r "$VM_OVMF_VARS" ] ||
		vm_unavailable "no UEFI firmware for the guests, $VM_OVMF_CODE (the ovmf package; make test-deps)"
}

vm_boot_ovmf() {
	vo_extra=$VM_EXTRA
	cp "$VM_OVMF_VARS" "$VM_OUT/$1.vars.fd" || return 1
	VM_EXTRA="-drive if=pflash,format=raw,unit=0,readonly=on,file=$VM_OVMF_CODE
		-drive if=pflash,format=raw,unit=1,file=$VM_OUT/$1.vars.fd $vo_extra"
	vm_boot "$@"
	vo_rc=$?
	VM_EXTRA=$vo_extra
	return $vo_rc
}
