#!/usr/bin/python3
"""Run the project's test suites and print one closing line.

    testsuite.py [all | build | image | boot | abi | sdf | host | kernel | system | vm | debug | bench
                  | microkit | el1 | kernel-el1 | ...]...

Each suite prints its own tests and ends with 'N passed, N failed[, N skipped]';
this runner adds them up and ends with the same kind of line for everything.
It exits non-zero if any test failed. Outputs go to build/test/.
"""
import os
import re
import shutil
import subprocess
import sys
import time

import qemu_virt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_OUT = os.path.join(ROOT, "build", "test")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
BOARDS = sorted(d for d in os.listdir(os.path.join(ROOT, "board"))
                if os.path.isfile(os.path.join(ROOT, "board", d, "defconfig")))
SUMMARY = re.compile(r"(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")
COMPILE_LINE = re.compile(r"^\s+(CC|AS|LD|HOSTCC)\s", re.M)


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def record(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))

    def line(self):
        text = f"{self.passed} passed, {self.failed} failed"
        return text + (f", {self.skipped} skipped" if self.skipped else "")


def sh(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kw)


def make(board, *targets, out=None):
    out = out or os.path.join(TEST_OUT, board)
    return sh(["make", f"BOARD={board}", f"O={out}", *targets])


def run_script(tally, name, cmd):
    """Run an external suite, stream its output, add its closing line."""
    print(f"--- {name}: {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    last = None
    for line in proc.stdout:
        print("    " + line, end="")
        m = SUMMARY.search(line)
        if m:
            last = m
    proc.wait()
    if not last:
        tally.record(name, False, f"no closing line (exit status {proc.returncode})")
        return
    tally.passed += int(last.group(1))
    tally.failed += int(last.group(2))
    tally.skipped += int(last.group(3) or 0)
    if proc.returncode != 0 and int(last.group(2)) == 0:
        tally.record(name, False, f"exit status {proc.returncode} with no failed test")


# ---------------------------------------------------------------- suites

def suite_build(tally):
    """Every board's defconfig builds with -Werror, and builds are incremental."""
    for board in BOARDS:
        out = os.path.join(TEST_OUT, board)
        shutil.rmtree(out, ignore_errors=True)
        r = make(board, "defconfig")
        r = make(board) if r.returncode == 0 else r
        tally.record(f"build/{board}", r.returncode == 0, r.stdout[-2000:])
        if r.returncode != 0:
            continue
        r = make(board)
        noop = r.returncode == 0 and not COMPILE_LINE.search(r.stdout)
        tally.record(f"build/{board}/second-make-does-nothing", noop, r.stdout[-1000:])
    check_driver_examples(tally)
    check_multicore_example(tally)
    board = "qemu_virt_aarch64"
    if board in BOARDS:
        check_header_dependency(tally, board)
        check_option_dependency(tally, board)
        check_variant(tally, board, "release", ["DEBUG_BUILD=n", "PRINTING=n", "OPTIMISE_OS=y"])
        check_one_core(tally, board)
        check_root_task_switching(tally, board)


# The device-driver examples (docs/drivers.md) build for every board; on
# QEMU they also run (tests/system/run.py).
DRIVER_EXAMPLES = ["sdf/console.system", "sdf/block.system", "sdf/network.system"]


def check_driver_examples(tally):
    for board in BOARDS:
        if board == "qemu_virt_aarch64":
            continue
        out = os.path.join(TEST_OUT, f"{board}-examples")
        for system in DRIVER_EXAMPLES:
            r = make(board, f"SYSTEM={system}", out=out)
            name = os.path.splitext(os.path.basename(system))[0]
            tally.record(f"build/{board}/{name}", r.returncode == 0, r.stdout[-2000:])


def check_multicore_example(tally):
    """sdf/multicore.system (four cores, every board's default) builds for
    every board; on QEMU it also runs (tests/system/run.py)."""
    for board in BOARDS:
        if board == "qemu_virt_aarch64":
            continue
        r = make(board, "SYSTEM=sdf/multicore.system", out=os.path.join(TEST_OUT, f"{board}-examples"))
        tally.record(f"build/{board}/multicore", r.returncode == 0, r.stdout[-2000:])


def check_variant(tally, board, name, options):
    """A configuration other than the defconfig builds with -Werror too."""
    out = os.path.join(TEST_OUT, f"{board}-{name}")
    shutil.rmtree(out, ignore_errors=True)
    r = make(board, "defconfig", out=out)
    env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
    if r.returncode == 0:
        r = subprocess.run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", *options], cwd=ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode == 0:
        r = make(board, out=out)
    tally.record(f"build/{board}/{name}", r.returncode == 0, r.stdout[-2000:])


# What multicore adds to the kernel (kernel/smp.h, src/smp.c): the lock
# (its slow parts; the uncontended path is inline), the IPIs.
SMP_SYMBOLS = ("kernel_lock_wait", "kernel_lock_send_reschedules", "smp_handle_ipi",
               "smp_stall_thread_elsewhere")


def kernel_symbols(out):
    r = sh(["aarch64-linux-gnu-nm", os.path.join(out, "kernel", "kernel.elf")])
    return set(l.split()[-1] for l in r.stdout.splitlines()) if r.returncode == 0 else set()


def check_one_core(tally, board):
    """The default kernel has four cores; with one (MAX_NUM_NODES=1) the
    kernel lock and the inter-processor interrupts compile away."""
    check_variant(tally, board, "one-core", ["MAX_NUM_NODES=1"])
    default = kernel_symbols(os.path.join(TEST_OUT, board))
    one = kernel_symbols(os.path.join(TEST_OUT, f"{board}-one-core"))
    tally.record("build/one-core-has-no-lock-or-ipis",
                 bool(one) and set(SMP_SYMBOLS) <= default and not set(SMP_SYMBOLS) & one,
                 f"default kernel has {sorted(set(SMP_SYMBOLS) & default)}, "
                 f"one-core kernel has {sorted(set(SMP_SYMBOLS) & one)}")


def booted_system(out):
    """Boot the image in `out` and return the system name the monitor prints (or the output)."""
    img = os.path.join(out, "images", "loader.img")
    try:
        r = subprocess.run(qemu_virt.command(img), cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30)
    except subprocess.TimeoutExpired as e:
        r = e
    text = (r.stdout or b"").decode(errors="replace")
    m = re.search(r"MON\|INFO: monitor started \(root task\), system '([^']+)'", text)
    return m.group(1) if m else text[-600:]


def check_root_task_switching(tally, board):
    """One O=, root tasks switched back and forth: the image always holds the one asked for,
    even when that root task's ELF is older than the last payload."""
    out = os.path.join(TEST_OUT, f"{board}-switch")
    shutil.rmtree(out, ignore_errors=True)
    old_elf = os.path.join(TEST_OUT, "switch-old-notify-monitor.elf")
    steps = [("hello", ["SYSTEM=sdf/hello.system"], "hello.system"),
             ("notify", ["SYSTEM=sdf/notify.system"], "notify.system")]
    for name, args, want in steps:
        r = make(board, *args, out=out)
        got = booted_system(out) if r.returncode == 0 else r.stdout[-1500:]
        tally.record(f"build/switch/{name}", got == want, f"booted {got!r}, expected {want!r}")
    monitor_elf = os.path.join(out, "pds", "monitor", "monitor.elf")
    if not os.path.exists(monitor_elf):
        tally.record("build/switch/notify-monitor-built", False, "no " + monitor_elf)
        return
    # The notify monitor, kept with an old timestamp, then hello again.
    shutil.copyfile(monitor_elf, old_elf)
    os.utime(old_elf, (0, 0))
    for name, args, want in [("back-to-hello", ["SYSTEM=sdf/hello.system"], "hello.system"),
                             ("older-roottask-elf", [f"ROOTTASK={old_elf}"], "notify.system"),
                             ("default-system-again", [], "hello.system")]:
        r = make(board, *args, out=out)
        got = booted_system(out) if r.returncode == 0 else r.stdout[-1500:]
        tally.record(f"build/switch/{name}", got == want, f"booted {got!r}, expected {want!r}")


def rebuilt_objects(output):
    return set(re.findall(r"^\s+(?:CC|AS)\s+(\S+)", output, re.M))


def check_header_dependency(tally, board):
    """Touching one header rebuilds exactly the objects that include it."""
    header = os.path.join(ROOT, "lib", "include", "esr.h")
    os.utime(header)
    r = make(board)
    objs = rebuilt_objects(r.stdout)
    ok = (r.returncode == 0 and any(o.endswith("lib/esr.o") for o in objs)
          and not any(o.endswith("thread.o") for o in objs))
    tally.record("build/header-change-rebuilds-only-dependents", ok, f"rebuilt: {sorted(objs)}")


def check_option_dependency(tally, board):
    """Changing one Kconfig option rebuilds only the code that uses it."""
    out = os.path.join(TEST_OUT, board)
    env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
    results = []
    for value in ("12", "13"):
        subprocess.run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig",
                        f"ROOT_CNODE_SIZE_BITS={value}"], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r = make(board)
        results.append((r.returncode, rebuilt_objects(r.stdout)))
    code, objs = results[-1]
    ok = (code == 0 and any(o.endswith("boot_roottask.o") for o in objs)
          and not any(o.endswith("thread.o") or o.endswith("string.o") for o in objs))
    tally.record("build/option-change-rebuilds-only-users", ok, f"rebuilt: {sorted(objs)}")


