/*
 * kstate.h - reading the kernel's state from user level, for debuggers
 * (debug kernels, CONFIG_DEBUG_BUILD): our extension, not seL4's API.
 * docs/debugging.md ("Kernel state from the debug PD") tells the story.
 *
 * seL4 has no way for a program to see capabilities or the scheduler
 * beyond seL4_DebugCapIdentify (a cap's type, in the caller's own CSpace)
 * and seL4_DebugDumpScheduler (text on the kernel's console). A debugger
 * on a board (the debug PD, pds/debugger) needs both as data, to answer
 * gdb over its own serial line. One system call, outside seL4's numbers,
 * reads one record at a time into the caller's IPC buffer:
 *
 *   KSTATE_THREAD  the next thread the kernel knows (its debug list, as
 *                  DumpScheduler prints it) at or after a cursor: state,
 *                  priority, scheduling context, name. No authority, like
 *                  DumpScheduler: debug kernels only.
 *   KSTATE_CAP     the capability in one slot of another thread's CSpace,
 *                  decoded: the authority is a TCB cap to that thread in
 *                  the caller's CSpace; the slot is named as seL4 names
 *                  slots, a CPtr resolved to a depth from that thread's
 *                  CSpace root (depth 0: the root cap itself).
 *
 * Records are plain words at the start of the IPC buffer's message area
 * (seL4_IPCBuffer.msg); nothing of the kernel's own encoding shows.
 *
 * Pure: numbers, types and one inline system call; the kernel, PDs and host
 * tools include it.
 */
#ifndef KSTATE_UAPI_H
#define KSTATE_UAPI_H

#include <sel4/simple_types.h>
#include <sel4/errors.h>
#include <sel4/macros.h>

#define KSTATE_SYSCALL          (-65)

enum kstate_op {
    KSTATE_THREAD = 0,          /* arg: cursor */
    KSTATE_CAP = 1,             /* args: TCB CPtr, CPtr in its CSpace, depth */
};

/* Thread states (the kernel's, as DumpScheduler names them). */
enum kstate_thread_state {
    KSTATE_INACTIVE = 0,
    KSTATE_RUNNING = 1,
    KSTATE_RESTART = 2,
    KSTATE_BLOCKED_ON_RECEIVE = 3,
    KSTATE_BLOCKED_ON_SEND = 4,
    KSTATE_BLOCKED_ON_REPLY = 5,
    KSTATE_BLOCKED_ON_NOTIFICATION = 6,
};

/* A state's name, as DumpScheduler and the debuggers print it. */
LIBSEL4_INLINE_FUNC const char *kstate_thread_state_name(seL4_Word state)
{
    static const char *const names[] = {
        [KSTATE_INACTIVE] = "inactive",
        [KSTATE_RUNNING] = "running",
        [KSTATE_RESTART] = "restart",
        [KSTATE_BLOCKED_ON_RECEIVE] = "blocked on receive",
        [KSTATE_BLOCKED_ON_SEND] = "blocked on send",
        [KSTATE_BLOCKED_ON_REPLY] = "blocked on reply",
        [KSTATE_BLOCKED_ON_NOTIFICATION] = "blocked on notification",
    };
    return state < sizeof names / sizeof *names ? names[state] : "?";
}

/* The scheduler queue that holds a thread. */
enum kstate_queue {
    KSTATE_QUEUE_NONE = 0,
    KSTATE_QUEUE_READY = 1,
    KSTATE_QUEUE_RELEASE = 2,
    KSTATE_QUEUE_CANDIDATE = 3,     /* woken, about to be switched to */
};

#define KSTATE_NAME_BYTES       64

/* KSTATE_THREAD: one thread. Times are kernel clock ticks of timer_hz. */
struct kstate_thread {
    seL4_Uint64 index;          /* its place in the list: the next cursor is index + 1 */
    seL4_Uint64 tcb;            /* the physical address of its TCB (an id) */
    seL4_Uint64 state;          /* enum kstate_thread_state */
    seL4_Uint64 priority, mcp, domain, core;
    seL4_Uint64 queue;          /* enum kstate_queue */
    seL4_Uint64 current;        /* 1: it runs on its core now */
    seL4_Uint64 pc;             /* where it runs next */
    seL4_Uint64 fault_handler_badge;    /* of its fault-handler cap (a Microkit PD's id) */
    seL4_Uint64 has_sc;         /* 1: bound to a scheduling context; then: */
    seL4_Uint64 sc_budget, sc_period, sc_consumed;  /* consumed since the last reset */
    seL4_Uint64 sc_refills;     /* refills in use */
    seL4_Uint64 sc_sporadic;
    seL4_Uint64 now;            /* the kernel clock */
    seL4_Uint64 timer_hz;
    char name[KSTATE_NAME_BYTES];       /* NUL-terminated; empty if never named */
};

