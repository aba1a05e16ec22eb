/*
 * The PD runtime: run init(), then the event loop. Each wake-up delivers
 * one event: a fault of a child (badge bit 62), a protected procedure call
 * (bit 63) or a set of notifications and IRQs (one bit per channel). A reply
 * owed and a deferred signal are folded into the next receive, so each turn
 * of the loop is one system call.
 */
#include <microkit.h>
#include <stdbool.h>

/* The IPC buffer is the PD's top page (pds/include/pd_layout.h). */
_Static_assert(PD_USER_TOP == seL4_UserTop + 1, "pd_layout.h and the user API agree on the top");
seL4_IPCBuffer *__sel4_ipc_buffer = (seL4_IPCBuffer *)PD_IPC_BUFFER;

char microkit_name[MICROKIT_PD_NAME_LENGTH];
seL4_Bool microkit_passive;
seL4_Word microkit_irqs;
seL4_Word microkit_notifications;
seL4_Word microkit_pps;
seL4_Word microkit_ioports;

struct microkit_event_counts microkit_event_counts;

seL4_Bool microkit_have_signal;
seL4_CPtr microkit_signal_cap;
seL4_MessageInfo_t microkit_signal_msg;

void microkit_main(void);

typedef void (*constructor_fn)(void);
extern constructor_fn __init_array_start[] __attribute__((weak));
extern constructor_fn __init_array_end[] __attribute__((weak));

static void run_constructors(void)
{
    for (constructor_fn *f = __init_array_start; f && f < __init_array_end; f++)
        (*f)();
}

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" is missing the 'protected' entry point\n");
    microkit_internal_crash(seL4_IllegalOperation);
}

__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo,
                                      microkit_msginfo *reply_msginfo)
{
    (void)child;
    (void)msginfo;
    (void)reply_msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" is missing the 'fault' entry point\n");
    microkit_internal_crash(seL4_IllegalOperation);
}

void microkit_internal_crash(seL4_Error err)
{
    /* A write to address `err`: the monitor's VM-fault report shows it. */
    __asm__ volatile("str xzr, [%0]" :: "r"((seL4_Word)err) : "memory");
    for (;;)
        ;
}

static void notify_each(seL4_Word badge)
{
    for (unsigned ch = 0; badge; ch++, badge >>= 1)
        if (badge & 1) {
            MICROKIT_COUNT_CHANNEL(notifications_received, ch);
            notified(ch);
        }
}

/* Wait for the next event, sending what the last one left owed. */
static seL4_MessageInfo_t next_event(bool have_reply, seL4_MessageInfo_t reply, seL4_Word *badge)
{
    if (have_reply) {
        if (microkit_have_signal)
            seL4_Send(microkit_signal_cap, microkit_signal_msg);
        microkit_have_signal = seL4_False;
        return seL4_ReplyRecv(MICROKIT_INPUT_CAP, reply, badge, MICROKIT_REPLY_CAP);
    }
    if (microkit_have_signal) {
        microkit_have_signal = seL4_False;
        return seL4_NBSendRecv(microkit_signal_cap, microkit_signal_msg, MICROKIT_INPUT_CAP, badge,
                               MICROKIT_REPLY_CAP);
    }
    return seL4_Recv(MICROKIT_INPUT_CAP, badge, MICROKIT_REPLY_CAP);
}

static void handler_loop(void)
{
    bool have_reply = false;
    seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, 0);
    for (;;) {
        seL4_Word badge;
        seL4_MessageInfo_t tag = next_event(have_reply, reply, &badge);
        have_reply = false;
        MICROKIT_COUNT(wakeups);
        if (badge & MICROKIT_FAULT_BADGE) {
            MICROKIT_COUNT(faults_received);
            have_reply = fault(badge & 0xff, tag, &reply);
        } else if (badge & MICROKIT_PPC_BADGE) {
            MICROKIT_COUNT_CHANNEL(ppcs_received, badge & 0x3f);
            reply = protected(badge & 0x3f, tag);
            have_reply = true;
        } else {
            notify_each(badge);
        }
    }
}

void microkit_main(void)
{
    /* After microkit_pd_restart() memory is as the crash left it: forget a
       deferred operation of the previous run. */
    microkit_have_signal = seL4_False;
    run_constructors();
    init();
    /* A passive PD tells the monitor it is ready to lose its SC, folded
       into its first receive. A deferred operation init() left pending is
       sent first rather than overwritten (Microkit drops it). */
    if (microkit_passive) {
        if (microkit_have_signal)
            seL4_Send(microkit_signal_cap, microkit_signal_msg);
        microkit_have_signal = seL4_True;
        microkit_signal_msg = seL4_MessageInfo_new(0, 0, 0, 0);
        microkit_signal_cap = MONITOR_EP;
    }
    /* IRQs start unacknowledged: acknowledge each once so they can fire. */
    for (unsigned ch = 0; ch <= MICROKIT_MAX_CHANNEL_ID; ch++)
        if ((microkit_irqs >> ch) & 1)
            seL4_IRQHandler_Ack(BASE_IRQ_CAP + ch);
    handler_loop();
}
