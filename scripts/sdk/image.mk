# The SDK's image builder: bin/microkit runs it as
#   make -f $SDK/libexec/microkit/image.mk CONFIG_DIR=$SDK/board/<board>/<config> \
#        SYSTEM=<file> SEARCH_PATHS="<dir>..." WORK=<dir> KERNEL_ELF=<elf> \
#        OUTPUT=<file> REPORT=<file> IMAGE_TYPE=binary|elf [CROSS_COMPILE=<prefix>]
# (all paths absolute, WORK empty). It does what the tree's build does for a
# system (pds/Makefile, pds/monitor/Makefile, kernel/loader/Makefile): sdfgen
# compiles the system description into the monitor's tables, the tables are
# linked with the monitor, mkpayload packs the kernel and the monitor, and
# the loader is linked around them; the link commands are the tree's own
# (Makefile.image). board/<board>/<config>/image/ holds the prebuilt parts
# and the flags they were built with (monitor.mk, loader.mk).

LIBEXEC       := $(dir $(lastword $(MAKEFILE_LIST)))
IMAGE_DIR     := $(CONFIG_DIR)/image
CROSS_COMPILE ?= aarch64-linux-gnu-
CC            := $(CROSS_COMPILE)gcc
LD            := $(CROSS_COMPILE)ld
OBJCOPY       := $(CROSS_COMPILE)objcopy
SDFGEN        := $(LIBEXEC)sdfgen
MKPAYLOAD     := $(LIBEXEC)mkpayload
GCC_INCLUDE_DIR := $(shell $(CC) -print-file-name=include)

include $(IMAGE_DIR)/auto.conf
include $(IMAGE_DIR)/monitor.mk
include $(IMAGE_DIR)/loader.mk
include $(LIBEXEC)Makefile.image

.SUFFIXES:
.DELETE_ON_ERROR:
.PHONY: all
all: $(OUTPUT) $(REPORT)

$(WORK)/system_tables.c: $(SYSTEM)
	$(SDFGEN) --board $(IMAGE_DIR) --config $(IMAGE_DIR)/auto.conf \
	    $(addprefix --search-path ,$(SEARCH_PATHS)) --out $(WORK) $(SYSTEM)

$(WORK)/system_tables.o: $(WORK)/system_tables.c
	$(CC) $(MONITOR_CFLAGS) -I $(IMAGE_DIR) -c -o $@ $<

$(WORK)/system_images.o: $(WORK)/system_tables.c
	$(CC) $(MONITOR_ASFLAGS) -c -o $@ $(WORK)/system_images.S

$(WORK)/monitor.elf: $(WORK)/system_tables.o $(WORK)/system_images.o
	$(call link_root_task,$@,$(IMAGE_DIR)/monitor.a,$^,$(IMAGE_DIR)/roottask.ld)

# The board's device tree goes with the kernel, as in the tree's build.
BOARD_DTB := $(wildcard $(IMAGE_DIR)/board.dtb)

$(WORK)/payload.bin: $(WORK)/monitor.elf
	$(call pack_payload,$@,$(KERNEL_ELF),$<,$(BOARD_DTB))

$(WORK)/payload_data.o: $(WORK)/payload.bin
	$(CC) $(LOADER_ASFLAGS) -DPAYLOAD_FILE='"$<"' -c -o $@ $(IMAGE_DIR)/payload_data.S

$(WORK)/loader.elf: $(WORK)/payload_data.o
	$(call link_loader,$@,$(IMAGE_DIR)/loader.a,$<,$(IMAGE_DIR)/loader.lds)

$(OUTPUT): $(WORK)/loader.elf
ifeq ($(IMAGE_TYPE),elf)
	cp $< $@
else
	$(OBJCOPY) -O binary $< $@
endif

$(REPORT): $(WORK)/system_tables.c
	cp $(WORK)/report.txt $@
