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
# No card or flash: U-Boot under QEMU can fetch the image over TFTP.
FLASH_METHODS := tftp

# Devices for the PD drivers' examples, on the virtio-mmio transports of
# board.h (BOARD_BLOCK_PHYS: 0, BOARD_NET_PHYS: 8):
#   make SYSTEM=sdf/block.system qemu QEMU_DISK=disk.img
#   make SYSTEM=sdf/network.system qemu QEMU_NET=hostfwd=udp:127.0.0.1:1235-10.0.2.15:1235
# QEMU_NET is added to `-netdev user,...` (empty: user networking alone).
comma := ,
QEMU_DISK ?=
ifneq ($(QEMU_DISK),)
  QEMU_DEVICES += -drive file=$(QEMU_DISK),if=none,format=raw,id=disk0 \
                  -device virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0
endif
ifneq ($(origin QEMU_NET),undefined)
  QEMU_NIC :=
  QEMU_DEVICES += -netdev user,id=net0$(if $(QEMU_NET),$(comma)$(QEMU_NET)) \
                  -device virtio-net-device,netdev=net0,bus=virtio-mmio-bus.8,mac=52:54:00:12:34:56
endif

# U-Boot (Debian's u-boot-qemu, -bios) starts the image with booti: its `go`
# never returns from flushing the PL011 under QEMU (docs/boot.md). booti
# puts it at RAM base + text_offset, its link address.
UBOOT_START       := booti $${loadaddr} - $${fdtcontroladdr}
UBOOT_SCRIPT_ADDR := 0x40200000
