"""QEMU's aarch64 `virt` machine as the test and benchmark scripts boot it.

One place for the command line (board/qemu_virt_aarch64/board.mk has the
same machine for `make qemu`):

    import qemu_virt                      # scripts/ on sys.path
    cmd = qemu_virt.command(image)        # loader.img at its link address
    cmd = qemu_virt.base("virt,secure=on") + ["-kernel", image]

Every run is headless and has no network card (`-nic none`): QEMU's
default card needs a boot ROM (efi-virtio.rom) from ipxe-qemu, which a
fresh machine lacks, and nothing here uses a network. A script that needs
one adds its own -netdev/-device.
"""

import os
import re

QEMU = "qemu-system-aarch64"
# virtualization=on: the CPU starts in EL2 as on the Odroid-C4, and PSCI is
# QEMU's own firmware emulation behind SMC (docs/boot.md).
MACHINE = "virt,virtualization=on,gic-version=2"
LOADER_ADDR = 0x70000000
# Deterministic time: one instruction per virtual nanosecond, no sleeping.
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
NO_NETWORK = ["-nic", "none"]


def configured_cores(out, fallback=1):
    """QEMU's -smp for the build in `out`: its CONFIG_MAX_NUM_NODES (four
    on the default configuration). A kernel built for more cores than QEMU
    gives it stops in the loader (PSCI CPU_ON fails), so every run must ask
    the build. `fallback` where `out` has no .config."""
    try:
        text = open(os.path.join(out, ".config")).read()
    except OSError:
        return fallback
    m = re.search(r"^CONFIG_MAX_NUM_NODES=(\d+)$", text, re.M)
    return int(m.group(1)) if m else fallback


def image_cores(image):
    """configured_cores() of the build an image came from (O=/images/loader.img)."""
    return configured_cores(os.path.dirname(os.path.dirname(os.path.abspath(image))))


def base(machine=MACHINE, memory="2G", qemu=QEMU, network=False, cores=1):
    """The machine without a program: `cores` CPUs, serial on stdio, no
    monitor, and no NIC unless the caller adds its own network device
    (network=True)."""
    return [qemu, "-machine", machine, "-cpu", "cortex-a53", "-smp", str(cores), "-m", memory,
            "-nographic", "-monitor", "none", "-serial", "stdio"] + ([] if network else NO_NETWORK)


def load_image(image, addr=LOADER_ADDR, cpu=True):
    """QEMU's generic loader puts `image` at `addr` (and starts CPU 0 there)."""
    addr = addr if isinstance(addr, str) else f"{addr:#x}"
    return ["-device", f"loader,file={image},addr={addr}" + (",cpu-num=0" if cpu else "")]


def command(image, machine=MACHINE, memory="2G", addr=LOADER_ADDR, deterministic=True,
            network=False, cores=None):
    """Boot loader.img as `make qemu` does, with -icount unless told otherwise;
    as many cores as the image's build is configured for unless `cores`."""
    cores = image_cores(image) if cores is None else cores
    return base(machine, memory, network=network, cores=cores) + \
        (ICOUNT if deterministic else []) + load_image(image, addr)
