/*
 * seL4's hardware-debug API (CONFIG_HARDWARE_DEBUG_API; make
 * test-kernel-debug): the labels it inserts, every invocation with every
 * error seL4 gives, and the DebugException faults of breakpoints,
 * watchpoints, single steps and BRK with what the handler's reply does.
 * The instructions the tests stop at are in debug_api_arch.S. Without the
 * option a BRK is a plain UserException, which the last test checks.
 */
#include "ktest.h"
#include "ptimer.h"

extern seL4_Word kt_dbg_seq(seL4_Word x);
extern char kt_dbg_seq_1[], kt_dbg_seq_2[], kt_dbg_seq_3[], kt_dbg_seq_ret[];
extern void kt_dbg_store(seL4_Word *p, seL4_Word v);
extern char kt_dbg_store_insn[];
extern void kt_dbg_store_byte(seL4_Uint8 *p, seL4_Word v);
extern char kt_dbg_store_byte_insn[];
extern seL4_Word kt_dbg_load(const seL4_Word *p);
extern char kt_dbg_load_insn[];
extern seL4_Word kt_dbg_brk(seL4_Word x);
extern char kt_dbg_brk_insn[];
extern seL4_Word kt_dbg_count(seL4_Word n);
extern char kt_dbg_count_loop[], kt_dbg_count_end[];
extern seL4_Word kt_dbg_yield(void);
extern char kt_dbg_yield_svc[], kt_dbg_yield_after[];

#define HI (KT_PRIO_TEST + 1)
#define A(sym) ((seL4_Word)(sym))
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A debugged helper whose faults come to the test thread (badge 0xdb). */
struct debuggee {
    kt_thread_t t;
    seL4_CPtr fep;
    seL4_CPtr reply;
    seL4_Word length;       /* of the last fault message */
};

/* Create the helper, not started: breakpoints can be set before it runs. */
static int create(struct debuggee *d, const char *name, kt_thread_fn fn, void *arg,
                  const struct kt_thread_opts *base)
{
    d->fep = KT_EP();
    d->reply = KT_REPLY();
    seL4_CPtr fb = KT_MINT(d->fep, seL4_AllRights, 0xdb);
    struct kt_thread_opts o = base ? *base : (struct kt_thread_opts){ .prio = HI };
    o.fault_ep = fb;
    KT_THREAD(&d->t, name, &o, fn, arg);
    return KT_PASS;
}

#define CREATE(d, name, fn, arg, opts)                                              \
    do {                                                                             \
        if (create((d), (name), (fn), (arg), (opts)) != KT_PASS)                     \
            return KT_FAILED;                                                        \
    } while (0)

/* The next fault of the helper: its label (its MRs are in our buffer). */
static seL4_Word next_fault(struct debuggee *d)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(d->fep, &badge, d->reply);
    if (badge != 0xdb)
        kt_fail(__FILE__, __LINE__, "fault message badge 0x%lx, expected 0xdb", badge);
    d->length = seL4_MessageInfo_get_length(m);
    return seL4_MessageInfo_get_label(m);
}

/* Reply with `label` and `length` words, MR0 = mr0. */
static __attribute__((unused)) void reply(struct debuggee *d, seL4_Word label, seL4_Word length, seL4_Word mr0)
{
    seL4_SetMR(0, mr0);
    seL4_Send(d->reply, seL4_MessageInfo_new(label, 0, 0, length));
}

static __attribute__((unused)) seL4_Word read_pc(seL4_CPtr tcb)
{
    seL4_UserContext c;
    seL4_Error err = seL4_TCB_ReadRegisters(tcb, 0, 0, 1, &c);
    return err ? ~0ul : c.pc;
}

static __attribute__((unused)) int run_seq(kt_thread_t *self, void *arg)
{
    self->user[0] = kt_dbg_seq((seL4_Word)arg);
    self->user[1] = 1;
    return KT_PASS;
}

#ifdef CONFIG_HARDWARE_DEBUG_API

/* Every label after TCBUnbindNotification moves by four (libsel4's numbers
   with the option on). */
_Static_assert(TCBSetBreakpoint == 16 && TCBGetBreakpoint == 17 && TCBUnsetBreakpoint == 18 &&
               TCBConfigureSingleStepping == 19, "debug labels");
_Static_assert(TCBSetTLSBase == 20 && TCBSetFlags == 21 && CNodeRevoke == 22 &&
               SchedContextYieldTo == 42 && nInvocationLabels == 43, "generic labels shifted");
/* The last IRQControl label: SGI signals with one core, per-core handlers
   with several. */
