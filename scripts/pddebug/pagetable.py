"""AArch64 stage-1 translation tables (4 KiB granule, 48-bit addresses, four
levels), as the kernel builds them for every VSpace (kernel/include/arch/pte.h,
the Arm ARM's descriptor formats). Pure Python: the caller supplies a function
that reads one table (512 descriptors) at a physical address, so the same walk
serves gdb (through QEMU's physical-memory mode) and the host unit tests.
"""
from dataclasses import dataclass

LEVELS = 4
ENTRIES = 512
ADDRESS_MASK = 0x0000_ffff_ffff_f000
DEVICE_ATTR_INDICES = (0, 1, 2)     # MAIR indices 0-2 are Device memory (docs/architecture.md)


@dataclass(frozen=True)
class Mapping:
    vaddr: int
    paddr: int
    size: int
    writable: bool
    executable: bool
    user: bool
    device: bool


def level_bits(level):
    """log2 of the bytes one entry covers at `level` (0 = root): 39, 30, 21, 12."""
    return 39 - 9 * level


def _leaf(vaddr, desc, level):
    return Mapping(vaddr=vaddr, paddr=desc & ADDRESS_MASK & ~((1 << level_bits(level)) - 1),
                   size=1 << level_bits(level), writable=not (desc >> 7) & 1,
                   executable=not (desc >> 54) & 1, user=bool((desc >> 6) & 1),
                   device=((desc >> 2) & 7) in DEVICE_ATTR_INDICES)


def translate(read_table, root, vaddr):
    """The Mapping that holds `vaddr`, or None if nothing maps it."""
    table = root
    for level in range(LEVELS):
        desc = read_table(table)[(vaddr >> level_bits(level)) & (ENTRIES - 1)]
        kind = desc & 3
        if kind == 3 and level < 3:
            table = desc & ADDRESS_MASK
            continue
        if (kind == 3 and level == 3) or (kind == 1 and level in (1, 2)):
            base = vaddr & ~((1 << level_bits(level)) - 1)
            return _leaf(base, desc, level)
        return None
    return None


def mappings(read_table, root, limit=1 << 16):
    """Every leaf mapping below `root`, in address order; at most `limit`."""
    found = []

    def walk(table, level, base):
        entries = read_table(table)
        for i, desc in enumerate(entries):
            if len(found) >= limit:
                return
            vaddr = base | (i << level_bits(level))
            kind = desc & 3
            if kind == 3 and level < 3:
                walk(desc & ADDRESS_MASK, level + 1, vaddr)
            elif (kind == 3 and level == 3) or (kind == 1 and level in (1, 2)):
                found.append(_leaf(vaddr, desc, level))

    walk(root, 0, 0)
    return found


def merge(maps):
    """Join mappings that are contiguous in both address spaces and alike."""
    out = []
    for m in maps:
        last = out[-1] if out else None
        if (last and last.vaddr + last.size == m.vaddr and last.paddr + last.size == m.paddr
                and (last.writable, last.executable, last.user, last.device)
                == (m.writable, m.executable, m.user, m.device)):
            out[-1] = Mapping(last.vaddr, last.paddr, last.size + m.size, m.writable,
                              m.executable, m.user, m.device)
        else:
            out.append(m)
    return out