/* Capability types: seL4's AArch64 cap tags, as seL4_DebugCapIdentify
   answers. */
enum kstate_cap_type {
    KSTATE_CAP_NULL = 0,
    KSTATE_CAP_FRAME = 1,
    KSTATE_CAP_UNTYPED = 2,
    KSTATE_CAP_PAGE_TABLE = 3,
    KSTATE_CAP_ENDPOINT = 4,
    KSTATE_CAP_NOTIFICATION = 6,
    KSTATE_CAP_REPLY = 8,
    KSTATE_CAP_VSPACE = 9,
    KSTATE_CAP_CNODE = 10,
    KSTATE_CAP_ASID_CONTROL = 11,
    KSTATE_CAP_THREAD = 12,
    KSTATE_CAP_ASID_POOL = 13,
    KSTATE_CAP_IRQ_CONTROL = 14,
    KSTATE_CAP_VCPU = 15,
    KSTATE_CAP_IRQ_HANDLER = 16,
    KSTATE_CAP_ZOMBIE = 18,
    KSTATE_CAP_DOMAIN = 20,
    KSTATE_CAP_SCHED_CONTEXT = 22,
    KSTATE_CAP_SCHED_CONTROL = 24,
    KSTATE_CAP_SMC = 25,
};

/* KSTATE_CAP: one capability (`type`: enum kstate_cap_type; KSTATE_CAP_NULL
   for an empty slot). */
struct kstate_cap {
    seL4_Uint64 type;
    seL4_Uint64 object;         /* physical address of the object, or 0 */
    seL4_Uint64 rights;         /* seL4_CapRights_t word: W R G GR (bits 0..3) */
    seL4_Uint64 badge;          /* endpoint, notification: its badge */
    /* By type (KSTATE_CAP_* flags in b):
       cnode:          a = radix, b = guard size, c = guard
       frame:          a = size bits, b = flags, c = mapped vaddr, d = ASID
       page table, vspace: b = flags, c = mapped vaddr, d = ASID
       untyped:        a = size bits, b = flags, c = free index (bytes)
       reply:          a = can grant
       sched context:  a = size bits
       irq handler:    a = the IRQ
       sched control:  a = the core
       asid pool:      a = its first ASID */
    seL4_Uint64 a, b, c, d;
};

#define KSTATE_CAP_MAPPED       1u
#define KSTATE_CAP_DEVICE       2u

/* Errors of kstate_read: InvalidArgument (unknown op, cursor past the
   list: x1 then says KSTATE_END), InvalidCapability (KSTATE_CAP: not a TCB
   cap), RangeError (depth over 64), FailedLookup (the CPtr does not
   resolve to that depth), IllegalOperation (the caller has no IPC buffer).
   Kernels without CONFIG_DEBUG_BUILD answer with an UnknownSyscall fault. */
#define KSTATE_END              (~(seL4_Word)0)

SEL4_STATIC_ASSERT(sizeof(struct kstate_thread) == 19 * 8 + KSTATE_NAME_BYTES, "kstate thread layout");
SEL4_STATIC_ASSERT(sizeof(struct kstate_cap) == 8 * 8, "kstate cap layout");

#if defined(__aarch64__) && !defined(__ASSEMBLER__)
/* One record into the caller's IPC buffer (msg[]); for KSTATE_THREAD the
   index of the thread found, or KSTATE_END, in *next. */
LIBSEL4_INLINE_FUNC seL4_Error kstate_read(seL4_Word op, seL4_Word arg0, seL4_Word arg1,
                                           seL4_Word arg2, seL4_Word *next)
{
    register seL4_Word x0 __asm__("x0") = op;
    register seL4_Word x1 __asm__("x1") = arg0;
    register seL4_Word x2 __asm__("x2") = arg1;
    register seL4_Word x3 __asm__("x3") = arg2;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)KSTATE_SYSCALL;
    __asm__ __volatile__("svc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                         : "r"(x7)
                         : "x4", "x5", "memory");
    if (next)
        *next = x1;
    return (seL4_Error)x0;
}
#endif

#endif /* KSTATE_UAPI_H */
