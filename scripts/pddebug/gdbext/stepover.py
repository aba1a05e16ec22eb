"""A `continue` that QEMU answered without running anything.

To continue from a breakpoint gdb removes it, single-steps the thread one
instruction (`vCont;s`) and then resumes everything. QEMU 7.2's gdbstub,
with several vCPUs, now and then answers that single step with a stop at the
same pc and no instruction executed (seen in gdb's remote log: `vCont;s`,
`T05`, the pc unchanged). gdb then finds its breakpoint at the pc and
reports a second hit of the breakpoint it was continuing from.

A PD breakpoint's stop() asks `phantom_hit()`: the thread stands where the
user last saw it stop, every register unchanged. Declining that stop makes
gdb step over the breakpoint again. A real loop can also come back with
every register unchanged, but such an iteration cannot be told from the
last one; declining at most MAX_DECLINES times in a row keeps `continue`
from ever running past such a loop for good.
"""
import gdb

MAX_DECLINES = 3
_REGISTERS = [f"x{i}" for i in range(31)] + ["sp", "pc", "cpsr"]

_last_stop = None      # (gdb thread number, registers) where the user last saw a stop
_declined = 0


def _registers():
    frame = gdb.newest_frame()
    return tuple(int(frame.read_register(r)) for r in _REGISTERS)


def _state():
    thread = gdb.selected_thread()
    return None if thread is None else (thread.global_num, _registers())


def _on_stop(event):
    global _last_stop, _declined
    _declined = 0
    try:
        _last_stop = _state()
    except (gdb.error, ValueError):
        _last_stop = None


def phantom_hit():
    """True if this hit is the thread still standing where it last stopped
    (and it has not been declined MAX_DECLINES times already)."""
    global _declined
    try:
        same = _last_stop is not None and _state() == _last_stop
    except (gdb.error, ValueError):
        return False
    if same and _declined < MAX_DECLINES:
        _declined += 1
        return True
    return False


def register():
    gdb.events.stop.connect(_on_stop)
