# Top-level build: configuration, then one sub-make per component.
#
#   make [BOARD=<board>] [O=<dir>] [V=1]       build $(O)/images/loader.img
#   make help                                  list every target
#
# O defaults to build/<board>; every output, generated file and object lives
# there. Component Makefiles are run from the source root with srctree, O and
# V exported, and include scripts/Makefile.common.

BOARD ?= qemu_virt_aarch64
O_ORIGIN := $(origin O)
O ?= build/$(BOARD)
override O := $(abspath $(O))
# Sub-makes get the absolute O (exported below), not the command line's:
# with a relative O their dependency files would name other targets.
MAKEOVERRIDES := $(filter-out O=%,$(MAKEOVERRIDES))
srctree := $(CURDIR)
PYTHON ?= /usr/bin/python3
V ?= 0
CROSS_COMPILE ?= aarch64-linux-gnu-
export srctree O V BOARD PYTHON CROSS_COMPILE

ifeq ($(V),1)
  Q :=
else
  Q := @
endif
MAKEFLAGS += --no-print-directory
SUBMAKE := +$(MAKE) -f

CONFIG      := $(O)/.config
AUTOCONF    := $(O)/include/config/auto.conf
AUTOCONF_H  := $(O)/include/generated/autoconf.h
KCONFIG_ENV := KCONFIG_CONFIG=$(CONFIG) srctree=$(srctree)
kconfig      = $(KCONFIG_ENV) $(PYTHON) -m $(1)
KCONFIG_FILES := Kconfig $(wildcard board/*/Kconfig)

unquote = $(patsubst "%",%,$(1))

# KCONFIG_SET="NAME=value ..." sets options on top of the board's defconfig
# when $(O) is configured for the first time or by `make defconfig` (for
# example KERNEL_EL1=y for the kernel at EL1 instead of the default
# hypervisor configuration at EL2); menuconfig changes an existing one.
KCONFIG_SET ?=

# Targets that must not trigger configuration or a build.
NO_CONFIG_GOALS := help clean distclean menuconfig defconfig olddefconfig \
                   savedefconfig host-deps test test-% bench sdk
GOALS := $(or $(MAKECMDGOALS),all)

# A board that has no profile stops here, before anything is created.
BOARDLESS_GOALS := help clean distclean host-deps test test-% bench sdk
ifneq ($(filter-out $(BOARDLESS_GOALS),$(GOALS)),)
  ifeq ($(wildcard board/$(BOARD)/defconfig),)
    $(error no board profile board/$(BOARD)/ (boards: $(notdir $(patsubst %/defconfig,%,$(wildcard board/*/defconfig)))))
  endif
endif
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(GOALS)),)
  include $(AUTOCONF)
  ifneq ($(origin BOARD)$(CONFIG_BOARD),file)
    ifneq ($(call unquote,$(CONFIG_BOARD)),$(if $(CONFIG_BOARD),$(BOARD)))
      $(error $(O) is configured for board $(CONFIG_BOARD), not $(BOARD): use another O= or make distclean)
    endif
  endif
endif

IMAGE := $(O)/images/loader.img

# The system description to build (README, "Writing a system").
SYSTEM ?= $(call unquote,$(CONFIG_SYSTEM))
SYSTEM_FILE := $(abspath $(SYSTEM))
export SYSTEM_FILE
# More directories to find the system's programs in (README, "Products in
# and out of the tree"). The tree's example programs (pds/) are searched
# for systems in the tree only; an out-of-tree system names them with
# PDS=$(srctree)/pds if it wants them.
PDS ?=
PD_SEARCH_DIRS := $(abspath $(PDS)) $(if $(filter $(srctree)/%,$(SYSTEM_FILE)),$(srctree)/pds)
export PD_SEARCH_DIRS

ROOTTASK ?=
ifneq ($(ROOTTASK),)
  ROOTTASK_ELF := $(abspath $(ROOTTASK))
else
  ROOTTASK_ELF := $(O)/pds/monitor/monitor.elf
endif
export ROOTTASK_ELF

.PHONY: all
all: images

# ---------------------------------------------------------------- configuration

$(CONFIG): | host-deps
	$(Q)mkdir -p $(O)
	@echo "  CONFIG  board/$(BOARD)/defconfig"
	$(Q)$(call kconfig,defconfig) --kconfig Kconfig board/$(BOARD)/defconfig >/dev/null
	$(Q)$(if $(KCONFIG_SET),$(call kconfig,setconfig) --kconfig Kconfig $(KCONFIG_SET))