def suite_image(tally):
    """The Odroid-C4 deploy files (the image itself: tests/boot/loader_test.sh)."""
    board = "odroidc4"
    out = os.path.join(TEST_OUT, board)
    r = make(board)
    if r.returncode != 0:
        tally.record("image/odroidc4/build", False, r.stdout[-2000:])
        return
    images = os.path.join(out, "images")
    r = sh(["mkimage", "-l", os.path.join(images, "boot.scr")])
    tally.record("image/odroidc4/boot.scr", r.returncode == 0 and "Script" in r.stdout, r.stdout)
    ini = os.path.join(images, "boot.ini")
    text = open(ini).read() if os.path.exists(ini) else ""
    tally.record("image/odroidc4/boot.ini",
                 text.startswith("ODROIDC4-UBOOT-CONFIG") and "go 0x20000000" in text.replace("${loadaddr}", "0x20000000"),
                 text[:200])


def suite_boot(tally):
    """Boot the default image (an EL2 kernel) in QEMU: loader, kernel, root
    task, power-off; then the loader in every boot mode (tests/boot)."""
    board = "qemu_virt_aarch64"
    out = os.path.join(TEST_OUT, board)
    r = make(board)
    if r.returncode != 0:
        tally.record("boot/build", False, r.stdout[-2000:])
        return
    boot_hello(tally, out, "boot/qemu-el2-loader", 2)
    check_qemu_without_ipxe(tally, out)
    run_script(tally, "boot/loader", ["bash", LOADER_TESTS, out])


