"""Unit tests of the debugging tools' pure Python parts (tests/host/debug/run.sh)."""
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from pddebug import caps, elf, elfcore, pagetable, profile, samples, system  # noqa: E402
import symbolise  # noqa: E402
import sysreport  # noqa: E402


class FakeMemory:
    """Translation tables at made-up physical addresses."""

    def __init__(self):
        self.tables = {}
        self.next = 0x1000

    def table(self):
        addr = self.next
        self.next += 0x1000
        self.tables[addr] = [0] * 512
        return addr

    def read(self, paddr):
        return self.tables[paddr]

    def map(self, root, vaddr, paddr, level=3, attrs=4 << 2, ro=False, xn=False):
        table = root
        for lvl in range(level):
            i = (vaddr >> pagetable.level_bits(lvl)) & 511
            if not self.tables[table][i]:
                self.tables[table][i] = self.table() | 3
            table = self.tables[table][i] & pagetable.ADDRESS_MASK
        i = (vaddr >> pagetable.level_bits(level)) & 511
        kind = 3 if level == 3 else 1
        self.tables[table][i] = paddr | kind | attrs | (1 << 6) | (1 << 10) | (ro << 7) | (xn << 54)


class PageTableTest(unittest.TestCase):
    def setUp(self):
        self.mem = FakeMemory()
        self.root = self.mem.table()
        self.mem.map(self.root, 0x200000, 0x40100000, xn=False, ro=True)
        self.mem.map(self.root, 0x201000, 0x40101000, xn=True)
        self.mem.map(self.root, 0x4000000, 0x60000000, level=2, xn=True)
        self.mem.map(self.root, 0x7ffffffff000, 0x40200000, xn=True)
        self.mem.map(self.root, 0x9000000, 0x9000000, attrs=0, xn=True)   # device

    def test_translate_pages_and_blocks(self):
        m = pagetable.translate(self.mem.read, self.root, 0x200123)
        self.assertEqual((m.vaddr, m.paddr, m.size, m.writable, m.executable), (0x200000, 0x40100000, 4096, False, True))
        m = pagetable.translate(self.mem.read, self.root, 0x4123456)
        self.assertEqual((m.vaddr, m.paddr, m.size), (0x4000000, 0x60000000, 2 << 20))
        self.assertIsNone(pagetable.translate(self.mem.read, self.root, 0x202000))
        self.assertTrue(pagetable.translate(self.mem.read, self.root, 0x9000000).device)

    def test_mappings_in_order_and_merged(self):
        maps = pagetable.mappings(self.mem.read, self.root)
        self.assertEqual([m.vaddr for m in maps], [0x200000, 0x201000, 0x4000000, 0x9000000, 0x7ffffffff000])
        self.mem.map(self.root, 0x202000, 0x40102000, xn=True)
        merged = pagetable.merge(pagetable.mappings(self.mem.read, self.root))
        self.assertEqual([(m.vaddr, m.size) for m in merged][:2], [(0x200000, 0x1000), (0x201000, 0x2000)])