#if CONFIG_MAX_NUM_NODES > 1
#define LAST_IRQ_LABEL ARMIRQIssueIRQHandlerTriggerCore
#else
#define LAST_IRQ_LABEL ARMIRQIssueSGISignal
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* seL4's five VCPU labels come after ASIDPoolAssign. */
_Static_assert(ARMVSpaceClean_Data == 43 && ARMSMCCall == 47 && ARMPageTableMap == 48 &&
               ARMVCPUSetTCB == 59 && ARMVCPUAckVPPI == 63 && LAST_IRQ_LABEL == 65 &&
               nArchInvocationLabels == 66, "arch labels shifted");
#else
_Static_assert(ARMVSpaceClean_Data == 43 && ARMSMCCall == 47 && ARMPageTableMap == 48 &&
               LAST_IRQ_LABEL == 60 && nArchInvocationLabels == 61, "arch labels shifted");
#endif
_Static_assert(seL4_Fault_DebugException == 4 && seL4_DebugException_Length == 4, "fault");

static volatile seL4_Word watched[4] __attribute__((aligned(64)));
static volatile seL4_Uint8 watched_bytes[16] __attribute__((aligned(16)));

TEST(dbg_labels, "With the debug API the kernel answers seL4's shifted labels: 20 is "
     "SetTLSBase, 16 SetBreakpoint, 22 CNode Revoke")
{
    seL4_CPtr tcb = KT_TCB();
    KT_EQ(kt_call_raw(tcb, 20, 1, 0, 0x1230, 0, 0, 0), seL4_NoError);
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, 36, &c));
    KT_EQ(c.tpidr_el0, 0x1230);
    /* 16 with an instruction type and a size is SetBreakpoint's complaint */
    KT_EQ(kt_call_raw(tcb, 16, 4, 0, 0, 0x1000, seL4_InstructionBreakpoint, 4),
          seL4_InvalidArgument);
    KT_MR_EQ(0, 3);
    seL4_CPtr slot = KT_COPY(tcb, seL4_AllRights);
    KT_EQ(kt_call_raw(KT_ROOT_CNODE, 22, 2, 0, slot, KT_DEPTH, 0, 0), seL4_NoError);
    return KT_PASS;
}

TEST(dbg_set_get_instruction, "SetBreakpoint on each of the six instruction breakpoints; "
     "GetBreakpoint reports address, type, size 0, BreakOnRead, enabled")
{
    seL4_CPtr tcb = KT_TCB();
    for (seL4_Uint16 id = 0; id < seL4_NumExclusiveBreakpoints; id++)
        KT_OK(seL4_TCB_SetBreakpoint(tcb, id, 0x400000 + 4 * id + (id & 1),
                                     seL4_InstructionBreakpoint, 0, seL4_BreakOnRead));
    for (seL4_Uint16 id = 0; id < seL4_NumExclusiveBreakpoints; id++) {
        seL4_TCB_GetBreakpoint_t b = seL4_TCB_GetBreakpoint(tcb, id);
        KT_OK(b.error);
        KT_EQ(b.vaddr, 0x400000 + 4 * id + (id & 1));
        KT_EQ(b.type, seL4_InstructionBreakpoint);
        KT_EQ(b.size, 0);
        KT_EQ(b.rw, seL4_BreakOnRead);
        KT_EQ(b.is_enabled, 1);
    }
    return KT_PASS;
}

TEST(dbg_set_get_watchpoint, "SetBreakpoint on the four watchpoints with every size and "
     "access; GetBreakpoint gives them back exactly")
{
    static const struct {
        seL4_Word offset, size, rw;
    } cases[] = {
        { 0, 8, seL4_BreakOnWrite }, { 3, 1, seL4_BreakOnRead }, { 6, 2, seL4_BreakOnReadWrite },
        { 4, 4, seL4_BreakOnWrite }, { 7, 1, seL4_BreakOnReadWrite }, { 2, 2, seL4_BreakOnRead },
        { 0, 4, seL4_BreakOnRead }, { 8, 8, seL4_BreakOnReadWrite },
    };
    seL4_CPtr tcb = KT_TCB();
    for (unsigned i = 0; i < COUNT(cases); i++) {
        seL4_Uint16 id = (seL4_Uint16)(seL4_FirstWatchpoint + i % seL4_NumExclusiveWatchpoints);
        seL4_Word vaddr = 0x7000000 + 0x100 * i + cases[i].offset;
        KT_OK(seL4_TCB_SetBreakpoint(tcb, id, vaddr, seL4_DataBreakpoint, cases[i].size,
                                     cases[i].rw));
        seL4_TCB_GetBreakpoint_t b = seL4_TCB_GetBreakpoint(tcb, id);
        KT_OK(b.error);
        KT_EQ(b.vaddr, vaddr);
        KT_EQ(b.type, seL4_DataBreakpoint);
        KT_EQ(b.size, cases[i].size);
        KT_EQ(b.rw, cases[i].rw);
        KT_EQ(b.is_enabled, 1);
    }
    return KT_PASS;
}

