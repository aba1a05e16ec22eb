"""gdb commands for a running system (docs/debugging.md):

  pd setup KERNEL MONITOR SYSTEM ELF_DIR [WORK_DIR]   (make gdb does this)
  pd list                 the PDs: TCB, state, priority, budget, which runs
  pd current              which PD (or the kernel, or nothing) runs
  pd switch NAME|live     show a PD: live if it runs, else a snapshot view
  pd break NAME LOCATION  a breakpoint that stops only in that PD
  pd regs NAME            the registers saved in a PD's TCB
  pd cspace NAME          a PD's capabilities, slot by slot
  pd stats [FILE]         measured data for scripts/sysreport.py (JSON)
  kernel threads          the scheduler: threads, states, priorities, SCs, queues
  kernel cspace EXPR      the CSpace of any thread, by TCB address
"""
import os

import gdb

from .. import system
from .kernel import Kernel
from .monitor import Monitor
from .target import (LIVE_INFERIOR, Machine, TargetError, core_of_thread, on_live_inferior,
                     select_core, symbol_address)
from . import stepover
from .stats import stats_command
from .views import Views


class Session:
    def __init__(self, kernel_elf, monitor_elf, system_file, elf_dir, work_dir):
        self.kernel_elf, self.monitor_elf = kernel_elf, monitor_elf
        self.programs = system.pd_programs(system_file, elf_dir) if system_file else {}
        self.machine = Machine(kernel_elf)
        self.views = Views(self, work_dir)
        self._kernel = self._monitor = None
        self.pd_breakpoints = []

    @property
    def kernel(self):
        if self._kernel is None:
            with on_live_inferior():
                self._kernel = Kernel(self.machine)
        return self._kernel

    @property
    def monitor(self):
        if self._monitor is None:
            self._monitor = Monitor(self.machine, self.kernel, self.monitor_elf, self.programs)
        return self._monitor

    def pds(self):
        with on_live_inferior(), self.machine.physical():
            return self.monitor.pds()

    def pd(self, name):
        pds = self.pds()
        for pd in pds:
            if pd.name == name:
                return pd
        raise TargetError(f"no PD '{name}'; PDs: {', '.join(p.name for p in pds)}")

    def selected_core(self):
        """The core of gdb's selected thread (target.core_of_thread)."""
        with on_live_inferior():
            core = core_of_thread(gdb.selected_thread())
            return core if 0 <= core < self.kernel.cores() else 0

    def running_tcb(self):
        """The thread that runs on the selected thread's core."""
        core = self.selected_core()
        with on_live_inferior(), self.machine.physical():
            return self.kernel.current_thread(core)

    def core_running(self, pd):
        """The core that runs `pd` now, or None."""
        with on_live_inferior(), self.machine.physical():
            return self.kernel.running_threads().get(pd.tcb) if pd.tcb else None

    def in_user_mode(self):
        with on_live_inferior():
            return (int(gdb.parse_and_eval("$cpsr")) >> 2) & 3 == 0

    def running_pd(self):
        tcb = self.running_tcb()
        return next((p for p in self.pds() if p.tcb and p.tcb == tcb), None)


session = None


def need_session():
    if session is None:
        raise gdb.GdbError("run 'pd setup' first (make gdb does)")
    return session


def us(ticks, hz):
    return ticks * 1_000_000 // hz


class PdBreakpoint(gdb.Breakpoint):
    """A breakpoint at a PD address that stops only when that PD runs there:
    every PD has code at the same addresses."""

    def __init__(self, pd, address, location):
        super().__init__(f"*0x{address:x}")
        self.pd_name, self.pd_tcb, self.pd_location = pd.name, pd.tcb, location

    def stop(self):
        if stepover.phantom_hit():
            return False
        try:
            return session.running_tcb() == self.pd_tcb
        except TargetError:
            return True


