/*
 * VCPUs (the hypervisor configuration, CONFIG_ARM_HYPERVISOR_SUPPORT;
 * without it this file defines no test).
 *
 * The VCPU object and its five invocations with seL4's error codes and
 * error words; then threads that run as guests at EL1 under a VMM (the
 * test thread), with the guest code of vcpu_guest.S: their traps as VCPU
 * faults (SMC, WFI, the EL1 physical timer), HVC as a system call, their
 * own exceptions taken by their own vector table, stage-2 faults naming
 * the intermediate physical address, EL1 registers between VMM and guest,
 * the virtual timer as VPPI events, virtual interrupts taken through the
 * GIC's virtual CPU interface and the maintenance faults that follow, and
 * two VCPUs alternating on the processor. Last, native threads (no VCPU)
 * under the EL2 kernel.
 *
 * A guest runs below the test thread's priority, so it runs exactly while
 * the VMM waits for its next fault.
 */
#include "vm.h"
#include "ptimer.h"
#include "vcpu_guest.h"

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT

#define CHECK(expr)                                                                  \
    do {                                                                             \
        if ((expr) != KT_PASS)                                                       \
            return KT_FAILED;                                                        \
    } while (0)

#define GUEST_PRIO      (KT_PRIO_TEST - 1)
#define GUEST_BADGE     0x9e
/* SPSR of a guest at EL1 using SP_EL1 (EL1h) with D, A, I and F masked. */
#define SPSR_EL1H       0x3c5ul
#define SPSR_MODE(s)    ((s) & 0x1f)
#define SPSR_NZCV(s)    ((s) & 0xf0000000ul)
#define MODE_EL0T       0x0
#define MODE_EL1T       0x4
#define MODE_EL1H       0x5
#define CTX_WORDS       (sizeof(seL4_UserContext) / sizeof(seL4_Word))

/* ESR_EL2 (the HSR of a VCPU fault) fields and the values the tests expect. */
#define ESR_EC(esr)     (((esr) >> 26) & 0x3f)
#define ESR_IL          (1ul << 25)
#define ESR_ISS(esr)    ((esr) & 0x1fffffful)
#define EC_WFX          0x01
#define EC_SVC64        0x15
#define EC_SMC64        0x17
#define EC_SYSREG       0x18
#define HSR_SMC(imm)    (((seL4_Word)EC_SMC64 << 26) | ESR_IL | (imm))
/* An undefined instruction: EC 0 with IL, no syndrome (seL4's UNKNOWN_FAULT). */
#define ESR_UNDEFINED   ESR_IL
/* The ISS of a trapped MSR/MRS or system instruction (EC 0x18). */
#define SYSREG_ISS(op0, op1, crn, crm, op2, rt, read)                                \
    (((seL4_Word)(op0) << 20) | ((seL4_Word)(op2) << 17) | ((seL4_Word)(op1) << 14) | \
     ((seL4_Word)(crn) << 10) | ((seL4_Word)(rt) << 5) | ((seL4_Word)(crm) << 1) | (read))

/* A new VCPU's SCTLR_EL1 (seL4's SCTLR_EL1_VM): the RES1 bits, CP15BEN,
   UCT, nTWI, nTWE and UCI; the MMU and caches off. */
#define SCTLR_NEW_VCPU  0x34d58820ul
#define SCTLR_M         (1ul << 0)
#define SCTLR_C         (1ul << 2)
#define SCTLR_I         (1ul << 12)
#define CNTV_CTL_ENABLE  (1ul << 0)
#define CNTV_CTL_ISTATUS (1ul << 2)

#define VTIMER_IRQ      27      /* the virtual timer's PPI: a VPPI event */
/* QEMU's GICv2 and the Odroid-C4's GIC-400 both have four list registers. */
#define NUM_LIST_REGS   4
/* The virtual CPU interface (board/qemu_virt_aarch64/memory.map: gicv), mapped
   where a guest of QEMU's virt machine expects its GIC CPU interface. */
#define GICV_PHYS       0x08040000ul
#define GUEST_GICC      0x08010000ul

/* ------------------------------------------------------------- guests */

struct guest {
    kt_thread_t t;
    seL4_CPtr vcpu;
    seL4_CPtr ep, reply;        /* the VMM's end of the guest's fault endpoint */
    bool started;
    seL4_UserContext ctx;       /* registers: read at each fault, written back to resume */
    seL4_Word label, length;    /* the last fault message */
    seL4_Word mr[seL4_UnknownSyscall_Length];
};

/* A thread bound to a new VCPU, at EL1h, not started, running on `core`
   (its SchedContext's); its faults come to g->ep. */
static int guest_create(struct guest *g, const char *name, unsigned core)
{
    memset(g, 0, sizeof(*g));
    g->vcpu = KT_NEW(seL4_ARM_VCPUObject, 0);
    g->ep = KT_EP();
    g->reply = KT_REPLY();
    struct kt_thread_opts o = { .prio = GUEST_PRIO, .core = core,
                                .fault_ep = KT_MINT(g->ep, seL4_AllRights, GUEST_BADGE) };
    KT_THREAD(&g->t, name, &o, NULL, NULL);
    KT_OK(seL4_ARM_VCPU_SetTCB(g->vcpu, g->t.tcb));
    g->ctx.spsr = SPSR_EL1H;
    return KT_PASS;
}
#define GUEST_ON(g, name, core) CHECK(guest_create((g), (name), (core)))
#define GUEST(g, name) GUEST_ON((g), (name), 0)

/* A test running `body` (a function of the guests' core) with `core`. */
#define TEST_ON(name, body, core, desc)                                              \
    TEST(name, desc)                                                                 \
    {                                                                                \
        return body(core);                                                           \
    }

/* Give the guest g->ctx and let it run: the first time by resuming it,
   afterwards by answering its last fault with `label`. */
static int guest_go_label(struct guest *g, seL4_Word label)
{
    KT_OK(seL4_TCB_WriteRegisters(g->t.tcb, 0, 0, CTX_WORDS, &g->ctx));
    if (!g->started) {
        g->started = true;
        KT_OK(seL4_TCB_Resume(g->t.tcb));
    } else {
        seL4_Send(g->reply, seL4_MessageInfo_new(label, 0, 0, 0));
    }
    return KT_PASS;
}
#define GO(g) CHECK(guest_go_label((g), 0))
#define GO_LABEL(g, label) CHECK(guest_go_label((g), (label)))
/* Let the guest run from `entry`. */
#define GO_FROM(g, entry)                                                            \
    do {                                                                             \
        (g)->ctx.pc = (seL4_Word)(entry);                                            \
        GO(g);                                                                       \
    } while (0)
/* A new guest on core 0, running from `entry`. */
#define GUEST_FROM(g, entry)                                                         \
    do {                                                                             \
        GUEST((g), "guest");                                                         \
        GO_FROM((g), (entry));                                                       \
    } while (0)

/* Receive the guest's next fault, which must have label `expect`; then read
   its registers into g->ctx (the message stays in g->label/length/mr). */
static int guest_wait(struct guest *g, seL4_Word expect)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(g->ep, &badge, g->reply);
    g->label = seL4_MessageInfo_get_label(m);
    g->length = seL4_MessageInfo_get_length(m);
    for (unsigned i = 0; i < sizeof(g->mr) / sizeof(g->mr[0]); i++)
        g->mr[i] = seL4_GetMR((int)i);
    KT_EQ(badge, GUEST_BADGE);
    KT_OK(seL4_TCB_ReadRegisters(g->t.tcb, 0, 0, CTX_WORDS, &g->ctx));
    if (g->label != expect)
        KT_FAIL("guest %s: %s fault (MR0 0x%lx, MR1 0x%lx, pc 0x%lx), expected %s",
                g->t.name, kt_fault_name((long)g->label), g->mr[0], g->mr[1], g->ctx.pc,
                kt_fault_name((long)expect));
    return KT_PASS;
}

/* The guest trapped with `smc #imm` at `pc`. */
static int expect_smc(struct guest *g, unsigned imm, const void *pc)
{
    CHECK(guest_wait(g, seL4_Fault_VCPUFault));
    KT_EQ(g->length, seL4_VCPUFault_Length);
    KT_EQ(g->mr[seL4_VCPUFault_HSR], HSR_SMC(imm));
    KT_EQ(g->ctx.pc, (seL4_Word)pc);
    return KT_PASS;
}
#define EXPECT_SMC(g, imm, pc) CHECK(expect_smc((g), (imm), (pc)))
#define EXPECT_REPORT(g, pc) EXPECT_SMC((g), VG_SMC_REPORT, (pc))

/* The guest trapped at `pc` with an instruction of class `ec` (a VCPU
   fault); its HSR in *hsr. */
static int expect_trap(struct guest *g, seL4_Word ec, const void *pc, seL4_Word *hsr)
{
    CHECK(guest_wait(g, seL4_Fault_VCPUFault));
    *hsr = g->mr[seL4_VCPUFault_HSR];
    KT_EQ(ESR_EC(*hsr), ec);
    KT_EQ(g->ctx.pc, (seL4_Word)pc);
    return KT_PASS;
}

/* The guest ended the interrupt of list register `lr`: a VGICMaintenance fault. */
static int expect_maintenance(struct guest *g, seL4_Word lr)
{
    CHECK(guest_wait(g, seL4_Fault_VGICMaintenance));
    KT_EQ(g->length, seL4_VGICMaintenance_Length);
    KT_EQ(g->mr[seL4_VGICMaintenance_IDX], lr);
    return KT_PASS;
}
#define EXPECT_MAINTENANCE(g, lr) CHECK(expect_maintenance((g), (lr)))

/* The vg_gic guest reports what its IAR read gave: `irq` (or GICC_SPURIOUS). */
static int expect_gic_read(struct guest *g, seL4_Word irq)
{
    EXPECT_REPORT(g, vg_gic_report);
    KT_EQ(g->ctx.x2, irq);
    return KT_PASS;
}
#define EXPECT_GIC_READ(g, irq) CHECK(expect_gic_read((g), (irq)))

/* Move the guest past the instruction it trapped on (as a VMM that emulated it). */
static void guest_skip(struct guest *g)
{
    g->ctx.pc += 4;
}

static int vcpu_read(seL4_CPtr vcpu, seL4_Word reg, seL4_Word *value)
{
    seL4_ARM_VCPU_ReadRegs_t r = seL4_ARM_VCPU_ReadRegs(vcpu, (seL4_VCPUReg)reg);
    KT_OK(r.error);
    *value = r.value;
    return KT_PASS;
}

#define VCPU_REG_IS(vcpu, reg, expect)                                               \
    do {                                                                             \
        seL4_Word v_ = 0;                                                            \
        CHECK(vcpu_read((vcpu), (reg), &v_));                                        \
        KT_EQ(v_, (expect));                                                         \
    } while (0)
#define VCPU_WRITE(vcpu, reg, value) \
    KT_OK(seL4_ARM_VCPU_WriteRegs((vcpu), (seL4_VCPUReg)(reg), (value)))

/* Write `spsr` into a thread's SPSR with WriteRegisters and read back what it got. */
static int spsr_round_trip(seL4_CPtr tcb, seL4_Word spsr, seL4_Word *got)
{
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, 3, &c));
    c.spsr = spsr;
    KT_OK(seL4_TCB_WriteRegisters(tcb, 0, 0, 3, &c));
    KT_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, 3, &c));
    *got = c.spsr;
    return KT_PASS;
}

