#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make dist, and the three distributions' packages built from its tarball,
# each judged by that distribution's own tools: dpkg-buildpackage, lintian
# and dpkg for the Debian package, rpmbuild and rpm for the RPM, bash
# running the PKGBUILD's functions as makepkg would for Arch.  Each
# package's files are compared with the set the repository says it must
# hold (cmd/, man1/, completions/), under that distribution's paths, and
# its installed tools run.  A missing tool is a failure: make test-deps
# installs them (DEPS_PACKAGE).
. "$(dirname "$0")/lib.sh"

# The packages are built with the distributions' flags whatever BUILD
# says: the sanitized run of make check would build the same three again.
case $BUILD in
*/sanitize) skip_all "the packages do not use the sanitized build; the plain run of make check builds them" ;;
esac

version=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
dist=vfio-utils-$version
tools=$(cd "$TOP/cmd" && ls | sed 's/\.c$//')
for t in dpkg-buildpackage dh lintian dpkg-deb rpmbuild rpm tar gzip; do
	command -v $t >/dev/null || echo "# $t missing (make test-deps installs it)"
done
# Where the builds are kept between the tests of this script.
PKG=$TEST_TMP/pkg
mkdir -p "$PKG"
export version dist tools PKG

# expected ZSHDIR MANSUFFIX: the files every package holds, sorted, from
# the repository's own folders, never from a package.
expected() {
	{
		for t in $tools; do echo "/usr/bin/$t"; done
		for m in "$TOP"/man1/*.1; do echo "/usr/share/man/man1/${m##*/}$2"; done
		for c in "$TOP"/completions/bash/*; do echo "/usr/share/bash-completion/completions/${c##*/}"; done
		for c in "$TOP"/completions/zsh/_*; do echo "$1/${c##*/}"; done
		for c in "$TOP"/completions/fish/*.fish; do echo "/usr/share/fish/vendor_completions.d/${c##*/}"; done
	} | LC_ALL=C sort
}

# runs_version ROOT: every tool under ROOT/usr/bin says the version.
runs_version() {
	for t in $tools; do
		"$1/usr/bin/$t" --version >v 2>&1 || { cat v; return 1; }
		grep -qx "$t (vfio-utils) $version" v || { echo "$t --version:"; cat v; return 1; }
	done
}

test_expect_success 'make dist: the tracked files under vfio-utils-VERSION/, with MANIFEST' '
	make -s -C "$TOP" dist >log 2>&1 || { cat log; exit 1; }
	test -f "$TOP/build/$dist.tar.gz" &&
	tar -tzf "$TOP/build/$dist.tar.gz" >list &&
	! grep -v "^$dist/" list &&
	if [ -e "$TOP/.git" ]; then git -C "$TOP" ls-files; else sed /^MANIFEST\$/d "$TOP/MANIFEST"; fi |
		sed "s|^|$dist/|" >want &&
	echo "$dist/MANIFEST" >>want &&
	LC_ALL=C sort want >want.s && LC_ALL=C sort list >list.s &&
	test_cmp want.s list.s &&
	cp "$TOP/build/$dist.tar.gz" "$PKG/"
'

test_expect_success 'make dist in the unpacked tarball makes the same tarball, byte for byte' '
	tar -xzf "$PKG/$dist.tar.gz" &&
	test ! -e $dist/.git &&
	make -s -C $dist dist >log 2>&1 || { cat log; exit 1; }
	cmp "$PKG/$dist.tar.gz" $dist/build/$dist.tar.gz
'

test_expect_success 'make dist without .git or MANIFEST fails, saying why' '
	tar -xzf "$PKG/$dist.tar.gz" &&
	rm $dist/MANIFEST &&
	! make -s -C $dist dist >out 2>err &&
	grep -qx "make dist: no .git and no MANIFEST: nothing says which files are the source" err &&
	test ! -e $dist/build/$dist.tar.gz
'

test_expect_success 'make deb, rpm and arch refuse a version other than the Makefile'"'"'s' '
	tar -xzf "$PKG/$dist.tar.gz" &&
	sed -i "1s/([^)]*)/(9.9.9-1)/" $dist/packaging/debian/changelog &&
	sed -i "s/^Version:.*/Version: 9.9.9/" $dist/packaging/rpm/vfio-utils.spec &&
	sed -i "s/^pkgver=.*/pkgver=9.9.9/" $dist/packaging/arch/PKGBUILD &&
	for t in deb:packaging/debian/changelog rpm:packaging/rpm/vfio-utils.spec arch:packaging/arch/PKGBUILD; do
		! make -s -C $dist ${t%%:*} >out 2>err &&
		grep -qx "make ${t%%:*}: ${t#*:} says version 9.9.9, the Makefile $version" err ||
			{ cat out err; exit 1; }
	done &&
	test ! -e $dist/build
