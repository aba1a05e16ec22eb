/*
 * The conformance suite's framework: per-thread IPC buffers, failure
 * recording, object allocation from the pool untyped, thread creation,
 * and the names of errors and faults. The driver (main.c) owns the test
 * loop; this file holds what tests and driver share.
 */
#include "ktest.h"
#include "kt_internal.h"
#include "ptimer.h"
#include <format.h>
#include <roottask.h>

seL4_BootInfo *kt_bi;
struct kt_state kt_cur;
struct kt_infra kt_infra;

/* Thread stack regions: page 0 = IPC buffer + control block, the rest = stack. */
static char kt_regions[KT_MAX_REGIONS][KT_REGION_SIZE]
    __attribute__((aligned(KT_REGION_SIZE), section(".bss.kt_regions")));

/* ------------------------------------------------------ per-thread buffer */

seL4_IPCBuffer **kt_ipcbuf_slot(void)
{
    seL4_Word sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    struct kt_region_hdr *h = (struct kt_region_hdr *)(sp & ~(seL4_Word)(KT_REGION_SIZE - 1));
    return &h->ipcbuf;
}

struct kt_region_hdr *kt_region(int i)
{
    return (struct kt_region_hdr *)(void *)kt_regions[i];
}

seL4_Word kt_region_top(int i)
{
    return (seL4_Word)kt_regions[i] + KT_REGION_SIZE;
}

static kt_thread_t *kt_current_thread(void)
{
    seL4_Word sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return ((struct kt_region_hdr *)(sp & ~(seL4_Word)(KT_REGION_SIZE - 1)))->thread;
}

/* ---------------------------------------------------------------- output */

void kt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_va(kt_putc_debug, NULL, fmt, ap);
    va_end(ap);
}

void kt_putc_debug(char c, void *ctx)
{
    (void)ctx;
    seL4_DebugPutChar(c);
}

struct kt_bufctx {
    char *buf;
    size_t size, len;
};

static void kt_putc_buf(char c, void *ctx)
{
    struct kt_bufctx *b = ctx;
    if (b->len + 1 < b->size)
        b->buf[b->len++] = c;
    b->buf[b->len] = '\0';
}

size_t kt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct kt_bufctx b = { buf, size, 0 };
    if (size)
        buf[0] = '\0';
    format_va(kt_putc_buf, &b, fmt, ap);
    return b.len;
}

size_t kt_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = kt_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ------------------------------------------------------------- failures */

static const char *basename_of(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '/')
            b = p + 1;
    return b;
}

int kt_fail(const char *file, int line, const char *fmt, ...)
{
    if (kt_cur.failed)
        return KT_FAILED;
    kt_cur.failed = 1;
    char *m = kt_cur.msg;
    size_t n = 0;
    kt_thread_t *self = kt_current_thread();
    if (self && self->index >= 0)
        n = kt_format(m, sizeof(kt_cur.msg), "[thread %s] ", self->name);
    n += kt_format(m + n, sizeof(kt_cur.msg) - n, "%s:%d: ", basename_of(file), line);
    va_list ap;
    va_start(ap, fmt);
    kt_vformat(m + n, sizeof(kt_cur.msg) - n, fmt, ap);
    va_end(ap);
    return KT_FAILED;
}

int kt_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kt_vformat(kt_cur.skip_msg, sizeof(kt_cur.skip_msg), fmt, ap);
    va_end(ap);
    return KT_SKIP;
}

bool kt_failed(void)
{
    return kt_cur.failed != 0;
}

void kt_step(const char *what)
{
    kt_cur.step = what;
}

const char *kt_err_name(long err)
{
    static const char *const names[] = {
        "NoError", "InvalidArgument", "InvalidCapability", "IllegalOperation",
        "RangeError", "AlignmentError", "FailedLookup", "TruncatedMessage",
        "DeleteFirst", "RevokeFirst", "NotEnoughMemory",
    };
    if (err >= 0 && err < (long)(sizeof(names) / sizeof(names[0])))
        return names[err];
    return "(not an seL4_Error)";
}

const char *kt_fault_name(long label)
{
    switch (label) {
    case seL4_Fault_NullFault: return "NullFault";
    case seL4_Fault_CapFault: return "CapFault";
    case seL4_Fault_UnknownSyscall: return "UnknownSyscall";
    case seL4_Fault_UserException: return "UserException";
    case 4: return "DebugException";
    case seL4_Fault_Timeout: return "Timeout";
    case seL4_Fault_VMFault: return "VMFault";
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_Fault_VGICMaintenance: return "VGICMaintenance";
    case seL4_Fault_VCPUFault: return "VCPUFault";
    case seL4_Fault_VPPIEvent: return "VPPIEvent";
#endif
    default: return "(unknown fault label)";
    }
}