#define SPSR_BECOMES(tcb, spsr, expect)                                              \
    do {                                                                             \
        seL4_Word got_ = 0;                                                          \
        CHECK(spsr_round_trip((tcb), (spsr), &got_));                                \
        KT_EQ(got_, (expect));                                                       \
    } while (0)

static int read_spsr(seL4_CPtr tcb, seL4_Word *spsr)
{
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, 3, &c));
    *spsr = c.spsr;
    return KT_PASS;
}

/* What a thread without a VCPU gets for any SPSR: its NZCV flags and the
   kernel's user-mode bits (those differ between debug and release builds,
   so they are learned from a fresh thread). */
static int native_spsr(seL4_Word spsr, seL4_Word *expect)
{
    seL4_CPtr t = KT_TCB();
    seL4_Word user = 0;
    CHECK(spsr_round_trip(t, 0, &user));
    KT_EQ(SPSR_MODE(user), MODE_EL0T);
    *expect = SPSR_NZCV(spsr) | user;
    return KT_PASS;
}

/* The GIC virtual CPU interface, mapped where the guests look for a GICC. */
static int map_gic_cpu_interface(void)
{
    seL4_CPtr gicv = VM_DEVICE_FRAME(GICV_PHYS);
    VM_MAP(gicv, KT_ROOT_VSPACE, GUEST_GICC, VM_RW, 0);
    return KT_PASS;
}

/* ------------------------------------------------------ the object itself */

TEST(vcpu_retype_identify, "Retype makes VCPUs (type 12, 4 KiB each, size_bits ignored); "
     "their caps identify as VCPU caps (tag 15) and copy, mint and delete like other caps")
{
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_CAP_IS(v, KT_CAP_VCPU);
    seL4_CPtr two;
    kt_slots(&two, 2);
    KT_ASSERT(two);
    KT_OK(seL4_Untyped_Retype(kt_pool(), seL4_ARM_VCPUObject, 20, KT_ROOT_CNODE, 0, 0, two, 2));
    KT_CAP_IS(two, KT_CAP_VCPU);
    KT_CAP_IS(two + 1, KT_CAP_VCPU);
    /* Exactly one fits in 4 KiB. */
    seL4_CPtr ut = KT_UNTYPED(seL4_VCPUBits);
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_VCPUObject, 0, KT_ROOT_CNODE, 0, 0, kt_slot(), 1));
    KT_ERR(seL4_Untyped_Retype(ut, seL4_ARM_VCPUObject, 0, KT_ROOT_CNODE, 0, 0, kt_slot(), 1),
           seL4_NotEnoughMemory);
    /* Copies and mints (the badge and rights mean nothing to a VCPU) name the same VCPU. */
    seL4_CPtr copy = KT_COPY(v, seL4_AllRights);
    seL4_CPtr mint = KT_MINT(v, seL4_CanRead, 0x55);
    KT_CAP_IS(copy, KT_CAP_VCPU);
    KT_CAP_IS(mint, KT_CAP_VCPU);
    VCPU_WRITE(copy, seL4_VCPUReg_TPIDR_EL1, 0x7e57);
    VCPU_REG_IS(mint, seL4_VCPUReg_TPIDR_EL1, 0x7e57);
    VCPU_REG_IS(two, seL4_VCPUReg_TPIDR_EL1, 0);
    /* The object lives while any cap to it does. */
    KT_OK(kt_delete(copy));
    KT_CAP_IS(copy, KT_CAP_NULL);
    KT_OK(kt_delete(v));
    VCPU_REG_IS(mint, seL4_VCPUReg_TPIDR_EL1, 0x7e57);
    KT_OK(kt_delete(mint));
    KT_CAP_IS(mint, KT_CAP_NULL);
    return KT_PASS;
}

TEST(vcpu_retype_device_untyped, "Retype: a VCPU from device untyped is InvalidArgument "
     "(argument 1), like every kernel object")
{
    seL4_CPtr dev = kt_device_untyped(seL4_VCPUBits, NULL, NULL);
    if (!dev)
        return kt_skip("no device untyped");
    seL4_CPtr s = kt_slot();
    KT_ERR(seL4_Untyped_Retype(dev, seL4_ARM_VCPUObject, 0, KT_ROOT_CNODE, 0, 0, s, 1),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 1);
    KT_CAP_IS(s, KT_CAP_NULL);
    return KT_PASS;
}