LOADER_TESTS = os.path.join(ROOT, "tests", "boot", "loader_test.sh")


def boot_hello(tally, out, name, kernel_el):
    """Boot out's image of the default system (sdf/hello.system), which says
    hello and powers off (exit status 0); the kernel says which EL it runs at."""
    img = os.path.join(out, "images", "loader.img")
    expect = [r"LDR\|INFO: ", r"LDR\|INFO: jumping to kernel",
              rf"KERNEL\|INFO: kernel .* for qemu_virt_aarch64 \(.*, EL{kernel_el}, ",
              r"KERNEL\|INFO: root task: .* untypeds", r"KERNEL\|INFO: booting all finished",
              r"MON\|INFO: monitor started", r"MON\|INFO: \d+ untypeds", r"MON\|INFO: Microkit Monitor started!",
              r"hello, world", r"KERNEL\|INFO: system power off"]
    forbid = [r"ERROR", r"PANIC", r"FAULT"]
    cmd = [PYTHON, "scripts/qemu-test.py", "--name", name, "--timeout", "30",
           "--log", os.path.join(TEST_OUT, "logs", name.replace("/", "-") + ".log")]
    cmd += [a for e in expect for a in ("--expect", e)] + [a for f in forbid for a in ("--forbid", f)]
    run_script_single(tally, cmd + ["--"] + qemu_virt.command(img))


def qemu_without_ipxe(where):
    """A copy of QEMU that sees a machine without ipxe-qemu. QEMU looks for its
    data files next to its own binary (`qemu-system-aarch64 -L help`), so a
    copy in where/bin/ finds where/share/qemu/ (links to the real files except
    network boot ROMs) and no where/lib/ipxe/qemu/."""
    shutil.rmtree(where, ignore_errors=True)
    os.makedirs(os.path.join(where, "bin"))
    datadir = os.path.join(where, "share", "qemu")
    os.makedirs(datadir)
    real = shutil.which(qemu_virt.QEMU)
    real_datadir = os.path.join(os.path.dirname(os.path.realpath(real)), "..", "share", "qemu")
    for name in os.listdir(real_datadir):
        if not re.match(r"(efi|pxe)-.*\.rom$", name):
            os.symlink(os.path.join(real_datadir, name), os.path.join(datadir, name))
    copy = os.path.join(where, "bin", qemu_virt.QEMU)
    shutil.copy2(real, copy)
    return copy


