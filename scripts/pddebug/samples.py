"""The sampling profiler's samples on the host: read the lines the profiler PD
writes on the serial port (pds/profiler/profiler.c), give each sample its PD
and function names, and turn them into `perf script` text, flame graphs (SVG)
and the `samples` of a pd-profile (profile.py). docs/debugging.md, "Sampling
profiler"; scripts/pdprofile.py is the command line.

Lines (hexadecimal but for time, event, cores, core and counts):
  PROF|H <period> <event> <timer_hz> <capacity> [<cores>]
  PROF|T <thread> <badge> <name>
  PROF|C <core> <thread> <badge> <time> <pc> [<return address>...]
  PROF|S <thread> <badge> <time> <pc> [<return address>...]   (core 0)
  PROF|N <records exported> <samples dropped>

or, exported to a block device, a disk image (parse_disk; the format is
pds/include/profiler_disk.h's).
"""
import hashlib
import html
import os
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from . import elf

FAULT_BADGE = 1 << 62
EVENTS = {0: "cycles", 1: "instructions"}
LINE = re.compile(r"PROF\|([HTSCN]) ([^\r\n]*)")


@dataclass
class Sample:
    thread: int
    badge: int
    time: int
    pc: int
    chain: list
    core: int = 0


@dataclass
class Capture:
    period: int = 0
    event: str = "cycles"
    timer_hz: int = 0
    capacity: int = 0
    cores: int = 1
    names: dict = field(default_factory=dict)       # thread -> name (debug kernels)
    samples: list = field(default_factory=list)
    exported: int = 0
    dropped: int = 0
    bad_lines: int = 0


def parse(lines):
    """A Capture from serial-log lines; lines that do not parse are counted."""
    cap = Capture()
    for line in lines:
        for kind, rest in LINE.findall(line):
            words = rest.split()
            try:
                if kind == "H" and len(words) in (4, 5):
                    cap.period = int(words[0], 16)
                    cap.event = EVENTS.get(int(words[1]), "events")
                    cap.timer_hz, cap.capacity = int(words[2]), int(words[3])
                    cap.cores = int(words[4]) if len(words) == 5 else 1
                elif kind == "T" and len(words) == 3:
                    cap.names[int(words[0], 16)] = words[2]
                elif kind == "S" and len(words) >= 4:
                    cap.samples.append(Sample(int(words[0], 16), int(words[1], 16), int(words[2]),
                                              int(words[3], 16), [int(w, 16) for w in words[4:]]))
                elif kind == "C" and len(words) >= 5:
                    cap.samples.append(Sample(int(words[1], 16), int(words[2], 16), int(words[3]),
                                              int(words[4], 16), [int(w, 16) for w in words[5:]],
                                              core=int(words[0])))
                elif kind == "N" and len(words) == 2:
                    cap.exported, cap.dropped = int(words[0]), int(words[1])
                else:
                    cap.bad_lines += 1
            except ValueError:
                cap.bad_lines += 1
    return cap


# pds/include/profiler_disk.h and kernel/uapi/profiler.h (tests/host/debug
# checks these against the C headers).
DISK_MAGIC = b"PDPROFIL"
DISK_VERSION = 1
DISK_BLOCK = 4096
DISK_HEADER = struct.Struct("<8sIIQQQQQQQQQ")     # struct profiler_disk_header
RECORD = struct.Struct("<HHIQQQQ11Q")               # struct profiler_record
RECORD_SAMPLE, RECORD_THREAD_NAME = 1, 2
SECTOR = 512


class DiskError(Exception):
    pass


def find_disk_partition(image):
    """The byte offset of the profiler's data in a disk image: the image
    itself if it starts with it, else the first MBR partition that does."""
    if image[:len(DISK_MAGIC)] == DISK_MAGIC:
        return 0
    if len(image) >= SECTOR and image[510:512] == b"\x55\xaa":
        for i in range(4):
            entry = image[446 + 16 * i:446 + 16 * (i + 1)]
            kind, first = entry[4], struct.unpack_from("<I", entry, 8)[0]
            start = first * SECTOR
            if kind and image[start:start + len(DISK_MAGIC)] == DISK_MAGIC:
                return start
    raise DiskError("no profiler data on this disk (neither at its start nor at the start of an "
                    "MBR partition)")