def on_stop(event):
    """Keep the live inferior's PD symbols those of the PD that runs."""
    if session is None or gdb.selected_inferior().num != LIVE_INFERIOR:
        return
    try:
        if not session.in_user_mode():
            return
        pd = session.running_pd()
        if pd and session.views.load_live_symbols(pd):
            print(f"[pd] '{pd.name}' runs: its symbols are loaded")
            gdb.execute("frame", to_string=False)
    except (TargetError, gdb.error):
        pass


COMMANDS = []          # (name, function taking the argument string)
PREFIXES = []          # (name, help)


def command(name):
    """Register a function as the gdb command `name` (its docstring is the help)."""
    def wrap(fn):
        COMMANDS.append((name, fn))
        return fn
    return wrap


class _Command(gdb.Command):
    """A registered function as a gdb command; the extension's errors become
    one-line gdb errors, no traceback."""

    def __init__(self, name, fn=None, doc=None):
        self.__doc__ = doc or fn.__doc__
        self.fn = fn
        super().__init__(name, gdb.COMMAND_USER, prefix=fn is None)

    def invoke(self, arg, from_tty):
        try:
            return self.fn(arg)
        except TargetError as e:
            raise gdb.GdbError(str(e)) from None


PREFIXES.append(("pd", """Protection domains of the running system: pd list|current|switch|break|regs|cspace|stats|setup."""))


@command("pd setup")
def pd_setup(arg):
    """pd setup KERNEL_ELF MONITOR_ELF SYSTEM_FILE ELF_DIR [WORK_DIR]: where the build put things."""
    global session
    args = gdb.string_to_argv(arg)
    if len(args) < 4:
        raise gdb.GdbError("usage: pd setup KERNEL_ELF MONITOR_ELF SYSTEM_FILE ELF_DIR [WORK_DIR]")
    work = args[4] if len(args) > 4 else os.path.join(os.path.dirname(args[3]), "gdb")
    session = Session(args[0], args[1], args[2], args[3], work)
    # Memory here changes behind gdb's back (other address spaces, physical
    # reads): no caching of target memory.
    for setting in ("confirm off", "stack-cache off", "code-cache off"):
        gdb.execute(f"set {setting}", to_string=True)
    print(f"[pd] {len(session.programs)} PD(s): "
          + ", ".join(f"{n} ({os.path.basename(e) if e else 'no ELF'})" for n, e in session.programs.items()))


@command("pd list")
def pd_list(arg):
    """pd list: every PD with its TCB, state, priority and scheduling parameters; * marks those running (on any core)."""
    s = need_session()
    with on_live_inferior(), s.machine.physical():
        k = s.kernel
        running = k.running_threads()
        print(f"  {'#':>2} {'PD':<16} {'TCB':<18} {'state':<24} {'prio':>4} {'budget/period us':>17}  ELF")
        for pd in s.monitor.pds():
            state = k.state(k.tcb(pd.tcb)) if pd.tcb else "(not created)"
            mark = "*" if pd.tcb and pd.tcb in running else " "
            sched = f"{int(pd.table['budget_us'])}/{int(pd.table['period_us'])}"
            if bool(pd.table["passive"]):
                sched += " passive"
            print(f"{mark} {pd.index:>2} {pd.name:<16} 0x{pd.tcb:<16x} {state:<24} "
                  f"{int(pd.table['priority']):>4} {sched:>17}  {pd.elf or '-'}")


@command("pd current")
def pd_current(arg):
    """pd current: which PD runs on the selected thread's core (at user level, or in the kernel on its behalf)."""
    s = need_session()
    tcb = s.running_tcb()
    pd = s.running_pd()
    where = "user level" if s.in_user_mode() else "the kernel"
    core = f"core {s.selected_core()}"
    if pd:
        print(f"PD '{pd.name}' (TCB 0x{tcb:x}) is running on {core}, in {where}")
    elif tcb:
        with on_live_inferior(), s.machine.physical():
            name = s.kernel.thread_name(s.kernel.tcb(tcb))
        print(f"thread '{name or '?'}' (TCB 0x{tcb:x}, not a PD) is running on {core}, in {where}")
    else:
        print(f"no thread: {core} is idle")