TEST(vcpu_bad_label, "A VCPU cap invoked with a label that is not a VCPU invocation is "
     "IllegalOperation")
{
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_EQ(kt_call_raw(v, 0, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(v, TCBSuspend, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(v, ARMPageMap, 4, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(v, ARMIRQIssueIRQHandlerTrigger, 4, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(v, 1000, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    return KT_PASS;
}

/* ------------------------------------------------------------------ SetTCB */

TEST(vcpu_set_tcb_errors, "SetTCB without an extra cap is TruncatedMessage; with a cap that "
     "is not a TCB (endpoint, VCPU, CNode, empty slot) IllegalOperation")
{
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_EQ(kt_call_raw(v, ARMVCPUSetTCB, 0, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(v, ARMVCPUSetTCB, 2, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_ERR(seL4_ARM_VCPU_SetTCB(v, KT_EP()), seL4_IllegalOperation);
    KT_ERR(seL4_ARM_VCPU_SetTCB(v, KT_NEW(seL4_ARM_VCPUObject, 0)), seL4_IllegalOperation);
    KT_ERR(seL4_ARM_VCPU_SetTCB(v, KT_CNODE(2)), seL4_IllegalOperation);
    KT_ERR(seL4_ARM_VCPU_SetTCB(v, kt_slot()), seL4_IllegalOperation);
    KT_ERR(seL4_ARM_VCPU_SetTCB(v, v), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(vcpu_spsr_el1_needs_a_vcpu, "WriteRegisters keeps an SPSR naming EL0t, EL1t or EL1h "
     "exactly for a thread with a VCPU, and sanitises any other mode (EL2, EL3, AArch32) to "
     "what a thread without a VCPU gets: its NZCV flags in EL0t")
{
    static const seL4_Word kept[] = { MODE_EL0T, MODE_EL1T, MODE_EL1H };
    static const seL4_Word refused[] = { 0x8, 0x9, 0xc, 0xd, 0x10, 0x13, 0x1f };
    const seL4_Word flags = 0x60000000ul;       /* Z and C */
    seL4_CPtr t = KT_TCB();
    seL4_Word native = 0;
    CHECK(native_spsr(flags | 0x3c5, &native));
    SPSR_BECOMES(t, flags | 0x3c5, native);
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_OK(seL4_ARM_VCPU_SetTCB(v, t));
    for (unsigned i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        SPSR_BECOMES(t, flags | 0x3c0 | kept[i], flags | 0x3c0 | kept[i]);
    for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        SPSR_BECOMES(t, flags | 0x3c0 | refused[i], native);
    return KT_PASS;
}

TEST(vcpu_copy_registers_spsr, "CopyRegisters from a thread at EL1h to another thread with a "
     "VCPU keeps the EL1h SPSR")
{
    seL4_CPtr src = KT_TCB(), dst = KT_TCB();
    KT_OK(seL4_ARM_VCPU_SetTCB(KT_NEW(seL4_ARM_VCPUObject, 0), src));
    KT_OK(seL4_ARM_VCPU_SetTCB(KT_NEW(seL4_ARM_VCPUObject, 0), dst));
    SPSR_BECOMES(src, 0x20000000ul | SPSR_EL1H, 0x20000000ul | SPSR_EL1H);
    KT_OK(seL4_TCB_CopyRegisters(dst, src, false, false, true, false, 0));
    seL4_Word spsr = 0;
    CHECK(read_spsr(dst, &spsr));
    KT_EQ(spsr, 0x20000000ul | SPSR_EL1H);
    return KT_PASS;
}

TEST(vcpu_set_tcb_rebinds_vcpu, "SetTCB of a bound VCPU to another thread unbinds the first "
     "(its EL1h SPSR is sanitised to EL0t) and binds the second; binding the same pair "
     "again is allowed")
{
    const seL4_Word flags = 0x60000000ul;
    seL4_Word native = 0;
    CHECK(native_spsr(flags, &native));
    seL4_CPtr a = KT_TCB(), b = KT_TCB(), v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_OK(seL4_ARM_VCPU_SetTCB(v, a));
    KT_OK(seL4_ARM_VCPU_SetTCB(v, a));
    SPSR_BECOMES(a, flags | SPSR_EL1H, flags | SPSR_EL1H);
    SPSR_BECOMES(b, flags | SPSR_EL1H, native);
    KT_OK(seL4_ARM_VCPU_SetTCB(v, b));
    seL4_Word spsr = 0;
    CHECK(read_spsr(a, &spsr));
    KT_EQ(spsr, native);
    SPSR_BECOMES(a, flags | SPSR_EL1H, native);
    SPSR_BECOMES(b, flags | SPSR_EL1H, flags | SPSR_EL1H);
    return KT_PASS;
}

/* The thread runs on `core`; the second time its old VCPU is loaded there. */
static int set_tcb_rebinds_tcb(unsigned core)
{
    struct guest g;
    GUEST_ON(&g, "guest", core);
    seL4_CPtr old = g.vcpu, v = KT_NEW(seL4_ARM_VCPUObject, 0);
    VCPU_WRITE(old, seL4_VCPUReg_TPIDR_EL1, 0x01d);
    VCPU_WRITE(v, seL4_VCPUReg_TPIDR_EL1, 0x2e3);
    for (int round = 0; round < 2; round++) {
        KT_OK(seL4_ARM_VCPU_SetTCB(v, g.t.tcb));
        seL4_CPtr other = KT_TCB();
        KT_OK(seL4_ARM_VCPU_SetTCB(old, other));
        SPSR_BECOMES(other, SPSR_EL1H, SPSR_EL1H);
        g.ctx.x10 = round ? 0xa1 : 0xb0;        /* the guest's new TPIDR_EL1 */
        GO_FROM(&g, vg_sysregs);
        EXPECT_REPORT(&g, vg_sysregs_report);
        KT_EQ(g.ctx.x0, round ? 0x01d : 0x2e3);
        KT_EQ(g.ctx.spsr, SPSR_EL1H);
        /* The other way round: the old VCPU back to the guest, whose
           current one (loaded where it ran) goes to a new thread. */
        seL4_CPtr t = old;
        old = v;
        v = t;
    }
    /* What the guest wrote: into the VCPU taken away while loaded, and
       into the one it has now. */
    VCPU_REG_IS(v, seL4_VCPUReg_TPIDR_EL1, 0xb0);
    VCPU_REG_IS(old, seL4_VCPUReg_TPIDR_EL1, 0xa1);
    return KT_PASS;
}

TEST_ON(vcpu_set_tcb_rebinds_tcb, set_tcb_rebinds_tcb, 0,
        "SetTCB of another VCPU to a bound thread unbinds its old "
        "VCPU: the thread runs as a guest with the new VCPU's registers, and the old VCPU binds "
        "to a third thread; and back (the VCPU taken away was the processor's loaded one)")

TEST(vcpu_delete_vcpu_unbinds, "Deleting a VCPU's last cap unbinds it: its thread's SPSR is "
     "sanitised to EL0t and may no longer name EL1; deleting a copy changes nothing")
{
    seL4_Word native = 0;
    CHECK(native_spsr(0, &native));
    seL4_CPtr t = KT_TCB(), v = KT_NEW(seL4_ARM_VCPUObject, 0);
    seL4_CPtr copy = KT_COPY(v, seL4_AllRights);
    KT_OK(seL4_ARM_VCPU_SetTCB(v, t));
    SPSR_BECOMES(t, SPSR_EL1H, SPSR_EL1H);
    KT_OK(kt_delete(copy));
    SPSR_BECOMES(t, SPSR_EL1H, SPSR_EL1H);
    KT_OK(kt_delete(v));
    seL4_Word spsr = 0;
    CHECK(read_spsr(t, &spsr));
    KT_EQ(spsr, native);
    SPSR_BECOMES(t, SPSR_EL1H, native);
    return KT_PASS;
}

TEST(vcpu_delete_tcb_unbinds, "Deleting a VCPU's thread unbinds the VCPU: a thread made "
     "anew in the same memory has no VCPU until SetTCB binds the old one to it")
{
    seL4_Word native = 0;
    CHECK(native_spsr(0, &native));
    seL4_CPtr ut = KT_UNTYPED(seL4_TCBBits), t = kt_slot(), again = kt_slot();
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_OK(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, KT_ROOT_CNODE, 0, 0, t, 1));
    KT_OK(seL4_ARM_VCPU_SetTCB(v, t));
    SPSR_BECOMES(t, SPSR_EL1H, SPSR_EL1H);
    KT_OK(kt_delete(t));
    /* The untyped has no child left: the new TCB takes the old one's place. */
    KT_OK(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, KT_ROOT_CNODE, 0, 0, again, 1));
    SPSR_BECOMES(again, SPSR_EL1H, native);
    KT_OK(seL4_ARM_VCPU_SetTCB(v, again));
    SPSR_BECOMES(again, SPSR_EL1H, SPSR_EL1H);
    return KT_PASS;
}

/* The guest runs on `core`, its successor on core 0. */
static int delete_running_guest(unsigned core)
{
    struct guest g;
    GUEST_ON(&g, "guest", core);
    GO_FROM(&g, vg_smc);
    EXPECT_SMC(&g, VG_SMC_FIRST, vg_smc);
    /* The VCPU is the processor's loaded one now; its thread goes away. */
    KT_OK(kt_delete(g.t.tcb));
    struct guest h;
    GUEST(&h, "guest-2");
    seL4_CPtr spare = h.vcpu;
    KT_OK(seL4_ARM_VCPU_SetTCB(g.vcpu, h.t.tcb));
    h.vcpu = g.vcpu;
    KT_OK(kt_delete(spare));
    VCPU_WRITE(h.vcpu, seL4_VCPUReg_TPIDR_EL1, 0xd1ed);
    GO_FROM(&h, vg_sysregs);
    EXPECT_REPORT(&h, vg_sysregs_report);
    KT_EQ(h.ctx.x0, 0xd1ed);
    return KT_PASS;
}

TEST_ON(vcpu_delete_running_guest, delete_running_guest, 0,
        "Deleting a guest's thread while its VCPU is loaded, then "
        "the VCPU's other cap: the VCPU binds to a new thread that runs as a guest")

/* -------------------------------------------------------- ReadRegs, WriteRegs */

static seL4_Word reg_pattern(seL4_Word reg)
{
    return 0x0123456789abcdeful ^ ((reg + 1) * 0x1111111111111111ul);
}

TEST(vcpu_registers_initial, "A new VCPU reads SCTLR = seL4's initial guest value (MMU and "
     "caches off, WFI/WFE not trapped at EL1) and 0 in every other register")
{
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    for (seL4_Word r = 0; r < seL4_VCPUReg_Num; r++)
        VCPU_REG_IS(v, r, r == seL4_VCPUReg_SCTLR ? SCTLR_NEW_VCPU : 0);
    return KT_PASS;
}

TEST(vcpu_registers_round_trip, "WriteRegs then ReadRegs gives back every seL4_VCPUReg as "
     "written (any 64-bit value) on a VCPU that has not run, bound or not; each write "
     "changes one register")
{
    seL4_CPtr idle = KT_NEW(seL4_ARM_VCPUObject, 0), bound = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_OK(seL4_ARM_VCPU_SetTCB(bound, KT_TCB()));
    const seL4_CPtr vcpus[] = { idle, bound };
    for (unsigned i = 0; i < 2; i++) {
        for (seL4_Word r = 0; r < seL4_VCPUReg_Num; r++)
            VCPU_WRITE(vcpus[i], r, reg_pattern(r) + i);
        for (seL4_Word r = 0; r < seL4_VCPUReg_Num; r++)
            VCPU_REG_IS(vcpus[i], r, reg_pattern(r) + i);
        VCPU_WRITE(vcpus[i], seL4_VCPUReg_CNTVOFF, ~0ul);
        for (seL4_Word r = 0; r < seL4_VCPUReg_Num; r++)
            VCPU_REG_IS(vcpus[i], r, r == seL4_VCPUReg_CNTVOFF ? ~0ul : reg_pattern(r) + i);
    }
    return KT_PASS;
}

TEST(vcpu_registers_errors, "ReadRegs/WriteRegs of a field >= seL4_VCPUReg_Num is "
     "InvalidArgument (argument 1); fewer message words than they need is "
     "TruncatedMessage; a failed WriteRegs changes nothing; ReadRegs replies with one word")
{
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    const seL4_Word bad[] = { seL4_VCPUReg_Num, seL4_VCPUReg_Num + 1, 1000, ~0ul };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        KT_EQ(kt_call_raw(v, ARMVCPUReadReg, 1, 0, bad[i], 0, 0, 0), seL4_InvalidArgument);
        KT_MR_EQ(0, 1);
        KT_EQ(kt_call_raw(v, ARMVCPUWriteReg, 2, 0, bad[i], 5, 0, 0), seL4_InvalidArgument);
        KT_MR_EQ(0, 1);
    }
    KT_EQ(kt_call_raw(v, ARMVCPUReadReg, 0, 0, seL4_VCPUReg_TPIDR_EL1, 0, 0, 0),
          seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(v, ARMVCPUWriteReg, 1, 0, seL4_VCPUReg_TPIDR_EL1, 5, 0, 0),
          seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(v, ARMVCPUWriteReg, 0, 0, seL4_VCPUReg_TPIDR_EL1, 5, 0, 0),
          seL4_TruncatedMessage);
    /* The length is checked before the field. */
    KT_EQ(kt_call_raw(v, ARMVCPUWriteReg, 1, 0, ~0ul, 5, 0, 0), seL4_TruncatedMessage);
    for (seL4_Word r = 0; r < seL4_VCPUReg_Num; r++)
        VCPU_REG_IS(v, r, r == seL4_VCPUReg_SCTLR ? SCTLR_NEW_VCPU : 0);
    /* A good ReadRegs: label 0, one word. */
    VCPU_WRITE(v, seL4_VCPUReg_FAR, 0xfa5);
    seL4_Word m0 = seL4_VCPUReg_FAR, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t r = seL4_CallWithMRs(v, seL4_MessageInfo_new(ARMVCPUReadReg, 0, 0, 1),
                                            &m0, &m1, &m2, &m3);
    KT_EQ(seL4_MessageInfo_get_label(r), seL4_NoError);
    KT_EQ(seL4_MessageInfo_get_length(r), 1);
    KT_EQ(m0, 0xfa5);
    return KT_PASS;
}

/* The guest runs on `core`, the VMM on core 0. */
static int registers_reach_the_guest(unsigned core)
{
    struct guest g;
    GUEST_ON(&g, "guest", core);
    const seL4_Word cntvoff = 0x123456789ul;
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_TPIDR_EL1, 0x1122334455667788ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_VBAR, 0x12345800ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_CIDR, 0x7654321ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_MAIR, 0x0044ff00bb0c0400ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_VMPIDR_EL2, 0x80000102ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_SP_EL1, 0x5ff0ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_CNTVOFF, cntvoff);
    g.ctx.pc = (seL4_Word)vg_sysregs;
    g.ctx.x10 = 0xa0a0a0a0b0b0b0b0ul;
    g.ctx.x11 = 0x1234567ul;
    g.ctx.x12 = 0xfa0000ul;
    g.ctx.x13 = 0xe1e0000ul;
    g.ctx.x14 = 0x6ff0ul;
    GO(&g);
    EXPECT_REPORT(&g, vg_sysregs_report);
    KT_EQ(g.ctx.x0, 0x1122334455667788ul);
    KT_EQ(g.ctx.x1, 0x12345800ul);
    KT_EQ(g.ctx.x2, 0x7654321ul);
    KT_EQ(g.ctx.x3, 0x0044ff00bb0c0400ul);
    KT_EQ(g.ctx.x4, 0x80000102ul);
    KT_EQ(g.ctx.x5, 0x5ff0ul);
    /* CNTVCT = CNTPCT - CNTVOFF, read a moment after CNTPCT */
    KT_LT(cntvoff - (g.ctx.x6 - g.ctx.x7), 10000);
    /* The guest's writes, read while its VCPU is still the loaded one. */
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_TPIDR_EL1, 0xa0a0a0a0b0b0b0b0ul);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_CIDR, 0x1234567ul);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_FAR, 0xfa0000ul);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_ELR_EL1, 0xe1e0000ul);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_SP_EL1, 0x6ff0ul);
    /* New values from the VMM now, then once more round the guest's loop. */
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_TPIDR_EL1, 0x5eed);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_VBAR, 0x800ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_MAIR, 0xffu);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_SP_EL1, 0x7ff0ul);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_CNTVOFF, 0);
    guest_skip(&g);
    GO(&g);
    EXPECT_REPORT(&g, vg_sysregs_report);
    KT_EQ(g.ctx.x0, 0x5eed);
    KT_EQ(g.ctx.x1, 0x800ul);
    KT_EQ(g.ctx.x2, 0x1234567ul);
    KT_EQ(g.ctx.x3, 0xfful);
    KT_EQ(g.ctx.x5, 0x7ff0ul);
    KT_LT(g.ctx.x7 - g.ctx.x6, 10000);
    return KT_PASS;
}

TEST_ON(vcpu_registers_reach_the_guest, registers_reach_the_guest, 0,
        "EL1 registers a VMM writes before the guest runs are "
        "what the guest reads (TPIDR_EL1, VBAR_EL1, CONTEXTIDR_EL1, MAIR_EL1, VMPIDR_EL2 as "
        "MPIDR_EL1, SP_EL1, CNTVOFF); what the guest writes the VMM reads after its fault; and "
        "what the VMM writes then, the guest reads when resumed")

/* --------------------------------------------------------------- guest traps */

TEST(vcpu_guest_smc, "A guest's SMC is a VCPUFault whose HSR is its ESR (EC 0x17, the "
     "immediate); the pc is the SMC's; answering resumes the guest at the pc the VMM set with "
     "WriteRegisters")
{
    struct guest g;
    GUEST_FROM(&g, vg_smc);
    EXPECT_SMC(&g, VG_SMC_FIRST, vg_smc);
    KT_EQ(g.ctx.spsr, SPSR_EL1H);
    guest_skip(&g);
    GO(&g);
    EXPECT_SMC(&g, VG_SMC_SECOND, vg_smc + 4);
    /* Back to the first. */
    GO_FROM(&g, vg_smc);
    EXPECT_SMC(&g, VG_SMC_FIRST, vg_smc);
    return KT_PASS;
}

