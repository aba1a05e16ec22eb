/*
 * ktest.h - the kernel conformance suite's framework (tests/kernel/).
 *
 * A test is a function registered with TEST(name, "description"); it
 * returns KT_PASS, or fails through one of the KT_* assertion macros,
 * which record "file:line: what went wrong" and return KT_FAILED.
 * docs/testing.md ("Kernel conformance suite") explains the whole design.
 *
 * Every test runs in its own thread (the "test thread", priority
 * KT_PRIO_TEST) created by the driver (the root thread) from a pool
 * untyped; the driver waits for the test to report, for a fault of one of
 * its threads, or for the watchdog, then revokes the pool so the next test
 * starts from the same state. Tests allocate kernel objects with kt_new()
 * and friends into free root-CNode slots; everything is freed at teardown.
 *
 * Include this header instead of <sel4/sel4.h>: it makes the IPC-buffer
 * pointer of the user API per-thread (see kt_ipcbuf_slot below).
 */
#ifndef KTEST_H
#define KTEST_H

#include <sel4/abi.h>

/*
 * sel4/syscalls.h keeps the IPC-buffer pointer in one plain global,
 * __sel4_ipc_buffer, which every seL4_GetMR/SetMR/invocation wrapper
 * reads. Our threads share one address space, so that global would be
 * shared too. Redirect it to a per-thread slot: each thread runs on a
 * stack region aligned to KT_REGION_SIZE whose first page holds its IPC
 * buffer and a small control block; kt_ipcbuf_slot() finds the slot from
 * the stack pointer. The header's declaration of the global turns into a
 * (non-prototype) redeclaration of kt_ipcbuf_slot, hence the pragma.
 */
seL4_IPCBuffer **kt_ipcbuf_slot(void);
#define __sel4_ipc_buffer (*kt_ipcbuf_slot())
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <sel4/sel4.h>
#pragma GCC diagnostic pop

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

/* ---------------------------------------------------------------- results */

#define KT_PASS   0
#define KT_FAILED 1
#define KT_SKIP   2

/* --------------------------------------------------------------- registry */

typedef int (*kt_test_fn)(void);

struct ktest {
    const char *name;
    const char *desc;
    kt_test_fn fn;
    const char *file;
    int line;
    unsigned flags;
};

/* flags */
#define KT_BARE   0x1u  /* needs no kernel object: runs inline in the root thread, first */
#define KT_STRESS 0x2u  /* long: no watchdog */