TEST(dbg_unset_and_defaults, "A breakpoint never set reads as seL4 reports cleared "
     "registers; UnsetBreakpoint disables it and clears the address, keeping size and access")
{
    seL4_CPtr tcb = KT_TCB();
    seL4_TCB_GetBreakpoint_t b = seL4_TCB_GetBreakpoint(tcb, 1);
    KT_OK(b.error);
    KT_EQ(b.vaddr, 0);
    KT_EQ(b.type, seL4_InstructionBreakpoint);
    KT_EQ(b.size, 0);
    KT_EQ(b.rw, seL4_BreakOnRead);
    KT_EQ(b.is_enabled, 0);
    b = seL4_TCB_GetBreakpoint(tcb, 8);
    KT_OK(b.error);
    KT_EQ(b.vaddr, 0);
    KT_EQ(b.type, seL4_DataBreakpoint);
    KT_EQ(b.size, 4);
    KT_EQ(b.rw, seL4_BreakOnReadWrite);
    KT_EQ(b.is_enabled, 0);
    KT_OK(seL4_TCB_SetBreakpoint(tcb, 8, 0x9002, seL4_DataBreakpoint, 2, seL4_BreakOnWrite));
    KT_OK(seL4_TCB_UnsetBreakpoint(tcb, 8));
    b = seL4_TCB_GetBreakpoint(tcb, 8);
    KT_EQ(b.vaddr, 0);
    KT_EQ(b.size, 2);
    KT_EQ(b.rw, seL4_BreakOnWrite);
    KT_EQ(b.is_enabled, 0);
    KT_OK(seL4_TCB_SetBreakpoint(tcb, 4, 0x9000, seL4_InstructionBreakpoint, 0, seL4_BreakOnRead));
    KT_OK(seL4_TCB_UnsetBreakpoint(tcb, 4));
    b = seL4_TCB_GetBreakpoint(tcb, 4);
    KT_EQ(b.vaddr, 0);
    KT_EQ(b.is_enabled, 0);
    /* Unsetting what is not set is fine */
    KT_OK(seL4_TCB_UnsetBreakpoint(tcb, 0));
    KT_OK(seL4_TCB_UnsetBreakpoint(tcb, 9));
    return KT_PASS;
}

TEST(dbg_set_breakpoint_errors, "SetBreakpoint's checks in seL4's order: kernel address, "
     "type, size, access, id of the wrong kind, alignment, watchpoint past the registers")
{
    seL4_CPtr tcb = KT_TCB();
    const seL4_Word I = seL4_InstructionBreakpoint, D = seL4_DataBreakpoint;
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 0, seL4_UserTop, I, 0, seL4_BreakOnRead),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 0, ~0ul, I, 0, seL4_BreakOnRead), seL4_InvalidArgument);
    KT_MR_EQ(0, 1);
    KT_OK(seL4_TCB_SetBreakpoint(tcb, 0, seL4_UserTop - 1, I, 0, seL4_BreakOnRead));
    /* types: only instruction and data; single step and BRK are not set this way */
    static const seL4_Word bad_types[] = { seL4_SingleStep, seL4_SoftwareBreakRequest, 4, ~0ul };
    for (unsigned i = 0; i < COUNT(bad_types); i++) {
        KT_ERR(seL4_TCB_SetBreakpoint(tcb, 0, 0x1000, bad_types[i], 0, seL4_BreakOnRead),
               seL4_InvalidArgument);
        KT_MR_EQ(0, 2);
    }
    /* instruction breakpoints: size 0, break on read, an instruction id */
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 0, 0x1000, I, 4, seL4_BreakOnRead), seL4_InvalidArgument);
    KT_MR_EQ(0, 3);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 0, 0x1000, I, 0, seL4_BreakOnWrite), seL4_InvalidArgument);
    KT_MR_EQ(0, 4);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 0, 0x1000, I, 0, 7), seL4_InvalidArgument);
    KT_MR_EQ(0, 4);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, seL4_FirstWatchpoint, 0x1000, I, 0, seL4_BreakOnRead),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 2);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 12, 0x1000, I, 0, seL4_BreakOnRead), seL4_InvalidArgument);
    KT_MR_EQ(0, 2);
    /* watchpoints: a size, a watchpoint id, a known access, sizes 1/2/4/8, aligned */
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 6, 0x1000, D, 0, seL4_BreakOnRead), seL4_InvalidArgument);
    KT_MR_EQ(0, 3);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 5, 0x1000, D, 4, seL4_BreakOnRead), seL4_InvalidArgument);
    KT_MR_EQ(0, 2);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 6, 0x1000, D, 4, seL4_MaxBreakpointAccess),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 3);
    static const seL4_Word bad_sizes[] = { 3, 5, 16, 64 };
    for (unsigned i = 0; i < COUNT(bad_sizes); i++) {
        KT_ERR(seL4_TCB_SetBreakpoint(tcb, 6, 0x1000, D, bad_sizes[i], seL4_BreakOnRead),
               seL4_InvalidArgument);
        KT_MR_EQ(0, 3);
    }
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 6, 0x1002, D, 4, seL4_BreakOnRead), seL4_AlignmentError);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 6, 0x1004, D, 8, seL4_BreakOnRead), seL4_AlignmentError);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 6, 0x1001, D, 2, seL4_BreakOnRead), seL4_AlignmentError);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 10, 0x1000, D, 4, seL4_BreakOnRead), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_NumExclusiveBreakpoints - 1);
    KT_ERR(seL4_TCB_SetBreakpoint(tcb, 0xffff, 0x1000, D, 4, seL4_BreakOnRead), seL4_RangeError);
    /* nothing was set by the failed calls */
    KT_EQ(seL4_TCB_GetBreakpoint(tcb, 6).is_enabled, 0);
    return KT_PASS;
}

