# SPDX-License-Identifier: GPL-2.0
# Debian packages (included by the root Makefile).
#
#   make deb    builds, in $(DEB_OUT) (default build/deb/):
#                 procmem-guard-dkms_<version>_all.deb   the module's sources, for DKMS
#                 procmem-guard_<version>_<arch>.deb     the command, the unit, the man
#                                                        page, the configuration, the docs
#               with their .changes and .buildinfo
#   make deb-source   the source package, procmem-guard_<version>.dsc and
#               .tar.xz, in $(DEB_SRC_OUT) (default build/deb-source/),
#               with dpkg-source -b of the same copy of the tree (for
#               lintian, or an upload)
#
# The version is VERSION; the first entry of debian/changelog must carry it
# (make deb stops otherwise). dpkg-buildpackage -us -uc -b runs in a copy of
# the tree, $(DEB_OUT)/procmem-guard-<version>/, without build products:
# it writes into the tree it builds and puts the packages beside it. The
# copy is removed after a successful build. Missing build dependencies
# (debian/control) are installed with apt-get build-dep, as root. No debug
# symbol package is made (DEB_BUILD_OPTIONS=noautodbgsym, added to what the
# environment gives).

DEB_OUT ?= $(BUILD)/deb
DEB_TREE_EXCLUDES := --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
	--exclude='*.a' --exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
	--exclude=modules.order --exclude=Module.symvers --exclude=./tools/procmem-guard \
	--exclude=./debian/.debhelper --exclude=./debian/procmem-guard \
	--exclude=./debian/procmem-guard-dkms --exclude=./debian/files \
	--exclude='./debian/*.substvars' --exclude='./debian/*.debhelper*' \
	--exclude=./debian/procmem-guard-dkms.dkms

DEB_SRC_OUT ?= $(BUILD)/deb-source

# Stop unless debian/changelog's first entry carries VERSION.
define deb_check_version
	@bash -c '. tests/vm/lib.sh && pmg_apt_install dpkg-dev'
	@v=$$(cat VERSION); c=$$(dpkg-parsechangelog -S Version); \
	if [ -z "$$v" ] || [ "$$v" != "$$c" ]; then \
		echo "deb: VERSION is '$$v' but the first entry of debian/changelog is '$$c': add an entry for $$v" >&2; \
		exit 1; \
	fi
endef

# A fresh copy of the tree, without build products, in $$tree (shell).
deb_copy_tree = rm -rf "$$tree" && mkdir -p "$$tree" && \
	tar -C . $(DEB_TREE_EXCLUDES) -cf - . | tar -C "$$tree" -xf -

.PHONY: deb deb-source

deb:
	$(deb_check_version)
	@v=$$(cat VERSION); out=$(DEB_OUT); tree=$$out/procmem-guard-$$v; \
	rm -rf "$$out" && $(deb_copy_tree) || exit 1; \
	if ! (cd "$$tree" && dpkg-checkbuilddeps >/dev/null 2>&1); then \
		echo "  BUILD-DEP $$tree"; \
		bash -c '. tests/vm/lib.sh && pmg_apt_known debhelper dh-dkms || pmg_apt_update; \
			pmg_root apt-get build-dep -y -qq --no-install-recommends \
				-o DPkg::Lock::Timeout=300 "$$1" >&2' _ "$$(cd "$$tree" && pwd)" || exit 1; \
	fi; \
	(cd "$$tree" && DEB_BUILD_OPTIONS="noautodbgsym $$DEB_BUILD_OPTIONS" \
		dpkg-buildpackage -us -uc -b) || exit 1; \
	rm -rf "$$tree"; \
	ls -1 "$$out"/*.deb

deb-source:
	$(deb_check_version)
	@v=$$(cat VERSION); out=$(DEB_SRC_OUT); tree=$$out/procmem-guard-$$v; \
	rm -rf "$$out" && $(deb_copy_tree) || exit 1; \
	(cd "$$out" && dpkg-source -b "procmem-guard-$$v") || exit 1; \
	rm -rf "$$tree"; \
	ls -1 "$$out"/*.dsc
