#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make deps and make test-deps pick the distribution's package manager
# and run it as root, or print the commands and fail: run with a PATH of
# stubs that log their arguments (apt-get, pacman, dnf, id), so that
# nothing is installed.  And every Debian package named exists.
. "$(dirname "$0")/lib.sh"

MAKE=$(command -v make)
export MAKE

# The build lists make deps installs, one per family.
deb_build='build-essential pkg-config libpci-dev libxml2-dev'
arch_build='gcc make pkgconf pciutils libxml2'
fedora_build='gcc make pkgconf-pkg-config pciutils-devel libxml2-devel'

# stubs UID MANAGER...: ./stubs with id answering UID and each MANAGER
# logging its name, DEBIAN_FRONTEND and arguments to ./log; a MANAGER
# written NAME=N exits N.
stubs() {
	st_uid=$1
	shift
	rm -rf stubs && mkdir stubs && : >log &&
	printf '#!/bin/sh\necho %s\n' "$st_uid" >stubs/id &&
	chmod +x stubs/id &&
	for st_m; do
		printf '#!/bin/sh\necho "%s ${DEBIAN_FRONTEND:+DEBIAN_FRONTEND=$DEBIAN_FRONTEND }$*" >>"%s"\nexit %s\n' \
			"${st_m%%=*}" "$PWD/log" "$(case $st_m in *=*) echo "${st_m#*=}" ;; *) echo 0 ;; esac)" \
			>"stubs/${st_m%%=*}" &&
		chmod +x "stubs/${st_m%%=*}" || return 1
	done
}

# os ID [ID_LIKE]: ./os-release saying so.
os() {
	{
		echo 'NAME="Some Linux"'
		echo "ID=$1"
		if [ -n "${2:-}" ]; then echo "ID_LIKE=\"$2\""; fi
	} >os-release
}

# mk TARGET: make -s TARGET in the source tree with PATH the stubs only
# and ./os-release (or none), output in ./out and ./err, status in $rc.
mk() {
	[ -f os-release ] || echo 'ID=none' >os-release
	run env -i PATH="$PWD/stubs" OS_RELEASE="$PWD/os-release" "$MAKE" -s -C "$TOP" --no-print-directory "$1"
}

# var NAME: the value of make variable NAME, as make test-deps sees it.
var() {
	"$MAKE" -s -C "$TOP" --no-print-directory --eval 'print-var-%: ; @echo $(strip $($*))' "print-var-$1"
}

test_expect_success 'root with apt-get: make deps installs the Debian build list' "
	stubs 0 apt-get && os debian &&
	mk deps && expect_rc 0 &&
	printf '%s\n' 'apt-get update' \
		'apt-get DEBIAN_FRONTEND=noninteractive install -y --no-install-recommends $deb_build' >expect &&
	test_cmp expect log &&
	grep_q '^DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $deb_build\$' out
"

test_expect_success 'root with pacman only: make deps runs pacman with the Arch list' "
	stubs 0 pacman &&
	mk deps && expect_rc 0 &&
	echo 'pacman -S --needed --noconfirm $arch_build' >expect &&
	test_cmp expect log
"

test_expect_success 'root with dnf only: make deps runs dnf with the Fedora list' "
	stubs 0 dnf &&
	mk deps && expect_rc 0 &&
	echo 'dnf install -y $fedora_build' >expect &&
	test_cmp expect log
"

test_expect_success 'os-release picks among the package managers on PATH, ID before ID_LIKE' "
	stubs 0 apt-get pacman dnf &&
	os arch && mk deps && expect_rc 0 && grep_q '^pacman ' log && ! grep -v '^pacman ' log &&
	stubs 0 apt-get pacman dnf &&
	os manjaro arch && mk deps && expect_rc 0 && grep_q '^pacman ' log && ! grep -v '^pacman ' log &&
	stubs 0 apt-get pacman dnf &&
	os rocky 'rhel centos fedora' && mk deps && expect_rc 0 && grep_q '^dnf ' log && ! grep -v '^dnf ' log &&
	stubs 0 apt-get pacman dnf &&
	os linuxmint 'ubuntu debian' && mk deps && expect_rc 0 && grep_q '^apt-get ' log && ! grep -v '^apt-get ' log
"

test_expect_success 'the package manager on PATH when os-release names one that is not' "
	stubs 0 apt-get &&
	os fedora && mk deps && expect_rc 0 && grep_q '^apt-get .*install' log &&
	stubs 0 dnf pacman &&
	os debian && mk deps && expect_rc 0 && grep_q '^pacman ' log && ! grep -v '^pacman ' log
"

test_expect_success 'not root: the commands printed, nothing run, exit non-zero' "
	stubs 1000 apt-get && os debian &&
	mk deps && expect_rc 2 &&
	test ! -s log &&
	printf '%s\n' 'make deps: not root; as root, run:' '  apt-get update' \
		'  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $deb_build' >expect &&
	head -n 3 err >got && test_cmp expect got &&
	stubs 1000 pacman && mk deps && expect_rc 2 && test ! -s log &&
	grep_q '^  pacman -S --needed --noconfirm $arch_build\$' err
"

test_expect_success "no package manager: every family's commands printed, exit non-zero" "
	stubs 0 && os arch &&
	mk deps && expect_rc 2 &&
	grep_q '^make deps: no apt-get, pacman or dnf on PATH' err &&
	grep_q '^  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $deb_build\$' err &&
	grep_q '^  pacman -S --needed --noconfirm $arch_build\$' err &&
	grep_q '^  dnf install -y $fedora_build\$' err
"

test_expect_success 'a failing package manager: exit non-zero, said' "
	stubs 0 apt-get=100 && os debian &&
	mk deps && expect_rc 2 &&
	grep_q \"^make deps: 'apt-get update' failed with exit status 100\\\$\" err &&
	echo 'apt-get update' >expect && test_cmp expect log &&
	stubs 0 dnf=1 && mk deps && expect_rc 2 &&
	grep_q \"^make deps: 'dnf install -y $fedora_build' failed with exit status 1\\\$\" err
"

test_expect_success 'make test-deps on Debian: the build list, the test lab and the packaging tools' "
	stubs 0 apt-get && os debian &&
	mk test-deps && expect_rc 0 &&
	want=\$(var DEPS_BUILD; var DEPS_TEST; var DEPS_VM; var DEPS_ANSIBLE; var DEPS_PACKAGE) &&
	printf '%s\n' 'apt-get update' \
		\"apt-get DEBIAN_FRONTEND=noninteractive install -y --no-install-recommends \$(echo \$want)\" >expect &&
	test_cmp expect log &&
	for p in $deb_build qemu-system-x86 ovmf busybox-static mandoc zsh fish libvirt-clients valgrind ansible-core; do
		grep_q \" \$p\\( \\|\\\$\\)\" log || return 1
	done &&
	grep_q '^For make fuzz: apt-get install clang' out
"

test_expect_success 'make test-deps elsewhere: the closest list and what it lacks, nothing run' "
	stubs 0 pacman && os arch &&
	mk test-deps && expect_rc 2 && test ! -s log &&
	grep_q '^make test-deps: the test lab is for Debian and Ubuntu: .*apt-get download' err &&
	grep_q '^  pacman -S --needed --noconfirm $arch_build .*qemu-system-x86' err &&
	stubs 0 dnf && os fedora &&
	mk test-deps && expect_rc 2 && test ! -s log &&
	grep_q '^  dnf install -y $fedora_build .*qemu-system-x86' err
"

if command -v apt-cache >/dev/null; then
	test_expect_success 'every Debian package named is one of the distribution' "
		names=\$(for v in DEPS_BUILD DEPS_TEST DEPS_VM DEPS_ANSIBLE DEPS_PACKAGE DEPS_FUZZ; do var \$v; done) &&
		test -n \"\$names\" && n=0 &&
		apt-cache show --no-all-versions \$names >show 2>err || { cat err; return 1; }
		for p in \$names; do
			grep -q -x \"Package: \$p\" show || { echo \"no Debian package \$p\"; return 1; }
			n=\$((n + 1))
		done &&
		echo \"# \$n Debian packages\" >&3
	" 3>&1
else
	test_skip 'every Debian package named is one of the distribution' 'no apt-cache here'
fi

test_done
