#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One exit-status scheme for every tool, as grep and diff have it: 0 done
# or already so, 1 the answer is no (--check not met, a passcheck FAIL, a
# listing that selected nothing), 2 a bad command line, 3 a failure, a
# refusal or bad input, and then no byte of the tree changed.  The table
# below has a row for each outcome each tool has; a row runs its setup and
# its command in a scratch directory and asserts the status and what
# became of the directory.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide
OFF=$FIXTURES/iommu-off
BOOT=$FIXTURES/boot
MK=$TOP/tests/initramfs/mkinitcpio
D=$TOP/tests/domains
for d in "$Z" "$OFF" "$BOOT/debian12" "$MK" "$D"; do
	[ -d "$d" ] || skip_all "fixture $d missing"
done

# guide: the guide's host in ./root, vfio-pci loaded, /dev/kvm there.
guide() {
	cp -R "$Z" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci root/dev &&
	mknod root/dev/kvm c 10 232
}

# bound: the guide's second card on vfio-pci, as vfio-bind leaves it.
bound() {
	mkdir -p root/sys/module/vfio_pci root/sys/module/vfio root/dev/vfio &&
	mknod root/dev/vfio/vfio c 10 196 &&
	for f in 0000:07:00.0 0000:07:00.1; do
		ln -sfn ../../../../../../bus/pci/drivers/vfio-pci root/sys/bus/pci/devices/$f/driver &&
		echo vfio-pci >root/sys/bus/pci/devices/$f/driver_override || return 1
	done
}

# debian: Debian 12's /etc/default/grub in ./root, an Intel CPU.
debian() {
	cp -R "$BOOT/debian12" root && mkdir -p root/proc &&
	printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme\n\n' >root/proc/cpuinfo
}

# stubs STATUS: update-grub, grub-mkconfig and grub2-mkconfig in ./bin,
# each exiting STATUS, for --regen (which runs them without --root).
stubs() {
	mkdir -p bin && for c in update-grub grub-mkconfig grub2-mkconfig; do
		printf '#!/bin/sh\nexit %s\n' "$1" >bin/$c && chmod +x bin/$c || return 1
	done
}

# arch: Arch with mkinitcpio v41 and one kernel with modular vfio-pci.
arch() {
	k=root/usr/lib/modules/6.6.8-arch1-1
	mkdir -p root/etc root/usr/bin "$k" && ln -s usr/lib root/lib &&
	cp "$MK/arch-v41-udev.conf" root/etc/mkinitcpio.conf &&
	printf '#!/bin/sh\n' >root/usr/bin/mkinitcpio && chmod 755 root/usr/bin/mkinitcpio &&
	: >"$k/modules.builtin" && {
		echo "kernel/drivers/vfio/pci/vfio-pci.ko.zst: kernel/drivers/vfio/vfio.ko.zst"
		echo "kernel/drivers/vfio/vfio.ko.zst:"
		echo "kernel/drivers/vfio/vfio_iommu_type1.ko.zst: kernel/drivers/vfio/vfio.ko.zst"
	} >"$k/modules.dep"
}

# dom: win10-virsh.xml as ./root/win10.xml.
dom() {
	mkdir -p root && cp "$D/win10-virsh.xml" root/win10.xml
}

# tabs: ./root/win10.xml a q35 domain with the guide's card, no guest address on either function.
tabs() {
	mkdir -p root && cp "$D/win10-tabs.xml" root/win10.xml
}

# broken: ./root/win10.xml cut short, no longer well-formed.
broken() {
	mkdir -p root && head -c 300 "$D/win10-virsh.xml" >root/win10.xml
}

# renumbered: ./root the guide's host after a swap of its host GPU moved
# the guest card from 07:00 to 05:00; root/win10.xml the domain
# virtxml-hostdev wrote for the card on the guide's host before.
renumbered() {
	cp -R "$FIXTURES/z490-guide-renumbered" root && mkdir -p root/dev && mknod root/dev/kvm c 10 232 &&
	virtxml-hostdev --root "$Z" 07:00.0 <"$D/win10-virsh.xml" >root/win10.xml
}

