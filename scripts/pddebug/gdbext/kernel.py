"""The kernel's objects, read through its debug info: fields are found by
name (and the saved user registers by their type, user_context_t, wherever
the TCB keeps them), never by hard-coded offsets, so the extension follows
the kernel's structures (kernel/include/object/structures.h) as they change.
"""
import gdb

from .. import caps as capdecode
from .target import TargetError, lookup_type, symbol_address

REGISTER_NAMES = [f"x{i}" for i in range(31)] + ["sp", "pc", "spsr", "tpidr_el0", "tpidrro_el0"]


def enum_names(type_name):
    return {int(f.enumval): f.name for f in lookup_type(type_name).strip_typedefs().fields()}


def _find_member(type_, wanted, path=()):
    """Field path to the first member (depth first) whose type is named `wanted`."""
    for f in type_.strip_typedefs().fields():
        if f.name is None:
            continue
        if f.type.name == wanted or f.type.strip_typedefs().tag == wanted.removesuffix("_t"):
            return path + (f.name,)
        if f.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
            found = _find_member(f.type, wanted, path + (f.name,))
            if found:
                return found
    return None


def node_field_address(path, core=0):
    """Kernel address of a field of a core's per-core state, `nodes[core]`
    (struct node, kernel/include/kernel/node.h), e.g. ("arch", "fpu"); found
    from the debug info without reading memory."""
    addr = symbol_address("nodes")
    type_ = lookup_type("struct node")
    addr += core * type_.sizeof
    for name in path:
        field = next((f for f in type_.strip_typedefs().fields() if f.name == name), None)
        if field is None:
            raise TargetError(f"struct node has no field {'.'.join(path)}: the extension needs updating")
        addr += field.bitpos // 8
        type_ = field.type
    return addr


def member(value, path):
    for name in path:
        value = value[name]
    return value


