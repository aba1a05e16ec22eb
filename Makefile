# Top-level build: configuration, then one sub-make per component.
#
#   make [BOARD=<board>] [O=<dir>] [V=1]       build $(O)/images/loader.img
#   make help                                  list every target
#
# O defaults to build/<board>; every output, generated file and object lives
# there. Component Makefiles are run from the source root with srctree, O and
# V exported, and include scripts/Makefile.common.

BOARD ?= qemu_virt_aarch64
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
# when $(O) is configured for the first time (for example KERNEL_EL1=y for
# the kernel at EL1 instead of the default hypervisor configuration at EL2);
# menuconfig changes an existing one.
KCONFIG_SET ?=

# Targets that must not trigger configuration or a build.
NO_CONFIG_GOALS := help clean distclean menuconfig defconfig olddefconfig \
                   savedefconfig host-deps test test-sdf test-abi test-host \
                   test-build test-system test-kernel bench test-stress test-tools test-boot \
                   test-bench test-kernel-slowpath test-kernel-domains test-kernel-el1 test-el1 test-kernel-smp test-debug
GOALS := $(or $(MAKECMDGOALS),all)
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
# and out of the tree").
PDS ?=

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
	$(Q)test -f board/$(BOARD)/defconfig || { echo "error: no board profile board/$(BOARD)/ (boards: $(notdir $(wildcard board/*)))"; exit 1; }
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

olddefconfig: | host-deps
	$(Q)mkdir -p $(O)
	$(Q)test -f $(CONFIG) || $(call kconfig,defconfig) --kconfig Kconfig board/$(BOARD)/defconfig >/dev/null
	$(Q)$(call kconfig,olddefconfig) Kconfig

savedefconfig: | host-deps
	$(Q)test -f $(CONFIG) || { echo "error: no $(CONFIG) yet: run make defconfig first"; exit 1; }
	$(Q)$(call kconfig,savedefconfig) --kconfig Kconfig --out $(O)/defconfig
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

libdrivers: host-tools
	$(Q)$(SUBMAKE) drivers/Makefile

# The PDs of $(SYSTEM) and the monitor's tables (pds/Makefile). The system
# description is first resolved for the board (${BOARD_...} values from
# board/$(BOARD)/board.h, docs/drivers.md) into $(O)/system/.
system: libmicrokit libdrivers
	$(Q)test -f "$(SYSTEM_FILE)" || { echo "error: SYSTEM=$(SYSTEM): no such file"; exit 1; }
	$(Q)$(PYTHON) scripts/sdf-pds.py --srctree $(srctree) --out $(O)/system/pds.mk \
	    --board-header board/$(BOARD)/board.h --resolved $(O)/system/$(notdir $(SYSTEM_FILE)) \
	    $(foreach d,$(PDS),--pds $(d)) $(SYSTEM_FILE)
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

.PHONY: test test-host test-abi test-sdf test-build test-boot test-kernel test-system test-stress test-tools test-kernel-slowpath \
        test-bench test-debug test-kernel-domains test-kernel-el1 test-el1
# The suites build in their own directories (build/test/...): what this
# make invocation exported for its own build must not reach them.
TEST_ENV := env -u O -u ROOTTASK_ELF -u SYSTEM_FILE
test:
	$(Q)$(TEST_ENV) $(PYTHON) scripts/testsuite.py all

test-host test-abi test-sdf test-build test-boot test-kernel test-system test-stress test-tools \
test-bench test-kernel-slowpath test-kernel-domains test-kernel-el1 test-el1 test-kernel-smp test-debug:
	$(Q)$(TEST_ENV) $(PYTHON) scripts/testsuite.py $(patsubst test-%,%,$@)

# ---------------------------------------------------------------- benchmarks

# Builds in build/bench (its own configuration: CONFIG_BENCHMARK=y), runs in
# QEMU with -icount, writes docs/bench.md and build/bench/results.json.
# BENCH_ARGS= passes options to scripts/bench.py (--help lists them).
.PHONY: bench
bench:
	$(Q)$(TEST_ENV) $(PYTHON) scripts/bench.py $(BENCH_ARGS)

# ---------------------------------------------------------------- housekeeping

.PHONY: clean distclean help
clean:
	$(Q)rm -rf $(filter-out $(O)/.config $(O)/include,$(wildcard $(O)/*))

distclean:
	$(Q)rm -rf build

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
	@echo "  test-kernel     kernel conformance suite in QEMU (tests/kernel/)"
	@echo "  test-kernel-slowpath  the same suite with CONFIG_FASTPATH=n"
	@echo "  test-kernel-domains   the same suite with 16 scheduling domains (CONFIG_NUM_DOMAINS=16)"
	@echo "  test-kernel-el1       the same suite with the kernel at EL1 (CONFIG_KERNEL_EL1=y)"
	@echo "  test-kernel-smp       the same suite on four cores (CONFIG_MAX_NUM_NODES=4)"
	@echo "  test-el1        the EL1 kernel (KCONFIG_SET=KERNEL_EL1=y): boot modes, a set of systems and gdb in QEMU"
	@echo "  test-system     example, fault and isolation systems in QEMU (tests/system/)"
	@echo "  test-debug      gdb extension, fault backtraces, symboliser, system report (tests/debug/)"
	@echo "  test-stress     1M IPC round trips, 100k retype/revoke cycles (tests/kernel, STRESS=1)"
	@echo "  test-tools      help, menuconfig, defconfig tools, gdb and flash targets"
	@echo "  test-abi        seL4 ABI checks of the user API headers"
	@echo "  test-sdf        system description compiler tests"
	@echo "  test-host       host unit tests (ASan/UBSan)"
	@echo "  test-bench      the benchmark root task runs and its figures are sane (short, not timed)"
	@echo "Benchmarks"
	@echo "  bench           instructions per kernel operation (QEMU -icount), boot, sizes -> docs/bench.md"
	@echo "Housekeeping"
	@echo "  clean           remove build outputs of \$$(O), keep its configuration"
	@echo "  distclean       remove build/ entirely"
	@echo "  host-deps       check (and as root, install) the host packages"
	@echo "  help            this list"
	@echo "Variables: BOARD=$(BOARD) (boards: $(notdir $(wildcard board/*))), O=<dir>, V=1, ROOTTASK=<elf>, SYSTEM=<file.system>, PDS=<dirs>"
