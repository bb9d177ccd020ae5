#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# common/ is built in floors, each folder using only its own and the
# floors below it:
#
#   4  initramfs/
#   3  kmod/  virt/
#   2  pci/  boot/
#   1  base/
#
# and no two modules include each other, directly or through others.
. "$(dirname "$0")/lib.sh"

floor() {
	case $1 in
	base) echo 1 ;;
	pci | boot) echo 2 ;;
	kmod | virt) echo 3 ;;
	initramfs) echo 4 ;;
	*) echo 0 ;;
	esac
}

# "FILE INCLUDED" for every project include in common/, paths relative to
# common/.
includes() {
	(cd "$TOP/common" && grep -H '^#include "' */*.[ch]) |
		sed 's/:#include "\(.*\)".*/ \1/'
}

test_expect_success 'every folder of common/ has a floor' '
	for d in "$TOP"/common/*/; do
		d=${d%/}; d=${d##*/}
		test "$(floor "$d")" -gt 0 || { echo "no floor for common/$d" >&2; return 1; }
	done
'

test_expect_success 'common/ includes by folder/name.h, and the header exists' '
	while read -r f h; do
		case $h in */*.h) ;; *) echo "$f: \"$h\" has no folder" >&2; return 1 ;; esac
		test -f "$TOP/common/$h" || { echo "$f: no $h" >&2; return 1; }
	done <<-EOF
	$(includes)
	EOF
'

test_expect_success 'every include points to the same floor or down' '
	while read -r f h; do
		from=$(floor "${f%%/*}") to=$(floor "${h%%/*}")
		if [ "$to" -gt "$from" ] || { [ "$to" -eq "$from" ] && [ "${f%%/*}" != "${h%%/*}" ]; }; then
			echo "$f includes $h: ${f%%/*} may not use ${h%%/*}" >&2
			return 1
		fi
	done <<-EOF
	$(includes)
	EOF
'

test_done
