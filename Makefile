# SPDX-License-Identifier: GPL-2.0
# procmem-guard: `make` builds the module (against KDIR) and the CLI;
# `make check` installs what it needs, builds, and runs every suite in QEMU.

KDIR ?= /lib/modules/$(shell uname -r)/build
# Empty: tests/vm/check.sh picks its default (every kernel it knows).
KERNELS ?=
CC ?= cc
BUILD := build
KSELFTEST := $(BUILD)/kselftest
PKGS := libnl-genl-3.0 json-c libcurl
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -pthread
TEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	       -Wno-unused-parameter -Wno-sign-compare \
	       -Iinclude -I$(KSELFTEST) -Itools

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
# Programs the output tests (tests/outputs/check.sh) drive the senders with.
OUTPUT_BINS := $(patsubst tests/outputs/%.c,$(BUILD)/outputs/%,$(wildcard tests/outputs/*.c))
GUEST_SRCS := $(wildcard tests/guest/*.c)
GUEST_BINS := $(patsubst tests/guest/%.c,$(BUILD)/guest/suites/%,$(wildcard tests/guest/suite_*.c)) \
	      $(patsubst tests/guest/%.c,$(BUILD)/guest/bin/%,$(filter-out tests/guest/suite_%,$(GUEST_SRCS)))

.PHONY: all module tools tests kselftest check run clean

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

kselftest:
	tests/vm/extract-kselftest.sh

# Guest binaries whose source is gone (a suite renamed or removed): every
# file in build/guest/ goes into the guest, so they must not stay behind.
STALE_GUEST_BINS := $(filter-out $(GUEST_BINS),$(wildcard $(BUILD)/guest/suites/* $(BUILD)/guest/bin/*))

tests: tools kselftest $(UNIT_BINS) $(GUEST_BINS) $(OUTPUT_BINS)
	$(if $(STALE_GUEST_BINS),rm -f $(STALE_GUEST_BINS))

$(BUILD)/unit/%: tests/unit/%.c include/*.h tools/libpmg.a | kselftest
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -fsanitize=address,undefined $(PKG_CFLAGS) $< tools/libpmg.a $(PKG_LIBS) -o $@

$(BUILD)/outputs/%: tests/outputs/%.c include/*.h tools/libpmg.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -fsanitize=address,undefined $(PKG_CFLAGS) $< tools/libpmg.a $(PKG_LIBS) -o $@

$(BUILD)/guest/suites/%: tests/guest/%.c tests/guest/*.h include/*.h tools/libpmg.a | kselftest
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(PKG_CFLAGS) $< tools/libpmg.a $(PKG_LIBS) -lpthread -o $@

$(BUILD)/guest/bin/%: tests/guest/%.c tests/guest/*.h include/*.h tools/libpmg.a | kselftest
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(PKG_CFLAGS) $< tools/libpmg.a $(PKG_LIBS) -lpthread -o $@

tools/libpmg.a: tools

check:
	@KERNELS="$(KERNELS)" tests/vm/check.sh

run:
	tests/vm/run-demo.sh


# Further targets live in mk/: install and dkms (install.mk), bench, lint,
# fuzz, debug-kernel.
-include mk/*.mk

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools clean
	rm -rf $(BUILD)
