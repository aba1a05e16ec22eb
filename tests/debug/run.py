#!/usr/bin/python3
"""Debugging-tool tests (docs/debugging.md): the gdb extension driven by a
gdb script against QEMU, fault backtraces with and without names plus the
host symboliser, and the system report rendered in headless Chromium.

    tests/debug/run.py [NAME...]       NAME: gdb, backtrace, symbolise, report

Builds go to build/test/debug-*; logs to build/test/logs/debug/. Every check
prints PASS or FAIL; the last line is "N passed, N failed".
Environment: DEBUG_TEST_OUT puts builds and logs under another directory
than build/test; with KCONFIG_SET (make's, e.g. KERNEL_EL1=y) the builds
are configured that way (make test-el1 runs the gdb tests so on EL1).
"""
import os
import re
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.abspath(os.environ.get("DEBUG_TEST_OUT", os.path.join(ROOT, "build", "test")))
LOGS = os.path.join(OUT, "logs", "debug")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
HERE = os.path.join(ROOT, "tests", "debug")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import testsuite  # noqa: E402


class Tally(testsuite.Tally):
    def check(self, name, ok, detail=""):
        self.record(f"debug/{name}", bool(ok), detail)
        return ok


def make(out, *args, timeout=900):
    return subprocess.run(["make", "-j2", f"O={out}", *args], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(text, n=25):
    return "\n" + "\n".join("    | " + line for line in text.splitlines()[-n:])


def sections(text):
    """Split gdb output at '@@ name' markers the script echoes."""
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^@@ (\S+)$", line)
        if m:
            name = m.group(1)
            out[name] = ""
        elif name:
            out[name] += line + "\n"
    return out


# ------------------------------------------------------------------ gdb

GDB_SCRIPT = """
break fault_loop
continue
echo @@ list\\n
pd list
echo @@ break\\n
pd break pong notified
continue
echo @@ current\\n
pd current
echo @@ bt\\n
bt
echo @@ regs\\n
pd regs ping
echo @@ switch\\n
pd switch ping
bt
info registers pc
echo @@ live\\n
pd switch live
pd current
echo @@ cspace\\n
pd cspace ping
echo @@ threads\\n
kernel threads
echo @@ kernel-cspace\\n
python gdb.execute("kernel cspace 0x%x" % __import__("pddebug.gdbext.commands", fromlist=["x"]).session.pd("pong").tcb)
echo @@ again\\n
continue
bt 1
echo @@ stats\\n
pd stats
echo @@ end\\n
"""


def test_gdb(t):
    out = os.path.join(OUT, "debug-gdb")
    r = make(out, "SYSTEM=sdf/notify.system")
    if not t.check("gdb/build", r.returncode == 0, tail(r.stdout)):
        return
    script = os.path.join(out, "test.gdb")
    with open(script, "w") as f:
        f.write(GDB_SCRIPT)
    r = subprocess.run(["make", f"O={out}", "SYSTEM=sdf/notify.system", "gdb", f"GDB_PORT={free_port()}",
                        f"GDB_EXTRA=-batch -x {script}"], cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=180)
    os.makedirs(LOGS, exist_ok=True)
    with open(os.path.join(LOGS, "gdb.log"), "w") as f:
        f.write(r.stdout)
    s = sections(r.stdout)
    hex_ = "0x[0-9a-f]+"
    t.check("gdb/pd-list", re.search(rf"0 ping +{hex_} .* 100 +1000/1000 .*ping\.elf", s.get("list", ""))
            and re.search(rf"1 pong +{hex_} .* 101 +1000/1000 .*pong\.elf", s.get("list", "")),
            tail(s.get("list", r.stdout)))
    t.check("gdb/pd-break-stops-in-pd", re.search(r"Breakpoint \d+, notified \(ch=(ch@entry=)?1\) at .*pong\.c:\d+",
                                                  s.get("break", "")), tail(s.get("break", r.stdout)))
    t.check("gdb/pd-current", "PD 'pong' (TCB" in s.get("current", "") and "user level" in s.get("current", ""),
            tail(s.get("current", r.stdout)))
    bt = s.get("bt", "")
    t.check("gdb/bt-in-pd", re.search(r"#0 +notified .*pong\.c", bt) and re.search(r"handler_loop", bt)
            and re.search(r"microkit_main", bt) and "_start" in bt, tail(bt or r.stdout))
    regs = dict(re.findall(r"(\w+) 0x([0-9a-f]{16})", s.get("regs", "")))
    sw = s.get("switch", "")
    m = re.search(r"^pc +0x([0-9a-f]+)", sw, re.M)
    t.check("gdb/pd-switch-snapshot",
            "snapshot of its TCB" in sw and re.search(r"#\d+ .*(init|handler_loop|microkit_main) ", sw)
            and re.search(r"(ping|main)\.c:\d+", sw), tail(sw or r.stdout))
    t.check("gdb/pd-switch-registers-from-tcb", m and "pc" in regs and int(m.group(1), 16) == int(regs["pc"], 16),
            f"view pc {m.group(1) if m else None}, TCB pc {regs.get('pc')}")
    t.check("gdb/pd-switch-live", "PD 'pong'" in s.get("live", ""), tail(s.get("live", r.stdout)))
    cs = s.get("cspace", "")
    t.check("gdb/pd-cspace",
            re.search(r"^  0 +0x0 +cnode .*radix 9 +guard_bits 49", cs, re.M)
            and re.search(r"^  0\.1 +0x1 +notification .*rights RW-- +badge 0x0 +\(notification of 'ping'\)", cs, re.M)
            and re.search(r"^  0\.2 +0x2 +endpoint .*badge 0x1$", cs, re.M)
            and re.search(r"^  0\.3 +0x3 +vspace .*\(VSpace of 'ping'\)", cs, re.M)
            and re.search(r"^  0\.4 +0x4 +reply", cs, re.M)
            and re.search(r"^  0\.10 +0xa +notification .*rights -W-- +badge 0x2 +\(notification of 'pong'\)", cs, re.M),
            tail(cs or r.stdout))
    th = s.get("threads", "")
    t.check("gdb/kernel-threads",
            re.search(r"rootserver +blocked on receive +255 +255", th)
            and re.search(r"ping +\w.* +100 +100 +\w+ +1000/1000 +\d+", th)
            and re.search(r"^\* 0x[0-9a-f]+ +pong +running +101 +101", th, re.M),
            tail(th or r.stdout))
    t.check("gdb/kernel-cspace", "CSpace of thread 'pong'" in s.get("kernel-cspace", "")
            and "(notification of 'pong')" in s.get("kernel-cspace", ""), tail(s.get("kernel-cspace", r.stdout)))
    t.check("gdb/pd-stats", re.search(r"ping:0 <-> pong:1  notifications [1-9]\d* -> / <- [1-9]",
                                      s.get("stats", "")) and re.search(r"pong +cpu", s.get("stats", "")),
            tail(s.get("stats", r.stdout)))
    t.check("gdb/breakpoint-again", re.search(r"#0 +notified .*pong\.c", s.get("again", "")),
            tail(s.get("again", r.stdout)))


# ------------------------------------------------------------------ backtraces

def qemu_run(out, name, until, timeout=60):
    image = os.path.join(out, "images", "loader.img")
    log = os.path.join(LOGS, f"{name}.log")
    cmd = [PYTHON, os.path.join(ROOT, "scripts", "qemu-test.py"), "--name", f"debug/{name}",
           "--timeout", str(timeout), "--log", log, "--until", until, "--grace", "0.3", "--",
           "qemu-system-aarch64", "-machine", "virt,virtualization=on,gic-version=2", "-cpu", "cortex-a53",
           "-m", "2G", "-nographic", "-monitor", "none", "-serial", "stdio", "-nic", "none",
           "-icount", "shift=0,align=off,sleep=off",
           "-device", f"loader,file={image},addr=0x70000000,cpu-num=0"]
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = open(log, errors="replace").read() if os.path.exists(log) else r.stdout
    return r, text


FRAME = r"MON\|ERROR:   #{n} 0x[0-9a-f]{{16}}"


def configure(out, *options):
    """A fresh defconfig with some options changed (setconfig)."""
    r = make(out, "defconfig")
    if r.returncode == 0 and options:
        env = dict(os.environ, KCONFIG_CONFIG=os.path.join(out, ".config"), srctree=ROOT)
        r = subprocess.run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", *options], cwd=ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r


def test_backtrace(t):
    out = os.path.join(OUT, "debug-backtrace")
    r = configure(out)
    r = make(out, "SYSTEM=tests/debug/backtrace.system") if r.returncode == 0 else r
    if not t.check("backtrace/build", r.returncode == 0, tail(r.stdout)):
        return
    r, log = qemu_run(out, "backtrace", r"PD 'parser' is stopped")
    names = ["parse_frame", r"handle_packet(\.[a-z0-9.]+)?", "init", "microkit_main", "_start"]
    want = [rf"{FRAME.format(n=i)} {name}\+0x[0-9a-f]+\n" for i, name in enumerate(names)]
    pos, missing = 0, None
    for w in want:
        m = re.compile(w).search(log, pos)
        if not m:
            missing = w
            break
        pos = m.end()
    t.check("backtrace/names-in-serial-log", missing is None, f"missing {missing}" + tail(log))


def test_symbolise(t):
    out = os.path.join(OUT, "debug-nosymbols")
    r = configure(out, "FAULT_SYMBOLS=n")
    r = make(out, "SYSTEM=tests/debug/backtrace.system") if r.returncode == 0 else r
    if not t.check("symbolise/build-without-names", r.returncode == 0, tail(r.stdout)):
        return
    r, log = qemu_run(out, "backtrace-nosymbols", r"PD 'parser' is stopped")
    any_frame = FRAME.format(n="[0-9]")
    bare = re.findall(rf"^{any_frame}$", log, re.M)
    t.check("symbolise/log-has-bare-addresses", len(bare) == 5, f"{len(bare)} bare frames" + tail(log))
    r = subprocess.run([PYTHON, os.path.join(ROOT, "scripts", "symbolise.py"), "-O", out,
                        "--system", os.path.join(HERE, "backtrace.system"),
                        os.path.join(LOGS, "backtrace-nosymbols.log")],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    named = r.stdout
    ok = (re.search(rf"{FRAME.format(n=0)} parse_frame\+0x[0-9a-f]+ \(.*parser\.c:\d+\)", named)
          and re.search(rf"{FRAME.format(n=1)} handle_packet\S*\+0x[0-9a-f]+ \(.*parser\.c:\d+\)", named)
          and re.search(rf"{FRAME.format(n=2)} init\+0x[0-9a-f]+ \(.*parser\.c:\d+\)", named)
          and re.search(r"^pc : 0x[0-9a-f]{16}  parse_frame\+0x", named, re.M))
    t.check("symbolise/names-and-lines", r.returncode == 0 and ok, tail(named, 40))


# ------------------------------------------------------------------ report

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def screenshot(html_file, png, size="1400,1600"):
    import shutil
    import tempfile
    browser = shutil.which("chromium")
    if not browser:
        return None, "no chromium (scripts/host-deps.sh --tests installs Debian's chromium)"
    profile_dir = tempfile.mkdtemp(prefix="chromium-")
    try:
        r = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}",
                            f"--window-size={size}", f"--screenshot={png}", f"file://{html_file}"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    finally:
        shutil.rmtree(profile_dir, ignore_errors=True)
    return (png if os.path.exists(png) else None), r.stdout[-1500:]


def colour_pixels(png, colour):
    """Pixels of the PNG within 3 of `colour` ('#rrggbb') in every channel."""
    from PIL import Image
    want = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    counts = Image.open(png).convert("RGB").getcolors(1 << 24)
    return sum(n for n, rgb in counts if all(abs(a - b) <= 3 for a, b in zip(rgb, want)))


def test_report(t):
    import json
    import sysreport
    out = os.path.join(OUT, "debug-report")
    system = os.path.join(HERE, "report", "report.system")
    r = make(out, f"SYSTEM={system}")
    if not t.check("report/build", r.returncode == 0, tail(r.stdout)):
        return
    r = subprocess.run(["make", f"O={out}", f"SYSTEM={system}", "report", "REPORT_SECONDS=2",
                        f"GDB_PORT={free_port()}"], cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    report_dir = os.path.join(out, "report")
    if not t.check("report/make-report", r.returncode == 0, tail(r.stdout)):
        return
    data = json.load(open(os.path.join(report_dir, "profile.json")))
    pds = {p["name"]: p for p in data["pds"]}
    share = {n: p["cpu_share"] for n, p in pds.items()}
    t.check("report/cpu-shares-follow-budgets",
            abs(share["busy"] - 0.20) < 0.03 and abs(share["worker"] - 0.50) < 0.05
            and share["asker"] < 0.05 and data["window"]["seconds"] > 0.1, f"shares {share}, {data['window']}")
    ch = data["channels"][0] if data["channels"] else {}
    t.check("report/channel-counts",
            ch.get("a") == {"pd": "asker", "id": 0} and ch.get("b") == {"pd": "answerer", "id": 3}
            and ch["ppcs_a_to_b"] == 10 and ch["ppcs_b_to_a"] == 0
            and ch["notifications_a_to_b"] == 5 and ch["notifications_b_to_a"] == 5
            and pds["answerer"]["channels"]["3"]["ppcs_received"] == 10, json.dumps(data["channels"]))
    page = os.path.join(report_dir, "report.html")
    text = open(page).read()
    t.check("report/html-has-diagram-and-tables",
            all(f'id="pd:{n}"' in text for n in pds) and "<svg" in text and "10 calls" in text
            and re.search(r"CPU (19\.\d|20\.\d)% of 20\.0%", text), "")
    png, log = screenshot(page, os.path.join(report_dir, "report.png"))
    if not t.check("report/chromium-renders", png is not None, log):
        return
    colours = sysreport.colours(data)
    pixels = {n: colour_pixels(png, colours[n]) for n in pds}
    # Each PD's box (some thousands of pixels) is in the picture, in its colour;
    # the busier spinner's longer bar adds more of its colour.
    t.check("report/picture-shows-every-pd", all(v > 3000 for v in pixels.values()), f"pixels {pixels}")
    t.check("report/picture-shows-cpu-share", pixels["worker"] > pixels["busy"] + 500, f"pixels {pixels}")


TESTS = {"gdb": test_gdb, "backtrace": test_backtrace, "symbolise": test_symbolise, "report": test_report}


def main(argv):
    unknown = [a for a in argv if a not in TESTS]
    if unknown:
        print(f"unknown test(s) {unknown}; tests: {', '.join(TESTS)}")
        return 2
    os.makedirs(LOGS, exist_ok=True)
    t = Tally()
    for name, fn in TESTS.items():
        if not argv or name in argv:
            try:
                fn(t)
            except subprocess.TimeoutExpired as e:
                t.check(f"{name}/timeout", False, str(e))
    print(t.line())
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