def check_qemu_without_ipxe(tally, out):
    """make qemu needs nothing from ipxe-qemu (a Recommends of qemu-system-arm
    that host-deps.sh does not install): it boots with -nic none."""
    qemu = qemu_without_ipxe(os.path.join(TEST_OUT, "qemu-without-ipxe"))
    # The control: this copy really lacks the ROM of QEMU's default network card.
    r = sh([qemu, "-machine", qemu_virt.MACHINE, "-cpu", "cortex-a53", "-display", "none",
            "-monitor", "none", "-serial", "none", "-S"], timeout=30, stdin=subprocess.DEVNULL)
    tally.record("boot/qemu-copy-lacks-ipxe-rom", r.returncode != 0 and
                 'failed to find romfile "efi-virtio.rom"' in r.stdout, r.stdout[-300:])
    r = sh(["make", "BOARD=qemu_virt_aarch64", f"O={out}", "qemu", f"QEMU_SYSTEM={qemu}"],
           timeout=120, stdin=subprocess.DEVNULL)
    tally.record("boot/make-qemu-without-ipxe", r.returncode == 0 and "hello, world" in r.stdout
                 and "-nic none" in sh(["make", "-n", "BOARD=qemu_virt_aarch64", f"O={out}",
                                        "qemu"]).stdout, r.stdout[-1000:])


def run_script_single(tally, cmd):
    r = sh(cmd)
    for line in r.stdout.splitlines():
        print(line)
    name = cmd[cmd.index("--name") + 1]
    if r.returncode == 0:
        tally.passed += 1
    else:
        tally.failed += 1
        if not r.stdout.strip():
            print(f"FAIL {name}: harness exit status {r.returncode}")


def suite_external(script):
    def run(tally):
        path = os.path.join(ROOT, script)
        if not os.path.exists(path):
            print(f"SKIP {script}: not present")
            tally.skipped += 1
            return
        run_script(tally, script, ["bash", path])
    return run


