#!/usr/bin/python3
"""Boot-loader tests: boot loader.img in QEMU every way a board or QEMU starts
it, check the LDR lines and that control reaches the kernel; check the
Odroid-C4 image header; check that mkpayload refuses bad input.

    tests/boot/loader_test.py [O] [--work DIR] [--image-only]

O (optional): a build directory with images/loader.img for qemu_virt_aarch64
(the real kernel and root task inside): each boot mode must print
"LDR|INFO: jumping to kernel" followed by the kernel's first line. The
kernel's exception level is O's (CONFIG_KERNEL_EL1 or CONFIG_KERNEL_EL2): an
EL2 kernel on a machine without EL2 must be refused with one clear error.

Unless --image-only, the test also builds its own images in DIR (default
build/test/loader) with the stub kernel of tests/boot/stub, once for each
kernel exception level (EL1 and EL2, each set explicitly), which checks the
entry contract (the kernel's EL, MMU on, x0-x5, zeroed .bss, root-task bytes,
DTB) and powers off through PSCI.

Ends with 'N passed, N failed'; exits 1 if anything failed.
"""
import argparse
import os
import re
import selectors
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3"
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_virt  # noqa: E402

QEMU = qemu_virt.QEMU
LINK_QEMU = qemu_virt.LOADER_ADDR
LINK_ODROID = 0x20000000
BOOT_TIMEOUT = 8.0  # seconds of wall time per boot; a boot takes well under one


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def skip(self, name, why):
        self.skipped += 1
        print(f"SKIP {name}: {why}", flush=True)

    def line(self):
        text = f"{self.passed} passed, {self.failed} failed"
        return text + (f", {self.skipped} skipped" if self.skipped else "")

    def record(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok


# ---------------------------------------------------------------- building

def run(cmd, env=None):
    return subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def el_option(kernel_el):
    return f"KERNEL_EL{kernel_el}=y"


def configured_el(out):
    """The kernel exception level the build directory `out` is configured for."""
    try:
        text = open(os.path.join(out, ".config")).read()
    except OSError:
        return None
    return 2 if re.search(r"^CONFIG_KERNEL_EL2=y$", text, re.M) else 1


def configure(out, board, kernel_el, cores=1):
    """Config (the board's defconfig with the kernel at EL`kernel_el` on
    `cores` cores), generated headers and host tools for `board` in `out`.
    The stub kernel stands in for a one-core kernel (it checks the boot
    core's entry contract and has no entry for other cores), so its images
    are one-core; the real image's loader is tested on its four."""
    steps = [["make", "-s", f"O={out}", f"BOARD={board}", "defconfig"]]
    os.makedirs(os.path.join(out, "include", "config", "deps"), exist_ok=True)
    os.makedirs(os.path.join(out, "include", "generated"), exist_ok=True)
    env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
    steps.append([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", f"MAX_NUM_NODES={cores}",
                  el_option(kernel_el)])
    steps.append([PYTHON, "-m", "genconfig",
                  "--header-path", os.path.join(out, "include", "generated", "autoconf.h"),
                  "--config-out", os.path.join(out, "include", "config", "auto.conf"),
                  "--sync-deps", os.path.join(out, "include", "config", "deps"), "Kconfig"])
    steps.append(["make", "-s", "-f", "scripts/Makefile", f"srctree={ROOT}", f"O={out}",
                  f"BOARD={board}"])
    for cmd in steps:
        r = run(cmd, env=env if cmd[0] == PYTHON else None)
        if r.returncode != 0:
            return r
    return r


def build_stub_image(out, board, kernel_el, extra=()):
    """loader.img for `board` with the stub kernel and root task for a kernel
    at EL`kernel_el` (and the board's built-in DTB unless extra says BOARD_DTB=)."""
    r = configure(out, board, kernel_el)   # cheap when nothing changed: genconfig keeps unchanged files
    if r.returncode != 0:
        return r
    common = [f"srctree={ROOT}", f"O={out}", f"BOARD={board}"]
    r = run(["make", "-s", "-f", "tests/boot/stub/Makefile"] + common)
    if r.returncode != 0:
        return r
    stub = os.path.join(out, "tests", "boot", "stub")
    return run(["make", "-s", "-f", "kernel/loader/Makefile"] + common +
               [f"KERNEL_ELF={stub}/kernel.elf", f"ROOTTASK_ELF={stub}/roottask.elf", *extra])


def build_image_without_dtb(out, real):
    """loader.img around the kernel and root task of the build `real`, with no
    built-in DTB: with -device loader the kernel then gets none (x5 = 0)."""
    r = configure(out, "qemu_virt_aarch64", configured_el(real), qemu_virt.configured_cores(real))
    if r.returncode != 0:
        return r
    return run(["make", "-s", "-f", "kernel/loader/Makefile", f"srctree={ROOT}", f"O={out}",
                "BOARD=qemu_virt_aarch64", f"KERNEL_ELF={real}/kernel/kernel.elf",
                f"ROOTTASK_ELF={real}/pds/monitor/monitor.elf", "BOARD_DTB="])


# ---------------------------------------------------------------- QEMU

FAKE_GO = None   # tests/boot/stub/fake_go.elf once built: U-Boot `go` with the MMU on
UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"   # Debian u-boot-qemu
# U-Boot's `booti` copies the image to DRAM base + text_offset and passes its DTB.
UBOOT_BOOTI = [("Hit any key", "\n"), ("=>", "booti 0x48000000 - ${fdtcontroladdr}\n")]


def qemu_command(image, machine, load, addr=LINK_QEMU):
    cmd = qemu_virt.base(machine, cores=qemu_virt.image_cores(image))
    if load == "kernel":
        return cmd + ["-kernel", image]
    if load == "uboot":
        # U-Boot runs first (-bios); the image waits in RAM for `booti`.
        return cmd + ["-bios", UBOOT] + qemu_virt.load_image(image, addr, cpu=False)
    if load == "go":
        # The image is only loaded; fake_go.elf starts, turns the MMU and caches
        # on at EL2 and calls it at 0x48000000 with x0 = argc, x1 = argv.
        return cmd + qemu_virt.load_image(image, addr, cpu=False) + \
            ["-device", f"loader,file={FAKE_GO},cpu-num=0"]
    return cmd + qemu_virt.load_image(image, addr)


def boot(cmd, done, console=()):
    """Run QEMU until done(lines) is true, QEMU exits, or the time runs out.
    console: (text, reply) pairs: once `text` has appeared on the serial line
    (after the previous one), type `reply`. Returns (lines, exit status or
    None if it was stopped)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    pending = list(console)
    seen = b""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf, lines, ended = b"", [], False
    deadline = time.monotonic() + BOOT_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                ended = True    # QEMU closed its output: it is exiting
                break
            buf += chunk
            seen += chunk
            while pending and pending[0][0].encode() in seen:
                seen = seen.split(pending[0][0].encode(), 1)[1]
                proc.stdin.write(pending.pop(0)[1].encode())
                proc.stdin.flush()
            *complete, buf = buf.split(b"\n")
            lines += [c.decode(errors="replace").rstrip("\r") for c in complete]
            if done(lines):
                break
    finally:
        status = None
        if ended:
            try:
                status = proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sel.close()
        proc.stdout.close()
        proc.stdin.close()
    if buf:
        lines.append(buf.decode(errors="replace").rstrip("\r"))
    return lines, status


def kernel_line(lines):
    """The first non-loader line after 'jumping to kernel', or None."""
    for i, line in enumerate(lines):
        if "LDR|INFO: jumping to kernel at 0x" in line:
            for later in lines[i + 1:]:
                if later.strip() and not later.startswith("LDR|"):
                    return later
            return None
    return None


def stub_finished(lines):
    return any(l.startswith(("STUB|PASS", "STUB|FAIL")) for l in lines)


# Which DTB the loader hands on: the boot loader's (compacted) or its own.
PASSED_DTB = [r"DTB from the boot loader at 0x[0-9a-f]+: totalsize 0x[0-9a-f]+, 0x[0-9a-f]+ bytes used",
              r"DTB for the kernel: compact copy of the boot loader's, 0x[0-9a-f]+ bytes at 0x[0-9a-f]+"]
BUILT_IN_DTB = [r"DTB for the kernel: the built-in one, 0x[0-9a-f]+ bytes at 0x[0-9a-f]+"]

# Boot modes: (name, machine, how loaded, load address, lines the loader must
# print whatever the kernel's EL; el_lines() adds the EL-dependent ones).
MODES = [
    ("a-el2-device-loader", "virt,virtualization=on,gic-version=2", "loader", LINK_QEMU,
     [r"entered at EL2, MMU off", r"no DTB from the boot loader \(x0 was 0x0\)"] + BUILT_IN_DTB),
    ("b-el1-device-loader", "virt,gic-version=2", "loader", LINK_QEMU,
     [r"entered at EL1, MMU off"] + BUILT_IN_DTB),
    ("c-el2-kernel-image-header", "virt,virtualization=on,gic-version=2", "kernel", None,
     [r"entered at EL2", r"DTB from the boot loader at 0x[0-9a-f]+: totalsize 0x100000"] + PASSED_DTB),
    ("d-relocation", "virt,virtualization=on,gic-version=2", "loader", 0x48000000,
     [rf"relocating from 0x48000000 to {LINK_QEMU:#x}"] + BUILT_IN_DTB),
    ("e-el3-secure", "virt,secure=on,virtualization=on,gic-version=2", "loader", LINK_QEMU,
     [r"entered at EL3", r"dropping from EL3 to EL2", r"now at EL2"] + BUILT_IN_DTB),
    ("e2-el3-secure-without-el2", "virt,secure=on,gic-version=2", "loader", LINK_QEMU,
     [r"entered at EL3", r"dropping from EL3 to EL1"] + BUILT_IN_DTB),
    ("g-uboot-go-mmu-on", "virt,virtualization=on,gic-version=2", "go", 0x48000000,
     [r"entered at EL2, MMU on, D-cache on, I-cache on; x0 0x1 ",
      r"no DTB from the boot loader \(x0 was 0x1\)",
      rf"relocating from 0x48000000 to {LINK_QEMU:#x}"] + BUILT_IN_DTB),
    ("h-uboot-booti", "virt,virtualization=on,gic-version=2", "uboot", 0x48000000,
     [r"entered at EL2, MMU off"] + PASSED_DTB),
]
COMMON_LINES = [r"loader for qemu_virt_aarch64, linked at 0x70000000", r"region 0: 0x[0-9a-f]+ bytes to 0x",
                r"kernel: phys \[0x", r"root task: phys \[0x", r"jumping to kernel at 0x"]
# An EL2 (hypervisor) kernel on a CPU that offers no EL2: one clear error, no jump.
EL2_REFUSED = (r"LDR\|ERROR: the EL2 \(hypervisor\) kernel must be entered at EL2 or EL3, "
               r"but this CPU is at EL1")


def machine_has_el2(machine):
    return "virtualization=on" in machine


def el_lines(machine, kernel_el):
    """The loader lines that depend on the kernel's EL (None: the loader must refuse)."""
    if kernel_el == 1:
        drop = [r"dropping from EL2 to EL1"] if machine_has_el2(machine) else []
        return drop + [r"running at EL1", r"MMU and caches on at EL1"]
    if not machine_has_el2(machine):
        return None
    return [r"running at EL2 \(the kernel's EL\)", r"MMU and caches on at EL2"]


def loader_stopped(lines):
    return any(l.startswith("LDR|ERROR") for l in lines)


def check_refused(tally, name, lines):
    """An EL2 kernel on a machine without EL2: the loader names the problem and stops."""
    text = "\n".join(lines)
    tally.record(f"{name}/el2-kernel-refused-without-el2",
                 re.search(EL2_REFUSED, text) is not None and "jumping to kernel" not in text,
                 text[-400:])


def check_loader_lines(tally, name, lines, expected, load):
    text = "\n".join(lines)
    ok = True
    for pattern in COMMON_LINES + expected:
        if not re.search(r"LDR\|INFO: " + pattern, text):
            ok = tally.record(f"{name}/line: {pattern}", False, "missing") and ok
    if load in ("kernel", "uboot") and "relocating" in text:
        ok = tally.record(f"{name}/no-relocation", False, "Image header path relocated") and ok
    errors = [l for l in lines if l.startswith("LDR|ERROR")]
    jump = next((i for i, l in enumerate(lines) if "jumping to kernel" in l), len(lines))
    early = [l for l in lines[:jump] if l.startswith("LDR|ERROR")]
    if early:
        ok = tally.record(f"{name}/no-error", False, early[0]) and ok
    return ok, errors


def mode_unavailable(load):
    if load == "uboot" and not os.path.exists(UBOOT):
        return f"{UBOOT} not installed (Debian package u-boot-qemu)"
    return None


def boot_mode(image, machine, load, addr, done):
    console = UBOOT_BOOTI if load == "uboot" else ()
    return boot(qemu_command(image, machine, load, addr), done, console)


def modes_for(tally, image, prefix, kernel_el):
    """The boot modes in which a kernel at EL`kernel_el` must be reached:
    (test name, machine, load, addr, expected loader lines). Modes QEMU cannot
    run here are skipped; where the CPU has no EL2 an EL2 kernel must be
    refused, which is checked here."""
    for name, machine, load, addr, expected in MODES:
        full = f"{prefix}-el{kernel_el}/{name}"
        why = mode_unavailable(load)
        if why:
            tally.skip(full, why)
            continue
        by_el = el_lines(machine, kernel_el)
        if by_el is None:
            lines, _ = boot_mode(image, machine, load, addr, loader_stopped)
            check_refused(tally, full, lines)
            continue
        yield full, machine, load, addr, expected + by_el


def boot_stub_modes(tally, image, kernel_el):
    for full, machine, load, addr, expected in modes_for(tally, image, "loader/stub", kernel_el):
        # PSCI SYSTEM_OFF ends QEMU with status 0; secure=on has no PSCI firmware, so
        # there the boot stops at the stub's verdict.
        psci = "secure=on" not in machine
        lines, status = boot_mode(image, machine, load, addr,
                                  (lambda lines: False) if psci else stub_finished)
        ok, _ = check_loader_lines(tally, full, lines, expected, load)
        verdict = next((i for i, l in enumerate(lines) if l.startswith("STUB|PASS")), len(lines))
        passed = verdict < len(lines)
        # After PASS the stub powers off; without PSCI (secure=on) that faults: not the loader's.
        fails = [l for l in lines[:verdict] if l.startswith("STUB|FAIL")]
        # Every mode hands the kernel a DTB; QEMU's 1 MiB one (-kernel) arrives compacted.
        ok = ok and tally.record(f"{full}/dtb-passed", any("STUB|PASS dtb yes" in l for l in lines))
        if load == "kernel":
            x5 = next((int(m.group(1), 16) for l in lines
                       for m in [re.search(r"STUB\|kernel entered .* x5 (0x[0-9a-f]+)", l)] if m), None)
            tally.record(f"{full}/dtb-compacted", x5 is not None and 0 < x5 < 0x100000, f"x5 {x5}")
        tally.record(full, ok and passed and not fails,
                     (fails[0] if fails else lines[-1] if lines else "no output"))
        if psci:
            tally.record(f"{full}/psci-power-off", status == 0,
                         f"QEMU status {status}: {lines[-1] if lines else 'no output'}")


def kernel_booted(lines):
    return any("KERNEL|INFO: booting all finished" in l or "PANIC" in l for l in lines)


def extra_bootinfo_matches(lines):
    """The kernel's extra BootInfo holds the DTB the loader handed it (same size)."""
    loader = next((m.group(1) for l in lines
                   for m in [re.search(r"DTB for the kernel: .*, (0x[0-9a-f]+) bytes at", l)] if m), None)
    kernel = next((m.group(1) for l in lines
                   for m in [re.search(r"KERNEL\|INFO: extra BootInfo at 0x[0-9a-f]+: device tree "
                                       r"of (0x[0-9a-f]+) bytes", l)] if m), None)
    return loader is not None and loader == kernel, f"loader {loader}, kernel {kernel}"


# Several cores and the loader entered at EL3 (QEMU secure=on: no PSCI
# firmware; the loader is the firmware): one clear error, no jump.
NO_FIRMWARE_FOR_CORES = (r"LDR\|ERROR: \d cores are configured, but there is no firmware to "
                         r"start them with \(PSCI\): the loader was entered at EL3")


def boot_real_modes(tally, image, kernel_el):
    cores = qemu_virt.image_cores(image)
    for full, machine, load, addr, expected in modes_for(tally, image, "loader/image", kernel_el):
        if cores > 1 and "secure=on" in machine:
            lines, _ = boot_mode(image, machine, load, addr, loader_stopped)
            text = "\n".join(lines)
            tally.record(f"{full}/{cores}-cores-refused-without-firmware",
                         re.search(NO_FIRMWARE_FOR_CORES, text) is not None and
                         "jumping to kernel" not in text, text[-400:])
            continue
        lines, _ = boot_mode(image, machine, load, addr, kernel_booted)
        ok, _ = check_loader_lines(tally, full, lines, expected, load)
        first = kernel_line(lines)
        tally.record(full, ok and first is not None and kernel_booted(lines),
                     f"kernel line: {first!r}" if first else (lines[-1] if lines else "no output"))
        tally.record(f"{full}/extra-bootinfo-dtb", *extra_bootinfo_matches(lines))


def boot_real_without_dtb(tally, work, real):
    """No DTB anywhere (none built in, -device loader passes none): the kernel
    boots with an empty extra BootInfo and the system runs."""
    out = os.path.join(work, f"qemu_virt_aarch64-el{configured_el(real)}-nodtb")
    r = build_image_without_dtb(out, real)
    if not tally.record("loader/image/no-dtb/build", r.returncode == 0, r.stdout[-1500:]):
        return
    lines, _ = boot_mode(os.path.join(out, "images", "loader.img"),
                         "virt,virtualization=on,gic-version=2", "loader", LINK_QEMU,
                         lambda lines: any("system power off" in l or "PANIC" in l for l in lines))
    text = "\n".join(lines)
    tally.record("loader/image/no-dtb/loader-passes-none",
                 "DTB for the kernel: none" in text and "x4 0x0 x5 0x0" in text, text[-500:])
    tally.record("loader/image/no-dtb/kernel-boots-without-extra-bootinfo",
                 "extra BootInfo" not in text and "hello, world" in text and
                 "system power off" in text and "ERROR" not in text, text[-500:])


# ---------------------------------------------------------------- Odroid-C4 image

def check_odroid_image(tally, out):
    image = os.path.join(out, "images", "loader.img")
    elf = os.path.join(out, "kernel", "loader", "loader.elf")
    data = open(image, "rb").read()
    header = data[:64]
    tally.record("loader/odroidc4/magic", header[0x38:0x3c] == b"ARM\x64", repr(header[0x38:0x3c]))
    text_offset = int.from_bytes(header[8:16], "little")
    tally.record("loader/odroidc4/text-offset", text_offset == LINK_ODROID, hex(text_offset))
    image_size = int.from_bytes(header[16:24], "little")
    tally.record("loader/odroidc4/image-size", image_size >= len(data), hex(image_size))
    flags = int.from_bytes(header[24:32], "little")
    tally.record("loader/odroidc4/flags", flags == 2, hex(flags))
    code0 = int.from_bytes(header[0:4], "little")
    tally.record("loader/odroidc4/branch-at-0", code0 >> 26 == 0b000101, hex(code0))
    r = run(["aarch64-linux-gnu-readelf", "-h", "-s", elf])
    entry = re.search(r"Entry point address:\s+(0x[0-9a-f]+)", r.stdout)
    tally.record("loader/odroidc4/entry", bool(entry) and int(entry.group(1), 16) == LINK_ODROID,
                 entry.group(1) if entry else r.stdout[-300:])
    start = re.search(r"([0-9a-f]{16})\s+\d+\s+\w+\s+GLOBAL\s+\w+\s+\S+\s+_start$", r.stdout, re.M)
    tally.record("loader/odroidc4/link-address", bool(start) and int(start.group(1), 16) == LINK_ODROID,
                 start.group(1) if start else "no _start symbol")
    dtb = open(os.path.join(out, "board", "odroidc4.dtb"), "rb").read()
    tally.record("loader/odroidc4/dtb-built-in", dtb[:4] == b"\xd0\x0d\xfe\xed" and dtb in data,
                 f"{len(dtb)} bytes")
    r = run(["aarch64-linux-gnu-nm", elf])
    tally.record("loader/odroidc4/meson-uart", "serial_putc" in r.stdout and
                 os.path.exists(os.path.join(out, "kernel", "loader", "drivers", "kernel", "serial", "meson.o")))


# ---------------------------------------------------------------- mkpayload

def check_mkpayload(tally, out, work):
    tool = os.path.join(out, "scripts", "mkpayload", "mkpayload")
    stub = os.path.join(out, "tests", "boot", "stub")
    kernel, roottask = os.path.join(stub, "kernel.elf"), os.path.join(stub, "roottask.elf")
    good = {"--kernel": kernel, "--roottask": roottask, "--kernel-phys": "0x40000000",
            "--kernel-region-size": "0x4000000", "--loader-link": "0x70000000",
            "--loader-region-size": "0x4000000", "-o": os.path.join(work, "payload-test.bin")}
    dtb = os.path.join(out, "board", "qemu_virt_aarch64.dtb")
    good["--dtb"] = dtb
    blob = open(kernel, "rb").read()
    dtb_blob = open(dtb, "rb").read()
    bad_files = {
        "truncated.dtb": dtb_blob[:len(dtb_blob) // 2],
        "version15.dtb": dtb_blob[:20] + (15).to_bytes(4, "big") + dtb_blob[24:],
        "struct-outside.dtb": dtb_blob[:36] + (len(dtb_blob)).to_bytes(4, "big") + dtb_blob[40:],
        "truncated.elf": blob[:100],
        "x86.elf": blob[:18] + (62).to_bytes(2, "little") + blob[20:],
        "text.elf": b"this is not an ELF file, just some text long enough for a header\n" * 2,
        "bad-phoff.elf": blob[:32] + (len(blob) - 8).to_bytes(8, "little") + blob[40:],
    }
    for name, content in bad_files.items():
        with open(os.path.join(work, name), "wb") as f:
            f.write(content)
    # The root task's end as mkpayload places it: a kernel region that ends one
    # page after it holds the root task but not the DTB (more than a page).
    r = subprocess.run([tool, "-v"] + [a for k, v in good.items() for a in (k, v)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m = re.search(r"root task: phys 0x[0-9a-f]+\.\.(0x[0-9a-f]+)", r.stdout)
    dtb_room = hex(int(m.group(1), 16) + 0x1000 - 0x40000000) if m else "0x0"
    tally.record("loader/mkpayload/dtb-placed-after-root-task",
                 bool(m) and re.search(rf"dtb:\s+phys {m.group(1)} size {len(dtb_blob):#x}", r.stdout)
                 is not None and len(dtb_blob) > 0x1000, r.stdout[-600:])
    cases = [
        ("valid", {}, 0, ""),
        ("truncated-elf", {"--kernel": os.path.join(work, "truncated.elf")}, 1, "past the end"),
        ("not-aarch64", {"--kernel": os.path.join(work, "x86.elf")}, 1, "not an AArch64"),
        ("not-elf", {"--roottask": os.path.join(work, "text.elf")}, 1, "not an ELF file"),
        ("program-headers-outside-file", {"--kernel": os.path.join(work, "bad-phoff.elf")}, 1,
         "program header table"),
        ("kernel-outside-region", {"--kernel-phys": "0x48000000"}, 1, "leaves the kernel region"),
        ("kernel-region-overlaps-loader", {"--loader-link": "0x41000000"}, 1, "overlaps the loader region"),
        ("roottask-does-not-fit", {"--kernel-region-size": "0x8000"}, 1, "does not fit"),
        ("missing-option", {"--kernel-phys": None}, 1, "missing"),
        ("without-dtb", {"--dtb": None}, 0, ""),
        ("dtb-missing", {"--dtb": os.path.join(work, "no-such.dtb")}, 1, "cannot open"),
        ("dtb-not-a-dtb", {"--dtb": os.path.join(work, "text.elf")}, 1, "no FDT magic"),
        ("dtb-truncated", {"--dtb": os.path.join(work, "truncated.dtb")}, 1, "truncated"),
        ("dtb-bad-version", {"--dtb": os.path.join(work, "version15.dtb")}, 1, "unsupported version"),
        ("dtb-block-outside", {"--dtb": os.path.join(work, "struct-outside.dtb")}, 1,
         "outside the tree"),
        ("dtb-does-not-fit-region", {"--kernel-region-size": dtb_room}, 1,
         "device tree (0x"),
        ("bad-number", {"--kernel-phys": "0x4000zz"}, 1, "is not a number"),
    ]
    for name, changes, want_status, want_text in cases:
        opts = dict(good, **changes)
        cmd = [tool] + [a for k, v in opts.items() if v is not None for a in (k, v)]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ok = r.returncode == want_status and want_text in r.stdout
        tally.record(f"loader/mkpayload/{name}", ok, f"status {r.returncode}: {r.stdout.strip()[:200]}")


# ---------------------------------------------------------------- main

def check_stubs(tally, work):
    """The stub kernel behind the loader, for each kernel EL; mkpayload; Odroid-C4."""
    global FAKE_GO
    for kernel_el in (1, 2):
        qemu_out = os.path.join(work, f"qemu_virt_aarch64-el{kernel_el}")
        r = build_stub_image(qemu_out, "qemu_virt_aarch64", kernel_el)
        if not tally.record(f"loader/stub-el{kernel_el}/build-qemu_virt_aarch64", r.returncode == 0,
                            r.stdout[-1500:]):
            continue
        FAKE_GO = os.path.join(qemu_out, "tests", "boot", "stub", "fake_go.elf")
        boot_stub_modes(tally, os.path.join(qemu_out, "images", "loader.img"), kernel_el)
        if kernel_el == 2:
            check_mkpayload(tally, qemu_out, work)
        nodtb_out = os.path.join(work, f"qemu_virt_aarch64-el{kernel_el}-stub-nodtb")
        r = build_stub_image(nodtb_out, "qemu_virt_aarch64", kernel_el, ["BOARD_DTB="])
        if tally.record(f"loader/stub-el{kernel_el}/build-without-dtb", r.returncode == 0,
                        r.stdout[-1500:]):
            lines, status = boot_mode(os.path.join(nodtb_out, "images", "loader.img"),
                                      "virt,virtualization=on,gic-version=2", "loader", LINK_QEMU,
                                      lambda lines: False)
            text = "\n".join(lines)
            tally.record(f"loader/stub-el{kernel_el}/no-dtb-anywhere",
                         "DTB for the kernel: none" in text and "STUB|PASS dtb no" in text and
                         status == 0, text[-500:])
    # U-Boot enters the Odroid-C4 at EL2: the image is built as the board's default is.
    odroid_out = os.path.join(work, "odroidc4")
    r = build_stub_image(odroid_out, "odroidc4", 2)
    if tally.record("loader/stub/build-odroidc4", r.returncode == 0, r.stdout[-1500:]):
        check_odroid_image(tally, odroid_out)


def build_fake_go(tally, work, kernel_el):
    """fake_go.elf (the `go` stand-in) without the stub runs (--image-only)."""
    out = os.path.join(work, f"qemu_virt_aarch64-el{kernel_el}")
    r = build_stub_image(out, "qemu_virt_aarch64", kernel_el)
    tally.record("loader/image/build-fake-go", r.returncode == 0, r.stdout[-1500:])
    return os.path.join(out, "tests", "boot", "stub", "fake_go.elf")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("O", nargs="?", help="build directory with images/loader.img (qemu_virt_aarch64)")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "test", "loader"))
    ap.add_argument("--image-only", action="store_true",
                    help="only boot O's image (no stub images, no Odroid-C4 or mkpayload checks)")
    args = ap.parse_args(argv)
    global FAKE_GO
    tally = Tally()
    if not shutil.which(QEMU):
        print(f"{QEMU} not found")
        tally.record("loader/qemu-present", False)
        print(tally.line())
        return 1

    if not args.image_only:
        check_stubs(tally, args.work)
    if args.O:
        real = os.path.abspath(args.O)
        kernel_el = configured_el(real)
        image = os.path.join(real, "images", "loader.img")
        if tally.record("loader/image/present", os.path.exists(image) and kernel_el is not None, image):
            if not FAKE_GO:
                FAKE_GO = build_fake_go(tally, args.work, kernel_el)
            boot_real_modes(tally, image, kernel_el)
            boot_real_without_dtb(tally, args.work, real)

    print(tally.line())
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
