# SPDX-License-Identifier: GPL-2.0-or-later
# The completion cases t9110 (zsh) and t9120 (fish) both run, sourced after
# lib.sh, so that the two shells are held to the same candidates.  A script
# calls completion_cases twice: first with COMP_MODE=collect, which only
# writes each line to complete to $COMP_QUERIES (the shell then completes
# them all in one session), then with COMP_MODE=run and the shell's answers
# in $COMP_GOT: "=== LINE", then one candidate a line, a tab and its
# description.
#
# What each line must offer is computed from the tree itself: ls and cat of
# its sysfs, boot entries and module directories, dash sourcing its
# /etc/default/grub, lspci -nn on the same tree for the device names; never
# from the completion's own code or the tools.

# memo FUNCTION ARGS...: FUNCTION's output for ARGS, computed once
memo() {
	memo_f=$TEST_TMP/memo.$(printf '%s_' "$@" | tr -c 'A-Za-z0-9_.-' _)
	[ -f "$memo_f" ] || "$@" >"$memo_f" || return 1
	cat "$memo_f"
}

# pci_addrs ROOT [full]: the PCI addresses under ROOT; domain 0000 left out
# unless full
pci_addrs_() {
	ls "$1/sys/bus/pci/devices" 2>/dev/null |
	if [ "${2:-}" = full ]; then cat; else sed 's/^0000://'; fi
}

# pci_slots ROOT [full]: the slots of the cards of more than one function
pci_slots_() {
	pci_addrs_ "$@" | sed 's/\.[0-7]$//' | sort | uniq -d
}

# pci_ids ROOT: the vendor:device IDs present
pci_ids_() {
	(
		cd "$1/sys/bus/pci/devices" 2>/dev/null || exit 0
		ls | sed 's|$|/vendor|' | xargs -r cat >"$TEST_TMP/ids.v"
		ls | sed 's|$|/device|' | xargs -r cat >"$TEST_TMP/ids.d"
		paste -d: "$TEST_TMP/ids.v" "$TEST_TMP/ids.d" | sed 's/0x//g'
	) | sort -u
}

# pci_all ROOT [full]: what a DEVICE of vfio-bind or passcheck may be
pci_all_() {
	{ pci_addrs_ "$@"; pci_slots_ "$@"; pci_ids_ "$1"; } | sort -u
}

# pci_named ROOT [full]: each address, a tab and its name as lspci -nn on
# the same tree prints it
pci_named_() {
	lspci_root "$1" -nn -D | sed 's/ /	/' |
	if [ "${2:-}" = full ]; then cat; else sed 's/^0000://'; fi | sort
}

pci_addrs() { memo pci_addrs_ "$@"; }
pci_slots() { memo pci_slots_ "$@"; }
pci_ids() { memo pci_ids_ "$@"; }
pci_all() { memo pci_all_ "$@"; }
pci_named() { memo pci_named_ "$@"; }

# ls_names DIR...: the names in each DIR that exists, .conf taken off
ls_names() {
	for d; do
		[ -d "$d" ] && ls "$d"
	done | sed 's/\.conf$//' | sort -u
}

# grub_keys ROOT: the keys of the parameters GRUB's normal entries boot,
# as dash sourcing /etc/default/grub sees them
grub_keys() {
	dash -c '. "$1/etc/default/grub"
		for p in $GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT; do
			echo "${p%%=*}"; done' sh "$1" | sort -u
}

# bls_keys FILE: the keys on the options line of a boot entry
bls_keys() {
	sed -n 's/^options[	 ]*//p' "$1" | tr ' ' '\n' | sed '/^$/d; s/=.*//' | sort -u
}

# got LINE: what the shell offered for LINE (candidate TAB description),
# a directory's trailing slash taken off (fish shows it, zsh adds it later)
got() {
	awk -v q="=== $1" '
		$0 == q { on = 1; seen = 1; next }
		/^=== / { on = 0 }
		on { sub(/\t$/, ""); sub(/\/$/, "", $1); print }
		END { if (!seen) { print "not completed: " q; exit 1 } }
	' FS='\t' OFS='\t' "$COMP_GOT"
}

