# mkpayload: packs the kernel and root task into the loader's payload.
# Included by scripts/Makefile (host tools).
MKPAYLOAD := $(O)/scripts/mkpayload/mkpayload
MKPAYLOAD_SRCS := $(addprefix scripts/mkpayload/,mkpayload.c elf_file.c layout.c)
MKPAYLOAD_HDRS := $(addprefix scripts/mkpayload/,elf_file.h layout.h) kernel/loader/payload_format.h

TOOLS += $(MKPAYLOAD)

# Named first so that this file does not become scripts/Makefile's default goal.
all: $(MKPAYLOAD)

$(MKPAYLOAD): $(MKPAYLOAD_SRCS) $(MKPAYLOAD_HDRS) scripts/mkpayload/tool.mk
	$(call log,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -I kernel/loader -o $@ $(MKPAYLOAD_SRCS)