#define KT_DEFINE_TEST(name_, desc_, flags_)                                         \
    static int ktest_fn_##name_(void);                                               \
    const struct ktest ktest_desc_##name_                                            \
        __attribute__((section("ktest_table"), used, aligned(8))) = {                \
            #name_, desc_, ktest_fn_##name_, __FILE__, __LINE__, flags_ };           \
    static int ktest_fn_##name_(void)

/* A normal test: runs in its own test thread, under the watchdog. */
#define TEST(name, desc)       KT_DEFINE_TEST(name, desc, 0u)
/* A test that only uses the debug system calls and the initial caps. */
#define TEST_BARE(name, desc)  KT_DEFINE_TEST(name, desc, KT_BARE)
/* A stress test: only built with STRESS=1; no watchdog. */
#define TEST_STRESS(name, desc) KT_DEFINE_TEST(name, desc, KT_STRESS)

/* ------------------------------------------------------------- assertions */

/* Records the first failure of the running test; returns KT_FAILED. */
int kt_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a skip reason; returns KT_SKIP. */
int kt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True once any thread of the running test has recorded a failure. */
bool kt_failed(void);
/* Name of an seL4_Error ("NoError", "InvalidArgument", ...). */
const char *kt_err_name(long err);
/* Name of a fault label ("CapFault", ...). */
const char *kt_fault_name(long label);

#define KT_FAIL(...) return kt_fail(__FILE__, __LINE__, __VA_ARGS__)

#define KT_ASSERT(cond)                                                              \
    do {                                                                             \
        if (!(cond))                                                                 \
            return kt_fail(__FILE__, __LINE__, "assertion failed: %s", #cond);       \
    } while (0)

#define KT_CMP_(a, op, b)                                                            \
    do {                                                                             \
        seL4_Word kt_a_ = (seL4_Word)(a), kt_b_ = (seL4_Word)(b);                    \
        if (!(kt_a_ op kt_b_))                                                       \
            return kt_fail(__FILE__, __LINE__, "%s %s %s: got %ld (0x%lx), %s %ld (0x%lx)", \
                           #a, #op, #b, (long)kt_a_, kt_a_,                          \
                           "expected " #op, (long)kt_b_, kt_b_);                     \
    } while (0)

#define KT_EQ(a, b) KT_CMP_(a, ==, b)
#define KT_NE(a, b) KT_CMP_(a, !=, b)
#define KT_GT(a, b) KT_CMP_(a, >, b)
#define KT_GE(a, b) KT_CMP_(a, >=, b)
#define KT_LT(a, b) KT_CMP_(a, <, b)
#define KT_LE(a, b) KT_CMP_(a, <=, b)

/* An invocation must return `expected` (an seL4_Error). */
#define KT_ERR(expr, expected)                                                       \
    do {                                                                             \
        long kt_e_ = (long)(expr), kt_x_ = (long)(expected);                         \
        if (kt_e_ != kt_x_)                                                          \
            return kt_fail(__FILE__, __LINE__, "%s: got %s (%ld), expected %s",      \
                           #expr, kt_err_name(kt_e_), kt_e_, kt_err_name(kt_x_));    \
    } while (0)

#define KT_OK(expr) KT_ERR(expr, seL4_NoError)

/* After an error reply, MR i holds the kernel's error detail. */
#define KT_MR_EQ(i, v) KT_EQ(seL4_GetMR(i), (v))

/* Records where a test is, so that a timeout report can say it. */
void kt_step(const char *what);
/* Changes the running test's time limit (default 3 s of virtual time). */
void kt_set_timeout_ms(unsigned ms);

/* ------------------------------------------------------- boot information */

extern seL4_BootInfo *kt_bi;
#define KT_ROOT_CNODE   seL4_CapInitThreadCNode
#define KT_ROOT_VSPACE  seL4_CapInitThreadVSpace
#define KT_ROOT_TCB     seL4_CapInitThreadTCB   /* MCP 255: the usual authority */
#define KT_DEPTH        seL4_WordBits           /* full-depth slot addresses */

/* The first slot-index bits of the root CNode (radix). */
seL4_Word kt_root_radix(void);
/* The root CNode's guard size: 64 - radix. */
seL4_Word kt_root_guard_bits(void);
/* The SchedControl cap of core 0. */
seL4_CPtr kt_sched_control(void);
/* The SchedControl cap of `core` (BootInfo's schedcontrol range has one per core). */
seL4_CPtr kt_sched_control_of(unsigned core);

/* ---------------------------------------------------- kernel-object helpers */

/*
 * All of these allocate from the test's pool untyped into fresh slots of
 * the root CNode. On failure they record a failure and return 0, so call
 * them through the KT_NEW family, which returns from the test at once.
 */
seL4_CPtr kt_slot(void);                         /* a fresh empty slot */
void kt_slots(seL4_CPtr *first, seL4_Word n);    /* n consecutive empty slots */
seL4_CPtr kt_new_(seL4_Word type, seL4_Word size_bits, const char *file, int line);
seL4_CPtr kt_untyped_(seL4_Word size_bits, const char *file, int line);
/* Mint/copy src into a fresh slot. */
seL4_CPtr kt_mint_(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge,
                   const char *file, int line);
seL4_CPtr kt_copy_(seL4_CPtr src, seL4_CapRights_t rights, const char *file, int line);
/* The pool untyped itself (its children are revoked at teardown). */
seL4_CPtr kt_pool(void);
/* A device untyped from BootInfo with size >= min_bits (0: none). */
seL4_CPtr kt_device_untyped(seL4_Word min_bits, seL4_Word *paddr, seL4_Word *size_bits);
/* Revoke this untyped too at teardown (for untypeds not from the pool). */
void kt_teardown_revoke(seL4_CPtr untyped);

#define KT_NEW(type, bits) ({                                                        \
        seL4_CPtr kt_c_ = kt_new_((type), (bits), __FILE__, __LINE__);              \
        if (!kt_c_) return KT_FAILED;                                                \
        kt_c_; })
#define KT_UNTYPED(bits) ({                                                          \
        seL4_CPtr kt_c_ = kt_untyped_((bits), __FILE__, __LINE__);                  \
        if (!kt_c_) return KT_FAILED;                                                \
        kt_c_; })