TEST(dbg_id_range_errors, "GetBreakpoint and UnsetBreakpoint of an id past the ten are a "
     "RangeError 0..9; ids are 16-bit (upper bits of the word are ignored)")
{
    seL4_CPtr tcb = KT_TCB();
    KT_ERR(seL4_TCB_GetBreakpoint(tcb, seL4_NumHWBreakpoints).error, seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_NumHWBreakpoints - 1);
    KT_ERR(seL4_TCB_GetBreakpoint(tcb, 0xffff).error, seL4_RangeError);
    KT_ERR(seL4_TCB_UnsetBreakpoint(tcb, seL4_NumHWBreakpoints), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_NumHWBreakpoints - 1);
    /* label 16 with bp_num 0x10003: breakpoint 3 */
    seL4_SetMR(4, seL4_BreakOnRead);
    KT_EQ(kt_call_raw(tcb, TCBSetBreakpoint, 5, 0, 0x10003, 0x5000, seL4_InstructionBreakpoint, 0),
          seL4_NoError);
    seL4_TCB_GetBreakpoint_t b = seL4_TCB_GetBreakpoint(tcb, 3);
    KT_EQ(b.vaddr, 0x5000);
    KT_EQ(b.is_enabled, 1);
    KT_EQ(kt_call_raw(tcb, TCBUnsetBreakpoint, 1, 0, 0x70003, 0, 0, 0), seL4_NoError);
    KT_EQ(seL4_TCB_GetBreakpoint(tcb, 3).is_enabled, 0);
    return KT_PASS;
}

TEST(dbg_wrong_cap, "The debug invocations on a cap that is not a TCB are IllegalOperation")
{
    seL4_CPtr cnode = KT_CNODE(2), sc = KT_SC();
    KT_ERR(seL4_TCB_SetBreakpoint(cnode, 0, 0x1000, seL4_InstructionBreakpoint, 0,
                                  seL4_BreakOnRead), seL4_IllegalOperation);
    KT_ERR(seL4_TCB_GetBreakpoint(cnode, 0).error, seL4_IllegalOperation);
    KT_ERR(seL4_TCB_UnsetBreakpoint(sc, 0), seL4_IllegalOperation);
    KT_ERR(seL4_TCB_ConfigureSingleStepping(sc, 0, 1).error, seL4_IllegalOperation);
    return KT_PASS;
}

TEST(dbg_configure_single_stepping_result, "ConfigureSingleStepping answers bp_was_consumed: "
     "true when stepping is switched on, false when off; bp_num is unused on AArch64")
{
    seL4_CPtr tcb = KT_TCB();
    seL4_TCB_ConfigureSingleStepping_t r = seL4_TCB_ConfigureSingleStepping(tcb, 0, 1);
    KT_OK(r.error);
    KT_EQ(r.bp_was_consumed, 1);
    r = seL4_TCB_ConfigureSingleStepping(tcb, 9, 1000);
    KT_OK(r.error);
    KT_EQ(r.bp_was_consumed, 1);
    r = seL4_TCB_ConfigureSingleStepping(tcb, 0xffff, 0);
    KT_OK(r.error);
    KT_EQ(r.bp_was_consumed, 0);
    /* A breakpoint id stays free for breakpoints while stepping */
    KT_OK(seL4_TCB_ConfigureSingleStepping(tcb, 2, 1).error);
    KT_OK(seL4_TCB_SetBreakpoint(tcb, 2, 0x1000, seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_OK(seL4_TCB_UnsetBreakpoint(tcb, 2));
    return KT_PASS;
}

/* ---------------------------------------------------------------- faults */

TEST(dbg_breakpoint_fault, "An instruction breakpoint stops the thread before the "
     "instruction: DebugException (FaultIP, InstructionBreakpoint, address, id); "
     "unset and reply, it carries on")
{
    struct debuggee d;
    CREATE(&d, "bp", run_seq, (void *)10, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 2, A(kt_dbg_seq_2), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(d.length, seL4_DebugException_Length);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_2));
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_InstructionBreakpoint);
    KT_EQ(seL4_GetMR(seL4_DebugException_TriggerAddress), A(kt_dbg_seq_2));
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 2);
    KT_EQ(d.t.user[1], 0);
    KT_EQ(read_pc(d.t.tcb), A(kt_dbg_seq_2));
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 2));
    reply(&d, 0, 0, 0);
    KT_EQ(d.t.user[1], 1);
    KT_EQ(d.t.user[0], 13);
    return KT_PASS;
}

