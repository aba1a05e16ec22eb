/*
 * The fake machine the kernel sources run on in the host unit tests, and
 * helpers to build kernel objects and CSpaces by hand.
 *
 * Kernel objects live in ordinary host memory. The kernel reaches RAM
 * through its physical window (pointer = PPTR_BASE + paddr); that arithmetic
 * wraps, so a host pointer p < 2^48 - 2^39 has the "physical address"
 * p - PPTR_BASE (mod 2^64) < 2^48, which fits every cap's address field.
 * Objects must be aligned to their size, as in an untyped: host_alloc() and
 * host_arena() do that.
 *
 * What the kernel needs from hardware is faked here (host.c): the timer is a
 * clock the test sets; the interrupt controller delivers the timer interrupt
 * when the deadline is reached and device interrupts the test raises; WFI
 * (idle) jumps the clock to the next of those; restore_user_context ("eret")
 * longjmps back into the test, which is then "at user level" in
 * current_thread until it enters the kernel again with host_syscall() or
 * host_interrupt().
 */
#ifndef HOST_H
#define HOST_H

#include <kernel/types.h>
#include <object/structures.h>
#include <kernel/cdt.h>
#include <kernel/objects.h>
#include <kernel/cspace.h>
#include <kernel/invocation.h>
#include <kernel/syscall.h>
#include <kernel/preemption.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/tcb.h>
#include <kernel/ipc.h>
#include <kernel/ipc_buffer.h>
#include <sel4/abi.h>
#include <timer.h>

/* ---------------------------------------------------------------- clock */

#define HOST_TIMER_HZ 62500000ull       /* QEMU's counter frequency */
#define HOST_TIMER_IRQ 27               /* TIMER_IRQ of an EL1 kernel */

uint64_t host_now(void);
void host_set_time(uint64_t ticks);
void host_advance(uint64_t ticks);
bool host_timer_armed(void);
uint64_t host_timer_deadline(void);
uint64_t host_us(uint64_t us);          /* microseconds -> ticks */

/* ---------------------------------------------------------------- interrupts */

/* A device interrupt line becomes pending at time `at` (ticks). */
void host_raise_irq(unsigned irq, uint64_t at);
bool host_irq_masked(unsigned irq);

/* ---------------------------------------------------------------- memory */

/* Zeroed memory aligned to its size 2^size_bits (freed when the test ends). */
void *host_alloc(unsigned size_bits);
/* Same, from mmap, for large untyped regions. */
void *host_arena(unsigned size_bits);

/* ---------------------------------------------------------------- finalisation log */

/* finalise_cap is wrapped (ld --wrap): every finalisation of a last cap
   is counted (not the deletion of other copies, nor zombie steps). */
unsigned host_finalise_calls(void);
/* Times the object at `obj` was finalised (untyped caps, which name a region
   rather than an object, are not counted here; host_finalise_calls counts
   them). */
unsigned host_finalised(const void *obj);
/* Forget the finalisations logged so far. */
void host_reset_finalised(void);
/* Deepest nesting of finalise_cap calls seen (1 = no recursion). */
unsigned host_finalise_max_depth(void);

/* The `checks`-th preemption point from now finds an interrupt pending
   (0: the next one); -1: none ever does (the default). */
void host_preempt_after(int checks);

/* Other counters kept by the stubs. */
unsigned host_cache_clean_calls(void);
/* frame_unmap, page_table_unmap, asid_delete, asid_pool_delete calls. */
unsigned host_unmap_calls(void);

/* ---------------------------------------------------------------- objects by hand */

/* A root CDT entry in an empty slot. */
static inline void host_root(cte_t *slot, cap_t cap)
{
    cdt_insert_root(slot, cap, true);
}
/* CNode slots (radix bits) and a cap to them with `guard_size` bits of `guard`. */
cte_t *host_cnode(unsigned radix, unsigned guard_size, word_t guard, cap_t *cap);
endpoint_t *host_endpoint(cap_t *cap);
notification_t *host_notification(cap_t *cap);
/* An initialised TCB (priority prio, mcp 255, inactive). */
tcb_t *host_tcb(unsigned prio);
/* A scheduling context of 2^size_bits bytes (unconfigured). */
sched_context_t *host_sc(unsigned size_bits);

/* Walk a CDT list from `first`: number of slots, checking prev/next agree. */
unsigned host_cdt_length(cte_t *first);

/* ---------------------------------------------------------------- a CSpace and a caller */

/*
 * The root CNode (radix bits, guard so that a CPtr is resolved in 64 bits:
 * a CPtr is just a slot number) with the caller's TCB cap in slot
 * ENV_TCB and the CNode's own cap in slot ENV_CNODE, like seL4's root task.
 * The caller has an IPC buffer. Slots from ENV_FREE on are empty.
 */
enum { ENV_TCB = 1, ENV_CNODE = 2, ENV_FREE = 3 };

typedef struct env {
    tcb_t *caller;
    cte_t *root;
    unsigned radix;
    cap_t root_cap;
    word_t *ipc;
} env_t;

void env_init(env_t *e, unsigned radix);
/* A new thread sharing the root CSpace, with its TCB cap in `slot`. */
tcb_t *env_thread(env_t *e, word_t slot, unsigned prio);
/* Give thread t its own IPC buffer. */
void env_give_ipc_buffer(tcb_t *t);

/* An untyped of 2^bits in `slot` (device: at a made-up physical address). */
void *env_untyped(env_t *e, word_t slot, unsigned bits, bool device);

/*
 * seL4_Call on `cptr` from the caller through handle_invocation: label,
 * message words, extra caps (CPtrs). Returns the reply's label (seL4_Error).
 */
word_t env_call(env_t *e, word_t cptr, word_t label, unsigned n, const word_t *mr,
                unsigned ncaps, const word_t *caps);
#define WORDS(...) (sizeof((word_t[]){ __VA_ARGS__ }) / sizeof(word_t)), (word_t[]){ __VA_ARGS__ }
#define NO_WORDS 0, NULL
/* Reply word i and length of the last env_call. */
word_t env_reply(env_t *e, unsigned i);
word_t env_reply_length(env_t *e);

/* Untyped_Retype into the root CNode (depth 0) at `offset`. */
word_t env_retype(env_t *e, word_t ut, word_t type, word_t bits, word_t offset, word_t num);

static inline cte_t *env_slot(env_t *e, word_t i)
{
    return &e->root[i];
}

/* ---------------------------------------------------------------- running threads */

/*
 * End a kernel entry (schedule, return_to_user) and come back "at user
 * level": idles, moving the clock, while no thread can run. Returns the
 * running thread.
 */
tcb_t *host_exit_kernel(void);
/* The current thread makes system call `number` (x0.. as set by the caller). */
tcb_t *host_syscall(long number);
/* An interrupt at the current time, taken from user level. */
tcb_t *host_interrupt(void);
/* Let the current thread run until `until` or until its timer deadline,
   whichever is first; returns the time it stopped (the clock is there). */
uint64_t host_run_until(uint64_t until);

/* Bytes of a struct of the fake machine the tests may inspect. */
extern unsigned host_vspace_activations;

#endif
