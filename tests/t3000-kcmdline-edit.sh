#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kcmdline-edit on real boot configuration files: /etc/default/grub judged
# by dash sourcing it, BLS entries by systemd's bootctl, refind_linux.conf
# and /etc/kernel/cmdline byte for byte; refusals, safety and idempotence.
. "$(dirname "$0")/lib.sh"

BOOT=$FIXTURES/boot
[ -d "$BOOT" ] || { echo "Bail out! fixtures $BOOT missing"; exit 1; }

INTEL_ADD='intel_iommu=on iommu=pt'
# Parameters none of the files has, for the corpus runs.
NEW='vfio-pci.ids=1002:73ff,1002:ab28 video=efifb:off'

# cpu VENDOR: a /proc/cpuinfo for the root in ./root.
cpu() {
	mkdir -p root/proc &&
	printf 'processor\t: 0\nvendor_id\t: %s\nflags\t\t: fpu vme\n\n' "$1" >root/proc/cpuinfo
}

# tree NAME: a copy of fixture NAME in ./root, with an Intel CPU.
tree() {
	cp -R "$BOOT/$1" root && cpu GenuineIntel
}

# grubfile FILE: FILE as the root's /etc/default/grub.
grubfile() {
	mkdir -p root/etc/default && cp "$1" root/etc/default/grub && cpu GenuineIntel
}

# sourced FILE VAR: VAR's value once dash has sourced FILE.
sourced() {
	dash -c '. "$1" >/dev/null 2>&1; eval "printf %s \"\${$2}\""' sh "$1" "$2"
}

# others FILE VAR: every variable but VAR after dash sources FILE.
others() {
	dash -c '. "$1" >/dev/null 2>&1; unset "$2"; set' sh "$1" "$2" | grep -v '^PWD=\|^OLDPWD=\|^_='
}

# appended OLD ADD: OLD with ADD after its last parameter, as kcmdline-edit
# promises (white space at the end stays at the end).
appended() {
	python3 -c '
import re, sys
old, add = sys.argv[1], sys.argv[2]
m = re.match(r"(.*?)(\s*)$", old, re.S)
sys.stdout.write(m.group(1) + (" " if m.group(1) else "") + add + m.group(2))' "$1" "$2"
}

# GRUB files from distributions, as installed, and edited by hand.
GRUB_FILES="$BOOT/debian12/etc/default/grub $BOOT/ubuntu2404/etc/default/grub
	$BOOT/arch-grub/etc/default/grub $BOOT/centos9/etc/default/grub
	$BOOT/fedora37/etc/default/grub $BOOT/handmade/twice.grub
	$BOOT/handmade/unquoted.grub $BOOT/handmade/multiline.grub $BOOT/handmade/missing.grub"

for f in $GRUB_FILES; do
	name=$(echo "$f" | sed "s|$BOOT/||")
	for var in GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT; do
		test_expect_success "$name $var: new parameters as dash reads them, nothing else changed" "
			grubfile '$f' && g=root/etc/default/grub &&
			sourced \$g $var >before && others \$g $var >others.before &&
			run kcmdline-edit --root root --grub --grub-var=$var -a vfio-pci.ids=1002:73ff,1002:ab28 \
				-a video=efifb:off && expect_rc 0 &&
			grep_q \"^updated 'root/etc/default/grub'\" out &&
			sourced \$g $var >after && others \$g $var >others.after &&
			appended \"\$(cat before)\" '$NEW' >expect &&
			test_cmp expect after && test_cmp others.before others.after &&
			dash -n \$g
		"
		test_expect_success "$name $var: add then remove gives back the value; a second run changes no byte" "
			grubfile '$f' && g=root/etc/default/grub && sourced \$g $var >orig &&
			kcmdline-edit --root root --grub-var=$var -a video=efifb:off -a kvm.ignore_msrs=1 >/dev/null &&
			cp \$g once &&
			run kcmdline-edit --root root --grub-var=$var -a video=efifb:off -a kvm.ignore_msrs=1 &&
			expect_rc 0 && cmp once \$g && grep_q 'already says this; nothing changed' out &&
			kcmdline-edit --root root --grub-var=$var -d video -d kvm.ignore-msrs >/dev/null &&
			sourced \$g $var >back && test_cmp orig back
		"
	done
done

for d in debian12 ubuntu2404 arch-grub centos9 fedora37; do
	test_expect_success "$d: add then remove gives back the file byte for byte" "
		tree $d && cp root/etc/default/grub orig &&
		kcmdline-edit --root root --grub -a vfio-pci.ids=1002:73ff,1002:ab28 --iommu >/dev/null &&
		! cmp -s orig root/etc/default/grub &&
		kcmdline-edit --root root --grub -d vfio_pci.ids -d intel_iommu=on -d iommu=pt >/dev/null &&
		cmp orig root/etc/default/grub
	"
done