TEST(vcpu_fault_reply_any_label, "A reply to a VCPUFault resumes the guest whatever its "
     "label, and its message words change no register")
{
    struct guest g;
    GUEST(&g, "guest");
    g.ctx.pc = (seL4_Word)vg_smc;
    g.ctx.x0 = 0x600d;
    GO(&g);
    EXPECT_SMC(&g, VG_SMC_FIRST, vg_smc);
    /* Answered without moving the pc: the SMC runs (and traps) again. */
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, 0xbad0 + (seL4_Word)i);
    seL4_Send(g.reply, seL4_MessageInfo_new(0x1f, 0, 0, 4));
    EXPECT_SMC(&g, VG_SMC_FIRST, vg_smc);
    KT_EQ(g.ctx.x0, 0x600d);
    KT_EQ(g.ctx.spsr, SPSR_EL1H);
    guest_skip(&g);
    GO_LABEL(&g, 3);
    EXPECT_SMC(&g, VG_SMC_SECOND, vg_smc + 4);
    return KT_PASS;
}

TEST(vcpu_guest_wfi, "A guest's WFI is a VCPUFault (EC 0x01, TI = WFI) at the WFI; "
     "skipping it resumes the guest")
{
    struct guest g;
    GUEST_FROM(&g, vg_wfi);
    seL4_Word hsr = 0;
    CHECK(expect_trap(&g, EC_WFX, vg_wfi, &hsr));
    KT_EQ(hsr & ESR_IL, ESR_IL);
    KT_EQ(hsr & 1, 0);
    guest_skip(&g);
    GO(&g);
    EXPECT_REPORT(&g, vg_wfi_report);
    return KT_PASS;
}

static int spin_count(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;)
        self->user[0]++;
    return KT_PASS;
}

/* Guest reports answered before giving up on the spinner's turns: about
   three times what 1 ms slices take (the guest reports every few microseconds). */
#define MAX_SPIN_REPORTS    2500
#define SPINNER_TURNS       5

TEST(vcpu_round_robin_guest_ends_its_slice, "A guest that works a little and traps, over and "
     "over (each trap answered at once by its VMM above it), still ends its time slice: a "
     "native thread of its priority runs in turn (the budget is checked before a fault is "
     "handled, as in seL4)")
{
    struct guest g;
    GUEST(&g, "guest");
    /* 1 ms round-robin slices for both. */
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control(), g.t.sc, 1000, 1000, 0, 0, 0));
    kt_thread_t spinner;
    struct kt_thread_opts o = { .prio = GUEST_PRIO, .budget = 1000 };
    KT_THREAD(&spinner, "spinner", &o, spin_count, NULL);
    KT_START(&spinner);
    g.ctx.pc = (seL4_Word)vg_spin;
    g.ctx.x6 = 2000;                /* loop iterations between two reports */
    GO(&g);
    EXPECT_REPORT(&g, vg_spin_report);
    /* Answer as a VMM does, replying and waiting in one call (ReplyRecv), so
       the guest is switched to directly. The spinner runs only when the
       guest's slice has ended: the VMM sees its count move between reports. */
    seL4_Word seen = spinner.user[0];
    unsigned reports = 0, turns = 0;
    while (reports < MAX_SPIN_REPORTS && turns < SPINNER_TURNS) {
        guest_skip(&g);
        KT_OK(seL4_TCB_WriteRegisters(g.t.tcb, 0, 0, CTX_WORDS, &g.ctx));
        seL4_Word badge = 0;
        seL4_MessageInfo_t m = seL4_ReplyRecv(g.ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge,
                                              g.reply);
        KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_VCPUFault);
        KT_EQ(seL4_GetMR(seL4_VCPUFault_HSR), HSR_SMC(VG_SMC_REPORT));
        KT_OK(seL4_TCB_ReadRegisters(g.t.tcb, 0, 0, CTX_WORDS, &g.ctx));
        reports++;
        if (spinner.user[0] != seen) {
            seen = spinner.user[0];
            turns++;
        }
    }
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    KT_OK(seL4_TCB_Suspend(g.t.tcb));
    if (turns < SPINNER_TURNS)
        KT_FAIL("the spinner ran %u times in %u guest reports", turns, reports);
    return KT_PASS;
}

TEST(vcpu_guest_physical_timer, "A guest's access to the EL1 physical timer (CNTP_CTL_EL0, "
     "CNTP_TVAL_EL0) is a VCPUFault with EC 0x18 and the access's ISS; the VMM emulates it")
{
    struct guest g;
    GUEST_FROM(&g, vg_cntp_read);
    seL4_Word hsr = 0;
    CHECK(expect_trap(&g, EC_SYSREG, vg_cntp_read, &hsr));
    KT_EQ(ESR_ISS(hsr), SYSREG_ISS(3, 3, 14, 2, 1, 5, 1));     /* mrs x5, cntp_ctl_el0 */
    g.ctx.x5 = 0x4;       /* emulated: ISTATUS */
    guest_skip(&g);
    GO(&g);
    EXPECT_REPORT(&g, vg_cntp_read + 4);
    KT_EQ(g.ctx.x5, 0x4);
    g.ctx.x6 = 1000;
    GO_FROM(&g, vg_cntp_write);
    CHECK(expect_trap(&g, EC_SYSREG, vg_cntp_write, &hsr));
    KT_EQ(ESR_ISS(hsr), SYSREG_ISS(3, 3, 14, 2, 0, 6, 0));     /* msr cntp_tval_el0, x6 */
    return KT_PASS;
}

TEST(vcpu_guest_hvc_unknown_syscall, "A guest's HVC is a system call (x7 the number): with "
     "an unknown number an UnknownSyscall fault with the HVC as FaultIP and SPSR EL1h; the "
     "reply's registers, EL1h SPSR included, resume the guest")
{
    struct guest g;
    GUEST(&g, "guest");
    g.ctx.pc = (seL4_Word)vg_hvc;
    g.ctx.sp = 0x5000;
    seL4_Word *x = &g.ctx.x0;
    for (int i = 0; i < 7; i++)
        x[i] = 0x100 + (seL4_Word)i;
    g.ctx.x7 = 0x7777;
    GO(&g);
    CHECK(guest_wait(&g, seL4_Fault_UnknownSyscall));
    KT_EQ(g.length, seL4_UnknownSyscall_Length);
    for (int i = 0; i < 7; i++)
        KT_EQ(g.mr[seL4_UnknownSyscall_X0 + i], 0x100 + (seL4_Word)i);
    KT_EQ(g.mr[seL4_UnknownSyscall_X7], 0x7777);
    KT_EQ(g.mr[seL4_UnknownSyscall_FaultIP], (seL4_Word)vg_hvc);
    KT_EQ(g.mr[seL4_UnknownSyscall_SP], 0x5000);
    KT_EQ(g.mr[seL4_UnknownSyscall_LR], (seL4_Word)vg_hvc + 4);
    KT_EQ(g.mr[seL4_UnknownSyscall_SPSR], SPSR_EL1H);
    KT_EQ(g.mr[seL4_UnknownSyscall_Syscall], 0x7777);
    /* The VMM answers: x0 = its result, on at the next instruction, still at EL1h. */
    for (int i = 0; i < seL4_UnknownSyscall_Syscall; i++)
        seL4_SetMR(i, g.mr[i]);
    seL4_SetMR(seL4_UnknownSyscall_X0, 0xabcd);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)vg_hvc + 4);
    seL4_Send(g.reply, seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_Syscall));
    EXPECT_REPORT(&g, vg_hvc + 4);
    KT_EQ(g.ctx.x0, 0xabcd);
    KT_EQ(g.ctx.x1, 0x101);
    KT_EQ(g.ctx.spsr, SPSR_EL1H);
    return KT_PASS;
}

TEST(vcpu_guest_hvc_system_call, "A guest's HVC with a system call number performs it (Yield) "
     "and the guest goes on after the HVC")
{
    struct guest g;
    GUEST(&g, "guest");
    g.ctx.pc = (seL4_Word)vg_hvc;
    g.ctx.x7 = (seL4_Word)(long)seL4_SysYield;
    GO(&g);
    EXPECT_REPORT(&g, vg_hvc + 4);
    KT_EQ(g.ctx.spsr, SPSR_EL1H);
    return KT_PASS;
}

/* Start g at `pc` with its own vector table: its synchronous exception at
   EL1 must reach that table's current-EL entry, never the kernel. */
static int run_to_own_sync_vector(struct guest *g, char *pc)
{
    VCPU_WRITE(g->vcpu, seL4_VCPUReg_VBAR, (seL4_Word)vg_vectors);
    GO_FROM(g, pc);
    EXPECT_SMC(g, VG_SMC_VECTOR + VG_VECTOR_CURRENT_SPX_SYNC,
               vg_vectors + VG_VECTOR_CURRENT_SPX_SYNC * VG_VECTOR_ENTRY_SIZE);
    return KT_PASS;
}

TEST(vcpu_guest_undefined_own_vector, "A guest's undefined instruction at EL1 goes to its "
     "own vector table (VBAR_EL1), never to the kernel: ESR_EL1 0x2000000, ELR_EL1 the "
     "instruction, SPSR_EL1 EL1h")
{
    struct guest g;
    GUEST(&g, "guest");
    if (run_to_own_sync_vector(&g, vg_udf) != KT_PASS)
        return KT_FAILED;
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_ESR, ESR_UNDEFINED);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_ELR_EL1, (seL4_Word)vg_udf);
    seL4_Word spsr = 0;
    CHECK(vcpu_read(g.vcpu, seL4_VCPUReg_SPSR_EL1, &spsr));
    KT_EQ(spsr & 0x3ff, SPSR_EL1H);
    return KT_PASS;
}

TEST(vcpu_guest_brk_own_vector, "A guest's BRK at EL1 goes to its own vector table, never "
     "to the kernel (no DebugException or VCPUFault, with the hardware-debug API or without: "
     "MDCR_EL2.TDE is clear while a guest runs): ESR_EL1 EC 0x3c with the immediate, ELR_EL1 "
     "the instruction")
{
    struct guest g;
    GUEST(&g, "guest");
    if (run_to_own_sync_vector(&g, vg_brk) != KT_PASS)
        return KT_FAILED;
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_ESR, (0x3cul << 26) | ESR_IL | 7);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_ELR_EL1, (seL4_Word)vg_brk);
    return KT_PASS;
}

TEST(vcpu_guest_el0_svc, "A thread with a VCPU running at EL0 (SPSR EL0t kept) makes its SVC "
     "to its guest kernel's vector table (VBAR_EL1), not to seL4: ESR_EL1 EC 0x15, ELR_EL1 "
     "after the SVC, SPSR_EL1 EL0t")
{
    struct guest g;
    GUEST(&g, "guest");
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_VBAR, (seL4_Word)vg_vectors);
    g.ctx.pc = (seL4_Word)vg_svc;
    g.ctx.spsr = 0x3c0;                 /* EL0t */
    g.ctx.x7 = (seL4_Word)(long)seL4_SysYield;
    GO(&g);
    EXPECT_SMC(&g, VG_SMC_VECTOR + VG_VECTOR_LOWER_A64_SYNC,
               vg_vectors + VG_VECTOR_LOWER_A64_SYNC * VG_VECTOR_ENTRY_SIZE);
    seL4_Word esr = 0, spsr = 0;
    CHECK(vcpu_read(g.vcpu, seL4_VCPUReg_ESR, &esr));
    KT_EQ(ESR_EC(esr), EC_SVC64);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_ELR_EL1, (seL4_Word)vg_svc + 4);
    CHECK(vcpu_read(g.vcpu, seL4_VCPUReg_SPSR_EL1, &spsr));
    KT_EQ(SPSR_MODE(spsr), MODE_EL0T);
    KT_EQ(SPSR_MODE(g.ctx.spsr), MODE_EL1H);
    return KT_PASS;
}

