# SPDX-License-Identifier: GPL-2.0
# Build dependencies (included by the root Makefile): `make module` checks
# first that KDIR and the kernel's compiler are there, and tools/Makefile
# that the compiler, pkg-config, libnl, json-c and libcurl are; anything missing is
# named with its Debian package (mk/build-deps.sh) instead of ending in a
# compiler error.

.PHONY: build-deps-module

module: build-deps-module

build-deps-module:
	@mk/build-deps.sh module $(KDIR)
