# SPDX-License-Identifier: GPL-2.0
# Debug kernels for the VM suites, rebuilt from Debian's linux-source
# packages with the fragments in tests/vm/debug-kernel/ (see
# tests/vm/build-debug-kernel.sh). Cached in
# /var/cache/procmem-guard/debug-kernels; a full build takes hours on two
# cores, the configuration alone about a minute.
#   make debug-kernel                  build both (debug-6.1, debug-6.12-rt)
#   make debug-kernel DEBUG_KERNELS=debug-6.1
#   make debug-kernel-config           only make and check each .config
# Boot one: PMG_SHARED_KERNELS=/var/cache/procmem-guard/debug-kernels/debug-6.1/debs \
#           tests/vm/run.sh debug-6.1

DEBUG_KERNELS ?= debug-6.1 debug-6.12-rt

.PHONY: debug-kernel debug-kernel-config

debug-kernel:
	tests/vm/build-debug-kernel.sh $(DEBUG_KERNELS)

debug-kernel-config:
	tests/vm/build-debug-kernel.sh --config-only $(DEBUG_KERNELS)
