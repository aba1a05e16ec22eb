"""Decoding the kernel's two-word capabilities (kernel/include/object/cap.h).

cap.h is the one definition of the encoding; its accessors are inline C that
debug info does not describe, so the field positions are restated here and
tests/host/debug checks this decoder against cap.h's own constructors. The
type numbers are not restated: the caller passes the names of `enum cap_type`
(from the kernel's debug info in gdb, from cap.h in the host test).
"""
from dataclasses import dataclass, field

TYPE_SHIFT = 59
PTR_BITS = 44
PPTR_BASE_BITS = 39     # the physical-memory window: PPTR_BASE + paddr


def bits(word, shift, width):
    return (word >> shift) & ((1 << width) - 1)


def rights_text(r):
    """seL4_CapRights word: bit 0 write, 1 read, 2 grant, 3 grant-reply."""
    return "".join(c if r & (1 << i) else "-" for i, c in ((1, "R"), (0, "W"), (2, "G"), (3, "g")))


FRAME_SIZE_BITS = {0: 12, 1: 21, 2: 30}
VM_RIGHTS = {1: "kernel-only", 2: "RO", 3: "RW"}


@dataclass
class Cap:
    type: str                   # "endpoint", "cnode", ... ("cap_" stripped), or "unknown(N)"
    w0: int
    w1: int
    paddr: int = None           # physical address of the object, if it names one
    rights: str = None
    badge: int = None
    details: dict = field(default_factory=dict)

    def describe(self):
        parts = [self.type]
        if self.paddr is not None:
            parts.append(f"@0x{self.paddr:x}")
        if self.rights is not None:
            parts.append(f"rights {self.rights}")
        if self.badge is not None:
            parts.append(f"badge 0x{self.badge:x}")
        parts += [f"{k} {v}" for k, v in self.details.items()]
        return "  ".join(parts)


def decode(w0, w1, type_names):
    """Decode one capability; type_names maps enum cap_type values to names."""
    number = w0 >> TYPE_SHIFT
    name = type_names.get(number, f"unknown({number})")
    name = name[4:] if name.startswith("cap_") else name
    cap = Cap(name, w0, w1)
    ptr = bits(w0, 0, PTR_BITS) << 4
    if name in ("endpoint", "notification"):
        cap.paddr, cap.badge = ptr, w1
        cap.rights = rights_text(bits(w0, 54, 4))
    elif name == "reply":
        cap.paddr = ptr
        cap.details["can_grant"] = bool(bits(w0, 58, 1))
    elif name == "cnode":
        cap.paddr = ptr
        cap.details.update(radix=bits(w0, 53, 6), guard_bits=bits(w0, 47, 6), guard=hex(w1))
    elif name == "thread":
        cap.paddr = ptr
    elif name == "sched_context":
        cap.paddr = ptr
        cap.details["size_bits"] = bits(w0, 53, 6)
    elif name == "untyped":
        cap.paddr = ptr
        size_bits = bits(w0, 52, 6)
        # cap.h: free index in 16-byte units; clean limit in granules
        widest = 27
        granule = min(size_bits - widest if size_bits > 12 + widest else 12, size_bits)
        clean = (bits(w1, 44, 20) | (bits(w0, 44, 8) << 20)) << granule
        cap.details.update(size_bits=size_bits, device=bool(bits(w0, 58, 1)),
                           free_index=bits(w1, 0, 44) << 4, clean_limit=clean)
    elif name == "zombie":
        cap.paddr = ptr
        original = bits(w0, 47, 5)
        cap.details["of"] = type_names.get(original, str(original)).replace("cap_", "")
        cap.details["slots_left"] = w1
    elif name == "frame":
        cap.paddr = bits(w0, 0, 36) << 12
        cap.rights = VM_RIGHTS.get(bits(w0, 55, 2), "?")
        cap.details["size_bits"] = FRAME_SIZE_BITS.get(bits(w0, 57, 2), "?")
        if bits(w0, 54, 1):
            cap.details["device"] = True
        if bits(w1, 63, 1):
            cap.details["mapped"] = f"0x{bits(w1, 0, 48):x} asid {bits(w0, 38, 16)}"
    elif name in ("page_table", "vspace"):
        cap.paddr = bits(w0, 0, 36) << 12
        if bits(w1, 63, 1):
            cap.details["mapped"] = f"0x{bits(w1, 0, 48):x} asid {bits(w0, 38, 16)}"
    elif name == "asid_pool":
        cap.paddr = bits(w0, 0, 36) << 12
        cap.details["asid_base"] = bits(w0, 36, 7) << 9
    elif name == "irq_handler":
        cap.details["irq"] = w1
    elif name == "sched_control":
        cap.details["core"] = w1
    elif name == "smc":
        cap.badge = w1
    return cap


def cnode_index(cptr, depth, radix, guard_bits, guard):
    """One level of seL4's CSpace lookup: (slot index, bits resolved) or an error text."""
    if guard_bits + radix > depth:
        return None, f"depth mismatch ({depth} bits left, the CNode needs {guard_bits + radix})"
    shift = depth - guard_bits
    if guard_bits and bits(cptr, shift, guard_bits) != bits(guard, 0, guard_bits):
        return None, f"guard mismatch (found 0x{bits(cptr, shift, guard_bits):x}, guard 0x{guard:x})"
    return bits(cptr, depth - guard_bits - radix, radix), guard_bits + radix
