#!/usr/bin/python3
"""The device-driver figures of make bench (docs/bench.md, "Device drivers").

    bench_drivers.py [--only serial_timer|block|network]... [--doc]

prints the figures; --doc also writes them into docs/bench.md (its "Device
drivers" section, the rest of the file unchanged). `make bench` runs them
as part of the whole benchmark.

Each benchmark system of tests/bench/drivers/ is built in the benchmark
configuration (scripts/bench.py: CONFIG_BENCHMARK=y, release kernel) in
build/bench/drivers/<name>, then run twice in QEMU:

  - with -icount shift=0,align=off,sleep=off: the PDs count instructions
    with the PMU's INST_RETIRED event (every PD and the kernel, not the
    time the CPU sleeps), which is exact and repeatable;
  - without -icount: the same run in real time on this host, for times,
    throughput and packet rates (these vary from run to run and machine to
    machine).

The benchmark PDs print "BENCH|DRV <key> n=<ops> insns=<total> ns=<total>".
The network benchmark is driven from the host through a forwarded UDP port
on 127.0.0.1 (QEMU user networking): a ping-pong phase (one datagram in
flight: latency) and a windowed phase (32 in flight: throughput), each
closed by a "MARK <name>" datagram that makes the PD report.
"""
import argparse
import collections
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import bench

ROOT = bench.ROOT
DRIVERS = os.path.join(ROOT, "tests", "bench", "drivers")
RESULT = re.compile(r"BENCH\|DRV (\S+) n=(\d+) insns=(\d+) ns=(\d+)")
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]

# key: (group, what one operation is)
FIGURES = collections.OrderedDict([
    ("serial_line", ("Serial", "a 2-byte line: client buffer through serial_virt_tx (prefix "
                     "added, copied) and the UART driver until the buffer is back with the client")),
    ("timer_now", ("Timer", "time in ns: a protected procedure call of the timer driver")),
    ("timer_timeout", ("Timer", "a 1 us timeout: set by a PPC until the driver's notification "
                       "arrives (the timer interrupt and its handling included)")),
    ("blk_read_4k", ("Block", "read of 4 KiB, one request in flight (latency)")),
    ("blk_write_4k", ("Block", "write of 4 KiB, one request in flight (latency)")),
    ("blk_read_64k", ("Block", "read of 64 KiB, 8 requests in flight (throughput)")),
    ("blk_write_64k", ("Block", "write of 64 KiB, 8 requests in flight (throughput)")),
    ("net_udp_pingpong", ("Network", "UDP echo of a 64-byte datagram, one in flight "
                          "(latency): driver, both virtualisers, lwIP, back")),
    ("net_udp_window", ("Network", "UDP echo of a 64-byte datagram, 32 in flight "
                        "(throughput)")),
])
BYTES = {"blk_read_4k": 4096, "blk_write_4k": 4096, "blk_read_64k": 65536, "blk_write_64k": 65536}
PINGPONG, WINDOWED, WINDOW = 1000, 4000, 32


def build(name, base=None):
    out = os.path.join(base or os.path.join(ROOT, "build", "bench", "drivers"), name)
    bench.configure(out)
    bench.run(["make", f"O={out}", f"SYSTEM={os.path.join(DRIVERS, name + '.system')}"])
    return out, os.path.join(out, "images", "loader.img")


def parse(text):
    return {m.group(1): {"n": int(m.group(2)), "insns": int(m.group(3)), "ns": int(m.group(4))}
            for m in RESULT.finditer(text)}


def qemu(out, image, icount, extra=(), nic=False):
    """bench.py's QEMU command, without -icount in real-time runs, and
    without `-nic none` when `extra` brings a network device."""
    cmd, result, skip = bench.qemu_command(out, image), [], False
    for a in cmd:
        if skip:
            skip = False
            continue
        if (not icount and a == ICOUNT[0]) or (nic and a == "-nic"):
            skip = True
            continue
        result.append(a)
    return result + list(extra)


def run_simple(name, icount, extra=(), timeout=240, base=None):
    out, image = build(name, base)
    text = bench.run_qemu(qemu(out, image, icount, extra), r"BENCH\|DRV done", timeout)
    with open(os.path.join(out, f"run-{'icount' if icount else 'realtime'}.log"), "w") as f:
        f.write(text)
    return parse(text)


def block(icount):
    disk = os.path.join(ROOT, "build", "bench", "drivers", "disk.img")
    subprocess.run([bench.PYTHON, os.path.join(ROOT, "tests", "system", "block_disk.py"), "make",
                    disk], check=True)
    return run_simple("block", icount, ["-drive", f"file={disk},if=none,format=raw,id=disk0",
                                        "-device",
                                        "virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0"])


