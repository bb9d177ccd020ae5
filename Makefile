# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-utils: one plain GNU Makefile, no configure step.
#
#   make                 build every tool into build/
#   make check           build, then run every test (TAP, by prove)
#   make check SANITIZE=1  the same with ASan and UBSan
#   make bench           time the tools against lspci on generated hosts
#   make bench-grub      only kcmdline-edit on very large /etc/default/grub files
#   make install         PREFIX, DESTDIR, BINDIR, MANDIR and the completions'
#                        BASHCOMPDIR, ZSHCOMPDIR, FISHCOMPDIR honoured
#   make dist            build/vfio-utils-VERSION.tar.gz
#   make deb, make rpm   the Debian and RPM packages from it, into build/
#   make arch            build/arch/PKGBUILD with the tarball's sum, for makepkg
#   make check-unit      the unit tests only, as the packages' builds run them
#   make deps            install what building needs (apt-get, pacman or dnf)
#   make test-deps       install what make check needs (Debian/Ubuntu)
#   make fuzz            run every parser's libFuzzer target FUZZ_TIME seconds (clang)

VERSION   := 0.1.0

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share
MANDIR    ?= $(DATADIR)/man
# Each shell's completions go where that shell reads them, with
# XDG_DATA_DIRS unset as in a root shell (README, "Installing"):
# bash-completion reads DATADIR/bash-completion/completions for /usr and
# /usr/local (its XDG_DATA_DIRS default is /usr/local/share:/usr/share).
# zsh, asked for its fpath, reads site-functions, but Debian's zsh
# vendor-completions under /usr.  fish reads the vendor directory its
# fish.pc names and the user's (PREFIX=~/.local), nothing else of a
# PREFIX, so another PREFIX gets the administrator's directory
# (/etc/fish/completions for a fish in /usr); fish itself is not run, as
# it would make its folders in HOME.  Without the shell: site-functions
# and vendor_completions.d under DATADIR.
zsh_fpath    = $(shell zsh -fc 'print -l $$fpath' 2>/dev/null)
fish_vendor  = $(shell $(PKG_CONFIG) --variable=completionsdir fish 2>/dev/null)
fish_sysconf = $(patsubst /usr/etc,/etc,$(shell $(PKG_CONFIG) --variable=prefix fish 2>/dev/null)/etc)
fish_user    = $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/fish/vendor_completions.d
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(or $(firstword $(filter $(DATADIR)/zsh/site-functions $(DATADIR)/zsh/vendor-completions,$(zsh_fpath))),$(DATADIR)/zsh/site-functions)
FISHCOMPDIR ?= $(if $(and $(fish_vendor),$(filter-out $(fish_vendor) $(fish_user),$(DATADIR)/fish/vendor_completions.d)),$(fish_sysconf)/fish/completions,$(DATADIR)/fish/vendor_completions.d)

CC        ?= cc
PKG_CONFIG ?= pkg-config
INSTALL   ?= install
PROVE     ?= prove

CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wformat-overflow=2 -Wundef -Wpointer-arith -Wcast-qual \
             -Wwrite-strings -Wvla -Wnull-dereference -Wdouble-promotion \
             -Wimplicit-fallthrough -Wno-unused-parameter
ifeq ($(CI),true)
WARNINGS  += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS   += -fsanitize=address,undefined
endif

PKGS      := libpci libxml-2.0
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -Icommon \
             $(WARNINGS) $(PKG_CFLAGS) $(CFLAGS) $(CPPFLAGS)

# Sanitized objects must not mix with plain ones: they get their own tree.
ifeq ($(SANITIZE),1)
B         := build/sanitize
else
B         := build
endif
# A tool is cmd/NAME.c, or cmd/NAME/*.c when its own code spans files.
TOOLS     := $(sort $(patsubst cmd/%.c,%,$(wildcard cmd/*.c)) \
                    $(patsubst cmd/%/,%,$(dir $(wildcard cmd/*/*.c))))