static int run_seq_six(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (int i = 0; i < seL4_NumExclusiveBreakpoints; i++)
        self->user[0] += kt_dbg_seq(0);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(dbg_breakpoint_every_id, "Each of the six breakpoint registers fires and is named in the "
     "fault; replying with the breakpoint still set stops again at once")
{
    /* Breakpoint id stops at seq_1 (even ids) or seq_2 (odd ids): two per call. */
    struct debuggee d;
    CREATE(&d, "bp6", run_seq_six, NULL, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 0, A(kt_dbg_seq_1), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_START(&d.t);
    for (seL4_Uint16 id = 0; id < seL4_NumExclusiveBreakpoints; id++) {
        seL4_Word at = id & 1 ? A(kt_dbg_seq_2) : A(kt_dbg_seq_1);
        KT_EQ(next_fault(&d), seL4_Fault_DebugException);
        KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), id);
        KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), at);
        if (id == 0) {
            reply(&d, 0, 0, 0);     /* still set: the same instruction stops again */
            KT_EQ(next_fault(&d), seL4_Fault_DebugException);
            KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 0);
            KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), at);
        }
        KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, id));
        if (id + 1 < seL4_NumExclusiveBreakpoints)
            KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, id + 1, id & 1 ? A(kt_dbg_seq_1) : A(kt_dbg_seq_2),
                                         seL4_InstructionBreakpoint, 0, seL4_BreakOnRead));
        reply(&d, 0, 0, 0);
    }
    KT_EQ(d.t.user[1], 1);
    KT_EQ(d.t.user[0], 3 * seL4_NumExclusiveBreakpoints);
    return KT_PASS;
}

static int store_then_load(kt_thread_t *self, void *arg)
{
    seL4_Word *p = arg;
    kt_dbg_store(p, 0x55);
    self->user[2] = 1;
    self->user[0] = kt_dbg_load(p);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(dbg_watchpoint_write, "A write watchpoint stops the store before it happens: "
     "DebugException (pc of the store, DataBreakpoint, address, id); unset and reply, the "
     "store is done; a load does not stop")
{
    struct debuggee d;
    watched[1] = 7;
    CREATE(&d, "wp", store_then_load, (void *)&watched[1], NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 7, A(&watched[1]), seL4_DataBreakpoint, 8,
                                 seL4_BreakOnWrite));
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(d.length, seL4_DebugException_Length);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_store_insn));
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_DataBreakpoint);
    KT_EQ(seL4_GetMR(seL4_DebugException_TriggerAddress), A(&watched[1]));
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 7);
    KT_EQ(watched[1], 7);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 7));
    reply(&d, 0, 0, 0);
    KT_EQ(d.t.user[1], 1);
    KT_EQ(watched[1], 0x55);
    KT_EQ(d.t.user[0], 0x55);
    return KT_PASS;
}

TEST(dbg_watchpoint_read, "A read watchpoint lets the store pass and stops the load")
{
    struct debuggee d;
    CREATE(&d, "wp-read", store_then_load, (void *)&watched[2], NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 9, A(&watched[2]), seL4_DataBreakpoint, 8,
                                 seL4_BreakOnRead));
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_load_insn));
    KT_EQ(seL4_GetMR(seL4_DebugException_TriggerAddress), A(&watched[2]));
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 9);
    KT_EQ(d.t.user[2], 1);
    KT_EQ(watched[2], 0x55);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 9));
    reply(&d, 0, 0, 0);
    KT_EQ(d.t.user[1], 1);
    return KT_PASS;
}

static int store_bytes(kt_thread_t *self, void *arg)
{
    (void)arg;
    kt_dbg_store_byte((seL4_Uint8 *)&watched_bytes[4], 1);
    kt_dbg_store_byte((seL4_Uint8 *)&watched_bytes[6], 1);
    self->user[2] = 1;
    kt_dbg_store_byte((seL4_Uint8 *)&watched_bytes[5], 2);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(dbg_watchpoint_one_byte, "A one-byte watchpoint at an odd address stops only a store "
     "to that byte, not to its neighbours")
{
    struct debuggee d;
    CREATE(&d, "wp-byte", store_bytes, NULL, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 6, A(&watched_bytes[5]), seL4_DataBreakpoint, 1,
                                 seL4_BreakOnReadWrite));
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(d.t.user[2], 1);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_store_byte_insn));
    KT_EQ(seL4_GetMR(seL4_DebugException_TriggerAddress), A(&watched_bytes[5]));
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 6);
    KT_EQ(watched_bytes[5], 0);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 6));
    reply(&d, 0, 0, 0);
    KT_EQ(d.t.user[1], 1);
    KT_EQ(watched_bytes[5], 2);
    return KT_PASS;
}

