#!/bin/sh
# Every way a write can fail, in every writer: failat.so makes each call
# that creates, writes, syncs, renames or removes a file fail in turn
# (ENOSPC), then kills the tool there instead.  A failure must exit 1 with
# an error naming the file and the cause and leave the files as they
# were; a kill must leave them as they were or as a clean run leaves
# them, never partly written.
. "$(dirname "$0")/lib.sh"

FAILAT_SO=$BUILD/tests/preload/failat.so
[ -f "$FAILAT_SO" ] || skip_all "no $FAILAT_SO (make check builds it)"

# failat SPEC CMD...: run CMD with the fault SPEC (call:n[:how]).
failat() {
	fa_spec=$1
	shift
	# ASan wants its runtime first; the shim only wraps libc calls.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		FAILAT=$fa_spec LD_PRELOAD=$FAILAT_SO "$@"
}

# The files a writer may touch: the tree under DIR, temp files included.
etc_state() {
	(cd "$1" && find . -path ./sys -prune -o -path ./proc -prune -o ! -type d -print |
		sort | while read -r f; do
			printf '%s %s\n' "$f" "$(md5sum <"$f" | cut -c1-32)"
		done)
}

# fault_case NAME SETUP CMD: SETUP (a shell function) makes ./root; CMD
# (a string, run with ROOT set) is the writer.  Every fault point its
# clean run passes is tried.
fault_case() {
	fc_name=$1 fc_setup=$2 fc_cmd=$3

	test_expect_success "$fc_name: a clean run writes, and shows its fault points" "
		$fc_setup && etc_state root >before &&
		export ROOT=root FAILAT_LOG=\$PWD/points &&
		failat none:0 sh -c '$fc_cmd' >out 2>err &&
		etc_state root >after && ! test_cmp before after >/dev/null &&
		grep -q '^rename ' points && cp points '$TEST_TMP/$fc_name.points'
	"

	test_expect_success "$fc_name: each failing call: exit 1, the file and cause named, nothing changed" "
		test -s '$TEST_TMP/$fc_name.points' &&
		export ROOT=root && n=0 &&
		while read -r call at; do
			rm -rf root && $fc_setup && etc_state root >before &&
			rc=0 &&
			failat \$call:\$at:ENOSPC sh -c '$fc_cmd' >out 2>err || rc=\$? &&
			etc_state root >now &&
			if [ \$rc -ne 1 ]; then
				echo \"\$call \$at: exit \$rc\"; cat err; return 1
			fi &&
			if ! grep -q \"'.*': No space left on device\\\$\" err; then
				echo \"\$call \$at: no file and cause in:\"; cat err; return 1
			fi &&
			if ! test_cmp before now >/dev/null; then
				# Only a sync of the directory after the rename may fail
				# once the new contents are in place.
				if [ \$call != fsync ] || grep -q '/\\.#' now; then
					echo \"\$call \$at: the files changed:\"; test_cmp before now; return 1
				fi
			fi &&
			n=\$((n + 1)) || return 1
		done <'$TEST_TMP/$fc_name.points' &&
		echo \"\$n fault points\" >'$TEST_TMP/$fc_name.tried'
	"

	test_expect_success "$fc_name: killed at each call: the files old or new, never partial" "
		test -s '$TEST_TMP/$fc_name.points' &&
		export ROOT=root &&
		rm -rf root && $fc_setup && etc_state root >before &&
		sh -c '$fc_cmd' >/dev/null 2>&1 && etc_state root >after &&
		while read -r call at; do
			rm -rf root && $fc_setup &&
			rc=0 &&
			failat \$call:\$at:kill sh -c '$fc_cmd' >out 2>err || rc=\$? &&
			# a kill may leave its temporary file; nothing else
			etc_state root | grep -v '/\\.#[^/]*\$' >now &&
			if ! test_cmp before now >/dev/null && ! test_cmp after now >/dev/null; then
				echo \"\$call \$at: killed (\$rc): neither old nor new:\"; test_cmp before now; return 1
			fi || return 1
		done <'$TEST_TMP/$fc_name.points'
	"
}

Z=$FIXTURES/z490-guide

vfio_guide() {
	cp -R "$Z" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci
}
vfio_persisted() {
	vfio_guide && vfio-bind --root root --persist 07:00.0 >/dev/null &&
	mkdir -p root/etc/modprobe.d &&
	printf '# the admin'"'"'s own line\nblacklist nouveau\n' >>root/etc/modprobe.d/vfio.conf
}

fault_case 'vfio-bind --persist' vfio_guide \
	'vfio-bind --root "$ROOT" --persist 07:00.0'
fault_case 'vfio-bind --unbind --persist' vfio_persisted \
	'vfio-bind --root "$ROOT" --unbind --persist 07:00.0'

C=$TOP/tests/initramfs

initramfs_arch() {
	mkdir -p root/etc root/usr/bin root/usr/lib/modules/6.6.8-arch1-1 &&
	cp "$C/mkinitcpio/arch-v41-systemd.conf" root/etc/mkinitcpio.conf &&
	printf '#!/bin/sh\n' >root/usr/bin/mkinitcpio && chmod 755 root/usr/bin/mkinitcpio &&
	echo kernel/drivers/vfio/pci/vfio-pci.ko.zst: >root/usr/lib/modules/6.6.8-arch1-1/modules.dep
}
initramfs_done() {
	initramfs_arch && initramfs-vfio --root root >/dev/null
}

fault_case 'initramfs-vfio' initramfs_arch 'initramfs-vfio --root "$ROOT"'
fault_case 'initramfs-vfio --drop-in' initramfs_arch 'initramfs-vfio --root "$ROOT" --drop-in'
fault_case 'initramfs-vfio --remove' initramfs_done 'initramfs-vfio --root "$ROOT" --remove'

test_done