@command("pd switch")
def pd_switch(arg):
    """pd switch NAME: show PD NAME (its registers, memory and symbols); pd switch live: back to the machine."""
    s = need_session()
    name = arg.strip()
    if name in ("", "live"):
        gdb.execute(f"inferior {LIVE_INFERIOR}", to_string=True)
        print("[pd] the live machine")
        return
    pd = s.pd(name)
    if not pd.tcb:
        raise gdb.GdbError(f"PD '{name}' has no TCB yet")
    how = s.views.show(pd)
    if how == "live":
        print(f"[pd] '{name}' is running on core {s.selected_core()}: the live machine, with its symbols")
    else:
        print(f"[pd] '{name}': snapshot of its TCB and address space in inferior "
              f"{gdb.selected_inferior().num} ('pd switch live' goes back)")
    gdb.execute("frame")


@command("pd break")
def pd_break(arg):
    """pd break NAME LOCATION: break at LOCATION (a function, file:line, *address) of PD NAME only."""
    s = need_session()
    parts = arg.split(None, 1)
    if len(parts) != 2:
        raise gdb.GdbError("usage: pd break NAME LOCATION")
    pd = s.pd(parts[0])
    if not pd.elf:
        raise gdb.GdbError(f"no ELF file with the symbols of PD '{pd.name}'")
    if not pd.tcb:
        raise gdb.GdbError(f"PD '{pd.name}' has no TCB yet: continue past the monitor's start-up first")
    with on_live_inferior():
        s.views.load_live_symbols(pd)
        address = resolve(parts[1])
    bp = PdBreakpoint(pd, address, parts[1])
    s.pd_breakpoints.append(bp)
    print(f"[pd] breakpoint {bp.number} at 0x{address:x} ({parts[1]}) in PD '{pd.name}' only")


def resolve(location):
    """Address of a linespec the way 'break' takes it (after the prologue)."""
    probe = gdb.Breakpoint(location, internal=True, temporary=True)
    try:
        locs = getattr(probe, "locations", None)
        if locs:
            return int(locs[0].address)
        out = gdb.execute(f"info breakpoints {probe.number}", to_string=True)
        return int(out.split("0x", 1)[1].split()[0], 16)
    except (IndexError, ValueError, gdb.error):
        raise TargetError(f"cannot resolve '{location}'") from None
    finally:
        probe.delete()


@command("pd regs")
def pd_regs(arg):
    """pd regs NAME: the user registers saved in PD NAME's TCB."""
    s = need_session()
    pd = s.pd(arg.strip())
    with on_live_inferior(), s.machine.physical():
        regs = s.kernel.registers(s.kernel.tcb(pd.tcb))
    names = list(regs)
    for i in range(0, len(names), 3):
        print("  ".join(f"{n:>11} 0x{regs[n]:016x}" for n in names[i:i + 3]))


def owners(s):
    """{object paddr: 'what of whom'} for the objects every PD's TCB names."""
    k, out = s.kernel, {}
    for pd in s.monitor.pds():
        if not pd.tcb:
            continue
        tcb = k.tcb(pd.tcb)
        out[pd.tcb - s.machine.pptr_base] = f"TCB of '{pd.name}'"
        for field, what in (("sc", "SC"), ("bound_notification", "notification")):
            if int(tcb[field]):
                out[int(tcb[field]) - s.machine.pptr_base] = f"{what} of '{pd.name}'"
        for slot, what in (("tcb_vspace_root", "VSpace"), ("tcb_cspace_root", "CSpace root")):
            cap = k.tcb_cap(tcb, slot)
            if cap.paddr is not None:
                out[cap.paddr] = f"{what} of '{pd.name}'"
    return out