/* Stop the helper at the first instruction of kt_dbg_seq, then step. */
static int stop_at_seq(struct debuggee *d, seL4_Word arg)
{
    CREATE(d, "step", run_seq, (void *)arg, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d->t.tcb, 0, A(kt_dbg_seq), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_START(&d->t);
    KT_EQ(next_fault(d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq));
    KT_OK(seL4_TCB_UnsetBreakpoint(d->t.tcb, 0));
    return KT_PASS;
}

#define STOP_AT_SEQ(d, arg)                                                          \
    do {                                                                             \
        if (stop_at_seq((d), (arg)) != KT_PASS)                                      \
            return KT_FAILED;                                                        \
    } while (0)

TEST(dbg_single_step, "Single stepping: a DebugException (FaultIP, SingleStep) of two words "
     "after each instruction; the reply's MR0 sets the next count (an empty reply: 1, 0: "
     "stop stepping)")
{
    struct debuggee d;
    STOP_AT_SEQ(&d, 20);
    KT_EQ(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 1).error, seL4_NoError);
    reply(&d, 0, 0, 0);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(d.length, 2);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_1));
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_SingleStep);
    reply(&d, 0, 1, 1);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_2));
    reply(&d, 0, 0, 0);         /* no words: one more */
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_3));
    reply(&d, 0, 1, 1);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_ret));
    KT_EQ(d.t.user[1], 0);
    reply(&d, 0, 1, 0);         /* stop stepping */
    KT_EQ(d.t.user[1], 1);
    KT_EQ(d.t.user[0], 23);
    return KT_PASS;
}

TEST(dbg_single_step_count, "ConfigureSingleStepping with n stops after n instructions "
     "(MR0 of the reply too)")
{
    struct debuggee d;
    STOP_AT_SEQ(&d, 0);
    KT_OK(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 3).error);
    reply(&d, 0, 0, 0);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_3));
    reply(&d, 0, 1, 0);
    KT_EQ(d.t.user[1], 1);
    return KT_PASS;
}

static int run_count(kt_thread_t *self, void *arg)
{
    self->user[0] = kt_dbg_count((seL4_Word)arg);
    self->user[1] = 1;
    return KT_PASS;
}

static int spin_other(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;)
        self->user[0]++;
    return KT_PASS;
}

TEST(dbg_single_step_preempted, "1200 single steps through a counting loop stop exactly where "
     "the count says while the stepped thread is preempted again and again by a spinning "
     "thread of its priority (and the spinner never takes a step)")
{
    /* Both below the test thread, which must get the fault while the spinner spins. */
    struct debuggee d;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST - 1, .budget = 20, .period = 20 };
    CREATE(&d, "count", run_count, (void *)10000, &o);
    kt_thread_t spinner;
    KT_THREAD(&spinner, "spinner", &o, spin_other, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 5, A(kt_dbg_count_loop), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 5));
    KT_START(&spinner);
    KT_OK(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 3 * 400).error);
    seL4_Word spins = spinner.user[0];
    reply(&d, 0, 0, 0);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_SingleStep);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_count_loop));
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(d.t.tcb, 0, 0, 4, &c));
    KT_EQ(c.x0, 400);
    KT_GT(spinner.user[0], spins);      /* it ran in between */
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    reply(&d, 0, 1, 0);
    KT_SLEEP_MS(5);     /* lower priority: it runs while we sleep */
    KT_EQ(d.t.user[1], 1);
    KT_EQ(d.t.user[0], 10000);
    return KT_PASS;
}

static int run_yield(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = kt_dbg_yield();
    self->user[1] = 1;
    return KT_PASS;
}

TEST(dbg_single_step_syscall, "Stepping over a system call (Yield): the svc is one step, "
     "the thread stops at the instruction after it")
{
    struct debuggee d;
    CREATE(&d, "step-svc", run_yield, NULL, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 1, A(kt_dbg_yield_svc), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_yield_svc));
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 1));
    KT_OK(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 1).error);
    reply(&d, 0, 0, 0);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_SingleStep);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_yield_after));
    reply(&d, 0, 1, 0);
    KT_EQ(d.t.user[1], 1);
    KT_EQ(d.t.user[0], 42);
    return KT_PASS;
}

