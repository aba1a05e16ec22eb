# libvmm, the VMM library (docs/vmm.md), for the PDs that list `vmm` in
# their `libraries` file (included by pds/Makefile when one does). libfdt
# is Debian's (libfdt-dev for arm64: its static library and headers),
# fetched once per output directory (scripts/fetch-debian-package.sh).
# Outputs: $(O)/pds/libvmm/libvmm.a, and libfdt.a from the package.
LIBVMM_OUT   := $(O)/pds/libvmm
LIBFDT_DIR   := $(O)/deps/libfdt-dev-arm64
LIBFDT_A     := $(LIBFDT_DIR)/usr/lib/aarch64-linux-gnu/libfdt.a
LIB_vmm      := $(LIBVMM_OUT)/libvmm.a $(LIBFDT_A)
LIB_CFLAGS_vmm := -I pds/libvmm/include -I $(LIBFDT_DIR)/usr/include

# The library, and the libc pieces libfdt expects (strtoul, the stack
# protector's symbols, which Debian builds it with).
LIBVMM_SRCS := $(wildcard pds/libvmm/src/*.c) lib/format.c lib/stdlib.c lib/stack_protector.c
LIBVMM_OBJS := $(patsubst %.c,$(LIBVMM_OUT)/obj/%.o,$(LIBVMM_SRCS))
LIBVMM_CFLAGS := $(TARGET_CFLAGS) $(PD_FRAME_FLAGS) -I pds/libmicrokit/include -I pds/include \
    -I kernel/uapi -I lib/include -I $(O)/include $(LIB_CFLAGS_vmm)

$(LIBFDT_DIR)/.package:
	$(Q)scripts/fetch-debian-package.sh libfdt-dev arm64 $(LIBFDT_DIR)

$(LIBFDT_A): $(LIBFDT_DIR)/.package
	@test -f $@ || { echo "libvmm: $(LIBFDT_DIR) has no libfdt.a"; exit 1; }

$(LIBVMM_OUT)/obj/%.o: %.c $(PD_FLAG_STAMPS) | $(LIBFDT_DIR)/.package
	$(call log,CC,$@)
	$(call compile,$(CC) $(LIBVMM_CFLAGS))

$(LIBVMM_OUT)/libvmm.a: $(LIBVMM_OBJS)
	$(call log,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

-include $(call depfiles,$(LIBVMM_OBJS))
