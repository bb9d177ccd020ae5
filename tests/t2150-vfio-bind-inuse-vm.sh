#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-bind never takes what the host needs, in a real kernel under QEMU:
# an NVMe drive holding the active swap, one with a mounted file system,
# the NIC carrying the default route and an established connection, and
# the q35 chipset's functions are refused by vfio-bind and by
# vfio-bind --persist; each keeps its driver and nothing is written.
# iommu-groups -v and passcheck say why, for IPv6's default route and
# connections too; a file system on a multipath NVMe namespace is the
# host's use of both controllers' functions; --force binds anyway.  One
# boot for all of it.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/vm/lib.sh"

# Two drives, on root ports of their own: 06:00.0 (swap), 07:00.0 (ext2
# on its first partition, mounted at /mnt); and a namespace shared by the
# controllers at 08:00.0 and 09:00.0 (ext2 on the whole disk, at /mnt2).
truncate -s 64M "$TEST_TMP/swap.img" "$TEST_TMP/fs.img" "$TEST_TMP/mp.img"
# shellcheck disable=SC2034 # vm_boot's
VM_EXTRA="$(vm_nvme_topology "$TEST_TMP/swap.img" "$TEST_TMP/fs.img")
	$(vm_nvme_multipath_topology "$TEST_TMP/mp.img")"

