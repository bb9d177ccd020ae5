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

# "USER DEFINER" for the calls between two modules of common/: the symbols
# each object needs, and which object defines them.
module_calls() {
	(cd "$BUILD/common" && nm -A --format=posix */*.o) |
		awk '{ m = $1; sub(/\.o:$/, "", m)
		       if ($3 == "U") use[NR] = m " " $2
		       else if ($3 ~ /^[TDRB]$/) def[$2] = m }
		     END { for (i in use) { split(use[i], u, " ");
				if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]] } }' |
		sort -u
}

calls=$(module_calls)

test_expect_success 'calls point down too: no module of common/ calls one that calls it back' '
	test -f "$BUILD/common/initramfs/initramfs.o" &&
	printf "%s\n" "$calls" >calls &&
	grep "^initramfs/initramfs initramfs/gen-mkinitcpio$" calls &&
	grep "^boot/boot boot/boot-grub$" calls &&
	tsort calls >/dev/null 2>loop || { cat loop >&2; return 1; }
'

test_expect_success 'calls between folders go to the same floor or down' '
	printf "%s\n" "$calls" | awk "
		BEGIN { f[\"base\"] = 1; f[\"pci\"] = 2; f[\"boot\"] = 2
			f[\"kmod\"] = 3; f[\"virt\"] = 3; f[\"initramfs\"] = 4 }
		{ split(\$1, a, \"/\"); split(\$2, b, \"/\")
		  if (!(a[1] in f) || !(b[1] in f) || f[b[1]] > f[a[1]] ||
		      (f[b[1]] == f[a[1]] && a[1] != b[1])) {
			print \$1 \" calls \" \$2 \": \" a[1] \" may not use \" b[1] > \"/dev/stderr\"; bad = 1 } }
		END { exit bad }"
'

test_expect_success 'every .c of cmd/ and common/ includes base/banned.h last' '
	for f in "$TOP"/cmd/*.c "$TOP"/cmd/*/*.c "$TOP"/common/*/*.c; do
		test -f "$f" || continue
		last=$(grep "^#include" "$f" | tail -n 1)
		test "$last" = "#include \"base/banned.h\"" || { echo "$f: $last" >&2; return 1; }
	done
'

test_expect_success 'banned.h refuses what it bans' '
	printf "#include <stdio.h>\n#include <string.h>\n#include \"base/banned.h\"\nvoid f(char *d);\nvoid f(char *d) { strcpy(d, \"x\"); }\n" >b.c &&
	! ${CC:-cc} -I"$TOP/common" -c b.c -o b.o 2>err &&
	grep -q sorry_strcpy_is_a_banned_function err
'

test_done
