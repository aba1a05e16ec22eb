/*
 * Debug system calls: DumpScheduler lists every thread the kernel knows of,
 * NameThread names a TCB from a string in the caller's IPC buffer,
 * CapIdentify returns the type of the cap a CPtr names.
 */
#include <irqchip.h>
#include <kernel/debug.h>
#include <kstate.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <kernel/node.h>
#include <kernel/print.h>
#include <kernel/ipc_buffer.h>
#include <arch/registers.h>
#include <string.h>

#define MAX_DEBUG_THREADS 256
static tcb_t *known_threads[MAX_DEBUG_THREADS];

void debug_register_thread(tcb_t *t)
{
    for (unsigned i = 0; i < MAX_DEBUG_THREADS; i++) {
        if (!known_threads[i] || known_threads[i] == t) {
            known_threads[i] = t;
            return;
        }
    }
}

tcb_t *debug_thread_from(word_t *index)
{
    for (word_t i = *index; i < MAX_DEBUG_THREADS; i++) {
        if (known_threads[i]) {
            *index = i;
            return known_threads[i];
        }
    }
    return NULL;
}

void debug_forget_thread(tcb_t *t)
{
    for (unsigned i = 0; i < MAX_DEBUG_THREADS; i++)
        if (known_threads[i] == t)
            known_threads[i] = NULL;
}

void debug_dump_scheduler(void)
{
    kprintf("%-24s %-8s %-24s %4s %4s\n", "name", "pc", "state", "prio", "mcp");
    for (unsigned i = 0; i < MAX_DEBUG_THREADS; i++) {
        tcb_t *t = known_threads[i];
        if (!t)
            continue;
#ifdef CONFIG_DEBUG_BUILD
        const char *name = t->name[0] ? t->name : "(unnamed)";
#else
        const char *name = "(unnamed)";
#endif
#if CONFIG_MAX_NUM_NODES > 1
        /* Its core, whether it runs there now, and which queue it is in. */
        static const char *const queued[] = { "", " ready", " release", " candidate" };
        kprintf("%-24s %8lx %-24s %4u %4u  core %u%s%s%s\n", name, get_register(t, REG_NEXT_PC),
                kstate_thread_state_name(t->state), t->priority, t->mcp, tcb_core(t),
                tcb_node(t)->running == t ? " running" : "",
                (unsigned)t->queued < ARRAY_SIZE(queued) ? queued[t->queued] : " ?",
                t == current_thread ? "  <- current" : "");
#else
        kprintf("%-24s %8lx %-24s %4u %4u%s\n", name, get_register(t, REG_NEXT_PC), kstate_thread_state_name(t->state),
                t->priority, t->mcp, t == current_thread ? "  <- current" : "");
#endif
    }
}

void debug_name_thread(tcb_t *caller)
{
    lookup_fault_t fault;
    cap_t cap = lookup_cap(caller, get_register(caller, REG_CAP), &fault);
    word_t *buffer = ipc_buffer_of(caller);
    if (cap_get_type(cap) != cap_thread || !buffer)
        return;     /* seL4 ignores bad arguments here */
    tcb_t *target = tcb_from_cap(cap);
#ifdef CONFIG_DEBUG_BUILD
    const char *name = (const char *)(buffer + 1);  /* the message words */
    size_t len = strnlen(name, sizeof(target->name) - 1);
    memcpy(target->name, name, len);
    target->name[len] = '\0';
#else
    (void)target;
#endif
}

#if CONFIG_MAX_NUM_NODES > 1
void debug_send_ipi(tcb_t *caller)
{
    word_t core = get_register(caller, REG_CAP), sgi = get_register(caller, REG_MSG_INFO);
    if (core >= CONFIG_MAX_NUM_NODES || sgi > 15) {
        kprintf("KERNEL|WARN: DebugSendIPI: no core %lu or SGI %lu: ignored\n", core, sgi);
        return;
    }
    irqchip_send_sgi((unsigned)sgi, (unsigned)core);
}

void debug_thread_affinity(tcb_t *caller)
{
    lookup_fault_t fault;
    cap_t cap = lookup_cap(caller, get_register(caller, REG_CAP), &fault);
    if (cap_get_type(cap) != cap_thread) {
        kprintf("KERNEL|WARN: DebugGetThreadAffinity: not a TCB cap\n");
        set_register(caller, REG_CAP, ~0ull);
        return;
    }
    set_register(caller, REG_CAP, tcb_core(cap_get_ptr(cap)));
}
#endif

void debug_cap_identify(tcb_t *caller)
{
    lookup_fault_t fault;
    cap_t cap = lookup_cap(caller, get_register(caller, REG_CAP), &fault);
    set_register(caller, REG_CAP, cap_get_type(cap));
}