# genconfig rewrites only what changed; the stamp records that it ran.
$(AUTOCONF): $(CONFIG) $(KCONFIG_FILES)
	$(Q)mkdir -p $(O)/include/config/deps $(O)/include/generated
	@echo "  GEN     include/generated/autoconf.h"
	$(Q)$(call kconfig,genconfig) --header-path $(AUTOCONF_H) \
	    --config-out $(AUTOCONF).tmp --sync-deps $(O)/include/config/deps Kconfig
	$(Q)cmp -s $(AUTOCONF).tmp $(AUTOCONF) && rm -f $(AUTOCONF).tmp && touch $(AUTOCONF) || mv $(AUTOCONF).tmp $(AUTOCONF)

.PHONY: menuconfig defconfig olddefconfig savedefconfig
menuconfig: | host-deps
	$(Q)mkdir -p $(O)
	$(Q)test -f $(CONFIG) || $(call kconfig,defconfig) --kconfig Kconfig board/$(BOARD)/defconfig >/dev/null
	$(Q)$(call kconfig,menuconfig) Kconfig

defconfig: | host-deps
	$(Q)mkdir -p $(O)
	$(Q)$(call kconfig,defconfig) --kconfig Kconfig board/$(BOARD)/defconfig
	$(Q)$(if $(KCONFIG_SET),$(call kconfig,setconfig) --kconfig Kconfig $(KCONFIG_SET))

olddefconfig: | host-deps
	$(Q)mkdir -p $(O)
	$(Q)test -f $(CONFIG) || $(call kconfig,defconfig) --kconfig Kconfig board/$(BOARD)/defconfig >/dev/null
	$(Q)$(call kconfig,olddefconfig) Kconfig

savedefconfig: | host-deps
	$(Q)test -f $(CONFIG) || { echo "error: no $(CONFIG) yet: run make defconfig first"; exit 1; }
	$(Q)$(call kconfig,savedefconfig) --kconfig Kconfig --out $(O)/defconfig
	@# kconfiglib leaves out the default choice; a board's defconfig names its board.
	$(Q)board=$$(grep -m1 '^CONFIG_BOARD_[A-Z0-9_]*=y' $(CONFIG)); \
	    grep -qx "$$board" $(O)/defconfig || { echo "$$board"; cat $(O)/defconfig; } > $(O)/defconfig.tmp; \
	    test ! -f $(O)/defconfig.tmp || mv $(O)/defconfig.tmp $(O)/defconfig
	@echo "wrote $(O)/defconfig (copy it to board/$(BOARD)/defconfig to keep it)"

# ---------------------------------------------------------------- components

.PHONY: host-deps host-tools kernel libmicrokit libdrivers system roottask loader images
host-deps:
	$(Q)scripts/host-deps.sh

host-tools: $(AUTOCONF)
	$(Q)$(SUBMAKE) scripts/Makefile
	$(Q)$(SUBMAKE) scripts/sdfgen/Makefile srctree=$(srctree) O=$(O)

kernel: host-tools
	$(Q)$(SUBMAKE) kernel/Makefile

libmicrokit: host-tools
	$(Q)$(SUBMAKE) pds/libmicrokit/Makefile
	$(Q)$(SUBMAKE) pds/libgdbstub/Makefile

libdrivers: host-tools
	$(Q)$(SUBMAKE) drivers/Makefile

# The PDs of $(SYSTEM) and the monitor's tables (pds/Makefile). The system
# description is first resolved for the board (${BOARD_...} values from
# board/$(BOARD)/board.h, docs/drivers.md) into $(O)/system/.
system: libmicrokit libdrivers
	$(Q)test -f "$(SYSTEM_FILE)" || { echo "error: SYSTEM=$(SYSTEM): no such file"; exit 1; }
	$(Q)$(PYTHON) scripts/sdf-pds.py --srctree $(srctree) --out $(O)/system/pds.mk \
	    --board-header board/$(BOARD)/board.h --resolved $(O)/system/$(notdir $(SYSTEM_FILE)) \
	    $(foreach d,$(PD_SEARCH_DIRS),--pds $(d)) $(SYSTEM_FILE)
	$(Q)$(SUBMAKE) pds/Makefile

ifeq ($(ROOTTASK),)
roottask: system
	$(Q)$(SUBMAKE) pds/monitor/Makefile
