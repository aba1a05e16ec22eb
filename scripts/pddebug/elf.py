"""Reading the few things the debugging tools need from an ELF64 file:
loadable segments and function symbols. Pure Python, no dependencies."""
import bisect
import struct
from dataclasses import dataclass

PT_LOAD = 1
SHT_SYMTAB = 2
STT_FUNC = 2


@dataclass(frozen=True)
class Segment:
    vaddr: int
    paddr: int
    memsz: int


class ElfFile:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        if self.data[:4] != b"\x7fELF" or self.data[4] != 2 or self.data[5] != 1:
            raise ValueError(f"{path}: not a little-endian ELF64 file")
        (self.type, self.machine, _, self.entry, self.phoff, self.shoff, _, _, self.phentsize,
         self.phnum, self.shentsize, self.shnum, _) = struct.unpack_from("<HHIQQQIHHHHHH", self.data, 16)
        self.path = path
        self._functions = None

    def segments(self):
        out = []
        for i in range(self.phnum):
            p_type, _, _, vaddr, paddr, _, memsz, _ = struct.unpack_from(
                "<IIQQQQQQ", self.data, self.phoff + i * self.phentsize)
            if p_type == PT_LOAD:
                out.append(Segment(vaddr, paddr, memsz))
        return out

    def _section(self, i):
        return struct.unpack_from("<IIQQQQIIQQ", self.data, self.shoff + i * self.shentsize)

    def _symbols(self):
        """[(value, size, type, name)] of every named symbol."""
        out = []
        for i in range(self.shnum):
            _, sh_type, _, _, offset, size, link, _, _, entsize = self._section(i)
            if sh_type != SHT_SYMTAB or not entsize:
                continue
            str_offset = self._section(link)[4]
            for k in range(size // entsize):
                name_off, info, _, _, value, sym_size = struct.unpack_from(
                    "<IBBHQQ", self.data, offset + k * entsize)
                if not name_off:
                    continue
                end = self.data.index(b"\0", str_offset + name_off)
                out.append((value, sym_size, info & 0xf, self.data[str_offset + name_off:end].decode()))
        return out

    def symbol(self, name):
        """(address, size) of the symbol `name`, or None."""
        return next(((v, sz) for v, sz, _, n in self._symbols() if n == name), None)

    def functions(self):
        """Sorted [(address, size, name)] of the function symbols (empty if stripped)."""
        if self._functions is None:
            self._functions = sorted((v, sz, n) for v, sz, t, n in self._symbols() if t == STT_FUNC and v)
            self._starts = [f[0] for f in self._functions]
        return self._functions

    def symbolise(self, address):
        """'name+0xoff' for the function holding `address`, or None."""
        funcs = self.functions()
        i = bisect.bisect_right(self._starts, address) - 1
        if i < 0:
            return None
        start, size, name = funcs[i]
        if address >= start + max(size, 1):
            return None
        return f"{name}+0x{address - start:x}"
