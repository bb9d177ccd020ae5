#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh [-o FILE] [SIZE...]: time iommu-groups and passcheck against
# `lspci -nn` and the classic script on generated sysroots of SIZE PCI
# functions (default 100, 1000 and 10000), side by side in one run, and
# print a Markdown report: median wall times, instructions counted by
# callgrind (which hold steady on a busy machine), system calls counted
# by strace, and their ratios.  With -o, the report also replaces what
# FILE holds between its "bench:begin" and "bench:end" comment lines.
#
# RUNS (default 7) runs give each median; the commands take turns, so
# that a change in the machine's load falls on all of them alike.  The classic script runs lspci
# once per device, and each lspci lists every device: quadratic, so it is
# only run up to CLASSIC_MAX (default 1000) functions.  The callgrind
# profiles of the largest size are kept in BUILD/bench for
# callgrind_annotate.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
RUNS=${RUNS:-7}
CLASSIC_MAX=${CLASSIC_MAX:-1000}
PCI_IDS=${PCI_IDS:-/usr/share/misc/pci.ids}

doc=
if [ "${1:-}" = -o ]; then
	doc=${2:?run.sh: -o needs a file}
	shift 2
fi
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(100 1000 10000); fi

lspci=$(command -v lspci) || { echo 'run.sh: no lspci (pciutils) in PATH' >&2; exit 1; }
for t in valgrind strace; do
	command -v $t >/dev/null || { echo "run.sh: no $t in PATH" >&2; exit 1; }
done
for t in iommu-groups passcheck tests/tools/mksysroot; do
	[ -x "$BUILD/$t" ] || { echo "run.sh: no $BUILD/$t: run make first" >&2; exit 1; }
done

# A scratch directory in memory: the disk must not be what is measured.
shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm=${TMPDIR:-/tmp}
work=$(mktemp -d "$shm/vfio-utils-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$BUILD/bench"

# timed CMD...: "WALL CPU" of one run in microseconds, CPU the user and
# system time of CMD and its children: what a busy machine makes the
# command wait for the processor counts in WALL only.
timed() {
	python3 -c '
import os, subprocess, sys, time
start = time.monotonic_ns()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, ru = os.wait4(p.pid, 0)
print((time.monotonic_ns() - start) // 1000, round((ru.ru_utime + ru.ru_stime) * 1e6))
' "$@"
}

# median US...: their median, in milliseconds.
median() {
	printf '%s\n' "$@" | sort -n |
		awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] / 1000 }'
}

# instructions NAME CMD...: instructions executed in user space, counted
# by callgrind; the profile is kept as $work/NAME.callgrind.
instructions() {
	local name=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$work/$name.callgrind" "$@" \
		>/dev/null 2>"$work/valgrind" || true
	sed -n 's/^==[0-9]*== Collected : //p' "$work/valgrind"
}

# syscalls CMD...: system calls made, counted by strace.
syscalls() {
	strace -f -c -o "$work/strace" "$@" >/dev/null 2>&1 || true
	awk '$NF == "total" { print $4 }' "$work/strace"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "-"; else printf "%.2f×", a / b
	}'
}

# 12345678 as 12,345,678.
commas() {
	echo "$1" | sed -e ':a' -e 's/^\([0-9]*[0-9]\)\([0-9]\{3\}\)/\1,\2/' -e 'ta'
}

declare -A T C I S	# [size,command]: wall ms, CPU ms, instructions, syscalls

commands=('lspci -nn' 'iommu-groups' 'iommu-groups --tree' 'iommu-groups -J' 'iommu-groups --why'
	  'iommu-groups --slots' 'passcheck' 'lspci -nns SLOT')