'

test_expect_success 'make deb: dpkg-buildpackage -us -uc -b builds build/vfio-utils_VERSION-N_ARCH.deb' '
	rm -f "$TOP"/build/vfio-utils_*.deb &&
	DEB_BUILD_OPTIONS="parallel=2 noautodbgsym" make -C "$TOP" deb >log 2>&1 || { tail -40 log; exit 1; }
	grep -q "^dpkg-buildpackage: info: binary-only upload" log &&
	grep -q "^	make .*check-unit\$" log &&
	set -- "$TOP"/build/vfio-utils_"$version"-*_$(dpkg --print-architecture).deb &&
	test -f "$1" && cp "$1" "$PKG/vfio-utils.deb"
'

test_expect_success 'lintian finds no error in the .deb (its warnings listed below)' '
	test -s "$PKG/vfio-utils.deb" &&
	{ lintian --pedantic --fail-on error "$PKG/vfio-utils.deb" >out 2>err; rc=$?; } ;
	cat out >"$PKG/lintian"
	test $rc = 0 || { cat out err; exit 1; }
	! grep "^E:" out
'
if [ -f "$PKG/lintian" ]; then
	sed 's/^/# lintian: /' "$PKG/lintian"
	echo "# lintian: $(grep -c . "$PKG/lintian") finding(s), none an error"
fi

test_expect_success 'the .deb, installed in a scratch root by dpkg, holds what Debian reads where it reads it' '
	mkdir -p root/var/lib/dpkg/info root/var/lib/dpkg/updates &&
	: >root/var/lib/dpkg/status &&
	# The root has no libc6 or libpci3 for the dependencies; the host
	# dpkg.cfg.d may exclude /usr/share/doc and man pages (container
	# images do), which --path-include takes back.
	dpkg --root="$PWD/root" --log=/dev/null --force-depends --force-not-root \
		--path-include="*" -i "$PKG/vfio-utils.deb" >log 2>&1 || { cat log; exit 1; }
	dpkg-query --root="$PWD/root" -W -f "\${db:Status-Status} \${Version}\n" vfio-utils >st &&
	grep -qx "installed $version-[0-9.]*" st &&
	dpkg-query --root="$PWD/root" -L vfio-utils | while read -r f; do
		test -d "root$f" || echo "$f"
	done | sed "s|^\(/usr/share/doc/vfio-utils/README.md\)\.gz$|\1|" | LC_ALL=C sort >got &&
	{
		expected /usr/share/zsh/vendor-completions .gz
		printf "%s\n" /usr/share/doc/vfio-utils/README.md \
			/usr/share/doc/vfio-utils/changelog.Debian.gz \
			/usr/share/doc/vfio-utils/copyright
	} | LC_ALL=C sort >want &&
	test_cmp want got &&
	dpkg-deb -c "$PKG/vfio-utils.deb" | grep -v "^d" | sed "s|.* \./|/|" | LC_ALL=C sort >deb &&
	comm -3 deb got | sed /README.md/d >diff && test_cmp /dev/null diff &&
	runs_version root
'

test_expect_success 'the .deb'"'"'s completion folders are those this machine'"'"'s bash-completion, zsh and fish read' '
	{
		env -u XDG_DATA_DIRS bash -c ". \"\$0\" && set -x && __load_completion vfio-utils-no-such-command" \
			"$(pkg-config --variable=datadir bash-completion)/bash-completion/bash_completion" 2>&1 |
			sed -n "s/^+* \[\[ -d \(\/.*\) \]\]\$/\1/p"
		env -u XDG_DATA_DIRS zsh -c "print -l \$fpath"
		env -u XDG_DATA_DIRS HOME="$PWD/home" fish -c "printf \"%s\n\" \$fish_complete_path"
	} >dirs &&
	dpkg-deb -c "$PKG/vfio-utils.deb" | grep -v "^d" | sed "s|.* \./|/|" |
		grep -e /bash-completion/ -e /zsh/ -e /fish/ | sed "s|/[^/]*\$||" | sort -u >comp &&
	test $(wc -l <comp) = 3 &&
	while read -r d; do
		grep -qx "$d" dirs || { echo "no shell reads $d:"; cat dirs; exit 1; }
	done <comp
