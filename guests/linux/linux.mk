# The example Linux guest (docs/vmm.md): Debian's arm64 cloud kernel and
# an initramfs around Debian's static busybox, for the PDs that list
# `linux-guest` in their `libraries` file (included by pds/Makefile when
# one does). Both packages are fetched once per output directory from the
# Debian archive (scripts/fetch-debian-package.sh). Outputs, found by the
# system description's prefill_path through the search path added here:
#   $(O)/guests/linux/linux.Image              the kernel (an arm64 Image)
#   $(O)/guests/linux/linux-initramfs.cpio.gz  /init (guests/linux/init) + busybox
GUEST_LINUX_OUT    := $(O)/guests/linux
GUEST_LINUX_KERNEL := $(O)/deps/linux-cloud-arm64
GUEST_LINUX_BUSYBOX := $(O)/deps/busybox-static-arm64
GUEST_LINUX_IMAGE  := $(GUEST_LINUX_OUT)/linux.Image
GUEST_LINUX_INITRD := $(GUEST_LINUX_OUT)/linux-initramfs.cpio.gz
LIB_linux-guest    :=
LIB_CFLAGS_linux-guest :=
SDFGEN_SEARCH      += $(GUEST_LINUX_OUT)
TABLES_PREREQS     += $(GUEST_LINUX_IMAGE) $(GUEST_LINUX_INITRD)

$(GUEST_LINUX_KERNEL)/.package:
	$(Q)scripts/fetch-debian-package.sh linux-image-cloud-arm64+unsigned arm64 $(GUEST_LINUX_KERNEL)

$(GUEST_LINUX_BUSYBOX)/.package:
	$(Q)scripts/fetch-debian-package.sh busybox-static arm64 $(GUEST_LINUX_BUSYBOX)

# Debian's arm64 vmlinuz is the uncompressed Image already.
$(GUEST_LINUX_IMAGE): $(GUEST_LINUX_KERNEL)/.package
	$(call log,IMAGE,$@)
	$(Q)mkdir -p $(@D)
	$(Q)cp $(firstword $(wildcard $(GUEST_LINUX_KERNEL)/boot/vmlinuz-*)) $@

$(GUEST_LINUX_INITRD): $(GUEST_LINUX_BUSYBOX)/.package guests/linux/init scripts/mkinitramfs.sh
	$(call log,CPIO,$@)
	$(Q)scripts/mkinitramfs.sh $(GUEST_LINUX_BUSYBOX)/bin/busybox guests/linux/init $@