/* ------------------------------------------------------- stage-2 faults */

/* Receive a VMFault from the guest and check its words. */
static int expect_guest_vmfault(struct guest *g, seL4_Word ip, seL4_Word addr, bool fetch,
                                seL4_Word ec, seL4_Word fsc, int wnr)
{
    CHECK(guest_wait(g, seL4_Fault_VMFault));
    KT_EQ(g->length, seL4_VMFault_Length);
    KT_EQ(g->mr[seL4_VMFault_IP], ip);
    KT_EQ(g->mr[seL4_VMFault_Addr], addr);
    KT_EQ(g->mr[seL4_VMFault_PrefetchFault], fetch);
    seL4_Word fsr = g->mr[seL4_VMFault_FSR];
    KT_EQ(VM_ESR_EC(fsr), ec);
    KT_EQ(VM_ESR_FSC(fsr), fsc);
    if (wnr >= 0)
        KT_EQ(VM_ESR_WNR(fsr), (seL4_Word)wnr);
    return KT_PASS;
}

TEST(vcpu_guest_stage2_fault, "A guest (MMU off) loading from an IPA its VSpace does not map: "
     "a VMFault (IP the load, Addr the IPA, ESR_EL2); mapping a frame there and replying "
     "completes the load")
{
    struct guest g;
    GUEST(&g, "guest");
    const seL4_Word ipa = VM_VA_512G + 0x2340;
    g.ctx.pc = (seL4_Word)vg_load_entry;
    g.ctx.x0 = ipa;
    GO(&g);
    CHECK(expect_guest_vmfault(&g, (seL4_Word)vg_load, ipa, false, VM_EC_DABT_LOWER,
                               VM_FSC_TRANSLATION(VM_ROOT_LEVEL), 0));
    seL4_CPtr frame = KT_FRAME();
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_512G + 0x2000, VM_RW, VM_CACHED);
    vm_poke(ipa, 0x600dcafe);
    /* With its MMU off the guest reads memory uncached. */
    KT_OK(seL4_ARM_Page_Clean_Data(frame, 0, 1u << seL4_PageBits));
    GO(&g);
    EXPECT_REPORT(&g, vg_load + 4);
    KT_EQ(g.ctx.x1, 0x600dcafe);
    return KT_PASS;
}

/* The guest's own stage-1 table: one level-1 table of 1 GiB blocks. */
static uint64_t guest_level1[512] __attribute__((aligned(4096)));
#define GUEST_BLOCK     0x701ul     /* block, AttrIndx 0, EL1 read-write, inner shareable, AF */
#define GUEST_TCR       (25ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (2ul << 32))
#define GUEST_MAIR      0xfful      /* attribute 0: normal memory, write-back */
#define GUEST_VA_ALIAS  0x40000000ul  /* guest VA GiB 1 -> IPA VM_VA_512G */

/* Turn the guest's MMU on: VA GiB 0 identity mapped, GiB 1 at IPA VM_VA_512G. */
static int guest_stage1(struct guest *g)
{
    memset(guest_level1, 0, sizeof(guest_level1));
    guest_level1[0] = 0 | GUEST_BLOCK;
    guest_level1[1] = VM_VA_512G | GUEST_BLOCK;
    VCPU_WRITE(g->vcpu, seL4_VCPUReg_TTBR0, (seL4_Word)guest_level1);
    VCPU_WRITE(g->vcpu, seL4_VCPUReg_TCR, GUEST_TCR);
    VCPU_WRITE(g->vcpu, seL4_VCPUReg_MAIR, GUEST_MAIR);
    VCPU_WRITE(g->vcpu, seL4_VCPUReg_SCTLR, SCTLR_NEW_VCPU | SCTLR_M | SCTLR_C | SCTLR_I);
    return KT_PASS;
}

TEST(vcpu_guest_stage2_fault_ipa, "With the guest's own stage-1 translation on, a stage-2 "
     "fault's Addr is the IPA, not the guest's virtual address: for a load (translation), "
     "a store to a read-only page (permission, WnR) and a fetch (IP the guest's pc)")
{
    struct guest g;
    GUEST(&g, "guest");
    CHECK(guest_stage1(&g));
    g.ctx.pc = (seL4_Word)vg_load_entry;
    g.ctx.x0 = GUEST_VA_ALIAS + 0x1238;
    GO(&g);
    CHECK(expect_guest_vmfault(&g, (seL4_Word)vg_load, VM_VA_512G + 0x1238, false,
                               VM_EC_DABT_LOWER, VM_FSC_TRANSLATION(VM_ROOT_LEVEL), 0));
    VM_MAP(KT_FRAME(), KT_ROOT_VSPACE, VM_VA_512G + 0x1000, VM_RW, VM_CACHED);
    vm_poke(VM_VA_512G + 0x1238, 0x1dea);
    GO(&g);
    EXPECT_REPORT(&g, vg_load + 4);
    KT_EQ(g.ctx.x1, 0x1dea);
    /* A store to a page mapped read-only at stage 2. */
    seL4_CPtr ro = KT_FRAME();
    VM_MAP(ro, KT_ROOT_VSPACE, VM_VA_512G + 0x3000, VM_RO, VM_CACHED);
    g.ctx.pc = (seL4_Word)vg_store;
    g.ctx.x0 = GUEST_VA_ALIAS + 0x3010;
    g.ctx.x1 = 0x5707e;
    GO(&g);
    CHECK(expect_guest_vmfault(&g, (seL4_Word)vg_store, VM_VA_512G + 0x3010, false,
                               VM_EC_DABT_LOWER, VM_FSC_PERMISSION(3), 1));
    KT_OK(seL4_ARM_Page_Map(ro, KT_ROOT_VSPACE, VM_VA_512G + 0x3000, VM_RW, VM_CACHED));
    GO(&g);
    EXPECT_REPORT(&g, vg_store + 4);
    KT_EQ(vm_peek(VM_VA_512G + 0x3010), 0x5707e);
    /* A jump to an unmapped IPA. */
    g.ctx.pc = (seL4_Word)vg_jump;
    g.ctx.x0 = GUEST_VA_ALIAS + 0x5000;
    GO(&g);
    CHECK(expect_guest_vmfault(&g, GUEST_VA_ALIAS + 0x5000, VM_VA_512G + 0x5000, true,
                               VM_EC_IABT_LOWER, VM_FSC_TRANSLATION(3), -1));
    return KT_PASS;
}

/* ------------------------------------------------------------- the virtual timer */

/* The guest runs on `core`, its VMM (acknowledging) on core 0. */
static int vtimer_vppi_event(unsigned core)
{
    struct guest g;
    GUEST_ON(&g, "guest", core);
    g.ctx.x0 = 64;              /* ticks from now */
    g.ctx.x6 = 100000;          /* iterations per round */
    GO_FROM(&g, vg_vtimer);
    CHECK(guest_wait(&g, seL4_Fault_VPPIEvent));
    KT_EQ(g.length, seL4_VPPIEvent_Length);
    KT_EQ(g.mr[seL4_VPPIEvent_IRQ], VTIMER_IRQ);
    KT_LT(g.ctx.x5, g.ctx.x6);          /* during the guest's first round */
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_CNTV_CTL, CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_CNTV_CVAL, g.ctx.x2);
    /* Resumed (label 0x71), it finishes two rounds: no event meanwhile. */
    GO_LABEL(&g, 0x71);
    EXPECT_REPORT(&g, vg_spin_report);
    KT_EQ(g.ctx.x5, g.ctx.x6);
    guest_skip(&g);
    GO(&g);
    EXPECT_REPORT(&g, vg_spin_report);
    /* Acknowledged: the condition still holds, so it fires at once. */
    KT_OK(seL4_ARM_VCPU_AckVPPI(g.vcpu, VTIMER_IRQ));
    guest_skip(&g);
    GO(&g);
    CHECK(guest_wait(&g, seL4_Fault_VPPIEvent));
    KT_EQ(g.mr[seL4_VPPIEvent_IRQ], VTIMER_IRQ);
    /* The VMM turns the guest's timer off and acknowledges: a quiet round. */
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_CNTV_CTL, 0);
    KT_OK(seL4_ARM_VCPU_AckVPPI(g.vcpu, VTIMER_IRQ));
    GO(&g);
    EXPECT_REPORT(&g, vg_spin_report);
    KT_EQ(g.ctx.x5, g.ctx.x6);
    return KT_PASS;
}

TEST_ON(vcpu_vtimer_vppi_event, vtimer_vppi_event, 0,
        "The guest's virtual timer firing is a VPPIEvent fault (IRQ 27) "
        "while the guest runs; any reply resumes it; the timer stays masked until AckVPPI, "
        "after which it fires again at once")

TEST(vcpu_ack_vppi_errors, "AckVPPI: an IRQ above the largest is RangeError [0, max] (as "
     "IRQControl reports it), another IRQ InvalidArgument (argument 0), no argument "
     "TruncatedMessage; the virtual timer's (27) succeeds, pending or not")
{
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 1u << 20, 0, KT_ROOT_CNODE, kt_slot(),
                                      KT_DEPTH), seL4_RangeError);
    const seL4_Word max = seL4_GetMR(1);
    KT_GT(max, VTIMER_IRQ);
    const seL4_Word too_big[] = { max + 1, 1u << 20, ~0ul };
    for (unsigned i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++) {
        KT_ERR(seL4_ARM_VCPU_AckVPPI(v, too_big[i]), seL4_RangeError);
        KT_MR_EQ(0, 0);
        KT_MR_EQ(1, max);
    }
    const seL4_Word not_vppi[] = { 0, 16, 25, 26, 28, 30, 33, max };
    for (unsigned i = 0; i < sizeof(not_vppi) / sizeof(not_vppi[0]); i++) {
        KT_ERR(seL4_ARM_VCPU_AckVPPI(v, not_vppi[i]), seL4_InvalidArgument);
        KT_MR_EQ(0, 0);
    }
    KT_EQ(kt_call_raw(v, ARMVCPUAckVPPI, 0, 0, VTIMER_IRQ, 0, 0, 0), seL4_TruncatedMessage);
    KT_OK(seL4_ARM_VCPU_AckVPPI(v, VTIMER_IRQ));
    KT_OK(seL4_ARM_VCPU_AckVPPI(v, VTIMER_IRQ));
    return KT_PASS;
}

/* --------------------------------------------------------------- InjectIRQ */

