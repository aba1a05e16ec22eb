"""`pd stats`: what the running system has done, as a pd-profile
(pddebug/profile.py): per PD the time charged to its scheduling context
(the kernel's sched_context_t.consumed) and libmicrokit's per-channel event
counts (struct microkit_event_counts, read from the PD's memory), over a
window that `pd stats start` opens (by default: since boot).

Time is charged per scheduling context: a passive PD runs on its callers'
contexts, so its work shows in theirs (the sampling profiler will split it).
"""
import os

import gdb

from .. import elf, profile
from .target import lookup_type


def raw_snapshot(s):
    """Absolute counters now: {'now', 'hz', 'pds': {...}, 'monitor_ticks', 'ends'}."""
    k, m, mon = s.kernel, s.machine, s.monitor
    pds = mon.pds()
    counts_type = None
    snap = {"now": k.now(), "hz": k.timer_hz(), "cores": k.cores(), "pds": {}, "ends": []}
    monitor_tcb = k.tcb(mon.thread())
    snap["monitor_ticks"] = k.sched_context(int(monitor_tcb["sc"]))["consumed"] if int(monitor_tcb["sc"]) else 0
    for pd in pds:
        entry = {"ticks": 0, "state": "(not created)", "counts": None}
        if pd.tcb:
            tcb = k.tcb(pd.tcb)
            entry["state"] = k.state(tcb)
            sc = int(tcb["sc"])
            if not sc and int(tcb["bound_notification"]):
                # A passive PD's own context waits on its notification.
                ntfn = m.kernel_value(lookup_type("notification_t"), int(tcb["bound_notification"]))
                sc = int(ntfn["sc"])
            if sc:
                entry["ticks"] = k.sched_context(sc)["consumed"]
            if pd.elf:
                sym = elf.ElfFile(pd.elf).symbol("microkit_event_counts")
                if sym:
                    if counts_type is None:
                        counts_type = _counts_type(s, pd)
                    value = m.user_value(k.vspace_root(tcb), counts_type, sym[0])
                    entry["counts"] = _counts(value)
        snap["pds"][pd.name] = (pd, entry)
    names = [p.name for p in pds]
    snap["ends"] = [(names[e.pd], e.id, names[e.peer], e.peer_id) for e in mon.channel_ends()]
    return snap


def _counts_type(s, pd):
    """libmicrokit's struct, from the debug info of a PD (the same in every PD)."""
    try:
        return gdb.lookup_type("struct microkit_event_counts")
    except gdb.error:
        s.views.load_live_symbols(pd)
        return lookup_type("struct microkit_event_counts")


def _counts(value):
    out = {"wakeups": int(value["wakeups"]), "faults_received": int(value["faults_received"]),
           "channels": {}}
    for counter in profile.CHANNEL_COUNTERS:
        arr = value[counter]
        lo, hi = arr.type.strip_typedefs().range()
        for ch in range(lo, hi + 1):
            n = int(arr[ch])
            if n:
                out["channels"].setdefault(ch, {c: 0 for c in profile.CHANNEL_COUNTERS})[counter] = n
    return out


def _minus(now, base):
    if base is None:
        return now
    out = {"wakeups": now["wakeups"] - base["wakeups"],
           "faults_received": now["faults_received"] - base["faults_received"], "channels": {}}
    for ch, c in now["channels"].items():
        b = base["channels"].get(ch, {})
        d = {k: v - b.get(k, 0) for k, v in c.items()}
        if any(d.values()):
            out["channels"][ch] = d
    return out


def profile_data(s, end, start=None):
    """The pd-profile of the window [start, end] (start None: since boot)."""
    hz = end["hz"]
    t0 = start["now"] if start else 0
    window_ticks = max(end["now"] - t0, 1)
    us = lambda ticks: ticks * 1_000_000 // hz
    pds, counts_by_pd, used = [], {}, 0
    for name, (pd, e) in end["pds"].items():
        base = start["pds"].get(name, (None, None))[1] if start else None
        ticks = e["ticks"] - (base["ticks"] if base else 0)
        used += ticks
        counts = _minus(e["counts"], base["counts"] if base else None) if e["counts"] else None
        budget, period = int(pd.table["budget_us"]), int(pd.table["period_us"]) or int(pd.table["budget_us"])
        pds.append({
            "name": name, "priority": int(pd.table["priority"]), "budget_us": budget,
            "period_us": period, "passive": bool(pd.table["passive"]), "state": e["state"],
            "cpu_us": us(ticks), "cpu_share": ticks / window_ticks,
            "budget_share": budget / period if period else 1.0,
            "events": {"wakeups": counts["wakeups"], "faults_received": counts["faults_received"]}
            if counts else {},
            "channels": {str(ch): c for ch, c in sorted(counts["channels"].items())} if counts else {},
        })
        counts_by_pd[name] = counts["channels"] if counts else {}
    monitor = end["monitor_ticks"] - (start["monitor_ticks"] if start else 0)
    return {
        "format": profile.FORMAT, "version": profile.VERSION,
        "system": s.monitor.system_name(),
        "source": "gdb 'pd stats': kernel scheduling-context time, libmicrokit event counts",
        "window": {"start_ticks": t0, "end_ticks": end["now"], "timer_hz": hz,
                   "seconds": window_ticks / hz, "cores": end["cores"]},
        "pds": pds,
        "channels": profile.channels(end["ends"], counts_by_pd),
        "other": {"monitor_cpu_us": us(monitor),
                  "unaccounted_us": us(max(window_ticks * end["cores"] - used - monitor, 0))},
        "samples": profile.empty_samples(),
    }


_window_start = None


def stats_command(s, arg):
    """`pd stats start` opens the window; `pd stats [FILE]` writes or prints the profile."""
    global _window_start
    from .target import on_live_inferior
    arg = arg.strip()
    with on_live_inferior(), s.machine.physical():
        snap = raw_snapshot(s)
        if arg == "start":
            _window_start = snap
            print(f"[pd] measuring from kernel clock {snap['now']}")
            return
        data = profile_data(s, snap, _window_start)
    if arg:
        os.makedirs(os.path.dirname(os.path.abspath(arg)), exist_ok=True)
        profile.write(arg, data)
        print(f"[pd] wrote {arg}: {len(data['pds'])} PDs, {data['window']['seconds']:.3f} s")
        return
    print(f"window {data['window']['seconds'] * 1000:.1f} ms")
    for p in data["pds"]:
        print(f"  {p['name']:<16} cpu {p['cpu_share'] * 100:5.1f}% ({p['cpu_us']} us, "
              f"budget {p['budget_share'] * 100:.0f}%)  wakeups {p['events'].get('wakeups', '-')}")
    for c in data["channels"]:
        print(f"  {c['a']['pd']}:{c['a']['id']} <-> {c['b']['pd']}:{c['b']['id']}  notifications "
              f"{c['notifications_a_to_b']} -> / <- {c['notifications_b_to_a']}, PPCs "
              f"{c['ppcs_a_to_b']} -> / <- {c['ppcs_b_to_a']}")
