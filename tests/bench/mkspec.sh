#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mkspec.sh N: the description, for tests/tools/mksysroot, of a host with
# exactly N PCI functions, shaped like a big virtualization server (see
# tests/fixtures/server-sriov.spec): a chipset and a BMC whose ASPEED VGA
# is the boot VGA device, then, in each of several PCI domains, a host
# bridge and root ports with one card behind each, in turn a GPU with its
# HDMI audio (sharing an IOMMU group, as functions of one device without
# ACS do), two NVMe drives and a dual-port NIC with up to 32 SR-IOV
# virtual functions on each port, every VF in a group of its own.  The
# GPUs alternate between an AMD card on amdgpu and an NVIDIA card bound
# to vfio-pci.  Root ports and cards are PCI Express, the ports with ACS
# enabled, the NICs' ports with ACS that redirects peer requests, as the
# groups above have them; each root port's slot is a physical slot,
# numbered from 1 on.  The mix is the same at every N, so
# costs at two sizes compare like with like.
set -eu
n=${1:?usage: mkspec.sh N}
case $n in *[!0-9]* | '' | 0) echo "mkspec.sh: bad number of functions '$n'" >&2; exit 2 ;; esac

awk -v want="$n" '
# One function a line; nothing past the N-th.
function dev(line) {
	if (fn >= limit)
		return 0
	print "dev " line
	fn++
	return 1
}
function root_port(   s) {
	s = sprintf("%s:00:%02x.%d class=060400 id=8086:347a rev=04 group=%d sec=%02x driver=pcieport pcie=root acs=1f:1d", \
		d, int(port / 8) + 1, port % 8, group, bus)
	port++
	if (!dev(s))
		return 0
	print "slot " ++slots " " d ":" sprintf("%02x", bus) ":00"
	group++
	return 1
}
function gpu(   b) {
	b = sprintf("%s:%02x:00", d, bus)
	if (gpus++ % 2 == 0) {
		dev(sprintf("%s.0 class=030000 id=1002:73ff sub=1462:5022 rev=c7 group=%d boot_vga=0 driver=amdgpu module=amdgpu pcie=endpoint", b, group))
		dev(sprintf("%s.1 class=040300 id=1002:ab28 sub=1002:ab28 group=%d driver=snd_hda_intel module=snd_hda_intel pcie=endpoint", b, group))
	} else {
		dev(sprintf("%s.0 class=030000 id=10de:2503 sub=1043:87f3 rev=a1 group=%d boot_vga=0 driver=vfio-pci module=vfio_pci override=vfio-pci reset=flr,bus pcie=endpoint", b, group))
		dev(sprintf("%s.1 class=040300 id=10de:228e sub=1043:87f3 rev=a1 group=%d driver=vfio-pci module=vfio_pci override=vfio-pci pcie=endpoint", b, group))
	}
	group++
}
function nvme() {
	if (dev(sprintf("%s:%02x:00.0 class=010802 id=144d:a808 sub=144d:a801 group=%d driver=nvme module=nvme reset=flr,bus pcie=endpoint", d, bus, group)))
		group++
}
# Port 0 keeps room for port 1; VFs follow each other from devfn 8 on.
function nic(   pf, vfs, devfn, s) {
	devfn = 8
	for (pf = 0; pf < 2; pf++) {
		vfs = limit - fn - 1 - (pf == 0)
		vfs = vfs < 0 ? 0 : int(vfs / (2 - pf))
		if (vfs > 32)
			vfs = 32
		s = sprintf("%s:%02x:00.%d class=020000 id=8086:1593 sub=8086:0002 rev=02 group=%d driver=ice module=ice reset=flr pcie=endpoint acs=0c:0c", \
			d, bus, pf, group++)
		if (vfs)
			s = s sprintf(" vfs=%d vf_id=1889 vf_offset=%d vf_group=%d vf_driver=%s", \
				vfs, devfn - pf, group, pf ? "vfio-pci vf_module=vfio_pci" : "iavf vf_module=iavf")
		if (!dev(s))
			return
		fn += vfs
		group += vfs
		devfn += vfs
	}
}
BEGIN {
	print "kernel 6.1.0-26-amd64"
	print "cpu GenuineIntel 64 fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc vmx est ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic popcnt aes xsave avx f16c rdrand ept vpid avx2 -- Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz"
	print "cmdline BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-amd64 root=UUID=4c2d7e9a-1b3f-4e5d-8a6c-0f9e8d7c6b5a ro intel_iommu=on iommu=pt"
	print "iommu intel"
	print "module vfio"
	print "module vfio_pci"

	# Up to 27 slots of 8 root ports a domain: no more than 3,500
	# functions in one, and never fewer than four domains.
	ndom = int((want + 3499) / 3500)
	if (ndom < 4)
		ndom = 4
	fn = 0; group = 0; gpus = 0; kind = 0
	for (dom = 0; dom < ndom; dom++) {
		d = sprintf("%04x", dom)
		limit = int(want * (dom + 1) / ndom)
		port = 0; bus = 1
		if (dev(sprintf("%s:00:00.0 class=060000 id=8086:09a2 rev=04 group=%d", d, group)))
			group++
		if (dom == 0) {
			if (dev(sprintf("%s:00:1c.0 class=060400 id=8086:a190 rev=f9 group=%d sec=%02x driver=pcieport", d, group, bus)) &&
			    dev(sprintf("%s:%02x:00.0 class=060400 id=1a03:1150 rev=04 group=%d sec=%02x", d, bus, group, bus + 1)))
				dev(sprintf("%s:%02x:00.0 class=030000 id=1a03:2000 sub=15d9:1c48 rev=41 group=%d boot_vga=1 driver=ast module=ast", d, bus + 1, group))
			group++
			bus += 2
			dev(sprintf("%s:00:1f.0 class=060100 id=8086:a1c1 sub=15d9:1c48 rev=09 group=%d", d, group))
			dev(sprintf("%s:00:1f.4 class=0c0500 id=8086:a1a3 sub=15d9:1c48 rev=09 group=%d driver=i801_smbus module=i2c_i801", d, group))
			dev(sprintf("%s:00:1f.5 class=0c8000 id=8086:a1a4 sub=15d9:1c48 rev=09 group=%d driver=intel-spi module=spi_intel_pci", d, group))
			group++
		}
		while (fn < limit) {
			if (port == 27 * 8) {
				print "mkspec.sh: too many functions for one domain" > "/dev/stderr"
				exit 1
			}
			if (!root_port())
				break
			if (kind % 4 == 0)
				gpu()
			else if (kind % 4 == 3)
				nic()
			else
				nvme()
			kind++
			bus++
		}
	}
}'