TEST(vcpu_inject_irq_errors, "InjectIRQ range errors with seL4's bounds: virq > 1023 [0, 1023], "
     "priority > 31 [0, 31], group > 1 [0, 1], list register >= 4 [0, 3], checked in that "
     "order; no argument is TruncatedMessage; the largest values succeed")
{
    seL4_CPtr v = KT_NEW(seL4_ARM_VCPUObject, 0);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 1024, 0, 0, 0), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, 1023);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 0xffff, 32, 2, 4), seL4_RangeError);
    KT_MR_EQ(1, 1023);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 1023, 32, 0, 0), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, 31);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 1023, 0xff, 2, 4), seL4_RangeError);
    KT_MR_EQ(1, 31);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 1023, 31, 2, 0), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, 1);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 1023, 31, 0xff, 4), seL4_RangeError);
    KT_MR_EQ(1, 1);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 1023, 31, 1, NUM_LIST_REGS), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, NUM_LIST_REGS - 1);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(v, 0, 0, 0, 0xff), seL4_RangeError);
    KT_MR_EQ(1, NUM_LIST_REGS - 1);
    KT_EQ(kt_call_raw(v, ARMVCPUInjectIRQ, 0, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    for (unsigned i = 0; i < NUM_LIST_REGS; i++)
        KT_OK(seL4_ARM_VCPU_InjectIRQ(v, 1023, 31, 1, (seL4_Uint8)i));
    /* Bits above the list register's byte are not looked at. */
    KT_EQ(kt_call_raw(v, ARMVCPUInjectIRQ, 1, 0, (0xfful << 40) | 7, 0, 0, 0), seL4_NoError);
    return KT_PASS;
}

/* A guest on `core` reading the GIC CPU interface (vg_gic), mapped for it. */
static int gic_guest(struct guest *g, const char *name, unsigned core)
{
    GUEST_ON(g, name, core);
    g->ctx.pc = (seL4_Word)vg_gic;
    g->ctx.x0 = GUEST_GICC;
    return KT_PASS;
}
#define GIC_GUEST(g, name, core) CHECK(gic_guest((g), (name), (core)))

/* The guest runs on `core`, its VMM (injecting) on core 0. */
static int inject_irq_guest_takes_it(unsigned core)
{
    struct guest g;
    GIC_GUEST(&g, "guest", core);
    CHECK(map_gic_cpu_interface());
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, 45, 4, 0, 2));
    GO(&g);
    EXPECT_GIC_READ(&g, 45);
    guest_skip(&g);
    GO(&g);
    EXPECT_MAINTENANCE(&g, 2);
    GO_LABEL(&g, 0x4d);
    EXPECT_GIC_READ(&g, GICC_SPURIOUS);
    /* The list register is free: the next interrupt in it (injected while
       the VCPU is the processor's loaded one) is taken the same way. */
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, 46, 0, 0, 2));
    guest_skip(&g);
    GO(&g);
    EXPECT_GIC_READ(&g, 46);
    guest_skip(&g);
    GO(&g);
    EXPECT_MAINTENANCE(&g, 2);
    GO(&g);
    EXPECT_GIC_READ(&g, GICC_SPURIOUS);
    return KT_PASS;
}

TEST_ON(vcpu_inject_irq_guest_takes_it, inject_irq_guest_takes_it, 0,
        "An injected interrupt reaches the guest through the GIC "
        "virtual CPU interface (IAR gives its ID); the guest's EOI is a VGICMaintenance fault "
        "naming the list register, any reply resumes it, and the register takes a new one")

TEST(vcpu_inject_irq_priority, "Interrupts in several list registers reach the guest by "
     "priority (the most urgent first), each EOI a VGICMaintenance fault for its own list "
     "register")
{
    struct guest g;
    GIC_GUEST(&g, "guest", 0);
    CHECK(map_gic_cpu_interface());
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, 60, 20, 0, 0));
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, 61, 2, 0, 1));
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, 62, 9, 0, 3));
    static const struct { seL4_Word virq, lr; } order[] = { { 61, 1 }, { 62, 3 }, { 60, 0 } };
    for (unsigned i = 0; i < 3; i++) {
        GO(&g);
        EXPECT_GIC_READ(&g, order[i].virq);
        guest_skip(&g);
        GO(&g);
        EXPECT_MAINTENANCE(&g, order[i].lr);
    }
    GO(&g);
    EXPECT_GIC_READ(&g, GICC_SPURIOUS);
    return KT_PASS;
}

/* Both guests run on `core`, their VMM on core 0. */
static int inject_irq_delete_first(unsigned core)
{
    struct guest a, b;
    GIC_GUEST(&a, "guest-a", core);
    GUEST_ON(&b, "guest-b", core);
    CHECK(map_gic_cpu_interface());
    KT_OK(seL4_ARM_VCPU_InjectIRQ(a.vcpu, 45, 4, 0, 2));
    GO(&a);
    EXPECT_GIC_READ(&a, 45);
    /* b's VCPU takes the processor: a's state, its active list register included, is saved. */
    GO_FROM(&b, vg_smc);
    EXPECT_SMC(&b, VG_SMC_FIRST, vg_smc);
    KT_ERR(seL4_ARM_VCPU_InjectIRQ(a.vcpu, 46, 4, 0, 2), seL4_DeleteFirst);
    KT_OK(seL4_ARM_VCPU_InjectIRQ(a.vcpu, 47, 4, 0, 1));
    /* a ends 45 (list register 2), then takes 47 (list register 1). */
    guest_skip(&a);
    GO(&a);
    EXPECT_MAINTENANCE(&a, 2);
    GO(&a);
    EXPECT_GIC_READ(&a, 47);
    guest_skip(&a);
    GO(&a);
    EXPECT_MAINTENANCE(&a, 1);
    /* Ended: list register 2 takes an interrupt again. */
    KT_OK(seL4_ARM_VCPU_InjectIRQ(a.vcpu, 46, 4, 0, 2));
    GO(&a);
    EXPECT_GIC_READ(&a, 46);
    return KT_PASS;
}

TEST_ON(vcpu_inject_irq_delete_first, inject_irq_delete_first, 0,
        "InjectIRQ into a list register whose interrupt the guest "
        "has acknowledged but not ended (active, as the VCPU saved it when another VCPU ran) is "
        "DeleteFirst; another list register takes the interrupt, and the guest gets both")

/* ------------------------------------------------------------ two VCPUs */

/* Guest a runs on core 0, guest b on `core_b`. */
static int two_guests_keep_registers(unsigned core_b)
{
    struct guest g[2];
    GUEST(&g[0], "guest-a");
    GUEST_ON(&g[1], "guest-b", core_b);
    seL4_Word tpidr[2], cidr[2], sp[2];
    for (int i = 0; i < 2; i++) {
        tpidr[i] = 0xa000000000000001ul + ((seL4_Word)i << 56);
        cidr[i] = 0xa2u + (seL4_Word)i * 0x10;
        sp[i] = 0xa3f0u + (seL4_Word)i * 0x100;
        VCPU_WRITE(g[i].vcpu, seL4_VCPUReg_TPIDR_EL1, tpidr[i]);
        VCPU_WRITE(g[i].vcpu, seL4_VCPUReg_CIDR, cidr[i]);
        VCPU_WRITE(g[i].vcpu, seL4_VCPUReg_SP_EL1, sp[i]);
        VCPU_WRITE(g[i].vcpu, seL4_VCPUReg_VBAR, 0x10000ul * (seL4_Word)(i + 1));
        g[i].ctx.pc = (seL4_Word)vg_sysregs;
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 2; i++) {
            /* This round's writes: new values for the next round's reads. */
            g[i].ctx.x10 = tpidr[i] + 0x100;
            g[i].ctx.x11 = cidr[i] + 0x100;
            g[i].ctx.x14 = sp[i] + 0x100;
            GO(&g[i]);
            EXPECT_REPORT(&g[i], vg_sysregs_report);
            KT_EQ(g[i].ctx.x0, tpidr[i]);
            KT_EQ(g[i].ctx.x1, 0x10000ul * (seL4_Word)(i + 1));
            KT_EQ(g[i].ctx.x2, cidr[i]);
            KT_EQ(g[i].ctx.x5, sp[i]);
            tpidr[i] += 0x100;
            cidr[i] += 0x100;
            sp[i] += 0x100;
            guest_skip(&g[i]);
        }
        /* One VCPU saved in memory, the other loaded: both read as their guests wrote. */
        for (int i = 0; i < 2; i++) {
            VCPU_REG_IS(g[i].vcpu, seL4_VCPUReg_TPIDR_EL1, tpidr[i]);
            VCPU_REG_IS(g[i].vcpu, seL4_VCPUReg_CIDR, cidr[i]);
            VCPU_REG_IS(g[i].vcpu, seL4_VCPUReg_SP_EL1, sp[i]);
        }
    }
    return KT_PASS;
}

TEST_ON(vcpu_two_guests_keep_registers, two_guests_keep_registers, 0,
        "Two guests alternating on the processor (their VCPUs "
        "switched lazily) each read back their own EL1 registers, as the VMM set them and as "
        "they wrote them, round after round")

/*
 * Values for every VCPU register that the processor keeps as written while
 * the VCPU is loaded (the MMU stays off; the timer disabled): four sets.
 * AMAIR, ACTLR, AFSR0 and AFSR1 are implementation defined and read as
 * zero on some cores (QEMU's): only memory keeps them.
 */
static bool reg_kept_by_hardware(seL4_Word reg)
{
    return reg != seL4_VCPUReg_AMAIR && reg != seL4_VCPUReg_ACTLR &&
           reg != seL4_VCPUReg_AFSR0 && reg != seL4_VCPUReg_AFSR1;
}

static seL4_Word reg_value(seL4_Word reg, unsigned set)
{
    const seL4_Word w = set + 1;
    switch (reg) {
    case seL4_VCPUReg_SCTLR:
        return SCTLR_NEW_VCPU | ((set & 1) ? SCTLR_C : 0) | ((set & 2) ? SCTLR_I : 0);
    case seL4_VCPUReg_CPACR:        return (seL4_Word)(set & 3) << 20;      /* FPEN */
    case seL4_VCPUReg_TTBR0:        return (w << 48) | 0x40001000ul * w;
    case seL4_VCPUReg_TTBR1:        return (w << 49) | 0x40003000ul * w;
    case seL4_VCPUReg_TCR:          return 0x80803510ul + w;               /* MMU off: any */
    case seL4_VCPUReg_ESR:          return 0x96000040ul + w;
    case seL4_VCPUReg_VBAR:         return 0x800ul * w;
    case seL4_VCPUReg_SP_EL1:       return 0x10ul * w;
    case seL4_VCPUReg_SPSR_EL1:     return ((set & 2) ? 0x20000000ul : 0) | 0x3c4 | (set & 1);
    case seL4_VCPUReg_CIDR:         return 0x1000ul + w;
    case seL4_VCPUReg_VMPIDR_EL2:   return 0x80000000ul | w;
    case seL4_VCPUReg_CNTV_CTL:     return (set & 1) ? 2 : 0;               /* disabled */
    case seL4_VCPUReg_CNTKCTL_EL1:  return set & 3;
    default:                        return reg_pattern(reg) * w;
    }
}

static int write_every_register(seL4_CPtr vcpu, unsigned set)
{
    for (seL4_Word r = 0; r < seL4_VCPUReg_Num; r++)
        VCPU_WRITE(vcpu, r, reg_value(r, set));
    return KT_PASS;
}

static int check_every_register(seL4_CPtr vcpu, unsigned set)
{
    for (seL4_Word r = 0; r < seL4_VCPUReg_Num; r++)
        if (reg_kept_by_hardware(r))
            VCPU_REG_IS(vcpu, r, reg_value(r, set));
    return KT_PASS;
}

