# Odroid-C4 deploy files: U-Boot boot scripts around loader.img.
$(O)/images/boot.cmd: board/odroidc4/boot.cmd.in $(KCONFIG_AUTOCONF)
	$(call log,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed 's/@LOADADDR@/$(CONFIG_LOADER_LINK_ADDRESS)/g' $< > $@

$(O)/images/boot.scr: $(O)/images/boot.cmd
	$(call log,MKIMAGE,$@)
	$(Q)mkimage -A arm64 -O linux -T script -C none -n "firmware boot" -d $< $@ >/dev/null

$(O)/images/boot.ini: $(O)/images/boot.cmd
	$(call log,GEN,$@)
	$(Q){ echo "ODROIDC4-UBOOT-CONFIG"; echo; cat $<; } > $@
