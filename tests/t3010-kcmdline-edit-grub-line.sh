#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kcmdline-edit and GRUB's two variables: the line normal entries boot is
# "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT" after /etc/default/grub
# and the grub.d drop-ins, and the kernel takes the last value of a
# parameter.  Every combination of where a parameter is (neither variable,
# one, both, with the value asked or another, drop-ins that set the
# variable again), each edit judged by dash sourcing the files and that
# rule; passcheck's boot-cmdline check on the same files agrees.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide

# booted ROOT: the line normal entries boot, as grub-mkconfig's shell
# computes it.
booted() {
	dash -c '. "$1/etc/default/grub" >/dev/null 2>&1
		for x in "$1"/etc/default/grub.d/*.cfg; do
			if [ -e "$x" ]; then . "$x" >/dev/null 2>&1; fi
		done
		printf "%s\n" "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"' sh "$1"
}

# recovery ROOT: the line recovery entries boot (Debian's 10_linux).
recovery() {
	dash -c '. "$1/etc/default/grub" >/dev/null 2>&1
		for x in "$1"/etc/default/grub.d/*.cfg; do
			if [ -e "$x" ]; then . "$x" >/dev/null 2>&1; fi
		done
		printf "%s\n" "single $GRUB_CMDLINE_LINUX"' sh "$1"
}

# value KEY: the value in effect for KEY in the line on standard input, as
# the kernel takes it (the last one, '-' and '_' alike); "-" when absent,
# "" for a bare word.
value() {
	awk -v k="$1" '{
		gsub("-", "_", k); v = "-"
		for (i = 1; i <= NF; i++) {
			key = $i; val = ""
			if ((p = index($i, "=")) > 0) { key = substr($i, 1, p - 1); val = substr($i, p + 1) }
			gsub("-", "_", key)
			if (key == k) v = val
		}
		print v
	}'
}

# first KEY: the position of KEY's first occurrence in the line on standard input.
first() {
	awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) { print i; exit } } print 0 }'
}

# setup L D DROPIN: a root whose /etc/default/grub sets the two variables
# (each "ro"/"quiet" and, unless "-", intel_iommu=L or =D), with the drop-in
# DROPIN: none, replace (sets _DEFAULT anew), off or on (adds
# intel_iommu=off or =on to _DEFAULT), and an Intel CPU.
setup() {
	rm -rf root && mkdir -p root/etc/default root/proc &&
	printf 'processor\t: 0\nvendor_id\t: GenuineIntel\n\n' >root/proc/cpuinfo &&
	{
		echo '# GRUB settings'
		echo 'GRUB_DEFAULT=0'
		if [ "$1" = - ]; then echo 'GRUB_CMDLINE_LINUX="ro"'; else echo "GRUB_CMDLINE_LINUX=\"ro intel_iommu=$1\""; fi
		if [ "$2" = - ]; then echo 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"'; else echo "GRUB_CMDLINE_LINUX_DEFAULT=\"intel_iommu=$2 quiet\""; fi
	} >root/etc/default/grub || return 1
	case $3 in
	none) ;;
	replace) mkdir -p root/etc/default/grub.d &&
		echo 'GRUB_CMDLINE_LINUX_DEFAULT="splash"' >root/etc/default/grub.d/50-replace.cfg ;;
	off|on) mkdir -p root/etc/default/grub.d &&
		echo "GRUB_CMDLINE_LINUX_DEFAULT=\"\$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=$3\"" \
			>root/etc/default/grub.d/99-iommu.cfg ;;
	esac
}

# A drop-in of kind DROPIN stands in the way of an edit that leaves
# intel_iommu with value WANT ("-" for none).
in_the_way() {
	case $1 in
	off|on) [ "$1" != "$2" ] ;;
	*) false ;;
	esac
}

# check_edit OP WANT_KEY WANT_VALUE: after kcmdline-edit OP in ./root, the
# booted line gives WANT_KEY the value WANT_VALUE ("-": absent), or the
# edit was refused naming the drop-in, nothing changed.
for l in - on off; do
for d in - on off; do
for drop in none replace off on; do
	name="L=$l D=$d drop-in=$drop"
	for op in "-a intel_iommu=on:on" "-a intel_iommu=off:off" "-d intel_iommu:-" "--iommu:on"; do
		args=${op%:*} want=${op##*:}
		if in_the_way $drop $want; then
			test_expect_success "$name: kcmdline-edit $args refused, the drop-in named, nothing changed" "
				setup $l $d $drop && cp -R root before &&
				run kcmdline-edit --root root $args && expect_rc 3 &&
				grep_q \"root/etc/default/grub.d/99-iommu.cfg' line 1 sets GRUB_CMDLINE_LINUX_DEFAULT again\" err &&
				grep_q 'nothing changed' err && same_tree before root
			"
			continue
		fi
		test_expect_success "$name: kcmdline-edit $args: the line GRUB boots says it; --check agrees" "
			setup $l $d $drop && g=root/etc/default/grub &&
			before=\$(booted root) && already=no &&
			if [ \"\$(echo \"\$before\" | value intel_iommu)\" = '$want' ] &&
			   { [ '$args' != --iommu ] || [ \"\$(echo \"\$before\" | value iommu)\" = pt ]; }; then
				already=yes
			fi &&
			run kcmdline-edit --root root --check $args &&
			if [ \$already = yes ]; then expect_rc 0; else expect_rc 1; fi &&
			cp \$g orig &&
			run kcmdline-edit --root root $args && expect_rc 0 &&
			if [ \$already = yes ]; then
				grep_q 'already says this; nothing changed' out && cmp orig \$g
			else
				grep_q \"^updated 'root/etc/default/grub'\" out
			fi &&
			after=\$(booted root) &&
			test \"\$(echo \"\$after\" | value intel_iommu)\" = '$want' &&
			if [ '$args' = --iommu ]; then test \"\$(echo \"\$after\" | value iommu)\" = pt; fi &&
			if [ '$args' != --iommu ] && [ '$want' != - ] &&
			   [ \"\$(echo \"\$before\" | first intel_iommu)\" != 0 ]; then
				test \"\$(echo \"\$after\" | first intel_iommu)\" = \"\$(echo \"\$before\" | first intel_iommu)\"
			fi &&
			dash -n \$g &&
			cp \$g once && run kcmdline-edit --root root $args && expect_rc 0 &&
			grep_q 'already says this; nothing changed' out && cmp once \$g &&
			run kcmdline-edit --root root --check $args && expect_rc 0
		"
	done
	test_expect_success "$name: --list shows every file read and the lines GRUB boots" "
		setup $l $d $drop &&
		run kcmdline-edit --root root --list && expect_rc 0 &&
		grep_q '^root/etc/default/grub: read\$' out &&
		for f in root/etc/default/grub.d/*.cfg; do
			if [ -e \"\$f\" ]; then grep_q \"^\$f: read\\\$\" out || return 1; fi
		done &&
		echo \"\$(booted root)\" | sed 's/^ *//; s/ *\$//' >expect &&
		sed -n 's/^root\\/etc\\/default\\/grub: normal entries boot: //p' out >got && test_cmp expect got &&
		echo \"\$(recovery root)\" | sed 's/^ *//; s/ *\$//' >expect &&
		sed -n 's/^root\\/etc\\/default\\/grub: recovery entries boot: //p' out >got && test_cmp expect got &&
		test \$(grep -c ': intel_iommu=\\|: ro\$\\|: quiet\$\\|: splash\$' out) -eq \$(booted root | wc -w) &&
		kcmdline-edit --root root --list -J | python3 -c '
import json, sys
d = json.load(sys.stdin)[\"cmdlines\"]
n = [c for c in d if c[\"entries\"] == \"normal\"][0]
assert \" \".join(p[\"text\"] for p in n[\"parameters\"]) == sys.argv[1].strip(), (n, sys.argv[1])
for p in n[\"parameters\"]:
	assert p[\"variable\"] in (\"GRUB_CMDLINE_LINUX\", \"GRUB_CMDLINE_LINUX_DEFAULT\"), p
' \"\$(booted root)\"
	"
	test_expect_success "$name: passcheck's boot-cmdline and kcmdline-edit --check --iommu agree" "
		setup $l $d $drop && rm -rf host && cp -R '$Z' host && mkdir -p host/dev && mknod host/dev/kvm c 10 232 &&
		mkdir -p host/etc && cp -R root/etc/default host/etc/ &&
		run kcmdline-edit --root host --check --iommu && rc=\$rc &&
		run passcheck --root host &&
		if [ \$rc = 0 ]; then
			grep_q '^PASS boot-cmdline: ' out
		else
			grep_q \"^WARN boot-cmdline: 'host/etc/default/grub'\" out
		fi
	"
done
done
done

# Every boot fixture: passcheck's boot-cmdline check and kcmdline-edit read
# the same files and judge them alike, before and after --iommu.

# Shell forms that dash and bash read differently.  grub-mkconfig is a
# /bin/sh script: dash on Debian and Ubuntu, bash elsewhere.  Each file
# below is judged by both shells, sourcing it as grub-mkconfig does.

# line_by SHELL ROOT: the line normal entries boot when SHELL runs
# grub-mkconfig on ROOT, or "(stopped)" when SHELL stops in the file.
line_by() {
	"$1" -c '. "$1/etc/default/grub" >/dev/null 2>&1
		printf "%s\n" "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"' sh "$2" 2>/dev/null |
		sed 's/^ *//; s/ *$//' | grep . || echo "(stopped)"
}

# grub_file TEXT: ./root with TEXT (printf's escapes) as /etc/default/grub.
grub_file() {
	rm -rf root && mkdir -p root/etc/default && printf "$1" >root/etc/default/grub &&
	cp root/etc/default/grub before
}

# refused N WHY: kcmdline-edit --add and --check refuse with the file, line N
# and WHY, and change nothing; --list refuses too.
refused() {
	for args in '-a intel_iommu=on' '--check -a intel_iommu=on' '--list'; do
		run kcmdline-edit --root root --grub $args && expect_rc 3 &&
		grep_q "^kcmdline-edit: cannot edit GRUB_CMDLINE_LINUX in 'root/etc/default/grub': line $1: $2.*; nothing changed\$" err &&
		test_cmp before root/etc/default/grub || return 1
	done
}

while IFS='|' read -r name text line why; do
	test_expect_success "dash and bash differ on $name: kcmdline-edit refuses, names the line, changes nothing" "
		grub_file '$text' &&
		line_by dash root >by-dash && line_by bash root >by-bash &&
		! cmp -s by-dash by-bash &&
		refused $line \"$why\"
	"
done <<'EOF'
+=|GRUB_CMDLINE_LINUX="quiet"\nGRUB_CMDLINE_LINUX+=" rhgb"\n|2|'+=' adds to it under bash
declare|GRUB_CMDLINE_LINUX="quiet"\ndeclare GRUB_CMDLINE_LINUX="rd.luks.uuid=x"\n|2|bash's declare, typeset or local sets it
typeset|GRUB_CMDLINE_LINUX="quiet"\ntypeset -x GRUB_CMDLINE_LINUX="rd.luks.uuid=x"\n|2|bash's declare, typeset or local sets it
local outside a function|GRUB_CMDLINE_LINUX="quiet"\nlocal GRUB_CMDLINE_LINUX="x"\n|2|local is for functions
a readonly variable assigned again|readonly GRUB_CMDLINE_LINUX="a b"\nGRUB_CMDLINE_LINUX="c"\n|2|it is readonly since line 1
a readonly variable assigned again later|GRUB_CMDLINE_LINUX=a\nreadonly GRUB_CMDLINE_LINUX\nGRUB_CMDLINE_LINUX=b\n|3|it is readonly since line 2
function NAME {|GRUB_CMDLINE_LINUX="quiet"\nfunction f { GRUB_CMDLINE_LINUX="x"; }\nf\n|2|'function' defines a function under bash
what follows function NAME {|function f {\n\t:\n}\nGRUB_CMDLINE_LINUX="quiet"\n|4|dash stops reading the file at line 1
EOF

test_expect_success "an assignment in a case branch: the value depends on what it matches; kcmdline-edit refuses, nothing changed" "
	grub_file 'GRUB_CMDLINE_LINUX=\"quiet\"\ncase \"\$ARCH\" in\nx86_64) GRUB_CMDLINE_LINUX=\"splash\" ;;\nesac\n' &&
	for sh in dash bash; do
		ARCH=x86_64 line_by \$sh root >matched && ARCH=aarch64 line_by \$sh root >unmatched &&
		! cmp -s matched unmatched || return 1
	done &&
	refused 3 'it is assigned inside a condition, a loop, a function, a subshell or for one command only'
"

while IFS='|' read -r name text; do
	test_expect_success "dash and bash agree on $name: --list says their line, and --iommu reaches it for both" "
		grub_file '$text' && mkdir -p root/proc &&
		printf 'processor\t: 0\nvendor_id\t: GenuineIntel\n\n' >root/proc/cpuinfo &&
		line_by dash root >by-dash && line_by bash root >by-bash && test_cmp by-dash by-bash &&
		run kcmdline-edit --root root --grub --list && expect_rc 0 &&
		sed -n 's/^root\/etc\/default\/grub: normal entries boot: //p' out >listed &&
		test_cmp by-dash listed &&
		run kcmdline-edit --root root --grub --iommu && expect_rc 0 &&
		for sh in dash bash; do
			test \"\$(line_by \$sh root | value intel_iommu)\" = on &&
			test \"\$(line_by \$sh root | value iommu)\" = pt || return 1
		done &&
		line_by dash root >by-dash && line_by bash root >by-bash && test_cmp by-dash by-bash &&
		run kcmdline-edit --root root --grub --check --iommu && expect_rc 0
	"
done <<'EOF'
export NAME=VALUE|GRUB_CMDLINE_LINUX="quiet"\nexport GRUB_CMDLINE_LINUX="a b"\n
export NAME=$OTHER, unquoted|Y="p q"\nexport GRUB_CMDLINE_LINUX=$Y\n
export of two|export GRUB_CMDLINE_LINUX="a" GRUB_CMDLINE_LINUX_DEFAULT="b c"\n
readonly NAME=VALUE, never assigned again|GRUB_CMDLINE_LINUX="quiet"\nreadonly GRUB_CMDLINE_LINUX="a b"\n
readonly NAME, the other one assigned after|GRUB_CMDLINE_LINUX=a\nreadonly GRUB_CMDLINE_LINUX\nGRUB_CMDLINE_LINUX_DEFAULT=b\n
local inside a function never called|f() { local GRUB_CMDLINE_LINUX=x; }\nGRUB_CMDLINE_LINUX="quiet"\n
EOF

# files: the files kcmdline-edit --list -J read command lines from, sorted.
files() {
	kcmdline-edit --root host --list -J |
		python3 -c 'import json, sys; print("\n".join(sorted({c["file"] for c in json.load(sys.stdin)["cmdlines"]})))'
}

# named: the files passcheck's boot-cmdline lines name, sorted.
named() {
	grep '^[A-Z]* boot-cmdline: ' out | grep -o "'host/[^']*'" | tr -d "'" | sed 's/:[0-9]*$//' | sort -u
}

for f in "$FIXTURES"/boot/*/; do
	n=$(basename "$f")
	[ "$n" = handmade ] && continue
	test_expect_success "$n: passcheck and kcmdline-edit read the same files and agree, before and after --iommu" "
		rm -rf host && cp -R '$Z' host && mkdir -p host/dev && mknod host/dev/kvm c 10 232 &&
		cp -R '$f'. host/ &&
		files >listed && test -s listed &&
		run kcmdline-edit --root host --check --iommu && expect_rc 1 &&
		run passcheck --root host && named >seen && test_cmp listed seen &&
		test \$(grep -c '^WARN boot-cmdline: .* does not set intel_iommu=on, iommu=pt, which the running kernel was booted with' out) -ge 1 &&
		! grep -q '^PASS boot-cmdline' out &&
		run kcmdline-edit --root host --iommu && expect_rc 0 &&
		run kcmdline-edit --root host --check --iommu && expect_rc 0 &&
		run passcheck --root host && grep_q '^PASS boot-cmdline: ' out && ! grep -q '^WARN boot-cmdline' out &&
		named >seen && test_cmp listed seen
	"
done

test_done
