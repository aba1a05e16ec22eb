/*
 * seL4's hardware-debug API on AArch64 (CONFIG_HARDWARE_DEBUG_API): the
 * register encodings of breakpoints and watchpoints, loading a thread's
 * debug state on the switch path, and debug exceptions taken from EL0.
 * arch/debug.h explains the model; kernel/src/tcb_debug.c decodes the
 * invocations and src/fault.c sends the fault.
 *
 * Breakpoints match instruction addresses at EL0 only (PMC = EL0), on the
 * whole 4-byte instruction; watchpoints match data accesses at EL0 only
 * (PAC = EL0) of 1, 2, 4 or 8 bytes at an address aligned to the size: the
 * value register holds the doubleword, the byte-address-select field the
 * bytes within it. The kernel's own accesses to user memory go through its
 * physical-memory window at its own level and never match.
 *
 * Under an EL2 kernel (hypervisor configuration) the same EL1 debug
 * registers serve: native threads run at EL0 with HCR_EL2.TGE set, which
 * routes their debug exceptions to EL2 (as MDCR_EL2.TDE would), and the
 * kernel reads the watchpoint's address from FAR_EL2. A guest runs with
 * TGE clear and uses the registers itself, its debug exceptions going to
 * its own EL1; so after a guest ran, the next native thread reloads all of
 * them (arch_debug_guest_ran). The API debugs native threads: a thread
 * with a VCPU runs with the registers cleared of other threads' state and
 * its own debug state is not loaded (its exceptions would go to its guest
 * kernel, which owns the registers then).
 */
#include <arch/debug.h>
#include <arch/sysreg.h>
#include <arch/registers.h>
#include <kernel/fault.h>
#include <kernel/assert.h>
#include <kernel/print.h>
#include <object/structures.h>

#define MDSCR_SS        BIT(0)      /* software step enabled */
#define MDSCR_KDE       BIT(13)     /* debug exceptions at EL1: never */
#define MDSCR_MDE       BIT(15)     /* breakpoint and watchpoint exceptions */
#define SPSR_SS         BIT(21)     /* step the next instruction on eret */

#define DBGBCR_E        BIT(0)
#define DBGBCR_PMC_EL0  (2u << 1)
#define DBGBCR_BAS_WORD (0xfu << 5) /* the whole A64 instruction */
#define DBGWCR_E        BIT(0)
#define DBGWCR_PAC_EL0  (2u << 1)
#define DBGWCR_LSC_SHIFT 3          /* 1: loads, 2: stores, 3: both */
#define DBGWCR_BAS_SHIFT 5          /* one bit per byte of the doubleword */

word_t arch_debug_in_use;
/* The thread whose registers the hardware holds (NULL: all disabled;
   HW_STALE: unknown, reload at the next switch), and how many threads have
   debug state. */
static tcb_t *hw_owner;
#define HW_STALE ((tcb_t *)1)
static word_t active_threads;
/* A guest (hypervisor configuration) ran since the registers were last
   loaded: it owns the EL1 debug registers while it runs (MDCR_EL2 does not
   trap them) and may have changed any of them, the OS lock too. */
static bool guest_ran;

static void update_in_use(void)
{
    arch_debug_in_use = active_threads | (hw_owner != NULL);
}

/* After t's state changed: count it, and make the hardware reload it. */
static void state_changed(tcb_t *t)
{
    bool active = t->debug.used || t->debug.single_step;
    if (active != t->debug.active) {
        active_threads += active ? 1 : -1;
        t->debug.active = active;
    }
    if (hw_owner == t)
        hw_owner = HW_STALE;
    update_in_use();
}

/* ---------------------------------------------------------------- registers */

/* The debug registers are named by number in the instruction: one case per
   register pair, for the pairs the API uses (6 breakpoints, 4 watchpoints). */