# state: every path of the scratch directory, its type, mode, link and
# bytes, but for the files the row itself writes.
state() {
	find . -path ./out -o -path ./err -o -path ./before -o -path ./after -o \
		-printf '%p %y %m %l\n' | sort &&
	find . -type f ! -path ./out ! -path ./err ! -path ./before ! -path ./after \
		-exec md5sum {} + | sort -k 2
}

# row STATUS TREE SETUP COMMAND: SETUP, then COMMAND exits STATUS and
# leaves the scratch directory as TREE says: same (no byte changed),
# changed, or any.
row() {
	eval "$3" || { echo "setup failed: $3"; return 1; }
	state >before &&
	run eval "$4" && expect_rc "$1" &&
	state >after || return 1
	case $2 in
	same) test_cmp before after ;;
	changed) ! cmp -s before after || { echo 'nothing changed'; return 1; } ;;
	any) ;;
	*) echo "no such TREE '$2'"; return 1 ;;
	esac &&
	# A status of 3 or 2 is said on standard error; 0 and 1 need not be.
	{ [ "$1" -lt 2 ] || test -s err || { echo 'nothing on standard error'; return 1; }; }
}

# tool | outcome | status | tree | setup | command
while IFS='|' read -r tool outcome status tree setup cmd; do
	case $tool in ''|'#'*) continue ;; esac
	case $setup$cmd in *"'"*) echo "Bail out! a row with a single quote: $outcome"; exit 1 ;; esac
	tool=$(echo $tool) outcome=$(echo $outcome) status=$(echo $status) tree=$(echo $tree)
	test_expect_success "$tool: $outcome: exit $status" "row $status $tree '$setup' '$cmd'"