class Stage2PageTableTest(unittest.TestCase):
    """An EL2 kernel's VSpace: stage-2 tables for a 40-bit IPA, walked from
    level 1 with a root of two concatenated tables (pte.h)."""

    S2_NORMAL_WB, S2_DEVICE = 0xf << 2, 0x0 << 2
    S2_RO, S2_RW, S2_XN = 1 << 6, 3 << 6, 1 << 54

    def setUp(self):
        self.mem = FakeMemory()
        self.root = self.mem.table()
        self.mem.table()        # the root's second half: the next page
        self.map(0x200000, 0x40100000, self.S2_NORMAL_WB | self.S2_RO)
        self.map(0x201000, 0x40101000, self.S2_NORMAL_WB | self.S2_RW | self.S2_XN)
        self.map(0x4000000, 0x60000000, self.S2_NORMAL_WB | self.S2_RW | self.S2_XN, level=2)
        self.map(0x9000000, 0x9000000, self.S2_DEVICE | self.S2_RW | self.S2_XN)
        self.map(0xfffffff000, 0x40200000, self.S2_NORMAL_WB | self.S2_RW | self.S2_XN)

    def map(self, vaddr, paddr, attrs, level=3):
        index = vaddr >> pagetable.level_bits(1)
        table = self.root + (index // 512) * 0x1000
        for lvl in range(1, level):
            i = (vaddr >> pagetable.level_bits(lvl)) & 511
            if not self.mem.tables[table][i]:
                self.mem.tables[table][i] = self.mem.table() | 3
            table = self.mem.tables[table][i] & pagetable.ADDRESS_MASK
        i = (vaddr >> pagetable.level_bits(level)) & 511
        self.mem.tables[table][i] = paddr | (3 if level == 3 else 1) | attrs | (1 << 10)

    def translate(self, vaddr):
        return pagetable.translate(self.mem.read, self.root, vaddr, pagetable.STAGE2)

    def test_translate_pages_blocks_and_permissions(self):
        m = self.translate(0x200123)
        self.assertEqual((m.vaddr, m.paddr, m.size, m.writable, m.executable, m.user, m.device),
                         (0x200000, 0x40100000, 4096, False, True, True, False))
        m = self.translate(0x201010)
        self.assertEqual((m.writable, m.executable), (True, False))
        m = self.translate(0x4123456)
        self.assertEqual((m.vaddr, m.paddr, m.size), (0x4000000, 0x60000000, 2 << 20))
        self.assertTrue(self.translate(0x9000000).device)
        self.assertIsNone(self.translate(0x202000))

    def test_top_of_the_ipa_is_in_the_roots_second_table(self):
        m = self.translate(0xffffffffff)
        self.assertEqual((m.vaddr, m.paddr), (0xfffffff000, 0x40200000))
        self.assertIsNone(self.translate(0x10000000000))     # beyond 40 bits

    def test_mappings_in_order(self):
        maps = pagetable.mappings(self.mem.read, self.root, regime=pagetable.STAGE2)
        self.assertEqual([m.vaddr for m in maps], [0x200000, 0x201000, 0x4000000, 0x9000000, 0xfffffff000])


class CapsTest(unittest.TestCase):
    """The decoder against the kernel's cap.h constructors (cap_encodings.c)."""

    def test_against_cap_h(self):
        out = subprocess.run([os.environ["CAP_ENCODINGS"]], stdout=subprocess.PIPE, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()]
        names = {int(r[0]): r[1] for r in rows}
        names[0] = "cap_null"
        for number, name, w0, w1, *fields in rows:
            with self.subTest(cap=name):
                cap = caps.decode(int(w0, 16), int(w1, 16), names)
                self.assertEqual(cap.type, name[4:])
                for f in fields:
                    key, value = f.split("=")
                    if key == "paddr":
                        self.assertEqual(cap.paddr, int(value, 16))
                    elif key == "badge":
                        self.assertEqual(cap.badge, int(value, 16))
                    elif key == "rights":
                        self.assertEqual(cap.rights, value)
                    elif key == "mapped":
                        vaddr, asid = value.split(",")
                        self.assertEqual(cap.details["mapped"], f"0x{int(vaddr, 16):x} asid {asid}")
                    else:
                        self.assertEqual(str(cap.details[key]), value)

    def test_cnode_index(self):
        # The Microkit CNode: guard 49 bits of 0, radix 9; CPtr 10 is slot 10.
        self.assertEqual(caps.cnode_index(10, 58, 9, 49, 0), (10, 58))
        index, why = caps.cnode_index(1 << 20, 58, 9, 49, 0)
        self.assertIsNone(index)
        self.assertIn("guard mismatch", why)
        self.assertIn("depth mismatch", caps.cnode_index(0, 8, 9, 0, 0)[1])


class ElfCoreTest(unittest.TestCase):
    def test_layout(self):
        regs = list(range(100, 134))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.core")
            elfcore.write(path, [elfcore.prpsinfo("ping"), elfcore.prstatus(regs)],
                          [(0x200000, b"\x01" * 4096, False, True), (0x7ffffffff000, b"\x02" * 8, True, False)])
            data = open(path, "rb").read()
        self.assertEqual(data[:4], b"\x7fELF")
        e_type, machine = struct.unpack_from("<HH", data, 16)
        phoff, = struct.unpack_from("<Q", data, 32)
        phnum, = struct.unpack_from("<H", data, 56)
        self.assertEqual((e_type, machine, phnum), (4, 183, 3))
        note = struct.unpack_from("<IIQQQQQQ", data, phoff)
        loads = [struct.unpack_from("<IIQQQQQQ", data, phoff + 56 * i) for i in (1, 2)]
        self.assertEqual(note[0], 4)
        self.assertEqual([(l[0], l[3], l[5]) for l in loads], [(1, 0x200000, 4096), (1, 0x7ffffffff000, 8)])
        self.assertEqual(loads[0][1], 5)        # R X
        self.assertEqual(data[loads[1][2]:loads[1][2] + 8], b"\x02" * 8)
        # NT_PRSTATUS: the registers at offset 112 of its descriptor.
        pos = note[2]
        for _ in range(2):
            namesz, descsz, kind = struct.unpack_from("<III", data, pos)
            desc = pos + 12 + ((namesz + 3) & ~3)
            if kind == elfcore.NT_PRSTATUS:
                self.assertEqual(descsz, 392)
                self.assertEqual(list(struct.unpack_from("<34Q", data, desc + 112)), regs)
            pos = desc + ((descsz + 3) & ~3)

    def test_register_count_checked(self):
        with self.assertRaises(ValueError):
            elfcore.prstatus([0] * 33)


SAMPLE_DOT = """digraph system {
  pd0 [id="pd:server", shape=box, style="rounded,dashed", label="server\\nprio 200, passive"];
  pd1 [id="pd:client", shape=box, style="rounded", label="client\\nprio 100"];
  pd1 -> pd0 [id="ch:client:0:server:1", dir=both, label="0:1"];
  pd1 -> pd0 [id="ppc:client:0:server:1", style=bold, color=blue, label="ppc"];
}
"""


def sample_profile(stacks=()):
    pds = [{"name": n, "priority": p, "budget_us": 1000, "period_us": 1000, "passive": n == "server",
            "state": "running", "cpu_us": cpu, "cpu_share": cpu / 10000, "budget_share": 1.0,
            "events": {"wakeups": 1, "faults_received": 0}, "channels": {}}
           for n, p, cpu in (("server", 200, 100), ("client", 100, 2500))]
    counts = {"client": {0: {"notifications_sent": 2, "ppcs_sent": 7}}, "server": {1: {"notifications_sent": 3}}}
    data = {"format": profile.FORMAT, "version": profile.VERSION, "system": "ppc.system", "source": "test",
            "window": {"start_ticks": 0, "end_ticks": 625000, "timer_hz": 62500000, "seconds": 0.01},
            "pds": pds, "channels": profile.channels([("client", 0, "server", 1), ("server", 1, "client", 0)], counts),
            "other": {"monitor_cpu_us": 0, "unaccounted_us": 7400},
            "samples": {"period_us": 100, "total": sum(s["count"] for s in stacks), "stacks": list(stacks)}}
    return profile.check(data)


class ProfileTest(unittest.TestCase):
    def test_channels_paired_once_with_both_directions(self):
        data = sample_profile()
        self.assertEqual(len(data["channels"]), 1)
        c = data["channels"][0]
        self.assertEqual((c["notifications_a_to_b"], c["notifications_b_to_a"], c["ppcs_a_to_b"], c["ppcs_b_to_a"]),
                         (2, 3, 7, 0))

    def test_rejects_bad_files(self):
        for change in ({"format": "x"}, {"version": 99}):
            with self.assertRaises(profile.FormatError):
                profile.check(dict(sample_profile(), **change))
        bad = sample_profile()
        bad["channels"][0]["a"]["pd"] = "nobody"
        with self.assertRaises(profile.FormatError):
            profile.check(bad)

    def test_sample_shares(self):
        data = sample_profile([{"pd": "client", "frames": ["crc32", "notified"], "count": 30},
                               {"pd": "client", "frames": ["memcpy"], "count": 10},
                               {"pd": "server", "frames": ["protected"], "count": 10}])
        shares, tops = profile.sample_shares(data)
        self.assertAlmostEqual(shares["client"], 0.8)
        self.assertEqual(tops["client"][0], ("crc32", 30))


class ReportTest(unittest.TestCase):
    def test_dot_annotated_by_id(self):
        dot = sysreport.annotate_dot(SAMPLE_DOT, sample_profile())
        self.assertIn('label="client\\nprio 100\\nCPU 25.0% of 100.0%"', dot)
        self.assertIn('fillcolor="%s"' % sysreport.pd_colour(1), dot)
        self.assertIn('style="filled,rounded,dashed"', dot)
        self.assertIn('label="0:1\\nnotify 2> <3"', dot)
        self.assertIn('label="ppc\\n7 calls"', dot)

    def test_colours_distinct(self):
        cols = [sysreport.pd_colour(i) for i in range(63)]
        self.assertEqual(len(set(cols)), 63)

    def test_html_with_samples(self):
        data = sample_profile([{"pd": "client", "frames": ["crc32"], "count": 3}])
        page = sysreport.build_html(data, "<svg></svg>")
        self.assertIn("<h2>Samples</h2>", page)
        self.assertIn("crc32 (3)", page)
        self.assertIn("client:0 &harr; server:1", page)

    def test_html_without_samples(self):
        self.assertNotIn("Samples", sysreport.build_html(sample_profile(), "<svg></svg>"))

    def test_html_names_the_cores(self):
        data = sample_profile()
        self.assertNotIn("cores", sysreport.build_html(data, "<svg></svg>"))
        data["window"]["cores"] = 4
        self.assertIn("Hz, on 4 cores)", sysreport.build_html(data, "<svg></svg>"))


class SystemTest(unittest.TestCase):
    def test_programs_nested_and_symbols_path(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "elf"))
            for f in ("elf/parent.elf", "elf/kid.elf", "kid.debug"):
                open(os.path.join(d, f), "w").close()
            sysfile = os.path.join(d, "x.system")
            with open(sysfile, "w") as f:
                f.write('<system><protection_domain name="p"><program_image path="parent.elf"/>'
                        '<protection_domain name="k" id="0"><program_image path="sub/kid.elf" '
                        'path_for_symbols="kid.debug"/></protection_domain></protection_domain>'
                        '<protection_domain name="gone"><program_image path="missing.elf"/></protection_domain>'
                        '</system>')
            found = system.pd_programs(sysfile, os.path.join(d, "elf"))
        self.assertEqual(list(found), ["p", "k", "gone"])
        self.assertTrue(found["p"].endswith("elf/parent.elf"))
        self.assertTrue(found["k"].endswith("kid.debug"))
        self.assertIsNone(found["gone"])


