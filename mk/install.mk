# SPDX-License-Identifier: GPL-2.0
# Installing procmem-guard (included by the root Makefile).
#
#   make install   [KDIR=...] [DESTDIR=...] [PREFIX=/usr/local] [SIGN_KEY=... SIGN_CERT=...]
#   make uninstall [KDIR=...] [DESTDIR=...] [PREFIX=/usr/local]
#   make install-userspace [DESTDIR=...] [PREFIX=/usr/local]   (all but the module)
#   make install-dkms-src  [DESTDIR=...]   (the module's sources for DKMS)
#   make dkms-install   [KDIR=...]     (root; no DESTDIR)
#   make dkms-uninstall
#
# make install builds the module against KDIR (default: the running
# kernel's headers) and the CLI, and installs:
#
#   /lib/modules/<KREL>/extra/procmem_guard.ko        0644  then depmod -a <KREL>
#   $(SBINDIR)/procmem-guard                          0755  SBINDIR=$(PREFIX)/sbin
#   $(LIBEXECDIR)/procmem-guard/load-module           0755  LIBEXECDIR=$(PREFIX)/libexec
#   $(UNITDIR)/procmem-guard.service                  0644  UNITDIR=$(PREFIX)/lib/systemd/system
#   $(UNITDIR)/procmem-guard-metrics.service          0644
#   $(MANDIR)/man8/procmem-guard.8                    0644  MANDIR=$(PREFIX)/share/man
#   $(SYSCONFDIR)/modprobe.d/procmem-guard.conf       0644  SYSCONFDIR=/etc
#   $(SYSCONFDIR)/procmem-guard/policy                0600  (examples/policy: the
#                                                           allow rules are for root only)
#
# each under DESTDIR when it is set. The unit's paths to the CLI and to
# load-module (its module-loading step) follow SBINDIR and LIBEXECDIR.
# make install-userspace installs all of these but the module (no KDIR
# needed): the Debian package's build uses it. systemd reads units from /usr/local/lib/systemd/system and
# /usr/lib/systemd/system alike, so PREFIX=/usr/local and PREFIX=/usr both
# work. The module and /etc stay outside PREFIX: modprobe only looks there.
# KREL is the kernel release the headers in KDIR are for, from their
# include/generated/utsrelease.h (Debian's 6.1 headers have a wrong
# include/config/kernel.release); override with KREL=... if needed.
#
# The two files under /etc are configuration: an existing one that differs
# from the shipped file is kept (install says so), and uninstall removes
# them only while they are unchanged. With DESTDIR set, depmod and
# systemctl are left to whoever installs the staged tree. SIGN_KEY and
# SIGN_CERT sign the installed module with KDIR's scripts/sign-file (for
# Secure Boot; see README.md, "Secure Boot").
#
# make install-dkms-src copies the module's sources (PMG_DKMS_FILES) to
# $(DESTDIR)/usr/src/procmem-guard-<VERSION>/, for the Debian package.
# make dkms-install copies the module's sources to
# /usr/src/procmem-guard-<VERSION>/ and runs dkms add, build and install for
# KREL; dkms then rebuilds the module for each new kernel (AUTOINSTALL).
# Run it again with another KDIR to add a kernel; after the sources changed
# (same VERSION), it replaces the registered copy for every kernel.
# make dkms-uninstall runs dkms remove --all and deletes the sources.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
INSTALL ?= install
DEPMOD ?= depmod
DKMS ?= dkms
SIGN_KEY ?=
SIGN_CERT ?=