vm_boot inuse intel 'intel_iommu=on iommu=pt' <<'EOS'
coldplug
modprobe ext4
SWAP=0000:06:00.0 FS=0000:07:00.0 NIC=0000:05:00.0
drivers() {
	for d in /sys/bus/pci/devices/*; do
		printf '%s %s\n' ${d##*/} $(basename "$(readlink $d/driver)" 2>/dev/null || echo -)
	done
}
# disk_of ADDR: the block device of the NVMe drive at ADDR, once the
# driver's asynchronous probe has made it
disk_of() {
	for b in /sys/block/nvme*; do
		case $(readlink -f "$b") in
		*/$1/*) echo "${b##*/}"; return 0 ;;
		esac
	done
	return 1
}
# wait_for CMD...: up to 20 s for CMD to succeed
wait_for() {
	i=0
	until "$@"; do
		[ $i -lt 100 ] || return 1
		sleep 0.2
		i=$((i + 1))
	done
}
# mp_disk: the multipath disk of the shared namespace, below the NVMe
# subsystem, once both controllers' paths to it (nvmeXcYnZ, hidden disks
# below each function) are there
mp_disk() {
	set -- $(ls -d /sys/block/nvme*c*n* 2>/dev/null)
	[ $# = 2 ] || return 1
	h=$(basename $1 | sed 's/c[0-9]*n/n/')
	[ "$(basename $2 | sed 's/c[0-9]*n/n/')" = $h ] || return 1
	case $(readlink -f /sys/block/$h) in
	*/nvme-subsystem/*) echo $h ;;
	*) return 1 ;;
	esac
}
wait_for disk_of $SWAP >/dev/null && wait_for disk_of $FS >/dev/null
wait_for mp_disk >/dev/null
sw=$(disk_of $SWAP) fs=$(disk_of $FS) mp=$(mp_disk)
echo "$sw $fs $mp" >/out/disks
for p in /sys/block/nvme*c*n*; do
	echo ${p##*/} $(readlink -f $p)
done >/out/mppaths

# the host's swap on the first drive, a file system on the second's first
# partition at /mnt
mkswap /dev/$sw >/out/mkswap 2>&1
swapon /dev/$sw
printf 'n\np\n1\n\n\nw\n' | fdisk /dev/$fs >/out/fdisk 2>&1
wait_for test -b /dev/${fs}p1
mke2fs -q /dev/${fs}p1 >/out/mke2fs 2>&1
mkdir -p /mnt
mount -t ext4 /dev/${fs}p1 /mnt
mke2fs -q /dev/$mp >>/out/mke2fs 2>&1
mkdir -p /mnt2
mount -t ext4 /dev/$mp /mnt2

# the NIC behind the switch carries the default route (no peer: through a
# gateway on its link) and a TCP connection to its address: busybox's nc
# listens on IPv6's any address, so the server's end is in /proc/net/tcp6
# at ::ffff:10.0.2.15, the client's in /proc/net/tcp
nic=$(ls /sys/bus/pci/devices/$NIC/net)
echo "$nic" >/out/nic
ip link set lo up
ip addr add 10.0.2.15/24 dev $nic
ip link set $nic up
ip route add default via 10.0.2.2 dev $nic onlink
sleep 600 | nc -l -p 22 >/dev/null &
wait_for grep -q ':0016 0*:0000 0A ' /proc/net/tcp6
sleep 600 | nc 10.0.2.15 22 >/dev/null &
wait_for grep -q ' 0000000000000000FFFF00000F02000A:0016 [0-9A-F:]* 01 ' /proc/net/tcp6

# the first NIC behind the PCI-PCI bridge carries the IPv6 default route
# and a connection to fd00::15 (both ends in /proc/net/tcp6)
nic6=$(ls /sys/bus/pci/devices/0000:01:01.0/net)
echo "$nic6" >/out/nic6
sysctl -w net.ipv6.conf.$nic6.accept_dad=0
ip link set $nic6 up
ip -6 addr add fd00::15/64 dev $nic6
ip -6 route add default via fd00::1 dev $nic6
sleep 600 | nc -l -p 23 >/dev/null &
wait_for grep -q ':0017 0*:0000 0A ' /proc/net/tcp6
sleep 600 | nc fd00::15 23 >/dev/null &
wait_for grep -q ' 000000FD000000000000000015000000:0017 [0-9A-F:]* 01 ' /proc/net/tcp6

# the second NIC behind the PCI-PCI bridge is a port of a bridge, br0, as
# on a host that bridges its VMs to the network; br0 has the address and
# a connection to it
nicbr=$(ls /sys/bus/pci/devices/0000:01:02.0/net)
echo "$nicbr" >/out/nicbr
modprobe bridge
brctl addbr br0
brctl addif br0 $nicbr
ip link set $nicbr up
ip link set br0 up
ip addr add 192.168.1.15/24 dev br0
readlink /sys/class/net/$nicbr/master >/out/nicbr.master
sleep 600 | nc -l -p 24 >/dev/null &
wait_for grep -q ':0018 0*:0000 0A ' /proc/net/tcp6
sleep 600 | nc 192.168.1.15 24 >/dev/null &
wait_for grep -q ' 0F01A8C0:[0-9A-F]* 0F01A8C0:0018 01 ' /proc/net/tcp

cp /proc/swaps /out/swaps.before
cp /proc/mounts /out/mounts.before
cp /proc/net/route /out/route.before
cp /proc/net/ipv6_route /out/ipv6_route.before
cp /proc/net/tcp /out/tcp.before
cp /proc/net/tcp6 /out/tcp6.before
# what vfio-bind would change: drivers, driver_override, files under /etc
etc() {
	find /etc | sort
	find /etc -type f -exec md5sum {} + | sort -k 2
}
drivers >/out/drivers.before
grep . /sys/bus/pci/devices/*/driver_override >/out/override.before
etc >/out/etc.before
for d in $SWAP $FS 0000:08:00.0 0000:09:00.0 $NIC 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3; do
	lspci -nn -s $d
done >/out/lspci

for d in 06:00.0 07:00.0 08:00.0 09:00.0 05:00.0 00:1f.2 00:1f.3; do
	vfio-bind $d >/out/$d.bind.out 2>/out/$d.bind.err
	echo $? >/out/$d.bind.rc
	vfio-bind --persist $d >/out/$d.persist.out 2>/out/$d.persist.err
	echo $? >/out/$d.persist.rc
done

drivers >/out/drivers.after
grep . /sys/bus/pci/devices/*/driver_override >/out/override.after
etc >/out/etc.after
cp /proc/swaps /out/swaps.after
cp /proc/mounts /out/mounts.after
iommu-groups -v >/out/groups 2>&1
echo $? >/out/groups.rc
for g in /sys/kernel/iommu_groups/*; do
	echo ${g##*/} $(ls $g/devices)
