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
 *
 * The EL2 (hypervisor) kernel, as seL4 with hypervisor support: native
 * threads run with HCR_EL2.TGE and MDCR_EL2.TDE (debug exceptions from
 * EL0 come to EL2) and TDA, TDOSA, TDRA (their debug-register accesses
 * trap). A thread with a VCPU runs its guest with those traps off and the
 * guest's own debug registers, MDSCR_EL1 and OS locks (kept in its VCPU
 * while a native thread's or another guest's are loaded), so a guest
 * debugs itself. Only while the thread itself has API state (a VMM
 * debugging its guest's EL0 through the TCB) does its API state replace
 * the guest's, traps on, and its debug exceptions become DebugException
 * faults.
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

#ifdef CONFIG_KERNEL_EL2
/* A guest's own debug registers (vcpu_t.debug) while they are not in the
   hardware. */
typedef struct arch_guest_debug_state {
    word_t bvr[seL4_NumExclusiveBreakpoints];
    word_t bcr[seL4_NumExclusiveBreakpoints];
    word_t wvr[seL4_NumExclusiveWatchpoints];
    word_t wcr[seL4_NumExclusiveWatchpoints];
    word_t mdscr;
    word_t os_lock, os_double_lock;     /* OSLSR_EL1.OSLK, OSDLR_EL1.DLK */
} arch_guest_debug_state_t;

struct vcpu;
/* The VCPU switch (arch/aarch64/vcpu.c): `v`'s guest runs now (its debug
   registers into the hardware unless they still are, traps off) ... */
void arch_debug_guest_enable(struct vcpu *v);
/* ... native threads run now (the guest's MDSCR_EL1 saved, traps on) ... */
void arch_debug_guest_disable(void);
/* ... `v`'s state goes to memory: another VCPU is loaded, or `v` goes. */
void arch_debug_guest_save(struct vcpu *v);
#endif

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