# check_ KIND WHAT LINE EXPECT: a test that LINE completes to what the shell
# code EXPECT prints; KIND is "exactly" (the candidates, in any order),
# "has" (these candidates among others) or "desc" (these lines, candidate
# TAB description, among the answers)
check_() {
	if [ "$COMP_MODE" = collect ]; then
		printf '%s\n' "$3" >>"$COMP_QUERIES"
		return
	fi
	comp_kind=$1 comp_line=$3 comp_expect=$4
	test_expect_success "$COMP_SHELL: $2" '
		echo "line: $comp_line" &&
		got "$comp_line" >got.all &&
		{ eval "$comp_expect"; } | sort -u >expect &&
		case $comp_kind in
		exactly)
			cut -f1 got.all | sort -u >got &&
			test_cmp expect got ;;
		has)
			cut -f1 got.all | sort -u >got &&
			test -s expect && comm -23 expect got >missing &&
			test_cmp /dev/null missing ;;
		desc)
			sort -u got.all >got &&
			test -s expect && comm -23 expect got >missing &&
			test_cmp /dev/null missing ;;
		esac
	'
}

check() { check_ exactly "$@"; }
check_has() { check_ has "$@"; }
check_desc() { check_ desc "$@"; }

# completion_setup: the scratch trees and the directory the shell runs in
# ($COMP_CWD), full of files and directories whose names a wrong
# completion would offer: a group number, a kernel release, an entry, an
# address
completion_setup() {
	COMP_CWD=$TEST_TMP/cwd
	COMP_HOME=$TEST_TMP/home
	X=$TEST_TMP/x
	R=$FIXTURES/z490-guide
	S=$FIXTURES/server-sriov
	I=$FIXTURES/iommu-off
	B=$FIXTURES/boot
	F=$TEST_TMP/f
	mkdir -p "$COMP_CWD/sub" "$COMP_HOME" \
		"$F/etc/libvirt/qemu" "$F/etc/default" "$F/etc/kernel" \
		"$F/boot/mine" "$F/boot/loader/entries" "$F/etc/my dir" \
		"$X/lib/modules/6.1.0-18-amd64" "$X/usr/lib/modules/6.6.8-arch1-1" \
		"$X/boot/loader/entries" "$X/efi/loader/entries" \
		"$X/boot/efi/loader/entries" || return 1
	: >"$X/boot/loader/entries/arch.conf"
	: >"$X/efi/loader/entries/fedora-6.5.conf"
	: >"$X/boot/efi/loader/entries/Pop_OS-current.conf"
	for f in etc/libvirt/qemu/win10.xml etc/libvirt/qemu/win11.xml \
		etc/libvirt/qemu/notes.txt etc/default/grub etc/kernel/cmdline \
		boot/mine/b.conf boot/mine/c.conf boot/mine/notes \
		boot/loader/entries/a.conf "etc/my dir/a.xml"; do
		: >"$F/$f"
	done
	for f in 1 10 6.1.0-fake arch 07:00.0 1002:73ff a.xml notes.txt; do
		: >"$COMP_CWD/$f"
	done
	ln -s "$R" "$COMP_CWD/guide"
	ln -s "$R" "$COMP_CWD/my guide"
	ln -s "$R" "$COMP_HOME/mnt"
	: >"$COMP_QUERIES"
}