class SymboliseTest(unittest.TestCase):
    def test_frames_of_the_named_pd_only(self):
        class Fake:
            def name(self, pd, address, return_address):
                return f"{pd}:{address:x}:{int(return_address)}"
        log = ["MON|ERROR: faulting PD: a", "pc : 0x0000000000200010",
               "MON|ERROR:   #0 0x0000000000200010", "MON|ERROR:   #1 0x0000000000200020 old+0x4",
               "unrelated #0 0x0000000000200010"]
        out = list(symbolise.annotate(log, Fake()))
        self.assertEqual(out[1], "pc : 0x0000000000200010  a:200010:0")
        self.assertEqual(out[2], "MON|ERROR:   #0 0x0000000000200010 a:200010:0")
        self.assertEqual(out[3], "MON|ERROR:   #1 0x0000000000200020 a:200020:1")
        self.assertEqual(out[4], log[4])


class ElfTest(unittest.TestCase):
    def test_symbols_of_a_host_binary(self):
        image = elf.ElfFile(os.environ["CAP_ENCODINGS"])
        main = image.symbol("main")
        self.assertIsNotNone(main)
        self.assertEqual(image.symbolise(main[0] + 4), "main+0x4")


class SamplesTest(unittest.TestCase):
    LOG = ["noise PROF|H 30d40 0 62500000 31",
           "PROF|T 43fb5800 2 spinner",
           "PROF|S 43fb5800 2 1000 200038 200070 20008c",
           "PROF|S 43fb5800 2 2000 200040 200070 20008c",
           "PROF|S 43fb6000 1 3000 200100",
           "PROF|S 0 0 4000 0",
           "PROF|S 43fb7000 4000000000000003 5000 200000",
           "PROF|S zz 1 2 3", "PROF|T 1", "PROF|N 40 7"]

    def test_parse_lines_and_reject_malformed(self):
        cap = samples.parse(self.LOG)
        self.assertEqual((cap.period, cap.event, cap.timer_hz, cap.capacity), (200000, "cycles", 62500000, 31))
        self.assertEqual(cap.names, {0x43fb5800: "spinner"})
        self.assertEqual(len(cap.samples), 5)
        self.assertEqual(cap.samples[0].chain, [0x200070, 0x20008c])
        self.assertEqual((cap.exported, cap.dropped, cap.bad_lines), (40, 7, 2))
        self.assertEqual(cap.cores, 1)
        self.assertEqual({s.core for s in cap.samples}, {0})

    def test_samples_with_their_core(self):
        cap = samples.parse(["PROF|H 30d40 0 62500000 31 4",
                             "PROF|C 2 43fb5800 2 1000 200038 200070",
                             "[profiler] PROF|C 3 0 0 2000 0",
                             "PROF|C 1 43fb5800", "PROF|H 1 2 3 4 5 6"])
        self.assertEqual(cap.cores, 4)
        self.assertEqual([(s.core, s.thread, s.time, s.pc, s.chain) for s in cap.samples],
                         [(2, 0x43fb5800, 1000, 0x200038, [0x200070]), (3, 0, 2000, 0, [])])
        self.assertEqual(cap.bad_lines, 2)
        resolved = [("spinner", [("spin", "spin+0x8", "s.elf", 0x200038)]),
                    ("idle", [("idle", "idle", "[kernel]", 0)])]
        self.assertEqual(samples.per_core(cap, resolved),
                         {2: {"spinner": [1, {"spin": 1}]}, 3: {"idle": [1, {"idle": 1}]}})
        text = samples.perf_script(cap, resolved, {"spinner": 1})
        self.assertEqual(text.splitlines()[0], "spinner 1/1 [002] 0.000016: 200000 cycles: ")
        self.assertEqual(text.splitlines()[3], "idle 0/0 [003] 0.000032: 200000 cycles: ")

    def _system(self, d):
        path = os.path.join(d, "s.system")
        with open(path, "w") as f:
            f.write('<system><protection_domain name="a"><program_image path="a.elf"/>'
                    '<protection_domain name="kid" id="3"><program_image path="k.elf"/>'
                    '</protection_domain></protection_domain>'
                    '<protection_domain name="spinner"><program_image path="s.elf"/>'
                    '</protection_domain></system>')
        return path

    def test_fault_badges_as_the_monitor_gives_them(self):
        with tempfile.TemporaryDirectory() as d:
            badges = samples.fault_badges(self._system(d))
        self.assertEqual(badges, {1: "a", 3: "spinner", samples.FAULT_BADGE | 3: "kid"})

    def test_pds_by_name_badge_and_idle(self):
        cap = samples.parse(self.LOG)

        class FakeElf:
            path = "x.elf"

            def symbolise(self, a):
                return {0x200038: "spin+0x8", 0x200040: "spin+0x10", 0x20006c: "loop+0xc",
                        0x200088: "init+0x8"}.get(a)
        with tempfile.TemporaryDirectory() as d:
            resolved = samples.resolve(cap, self._system(d), programs={"spinner": "s.elf", "a": "a.elf"})
        self.assertEqual([pd for pd, _ in resolved], ["spinner", "spinner", "a", "idle", "kid"])
        resolver = samples.Resolver({"spinner": "s.elf"}, {}, cap.names)
        resolver.files["s.elf"] = FakeElf()
        frames = resolver.frames("spinner", cap.samples[0])
        self.assertEqual([f[1] for f in frames], ["spin+0x8", "loop+0x10", "init+0xc"])
        self.assertEqual([f[0] for f in resolver.frames("idle", cap.samples[3])], ["idle"])

    def test_fold_perf_flamegraph_and_profile(self):
        cap = samples.parse(self.LOG[:4])
        resolved = [("spinner", [("spin", "spin+0x8", "s.elf", 0x200038), ("loop", "loop+0x10", "s.elf", 0x200070)]),
                    ("spinner", [("spin", "spin+0x10", "s.elf", 0x200040), ("loop", "loop+0x10", "s.elf", 0x200070)])]
        stacks = samples.fold(resolved)
        self.assertEqual(stacks, {("spinner", ("spin", "loop")): 2})
        tops, per_pd = samples.top_functions(stacks)
        self.assertEqual((tops, per_pd), ({"spinner": [("spin", 2)]}, {"spinner": 2}))
        text = samples.perf_script(cap, resolved, {"spinner": 2})
        self.assertEqual(text.splitlines()[:4], ["spinner 2/2 [000] 0.000016: 200000 cycles: ",
                                                 "\t          200038 spin+0x8 (s.elf)",
                                                 "\t          200070 loop+0x10 (s.elf)", ""])
        svg = samples.flamegraph(stacks, "t<x>")
        import xml.etree.ElementTree as ET
        root = ET.fromstring(svg.split("\n", 1)[1])
        titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
        self.assertIn("spin (2 samples, 100.00%)", titles)
        self.assertIn("t&lt;x&gt; (2 samples)", svg)
        data = sample_profile()
        data["samples"] = samples.profile_samples(cap, {("client", ("spin", "loop")): 2}, [1000, 2000])
        self.assertAlmostEqual(data["samples"]["period_us"], 16.0)
        profile.check(data)


