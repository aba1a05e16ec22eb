"""`make report`'s measuring run, driven from gdb: boot until the monitor has
started every PD (its fault loop), open the window, let the system run for a
while, stop at the kernel's next exit to user level (so that its clock and
the consumed times are current), write the pd-profile."""
import os
import signal
import threading

import gdb

MONITOR_READY = "fault_loop"        # pds/monitor/faults.c: every PD has been started
KERNEL_EXIT = "sched_commit"        # kernel/src/sched.c: on every way back to user level


def _run_for(seconds):
    """Continue; interrupt (as Ctrl-C does) after `seconds` of real time."""
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        gdb.execute("continue")
    finally:
        timer.cancel()


def _to_kernel_exit():
    """Continue to the kernel's next exit: its clock and the SCs are charged up to now."""
    gdb.execute(f"tbreak {KERNEL_EXIT}")
    _run_for(5)


def collect(seconds, out):
    gdb.execute(f"tbreak {MONITOR_READY}")
    _run_for(120)
    _to_kernel_exit()
    gdb.execute("pd stats start")
    _run_for(seconds)
    _to_kernel_exit()
    gdb.execute(f"pd stats {out}")
