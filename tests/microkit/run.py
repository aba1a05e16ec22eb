#!/usr/bin/python3
"""Microkit parity: products written as Microkit users write them, built
both ways a Microkit user builds them, and booted.

    tests/microkit/run.py [NAME-PREFIX...]

- tree/*: `make SYSTEM=<product>.system` in this tree, for products copied
  out of the tree (so nothing of the tree is found by accident): program
  lookup, GNU C and Microkit's warnings for product PDs, PD_CFLAGS, SMC.
- sdk/*: `make sdk`, then each product's Microkit-style Makefile
  (tests/microkit/products/Makefile.microkit) against the SDK, booted
  with the QEMU command of Microkit's manual; the microkit tool's command
  line.
Products are staged in a temporary directory outside the tree; outputs go
to build/test/microkit (the SDK to build/test/microkit/sdk). A test that
needs a kernel feature that is not there yet is skipped and says which.
The last line is "N passed, N failed[, N skipped]".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "test", "microkit")
LOGS = os.path.join(ROOT, "build", "test", "logs", "microkit")
SDK = os.path.join(OUT, "sdk")
PRODUCTS = os.path.join(ROOT, "tests", "microkit", "products")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_virt  # noqa: E402
from testsuite import Tally  # noqa: E402

CROSS = ["CC=aarch64-linux-gnu-gcc", "LD=aarch64-linux-gnu-ld", "AS=aarch64-linux-gnu-as"]
BOOTED = [r"MON\|INFO: Microkit Monitor started!"]
FORBID = [r"MON\|ERROR", r"KERNEL\|(FAULT|ERROR)", r"PANIC",
          r"watcher: .*: failed", r"still running after suspending itself"]
# <cspace> capabilities used as Microkit's cap_sharing example uses them: a
# notification sent while its PD is suspended waits for the PD's resumption.
CSPACE = [r"sleeper: waiting\n", r"sleeper: woken on channel 6, time 1\n",
          r"watcher: suspending the sleeper\n",
          r"watcher: the sleeper's scheduling context answers\n",
          r"watcher: our own scheduling context answers\n",
          r"sleeper: woken on channel 6, time 2\n", r"watcher: resuming the sleeper\n",
          r"watcher: suspending ourselves\n"]
CSPACE_END = r"watcher: suspending ourselves"
# The multicore product: notifications to and from cores 1-3, then a
# protected procedure call to a PD on core 3.
MULTICORE = [r"hub: pinging the workers on cores 1, 2 and 3\n",
             r"hub: 100 rounds answered by all three workers\n",
             r"hub: the adder on core 3 says 40 \+ 2 = 42\n"]
MULTICORE_END = r"hub: done"
DOMAINS_MISSING = "waits on the kernel's domain scheduler (CONFIG_NUM_DOMAINS is 1)"


def manual_qemu(image, cores=None):
    """The QEMU command of Microkit's manual for qemu_virt_aarch64, without a
    network card and with deterministic time; `-smp 4` as the manual adds for
    its SMP configurations when the image's kernel has four cores (a tree
    build's default, or an SDK smp-* configuration: `cores` given)."""
    cores = qemu_virt.image_cores(image) if cores is None else cores
    return ["qemu-system-aarch64", "-machine", "virt,virtualization=on", "-cpu", "cortex-a53",
            "-nographic", "-serial", "mon:stdio", "-device",
            f"loader,file={image},addr=0x70000000,cpu-num=0", "-m", "size=2G"] + \
        (["-smp", str(cores)] if cores > 1 else []) + qemu_virt.NO_NETWORK + qemu_virt.ICOUNT


class Tests(Tally):
    def __init__(self, selected):
        super().__init__()
        self.selected = selected

    def wanted(self, name):
        return not self.selected or any(name.startswith(p) or p.startswith(name) for p in self.selected)

    def record(self, name, ok, detail=""):
        """Tally.record with the end of a long detail (build output), indented."""
        lines = detail.splitlines()[-25:]
        super().record(name, ok, "\n".join(["", *("    | " + l for l in lines)]) if lines else "")
        sys.stdout.flush()
        return ok

    def skip(self, name, why):
        self.skipped += 1
        print(f"SKIP {name}: {why}", flush=True)

    def boot(self, name, image, expect, until, forbid=FORBID, timeout=60, cores=None):
        cmd = [PYTHON, os.path.join(ROOT, "scripts", "qemu-test.py"), "--name", name,
               "--timeout", str(timeout), "--log", os.path.join(LOGS, name.replace("/", "-") + ".log")]
        cmd += [a for e in expect for a in ("--expect", e)]
        cmd += [a for f in forbid for a in ("--forbid", f)]
        if until:
            cmd += ["--until", until, "--grace", "0.3"]
        r = run(cmd + ["--"] + manual_qemu(image, cores))
        print(r.stdout, end="", flush=True)
        if r.returncode == 0:
            self.passed += 1
        else:
            self.failed += 1


