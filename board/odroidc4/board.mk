# Odroid-C4: drivers and U-Boot deploy files (no QEMU model).
SERIAL_DRIVER  := meson
IRQCHIP_DRIVER := gicv2
TIMER_DRIVER   := generic_timer

QEMU_SYSTEM :=

# U-Boot on the card loads loader.img at the link address and runs it with
# `go` (MMU and caches on, EL2); the loader cleans up. boot.ini serves
# Hardkernel's vendor U-Boot, boot.scr mainline distro boot.
DEPLOY_FILES := $(O)/images/boot.cmd $(O)/images/boot.scr $(O)/images/boot.ini

$(O)/images/boot.cmd: board/odroidc4/boot.cmd.in $(KCONFIG_AUTOCONF)
	$(call log,GEN,$@)
	$(Q)sed 's/@LOADADDR@/$(CONFIG_LOADER_LINK_ADDRESS)/g' $< > $@

$(O)/images/boot.scr: $(O)/images/boot.cmd
	$(call log,MKIMAGE,$@)
	$(Q)mkimage -A arm64 -O linux -T script -C none -n "firmware boot" -d $< $@ >/dev/null

$(O)/images/boot.ini: $(O)/images/boot.cmd
	$(call log,GEN,$@)
	$(Q){ echo "ODROIDC4-UBOOT-CONFIG"; echo; cat $<; } > $@