else
roottask:
	$(Q)test -f $(ROOTTASK_ELF) || { echo "error: ROOTTASK=$(ROOTTASK): no such file"; exit 1; }
endif

loader: kernel roottask
	$(Q)$(SUBMAKE) kernel/loader/Makefile

images: loader
	$(Q)$(SUBMAKE) scripts/Makefile.board images

# ---------------------------------------------------------------- run, debug, deploy

.PHONY: qemu gdb report flash
qemu: images
	$(Q)$(SUBMAKE) scripts/Makefile.board qemu

gdb: images
	$(Q)$(SUBMAKE) scripts/Makefile.board gdb

report: images
	$(Q)$(SUBMAKE) scripts/Makefile.board report

flash: images
	$(Q)$(SUBMAKE) scripts/Makefile.board flash

# ---------------------------------------------------------------- tests

# make test-<suite> runs one suite of scripts/testsuite.py (make help).
# The suites build in their own directories (build/test/...): what this
# make invocation exported for its own build must not reach them.
.PHONY: test
TEST_ENV := env -u O -u ROOTTASK_ELF -u SYSTEM_FILE
test:
	$(Q)$(TEST_ENV) $(PYTHON) scripts/testsuite.py all

test-%:
	$(Q)$(TEST_ENV) $(PYTHON) scripts/testsuite.py $*

# ---------------------------------------------------------------- benchmarks

# Builds in build/bench (its own configuration: CONFIG_BENCHMARK=y), runs in
# QEMU with -icount, writes docs/bench.md and build/bench/results.json.
# BENCH_ARGS= passes options to scripts/bench.py (--help lists them).
.PHONY: bench
bench:
	$(Q)$(TEST_ENV) $(PYTHON) scripts/bench.py $(BENCH_ARGS)

# ---------------------------------------------------------------- Microkit SDK

# make sdk [SDK=<dir>]: a Microkit SDK built from this tree (docs/sdk.md):
# bin/microkit with Microkit's command line, and board/<board>/<config>/
# (include, lib, elf, image) for every board and the debug, release and
# benchmark configurations, each built in build/sdk-build/<board>-<config>.
SDK ?= build/sdk
.PHONY: sdk sdk-parts
sdk:
	$(Q)$(TEST_ENV) $(PYTHON) scripts/sdk/build_sdk.py --out $(abspath $(SDK)) --work $(srctree)/build/sdk-build

# One board and configuration's part of the SDK, into SDK_CONFIG_DIR (run
# by scripts/sdk/build_sdk.py with the O= of that configuration).
sdk-parts: images
	$(Q)test -n "$(SDK_CONFIG_DIR)" || { echo "error: sdk-parts needs SDK_CONFIG_DIR=<dir>"; exit 1; }
	$(Q)$(SUBMAKE) pds/libmicrokit/Makefile sdk
	$(Q)$(SUBMAKE) pds/monitor/Makefile sdk
	$(Q)$(SUBMAKE) kernel/loader/Makefile sdk
	$(Q)cp $(AUTOCONF) $(AUTOCONF_H) board/$(BOARD)/memory.map $(SDK_CONFIG_DIR)/image/

# ---------------------------------------------------------------- housekeeping

