"""The PDs of the running system, as the monitor built them: names and
scheduling parameters from its tables (struct system_tables, compiled from
the system description), each PD's TCB from the monitor's own capability to
it (pd_caps[i].tcb, looked up in the monitor's CSpace the way the kernel
would). Everything is read through the monitor's debug info.
"""
from dataclasses import dataclass

from .. import elf
from .target import TargetError, lookup_type, symbol_address

ROOT_THREAD_NAME = "rootserver"     # the kernel's name for the root task's thread
# A macro, so not in the debug info: pds/monitor/include/system_tables.h.
SYSTEM_TABLES_MAGIC = 0x53444654


@dataclass
class Pd:
    index: int
    name: str
    tcb: int            # kernel address of the TCB, 0 if not created yet
    table: object       # gdb.Value: struct sys_pd
    elf: str            # ELF with the PD's symbols, or None


@dataclass
class ChannelEnd:
    pd: int
    id: int
    peer: int
    peer_id: int
    notify: bool
    pp: bool


class Monitor:
    def __init__(self, machine, kernel, monitor_elf, programs):
        self.m, self.k = machine, kernel
        segs = elf.ElfFile(monitor_elf).segments()
        self.image = (min(s.vaddr for s in segs), max(s.vaddr + s.memsz for s in segs))
        self.programs = programs        # {PD name: ELF path}

    def thread(self):
        """Kernel address of the monitor's (root task's) TCB."""
        for t in self.k.threads():
            tcb = self.k.tcb(t)
            name = self.k.thread_name(tcb)
            if name == ROOT_THREAD_NAME or (not name and self.image[0] <= self.k.registers(tcb)["pc"] < self.image[1]):
                return t
        raise TargetError("the monitor's thread does not exist yet (has the kernel booted?)")

    def _space(self):
        tcb = self.k.tcb(self.thread())
        return self.k.vspace_root(tcb), self.k.tcb_cap(tcb, "tcb_cspace_root")

    def tables(self):
        root, _ = self._space()
        tables = self.m.user_value(root, lookup_type("struct system_tables"), symbol_address("system_tables"))
        if int(tables["magic"]) != SYSTEM_TABLES_MAGIC:
            raise TargetError("the monitor's system tables are not readable (magic "
                              f"0x{int(tables['magic']):x})")
        return root, tables

    def pds(self):
        root, tables = self.tables()
        _, cspace = self._space()
        pd_type = lookup_type("struct sys_pd")
        caps_type = lookup_type("struct pd_caps")
        caps_base = symbol_address("pd_caps")
        out = []
        for i in range(int(tables["pd_count"])):
            row = self.m.user_value(root, pd_type, int(tables["pds"]) + i * pd_type.sizeof)
            name = self.m.user_string(root, int(row["name"]))
            cptr = int(self.m.user_value(root, caps_type, caps_base + i * caps_type.sizeof)["tcb"])
            tcb = 0
            if cptr:
                cap = self.k.lookup(cspace, cptr)
                if cap.type == "thread":
                    tcb = cap.paddr + self.m.pptr_base
            out.append(Pd(i, name, tcb, row, self.programs.get(name)))
        return out

    def channel_ends(self):
        root, tables = self.tables()
        t = lookup_type("struct sys_channel_end")
        out = []
        for i in range(int(tables["channel_end_count"])):
            e = self.m.user_value(root, t, int(tables["channel_ends"]) + i * t.sizeof)
            out.append(ChannelEnd(int(e["pd"]), int(e["id"]), int(e["peer"]), int(e["peer_id"]),
                                  bool(e["notify"]), bool(e["pp"])))
        return out

    def system_name(self):
        root, tables = self.tables()
        return self.m.user_string(root, int(tables["system"])) if int(tables["system"]) else "?"
