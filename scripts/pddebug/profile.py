"""The measured-data file of a run ("pd-profile", JSON), one format for every
source: `pd stats` in gdb writes it today (scheduling-context time from the
kernel, per-channel event counts from libmicrokit); the sampling profiler
(scripts/pdprofile.py --merge, from the profiler PD's serial output) fills
`samples` in the same file; scripts/sysreport.py draws it. docs/debugging.md describes every field.

{
  "format": "pd-profile", "version": 1,
  "system": "notify.system", "source": "what measured it",
  "window": {"start_ticks": N, "end_ticks": N, "timer_hz": N, "seconds": F,
             "cores": N},     # cores the system ran on (absent: 1)
  "pds": [{"name", "priority", "budget_us", "period_us", "passive", "state",
           "cpu_us",          # time charged to the PD's scheduling context in the window
           "cpu_share",       # cpu_us / window (of its core's time)
           "budget_share",    # budget / period: the most it may get
           "events": {"wakeups", "faults_received"},
           "channels": {"<id>": {"notifications_sent", "notifications_received",
                                  "ppcs_sent", "ppcs_received", "irq_acks"}}}],
  "channels": [{"a": {"pd", "id"}, "b": {"pd", "id"},
                "notifications_a_to_b", "notifications_b_to_a", "ppcs_a_to_b", "ppcs_b_to_a"}],
  "other": {"monitor_cpu_us", "unaccounted_us"},   # the rest of window x cores: idle and the kernel
  "samples": {"period_us": F or null, "total": N,
              "stacks": [{"pd": "name", "frames": ["leaf", "caller", ...], "count": N}]}
}
"""
import json

FORMAT, VERSION = "pd-profile", 1
# Samples that belong to no PD of the system: time idle, in the kernel, in
# the monitor, or in a thread the profiler could not name.
OTHER_SAMPLE_OWNERS = ("kernel", "idle", "monitor", "other")
CHANNEL_COUNTERS = ("notifications_sent", "notifications_received", "ppcs_sent", "ppcs_received",
                    "irq_acks")


class FormatError(Exception):
    pass


def empty_samples():
    return {"period_us": None, "total": 0, "stacks": []}


def load(path):
    with open(path) as f:
        data = json.load(f)
    check(data)
    return data


def check(data):
    """Raise FormatError unless `data` is a pd-profile this code reads."""
    if data.get("format") != FORMAT:
        raise FormatError(f"not a {FORMAT} file (format {data.get('format')!r})")
    if data.get("version") != VERSION:
        raise FormatError(f"{FORMAT} version {data.get('version')}, this tool reads {VERSION}")
    for key in ("window", "pds", "channels", "samples"):
        if key not in data:
            raise FormatError(f"no '{key}'")
    names = {p["name"] for p in data["pds"]}
    for ch in data["channels"]:
        for end in ("a", "b"):
            if ch[end]["pd"] not in names:
                raise FormatError(f"channel end names unknown PD {ch[end]['pd']!r}")
    for st in data["samples"]["stacks"]:
        if st["pd"] not in names and st["pd"] not in OTHER_SAMPLE_OWNERS:
            raise FormatError(f"samples name unknown PD {st['pd']!r}")
    return data


def channels(ends, counts):
    """Pair channel ends into channels with their counts in both directions.
    ends: [(pd, id, peer, peer_id)] with PD names; counts: {pd: {id: {counter: n}}}."""
    out, seen = [], set()
    for pd, id_, peer, peer_id in ends:
        key = frozenset([(pd, id_), (peer, peer_id)])
        if key in seen:
            continue
        seen.add(key)
        a = counts.get(pd, {}).get(id_, {})
        b = counts.get(peer, {}).get(peer_id, {})
        out.append({"a": {"pd": pd, "id": id_}, "b": {"pd": peer, "id": peer_id},
                    "notifications_a_to_b": a.get("notifications_sent", 0),
                    "notifications_b_to_a": b.get("notifications_sent", 0),
                    "ppcs_a_to_b": a.get("ppcs_sent", 0), "ppcs_b_to_a": b.get("ppcs_sent", 0)})
    return out


def sample_shares(data):
    """{pd: share of samples} and {pd: [(function, count)] by count}, from `samples`."""
    total = data["samples"].get("total") or sum(s["count"] for s in data["samples"]["stacks"])
    per_pd, funcs = {}, {}
    for st in data["samples"]["stacks"]:
        per_pd[st["pd"]] = per_pd.get(st["pd"], 0) + st["count"]
        leaf = st["frames"][0] if st["frames"] else "?"
        funcs.setdefault(st["pd"], {})
        funcs[st["pd"]][leaf] = funcs[st["pd"]].get(leaf, 0) + st["count"]
    shares = {pd: n / total for pd, n in per_pd.items()} if total else {}
    tops = {pd: sorted(f.items(), key=lambda kv: -kv[1]) for pd, f in funcs.items()}
    return shares, tops


def write(path, data):
    check(data)
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
