# Odroid-C4: drivers and U-Boot deploy files (no QEMU model).
SERIAL_DRIVER  := meson
IRQCHIP_DRIVER := gicv2
TIMER_DRIVER   := generic_timer

QEMU_SYSTEM :=

# U-Boot on the card loads loader.img at the link address and runs it with
# `go` (MMU and caches on, EL2); the loader cleans up. boot.ini serves
# Hardkernel's vendor U-Boot, boot.scr mainline distro boot.
DEPLOY_FILES := $(O)/images/boot.cmd $(O)/images/boot.scr $(O)/images/boot.ini
DEPLOY_RULES := board/odroidc4/deploy.mk
FLASH_METHODS := sd tftp jtag
UBOOT_START       := go $${loadaddr}
UBOOT_SCRIPT_ADDR := 0x08000000
