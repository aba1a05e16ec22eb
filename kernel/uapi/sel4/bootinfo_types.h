/*
 * sel4/bootinfo_types.h - the root task's initial CSpace slots and the
 * BootInfo frame layout (MCS, 64-bit: 3864 bytes). Pure.
 */
#ifndef SEL4_UAPI_BOOTINFO_TYPES_H
#define SEL4_UAPI_BOOTINFO_TYPES_H

#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/shared_types.h>

/*
 * The untypedList length is part of the ABI (it fixes sizeof(seL4_BootInfo)),
 * so it is not a tunable here: refuse any other value a build might pass.
 */
#ifndef CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#endif
#if CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS != 230
#error "CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS must be 230 for the seL4 MCS BootInfo layout"
#endif

/* The BootInfo frame is one 4 KiB page; extra BootInfo starts right after. */
#define seL4_BootInfoFrameBits seL4_PageBits
#define seL4_BootInfoFrameSize LIBSEL4_BIT(seL4_BootInfoFrameBits)

/* Extra BootInfo chunk ids (seL4_BootInfoHeader.id): an enum in C (as in
 * libsel4), plain #defines for assembly. */
#ifdef __ASSEMBLER__
#define SEL4_BOOTINFO_HEADER_PADDING         0
#define SEL4_BOOTINFO_HEADER_X86_VBE         1
#define SEL4_BOOTINFO_HEADER_X86_MBMMAP      2
#define SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP   3
#define SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER 4
#define SEL4_BOOTINFO_HEADER_X86_TSC_FREQ    5
#define SEL4_BOOTINFO_HEADER_FDT             6
#define SEL4_BOOTINFO_HEADER_NUM             7
#endif

#ifndef __ASSEMBLER__

SEL4_BEGIN_DECLS

/* Capabilities the kernel places in fixed slots of the root CNode. */
enum {
    seL4_CapNull                =  0,
    seL4_CapInitThreadTCB       =  1,
    seL4_CapInitThreadCNode     =  2,
    seL4_CapInitThreadVSpace    =  3,
    seL4_CapIRQControl          =  4,
    seL4_CapASIDControl         =  5,
    seL4_CapInitThreadASIDPool  =  6,
    seL4_CapIOPortControl       =  7,  /* null on Arm */
    seL4_CapIOSpace             =  8,  /* null on Arm */
    seL4_CapBootInfoFrame       =  9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain              = 11,
    seL4_CapSMMUSIDControl      = 12,  /* null without an SMMU */
    seL4_CapSMMUCBControl       = 13,  /* null without an SMMU */
    seL4_CapInitThreadSC        = 14,
    seL4_CapSMC                 = 15,  /* null unless SMC calls are allowed */
    seL4_NumInitialCaps         = 16
};
#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace /* legacy name */

typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING         = 0,  /* filler up to extraLen */
    SEL4_BOOTINFO_HEADER_X86_VBE         = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP      = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP   = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ    = 5,
    SEL4_BOOTINFO_HEADER_FDT             = 6,  /* flattened device tree */
    SEL4_BOOTINFO_HEADER_NUM             = 7
} seL4_BootInfoID;

/* A range of root-CNode slots: [start, end). */
typedef struct seL4_SlotRegion {
    seL4_SlotPos start;
    seL4_SlotPos end;
} seL4_SlotRegion;

/* One untyped capability in BootInfo.untyped, in slot order. */
typedef struct seL4_UntypedDesc {
    seL4_Word  paddr;
    seL4_Uint8 sizeBits;   /* the untyped covers 2^sizeBits bytes */
    seL4_Uint8 isDevice;   /* 1: device memory, only frames/untypeds */
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

typedef struct seL4_BootInfo {
    seL4_Word        extraLen;        /*   0: bytes of extra BootInfo after this frame */
    seL4_NodeId      nodeID;          /*   8 */
    seL4_Word        numNodes;        /*  16 */
    seL4_Word        numIOPTLevels;   /*  24 */
    seL4_IPCBuffer  *ipcBuffer;       /*  32: root task's IPC buffer (user VA) */
    seL4_SlotRegion  empty;           /*  40 */
    seL4_SlotRegion  sharedFrames;    /*  56 */
    seL4_SlotRegion  userImageFrames; /*  72 */
    seL4_SlotRegion  userImagePaging; /*  88 */
    seL4_SlotRegion  ioSpaceCaps;     /* 104 */
    seL4_SlotRegion  extraBIPages;    /* 120 */
    seL4_Word        initThreadCNodeSizeBits; /* 136 */
    seL4_Domain      initThreadDomain;        /* 144 */
    seL4_SlotRegion  schedcontrol;    /* 152: one SchedControl cap per core (MCS) */
    seL4_SlotRegion  untyped;         /* 168 */
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS]; /* 184 */
} seL4_BootInfo;

/* Header of each extra BootInfo chunk; len includes the header. */
typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len;
} seL4_BootInfoHeader;

SEL4_STATIC_ASSERT(sizeof(seL4_UntypedDesc) == 16, "seL4_UntypedDesc is 16 bytes");
SEL4_STATIC_ASSERT(sizeof(seL4_BootInfo) == 3864, "seL4_BootInfo is 3864 bytes (MCS)");
SEL4_STATIC_ASSERT(sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize,
                   "seL4_BootInfo fits in its frame");

SEL4_END_DECLS

#endif /* !__ASSEMBLER__ */

#endif /* SEL4_UAPI_BOOTINFO_TYPES_H */
