/*
 * sel4/shared_types.h - structures whose layout the kernel and user level
 * share: the message-info word, cap rights, CNode cap data, the IPC buffer,
 * the AArch64 register context and the SMC argument block.
 *
 * Pure: types plus side-effect-free inline bit-field helpers (no asm, no
 * globals), so the kernel can use the same helpers to decode messages.
 */
#ifndef SEL4_UAPI_SHARED_TYPES_H
#define SEL4_UAPI_SHARED_TYPES_H

#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>

#ifndef __ASSEMBLER__

SEL4_BEGIN_DECLS

/*
 * One-word bit-field types. libsel4 generates them from a bit-field
 * description; we spell out the same interface: T_new(...), and for each
 * field T_get_f(v), T_set_f(v, x) (returns the updated value),
 * T_ptr_get_f(&v) and T_ptr_set_f(&v, x). Setters mask the new value to
 * the field width.
 */
#define SEL4_FIELD_MASK(bits) ((LIBSEL4_BIT(bits)) - 1ul)

#define SEL4_DEFINE_FIELD(T, prefix, field, shift, bits)                        \
    LIBSEL4_INLINE_FUNC seL4_Uint64 prefix##_get_##field(T v)                  \
    {                                                                           \
        return (v.words[0] >> (shift)) & SEL4_FIELD_MASK(bits);                 \
    }                                                                           \
    LIBSEL4_INLINE_FUNC T prefix##_set_##field(T v, seL4_Uint64 x)             \
    {                                                                           \
        v.words[0] = (v.words[0] & ~(SEL4_FIELD_MASK(bits) << (shift)))         \
                   | ((x & SEL4_FIELD_MASK(bits)) << (shift));                  \
        return v;                                                               \
    }                                                                           \
    LIBSEL4_INLINE_FUNC seL4_Uint64 prefix##_ptr_get_##field(const T *p)       \
    {                                                                           \
        return (p->words[0] >> (shift)) & SEL4_FIELD_MASK(bits);                \
    }                                                                           \
    LIBSEL4_INLINE_FUNC void prefix##_ptr_set_##field(T *p, seL4_Uint64 x)     \
    {                                                                           \
        p->words[0] = (p->words[0] & ~(SEL4_FIELD_MASK(bits) << (shift)))       \
                    | ((x & SEL4_FIELD_MASK(bits)) << (shift));                 \
    }

/* ---- Message info: label 63..12, capsUnwrapped 11..9, extraCaps 8..7,
 *      length 6..0 ------------------------------------------------------- */
typedef struct seL4_MessageInfo {
    seL4_Uint64 words[1];
} seL4_MessageInfo_t;

SEL4_DEFINE_FIELD(seL4_MessageInfo_t, seL4_MessageInfo, label,
                  SEL4_MSGINFO_LABEL_SHIFT, SEL4_MSGINFO_LABEL_BITS)
SEL4_DEFINE_FIELD(seL4_MessageInfo_t, seL4_MessageInfo, capsUnwrapped,
                  SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT, SEL4_MSGINFO_CAPSUNWRAPPED_BITS)
SEL4_DEFINE_FIELD(seL4_MessageInfo_t, seL4_MessageInfo, extraCaps,
                  SEL4_MSGINFO_EXTRACAPS_SHIFT, SEL4_MSGINFO_EXTRACAPS_BITS)
SEL4_DEFINE_FIELD(seL4_MessageInfo_t, seL4_MessageInfo, length,
                  SEL4_MSGINFO_LENGTH_SHIFT, SEL4_MSGINFO_LENGTH_BITS)

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t
seL4_MessageInfo_new(seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                     seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    seL4_MessageInfo_t m;
    m.words[0] =
        ((label & SEL4_FIELD_MASK(SEL4_MSGINFO_LABEL_BITS)) << SEL4_MSGINFO_LABEL_SHIFT) |
        ((capsUnwrapped & SEL4_FIELD_MASK(SEL4_MSGINFO_CAPSUNWRAPPED_BITS))
            << SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT) |
        ((extraCaps & SEL4_FIELD_MASK(SEL4_MSGINFO_EXTRACAPS_BITS))
            << SEL4_MSGINFO_EXTRACAPS_SHIFT) |
        ((length & SEL4_FIELD_MASK(SEL4_MSGINFO_LENGTH_BITS)) << SEL4_MSGINFO_LENGTH_SHIFT);
    return m;
}

