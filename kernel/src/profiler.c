/*
 * The sampling profiler (CONFIG_PROFILER; kernel/uapi/profiler.h has the
 * interface and why it has that shape). The PMU interrupts every period
 * (arch/pmu.h); the kernel writes a record of the thread it interrupted
 * into the consumer's buffer through the kernel window, and signals the
 * consumer when half of the buffer is unread, once per round.
 *
 * The buffer frame and the notification are held as kernel copies of the
 * consumer's caps, children in the derivation tree (as interrupt handlers
 * hold their notifications): revoking or deleting the originals deletes
 * them, and sampling stops at the next interrupt instead of writing into
 * memory that has been given back.
 *
 * The kernel runs with interrupts masked, so an overflow during a system
 * call is taken at the next return to user level or in the idle loop: the
 * kernel's own time is charged to whoever runs next.
 */
#include <kernel/profiler.h>
#include <kernel/cdt.h>
#include <kernel/cspace.h>
#include <kernel/ipc.h>
#include <kernel/objects.h>
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

static void stop(void)
{
    arch_pmu_stop();
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
    r->thread = paddr_from_ptr(t);
    r->badge = thread_badge(t);
    size_t len = strnlen(t->name, sizeof r->u.name - 1);
    memcpy(r->u.name, t->name, len);
    publish();
}
#endif

void profiler_sample(tcb_t *t)
{
    arch_pmu_rearm();
    if (!header)
        return;
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
    signalled_tail = ~0ull;
    epoch++;
    arch_pmu_start(event, period);
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
