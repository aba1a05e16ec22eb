/*
 * pd_layout.h - what every protection domain can rely on: the slots of its
 * CSpace, the badges it receives, the limits on ids, names and priorities.
 *
 * One definition for the three programs that must agree on it: sdfgen
 * (scripts/sdfgen) checks and sizes systems by it, the monitor
 * (pds/monitor) builds every PD's CSpace by it, and libmicrokit
 * (pds/libmicrokit/include/microkit.h) gives it Microkit's names. The
 * values are Microkit's (2.x, AArch64), so Microkit programs run unchanged.
 *
 * Integer constants only: includable by freestanding and host C alike.
 */
#ifndef PD_LAYOUT_H
#define PD_LAYOUT_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * A PD's CSpace: the root CNode has 2^PD_ROOT_CNODE_BITS slots and no
 * guard; its slot 0 holds the Microkit CNode (2^PD_CNODE_BITS slots, guard
 * 64 - 9 - 6 bits) so that small CPtrs address it directly; root slots
 * 1..PD_MAX_CSPACE_SLOT hold <cspace> shares, addressed by CPtr (slot << 58).
 */
#define PD_ROOT_CNODE_BITS      6
#define PD_CNODE_BITS           9
#define PD_MAX_CSPACE_SLOT      ((1u << PD_ROOT_CNODE_BITS) - 1)
/* A vCPU's CSpace: the smallest CNode, empty (a guest makes no system
   calls; its HVCs and SMCs reach its VMM as faults). */
#define PD_VCPU_CNODE_BITS      1

/* Slots of the Microkit CNode. */
#define PD_SLOT_INPUT           1   /* endpoint if the PD has one, else its notification */
#define PD_SLOT_FAULT_EP        2   /* badged fault endpoint */
#define PD_SLOT_VSPACE          3   /* own VSpace (cache maintenance) */
#define PD_SLOT_REPLY           4   /* reply object */
#define PD_SLOT_MONITOR_EP      5   /* passive PDs only: the monitor's endpoint */
#define PD_SLOT_TCB             6   /* own TCB (benchmark configurations) */
#define PD_SLOT_SMC             7   /* ARM SMC capability, if smc="true" */
#define PD_SLOT_NOTIFY_BASE     10  /* + channel id: the peer's notification */
#define PD_SLOT_PPC_BASE        74  /* + channel id: the peer's endpoint */
#define PD_SLOT_IRQ_BASE        138 /* + channel id: IRQ handler */
#define PD_SLOT_CHILD_BASE      202 /* + child id: the child's TCB */
#define PD_SLOT_VCPU_TCB_BASE   266 /* + vCPU id: the vCPU's TCB */
#define PD_SLOT_VCPU_BASE       330 /* + vCPU id: the vCPU object */

/*
 * A PD's address space: the program from 0x200000 (linker/pd.ld), the IPC
 * buffer in the top user page, an unmapped guard page below it, the stack
 * below that (stack_size bytes) and one more unmapped guard page below the
 * stack. The top is seL4_UserTop + 1: 2^47 with an EL1 kernel, 2^40 (the
 * stage-2 IPA) with an EL2 one. Assembly includes this file too.
 */
#define PD_USER_TOP_EL1         0x800000000000
#define PD_USER_TOP_EL2         0x10000000000
#define PD_IPC_BUFFER_FROM_TOP  0x1000
#define PD_STACK_TOP_FROM_TOP   0x2000
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#define PD_USER_TOP             PD_USER_TOP_EL2
#else
#define PD_USER_TOP             PD_USER_TOP_EL1
#endif
#define PD_IPC_BUFFER           (PD_USER_TOP - PD_IPC_BUFFER_FROM_TOP)
#define PD_STACK_TOP            (PD_USER_TOP - PD_STACK_TOP_FROM_TOP)

#ifndef __ASSEMBLER__
/* Ids: channels and IRQs share one name space; children, vCPUs. */
#define PD_MAX_CHANNELS         62
#define PD_MAX_CHILDREN         64
#define PD_MAX_VCPUS            62
#define PD_MAX_PDS              63

/* The PD name is written into a char[PD_NAME_LENGTH] (NUL included). */
#define PD_NAME_LENGTH          64

/* The monitor runs at seL4's highest priority; every PD below it. */
#define PD_MONITOR_PRIORITY     255
#define PD_MAX_PRIORITY         (PD_MONITOR_PRIORITY - 1)

/* Badges as the PD's event loop sees them: bit 63 a PPC (low bits: the
   channel id), bit 62 a fault (low bits: child or vCPU id), otherwise one
   bit per notifying channel or IRQ. */
#define PD_BADGE_PPC            (UINT64_C(1) << 63)
#define PD_BADGE_FAULT          (UINT64_C(1) << 62)
#endif /* !__ASSEMBLER__ */

#ifndef __ASSEMBLER__
/* Each range of slots holds all its ids before the next range starts. */
_Static_assert(PD_SLOT_NOTIFY_BASE > PD_SLOT_SMC, "fixed slots overlap the channel slots");
_Static_assert(PD_SLOT_NOTIFY_BASE + PD_MAX_CHANNELS <= PD_SLOT_PPC_BASE, "notification slots overlap");
_Static_assert(PD_SLOT_PPC_BASE + PD_MAX_CHANNELS <= PD_SLOT_IRQ_BASE, "PPC slots overlap");
_Static_assert(PD_SLOT_IRQ_BASE + PD_MAX_CHANNELS <= PD_SLOT_CHILD_BASE, "IRQ slots overlap");
_Static_assert(PD_SLOT_CHILD_BASE + PD_MAX_CHILDREN <= PD_SLOT_VCPU_TCB_BASE, "child slots overlap");
_Static_assert(PD_SLOT_VCPU_TCB_BASE + PD_MAX_VCPUS <= PD_SLOT_VCPU_BASE, "vCPU TCB slots overlap");
_Static_assert(PD_SLOT_VCPU_BASE + PD_MAX_VCPUS <= (1u << PD_CNODE_BITS), "the Microkit CNode is too small");
_Static_assert(PD_MAX_CHANNELS <= 62, "a notification badge has one bit per channel below the PPC and fault bits");
_Static_assert(PD_MAX_PDS <= PD_MAX_CHILDREN, "a child id is a PD index");
#endif

#endif