def run(cmd, cwd=ROOT, **kw):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          **kw)


def stage(where):
    """Copies of the products outside the tree, each with its Makefile."""
    for name in sorted(os.listdir(PRODUCTS)):
        src = os.path.join(PRODUCTS, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(where, name))
            shutil.copy(os.path.join(PRODUCTS, "Makefile.microkit"),
                        os.path.join(where, name, "Makefile"))


def tree_make(product_dir, *args, board="qemu_virt_aarch64", out=None):
    system = os.path.join(product_dir, os.path.basename(product_dir) + ".system")
    out = out or os.path.join(OUT, "tree" if board == "qemu_virt_aarch64" else f"tree-{board}")
    return run(["make", f"-j{os.cpu_count() or 1}", f"BOARD={board}", f"O={out}",
                f"SYSTEM={system}", *args]), out


def domains_configured(out):
    """An output directory whose kernel has domains, or None if Kconfig refuses."""
    if not os.path.exists(os.path.join(out, ".config")):
        run(["make", "BOARD=qemu_virt_aarch64", f"O={out}", "defconfig"])
    env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
    # seL4's domain scheduler runs on one core, whatever the board's default.
    r = run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", "MAX_NUM_NODES=1", "NUM_DOMAINS=16"],
            env=env)
    return out if r.returncode == 0 else None


# ---------------------------------------------------------------- make SYSTEM=

def tree_product(t, name, product_dir, expect, until):
    """Build a product with make SYSTEM= (no warning allowed) and boot it."""
    r, out = tree_make(product_dir)
    if t.record(f"{name}-builds-without-warnings", r.returncode == 0 and "warning:" not in r.stdout,
                r.stdout):
        t.boot(name, os.path.join(out, "images", "loader.img"), BOOTED + expect, until)


