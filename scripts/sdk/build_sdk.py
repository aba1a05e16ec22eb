#!/usr/bin/python3
"""make sdk: a Microkit SDK built from this tree (docs/sdk.md).

    build_sdk.py --out SDK_DIR --work WORK_DIR [--boards B,...] [--configs C,...]

For every board profile (board/*/defconfig) and configuration below, builds
the tree in WORK_DIR/<board>-<config> and has it export its part of the SDK
(make sdk-parts) into SDK_DIR/board/<board>/<config>/. Then adds what every
board shares: bin/microkit (the tool, Microkit's command line), libexec/
microkit/ (sdfgen, mkpayload, the image builder) and VERSION. The SDK is
rewritten from scratch each time, so nothing stale stays in it.
"""
import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from qemu_virt import configured_cores  # noqa: E402

# Microkit's configurations, as Kconfig options on top of the board's
# defconfig: debug (assertions, debug system calls, printing), release
# (neither), benchmark (release plus the PMU cycle counter for user level),
# and each of them again as smp-<config>, which Microkit has for boards with
# several cores.
BASE_CONFIGS = {
    "debug": [],
    "release": ["DEBUG_BUILD=n", "PRINTING=n"],
    "benchmark": ["DEBUG_BUILD=n", "PRINTING=n", "BENCHMARK=y"],
}
SMP_PREFIX = "smp-"
CONFIGS = {**BASE_CONFIGS, **{SMP_PREFIX + c: o for c, o in BASE_CONFIGS.items()}}
# Microkit's debug, release and benchmark kernels run on one core, whatever
# the board's core count, and have 16 scheduling domains; its smp-* kernels
# run on every core of the board (our defconfigs' CONFIG_MAX_NUM_NODES) and,
# as seL4's SMP configurations, without the domain scheduler. Asked for in
# this order; where Kconfig does not allow one, the SDK goes without it and
# says so.
WANTED = {False: ["MAX_NUM_NODES=1", "NUM_DOMAINS=16"], True: ["NUM_DOMAINS=1"]}


def is_smp(config):
    return config.startswith(SMP_PREFIX)


def run(cmd, **kw):
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if r.returncode != 0:
        sys.stdout.write(r.stdout[-4000:])
        sys.exit(f"build_sdk.py: failed: {' '.join(cmd)}")
    return r.stdout


def configure(board, config, out):
    """The configuration's .config; returns the wanted options Kconfig refused."""
    run(["make", f"BOARD={board}", f"O={out}", "defconfig"])
    env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
    if CONFIGS[config]:
        run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", *CONFIGS[config]], env=env)
    refused = []
    for option in WANTED[is_smp(config)]:
        r = subprocess.run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", option], cwd=ROOT,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            refused.append(option)
    return refused


def version():
    r = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else "unknown"


def install(src, dest, mode=0o644):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(src, dest)
    os.chmod(dest, mode)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--boards", help="comma-separated (default: every board)")
    p.add_argument("--configs", help="comma-separated (default: %s)" % ",".join(CONFIGS))
    args = p.parse_args()
    boards = args.boards.split(",") if args.boards else sorted(
        b for b in os.listdir(os.path.join(ROOT, "board"))
        if os.path.isfile(os.path.join(ROOT, "board", b, "defconfig")))
    configs = args.configs.split(",") if args.configs else list(CONFIGS)
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        sys.exit(f"build_sdk.py: unknown configuration(s) {', '.join(unknown)} "
                 f"(configurations: {', '.join(CONFIGS)})")
    sdk = os.path.abspath(args.out)
    for part in ("bin", "board", "libexec", "VERSION"):
        path = os.path.join(sdk, part)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
    jobs = f"-j{os.cpu_count() or 1}"
    host_tools = None
    for board in boards:
        for config in configs:
            out = os.path.join(os.path.abspath(args.work), f"{board}-{config}")
            config_dir = os.path.join(sdk, "board", board, config)
            refused = configure(board, config, out)
            if is_smp(config) and configured_cores(out) < 2:
                print(f"  SDK     board/{board}/{config}: none (the board has one core)", flush=True)
                continue
            print(f"  SDK     board/{board}/{config}" +
                  (f" (not yet possible: {', '.join(refused)})" if refused else ""), flush=True)
            run(["make", jobs, f"BOARD={board}", f"O={out}", "sdk-parts",
                 f"SDK_CONFIG_DIR={config_dir}"])
            host_tools = host_tools or out
    libexec = os.path.join(sdk, "libexec", "microkit")
    for tool in ("scripts/sdfgen/sdfgen", "scripts/mkpayload/mkpayload"):
        install(os.path.join(host_tools, tool), os.path.join(libexec, os.path.basename(tool)), 0o755)
    install(os.path.join(ROOT, "scripts", "sdk", "image.mk"), os.path.join(libexec, "image.mk"))
    install(os.path.join(ROOT, "scripts", "Makefile.image"), os.path.join(libexec, "Makefile.image"))
    install(os.path.join(ROOT, "scripts", "sdk", "microkit"), os.path.join(sdk, "bin", "microkit"), 0o755)
    with open(os.path.join(sdk, "VERSION"), "w") as f:
        f.write(version() + "\n")
    print(f"  SDK     {sdk} ({len(boards)} boards x {len(configs)} configurations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
