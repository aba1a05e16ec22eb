#!/usr/bin/python3
"""Boot the kernel conformance suite once in QEMU and report every test.

    run.py --elf kernel-tests.elf --image loader.img --log FILE
           [--timeout S] [--silence S] [--only PREFIX,...]

The list of tests comes from the ELF's symbol table (one ktest_desc_<name>
symbol per TEST()), so a test that never printed its result is still
counted: as "FAIL name: no result" when the suite stopped while it ran, or
"FAIL name: not run" for the ones after it. QEMU is stopped when the root
task powers off, when the kernel reports that the driver thread faulted,
after --silence seconds without output, or at the --timeout limit.

Prints PASS/FAIL/SKIP lines as they arrive, then the tests without a
result, and ends with 'N passed, N failed[, N skipped]'. Exit status 1 if
any test failed or the suite did not finish.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import qemu_virt  # noqa: E402

RESULT = re.compile(r"^(PASS|FAIL|SKIP) ([A-Za-z0-9_]+)(?:: (.*))?$")
RUN = re.compile(r"^KT\|RUN ([A-Za-z0-9_]+)")
PLAN = re.compile(r"^KT\|PLAN (.*)$")
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")
# Kernel lines worth showing while the suite runs.
NOTABLE = re.compile(r"KT\|NOTE|KT\|WARN|KT\|INFO: watchdog|KERNEL\|(FAULT|PANIC|ERROR|WARN)|"
                     r"Caught|halting|panic", re.I)
# Characters sent to the guest's serial input (irq_uart_receive expects them).
SERIAL_INPUT = b"kt-rx\n"
# The kernel stopped the driver (the root thread): nothing more will come.
DRIVER_DEAD = re.compile(r"KERNEL\|FAULT: thread '(kt-driver|rootserver)'|KERNEL\|PANIC")


def expected_tests(elf, only):
    nm = os.environ.get("CROSS_COMPILE", "aarch64-linux-gnu-") + "nm"
    out = subprocess.run([nm, "-n", elf], stdout=subprocess.PIPE, text=True, check=True).stdout
    names = [m.group(1) for m in re.finditer(r"\sktest_desc_([A-Za-z0-9_]+)$", out, re.M)]
    if only:
        prefixes = [p for p in only.split(",") if p]
        names = [n for n in names if any(n.startswith(p) for p in prefixes)]
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--cores", type=int, default=1, help="QEMU -smp (CONFIG_MAX_NUM_NODES)")
    ap.add_argument("--silence", type=float, default=60)
    ap.add_argument("--only", default="")
    args = ap.parse_args()

    tests = expected_tests(args.elf, args.only)
    results = {}        # name -> (status, reason)
    order = []          # names in the order the guest reported them
    plan = []           # names in the guest's run order (KT|PLAN lines)
    last_kt = ""        # last KT| progress line
    current = None      # test the guest is running
    guest_summary = None
    stop_reason = None
    driver_dead_at = None

    os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    logf = open(args.log, "w")
    start = time.monotonic()
    last_output = start
    # MACHINE= runs on another virt machine (testsuite.py: the SMC tests
    # without EL2, where no firmware answers an SMC).
    machine = os.environ.get("MACHINE", qemu_virt.MACHINE)
    proc = subprocess.Popen(qemu_virt.command(args.image, machine=machine, cores=args.cores), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Serial input for irq_uart_receive (tests/kernel/irq.c): QEMU's PL011
    # takes it one character at a time as the guest reads them.
    proc.stdin.write(SERIAL_INPUT)
    proc.stdin.flush()
    os.set_blocking(proc.stdout.fileno(), False)
    pending = b""
    print(f"kernel-tests: {len(tests)} tests, booting QEMU (log: {args.log})", flush=True)

    def handle(line):
        nonlocal current, guest_summary, driver_dead_at, last_kt
        m = PLAN.match(line)
        if m:
            plan.extend(m.group(1).split())
            return
        if line.startswith("KT|") and not line.startswith("KT|RUN"):
            last_kt = line
        m = RESULT.match(line)
        if m:
            status, name, reason = m.group(1), m.group(2), m.group(3) or ""
            if name not in results:
                order.append(name)
            results[name] = (status, reason)
            if name == current:
                current = None
            print(line, flush=True)
            return
        m = RUN.match(line)
        if m:
            current = m.group(1)
            return
        m = SUMMARY.match(line)
        if m:
            guest_summary = line
            return
        if DRIVER_DEAD.search(line) and driver_dead_at is None:
            driver_dead_at = time.monotonic()
        if NOTABLE.search(line):
            print("    | " + line, flush=True)

    while True:
        chunk = proc.stdout.read()
        now = time.monotonic()
        if chunk:
            last_output = now
            logf.write(chunk.decode("utf-8", "replace"))
            logf.flush()
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                handle(raw.decode("utf-8", "replace").rstrip("\r"))
        elif proc.poll() is not None:
            break
        if driver_dead_at is not None and now - driver_dead_at > 1.0:
            stop_reason = "the kernel stopped the root task (driver thread)"
            break
        if now - start > args.timeout:
            stop_reason = f"time limit of {args.timeout:g} s reached"
            break
        if now - last_output > args.silence:
            stop_reason = f"no output for {args.silence:g} s"
            break
        time.sleep(0.02)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    rest = proc.stdout.read() or b""
    pending += rest
    logf.write(rest.decode("utf-8", "replace"))
    for raw in pending.split(b"\n"):
        if raw:
            handle(raw.decode("utf-8", "replace").rstrip("\r"))
    logf.close()
    elapsed = time.monotonic() - start

    if stop_reason is None and guest_summary is None:
        stop_reason = f"QEMU exited (status {proc.returncode}) before the closing line"
    if stop_reason:
        # Find the kernel's last words for the report.
        text = open(args.log, errors="replace").read().splitlines()
        last_kernel = [l for l in text if "KERNEL|" in l or "KT|NOTE" in l][-2:]
        detail = stop_reason
        if current is None and last_kt:
            detail += f"; the driver's last step: {last_kt!r}"
        if last_kernel:
            detail += "; last kernel output: " + " / ".join(last_kernel)
        print(f"kernel-tests: suite stopped: {detail}", flush=True)

    # report missing tests in the guest's order when it printed its plan
    ordered = [n for n in plan if n in tests] + [n for n in tests if n not in plan]
    missing = [n for n in ordered if n not in results]
    for name in missing:
        if name == current:
            reason = f"no result: the suite stopped while this test ran ({stop_reason})"
        else:
            reason = f"not run: the suite stopped before it ({stop_reason})"
        results[name] = ("FAIL", reason)
        print(f"FAIL {name}: {reason}", flush=True)
    unknown = [n for n in order if n not in tests]
    for name in unknown:
        print(f"kernel-tests: note: result for a test not in the ELF's table: {name}")

    passed = sum(1 for s, _ in results.values() if s == "PASS")
    failed = sum(1 for s, _ in results.values() if s == "FAIL")
    skipped = sum(1 for s, _ in results.values() if s == "SKIP")
    if guest_summary:
        print(f"kernel-tests: root task's own count: {guest_summary.replace(', ', ' / ')}")
    print(f"kernel-tests: QEMU ran {elapsed:.1f} s")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    return 1 if failed or stop_reason else 0


if __name__ == "__main__":
    sys.exit(main())