def tree_tests(t, staged):
    pds = os.path.join(ROOT, "pds")
    lookup = os.path.join(staged, "lookup")
    if t.wanted("tree/lookup-missing-program"):
        r, _ = tree_make(lookup)
        text = r.stdout
        t.record("tree/lookup-missing-program", r.returncode != 0 and
                 re.search(r"lookup\.system:7:9: error: no program for program_image 'hello\.elf'", text)
                 and "hello.rs is not built here" in text and f"PDS={pds}" in text
                 and "loader.img" not in text, text)
    if t.wanted("tree/lookup-tree-example-on-request"):
        r, out = tree_make(lookup, f"PDS={pds}")
        if t.record("tree/lookup-tree-example-on-request-builds", r.returncode == 0, r.stdout):
            t.boot("tree/lookup-tree-example-on-request", os.path.join(out, "images", "loader.img"),
                   BOOTED + [r"hello, world \(from PD 'hello'\)"], None)

    hello = os.path.join(staged, "hello")
    if t.wanted("tree/hello"):
        tree_product(t, "tree/hello", hello,
                     [r"server: ready", r"client: hello from client",
                      r"client: the server says 40 \+ 2 = 42\n", r"client: done"], r"client: done")
    if t.wanted("tree/compiler-flags"):
        shutil.rmtree(os.path.join(OUT, "tree", "system", "obj"), ignore_errors=True)
        r, _ = tree_make(hello, "V=1")
        line = next((l for l in r.stdout.splitlines() if "-c -o" in l and l.endswith("client.c")), "")
        t.record("tree/compiler-flags-product", r.returncode == 0 and
                 "-Wall -Wno-unused-function" in line and not re.search(r" -std=| -Werror| -Wextra", line),
                 line or r.stdout)
        own = os.path.join(OUT, "tree-own")
        shutil.rmtree(os.path.join(own, "system", "obj"), ignore_errors=True)
        r = run(["make", f"O={own}", "SYSTEM=sdf/hello.system", "V=1"])
        line = next((l for l in r.stdout.splitlines() if l.endswith("pds/hello/hello.c")), "")
        t.record("tree/compiler-flags-own-tree", r.returncode == 0 and " -std=c11" in line and
                 " -Werror" in line and " -Wextra" in line, line or r.stdout)

    if t.wanted("tree/multicore"):
        # The boot summary (before the monitor's last line) says where each PD runs.
        r, out = tree_make(os.path.join(staged, "multicore"))
        if t.record("tree/multicore-builds-without-warnings",
                    r.returncode == 0 and "warning:" not in r.stdout, r.stdout):
            t.boot("tree/multicore", os.path.join(out, "images", "loader.img"),
                   [r"MON\|INFO: core 1: worker1\n", r"MON\|INFO: core 3: worker3, adder\n"] +
                   BOOTED + MULTICORE, MULTICORE_END)

    if t.wanted("tree/cspace"):
        tree_product(t, "tree/cspace", os.path.join(staged, "cspace"), CSPACE, CSPACE_END)

    asm = os.path.join(staged, "asm")
    if t.wanted("tree/inline-asm"):
        tree_product(t, "tree/inline-asm", asm,
                     [r"ticks: the generic timer runs at 62 MHz and advances\n", r"ticks: variant 1\n"],
                     r"ticks: variant")
    if t.wanted("tree/pd-cflags"):
        r, out = tree_make(asm, "PD_CFLAGS=-DVARIANT=2")
        if t.record("tree/pd-cflags-rebuild", r.returncode == 0 and
                    "CC      system/obj/ticks/ticks.o" in r.stdout, r.stdout):
            t.boot("tree/pd-cflags", os.path.join(out, "images", "loader.img"),
                   BOOTED + [r"ticks: variant 2\n"], r"ticks: variant")

    if t.wanted("tree/smc"):
        tree_product(t, "tree/smc", os.path.join(staged, "smc"),
                     [r"psci: version 1\.1, SYSTEM_OFF supported\n"], r"psci: version")

    if t.wanted("tree/timer-odroidc4"):
        r, out = tree_make(os.path.join(staged, "timer"), board="odroidc4")
        t.record("tree/timer-odroidc4-builds", r.returncode == 0 and
                 os.path.isfile(os.path.join(out, "images", "loader.img")), r.stdout)

    if t.wanted("tree/domains"):
        out = domains_configured(os.path.join(OUT, "tree-domains"))
        if not out:
            t.skip("tree/domains", DOMAINS_MISSING)
        else:
            r, _ = tree_make(os.path.join(staged, "domains"), out=out)
            if t.record("tree/domains-builds", r.returncode == 0, r.stdout):
                t.boot("tree/domains", os.path.join(out, "images", "loader.img"),
                       BOOTED + [r"producer: 100000 notifications", r"consumer: woken",
                                 r"producer: done"], r"producer: done")


# ---------------------------------------------------------------- the SDK

def microkit(*args, cwd=None):
    return run([os.path.join(SDK, "bin", "microkit"), *args], cwd=cwd or OUT)


def sdk_make(product_dir, board="qemu_virt_aarch64", config="debug"):
    build = os.path.join(product_dir, f"build-{board}-{config}")
    r = run(["make", f"BUILD_DIR={build}", f"MICROKIT_SDK={SDK}", f"MICROKIT_BOARD={board}",
             f"MICROKIT_CONFIG={config}", *CROSS], cwd=product_dir)
    return r, os.path.join(build, "loader.img")


