#!/usr/bin/python3
"""Run one headless QEMU test: time limit, captured log, expected output.

    qemu-test.py --name NAME [--timeout S] [--log FILE]
                 [--expect REGEX]... [--forbid REGEX]... [--until REGEX [--grace S]]
                 [--expect-in SEQ REGEX]... [--send REGEX TEXT]... [--host REGEX CMD]
                 [--exit-code N] -- QEMU COMMAND...

The guest's serial console must be on QEMU's stdout (-serial stdio). The test
passes when every --expect pattern appears in order (--expect-in patterns in
order within their sequence SEQ, sequences independent of each other: output
of PDs that run concurrently), no --forbid pattern
appears, and QEMU exits with --exit-code (0: PSCI SYSTEM_OFF) before the
time limit. With --until, QEMU is stopped as soon as that pattern appears
and the exit status is not checked (for setups without a power-off path).
--send types TEXT (Python escapes: \r, \x14...) on the guest's console once
REGEX has appeared, after the previous --send's pattern; the console reads
QEMU's standard input.
--host runs the shell command CMD on the host once REGEX has appeared (a
test's other end, e.g. a network client); its output joins the log when it
ends, and the test fails if it exits non-zero or is still running at the
time limit.
Prints one line, PASS or FAIL, and on failure the end of the log.
"""
import argparse
import os
import re
import subprocess
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--name", required=True)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--log")
    p.add_argument("--expect", action="append", default=[])
    p.add_argument("--expect-in", nargs=2, action="append", default=[], metavar=("SEQ", "REGEX"))
    p.add_argument("--forbid", action="append", default=[])
    p.add_argument("--until")
    p.add_argument("--grace", type=float, default=0.0,
                   help="after --until matched, keep reading this many seconds (so that "
                        "--forbid also covers what follows)")
    p.add_argument("--send", nargs=2, action="append", default=[], metavar=("REGEX", "TEXT"))
    p.add_argument("--host", nargs=2, metavar=("REGEX", "CMD"))
    p.add_argument("--exit-code", type=int, default=0)
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args()
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        p.error("no QEMU command given after --")
    return args


def run(args):
    """Run QEMU; return (output text, exit status or None if stopped, timed out)."""
    start = time.monotonic()
    sends = [(re.compile(r), t.encode().decode("unicode_escape").encode("latin-1"))
             for r, t in args.send]
    proc = subprocess.Popen(args.command, stdin=subprocess.PIPE if sends else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.set_blocking(proc.stdout.fileno(), False)
    out = bytearray()
    send_from = 0
    until = re.compile(args.until) if args.until else None
    stopped = timed_out = False
    host = None
    while True:
        chunk = proc.stdout.read()
        if args.host and host is None and re.search(args.host[0], out.decode("utf-8", "replace")):
            host = subprocess.Popen(args.host[1], shell=True, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if host and host.poll() is not None and args.host_status is None:
            args.host_status = host.returncode
            chunk = (chunk or b"") + host.stdout.read()
        if chunk:
            out += chunk
            while sends:
                m = sends[0][0].search(out.decode("utf-8", "replace"), send_from)
                if not m:
                    break
                send_from = m.end()
                try:
                    proc.stdin.write(sends.pop(0)[1])
                    proc.stdin.flush()
                except OSError:
                    sends = []
            if until and not stopped and until.search(out.decode("utf-8", "replace")):
                stopped = True
                stop_at = time.monotonic() + args.grace
        if stopped and time.monotonic() >= stop_at:
            break
        elif not chunk and proc.poll() is not None:
            break
        if time.monotonic() - start > args.timeout:
            timed_out = True
            break
        time.sleep(0.01)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    if host and host.poll() is None:
        host.kill()
        host.wait()
    rest = proc.stdout.read()
    if rest:
        out += rest
    status = None if (stopped or timed_out) else proc.returncode
    return out.decode("utf-8", "replace").replace("\r\n", "\n"), status, timed_out, time.monotonic() - start


def check(args, text, status, timed_out):
    """Return the list of reasons the test failed (empty: passed)."""
    problems = []
    sequences = {"": args.expect}
    for seq, pattern in args.expect_in:
        sequences.setdefault(seq, []).append(pattern)
    for patterns in sequences.values():
        pos = 0
        for pattern in patterns:
            m = re.compile(pattern).search(text, pos)
            if not m:
                problems.append(f"expected output not found (in order): {pattern!r}")
                break
            pos = m.end()
    for pattern in args.forbid:
        m = re.search(pattern, text)
        if m:
            problems.append(f"forbidden output found: {m.group(0)!r}")
    if args.host and args.host_status is None:
        problems.append("the host command did not finish")
    elif args.host and args.host_status != 0:
        problems.append(f"the host command failed (exit status {args.host_status})")
    if timed_out:
        problems.append(f"time limit of {args.timeout:g} s reached")
    elif not args.until and status != args.exit_code:
        problems.append(f"QEMU exit status {status}, expected {args.exit_code}")
    return problems


def main():
    args = parse_args()
    args.host_status = None
    text, status, timed_out, elapsed = run(args)
    if args.log:
        os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
        with open(args.log, "w") as f:
            f.write(text)
    problems = check(args, text, status, timed_out)
    if not problems:
        print(f"PASS {args.name} ({elapsed:.1f} s)")
        return 0
    print(f"FAIL {args.name} ({elapsed:.1f} s): " + "; ".join(problems))
    tail = text.splitlines()[-15:]
    for line in tail:
        print(f"    | {line}")
    if args.log:
        print(f"    full log: {args.log}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
