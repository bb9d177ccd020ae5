#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# grub.sh [-o FILE]: kcmdline-edit --check on two large /etc/default/grub
# files, 32,000 variables (800 kB) and 1 MB of comments and assignments
# that take $GRUB_CMDLINE_LINUX, and print a Markdown report: median wall
# and CPU time of RUNS (default 5) runs, instructions counted by callgrind
# and the largest resident set.  Fails when the median run takes more CPU
# time (user and system: what a busy machine makes it wait for the
# processor does not count) than MAX_SECONDS (default 2), or more
# instructions than its bound below.  With -o, the
# report also replaces what FILE holds between its "bench-grub:begin" and
# "bench-grub:end" comment lines.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
RUNS=${RUNS:-5}
MAX_SECONDS=${MAX_SECONDS:-2}

# The instruction bounds: a fifth above what kcmdline-edit took on these
# files when they were set (3,018 and 1,156 million, docs/benchmarks.md),
# callgrind's counts varying by far less than that from run to run.
declare -A bound=([vars-32000]=3600000000 [mb-1]=1400000000)

doc=
if [ "${1:-}" = -o ]; then
	doc=${2:?grub.sh: -o needs a file}
	shift 2
fi
command -v valgrind >/dev/null || { echo "grub.sh: no valgrind in PATH" >&2; exit 1; }
[ -x "$BUILD/kcmdline-edit" ] || { echo "grub.sh: no $BUILD/kcmdline-edit: run make first" >&2; exit 1; }

shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm=${TMPDIR:-/tmp}
work=$(mktemp -d "$shm/vfio-utils-bench-grub.XXXXXX")
trap 'rm -rf "$work"' EXIT

# grub NAME: a root whose /etc/default/grub is the case NAME.
mkdir -p "$work/vars-32000/etc/default" "$work/mb-1/etc/default"
awk 'BEGIN {
	print "GRUB_CMDLINE_LINUX=\"quiet\""
	for (i = 1; i <= 32000; i++)
		printf "GRUB_V%d=\"value %d\"\n", i, i
}' >"$work/vars-32000/etc/default/grub"
awk 'BEGIN {
	print "GRUB_CMDLINE_LINUX=\"quiet splash\""
	for (i = 1; n < 1048576; i++) {
		l = sprintf("# a comment line that says nothing %d\nGRUB_V%d=\"value $GRUB_CMDLINE_LINUX %d rd.luks.uuid=0123456789abcdef\"\n", i, i, i)
		printf "%s", l
		n += length(l)
	}
}' >"$work/mb-1/etc/default/grub"

# stats ROOT: "WALL_US CPU_US MAXRSS_KB" of one kcmdline-edit --check run.
stats() {
	python3 -c '
import os, subprocess, sys, time
start = time.monotonic_ns()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
if os.WEXITSTATUS(status) != 1:
	sys.exit("grub.sh: kcmdline-edit --check exited %d, expected 1" % os.WEXITSTATUS(status))
print((time.monotonic_ns() - start) // 1000, round((ru.ru_utime + ru.ru_stime) * 1e6), ru.ru_maxrss)
' "$BUILD/kcmdline-edit" --root "$1" --grub --check -a iommu=pt
}

fail=0
report=$work/report
{
	echo "kcmdline-edit --check -a iommu=pt on a large /etc/default/grub ($RUNS runs):"
	echo
	echo "| file | size | wall (median) | CPU (median) | instructions | bound | max. resident |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
} >"$report"
for c in vars-32000 mb-1; do
	root=$work/$c
	echo "bench: $c" >&2
	walls=() cpus=()
	for ((r = 0; r < RUNS; r++)); do
		read -r wall cpu rss < <(stats "$root")
		walls+=("$wall") cpus+=("$cpu")
	done
	med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	medcpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	ir=$(valgrind --tool=callgrind --callgrind-out-file="$work/$c.callgrind" \
		"$BUILD/kcmdline-edit" --root "$root" --grub --check -a iommu=pt 2>&1 >/dev/null |
		sed -n 's/.*Collected : *//p' || true)
	size=$(wc -c <"$root/etc/default/grub")
	printf '| %s | %d kB | %.2f s | %.2f s | %s | %s | %d MB |\n' "$c" $((size / 1000)) \
		"$(awk -v w="$med" 'BEGIN { print w / 1e6 }')" \
		"$(awk -v w="$medcpu" 'BEGIN { print w / 1e6 }')" \
		"$(printf '%d' "$ir" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta')" \
		"$(printf '%d' "${bound[$c]}" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta')" \
		$((rss / 1024)) >>"$report"
	if [ "$medcpu" -gt $((MAX_SECONDS * 1000000)) ]; then
		echo "grub.sh: $c: $medcpu us of CPU time, more than $MAX_SECONDS s" >&2
		fail=1
	fi
	if [ "$ir" -gt "${bound[$c]}" ]; then
		echo "grub.sh: $c: $ir instructions, more than ${bound[$c]}" >&2
		fail=1
	fi
done
cat "$report"
if [ -n "$doc" ]; then
	awk -v report="$report" '
		/^<!-- bench-grub:end -->/ { skip = 0 }
		!skip { print }
		/^<!-- bench-grub:begin -->/ { while ((getline line < report) > 0) print line; skip = 1 }
	' "$doc" >"$work/doc"
	grep -q '^<!-- bench-grub:end -->' "$work/doc" || { echo "grub.sh: no bench-grub:begin/end lines in '$doc'" >&2; exit 1; }
	cp "$work/doc" "$doc"
	echo "bench: report written to $doc" >&2
fi
exit $fail