/* Describe a fault message just received (label + MRs in the IPC buffer). */
void kt_describe_fault(char *buf, size_t size, seL4_Word label)
{
    switch (label) {
    case seL4_Fault_CapFault:
        kt_format(buf, size, "cap fault at pc 0x%lx: cptr 0x%lx, %s phase, lookup failure %lu",
                  seL4_GetMR(seL4_CapFault_IP), seL4_GetMR(seL4_CapFault_Addr),
                  seL4_GetMR(seL4_CapFault_InRecvPhase) ? "receive" : "send",
                  seL4_GetMR(seL4_CapFault_LookupFailureType));
        break;
    case seL4_Fault_UnknownSyscall:
        kt_format(buf, size, "unknown system call %ld at pc 0x%lx (the kernel lacks it?)",
                  (long)seL4_GetMR(seL4_UnknownSyscall_Syscall),
                  seL4_GetMR(seL4_UnknownSyscall_FaultIP));
        break;
    case seL4_Fault_UserException:
        kt_format(buf, size, "user exception at pc 0x%lx, sp 0x%lx, number 0x%lx, code 0x%lx",
                  seL4_GetMR(seL4_UserException_FaultIP), seL4_GetMR(seL4_UserException_SP),
                  seL4_GetMR(seL4_UserException_Number), seL4_GetMR(seL4_UserException_Code));
        break;
    case seL4_Fault_VMFault:
        kt_format(buf, size, "VM fault at pc 0x%lx on address 0x%lx (%s), FSR 0x%lx",
                  seL4_GetMR(seL4_VMFault_IP), seL4_GetMR(seL4_VMFault_Addr),
                  seL4_GetMR(seL4_VMFault_PrefetchFault) ? "fetch" : "data",
                  seL4_GetMR(seL4_VMFault_FSR));
        break;
    case seL4_Fault_Timeout:
        kt_format(buf, size, "timeout fault, SC badge 0x%lx", seL4_GetMR(seL4_Timeout_Data));
        break;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_Fault_VCPUFault:
        kt_format(buf, size, "VCPU fault, HSR 0x%lx (EC 0x%lx)", seL4_GetMR(seL4_VCPUFault_HSR),
                  seL4_GetMR(seL4_VCPUFault_HSR) >> 26);
        break;
    case seL4_Fault_VGICMaintenance:
        kt_format(buf, size, "VGIC maintenance, list register %ld",
                  (long)seL4_GetMR(seL4_VGICMaintenance_IDX));
        break;
    case seL4_Fault_VPPIEvent:
        kt_format(buf, size, "VPPI event, IRQ %lu", seL4_GetMR(seL4_VPPIEvent_IRQ));
        break;
#endif
    default:
        kt_format(buf, size, "fault label %lu (%s)", label, kt_fault_name((long)label));
        break;
    }
}

/* ------------------------------------------------------------ boot info */

seL4_Word kt_root_radix(void)
{
    return kt_bi->initThreadCNodeSizeBits;
}

seL4_Word kt_root_guard_bits(void)
{
    return seL4_WordBits - kt_bi->initThreadCNodeSizeBits;
}

seL4_CPtr kt_sched_control(void)
{
    return kt_bi->schedcontrol.start;
}

seL4_CPtr kt_sched_control_of(unsigned core)
{
    return kt_bi->schedcontrol.start + core;
}

seL4_Word kt_image_frame(const void *vaddr)
{
    extern char _start[];
    seL4_Word base = (seL4_Word)_start & ~(seL4_Word)0xfff;
    return kt_bi->userImageFrames.start + (((seL4_Word)vaddr - base) >> seL4_PageBits);
}

seL4_CPtr kt_device_untyped(seL4_Word min_bits, seL4_Word *paddr, seL4_Word *size_bits)
{
    seL4_Word n = kt_bi->untyped.end - kt_bi->untyped.start;
    seL4_CPtr best = 0;
    seL4_Word best_bits = 64;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &kt_bi->untypedList[i];
        /* the smallest device untyped that is big enough */
        if (d->isDevice && d->sizeBits >= min_bits && d->sizeBits < best_bits) {
            best = kt_bi->untyped.start + i;
            best_bits = d->sizeBits;
            if (paddr)
                *paddr = d->paddr;
            if (size_bits)
                *size_bits = d->sizeBits;
        }
    }
    if (best)
        kt_teardown_revoke(best);
    return best;
}

