#!/usr/bin/python3
"""Name the code addresses in a serial log: fault backtraces and registers
from the monitor's reports, for builds whose log shows bare addresses
(CONFIG_FAULT_SYMBOLS=n, stripped PD images) or to add source lines.

    scripts/symbolise.py [-O BUILD_DIR] [--system FILE] [--pd NAME=ELF]... [LOG]

Reads LOG (or standard input) and writes it with each address of a faulting
PD followed by `function+offset (file:line)`. The PD is the one the report
names ("MON|ERROR: faulting PD: NAME"); its ELF is found from the system
description (--system) in BUILD_DIR/system/elf (default
build/qemu_virt_aarch64), or given with --pd. The ELF files must be the
ones of the build that wrote the log. docs/debugging.md has an example.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pddebug import elf, system  # noqa: E402

FAULTING_PD = re.compile(r"MON\|ERROR: faulting PD: (\S+)")
FRAME = re.compile(r"^(MON\|ERROR:\s+#(\d+) 0x([0-9a-f]{16}))(.*)$")
PC = re.compile(r"^(pc : 0x([0-9a-f]{16}))\s*$")
ADDR2LINE = "aarch64-linux-gnu-addr2line"


class Symboliser:
    def __init__(self, programs):
        self.programs = programs        # PD name -> ELF path
        self.files = {}

    def _elf(self, pd):
        path = self.programs.get(pd)
        if not path or not os.path.isfile(path):
            return None
        if path not in self.files:
            self.files[path] = elf.ElfFile(path)
        return self.files[path]

    def name(self, pd, address, return_address):
        """'function+0xoff (file:line)' or None."""
        image = self._elf(pd)
        if image is None:
            return None
        probe = address - 4 if return_address else address
        func = image.symbolise(probe)
        if func is None:
            return None
        base, off = func.rsplit("+0x", 1)
        text = f"{base}+0x{int(off, 16) + (address - probe):x}"
        line = source_line(image.path, probe)
        return f"{text} ({line})" if line else text


def source_line(path, address):
    if not shutil.which(ADDR2LINE):
        return None
    r = subprocess.run([ADDR2LINE, "-e", path, f"0x{address:x}"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    line = r.stdout.strip().splitlines()[0] if r.stdout.strip() else ""
    return None if not line or line.startswith("??") else line


def annotate(lines, sym):
    pd = None
    for line in lines:
        line = line.rstrip("\n")
        m = FAULTING_PD.search(line)
        if m:
            pd = m.group(1)
        m = FRAME.match(line)
        if m and pd:
            named = sym.name(pd, int(m.group(3), 16), return_address=m.group(2) != "0")
            if named:
                line = f"{m.group(1)} {named}"
        m = PC.match(line)
        if m and pd:
            named = sym.name(pd, int(m.group(2), 16), return_address=False)
            if named:
                line = f"{m.group(1)}  {named}"
        yield line


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-O", dest="build", default="build/qemu_virt_aarch64",
                   help="build directory (default %(default)s)")
    p.add_argument("--system", help="the .system file of the build")
    p.add_argument("--pd", action="append", default=[], metavar="NAME=ELF",
                   help="the ELF of PD NAME (overrides --system)")
    p.add_argument("log", nargs="?", help="serial log (default: standard input)")
    args = p.parse_args(argv)
    elf_dir = os.path.join(args.build, "system", "elf")
    programs = {}
    if args.system:
        programs.update(system.pd_programs(args.system, elf_dir))
    elif os.path.isdir(elf_dir):
        # Without the description, a PD named like its program is still found.
        programs.update({f[:-4]: os.path.join(elf_dir, f) for f in os.listdir(elf_dir) if f.endswith(".elf")})
    for item in args.pd:
        name, _, path = item.partition("=")
        if not path:
            p.error(f"--pd {item}: expected NAME=ELF")
        programs[name] = path
    text = open(args.log, errors="replace") if args.log else sys.stdin
    for line in annotate(text, Symboliser(programs)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