TEST(vcpu_two_guests_switch_every_register, "Two guests alternating on the processor: every "
     "VCPU register the VMM set survives the switches, whether it was written while its VCPU "
     "was saved in memory or loaded on the processor, and read either way")
{
    struct guest a, b;
    GUEST(&a, "guest-a");
    GUEST(&b, "guest-b");
    a.ctx.pc = b.ctx.pc = (seL4_Word)vg_smc;
    CHECK(write_every_register(a.vcpu, 0));
    CHECK(write_every_register(b.vcpu, 1));
    GO(&a);
    EXPECT_SMC(&a, VG_SMC_FIRST, vg_smc);
    GO(&b);
    EXPECT_SMC(&b, VG_SMC_FIRST, vg_smc);
    CHECK(check_every_register(a.vcpu, 0));     /* saved */
    CHECK(check_every_register(b.vcpu, 1));     /* loaded */
    CHECK(write_every_register(a.vcpu, 2));
    CHECK(write_every_register(b.vcpu, 3));
    GO(&a);
    EXPECT_SMC(&a, VG_SMC_FIRST, vg_smc);
    CHECK(check_every_register(a.vcpu, 2));
    CHECK(check_every_register(b.vcpu, 3));
    CHECK(write_every_register(a.vcpu, 1));
    GO(&b);
    EXPECT_SMC(&b, VG_SMC_FIRST, vg_smc);
    CHECK(check_every_register(a.vcpu, 1));
    CHECK(check_every_register(b.vcpu, 3));
    return KT_PASS;
}

/* Guest a runs on core 0, guest b on `core_b`. */
static int two_guests_keep_list_registers(unsigned core_b)
{
    struct guest g[2];
    GIC_GUEST(&g[0], "guest-a", 0);
    GIC_GUEST(&g[1], "guest-b", core_b);
    CHECK(map_gic_cpu_interface());
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g[0].vcpu, 40, 4, 0, 0));
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g[1].vcpu, 50, 4, 0, 0));
    for (int i = 0; i < 2; i++) {
        GO(&g[i]);
        EXPECT_GIC_READ(&g[i], 40 + 10 * (seL4_Word)i);
        guest_skip(&g[i]);
    }
    for (int i = 0; i < 2; i++) {
        GO(&g[i]);
        EXPECT_MAINTENANCE(&g[i], 0);
    }
    /* b's VCPU is loaded: a's injection goes to its saved state, b's to the hardware. */
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g[0].vcpu, 41, 4, 0, 3));
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g[1].vcpu, 51, 4, 0, 1));
    for (int i = 0; i < 2; i++) {
        GO(&g[i]);
        EXPECT_GIC_READ(&g[i], 41 + 10 * (seL4_Word)i);
        guest_skip(&g[i]);
    }
    for (int i = 0; i < 2; i++) {
        GO(&g[i]);
        EXPECT_MAINTENANCE(&g[i], i == 0 ? 3 : 1);
        GO(&g[i]);
        EXPECT_GIC_READ(&g[i], GICC_SPURIOUS);
    }
    return KT_PASS;
}

TEST_ON(vcpu_two_guests_keep_list_registers, two_guests_keep_list_registers, 0,
        "Two guests alternating on the processor each take "
        "the interrupts injected into their own VCPU's list registers, loaded or not, and each "
        "EOI is a maintenance fault of its own guest")

/* ------------------------------------------- guests on another core (SMP) */

#if CONFIG_MAX_NUM_NODES > 1
/*
 * The same cases with the guest's thread on another core than its VMM (the
 * test thread, core 0): every VCPU invocation then finds the VCPU loaded
 * on that core (lazily, while the guest waits for its VMM) or running
 * there. seL4 writes a list register of a VCPU running elsewhere on its
 * core (a remote call, as here); for its other invocations this kernel
 * first takes the VCPU's state from the core that has it loaded, so
 * ReadRegs and WriteRegs see and change what the guest runs with.
 *
 * Waiting for a guest to run: QEMU -icount runs the cores in turns, a
 * spinning core keeping the emulator until its next timer deadline (the
 * test thread's budget, 5 ms): RUNNING_US of spinning here gives the
 * guest's core its turns. A guest polling without trapping gives up after
 * POLL_READS reads (far more than that time), so a lost interrupt or
 * register write fails the test instead of hanging it.
 */
#define OTHER_CORE      1
#define RUNNING_US      20000
#define POLL_READS      50000000ul

/* A case of the single-core suite, `body`, with the guest on OTHER_CORE. */
#define TEST_ELSEWHERE(name, body, desc) TEST_ON(name, body, OTHER_CORE, desc)

TEST_ELSEWHERE(vcpu_smp_registers_reach_guest_elsewhere, registers_reach_the_guest,
               "vcpu_registers_reach_the_guest with the guest on core 1: ReadRegs and "
               "WriteRegs of its VCPU, loaded on core 1 while the guest waits for its VMM on "
               "core 0")

TEST_ELSEWHERE(vcpu_smp_set_tcb_rebinds_tcb_elsewhere, set_tcb_rebinds_tcb,
               "vcpu_set_tcb_rebinds_tcb with the thread on core 1: SetTCB takes its VCPU, "
               "loaded on core 1, away and gives it another; the one taken away keeps what the "
               "guest wrote and runs another thread")

TEST_ELSEWHERE(vcpu_smp_delete_guest_elsewhere, delete_running_guest,
               "vcpu_delete_running_guest with the guest on core 1: its VCPU, loaded on core "
               "1, binds to a new thread on core 0 after the old one is deleted")

TEST_ELSEWHERE(vcpu_smp_vtimer_vppi_event_elsewhere, vtimer_vppi_event,
               "vcpu_vtimer_vppi_event with the guest on core 1: its virtual timer (core 1's "
               "PPI 27) is a VPPIEvent for the VMM on core 0, masked on core 1 until the VMM's "
               "AckVPPI")

TEST_ELSEWHERE(vcpu_smp_inject_irq_guest_elsewhere, inject_irq_guest_takes_it,
               "vcpu_inject_irq_guest_takes_it with the guest on core 1: InjectIRQ into its "
               "VCPU, loaded on core 1, reaches the guest there; its EOI is a maintenance "
               "fault for the VMM on core 0")

TEST_ELSEWHERE(vcpu_smp_inject_irq_delete_first_elsewhere, inject_irq_delete_first,
               "vcpu_inject_irq_delete_first with both guests on core 1: DeleteFirst for the "
               "active list register saved there")

TEST_ELSEWHERE(vcpu_smp_two_guests_on_two_cores_keep_registers, two_guests_keep_registers,
               "vcpu_two_guests_keep_registers with the guests on cores 0 and 1: each VCPU "
               "stays loaded on its own core")

TEST_ELSEWHERE(vcpu_smp_two_guests_on_two_cores_keep_list_registers, two_guests_keep_list_registers,
               "vcpu_two_guests_keep_list_registers with the guests on cores 0 and 1")

TEST(vcpu_smp_inject_irq_running_elsewhere, "InjectIRQ into the VCPU of a guest running on "
     "core 1 (polling its CPU interface, never trapping) from its VMM on core 0: the "
     "interrupt reaches the guest while it runs (the list register is written on core 1, as "
     "seL4's remote InjectIRQ does), its EOI is a maintenance fault naming the list register; "
     "twice, into two list registers")
{
    struct guest g;
    GUEST_ON(&g, "guest", OTHER_CORE);
    CHECK(map_gic_cpu_interface());
    g.ctx.x0 = GUEST_GICC;
    g.ctx.x6 = POLL_READS;
    static const struct { seL4_Word virq, lr; } irqs[] = { { 52, 1 }, { 53, 3 } };
    for (unsigned i = 0; i < 2; i++) {
        if (i == 0)
            GO_FROM(&g, vg_gic_poll);
        else
            GO(&g);
        spin_us(RUNNING_US);
        KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, (seL4_Uint16)irqs[i].virq, 4, 0,
                                      (seL4_Uint8)irqs[i].lr));
        EXPECT_REPORT(&g, vg_gic_poll_report);
        KT_EQ(g.ctx.x2 & GICC_INTID_MASK, irqs[i].virq);
        KT_GT(g.ctx.x5, 0);             /* it had been polling in vain */
        guest_skip(&g);
        GO(&g);
        EXPECT_MAINTENANCE(&g, irqs[i].lr);
    }
    return KT_PASS;
}

TEST(vcpu_smp_registers_of_guest_running_elsewhere, "ReadRegs of the VCPU of a guest running "
     "on core 1 gives what the guest last wrote (TPIDR_EL1), and WriteRegs from core 0 "
     "changes the register under the running guest, which reads the new value")
{
    struct guest g;
    GUEST_ON(&g, "guest", OTHER_CORE);
    g.ctx.x10 = 0x7a11;
    g.ctx.x6 = POLL_READS;
    GO_FROM(&g, vg_tpidr_wait);
    spin_us(RUNNING_US);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_TPIDR_EL1, 0x7a11);
    spin_us(RUNNING_US);
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_TPIDR_EL1, 0x5e7);
    EXPECT_REPORT(&g, vg_tpidr_wait_report);
    KT_EQ(g.ctx.x1, 0x5e7);
    KT_GT(g.ctx.x5, 0);
    KT_LT(g.ctx.x5, POLL_READS);
    return KT_PASS;
}

/* Configure the guest's SchedContext on `core`'s SchedControl: it moves there. */
static int guest_move(struct guest *g, unsigned core)
{
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(core), g->t.sc, 5000, 5000, 0,
                                           0, 0));
    return KT_PASS;
}

TEST(vcpu_smp_guest_moves_between_cores, "A guest whose SchedContext moves to another core "
     "while it waits for its VMM takes its VCPU along: the interrupt it acknowledged on core 1 "
     "it ends on core 0 (a maintenance fault for its list register), an interrupt injected "
     "on core 0 it takes on core 1, and its EL1 registers stay as they were")
{
    struct guest g;
    GIC_GUEST(&g, "guest", OTHER_CORE);
    CHECK(map_gic_cpu_interface());
    VCPU_WRITE(g.vcpu, seL4_VCPUReg_TPIDR_EL1, 0x3017e);
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, 44, 4, 0, 0));
    GO(&g);
    EXPECT_GIC_READ(&g, 44);            /* active in list register 0, on core 1 */
    CHECK(guest_move(&g, 0));
    guest_skip(&g);
    GO(&g);
    EXPECT_MAINTENANCE(&g, 0);          /* ended on core 0 */
    GO(&g);
    EXPECT_GIC_READ(&g, GICC_SPURIOUS);
    KT_OK(seL4_ARM_VCPU_InjectIRQ(g.vcpu, 45, 4, 0, 2));
    CHECK(guest_move(&g, OTHER_CORE));
    guest_skip(&g);
    GO(&g);
    EXPECT_GIC_READ(&g, 45);
    VCPU_REG_IS(g.vcpu, seL4_VCPUReg_TPIDR_EL1, 0x3017e);
    return KT_PASS;
}
#endif /* CONFIG_MAX_NUM_NODES > 1 */

/* ------------------------------------------------- native threads under EL2 */

struct native_call {
    void (*fn)(void);
    const char *insn;
};

static int run_native(kt_thread_t *self, void *arg)
{
    const struct native_call *c = arg;
    c->fn();
    self->user[0] = 1;
    return KT_PASS;
}