static int run_brk(kt_thread_t *self, void *arg)
{
    self->user[0] = kt_dbg_brk((seL4_Word)arg);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(dbg_brk, "BRK is a DebugException (FaultIP, SoftwareBreakRequest) of two words; the "
     "reply resumes at the BRK, which stops again, until the handler moves the pc past it")
{
    struct debuggee d;
    CREATE(&d, "brk", run_brk, (void *)5, NULL);
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(d.length, 2);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_brk_insn));
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_SoftwareBreakRequest);
    reply(&d, 0, 0, 0);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_brk_insn));
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(d.t.tcb, 0, 0, 1, &c));
    c.pc += 4;
    KT_OK(seL4_TCB_WriteRegisters(d.t.tcb, 0, 0, 1, &c));
    reply(&d, 0, 0, 0);
    KT_EQ(d.t.user[1], 1);
    KT_EQ(d.t.user[0], 6);
    return KT_PASS;
}

TEST(dbg_reply_label_stops, "A reply with a non-zero label leaves the thread stopped; "
     "Resume restarts it at the faulting instruction")
{
    struct debuggee d;
    CREATE(&d, "brk-stop", run_brk, (void *)1, NULL);
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    reply(&d, 1, 0, 0);
    kt_yield_n(3);
    KT_EQ(d.t.user[1], 0);
    KT_EQ(read_pc(d.t.tcb), A(kt_dbg_brk_insn));
    KT_OK(seL4_TCB_Resume(d.t.tcb));
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_brk_insn));
    return KT_PASS;
}

TEST(dbg_step_reply_not_stepping, "A reply to a single step after stepping was switched off "
     "does not resume the thread (as seL4); Resume does, without stepping")
{
    struct debuggee d;
    STOP_AT_SEQ(&d, 30);
    KT_OK(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 1).error);
    reply(&d, 0, 0, 0);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_SingleStep);
    KT_OK(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 0).error);
    reply(&d, 0, 1, 1);
    kt_yield_n(3);
    KT_EQ(d.t.user[1], 0);
    KT_OK(seL4_TCB_Resume(d.t.tcb));
    KT_EQ(d.t.user[1], 1);
    KT_EQ(d.t.user[0], 33);
    return KT_PASS;
}

TEST(dbg_per_thread, "Breakpoints belong to their thread: another thread runs the same code "
     "without stopping, before and after the debugged one stopped")
{
    struct debuggee d;
    kt_thread_t other, after;
    CREATE(&d, "stopped", run_seq, (void *)1, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 3, A(kt_dbg_seq_1), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_SPAWN(&other, "other", HI, run_seq, (void *)2);
    KT_EQ(other.user[1], 1);
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_SPAWN(&after, "after", HI, run_seq, (void *)3);
    KT_EQ(after.user[1], 1);
    KT_EQ(after.user[0], 6);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 3));
    reply(&d, 0, 0, 0);
    KT_EQ(d.t.user[0], 4);
    return KT_PASS;
}

#if CONFIG_MAX_NUM_NODES > 1
/* Runs kt_dbg_seq over and over (user[1] counts the calls) until user[2]. */
static int run_seq_loop(kt_thread_t *self, void *arg)
{
    (void)arg;
    while (!self->user[2]) {
        self->user[0] = kt_dbg_seq(self->user[0]);
        self->user[1]++;
    }
    return KT_PASS;
}

/*
 * Wait until *w moves past `from`, at most 200 ms, spinning on the counter
 * rather than sleeping (kt_sleep_ms). The helper loops on core 1 without
 * entering the kernel, and QEMU -icount runs the cores in turns in one
 * host thread, each until the next timer deadline of any core; a core that
 * brings its own deadline forward loses its turn, and the spinning core
 * runs until that deadline. So a thread on core 0 whose slice ends first
 * (kt_sleep_ms's helper: 200 us every 1 ms; the watchdog) is entered and
 * at once interrupted by the end of its slice, period after period,
 * without running one instruction: the sleep lasts minutes and the suite
 * stops without a word (tests/kernel/smp.c waits the same way for the
 * same reason). A spinning test thread keeps core 0 busy to the next
 * deadline and gets its turns.
 */
static int wait_past(volatile seL4_Word *w, seL4_Word from)
{
    for (int i = 0; i < 200 && *w <= from; i++)
        spin_us(1000);
    KT_ASSERT(*w > from);
    return KT_PASS;
}