/* ---- Cap rights: bit0 Write, bit1 Read, bit2 Grant, bit3 GrantReply ----- */
typedef struct seL4_CapRights {
    seL4_Uint64 words[1];
} seL4_CapRights_t;

SEL4_DEFINE_FIELD(seL4_CapRights_t, seL4_CapRights, capAllowGrantReply, 3, 1)
SEL4_DEFINE_FIELD(seL4_CapRights_t, seL4_CapRights, capAllowGrant, 2, 1)
SEL4_DEFINE_FIELD(seL4_CapRights_t, seL4_CapRights, capAllowRead, 1, 1)
SEL4_DEFINE_FIELD(seL4_CapRights_t, seL4_CapRights, capAllowWrite, 0, 1)

LIBSEL4_INLINE_FUNC seL4_CapRights_t
seL4_CapRights_new(seL4_Uint64 capAllowGrantReply, seL4_Uint64 capAllowGrant,
                   seL4_Uint64 capAllowRead, seL4_Uint64 capAllowWrite)
{
    seL4_CapRights_t r;
    r.words[0] = ((capAllowGrantReply & 1ul) << 3) | ((capAllowGrant & 1ul) << 2) |
                 ((capAllowRead & 1ul) << 1) | (capAllowWrite & 1ul);
    return r;
}

/* Argument order of seL4_CapRights_new: (grantReply, grant, read, write). */
#define seL4_ReadWrite     seL4_CapRights_new(0, 0, 1, 1)
#define seL4_AllRights     seL4_CapRights_new(1, 1, 1, 1)
#define seL4_CanRead       seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite      seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant      seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite       seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead        seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights      seL4_CapRights_new(0, 0, 0, 0)

/* ---- CNode cap data (Mint/Mutate/Configure guard word):
 *      guard 63..6, guardSize 5..0 ----------------------------------------- */
typedef struct seL4_CNode_CapData {
    seL4_Uint64 words[1];
} seL4_CNode_CapData_t;

SEL4_DEFINE_FIELD(seL4_CNode_CapData_t, seL4_CNode_CapData, guard,
                  seL4_GuardSizeBits, seL4_GuardBits)
SEL4_DEFINE_FIELD(seL4_CNode_CapData_t, seL4_CNode_CapData, guardSize,
                  0, seL4_GuardSizeBits)

LIBSEL4_INLINE_FUNC seL4_CNode_CapData_t
seL4_CNode_CapData_new(seL4_Uint64 guard, seL4_Uint64 guardSize)
{
    seL4_CNode_CapData_t d;
    d.words[0] = ((guard & SEL4_FIELD_MASK(seL4_GuardBits)) << seL4_GuardSizeBits) |
                 (guardSize & SEL4_FIELD_MASK(seL4_GuardSizeBits));
    return d;
}

/* ---- IPC buffer: 1 KiB, 1 KiB aligned, one per thread ------------------- */
typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;                          /* offset 0 */
    seL4_Word msg[seL4_MsgMaxLength];                /* 8: MR0..MR119 */
    seL4_Word userData;                              /* 968 */
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];  /* 976: caps out, badges in */
    seL4_CPtr receiveCNode;                          /* 1000 */
    seL4_CPtr receiveIndex;                          /* 1008 */
    seL4_Word receiveDepth;                          /* 1016 */
} seL4_IPCBuffer __attribute__((aligned(1u << seL4_IPCBufferSizeBits)));

/*
 * ---- AArch64 register context (TCB_ReadRegisters/WriteRegisters) --------
 * The order is the ABI: it is the MR order of those invocations. The first
 * 17 words are the "frame" registers, the rest the "integer" ones
 * (the two groups of TCB_CopyRegisters).
 */
typedef struct seL4_UserContext_ {
    /* frame registers */
    seL4_Word pc, sp, spsr, x0, x1, x2, x3, x4, x5, x6, x7, x8, x16, x17, x18, x29, x30;
    /* other integer registers, then the two TLS registers */
    seL4_Word x9, x10, x11, x12, x13, x14, x15, x19, x20, x21, x22, x23, x24, x25,
              x26, x27, x28, tpidr_el0, tpidrro_el0;
} seL4_UserContext;

/* Arguments and results of seL4_ARM_SMC_Call: x0..x7 as MR0..MR7. */
typedef struct seL4_ARM_SMCContext_ {
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;

SEL4_END_DECLS

#endif /* !__ASSEMBLER__ */

#endif /* SEL4_UAPI_SHARED_TYPES_H */
