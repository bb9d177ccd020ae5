#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every way a write can fail, in every writer and every mode that writes.
# failat.so makes each call that creates, writes, syncs, renames or removes
# a file fail in turn (ENOSPC), then kills the tool there instead; a small
# tmpfs filled up gives a real full disk.
#
#  - a failure exits 3 with an error naming the file and the cause, and
#    leaves every file and directory as it was, mode and owner included,
#    no temporary file left, even when it comes after other files of the
#    same run were renamed into place (they are put back);
#  - a kill leaves each file as it was or as a clean run leaves it, and
#    running the tool again finishes the job;
#  - a clean run keeps the mode and owner of the files it replaces.
#
# The counts of fault points tried and trees harmed are printed as TAP
# comments at the end.
. "$(dirname "$0")/lib.sh"

FAILAT_SO=$BUILD/tests/preload/failat.so
[ -f "$FAILAT_SO" ] || skip_all "no $FAILAT_SO (make check builds it)"
# Only root can give the files to another user and mount a small file
# system for a full disk.
[ "$(id -u)" = 0 ] && AS_ROOT=true || AS_ROOT=false

# failat SPEC CMD...: run CMD with the fault SPEC (call:n[:how]).
failat() {
	fa_spec=$1
	shift
	# ASan wants its runtime first; the shim only wraps libc calls.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		FAILAT=$fa_spec LD_PRELOAD=$FAILAT_SO "$@"
}

# tree-state DIR: one line per path below DIR (but sys and proc, which
# the writers only read): its type, mode, owner, link target and checksum.
# A command, for the shells that unshare starts too.
mkdir -p "$TEST_TMP/bin" && cat >"$TEST_TMP/bin/tree-state" <<'EOF' && chmod 755 "$TEST_TMP/bin/tree-state" || exit 1
#!/bin/sh
cd "$1" && {
	find . \( -path ./sys -o -path ./proc \) -prune -o ! -name . -printf 'M %p %y %m %U:%G %l\n'
	find . \( -path ./sys -o -path ./proc \) -prune -o -type f -exec md5sum {} +
} | awk '$1 == "M" { m[$2] = $3 " " $4 " " $5 " " $6; next }
	{ s[$2] = $1 }
	END { for (p in m) print p "\t" m[p] (p in s ? " " s[p] : "") }' | sort
EOF
PATH=$TEST_TMP/bin:$PATH
ROOT=root
export ROOT

# changed BEFORE AFTER: the paths whose line differs, as the tools name
# them under --root root.
changed() {
	diff "$1" "$2" | sed -n 's/^[<>] \.\/\([^	]*\)	.*/root\/\1/p' | sort -u
}

# old_or_new BEFORE AFTER NOW: every path of NOW is as in BEFORE or as in
# AFTER, temporary files (.#NAME...) aside; prints those that are not.
old_or_new() {
	awk -F '\t' 'FILENAME == ARGV[1] { b[$1] = $2; all[$1] = 1; next }
		FILENAME == ARGV[2] { a[$1] = $2; all[$1] = 1; next }
		$1 ~ /\/\.#[^\/]*$/ { next }
		{ n[$1] = $2; all[$1] = 1 }
		END { for (p in all) if (n[p] != b[p] && n[p] != a[p]) { print p ": " n[p]; bad = 1 }
		      exit bad }' "$1" "$2" "$3"
}

# no_temp STATE: no temporary file in STATE.
no_temp() {
	! grep '/\.#[^/	]*	' "$1"
}

# owned ROOT: the configuration files in ROOT given to another user, mode
# 0640, so that a writer that lost them would show.
owned() {
	if $AS_ROOT; then
		find "$1" \( -path "$1/sys" -o -path "$1/proc" -o -path "$1/usr" \) -prune -o -type f \
			-exec chown 1234:5678 {} + -exec chmod 0640 {} +
	else
		find "$1" \( -path "$1/sys" -o -path "$1/proc" -o -path "$1/usr" \) -prune -o -type f \
			-exec chmod 0640 {} +
	fi
}