# completion_cases: every tool, every option that takes a value
completion_cases() {
	# Devices, with --root DIR and --root=DIR
	for o in "--root " "--root="; do
		f=$o$R l=${o}z490-guide
		check "vfio-bind $l 07: the functions and the card's slot" \
			"vfio-bind $f 07" "pci_all $R | grep '^07'"
		check "vfio-bind $l 07:00.: the functions" \
			"vfio-bind $f 07:00." "pci_addrs $R | grep '^07:00\.'"
		check "passcheck $l 0000:0: the domain form only" \
			"passcheck $f 0000:0" \
			"{ pci_addrs $R full; pci_slots $R full; } | grep '^0000:0'"
		check "passcheck $l: every address, slot and ID" \
			"passcheck $f " "pci_all $R"
		check "vfio-bind $l 1002:: the IDs" \
			"vfio-bind $f 1002:" "pci_ids $R | grep '^1002:'"
		check "virtxml-hostdev $l 07: DEVICE first, the functions and the card's slot" \
			"virtxml-hostdev $f 07" "pci_all $R | grep '^07'"
		check "virtxml-hostdev $l --rom r.rom 07:00.: DEVICE after an option's value" \
			"virtxml-hostdev $f --rom r.rom 07:00." "pci_addrs $R | grep '^07:00\.'"
		check "iommu-groups $l -s 03: addresses and slots, no ID" \
			"iommu-groups $f -s 03" \
			"{ pci_addrs $R; pci_slots $R; } | grep '^03'"
		check "iommu-groups $l -s07: the value in the option's word" \
			"iommu-groups $f -s07" \
			"{ pci_addrs $R; pci_slots $R; } | grep '^07' | sed 's/^/-s/'"
		check "iommu-groups $l --slot=0000:07: the domain form" \
			"iommu-groups $f --slot=0000:07" \
			"{ pci_addrs $R full; pci_slots $R full; } | grep '^0000:07' | sed 's/^/--slot=/'"
		check "iommu-groups $l -d : the IDs only" \
			"iommu-groups $f -d " "pci_ids $R"
		check "iommu-groups $l -g : the groups" \
			"iommu-groups $f -g " "ls_names $R/sys/kernel/iommu_groups"
		check "iommu-groups $l --group=1: the groups" \
			"iommu-groups $f --group=1" \
			"ls_names $R/sys/kernel/iommu_groups | grep '^1' | sed 's/^/--group=/'"
		check "kcmdline-edit $l -a vfio-pci.ids=...,1002:a: the IDs" \
			"kcmdline-edit $f -a vfio-pci.ids=1002:73ff,1002:a" \
			"pci_ids $R | grep '^1002:a' | sed 's/^/vfio-pci.ids=1002:73ff,/'"
	done
	if [ "$COMP_DESC" = yes ]; then
		check_desc "passcheck: each address with its name as lspci -nn gives it" \
			"passcheck --root $R " "pci_named $R"
		check_desc "passcheck 0000:: the domain form with its name" \
			"passcheck --root=$R 0000:" "pci_named $R full"
		check_desc "vfio-bind 07:00: the card's slot with the name of its first function" \
			"vfio-bind --root $R 07" \
			"pci_named $R | sed -n 's/^07:00\.0	/07:00	every function (2): /p'"
		check_desc "virtxml-hostdev: DEVICE, each address with its name as lspci -nn gives it" \
			"virtxml-hostdev --root $R " "pci_named $R"
		check_desc "virtxml-hostdev --rom r.rom 07: the card's slot with the name of its first function" \
			"virtxml-hostdev --root $R --rom r.rom 07" \
			"pci_named $R | sed -n 's/^07:00\.0	/07:00	every function (2): /p'"
		check_desc "vfio-bind 1002:ab28: an ID of two devices names both" \
			"vfio-bind --root $R 1002:ab" \
			"pci_named $R | sed -n 's/^03:00\.1	\(.*\)/1002:ab28	\1 (03:00.1 07:00.1)/p'"
		check_desc "iommu-groups -g 1: the group with its devices" \
			"iommu-groups --root $R -g 1" \
			"printf '1\t%s\n' \"\$(ls $R/sys/kernel/iommu_groups/1/devices | sed 's/^0000://' | tr '\n' ' ' | sed 's/ \$//')\""
		check_desc "server-sriov: a device of domain 0001 named" \
			"vfio-bind --root $S 0001:00:02." "pci_named $S full | grep '^0001:00:02\.'"
	fi

	# A domain other than 0000 is always shown whole
	check "vfio-bind on server-sriov: 0000 short, 0001 whole" \
		"vfio-bind --root $S " "pci_all $S"
	check "vfio-bind on server-sriov 0001:: domain 0001" \
		"vfio-bind --root=$S 0001:" \
		"{ pci_addrs $S; pci_slots $S; } | grep '^0001:'"

	# No IOMMU groups: addresses and IDs from sysfs, no group
	check "vfio-bind without IOMMU groups: sysfs' addresses and IDs" \
		"vfio-bind --root $I " "pci_all $I"
	check "iommu-groups -g without IOMMU groups: nothing" \
		"iommu-groups --root $I -g " ":"
	check "iommu-groups --group= without IOMMU groups: nothing" \
		"iommu-groups --root=$I --group=" ":"

	# Kernels, boot entries, the parameters on the boot line
	for o in "--root " "--root="; do
		f=$o$X l=${o}DIR
		check "initramfs-vfio $l -k: the kernels of lib/modules and usr/lib/modules" \
			"initramfs-vfio $f -k " \
			"ls_names $X/lib/modules $X/usr/lib/modules"
		check "initramfs-vfio $l --kernel=6.6: the kernels" \
			"initramfs-vfio $f --kernel=6.6" \
			"ls_names $X/lib/modules $X/usr/lib/modules | grep '^6\.6' | sed 's/^/--kernel=/'"
		check "kcmdline-edit $l --entry: the entries of the three places" \
			"kcmdline-edit $f --entry " \
			"ls_names $X/boot/loader/entries $X/efi/loader/entries $X/boot/efi/loader/entries"
	done
	check "initramfs-vfio -k with no kernel: nothing" \
		"initramfs-vfio --root $I -k " ":"
	check "kcmdline-edit --bls=DIR --entry without --root: DIR from the current directory" \
		"kcmdline-edit --bls=../f/boot/mine --entry " \
		"ls $F/boot/mine | sed -n 's/\\.conf\$//p'"
	check "kcmdline-edit --entry with no entry: nothing" \
		"kcmdline-edit --root $I --entry " ":"
	check "kcmdline-edit -d: the keys on the line the BLS entry boots" \
		"kcmdline-edit --root $B/popos -d " \
		"bls_keys $B/popos/boot/efi/loader/entries/Pop_OS-current.conf"
	check "kcmdline-edit --remove=: the keys GRUB boots, as dash reads the file" \
		"kcmdline-edit --root=$B/debian12 --remove=" \
		"grub_keys $B/debian12 | sed 's/^/--remove=/'"
	check "kcmdline-edit -d: BLS entries and GRUB, all the lines they boot" \
		"kcmdline-edit --root=$B/fedora37 -d " \
		"{ grub_keys $B/fedora37; for e in $B/fedora37/boot/loader/entries/*; do bls_keys \$e; done; }"
	check "kcmdline-edit --grub -d: the line of the target named only" \
		"kcmdline-edit --root $B/fedora37 --grub -d " "grub_keys $B/fedora37"
	check "kcmdline-edit -d with no boot configuration: nothing" \
		"kcmdline-edit --root $I -d " ":"

	# Fixed values
	check "kcmdline-edit -a: the parameters passthrough needs" \
		"kcmdline-edit -a " \
		"printf '%s\n' intel_iommu=on amd_iommu=on iommu=pt vfio-pci.ids= video=efifb:off kvm.ignore_msrs=1"
	check "kcmdline-edit --cpu" "kcmdline-edit --iommu --cpu " \
		"printf '%s\n' intel amd"
	check "kcmdline-edit --grub-var=" "kcmdline-edit --grub-var=" \
		"printf '%s\n' --grub-var=linux --grub-var=default"
	check "initramfs-vfio -g" "initramfs-vfio -g " \
		"printf '%s\n' mkinitcpio dracut initramfs-tools booster"
	check "virtxml-hide --vendor-id: nothing" "virtxml-hide --vendor-id " ":"

	# Files and directories only where the tools take them
	check_has "virtxml-hide FILE: the domain XML" "virtxml-hide " "echo a.xml"
	check_has "passcheck --xml FILE: files" "passcheck --xml " "echo a.xml"
	check "virtxml-hide FILE: no file but a domain XML" "virtxml-hide n" ":"
	check "passcheck --xml FILE: no file but a domain XML" "passcheck --xml n" ":"
	check_has "virtxml-hostdev 07:00.0 FILE: the domain XML" "virtxml-hostdev 07:00.0 " "echo a.xml"
	check "virtxml-hostdev 07:00.0 FILE: no file but a domain XML" "virtxml-hostdev 07:00.0 n" ":"
	check_has "virtxml-hostdev --remove FILE: the domain XML, no device" "virtxml-hostdev --remove " \
		"echo a.xml"
	check "virtxml-hostdev --remove 07: no device, and no file but a domain XML" \
		"virtxml-hostdev --remove 07" ":"
	check_has "virtxml-hostdev --rom FILE: files" "virtxml-hostdev --rom " "echo notes.txt"
	check_has "iommu-groups -i FILE: files" "iommu-groups -i " "echo notes.txt"
	check_has "vfio-bind -i FILE: files" "vfio-bind -i " "echo notes.txt"
	check_has "passcheck -i FILE: files" "passcheck -i " "echo notes.txt"
	check_has "kcmdline-edit --grub=FILE: files" "kcmdline-edit --grub=" \
		"echo --grub=notes.txt"
	check_has "kcmdline-edit --kernel-cmdline=FILE: files" \
		"kcmdline-edit --kernel-cmdline=n" "echo --kernel-cmdline=notes.txt"
	check_has "kcmdline-edit --refind=FILE: files" "kcmdline-edit --refind=n" \
		"echo --refind=notes.txt"
	check "kcmdline-edit --bls=DIR: directories only" "kcmdline-edit --bls=s" \
		"echo --bls=sub"
	check "vfio-bind --root DIR: directories only" "vfio-bind --root s" "echo sub"

	# Under --root a FILE or DIR is a path of the system under it, from its
	# top whether it starts with / or not, as the tools take it; -i FILE
	# (the PCI ID database) and --root DIR stay paths of this system
	for o in "--root " "--root="; do
		f=$o$F l=${o}DIR
		check "virtxml-hide $l /etc/libvirt/qemu/: the domain XMLs in the root" \
			"virtxml-hide $f /etc/libvirt/qemu/" \
			"ls $F/etc/libvirt/qemu | grep '\\.xml\$' | sed 's|^|/etc/libvirt/qemu/|'"
		check "virtxml-hide $l FILE: the root's top, not the current directory" \
			"virtxml-hide $f " "ls $F"
		check "virtxml-hostdev $l 07:00.0 /etc/libvirt/qemu/: FILE after DEVICE, the domain XMLs" \
			"virtxml-hostdev $f 07:00.0 /etc/libvirt/qemu/" \
			"ls $F/etc/libvirt/qemu | grep '\\.xml\$' | sed 's|^|/etc/libvirt/qemu/|'"
		check "virtxml-hostdev $l --remove /etc/libvirt/qemu/: FILE alone with --remove" \
			"virtxml-hostdev $f --remove /etc/libvirt/qemu/" \
			"ls $F/etc/libvirt/qemu | grep '\\.xml\$' | sed 's|^|/etc/libvirt/qemu/|'"
		check "kcmdline-edit $l --grub=: the root's top, not the current directory" \
			"kcmdline-edit $f --grub=" "ls $F | sed 's/^/--grub=/'"
		check "virtxml-hide $l /etc/libvirt/qemu/n: no file but a domain XML" \
			"virtxml-hide $f /etc/libvirt/qemu/n" ":"
		check "virtxml-hide $l /etc/li: the root's directory, from its top" \
			"virtxml-hide $f /etc/li" "ls -d $F/etc/li* | sed 's|^$F||'"
		check "virtxml-hide $l -i etc/libvirt/qemu/w: a relative FILE in the root" \
			"virtxml-hide $f -i etc/libvirt/qemu/w" \
			"ls $F/etc/libvirt/qemu | grep '^w.*\\.xml\$' | sed 's|^|etc/libvirt/qemu/|'"
		check "passcheck $l --xml /etc/libvirt/qemu/: the domain XMLs in the root" \
			"passcheck $f --xml /etc/libvirt/qemu/" \
			"ls $F/etc/libvirt/qemu | grep '\\.xml\$' | sed 's|^|/etc/libvirt/qemu/|'"
		check "passcheck $l --xml=/etc/libvirt/qemu/: the domain XMLs in the root" \
			"passcheck $f --xml=/etc/libvirt/qemu/" \
			"ls $F/etc/libvirt/qemu | grep '\\.xml\$' | sed 's|^|--xml=/etc/libvirt/qemu/|'"
		check "kcmdline-edit $l --grub=/etc/default/: the root's file" \
			"kcmdline-edit $f --grub=/etc/default/" \
			"ls $F/etc/default | sed 's|^|--grub=/etc/default/|'"
		check "kcmdline-edit $l --kernel-cmdline=etc/kernel/: the root's file" \
			"kcmdline-edit $f --kernel-cmdline=etc/kernel/" \
			"ls $F/etc/kernel | sed 's|^|--kernel-cmdline=etc/kernel/|'"
		check "kcmdline-edit $l --refind=/etc/k: the root's directory" \
			"kcmdline-edit $f --refind=/etc/k" \
			"ls -d $F/etc/k* | sed 's|^$F|--refind=|'"
		check "kcmdline-edit $l --bls=/boot/m: the root's directory" \
			"kcmdline-edit $f --bls=/boot/m" \
			"ls -d $F/boot/m* | sed 's|^$F|--bls=|'"
		check "kcmdline-edit $l --bls=/etc/default/g: no file for a DIR" \
			"kcmdline-edit $f --bls=/etc/default/g" ":"
		check "kcmdline-edit $l --bls=/boot/mine --entry: the entries of DIR in the root" \
			"kcmdline-edit $f --bls=/boot/mine --entry " \
			"ls $F/boot/mine | sed -n 's/\\.conf\$//p'"
		check "kcmdline-edit $l --bls=boot/mine --entry=: the entries of DIR in the root" \
			"kcmdline-edit $f --bls=boot/mine --entry=" \
			"ls $F/boot/mine | sed -n 's/\\.conf\$//p' | sed 's/^/--entry=/'"
		check "kcmdline-edit $l --entry: without --bls the entries of loader/entries" \
			"kcmdline-edit $f --entry " \
			"ls $F/boot/loader/entries | sed 's/\\.conf\$//'"
		check "virtxml-hide ${o}../f /etc/li: a relative root, from the current directory" \
			"virtxml-hide ${o}../f /etc/li" "ls -d $F/etc/li* | sed 's|^$F||'"
		for t in iommu-groups vfio-bind passcheck; do
			check "$t $l -i n: a file of this system" \
				"$t $f -i n" "echo notes.txt"
		done
	done

	# --root as the shell reads it: quoted, escaped, relative, ~
	check "vfio-bind --root 'my guide' 07: quotes taken off" \
		"vfio-bind --root 'my guide' 07" "pci_all $R | grep '^07'"
	check "vfio-bind --root=my\\\\ guide 07: backslash taken off" \
		"vfio-bind --root=my\\ guide 07" "pci_all $R | grep '^07'"
	check "vfio-bind --root guide 07: relative to the current directory" \
		"vfio-bind --root guide 07" "pci_all $R | grep '^07'"
	check "iommu-groups --root=OTHER --ro=DIR -g: the last root counts, --ro too" \
		"iommu-groups --root=$I --ro=$R -g " "ls_names $R/sys/kernel/iommu_groups"
	check "vfio-bind --root DIR -- --root OTHER 07:00.: none after --" \
		"vfio-bind --root $R -- --root $I 07:00." "pci_addrs $R | grep '^07:00\\.'"
	check "vfio-bind --root ~/mnt 07: the home directory" \
		"vfio-bind --root ~/mnt 07" "pci_all $R | grep '^07'"

	# The running system, without --root
	check "vfio-bind on the running system: its devices" \
		"vfio-bind " "pci_all ''"
	check "passcheck 0000: on the running system: the domain form" \
		"passcheck 0000:" "{ pci_addrs '' full; pci_slots '' full; } | grep '^0000:'"
	check "iommu-groups -s on the running system: addresses and slots" \
		"iommu-groups -s " "{ pci_addrs ''; pci_slots ''; }"
	check "iommu-groups -d on the running system: its IDs" \
		"iommu-groups -d " "pci_ids ''"
	check "kcmdline-edit -a vfio-pci.ids= on the running system: its IDs" \
		"kcmdline-edit -a vfio-pci.ids=" "pci_ids '' | sed 's/^/vfio-pci.ids=/'"
	check "iommu-groups -g on the running system: its groups" \
		"iommu-groups -g " "ls_names /sys/kernel/iommu_groups"
	check "initramfs-vfio -k on the running system: its kernels" \
		"initramfs-vfio -k " "ls_names /lib/modules /usr/lib/modules"
	check "kcmdline-edit --entry on the running system: its entries" \
		"kcmdline-edit --entry " \
		"ls_names /boot/loader/entries /efi/loader/entries /boot/efi/loader/entries"
}