def menuconfig_quits(out):
    """Start menuconfig in a pseudo-terminal, wait for its first screen, press Q."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.environ["TERM"] = "xterm"
        os.execvp("make", ["make", "BOARD=odroidc4", f"O={out}", "menuconfig"])
    screen, sent, deadline = b"", False, time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        if not sent and b"Kernel" in screen:
            os.write(fd, b"Q")
            sent = True
    if not sent:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    return sent and status == 0


def config_lines(path):
    """A defconfig without its comments."""
    return "".join(l for l in open(path) if not l.startswith("#"))


def suite_tools(tally):
    """The user-facing targets: help, configuration tools, gdb, flash."""
    out = os.path.join(TEST_OUT, "tools")
    shutil.rmtree(out, ignore_errors=True)
    r = sh(["make", "help"])
    tally.record("tools/help", r.returncode == 0 and all(t in r.stdout for t in
                 ("menuconfig", "qemu", "gdb", "flash", "test", "bench", "clean")), r.stdout[-500:])
    tally.record("tools/menuconfig", menuconfig_quits(os.path.join(out, "mc")))
    for board in BOARDS:
        # savedefconfig of a board's defconfig is that defconfig again (its
        # comments aside).
        cfg = os.path.join(out, f"cfg-{board}")
        r = make(board, "defconfig", out=cfg)
        r2 = make(board, "savedefconfig", out=cfg)
        saved = os.path.join(cfg, "defconfig")
        text = open(saved).read() if os.path.exists(saved) else ""
        tally.record(f"tools/savedefconfig-{board}", r.returncode == 0 and r2.returncode == 0 and
                     text == config_lines(os.path.join(ROOT, "board", board, "defconfig")),
                     r2.stdout[-500:] + text)
    # make defconfig applies KCONFIG_SET on top of the board's defconfig, as a
    # first build does (a kernel with domains: NUM_DOMAINS=16).
    cfg = os.path.join(out, "cfg-kconfig-set")
    r = make("qemu_virt_aarch64", "defconfig", "KCONFIG_SET=NUM_DOMAINS=16 MAX_NUM_NODES=1", out=cfg)
    tally.record("tools/defconfig-kconfig-set", r.returncode == 0 and
                 "CONFIG_NUM_DOMAINS=16\n" in open(os.path.join(cfg, ".config")).read(),
                 r.stdout[-500:])
    cfg = os.path.join(out, "cfg-odroidc4")
    r = make("qemu_virt_aarch64", "olddefconfig", out=cfg.replace("cfg", "cfg-qemu"))
    tally.record("tools/olddefconfig-fresh", r.returncode == 0, r.stdout[-500:])
    gdb_batch = "-batch -ex 'break init_kernel' -ex continue -ex 'info registers pc'"
    r = sh(["make", f"O={os.path.join(TEST_OUT, 'qemu_virt_aarch64')}", "gdb", "GDB_PORT=12345",
            f"GDB_EXTRA={gdb_batch}"], timeout=120)
    tally.record("tools/gdb-stops-in-kernel", "Breakpoint 1, init_kernel" in r.stdout, r.stdout[-800:])
    tftp = os.path.join(out, "tftp", "new")     # created by make flash
    r = sh(["make", "BOARD=odroidc4", f"O={os.path.join(TEST_OUT, 'odroidc4')}", "flash",
            "FLASH=tftp", f"TFTP_DIR={tftp}"])
    tally.record("tools/flash-tftp", r.returncode == 0 and os.path.exists(os.path.join(tftp, "loader.img"))
                 and "go 0x20000000" in r.stdout, r.stdout[-500:])
    r = sh(["make", f"O={os.path.join(TEST_OUT, 'qemu_virt_aarch64')}", "flash"])
    tally.record("tools/flash-qemu-nothing-to-flash", r.returncode != 0 and
                 "BOARD=qemu_virt_aarch64 has nothing to flash" in r.stdout and "SD" not in r.stdout,
                 r.stdout[-500:])
    check_board_and_distclean(tally, out)
    check_readme_hello(tally)
    r = sh(["make", "BOARD=odroidc4", f"O={os.path.join(TEST_OUT, 'odroidc4')}", "flash", "FLASH=sd",
            "FLASH_MNT=/nonexistent"])
    tally.record("tools/flash-sd-refuses-non-mount", r.returncode != 0 and "not a mount point" in r.stdout,
                 r.stdout[-300:])


def check_board_and_distclean(tally, out):
    """An unknown board stops at once, with one message; distclean honours O=."""
    r = sh(["make", "BOARD=nosuch"])
    tally.record("tools/unknown-board", r.returncode != 0 and
                 "no board profile board/nosuch/ (boards: " in r.stdout and
                 "No such file" not in r.stdout and
                 not os.path.exists(os.path.join(ROOT, "build", "nosuch")), r.stdout)
    doomed = os.path.join(out, "distclean-me")
    os.makedirs(doomed, exist_ok=True)
    r = sh(["make", f"O={doomed}", "distclean"])
    tally.record("tools/distclean-O", r.returncode == 0 and not os.path.exists(doomed)
                 and os.path.isdir(out), r.stdout)
    # Tried on a copy of the Makefile in a scratch tree, so that a broken
    # guard costs nothing.
    scratch = os.path.join(out, "scratch")
    os.makedirs(os.path.join(scratch, "src"), exist_ok=True)
    shutil.copy(os.path.join(ROOT, "Makefile"), os.path.join(scratch, "src"))
    r = sh(["make", "-C", os.path.join(scratch, "src"), f"O={scratch}", "distclean"])
    tally.record("tools/distclean-refuses-source-tree", r.returncode != 0 and
                 "holds the source tree" in r.stdout and
                 os.path.isfile(os.path.join(scratch, "src", "Makefile")), r.stdout)


def readme_block(text, caption):
    """The fenced block that follows the line `caption` in the README."""
    start = text.index("```", text.index(caption + "\n"))
    body = text.index("\n", start) + 1
    return text[body:text.index("```", body)]


def normalise(line):
    """A console line with its figures (numbers, addresses, git revision) blanked."""
    line = re.sub(r"kernel [0-9a-f]{7,}(-dirty)? ", "kernel REV ", line)
    return re.sub(r"0x[0-9a-f]+|\d+", "N", line)


def matches_with_gaps(sample, output):
    """Every sample line in order in the output; `...` stands for any lines."""
    i = 0
    gap = False
    for line in sample:
        if line == "...":
            gap = True
            continue
        while i < len(output) and gap and output[i] != line:
            i += 1
        if i >= len(output) or output[i] != line:
            return f"README line not in the output here: {line!r}"
        i += 1
        gap = False
    return None


def check_readme_hello(tally):
    """The README's hello example is the tree's, and a run prints what it shows."""
    readme = open(os.path.join(ROOT, "README.md")).read()
    for caption, path in (("`pds/hello/hello.c`:", "pds/hello/hello.c"),
                          ("`sdf/hello.system`:", "sdf/hello.system")):
        tally.record(f"tools/readme-{os.path.basename(path)}",
                     readme_block(readme, caption) == open(os.path.join(ROOT, path)).read(),
                     f"the README's listing differs from {path}")
    sample = [normalise(l) for l in readme_block(
        readme, "`make SYSTEM=sdf/hello.system qemu` builds the PD, the monitor with the").splitlines()]
    r = sh(["make", f"O={os.path.join(TEST_OUT, 'qemu_virt_aarch64')}", "SYSTEM=sdf/hello.system",
            "qemu"], timeout=120, stdin=subprocess.DEVNULL)
    output = [normalise(l) for l in r.stdout.splitlines()]
    output = output[next((i for i, l in enumerate(output) if "  QEMU    " in l), 0):]
    problem = matches_with_gaps(sample, output)
    tally.record("tools/readme-hello-output", r.returncode == 0 and not problem,
                 (problem or "") + "\n" + r.stdout[-1500:])


def config_has(config, option):
    """Does .config text hold setconfig's NAME=value?"""
    name, value = option.split("=", 1)
    if value == "n":
        return f"# CONFIG_{name} is not set" in config
    return re.search(rf"^CONFIG_{name}={re.escape(value)}$", config, re.M) is not None


