#!/usr/bin/python3
"""The sampling profiler's host tool: read serial logs with the profiler
PD's sample lines, or the disk image it wrote its samples to, and write perf
script text, flame graphs per PD and for the whole system, and make
report's samples.

    scripts/pdprofile.py [-O BUILD_DIR] --system FILE [--perf FILE]
                         [--flamegraphs DIR] [--merge PROFILE_JSON] [--top N]
                         (LOG... | --disk IMAGE)

--disk reads a disk image (or a partition's image) the profiler PD exported
to through a block driver (pds/include/profiler_disk.h): the profiler's
partition is found by its header.
Samples are named from the build that produced the log: each PD's ELF in
BUILD_DIR/system/elf (default build/qemu_virt_aarch64), found through the
system description. Prints, per PD, its share of the samples and its top
functions. --merge fills the `samples` of a pd-profile (make report does
this when the system has a profiler). docs/debugging.md, "Sampling profiler".
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pddebug import profile, samples, system  # noqa: E402


def safe_name(name):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.splitlines()[2:]))
    p.add_argument("-O", dest="build", default="build/qemu_virt_aarch64", help="build directory")
    p.add_argument("--system", required=True, help="the system description of the build")
    p.add_argument("--perf", help="write perf script text here")
    p.add_argument("--flamegraphs", metavar="DIR", help="write system.svg and <pd>.svg here")
    p.add_argument("--merge", metavar="PROFILE", help="fill the samples of this pd-profile")
    p.add_argument("--top", type=int, default=5, help="functions listed per PD")
    p.add_argument("--disk", metavar="IMAGE", help="read the samples from this disk image")
    p.add_argument("logs", nargs="*")
    args = p.parse_args(argv)
    if bool(args.logs) == bool(args.disk):
        p.error("give either serial logs or --disk IMAGE")

    if args.disk:
        with open(args.disk, "rb") as f:
            try:
                cap = samples.parse_disk(f.read())
            except samples.DiskError as e:
                print(f"pdprofile: {args.disk}: {e}")
                return 1
        sources = [args.disk]
    else:
        lines = []
        for path in args.logs:
            with open(path, errors="replace") as f:
                lines += f.readlines()
        cap = samples.parse(lines)
        sources = args.logs
    if not cap.samples:
        print(f"pdprofile: no samples in {', '.join(sources)} (is a <profiler> PD in the system?)")
        return 0 if args.merge else 1
    programs = {k: v for k, v in system.pd_programs(args.system, os.path.join(args.build, "system",
                                                                                "elf")).items() if v}
    monitor = os.path.join(args.build, "pds", "monitor", "monitor.elf")
    if os.path.isfile(monitor):
        programs.setdefault("monitor", monitor)
    resolved = samples.resolve(cap, args.system, programs=programs)
    stacks = samples.fold(resolved)
    tops, per_pd = samples.top_functions(stacks)
    total = sum(per_pd.values())
    cores = samples.per_core(cap, resolved)
    print(f"pdprofile: {total} samples, one every {cap.period} {cap.event} on average on each of "
          f"{cap.cores} core{'s' if cap.cores != 1 else ''}; "
          f"{cap.dropped} dropped by the kernel (buffer full)")
    for pd, n in sorted(per_pd.items(), key=lambda kv: -kv[1]):
        funcs = ", ".join(f"{f} {c}" for f, c in tops[pd][:args.top])
        print(f"  {pd:<20} {100.0 * n / total:6.2f}%  {funcs}")
    if len(cores) > 1 or cap.cores > 1:
        # Each core's own share: which PDs it ran and their top function.
        for core, pds in sorted(cores.items()):
            n_core = sum(v[0] for v in pds.values())
            parts = []
            for pd, (n, funcs) in sorted(pds.items(), key=lambda kv: -kv[1][0])[:args.top]:
                top = max(funcs.items(), key=lambda kv: (kv[1], kv[0]))[0]
                parts.append(f"{pd} {100.0 * n / n_core:.1f}% ({top})")
            print(f"  core {core}: {n_core} samples: {', '.join(parts)}")
    pd_ids = {name: i + 1 for i, name in enumerate(programs)}
    if args.perf:
        with open(args.perf, "w") as f:
            f.write(samples.perf_script(cap, resolved, pd_ids))
        print(f"pdprofile: wrote {args.perf}")
    if args.flamegraphs:
        os.makedirs(args.flamegraphs, exist_ok=True)
        graphs = {"system": samples.flamegraph(stacks, "all PDs")}
        for pd in per_pd:
            graphs[safe_name(pd)] = samples.flamegraph(stacks, f"PD '{pd}'", pd=pd)
        for name, svg in graphs.items():
            with open(os.path.join(args.flamegraphs, name + ".svg"), "w") as f:
                f.write(svg)
        print(f"pdprofile: wrote {len(graphs)} flame graphs to {args.flamegraphs}")
    if args.merge:
        data = profile.load(args.merge)
        known = {pd["name"] for pd in data["pds"]}
        # Only the samples taken in the profile's window (both in kernel ticks).
        start, end = data["window"].get("start_ticks"), data["window"].get("end_ticks")
        renamed, times = {}, []
        for s, (pd, frames) in zip(cap.samples, resolved):
            if start is not None and end is not None and not start <= s.time <= end:
                continue
            times.append(s.time)
            key = (pd if pd in known or pd in profile.OTHER_SAMPLE_OWNERS else "other",
                   tuple(f[0] for f in frames))
            renamed[key] = renamed.get(key, 0) + 1
        data["samples"] = samples.profile_samples(cap, renamed, times)
        profile.write(args.merge, data)
        print(f"pdprofile: samples merged into {args.merge}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