class DiskTest(unittest.TestCase):
    """The profiler's disk export (pds/include/profiler_disk.h) as pdprofile
    reads it."""

    def test_layouts_match_the_c_headers(self):
        out = subprocess.run([os.environ["PROFILER_LAYOUT"]], stdout=subprocess.PIPE, text=True,
                             check=True).stdout
        c = dict(line.split(" ", 1) for line in out.splitlines())
        self.assertEqual(c["magic"].encode(), samples.DISK_MAGIC)
        self.assertEqual(int(c["version"]), samples.DISK_VERSION)
        self.assertEqual(int(c["block"]), samples.DISK_BLOCK)
        self.assertEqual(int(c["header_size"]), samples.DISK_HEADER.size)
        # records, period and cores: fields 3, 8 and 11 of the format
        offsets = [struct.calcsize("<" + samples.DISK_HEADER.format[1:][:k]) for k in (4, 9, 12)]
        self.assertEqual(offsets, [int(c["header.records"]), int(c["header.period"]),
                                   int(c["header.cores"])])
        self.assertEqual(int(c["record_size"]), samples.RECORD.size)
        self.assertEqual([int(c[k]) for k in ("record.core", "record.thread", "record.pc", "record.chain")],
                         [2, 8, 32, 40])
        self.assertEqual(int(c["chain_max"]), 11)
        self.assertEqual((int(c["sample"]), int(c["thread_name"])),
                         (samples.RECORD_SAMPLE, samples.RECORD_THREAD_NAME))

    @staticmethod
    def image(records, written=None, dropped=3, partition=True):
        """A disk: an MBR with the profiler's partition 1 at sector 8, then its header and records."""
        body = bytearray(samples.DISK_HEADER.pack(samples.DISK_MAGIC, samples.DISK_VERSION, 128,
                                                  len(records) if written is None else written,
                                                  dropped, 1000, 0, 7, 200000, 0, 62500000, 4))
        body += bytes(samples.DISK_BLOCK - len(body))
        for r in records:
            body += r
        if not partition:
            return bytes(body)
        mbr = bytearray(8 * 512)
        mbr[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0", 8, len(body) // 512 + 1)
        mbr[510:512] = b"\x55\xaa"
        return bytes(mbr) + bytes(body)

    @staticmethod
    def sample(core, thread, time, pc, chain=()):
        return samples.RECORD.pack(1, core, len(chain), thread, 2, time, pc,
                                   *(list(chain) + [0] * (11 - len(chain))))

    @staticmethod
    def name(thread, text):
        raw = text.encode().ljust(88, b"\0")
        return struct.pack("<HHIQQQQ", 2, 0, 0, thread, 2, 0, 0) + raw

    def test_samples_names_and_header_from_a_partition(self):
        recs = [self.name(0x4000, "spin ner"), self.sample(0, 0x4000, 100, 0x200038, [0x200070]),
                self.sample(3, 0, 200, 0)]
        cap = samples.parse_disk(self.image(recs))
        self.assertEqual((cap.period, cap.event, cap.timer_hz, cap.cores, cap.exported, cap.dropped),
                         (200000, "cycles", 62500000, 4, 3, 3))
        self.assertEqual(cap.names, {0x4000: "spin_ner"})
        self.assertEqual([(s.core, s.thread, s.time, s.pc, s.chain) for s in cap.samples],
                         [(0, 0x4000, 100, 0x200038, [0x200070]), (3, 0, 200, 0, [])])
        # The same data as a bare partition image.
        self.assertEqual(len(samples.parse_disk(self.image(recs, partition=False)).samples), 2)

    def test_only_the_records_the_header_counts(self):
        recs = [self.sample(0, 1, t, 0x200000) for t in range(5)]
        self.assertEqual(len(samples.parse_disk(self.image(recs, written=2)).samples), 2)
        cut = self.image(recs)[:-128]     # the image ends inside the last record
        cap = samples.parse_disk(cut)
        self.assertEqual((len(cap.samples), cap.bad_lines), (4, 1))

    def test_bad_disks(self):
        with self.assertRaises(samples.DiskError):
            samples.parse_disk(bytes(4096))
        bad = bytearray(self.image([], partition=False))
        bad[8] = 9      # version
        with self.assertRaisesRegex(samples.DiskError, "version 9"):
            samples.parse_disk(bytes(bad))
        with self.assertRaises(samples.DiskError):
            samples.parse_disk(b"PDPROFIL")


class FakeGdb:
    """Just enough of gdb's Python API for pddebug/gdbext/stepover.py."""

    class error(Exception):
        pass

    def __init__(self):
        self.thread, self.regs, self.handlers = 1, {}, []
        outer = self

        class Events:
            class stop:
                @staticmethod
                def connect(fn):
                    outer.handlers.append(fn)
        self.events = Events

    def selected_thread(self):
        return type("Thread", (), {"global_num": self.thread})()

    def newest_frame(self):
        return type("Frame", (), {"read_register": lambda _, r: self.regs.get(r, 0)})()

    def stop(self):
        for fn in self.handlers:
            fn(None)


class StepOverTest(unittest.TestCase):
    """A hit where the thread has not moved since the last stop is QEMU's
    step that did not step: declined, a bounded number of times."""

    def setUp(self):
        import importlib
        self.gdb = FakeGdb()
        sys.modules["gdb"] = self.gdb
        from pddebug.gdbext import stepover
        self.so = importlib.reload(stepover)
        self.so.register()
        self.gdb.regs = {"pc": 0x200040, "x0": 1, "sp": 0x7ff000}
        self.gdb.stop()

    def tearDown(self):
        del sys.modules["gdb"]

    def test_unmoved_thread_is_declined_three_times(self):
        self.assertEqual([self.so.phantom_hit() for _ in range(4)], [True, True, True, False])

    def test_a_stop_resets_the_count(self):
        self.so.phantom_hit()
        self.gdb.stop()
        self.assertTrue(self.so.phantom_hit())

    def test_any_changed_register_is_a_real_hit(self):
        for reg in ("x0", "x30", "sp", "cpsr"):
            with self.subTest(reg=reg):
                self.gdb.regs[reg] = self.gdb.regs.get(reg, 0) + 1
                self.assertFalse(self.so.phantom_hit())
                self.gdb.stop()

    def test_another_thread_at_the_same_place_is_a_real_hit(self):
        self.gdb.thread = 2
        self.assertFalse(self.so.phantom_hit())


class Result(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"PASS debug/{test.id().split('.', 1)[1]}")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print(f"FAIL debug/{test.id().split('.', 1)[1]}: {self._exc_info_to_string(err, test)}")

    addError = addFailure

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            print(f"FAIL debug/{subtest.id().split('.', 1)[1]}: {self._exc_info_to_string(err, test)}")


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=open(os.devnull, "w"), resultclass=Result).run(suite)
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