test_expect_success 'Debian 12: the change is where the guide puts it, and the next command' "
	tree debian12 && mkdir -p root/usr/sbin && : >root/usr/sbin/update-grub &&
	run kcmdline-edit --root root --iommu && expect_rc 0 &&
	grep_q '^GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\$' root/etc/default/grub &&
	grep_q '^GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\$' root/etc/default/grub &&
	grep_q '^  chroot root update-grub\$' out && grep_q '^then reboot' out
"

test_expect_success 'a second run: grub.cfg older than the file that already says it, the command again' "
	tree debian12 && mkdir -p root/boot/grub && touch -d 2020-01-01 root/boot/grub/grub.cfg &&
	kcmdline-edit --root root --iommu >/dev/null && cp root/etc/default/grub once &&
	run kcmdline-edit --root root --iommu && expect_rc 0 && cmp once root/etc/default/grub &&
	grep_q \"^'root/etc/default/grub' already says this; nothing changed\\$\" out &&
	grep_q \"^'root/boot/grub/grub.cfg' is older than 'root/etc/default/grub': making it anew is still due.\\$\" out &&
	grep_q '^  chroot root grub-mkconfig -o /boot/grub/grub.cfg\$' out &&
	touch root/boot/grub/grub.cfg && run kcmdline-edit --root root --iommu && expect_rc 0 &&
	test \"\$(cat out)\" = \"'root/etc/default/grub' already says this; nothing changed\" &&
	mkdir -p root/etc/default/grub.d && echo 'GRUB_TIMEOUT=1' >root/etc/default/grub.d/50-timeout.cfg &&
	touch -d 2030-01-01 root/etc/default/grub.d/50-timeout.cfg &&
	run kcmdline-edit --root root --iommu && expect_rc 0 &&
	grep_q \"is older than 'root/etc/default/grub.d/50-timeout.cfg'\" out
"

test_expect_success '--regen: the command runs with the caller'\''s environment, PATH included' "
	mkdir -p stub && for c in update-grub grub-mkconfig grub2-mkconfig; do
		printf '#!/bin/sh\\nenv >\"%s/env\"\\necho \"\${0##*/} \$*\" >\"%s/argv\"\\n' \"\$PWD\" \"\$PWD\" >stub/\$c &&
		chmod +x stub/\$c || return 1
	done &&
	echo 'GRUB_CMDLINE_LINUX=\"quiet\"' >grub &&
	run env PATH=\"\$PWD/stub:\$PATH\" MARKER='kept as it was' kcmdline-edit --grub=\"\$PWD/grub\" --regen -a iommu=pt &&
	expect_rc 0 && test \"\$(sourced ./grub GRUB_CMDLINE_LINUX)\" = 'quiet iommu=pt' &&
	grep_q '^MARKER=kept as it was\$' env && grep_q \"^PATH=\$PWD/stub:\" env &&
	sed -n 's/^Running: //p' out >ran && test_cmp argv ran && grep_q '^Next: reboot' out
"

test_expect_success 'the command printed reads back in a shell as the words run, the root quoted' "
	tree debian12 && mv root 'my root' &&
	run kcmdline-edit --root 'my root' -a iommu=pt && expect_rc 0 &&
	sed -n 's/^  //p' out >line && test \$(wc -l <line) -eq 1 &&
	sh -c 'eval \"set -- \$(cat line)\"; printf \"%s\\n\" \"\$@\"' >words &&
	printf '%s\\n' chroot 'my root' grub-mkconfig -o /boot/grub/grub.cfg >expect && test_cmp expect words
"