#define DEBUG_REG_CASE(n, vr, cr, value, control)                              \
    case n:                                                                    \
        write_sysreg(vr##n##_el1, value);                                      \
        write_sysreg(cr##n##_el1, control);                                    \
        break;

static void write_breakpoint(unsigned n, word_t value, word_t control)
{
    switch (n) {
    DEBUG_REG_CASE(0, dbgbvr, dbgbcr, value, control)
    DEBUG_REG_CASE(1, dbgbvr, dbgbcr, value, control)
    DEBUG_REG_CASE(2, dbgbvr, dbgbcr, value, control)
    DEBUG_REG_CASE(3, dbgbvr, dbgbcr, value, control)
    DEBUG_REG_CASE(4, dbgbvr, dbgbcr, value, control)
    DEBUG_REG_CASE(5, dbgbvr, dbgbcr, value, control)
    default:
        break;
    }
}

static void write_watchpoint(unsigned n, word_t value, word_t control)
{
    switch (n) {
    DEBUG_REG_CASE(0, dbgwvr, dbgwcr, value, control)
    DEBUG_REG_CASE(1, dbgwvr, dbgwcr, value, control)
    DEBUG_REG_CASE(2, dbgwvr, dbgwcr, value, control)
    DEBUG_REG_CASE(3, dbgwvr, dbgwcr, value, control)
    default:
        break;
    }
}

_Static_assert(seL4_NumExclusiveBreakpoints == 6 && seL4_NumExclusiveWatchpoints == 4,
               "one DEBUG_REG_CASE per register pair");

/* The OS lock (locked at reset) and double lock keep debug exceptions
   from being taken at all. */
static void unlock(void)
{
    write_sysreg(oslar_el1, 0);
    write_sysreg(osdlr_el1, 0);
}

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
void arch_debug_guest_ran(void)
{
    guest_ran = true;
    hw_owner = HW_STALE;
    update_in_use();
}
#endif

void arch_debug_init(void)
{
    word_t dfr0 = read_sysreg(id_aa64dfr0_el1);
    unsigned breakpoints = ((dfr0 >> 12) & 0xf) + 1, watchpoints = ((dfr0 >> 20) & 0xf) + 1;
    if (breakpoints < seL4_NumExclusiveBreakpoints || watchpoints < seL4_NumExclusiveWatchpoints)
        kernel_panic("hardware debug API: the CPU has %u breakpoints and %u watchpoints, the "
                     "API needs %u and %u", breakpoints, watchpoints,
                     seL4_NumExclusiveBreakpoints, seL4_NumExclusiveWatchpoints);
    unlock();
    for (unsigned n = 0; n < seL4_NumExclusiveBreakpoints; n++)
        write_breakpoint(n, 0, 0);
    for (unsigned n = 0; n < seL4_NumExclusiveWatchpoints; n++)
        write_watchpoint(n, 0, 0);
    word_t mdscr = read_sysreg(mdscr_el1);
    write_sysreg(mdscr_el1, (mdscr | MDSCR_MDE) & ~(MDSCR_SS | MDSCR_KDE));
    isb();
    hw_owner = NULL;
    active_threads = 0;
    update_in_use();
}

static bool is_guest(const tcb_t *t)
{
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    return t->arch.vcpu != NULL;
#else
    (void)t;
    return false;
#endif
}

static void load(tcb_t *t)
{
    const arch_debug_state_t *d = t->debug.active && !is_guest(t) ? &t->debug : NULL;
    for (unsigned n = 0; n < seL4_NumExclusiveBreakpoints; n++) {
        bool on = d && (d->used & BIT(n));
        write_breakpoint(n, on ? d->bvr[n] : 0, on ? d->bcr[n] : 0);
    }
    for (unsigned n = 0; n < seL4_NumExclusiveWatchpoints; n++) {
        bool on = d && (d->used & BIT(seL4_FirstWatchpoint + n));
        write_watchpoint(n, on ? d->wvr[n] : 0, on ? d->wcr[n] : 0);
    }
    if (guest_ran) {
        unlock();
        guest_ran = false;
    }
    /* MDE and KDE again too: a guest may have changed them. */
    word_t mdscr = (read_sysreg(mdscr_el1) & ~(MDSCR_SS | MDSCR_KDE)) | MDSCR_MDE;
    write_sysreg(mdscr_el1, mdscr | (d && d->single_step ? MDSCR_SS : 0));
    /* The eret that enters the thread synchronises the context. */
    hw_owner = d ? t : NULL;
    update_in_use();
}

void arch_debug_switch(tcb_t *t)
{
    if (t != hw_owner && (t->debug.active || hw_owner))
        load(t);
}

void arch_debug_forget(tcb_t *t)
{
    t->debug.used = 0;
    t->debug.single_step = false;
    state_changed(t);
}

/* ---------------------------------------------------------------- the API */

static bool is_watchpoint(unsigned id)
{
    return id >= seL4_FirstWatchpoint;
}

void arch_debug_set_breakpoint(tcb_t *t, unsigned id, word_t vaddr, word_t type, word_t size,
                               word_t rw)
{
    arch_debug_state_t *d = &t->debug;
    if (type == seL4_InstructionBreakpoint) {
        d->bvr[id] = vaddr;
        d->bcr[id] = DBGBCR_E | DBGBCR_PMC_EL0 | DBGBCR_BAS_WORD;
    } else {
        unsigned n = id - seL4_FirstWatchpoint;
        static const word_t lsc[] = { [seL4_BreakOnRead] = 1, [seL4_BreakOnWrite] = 2,
                                      [seL4_BreakOnReadWrite] = 3 };
        word_t bytes = MASK(size) << (vaddr & 7);   /* aligned: within the doubleword */
        d->wvr[n] = vaddr & ~(word_t)7;
        d->wcr[n] = DBGWCR_E | DBGWCR_PAC_EL0 | (lsc[rw] << DBGWCR_LSC_SHIFT) |
                    (bytes << DBGWCR_BAS_SHIFT);
    }
    d->used |= (uint32_t)BIT(id);
    state_changed(t);
}

/* As seL4 reports a watchpoint register that was never set (all zero):
   size 4, read-write. */
static word_t watch_size(word_t bas)
{
    word_t bytes = 0;
    for (; bas; bas &= bas - 1)
        bytes++;
    return bytes ? bytes : 4;
}

static word_t watch_access(word_t lsc)
{
    return lsc == 1 ? seL4_BreakOnRead : lsc == 2 ? seL4_BreakOnWrite : seL4_BreakOnReadWrite;
}

arch_breakpoint_t arch_debug_get_breakpoint(const tcb_t *t, unsigned id)
{
    const arch_debug_state_t *d = &t->debug;
    if (!is_watchpoint(id))
        return (arch_breakpoint_t){ .vaddr = d->bvr[id], .type = seL4_InstructionBreakpoint,
                                    .size = 0, .rw = seL4_BreakOnRead,
                                    .enabled = d->bcr[id] & DBGBCR_E };
    unsigned n = id - seL4_FirstWatchpoint;
    word_t bas = (d->wcr[n] >> DBGWCR_BAS_SHIFT) & 0xff;
    word_t vaddr = d->wvr[n] ? d->wvr[n] + (bas ? (word_t)__builtin_ctzll(bas) : 0) : 0;
    return (arch_breakpoint_t){ .vaddr = vaddr, .type = seL4_DataBreakpoint,
                                .size = watch_size(bas),
                                .rw = watch_access((d->wcr[n] >> DBGWCR_LSC_SHIFT) & 3),
                                .enabled = d->wcr[n] & DBGWCR_E };
}

/* seL4 clears the enable bit and the address and keeps the rest. */
void arch_debug_unset_breakpoint(tcb_t *t, unsigned id)
{
    arch_debug_state_t *d = &t->debug;
    if (!is_watchpoint(id)) {
        d->bcr[id] &= ~(word_t)DBGBCR_E;
        d->bvr[id] = 0;
    } else {
        unsigned n = id - seL4_FirstWatchpoint;
        d->wcr[n] &= ~(word_t)DBGWCR_E;
        d->wvr[n] = 0;
    }
    d->used &= ~(uint32_t)BIT(id);
    state_changed(t);
}

/* The next eret executes one instruction, then the step exception comes. */
static void arm_step(tcb_t *t, bool on)
{
    word_t spsr = get_register(t, REG_SPSR) & ~(word_t)SPSR_SS;
    set_register(t, REG_SPSR, spsr | (on ? SPSR_SS : 0));
}

bool arch_debug_configure_single_step(tcb_t *t, word_t n)
{
    t->debug.single_step = n > 0;
    t->debug.step_count = n;
    arm_step(t, n > 0);
    state_changed(t);
    return true;
}

bool arch_debug_single_stepping(const tcb_t *t)
{
    return t->debug.single_step;
}

/* ---------------------------------------------------------------- exceptions */

/* The enabled breakpoint at pc (0 if none: a stale match). */
static unsigned breakpoint_at(const tcb_t *t, word_t pc)
{
    for (unsigned n = 0; n < seL4_NumExclusiveBreakpoints; n++)
        if ((t->debug.bcr[n] & DBGBCR_E) && t->debug.bvr[n] == pc)
            return n;
    return 0;
}

/* The enabled watchpoint whose bytes hold `address`, else the one whose
   doubleword does, else the first enabled one (the fault names its id). */
static unsigned watchpoint_at(const tcb_t *t, word_t address)
{
    int doubleword = -1, any = -1;
    for (unsigned n = 0; n < seL4_NumExclusiveWatchpoints; n++) {
        word_t wcr = t->debug.wcr[n];
        if (!(wcr & DBGWCR_E))
            continue;
        word_t bas = (wcr >> DBGWCR_BAS_SHIFT) & 0xff, base = t->debug.wvr[n];
        if (address >= base && address < base + 8) {
            if (bas & BIT(address - base))
                return seL4_FirstWatchpoint + n;
            if (doubleword < 0)
                doubleword = (int)n;
        }
        if (any < 0)
            any = (int)n;
    }
    return seL4_FirstWatchpoint + (unsigned)(doubleword >= 0 ? doubleword : any >= 0 ? any : 0);
}

void arch_debug_exception(tcb_t *t, word_t esr)
{
    word_t pc = get_register(t, REG_RESTART_PC);
    switch (esr_class(esr)) {
    case ESR_EC_BREAKPOINT_LOWER:
        fault_debug_exception(t, seL4_InstructionBreakpoint, pc, breakpoint_at(t, pc));
        return;
    case ESR_EC_WATCHPOINT_LOWER: {
        word_t address = read_kreg(far);
        fault_debug_exception(t, seL4_DataBreakpoint, address, watchpoint_at(t, address));
        return;
    }
    case ESR_EC_STEP_LOWER:
        if (!t->debug.single_step)
            return;     /* stepping was switched off meanwhile: run on */
        if (t->debug.step_count > 0)
            t->debug.step_count--;
        if (t->debug.step_count > 0) {
            arm_step(t, true);      /* more instructions to go before the fault */
            return;
        }
        fault_debug_exception(t, seL4_SingleStep, pc, 0);
        return;
    default:    /* BRK */
        fault_debug_exception(t, seL4_SoftwareBreakRequest, pc, 0);
        return;
    }
}
