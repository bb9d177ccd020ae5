#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion as a user meets it: bash-completion loads each tool's
# file by the tool's name when it is first completed, and every value that
# comes from the system comes from under --root DIR (or --root=DIR), as
# the tool would read it.  The answers are what lspci, ls and dash find on
# the same tree.  The running system is read too, without --root, as a
# user's TAB reads it: what it holds there may be nothing, and nothing is
# then the answer, never the files of the current directory.
. "$(dirname "$0")/lib.sh"

# comp LINE: the candidates bash offers on TAB with the cursor at the end
# of LINE, sorted, one a line; what the completion asked of readline
# (compopt) in ./compopt, the tool's complete -p line in ./spec.  The
# words are split as readline splits them (COMP_WORDBREAKS, so that
# 0000:0 is three words), and the tool's file is loaded as bash-completion
# loads it for the first TAB, from BASH_COMPLETION_USER_DIR.  Without
# LINE, comp.bash completes each line of its standard input in a shell of
# its own and prints "=== LINE", then each candidate as the whole word it
# makes once readline has put it in place.
cat >"$TEST_TMP/comp.bash" <<'EOF'
. /usr/share/bash-completion/bash_completion
BASH_COMPLETION_USER_DIR=$1
XDG_DATA_DIRS=$1/none
out=.
compopt() {
	local IFS=' '
	printf '%s\n' "$*" >>"$out/compopt"
}
[[ ${COMP_SHOPT-} ]] && shopt -s $COMP_SHOPT