void kt_teardown_revoke(seL4_CPtr untyped)
{
    for (int i = 0; i < kt_cur.nextra; i++)
        if (kt_cur.extra[i] == untyped)
            return;
    if (kt_cur.nextra < (int)(sizeof(kt_cur.extra) / sizeof(kt_cur.extra[0])))
        kt_cur.extra[kt_cur.nextra++] = untyped;
}

/* ------------------------------------------------------------- allocation */

seL4_CPtr kt_pool(void)
{
    return kt_infra.pool;
}

seL4_CPtr kt_slot(void)
{
    if (kt_cur.slot_next >= kt_bi->empty.end)
        return 0;
    return kt_cur.slot_next++;
}

void kt_slots(seL4_CPtr *first, seL4_Word n)
{
    if (kt_cur.slot_next + n > kt_bi->empty.end) {
        *first = 0;
        return;
    }
    *first = kt_cur.slot_next;
    kt_cur.slot_next += n;
}

static const char *type_name(seL4_Word type)
{
    static const char *const names[] = {
        "Untyped", "TCB", "Endpoint", "Notification", "CNode", "SchedContext", "Reply",
        "HugePage", "VSpace", "SmallPage", "LargePage", "PageTable",
    };
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

seL4_CPtr kt_new_(seL4_Word type, seL4_Word size_bits, const char *file, int line)
{
    seL4_CPtr slot = kt_slot();
    if (!slot) {
        kt_fail(file, line, "out of free CNode slots");
        return 0;
    }
    seL4_Error err = seL4_Untyped_Retype(kt_infra.pool, type, size_bits, KT_ROOT_CNODE, 0, 0,
                                         slot, 1);
    if (err != seL4_NoError) {
        kt_fail(file, line, "creating a %s (%lu bits) from the pool untyped: Untyped_Retype -> %s",
                type_name(type), size_bits, kt_err_name(err));
        return 0;
    }
    return slot;
}

seL4_CPtr kt_untyped_(seL4_Word size_bits, const char *file, int line)
{
    return kt_new_(seL4_UntypedObject, size_bits, file, line);
}

seL4_CPtr kt_mint_(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge, const char *file,
                   int line)
{
    seL4_CPtr slot = kt_slot();
    if (!slot) {
        kt_fail(file, line, "out of free CNode slots");
        return 0;
    }
    seL4_Error err = seL4_CNode_Mint(KT_ROOT_CNODE, slot, KT_DEPTH, KT_ROOT_CNODE, src, KT_DEPTH,
                                     rights, badge);
    if (err != seL4_NoError) {
        kt_fail(file, line, "CNode_Mint of slot %lu (badge 0x%lx): %s", src, badge,
                kt_err_name(err));
        return 0;
    }
    return slot;
}

seL4_CPtr kt_copy_(seL4_CPtr src, seL4_CapRights_t rights, const char *file, int line)
{
    seL4_CPtr slot = kt_slot();
    if (!slot) {
        kt_fail(file, line, "out of free CNode slots");
        return 0;
    }
    seL4_Error err = seL4_CNode_Copy(KT_ROOT_CNODE, slot, KT_DEPTH, KT_ROOT_CNODE, src, KT_DEPTH,
                                     rights);
    if (err != seL4_NoError) {
        kt_fail(file, line, "CNode_Copy of slot %lu: %s", src, kt_err_name(err));
        return 0;
    }
    return slot;
}

seL4_Error kt_delete(seL4_CPtr slot)
{
    return seL4_CNode_Delete(KT_ROOT_CNODE, slot, KT_DEPTH);
}

seL4_Error kt_revoke(seL4_CPtr slot)
{
    return seL4_CNode_Revoke(KT_ROOT_CNODE, slot, KT_DEPTH);
}

seL4_Word kt_call_raw(seL4_CPtr cap, seL4_Word label, seL4_Word len, seL4_Word ncaps,
                      seL4_Word mr0, seL4_Word mr1, seL4_Word mr2, seL4_Word mr3)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, ncaps, len);
    info = seL4_CallWithMRs(cap, info, &mr0, &mr1, &mr2, &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    return seL4_MessageInfo_get_label(info);
}

/* ---------------------------------------------------------------- threads */