#define KT_MINT(src, rights, badge) ({                                               \
        seL4_CPtr kt_c_ = kt_mint_((src), (rights), (badge), __FILE__, __LINE__);   \
        if (!kt_c_) return KT_FAILED;                                                \
        kt_c_; })
#define KT_COPY(src, rights) ({                                                      \
        seL4_CPtr kt_c_ = kt_copy_((src), (rights), __FILE__, __LINE__);            \
        if (!kt_c_) return KT_FAILED;                                                \
        kt_c_; })

#define KT_EP()     KT_NEW(seL4_EndpointObject, 0)
#define KT_NTFN()   KT_NEW(seL4_NotificationObject, 0)
#define KT_REPLY()  KT_NEW(seL4_ReplyObject, 0)
#define KT_TCB()    KT_NEW(seL4_TCBObject, 0)
#define KT_SC()     KT_NEW(seL4_SchedContextObject, 8)
#define KT_CNODE(radix) KT_NEW(seL4_CapTableObject, (radix))
#define KT_FRAME()  KT_NEW(seL4_ARM_SmallPageObject, 0)

/* Cap type tags returned by seL4_DebugCapIdentify (seL4's cap tags; a zombie is a
   CNode or TCB cap whose object is part way through its destruction; VCPU caps
   exist in the hypervisor configuration only). */
enum kt_cap_tag {
    KT_CAP_NULL = 0, KT_CAP_FRAME = 1, KT_CAP_UNTYPED = 2, KT_CAP_PAGE_TABLE = 3,
    KT_CAP_ENDPOINT = 4, KT_CAP_NOTIFICATION = 6, KT_CAP_REPLY = 8, KT_CAP_VSPACE = 9,
    KT_CAP_CNODE = 10, KT_CAP_ASID_CONTROL = 11, KT_CAP_THREAD = 12, KT_CAP_ASID_POOL = 13,
    KT_CAP_IRQ_CONTROL = 14, KT_CAP_VCPU = 15, KT_CAP_IRQ_HANDLER = 16, KT_CAP_ZOMBIE = 18,
    KT_CAP_DOMAIN = 20, KT_CAP_SCHED_CONTEXT = 22, KT_CAP_SCHED_CONTROL = 24, KT_CAP_SMC = 25
};
#define KT_CAP_IS(cptr, tag) KT_EQ(seL4_DebugCapIdentify(cptr), (tag))

/* Root-CNode slot operations at full depth. */
seL4_Error kt_delete(seL4_CPtr slot);
seL4_Error kt_revoke(seL4_CPtr slot);

/* A raw invocation: label, length, extra caps, MR0..MR3; returns the label. */
seL4_Word kt_call_raw(seL4_CPtr cap, seL4_Word label, seL4_Word len, seL4_Word ncaps,
                      seL4_Word mr0, seL4_Word mr1, seL4_Word mr2, seL4_Word mr3);

/* ---------------------------------------------------------------- threads */

