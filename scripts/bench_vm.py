#!/usr/bin/python3
"""The virtual-machine figures of make bench (docs/bench.md, "Virtual machines").

    bench_vm.py [--doc]

prints the figures; --doc also writes them into docs/bench.md (its
"Virtual machines" section, the rest of the file unchanged). `make bench`
runs them as part of the whole benchmark.

Both systems are built in the benchmark configuration (scripts/bench.py:
CONFIG_BENCHMARK=y, release kernel) with the kernel at EL2, in
build/bench/vm/<name>, and run once in QEMU with
-icount shift=0,align=off,sleep=off:

  - tests/bench/vm/vm.system: vmm_bench and its assembly guest
    (tests/bench/vm/vmm_bench/guest.S). The VMM counts instructions with
    the PMU's INST_RETIRED event programmed for EL0, EL1 and EL2, so the
    guest, the kernel and the VMM are all counted, exactly;
  - sdf/vm_linux.system: the example VMM reports the virtual time from
    starting the guest's vCPU to its first shell prompt and how long of it
    the guest was idle. Under -icount shift=0 a nanosecond is an
    instruction while the CPU runs, so the time the guest was not idle is
    the boot's instruction count (the PMU cannot count it: Linux turns off
    EL0 access to the PMU while it sets its CPU up);
  - sdf/vm_linux_smp.system, the same guest with two vCPUs on two cores of
    a four-core kernel (CONFIG_MAX_NUM_NODES=4, QEMU -smp 4): its boot's
    virtual time only. QEMU runs the cores in turns and the virtual clock
    counts every core's instructions, and two vCPUs' idle times overlap,
    so neither "less the idle time" nor an instruction count means
    anything there.

The PDs print "BENCH|VM <key> n=<ops> insns=<total>" or, for the boot,
"BENCH|VM linux_boot n=1 ns=<total> idle_ns=<idle>".
"""
import argparse
import collections
import os
import re
import sys

import bench

ROOT = bench.ROOT
RESULT = re.compile(r"BENCH\|VM (\S+) n=(\d+) (?:insns=(\d+)|ns=(\d+) idle_ns=(\d+))")
CONFIG = bench.BENCH_CONFIG + ["KERNEL_EL2=y", "ROOT_CNODE_SIZE_BITS=14"]

# key: (what one operation is)
FIGURES = collections.OrderedDict([
    ("hvc_roundtrip", "**HVC round trip**, guest -> VMM -> guest: the guest's `hvc #0` (seL4 "
                      "takes it as an unknown system call: a fault to the VMM), the VMM's "
                      "fault() decoding it and answering its own hypercall, the reply with "
                      "the registers, back in the guest after the `hvc`"),
    ("irq_inject_to_handler", "**virtual interrupt injection to the guest's handler**: from "
                              "the VMM deciding to raise SPI 40 (vgic_raise: the virtual "
                              "distributor, `ARM_VCPU_InjectIRQ` into a list register) "
                              "through its reply to the guest's hypercall to the first "
                              "instruction of the guest's IRQ handler"),
    ("linux_boot", "**guest boot**: Debian's arm64 cloud kernel with the busybox initramfs "
                   "(`sdf/vm_linux.system`, `quiet`), from the VMM starting the vCPU "
                   "(after the kernel, initramfs and device tree are in guest RAM) to the "
                   "first shell prompt on the console, the guest's idle time left out"),
    ("linux_smp_boot", "**two-vCPU guest boot**: the same guest with vCPUs on cores 0 and 1 "
                       "(`sdf/vm_linux_smp.system`, a four-core kernel, QEMU `-smp 4`), from "
                       "the VMM starting vCPU 0 to the first shell prompt; virtual time only "
                       "(the cores run in turns, the clock counts all of them)"),
])
# name, system, what ends the run, Kconfig beyond CONFIG, the boot's key.
SYSTEMS = [("bench", os.path.join(ROOT, "tests", "bench", "vm", "vm.system"), r"BENCH\|VM done",
            [], None),
           ("linux", os.path.join(ROOT, "sdf", "vm_linux.system"), r"BENCH\|VM linux_boot", [],
            "linux_boot"),
           ("linux-smp", os.path.join(ROOT, "sdf", "vm_linux_smp.system"),
            r"BENCH\|VM linux_boot", ["MAX_NUM_NODES=4"], "linux_smp_boot")]