done >/out/kgroups
for d in 06:00.0 07:00.0 05:00.0; do
	passcheck $d >/out/$d.passcheck 2>&1
	echo $? >/out/$d.passcheck.rc
done

# last, as it takes the file system's drive away from the host
vfio-bind --force 07:00.0 >/out/force.out 2>/out/force.err
echo $? >/out/force.rc
drivers >/out/drivers.force
EOS

I=$VM_OUT/inuse
SW=$(cut -d' ' -f1 "$I/disks" 2>/dev/null)
FS=$(cut -d' ' -f2 "$I/disks" 2>/dev/null)
MP=$(cut -d' ' -f3 "$I/disks" 2>/dev/null)
NIC=$(cat "$I/nic" 2>/dev/null)
NIC6=$(cat "$I/nic6" 2>/dev/null)
NICBR=$(cat "$I/nicbr" 2>/dev/null)

test_expect_success 'the guest booted and ran its script' "
	vm_ok inuse && test \"\$(cat $I/rc)\" = 0
"

test_expect_success 'lspci sees the four NVMe controllers, the NIC and the chipset functions' "
	vm_ok inuse &&
	grep_q '^06:00.0 Non-Volatile memory controller \[0108\]: .* \[1b36:0010\]' $I/lspci &&
	grep_q '^07:00.0 Non-Volatile memory controller \[0108\]: .* \[1b36:0010\]' $I/lspci &&
	grep_q '^08:00.0 Non-Volatile memory controller \[0108\]: .* \[1b36:0010\]' $I/lspci &&
	grep_q '^09:00.0 Non-Volatile memory controller \[0108\]: .* \[1b36:0010\]' $I/lspci &&
	grep_q '^05:00.0 Ethernet controller \[0200\]: .* \[8086:10d3\]' $I/lspci &&
	grep_q '^00:1f.2 SATA controller \[0106\]: ' $I/lspci &&
	grep_q '^00:1f.3 SMBus \[0c05\]: ' $I/lspci
"

test_expect_success 'the drives are on nvme, the NIC on e1000e, the chipset on its drivers' "
	vm_ok inuse &&
	grep_q '^0000:06:00.0 nvme\$' $I/drivers.before &&
	grep_q '^0000:07:00.0 nvme\$' $I/drivers.before &&
	grep_q '^0000:08:00.0 nvme\$' $I/drivers.before &&
	grep_q '^0000:09:00.0 nvme\$' $I/drivers.before &&
	grep_q '^0000:05:00.0 e1000e\$' $I/drivers.before &&
	grep_q '^0000:00:1f.2 ahci\$' $I/drivers.before &&
	grep_q '^0000:00:1f.3 i801_smbus\$' $I/drivers.before
"

test_expect_success 'the host swaps on the first drive and mounts the second at /mnt' "
	vm_ok inuse && test -n '$SW' && test -n '$FS' &&
	grep_q '^/dev/$SW ' $I/swaps.before &&
	grep_q '^/dev/${FS}p1 /mnt ext4 ' $I/mounts.before
"

test_expect_success 'the shared namespace is one multipath disk, through both controllers, at /mnt2' "
	vm_ok inuse && test -n '$MP' &&
	test \$(grep -c . $I/mppaths) = 2 &&
	grep_q ' /sys/devices/pci0000:00/0000:00:1c.4/0000:08:00.0/nvme/nvme[0-9]*/nvme[0-9]*c[0-9]*n1\$' $I/mppaths &&
	grep_q ' /sys/devices/pci0000:00/0000:00:1c.5/0000:09:00.0/nvme/nvme[0-9]*/nvme[0-9]*c[0-9]*n1\$' $I/mppaths &&
	grep_q '^/dev/$MP /mnt2 ext4 ' $I/mounts.before
"

test_expect_success 'the default route and a TCP connection go through the NIC' "
	vm_ok inuse && test -n '$NIC' &&
	grep_q '^$NIC	00000000	0202000A	0003	' $I/route.before &&
	grep_q ' 0F02000A:[0-9A-F]* 0F02000A:0016 01 ' $I/tcp.before &&
	grep_q ' 0000000000000000FFFF00000F02000A:0016 0000000000000000FFFF00000F02000A:[0-9A-F]* 01 ' $I/tcp6.before
