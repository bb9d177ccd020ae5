# SPDX-License-Identifier: GPL-2.0-or-later
# A VM inside the guest, sourced by a boot's test script (bash) in a guest
# booted after vm_with_qemu:
#
#	. /usr/share/vfio-utils/inner-vm.sh
#	inner_vm /tmp/inner.argv /out/inner 1234:1111 8086:293e
#
# inner_vm ARGV OUT ID...: start the QEMU command line in the file ARGV
# (shell words, as vm_inner_qemu_argv and virsh domxml-to-native print it)
# with QMP on its standard input and output, let it run until QMP
# query-pci lists every vendor:device ID (read through VFIO, the devices
# are listed once SeaBIOS has numbered the buses behind the root ports),
# then quit it.  OUT.pci is query-pci's last answer, OUT.qmp the whole QMP
# conversation, OUT.stderr QEMU's messages, OUT.time the seconds from the
# start to the answer that listed every ID, OUT.rc 0 when it came, 1 when
# QEMU did not come up or the IDs did not appear within INNER_TIMEOUT
# seconds (120).

# inner_qmp COMMAND: send COMMAND, print its answer (the next line that
# is not an event); non-zero when QEMU said nothing for 30 seconds.
inner_qmp() {
	printf '%s\n' "$1" >&"${INNER[1]}" || return 1
	printf '> %s\n' "$1" >>"$iv_out.qmp"
	while IFS= read -r -t 30 iv_line <&"${INNER[0]}"; do
		iv_line=${iv_line%$'\r'}
		printf '< %s\n' "$iv_line" >>"$iv_out.qmp"
		case $iv_line in
		'{"timestamp"'*) continue ;;
		esac
		printf '%s\n' "$iv_line"
		return 0
	done
	return 1
}

inner_vm() {
	iv_argv=$1 iv_out=$2
	shift 2
	: >"$iv_out.qmp"
	echo 1 >"$iv_out.rc"
	export QEMU_MODULE_DIR=/usr/lib/x86_64-linux-gnu/qemu
	iv_start=$(date +%s)
	# (the guest's script runs under set -x, which is not QEMU's to say)
	coproc INNER { set +x; eval "$(cat "$iv_argv") -qmp stdio" 2>"$iv_out.stderr"; }
	# The greeting, then capabilities negotiation; "cont" starts a
	# machine started with -S, as libvirt starts them.
	if ! IFS= read -r -t 60 iv_line <&"${INNER[0]}"; then
		echo "inner_vm: QEMU did not come up" >>"$iv_out.stderr"
		wait
		return 1
	fi
	printf '< %s\n' "$iv_line" >>"$iv_out.qmp"
	if ! inner_qmp '{"execute":"qmp_capabilities"}' >/dev/null ||
		! inner_qmp '{"execute":"cont"}' >/dev/null; then
		echo "inner_vm: QMP did not answer" >>"$iv_out.stderr"
		kill "$INNER_PID" 2>/dev/null
		wait
		return 1
	fi
	iv_rc=1
	while [ $(($(date +%s) - iv_start)) -lt "${INNER_TIMEOUT:-120}" ]; do
		inner_qmp '{"execute":"query-pci"}' >"$iv_out.pci" || break
		iv_all=1
		for iv_id in "$@"; do
			iv_v=$((0x${iv_id%:*})) iv_d=$((0x${iv_id#*:}))
			grep -q "\"id\": {\"device\": $iv_d, [^}]*\"vendor\": ${iv_v}[,}]" "$iv_out.pci" || iv_all=0
		done
		if [ $iv_all = 1 ]; then
			iv_rc=0
			break
		fi
		sleep 2
	done
	echo $(($(date +%s) - iv_start)) >"$iv_out.time"
	inner_qmp '{"execute":"quit"}' >/dev/null || kill "$INNER_PID" 2>/dev/null
	wait
	echo $iv_rc >"$iv_out.rc"
	return $iv_rc
}
