#!/usr/bin/python3
"""The system report: the build-time diagram (sdfgen's system.dot) with a
run's measured data (a pd-profile, scripts/pddebug/profile.py) drawn on it,
and the figures in tables, as one self-contained HTML file.

    scripts/sysreport.py --dot O/system/system.dot --profile PROFILE.json --out REPORT.html

Each PD gets a colour of its own, used for its box in the diagram, its bar
of CPU share and its row in the tables. Channel arrows carry the counts of
notifications and PPCs in each direction. With samples in the profile (the
sampling profiler), a table of each PD's top functions follows.
`make report` runs the system and calls this; docs/debugging.md explains it.
"""
import argparse
import colorsys
import html
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pddebug import profile  # noqa: E402

GOLDEN_ANGLE = 0.381966


def pd_colour(index):
    """A distinct, light colour per PD (by its position in the profile)."""
    r, g, b = colorsys.hls_to_rgb((index * GOLDEN_ANGLE) % 1.0, 0.72, 0.75)
    return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))


def colours(data):
    return {p["name"]: pd_colour(i) for i, p in enumerate(data["pds"])}


def pct(x):
    return f"{x * 100:.1f}%"


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


ID = re.compile(r'\bid="([^"]*)"')
LABEL = re.compile(r'\blabel="((?:[^"\\]|\\.)*)"')


def annotate_dot(dot, data):
    """sdfgen's graph with each PD box filled in its colour and labelled with
    its CPU share, and each channel labelled with its counts."""
    pds = {p["name"]: p for p in data["pds"]}
    cols = colours(data)
    chans = {}
    for c in data["channels"]:
        chans[(c["a"]["pd"], c["a"]["id"], c["b"]["pd"], c["b"]["id"])] = (c, False)
        chans[(c["b"]["pd"], c["b"]["id"], c["a"]["pd"], c["a"]["id"])] = (c, True)
    out = []
    for line in dot.splitlines():
        m = ID.search(line)
        label = LABEL.search(line)
        if m and label:
            kind, _, rest = m.group(1).partition(":")
            extra, attrs = None, ""
            if kind == "pd" and rest in pds:
                p = pds[rest]
                extra = f"CPU {pct(p['cpu_share'])} of {pct(p['budget_share'])}"
                attrs = f', fillcolor="{cols[rest]}", style="filled,{"rounded,dashed" if p["passive"] else "rounded"}"'
            elif kind in ("ch", "ppc"):
                parts = rest.split(":")
                key = (parts[0], int(parts[1]), parts[2], int(parts[3])) if len(parts) == 4 else None
                if key in chans:
                    c, flipped = chans[key]
                    fwd, back = ("b_to_a", "a_to_b") if flipped else ("a_to_b", "b_to_a")
                    if kind == "ch":
                        extra = f"notify {c['notifications_' + fwd]}> <{c['notifications_' + back]}"
                    else:
                        extra = f"{c['ppcs_' + fwd]} calls"
            if extra is not None:
                text = label.group(1).encode().decode("unicode_escape")
                new_label = _quote(f"{text}\n{extra}")
                line = line[:label.start()] + f"label={new_label}" + line[label.end():]
                line = line.replace("];", attrs + "];") if attrs else line
                line = re.sub(r', style="rounded(,dashed)?"(?=.*fillcolor)', "", line, count=1)
        out.append(line)
    return "\n".join(out) + "\n"