# argv LABEL: the command line of LABEL on the sysroot $R, in ARGV.
argv() {
	case $1 in
	'lspci -nn')		ARGV=("${L[@]}" -nn) ;;
	'lspci -nns SLOT')	ARGV=("${L[@]}" -nns "$(ls "$R/sys/bus/pci/devices" | tail -n 1)") ;;
	passcheck)		ARGV=("$BUILD/passcheck" --root "$R") ;;
	iommu-groups*)		ARGV=("$BUILD/iommu-groups" --root "$R" ${1#iommu-groups}) ;;
	esac
}

# measure N: every command on the sysroot $R of N functions.
measure() {
	local n=$1 c i keep w
	declare -A wall cpu

	for c in "${commands[@]}"; do
		argv "$c"
		"${ARGV[@]}" >/dev/null 2>&1 || true		# the page cache warm
	done
	for ((i = 0; i < RUNS; i++)); do
		for c in "${commands[@]}"; do
			argv "$c"
			read -r w c_ < <(timed "${ARGV[@]}")
			wall[$c]+=" $w"
			cpu[$c]+=" $c_"
		done
	done
	keep=$([ "$n" = "${sizes[-1]}" ] && echo keep || echo drop)
	for c in "${commands[@]}"; do
		argv "$c"
		T[$n,$c]=$(median ${wall[$c]})
		C[$n,$c]=$(median ${cpu[$c]})
		I[$n,$c]=$(instructions "$keep-${c//[ -]/}" "${ARGV[@]}")
		S[$n,$c]=$(syscalls "${ARGV[@]}")
	done
}

report() {
	local n c first last

	echo '| functions | command | wall ms | CPU ms | CPU × lspci -nn | instructions | instr. × lspci -nn | system calls |'
	echo '|---:|---|---:|---:|---:|---:|---:|---:|'
	for n in "${sizes[@]}"; do
		for c in "${commands[@]}" 'classic script'; do
			printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(commas "$n")" "\`$c\`" \
				"${T[$n,$c]}" "${C[$n,$c]}" "$(ratio "${C[$n,$c]}" "${C[$n,lspci -nn]}")" \
				"$(commas "${I[$n,$c]}")" "$(ratio "${I[$n,$c]}" "${I[$n,lspci -nn]}")" \
				"$(commas "${S[$n,$c]}")"
		done
	done
	echo
	if [ ${#sizes[@]} -gt 1 ]; then
		first=${sizes[-2]} last=${sizes[-1]}
		echo "Growth from $(commas "$first") to $(commas "$last") functions ($((last / first))× as many; the target is under $((last / first + 1))×):"
		echo
		echo '| command | wall time | CPU time | instructions | system calls |'
		echo '|---|---:|---:|---:|---:|'
		for c in "${commands[@]}"; do
			printf '| %s | %s | %s | %s | %s |\n' "\`$c\`" "$(ratio "${T[$last,$c]}" "${T[$first,$c]}")" \
				"$(ratio "${C[$last,$c]}" "${C[$first,$c]}")" \
				"$(ratio "${I[$last,$c]}" "${I[$first,$c]}")" "$(ratio "${S[$last,$c]}" "${S[$first,$c]}")"
		done
		echo
	fi
	echo 'passcheck against iommu-groups (the target is within 2×):'
	echo
	echo '| functions | wall time | CPU time | instructions | system calls |'
	echo '|---:|---:|---:|---:|---:|'
	for n in "${sizes[@]}"; do
		printf '| %s | %s | %s | %s | %s |\n' "$(commas "$n")" \
			"$(ratio "${T[$n,passcheck]}" "${T[$n,iommu-groups]}")" \
			"$(ratio "${C[$n,passcheck]}" "${C[$n,iommu-groups]}")" \
			"$(ratio "${I[$n,passcheck]}" "${I[$n,iommu-groups]}")" \
			"$(ratio "${S[$n,passcheck]}" "${S[$n,iommu-groups]}")"
	done
}

machine() {
	local cpu os

	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	os=$(. /etc/os-release && echo "$PRETTY_NAME")
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $cpu ($(nproc) CPUs available,"
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start), $os, Linux $(uname -r);"
	echo "$(${CC:-cc} --version | head -n 1), libpci $(pkg-config --modversion libpci 2>/dev/null || echo '?'),"
	echo "$("$lspci" --version), $(valgrind --version).  Medians of $RUNS runs (the classic script: one run),"
	echo "CPU time the user and system time of the command and its children; the"
	echo "sysroots in $shm."
}

for n in "${sizes[@]}"; do
	R=$work/root-$n
	echo "bench: $n functions" >&2
	"$TOP/tests/bench/mkspec.sh" "$n" >"$work/spec"
	"$BUILD/tests/tools/mksysroot" -i "$PCI_IDS" "$work/spec" "$R"
	L=("$lspci" -A linux-sysfs -O "sysfs.path=$R/sys/bus/pci" -O hwdb.disable=1
	   -i "$R/usr/share/misc/pci.ids")
	measure "$n"

	# The classic script (tests/classic/iommu.sh, the guide's) reading the
	# tree: its /sys paths moved under the root, its lspci told where
	# sysfs and pci.ids are.
	mkdir -p "$work/classic-bin"
	printf '#!/bin/bash\nexec %s "$@"\n' "$(printf '%q ' "${L[@]}")" >"$work/classic-bin/lspci"
	chmod +x "$work/classic-bin/lspci"
	sed "s|/sys/|$R/sys/|g" "$TOP/tests/classic/iommu.sh" >"$work/classic.sh"
	if [ "$n" -le "$CLASSIC_MAX" ]; then
		read -r w c_ < <(timed bash -c 'PATH=$0/classic-bin:$PATH exec bash "$0/classic.sh"' "$work")
		T[$n,classic script]=$(median "$w")
		C[$n,classic script]=$(median "$c_")
	else
		T[$n,classic script]="not run: over $(awk -v n="$n" -v t="${T[$n,lspci -nns SLOT]}" \
			'BEGIN { printf "%.0f", n * t / 1000 }') s"
		C[$n,classic script]=-
	fi
	I[$n,classic script]=-
	S[$n,classic script]=-
	rm -rf "$R"
done
for f in "$work"/keep-*.callgrind; do
	mv "$f" "$BUILD/bench/${f##*/keep-}"
done

out=$work/report.md
{
	machine
	echo
	report
	echo
	echo "\`lspci -nns SLOT\` is one step of the classic script, which runs it (and a"
	echo "shell) for every function, and each step lists every function: the script's"
	echo "time is more than N times that step, quadratic in N.  It is run only up to"
	echo "$(commas "$CLASSIC_MAX") functions; above, N times one step is a lower bound."
} >"$out"
cat "$out"
if [ -n "$doc" ]; then
	awk -v report="$out" '
		/^<!-- bench:end -->/ { skip = 0 }
		!skip { print }
		/^<!-- bench:begin -->/ { while ((getline line < report) > 0) print line; skip = 1 }
	' "$doc" >"$work/doc"
	grep -q '^<!-- bench:end -->' "$work/doc" || { echo "run.sh: no bench:begin/end lines in '$doc'" >&2; exit 1; }
	cat "$work/doc" >"$doc"
	echo "bench: report written to $doc" >&2
fi
