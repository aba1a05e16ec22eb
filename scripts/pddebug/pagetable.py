"""AArch64 translation tables of a VSpace (4 KiB granule), as the kernel builds
them (kernel/arch/aarch64/include/arch/pte.h, the Arm ARM's descriptor
formats): with an EL1 kernel, stage-1 tables for 48-bit addresses walked from
level 0 (STAGE1); with an EL2 (hypervisor) kernel, stage-2 tables for a 40-bit
IPA walked from level 1, whose root is two concatenated tables of 1024 entries
in all (STAGE2). Pure Python: the caller supplies a function that reads one
table (512 descriptors) at a physical address, so the same walk serves gdb
(through QEMU's physical-memory mode) and the host unit tests.
"""
from dataclasses import dataclass

ENTRIES = 512
TABLE_BYTES = 8 * ENTRIES
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


def _output(desc, level):
    return desc & ADDRESS_MASK & ~((1 << level_bits(level)) - 1)


def _stage1_leaf(vaddr, desc, level):
    """AP[2] (bit 7) read-only, AP[1] (bit 6) EL0 access, UXN (bit 54), AttrIndx (bits 4:2)."""
    return Mapping(vaddr=vaddr, paddr=_output(desc, level), size=1 << level_bits(level),
                   writable=not (desc >> 7) & 1, executable=not (desc >> 54) & 1,
                   user=bool((desc >> 6) & 1), device=((desc >> 2) & 7) in DEVICE_ATTR_INDICES)


def _stage2_leaf(vaddr, desc, level):
    """S2AP (bits 7:6: write, read), XN (bit 54), MemAttr[3:2] (bits 5:4) 0: Device."""
    return Mapping(vaddr=vaddr, paddr=_output(desc, level), size=1 << level_bits(level),
                   writable=bool((desc >> 7) & 1), executable=not (desc >> 54) & 1,
                   user=bool((desc >> 6) & 1), device=((desc >> 4) & 3) == 0)


@dataclass(frozen=True)
class Regime:
    root_level: int
    root_tables: int            # concatenated tables the root is made of
    leaf: object                # (vaddr, descriptor, level) -> Mapping


STAGE1 = Regime(root_level=0, root_tables=1, leaf=_stage1_leaf)
STAGE2 = Regime(root_level=1, root_tables=2, leaf=_stage2_leaf)


def _entries(read_table, table, level, regime):
    if level != regime.root_level:
        return read_table(table)
    return [e for i in range(regime.root_tables) for e in read_table(table + i * TABLE_BYTES)]


def _is_leaf(kind, level):
    return (kind == 3 and level == 3) or (kind == 1 and level in (1, 2))


def translate(read_table, root, vaddr, regime=STAGE1):
    """The Mapping that holds `vaddr`, or None if nothing maps it."""
    table = root
    for level in range(regime.root_level, 4):
        entries = _entries(read_table, table, level, regime)
        index = vaddr >> level_bits(level)
        if level != regime.root_level:
            index &= ENTRIES - 1
        elif index >= len(entries):
            return None         # beyond the address space the root covers
        desc = entries[index]
        kind = desc & 3
        if kind == 3 and level < 3:
            table = desc & ADDRESS_MASK
            continue
        if _is_leaf(kind, level):
            return regime.leaf(vaddr & ~((1 << level_bits(level)) - 1), desc, level)
        return None
    return None


def mappings(read_table, root, limit=1 << 16, regime=STAGE1):
    """Every leaf mapping below `root`, in address order; at most `limit`."""
    found = []

    def walk(table, level, base):
        for i, desc in enumerate(_entries(read_table, table, level, regime)):
            if len(found) >= limit:
                return
            vaddr = base | (i << level_bits(level))
            kind = desc & 3
            if kind == 3 and level < 3:
                walk(desc & ADDRESS_MASK, level + 1, vaddr)
            elif _is_leaf(kind, level):
                found.append(regime.leaf(vaddr, desc, level))

    walk(root, regime.root_level, 0)
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