def print_cspace(s, root, title):
    k = s.kernel
    known = owners(s)
    print(title)
    print(f"  root CNode @0x{root.paddr:x}: {1 << root.details['radix']} slots, "
          f"guard {root.details['guard_bits']} bits = {root.details['guard']}")
    print(f"  {'slot':<10} {'CPtr':<20} cap")

    def walk(cap, prefix, used, cptr, depth):
        radix, guard_bits = cap.details["radix"], cap.details["guard_bits"]
        guard = int(cap.details["guard"], 16)
        level_used = used + guard_bits + radix
        for index, slot in k.cnode_slots(cap.paddr, radix):
            value = cptr | (guard << (64 - used - guard_bits)) if guard_bits else cptr
            value |= index << (64 - level_used)
            label = f"{prefix}{index}"
            owner = known.get(slot.paddr)
            print(f"  {label:<10} 0x{value:<18x} {slot.describe()}" + (f"  ({owner})" if owner else ""))
            if slot.type == "cnode" and depth < 4 and slot.paddr != cap.paddr:
                walk(slot, label + ".", level_used, value, depth + 1)

    walk(root, "", 0, 0, 0)


@command("pd cspace")
def pd_cspace(arg):
    """pd cspace NAME: PD NAME's capabilities: slot, the CPtr that names it, type, rights, badge, object."""
    s = need_session()
    pd = s.pd(arg.strip())
    with on_live_inferior(), s.machine.physical():
        root = s.kernel.tcb_cap(s.kernel.tcb(pd.tcb), "tcb_cspace_root")
        print_cspace(s, root, f"CSpace of PD '{pd.name}' (TCB 0x{pd.tcb:x})")


@command("pd stats")
def pd_stats(arg):
    """pd stats start: open a measuring window now; pd stats [FILE]: what the PDs did since
    (or since boot): CPU time per scheduling context, notifications and PPCs per channel,
    printed or written as a pd-profile (JSON) for scripts/sysreport.py."""
    stats_command(need_session(), arg)


PREFIXES.append(("kernel", """The kernel's state: kernel threads | kernel cspace TCB."""))


@command("kernel threads")
def kernel_threads(arg):
    """kernel threads: every thread with its state, priorities, queue and scheduling context."""
    s = need_session()
    with on_live_inferior(), s.machine.physical():
        print_threads(s)


def print_threads(s):
    k = s.kernel
    hz, now, running = k.timer_hz(), k.now(), k.running_threads()
    print(f"kernel clock {now} ticks ({us(now, hz)} us, {hz} Hz); * = running on a core")
    print(f"  {'TCB':<18} {'name':<16} {'state':<24} {'prio':>4} {'mcp':>4} {'queue':<9} "
          f"{'budget/period us':>17} {'consumed us':>11}  refills (release in us: amount us)")
    for t in k.threads():
        tcb = k.tcb(t)
        sc_addr = int(tcb["sc"])
        sched = consumed = refills = ""
        if sc_addr:
            sc = k.sched_context(sc_addr)
            period = sc["period"] or sc["budget"]
            sched = f"{us(sc['budget'], hz)}/{us(period, hz)}"
            consumed = str(us(sc["consumed"], hz))
            refills = " ".join(f"{'now' if r <= now else '+' + str(us(r - now, hz))}:{us(a, hz)}"
                               for r, a in sc["refills"])
        else:
            sched = "(no SC)"
        print(f"{'*' if t in running else ' '} 0x{t:<16x} {k.thread_name(tcb) or '-':<16} {k.state(tcb):<24} "
              f"{int(tcb['priority']):>4} {int(tcb['mcp']):>4} {k.queues.get(int(tcb['queued']), '?'):<9} "
              f"{sched:>17} {consumed:>11}  {refills}")


@command("kernel cspace")
def kernel_cspace(arg):
    """kernel cspace EXPR: the CSpace of the thread whose TCB is at EXPR (an address or expression)."""
    s = need_session()
    with on_live_inferior():
        addr = int(gdb.parse_and_eval(arg))
    with on_live_inferior(), s.machine.physical():
        tcb = s.kernel.tcb(addr)
        root = s.kernel.tcb_cap(tcb, "tcb_cspace_root")
        print_cspace(s, root, f"CSpace of thread '{s.kernel.thread_name(tcb) or '?'}' (TCB 0x{addr:x})")


def register():
    for name, doc in PREFIXES:
        _Command(name, doc=doc)
    for name, fn in COMMANDS:
        _Command(name, fn)
    gdb.events.stop.connect(on_stop)
    stepover.register()