def sdk_layout_problems():
    problems = []
    for board in ("odroidc4", "qemu_virt_aarch64"):
        for config in ("debug", "release", "benchmark",
                       "smp-debug", "smp-release", "smp-benchmark"):
            d = os.path.join(SDK, "board", board, config)
            for f in ("include/microkit.h", "include/pd_layout.h", "include/sel4/sel4.h",
                      "include/kernel/gen_config.h",
                      "lib/libmicrokit.a", "lib/microkit.ld", "elf/sel4.elf", "image/monitor.a",
                      "image/loader.a", "image/auto.conf", "image/memory.map"):
                if not os.path.isfile(os.path.join(d, f)):
                    problems.append(f"missing board/{board}/{config}/{f}")
            gen = os.path.join(d, "include", "kernel", "gen_config.h")
            if os.path.isfile(gen):
                arch = run(["sh", "-c", f"grep 'CONFIG_SEL4_ARCH  ' {gen} | cut -d' ' -f4"]).stdout.strip()
                if arch != "aarch64":
                    problems.append(f"{gen}: CONFIG_SEL4_ARCH read as '{arch}'")
                text = open(gen).read()
                checks = {"debug": ("CONFIG_DEBUG_BUILD  1", True),
                          "release": ("CONFIG_PRINTING  1", False),
                          "benchmark": ("CONFIG_ENABLE_BENCHMARKS  1", True)}
                needle, present = checks[config.replace("smp-", "")]
                if (needle in text) != present:
                    problems.append(f"{gen}: '{needle}' {'missing' if present else 'present'}")
                # Microkit's debug, release and benchmark kernels: one core,
                # 16 domains, whatever the board's default core count; its
                # smp-* kernels: all four cores, no domain scheduler.
                wanted = (("CONFIG_MAX_NUM_NODES  4\n", "CONFIG_NUM_DOMAINS  1\n")
                          if config.startswith("smp-") else
                          ("CONFIG_MAX_NUM_NODES  1\n", "CONFIG_NUM_DOMAINS  16\n"))
                for needle in wanted:
                    if needle not in text:
                        problems.append(f"{gen}: '{needle.strip()}' missing")
            lib = os.path.join(d, "lib", "libmicrokit.a")
            if os.path.isfile(lib) and "crt0.o" not in run(["aarch64-linux-gnu-ar", "t", lib]).stdout:
                problems.append(f"{lib} has no crt0.o")
    if not os.access(os.path.join(SDK, "bin", "microkit"), os.X_OK):
        problems.append("bin/microkit is missing or not executable")
    return problems


def sdk_tests(t, staged):
    r = run(["make", "sdk", f"SDK={SDK}"])
    if not t.record("sdk/build", r.returncode == 0, r.stdout):
        return
    problems = sdk_layout_problems()
    t.record("sdk/layout", not problems, "\n".join(problems))

    if t.wanted("sdk/tool"):
        tool_tests(t, staged)

    hello = os.path.join(staged, "hello")
    for name, product, expect, until in (
            ("hello", hello, [r"client: the server says 40 \+ 2 = 42\n"], r"client: done"),
            ("cspace", os.path.join(staged, "cspace"), CSPACE, CSPACE_END),
            ("inline-asm", os.path.join(staged, "asm"),
             [r"ticks: the generic timer runs at 62 MHz and advances\n"], r"ticks: variant"),
            ("smc", os.path.join(staged, "smc"), [r"psci: version 1\.1, SYSTEM_OFF supported\n"],
             r"psci: version")):
        if not t.wanted(f"sdk/{name}"):
            continue
        r, image = sdk_make(product)
        if t.record(f"sdk/{name}-makefile", r.returncode == 0 and os.path.isfile(image) and
                    "warning:" not in r.stdout, r.stdout):
            t.boot(f"sdk/{name}", image, BOOTED + expect, until)

    # Microkit's smp-* configurations: the product on four cores.
    if t.wanted("sdk/multicore-smp-debug"):
        r, image = sdk_make(os.path.join(staged, "multicore"), config="smp-debug")
        if t.record("sdk/multicore-smp-debug-makefile", r.returncode == 0 and
                    os.path.isfile(image) and "warning:" not in r.stdout, r.stdout):
            t.boot("sdk/multicore-smp-debug", image, BOOTED + MULTICORE, MULTICORE_END, cores=4)
    if t.wanted("sdk/multicore-one-core-config-refused"):
        r, image = sdk_make(os.path.join(staged, "multicore"), config="debug")
        t.record("sdk/multicore-one-core-config-refused", r.returncode != 0 and
                 re.search(r"multicore\.system:9:\d+: error: cpu 1 is out of range 0\.\.0", r.stdout),
                 r.stdout)
    for config in ("release", "benchmark", "smp-release", "smp-benchmark"):
        if t.wanted(f"sdk/hello-{config}"):
            r, image = sdk_make(hello, config=config)
            t.record(f"sdk/hello-{config}-builds", r.returncode == 0 and os.path.isfile(image), r.stdout)
    if t.wanted("sdk/timer-odroidc4"):
        r, image = sdk_make(os.path.join(staged, "timer"), board="odroidc4")
        header = open(image, "rb").read(64) if os.path.isfile(image) else b""
        t.record("sdk/timer-odroidc4-builds", r.returncode == 0 and header[56:60] == b"ARM\x64",
                 r.stdout)
    if t.wanted("sdk/domains"):
        gen = os.path.join(SDK, "board", "qemu_virt_aarch64", "debug", "include", "kernel",
                           "gen_config.h")
        if "CONFIG_NUM_DOMAINS  1\n" in open(gen).read():
            t.skip("sdk/domains", DOMAINS_MISSING)
        else:
            r, image = sdk_make(os.path.join(staged, "domains"))
            if t.record("sdk/domains-makefile", r.returncode == 0, r.stdout):
                t.boot("sdk/domains", image, BOOTED + [r"producer: 100000 notifications",
                                                       r"consumer: woken", r"producer: done"],
                       r"producer: done")