void kt_thread_entry(kt_thread_t *t)
{
    t->started = 1;
    t->ret = t->fn(t, t->arg);
    t->finished = 1;
    /* Park: suspend ourselves; if that is not possible, block for good. */
    seL4_TCB_Suspend(t->tcb);
    if (kt_infra.never)
        seL4_Wait(kt_infra.never, NULL);
    for (;;)
        seL4_Yield();
}

bool kt_thread_create_(kt_thread_t *t, const char *name, const struct kt_thread_opts *opts,
                       kt_thread_fn fn, void *arg, const char *file, int line)
{
    static const struct kt_thread_opts defaults = { 0 };
    if (!opts)
        opts = &defaults;
    int prio = opts->prio ? opts->prio : KT_PRIO_TEST + 1;
    int mcp = opts->mcp ? opts->mcp : prio;
    seL4_Time budget = opts->budget ? opts->budget : 5000;
    seL4_Time period = opts->period ? opts->period : budget;

    memset((void *)t, 0, sizeof(*t));
    t->name = name;
    t->prio = prio;
    t->fn = fn;
    t->arg = arg;
    t->index = -1;
    if (kt_cur.region_next >= KT_MAX_REGIONS) {
        kt_fail(file, line, "thread %s: no free stack region (max %d threads)", name,
                KT_MAX_REGIONS);
        return false;
    }
    if (!kt_cur.creating_test_thread) {
        if (kt_cur.nthreads >= KT_MAX_HELPERS) {
            kt_fail(file, line, "thread %s: too many helper threads", name);
            return false;
        }
        t->index = kt_cur.nthreads;
        kt_cur.threads[kt_cur.nthreads++] = t;
    }
    t->region = kt_cur.region_next++;
    struct kt_region_hdr *h = kt_region(t->region);
    memset(h, 0, sizeof(*h));
    h->ipcbuf = &h->ipc;
    h->thread = t;
    t->ipc_vaddr = (seL4_Word)&h->ipc;
    t->ipc_frame = kt_image_frame(h);
    t->stack_top = kt_region_top(t->region);

    t->tcb = kt_new_(seL4_TCBObject, 0, file, line);
    if (!t->tcb)
        return false;
    seL4_Error err;
    if (!opts->passive) {
        t->sc = kt_new_(seL4_SchedContextObject, 8, file, line);
        if (!t->sc)
            return false;
        err = seL4_SchedControl_ConfigureFlags(kt_sched_control_of(opts->core), t->sc, budget,
                                               period, 0, opts->sc_badge, opts->sc_flags);
        if (err != seL4_NoError) {
            kt_fail(file, line, "thread %s: SchedControl_ConfigureFlags(%lu/%lu us, core %u): %s",
                    name, budget, period, opts->core, kt_err_name(err));
            return false;
        }
    }
    err = seL4_TCB_Configure(t->tcb, KT_ROOT_CNODE, 0, KT_ROOT_VSPACE, 0,
                             opts->no_ipc_buffer ? 0 : t->ipc_vaddr,
                             opts->no_ipc_buffer ? seL4_CapNull : t->ipc_frame);
    if (err != seL4_NoError) {
        kt_fail(file, line, "thread %s: TCB_Configure: %s", name, kt_err_name(err));
        return false;
    }
    seL4_CPtr fault_ep = seL4_CapNull;
    if (!opts->no_fault_ep) {
        if (opts->fault_ep)
            fault_ep = opts->fault_ep;
        else if (kt_cur.creating_test_thread)
            fault_ep = kt_infra.dep_test_fault;
        else
            fault_ep = kt_infra.dep_helper_fault[t->index];
    }
    err = seL4_TCB_SetSchedParams(t->tcb, KT_ROOT_TCB, (seL4_Word)mcp, (seL4_Word)prio,
                                  opts->passive ? seL4_CapNull : t->sc, fault_ep);
    if (err != seL4_NoError) {
        kt_fail(file, line, "thread %s: TCB_SetSchedParams(mcp %d, prio %d): %s", name, mcp, prio,
                kt_err_name(err));
        return false;
    }
    seL4_UserContext regs;
    memset(&regs, 0, sizeof(regs));
    regs.pc = (seL4_Word)kt_thread_entry;
    regs.sp = t->stack_top;
    regs.x0 = (seL4_Word)t;
    /* pc, sp, spsr, x0 */
    err = seL4_TCB_WriteRegisters(t->tcb, 0, 0, 4, &regs);
    if (err != seL4_NoError) {
        kt_fail(file, line, "thread %s: TCB_WriteRegisters: %s", name, kt_err_name(err));
        return false;
    }
    seL4_DebugNameThread(t->tcb, name);
    return true;
}

