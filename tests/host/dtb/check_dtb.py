#!/usr/bin/python3
"""Check every board's device tree (board/<board>/board.dts) against the facts
the rest of the tree holds, so the three cannot drift apart:

- it compiles with dtc, with no warning, from the generated memory.dtsi;
- /memory and /reserved-memory (no-map) say exactly what memory.map says;
- /chosen/stdout-path leads to the UART at board.h's BOARD_UART_PHYS;
- the GIC's distributor and CPU interface are board.h's, the kernel's timer
  PPIs (drivers/timer/timer.h) are the armv8 timer node's, the PSCI conduit
  is board.h's, every CPU starts through PSCI;
- memory.map's kernel devices lie inside some node's registers;
- on QEMU: every node that QEMU's own tree also has (same path) carries the
  same compatible, reg and interrupts (QEMU's tree dumped with the machine
  options of board.mk).

Ends with 'N passed, N failed'; exits 1 if anything failed.
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT = os.path.join(ROOT, "build", "test", "host", "dtb")
QEMU_TREE = ["qemu-system-aarch64", "-machine", "virt,virtualization=on,gic-version=2",
             "-cpu", "cortex-a53", "-m", "2G", "-nic", "none", "-display", "none"]
passed = failed = 0


def record(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS dtb/{name}", flush=True)
    else:
        failed += 1
        print(f"FAIL dtb/{name}" + (f": {detail}" if detail else ""), flush=True)
    return ok


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


class Tree:
    """A compiled tree, read with fdtget."""

    def __init__(self, dtb):
        self.dtb = dtb

    def subnodes(self, path):
        r = run(["fdtget", "-l", self.dtb, path])
        return r.stdout.split() if r.returncode == 0 else []

    def props(self, path):
        r = run(["fdtget", "-p", self.dtb, path])
        return r.stdout.split() if r.returncode == 0 else []

    def words(self, path, prop):
        r = run(["fdtget", "-t", "x", self.dtb, path, prop])
        return [int(w, 16) for w in r.stdout.split()] if r.returncode == 0 else None

    def string(self, path, prop):
        r = run(["fdtget", "-t", "s", self.dtb, path, prop])
        return r.stdout.rstrip("\n") if r.returncode == 0 else None

    def raw(self, path, prop):
        r = run(["fdtget", "-t", "bx", self.dtb, path, prop])
        return r.stdout.strip() if r.returncode == 0 else None

    def walk(self, path="/"):
        yield path
        for child in self.subnodes(path):
            yield from self.walk(path.rstrip("/") + "/" + child)

    def regs(self, path):
        """(base, size) pairs of a node with 2-cell addresses, translated
        through the parents' `ranges` (2-cell child, parent and size)."""
        words = self.words(path, "reg") or []
        pairs = [((words[i] << 32) | words[i + 1], (words[i + 2] << 32) | words[i + 3])
                 for i in range(0, len(words) - 3, 4)]
        parent = path.rsplit("/", 1)[0] or "/"
        while parent != "/":
            ranges = self.words(parent, "ranges") or []
            for i in range(0, len(ranges) - 5, 6):
                child = (ranges[i] << 32) | ranges[i + 1]
                to = (ranges[i + 2] << 32) | ranges[i + 3]
                size = (ranges[i + 4] << 32) | ranges[i + 5]
                pairs = [(b - child + to, s) if child <= b < child + size else (b, s)
                         for b, s in pairs]
            parent = parent.rsplit("/", 1)[0] or "/"
        return pairs


def memory_map(board):
    ranges = {"ram": [], "reserved": [], "device": []}
    for line in open(os.path.join(ROOT, "board", board, "memory.map")):
        fields = line.split("#")[0].split()
        if len(fields) >= 4:
            ranges[fields[0]].append((int(fields[1], 16), int(fields[2], 16), fields[3],
                                      fields[4] if len(fields) > 4 else ""))
    return ranges


def board_h(board):
    text = open(os.path.join(ROOT, "board", board, "board.h")).read()
    return {m.group(1): int(m.group(2), 0)
            for m in re.finditer(r"#define\s+(BOARD_\w+)\s+(0x[0-9a-fA-F]+|\d+)", text)}


def build(board):
    out = os.path.join(OUT, board)
    os.makedirs(out, exist_ok=True)
    dtsi = os.path.join(out, "memory.dtsi")
    r = run(["awk", "-v", "out=dtsi", "-f", "scripts/memmap.awk",
             os.path.join("board", board, "memory.map")])
    if not record(f"{board}/memory-dtsi", r.returncode == 0, r.stderr):
        return None
    open(dtsi, "w").write(r.stdout)
    dtb = os.path.join(out, f"{board}.dtb")
    r = run(["dtc", "-I", "dts", "-O", "dtb", "-i", out, "-o", dtb,
             os.path.join("board", board, "board.dts")])
    if not record(f"{board}/compiles-without-warnings", r.returncode == 0 and not r.stderr.strip(),
                  r.stderr.strip()):
        return None
    return Tree(dtb)