def tool_tests(t, staged):
    """bin/microkit's command line, as Microkit's tool has it."""
    r = microkit("--help")
    t.record("sdk/tool-help", r.returncode == 0 and r.stdout.startswith("usage: microkit") and
             "odroidc4" in r.stdout and "qemu_virt_aarch64" in r.stdout, r.stdout)
    errors = [
        ("missing-arguments", [], "the following arguments are required: --board, --config, system"),
        ("unknown-board", ["x.system", "--board", "nosuch", "--config", "debug"],
         "argument --board: unknown parameter 'nosuch'"),
        ("bad-config", ["x.system", "--board", "odroidc4", "--config", "fast"],
         "argument --config: invalid choice 'fast' (choose from: benchmark, debug, release, "
         "smp-benchmark, smp-debug, smp-release)"),
        ("missing-value", ["x.system", "--board"], "argument --board: expected one parameter"),
        ("extra-argument", ["x.system", "y.system", "--board", "odroidc4", "--config", "debug"],
         "unrecognized argument 'y.system'"),
        ("bad-image-type", ["x.system", "--image-type", "zip"],
         "argument --image-type: unknown parameter 'zip'"),
        ("uimage", ["x.system", "--board", "odroidc4", "--config", "debug", "--image-type", "uimage"],
         "building the output image as 'uimage' is unsupported for target architecture 'aarch64'"),
        ("missing-system", ["nosuch.system", "--board", "odroidc4", "--config", "debug"],
         "system description file 'nosuch.system' does not exist"),
        ("missing-kernel", ["x.system", "--board", "odroidc4", "--config", "debug",
                            "--override-kernel", "/nonexistent/sel4.elf"],
         "kernel ELF '/nonexistent/sel4.elf' does not exist"),
    ]
    for name, args, message in errors:
        r = microkit(*args)
        t.record(f"sdk/tool-{name}", r.returncode == 1 and f"microkit: error: {message}" in r.stdout,
                 r.stdout)
    # The system may come after the options, and --search-path takes several.
    hello = os.path.join(staged, "hello")
    r, _ = sdk_make(hello)
    build = os.path.join(hello, "build-qemu_virt_aarch64-debug")
    elf = os.path.join(OUT, "hello-loader.elf")
    r = microkit("--board", "qemu_virt_aarch64", "--config", "debug", "--search-path", "/nonexistent",
                 build, "-o", elf, "--image-type", "elf", "-r", os.path.join(OUT, "hello-report.txt"),
                 "--override-kernel",
                 os.path.join(SDK, "board", "qemu_virt_aarch64", "debug", "elf", "sel4.elf"),
                 os.path.join(hello, "hello.system"))
    magic = open(elf, "rb").read(4) if os.path.isfile(elf) else b""
    t.record("sdk/tool-options", r.returncode == 0 and magic == b"\x7fELF" and
             "MICROKIT|LOADER: image file size" in r.stdout, r.stdout)
    r = microkit(os.path.join(staged, "lookup", "lookup.system"), "--board", "qemu_virt_aarch64",
                 "--config", "debug", "--search-path", build)
    t.record("sdk/tool-program-not-found", r.returncode == 1 and
             "lookup.system:7:24: error: cannot find program image 'hello.elf'" in r.stdout, r.stdout)


def main(argv):
    t = Tests(argv)
    os.makedirs(OUT, exist_ok=True)
    staged = tempfile.mkdtemp(prefix="microkit-products.")
    try:
        stage(staged)
        if t.wanted("tree"):
            tree_tests(t, staged)
        if t.wanted("sdk"):
            sdk_tests(t, staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    print(t.line())
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