KREL ?= $(shell sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
PMG_PKG_VERSION := $(shell cat $(CURDIR)/VERSION)
PMG_MODDIR = /lib/modules/$(KREL)/extra
PMG_DKMS_SRC = /usr/src/procmem-guard-$(PMG_PKG_VERSION)
# What DKMS needs to build the module (Kbuild reads VERSION).
PMG_DKMS_FILES = dkms.conf Kbuild VERSION $(wildcard include/*.h) \
		 $(wildcard module/*.c module/*.h)
PMG_UNITS = procmem-guard.service procmem-guard-metrics.service
# SOURCE:DESTINATION:MODE
PMG_CONF_FILES = packaging/procmem-guard.modprobe.conf:$(SYSCONFDIR)/modprobe.d/procmem-guard.conf:0644 \
		 examples/policy:$(SYSCONFDIR)/procmem-guard/policy:0600

# Is systemd running here (and are we installing for this system)?
pmg_systemd = [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null

.PHONY: install install-userspace install-dkms-src uninstall install-check-krel \
	dkms-install dkms-uninstall

install-check-krel:
	@if [ -z "$(KREL)" ]; then \
		echo "install: no kernel headers at KDIR=$(KDIR) (no include/generated/utsrelease.h); give KDIR=/lib/modules/<release>/build" >&2; \
		exit 1; \
	fi

install: install-check-krel module tools
	@v=$$(modinfo -F vermagic procmem_guard.ko | cut -d' ' -f1); \
	if [ "$$v" != "$(KREL)" ]; then \
		echo "install: procmem_guard.ko is built for '$$v', not $(KREL)" >&2; exit 1; \
	fi
	$(INSTALL) -d -m 0755 $(DESTDIR)$(PMG_MODDIR)
	$(INSTALL) -m 0644 procmem_guard.ko $(DESTDIR)$(PMG_MODDIR)/procmem_guard.ko
	@if [ -n "$(SIGN_KEY)$(SIGN_CERT)" ]; then \
		[ -n "$(SIGN_KEY)" ] && [ -n "$(SIGN_CERT)" ] || { echo "install: give both SIGN_KEY and SIGN_CERT" >&2; exit 1; }; \
		hash=$$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"/\1/p' $(KDIR)/.config 2>/dev/null); \
		echo "  SIGN    $(DESTDIR)$(PMG_MODDIR)/procmem_guard.ko ($${hash:-sha512})"; \
		$(KDIR)/scripts/sign-file "$${hash:-sha512}" "$(SIGN_KEY)" "$(SIGN_CERT)" \
			$(DESTDIR)$(PMG_MODDIR)/procmem_guard.ko; \
	fi
	@$(MAKE) --no-print-directory install-userspace
	@if [ -z "$(DESTDIR)" ]; then \
		echo "  DEPMOD  $(KREL)"; $(DEPMOD) -a $(KREL); \
	else \
		echo "  (DESTDIR set: depmod -a $(KREL) is left to the target system)"; \
	fi

install-userspace: tools
	$(MAKE) -C tools install DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" SBINDIR="$(SBINDIR)"
	$(INSTALL) -d -m 0755 $(DESTDIR)$(LIBEXECDIR)/procmem-guard
	$(INSTALL) -m 0755 packaging/load-module $(DESTDIR)$(LIBEXECDIR)/procmem-guard/load-module
	$(INSTALL) -d -m 0755 $(DESTDIR)$(UNITDIR)
	@for u in $(PMG_UNITS); do \
		echo "  INSTALL $(DESTDIR)$(UNITDIR)/$$u"; \
		sed -e 's#/usr/local/sbin/procmem-guard#$(SBINDIR)/procmem-guard#g' \
			-e 's#/usr/local/libexec/procmem-guard#$(LIBEXECDIR)/procmem-guard#g' \
			packaging/$$u >$(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		mv -f $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	$(INSTALL) -d -m 0755 $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 0644 packaging/procmem-guard.8 $(DESTDIR)$(MANDIR)/man8/procmem-guard.8
	@for pair in $(PMG_CONF_FILES); do \
		src=$${pair%%:*}; rest=$${pair#*:}; \
		dst=$(DESTDIR)$${rest%:*}; mode=$${rest##*:}; \
		if [ -e "$$dst" ] && ! cmp -s "$$src" "$$dst"; then \
			echo "  KEEP    $$dst (changed locally; the shipped one is $$src)"; \
		else \
			echo "  INSTALL $$dst"; \
			$(INSTALL) -d -m 0755 "$$(dirname "$$dst")" && \
			$(INSTALL) -m "$$mode" "$$src" "$$dst" || exit 1; \
		fi; \
	done
	@if $(pmg_systemd); then systemctl daemon-reload; fi

install-dkms-src:
	@[ -n "$(PMG_PKG_VERSION)" ] || { echo "install-dkms-src: no VERSION" >&2; exit 1; }
	@for f in $(PMG_DKMS_FILES); do \
		echo "  INSTALL $(DESTDIR)$(PMG_DKMS_SRC)/$$f"; \
		$(INSTALL) -D -m 0644 "$$f" "$(DESTDIR)$(PMG_DKMS_SRC)/$$f" || exit 1; \
	done

uninstall: install-check-krel
	@if $(pmg_systemd); then \
		for u in $(PMG_UNITS); do \
			systemctl list-unit-files $$u >/dev/null 2>&1 || continue; \
			systemctl disable --now $$u 2>/dev/null || true; \
		done; \
	fi
	rm -f $(DESTDIR)$(PMG_MODDIR)/procmem_guard.ko
	-rmdir $(DESTDIR)$(PMG_MODDIR) 2>/dev/null
	rm -f $(DESTDIR)$(SBINDIR)/procmem-guard
	rm -f $(DESTDIR)$(LIBEXECDIR)/procmem-guard/load-module
	-rmdir $(DESTDIR)$(LIBEXECDIR)/procmem-guard 2>/dev/null
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(PMG_UNITS))
	rm -f $(DESTDIR)$(MANDIR)/man8/procmem-guard.8
	@for pair in $(PMG_CONF_FILES); do \
		src=$${pair%%:*}; rest=$${pair#*:}; \
		dst=$(DESTDIR)$${rest%:*}; mode=$${rest##*:}; \
		if [ -e "$$dst" ] && ! cmp -s "$$src" "$$dst"; then \
			echo "  KEEP    $$dst (changed locally)"; \
		else \
			rm -f "$$dst"; \
		fi; \
	done
	-rmdir $(DESTDIR)$(SYSCONFDIR)/procmem-guard 2>/dev/null
	@if [ -z "$(DESTDIR)" ]; then \
		echo "  DEPMOD  $(KREL)"; $(DEPMOD) -a $(KREL); \
	fi
	@if $(pmg_systemd); then systemctl daemon-reload; fi
	@if [ -z "$(DESTDIR)" ] && [ -d /sys/module/procmem_guard ]; then \
		echo "  note: procmem_guard is still loaded; rmmod procmem_guard (unless locked)"; \
	fi

dkms-install: install-check-krel
	@[ -n "$(PMG_PKG_VERSION)" ] || { echo "dkms-install: no VERSION" >&2; exit 1; }
	@command -v $(DKMS) >/dev/null || { echo "dkms-install: dkms is not installed (apt-get install dkms)" >&2; exit 1; }
	@added=$$($(DKMS) status -m procmem-guard -v $(PMG_PKG_VERSION)); same=$${added:+yes}; \
	for f in $(PMG_DKMS_FILES); do \
		cmp -s "$$f" "$(PMG_DKMS_SRC)/$$f" || same=; \
	done; \
	if [ -n "$$added" ] && [ -z "$$same" ]; then \
		echo "  DKMS    procmem-guard/$(PMG_PKG_VERSION) has other sources: removing it for every kernel"; \
		$(DKMS) remove procmem-guard/$(PMG_PKG_VERSION) --all || exit 1; \
	fi; \
	if [ -z "$$same" ]; then \
		set -x; rm -rf $(PMG_DKMS_SRC) && $(INSTALL) -d -m 0755 $(PMG_DKMS_SRC) || exit 1; \
		for f in $(PMG_DKMS_FILES); do \
			$(INSTALL) -D -m 0644 "$$f" "$(PMG_DKMS_SRC)/$$f" || exit 1; \
		done; \
		$(DKMS) add -m procmem-guard -v $(PMG_PKG_VERSION) || exit 1; \
	elif $(DKMS) status -m procmem-guard -v $(PMG_PKG_VERSION) -k $(KREL) | grep -q .; then \
		set -x; $(DKMS) remove -m procmem-guard -v $(PMG_PKG_VERSION) -k $(KREL) || exit 1; \
	fi
	@ksrc=; \
	if [ "$$(realpath -m $(KDIR))" != "$$(realpath -m /lib/modules/$(KREL)/build)" ]; then \
		ksrc=--kernelsourcedir=$(KDIR); \
	fi; \
	set -x; \
	$(DKMS) build -m procmem-guard -v $(PMG_PKG_VERSION) -k $(KREL) $$ksrc && \
	$(DKMS) install -m procmem-guard -v $(PMG_PKG_VERSION) -k $(KREL) $$ksrc

dkms-uninstall:
	@command -v $(DKMS) >/dev/null || { echo "dkms-uninstall: dkms is not installed" >&2; exit 1; }
	@if [ -n "$$($(DKMS) status -m procmem-guard -v $(PMG_PKG_VERSION))" ]; then \
		set -x; $(DKMS) remove procmem-guard/$(PMG_PKG_VERSION) --all; \
	fi
	rm -rf $(PMG_DKMS_SRC)