test_expect_success 'Fedora: grub2-mkconfig, and both the default file and the BLS entries' "
	tree fedora37 && mkdir -p root/usr/sbin root/boot/grub2 && : >root/usr/sbin/grub2-mkconfig &&
	run kcmdline-edit --root root --iommu && expect_rc 0 &&
	test \$(grep -c '^updated' out) -eq 3 &&
	grep_q 'chroot root grub2-mkconfig -o /boot/grub2/grub.cfg' out &&
	grep_q '^GRUB_CMDLINE_LINUX=\"rhgb quiet intel_iommu=on iommu=pt\"\$' root/etc/default/grub &&
	grep -h '^options' root/boot/loader/entries/*.conf | sort -u >opts &&
	echo 'options root=UUID=b6b8fa59-92cc-4d03-8d8f-d66dab76d433 ro rootflags=subvol=root rhgb quiet intel_iommu=on iommu=pt' >expect &&
	test_cmp expect opts
"

test_expect_success 'hand-edited: assigned twice, the last changed in place, its comment kept' "
	grubfile '$BOOT/handmade/twice.grub' &&
	kcmdline-edit --root root --iommu >/dev/null &&
	grep_q '^GRUB_CMDLINE_LINUX=\"\$GRUB_CMDLINE_LINUX intel_iommu=on iommu=pt\" # for the old card\$' root/etc/default/grub &&
	grep_q \"^GRUB_CMDLINE_LINUX='root=/dev/sda2 ro'   # the installer's line\\\$\" root/etc/default/grub
"

test_expect_success 'hand-edited: a parameter from the earlier assignment is removed there' "
	grubfile '$BOOT/handmade/twice.grub' && g=root/etc/default/grub &&
	kcmdline-edit --root root -d ro >/dev/null &&
	test \"\$(sourced \$g GRUB_CMDLINE_LINUX)\" = 'root=/dev/sda2 intel_iommu=off' &&
	grep_q \"^GRUB_CMDLINE_LINUX='root=/dev/sda2'\" \$g
"

test_expect_success 'hand-edited: a replacement right after what is removed from the earlier assignment' "
	grubfile '$BOOT/handmade/twice.grub' && g=root/etc/default/grub &&
	kcmdline-edit --root root -d root -d ro -a intel_iommu=on >/dev/null &&
	test \"\$(sourced \$g GRUB_CMDLINE_LINUX)\" = 'intel_iommu=on'
"

test_expect_success 'hand-edited: escaped quotes inside double quotes stay one parameter' "
	grubfile '$BOOT/handmade/twice.grub' && g=root/etc/default/grub &&
	kcmdline-edit --root root --grub-var=default -a 'acpi_osi=\"Windows 2020\"' -a 'foo=\"a \$b\"' >/dev/null &&
	test \"\$(sourced \$g GRUB_CMDLINE_LINUX_DEFAULT)\" = 'quiet splash acpi_osi=\"Windows 2020\" foo=\"a \$b\"' &&
	kcmdline-edit --root root --grub-var=default -d acpi_osi -d foo >/dev/null &&
	test \"\$(sourced \$g GRUB_CMDLINE_LINUX_DEFAULT)\" = 'quiet splash'
"

test_expect_success 'a key in both variables: its value in _DEFAULT goes even with a double quote never closed' "
	mkdir -p root/etc/default && cpu GenuineIntel && g=root/etc/default/grub &&
	printf '%s\\n' 'GRUB_CMDLINE_LINUX=\"foo=1\"' 'GRUB_CMDLINE_LINUX_DEFAULT=\"quiet foo=\\\"2\"' >\$g &&
	test \"\$(sourced \$g GRUB_CMDLINE_LINUX_DEFAULT)\" = 'quiet foo=\"2' &&
	kcmdline-edit --root root -a foo=3 >/dev/null &&
	test \"\$(sourced \$g GRUB_CMDLINE_LINUX)\" = 'foo=3' &&
	test \"\$(sourced \$g GRUB_CMDLINE_LINUX_DEFAULT)\" = 'quiet'
"

test_expect_success 'a missing variable is added at the end' "
	grubfile '$BOOT/handmade/missing.grub' &&
	kcmdline-edit --root root --iommu >/dev/null &&
	tail -n 1 root/etc/default/grub >last &&
	echo 'GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"' >expect && test_cmp expect last
"

test_expect_success 'a value written anew keeps a long variable name whole' "
	mkdir -p root/etc/default && v=\$(printf 'V%.0s' \$(seq 200)) &&
	printf '%s=ro\\nGRUB_CMDLINE_LINUX=\$%s\\n' \$v \$v >root/etc/default/grub &&
	kcmdline-edit --root root -a iommu=pt >/dev/null &&
	test \"\$(sourced root/etc/default/grub GRUB_CMDLINE_LINUX)\" = 'ro iommu=pt'
"

test_expect_success 'a missing variable is not added after a last line that goes on' "
	mkdir -p root/etc/default && printf 'GRUB_TIMEOUT=5\\ntest -x /bin/true ||' >root/etc/default/grub &&
	cp root/etc/default/grub orig &&
	run kcmdline-edit --root root -a iommu=pt && expect_rc 1 &&
	grep_q 'its last line goes on' err && cmp orig root/etc/default/grub
"

for f in conditional substitution unterminated; do
	test_expect_success "refused, nothing changed: $f" "
		grubfile '$BOOT/handmade/$f.grub' && cp root/etc/default/grub orig &&
		run kcmdline-edit --root root --iommu && expect_rc 1 && test ! -s out &&
		grep_q \"^kcmdline-edit: cannot edit GRUB_CMDLINE_LINUX in 'root/etc/default/grub': line [0-9]\" err &&
		grep_q 'nothing changed' err &&
		cmp orig root/etc/default/grub && test -z \"\$(ls -A root/etc/default | grep -v '^grub\$')\"
	"
done

test_expect_success 'a NUL byte: refused at its line, not read on for ever' "
	mkdir -p root/etc/default && printf 'GRUB_CMDLINE_LINUX=\"quiet\"\\n\\0\\n' >root/etc/default/grub &&
	cp root/etc/default/grub orig &&
	run timeout 10 kcmdline-edit --root root -a iommu=pt && expect_rc 1 &&
	grep_q \"'root/etc/default/grub': line 2: a NUL byte\\$\" err &&
	cmp orig root/etc/default/grub
"

test_expect_success 'a parameter that comes from another variable is refused' "
	mkdir -p root/etc/default && cpu GenuineIntel &&
	printf 'BASE=\"quiet splash\"\nGRUB_CMDLINE_LINUX=\"\$BASE ro\"\n' >root/etc/default/grub &&
	cp root/etc/default/grub orig &&
	run kcmdline-edit --root root -d quiet && expect_rc 1 &&
	grep_q 'comes from \$BASE' err && cmp orig root/etc/default/grub &&
	run kcmdline-edit --root root -a quiet=1 && expect_rc 1 && cmp orig root/etc/default/grub &&
	kcmdline-edit --root root -d ro >/dev/null &&
	test \"\$(sourced root/etc/default/grub GRUB_CMDLINE_LINUX)\" = 'quiet splash'
"

test_expect_success 'a value another variable takes is refused, for adding as for removing' "
	mkdir -p root/etc/default &&
	printf 'GRUB_CMDLINE_LINUX=\"ro\"\\nOTHER=\"\$GRUB_CMDLINE_LINUX single\"\\n' >root/etc/default/grub &&
	cp root/etc/default/grub orig &&
	run kcmdline-edit --root root -a iommu=pt && expect_rc 1 &&
	grep_q 'line 1: GRUB_CMDLINE_LINUX is also used elsewhere' err && cmp orig root/etc/default/grub &&
	run kcmdline-edit --root root -d ro && expect_rc 1 && cmp orig root/etc/default/grub &&
	printf 'GRUB_CMDLINE_LINUX=\"\"\\nOTHER=\"\$GRUB_CMDLINE_LINUX single\"\\n' >root/etc/default/grub &&
	cp root/etc/default/grub orig &&
	run kcmdline-edit --root root -a iommu=pt && expect_rc 1 && cmp orig root/etc/default/grub
"

test_expect_success 'Ubuntu cloud image: the grub.d drop-in that sets the variable again is named, nothing changed' "
	tree ubuntu-cloud && cp root/etc/default/grub orig &&
	run kcmdline-edit --root root --grub-var=default --iommu && expect_rc 1 &&
	grep_q \"root/etc/default/grub.d/50-cloudimg-settings.cfg' line 11 sets GRUB_CMDLINE_LINUX_DEFAULT again\" err &&
	grep_q 'nothing changed' err && cmp orig root/etc/default/grub &&
	run kcmdline-edit --root root --grub=/etc/default/grub.d/50-cloudimg-settings.cfg --grub-var=default --iommu &&
	expect_rc 0 &&
	test \"\$(sourced root/etc/default/grub.d/50-cloudimg-settings.cfg GRUB_CMDLINE_LINUX_DEFAULT)\" = \
		'console=tty1 console=ttyS0 intel_iommu=on iommu=pt'
"

# BLS entries, judged by systemd's parser.

BOOTCTL_CACHE=$TOP/build/cache/systemd
# bootctl is not a package one installs without systemd; take it from the
# Debian packages (systemd-boot and its libsystemd-shared) into a cache.
fetch_bootctl() {
	[ -x "$BOOTCTL_CACHE/usr/bin/bootctl" ] && return 0
	mkdir -p "$BOOTCTL_CACHE.dl" &&
	(cd "$BOOTCTL_CACHE.dl" && apt-get download systemd-boot libsystemd-shared >/dev/null 2>&1) &&
	for deb in "$BOOTCTL_CACHE.dl"/*.deb; do dpkg -x "$deb" "$BOOTCTL_CACHE" || return 1; done &&
	rm -rf "$BOOTCTL_CACHE.dl" && test -x "$BOOTCTL_CACHE/usr/bin/bootctl"
}

# bootctl_options ESP: the options line of each entry bootctl lists, sorted by id.
bootctl_options() {
	unshare -m sh -c 'mount --bind "$1" "$1" &&
		SYSTEMD_RELAX_ESP_CHECKS=1 LD_LIBRARY_PATH="$2/usr/lib/x86_64-linux-gnu/systemd" \
		"$2/usr/bin/bootctl" --no-pager --esp-path="$1" --boot-path="$1" list' sh "$1" "$BOOTCTL_CACHE" |
		awk '/^ *id:/ { id = $2 } /^ *options:/ { sub(/^ *options: /, ""); print id ": " $0 }' | sort
}

if fetch_bootctl && "$BOOTCTL_CACHE/usr/bin/bootctl" --version >/dev/null 2>&1 ||
   LD_LIBRARY_PATH="$BOOTCTL_CACHE/usr/lib/x86_64-linux-gnu/systemd" "$BOOTCTL_CACHE/usr/bin/bootctl" --version >/dev/null 2>&1; then
	have_bootctl=yes
else
	have_bootctl=
fi
if [ -z "$have_bootctl" ] && [ "${CI:-}" = true ]; then
	test_expect_success "systemd's bootctl from the Debian packages (CI must have it)" 'false'
fi

bls_case() {
	# bls_case NAME ESP: --iommu on fixture NAME, each entry's options as bootctl reads them.
	test_expect_success "$1: bootctl reads each entry's options plus the parameters" "
		tree $1 && bootctl_options root/$2 >before && test -s before &&
		run kcmdline-edit --root root --bls --iommu && expect_rc 0 &&
		bootctl_options root/$2 >after &&
		sed 's/\$/ $INTEL_ADD/' before >expect && test_cmp expect after &&
		kcmdline-edit --root root --bls -d intel_iommu -d iommu >/dev/null &&
		bootctl_options root/$2 >back && test_cmp before back
	"
}

if [ -n "$have_bootctl" ]; then
	bls_case arch-sdboot boot
	bls_case fedora37 boot
	bls_case rhel9 boot
	bls_case popos boot/efi

	test_expect_success 'several options lines are one command line, in order' "
		mkdir -p root/boot/loader/entries && cpu AuthenticAMD &&
		printf 'title Arch\nlinux /vmlinuz-linux\noptions root=UUID=1 rw\noptions quiet amd_iommu=on\noptions splash\n' \
			>root/boot/loader/entries/arch.conf &&
		bootctl_options root/boot >before &&
		echo 'arch.conf: root=UUID=1 rw quiet amd_iommu=on splash' >expect && test_cmp expect before &&
		kcmdline-edit --root root -d amd_iommu=on -d splash --iommu >/dev/null &&
		bootctl_options root/boot >after &&
		echo 'arch.conf: root=UUID=1 rw quiet iommu=pt' >expect && test_cmp expect after &&
		! grep -q '^options splash' root/boot/loader/entries/arch.conf
	"
	test_expect_success 'an options line without a value gets its blank with the first parameter' "
		mkdir -p root/boot/loader/entries &&
		printf 'title Arch\\nlinux /vmlinuz-linux\\noptions\\n' >root/boot/loader/entries/arch.conf &&
		kcmdline-edit --root root -a iommu=pt >/dev/null &&
		bootctl_options root/boot >after &&
		echo 'arch.conf: iommu=pt' >expect && test_cmp expect after
	"
else
	test_skip 'BLS entries judged by bootctl' 'could not fetch systemd-boot with apt-get download'
fi

test_expect_success 'RHEL: options that take GRUB environment variables are named' "
	tree rhel9 && run kcmdline-edit --root root --iommu && expect_rc 0 &&
	grep_q 'takes options from GRUB environment variables' err
"

test_expect_success 'Pop!_OS: kernelstub is told too' "
	tree popos && run kcmdline-edit --root root --iommu && expect_rc 0 &&
	grep_q \"kernelstub writes the boot entries anew from 'root/etc/kernelstub/configuration'\" err &&
	grep_q \"^  kernelstub -a 'intel_iommu=on'\" err &&
	grep_q 'reboot' out
"

test_expect_success '--entry edits one entry only' "
	tree arch-sdboot && cp root/boot/loader/entries/arch-fallback.conf orig &&
	kcmdline-edit --root root --entry arch --iommu >/dev/null &&
	cmp orig root/boot/loader/entries/arch-fallback.conf &&
	grep_q 'rw intel_iommu=on iommu=pt\$' root/boot/loader/entries/arch.conf &&
	run kcmdline-edit --root root --entry nosuch --iommu && expect_rc 1 &&
	grep_q \"no boot entry 'nosuch'\" err
"

test_expect_success 'refind_linux.conf: every options string, in rEFInd quoting' "
	tree refind-arch && f=root/boot/refind_linux.conf &&
	sed 's/\"\$/ $INTEL_ADD\"/' \$f >expect &&
	run kcmdline-edit --root root --iommu && expect_rc 0 && test_cmp expect \$f &&
	grep_q 'The boot loader reads these files itself' out &&
	kcmdline-edit --root root -a 'acpi_osi=\"Windows 2015\"' >/dev/null &&
	grep_q '\"Boot to terminal\" *\".* acpi_osi=\"\"Windows 2015\"\"\"\$' \$f &&
	kcmdline-edit --root root -d acpi_osi -d intel_iommu -d iommu >/dev/null &&
	cmp '$BOOT/refind-arch/boot/refind_linux.conf' \$f
"

test_expect_success 'refind_linux.conf: unquoted options written anew stay apart from the quotes around them' "
	tree refind-arch && f=root/boot/refind_linux.conf &&
	printf '\"Arch\"quiet\\n\"Arch splash\" quiet\"splash\"\\n' >\$f &&
	kcmdline-edit --root root -a iommu=pt >/dev/null &&
	printf '\"Arch\" \"quiet iommu=pt\"\\n\"Arch splash\" \"quiet iommu=pt\" \"splash\"\\n' >expect &&
	test_cmp expect \$f
"

# rEFInd passes quiet"splash: its quote opens one the kernel never sees
# closed, so new parameters go before it.
test_expect_success 'refind_linux.conf: \"\" inside an unquoted token is a quote, as rEFInd reads it' "
	tree refind-arch && f=root/boot/refind_linux.conf &&
	printf '\"Arch\" quiet\"\"splash\\n' >\$f &&
	kcmdline-edit --root root -a iommu=pt >/dev/null &&
	printf '\"Arch\" \"iommu=pt quiet\"\"splash\"\\n' >expect &&
	test_cmp expect \$f
"

test_expect_success '/etc/kernel/cmdline: the parameters, then mkinitcpio -P for the UKIs' "
	tree uki-arch && mkdir -p root/usr/bin && : >root/usr/bin/mkinitcpio &&
	run kcmdline-edit --root root --iommu && expect_rc 0 &&
	echo 'rw quiet bgrt_disable intel_iommu=on iommu=pt' >expect && test_cmp expect root/etc/kernel/cmdline &&
	grep_q '^  chroot root mkinitcpio -P\$' out
"

test_expect_success '/etc/kernel/cmdline with kernel-install: one command per installed kernel' "
	tree uki-arch && mkdir -p root/usr/bin root/usr/lib/modules/6.6.1-arch1-1 &&
	: >root/usr/bin/kernel-install && : >root/usr/lib/modules/6.6.1-arch1-1/vmlinuz &&
	run kcmdline-edit --root root --iommu && expect_rc 0 &&
	grep_q '^  chroot root kernel-install add 6.6.1-arch1-1 /usr/lib/modules/6.6.1-arch1-1/vmlinuz\$' out
"

# The IOMMU parameters.

test_expect_success '--iommu on AMD: iommu=pt only, never amd_iommu=on' "
	tree uki-arch && cpu AuthenticAMD &&
	kcmdline-edit --root root --iommu >/dev/null &&
	echo 'rw quiet bgrt_disable iommu=pt' >expect && test_cmp expect root/etc/kernel/cmdline
"

test_expect_success '--iommu replaces intel_iommu=off in place, and says what still turns it off' "
	tree uki-arch && echo 'rw intel_iommu=off iommu=off quiet' >root/etc/kernel/cmdline &&
	run kcmdline-edit --root root --iommu && expect_rc 0 &&
	echo 'rw intel_iommu=on iommu=pt quiet' >expect && test_cmp expect root/etc/kernel/cmdline &&
	tree uki-arch && cpu AuthenticAMD && echo 'rw amd_iommu=off' >root/etc/kernel/cmdline &&
	run kcmdline-edit --root root --iommu && expect_rc 0 &&
	grep_q 'still has amd_iommu=off, which turns the IOMMU off: --remove amd_iommu=off' err
"

test_expect_success '--iommu with an unknown CPU vendor: an error, nothing changed; --cpu names it' "
	tree uki-arch && cpu CentaurHauls && cp root/etc/kernel/cmdline orig &&
	run kcmdline-edit --root root --iommu && expect_rc 1 &&
	grep_q 'neither GenuineIntel nor AuthenticAMD' err && cmp orig root/etc/kernel/cmdline &&
	run kcmdline-edit --root root --iommu --cpu amd && expect_rc 0 &&
	echo 'rw quiet bgrt_disable iommu=pt' >expect && test_cmp expect root/etc/kernel/cmdline &&
	cp orig root/etc/kernel/cmdline &&
	run kcmdline-edit --root root --iommu --cpu intel && expect_rc 0 &&
	echo 'rw quiet bgrt_disable intel_iommu=on iommu=pt' >expect && test_cmp expect root/etc/kernel/cmdline
"

# The vendor of the CPU this machine runs on, as the kernel says it.
RUNNING_VENDOR=$(sed -n 's/^vendor_id[[:space:]]*: //p' /proc/cpuinfo | head -n 1)

test_expect_success '--iommu on a mounted system without /proc: the running CPU, said so' "
	tree uki-arch && rm -r root/proc && cp root/etc/kernel/cmdline orig &&
	run kcmdline-edit --root root --iommu &&
	case \"$RUNNING_VENDOR\" in
	GenuineIntel) expect_rc 0 && grep_q \"no 'root/proc/cpuinfo' (a system that is not running): taking the CPU this machine runs on, from '/proc/cpuinfo' (Intel); --cpu intel or --cpu amd names another\" err &&
		echo 'rw quiet bgrt_disable intel_iommu=on iommu=pt' >expect && test_cmp expect root/etc/kernel/cmdline ;;
	AuthenticAMD) expect_rc 0 && grep_q \"from '/proc/cpuinfo' (AMD)\" err &&
		echo 'rw quiet bgrt_disable iommu=pt' >expect && test_cmp expect root/etc/kernel/cmdline ;;
	*) expect_rc 1 && cmp orig root/etc/kernel/cmdline ;;
	esac &&
	cp orig root/etc/kernel/cmdline && run kcmdline-edit --root root --iommu --cpu amd && expect_rc 0 &&
	test ! -s err && echo 'rw quiet bgrt_disable iommu=pt' >expect && test_cmp expect root/etc/kernel/cmdline
"

# Modes of operation.

test_expect_success '--check: 1 before, 0 after, nothing printed or written' "
	tree debian12 && cp root/etc/default/grub orig &&
	run kcmdline-edit --root root --check --iommu && expect_rc 1 && test ! -s out &&
	cmp orig root/etc/default/grub &&
	kcmdline-edit --root root --iommu >/dev/null &&
	run kcmdline-edit --root root --check --iommu && expect_rc 0 && test ! -s out &&
	run kcmdline-edit --root root --check -d intel_iommu && expect_rc 1 &&
	run kcmdline-edit --root root --check -d nosuch && expect_rc 0
"

test_expect_success '-n: a diff that patch turns into what a real run writes; nothing changed' "
	tree fedora37 && cp -R root dry &&
	run kcmdline-edit --root dry -n --iommu -d quiet && expect_rc 0 &&
	same_tree root dry && grep_q '^--- a/etc/default/grub' out &&
	kcmdline-edit --root root --iommu -d quiet >/dev/null &&
	(cd dry && patch -s -p1 <../out) && same_tree root dry
"

test_expect_success '--backup keeps the old file; mode and owner are kept' "
	tree debian12 && g=root/etc/default/grub && cp \$g orig &&
	chmod 640 \$g && chown 1234:5678 \$g &&
	kcmdline-edit --root root --backup --iommu >/dev/null &&
	cmp orig \$g.bak &&
	test \"\$(stat -c '%a %u %g' \$g)\" = '640 1234 5678'
"

test_expect_success '--list: each parameter with its file, and JSON with the same' "
	tree fedora37 &&
	kcmdline-edit --root root --list >out &&
	grep_q '^root/etc/default/grub:GRUB_CMDLINE_LINUX: rhgb\$' out &&
	grep_q '^root/etc/default/grub: normal entries boot: rhgb quiet\$' out &&
	grep_q '^root/etc/default/grub: no recovery entries (GRUB_DISABLE_RECOVERY=true)\$' out &&
	grep_q '^root/boot/loader/entries/6b2ace2249194d7abf60d6f185ced47c-6.0.7-301.fc37.x86_64.conf: rootflags=subvol=root\$' out &&
	test \$(wc -l <out) -eq 17 &&
	kcmdline-edit --root root --list -J | python3 -c '
import json, sys
d = json.load(sys.stdin)[\"cmdlines\"]
assert len(d) == 3, d
assert d[0][\"kind\"] == \"grub\" and d[0][\"entries\"] == \"normal\", d[0]
assert d[0][\"files\"] == [\"root/etc/default/grub\"], d[0]
assert d[0][\"cmdline\"] == \"rhgb quiet\", d[0]
assert [(p[\"text\"], p[\"variable\"], p[\"from\"], p[\"from_line\"]) for p in d[0][\"parameters\"]] == \\
	[(\"rhgb\", \"GRUB_CMDLINE_LINUX\", \"root/etc/default/grub\", 6),
	 (\"quiet\", \"GRUB_CMDLINE_LINUX\", \"root/etc/default/grub\", 6)], d[0]
assert d[1][\"parameters\"][0] == {\"text\": \"root=UUID=b6b8fa59-92cc-4d03-8d8f-d66dab76d433\", \"key\": \"root\",
	\"value\": \"UUID=b6b8fa59-92cc-4d03-8d8f-d66dab76d433\", \"init\": False}, d[1]
'
"

test_expect_success '--list: every file read, an empty line shown as empty' "
	mkdir -p root/etc/default/grub.d root/boot/loader/entries &&
	printf 'GRUB_CMDLINE_LINUX=\"\"\\nGRUB_CMDLINE_LINUX_DEFAULT=\"\"\\n' >root/etc/default/grub &&
	echo 'GRUB_TIMEOUT=3' >root/etc/default/grub.d/10-timeout.cfg &&
	printf 'title Bare\\nlinux /vmlinuz\\n' >root/boot/loader/entries/bare.conf &&
	run kcmdline-edit --root root --list && expect_rc 0 &&
	printf '%s\\n' 'root/etc/default/grub: read' 'root/etc/default/grub.d/10-timeout.cfg: read' \
		'root/etc/default/grub: normal entries boot: ' 'root/etc/default/grub: recovery entries boot: single' \
		'root/boot/loader/entries/bare.conf: boots: ' >expect &&
	test_cmp expect out &&
	kcmdline-edit --root root --list -J | python3 -c '
import json, sys
d = json.load(sys.stdin)[\"cmdlines\"]
assert [(c[\"kind\"], c.get(\"entries\"), c[\"cmdline\"], c[\"parameters\"]) for c in d] == \\
	[(\"grub\", \"normal\", \"\", []), (\"grub\", \"recovery\", \"single\", d[1][\"parameters\"]),
	 (\"bls\", None, \"\", [])], d
assert d[0][\"files\"] == [\"root/etc/default/grub\", \"root/etc/default/grub.d/10-timeout.cfg\"], d[0]
assert [(p[\"text\"], p[\"variable\"]) for p in d[1][\"parameters\"]] == [(\"single\", None)], d[1]
'
"

test_expect_success 'no boot configuration: an error naming what was looked for' "
	mkdir root && cpu GenuineIntel &&
	run kcmdline-edit --root root --iommu && expect_rc 1 &&
	grep_q 'no boot configuration in' err && grep_q 'grub=FILE' err
"

test_expect_success 'usage errors' "
	run kcmdline-edit && expect_rc 2 && grep_q 'nothing to do' err &&
	run kcmdline-edit -a 'a b' && expect_rc 2 && grep_q \"invalid parameter 'a b': it is several\" err &&
	run kcmdline-edit -a -- && expect_rc 2 &&
	run kcmdline-edit -a 'x=\"a' && expect_rc 2 && grep_q 'never closed' err &&
	run kcmdline-edit -a '#x' && expect_rc 2 && grep_q \"invalid parameter '#x': it starts with '#'\" err &&
	run kcmdline-edit -a x=1 -d x && expect_rc 2 && grep_q 'contradict' err &&
	run kcmdline-edit --list -a x && expect_rc 2 &&
	run kcmdline-edit -n --check -a x && expect_rc 2 &&
	run kcmdline-edit --regen --root . -a x && expect_rc 2 && grep_q 'chroot' err &&
	run kcmdline-edit --grub-var=other -a x && expect_rc 2 &&
	run kcmdline-edit -J -n --check -a x && expect_rc 2 && test ! -s out
"

# A full disk or a read-only file system: the file stays as it was.

test_expect_success 'read-only file system: an error, the files byte-identical, no temporary file' "
	tree fedora37 && cp -R root orig &&
	unshare -m sh -c 'mount --bind root/boot root/boot && mount -o remount,bind,ro root/boot &&
		kcmdline-edit --root root --iommu' >out 2>err; rc=\$? &&
	expect_rc 1 &&
	grep_q \"could not write 'root/boot/loader/entries/.*': Read-only file system\" err &&
	grep_q 'nothing changed' err &&
	same_tree orig root
"

test_expect_success 'full disk: an error, the file byte-identical, no temporary file' "
	mkdir -p root && cpu GenuineIntel &&
	unshare -m sh -c '
		mkdir -p root/etc/default && mount -t tmpfs -o size=64k tmpfs root/etc/default &&
		cp \"\$1\" root/etc/default/grub && cp root/etc/default/grub orig &&
		dd if=/dev/zero of=root/etc/default/fill bs=4k 2>/dev/null; rm -f root/etc/default/fill.x
		kcmdline-edit --root root --iommu >out 2>err; echo \$? >rc
		cmp orig root/etc/default/grub && ls -A root/etc/default >left' sh '$BOOT/debian12/etc/default/grub' &&
	test \$(cat rc) -eq 1 &&
	grep_q \"could not write 'root/etc/default/grub': No space left on device\" err &&
	printf 'fill\ngrub\n' >expect && test_cmp expect left
"

# vfio-pci.ids= that takes a device the host keeps (issue 14): the guide's
# host, whose boot GPU's HDMI audio 03:00.1 has the guest card's 1002:ab28.
Z=$FIXTURES/z490-guide

test_expect_success 'vfio-pci.ids= with an ID the host card also has: a warning naming the device, the file still written' "
	cp -R '$Z' root && cp -R '$BOOT/arch-grub/etc' root/ &&
	run kcmdline-edit --root root -a vfio-pci.ids=1002:73ff,1002:ab28 && expect_rc 0 &&
	grep_q \"^kcmdline-edit: vfio-pci.ids=1002:73ff,1002:ab28 also takes 0000:03:00.1 (1002:ab28, snd_hda_intel), which the host keeps (on the boot VGA card): bind the devices for the VM by address with vfio-bind --persist instead\" err &&
	test \$(grep -c 'also takes' err) -eq 1 &&
	test \"\$(sourced root/etc/default/grub GRUB_CMDLINE_LINUX)\" = vfio-pci.ids=1002:73ff,1002:ab28
"

test_expect_success 'vfio_pci.ids= spelt with _ warns too; an ID only the guest card has does not' "
	cp -R '$Z' root && cp -R '$BOOT/arch-grub/etc' root/ &&
	run kcmdline-edit --root root -n -a vfio_pci.ids=1002:ab28 && expect_rc 0 &&
	grep_q '^kcmdline-edit: vfio_pci.ids=1002:ab28 also takes 0000:03:00.1 ' err &&
	run kcmdline-edit --root root -a vfio-pci.ids=1002:73ff && expect_rc 0 &&
	! grep -q 'also takes' err && test ! -s err
"

test_expect_success 'a card whose first function is not listed is the host card, boot VGA or not' "
	cp -R '$Z' root && cp -R '$BOOT/arch-grub/etc' root/ &&
	echo 0 >root/sys/bus/pci/devices/0000:03:00.0/boot_vga &&
	echo 1 >root/sys/bus/pci/devices/0000:00:02.0/boot_vga &&
	run kcmdline-edit --root root -n -a vfio-pci.ids=1002:73ff,1002:ab28 && expect_rc 0 &&
	grep_q \"also takes 0000:03:00.1 (1002:ab28, snd_hda_intel), which the host keeps (its card's first function is not in the list)\" err &&
	run kcmdline-edit --root root -n -a vfio-pci.ids=1002:73ff,1002:ab28,1002:73df && expect_rc 0 &&
	! grep -q 'also takes' err
"

test_expect_success 'no PCI devices under the root: no scan, no warning' "
	cp -R '$BOOT/arch-grub' root && cpu GenuineIntel &&
	run kcmdline-edit --root root -n -a vfio-pci.ids=1002:73ff,1002:ab28 && expect_rc 0 && test ! -s err
"

test_done
