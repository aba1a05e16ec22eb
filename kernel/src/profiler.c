/*
 * The sampling profiler (CONFIG_PROFILER; kernel/uapi/profiler.h has the
 * interface and why it has that shape). Every core's PMU interrupts after
 * a random number of events (arch/pmu.h); the core writes a record of the
 * thread it interrupted into the consumer's buffer through the kernel
 * window, under the kernel lock like any kernel entry, so one buffer
 * serves every core. It signals the consumer when half of the buffer is
 * unread, once per round.
 *
 * The buffer frame and the notification are held as kernel copies of the
 * consumer's caps, children in the derivation tree (as interrupt handlers
 * hold their notifications): revoking or deleting the originals deletes
 * them, and sampling stops at the next interrupt instead of writing into
 * memory that has been given back.
 *
 * The kernel runs with interrupts masked, so an overflow during a system
 * call is taken at the next return to user level or in the idle loop: the
 * kernel's own time is charged to whoever runs next. A fast path returns
 * to user level as the general path does, so a thread that lives in fast
 * system calls is sampled as any other (tests/debug/profiler).
 */
#include <kernel/profiler.h>
#include <kernel/cdt.h>
#include <kernel/cspace.h>
#include <kernel/ipc.h>
#include <kernel/objects.h>
#include <kernel/smp.h>
#include <arch/pmu.h>
#include <arch/mmu.h>
#include <arch/registers.h>
#include <profiler.h>
#include <string.h>
#include <timer.h>

static cte_t buffer_slot, notification_slot;
static struct profiler_header *header;
static struct profiler_record *records;
static word_t signalled_tail = ~0ull;  /* tail when we last signalled */
static word_t epoch;                    /* bumped by every configuration */
static word_t mean_period, counted_event;
/* Per core: the state of the random number generator that draws its
   intervals (xorshift64*), its own so that cores never share a draw. */
static uint64_t random_state[CONFIG_MAX_NUM_NODES];

/* ---------------------------------------------------------------- intervals */

static uint64_t next_random(unsigned core)
{
    uint64_t x = random_state[core];
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    random_state[core] = x;
    return x * 0x2545f4914f6cdd1dull;
}

/* log2(x) for 1 <= x <= 2^32, in 16.16 fixed point: the integer part from
   the leading bit, the fraction one bit per squaring of the mantissa. */
static word_t log2_q16(uint64_t x)
{
    unsigned n = 63 - (unsigned)__builtin_clzll(x);
    uint64_t m = (x << (63 - n)) >> 32;     /* x / 2^n in [1, 2): Q31 */
    word_t result = (word_t)n << 16;
    for (word_t bit = 1u << 15; bit; bit >>= 1) {
        m = (m * m) >> 31;
        if (m >= BIT(32)) {
            m >>= 1;
            result |= bit;
        }
    }
    return result;
}

#define LN2_Q16 45426u      /* ln 2 in 16.16 fixed point */

/*
 * The events until this core's next sample: exponentially distributed
 * with mean `mean_period` (-ln u times the mean, u uniform in (0, 1]),
 * within the counter's 32 bits.
 */
static word_t next_interval(unsigned core)
{
    uint64_t u = (next_random(core) >> 32) + 1;            /* u * 2^32 */
    word_t exp_q16 = ((32u << 16) - log2_q16(u)) * LN2_Q16 >> 16;
    word_t events = mean_period * exp_q16 >> 16;       /* < 2^32 * 23 */
    return events ? MIN(events, MASK(32)) : 1;
}

/* ------------------------------------------------------------ every core */

static void core_start(word_t unused)
{
    (void)unused;
    unsigned core = cpu_index();
    /* A fresh, distinct sequence per core and configuration; never zero. */
    random_state[core] = (epoch * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)(core + 1) << 32) ^ 0x5eed;
    arch_pmu_start(counted_event, next_interval(core));
}

static void core_stop(word_t unused)
{
    (void)unused;
    arch_pmu_stop();
}

static void on_every_core(void (*fn)(word_t))
{
    for (unsigned core = 0; core < CONFIG_MAX_NUM_NODES; core++)
        smp_run_on(core, fn, 0);
}

static void stop(void)
{
    on_every_core(core_stop);
    header = NULL;
    records = NULL;
    cte_delete_one(&buffer_slot);
    cte_delete_one(&notification_slot);
}

static struct profiler_record *next_record(void)
{
    word_t unread = header->head - header->tail;
    if (unread >= header->capacity) {   /* full, or a tail we cannot trust */
        header->dropped++;
        return NULL;
    }
    return &records[header->head % header->capacity];
}

static void publish(void)
{
    __atomic_store_n(&header->head, header->head + 1, __ATOMIC_RELEASE);
    word_t tail = __atomic_load_n(&header->tail, __ATOMIC_ACQUIRE);
    cap_t ntfn = notification_slot.cap;
    if (header->head - tail >= header->capacity / 2 && tail != signalled_tail &&
        cap_get_type(ntfn) == cap_notification) {
        signalled_tail = tail;
        notification_signal(cap_get_ptr(ntfn), cap_badge(ntfn));
    }
}

