"""A minimal AArch64 ELF core file: one thread's registers and the memory of
one address space, in the layout Linux writes (so gdb reads it with its
aarch64-linux register sets). `pd switch` uses it to show gdb a PD that is
not running: its registers from its TCB, its memory through its page tables.
"""
import struct

ET_CORE, EM_AARCH64, PT_LOAD, PT_NOTE = 4, 183, 1, 4
NT_PRSTATUS, NT_FPREGSET, NT_PRPSINFO = 1, 2, 3
PF_X, PF_W, PF_R = 1, 2, 4
EHDR_SIZE, PHDR_SIZE = 64, 56
PRSTATUS_SIZE, PRSTATUS_REGS_OFFSET = 392, 112    # struct elf_prstatus on arm64
PRPSINFO_SIZE = 136
FPREGSET_SIZE = 528                               # struct user_fpsimd_state


def _note(name, kind, desc):
    name = name.encode() + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(name), len(desc), kind) + pad(name) + pad(desc)


def prstatus(regs, pid=1):
    """regs: x0..x30, sp, pc, pstate (34 values)."""
    if len(regs) != 34:
        raise ValueError("need x0..x30, sp, pc and pstate")
    desc = bytearray(PRSTATUS_SIZE)
    struct.pack_into("<I", desc, 32, pid)                      # pr_pid
    struct.pack_into("<34Q", desc, PRSTATUS_REGS_OFFSET, *[r & (2**64 - 1) for r in regs])
    return _note("CORE", NT_PRSTATUS, bytes(desc))


def prpsinfo(name):
    desc = bytearray(PRPSINFO_SIZE)
    fname = name.encode()[:15]
    desc[40:40 + len(fname)] = fname
    args = name.encode()[:79]
    desc[56:56 + len(args)] = args
    return _note("CORE", NT_PRPSINFO, bytes(desc))


def fpregset(vregs, fpsr, fpcr):
    """vregs: 32 128-bit values."""
    desc = bytearray(FPREGSET_SIZE)
    for i, v in enumerate(vregs):
        struct.pack_into("<QQ", desc, 16 * i, v & (2**64 - 1), (v >> 64) & (2**64 - 1))
    struct.pack_into("<II", desc, 512, fpsr, fpcr)
    return _note("CORE", NT_FPREGSET, bytes(desc))


def write(path, notes, segments):
    """segments: (vaddr, data, writable, executable); notes: from the helpers above."""
    note_data = b"".join(notes)
    phnum = 1 + len(segments)
    offset = EHDR_SIZE + PHDR_SIZE * phnum
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)       # 64-bit, little endian
    out = bytearray(ident + struct.pack("<HHIQQQIHHHHHH", ET_CORE, EM_AARCH64, 1, 0,
                                        EHDR_SIZE, 0, 0, EHDR_SIZE, PHDR_SIZE, phnum, 0, 0, 0))
    out += struct.pack("<IIQQQQQQ", PT_NOTE, 0, offset, 0, 0, len(note_data), 0, 4)
    data_offset = offset + len(note_data)
    data_offset += -data_offset % 4096
    placed = []
    for vaddr, data, writable, executable in segments:
        flags = PF_R | (PF_W if writable else 0) | (PF_X if executable else 0)
        out += struct.pack("<IIQQQQQQ", PT_LOAD, flags, data_offset, vaddr, 0, len(data),
                           len(data), 4096)
        placed.append((data_offset, data))
        data_offset += len(data) + (-len(data) % 4096)
    out += note_data
    for where, data in placed:
        out += bytes(where - len(out))
        out += data
    with open(path, "wb") as f:
        f.write(out)