done <<'EOF'
# iommu-groups
iommu-groups | devices listed                | 0 | same    | guide | iommu-groups --root root
iommu-groups | devices listed as JSON        | 0 | same    | guide | iommu-groups --root root -J
iommu-groups | no device matched the filter  | 1 | same    | guide | iommu-groups --root root -d ffff:
iommu-groups | no group N                    | 1 | same    | guide | iommu-groups --root root -g 999
iommu-groups | no IOMMU groups               | 1 | same    | cp -R "$OFF" root | iommu-groups --root root
iommu-groups | no IOMMU groups, JSON         | 1 | same    | cp -R "$OFF" root | iommu-groups --root root -J
iommu-groups | missing root                  | 3 | same    | :     | iommu-groups --root nowhere
iommu-groups | no /sys/bus/pci/devices       | 3 | same    | mkdir root | iommu-groups --root root
iommu-groups | -i FILE not readable          | 3 | same    | guide | iommu-groups --root root -i nowhere/pci.ids
iommu-groups | -nnk, listed                  | 0 | same    | guide | iommu-groups --root root -nnk
iommu-groups | usage error                   | 2 | same    | guide | iommu-groups --root root --tree -J
iommu-groups | --slots, a slot listed        | 0 | same    | guide; mkdir -p root/sys/bus/pci/slots/1; echo 0000:07:00 >root/sys/bus/pci/slots/1/address | iommu-groups --root root --slots
iommu-groups | --slots, no slot              | 1 | same    | guide | iommu-groups --root root --slots
iommu-groups | --slots, no IOMMU groups      | 1 | same    | cp -R "$OFF" root | iommu-groups --root root --slots -J
# vfio-bind: binding now is tested in a real kernel (t2100); here what
# needs no kernel: already so, --check, --list, --persist, refusals
vfio-bind    | done (--persist)              | 0 | changed | guide | vfio-bind --root root --persist 07:00.0
vfio-bind    | already so (--persist twice)  | 0 | same    | guide && vfio-bind --root root --persist 07:00.0 | vfio-bind --root root --persist 07:00.0
vfio-bind    | already so (on vfio-pci)      | 0 | same    | guide && bound | vfio-bind --root root 07:00.0
vfio-bind    | dry run                       | 0 | same    | guide | vfio-bind --root root -n 07:00.0
vfio-bind    | dry run, a slot (the card)    | 0 | same    | guide | vfio-bind --root root -n 07:00
vfio-bind    | dry run, vfio-pci not loaded  | 0 | same    | cp -R "$Z" root | vfio-bind --root root -n 07:00.0
vfio-bind    | vfio-pci not loaded (--root)  | 3 | same    | cp -R "$Z" root | vfio-bind --root root 07:00.0
vfio-bind    | --check met                   | 0 | same    | guide && bound | vfio-bind --root root --check 07:00.0
vfio-bind    | --check not met               | 1 | same    | guide | vfio-bind --root root --check 07:00.0
vfio-bind    | --persist --check met         | 0 | same    | guide && vfio-bind --root root --persist 07:00.0 | vfio-bind --root root --persist --check 07:00.0
vfio-bind    | --persist --check not met     | 1 | same    | guide | vfio-bind --root root --persist --check 07:00.0
vfio-bind    | --unbind --check met          | 0 | same    | guide | vfio-bind --root root --unbind --check 07:00.0
vfio-bind    | --unbind --check not met      | 1 | same    | guide && bound | vfio-bind --root root --unbind --check 07:00.0
vfio-bind    | --list printed devices        | 0 | same    | guide && bound | vfio-bind --root root --list
vfio-bind    | --list selected nothing       | 1 | same    | guide | vfio-bind --root root --list
vfio-bind    | --list, bound at boot only    | 0 | same    | guide && vfio-bind --root root --persist 07:00.0 | vfio-bind --root root --list
vfio-bind    | --list, unreadable vfio.conf  | 3 | same    | guide && mkdir -p root/etc/modprobe.d/vfio.conf | vfio-bind --root root --list
vfio-bind    | --list -J selected nothing    | 1 | same    | guide | vfio-bind --root root --list -J
vfio-bind    | missing root                  | 3 | same    | :     | vfio-bind --root nowhere 07:00.0
vfio-bind    | --check, missing root         | 3 | same    | :     | vfio-bind --root nowhere --check 07:00.0
vfio-bind    | no such device                | 3 | same    | guide | vfio-bind --root root 0000:99:00.0
vfio-bind    | no card in the slot           | 3 | same    | guide | vfio-bind --root root 0000:99:00
vfio-bind    | --check, no such device       | 3 | same    | guide | vfio-bind --root root --check ffff:ffff
vfio-bind    | an ID of two devices          | 3 | same    | guide | vfio-bind --root root 1002:ab28
vfio-bind    | refused: the boot VGA device  | 3 | same    | guide | vfio-bind --root root 03:00.0
vfio-bind    | refused: in use by the host   | 3 | same    | guide | vfio-bind --root root --persist 04:00.0
vfio-bind    | refused: a process holds the card | 3 | same | cp -R "$FIXTURES/z490-desktop" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci | vfio-bind --root root 07:00.0
vfio-bind    | --stop-holders under --root   | 3 | same    | cp -R "$FIXTURES/z490-desktop" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci | vfio-bind --root root --stop-holders 07:00.0
vfio-bind    | --handover dry run            | 0 | same    | guide && mkdir -p root/proc/sys/kernel/random && echo 5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11 >root/proc/sys/kernel/random/boot_id | vfio-bind --root root --handover -n 03:00.0
vfio-bind    | --handover, no boot id        | 3 | same    | guide | vfio-bind --root root --handover 03:00.0
vfio-bind    | --handover, one on record     | 3 | same    | guide && mkdir -p root/proc/sys/kernel/random && echo 5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11 >root/proc/sys/kernel/random/boot_id && mkdir -p root/run/vfio-utils && printf "boot_id %s\npci 0000:03:00.0 amdgpu\n" "$(cat root/proc/sys/kernel/random/boot_id)" >root/run/vfio-utils/handover-0000:03:00.0 | vfio-bind --root root --handover 03:00.0
vfio-bind    | --giveback done               | 0 | changed | guide && mkdir -p root/proc/sys/kernel/random && echo 5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11 >root/proc/sys/kernel/random/boot_id && mkdir -p root/run/vfio-utils && printf "boot_id %s\npci 0000:03:00.0 amdgpu\n" "$(cat root/proc/sys/kernel/random/boot_id)" >root/run/vfio-utils/handover-0000:03:00.0 | vfio-bind --root root --giveback 03:00.0
vfio-bind    | --giveback, nothing recorded  | 3 | same    | guide && mkdir -p root/proc/sys/kernel/random && echo 5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11 >root/proc/sys/kernel/random/boot_id | vfio-bind --root root --giveback 03:00.0
vfio-bind    | --giveback, an earlier boot's | 3 | same    | guide && mkdir -p root/proc/sys/kernel/random && echo 5a1e7c2e-0f6b-4a53-9d0e-4c1f0d3b2a11 >root/proc/sys/kernel/random/boot_id && mkdir -p root/run/vfio-utils && printf "boot_id %s\npci 0000:03:00.0 amdgpu\n" 0b5e7c2e >root/run/vfio-utils/handover-0000:03:00.0 | vfio-bind --root root --giveback 03:00.0
vfio-bind    | --libvirt-hook, other operation | 0 | same  | guide && echo "<domain><name>w</name></domain>" >w.xml | vfio-bind --root root --libvirt-hook w started begin - <w.xml
vfio-bind    | --libvirt-hook, other domain's XML | 3 | same | guide && echo "<domain><name>w</name></domain>" >w.xml | vfio-bind --root root --libvirt-hook v prepare begin - <w.xml
vfio-bind    | held, --persist alone binds nothing now | 0 | changed | cp -R "$FIXTURES/z490-desktop" root | vfio-bind --root root --persist 07:00.0
vfio-bind    | refused: no IOMMU groups      | 3 | same    | cp -R "$OFF" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci | vfio-bind --root root --persist "$(ls root/sys/bus/pci/devices | tail -n 1)"
vfio-bind    | malformed vfio.conf           | 3 | same    | guide && mkdir -p root/etc/modprobe.d && printf "a\000b\n" >root/etc/modprobe.d/vfio.conf | vfio-bind --root root --persist 07:00.0
vfio-bind    | --check, malformed vfio.conf  | 3 | same    | guide && mkdir -p root/etc/modprobe.d && printf "a\000b\n" >root/etc/modprobe.d/vfio.conf | vfio-bind --root root --persist --check 07:00.0
vfio-bind    | --check, unreadable vfio.conf | 3 | same    | guide && mkdir -p root/etc/modprobe.d/vfio.conf | vfio-bind --root root --persist --check 07:00.0
vfio-bind    | -i FILE not readable          | 3 | same    | guide | vfio-bind --root root -i nowhere/pci.ids 07:00.0
vfio-bind    | --check, -i FILE not readable | 3 | same    | guide | vfio-bind --root root --check -i nowhere/pci.ids 07:00.0
vfio-bind    | usage error                   | 2 | same    | guide | vfio-bind --root root
vfio-bind    | usage error (--stop-holders)  | 2 | same    | guide | vfio-bind --root root --unbind --stop-holders 07:00.0
vfio-bind    | usage error (--giveback)      | 2 | same    | guide | vfio-bind --root root --giveback --force 03:00.0
# kcmdline-edit
kcmdline-edit | done                         | 0 | changed | debian | kcmdline-edit --root root --iommu
kcmdline-edit | already so (twice)           | 0 | same    | debian && kcmdline-edit --root root --iommu | kcmdline-edit --root root --iommu
kcmdline-edit | dry run                      | 0 | same    | debian | kcmdline-edit --root root -n -a iommu=pt
kcmdline-edit | --check met                  | 0 | same    | debian && kcmdline-edit --root root --iommu | kcmdline-edit --root root --check --iommu
kcmdline-edit | --check not met              | 1 | same    | debian | kcmdline-edit --root root --check --iommu
kcmdline-edit | --check not met (--remove)   | 1 | same    | debian && kcmdline-edit --root root -a quiet2 | kcmdline-edit --root root --check -d quiet2
kcmdline-edit | --list                       | 0 | same    | debian | kcmdline-edit --root root --list
kcmdline-edit | --regen, the command ran     | 0 | changed | stubs 0 && echo GRUB_CMDLINE_LINUX=\"quiet\" >grub | PATH="$PWD/bin:$PATH" kcmdline-edit --grub="$PWD/grub" --regen -a iommu=pt
kcmdline-edit | --regen, the command failed  | 3 | changed | stubs 1 && echo GRUB_CMDLINE_LINUX=\"quiet\" >grub | PATH="$PWD/bin:$PATH" kcmdline-edit --grub="$PWD/grub" --regen -a iommu=pt
kcmdline-edit | --regen, already so, the command failed | 3 | same | stubs 1 && echo GRUB_CMDLINE_LINUX=\"quiet iommu=pt\" >grub | PATH="$PWD/bin:$PATH" kcmdline-edit --grub="$PWD/grub" --regen -a iommu=pt
kcmdline-edit | missing root                 | 3 | same    | :      | kcmdline-edit --root nowhere -a iommu=pt
kcmdline-edit | --check, missing root        | 3 | same    | :      | kcmdline-edit --root nowhere --check -a iommu=pt
kcmdline-edit | no boot configuration        | 3 | same    | mkdir root | kcmdline-edit --root root -a iommu=pt
kcmdline-edit | --check, unreadable file     | 3 | same    | mkdir -p root/etc/default/grub | kcmdline-edit --root root --check -a iommu=pt
kcmdline-edit | malformed /etc/default/grub  | 3 | same    | debian && echo GRUB_CMDLINE_LINUX=\"quiet >>root/etc/default/grub | kcmdline-edit --root root -a iommu=pt
kcmdline-edit | --check, malformed file      | 3 | same    | debian && echo GRUB_CMDLINE_LINUX=\"quiet >>root/etc/default/grub | kcmdline-edit --root root --check -a iommu=pt
kcmdline-edit | unknown CPU                  | 3 | same    | debian && sed -i s/GenuineIntel/CentaurHauls/ root/proc/cpuinfo | kcmdline-edit --root root --iommu
kcmdline-edit | no such boot entry           | 3 | same    | cp -R "$BOOT/arch-sdboot" root | kcmdline-edit --root root --entry nosuch -a iommu=pt
kcmdline-edit | usage error                  | 2 | same    | debian | kcmdline-edit --root root --regen -a iommu=pt
# initramfs-vfio
initramfs-vfio | done                        | 0 | changed | arch | initramfs-vfio --root root
initramfs-vfio | already so (twice)          | 0 | same    | arch && initramfs-vfio --root root | initramfs-vfio --root root
initramfs-vfio | dry run                     | 0 | same    | arch | initramfs-vfio --root root -n
initramfs-vfio | --check met                 | 0 | same    | arch && initramfs-vfio --root root | initramfs-vfio --root root --check
initramfs-vfio | --check not met             | 1 | same    | arch | initramfs-vfio --root root --check
initramfs-vfio | --remove --check not met    | 1 | same    | arch && initramfs-vfio --root root | initramfs-vfio --root root --remove --check
initramfs-vfio | --remove, nothing to remove | 0 | same    | arch | initramfs-vfio --root root --remove
initramfs-vfio | missing root                | 3 | same    | :    | initramfs-vfio --root nowhere
initramfs-vfio | --check, missing root       | 3 | same    | :    | initramfs-vfio --root nowhere --check
initramfs-vfio | no generator                | 3 | same    | arch && rm -r root/usr/bin/mkinitcpio root/etc/mkinitcpio.conf | initramfs-vfio --root root
initramfs-vfio | malformed mkinitcpio.conf   | 3 | same    | arch && echo "MODULES=(a" >root/etc/mkinitcpio.conf | initramfs-vfio --root root
initramfs-vfio | --check, malformed file     | 3 | same    | arch && echo "MODULES=(a" >root/etc/mkinitcpio.conf | initramfs-vfio --root root --check
initramfs-vfio | --check, unreadable file    | 3 | same    | arch && rm root/etc/mkinitcpio.conf && mkdir root/etc/mkinitcpio.conf | initramfs-vfio --root root --check
initramfs-vfio | usage error                 | 2 | same    | arch | initramfs-vfio --root root --regen
# virtxml-hostdev
virtxml-hostdev | done (-i)                  | 0 | changed | guide && dom | virtxml-hostdev --root root -i 07:00.0 /win10.xml
virtxml-hostdev | already so (-i twice)      | 0 | same    | guide && dom && virtxml-hostdev --root root -i 07:00.0 /win10.xml | virtxml-hostdev --root root -i 07:00.0 /win10.xml
virtxml-hostdev | done (standard output)     | 0 | same    | guide && dom | virtxml-hostdev --root root 07:00.0 <root/win10.xml
virtxml-hostdev | dry run                    | 0 | same    | guide && dom | virtxml-hostdev --root root -n -i 07:00.0 /win10.xml
virtxml-hostdev | --check met (-i)           | 0 | same    | guide && dom && virtxml-hostdev --root root -i 07:00.0 /win10.xml | virtxml-hostdev --root root --check -i 07:00.0 /win10.xml
virtxml-hostdev | --check not met (-i)       | 1 | same    | guide && dom | virtxml-hostdev --root root --check -i 07:00.0 /win10.xml
virtxml-hostdev | --check, renumbered        | 1 | same    | guide && dom && virtxml-hostdev --root root -i 07:00.0 /win10.xml && sed -i s,/1002:ab28/1002:ab28/,/10de:10f0/1002:ab28/, root/win10.xml | virtxml-hostdev --root root --check -i 07:00.0 /win10.xml
virtxml-hostdev | renumbered, refused        | 3 | same    | guide && dom && virtxml-hostdev --root root -i 07:00.0 /win10.xml && sed -i s,/1002:ab28/1002:ab28/,/10de:10f0/1002:ab28/, root/win10.xml | virtxml-hostdev --root root -i 07:00.0 /win10.xml
virtxml-hostdev | --check, host renumbered   | 1 | same    | renumbered | virtxml-hostdev --root root --check -i 05:00.0 /win10.xml
virtxml-hostdev | host renumbered, refused   | 3 | same    | renumbered | virtxml-hostdev --root root -i 05:00.0 /win10.xml
virtxml-hostdev | --remove done (-i)         | 0 | changed | guide && dom && virtxml-hostdev --root root -i 07:00.0 /win10.xml | virtxml-hostdev --root root --remove -i /win10.xml
virtxml-hostdev | --remove, nothing recorded | 0 | same    | guide && dom | virtxml-hostdev --root root --remove -i /win10.xml
virtxml-hostdev | the boot VGA, refused      | 3 | same    | guide && dom | virtxml-hostdev --root root -i 03:00.0 /win10.xml
virtxml-hostdev | a device the host uses    | 3 | same    | guide && dom | virtxml-hostdev --root root -i 04:00.0 /win10.xml
virtxml-hostdev | no such device             | 3 | same    | guide && dom | virtxml-hostdev --root root -i 0b:00.0 /win10.xml
virtxml-hostdev | missing root               | 3 | same    | :     | virtxml-hostdev --root nowhere -i 07:00.0 /win10.xml
virtxml-hostdev | missing file               | 3 | same    | guide | virtxml-hostdev --root root -i 07:00.0 /nosuch.xml
virtxml-hostdev | malformed XML              | 3 | same    | guide && broken | virtxml-hostdev --root root -i 07:00.0 /win10.xml
virtxml-hostdev | usage error                | 2 | same    | guide && dom | virtxml-hostdev --root root --backup 07:00.0 /win10.xml
virtxml-hostdev | no guest address, reported | 0 | same    | guide && tabs | virtxml-hostdev --root root -i 07:00.0 /win10.xml
virtxml-hostdev | --check, no guest address  | 1 | same    | guide && tabs | virtxml-hostdev --root root --check -i 07:00.0 /win10.xml
virtxml-hostdev | --fix, no guest address    | 0 | changed | guide && tabs | virtxml-hostdev --root root --fix -i 07:00.0 /win10.xml
virtxml-hostdev | --fix, function taken      | 3 | same    | guide && cp "$TOP/tests/badinput/virtxml-hostdev/fix-place-taken/stdin" root/win10.xml | virtxml-hostdev --root root --fix -i 07:00.0 /win10.xml
# virtxml-hide
virtxml-hide | done (-i)                     | 0 | changed | dom | virtxml-hide --root root -i /win10.xml
virtxml-hide | already so (-i twice)         | 0 | same    | dom && virtxml-hide --root root -i /win10.xml | virtxml-hide --root root -i /win10.xml
virtxml-hide | done (standard output)        | 0 | same    | dom | virtxml-hide <root/win10.xml
virtxml-hide | dry run                       | 0 | same    | dom | virtxml-hide --root root -n -i /win10.xml
virtxml-hide | --check met (-i)              | 0 | same    | dom && virtxml-hide --root root -i /win10.xml | virtxml-hide --root root --check -i /win10.xml
virtxml-hide | --check not met (-i)          | 1 | same    | dom | virtxml-hide --root root --check -i /win10.xml
virtxml-hide | --check met (standard input)  | 0 | same    | dom && virtxml-hide --root root -i /win10.xml | virtxml-hide --check <root/win10.xml
virtxml-hide | --check not met (standard input) | 1 | same | dom | virtxml-hide --check <root/win10.xml
virtxml-hide | --remove --check not met      | 1 | same    | dom && virtxml-hide --root root -i /win10.xml | virtxml-hide --root root --remove --check -i /win10.xml
virtxml-hide | missing root                  | 3 | same    | :   | virtxml-hide --root nowhere -i /win10.xml
virtxml-hide | missing file                  | 3 | same    | dom | virtxml-hide --root root -i /nosuch.xml
virtxml-hide | --check, missing file         | 3 | same    | dom | virtxml-hide --root root --check -i /nosuch.xml
virtxml-hide | a domain's name, no file     | 3 | same    | dom | virtxml-hide --root root -i win10
virtxml-hide | malformed XML                 | 3 | same    | broken | virtxml-hide --root root -i /win10.xml
virtxml-hide | --check, malformed XML        | 3 | same    | broken | virtxml-hide --root root --check -i /win10.xml
virtxml-hide | --check, malformed input      | 3 | same    | broken | virtxml-hide --check <root/win10.xml
virtxml-hide | usage error                   | 2 | same    | dom | virtxml-hide --root root --backup /win10.xml
# passcheck
passcheck    | no check failed               | 0 | same    | guide && bound && vfio-bind --root root --persist 07:00.0 | passcheck --root root 07:00.0
passcheck    | no check failed, JSON         | 0 | same    | guide && bound && vfio-bind --root root --persist 07:00.0 | passcheck --root root -J 07:00.0
passcheck    | a check failed                | 1 | same    | guide | passcheck --root root 07:00.0
passcheck    | a check failed, quiet         | 1 | same    | guide | passcheck --root root -q 07:00.0
passcheck    | missing root                  | 3 | same    | :     | passcheck --root nowhere 07:00.0
passcheck    | no such device                | 3 | same    | guide | passcheck --root root 0000:99:00.0
passcheck    | malformed --xml               | 3 | same    | guide && head -c 300 "$D/win10-virsh.xml" >root/win10.xml | passcheck --root root --xml /win10.xml 07:00.0
passcheck    | missing --xml                 | 3 | same    | guide | passcheck --root root --xml /nosuch.xml 07:00.0
passcheck    | --xml a domain's name         | 3 | same    | guide | passcheck --root root --xml win10 07:00.0
passcheck    | -i FILE not readable          | 3 | same    | guide | passcheck --root root -i nowhere/pci.ids 07:00.0
passcheck    | --xml, no check failed        | 0 | same    | guide && bound && vfio-bind --root root --persist 07:00.0 && dom && virtxml-hostdev --root root -i 07:00.0 /win10.xml | passcheck --root root --xml /win10.xml 07:00.0
passcheck    | --xml, card on two guest slots | 1 | same   | guide && bound && vfio-bind --root root --persist 07:00.0 && cp "$D/win11-virsh.xml" root/win11.xml | passcheck --root root --xml /win11.xml 07:00.0
passcheck    | --xml, host renumbered        | 1 | same    | renumbered | passcheck --root root --xml /win10.xml 05:00.0
passcheck    | usage error                   | 2 | same    | guide | passcheck --root root --bogus
EOF