def kernel_variant(tally, name, options, what, run_env=()):
    """The conformance suite again in another kernel configuration (run_env:
    more VAR=value for tests/kernel/run.sh, e.g. ONLY= or MACHINE=)."""
    out = os.path.join(TEST_OUT, f"kernel-tests-{name}")
    r = make("qemu_virt_aarch64", "defconfig", out=out) if not os.path.exists(
        os.path.join(out, ".config")) else None
    env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
    if r is not None and r.returncode != 0:
        tally.record(f"kernel-{name}/configure", False, r.stdout[-1000:])
        return
    s = subprocess.run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", *options], cwd=ROOT,
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # setconfig leaves an option Kconfig does not allow (a failed dependency)
    # as it was: the suite would run the wrong configuration.
    config = open(os.path.join(out, ".config")).read()
    missing = [o for o in options if not config_has(config, o)]
    if s.returncode != 0 or missing:
        tally.record(f"kernel-{name}/configure", False,
                     f"Kconfig did not take {missing or options}: {s.stdout[-600:]}")
        return
    run_script(tally, f"tests/kernel/run.sh ({what})",
               ["env", f"O={out}", *run_env, "bash", os.path.join(ROOT, "tests", "kernel", "run.sh")])


def suite_kernel_slowpath(tally):
    """The conformance suite again with CONFIG_FASTPATH=n: the general IPC path
    must give the same answers for the calls the fast path normally takes."""
    kernel_variant(tally, "slowpath", ["FASTPATH=n"], "CONFIG_FASTPATH=n")


def suite_kernel_domains(tally):
    """The conformance suite with 16 scheduling domains (as Microkit's SDK builds
    seL4): everything holds with the domain scheduler on, and its own cases run.
    One core: the domain scheduler is single-core, as in seL4 (Kconfig allows
    only MAX_NUM_NODES=1 with NUM_DOMAINS > 1; both set explicitly here)."""
    kernel_variant(tally, "domains", ["MAX_NUM_NODES=1", "NUM_DOMAINS=16"],
                   "CONFIG_MAX_NUM_NODES=1 CONFIG_NUM_DOMAINS=16")


def suite_kernel_el1(tally):
    """The conformance suite with the kernel at EL1 (the option beside the
    default hypervisor configuration): user address spaces are stage-1 tables,
    the kernel timer is the EL1 virtual timer, and every answer must be the
    same."""
    kernel_variant(tally, "el1", ["KERNEL_EL1=y"], "CONFIG_KERNEL_EL1=y")


# Systems that run again on the EL1 kernel (tests/system/run.py names): PDs,
# IPC, faults and their reports, timers and drivers, memory layout.
EL1_SYSTEMS = ["hello", "notify", "ppc", "restart", "isolation", "memory", "console"]


