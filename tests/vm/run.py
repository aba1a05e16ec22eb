#!/usr/bin/python3
"""Virtual machine tests (docs/vmm.md): Linux guests on the hypervisor
kernel, booted in QEMU, driven through their consoles.

    tests/vm/run.py [NAME...]

The QEMU systems build in one output directory, build/test/vm, configured once
with KCONFIG_SET="KERNEL_EL2=y ROOT_CNODE_SIZE_BITS=14" (the guest kernel is
embedded in the monitor's image, a capability slot per page) on the default
four cores, which the two-vCPU guest on two cores needs too. QEMU gets as
many cores (-smp) as the output directory's kernel has. The first
build fetches Debian's arm64 kernel, busybox and libfdt
(guests/linux/linux.mk, pds/libvmm/libvmm.mk). A failing test can be rerun
by hand with
    make O=build/test/vm SYSTEM=<file> qemu
The Odroid-C4 builds of the single-guest systems (plain and with the UART
passed through) go to build/test/vm-odroidc4 and are checked, not run.
The other output directories take the Debian packages build/test/vm
fetched (hard links), so the archive is read once.
The last line is "N passed, N failed".
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "test", "vm")
LOGS = os.path.join(ROOT, "build", "test", "logs", "vm")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_virt  # noqa: E402

KCONFIG_SET = "KERNEL_EL2=y ROOT_CNODE_SIZE_BITS=14"

# Nothing a healthy run prints; a ticker tick 1 ms late or later means a
# guest held up a native PD.
FORBID = [r"MON\|ERROR", r"KERNEL\|FAULT", r"KERNEL\|ERROR", r"KERNEL\|PANIC",
          r"late by \d{4,} us", r"unhandled fault \(seL4 fault [^6]"]
# On several cores QEMU runs the emulated cores in turns, one keeping the
# emulator until its own next timer deadline: a tick due on core 0 while a
# vCPU runs on core 1 waits for that core's turn to end, at the end of the
# vCPU's 1 ms slice at the latest. The ticker (core 0) may be up to 2 ms late.
FORBID_SMP = [f for f in FORBID if "late by" not in f] + [r"late by (?:[2-9]\d{3}|\d{5,}) us"]
BOOTED = [r"MON\|INFO: built 1 virtual machine with 1 vCPU", r"MON\|INFO: Microkit Monitor started!"]
PROMPT = r"{}:/# "

# Cores the SMP guest's test needs (the default configuration has them).
SMP_CORES = 4

# name, system, expected output in order, (pattern, text to type)..., stop
# pattern, forbidden patterns[, cores: the default unless given].
TESTS = [
    # One guest to a shell next to the ticker; its answers to two commands;
    # then an access to guest-physical memory nothing backs: the VMM reports
    # it and boots the guest again.
    ("linux-shell", "sdf/vm_linux.system",
     BOOTED + [r"\[ticker\] ticker: a tick every 200 ms",
               r"VMM\|vmm: booting Linux \(console=ttyAMA0 quiet panic=-1 vmname=vmm\)",
               r"VMM\|vmm: Linux at 0x40000000 \(\d+ KiB\), initrd at 0x[0-9a-f]+",
               r"\[vmm\] init: Linux 6\.\d+\.\d+-\d+-cloud-arm64 on vmm, 1 CPU\(s\)",
               r"\[vmm\] vmm:/# ",
               r"\[vmm\] Linux vmm 6\.\d+\S* #1 SMP Debian .* aarch64 GNU/Linux",
               r"\[vmm\] +\d+: +[1-9]\d* +GIC-0 +27 Level +arch_timer",
               r"\[vmm\] +\d+: +[1-9]\d* +GIC-0 +33 Level +uart-pl011",
               r"VMM\|vmm: vcpu 0: unhandled fault \(seL4 fault 6\) at ip 0x[0-9a-f]+, address 0xc000000",
               r"VMM\|vmm: restarting the guest \(restart 1\)",
               r"\[vmm\] init: Linux .* on vmm",
               r"\[vmm\] Linux vmm .* aarch64",
               r"\[ticker\] ticker: tick \d+ late by \d{1,3} us"],
     [(r"vmm:/# ", r"uname -a\r"), (r"aarch64 GNU/Linux", r"cat /proc/interrupts\r"),
      (r"uart-pl011", r"devmem 0x0c000000\r"), (r"restarting the guest \(restart 1\)", ""),
      (r"vmm:/# ", r"uname -a\r")],
     r"(?s)restart 1\).*\[vmm\] Linux vmm [^\n]*aarch64.*ticker: tick", FORBID),
    # Two guests, each with its own VMM: one panics (sysrq c, panic=-1 ends
    # in PSCI SYSTEM_RESET); its VMM reports and restarts it while the other
    # guest answers and the ticker stays on time; then both answer.
    ("two-guests-panic-restart", "sdf/vm_two_guests.system",
     [r"MON\|INFO: built 2 virtual machines with 2 vCPUs",
      r"VMM\|vmm_a: the guest's kernel panicked: .*Kernel panic - not syncing: sysrq triggered crash",
      r"VMM\|vmm_a: the guest asked for a reset",
      r"VMM\|vmm_a: restarting the guest \(restart 1\)",
      r"\[vmm_b\] Linux vmm_b .* aarch64 GNU/Linux",
      r"\[vmm_a\] Linux vmm_a .* aarch64 GNU/Linux",
      r"\[ticker\] ticker: tick \d+ late by \d{1,3} us"],
     [(r"(?s)(?=.*vmm_a:/# )(?=.*vmm_b:/# )", r"echo c > /proc/sysrq-trigger\r"),
      (r"restarting the guest \(restart 1\)", ""),
      (r"vmm_a:/# ", r"\x141\r"), (r"vmm_b:/# ", r"uname -a\r"),
      (r"Linux vmm_b [^\n]*aarch64", r"\x140\r"), (r"vmm_a:/# ", r"uname -a\r")],
     r"(?s)restart 1\).*\[vmm_a\] Linux vmm_a [^\n]*aarch64.*ticker: tick", FORBID),
    # The guest owns the UART (pass-through): its registers mapped into the
    # virtual machine, its interrupt passed on by the VMM, its node in the
    # guest's device tree. Linux's own PL011 driver answers on the serial
    # port, its interrupt counting; the ticker prints through the kernel.
    ("linux-passthrough", "sdf/vm_linux_passthrough.system",
     BOOTED + [r"ticker: a tick every 200 ms",
               r"VMM\|vmm: booting Linux \(console=ttyAMA0 quiet panic=-1 vmname=vmm\)",
               r"(?m)^init: Linux 6\.\d+\.\d+-\d+-cloud-arm64 on vmm, 1 CPU\(s\)",
               r"vmm:/# ",
               r"Linux vmm 6\.\d+\S* #1 SMP Debian .* aarch64 GNU/Linux",
               r" +\d+: +[1-9]\d* +GIC-0 +33 Level +uart-pl011",
               r"ticker: tick \d+ late by \d{1,3} us"],
     [(r"vmm:/# ", r"uname -a\r"), (r"aarch64 GNU/Linux", r"cat /proc/interrupts\r")],
     r"(?s)GIC-0 +33 Level +uart-pl011.*ticker: tick", FORBID),
    # A guest with two vCPUs on two cores (<vcpu cpu>), on a four-core
    # kernel: the VMM boots vCPU 0, Linux starts vCPU 1 with PSCI CPU_ON;
    # both CPUs take their timer interrupts, and the guest's IPIs (SGIs
    # through the emulated distributor, into a list register of the vCPU
    # on the other core) are counted on both. Then its kernel panics (the
    # other CPU stopped by an IPI, then PSCI SYSTEM_RESET): the VMM stops
    # both vCPUs, one of them running on the other core, and boots the
    # guest again, with its two CPUs.
    ("linux-smp", "sdf/vm_linux_smp.system",
     [r"MON\|INFO: built 1 virtual machine with 2 vCPUs",
      r"MON\|INFO: core 0: .*linux/vcpu0", r"MON\|INFO: core 1: linux/vcpu1",
      r"MON\|INFO: Microkit Monitor started!",
      r"\[vmm\] init: Linux 6\.\d+\.\d+-\d+-cloud-arm64 on vmm, 2 CPU\(s\)",
      r"\[vmm\] vmm:/# ",
      r"(?m)^\[vmm\] 2\r?$",
      r"\[vmm\] processor\s+: 0", r"\[vmm\] processor\s+: 1",
      r"\[vmm\] +CPU0 +CPU1",
      r"\[vmm\] +\d+: +[1-9]\d* +[1-9]\d* +GIC-0 +27 Level +arch_timer",
      r"\[vmm\] +IPI0: +[1-9]\d* +[1-9]\d* +Rescheduling interrupts",
      r"\[vmm\] +IPI1: +[1-9]\d* +[1-9]\d* +Function call interrupts",
      r"VMM\|vmm: the guest's kernel panicked: .*Kernel panic - not syncing: sysrq triggered crash",
      r"VMM\|vmm: the guest asked for a reset",
      r"VMM\|vmm: restarting the guest \(restart 1\)",
      r"\[vmm\] init: Linux .* on vmm, 2 CPU\(s\)",
      r"(?m)^\[vmm\] 2\r?$",
      r"\[ticker\] ticker: tick \d+ late by \d{1,4} us"],
     [(r"vmm:/# ", r"nproc\r"), (r"(?s)\[vmm\] 2\r?\n.*vmm:/# ", r"cat /proc/cpuinfo\r"),
      (r"(?s)processor\s+: 1.*vmm:/# ", r"cat /proc/interrupts\r"),
      (r"(?s)Function call interrupts.*vmm:/# ", r"echo c > /proc/sysrq-trigger\r"),
      (r"(?s)restart 1\).*vmm:/# ", r"nproc\r")],
     r"(?s)restart 1\).*\[vmm\] 2\r?\n.*ticker: tick", FORBID_SMP, SMP_CORES),
]

# The same systems for the Odroid-C4 (build only: nothing runs the board
# here), the pass-through one giving the guest the board's AO UART.
ODROID_SYSTEMS = ["sdf/vm_linux.system", "sdf/vm_linux_passthrough.system"]
ODROID_OUT = os.path.join(ROOT, "build", "test", "vm-odroidc4")


def qemu_command(image):
    """As many cores as the image's kernel has (four by default)."""
    return ["qemu-system-aarch64", "-machine", "virt,virtualization=on,gic-version=2",
            "-cpu", "cortex-a53", "-smp", str(qemu_virt.image_cores(image)), "-m", "2G",
            "-nographic", "-monitor", "none", "-serial", "stdio",
            "-icount", "shift=0,align=off,sleep=off", "-nic", "none",
            "-device", f"loader,file={image},addr=0x70000000,cpu-num=0"]


