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

# "INCLUDER INCLUDED" for the includes between two modules of common/, a
# module being a folder/basename (x.c with its x.h).
module_includes() {
	includes | sed 's/\.[ch]\( \|$\)/\1/g' | awk '$1 != $2'
}

test_expect_success 'no two modules of common/ include each other, directly or through others' '
	module_includes >pairs &&
	test -s pairs &&
	tsort pairs >/dev/null 2>loop || { cat loop >&2; return 1; }
'

# "USER DEFINER" for the calls between two modules of common/FOLDER: the
# symbols each object needs, and which object of the folder defines them.
module_calls() {
	(cd "$BUILD/common" &&
	 for o in "$1"/*.o; do
		nm --defined-only --extern-only --format=posix "$o" | awk -v m="${o%.o}" '{ print "D", $1, m }'
		nm --undefined-only --format=posix "$o" | awk -v m="${o%.o}" '{ print "U", $1, m }'
	 done) |
		awk '$1 == "D" { def[$2] = $3; next }
		     { use[NR] = $3 " " $2 }
		     END { for (i in use) { split(use[i], u, " ");
				if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]] } }' |
		sort -u
}

test_expect_success 'initramfs/: the front calls the generators, the generators only what is below them' '
	test -f "$BUILD/common/initramfs/initramfs.o" &&
	module_calls initramfs >calls &&
	grep "^initramfs/initramfs initramfs/gen-mkinitcpio$" calls &&
	tsort calls >/dev/null 2>loop || { cat loop >&2; return 1; }
'

test_done
