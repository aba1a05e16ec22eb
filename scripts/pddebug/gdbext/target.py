"""Access to the machine under QEMU's gdbstub, whatever runs on it.

gdb reads memory through the CPU's current translation, so from a PD (EL0)
it cannot see the kernel, and it never sees another PD. QEMU's gdbstub has
a physical-memory mode (the `Qqemu.PhyMemMode` packet): every read here goes
through it, at physical addresses. The kernel maps physical address p at
PPTR_BASE + p, and links its own image inside that window, so a kernel
pointer becomes a physical address by subtracting PPTR_BASE; user addresses
are translated through the VSpace's page tables (pddebug.pagetable).
"""
import contextlib
import struct

import gdb

from .. import elf
from .. import pagetable

LIVE_INFERIOR = 1


class TargetError(Exception):
    pass


@contextlib.contextmanager
def on_live_inferior():
    """Run a block with the live QEMU inferior selected (PD views are other inferiors)."""
    current = gdb.selected_inferior().num
    if current != LIVE_INFERIOR:
        gdb.execute(f"inferior {LIVE_INFERIOR}", to_string=True)
    try:
        yield gdb.selected_inferior()
    finally:
        if current != LIVE_INFERIOR:
            gdb.execute(f"inferior {current}", to_string=True)


def core_of_thread(thread):
    """The core a live-inferior thread is: QEMU's gdbstub makes each vCPU a
    thread whose id (the ptid's lwp) is its index + 1."""
    if thread is None:
        return 0
    lwp = thread.ptid[1]
    return (lwp or thread.num) - 1


def select_core(core):
    """Select the live inferior's thread of `core`."""
    for thread in gdb.selected_inferior().threads():
        if core_of_thread(thread) == core:
            thread.switch()
            return
    raise TargetError(f"gdb has no thread for core {core}")


class Machine:
    def __init__(self, kernel_elf):
        segments = elf.ElfFile(kernel_elf).segments()
        if not segments:
            raise TargetError(f"{kernel_elf}: no loadable segment")
        # The kernel is linked at PPTR_BASE + its physical address.
        self.pptr_base = segments[0].vaddr - segments[0].paddr
        # The window is in the upper half (TTBR1_EL1) for an EL1 kernel, low
        # (TTBR0_EL2) for an EL2 one, whose VSpaces are stage-2 tables
        # (kernel/arch/aarch64/include/arch/vm_layout.h).
        self.vspace_regime = pagetable.STAGE1 if self.pptr_base >> 63 else pagetable.STAGE2
        self._phys_depth = 0
        self._tables = {}

    # ---------------------------------------------------------- physical memory
    @contextlib.contextmanager
    def physical(self):
        """QEMU's physical-memory mode for the block (nests; always switched back)."""
        if self._phys_depth == 0:
            if gdb.selected_inferior().num != LIVE_INFERIOR:
                raise TargetError("internal: physical reads need the live inferior selected")
            reply = gdb.execute("maint packet Qqemu.PhyMemMode:1", to_string=True)
            if "OK" not in reply:
                raise TargetError("the gdbstub has no physical-memory mode (QEMU is needed): "
                                  + reply.strip())
            self._tables = {}
        self._phys_depth += 1
        try:
            yield
        finally:
            self._phys_depth -= 1
            if self._phys_depth == 0:
                gdb.execute("maint packet Qqemu.PhyMemMode:0", to_string=True)

    def read(self, paddr, size):
        with self.physical():
            try:
                return bytes(gdb.selected_inferior().read_memory(paddr, size))
            except gdb.MemoryError as e:
                raise TargetError(f"cannot read physical 0x{paddr:x}+{size}: {e}") from None

    def read_words(self, paddr, count):
        return list(struct.unpack(f"<{count}Q", self.read(paddr, 8 * count)))

    def read_table(self, paddr):
        """One translation table (memoised within one physical-mode block)."""
        if paddr not in self._tables:
            self._tables[paddr] = self.read_words(paddr, pagetable.ENTRIES)
        return self._tables[paddr]

    # ---------------------------------------------------------- kernel memory
    def kernel_paddr(self, kptr):
        if kptr < self.pptr_base:
            raise TargetError(f"0x{kptr:x} is not a kernel pointer")
        return kptr - self.pptr_base

    def kernel_value(self, type_, kptr):
        """The object of gdb type `type_` at kernel address `kptr`."""
        return gdb.Value(self.read(self.kernel_paddr(kptr), type_.sizeof), type_)

    def kernel_word(self, kptr):
        return self.read_words(self.kernel_paddr(kptr), 1)[0]

    # ---------------------------------------------------------- user memory
    def user_read(self, root, vaddr, size):
        """Bytes at `vaddr` in the VSpace whose top-level table is at `root`."""
        out = bytearray()
        with self.physical():
            while size > 0:
                m = pagetable.translate(self.read_table, root, vaddr, self.vspace_regime)
                if m is None:
                    raise TargetError(f"0x{vaddr:x} is not mapped")
                chunk = min(size, m.vaddr + m.size - vaddr)
                out += self.read(m.paddr + (vaddr - m.vaddr), chunk)
                vaddr += chunk
                size -= chunk
        return bytes(out)

    def user_string(self, root, vaddr, limit=256):
        data = b""
        while len(data) < limit:
            chunk = self.user_read(root, vaddr + len(data), 16)
            if b"\0" in chunk:
                return (data + chunk[:chunk.index(b"\0")]).decode(errors="replace")
            data += chunk
        return data.decode(errors="replace")

    def user_value(self, root, type_, vaddr):
        return gdb.Value(self.user_read(root, vaddr, type_.sizeof), type_)


def symbol_address(name, file=None):
    """Address of a global or file-static symbol (of source `file`, if given),
    without reading it."""
    candidates = [gdb.lookup_global_symbol(name)] + list(gdb.lookup_static_symbols(name))
    candidates = [s for s in candidates if s is not None and not s.is_function]
    if file:
        candidates = [s for s in candidates if s.symtab and s.symtab.filename.endswith(file)]
    sym = candidates[0] if candidates else None
    if sym is None:
        raise TargetError(f"no symbol '{name}' (are the kernel and monitor symbols loaded?)")
    return int(sym.value().address)


def lookup_type(name):
    try:
        return gdb.lookup_type(name)
    except gdb.error:
        raise TargetError(f"no type '{name}' in the debug info") from None