def parse_disk(image):
    """A Capture from a disk image the profiler PD wrote (bytes)."""
    base = find_disk_partition(image)
    if len(image) < base + DISK_HEADER.size:
        raise DiskError("the profiler's header is cut short")
    (magic, version, record_size, records, dropped, capacity, full, writes, period, event,
     timer_hz, cores) = DISK_HEADER.unpack_from(image, base)
    if version != DISK_VERSION or record_size != RECORD.size:
        raise DiskError(f"profiler disk version {version}, records of {record_size} bytes: this "
                        f"tool reads version {DISK_VERSION}, {RECORD.size} bytes")
    cap = Capture(period=period, event=EVENTS.get(event, "events"), timer_hz=timer_hz,
                  cores=cores or 1, exported=records, dropped=dropped)
    for n in range(records):
        offset = base + DISK_BLOCK + n * RECORD.size
        if offset + RECORD.size > len(image):
            cap.bad_lines += records - n     # the image ends before the header says
            break
        kind, core, depth, thread, badge, time, pc, *chain = RECORD.unpack_from(image, offset)
        if kind == RECORD_SAMPLE and depth <= len(chain):
            cap.samples.append(Sample(thread, badge, time, pc, list(chain[:depth]), core=core))
        elif kind == RECORD_THREAD_NAME:
            raw = image[offset + 40:offset + RECORD.size].split(b"\0", 1)[0]
            # As the profiler PD writes names on the serial port.
            cap.names[thread] = "".join(chr(c) if 0x20 < c < 0x7f else "_" for c in raw)
        else:
            cap.bad_lines += 1
    return cap


def fault_badges(system_file):
    """{fault-handler badge: PD name} as the monitor gives them: a root PD's
    is its index + 1, a child's FAULT_BADGE | id (kept only where one child
    has that id, since ids are per parent)."""
    root = ET.parse(system_file).getroot()
    badges, child_ids = {}, {}
    index = 0

    def walk(element, parent):
        nonlocal index
        for pd in element.findall("protection_domain"):
            name = pd.get("name")
            if parent is None:
                badges[index + 1] = name
            else:
                child_ids.setdefault(FAULT_BADGE | int(pd.get("id", "0"), 0), []).append(name)
            index += 1
            walk(pd, name)
    walk(root, None)
    for badge, names in child_ids.items():
        if len(names) == 1:
            badges[badge] = names[0]
    return badges


class Resolver:
    """PD and function names for samples, from the build's ELF files."""

    def __init__(self, programs, badges, names):
        self.programs = programs        # PD name -> ELF path
        self.badges = badges            # fault badge -> PD name
        self.names = names              # thread -> thread name (PROF|T)
        self.files = {}

    def pd(self, sample):
        if sample.thread == 0:
            return "idle"
        name = self.names.get(sample.thread)
        if name == "rootserver":
            return "monitor"
        if name in self.programs:
            return name
        return self.badges.get(sample.badge) or name or f"thread-{sample.thread:x}"

    def _elf(self, pd):
        path = self.programs.get(pd)
        if path in self.files:
            return self.files[path]
        if not path or not os.path.isfile(path):
            return None
        self.files[path] = elf.ElfFile(path)
        return self.files[path]

    def frame(self, pd, address, return_address):
        """(function, 'function+0xoff' or hex, ELF path or '[unknown]')."""
        image = self._elf(pd)
        probe = address - 4 if return_address else address
        sym = image.symbolise(probe) if image else None
        if not sym:
            return f"0x{address:x}", f"0x{address:x}", image.path if image else "[unknown]"
        base, off = sym.rsplit("+0x", 1)
        return base, f"{base}+0x{int(off, 16) + (address - probe):x}", image.path

    def frames(self, pd, sample):
        """[(function, symbol, dso, address)], innermost first."""
        if pd == "idle":
            return [("idle", "idle", "[kernel]", 0)]
        out = [self.frame(pd, sample.pc, False) + (sample.pc,)]
        out += [self.frame(pd, a, True) + (a,) for a in sample.chain]
        return out


def resolve(capture, system_file=None, elf_dir=None, programs=None):
    """[(pd, frames)] for every sample; frames as Resolver.frames."""
    if programs is None:
        from . import system
        programs = {k: v for k, v in system.pd_programs(system_file, elf_dir).items() if v}
    badges = fault_badges(system_file) if system_file else {}
    r = Resolver(programs, badges, capture.names)
    out = []
    for s in capture.samples:
        pd = r.pd(s)
        out.append((pd, r.frames(pd, s)))
    return out


def fold(resolved):
    """{(pd, (function, ...innermost first)): count}."""
    stacks = {}
    for pd, frames in resolved:
        key = (pd, tuple(f[0] for f in frames))
        stacks[key] = stacks.get(key, 0) + 1
    return stacks