complete_line()
{
	local line=$1 w= kind= q= c k i cmd spec func
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $q ]]; then
			w+=$c
			[[ $c == "$q" ]] && q=
			continue
		fi
		if [[ $c == ' ' ]]; then
			[[ $w ]] && COMP_WORDS+=("$w")
			w= kind=
			continue
		fi
		[[ $c == [:=] ]] && k=break || k=word
		if [[ $w && $k != "$kind" ]]; then
			COMP_WORDS+=("$w")
			w=
		fi
		kind=$k
		w+=$c
		[[ $c == [\'\"] ]] && q=$c
		if [[ $c == \\ ]]; then
			((i++))
			w+=${line:i:1}
		fi
	done
	COMP_WORDS+=("$w")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	cmd=${COMP_WORDS[0]}
	set -- "$cmd" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	complete -p "$cmd" >/dev/null 2>&1 || _completion_loader "$@"
	complete -p "$cmd" >"$out/spec" || exit 1
	read -r spec <"$out/spec"
	func=${spec#*-F }
	"${func%% *}" "$@"
}

if (($# > 1)); then
	complete_line "$2"
	((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
	[[ ${COMP_SHOPT-} ]] && shopt -p $COMP_SHOPT nullglob >shopt
	exit 0
fi
out=$1
while IFS= read -r line; do
	printf '=== %s\n' "$line"
	(
		complete_line "$line"
		# readline puts the reply after the last colon or = of the word
		word=${line##* }
		before=${word%"${word##*[:=]}"}
		for r in "${COMPREPLY[@]}"; do
			printf '%s%s\n' "$before" "$r"
		done
	)
done
exit 0
EOF
mkdir -p "$TEST_TMP/user"
ln -s "$TOP/completions/bash" "$TEST_TMP/user/completions"

comp() {
	rm -f compopt spec
	bash "$TEST_TMP/comp.bash" "$TEST_TMP/user" "$1" >comp.out &&
	sort comp.out
}

# A directory full of files, which no value but a file may offer.
files_here() {
	touch 0 1 07 1002 6.1 ab28 arch fedora rhgb linux intel a.xml b.conf &&
	mkdir -p dir/sub
}

# nothing LINE: no candidate, and no file offered.
nothing() {
	comp "$1" >got &&
	if test -s got; then echo "offered for '$1':"; cat got; return 1; fi &&
	! grep -s filenames compopt
}

# no_files: the last comp asked readline for no file name handling.
no_files() {
	! grep -s filenames compopt
}

# What lspci finds under ROOT: each function as lspci -s names it (the
# domain only where it is not 0000), each with -D, the slots of cards with
# more than one function, and each function's vendor:device.  lspci runs
# once per tree and form.
lspci_n() {
	ln_out=$TEST_TMP/lspci.${1##*/}${2-}
	[ -s "$ln_out" ] || lspci_root "$1" -n ${2:+"$2"} >"$ln_out" || return 1
	cut -d' ' -f"${3:-1}" "$ln_out" | sort
}
lspci_addrs() {
	lspci_n "$1"
}
lspci_full() {
	lspci_n "$1" -D
}
lspci_slots() {
	lspci_n "$1" ${2-} | sed 's/\.[0-7]$//' | uniq -d
}
lspci_ids() {
	lspci_n "$1" '' 3
}

# from PREFIX: the lines that start with PREFIX, less what readline keeps
# of the word typed (up to its last colon), as a reply holds them.
from() {
	awk -v p="$1" 'index($0, p) == 1 { c = p; sub(/[^:]*$/, "", c); print substr($0, length(c) + 1) }' | sort
}

Z=$FIXTURES/z490-guide
S=$FIXTURES/server-sriov

# Devices under --root, in both forms of the option.
for r in "--root $Z" "--root=$Z"; do
	for t in vfio-bind 'passcheck -q'; do
		test_expect_success "$t $r: functions, cards' slots and every ID" "
			{ lspci_addrs '$Z'; lspci_slots '$Z'; lspci_ids '$Z' | uniq; } | sort >expect &&
			grep -q '^07:00\$' expect && grep -q '^1002:ab28\$' expect &&
			comp '$t $r ' >got && test_cmp expect got && no_files
		"
	done
	test_expect_success "iommu-groups $r -s/--slot: functions and cards' slots" "
		{ lspci_addrs '$Z'; lspci_slots '$Z'; } | sort >expect &&
		comp 'iommu-groups $r -s ' >got && test_cmp expect got && no_files &&
		comp 'iommu-groups $r --slot=' >got && test_cmp expect got &&
		comp 'iommu-groups $r --slot ' >got && test_cmp expect got
	"
	test_expect_success "iommu-groups $r -d/--device: the IDs present" "
		lspci_ids '$Z' | uniq >expect &&
		comp 'iommu-groups $r -d ' >got && test_cmp expect got && no_files &&
		comp 'iommu-groups $r --device=' >got && test_cmp expect got
	"
done

for t in vfio-bind passcheck iommu-groups:-s; do
	opt=
	case $t in *:*) opt="${t#*:} " t=${t%%:*} ;; esac
	test_expect_success "$t ${opt}07: the card's functions and its slot" "
		{ lspci_addrs '$Z'; lspci_slots '$Z'; } | from 07 >expect &&
		test \$(wc -l <expect) = 3 &&
		comp '$t --root $Z ${opt}07' >got && test_cmp expect got
	"
	test_expect_success "$t ${opt}07:00.: the functions, from after the last colon" "
		lspci_addrs '$Z' | from 07:00. >expect &&
		test \$(wc -l <expect) = 2 &&
		comp '$t --root=$Z ${opt}07:00.' >got && test_cmp expect got
	"
	test_expect_success "$t ${opt}0000:0: the domain form, from after the colon (never 0000:0000:0)" "
		{ lspci_full '$Z'; lspci_slots '$Z' -D; } | from 0000:0 >expect &&
		test -s expect && ! grep '^0000' expect &&
		comp '$t --root $Z ${opt}0000:0' >got && test_cmp expect got
	"
	test_expect_success "$t ${opt}0000:07:00.: the functions in the domain form" "
		lspci_full '$Z' | from 0000:07:00. >expect &&
		test \$(wc -l <expect) = 2 &&
		comp '$t --root $Z ${opt}0000:07:00.' >got && test_cmp expect got
	"
	test_expect_success "$t ${opt}: another domain than 0000 is always named" "
		lspci_full '$S' | grep -v '^0000:' >other &&
		grep -q '^0001:' other && grep -q '^10000:' other &&
		{ cat other; sed 's/\.[0-7]\$//' other | uniq -d; } | sort >expect &&
		comp '$t --root $S $opt' | grep -E '^[0-9a-f]{4,}:[0-9a-f]{2}:' >got &&
		test_cmp expect got
	"
done

test_expect_success "passcheck 10: domain 10000 and the IDs from 10" "
	{ lspci_full '$S'; lspci_slots '$S' -D; lspci_ids '$S' | uniq; } | from 10 >expect &&
	grep -q '^10000:' expect && grep -q '^10de:' expect &&
	comp 'passcheck --root $S 10' >got && test_cmp expect got
"

test_expect_success "vfio-bind 1002:: the IDs, also one that two functions have" "
	lspci_ids '$Z' | uniq | from 1002: >expect &&
	lspci_ids '$Z' | uniq -d | grep -q 1002:ab28 &&
	comp 'vfio-bind --root $Z 1002:' >got && test_cmp expect got
"

test_expect_success "iommu-groups -d 1002:: the device IDs after the colon" "
	lspci_ids '$Z' | uniq | from 1002: >expect &&
	comp 'iommu-groups --root $Z -d 1002:' >got && test_cmp expect got
"

# The running system, without --root, from a directory full of files.
test_expect_success "without --root: the running system's functions, never the current directory's files" "
	files_here &&
	ls /sys/bus/pci/devices 2>/dev/null | sed 's/^0000://' | sort >expect &&
	comp 'iommu-groups -s ' >got && test_cmp expect got && no_files &&
	comp 'vfio-bind ' | grep -v '^[0-9a-f]\{4\}:[0-9a-f]\{4\}\$' | grep -v '^[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\$' >got &&
	test_cmp expect got
"

test_expect_success "without --root: the running system's IDs" "
	files_here &&
	for d in /sys/bus/pci/devices/*; do
		test -e \"\$d/vendor\" || continue
		echo \$(sed 's/^0x//' \"\$d/vendor\"):\$(sed 's/^0x//' \"\$d/device\")
	done | sort -u >expect &&
	comp 'iommu-groups -d ' >got && test_cmp expect got && no_files
"

# IOMMU groups, kernels, boot entries: what ls finds under the root.
B=$FIXTURES/boot
Q=$FIXTURES/qemu-q35
for r in "--root $Z" "--root=$Z"; do
	test_expect_success "iommu-groups $r -g/--group: the groups" "
		ls '$Z/sys/kernel/iommu_groups' | sort >expect && test -s expect &&
		comp 'iommu-groups $r -g ' >got && test_cmp expect got && no_files &&
		comp 'iommu-groups $r --group=' >got && test_cmp expect got &&
		ls '$Z/sys/kernel/iommu_groups' | from 1 >expect &&
		comp 'iommu-groups $r -v -g 1' >got && test_cmp expect got
	"
done
test_expect_success "iommu-groups -g without groups: nothing, in a directory of files" "
	files_here &&
	nothing 'iommu-groups --root $FIXTURES/iommu-off -g ' &&
	nothing 'iommu-groups --root=$FIXTURES/iommu-off --group=1' &&
	ls /sys/kernel/iommu_groups 2>/dev/null | sort >expect &&
	comp 'iommu-groups -g ' >got && test_cmp expect got && no_files
"

for r in "--root $Q" "--root=$Q"; do
	test_expect_success "initramfs-vfio $r -k/--kernel: the kernels of /lib/modules" "
		ls '$Q/lib/modules' >expect && test -s expect &&
		comp 'initramfs-vfio $r -k ' >got && test_cmp expect got && no_files &&
		comp 'initramfs-vfio $r --kernel=6' >got && test_cmp expect got
	"
done
test_expect_success "initramfs-vfio -k: /usr/lib/modules too, each kernel once through a /lib link" "
	mkdir -p r/usr/lib/modules/6.6.8-arch1-1 r/usr/lib/modules/6.1.0-56-amd64 &&
	ln -s usr/lib r/lib && : >r/usr/lib/modules/not-a-kernel &&
	printf '%s\n' 6.1.0-56-amd64 6.6.8-arch1-1 >expect &&
	comp 'initramfs-vfio --root r -k ' >got && test_cmp expect got &&
	rm r/lib && mkdir -p r/lib/modules/5.10.0-28-amd64 &&
	printf '%s\n' 5.10.0-28-amd64 6.1.0-56-amd64 6.6.8-arch1-1 >expect &&
	comp 'initramfs-vfio --root=r -k ' >got && test_cmp expect got
"
test_expect_success "initramfs-vfio -k without kernels: nothing, in a directory of files" "
	files_here &&
	nothing 'initramfs-vfio --root $Z -k ' &&
	nothing 'initramfs-vfio --root=$Z --kernel=6' &&
	ls /lib/modules /usr/lib/modules 2>/dev/null | grep -v '^/' | grep . | sort -u >expect &&
	comp 'initramfs-vfio -k ' >got && test_cmp expect got && no_files
"
test_expect_success "initramfs-vfio -g/--generator: the four generators" "
	files_here &&
	printf '%s\n' booster dracut initramfs-tools mkinitcpio >expect &&
	comp 'initramfs-vfio -g ' >got && test_cmp expect got && no_files &&
	comp 'initramfs-vfio --root $Z --generator=' >got && test_cmp expect got &&
	echo mkinitcpio >expect &&
	comp 'initramfs-vfio -g dracut -g m' >got && test_cmp expect got
"

for b in fedora37 arch-sdboot popos; do
	for r in "--root $B/$b" "--root=$B/$b"; do
		test_expect_success "kcmdline-edit $r --entry: its BLS entries" "
			ls '$B/$b'/boot/loader/entries/*.conf '$B/$b'/efi/loader/entries/*.conf \
				'$B/$b'/boot/efi/loader/entries/*.conf 2>/dev/null |
				sed 's|.*/||; s|\\.conf\$||' | sort >expect && test -s expect &&
			comp 'kcmdline-edit $r --entry ' >got && test_cmp expect got && no_files &&
			comp 'kcmdline-edit $r -n -a iommu=pt --entry=' >got && test_cmp expect got
		"
	done
done
test_expect_success "kcmdline-edit --entry after --bls=DIR: the entries of DIR in the root" "
	mkdir -p r/boot/loader/entries r/boot/mine && : >r/boot/loader/entries/a.conf &&
	: >r/boot/mine/b.conf && : >r/boot/mine/c.conf && : >r/boot/mine/notes &&
	printf '%s\n' b c >expect &&
	comp 'kcmdline-edit --root r --bls=/boot/mine --entry ' >got && test_cmp expect got &&
	comp 'kcmdline-edit --root=r --bls=boot/mine --entry=' >got && test_cmp expect got &&
	echo a >expect &&
	comp 'kcmdline-edit --root r --entry ' >got && test_cmp expect got
"
test_expect_success "kcmdline-edit --entry without BLS entries: nothing, in a directory of files" "
	files_here &&
	nothing 'kcmdline-edit --root $B/arch-grub --entry ' &&
	nothing 'kcmdline-edit --root=$B/arch-grub --entry=a' &&
	ls /boot/loader/entries /efi/loader/entries /boot/efi/loader/entries 2>/dev/null |
		grep '\\.conf\$' | sed 's/\\.conf\$//' | sort -u >expect &&
	comp 'kcmdline-edit --entry ' >got && test_cmp expect got && no_files
"

# dash_keys GRUB: the keys of the parameters /etc/default/grub gives the
# normal entries, as grub-mkconfig's shell reads the file.
dash_keys() {
	dash -c '. "$1" && printf "%s\n" $GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT' - "$1" |
		sed 's/=.*//' | sort -u
}
for r in "--root $B/arch-grub" "--root=$B/arch-grub"; do
	test_expect_success "kcmdline-edit $r -d/--remove: the keys on the line GRUB boots" "
		dash_keys '$B/arch-grub/etc/default/grub' >expect && test -s expect &&
		comp 'kcmdline-edit $r -d ' >got && test_cmp expect got && no_files &&
		comp 'kcmdline-edit $r --remove=' >got && test_cmp expect got
	"
done
test_expect_success "kcmdline-edit -d: the keys of the targets named before it" "
	dash_keys '$B/fedora37/etc/default/grub' >expect && test -s expect &&
	comp 'kcmdline-edit --root $B/fedora37 --grub -d ' >got && test_cmp expect got &&
	sed -n 's/^options //p' '$B/fedora37/boot/loader/entries/'*6.0.7*.conf | tr ' ' '\n' |
		sed 's/=.*//' | sort -u >expect && grep -q rootflags expect &&
	comp 'kcmdline-edit --root $B/fedora37 --entry 6b2ace2249194d7abf60d6f185ced47c-6.0.7-301.fc37.x86_64 -d ' >got &&
	test_cmp expect got
"
test_expect_success "kcmdline-edit -d without a boot configuration: nothing, in a directory of files" "
	files_here &&
	nothing 'kcmdline-edit --root $Z -d ' &&
	nothing 'kcmdline-edit --root=$Z --remove=r'
"
# The running system's: the parameters of the lines --list says each file
# boots (its stable text form), or nothing where it finds no configuration.
test_expect_success "kcmdline-edit -d without --root: the keys of the running system's boot lines" "
	files_here &&
	{ kcmdline-edit --list 2>/dev/null || :; } |
		sed -n 's/.*: \\(boots\\|normal entries boot\\): //p' |
		sed 's/\\(^\\| \\)--\\( .*\\|\$\\)//' | tr ' ' '\\n' | sed 's/=.*//' | grep . | sort -u >expect &&
	comp 'kcmdline-edit -d ' >got && test_cmp expect got && no_files
"
test_expect_success "kcmdline-edit -a/--add: the parameters the suite knows, the value after =" "
	files_here &&
	comp 'kcmdline-edit -a ' >got && no_files &&
	for p in intel_iommu=on amd_iommu=on iommu=pt vfio-pci.ids= kvm.ignore_msrs=1; do
		grep -qx \"\$p\" got || { echo \"no \$p\"; cat got; return 1; }
	done &&
	comp 'kcmdline-edit --add=' >got2 && test_cmp got got2 &&
	echo pt >expect && comp 'kcmdline-edit -a iommu=' >got && test_cmp expect got &&
	echo off >expect && comp 'kcmdline-edit -a video=efifb:o' >got && test_cmp expect got &&
	echo vfio-pci.ids= >expect && comp 'kcmdline-edit -a vfio' >got && test_cmp expect got &&
	grep -qx -- '-o nospace' compopt &&
	lspci_ids '$Z' | uniq >expect &&
	comp 'kcmdline-edit --root $Z -a vfio-pci.ids=' >got && test_cmp expect got &&
	lspci_ids '$Z' | uniq | sed -n 's/^1002://p' >expect &&
	comp 'kcmdline-edit --root=$Z --add=vfio-pci.ids=1002:73ff,1002:' >got && test_cmp expect got &&
	nothing 'kcmdline-edit -a foo'
"
test_expect_success "kcmdline-edit --cpu and --grub-var: their words" "
	files_here &&
	printf '%s\n' amd intel >expect &&
	comp 'kcmdline-edit --iommu --cpu ' >got && test_cmp expect got && no_files &&
	comp 'kcmdline-edit --iommu --cpu=' >got && test_cmp expect got &&
	printf '%s\n' default linux >expect &&
	comp 'kcmdline-edit --grub-var ' >got && test_cmp expect got &&
	comp 'kcmdline-edit --grub-var=' >got && test_cmp expect got
"
test_expect_success "virtxml-hide --vendor-id: nothing, in a directory of files" "
	files_here &&
	nothing 'virtxml-hide --vendor-id ' &&
	nothing 'virtxml-hide --vendor-id=' &&
	nothing 'virtxml-hide --json=' &&
	nothing 'vfio-bind --list=' &&
	nothing 'kcmdline-edit --iommu=a'
"

# Files and directories: only where a tool takes one.  Under --root a
# FILE is a path of the system under DIR, from its top (root_file_arg);
# -i FILE and --root DIR are paths of the running system.
root_tree() {
	mkdir -p r/etc/libvirt/qemu r/etc/default r/boot/mine r/etc/kernel 'r/etc/my dir' &&
	: >r/etc/libvirt/qemu/win10.xml && : >r/etc/libvirt/qemu/win11.xml &&
	: >r/etc/libvirt/qemu/notes.txt && : >r/etc/default/grub && : >r/etc/kernel/cmdline &&
	: >'r/etc/my dir/a.xml'
}
for r in "--root r" "--root=r"; do
	test_expect_success "virtxml-hide $r FILE: the domains and directories in the root, from its top" "
		root_tree && files_here && mkdir etc &&
		printf '%s\n' /etc/libvirt/qemu/win10.xml /etc/libvirt/qemu/win11.xml >expect &&
		comp 'virtxml-hide $r /etc/libvirt/qemu/' >got && test_cmp expect got &&
		grep -qx -- '-o filenames' compopt &&
		printf '%s\n' etc/libvirt/qemu/win10.xml etc/libvirt/qemu/win11.xml >expect &&
		comp 'virtxml-hide $r -i etc/libvirt/qemu/w' >got && test_cmp expect got &&
		echo /etc/libvirt/ >expect &&
		comp 'virtxml-hide $r /etc/li' >got && test_cmp expect got &&
		grep -qx -- '-o nospace' compopt &&
		echo '/etc/my dir/a.xml' >expect &&
		comp 'virtxml-hide $r /etc/my\\ dir/' >got && test_cmp expect got
	"
	test_expect_success "passcheck $r --xml FILE: in the root" "
		root_tree && files_here &&
		printf '%s\n' /etc/libvirt/qemu/win10.xml /etc/libvirt/qemu/win11.xml >expect &&
		comp 'passcheck $r --xml /etc/libvirt/qemu/' >got && test_cmp expect got &&
		comp 'passcheck $r --xml=/etc/libvirt/qemu/' >got && test_cmp expect got &&
		grep -qx -- '-o filenames' compopt
	"
	test_expect_success "kcmdline-edit $r --grub=FILE, --kernel-cmdline=FILE, --refind=FILE, --bls=DIR: in the root" "
		root_tree && files_here &&
		echo /etc/default/grub >expect &&
		comp 'kcmdline-edit $r --grub=/etc/default/' >got && test_cmp expect got &&
		grep -qx -- '-o filenames' compopt &&
		echo etc/kernel/cmdline >expect &&
		comp 'kcmdline-edit $r --kernel-cmdline=etc/kernel/' >got && test_cmp expect got &&
		comp 'kcmdline-edit $r --refind=/etc/k' >got && echo /etc/kernel/ >expect && test_cmp expect got &&
		echo /boot/mine/ >expect &&
		comp 'kcmdline-edit $r --bls=/boot/m' >got && test_cmp expect got &&
		comp 'kcmdline-edit $r --bls=/etc/default/g' >got && ! test -s got
	"
done
test_expect_success "without --root: FILE and DIR from the current directory" "
	root_tree && files_here &&
	printf '%s\n' a.xml dir r >expect &&
	comp 'virtxml-hide ' >got && test_cmp expect got &&
	grep -qx -- '-o filenames' compopt &&
	comp 'passcheck --xml ' >got && test_cmp expect got &&
	echo b.conf >expect &&
	comp 'kcmdline-edit --grub=b' >got && test_cmp expect got &&
	printf '%s\n' dir r >expect &&
	comp 'kcmdline-edit --bls=' >got && test_cmp expect got
"
test_expect_success "kcmdline-edit --grub FILE: --grub takes a file only after =" "
	files_here &&
	comp 'kcmdline-edit --grub ' >got &&
	! grep -v '^-' got && grep -qx -- --list got && no_files &&
	comp 'kcmdline-edit --bls a' >got && ! test -s got
"
for t in iommu-groups vfio-bind passcheck; do
	test_expect_success "$t -i FILE: a file of the running system, also under --root" "
		root_tree && files_here &&
		ls -d a* >expect &&
		comp '$t --root r -i a' >got && test_cmp expect got &&
		grep -qx -- '-o filenames' compopt
	"
done
for t in iommu-groups vfio-bind kcmdline-edit initramfs-vfio virtxml-hide virtxml-hostdev passcheck; do
	test_expect_success "$t --root DIR and --root=DIR: directories of the running system" "
		root_tree && files_here &&
		printf '%s\n' dir r >expect &&
		comp '$t --root ' >got && test_cmp expect got &&
		comp '$t --root=' >got && test_cmp expect got &&
		grep -qx -- '-o filenames' compopt &&
		echo dir/sub >expect &&
		comp '$t --root r --root=dir/s' >got && test_cmp expect got
	"
done

# Options: every one --help lists, short ones too, and nothing but them
# after a dash; and no fallback to files where a completion offers none.
for t in iommu-groups vfio-bind kcmdline-edit initramfs-vfio virtxml-hide virtxml-hostdev passcheck; do
	test_expect_success "$t -: every option of --help, no file" "
		files_here && : >-x &&
		$t --help | sed -n 's/^  *\\(-[^ ,]*\\(, -[^ ,]*\\)*\\).*/\\1/p' | tr ',' '\\n' |
			sed 's/^ *//; s/[=[].*//' | sort -u >expect && grep -qx -- --root expect &&
		comp '$t -' >got && no_files &&
		sort -u got >got.u &&
		comm -23 expect got.u >missing && test_cmp /dev/null missing &&
		! grep -v '^-' got
	"
	test_expect_success "$t: bash-completion falls back to nothing (no -o default)" "
		comp '$t --vers' >/dev/null &&
		grep -q -- \"-F [^ ]* $t\\\$\" spec && ! grep -e '-o default' -e '-o bashdefault' spec
	"
done

# --root as the shell passes it: quoted, with ~, $VAR, relative.
test_expect_success "--root quoted, with ~ and \$HOME, relative: the tree the tool reads" "
	mkdir -p 'my root' && cp -R '$Q/sys' '$Q/lib' 'my root/' &&
	ls 'my root/sys/kernel/iommu_groups' | sort >groups && test -s groups &&
	comp \"iommu-groups --root 'my root' -g \" >got && test_cmp groups got &&
	comp 'iommu-groups --root \"my root\" -g ' >got && test_cmp groups got &&
	comp 'iommu-groups --root=my\\ root -g ' >got && test_cmp groups got &&
	HOME=\$PWD && export HOME &&
	comp 'iommu-groups --root ~/my\\ root -g ' >got && test_cmp groups got &&
	comp 'iommu-groups --root=\"\$HOME/my root\" -g ' >got && test_cmp groups got &&
	ls 'my root/lib/modules' >expect &&
	(cd 'my root/lib' && comp 'initramfs-vfio --root ../ -k ') >got && test_cmp expect got &&
	comp 'iommu-groups --root \$(touch\\ ran)/my\\ root -g ' >got &&
	! test -e ran && ! test -s got
"
test_expect_success "the last --root counts, and none after --" "
	ls '$Z/sys/kernel/iommu_groups' | sort >expect &&
	comp 'iommu-groups --root $FIXTURES/iommu-off --root=$Z -g ' >got && test_cmp expect got &&
	comp 'iommu-groups --ro $Z -g ' >got && test_cmp expect got &&
	comp 'vfio-bind --root $Z -- --root $FIXTURES/iommu-off 07:00.' >got &&
	printf '%s\n' 00.0 00.1 >expect && test_cmp expect got
"

# An interactive bash under script(1): what readline makes of the line
# after TAB, with bash-completion loading the tools' files by name.  Each
# tool is a function that prints the words it gets.
interactive() {
	cat >rc <<EOS
PS1='$ '
. /usr/share/bash-completion/bash_completion
BASH_COMPLETION_USER_DIR='$TEST_TMP/user'
XDG_DATA_DIRS='$TEST_TMP/user/none'
for t in iommu-groups vfio-bind kcmdline-edit initramfs-vfio virtxml-hide virtxml-hostdev passcheck; do
	eval "\$t() { printf 'LINE<%s>\\\\n' \"\\\$*\"; }"
done
EOS
	{ cat; echo exit; } | INPUTRC=/dev/null TERM=dumb script -qec "bash --rcfile rc -i" /dev/null >typescript 2>&1
	tr -d '\r' <typescript | sed -n 's/^LINE<\(.*\)>$/\1/p'
}
test_expect_success "interactive bash: what TAB leaves on the line" "
	files_here && : >zzfile &&
	mkdir -p r/etc/libvirt/qemu g/sys/kernel/iommu_groups/5 g/sys/kernel/iommu_groups/17 &&
	: >r/etc/libvirt/qemu/win10.xml && HOME=\$PWD && export HOME &&
	printf '%s\\t\\n' \
		'passcheck --root $Z 0000:0' \
		'vfio-bind --root=$Z 0000:08' \
		'iommu-groups --root $Z -s 07' \
		'iommu-groups --root $Z -s 07:00.1' \
		'kcmdline-edit -a vfio' \
		'initramfs-vfio --root=$Q -k ' \
		'iommu-groups --root ~/g -g 1' |
		sed 's/vfio\\t\$/vfio\\t1002:73ff/' >keys &&
	printf 'virtxml-hide --root r /etc/li\\tqemu/w\\t\\n' >>keys &&
	printf 'iommu-groups --root $FIXTURES/iommu-off -g \\t\\t\\n' >>keys &&
	printf 'initramfs-vfio --root $Z -k \\t\\t\\n' >>keys &&
	printf 'kcmdline-edit --root $B/arch-grub --entry \\t\\t\\n' >>keys &&
	printf 'iommu-groups --root=g/sy\\tkernel/iommu_groups/1\\t\\n' >>keys &&
	printf 'kcmdline-edit -a iommu=p\\t\\n' >>keys &&
	interactive <keys >got &&
	cat >expect <<EOS &&
--root $Z 0000:0
--root=$Z 0000:08:00.0
--root $Z -s 07:00
--root $Z -s 07:00.1
-a vfio-pci.ids=1002:73ff
--root=$Q -k $(ls "$Q/lib/modules")
--root @HOME@/g -g 17
--root r /etc/libvirt/qemu/win10.xml
--root $FIXTURES/iommu-off -g
--root $Z -k
--root $B/arch-grub --entry
--root=g/sys/kernel/iommu_groups/17/
-a iommu=pt
EOS
	sed \"s|@HOME@|\$PWD|\" expect >expect.pwd &&
	test_cmp expect.pwd got &&
	! grep -a zzfile typescript
"

test_expect_success "a shell with failglob: the same answers, its options as they were" "
	files_here &&
	COMP_SHOPT=failglob && export COMP_SHOPT &&
	nothing 'iommu-groups --root $FIXTURES/iommu-off -g ' &&
	printf '%s\n' 'shopt -s failglob' 'shopt -u nullglob' >expect && test_cmp expect shopt &&
	ls '$Z/sys/kernel/iommu_groups' | sort >expect &&
	comp 'iommu-groups --root $Z -g ' >got && test_cmp expect got
"

# Installed: bash-completion finds each tool's file under XDG_DATA_DIRS
# by the tool's name on its first TAB, and the file finds what it shares
# with the others beside it.
test_expect_success "make install: each tool's completion loaded lazily from the installed tree" "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr >log 2>&1 || { cat log; exit 1; }
	cat >lazy.bash <<'EOS' &&
. /usr/share/bash-completion/bash_completion
XDG_DATA_DIRS=\$PWD/dest/usr/share
BASH_COMPLETION_USER_DIR=\$PWD/none
for t in iommu-groups vfio-bind kcmdline-edit initramfs-vfio virtxml-hide virtxml-hostdev passcheck; do
	if complete -p \$t 2>/dev/null; then echo \"\$t: loaded before its first TAB\"; exit 1; fi
	COMP_WORDS=(\$t --root \$1 07:00.)
	COMP_CWORD=3 COMP_LINE=\"\${COMP_WORDS[*]}\" COMP_POINT=\${#COMP_LINE}
	_completion_loader \$t 07:00. \$1
	[[ \$? == 124 ]] || { echo \"\$t: not loaded\"; exit 1; }
	spec=\$(complete -p \$t) && func=\${spec#*-F } && func=\${func%% *} &&
	[[ \$func != _minimal ]] || { echo \"\$t: \$spec\"; exit 1; }
	echo \"\$t \$func\"
done
COMP_WORDS=(vfio-bind --root \$1 07:00.)
COMP_CWORD=3 COMP_LINE=\"\${COMP_WORDS[*]}\" COMP_POINT=\${#COMP_LINE}
_vfio_bind vfio-bind 07:00. \$1
printf 'vfio-bind 07:00.: %s\n' \"\${COMPREPLY[@]}\"
EOS
	ls dest/usr/share/bash-completion/completions >installed &&
	printf '%s\\n' initramfs-vfio iommu-groups kcmdline-edit passcheck vfio-bind vfio-utils virtxml-hide virtxml-hostdev >expect &&
	test_cmp expect installed &&
	bash lazy.bash '$Z' >got &&
	for t in iommu-groups vfio-bind kcmdline-edit initramfs-vfio virtxml-hide virtxml-hostdev passcheck; do
		printf '%s _%s\\n' \$t \$(echo \$t | tr - _)
	done >expect &&
	lspci_addrs '$Z' | from 07:00. | sed 's/^/vfio-bind 07:00.: /' >>expect &&
	test_cmp expect got
"

# The cases zsh's and fish's tests run too (completion-cases.sh), every
# line completed in one bash, each in a shell of its own.
. "$TOP/tests/completion-cases.sh"
COMP_SHELL=bash
COMP_DESC=no
COMP_QUERIES=$TEST_TMP/lines
COMP_GOT=$TEST_TMP/got.cases
completion_setup || exit 1
COMP_MODE=collect
completion_cases
(cd "$COMP_CWD" && HOME=$COMP_HOME bash "$TEST_TMP/comp.bash" "$TEST_TMP/user" <"$COMP_QUERIES") \
	>"$COMP_GOT" 2>"$TEST_TMP/complete.err"
test_expect_success "bash: no error from the completions" '
	test_cmp /dev/null "$TEST_TMP/complete.err"
'
COMP_MODE=run
completion_cases

test_done