class Kernel:
    def __init__(self, machine):
        self.m = machine
        self.tcb_type = lookup_type("tcb_t")
        self.sc_type = lookup_type("sched_context_t")
        self.cte_type = lookup_type("cte_t")
        self.refill_type = lookup_type("refill_t")
        self.cap_types = enum_names("enum cap_type")
        self.states = {k: v.replace("thread_", "").replace("_", " ")
                       for k, v in enum_names("enum thread_state").items()}
        self.queues = {k: v.replace("queued_", "") for k, v in enum_names("enum sched_queue").items()}
        self.tcb_slots = {v: k for k, v in enum_names("enum tcb_cap_slot").items()}
        self.ctx_path = _find_member(self.tcb_type, "user_context_t")
        if self.ctx_path is None:
            raise TargetError("tcb_t holds no user_context_t: the extension needs updating")
        self.has_names = any(f.name == "name" for f in self.tcb_type.strip_typedefs().fields())

    # ------------------------------------------------------------ threads
    def cores(self):
        """How many cores the kernel was built for (the length of nodes[])."""
        sym = gdb.lookup_global_symbol("nodes") or gdb.lookup_static_symbol("nodes")
        return max(sym.type.sizeof // lookup_type("struct node").sizeof, 1) if sym else 1

    def current_thread(self, core=0):
        """The thread core `core` runs (0: idle)."""
        return self.m.kernel_word(node_field_address(("running",), core))

    def running_threads(self):
        """{TCB address: core} of every core's running thread."""
        out = {}
        for core in range(self.cores()):
            tcb = self.current_thread(core)
            if tcb:
                out[tcb] = core
        return out

    def threads(self):
        """TCB addresses the kernel knows (the debug list behind DumpScheduler)."""
        table = lookup_type("tcb_t").pointer()  # element type of the list
        addr = symbol_address("known_threads", "debug.c")
        sym = gdb.lookup_static_symbol("known_threads") or gdb.lookup_global_symbol("known_threads")
        count = sym.type.sizeof // table.sizeof
        words = self.m.read_words(self.m.kernel_paddr(addr), count)
        return [w for w in words if w]

    def tcb(self, addr):
        return self.m.kernel_value(self.tcb_type, addr)

    def thread_name(self, tcb):
        if not self.has_names:
            return ""
        return bytes(int(c) & 0xff for c in _array(tcb["name"])).split(b"\0")[0].decode(errors="replace")

    def state(self, tcb):
        return self.states.get(int(tcb["state"]), str(int(tcb["state"])))

    def registers(self, tcb):
        """{name: value} of the thread's saved user registers."""
        ctx = member(tcb, self.ctx_path)
        names = [f.name for f in ctx.type.strip_typedefs().fields()]
        if not {"x", "sp_el0", "elr", "spsr"} <= set(names):
            raise TargetError(f"user_context_t has fields {names}: the extension needs updating")
        regs = {f"x{i}": int(ctx["x"][i]) & (2**64 - 1) for i in range(31)}
        regs.update(sp=int(ctx["sp_el0"]), pc=int(ctx["elr"]), spsr=int(ctx["spsr"]))
        for extra in ("tpidr_el0", "tpidrro_el0"):
            if extra in names:
                regs[extra] = int(ctx[extra])
        return {k: v & (2**64 - 1) for k, v in regs.items()}

    def fpu(self, addr):
        """(v0..v31, fpsr, fpcr) saved in the TCB at `addr`, or None. Read raw:
        gdb's Python cannot convert 128-bit integers."""
        field = next((f for f in self.tcb_type.strip_typedefs().fields() if f.name == "fpu"), None)
        if field is None:
            return None
        fields = {f.name: f for f in field.type.strip_typedefs().fields()}
        base = self.m.kernel_paddr(addr) + field.bitpos // 8
        raw = self.m.read(base, field.type.sizeof)
        v_off = fields["v"].bitpos // 8
        vregs = [int.from_bytes(raw[v_off + 16 * i:v_off + 16 * i + 16], "little") for i in range(32)]
        word = lambda name: int.from_bytes(raw[fields[name].bitpos // 8:][:4], "little")
        return vregs, word("fpsr"), word("fpcr")

    def fpu_owners(self):
        """TCBs whose FPU state is live in some core's registers, not in their TCB."""
        try:
            return {self.m.kernel_word(node_field_address(("arch", "fpu"), core))
                    for core in range(self.cores())} - {0}
        except TargetError:
            return set()

    # ------------------------------------------------------------ capabilities
    def tcb_cap(self, tcb, slot):
        cte = tcb["caps"][self.tcb_slots[slot]]
        return self.decode(cte)

    def decode(self, cte):
        cap = cte["cap"]
        return capdecode.decode(int(cap["w0"]) & (2**64 - 1), int(cap["w1"]) & (2**64 - 1),
                                self.cap_types)

    def cnode_slots(self, cnode_paddr, radix):
        """[(index, Cap)] of the non-empty slots of a CNode."""
        size = self.cte_type.sizeof
        raw = self.m.read(cnode_paddr, size << radix)
        out = []
        for i in range(1 << radix):
            w0, w1 = int.from_bytes(raw[i * size:i * size + 8], "little"), \
                int.from_bytes(raw[i * size + 8:i * size + 16], "little")
            if w0 >> capdecode.TYPE_SHIFT:
                out.append((i, capdecode.decode(w0, w1, self.cap_types)))
        return out

    def lookup(self, root, cptr, depth=64):
        """The Cap a CPtr names in the CSpace whose root CNode cap is `root` (seL4's walk)."""
        cap = root
        while True:
            if cap.type != "cnode":
                return cap
            index, used = capdecode.cnode_index(cptr, depth, cap.details["radix"],
                                                cap.details["guard_bits"], int(cap.details["guard"], 16))
            if index is None:
                raise TargetError(f"CPtr 0x{cptr:x}: {used}")
            slot = self.cnode_slots_one(cap.paddr, index)
            depth -= used
            if depth == 0 or slot.type != "cnode":
                return slot
            cap = slot

    def cnode_slots_one(self, cnode_paddr, index):
        size = self.cte_type.sizeof
        w0, w1 = self.m.read_words(cnode_paddr + index * size, 2)
        return capdecode.decode(w0, w1, self.cap_types)

    def vspace_root(self, tcb):
        cap = self.tcb_cap(tcb, "tcb_vspace_root")
        if cap.type != "vspace":
            raise TargetError("the thread has no VSpace")
        return cap.paddr

    # ------------------------------------------------------------ scheduling
    def sched_context(self, addr):
        sc = self.m.kernel_value(self.sc_type, addr)
        refills = []
        base = addr + self.sc_type.sizeof
        count, head, max_ = int(sc["refill_count"]), int(sc["refill_head"]), int(sc["refill_max"])
        for i in range(min(count, max_)):
            r = self.m.kernel_value(self.refill_type,
                                    base + ((head + i) % max_) * self.refill_type.sizeof)
            refills.append((int(r["release"]), int(r["amount"])))
        return {"budget": int(sc["budget"]), "period": int(sc["period"]),
                "consumed": int(sc["consumed"]), "refills": refills, "refill_max": max_,
                "badge": int(sc["badge"]), "tcb": int(sc["tcb"])}

    def now(self):
        """Ticks at the latest kernel entry (the scheduler's clock)."""
        return self.m.kernel_word(node_field_address(("now",)))

    def timer_hz(self):
        return int(gdb.parse_and_eval("$CNTFRQ_EL0")) or 1


def _array(value):
    lo, hi = value.type.strip_typedefs().range()
    return [value[i] for i in range(lo, hi + 1)]