def share_guest_packages(out):
    """The Debian packages another output directory fetched already (the
    guest's kernel, busybox, libfdt: the same for every board and core
    count), hard-linked into `out`'s deps/ rather than fetched again."""
    have = os.path.join(OUT, "deps")
    want = os.path.join(out, "deps")
    if out == OUT or not os.path.isdir(have):
        return
    for name in os.listdir(have):
        src, dst = os.path.join(have, name), os.path.join(want, name)
        if os.path.isfile(os.path.join(src, ".package")) and not os.path.exists(dst):
            os.makedirs(want, exist_ok=True)
            shutil.copytree(src, dst, symlinks=True, copy_function=os.link)


def build(system, board="qemu_virt_aarch64", out=OUT, cores=None):
    share_guest_packages(out)
    args = ["make", "-j2", f"BOARD={board}", f"O={out}", f"SYSTEM={system}"]
    if not os.path.exists(os.path.join(out, ".config")):
        # A test that needs a core count says so; else the default (four).
        args.append(f"KCONFIG_SET={KCONFIG_SET}" + (f" MAX_NUM_NODES={cores}" if cores else ""))
    return subprocess.run(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def odroid_builds(argv):
    """Each system builds for the Odroid-C4 into a boot image; the
    pass-through one gives the VMM the AO UART's interrupt (225) and maps
    the UART (0xff803000) into the guest at its address."""
    passed = failed = 0
    for system in ODROID_SYSTEMS:
        name = "odroidc4-" + os.path.splitext(os.path.basename(system))[0]
        if argv and name not in argv:
            continue
        b = build(system, "odroidc4", ODROID_OUT)
        image = os.path.join(ODROID_OUT, "images", "loader.img")
        ok = b.returncode == 0 and os.path.exists(image)
        detail = b.stdout[-3000:]
        if ok and "passthrough" in system:
            report = os.path.join(ODROID_OUT, "system", "report.txt")
            text = open(report).read() if os.path.exists(report) else ""
            want = ["guest_uart_paddr (8 bytes) = 0xff803000",
                    "mapped by virtual machine 'linux' at guest 0xff803000"]
            ok = all(w in text for w in want)
            detail = f"{report} lacks one of {want}"
        print(f"{'PASS' if ok else 'FAIL'} vm/{name}" + ("" if ok else f": {detail}"), flush=True)
        passed += ok
        failed += not ok
    return passed, failed


def main(argv):
    os.makedirs(LOGS, exist_ok=True)
    passed = failed = 0
    for name, system, expect, sends, until, forbid, *rest in TESTS:
        if argv and name not in argv:
            continue
        cores = rest[0] if rest else None
        out = OUT
        b = build(system, out=out, cores=cores)
        if b.returncode != 0:
            failed += 1
            print(f"FAIL vm/{name}: build failed\n{b.stdout[-3000:]}")
            continue
        cmd = [PYTHON, os.path.join(ROOT, "scripts", "qemu-test.py"), "--name", f"vm/{name}",
               "--timeout", "300", "--log", os.path.join(LOGS, f"{name}.log"),
               "--until", until, "--grace", "1"]
        cmd += [a for e in expect for a in ("--expect", e)]
        cmd += [a for f in forbid for a in ("--forbid", f)]
        for pattern, text in sends:
            cmd += ["--send", pattern, text]
        cmd += ["--"] + qemu_command(os.path.join(out, "images", "loader.img"))
        q = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        print(q.stdout, end="")
        if q.returncode == 0:
            passed += 1
        else:
            failed += 1
    p, f = odroid_builds(argv)
    passed += p
    failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
