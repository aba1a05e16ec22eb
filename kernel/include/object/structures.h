/*
 * Kernel object layouts. Object sizes are part of the user ABI (users size
 * untyped memory by them), so each object asserts its size against the
 * seL4 constants.
 */
#ifndef OBJECT_STRUCTURES_H
#define OBJECT_STRUCTURES_H

#include <kernel/types.h>
#include <object/cap.h>
#include <arch/context.h>
#include <arch/debug.h>

/*
 * Capability derivation tree node, kept beside each capability: a doubly
 * linked list in depth-first order. Slots are 32-byte aligned, so the low bits
 * of `next` carry the two flags.
 */
typedef struct mdb_node {
    word_t prev;
    word_t next;            /* pointer | revocable (bit 0) | first_badged (bit 1) */
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;
static_assert_size(cte_t, 32);

#define CTE_SIZE_BITS 5

/* ---------------------------------------------------------------- threads */

typedef enum thread_state {
    thread_inactive = 0,
    thread_running,
    thread_restart,             /* re-execute the system call on resume */
    thread_blocked_on_receive,
    thread_blocked_on_send,
    thread_blocked_on_reply,
    thread_blocked_on_notification,
} thread_state_t;

struct sched_context;
struct notification;
struct reply;

/* Slots of the TCB's own capabilities. */
enum tcb_cap_slot {
    tcb_cspace_root = 0,
    tcb_vspace_root,
    tcb_ipc_buffer_frame,
    tcb_fault_handler,
    tcb_timeout_handler,
    tcb_cap_slots
};

typedef struct tcb {
    /* Registers and other architecture state (arch/context.h). First: the
       exception entry code saves user registers at the TCB's address. */
    arch_tcb_t arch;

    /* Then the fields the IPC paths touch, and the caps (the CSpace root
       first), all within the short offsets of paired loads and stores. */
    thread_state_t state;
    word_t blocking_object;     /* endpoint/notification/reply it waits on */
    word_t blocking_badge;      /* badge of a blocked send */
    word_t blocking_flags;      /* can grant, can grant reply, is call */
    word_t ipc_buffer;          /* user virtual address of the IPC buffer */
    /* Slots the IPC fast path last resolved for this thread: the endpoint
       (cap register) and the reply object, valid in one CSpace generation. */
    word_t lookup_generation;
    word_t lookup_cptr[2];
    struct cte *lookup_slot[2];

    uint8_t priority;
    uint8_t mcp;
    uint8_t domain;
    uint8_t queued;             /* which scheduler queue holds it (enum sched_queue) */
    uint8_t core;               /* the core it runs on: its SC's (kernel/node.h) */
    word_t flags;               /* seL4_TCBFlag bits */

    struct tcb *sched_next;     /* ready or release queue */
    struct tcb *sched_prev;
    struct tcb *ep_next;        /* endpoint or notification queue */
    struct tcb *ep_prev;

    struct sched_context *sc;
    struct sched_context *yield_to;
    struct notification *bound_notification;
    struct reply *reply;        /* reply object while blocked on receive/reply */
    cte_t caps[tcb_cap_slots];

    word_t fault[8];            /* pending fault: seL4 label, then details */

    fpu_state_t fpu;            /* saved while another thread owns the FPU (arch/context.h) */
#ifdef CONFIG_HARDWARE_DEBUG_API
    arch_debug_state_t debug;   /* breakpoints, watchpoints, single step (arch/debug.h) */
#endif
#ifdef CONFIG_DEBUG_BUILD
    char name[64];
#ifdef CONFIG_PROFILER
    word_t profiler_epoch;      /* its name went to the profiler in this configuration */
#endif
#endif
} tcb_t;

#define TCB_SIZE_BITS 11
_Static_assert(sizeof(tcb_t) <= BIT(TCB_SIZE_BITS), "TCB too large");
_Static_assert(__builtin_offsetof(tcb_t, arch.ctx) == 0, "entry code saves registers at the TCB");

/* ---------------------------------------------------------------- IPC objects */

enum endpoint_state { ep_idle = 0, ep_send, ep_recv };

typedef struct endpoint {
    tcb_t *head;
    word_t tail_state;          /* tail pointer | state (low 2 bits) */
} endpoint_t;
static_assert_size(endpoint_t, 16);

/* Threads waiting on an endpoint or notification (kernel/endpoint_queue.h). */
typedef struct tcb_queue {
    tcb_t *head;
    tcb_t *tail;
} tcb_queue_t;

enum notification_state { ntfn_idle = 0, ntfn_waiting, ntfn_active };

typedef struct notification {
    tcb_queue_t queue;
    word_t state;
    word_t word;                /* badges OR-ed together while active */
    tcb_t *bound_tcb;
    struct sched_context *sc;
    word_t unused[2];
} notification_t;
static_assert_size(notification_t, 64);

/*
 * A reply object links a caller to the server that will answer it. `tcb` is
 * the server while it waits to receive with this object (it is then blocked
 * on receive) and the caller once a call has arrived (blocked on reply).
 */
typedef struct reply {
    tcb_t *tcb;
    struct sched_context *sc;   /* the SC the call donated, if any */
    struct reply *prev;         /* older call on the same SC's call stack */
    struct reply *next;         /* newer call on it */
} reply_t;
static_assert_size(reply_t, 32);

/* ---------------------------------------------------------------- scheduling */

typedef struct refill {
    word_t release;             /* ticks */
    word_t amount;              /* ticks */
} refill_t;

typedef struct sched_context {
    word_t period;
    word_t consumed;
    tcb_t *tcb;
    reply_t *reply;
    notification_t *notification;
    word_t badge;
    struct tcb *yield_from;
    word_t refill_max;          /* refills the object has room for */
    word_t refill_head;
    word_t budget;              /* configured budget (ticks) */
    uint32_t sporadic;
    uint32_t core;              /* the core its threads run on (its SchedControl's) */
    word_t refill_count;        /* refills in use, from refill_head */
    refill_t refills[];         /* the rest of the object */
} sched_context_t;
/* seL4 sizes: a 2^7-byte object holds the core and two refills. */
#define SC_CORE_BYTES 96
static_assert_size(sched_context_t, SC_CORE_BYTES);

/* ---------------------------------------------------------------- address spaces */

#define PT_ENTRIES 512
typedef struct page_table {
    word_t pte[PT_ENTRIES];
} page_table_t;

#define ASID_POOL_BITS 9
#define ASID_POOL_ENTRIES BIT(ASID_POOL_BITS)
#define ASID_BITS 16
#define ASID_POOLS (BIT(ASID_BITS) >> ASID_POOL_BITS)

typedef struct asid_pool {
    page_table_t *vspace[ASID_POOL_ENTRIES];
} asid_pool_t;

#endif