TEST(dbg_other_core, "With several cores: a breakpoint set on a thread while it runs on core 1 "
     "stops it there (DebugException), not the test thread running the same code on core 0; "
     "single stepping set while it runs on core 1 stops it (SingleStep); stopped stepping, it "
     "runs on; moved to core 0, its breakpoint stops it there")
{
    struct debuggee d;
    CREATE(&d, "dbg-core1", run_seq_loop, NULL, NULL);
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control() + 1, d.t.sc, 5000, 5000, 0, 0, 0));
    KT_START(&d.t);
    if (wait_past(&d.t.user[1], 0) != KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 1, A(kt_dbg_seq_2), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_EQ(kt_dbg_seq(0), 3);    /* core 0's registers hold none of it */
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_2));
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_InstructionBreakpoint);
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 1);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 1));
    reply(&d, 0, 0, 0);
    seL4_Word calls = d.t.user[1];
    if (wait_past(&d.t.user[1], calls) != KT_PASS)
        return KT_FAILED;
    KT_EQ(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 1).error, seL4_NoError);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_ExceptionReason), seL4_SingleStep);
    reply(&d, 0, 1, 0);         /* stop stepping */
    calls = d.t.user[1];
    if (wait_past(&d.t.user[1], calls) != KT_PASS)
        return KT_FAILED;
    /* Stopped on core 1, moved to core 0: its breakpoint goes with it. */
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 3, A(kt_dbg_seq_1), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 3);
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control(), d.t.sc, 5000, 5000, 0, 0, 0));
    reply(&d, 0, 0, 0);         /* at the breakpoint still: it stops again at once */
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_EQ(seL4_GetMR(seL4_DebugException_FaultIP), A(kt_dbg_seq_1));
    KT_EQ(seL4_GetMR(seL4_DebugException_BreakpointNumber), 3);
    KT_OK(seL4_TCB_UnsetBreakpoint(d.t.tcb, 3));
    d.t.user[2] = 1;            /* ends its loop: it runs above us on core 0 now */
    reply(&d, 0, 0, 0);
    KT_ASSERT(kt_wait_flag(&d.t.finished, 100));
    return KT_PASS;
}
#endif

TEST(dbg_deleted_thread, "A thread deleted while its breakpoints are in the registers leaves "
     "nothing behind: the next thread through the address runs on")
{
    struct debuggee d;
    kt_thread_t next;
    CREATE(&d, "deleted", run_seq, (void *)1, NULL);
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 0, A(kt_dbg_seq_2), seL4_InstructionBreakpoint, 0,
                                 seL4_BreakOnRead));
    KT_OK(seL4_TCB_SetBreakpoint(d.t.tcb, 6, A(&watched[3]), seL4_DataBreakpoint, 8,
                                 seL4_BreakOnReadWrite));
    KT_OK(seL4_TCB_ConfigureSingleStepping(d.t.tcb, 0, 1000).error);
    KT_START(&d.t);
    KT_EQ(next_fault(&d), seL4_Fault_DebugException);
    KT_OK(kt_delete(d.t.tcb));
    KT_SPAWN(&next, "next", HI, store_then_load, (void *)&watched[3]);
    KT_EQ(next.user[1], 1);
    kt_thread_t seq;
    KT_SPAWN(&seq, "seq", HI, run_seq, (void *)0);
    KT_EQ(seq.user[1], 1);
    return KT_PASS;
}

static int brk_no_handler(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[2] = 1;
    kt_dbg_brk(0);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(dbg_no_handler, "A debug exception of a thread without a fault handler stops it (the "
     "kernel reports it)")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = HI, .no_fault_ep = true };
    KT_THREAD(&t, "dbg-nohandler", &o, brk_no_handler, NULL);
    KT_START(&t);
    kt_yield_n(3);
    KT_EQ(t.user[2], 1);
    KT_EQ(t.user[1], 0);
    KT_EQ(read_pc(t.tcb), A(kt_dbg_brk_insn));
    return KT_PASS;
}

#else /* !CONFIG_HARDWARE_DEBUG_API */

static int run_brk(kt_thread_t *self, void *arg)
{
    self->user[0] = kt_dbg_brk((seL4_Word)arg);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(dbg_off_brk_is_user_exception, "Without the hardware debug API a BRK is a "
     "UserException (a VCPUFault carrying its syndrome with a hypervisor kernel, as "
     "seL4's handleVCPUFault gives every trap but an undefined instruction), and "
     "label 16 is SetTLSBase")
{
    struct debuggee d;
    CREATE(&d, "brk-off", run_brk, NULL, NULL);
    KT_START(&d.t);
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    KT_EQ(next_fault(&d), seL4_Fault_VCPUFault);
    KT_EQ(seL4_GetMR(seL4_VCPUFault_HSR) >> 26, 0x3c);      /* EC: BRK in AArch64 */
    KT_EQ(read_pc(d.t.tcb), A(kt_dbg_brk_insn));
#else
    KT_EQ(next_fault(&d), seL4_Fault_UserException);
    KT_EQ(seL4_GetMR(seL4_UserException_FaultIP), A(kt_dbg_brk_insn));
#endif
    _Static_assert(TCBSetTLSBase == 16 && nInvocationLabels == 39, "no debug labels");
    return KT_PASS;
}

#endif
