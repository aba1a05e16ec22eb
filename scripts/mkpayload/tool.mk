# mkpayload: packs the kernel and root task into the loader's payload.
# Included by scripts/Makefile (host tools).
MKPAYLOAD := $(O)/scripts/mkpayload/mkpayload
# lib/fdt_header.c is the loader's and kernel's own FDT header check, built for the host.
MKPAYLOAD_SRCS := $(addprefix scripts/mkpayload/,mkpayload.c elf_file.c dtb_file.c file.c layout.c) \
    lib/fdt_header.c
MKPAYLOAD_HDRS := $(addprefix scripts/mkpayload/,elf_file.h dtb_file.h file.h layout.h) \
    kernel/loader/payload_format.h lib/include/fdt_header.h

TOOLS += $(MKPAYLOAD)

# Named first so that this file does not become scripts/Makefile's default goal.
all: $(MKPAYLOAD)

$(MKPAYLOAD): $(MKPAYLOAD_SRCS) $(MKPAYLOAD_HDRS) scripts/mkpayload/tool.mk
	$(call log,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -I kernel/loader -iquote lib/include -o $@ $(MKPAYLOAD_SRCS)
