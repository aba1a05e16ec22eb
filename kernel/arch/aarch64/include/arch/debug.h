/*
 * Hardware debugging of user threads (CONFIG_HARDWARE_DEBUG_API): seL4's
 * hardware-debug API on AArch64. Each thread has its own breakpoint and
 * watchpoint register values and single-step state, kept in its TCB; the
 * switch path loads them into the debug registers only when it enters a
 * thread that uses them, or leaves the registers of one that did, so a
 * thread that never uses the API pays one comparison per switch. Debug
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
    word_t step_count;          /* instructions left to the next step fault */
} arch_debug_state_t;

/* A breakpoint as TCB_GetBreakpoint reports it. */
typedef struct arch_breakpoint {
    word_t vaddr, type, size, rw;
    bool enabled;
} arch_breakpoint_t;

/* The thread whose registers the hardware holds (NULL: all disabled;
   ARCH_DEBUG_HW_STALE: unknown, reload on the next switch). */
extern struct tcb *arch_debug_hw_owner;
#define ARCH_DEBUG_HW_STALE ((struct tcb *)1)

void arch_debug_init(void);
/* Make the hardware hold t's debug state (out of line: the rare case). */
void arch_debug_load(struct tcb *t);
/* t's state changed or t is going away: the hardware must not keep it. */
void arch_debug_invalidate(struct tcb *t);

/* Breakpoint and watchpoint slots (ids checked by the caller). */
void arch_debug_set_breakpoint(struct tcb *t, unsigned id, word_t vaddr, word_t type,
                               word_t size, word_t rw);
arch_breakpoint_t arch_debug_get_breakpoint(const struct tcb *t, unsigned id);
void arch_debug_unset_breakpoint(struct tcb *t, unsigned id);
/* Fault after n instructions (0: stop stepping); true if a breakpoint
   register was consumed for it (never on AArch64). */
bool arch_debug_configure_single_step(struct tcb *t, word_t n);
bool arch_debug_single_stepping(const struct tcb *t);

/* A debug exception taken from t at user level (ESR in `esr`): deliver
   the DebugException fault, or let t step on silently. */
void arch_debug_exception(struct tcb *t, word_t esr);
bool arch_is_debug_exception(word_t esr);

#endif /* CONFIG_HARDWARE_DEBUG_API */

#endif