# fault_case NAME SETUP CMD: SETUP (a shell function) makes ./root; CMD
# (a string, run with ROOT set) is the writer.  Every fault point of its
# clean run is tried; the counts go to $TEST_TMP/counts.
fault_case() {
	fc_name=$1 fc_setup=$2 fc_cmd=$3
	fc_dir=$TEST_TMP/case.$(echo "$fc_name" | tr -c 'A-Za-z0-9\n' _)

	test_expect_success "$fc_name: a clean run writes, keeps mode and owner, and shows its fault points" "
		mkdir -p '$fc_dir' && cd '$fc_dir' &&
		$fc_setup && owned root && tree-state root >before &&
		export FAILAT_LOG=\$PWD/points &&
		failat none:0 sh -c '$fc_cmd' >out 2>err &&
		unset FAILAT_LOG && tree-state root >after &&
		changed before after >names && test -s names &&
		grep -q '^\\(rename\\|unlink\\) ' points && no_temp after &&
		join -t '	' before after | awk -F '\t' '{
			split(\$2, o, \" \"); split(\$3, n, \" \")
			if (o[1] == \"f\" && (o[2] != n[2] || o[3] != n[3])) { print \$1 \": \" \$2 \" became \" \$3; bad = 1 }
		} END { exit bad }'
	"

	test_expect_success "$fc_name: each call failing: exit 3, the file and cause named, nothing changed" "
		tried=0 harmed=0 && cd '$fc_dir' && test -s points &&
		while read -r call at; do
			rm -rf root && $fc_setup && owned root &&
			rc=0 && failat \$call:\$at:ENOSPC sh -c '$fc_cmd' >out 2>err || rc=\$?
			tree-state root >now
			tried=\$((tried + 1))
			named=\$(sed -n \"s/.*'\\\\([^']*\\\\)': No space left on device\\\$/\\\\1/p\" err)
			why=
			[ \$rc -eq 3 ] || why=\"exit \$rc\"
			[ -n \"\$named\" ] && echo \"\$named\" | grep -qxFf names || why=\"\$why; no changed file and cause named\"
			cmp -s before now || why=\"\$why; the tree changed\"
			if [ -n \"\$why\" ]; then
				harmed=\$((harmed + 1))
				echo \"\$call \$at: \$why\"; cat err; diff before now
			fi
		done <points
		echo \"\$tried \$harmed\" >failed.count && test \$harmed -eq 0
	"

	test_expect_success "$fc_name: killed at each call: each file old or new, and a second run finishes" "
		tried=0 harmed=0 && cd '$fc_dir' && test -s points &&
		while read -r call at; do
			rm -rf root && $fc_setup && owned root &&
			rc=0 && failat \$call:\$at:kill sh -c '$fc_cmd' >out 2>err || rc=\$?
			tree-state root >now
			tried=\$((tried + 1))
			why=
			[ \$rc -ne 0 ] || why='not killed'
			old_or_new before after now >mixed || why=\"\$why; neither old nor new: \$(cat mixed)\"
			rc=0 && sh -c '$fc_cmd' >out 2>err || rc=\$?
			tree-state root | grep -v '/\\.#[^/	]*	' >again
			[ \$rc -eq 0 ] && cmp -s after again || why=\"\$why; a second run (exit \$rc) does not finish\"
			if [ -n \"\$why\" ]; then
				harmed=\$((harmed + 1))
				echo \"\$call \$at: \$why\"; cat err; diff after again
			fi
		done <points
		echo \"\$tried \$harmed\" >killed.count && test \$harmed -eq 0
	"
	echo "$fc_name" >>"$TEST_TMP/cases"
}

# full_disk NAME SETUP DIR CMD: DIR of ./root (where the files are) on a
# small tmpfs filled up: exit 3, 'No space left on device' named with a
# file, every file as it was, no temporary file.
full_disk() {
	if ! $AS_ROOT && [ "${CI:-}" != true ]; then
		test_skip "$1: on a full disk" 'mounting a small tmpfs needs root'
		return
	fi
	test_expect_success "$1: on a full disk: exit 3, the file and cause named, nothing changed" "
		$2 && owned root &&
		unshare -m sh -euc '
			mkdir -p root/$3 && mv root/$3 saved && mkdir root/$3 &&
			mount -t tmpfs -o size=256k,mode=0755 full root/$3 &&
			cp -a saved/. root/$3/ &&
			{ dd if=/dev/zero of=root/$3/fill bs=4k 2>/dev/null || :; } &&
			tree-state root >before &&
			rc=0 && { $4; } >out 2>err || rc=\$?
			tree-state root >now
			echo \$rc >rc
		' &&
		{ cmp -s before now && echo '$1 unharmed' || echo '$1 harmed'; } >>'$TEST_TMP/full' &&
		cat err && test \"\$(cat rc)\" = 3 &&
		grep_q \"'root/$3/[^']*': No space left on device\\\$\" err &&
		test_cmp before now
	"
}

# kcmdline-edit: each kind of boot configuration, a grub.d drop-in,
# several BLS entries at once, GRUB and BLS together, --backup, -d.

BOOT=$FIXTURES/boot
IDS=vfio-pci.ids=1002:73ff,1002:ab28
KE='kcmdline-edit --root "$ROOT"'

debian12() { cp -R "$BOOT/debian12" root; }
cloud() { cp -R "$BOOT/ubuntu-cloud" root; }
fedora37() { cp -R "$BOOT/fedora37" root; }
sdboot() { cp -R "$BOOT/arch-sdboot" root; }
uki() { cp -R "$BOOT/uki-arch" root; }
refind() { cp -R "$BOOT/refind-arch" root; }
with_ids() { $1 && kcmdline-edit --root root -a $IDS >/dev/null; }
debian12_ids() { with_ids debian12; }
uki_ids() { with_ids uki; }
refind_ids() { with_ids refind; }
CLOUD_CFG=/etc/default/grub.d/50-cloudimg-settings.cfg

fault_case 'kcmdline-edit --grub' debian12 "$KE --grub -a $IDS"
fault_case 'kcmdline-edit --grub --backup' debian12 "$KE --grub --backup -a $IDS"
fault_case 'kcmdline-edit --grub -d' debian12_ids "$KE --grub -d vfio-pci.ids"
fault_case 'kcmdline-edit --grub=a grub.d drop-in' cloud "$KE --grub=$CLOUD_CFG --grub-var=default -a $IDS"
fault_case 'kcmdline-edit, GRUB and two BLS entries' fedora37 "$KE -a $IDS"
fault_case 'kcmdline-edit --bls --backup, two entries' fedora37 "$KE --bls --backup -a $IDS"
fault_case 'kcmdline-edit --bls -d, two entries' sdboot "$KE -d rw"
fault_case 'kcmdline-edit --kernel-cmdline' uki "$KE --kernel-cmdline -a $IDS"
fault_case 'kcmdline-edit --kernel-cmdline -d --backup' uki_ids "$KE --kernel-cmdline --backup -d vfio-pci.ids"
fault_case 'kcmdline-edit --refind' refind "$KE --refind -a $IDS"
fault_case 'kcmdline-edit --refind -d' refind_ids "$KE --refind -d vfio-pci.ids"
full_disk 'kcmdline-edit --grub' debian12 etc "$KE -a $IDS"
full_disk 'kcmdline-edit --grub=a grub.d drop-in' cloud etc "$KE --grub=$CLOUD_CFG --grub-var=default -a $IDS"
full_disk 'kcmdline-edit --bls' fedora37 boot "$KE --bls -a $IDS"
full_disk 'kcmdline-edit --kernel-cmdline' uki etc "$KE -a $IDS"
full_disk 'kcmdline-edit --refind' refind boot "$KE -a $IDS"

# Out of memory has one policy: the tool says so and exits.  From the
# first temporary file of a commit to its last rename (or their undoing)
# nothing may allocate, or running out there would leave some files new
# and others old, or a temporary file behind.  The second rename of GRUB and two BLS
# entries fails, so the first file is put back, its extended attribute
# copied again; each allocation from the last 20 before the first
# temporary file on fails in turn besides.
FAILMALLOC_SO=$BUILD/tests/preload/failmalloc.so
: >"$TEST_TMP/xattr-probe"
if ! command -v setfattr >/dev/null; then
	test_skip 'out of memory during a rollback' 'no setfattr (package attr)'
elif ! setfattr -n user.probe -v 1 "$TEST_TMP/xattr-probe" 2>/dev/null; then
	test_skip 'out of memory during a rollback' "no user.* attributes on $TEST_TMP"
elif ldd "$BUILD/kcmdline-edit" | grep -q libasan; then
	test_skip 'out of memory during a rollback' 'ASan has its own allocator'
elif [ ! -f "$FAILMALLOC_SO" ]; then
	test_skip 'out of memory during a rollback' "no $FAILMALLOC_SO (make check builds it)"
else
	test_expect_success 'out of memory at each allocation of a rolled-back three-file commit: every file as it was' '
		mkdir oom && cd oom && fedora37 && owned root &&
		for f in root/etc/default/grub root/boot/loader/entries/*.conf; do
			setfattr -n user.origin -v "hand kept" "$f" || return 1
		done &&
		{ tree-state root && getfattr -R -d -m - root; } >before &&
		rc=0 && FAILAT_LOG=$PWD/points FAILAT_LOG_MALLOC=1 FAILAT=rename:2 \
			LD_PRELOAD=$FAILMALLOC_SO kcmdline-edit --root root -a $IDS >out 2>err || rc=$?
		test $rc = 3 && grep_q "Input/output error" err &&
		{ tree-state root && getfattr -R -d -m - root; } >now && test_cmp before now &&
		first=$(sed -n "/^create /q;s/^malloc //p" points | tail -1) &&
		last=$(grep "^malloc " points | tail -1 | cut -d" " -f2) &&
		test -n "$first" && test -n "$last" &&
		tried=0 harmed=0 n=$((first - 20)) &&
		while [ $n -lt $((last + 5)) ]; do
			n=$((n + 1)) tried=$((tried + 1))
			rc=0 && FAILAT=rename:2,malloc:$n LD_PRELOAD=$FAILMALLOC_SO \
				kcmdline-edit --root root -a $IDS >out 2>err || rc=$?
			{ tree-state root && getfattr -R -d -m - root; } >now
			if [ $rc != 3 ] || ! cmp -s before now; then
				harmed=$((harmed + 1))
				echo "malloc $n: exit $rc"; cat err; diff before now
				rm -rf root && fedora37 && owned root &&
				for f in root/etc/default/grub root/boot/loader/entries/*.conf; do
					setfattr -n user.origin -v "hand kept" "$f" || return 1
				done
			fi
		done &&
		echo "# out of memory in a rolled-back commit: $((last - first)) allocations after the first temporary file; $tried failed in turn, $harmed trees harmed" >&3 &&
		test $harmed = 0
	' 3>&1
fi

# initramfs-vfio: each generator and its --remove, the mkinitcpio
# drop-in, and all four at once (files created, changed and removed
# together), vfio-bind's modprobe.d file there for dracut to take.

C=$TOP/tests/initramfs
IV='initramfs-vfio --root "$ROOT"'

# program PATH: an installed generator in ./root.
program() {
	mkdir -p "root${1%/*}" && printf '#!/bin/sh\n' >"root$1" && chmod 755 "root$1"
}
# kernel: a kernel with the vfio modules, and vfio-bind's file, in ./root.
kernel() {
	mkdir -p root/usr/lib/modules/6.6.8-arch1-1 root/etc/modprobe.d && ln -sfn usr/lib root/lib &&
	echo kernel/drivers/vfio/pci/vfio-pci.ko.zst: >root/usr/lib/modules/6.6.8-arch1-1/modules.dep &&
	printf 'options vfio-pci ids=1002:73ff,1002:ab28\nsoftdep amdgpu pre: vfio-pci\n' \
		>root/etc/modprobe.d/vfio.conf
}
mkinitcpio() {
	kernel && program /usr/bin/mkinitcpio &&
	cp "$C/mkinitcpio/arch-v41-systemd.conf" root/etc/mkinitcpio.conf
}
dracut() {
	kernel && program /usr/bin/dracut && mkdir -p root/etc/dracut.conf.d &&
	cp "$C/dracut/debian-dracut.conf" root/etc/dracut.conf
}
itools() {
	kernel && program /usr/sbin/update-initramfs && mkdir -p root/etc/initramfs-tools &&
	cp "$C/initramfs-tools/debian-modules" root/etc/initramfs-tools/modules
}
booster() {
	kernel && program /usr/bin/booster && cp "$C/booster/booster-manpage.yaml" root/etc/booster.yaml
}
all4() { mkinitcpio && dracut && itools && booster; }
set_up() { $1 && initramfs-vfio --root root ${2:-} >/dev/null; }
mkinitcpio_set_up() { set_up mkinitcpio; }
mkinitcpio_drop_in() { set_up mkinitcpio --drop-in; }
dracut_set_up() { set_up dracut; }
itools_set_up() { set_up itools; }
booster_set_up() { set_up booster; }
all4_set_up() { set_up all4; }

fault_case 'initramfs-vfio, mkinitcpio' mkinitcpio "$IV"
fault_case 'initramfs-vfio --remove, mkinitcpio' mkinitcpio_set_up "$IV --remove"
fault_case 'initramfs-vfio --drop-in' mkinitcpio "$IV --drop-in"
fault_case 'initramfs-vfio --drop-in, moving the edit' mkinitcpio_set_up "$IV --drop-in"
fault_case 'initramfs-vfio --remove, the drop-in' mkinitcpio_drop_in "$IV --remove"
fault_case 'initramfs-vfio, dracut' dracut "$IV"
fault_case 'initramfs-vfio --remove, dracut' dracut_set_up "$IV --remove"
fault_case 'initramfs-vfio, initramfs-tools' itools "$IV"
fault_case 'initramfs-vfio --remove, initramfs-tools' itools_set_up "$IV --remove"
fault_case 'initramfs-vfio, booster' booster "$IV"
fault_case 'initramfs-vfio --remove, booster' booster_set_up "$IV --remove"
fault_case 'initramfs-vfio --backup, four generators' all4 "$IV --backup"
fault_case 'initramfs-vfio --remove --backup, four generators' all4_set_up "$IV --remove --backup"
full_disk 'initramfs-vfio, four generators' all4 etc "$IV"
full_disk 'initramfs-vfio --drop-in' mkinitcpio etc "$IV --drop-in"
full_disk 'initramfs-vfio --remove, four generators' all4_set_up etc "$IV --remove"

# virtxml-hide -i on a domain where libvirt keeps it.

D=$TOP/tests/domains
XML=/etc/libvirt/qemu/win10.xml
VH='virtxml-hide --root "$ROOT" -i'

domain() { mkdir -p root${XML%/*} && cp "$D/win10-virsh.xml" root$XML; }
hidden() { mkdir -p root${XML%/*} && cp "$D/hidden-already.xml" root$XML; }

fault_case 'virtxml-hide -i' domain "$VH $XML"
fault_case 'virtxml-hide -i --backup' domain "$VH --backup $XML"
fault_case 'virtxml-hide -i --remove' hidden "$VH --remove $XML"
fault_case 'virtxml-hide -i --remove --backup' hidden "$VH --remove --backup $XML"
full_disk 'virtxml-hide -i' domain etc "$VH --backup $XML"

# vfio-bind: the sysfs tree is shared (the writers only read it), /etc is
# each run's own.

G=$TEST_TMP/guide
cp -R "$FIXTURES/z490-guide" "$G" && mkdir -p "$G/sys/bus/pci/drivers/vfio-pci" || exit 1
VB='vfio-bind --root "$ROOT"'

guide() {
	mkdir -p root/etc && cp -al "$G/sys" root/sys && cp -a "$G/proc" "$G/usr" root/
}
persisted() {
	guide && vfio-bind --root root --persist 07:00.0 >/dev/null
}
admin_line() {
	persisted && printf '# the admin'"'"'s own line\nblacklist nouveau\n' >>root/etc/modprobe.d/vfio.conf
}

fault_case 'vfio-bind --persist' guide "$VB --persist 07:00.0"
fault_case 'vfio-bind --persist --ignore-msrs --backup' admin_line "$VB --persist --ignore-msrs --backup 07:00.0"
fault_case 'vfio-bind --unbind --persist' admin_line "$VB --unbind --persist 07:00.0"
fault_case 'vfio-bind --unbind --persist, the file removed' persisted "$VB --unbind --persist 07:00.0"
fault_case 'vfio-bind --unbind --persist --backup, the file removed' persisted \
	"$VB --unbind --persist --backup 07:00.0"
full_disk 'vfio-bind --persist' guide etc "$VB --persist 07:00.0"
full_disk 'vfio-bind --unbind --persist' admin_line etc "$VB --unbind --persist 07:00.0"

# virtxml-hostdev -i: the guide's card given to a domain where libvirt
# keeps it, and taken out again.
VD='virtxml-hostdev --root "$ROOT" -i'
hd_domain() { guide && domain; }
hd_added() { hd_domain && virtxml-hostdev --root root -i 07:00.0 $XML >/dev/null; }

fault_case 'virtxml-hostdev -i' hd_domain "$VD 07:00.0 $XML"
fault_case 'virtxml-hostdev -i --remove --backup' hd_added "$VD --remove --backup $XML"
full_disk 'virtxml-hostdev -i' hd_domain etc "$VD --backup 07:00.0 $XML"

# The figures: per case, per writer and in all.
while read -r name; do
	dir=$TEST_TMP/case.$(echo "$name" | tr -c 'A-Za-z0-9\n' _)
	printf '%s\t%s %s\n' "$name" "$(cat "$dir/failed.count" 2>/dev/null || echo '? ?')" \
		"$(cat "$dir/killed.count" 2>/dev/null || echo '? ?')"
done <"$TEST_TMP/cases" | awk -F '\t' '
	{ split($2, c, " "); split($1, w, "[ ,]")
	  printf "# %s: %s calls failed, %s trees harmed; %s kills, %s trees harmed\n", $1, c[1], c[2], c[3], c[4]
	  for (i = 1; i <= 4; i++) { t[w[1], i] += c[i]; all[i] += c[i] }
	  if (!(w[1] in seen)) { seen[w[1]] = 1; order[++n] = w[1] } }
	END { for (k = 1; k <= n; k++)
		printf "# %s in all: %d calls failed, %d trees harmed; %d kills, %d trees harmed\n",
			order[k], t[order[k], 1], t[order[k], 2], t[order[k], 3], t[order[k], 4]
	      printf "# every writer: %d fault points tried (%d failed calls, %d kills), %d trees harmed\n",
			all[1] + all[3], all[1], all[3], all[2] + all[4] }'
touch "$TEST_TMP/full"
echo "# full disks: $(wc -l <"$TEST_TMP/full") runs, $(grep -c ' harmed$' "$TEST_TMP/full") trees harmed"

test_done
