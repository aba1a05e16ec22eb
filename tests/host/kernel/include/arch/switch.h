/*
 * Host stand-in for kernel/include/arch/switch.h: there are no system
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

#endif