'

test_expect_success 'the .deb depends on the libraries the tools link, found by dpkg-shlibdeps' '
	dpkg-deb -f "$PKG/vfio-utils.deb" Depends >dep &&
	grep -q "libpci3" dep && grep -q "libxml2" dep && grep -q "libc6" dep
'

test_expect_success 'make rpm: rpmbuild -bb builds build/vfio-utils-VERSION-N.ARCH.rpm' '
	rm -f "$TOP"/build/vfio-utils-*.rpm &&
	make -C "$TOP" rpm >log 2>&1 || { tail -40 log; exit 1; }
	grep -q "^+ /usr/bin/make .*check-unit" log &&
	set -- "$TOP"/build/vfio-utils-"$version"-*.rpm &&
	test -f "$1" && cp "$1" "$PKG/vfio-utils.rpm"
'

test_expect_success 'rpm -qlp: the RPM holds what Fedora reads where it reads it' '
	# Debian'"'"'s rpm names the doc folder NAME-VERSION and does not
	# compress man pages, Fedora'"'"'s NAME and .gz; the build-id links
	# are rpm'"'"'s own.
	rpm -qp --qf "[%{FILEMODES:perms} %{FILENAMES}\n]" "$PKG/vfio-utils.rpm" >all &&
	grep -v "^d" all | sed "s/^[^ ]* //" | grep -v "^/usr/lib/\.build-id/" |
		sed -e "s|^\(/usr/share/man/man1/.*\.1\)\.gz$|\1|" \
		    -e "s,^\(/usr/share/\(doc\|licenses\)/vfio-utils\)-$version/,\1/," |
		LC_ALL=C sort >got &&
	{
		expected /usr/share/zsh/site-functions ""
		printf "%s\n" /usr/share/doc/vfio-utils/README.md /usr/share/licenses/vfio-utils/LICENSE
	} | LC_ALL=C sort >want &&
	test_cmp want got &&
	test "$(rpm -qp --qf %{VERSION} "$PKG/vfio-utils.rpm")" = "$version" &&
	rpm2cpio "$PKG/vfio-utils.rpm" >cpio && mkdir root && (cd root && cpio -idm --quiet <../cpio) &&
	runs_version root
'

test_expect_success 'the PKGBUILD: pkgver is the Makefile'"'"'s VERSION, make arch gives the tarball'"'"'s sum' '
	test "$(sed -n "s/^pkgver=//p" "$TOP/packaging/arch/PKGBUILD")" = "$version" &&
	make -s -C "$TOP" arch >log 2>&1 || { cat log; exit 1; }
	test "$(bash -c ". \"$TOP/build/arch/PKGBUILD\" && echo \$pkgver")" = "$version" &&
	cmp "$TOP/build/arch/$dist.tar.gz" "$PKG/$dist.tar.gz" &&
	sum=$(sha256sum "$PKG/$dist.tar.gz" | cut -d" " -f1) &&
	test "$(bash -c ". \"$TOP/build/arch/PKGBUILD\" && echo \${sha256sums[0]}")" = "$sum"
'

test_expect_success 'the PKGBUILD'"'"'s build, check and package, run by bash as makepkg does' '
	mkdir src pkg &&
	tar -xzf "$TOP/build/arch/$dist.tar.gz" -C src &&
	srcdir=$PWD/src pkgdir=$PWD/pkg bash -ec "
		. \"$TOP/build/arch/PKGBUILD\"
		test \"\${source[0]}\" = \$pkgname-\$pkgver.tar.gz
		for d in pciutils libxml2; do
			case \" \${depends[*]} \" in *\" \$d \"*) ;; *) echo \"no \$d in depends\"; exit 1 ;; esac
		done
		cd \"\$srcdir\"
		MAKEFLAGS=-j2 build
		cd \"\$srcdir\"
		check
		cd \"\$srcdir\"
		package
	" >log 2>&1 || { tail -30 log; exit 1; }
	(cd pkg && find . ! -type d) | sed "s|^\.||" | LC_ALL=C sort >got &&
	{
		expected /usr/share/zsh/site-functions ""
		echo /usr/share/doc/vfio-utils/README.md
	} | LC_ALL=C sort >want &&
	test_cmp want got &&
	runs_version pkg
'

test_done
