"""What gdb shows of the PDs.

Every PD is linked at the same addresses (Microkit's layout, _start at
0x200000), so gdb can hold only one PD's symbols for the live machine at a
time: the live inferior (QEMU) always has the symbols of the PD that runs
(or last ran) loaded next to the loader's, kernel's and monitor's.

A PD that is not running is shown in an inferior of its own: its registers
(from its TCB) and the memory of its address space (through its page
tables; device memory is left out, reading it could have effects) are
written to an ELF core file, which that inferior opens with the PD's ELF.
That view is a snapshot taken when it is selected; `pd switch` again takes
a new one.
"""
import os
import re

import gdb

from .. import elfcore, pagetable
from .target import LIVE_INFERIOR, on_live_inferior, select_core

MAX_SNAPSHOT_BYTES = 256 << 20


class Views:
    def __init__(self, session, work_dir):
        self.s = session
        self.work_dir = work_dir
        self.loaded = None              # ELF of the PD whose symbols the live inferior has
        self.inferiors = {}             # PD name -> inferior number of its snapshot view

    def load_live_symbols(self, pd):
        """Give the live inferior the symbols of `pd` (and no other PD's)."""
        if pd is None or pd.elf == self.loaded or pd.elf is None:
            return False
        with on_live_inferior():
            if self.loaded:
                gdb.execute(f"remove-symbol-file {self.loaded}", to_string=True)
            gdb.execute(f"add-symbol-file {pd.elf}", to_string=True)
        self.loaded = pd.elf
        return True

    def snapshot(self, pd):
        """Write the core file of a PD's current state; returns its path."""
        k, m = self.s.kernel, self.s.machine
        with on_live_inferior(), m.physical():
            tcb = k.tcb(pd.tcb)
            regs = k.registers(tcb)
            root = k.vspace_root(tcb)
            notes = [elfcore.prpsinfo(pd.name),
                     elfcore.prstatus([regs[f"x{i}"] for i in range(31)] +
                                      [regs["sp"], regs["pc"], regs["spsr"]])]
            fpu = k.fpu(pd.tcb)
            if fpu and pd.tcb not in k.fpu_owners():     # an owner's live state is in its core
                notes.append(elfcore.fpregset(*fpu))
            segments, total = [], 0
            for mp in pagetable.merge(pagetable.mappings(m.read_table, root, regime=m.vspace_regime)):
                if mp.device or total + mp.size > MAX_SNAPSHOT_BYTES:
                    continue
                segments.append((mp.vaddr, m.read(mp.paddr, mp.size), mp.writable, mp.executable))
                total += mp.size
        os.makedirs(self.work_dir, exist_ok=True)
        path = os.path.join(self.work_dir, f"{pd.name}.core")
        elfcore.write(path, notes, segments)
        return path

    def show(self, pd):
        """Switch gdb to `pd`: the live inferior if it runs at user level, else a
        snapshot view (in the kernel, the CPU's registers are the kernel's; the
        PD's are in its TCB)."""
        core = self.s.core_running(pd)
        if core is not None:
            gdb.execute(f"inferior {LIVE_INFERIOR}", to_string=True)
            select_core(core)
            if self.s.in_user_mode():
                self.load_live_symbols(pd)
                return "live"
        core = self.snapshot(pd)
        num = self.inferiors.get(pd.name)
        if num is None or not any(i.num == num for i in gdb.inferiors()):
            out = gdb.execute("add-inferior -no-connection", to_string=True)
            num = int(re.search(r"inferior (\d+)", out).group(1))
            self.inferiors[pd.name] = num
        gdb.execute(f"inferior {num}", to_string=True)
        if pd.elf:
            gdb.execute(f"file {pd.elf}", to_string=True)
        gdb.execute(f"core-file {core}", to_string=True)
        return "snapshot"