# Figures of virtual time alone (no instruction count).
TIME_ONLY = {"linux_smp_boot"}


def run_all(base=None):
    results = collections.OrderedDict()
    for name, system, until, extra, boot_key in SYSTEMS:
        out = os.path.join(base or os.path.join(ROOT, "build", "bench", "vm"), name)
        bench.log(f"bench: virtual machines: {name}")
        names = {e.split("=")[0] for e in extra}
        bench.configure(out, overrides=[o for o in CONFIG if o.split("=")[0] not in names] +
                        extra)
        bench.run(["make", f"O={out}", f"SYSTEM={system}"])
        image = os.path.join(out, "images", "loader.img")
        text = bench.run_qemu(bench.qemu_command(out, image), until, 600)
        with open(os.path.join(out, "run-icount.log"), "w") as f:
            f.write(text)
        for m in RESULT.finditer(text):
            key = boot_key if m.group(1) == "linux_boot" else m.group(1)
            n = int(m.group(2))
            if m.group(3):
                insns = int(m.group(3))
            else:
                insns = int(m.group(4)) - int(m.group(5))
            results[key] = {"n": n, "insns": insns / n,
                                   "ns": int(m.group(4)) if m.group(4) else None,
                                   "idle_ns": int(m.group(5)) if m.group(5) else None}
    return results


def render(results):
    """The "Virtual machines" section of docs/bench.md."""
    rev, dirty = bench.git_revision()
    L = ["## Virtual machines", "",
         "Guests on the hypervisor kernel (`docs/vmm.md`), measured by `scripts/bench_vm.py` "
         "in the benchmark configuration with `CONFIG_KERNEL_EL2=y`, under "
         "`-icount shift=0,align=off,sleep=off`. The HVC and interrupt figures are counted by "
         "the PMU's INST_RETIRED event programmed for EL0, EL1 and EL2 (the guest, the kernel "
         "and the VMM PD), averaged over `ops` operations; they are exact and repeatable. The "
         "boot figure is virtual time under icount, one nanosecond per instruction while the "
         "CPU runs, less the time the guest was idle (stopped in WFI by its VMM), so it counts "
         "every instruction run meanwhile: the guest, its VMM, the kernel, and the other PDs of "
         "the system (the ticker and the serial drivers, a few thousand instructions a tick).",
         "",
         "Measured with `make bench` or, for this section alone, `/usr/bin/python3 "
         "scripts/bench_vm.py --doc`, at revision `%s`%s." % (rev, " (uncommitted changes)"
                                                             if dirty else ""), "",
         "| figure | operation | ops | instructions per op |", "|---|---|---:|---:|"]
    for key, what in FIGURES.items():
        r = results.get(key)
        if not r:
            continue
        extra = ""
        if key in TIME_ONLY:
            L.append("| `%s` | %s | %d | %.1f ms of virtual time |" % (key, what, r["n"],
                                                                     r["ns"] / 1e6))
            continue
        if r.get("ns") is not None:
            extra = " (%.1f ms of virtual time, %.1f ms idle)" % (r["ns"] / 1e6, r["idle_ns"] / 1e6)
        L.append("| `%s` | %s | %d | %s%s |" % (key, what, r["n"], "{:,}".format(round(r["insns"])),
                                               extra))
    L.append("")
    return "\n".join(L)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--doc", action="store_true", help="write the section into docs/bench.md")
    args = p.parse_args()
    try:
        section = render(run_all())
        if args.doc:
            bench.splice_section("Virtual machines", section)
            bench.log("bench: wrote the virtual-machine section of %s" % bench.rel(bench.DOC))
    except bench.Failure as e:
        print("bench: %s" % e)
        return 1
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