tool_src   = $(or $(wildcard cmd/$(1)/*.c),cmd/$(1).c)
HEADERS   := $(wildcard common/*/*.h)
COMMON_SRC := $(wildcard common/*/*.c)
COMMON_OBJ := $(patsubst common/%.c,$(B)/common/%.o,$(COMMON_SRC))
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(B)/tests/unit/%.t,$(UNIT_SRC))
TOOL_SRC  := $(wildcard tests/tools/*.c)
TOOL_BIN  := $(patsubst tests/tools/%.c,$(B)/tests/tools/%,$(TOOL_SRC))
PRELOAD_SRC := $(wildcard tests/preload/*.c)
PRELOAD_SO  := $(patsubst tests/preload/%.c,$(B)/tests/preload/%.so,$(PRELOAD_SRC))
FUZZ_SUPPORT := tests/fuzz/driver.c tests/fuzz/fuzz.c
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(filter-out $(FUZZ_SUPPORT),$(wildcard tests/fuzz/*.c)))
FUZZ_BIN  := $(addprefix $(B)/tests/fuzz/,$(FUZZ_TARGETS))
MANPAGES  := $(wildcard man1/*.1)
TESTS     := $(sort $(wildcard tests/t[0-9]*.sh))

ifneq ($(V),1)
Q_CC  = @printf '  CC      %s\n' $@;
Q_LD  = @printf '  LD      %s\n' $@;
Q_AR  = @printf '  AR      %s\n' $@;
endif

all: $(addprefix $(B)/,$(TOOLS))

$(B)/common/%.o: common/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Made anew each time, so that a module removed from common/ leaves the
# archive with it.
$(B)/libcommon.a: $(COMMON_OBJ)
	$(Q_AR)rm -f $@ && $(AR) rcs $@ $^

$(B)/cmd/%.o: cmd/%.c $(HEADERS) $(wildcard cmd/*/*.h)
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

define tool_rule
$(B)/$(1): $(patsubst %.c,$(B)/%.o,$(call tool_src,$(1))) $(B)/libcommon.a
	$$(Q_LD)$$(CC) $$(ALL_CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(PKG_LIBS) $$(LDLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

$(B)/tests/unit/%.t: tests/unit/%.c tests/unit/tap.h $(B)/libcommon.a | $(B)/tests/unit
	$(Q_LD)$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(PKG_LIBS) $(LDLIBS)

$(B)/tests/tools/%: tests/tools/%.c | $(B)/tests/tools
	$(Q_LD)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

# The fuzz targets with a driver that replays files, for make check.
$(B)/tests/fuzz/%: tests/fuzz/%.c $(FUZZ_SUPPORT) tests/fuzz/fuzz.h $(B)/libcommon.a | $(B)/tests/fuzz
	$(Q_LD)$(CC) $(ALL_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< $(FUZZ_SUPPORT) $(B)/libcommon.a $(PKG_LIBS) $(LDLIBS)

# Shims the fault tests preload into the tools (failmalloc.c is failat.c
# with the allocation faults).
$(B)/tests/preload/failmalloc.so: tests/preload/failat.c
# virhookinit.so goes into virsh, which has no sanitizer runtime to give it.
$(B)/tests/preload/virhookinit.so: tests/preload/virhookinit.c | $(B)/tests/preload
	$(Q_LD)$(CC) -std=gnu11 -D_GNU_SOURCE $(WARNINGS) -O2 -fPIC -shared -o $@ $< -ldl
$(B)/tests/preload/%.so: tests/preload/%.c | $(B)/tests/preload
	$(Q_LD)$(CC) $(ALL_CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl

$(B)/tests/unit $(B)/tests/tools $(B)/tests/preload $(B)/tests/fuzz:
	@mkdir -p $@

.PRECIOUS: $(B)/cmd/%.o

# Fixture sysroots are generated from their specs and committed, so that a
# reviewer sees the tree the tests read; this remakes them after a spec
# or the generator changes (t0900 checks that nobody forgot).
FIXTURE_SPECS := $(wildcard tests/fixtures/*.spec)
PCI_IDS   ?= /usr/share/misc/pci.ids

fixtures: $(B)/tests/tools/mksysroot
	@for s in $(FIXTURE_SPECS); do \
		d=$${s%.spec}; rm -rf "$$d" && \
		$(B)/tests/tools/mksysroot -i $(PCI_IDS) "$$s" "$$d" || exit 1; \
		echo "  GEN     $$d"; \
	done

check: all $(UNIT_BIN) $(TOOL_BIN) $(PRELOAD_SO) $(FUZZ_BIN)
	BUILD=$(B) $(PROVE) $(PROVE_FLAGS) $(UNIT_BIN) $(TESTS)

# What a package build runs (dh_auto_test, %check, check()): the C unit
# tests, which need nothing but the compiler and the two libraries, and
# each tool's --version; the scripts want the test lab (make deps).
check-unit: all $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "# $$t"; $$t; done; \
	for t in $(TOOLS); do $(B)/$$t --version; done

# iommu-groups and passcheck against lspci -nn and the classic script on
# generated hosts of BENCH_SIZES PCI functions: the report is printed and
# kept in docs/benchmarks.md.
BENCH_SIZES ?= 100 1000 10000

bench: all $(B)/tests/tools/mksysroot bench-grub
	BUILD=$(B) tests/bench/run.sh -o docs/benchmarks.md $(BENCH_SIZES)

# kcmdline-edit --check on a 32,000-variable and a 1 MB /etc/default/grub,
# failing past its bounds in CPU time and instructions; alone, it is quick.
bench-grub: all
	BUILD=$(B) tests/bench/grub.sh -o docs/benchmarks.md

# The same targets with libFuzzer, coverage-guided, each run FUZZ_TIME
# seconds from its seeds (tests/fuzz/seeds) and the corpus earlier runs
# grew in build/fuzz/corpus; crashes land in build/fuzz/crash.  Needs
# clang and its runtime (DEPS_FUZZ); one target at a time.
FUZZ_CC   ?= clang
FUZZ_TIME ?= 60
FB        := build/fuzz
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=gnu11 -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -Icommon \
              $(filter-out -Werror,$(WARNINGS)) -Wno-unknown-warning-option $(PKG_CFLAGS) -O1 -g \
              $(FUZZ_SAN) $(CPPFLAGS)
FUZZ_OBJ  := $(patsubst common/%.c,$(FB)/common/%.o,$(COMMON_SRC))
FUZZ_LF   := $(addprefix $(FB)/bin/,$(FUZZ_TARGETS))

$(FB)/common/%.o: common/%.c $(HEADERS) | fuzz-cc
	@mkdir -p $(@D)
	$(Q_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FB)/libcommon.a: $(FUZZ_OBJ)
	$(Q_AR)rm -f $@ && $(AR) rcs $@ $^

$(FB)/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(FB)/libcommon.a | $(FB)/bin
	$(Q_LD)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/fuzz -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz.c \
		$(FB)/libcommon.a $(PKG_LIBS) $(LDLIBS)

$(FB)/bin:
	@mkdir -p $@

fuzz-cc:
	@command -v $(FUZZ_CC) >/dev/null || \
		{ echo 'make fuzz: no $(FUZZ_CC) (apt-get install $(DEPS_FUZZ))' >&2; exit 1; }

fuzz-build: $(FUZZ_LF)

fuzz: $(FUZZ_LF)
	tests/fuzz/run $(FB) $(FUZZ_TIME) $(or $(FUZZ_TARGET),$(FUZZ_TARGETS))

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL) -m 755 $(addprefix $(B)/,$(TOOLS)) $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 644 $(wildcard completions/bash/*) $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 644 $(wildcard completions/zsh/_*) $(DESTDIR)$(ZSHCOMPDIR)
	$(INSTALL) -m 644 $(wildcard completions/fish/*.fish) $(DESTDIR)$(FISHCOMPDIR)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS)) \
	      $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES))) \
	      $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(notdir $(wildcard completions/bash/*))) \
	      $(addprefix $(DESTDIR)$(ZSHCOMPDIR)/,$(notdir $(wildcard completions/zsh/_*))) \
	      $(addprefix $(DESTDIR)$(FISHCOMPDIR)/,$(notdir $(wildcard completions/fish/*.fish)))

# The release tarball: the files git tracks (git ls-files: the index),
# as they are in the working tree, under vfio-utils-VERSION/, with
# MANIFEST listing them; in an unpacked tarball, which has no .git,
# MANIFEST is the list.  Owners, order, times (the last commit's, or
# MANIFEST's) and gzip's header are fixed, so the same files make the
# same bytes; each run works in a folder of its own and renames the
# tarball into place, so that make -j deb rpm can make it twice at once.
DIST      := vfio-utils-$(VERSION)
DIST_TAR  := build/$(DIST).tar.gz

DIST_TARFLAGS = --no-recursion --sort=name --owner=0 --group=0 --numeric-owner \
                --mode=u+rw,go=rX --mtime=@$$t --format=gnu --transform='flags=rh;s|^|$(DIST)/|'

dist:
	@set -e; d=build/dist.$$$$; trap 'rm -rf $$d $$d.tar.gz' EXIT; mkdir -p $$d; \
	if [ -e .git ]; then \
		{ git ls-files && echo MANIFEST; } | LC_ALL=C sort -u >$$d/MANIFEST; \
		[ -s $$d/MANIFEST ] || { echo 'make dist: git could not list the tracked files' >&2; exit 1; }; \
		t=$$(git log -1 --format=%ct); \
	elif [ -f MANIFEST ]; then \
		cp MANIFEST $$d/MANIFEST; t=$$(stat -c %Y MANIFEST); \
	else \
		echo 'make dist: no .git and no MANIFEST: nothing says which files are the source' >&2; exit 1; \
	fi; \
	grep -vx MANIFEST $$d/MANIFEST | tar -cf $$d/$(DIST).tar $(DIST_TARFLAGS) -T -; \
	tar -rf $$d/$(DIST).tar -C $$d $(DIST_TARFLAGS) MANIFEST; \
	gzip -9n <$$d/$(DIST).tar >$$d.tar.gz; mv $$d.tar.gz $(DIST_TAR); \
	echo "  DIST    $(DIST_TAR)"

# Packages from the tarball, built in build/ and left there: the Debian
# binary package (packaging/debian/ as debian/ beside the unpacked
# tarball, which is also its .orig.tar.gz), the RPM (packaging/rpm) and
# the Arch PKGBUILD with the tarball's sha256 beside a copy of it
# (build/arch, for makepkg).  Each first checks that its version is the
# Makefile's, then makes the tarball.
DEB_DIR   := build/deb
RPM_DIR   := build/rpm
ARCH_DIR  := build/arch
# What building and checking the packages needs on Debian (t0200).
DEPS_PACKAGE := git dpkg-dev debhelper lintian rpm cpio

pkgversion = v=$$($(1)); \
	[ -n "$$v" ] || { echo "make $@: no version read from $(2)" >&2; exit 1; }; \
	[ "$$v" = $(VERSION) ] || \
	{ echo "make $@: $(2) says version $$v, the Makefile $(VERSION)" >&2; exit 1; }

deb:
	@set -e; $(call pkgversion,dpkg-parsechangelog -l packaging/debian/changelog -S Version | sed 's/-[^-]*$$//',packaging/debian/changelog); \
	$(MAKE) --no-print-directory dist; \
	rm -rf $(DEB_DIR); mkdir -p $(DEB_DIR); \
	cp $(DIST_TAR) $(DEB_DIR)/vfio-utils_$(VERSION).orig.tar.gz; \
	tar -xzf $(DIST_TAR) -C $(DEB_DIR); \
	cp -R $(DEB_DIR)/$(DIST)/packaging/debian $(DEB_DIR)/$(DIST)/debian; \
	(cd $(DEB_DIR)/$(DIST) && dpkg-buildpackage -us -uc -b); \
	rm -f build/vfio-utils_*.deb; cp $(DEB_DIR)/vfio-utils_*.deb build/; \
	ls build/vfio-utils_*.deb

# rpmbuild checks BuildRequires against the rpm database, empty on a
# Debian machine, where pciutils-devel and the rest are Debian packages:
# there make rpm passes --nodeps (RPM_FLAGS); on Fedora it need not.
RPM_FLAGS ?= $(if $(wildcard /etc/debian_version),--nodeps)

rpm:
	@set -e; $(call pkgversion,sed -n 's/^Version:[[:space:]]*//p' packaging/rpm/vfio-utils.spec,packaging/rpm/vfio-utils.spec); \
	$(MAKE) --no-print-directory dist; \
	rm -rf $(RPM_DIR); mkdir -p $(RPM_DIR)/SOURCES; \
	cp $(DIST_TAR) $(RPM_DIR)/SOURCES/; \
	rpmbuild -bb $(RPM_FLAGS) --define "_topdir $(CURDIR)/$(RPM_DIR)" packaging/rpm/vfio-utils.spec; \
	rm -f build/vfio-utils-*.rpm; cp $(RPM_DIR)/RPMS/*/vfio-utils-$(VERSION)-*.rpm build/; \
	ls build/vfio-utils-*.rpm

arch:
	@set -e; $(call pkgversion,sed -n 's/^pkgver=//p' packaging/arch/PKGBUILD,packaging/arch/PKGBUILD); \
	$(MAKE) --no-print-directory dist; \
	rm -rf $(ARCH_DIR); mkdir -p $(ARCH_DIR); cp $(DIST_TAR) $(ARCH_DIR)/; \
	sum=$$(sha256sum $(DIST_TAR) | cut -d' ' -f1); \
	sed "s/^sha256sums=.*/sha256sums=('$$sum')/" packaging/arch/PKGBUILD >$(ARCH_DIR)/PKGBUILD; \
	echo "  ARCH    $(ARCH_DIR)/PKGBUILD"


# make deps: what building needs, for each family build-aux/deps.sh
# knows (it says how it picks one).  Arch's pciutils carries libpci's
# headers; pci.ids comes with pciutils (hwdata) on Arch and Fedora.
DEPS_BUILD := build-essential pkg-config libpci-dev libxml2-dev
DEPS_BUILD_ARCH := gcc make pkgconf pciutils libxml2
DEPS_BUILD_FEDORA := gcc make pkgconf-pkg-config pciutils-devel libxml2-devel
# make test-deps: the test lab, on top of DEPS_BUILD: the consumers the
# tests judge the output with (col, for the man pages' text, is in
# bsdextrautils), the real kernel under QEMU (DEPS_VM: the kernel itself
# comes from apt-get download; SeaBIOS goes into the guests that start a
# VM of their own, whose command line libvirt's QEMU driver makes; OVMF is
# the UEFI firmware of the guests whose boot display is efifb's), the
# Ansible collection's fleet test and ansible-test sanity offline with
# Debian's linters in place of the versions it would fetch from PyPI, and
# the packaging tests' tools.
DEPS_TEST  := pciutils pci.ids mandoc bsdextrautils dash bash bash-completion zsh fish kmod patch strace \
              libxml2-utils python3-yaml python3-jsonschema acl attr libvirt-clients libvirt-daemon-driver-qemu python3
DEPS_VM    := qemu-system-x86 seabios ovmf busybox-static cpio valgrind
DEPS_ANSIBLE := ansible-core yamllint pylint python3-pycodestyle python3-voluptuous python3-venv
# The test lab is Debian's: the tests fetch Debian packages with apt-get
# download (the VM's kernel, dracut's and initramfs-tools' own shell
# functions).  Elsewhere make test-deps prints the closest lists.  No
# apostrophe in a list or the note: they are quoted for the shell.
DEPS_TEST_NOTE := the test lab is for Debian and Ubuntu: the tests fetch Debian packages with apt-get download (the kernel of the VM, the shell functions of dracut and initramfs-tools), which has no equivalent elsewhere, and the tools of the packaging tests are not listed; the closest packages:
DEPS_TEST_ARCH := $(DEPS_BUILD_ARCH) mandoc util-linux dash bash bash-completion zsh fish kmod patch strace \
              python-yaml python-jsonschema acl attr libvirt python qemu-system-x86 edk2-ovmf busybox cpio valgrind \
              ansible-core yamllint python-pylint python-pycodestyle python-voluptuous
DEPS_TEST_FEDORA := $(DEPS_BUILD_FEDORA) mandoc util-linux dash bash bash-completion zsh fish kmod patch strace \
              python3-pyyaml python3-jsonschema acl attr libvirt-client libvirt-daemon-driver-qemu python3 qemu-system-x86 edk2-ovmf busybox cpio valgrind \
              ansible-core yamllint python3-pylint python3-pycodestyle python3-voluptuous
# make fuzz alone needs clang's libFuzzer; make check does not.
DEPS_FUZZ  := clang libclang-rt-14-dev

deps:
	@$(SHELL) build-aux/deps.sh deps '$(DEPS_BUILD)' '$(DEPS_BUILD_ARCH)' '$(DEPS_BUILD_FEDORA)'

test-deps:
	@$(SHELL) build-aux/deps.sh test-deps '$(strip $(DEPS_BUILD) $(DEPS_TEST) $(DEPS_VM) $(DEPS_ANSIBLE) $(DEPS_PACKAGE))' \
		'$(DEPS_TEST_ARCH)' '$(DEPS_TEST_FEDORA)' '$(DEPS_TEST_NOTE)' && \
		echo 'For make fuzz: apt-get install $(DEPS_FUZZ)'

# build/vm holds the downloaded kernel and build/fuzz/corpus what fuzzing
# found; `make clean` keeps both.
clean:
	rm -rf build/sanitize build/common build/cmd build/tests build/bench build/libcommon.a build/vm-initramfs.cpio build/vm-qemu-initramfs.cpio \
		build/dist.* $(DEB_DIR) $(RPM_DIR) $(ARCH_DIR) build/vfio-utils-*.tar.gz build/vfio-utils[_-]*.deb build/vfio-utils-*.rpm \
		$(FB)/common $(FB)/bin $(FB)/libcommon.a \
		$(addprefix build/,$(TOOLS))

.PHONY: bench-grub all fixtures check check-unit dist deb rpm arch bench fuzz fuzz-build fuzz-cc install uninstall deps test-deps clean