test_expect_success 'kcmdline-edit --regen, the command failed: the message says whether the file is changed' "
	stubs 1 && echo 'GRUB_CMDLINE_LINUX=\"quiet\"' >grub &&
	run env PATH=\"\$PWD/bin:\$PATH\" kcmdline-edit --grub=\"\$PWD/grub\" --regen -a iommu=pt &&
	expect_rc 3 && grep_q 'iommu=pt' grub &&
	sed -n 's/^Running: \\([^ ]*\\).*/\\1/p' out >ran && test \$(wc -l <ran) = 1 &&
	printf '%s\\n' \"kcmdline-edit: '\$(cat ran)' failed\" \\
		'kcmdline-edit: the files are changed, the boot loader not yet' >expect &&
	test_cmp expect err &&
	cp grub once && run env PATH=\"\$PWD/bin:\$PATH\" kcmdline-edit --grub=\"\$PWD/grub\" --regen -a iommu=pt &&
	expect_rc 3 && cmp once grub &&
	echo \"kcmdline-edit: '\$(cat ran)' failed\" >expect && test_cmp expect err
"

# initramfs-vfio --regen runs the commands of the running system only:
# here in a mount namespace whose /etc is a scratch tmpfs, so that the
# machine's own /etc is not touched.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	test_expect_success 'initramfs-vfio --regen, the rebuild failed: exit 3, the file changed and said so' "
		mkdir bin && printf '#!/bin/sh\\nexit 1\\n' >bin/mkinitcpio && chmod +x bin/mkinitcpio &&
		cp '$MK/arch-v41-udev.conf' orig.conf &&
		unshare -m sh -c '
			mount -t tmpfs tmpfs /etc && cp orig.conf /etc/mkinitcpio.conf &&
			rc=0 && PATH=\$PWD/bin:\$PATH initramfs-vfio -g mkinitcpio -k 6.6.8-arch1-1 --regen >out 2>err ||
				rc=\$?
			echo \$rc >rc && cp /etc/mkinitcpio.conf after.conf' &&
		test \"\$(cat rc)\" = 3 && ! cmp -s orig.conf after.conf &&
		grep_q '^MODULES=(vfio_pci vfio vfio_iommu_type1)\$' after.conf &&
		grep_q '^Running: mkinitcpio -P\$' out &&
		printf '%s\\n' \"initramfs-vfio: 'mkinitcpio' failed\" \\
			'initramfs-vfio: the files are changed, but not every image is rebuilt' >expect &&
		test_cmp expect err
	"
else
	test_skip 'initramfs-vfio --regen, the rebuild failed' 'needs root and a mount namespace'
fi

test_expect_success 'a --check that cannot read the file says why and exits 3, not 1' "
	debian && echo 'GRUB_CMDLINE_LINUX=\"quiet' >>root/etc/default/grub &&
	run kcmdline-edit --root root --check -a iommu=pt && expect_rc 3 &&
	grep_q \"^kcmdline-edit: cannot edit GRUB_CMDLINE_LINUX in 'root/etc/default/grub'\" err &&
	dom && head -c 300 root/win10.xml >cut.xml &&
	run virtxml-hide --check cut.xml && expect_rc 3 &&
	grep_q \"^virtxml-hide: could not parse 'cut.xml'\" err
"

test_done
