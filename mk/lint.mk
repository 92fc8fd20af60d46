# SPDX-License-Identifier: GPL-2.0
# Static checks. `make lint` runs them all and stops at the first that fails
# (`make -k lint` runs every one); tests/lint/check.sh runs each and prints
# one PASS/FAIL line per tool. The checks:
#   lint-checkpatch  checkpatch.pl --no-tree --strict on module/ and include/
#                    (CONST_STRUCT aside: see below)
#   lint-sparse      sparse (C=2) over a module build in a scratch copy
#   lint-w1          the module built with W=1, no warning allowed
#   lint-cppcheck    cppcheck on tools/*.c (suppressions: tests/lint/cppcheck.supp)
#   lint-clang-tidy  clang-tidy on tools/*.c, one file at a time (.clang-tidy)
#   lint-layers      module/ flows one way: tests/lint/layers.py prints the
#                    include and call graph and fails on a cycle or on a file
#                    that includes or calls one of its own or a higher layer
#                    (module/LAYERS)
#   lint-shellcheck  shellcheck on every shell script (tests/lint/shellcheck.sh)
# The module is built in $(BUILD)/lint/<check>/, a fresh copy each time, like
# tests/vm/run.sh does, so the source tree stays clean and every warning
# shows up again. LINT_KDIR is the kernel build tree for sparse and W=1:
# KDIR when it exists, else the Debian 6.1 headers tests/vm/kernel.sh
# provides. Missing tools are installed with apt (lint-deps).

LINT_DIR := $(BUILD)/lint
# Resolved once, on first use (kernel.sh may have to fetch the headers).
LINT_KDIR ?= $(eval LINT_KDIR := $(if $(wildcard $(KDIR)/Makefile),$(KDIR),$(shell tests/vm/kernel.sh 6.1 2>/dev/null | sed -n 's/^KDIR=//p')))$(LINT_KDIR)
LINT_TIDY ?= $(shell command -v clang-tidy-14 || command -v clang-tidy || echo clang-tidy-14)
LINT_SRC_FLAGS = -D_GNU_SOURCE -DPMG_VERSION='"lint"' -Iinclude -Itools
LINT_CPPCHECK_FLAGS := --enable=warning,style,performance,portability \
	--error-exitcode=1 --inline-suppr --std=c11 --quiet \
	--suppressions-list=tests/lint/cppcheck.supp \
	--template='{file}:{line}: {severity}: {message} [{id}]'
LINT_BUILD_JUNK := -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name '*.a' -o -name modules.order -o -name Module.symvers

.PHONY: lint lint-deps lint-layers lint-checkpatch lint-sparse lint-w1 lint-cppcheck \
	lint-clang-tidy lint-shellcheck

lint: lint-layers lint-checkpatch lint-sparse lint-w1 lint-cppcheck lint-clang-tidy \
	lint-shellcheck

lint-deps:
	@bash -c '. tests/vm/lib.sh && pmg_apt_install sparse cppcheck clang-tidy-14 \
		shellcheck pkg-config libnl-3-dev libnl-genl-3-dev libjson-c-dev \
		libcurl4-openssl-dev'

lint-layers:
	python3 tests/lint/layers.py

lint-checkpatch: kselftest
	$(BUILD)/checkpatch/checkpatch.pl --no-tree --strict --quiet \
		-f module/*.[ch] include/*.h

# A scratch copy of the module tree in $(1), without build products.
define lint_module_copy
	rm -rf $(1) && mkdir -p $(1) && cp -a Kbuild VERSION module include $(1)/ && \
	find $(1) \( $(LINT_BUILD_JUNK) \) -delete
endef

# Builds the copy in $(1) with make arguments $(2); fails on any warning.
define lint_module_build
	@test -n "$(LINT_KDIR)" && test -f "$(LINT_KDIR)/Makefile" || \
		{ echo "no kernel build tree (KDIR=$(KDIR), LINT_KDIR=$(LINT_KDIR))"; exit 1; }
	@$(call lint_module_copy,$(1))
	@echo "  $(2) against $(LINT_KDIR)"
	@$(MAKE) --no-print-directory -C $(LINT_KDIR) M=$(abspath $(1)) $(2) modules \
		>$(1).log 2>&1; rc=$$?; \
	grep -E '(warning|error):' $(1).log; \
	if [ $$rc -ne 0 ]; then tail -n 30 $(1).log; exit 1; fi; \
	! grep -qE '(warning|error):' $(1).log
endef

lint-sparse: lint-deps
	$(call lint_module_build,$(LINT_DIR)/sparse,C=2)

lint-w1:
	$(call lint_module_build,$(LINT_DIR)/w1,W=1)

lint-cppcheck: lint-deps
	cppcheck $(LINT_CPPCHECK_FLAGS) $(LINT_SRC_FLAGS) tools/*.c

# One file per run: clang-tidy 14 given several files reports va_list
# false positives (clang-analyzer-valist.Uninitialized) it does not report
# for the same files one by one.
lint-clang-tidy: lint-deps
	@mkdir -p $(LINT_DIR); rc=0; for f in tools/*.c; do \
		$(LINT_TIDY) --quiet $$f -- -std=gnu11 $(LINT_SRC_FLAGS) \
			$$(pkg-config --cflags libnl-genl-3.0 json-c) \
			>$(LINT_DIR)/clang-tidy.out 2>&1 && continue; \
		rc=1; grep -v -e 'generated\.$$' -e 'treated as errors$$' \
			$(LINT_DIR)/clang-tidy.out; \
	done; exit $$rc

lint-shellcheck: lint-deps
	tests/lint/shellcheck.sh