static word_t thread_badge(const tcb_t *t)
{
    cap_t handler = t->caps[tcb_fault_handler].cap;
    return cap_get_type(handler) == cap_endpoint ? cap_badge(handler) : 0;
}

#ifdef CONFIG_DEBUG_BUILD
/* Before a thread's first sample in this configuration: its name. */
static void name_record(tcb_t *t)
{
    if (t->profiler_epoch == epoch || !t->name[0])
        return;
    struct profiler_record *r = next_record();
    if (!r)
        return;
    t->profiler_epoch = epoch;
    memset(r, 0, sizeof *r);
    r->kind = PROFILER_THREAD_NAME;
    r->core = (uint16_t)cpu_index();
    r->thread = paddr_from_ptr(t);
    r->badge = thread_badge(t);
    size_t len = strnlen(t->name, sizeof r->u.name - 1);
    memcpy(r->u.name, t->name, len);
    publish();
}
#endif

void profiler_sample(tcb_t *t)
{
    if (!header) {
        arch_pmu_stop();    /* an overflow that raced with a stop */
        return;
    }
    arch_pmu_rearm(next_interval(cpu_index()));
    if (cap_get_type(buffer_slot.cap) != cap_frame) {
        stop();     /* the consumer's frame is gone */
        return;
    }
#ifdef CONFIG_DEBUG_BUILD
    if (t)
        name_record(t);
#endif
    struct profiler_record *r = next_record();
    if (!r)
        return;
    r->kind = PROFILER_SAMPLE;
    r->core = (uint16_t)cpu_index();
    r->thread = t ? paddr_from_ptr(t) : 0;
    r->badge = t ? thread_badge(t) : 0;
    r->time = timer_now();
    r->pc = t ? get_register(t, REG_NEXT_PC) : 0;
    r->depth = t ? arch_user_call_chain(t, r->u.chain, PROFILER_CHAIN_MAX) : 0;
    publish();
}

/* ---------------------------------------------------------------- control */

static seL4_Error configure(tcb_t *caller, word_t frame_cptr, word_t ntfn_cptr, word_t period,
                            word_t event)
{
    lookup_result_t frame = lookup_slot(caller, frame_cptr);
    lookup_result_t ntfn = lookup_slot(caller, ntfn_cptr);
    if (!frame.slot || frame.bits_remaining || cap_get_type(frame.slot->cap) != cap_frame)
        return seL4_InvalidCapability;
    cap_t fc = frame.slot->cap;
    word_t bytes = BIT(frame_size_bits(cap_frame_size(fc)));
    if (cap_frame_is_device(fc) || bytes > BIT(21) || !mmu_is_kernel_ram(cap_frame_base(fc), bytes))
        return seL4_InvalidCapability;
    if (!ntfn.slot || ntfn.bits_remaining || cap_get_type(ntfn.slot->cap) != cap_notification ||
        !(cap_rights(ntfn.slot->cap) & RIGHT_WRITE))
        return seL4_InvalidCapability;
    if (period < PROFILER_MIN_PERIOD || period >= BIT(32) || !arch_pmu_event_supported(event))
        return seL4_InvalidArgument;
    cap_t copy;
    if (derive_cap(frame.slot, fc, &copy) != seL4_NoError)
        return seL4_InvalidCapability;
    stop();
    cte_insert(copy, frame.slot, &buffer_slot);
    cte_insert(ntfn.slot->cap, ntfn.slot, &notification_slot);
    header = ptr_from_paddr(cap_frame_base(fc));
    memset(header, 0, sizeof *header);  /* records are written before they are read */
    records = (struct profiler_record *)(header + 1);
    header->magic = PROFILER_MAGIC;
    header->version = PROFILER_VERSION;
    header->capacity = (bytes - sizeof *header) / sizeof *records;
    header->period = period;
    header->event = event;
    header->timer_hz = timer_frequency();
    header->cores = CONFIG_MAX_NUM_NODES;
    signalled_tail = ~0ull;
    epoch++;
    mean_period = period;
    counted_event = event;
    on_every_core(core_start);
    return seL4_NoError;
}

void profiler_control_syscall(tcb_t *caller)
{
    lookup_fault_t fault;
    seL4_Error err;
    if (cap_get_type(lookup_cap(caller, get_register(caller, REG_SYSCALL_ARG(0)), &fault)) != cap_irq_control)
        err = seL4_IllegalOperation;
    else if (get_register(caller, REG_SYSCALL_ARG(1)) == 0) {
        stop();
        err = seL4_NoError;
    } else {
        err = configure(caller, get_register(caller, REG_SYSCALL_ARG(1)), get_register(caller, REG_SYSCALL_ARG(2)),
                        get_register(caller, REG_SYSCALL_ARG(3)), get_register(caller, REG_SYSCALL_ARG(4)));
    }
    set_register(caller, REG_SYSCALL_ARG(0), err);
}
