#!/usr/bin/python3
"""System tests: build each example and test system, boot it in QEMU and
check its serial output (patterns in order, forbidden patterns nowhere).

    tests/system/run.py [NAME...]

All systems build in one output directory, build/test/system (O=), one
after the other: the kernel, loader, sdfgen and libmicrokit are built once
and each system only adds its PDs, tables and monitor. A system that needs
another kernel configuration (CONFIGS) builds in build/test/system-<name>. A failing test can
be rerun by hand with
    make O=build/test/system SYSTEM=<file> qemu
The last line is "N passed, N failed".
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "test", "system")
LOGS = os.path.join(ROOT, "build", "test", "logs", "system")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_virt  # noqa: E402

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
# power-off), forbidden patterns.
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
               r"supervisor: child 0 had a VM fault at address 0x7fffffffb",
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
                  r"MON\|ERROR: VMFault: ip=0x[0-9a-f]+  fault_addr=0x00007fffffffb",
                  r"MON\|ERROR: potential stack overflow, fault address within one page "
                  r"outside of stack region", frames=("recurse", "recurse")) +
     [r"nofpu: using the FPU with fpu=\"false\""] +
     fault_report("nofpu",
                  r"MON\|ERROR: UserException: ip=0x[0-9a-f]+  sp=0x[0-9a-f]+  esr=0x1",
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


# Tests that need another kernel configuration build in their own output
# directory with these options (scripts/setconfig syntax). If Kconfig does
# not allow them (yet), the test is skipped and says why.
CONFIGS = {
    "domains": (["NUM_DOMAINS=16"], "waits on the kernel's domain scheduler "
                "(Kconfig allows only CONFIG_NUM_DOMAINS=1)"),
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
    r = subprocess.run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", *options], cwd=ROOT,
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return (out, None) if r.returncode == 0 else (None, missing)


def qemu_command(image):
    # The PL031's time follows the virtual clock: an idle system reaches its
    # next alarm at once.
    return qemu_virt.command(image) + ["-rtc", "clock=vm"]


def build(system, out):
    return subprocess.run(["make", f"-j{os.cpu_count() or 1}", "BOARD=qemu_virt_aarch64", f"O={out}",
                           f"SYSTEM={system}"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def main(argv):
    selected = [t for t in TESTS if not argv or t[0] in argv]
    unknown = set(argv) - {t[0] for t in TESTS}
    if unknown:
        print(f"unknown test(s): {', '.join(sorted(unknown))}; tests: "
              f"{', '.join(t[0] for t in TESTS)}")
        return 2
    passed = failed = skipped = 0
    for name, system, expect, until, forbid in selected:
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
        cmd += [a for e in expect for a in ("--expect", e)]
        cmd += [a for f in forbid for a in ("--forbid", f)]
        if until:
            # A little longer than the last expected line: forbidden output
            # right after it counts too.
            cmd += ["--until", until, "--grace", "0.3"]
        cmd += ["--"] + qemu_command(image)
        q = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        print(q.stdout, end="", flush=True)
        if q.returncode == 0:
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
