#!/usr/bin/python3
"""System tests: build each example and test system, boot it in QEMU and
check its serial output (patterns in order, forbidden patterns nowhere).

    tests/system/run.py [--out DIR] [--kconfig-set "NAME=value ..."] [NAME...]

All systems build in one output directory, build/test/system (O=, or
--out), one after the other: the kernel, loader, sdfgen and libmicrokit are
built once and each system only adds its PDs, tables and monitor.
--kconfig-set configures a new output directory with options on top of the
defconfig (make's KCONFIG_SET=, e.g. KERNEL_EL1=y for the EL1 kernel). A
failing test can be rerun by hand with
    make O=build/test/system SYSTEM=<file> qemu
The last line is "N passed, N failed".
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "test", "system")
LOGS = os.path.join(ROOT, "build", "test", "logs", "system")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_virt  # noqa: E402
DISK_TOOL = os.path.join(ROOT, "tests", "system", "block_disk.py")

PD_LAYOUT_H = os.path.join(ROOT, "pds", "include", "pd_layout.h")
SDF_MODEL_H = os.path.join(ROOT, "scripts", "sdfgen", "model.h")
KCONFIG_SET = ""


def header_value(path, name):
    m = re.search(rf"^#define {name}\s+(0x[0-9a-fA-F]+)", open(path).read(), re.M)
    return int(m.group(1), 16)


# Some output depends on the kernel's exception level (CONFIG_KERNEL_EL1 or
# EL2), known only once the output directory is configured: the patterns
# hold tokens that resolve_for_el() replaces before the run.
PER_EL = []


def stack_guard_page(digits):
    """A regex for the address of the unmapped page below a PD's default
    stack, as printed with `digits` hex digits, page offset left open (its
    place depends on seL4_UserTop)."""
    return f"<stack-guard-page:{digits}>"


def per_el(el1, el2):
    """Pattern `el1` with an EL1 kernel, `el2` with an EL2 (hypervisor) one."""
    PER_EL.append((el1, el2))
    return f"<per-el:{len(PER_EL) - 1}>"


def resolve_for_el(pattern, kernel_el):
    """Replace the tokens: addresses from the layout in pds/include/pd_layout.h
    (and sdfgen's default stack size), per_el() choices."""
    def guard(m):
        top = header_value(PD_LAYOUT_H, f"PD_USER_TOP_EL{kernel_el}")
        page = (top - header_value(PD_LAYOUT_H, "PD_STACK_TOP_FROM_TOP")
                - header_value(SDF_MODEL_H, "DEFAULT_STACK_SIZE") - 0x1000)
        return f"{page:0{int(m.group(1))}x}"[:-3]
    pattern = re.sub(r"<per-el:(\d+)>", lambda m: PER_EL[int(m.group(1))][kernel_el - 1], pattern)
    return re.sub(r"<stack-guard-page:(\d+)>", guard, pattern)


def configured_el(out):
    text = open(os.path.join(out, ".config")).read()
    return 2 if re.search(r"^CONFIG_KERNEL_EL2=y$", text, re.M) else 1


# Nothing a healthy run prints. Tests that expect some of it say so.
FORBID = [r"MON\|ERROR", r"KERNEL\|FAULT", r"KERNEL\|ERROR", r"PANIC", r"survived\?",
          r"still alive\?", r"invalid channel given", r"is missing the"]
BOOTED = [r"MON\|INFO: monitor started", r"MON\|INFO: Microkit Monitor started!"]


def fault_report(pd, *details, frames=("init", "microkit_main", "_start")):
    """The monitor's report: registers, the fault's details, then a backtrace
    whose frames are named from the PD's symbols (CONFIG_FAULT_SYMBOLS)."""
    backtrace = [r"MON\|ERROR: backtrace \(frame pointers\):\n"] + [
        rf"MON\|ERROR:   #{i} 0x[0-9a-f]{{16}} {name}(\.[a-z0-9.]+)?\+0x[0-9a-f]+\n"
        for i, name in enumerate(frames)]
    return [rf"MON\|ERROR: faulting PD: {pd}\n", r"Registers: \npc : 0x[0-9a-f]{16}\n"] + \
        list(details) + backtrace + [rf"MON\|ERROR: PD '{pd}' is stopped; the other PDs run on"]


# name, system file, expected output in order, stop pattern (None: wait for
# power-off), forbidden patterns[, options]. Options: "input": [(pattern, text
# typed on the console once it appeared)...]; "disk": a virtio-blk disk made
# and checked afterwards by tests/system/block_disk.py; "sequences": {name:
# patterns expected in order, independently of the others}; "net": a
# virtio-net NIC on QEMU's user network, with free host ports on 127.0.0.1
# forwarded to the network example's services, and tests/system/net_host.py
# run against them once both services are up; "uboot": boot through U-Boot
# and TFTP with the line and script `make flash FLASH=tftp` gives.
TESTS = [
    ("hello", "sdf/hello.system",
     [r"MON\|INFO: monitor started \(root task\), system 'hello.system': 1 PD\n",
      r"MON\|INFO: built 1 PDs, 0 memory regions, 0 channels, 0 IRQs",
      r"MON\|INFO: objects: 1 TCBs, 1 SCs",
      r"MON\|INFO: memory: \d+ KiB of \d+ KiB of RAM used",
      r"MON\|INFO: boot: \d+ timer ticks \(\d+ us\) from power-on to the last PD started",
      r"MON\|INFO: Microkit Monitor started!",
      r"hello, world \(from PD 'hello'\)\n"],
     r"hello, world.*\n", FORBID),
    ("notify", "sdf/notify.system",
     BOOTED + [r"pong: waiting for ping", r"ping: starting, notifying pong"] +
     [p for i in range(1, 6) for p in (rf"pong: notification {i} from ping",
                                       rf"ping: pong answered round {i}\n")] +
     [r"ping: done after 5 rounds"],
     r"done after 5 rounds", FORBID + [r"notification 6"]),
    ("ppc", "sdf/ppc.system",
     BOOTED + [r"server: init", r"MON\|INFO: PD 'server' is now passive",
               r"server: call 1 on channel 1 with 8 words",
               r"client: sum, count, min, max = 65 8 1 20\n",
               r"server: call 2 on channel 1 with 8 words",
               r"client: reversed = 8 20 1 9 5 12 3 7\n",
               r"server: call 3 on channel 1 with 0 words",
               r"client: unknown operation answered with label 255",
               r"server: notified on channel 1\n", r"client: done",
               r"client: the server said it was ready"],
     r"client: the server said it was ready", FORBID),
    ("restart", "sdf/restart.system",
     BOOTED + [r"supervisor: watching child 'crasher'",
               r"crasher: run 1: overflowing the stack",
               r"supervisor: child 0 had a VM fault at address 0x" + stack_guard_page(12),
               r"supervisor: restarting crasher \(restart 1\)",
               r"crasher: run 2: reading address 0x10",
               r"supervisor: child 0 had a VM fault at address 0x000000000010\n",
               r"supervisor: restarting crasher \(restart 2\)",
               r"crasher: run 3: executing an undefined instruction",
               r"supervisor: child 0 had a user exception",
               r"supervisor: restarting crasher \(restart 3\)",
               r"crasher: run 4: writing to read-only memory",
               r"supervisor: child 0 had a VM fault at address 0x000000200",
               r"supervisor: crasher failed too often: stopping it"],
     r"crasher failed too often: stopping it", FORBID + [r"crasher: run 5"]),
    ("ringbuffer", "sdf/ringbuffer.system",
     BOOTED + [r"producer: ring of 4096 bytes mapped at 0x04000000",
               r"producer: wrote items 1\.\.8", r"consumer: read items 1\.\.8",
               r"producer: wrote items 9\.\.16", r"consumer: read items 9\.\.16",
               r"producer: wrote items 17\.\.20", r"consumer: read items 17\.\.20",
               r"consumer: all 20 items received, sum 2870"],
     r"sum 2870", FORBID),
    ("multicore", "sdf/multicore.system",
     BOOTED[:1] + [r"MON\|INFO: core 0: worker0\n", r"MON\|INFO: core 1: worker1\n",
                   r"MON\|INFO: core 2: worker2\n", r"MON\|INFO: core 3: worker3\n"] + BOOTED[1:] +
     [r"multicore: 32 items, 64 visits each, around 4 workers on 4 cores",
      r"multicore: 32 items made 64 visits each on 4 cores, 0 wrong",
      r"worker0 \(core 0\): 512 visits in \d+ us, \d+ per second\n",
      r"worker1 \(core 1\): 512 visits in \d+ us, \d+ per second\n",
      r"worker2 \(core 2\): 512 visits in \d+ us, \d+ per second\n",
      r"worker3 \(core 3\): 512 visits in \d+ us, \d+ per second\n",
      r"multicore: done"],
     r"multicore: done", FORBID),
    ("prefill", "sdf/prefill.system",
     BOOTED + [r"reader: region of 4096 bytes holds 144 bytes of prefill:\n",
               r"This text was put into the memory region 'message' when the system was\n"
               r"built \(prefill_path=\"prefill.txt\"\), copied there by the monitor at boot.\n",
               r"reader: 0 non-zero bytes after the prefill"],
     r"non-zero bytes after the prefill", FORBID),
    ("capshare", "sdf/capshare.system",
     BOOTED + [r"controller: holding the worker's TCB in root slot 1",
               r"worker: tick 1", r"worker: tick 2", r"worker: tick 3",
               r"controller: suspended the worker",
               r"idler: running, so the worker is not",
               r"controller: resumed the worker",
               r"worker: tick 4", r"worker: tick 5", r"worker: tick 6", r"worker: done"],
     r"worker: done", FORBID + [r"failed"]),
    ("rtc", "sdf/rtc.system",
     BOOTED + [r"rtc: PL031 says \d+ s since the epoch",
               r"rtc: alarm interrupt 1 \(match\)", r"rtc: alarm interrupt 2 \(match\)",
               r"rtc: alarm interrupt 3 \(match\)", r"rtc: done"],
     r"rtc: done", FORBID + [r"unexpected", r"no status"]),
    ("isolation", "tests/system/isolation.system",
     BOOTED + [r"spinner: spinning forever", r"MON\|INFO: PD 'echo' is now passive",
               r"unmapped: reading unmapped address 0x10000000"] +
     fault_report("unmapped",
                  r"MON\|ERROR: VMFault: ip=0x[0-9a-f]+  fault_addr=0x0000000010000000  "
                  r"fsr=0x[0-9a-f]+  \(data fault\)",
                  r"MON\|ERROR:   ec: 0x24  data abort from a lower EL",
                  r"MON\|ERROR:   dfsc = translation fault") +
     [r"readonly: writing to its read-only code"] +
     fault_report("readonly",
                  r"MON\|ERROR: VMFault: ip=0x[0-9a-f]+  fault_addr=0x0000000000200",
                  r"MON\|ERROR:   dfsc = permission fault, level 3 \(0x0f\) -- write not read") +
     [r"undefined: executing an undefined instruction"] +
     fault_report("undefined",
                  r"MON\|ERROR: UserException: ip=0x[0-9a-f]+",
                  r"MON\|ERROR:   ec: 0x00  unknown reason \(an undefined instruction\)") +
     [r"badcap microkit_notify: invalid channel given '7'",
      r"badcap: the kernel answered error 2 \(seL4_InvalidCapability\)",
      r"badcap: calling capability 0x10000, outside its CSpace"] +
     fault_report("badcap",
                  r"MON\|ERROR: CapFault: ip=0x[0-9a-f]+  fault_addr=0x0000000000010000  "
                  r"in_recv_phase=false  lookup_failure_type=seL4_GuardMismatch") +
     [r"overflow: recursing without end"] +
     fault_report("overflow",
                  r"MON\|ERROR: VMFault: ip=0x[0-9a-f]+  fault_addr=0x" + stack_guard_page(16),
                  r"MON\|ERROR: potential stack overflow, fault address within one page "
                  r"outside of stack region", frames=("recurse", "recurse")) +
     [r"nofpu: using the FPU with fpu=\"false\""] +
     # As on seL4: with an EL2 kernel the FP trap reaches the kernel at EL2,
     # which reports it as a VCPU fault with the syndrome.
     fault_report("nofpu",
                  per_el(r"MON\|ERROR: UserException: ip=0x[0-9a-f]+  sp=0x[0-9a-f]+  esr=0x1",
                         r"MON\|ERROR: VCPUFault: hsr=0x1"),
                  r"MON\|ERROR:   ec: 0x07  ") +
     [r"guardian: watching child 'spinner'",
      r"guardian: spinner keeps counting, but only within its budget: stopping it",
      r"guardian: spinner stopped, its counter stands still",
      r"watchdog: round 1: echo answered 10", r"watchdog: round 2: echo answered 20",
      r"watchdog: round 3: echo answered 30", r"watchdog: the system runs on"],
     r"watchdog: the system runs on", [r"KERNEL\|FAULT", r"KERNEL\|ERROR", r"PANIC",
                                       r"survived\?", r"unknown/invalid badge",
                                       r"could not", r"does not count", r"still counts",
                                       r"guardian: child"]),
    ("memory", "tests/system/memory.system",
     [r"MON\|INFO: built 2 PDs, 4 memory regions, 1 channels, 0 IRQs",
      r"MON\|INFO: frames: \d+ \(\d+ KiB of RAM\), 3 extra mappings",
      r"MON\|INFO: memory: \d+ KiB of \d+ KiB of RAM used \(0 KiB lost"] + BOOTED[1:] +
     [r"writer: fixed_ram at 0x0000000060001000, dma at 0x00000000[0-9a-f]{8}\n",
      r"writer: regions start zeroed",
      r"writer: big says: Prefilled into a memory region of 2 MiB pages.\n",
      r"checker: shared says: written by writer\n",
      r"checker: big starts with: Prefilled\n"],
     r"checker: big starts with.*\n", FORBID + [r"not zeroed"]),
    ("many", "tests/system/many.system",
     [r"MON\|INFO: built 63 PDs, 0 memory regions, 63 channels",
      r"MON\|INFO: objects: 63 TCBs, 63 SCs"] + BOOTED[1:] +
     [r"relay00: sending the token round the ring",
      r"relay00: the token came back through all 63 PDs"],
     r"came back through all 63 PDs", FORBID),
    ("setup-error", "tests/system/bad_irq.system",
     [r"MON\|INFO: monitor started",
      r"MON\|ERROR: getting the handler of IRQ 1000 \(level-triggered\) for PD 'hello': "
      r"seL4_RangeError\n",
      r"MON\|ERROR: the system was not started: stopping",
      r"KERNEL\|INFO: system power off"],
     None, [r"hello, world", r"Microkit Monitor started", r"KERNEL\|FAULT", r"PANIC"]),
    # Serial and timer driver PDs (docs/drivers.md): two clients share the
    # console through the virtualisers; input goes to the selected client.
    ("console", "sdf/console.system",
     BOOTED + [r"\[echo\] type a line and I echo it\n",
               r"\[echo\] the timer refused an unknown request\n", r"\[uptime\] uptime 1\.0\d\d s\n",
               r"\[echo\] the 1\.5 s timeout fired at 150\d ms\n",
               r"\[uptime\] uptime 2\.0\d\d s\n", r"\[uptime\] uptime 3\.0\d\d s\n",
               r"\[echo\] you typed: hello, console\n",
               r"\[uptime\] input for me: 'u'\n",
               r"\[echo\] you typed: back to echo\n"],
     r"you typed: back to echo\n", FORBID + [r"\[uptime\] uptime 4", r"fired at 10"],
     {"input": [(r"uptime 3\.", r"hello, console\r"), (r"you typed: hello", r"\x141u"),
                (r"input for me: 'u'", r"\x140back to echo\r")]}),
    # Bad input to the serial transmit virtualiser: out-of-region
    # descriptors and a corrupted queue index; the other client is served.
    ("drivers-rogue", "tests/system/drivers_rogue.system",
     BOOTED + [r"rogue: sent bad descriptors and a broken queue index",
               r"\[honest\] before the rogue client\n",
               r"\[honest\] after the rogue client: still served\n"],
     r"still served\n", FORBID + [r"\[rogue\]"]),
    # Block driver PD, virtualiser and two clients on a virtio-blk disk the
    # test makes; afterwards the disk must hold exactly what they wrote.
    ("block", "sdf/block.system",
     BOOTED + [r"blk_virtio: disk of 12288 KiB",
               r"blk_virt: client 0: partition 1, 1024 blocks from block 256",
               r"blk_virt: client 1: partition 2, 1024 blocks from block 1280"],
     r"disk_a: done(.|\n)*disk_b: done|disk_b: done(.|\n)*disk_a: done",
     FORBID + [r"FAILED", r"no usable partition"],
     # The clients run concurrently and the disk answers in real time: each
     # client's lines in order, the two interleaved in any way.
     {"disk": True, "sequences": {c: [
         rf"disk_{c}: partition of 1024 blocks\n",
         rf"disk_{c}: block 0 holds the host's signature of partition {n}\n",
         rf"disk_{c}: wrote blocks 1-2 and read them back\n",
         rf"disk_{c}: a read past the partition's end was refused\n",
         rf"disk_{c}: a read into memory outside the data region was refused\n",
         rf"disk_{c}: done\n"] for c, n in (("a", 1), ("b", 2))}}),
    # Network driver PD, virtualisers and two lwIP clients on virtio-net;
    # tests/system/net_host.py talks to them through forwarded ports.
    ("network", "sdf/network.system",
     BOOTED + [r"HOST\| udp: 20 of 20 datagrams echoed unchanged",
               r"HOST\| tcp 1: greeting 'hello from tcp_hello, up \d+ ms, connection 1', "
               r"answer 'HELLO, LWIP'",
               r"HOST\| tcp 2: greeting .*connection 2', answer 'HELLO, LWIP'",
               r"HOST\| network checks passed"],
     r"HOST\| network checks", FORBID + [r"cannot", r"lwIP assertion"],
     {"net": True, "sequences": {
         "udp": [r"udp_echo: 10\.0\.2\.15 echoing UDP port 1235", r"udp_echo: echoed the first"],
         "tcp": [r"net_virt_tx: refused a frame of client 1 \(not a whole frame from its own MAC",
                 r"tcp_hello: 10\.0\.2\.16 listening on TCP port 1236",
                 r"tcp_hello: accepted a connection\n(.|\n)*tcp_hello: accepted a connection"]}}),
    # The board's network boot path (docs/boot.md): Debian's U-Boot for QEMU
    # loads the script `make flash FLASH=tftp` wrote from QEMU's TFTP server
    # and runs it; the script loads loader.img the same way and boots it.
    ("uboot-tftp", "sdf/hello.system",
     [r"U-Boot 20\d\d", r"Net:   eth0: virtio-net", r"=> setenv autoload no; dhcp",
      r"DHCP client bound to address 10\.0\.2\.15", r"Filename 'boot\.scr'",
      r"## Executing script at", r"Loading loader\.img to 0x70000000 from 10\.0\.2\.2",
      r"Filename 'loader\.img'", r"Bytes transferred = \d+",
      r"LDR\|INFO: loader for qemu_virt_aarch64", r"LDR\|INFO: DTB from the boot loader at 0x",
      r"MON\|INFO: Microkit Monitor started!", r"hello, world \(from PD 'hello'\)",
      r"KERNEL\|INFO: system power off"],
     None, FORBID + [r"TFTP error", r"Wrong Image Format", r"ERROR"],
     {"uboot": True}),
    ("domains", "tests/system/domains.system",
     BOOTED + [r"MON\|INFO: domain schedule: 4 entries in slots 0\.\.3, starting at slot 0\n",
               r"stream: notifying the sampler 200000 times", r"sampler: waiting",
               r"stream: 50000 sent", r"stream: 200000 sent",
               # without domains the higher-priority sampler would wake 200000 times
               r"sampler: stream done after [1-9][0-9]{0,2} wake-ups\n"],
     r"sampler: stream done", FORBID),
    ("out-of-tree", "tests/system/product/product.system",
     BOOTED + [r"greeter: greetings from a product built outside the tree\n",
               r"greeter: 2.5 \* 4.0 = 10 \(floating point\)",
               r"hello, world \(from PD 'hello'\)"],
     r"hello, world.*\n", FORBID),
]


def disk_args(path):
    """A virtio-blk disk on virtio-mmio transport 0 (BOARD_BLOCK_PHYS)."""
    return ["-drive", f"file={path},if=none,format=raw,id=disk0",
            "-device", "virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0"]


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def net_args():
    """virtio-net on virtio-mmio transport 8 (BOARD_NET_PHYS), user
    networking with the services forwarded from loopback only; returns the
    QEMU arguments and the host command that tests them."""
    udp, tcp = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    netdev = (f"user,id=net0,net=10.0.2.0/24,hostfwd=udp:127.0.0.1:{udp}-10.0.2.15:1235,"
              f"hostfwd=tcp:127.0.0.1:{tcp}-10.0.2.16:1236")
    args = ["-netdev", netdev,
            "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.8,mac=52:54:00:12:34:56"]
    return args, f"{PYTHON} {os.path.join(ROOT, 'tests', 'system', 'net_host.py')} {udp} {tcp}"


UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"


def uboot_boot(system):
    """`make flash FLASH=tftp` into a fresh TFTP directory; returns QEMU's
    command (U-Boot as firmware, its TFTP server on that directory, no
    icount: U-Boot's autoboot countdown runs in real time) and the input
    that types the line make flash printed at U-Boot's prompt."""
    tftp = os.path.join(OUT, "tftp")
    shutil.rmtree(tftp, ignore_errors=True)
    os.makedirs(tftp)
    r = subprocess.run(["make", "BOARD=qemu_virt_aarch64", f"O={OUT}", f"SYSTEM={system}", "flash",
                        "FLASH=tftp", f"TFTP_DIR={tftp}", f"KCONFIG_SET={KCONFIG_SET}"], cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    lines = r.stdout.splitlines()
    typed = next((l.strip() for l in lines if "boot.scr; source" in l), None)
    if r.returncode != 0 or not typed:
        return None, r.stdout
    cmd = ["qemu-system-aarch64", "-machine", "virt,virtualization=on,gic-version=2",
           "-cpu", "cortex-a53", "-smp", str(qemu_virt.configured_cores(OUT)), "-m", "2G", "-nographic", "-monitor", "none", "-serial", "stdio",
           "-bios", UBOOT, "-netdev", f"user,id=net0,restrict=on,tftp={tftp}",
           "-device", "virtio-net-device,netdev=net0"]
    return (cmd, [(r"Hit any key to stop autoboot", r"\n"), (r"=> ", typed + r"\r")]), ""


def qemu_command(image, nic=False):
    """No network unless the test has one (then net_args() adds it). The
    PL031's time follows the virtual clock: an idle system reaches its next
    alarm at once. As many cores as the image's kernel is built for."""
    return qemu_virt.command(image, network=nic) + ["-rtc", "clock=vm"]


# Tests that need another kernel configuration build in their own output
# directory with these options (scripts/setconfig syntax). If Kconfig does
# not allow them, the test is skipped and says why.
# (sdf/multicore.system needs four cores: the default, so it builds in OUT.)
CONFIGS = {
    # One core: the domain scheduler is single-core, as in seL4 (Kconfig
    # allows only MAX_NUM_NODES=1 with NUM_DOMAINS > 1).
    "domains": (["MAX_NUM_NODES=1", "NUM_DOMAINS=16"], "needs the kernel's domain scheduler "
                "(Kconfig does not allow CONFIG_NUM_DOMAINS=16 on one core)"),
}


def configure(name):
    """(output directory, None) for a test, or (None, why it cannot run)."""
    if name not in CONFIGS:
        return OUT, None
    options, missing = CONFIGS[name]
    out = f"{OUT}-{name}"
    if not os.path.exists(os.path.join(out, ".config")):
        r = subprocess.run(["make", "BOARD=qemu_virt_aarch64", f"O={out}", "defconfig"], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            return None, "defconfig failed: " + r.stdout[-300:]
    env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
    r = subprocess.run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", *options,
                        *KCONFIG_SET.split()], cwd=ROOT,
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return (out, None) if r.returncode == 0 else (None, missing)


def build(system, out):
    return subprocess.run(["make", f"-j{os.cpu_count() or 1}", "BOARD=qemu_virt_aarch64", f"O={out}",
                           f"SYSTEM={system}", f"KCONFIG_SET={KCONFIG_SET}"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def main(argv):
    global OUT, LOGS, KCONFIG_SET
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="output directory (default build/test/system)")
    ap.add_argument("--kconfig-set", default="", help="options on top of the defconfig for a new --out")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args(argv)
    if args.out:
        OUT = os.path.abspath(args.out)
        LOGS = os.path.join(LOGS, os.path.basename(OUT))
    KCONFIG_SET = args.kconfig_set
    argv = args.names
    selected = [t for t in TESTS if not argv or t[0] in argv]
    unknown = set(argv) - {t[0] for t in TESTS}
    if unknown:
        print(f"unknown test(s): {', '.join(sorted(unknown))}; tests: "
              f"{', '.join(t[0] for t in TESTS)}")
        return 2
    passed = failed = skipped = 0
    for name, system, expect, until, forbid, *rest in selected:
        options = rest[0] if rest else {}
        out, why_not = configure(name)
        if not out:
            skipped += 1
            print(f"SKIP system/{name}: {why_not}")
            continue
        image = os.path.join(out, "images", "loader.img")
        r = build(system, out)
        if r.returncode != 0:
            failed += 1
            print(f"FAIL system/{name}: build of {system} failed")
            for line in r.stdout.splitlines()[-20:]:
                print(f"    | {line}")
            continue
        cmd = [PYTHON, os.path.join(ROOT, "scripts", "qemu-test.py"), "--name", f"system/{name}",
               "--timeout", "60", "--log", os.path.join(LOGS, f"{name}.log")]
        kernel_el = configured_el(out)
        cmd += [a for e in expect for a in ("--expect", resolve_for_el(e, kernel_el))]
        cmd += [a for f in forbid for a in ("--forbid", f)]
        for seq, patterns in options.get("sequences", {}).items():
            cmd += [a for p in patterns for a in ("--expect-in", seq, p)]
        inputs = options.get("input", [])
        if options.get("uboot"):
            boot, log = uboot_boot(system)
            if not boot:
                failed += 1
                print(f"FAIL system/{name}: make flash FLASH=tftp failed\n{log[-1500:]}")
                continue
            qemu, inputs = boot
        else:
            qemu = qemu_command(image, nic=options.get("net", False))
        for pattern, text in inputs:
            cmd += ["--send", pattern, text]
        if until:
            # A little longer than the last expected line: forbidden output
            # right after it counts too.
            cmd += ["--until", until, "--grace", "0.3"]
        extra = []
        if "disk" in options:
            disk = os.path.join(OUT, f"{name}-disk.img")
            subprocess.run([PYTHON, DISK_TOOL, "make", disk], check=True)
            extra = disk_args(disk)
        if options.get("net"):
            extra, host = net_args()
            cmd += ["--host", r"listening on TCP(.|\n)*echoing UDP|echoing UDP(.|\n)*listening on TCP",
                    host]
        cmd += ["--"] + qemu + extra
        q = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        print(q.stdout, end="", flush=True)
        ok = q.returncode == 0
        if ok and "disk" in options:
            c = subprocess.run([PYTHON, DISK_TOOL, "check", disk], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            ok = c.returncode == 0
            print(f"{'PASS' if ok else 'FAIL'} system/{name}/disk-contents: {c.stdout.strip()}")
            passed += ok
            failed += not ok
            ok = True   # the boot itself passed
        if ok:
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
