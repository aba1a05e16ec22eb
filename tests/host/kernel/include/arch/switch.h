/*
 * Host stand-in for kernel/arch/aarch64/include/arch/switch.h: there are no system
 * registers to load, so a switch is counted (host.c) and nothing else.
 */
#ifndef ARCH_SWITCH_H
#define ARCH_SWITCH_H

#include <object/structures.h>

void host_switch_to_thread(tcb_t *t);

static inline void arch_switch_to_thread(tcb_t *t)
{
    host_switch_to_thread(t);
}

/* host.c: returns to the test waiting for user level (longjmp). */
_Noreturn void restore_user_context(user_context_t *ctx);

static inline _Noreturn void arch_enter_user(tcb_t *t)
{
    restore_user_context(&t->arch.ctx);
}

#endif