def check_memory(board, tree, mm):
    ram = sorted((b, s) for n in tree.subnodes("/") if n.startswith("memory@")
                 for b, s in tree.regs("/" + n))
    record(f"{board}/memory-is-memory.map", ram == sorted((b, s) for b, s, _, _ in mm["ram"]),
           f"tree {ram}, memory.map {mm['ram']}")
    reserved = [(n, tree.regs("/reserved-memory/" + n), "no-map" in tree.props("/reserved-memory/" + n))
                for n in tree.subnodes("/reserved-memory")]
    want = [(f"{name}@{base:x}", [(base, size)], True) for base, size, name, _ in mm["reserved"]]
    record(f"{board}/reserved-memory-is-memory.map", sorted(reserved) == sorted(want),
           f"tree {reserved}, memory.map {want}")


def node_with_compatible(tree, names):
    for path in tree.walk():
        compatible = tree.string(path, "compatible") or ""
        if any(n in compatible.split() for n in names):
            return path
    return None


def check_devices(board, tree, facts, mm):
    stdout = (tree.string("/chosen", "stdout-path") or "").split(":")[0]
    if stdout and not stdout.startswith("/"):
        stdout = tree.string("/aliases", stdout) or ""
    uart = tree.regs(stdout) if stdout else []
    record(f"{board}/stdout-path-is-the-console-uart",
           bool(uart) and uart[0][0] == facts["BOARD_UART_PHYS"], f"{stdout}: {uart}")
    gic = node_with_compatible(tree, ["arm,gic-400", "arm,cortex-a15-gic"])
    regs = tree.regs(gic) if gic else []
    record(f"{board}/gic-is-board.h", len(regs) == 4 and regs[0][0] == facts["BOARD_GICD_PHYS"]
           and regs[1][0] == facts["BOARD_GICC_PHYS"], f"{gic}: {regs}")
    timer = tree.words("/timer", "interrupts") or []
    ppis = [timer[i + 1] + 16 for i in range(0, len(timer) - 2, 3) if timer[i] == 1]
    # The kernel's timer (drivers/timer/timer.h: 27 at EL1, 26 at EL2) is one of them.
    record(f"{board}/timer-ppis", ppis == [29, 30, 27, 26], f"INTIDs {ppis}")
    method = tree.string("/psci", "method")
    record(f"{board}/psci-conduit-is-board.h",
           method == ("smc" if facts.get("BOARD_PSCI_USE_SMC") else "hvc"), f"method {method}")
    cpus = [c for c in tree.subnodes("/cpus") if c.startswith("cpu@")]
    record(f"{board}/cpus-start-through-psci", bool(cpus) and all(
        tree.string("/cpus/" + c, "enable-method") == "psci" for c in cpus), f"{cpus}")
    all_regs = [r for path in tree.walk() for r in tree.regs(path)]
    for base, size, name, flags in mm["device"]:
        if flags == "kernel":
            record(f"{board}/kernel-device-{name}-in-tree",
                   any(b <= base and base + size <= b + s for b, s in all_regs), hex(base))


def check_against_qemu(board, tree):
    with tempfile.TemporaryDirectory() as work:
        dump = os.path.join(work, "qemu.dtb")
        machine = QEMU_TREE[2] + f",dumpdtb={dump}"
        r = run(QEMU_TREE[:2] + [machine] + QEMU_TREE[3:])
        if not record(f"{board}/qemu-dumps-its-tree", os.path.exists(dump), r.stderr[-300:]):
            return
        qemu = Tree(dump)
        ours = set(tree.walk())
        compared = 0
        for path in qemu.walk():
            if path not in ours:
                continue
            differ = []
            for prop in ("compatible", "reg", "interrupts", "method", "device_type"):
                theirs, mine = qemu.raw(path, prop), tree.raw(path, prop)
                if theirs is not None or mine is not None:
                    compared += 1
                    if theirs != mine:
                        differ.append(f"{prop}: ours {mine}, QEMU's {theirs}")
            record(f"{board}/same-as-qemu:{path}", not differ, "; ".join(differ))
        record(f"{board}/same-as-qemu-compared-enough", compared >= 100, f"{compared} properties")


def main():
    boards = sorted(d for d in os.listdir(os.path.join(ROOT, "board"))
                    if os.path.isfile(os.path.join(ROOT, "board", d, "board.dts")))
    record("every-board-has-a-tree", boards == sorted(
        d for d in os.listdir(os.path.join(ROOT, "board"))
        if os.path.isfile(os.path.join(ROOT, "board", d, "defconfig"))), f"{boards}")
    for board in boards:
        tree = build(board)
        if tree is None:
            continue
        mm, facts = memory_map(board), board_h(board)
        check_memory(board, tree, mm)
        check_devices(board, tree, facts, mm)
        if board == "qemu_virt_aarch64":
            check_against_qemu(board, tree)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