def suite_el1(tally):
    """The EL1 kernel as a user gets it, `make KCONFIG_SET=KERNEL_EL1=y` in a new
    O=: it boots in QEMU (every boot mode of the loader test), a set of
    systems runs on it (tests/system) and the gdb extension works on it."""
    board = "qemu_virt_aarch64"
    out = os.path.join(TEST_OUT, f"{board}-el1")
    config = os.path.join(out, ".config")
    if os.path.exists(config) and not re.search(r"^CONFIG_KERNEL_EL1=y$", open(config).read(), re.M):
        shutil.rmtree(out)          # KCONFIG_SET= applies to a new O= only
    r = make(board, "KCONFIG_SET=KERNEL_EL1=y", out=out)
    ok = r.returncode == 0 and os.path.exists(config) and \
        re.search(r"^CONFIG_KERNEL_EL1=y$", open(config).read(), re.M) is not None
    tally.record("el1/build-kconfig-set", ok, r.stdout[-2000:])
    if not ok:
        return
    boot_hello(tally, out, "el1/boot-hello", 1)
    run_script(tally, "boot/loader (EL1 image)", ["bash", LOADER_TESTS, out, "--image-only"])
    run_script(tally, "tests/system/run.py (EL1)",
               [PYTHON, os.path.join(ROOT, "tests", "system", "run.py"),
                "--out", os.path.join(TEST_OUT, "system-el1"), "--kconfig-set", "KERNEL_EL1=y",
                *EL1_SYSTEMS])
    # The gdb extension on an EL1 kernel: stage-1 VSpaces, the upper-half window.
    run_script(tally, "tests/debug/run.py gdb (EL1)",
               ["env", f"DEBUG_TEST_OUT={os.path.join(TEST_OUT, 'el1')}", "KCONFIG_SET=KERNEL_EL1=y",
                PYTHON, os.path.join(ROOT, "tests", "debug", "run.py"), "gdb"])


def suite_stress(tally):
    """The stress cases (STRESS=1) in the default configuration (four
    cores: the multicore one, four cores hammering notifications, IPC and
    retype/revoke, among them), then the single-core ones on one core."""
    run_script(tally, "tests/kernel/run.sh (STRESS=1)",
               ["env", "STRESS=1", "ONLY=stress_", "bash",
                os.path.join(ROOT, "tests", "kernel", "run.sh")])
    kernel_variant(tally, "1core-stress", ["MAX_NUM_NODES=1"], "CONFIG_MAX_NUM_NODES=1, STRESS=1",
                   run_env=["STRESS=1", "ONLY=stress_"])


def suite_kernel_1core(tally):
    """The conformance suite on one core (CONFIG_MAX_NUM_NODES=1, QEMU
    -smp 1): the kernel lock and the IPIs compiled away, every single-core
    answer as before (the multicore cases, tests/kernel/smp.c, are not built)."""
    kernel_variant(tally, "1core", ["MAX_NUM_NODES=1"], "CONFIG_MAX_NUM_NODES=1")


def suite_kernel_smc_without_firmware(tally):
    """The SMC tests that need no firmware, on QEMU virt without EL2 (PSCI on
    HVC): every SMC is an undefined instruction there, which the kernel must
    answer for the firmware (SMCCC NOT_SUPPORTED) instead of stopping."""
    # The EL1 kernel (that of kernel-el1: an EL2 one cannot start without
    # EL2), on the default four cores: the loader starts them with PSCI on
    # HVC there, as the kernel powers off (arch/psci.h).
    kernel_variant(tally, "el1", ["KERNEL_EL1=y"], "MACHINE=virt without EL2, smc_",
                   ["ONLY=smc_initial,smc_unknown,smc_truncated", "MACHINE=virt,gic-version=2"])


def suite_kernel_debug(tally):
    """The conformance suite with the debugging options on: seL4's hardware-debug
    API (its labels shift every later TCB, CNode, ... label by four; debug_api.c:
    every invocation, every error, breakpoint, watchpoint, step and BRK faults)
    and the sampling profiler (profiler.c), on the default (EL2, hypervisor,
    four-core) kernel and on one core (the single-core kernel keeps both);
    then the debug and profiler tests again on the EL1 kernel."""
    kernel_variant(tally, "debug", ["KERNEL_EL2=y", "MAX_NUM_NODES=4", "HARDWARE_DEBUG_API=y",
                                    "PROFILER=y"],
                   "CONFIG_HARDWARE_DEBUG_API=y CONFIG_PROFILER=y (four cores)")
    kernel_variant(tally, "debug-1core", ["KERNEL_EL2=y", "MAX_NUM_NODES=1",
                                          "HARDWARE_DEBUG_API=y", "PROFILER=y"],
                   "CONFIG_MAX_NUM_NODES=1 CONFIG_HARDWARE_DEBUG_API=y CONFIG_PROFILER=y")
    kernel_variant(tally, "debug-el1", ["KERNEL_EL1=y", "HARDWARE_DEBUG_API=y", "PROFILER=y"],
                   "CONFIG_KERNEL_EL1=y CONFIG_HARDWARE_DEBUG_API=y CONFIG_PROFILER=y, dbg_ prof_",
                   ["ONLY=dbg_,prof_"])