/*
 * Priorities: the driver runs at 255, the watchdog at 254. Test threads
 * run at KT_PRIO_TEST; helpers anywhere in [1, KT_PRIO_MAX].
 */
#define KT_PRIO_TEST 100
#define KT_PRIO_MAX  250

#define KT_REGION_SIZE   (32u * 1024u)   /* stack region of one thread */
#define KT_MAX_REGIONS   32
#define KT_MAX_HELPERS   24

typedef struct kt_thread kt_thread_t;
typedef int (*kt_thread_fn)(kt_thread_t *self, void *arg);

struct kt_thread {
    const char *name;
    seL4_CPtr tcb;          /* TCB cap (root CNode slot) */
    seL4_CPtr sc;           /* its SchedContext, 0 if passive */
    seL4_CPtr ipc_frame;    /* frame cap of its IPC buffer page */
    seL4_Word ipc_vaddr;    /* its IPC buffer address */
    seL4_Word stack_top;
    int prio;
    int region;
    int index;              /* helper index (fault badge) */
    kt_thread_fn fn;
    void *arg;
    volatile int started;   /* set by the thread when it starts running */
    volatile int finished;  /* set when fn returned */
    volatile int ret;       /* fn's return value */
    volatile seL4_Word user[8]; /* free for the test */
};

struct kt_thread_opts {
    int prio;               /* default KT_PRIO_TEST + 1 */
    int mcp;                /* default: prio */
    bool passive;           /* no SchedContext */
    seL4_Time budget;       /* µs, default 5000 */
    seL4_Time period;       /* µs, default = budget */
    seL4_Word sc_badge;
    seL4_Word sc_flags;
    unsigned core;          /* its SchedContext's core (SchedControl), default 0 */
    seL4_CPtr fault_ep;     /* default: the driver (reports the fault as a failure) */
    bool no_fault_ep;       /* no fault handler at all */
    bool no_ipc_buffer;     /* configure without an IPC buffer */
};

/* Create a thread (not started). Records a failure and returns false on error. */
bool kt_thread_create_(kt_thread_t *t, const char *name, const struct kt_thread_opts *opts,
                       kt_thread_fn fn, void *arg, const char *file, int line);
/* Resume it. */
bool kt_thread_start_(kt_thread_t *t, const char *file, int line);

#define KT_THREAD(t, name, opts, fn, arg)                                            \
    do {                                                                             \
        if (!kt_thread_create_((t), (name), (opts), (fn), (arg), __FILE__, __LINE__)) \
            return KT_FAILED;                                                        \
    } while (0)
#define KT_START(t)                                                                  \
    do {                                                                             \
        if (!kt_thread_start_((t), __FILE__, __LINE__))                              \
            return KT_FAILED;                                                        \
    } while (0)
/* Create and start, with default options but the given priority. */
#define KT_SPAWN(t, name, prio_, fn, arg)                                            \
    do {                                                                             \
        struct kt_thread_opts kt_o_ = { .prio = (prio_) };                           \
        KT_THREAD((t), (name), &kt_o_, (fn), (arg));                                 \
        KT_START(t);                                                                 \
    } while (0)

/* The running thread's TCB cap and priority (the test thread's, in a test). */
seL4_CPtr kt_self_tcb(void);
int kt_self_prio(void);
/* The test thread's own SchedContext cap. */
seL4_CPtr kt_self_sc(void);
/* The running thread's IPC buffer. */
#define kt_ipc() seL4_GetIPCBuffer()

/* Let every thread of priority >= ours run until it blocks (Yield a few times). */
void kt_yield_n(int n);