static int native_faulter(kt_thread_t *t, seL4_CPtr *ep, seL4_CPtr *reply,
                          const struct native_call *c)
{
    *ep = KT_EP();
    *reply = KT_REPLY();
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1,
                                .fault_ep = KT_MINT(*ep, seL4_AllRights, GUEST_BADGE) };
    KT_THREAD(t, "native", &o, run_native, (void *)c);
    KT_START(t);
    return KT_PASS;
}

TEST(vcpu_native_undefined, "Under the EL2 kernel a native thread's undefined instruction, "
     "and its SMC and HVC (undefined at EL0), are UserExceptions with ESR 0x2000000 and code 0")
{
    static const struct native_call calls[] = {
        { kt_udf, kt_udf_insn },
        { vg_native_smc, vg_native_smc_insn },
        { vg_native_hvc, vg_native_hvc_insn },
    };
    for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        kt_thread_t t;
        seL4_CPtr ep, reply;
        CHECK(native_faulter(&t, &ep, &reply, &calls[i]));
        seL4_Word badge = 0;
        seL4_MessageInfo_t m = seL4_Recv(ep, &badge, reply);
        KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_UserException);
        KT_EQ(seL4_MessageInfo_get_length(m), seL4_UserException_Length);
        KT_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)calls[i].insn);
        KT_EQ(SPSR_MODE(seL4_GetMR(seL4_UserException_SPSR)), MODE_EL0T);
        KT_EQ(seL4_GetMR(seL4_UserException_Number), ESR_UNDEFINED);
        KT_EQ(seL4_GetMR(seL4_UserException_Code), 0);
        KT_OK(seL4_TCB_Suspend(t.tcb));
    }
    return KT_PASS;
}

static void dc_zva_scratch(void)
{
    static char line[256] __attribute__((aligned(256)));
    vg_native_dc_zva(line);
}

TEST(vcpu_native_trap_is_vcpu_fault, "Under the EL2 kernel a native thread's trapped "
     "instruction that is not undefined (DC ZVA, which SCTLR_EL1.DZE = 0 traps) is a VCPUFault "
     "with its ESR; moving the pc on and replying resumes the thread")
{
    static const struct native_call call = { dc_zva_scratch, vg_native_dc_zva_insn };
    kt_thread_t t;
    seL4_CPtr ep, reply;
    CHECK(native_faulter(&t, &ep, &reply, &call));
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_VCPUFault);
    KT_EQ(seL4_MessageInfo_get_length(m), seL4_VCPUFault_Length);
    seL4_Word hsr = seL4_GetMR(seL4_VCPUFault_HSR);
    KT_EQ(ESR_EC(hsr), EC_SYSREG);
    KT_EQ(ESR_ISS(hsr), SYSREG_ISS(1, 3, 7, 4, 1, 0, 0));     /* dc zva, x0 */
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 1, &c));
    KT_EQ(c.pc, (seL4_Word)vg_native_dc_zva_insn);
    c.pc += 4;
    KT_OK(seL4_TCB_WriteRegisters(t.tcb, 0, 0, 1, &c));
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_ASSERT(kt_wait_word(&t.user[0], 10));
    return KT_PASS;
}

/*
 * KNOWN KERNEL BUG reproducers (reported to the lead; see the commit that
 * added them): under the EL2 kernel native threads run with SCTLR_EL1 =
 * SCTLR_EL1_NATIVE (kernel/arch/aarch64/include/arch/cpu_state.h), which
 * lacks bits seL4's native value has: nTWI and nTWE (seL4's SCTLR_EL1 sets
 * them: WFI/WFE at EL0 run normally) and UCT and UCI (set by seL4 with
 * AARCH64_USER_CACHE_ENABLE, on by default: CTR_EL0 reads and DC CVAU,
 * CVAC, CIVAC and IC IVAU at EL0). Our kernel traps all of these, and the
 * thread's fault handler gets a VCPUFault. These two tests fail until the
 * kernel sets those bits.
 */

/* A native thread that must run to its end without a fault. */
static int native_runs_through(const struct native_call *c, const char *what)
{
    kt_thread_t t;
    seL4_CPtr ep, reply;
    CHECK(native_faulter(&t, &ep, &reply, c));
    kt_wait_word(&t.user[0], 20);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_NBRecv(ep, &badge, reply);
    seL4_Word label = seL4_MessageInfo_get_label(m);
    if (badge == GUEST_BADGE && label != seL4_Fault_NullFault)
        KT_FAIL("%s: a %s fault (MR0 0x%lx) at pc 0x%lx", what, kt_fault_name((long)label),
                seL4_GetMR(0), (seL4_Word)c->insn);
    KT_EQ(t.user[0], 1);
    return KT_PASS;
}

TEST(vcpu_native_wfi_runs, "Under the EL2 kernel a native thread's WFI "
     "waits for the next interrupt and goes on, as in seL4 (its native SCTLR_EL1 sets nTWI "
     "and nTWE): no fault")
{
    static const struct native_call call = { vg_native_wfi, vg_native_wfi_insn };
    return native_runs_through(&call, "WFI at EL0");
}

static unsigned long native_ctr;

static void read_ctr(void)
{
    native_ctr = vg_native_read_ctr();
}

static void dc_cvau_scratch(void)
{
    static char line[256] __attribute__((aligned(256)));
    vg_native_dc_cvau(line);
}

TEST(vcpu_native_user_cache_ops, "Under the EL2 kernel a native thread "
     "may read CTR_EL0 and clean data cache lines by address (DC CVAU) at EL0, as seL4 "
     "allows by default (AARCH64_USER_CACHE_ENABLE: SCTLR_EL1.UCT and UCI for native threads)")
{
    static const struct native_call ctr = { read_ctr, vg_native_read_ctr_insn };
    static const struct native_call cvau = { dc_cvau_scratch, vg_native_dc_cvau_insn };
    CHECK(native_runs_through(&ctr, "MRS CTR_EL0 at EL0"));
    KT_NE(native_ctr, 0);
    CHECK(native_runs_through(&cvau, "DC CVAU at EL0"));
    return KT_PASS;
}

#ifdef CONFIG_HARDWARE_DEBUG_API
/* debug_api_arch.S: x + 3, one instruction per label. */
extern seL4_Word kt_dbg_seq(seL4_Word x);
extern char kt_dbg_seq_1[], kt_dbg_seq_2[];

/* The guest's debug registers as vg_debugregs reports them (x0..x4). */
static int guest_debugregs_are(const struct guest *g, const seL4_Word want[5])
{
    const seL4_Word got[5] = { g->ctx.x0, g->ctx.x1, g->ctx.x2, g->ctx.x3, g->ctx.x4 };
    for (unsigned i = 0; i < 5; i++)
        if (got[i] != want[i])
            KT_FAIL("guest %s: debug register %u (DBGBVR0, DBGBCR0, DBGWVR0, DBGWCR0, MDSCR) "
                    "is 0x%lx, expected 0x%lx", g->t.name, i, got[i], want[i]);
    return KT_PASS;
}

static int native_seq(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = kt_dbg_seq(1);
    self->user[1] = 1;
    return KT_PASS;
}

/* A native thread stops at an API breakpoint (its state replaces a guest's
   in the debug registers), then runs to its end. */
static int native_breakpoint_round(void)
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1,
                                .fault_ep = KT_MINT(ep, seL4_AllRights, 0xdb) };
    KT_THREAD(&t, "native-bp", &o, native_seq, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(t.tcb, 0, (seL4_Word)kt_dbg_seq_2, seL4_InstructionBreakpoint,
                                 0, seL4_BreakOnRead));
    KT_START(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), (seL4_Word)kt_dbg_seq_2);
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 0);
    KT_OK(seL4_TCB_UnsetBreakpoint(t.tcb, 0));
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(t.user[1], 1);
    KT_EQ(t.user[0], 4);
    return KT_PASS;
}

TEST(vcpu_guest_keeps_debug_registers, "With the hardware-debug API under the EL2 kernel a "
     "guest owns its debug registers (breakpoint and watchpoint 0, MDSCR_EL1): what it wrote it "
     "reads back after a native thread stopped at an API breakpoint in between, and a second "
     "guest reads its own (all zero), not the first one's")
{
    struct guest g, h;
    GUEST(&g, "guest-dbg");
    /* Disabled (E = 0) breakpoint and watchpoint; MDSCR: MDE and TDCC. */
    const seL4_Word want[5] = { 0x40001000ul, 0x1e6ul, 0x40002000ul, 0x1ffeul, 0x9000ul };
    const seL4_Word zero[5] = { 0, 0, 0, 0, 0 };
    g.ctx.pc = (seL4_Word)vg_debugregs;
    g.ctx.x10 = want[0];
    g.ctx.x11 = want[1];
    g.ctx.x12 = want[2];
    g.ctx.x13 = want[3];
    g.ctx.x14 = want[4];
    GO(&g);
    EXPECT_REPORT(&g, vg_debugregs_set);
    guest_skip(&g);
    GO(&g);
    EXPECT_REPORT(&g, vg_debugregs_report);
    CHECK(guest_debugregs_are(&g, want));
    /* A native thread's API state takes the registers, then the guest again. */
    CHECK(native_breakpoint_round());
    GO_FROM(&g, vg_debugregs_read);
    EXPECT_REPORT(&g, vg_debugregs_report);
    CHECK(guest_debugregs_are(&g, want));
    /* Another guest: its own, fresh registers; then the first one's again. */
    GUEST(&h, "guest-dbg2");
    GO_FROM(&h, vg_debugregs_read);
    EXPECT_REPORT(&h, vg_debugregs_report);
    CHECK(guest_debugregs_are(&h, zero));
    GO(&g);
    EXPECT_REPORT(&g, vg_debugregs_report);
    CHECK(guest_debugregs_are(&g, want));
    return KT_PASS;
}

static int run_dbg_seq(kt_thread_t *self, void *arg)
{
    self->user[0] = kt_dbg_seq((seL4_Word)arg);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(vcpu_guest_keeps_native_breakpoints, "A guest that turns the EL1 debug registers off "
     "for itself (MDSCR_EL1 = 0, the OS lock on, breakpoint 0 cleared) takes nothing from "
     "native threads: a native thread's breakpoint set before the guest ran still stops it "
     "with a DebugException at the address")
{
    struct guest g;
    GUEST(&g, "debug-guest");
    seL4_CPtr fep = KT_EP(), reply = KT_REPLY();
    kt_thread_t d;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1,
                                .fault_ep = KT_MINT(fep, seL4_AllRights, 0xdb) };
    KT_THREAD(&d, "debuggee", &o, run_dbg_seq, (void *)5);
    KT_OK(seL4_TCB_SetBreakpoint(d.tcb, 0, (seL4_Word)kt_dbg_seq_1, seL4_InstructionBreakpoint,
                                 0, seL4_BreakOnRead));
    /* The guest runs while we wait for its report (after its seven
       instructions), then the native thread. */
    g.ctx.pc = (seL4_Word)vg_debug_clobber;
    GO(&g);
    EXPECT_REPORT(&g, vg_debug_clobber + 7 * 4);
    KT_START(&d);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(fep, &badge, reply);
    KT_EQ(badge, 0xdb);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_InstructionBreakpoint);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), (seL4_Word)kt_dbg_seq_1);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.tcb, 0));
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(d.user[1], 1);    /* it ran to its end (above us) */
    KT_EQ(d.user[0], 8);
    return KT_PASS;
}
#endif /* CONFIG_HARDWARE_DEBUG_API */

#endif /* CONFIG_ARM_HYPERVISOR_SUPPORT */