"

test_expect_success 'the second bridged NIC is a port of br0, which has a connection' "
	vm_ok inuse && test -n '$NICBR' &&
	grep_q '/br0\$' $I/nicbr.master &&
	grep_q ' 0F01A8C0:[0-9A-F]* 0F01A8C0:0018 01 ' $I/tcp.before
"

test_expect_success 'the IPv6 default route and a connection go through the first bridged NIC' "
	vm_ok inuse && test -n '$NIC6' &&
	grep_q '^0\\{32\\} 00 0\\{32\\} 00 fd000000000000000000000000000001 .* $NIC6\$' $I/ipv6_route.before &&
	grep_q ' 000000FD000000000000000015000000:0017 000000FD000000000000000015000000:[0-9A-F]* 01 ' $I/tcp6.before
"

# refused WHAT MODE REASON: vfio-bind (MODE bind) or vfio-bind --persist
# (MODE persist) on WHAT exited 3, printed nothing on standard output and
# gave REASON, then that nothing changed.
refused() {
	test "$(cat "$I/$1.$2.rc")" = 3 && test ! -s "$I/$1.$2.out" &&
	grep_q "^vfio-bind: $3" "$I/$1.$2.err" &&
	grep_q '^vfio-bind: nothing changed; --force binds anyway$' "$I/$1.$2.err"
}

for mode in bind persist; do
	case $mode in
	bind) cmd=vfio-bind ;;
	persist) cmd='vfio-bind --persist' ;;
	esac
	test_expect_success "$cmd refuses the drive with the swap" "
		vm_ok inuse &&
		refused 06:00.0 $mode '0000:06:00.0 is in use by the host: swap on /dev/$SW'
	"
	test_expect_success "$cmd refuses the drive with the mounted file system" "
		vm_ok inuse &&
		refused 07:00.0 $mode '0000:07:00.0 is in use by the host: .*/dev/${FS}p1.* mounted on /mnt'
	"
	test_expect_success "$cmd refuses both controllers of the mounted multipath namespace" "
		vm_ok inuse &&
		refused 08:00.0 $mode '0000:08:00.0 is in use by the host: .*/dev/$MP.* mounted on /mnt2' &&
		refused 09:00.0 $mode '0000:09:00.0 is in use by the host: .*/dev/$MP.* mounted on /mnt2'
	"
	test_expect_success "$cmd refuses the NIC with the default route" "
		vm_ok inuse &&
		refused 05:00.0 $mode '0000:05:00.0 is in use by the host: .*$NIC.* default route'
	"
	test_expect_success "$cmd names the NIC's established connection" "
		vm_ok inuse &&
		refused 05:00.0 $mode '0000:05:00.0 is in use by the host: .*$NIC.* established connection (10.0.2.15:\\(22 to 10.0.2.15:[0-9]*\\|[0-9]* to 10.0.2.15:22\\))'
	"
	test_expect_success "$cmd refuses the chipset's SATA and SMBus functions" "
		vm_ok inuse &&
		refused 00:1f.3 $mode '0000:00:1f.3 is in use by the host: .*platform function' &&
		refused 00:1f.2 $mode '0000:00:1f.[0-3] is in use by the host: .*platform function'
	"
done

test_expect_success 'every function keeps its driver, nothing is written' "
	vm_ok inuse && test_cmp $I/drivers.before $I/drivers.after &&
	test_cmp $I/override.before $I/override.after &&
	test_cmp $I/etc.before $I/etc.after
"

test_expect_success 'the swap is still on and the file system still mounted' "
	vm_ok inuse && test_cmp $I/swaps.before $I/swaps.after &&
	test_cmp $I/mounts.before $I/mounts.after
"

# has_inuse ADDR WHAT: iommu-groups -v gave ADDR an inuse= list holding WHAT
has_inuse() {
	grep_q "^IOMMU Group [0-9]*: $1 .* inuse=\\([^ ]*,\\)\\{0,1\\}$2\\(,[^ ]*\\)\\{0,1\\}\\( \\|\$\\)" "$I/groups"
}

