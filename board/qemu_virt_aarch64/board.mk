# QEMU virt (AArch64): drivers, QEMU command line and deploy files.
SERIAL_DRIVER  := pl011
IRQCHIP_DRIVER := gicv2
TIMER_DRIVER   := generic_timer

# virtualization=on: the CPU starts in EL2 as on the Odroid-C4, and PSCI is
# reached through SMC. QEMU 7.2 has no Cortex-A55, so the A53 model runs it.
QEMU_SYSTEM  := qemu-system-aarch64
QEMU_MACHINE := virt,virtualization=on,gic-version=2
QEMU_CPU     := cortex-a53
QEMU_MEMORY  := $(call unquote,$(CONFIG_QEMU_MEMORY))
QEMU_LOAD     = -device loader,file=$(IMAGE),addr=$(CONFIG_LOADER_LINK_ADDRESS),cpu-num=0

DEPLOY_FILES :=
FLASH_METHODS :=