def suite_microkit_examples(tally):
    """scripts/check-microkit-examples on $MICROKIT_SRC (a checkout or a bare
    mirror of Microkit's repository). CI has neither: tests/microkit's own
    Microkit-shaped products are its coverage (docs/testing.md)."""
    src = os.environ.get("MICROKIT_SRC")
    if not src:
        print("SKIP microkit-examples: no MICROKIT_SRC=<Microkit checkout or bare mirror> given")
        tally.skipped += 1
        return
    run_script(tally, "scripts/check-microkit-examples",
               [PYTHON, os.path.join(ROOT, "scripts", "check-microkit-examples"), src])


SUITES = {
    "build": suite_build,
    "image": suite_image,
    "boot": suite_boot,
    "tools": suite_tools,
    "abi": suite_external("tests/abi/run.sh"),
    "sdf": suite_external("tests/sdf/run.sh"),
    "host": suite_external("tests/host/run.sh"),
    "kernel": suite_external("tests/kernel/run.sh"),
    "kernel-slowpath": suite_kernel_slowpath,
    "kernel-smc-without-firmware": suite_kernel_smc_without_firmware,
    "kernel-domains": suite_kernel_domains,
    "kernel-el1": suite_kernel_el1,
    "kernel-1core": suite_kernel_1core,
    "kernel-debug": suite_kernel_debug,
    "stress": suite_stress,
    "system": lambda tally: run_script(tally, "tests/system/run.py",
                                       [PYTHON, os.path.join(ROOT, "tests", "system", "run.py")]),
    # Microkit parity: products built with make SYSTEM= and through make sdk.
    "microkit": lambda tally: run_script(tally, "tests/microkit/run.py",
                                         [PYTHON, os.path.join(ROOT, "tests", "microkit", "run.py")]),
    # Microkit's own examples, unchanged, from a Microkit checkout or mirror
    # (make test-microkit-examples MICROKIT_SRC=<path>); skipped without one.
    "microkit-examples": suite_microkit_examples,
    # Linux guests on the hypervisor kernel (docs/vmm.md): a shell, two guests, a panic.
    "vm": lambda tally: run_script(tally, "tests/vm/run.py",
                                   [PYTHON, os.path.join(ROOT, "tests", "vm", "run.py")]),
    "el1": suite_el1,
    # gdb extension, fault backtraces, symboliser, system report (docs/debugging.md).
    "debug": lambda tally: run_script(tally, "tests/debug/run.py",
                                      [PYTHON, os.path.join(ROOT, "tests", "debug", "run.py")]),
    # The benchmark root task works (a short run, sane figures); not a timed test.
    "bench": lambda tally: run_script(tally, "scripts/bench.py --smoke",
                                      [PYTHON, os.path.join(ROOT, "scripts", "bench.py"),
                                       "--smoke"]),
}


# Old names, not part of `all`: the four-core suite is the default now.
ALIASES = {"kernel-smp": "kernel"}


def main(argv):
    names = [ALIASES.get(n, n) for n in argv] or ["all"]
    if "all" in names:
        names = list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        print(f"unknown suite(s): {', '.join(unknown)}; suites: all, {', '.join(SUITES)}")
        return 2
    if sh(["scripts/host-deps.sh", "--tests"]).returncode != 0:
        print(sh(["scripts/host-deps.sh", "--tests"]).stdout)
        return 1
    os.makedirs(TEST_OUT, exist_ok=True)
    total = Tally()
    for name in names:
        start = time.monotonic()
        print(f"=== {name}", flush=True)
        tally = Tally()
        SUITES[name](tally)
        print(f"=== {name}: {tally.line()} ({time.monotonic() - start:.0f} s)", flush=True)
        total.passed += tally.passed
        total.failed += tally.failed
        total.skipped += tally.skipped
    print(total.line())
    return 1 if total.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