test_expect_success 'iommu-groups -v says what the host uses' "
	vm_ok inuse && test \"\$(cat $I/groups.rc)\" = 0 &&
	has_inuse 06:00.0 swap:/dev/$SW &&
	has_inuse 07:00.0 mount:/dev/${FS}p1 &&
	has_inuse 08:00.0 mount:/dev/$MP && has_inuse 09:00.0 mount:/dev/$MP &&
	has_inuse 05:00.0 route:$NIC && has_inuse 05:00.0 conn:$NIC &&
	has_inuse 00:1f.3 platform &&
	! grep '^IOMMU Group [0-9]*: 02:00.[01] .* inuse=' $I/groups
"

test_expect_success 'iommu-groups -v: the IPv6 route and connection of the first bridged NIC' "
	vm_ok inuse &&
	has_inuse 01:01.0 route:$NIC6 && has_inuse 01:01.0 conn:$NIC6
"

test_expect_success 'iommu-groups -v: the second bridged NIC carries the connection of its bridge' "
	vm_ok inuse &&
	has_inuse 01:02.0 'conn:\\(br0\\|$NICBR\\)' &&
	! grep '^IOMMU Group [0-9]*: 01:02.0 .* inuse=.*route:' $I/groups
"

test_expect_success 'iommu-groups -v: its groups are the kernel ones' "
	vm_ok inuse &&
	sed -n 's/^IOMMU Group \\([0-9]*\\): \\([^ ]*\\) .*/\\1 0000:\\2/p' $I/groups |
		awk 'NR > 1 && \$1 == g { l = l \" \" \$2; next }
			NR > 1 { print l } { g = \$1; l = \$0 } END { if (NR) print l }' | sort >groups &&
	sort $I/kgroups >kgroups && test_cmp kgroups groups
"

test_expect_success 'iommu-groups -v: the chipset group is not isolated' "
	vm_ok inuse && grep ' 00:1f\\.' $I/groups >chipset &&
	test \$(grep -c . chipset) = 3 && ! grep -v ' isolated=no' chipset
"

test_expect_success 'passcheck fails the drive with the swap, with no vfio-bind advice' "
	vm_ok inuse && test \"\$(cat $I/06:00.0.passcheck.rc)\" = 1 &&
	grep_q '^FAIL host-in-use: 0000:06:00.0: .*swap on /dev/$SW' $I/06:00.0.passcheck &&
	! grep ': 0000:06:00.0: .*vfio-bind' $I/06:00.0.passcheck
"

test_expect_success 'passcheck fails the mounted drive and the NIC with the default route' "
	vm_ok inuse &&
	test \"\$(cat $I/07:00.0.passcheck.rc)\" = 1 &&
	grep_q '^FAIL host-in-use: 0000:07:00.0: .*mounted on /mnt' $I/07:00.0.passcheck &&
	! grep ': 0000:07:00.0: .*vfio-bind' $I/07:00.0.passcheck &&
	test \"\$(cat $I/05:00.0.passcheck.rc)\" = 1 &&
	grep_q '^FAIL host-in-use: 0000:05:00.0: .*default route' $I/05:00.0.passcheck &&
	! grep ': 0000:05:00.0: .*vfio-bind' $I/05:00.0.passcheck
"

test_expect_success '--force binds the mounted drive to vfio-pci, warning why not' "
	vm_ok inuse && test \"\$(cat $I/force.rc)\" = 0 &&
	grep_q '^vfio-bind: 0000:07:00.0 is in use by the host: .*/dev/${FS}p1.* mounted on /mnt' $I/force.err &&
	! grep -q 'nothing changed' $I/force.err &&
	grep_q '^0000:07:00.0: nvme -> vfio-pci\$' $I/force.out &&
	grep_q '^0000:07:00.0 vfio-pci\$' $I/drivers.force &&
	grep_q '^0000:06:00.0 nvme\$' $I/drivers.force
"

test_done