/* Yield until *flag is non-zero, at most `tries` times; returns whether it is. */
bool kt_wait_flag(volatile int *flag, int tries);
bool kt_wait_word(volatile seL4_Word *word, int tries);
/*
 * Block the calling thread for about `ms` milliseconds of (virtual) time,
 * so that lower-priority threads run meanwhile. A helper at KT_PRIO_MAX
 * with a 1 ms period counts its periods (seL4_Yield on a SchedContext
 * whose budget is below its period waits for the next period).
 * Not while a thread on another core spins at user level: under QEMU
 * -icount the helper on core 0 is set aside until the end of each of its
 * 200 us slices and may not wake for minutes (debug_api.c, wait_past);
 * spin on the counter there instead (ptimer.h's spin_us). A sleep that
 * takes more than ten times as long (+10 ms) fails the test.
 */
bool kt_sleep_ms_(unsigned ms, const char *file, int line);
#define KT_SLEEP_MS(ms)                                                              \
    do {                                                                             \
        if (!kt_sleep_ms_((ms), __FILE__, __LINE__))                                 \
            return KT_FAILED;                                                        \
    } while (0)

/* True for the untypeds the framework itself uses (never revoke these). */
bool kt_framework_untyped(seL4_CPtr cap);

/* --------------------------------------------------------------- event log */

/*
 * A short log of one-character events in the order threads record them,
 * for tests of who runs or is served first. Reset it at the start.
 */
void kt_log_reset(void);
void kt_log_event(char c);
const char *kt_log(void);

#define KT_LOG_IS(expect)                                                            \
    do {                                                                             \
        if (strcmp(kt_log(), (expect)) != 0)                                         \
            return kt_fail(__FILE__, __LINE__, "event order \"%s\", expected \"%s\"", \
                           kt_log(), (expect));                                      \
    } while (0)

/*
 * Queue-order tests (MCS orders endpoint and notification queues by
 * priority, FIFO among equals): parties 'a', 'b', ... that block one after
 * another at KT_PRIO_TEST + kt_queue_above[i] (so each blocks as soon as it
 * starts) must be served in the order KT_QUEUE_ORDER, best first.
 */
#define KT_QUEUE_PARTIES 5
extern const int kt_queue_above[KT_QUEUE_PARTIES];
#define KT_QUEUE_ORDER "dbeac"

/* ---------------------------------------------------------------- misc */

void kt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
seL4_Word kt_image_frame(const void *vaddr);   /* image frame cap of a page */

/* arch.S helpers with known instruction addresses (faults.c, tcb.c). */
/* svc #0 with x0..x6 = the arguments and x7 = number; returns x0 afterwards. */
extern seL4_Word kt_syscall8(seL4_Word x0, seL4_Word x1, seL4_Word x2, seL4_Word x3,
                             seL4_Word x4, seL4_Word x5, seL4_Word x6, seL4_Word number);
extern char kt_syscall8_svc[];
extern void kt_udf(void);
extern char kt_udf_insn[];
extern _Noreturn void kt_spin(void);   /* `b .` at kt_spin_insn */
extern char kt_spin_insn[];
extern void kt_fpu_touch(void);
extern char kt_fpu_insn[];
/* Every FP/SIMD register and FPCR set from `seed`, and checked: 0 if they
   still hold those values, else 1 + the first register that differs. */
extern void kt_fpu_fill(seL4_Word seed);
extern seL4_Word kt_fpu_check(seL4_Word seed);
extern seL4_Word kt_read_tpidr(void);
extern void kt_switch_stack(seL4_Word sp, void (*fn)(void *), void *arg);
extern seL4_Word kt_read_sp(void);

/*
 * IRQControl_Get for core 0's line `irq`. With several cores a private
 * line (an SGI or PPI, INTID < 32) needs IRQControl_GetTriggerCore (seL4's
 * SMP ABI): level triggered, core 0.
 */
static inline seL4_Error kt_irq_control_get(seL4_Word irq, seL4_CNode root, seL4_Word index,
                                            seL4_Uint8 depth)
{
#if CONFIG_MAX_NUM_NODES > 1
    if (irq < 32)
        return seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, irq, 0, root, index, depth, 0);
#endif
    return seL4_IRQControl_Get(seL4_CapIRQControl, irq, root, index, depth);
}

#endif /* KTEST_H */
