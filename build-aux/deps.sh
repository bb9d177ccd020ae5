#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make deps and make test-deps: install packages with the distribution's
# package manager, or print the command where that cannot be done.
#
#	deps.sh TARGET DEBIAN ARCH FEDORA [NOTE]
#
# TARGET names the make target in messages; DEBIAN, ARCH and FEDORA are
# each family's package list.  With NOTE, only the Debian family installs:
# on Arch and Fedora the list is the closest there is, printed after NOTE
# (what has no equivalent) for the user to judge, and the exit status is 1.
#
# The family: the first word of ID, then of ID_LIKE, in os-release
# (OS_RELEASE, default /etc/os-release) that names one whose package
# manager is on PATH; otherwise the first of apt-get, pacman and dnf on
# PATH.  Not root, or no family: the commands are printed, status 1.  The
# package manager failing: status 1.  Only the shell's builtins, id and
# the package manager are run, so that a stub PATH can stand in for them.

target=$1
list_debian=$2
list_arch=$3
list_fedora=$4
note=${5:-}

# manager FAMILY: its package manager's name.
manager() {
	case $1 in
	debian) echo apt-get ;;
	arch) echo pacman ;;
	fedora) echo dnf ;;
	esac
}

# commands FAMILY: the commands that install FAMILY's list, one a line.
commands() {
	case $1 in
	debian)
		echo 'apt-get update'
		echo "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $list_debian"
		;;
	arch)
		echo "pacman -S --needed --noconfirm $list_arch"
		;;
	fedora)
		echo "dnf install -y $list_fedora"
		;;
	esac
}

# os_family WORD: the family an os-release ID names, if one.
os_family() {
	case $1 in
	debian | ubuntu) echo debian ;;
	arch) echo arch ;;
	fedora) echo fedora ;;
	esac
}

# The words of ID then ID_LIKE, read as os-release(5) writes them
# (KEY=value, the value maybe quoted), without running the file.
os_words=
os_like=
if [ -r "${OS_RELEASE:-/etc/os-release}" ]; then
	while IFS='=' read -r key value; do
		value=${value#[\"\']}
		value=${value%[\"\']}
		case $key in
		ID) os_words=$value ;;
		ID_LIKE) os_like=$value ;;
		esac
	done <"${OS_RELEASE:-/etc/os-release}"
fi

family=
for word in $os_words $os_like; do
	f=$(os_family "$word")
	if [ -n "$f" ] && command -v "$(manager "$f")" >/dev/null 2>&1; then
		family=$f
		break
	fi
done
if [ -z "$family" ]; then
	for f in debian arch fedora; do
		if command -v "$(manager "$f")" >/dev/null 2>&1; then
			family=$f
			break
		fi
	done
fi

# show FAMILY: its commands, indented, under its name.
show() {
	case $1 in
	debian) echo 'Debian, Ubuntu:' ;;
	arch) echo 'Arch:' ;;
	fedora) echo 'Fedora:' ;;
	esac
	commands "$1" | while IFS= read -r line; do echo "  $line"; done
}

if [ -z "$family" ]; then
	echo "make $target: no apt-get, pacman or dnf on PATH; as root, run the commands of your distribution:" >&2
	show debian >&2
	[ -z "$note" ] || echo "Elsewhere, $note" >&2
	show arch >&2
	show fedora >&2
	exit 1
fi

if [ -n "$note" ] && [ $family != debian ]; then
	echo "make $target: $note" >&2
	show $family >&2
	exit 1
fi

if [ "$(id -u)" != 0 ]; then
	echo "make $target: not root; as root, run:" >&2
	commands $family | while IFS= read -r line; do echo "  $line"; done >&2
	exit 1
fi

# One command a line, run in this shell (not a pipe's subshell, whose
# standard input the package manager would get).
nl='
'
lines=$(commands $family)
IFS=$nl
set -f
set -- $lines
set +f
unset IFS
for line; do
	echo "$line"
	# The lines are ours: the lists are package names, without quotes.
	eval "$line" || {
		rc=$?
		echo "make $target: '$line' failed with exit status $rc" >&2
		exit 1
	}
done