.PHONY: clean distclean help
clean:
	$(Q)rm -rf $(filter-out $(O)/.config $(O)/include,$(wildcard $(O)/*))

# distclean: all of build/, or only O= when one is given (never the source
# tree or a directory above it).
distclean:
ifeq ($(filter command line environment,$(O_ORIGIN)),)
	$(Q)rm -rf build
else
	$(Q)case "$(srctree)/" in "$(patsubst %/,%,$(O))/"*) echo "error: O=$(O) holds the source tree: not removing it"; exit 1;; esac
	$(Q)rm -rf $(O)
endif

help:
	@echo "Build"
	@echo "  all             build kernel, loader, root task and PDs into \$$(O)/images/loader.img (default)"
	@echo "  kernel          build the kernel only (\$$(O)/kernel/kernel.elf)"
	@echo "  libmicrokit     build libmicrokit (\$$(O)/pds/libmicrokit/libmicrokit.a)"
	@echo "  system          build the PDs of SYSTEM= and the monitor's tables (\$$(O)/system/)"
	@echo "  roottask        build the root task (the monitor with the system, or ROOTTASK=<elf>)"
	@echo "  loader          build the loader and pack the kernel and root task into it"
	@echo "  images          build loader.img and the board's deploy files"
	@echo "Configuration"
	@echo "  menuconfig      edit \$$(O)/.config interactively"
	@echo "  defconfig       reset \$$(O)/.config to board/\$$(BOARD)/defconfig"
	@echo "  olddefconfig    update \$$(O)/.config, new options at their defaults"
	@echo "  savedefconfig   write the minimal \$$(O)/defconfig"
	@echo "  KCONFIG_SET=\"NAME=value ...\"  options on top of the defconfig for a new O= (e.g. KERNEL_EL1=y)"
	@echo "Run and deploy"
	@echo "  qemu            build, then boot the image in QEMU (Ctrl-A X quits)"
	@echo "  gdb             boot in QEMU halted and attach gdb-multiarch with every symbol and the PD extension"
	@echo "  report          run the system for REPORT_SECONDS under gdb -> \$$(O)/report/report.html"
	@echo "  flash           deploy to a board (FLASH=sd FLASH_MNT=dir | FLASH=tftp TFTP_DIR=dir | FLASH=jtag)"
	@echo "Tests"
	@echo "  test            run every test; ends with 'N passed, N failed'"
	@echo "  test-build      build every board's defconfig with -Werror"
	@echo "  test-boot       boot tests in QEMU (loader with EL1 and EL2 kernels, kernel, root task, power-off)"
	@echo "  test-kernel     kernel conformance suite in QEMU (tests/kernel/), four cores (the default)"
	@echo "  test-kernel-slowpath  the same suite with CONFIG_FASTPATH=n"
	@echo "  test-kernel-domains   the same suite with 16 scheduling domains (one core, CONFIG_NUM_DOMAINS=16)"
	@echo "  test-kernel-el1       the same suite with the kernel at EL1 (CONFIG_KERNEL_EL1=y)"
	@echo "  test-kernel-1core     the same suite on one core (CONFIG_MAX_NUM_NODES=1: no kernel lock, no IPIs)"
	@echo "  test-kernel-debug     the same suite with the hardware-debug API and the profiler, on four cores and on one"
	@echo "  test-kernel-smc-without-firmware  the SMC tests on QEMU without EL2 (no firmware answers)"
	@echo "  test-el1        the EL1 kernel (KCONFIG_SET=KERNEL_EL1=y): boot modes, a set of systems and gdb in QEMU"
	@echo "  test-system     example, fault and isolation systems in QEMU (tests/system/)"
	@echo "  test-debug      gdb extension, fault backtraces, symboliser, system report (tests/debug/)"
	@echo "  test-vm         Linux guests on the hypervisor kernel: a shell, two guests, a panic (tests/vm/)"
	@echo "  test-stress     1M IPC round trips, 100k retype/revoke cycles, four cores hammering (tests/kernel, STRESS=1)"
	@echo "  test-tools      help, menuconfig, defconfig tools, gdb and flash targets"
	@echo "  test-microkit   Microkit-style products: make SYSTEM=, make sdk and Microkit Makefiles, the microkit tool"
	@echo "  test-microkit-examples  Microkit's own examples, unchanged, both ways and in QEMU (needs MICROKIT_SRC=<checkout or bare mirror>)"
	@echo "  test-abi        seL4 ABI checks of the user API headers"
	@echo "  test-sdf        system description compiler tests"
	@echo "  test-host       host unit tests (ASan/UBSan)"
	@echo "  test-bench      the benchmark root task runs and its figures are sane (short, not timed)"
	@echo "Benchmarks"
	@echo "  bench           instructions per kernel operation (QEMU -icount), boot, sizes -> docs/bench.md"
	@echo "Microkit SDK"
	@echo "  sdk             a Microkit SDK for every board and configuration in \$$(SDK) (default build/sdk)"
	@echo "Housekeeping"
	@echo "  clean           remove build outputs of \$$(O), keep its configuration"
	@echo "  distclean       remove build/ entirely (with O=: only that directory)"
	@echo "  host-deps       check (and as root, install) the host packages"
	@echo "  help            this list"
	@echo "Variables: BOARD=$(BOARD) (boards: $(notdir $(patsubst %/defconfig,%,$(wildcard board/*/defconfig)))), O=<dir>, V=1, ROOTTASK=<elf>,"
	@echo "  SYSTEM=<file.system>, PDS=<dirs>, PD_CFLAGS=, PD_CFLAGS_<program>=, PD_LDFLAGS=, QEMU_NET=, SDK=<dir>, MICROKIT_SRC=<dir>"