def top_functions(stacks):
    """{pd: [(function, count)] by count} of the innermost frames, and {pd: samples}."""
    per_pd, leaf = {}, {}
    for (pd, frames), n in stacks.items():
        per_pd[pd] = per_pd.get(pd, 0) + n
        d = leaf.setdefault(pd, {})
        d[frames[0]] = d.get(frames[0], 0) + n
    return {pd: sorted(f.items(), key=lambda kv: (-kv[1], kv[0])) for pd, f in leaf.items()}, per_pd


def per_core(capture, resolved):
    """{core: {pd: [samples, {innermost function: samples}]}}."""
    cores = {}
    for s, (pd, frames) in zip(capture.samples, resolved):
        entry = cores.setdefault(s.core, {}).setdefault(pd, [0, {}])
        entry[0] += 1
        entry[1][frames[0][0]] = entry[1].get(frames[0][0], 0) + 1
    return cores


# ------------------------------------------------------------ perf script

def perf_script(capture, resolved, pd_ids):
    """Text in `perf script`'s default form: a header line per sample
    (comm pid/tid [cpu] time: period event:, cpu the core that took it,
    period the mean one), then one line per frame
    (address symbol+offset (dso)), then a blank line. Flame-graph tools
    (stackcollapse-perf.pl, speedscope, Firefox Profiler) read it."""
    lines = []
    hz = capture.timer_hz or 1
    for s, (pd, frames) in zip(capture.samples, resolved):
        pid = pd_ids.get(pd, 0)
        lines.append(f"{pd} {pid}/{pid} [{s.core:03d}] {s.time / hz:.6f}: {capture.period} {capture.event}: ")
        for _, sym, dso, address in frames:
            lines.append(f"\t{address:16x} {sym} ({dso})")
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")


# ------------------------------------------------------------ flame graphs

def _colour(name):
    h = int(hashlib.sha1(name.encode()).hexdigest()[:6], 16)
    return f"rgb({205 + h % 50},{80 + (h >> 8) % 120},{(h >> 16) % 55})"


def _tree(stacks, pd=None):
    """Nested {name: [count, children]} from the root outwards."""
    root = [0, {}]
    for (spd, frames), n in stacks.items():
        if pd is not None and spd != pd:
            continue
        path = ([] if pd is not None else [spd]) + list(reversed(frames))
        root[0] += n
        node = root
        for name in path:
            node = node[1].setdefault(name, [0, {}])
            node[0] += n
    return root


def flamegraph(stacks, title, pd=None, width=1200, frame_height=17):
    """An SVG flame graph: callers below, callees above, widths by samples.
    pd=None: the whole system, one tower per PD."""
    root = _tree(stacks, pd)
    total = root[0]
    rects = []

    def depth_of(node):
        return 1 + max((depth_of(c) for c in node[1].values()), default=0)

    depth = depth_of(root)
    height = (depth + 2) * frame_height + 30

    def draw(node, name, x, level):
        w = node[0] / total * (width - 20) if total else 0
        if w < 0.3:
            return
        y = height - (level + 1) * frame_height - 10
        label = html.escape(name)
        pct = 100.0 * node[0] / total
        text = name if len(name) * 7 < w - 6 else (name[: max(int((w - 6) / 7) - 2, 0)] + ".."
                                                     if w > 30 else "")
        rects.append(f'<g><title>{label} ({node[0]} samples, {pct:.2f}%)</title>'
                     f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{frame_height - 1}" '
                     f'fill="{_colour(name)}" rx="2"/>'
                     f'<text x="{x + 3:.1f}" y="{y + frame_height - 5}">{html.escape(text)}</text></g>')
        cx = x
        for child_name, child in sorted(node[1].items()):
            draw(child, child_name, cx, level + 1)
            cx += child[0] / total * (width - 20)

    draw(root, "all" if pd is None else pd, 10, 0)
    return (f'<?xml version="1.0" standalone="no"?>\n'
            f'<svg version="1.1" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="Verdana, sans-serif" font-size="12">\n'
            f'<rect width="100%" height="100%" fill="#f8f8f0"/>\n'
            f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="16">'
            f'{html.escape(title)} ({total} samples)</text>\n' + "\n".join(rects) + "\n</svg>\n")


# ------------------------------------------------------------ pd-profile

def profile_samples(capture, stacks, times=None):
    """The `samples` object of a pd-profile (profile.py); `times` (kernel
    ticks) of the samples counted, for the mean interval between them."""
    times = [s.time for s in capture.samples] if times is None else times
    period_us = None
    if len(times) > 1 and capture.timer_hz:
        period_us = (max(times) - min(times)) / (len(times) - 1) / capture.timer_hz * 1e6
    return {"period_us": period_us, "total": sum(stacks.values()),
            "stacks": [{"pd": pd, "frames": list(frames), "count": n}
                       for (pd, frames), n in sorted(stacks.items(), key=lambda kv: -kv[1])]}