def render_svg(dot):
    r = subprocess.run(["dot", "-Tsvg"], input=dot, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        raise SystemExit(f"sysreport: dot failed: {r.stderr.strip()}")
    svg = r.stdout
    return svg[svg.index("<svg"):]


STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; font-size: 13px; }
td, th { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; }
td.name, th.name { text-align: left; }
.swatch { display: inline-block; width: 14px; height: 14px; vertical-align: middle; margin-right: 6px; }
.bar { height: 14px; display: inline-block; vertical-align: middle; }
.barbox { width: 240px; background: #f2f2f2; text-align: left; }
.note { color: #666; font-size: 12px; max-width: 900px; }
"""


def table(headers, rows):
    head = "".join(f'<th class="{"name" if i == 0 else ""}">{html.escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td class="{"name" if i == 0 else ""}">{c}</td>' for i, c in enumerate(r))
                   + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def cores_note(window):
    cores = window.get("cores", 1)
    return f", on {cores} cores" if cores > 1 else ""


def build_html(data, svg):
    cols = colours(data)
    w = data["window"]
    esc = html.escape
    pd_rows = []
    for p in data["pds"]:
        ch = p.get("channels", {})
        total = lambda key: sum(c.get(key, 0) for c in ch.values())
        bar = (f'<div class="barbox"><span class="bar" style="width:{max(p["cpu_share"], 0) * 100:.2f}%;'
               f'background:{cols[p["name"]]}"></span></div>')
        pd_rows.append([
            f'<span class="swatch" style="background:{cols[p["name"]]}"></span>{esc(p["name"])}',
            str(p["priority"]), f'{p["budget_us"]}/{p["period_us"]}' + (" passive" if p["passive"] else ""),
            f'{p["cpu_us"]}', pct(p["cpu_share"]), bar,
            pct(p["cpu_share"] / p["budget_share"]) if p["budget_share"] else "-",
            esc(p["state"]), str(p.get("events", {}).get("wakeups", "-")),
            f'{total("notifications_sent")} / {total("notifications_received")}',
            f'{total("ppcs_sent")} / {total("ppcs_received")}',
            str(total("irq_acks")), str(p.get("events", {}).get("faults_received", "-"))])
    ch_rows = [[f'{esc(c["a"]["pd"])}:{c["a"]["id"]} &harr; {esc(c["b"]["pd"])}:{c["b"]["id"]}',
                str(c["notifications_a_to_b"]), str(c["notifications_b_to_a"]),
                str(c["ppcs_a_to_b"]), str(c["ppcs_b_to_a"])] for c in data["channels"]]
    other = data.get("other", {})
    parts = [f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>System report: {esc(data['system'])}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>System report: {esc(data['system'])}</h1>",
             f'<p class="note">{w["seconds"] * 1000:.1f} ms measured ({w["end_ticks"] - w["start_ticks"]} ticks of '
             f'{w["timer_hz"]} Hz{cores_note(w)}); source: {esc(data["source"])}. CPU time is what each PD\'s '
             "scheduling context was charged (its share is of its own core's time): a passive PD's work counts "
             "for its callers.</p>",
             f'<div id="diagram">{svg}</div>',
             "<h2>Protection domains</h2>",
             table(["PD", "prio", "budget/period us", "CPU us", "CPU", "share", "of budget", "state",
                    "wake-ups", "notify out/in", "PPC out/in", "IRQ acks", "child faults"], pd_rows),
             f'<p class="note">Monitor: {other.get("monitor_cpu_us", 0)} us; idle and kernel: '
             f'{other.get("unaccounted_us", 0)} us.</p>']
    if ch_rows:
        parts += ["<h2>Channels</h2>",
                  table(["channel (a \u2194 b)", "notify a\u2192b", "notify b\u2192a", "PPC a\u2192b",
                         "PPC b\u2192a"], ch_rows)]
    if data["samples"]["stacks"]:
        shares, tops = profile.sample_shares(data)
        rows = [[f'<span class="swatch" style="background:{cols.get(pd, "#ccc")}"></span>{esc(pd)}',
                 pct(shares.get(pd, 0)),
                 ", ".join(f"{esc(fn)} ({n})" for fn, n in tops.get(pd, [])[:5])]
                for pd in sorted(shares, key=lambda k: -shares[k])]
        parts += ["<h2>Samples</h2>", table(["PD", "share of samples", "top functions (samples)"], rows)]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dot", required=True, help="sdfgen's system.dot")
    p.add_argument("--profile", required=True, help="measured data (pd-profile JSON)")
    p.add_argument("--out", required=True, help="HTML file to write")
    args = p.parse_args(argv)
    try:
        data = profile.load(args.profile)
    except (OSError, ValueError, profile.FormatError, KeyError) as e:
        raise SystemExit(f"sysreport: {args.profile}: {e}")
    with open(args.dot) as f:
        svg = render_svg(annotate_dot(f.read(), data))
    with open(args.out, "w") as f:
        f.write(build_html(data, svg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