def udp_load(port):
    """Drive bench_echo; returns host-side figures {key: seconds per op, pps}."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    addr = ("127.0.0.1", port)
    payload = bytes(range(64))

    def exchange(data, tries=30):
        for _ in range(tries):
            s.sendto(data, addr)
            try:
                while True:
                    got, _ = s.recvfrom(2048)
                    if got == data:
                        return True
            except socket.timeout:
                continue
        return False

    if not exchange(b"MARK begin", tries=120):
        raise bench.Failure("bench_echo did not answer on UDP port %d" % port)
    start = time.monotonic()
    lost = 0
    for _ in range(PINGPONG):
        if not exchange(payload, tries=3):
            lost += 1
    pingpong = time.monotonic() - start
    exchange(b"MARK udp_pingpong")
    s.settimeout(0.5)
    sent = received = 0
    start = time.monotonic()
    while sent < WINDOW:
        s.sendto(payload, addr)
        sent += 1
    while received < WINDOWED:
        try:
            s.recvfrom(2048)
            received += 1
        except socket.timeout:
            lost += sent - received     # give up on those in flight, refill
            received = sent
        if sent < WINDOWED and sent - received < WINDOW:
            s.sendto(payload, addr)
            sent += 1
    windowed = time.monotonic() - start
    exchange(b"MARK udp_window")
    return {"net_udp_pingpong": {"host_s": pingpong / PINGPONG},
            "net_udp_window": {"host_s": windowed / WINDOWED, "pps": WINDOWED / windowed},
            "lost": lost}


def network(icount):
    out, image = build("network")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = qemu(out, image, icount, [
        "-netdev", f"user,id=net0,hostfwd=udp:127.0.0.1:{port}-10.0.2.15:1235",
        "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.8,mac=52:54:00:12:34:56"],
               nic=True)
    log = os.path.join(out, f"run-{'icount' if icount else 'realtime'}.log")
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)
        try:
            host = udp_load(port)
            time.sleep(0.5)
        finally:
            proc.kill()
            proc.wait()
    results = parse(open(log, errors="replace").read())
    for key in ("net_udp_pingpong", "net_udp_window"):
        results.setdefault(key, {}).update(host[key])
    results["net_lost"] = host["lost"]
    return results


def run_all(only=None):
    """Every figure, merged from the icount and the real-time runs."""
    merged = collections.OrderedDict()
    for name, fn in (("serial_timer", lambda ic: run_simple("serial_timer", ic)),
                     ("block", block), ("network", network)):
        if only and name not in only:
            continue
        bench.log(f"bench: drivers: {name} (icount, then real time)")
        counted, timed = fn(True), fn(False)
        for key in FIGURES:
            if key in counted or key in timed:
                c, t = counted.get(key, {}), timed.get(key, {})
                merged[key] = {"n": c.get("n") or t.get("n"),
                               "insns": c["insns"] / c["n"] if c.get("n") else None,
                               "ns": t["ns"] / t["n"] if t.get("n") else None,
                               "host_s": t.get("host_s"), "pps": t.get("pps")}
        if "net_lost" in timed or "net_lost" in counted:
            merged["net_lost"] = timed.get("net_lost", 0) + counted.get("net_lost", 0)
    return merged


def fmt_time(ns):
    if ns is None:
        return "-"
    return "%.1f us" % (ns / 1000) if ns >= 1000 else "%d ns" % ns


def render(results):
    """The "Device drivers" section of docs/bench.md."""
    L = ["## Device drivers", "",
         "Driver PDs, virtualisers and clients (`docs/drivers.md`), measured by the systems of "
         "`tests/bench/drivers/` (`scripts/bench_drivers.py`). **Instructions per operation** "
         "are counted under `-icount shift=0,align=off,sleep=off` by the PMU's INST_RETIRED "
         "event, which counts every instruction of every PD and of the kernel but not the time "
         "the CPU sleeps. Serial and timer figures are exact and repeatable; block and network "
         "ones depend on when QEMU's emulated devices complete, in host time (several requests "
         "or datagrams per interrupt, or one), and the network ones include lwIP's periodic "
         "timers: they vary between runs by a few percent (block) and some tens of percent "
         "(network). **Time** comes from a second run without "
         "`-icount`, in real time on the build host (TCG emulation: it varies with the host and "
         "the load, and is no measure of the hardware); for the network figures it is measured "
         "by the host program that sends the datagrams through QEMU's user network "
         "(`hostfwd` on 127.0.0.1), so it includes QEMU's user-mode network stack.", ""]
    rev, dirty = bench.git_revision()
    L.append("Measured with `make bench` or, for this section alone, `/usr/bin/python3 "
             "scripts/bench_drivers.py --doc`, at revision `%s`%s; `ops` is the number of "
             "operations each figure averages over." % (rev, " (uncommitted changes)" if dirty else ""))
    L.append("")
    L.append("| figure | operation | ops | instructions per op | time per op (no icount) | "
             "throughput (no icount) |")
    L.append("|---|---|---:|---:|---:|---:|")
    for key, (group, what) in FIGURES.items():
        r = results.get(key)
        if not r:
            continue
        ns = r["host_s"] * 1e9 if r.get("host_s") else r.get("ns")
        thr = "-"
        if key in BYTES and ns:
            thr = "%.1f MiB/s" % (BYTES[key] / (ns / 1e9) / (1 << 20))
        elif r.get("pps"):
            thr = "%d packets/s" % r["pps"]
        elif ns:
            thr = "%d ops/s" % (1e9 / ns)
        L.append("| `%s` | %s: %s | %s | %s | %s | %s |" % (
            key, group, what, r.get("n") or "-",
            "%d" % round(r["insns"]) if r.get("insns") is not None else "-",
            fmt_time(ns), thr))
    L.append("")
    if results.get("net_lost"):
        L.append("Datagrams lost (QEMU's user network drops under load; the windowed phase "
                 "refills): %d." % results["net_lost"])
        L.append("")
    return "\n".join(L)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", action="append", choices=["serial_timer", "block", "network"])
    p.add_argument("--doc", action="store_true", help="write the section into docs/bench.md")
    args = p.parse_args()
    try:
        results = run_all(args.only)
        section = render(results)
        if args.doc:
            bench.splice_section("Device drivers", section)
            bench.log("bench: wrote the device-driver section of %s" % bench.rel(bench.DOC))
    except bench.Failure as e:
        print("bench: %s" % e)
        return 1
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
