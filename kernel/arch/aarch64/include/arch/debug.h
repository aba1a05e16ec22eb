/*
 * Hardware debugging of user threads (CONFIG_HARDWARE_DEBUG_API): seL4's
 * hardware-debug API on AArch64. Each thread has its own breakpoint and
 * watchpoint register values and single-step state, kept in its TCB; the
 * switch path loads them into the debug registers only when it enters a
 * thread that uses them, or leaves the registers of one that did; while no
 * thread uses the API the switch pays one load and one branch. Debug
 * exceptions (breakpoint, watchpoint, software step, BRK) become seL4's
 * DebugException fault.
 *
 * API breakpoint ids: 0..5 the instruction breakpoints (DBGBVR/DBGBCR<n>),
 * 6..9 the watchpoints (DBGWVR/DBGWCR<id - 6>); single-stepping uses
 * MDSCR_EL1.SS and SPSR.SS, no breakpoint register.
 */
#ifndef ARCH_DEBUG_H
#define ARCH_DEBUG_H

#ifdef CONFIG_HARDWARE_DEBUG_API

#include <kernel/types.h>
#include <sel4/abi.h>

struct tcb;

/* A thread's debug state (tcb_t.debug); all zero: nothing set. */
typedef struct arch_debug_state {
    word_t bvr[seL4_NumExclusiveBreakpoints];
    word_t bcr[seL4_NumExclusiveBreakpoints];
    word_t wvr[seL4_NumExclusiveWatchpoints];
    word_t wcr[seL4_NumExclusiveWatchpoints];
    uint32_t used;              /* bit n: API breakpoint n is set */
    bool single_step;           /* stepping: a fault every step_count instructions */
    bool active;                /* used or single_step: counted in the in-use word */
    word_t step_count;          /* instructions left to the next step fault */
} arch_debug_state_t;

/* A breakpoint as TCB_GetBreakpoint reports it. */
typedef struct arch_breakpoint {
    word_t vaddr, type, size, rw;
    bool enabled;
} arch_breakpoint_t;

/* Non-zero while some thread has debug state or the hardware holds some:
   only then does the switch path look further (arch_debug_switch). */
extern word_t arch_debug_in_use;

void arch_debug_init(void);
/* Entering t: load its debug registers, or clear the previous thread's. */
void arch_debug_switch(struct tcb *t);
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* A guest ran (its VCPU was just disabled): reload before the next native
   thread. */
void arch_debug_guest_ran(void);
#endif
/* t is going away: its debug state goes with it. */
void arch_debug_forget(struct tcb *t);

/* Breakpoint and watchpoint slots (ids checked by the caller). */
void arch_debug_set_breakpoint(struct tcb *t, unsigned id, word_t vaddr, word_t type,
                               word_t size, word_t rw);
arch_breakpoint_t arch_debug_get_breakpoint(const struct tcb *t, unsigned id);
void arch_debug_unset_breakpoint(struct tcb *t, unsigned id);
/* Fault after n instructions (0: stop stepping); true if a breakpoint
   register was consumed for it (never on AArch64). */
bool arch_debug_configure_single_step(struct tcb *t, word_t n);
bool arch_debug_single_stepping(const struct tcb *t);

/* A debug exception taken from t at user level (ESR in `esr`: breakpoint,
   software step, watchpoint or BRK): deliver the DebugException fault, or
   let t step on silently. */
void arch_debug_exception(struct tcb *t, word_t esr);

/* Breakpoint, software step, watchpoint (from a lower EL) or BRK? */
static inline bool arch_is_debug_exception(word_t esr)
{
    unsigned ec = (esr >> 26) & 0x3f;
    return ec == 0x30 || ec == 0x32 || ec == 0x34 || ec == 0x3c;
}

#endif /* CONFIG_HARDWARE_DEBUG_API */

#endif