bool kt_thread_start_(kt_thread_t *t, const char *file, int line)
{
    seL4_Error err = seL4_TCB_Resume(t->tcb);
    if (err != seL4_NoError) {
        kt_fail(file, line, "thread %s: TCB_Resume: %s", t->name, kt_err_name(err));
        return false;
    }
    return true;
}

seL4_CPtr kt_self_tcb(void)
{
    kt_thread_t *t = kt_current_thread();
    return t ? t->tcb : KT_ROOT_TCB;
}

seL4_CPtr kt_self_sc(void)
{
    kt_thread_t *t = kt_current_thread();
    return t ? t->sc : seL4_CapInitThreadSC;
}

int kt_self_prio(void)
{
    kt_thread_t *t = kt_current_thread();
    return t ? t->prio : 255;
}

void kt_yield_n(int n)
{
    for (int i = 0; i < n; i++)
        seL4_Yield();
}

bool kt_wait_flag(volatile int *flag, int tries)
{
    for (int i = 0; i < tries; i++) {
        if (*flag)
            return true;
        seL4_Yield();
    }
    return *flag != 0;
}

bool kt_wait_word(volatile seL4_Word *word, int tries)
{
    for (int i = 0; i < tries; i++) {
        if (*word)
            return true;
        seL4_Yield();
    }
    return *word != 0;
}

bool kt_framework_untyped(seL4_CPtr cap)
{
    return cap == kt_infra.pool || cap == kt_infra.infra_untyped;
}

/* ---------------------------------------------------------------- event log */

static char kt_event_log[64];
static volatile unsigned kt_event_len;

void kt_log_reset(void)
{
    kt_event_len = 0;
    kt_event_log[0] = '\0';
}

void kt_log_event(char c)
{
    if (kt_event_len < sizeof(kt_event_log) - 1)
        kt_event_log[kt_event_len++] = c;
    kt_event_log[kt_event_len] = '\0';
}

const char *kt_log(void)
{
    return kt_event_log;
}

/* Blocking order a b c d e; served d (best), b e (equal, FIFO), a c (equal, FIFO). */
const int kt_queue_above[KT_QUEUE_PARTIES] = { 2, 4, 2, 6, 4 };

/* ---------------------------------------------------------------- sleeping */

static int sleeper_main(kt_thread_t *self, void *arg)
{
    (void)self;
    (void)arg;
    for (;;) {
        seL4_Wait(kt_cur.sleep_req, NULL);
        for (unsigned i = 0; i < kt_cur.sleep_periods; i++)
            seL4_Yield();
        seL4_Signal(kt_cur.sleep_done);
    }
    return KT_PASS;
}

/*
 * Did the sleep take about what was asked (in virtual time)? Far longer
 * means the helper was starved, most likely because another core spun at
 * user level meanwhile (ktest.h): the test's timing no longer means what
 * it says, and the same stall can stop the suite without a word. Fails
 * the test, naming the caller.
 */
static bool slept_on_time(unsigned ms, seL4_Word ticks, const char *file, int line)
{
    seL4_Word took_ms = ticks / (counter_frequency() / 1000);
    if (took_ms <= 10ul * ms + 10)
        return true;
    kt_fail(file, line, "a %u ms sleep took %lu ms: its helper on core 0 was starved (another "
            "core spinning? see kt_sleep_ms in ktest.h)", ms, took_ms);
    return false;
}

bool kt_sleep_ms_(unsigned ms, const char *file, int line)
{
    if (!kt_cur.sleep_req) {
        kt_cur.sleep_req = kt_new_(seL4_NotificationObject, 0, file, line);
        kt_cur.sleep_done = kt_new_(seL4_NotificationObject, 0, file, line);
        if (!kt_cur.sleep_req || !kt_cur.sleep_done)
            return false;
        struct kt_thread_opts o = { .prio = KT_PRIO_MAX, .budget = 200, .period = 1000 };
        if (!kt_thread_create_(&kt_cur.sleeper, "kt-sleeper", &o, sleeper_main, NULL, file, line)
            || !kt_thread_start_(&kt_cur.sleeper, file, line))
            return false;
    }
    kt_cur.sleep_periods = ms ? ms : 1;
    seL4_Word start = counter_now();
    seL4_Signal(kt_cur.sleep_req);
    seL4_Wait(kt_cur.sleep_done, NULL);
    return slept_on_time(kt_cur.sleep_periods, counter_now() - start, file, line);
}
