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
 * physical-memory window at its own EL and never match.
 *
 * Under the EL2 kernel the same registers serve, with debug exceptions
 * from EL0 routed to EL2 (HCR_EL2.TGE, MDCR_EL2.TDE): ESR_EL2 and FAR_EL2
 * describe them and SPSR_EL2.SS steps. Guests keep their own debug state
 * (arch/debug.h, "guests" below).
 */
#include <arch/debug.h>
#include <arch/sysreg.h>
#include <arch/registers.h>
#include <kernel/fault.h>
#include <kernel/assert.h>
#include <kernel/print.h>
#include <object/structures.h>
#include <kernel/node.h>
#ifdef CONFIG_KERNEL_EL2
#include <arch/vcpu.h>
#endif

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

/* MDCR_EL2: debug exceptions from EL1/EL0 to EL2 (TDE), and their accesses
   to debug registers (TDA), OS lock registers (TDOSA) and the debug ROM
   (TDRA) trap to EL2; the architecture wants all four once TDE is set. */
#define MDCR_TDE        BIT(8)
#define MDCR_TDA        BIT(9)
#define MDCR_TDOSA      BIT(10)
#define MDCR_TDRA       BIT(11)
#define MDCR_NATIVE_TRAPS (MDCR_TDE | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)

word_t arch_debug_in_use;
/* The thread whose registers this core's hardware holds (NULL: all
   disabled; HW_STALE: unknown, reload at the next switch), and how many
   threads have debug state (all cores: the kernel lock keeps both). */
#define hw_owner (NODE->arch.debug_owner)
#define HW_STALE ((tcb_t *)1)
static word_t active_threads;

/* Does the switch path have work anywhere? Some thread has state, or some
   core's hardware still holds a thread's. */
static void update_in_use(void)
{
    word_t in_use = active_threads;
    for (unsigned core = 0; core < CONFIG_MAX_NUM_NODES; core++)
        in_use |= nodes[core].arch.debug_owner != NULL;
    arch_debug_in_use = in_use;
}

/* After t's state changed: count it, and make every core that holds it
   reload it (t does not run meanwhile: decode_tcb stalled it). */
static void state_changed(tcb_t *t)
{
    bool active = t->debug.used || t->debug.single_step;
    if (active != t->debug.active) {
        active_threads += active ? 1 : -1;
        t->debug.active = active;
    }
    for (unsigned core = 0; core < CONFIG_MAX_NUM_NODES; core++)
        if (nodes[core].arch.debug_owner == t)
            nodes[core].arch.debug_owner = HW_STALE;
    update_in_use();
}

/* ---------------------------------------------------------------- registers */

/* The debug registers are named by number in the instruction: one case per
   register pair, for the pairs the API uses (6 breakpoints, 4 watchpoints);
   `write`: set them to *value and *control, else read them into those. */
#define DEBUG_REG_CASE(n, vr, cr)                                              \
    case n:                                                                    \
        if (write) {                                                           \
            write_sysreg(vr##n##_el1, *value);                                 \
            write_sysreg(cr##n##_el1, *control);                               \
        } else {                                                               \
            *value = read_sysreg(vr##n##_el1);                                 \
            *control = read_sysreg(cr##n##_el1);                               \
        }                                                                      \
        break;

static void breakpoint_regs(unsigned n, bool write, word_t *value, word_t *control)
{
    switch (n) {
    DEBUG_REG_CASE(0, dbgbvr, dbgbcr)
    DEBUG_REG_CASE(1, dbgbvr, dbgbcr)
    DEBUG_REG_CASE(2, dbgbvr, dbgbcr)
    DEBUG_REG_CASE(3, dbgbvr, dbgbcr)
    DEBUG_REG_CASE(4, dbgbvr, dbgbcr)
    DEBUG_REG_CASE(5, dbgbvr, dbgbcr)
    default:
        break;
    }
}

static void watchpoint_regs(unsigned n, bool write, word_t *value, word_t *control)
{
    switch (n) {
    DEBUG_REG_CASE(0, dbgwvr, dbgwcr)
    DEBUG_REG_CASE(1, dbgwvr, dbgwcr)
    DEBUG_REG_CASE(2, dbgwvr, dbgwcr)
    DEBUG_REG_CASE(3, dbgwvr, dbgwcr)
    default:
        break;
    }
}

static void write_breakpoint(unsigned n, word_t value, word_t control)
{
    breakpoint_regs(n, true, &value, &control);
}

static void write_watchpoint(unsigned n, word_t value, word_t control)
{
    watchpoint_regs(n, true, &value, &control);
}

_Static_assert(seL4_NumExclusiveBreakpoints == 6 && seL4_NumExclusiveWatchpoints == 4,
               "one DEBUG_REG_CASE per register pair");

/* ---------------------------------------------------------------- guests */

#ifdef CONFIG_KERNEL_EL2
/*
 * The hardware holds the breakpoint, watchpoint and OS-lock registers of
 * `hw_guest` (the loaded VCPU whose guest last ran, until a native thread's
 * API state or another VCPU's registers replace them); its MDSCR_EL1 only
 * while the guest is enabled (`guest_owns_mdscr`): native threads run with
 * breakpoint and watchpoint exceptions off (MDSCR_EL1.MDE clear) unless
 * their own API state is loaded, so a guest's registers left in place
 * never fire for them.
 */
#define hw_guest (NODE->arch.debug_guest)
#define guest_owns_mdscr (NODE->arch.debug_guest_mdscr)

static void set_native_traps(bool native)
{
    word_t mdcr = read_sysreg(mdcr_el2);
    word_t want = native ? mdcr | MDCR_NATIVE_TRAPS : mdcr & ~(word_t)MDCR_NATIVE_TRAPS;
    if (want != mdcr)
        write_sysreg(mdcr_el2, want);
}

/* The guest's registers from the hardware into its VCPU. */
static void guest_evict(void)
{
    struct vcpu *v = hw_guest;
    if (!v)
        return;
    assert(v == vcpu_loaded);
    arch_guest_debug_state_t *g = &v->debug;
    for (unsigned n = 0; n < seL4_NumExclusiveBreakpoints; n++)
        breakpoint_regs(n, false, &g->bvr[n], &g->bcr[n]);
    for (unsigned n = 0; n < seL4_NumExclusiveWatchpoints; n++)
        watchpoint_regs(n, false, &g->wvr[n], &g->wcr[n]);
    if (guest_owns_mdscr)
        g->mdscr = read_sysreg(mdscr_el1);
    g->os_lock = (read_sysreg(oslsr_el1) >> 1) & 1;
    g->os_double_lock = read_sysreg(osdlr_el1) & 1;
    /* Unlocked, or no debug exception would be taken for native threads. */
    write_sysreg(oslar_el1, 0);
    write_sysreg(osdlr_el1, 0);
    write_sysreg(mdscr_el1, 0);
    hw_guest = NULL;
    guest_owns_mdscr = false;
}

void arch_debug_guest_enable(struct vcpu *v)
{
    if (hw_guest != v) {
        guest_evict();
        const arch_guest_debug_state_t *g = &v->debug;
        for (unsigned n = 0; n < seL4_NumExclusiveBreakpoints; n++)
            write_breakpoint(n, g->bvr[n], g->bcr[n]);
        for (unsigned n = 0; n < seL4_NumExclusiveWatchpoints; n++)
            write_watchpoint(n, g->wvr[n], g->wcr[n]);
        write_sysreg(osdlr_el1, g->os_double_lock);
        write_sysreg(oslar_el1, g->os_lock);
        hw_guest = v;
    }
    if (!guest_owns_mdscr) {
        write_sysreg(mdscr_el1, v->debug.mdscr);
        guest_owns_mdscr = true;
    }
    set_native_traps(false);
    /* No thread's API state is in the hardware any more. */
    hw_owner = NULL;
    update_in_use();
}

void arch_debug_guest_disable(void)
{
    if (guest_owns_mdscr) {
        hw_guest->debug.mdscr = read_sysreg(mdscr_el1);
        write_sysreg(mdscr_el1, 0);
        guest_owns_mdscr = false;
    }
    set_native_traps(true);
}

void arch_debug_guest_save(struct vcpu *v)
{
    if (v == hw_guest)
        guest_evict();
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
    /* The OS lock (locked at reset) and double lock keep debug exceptions
       from being taken at all. */
    write_sysreg(oslar_el1, 0);
    write_sysreg(osdlr_el1, 0);
    for (unsigned n = 0; n < seL4_NumExclusiveBreakpoints; n++)
        write_breakpoint(n, 0, 0);
    for (unsigned n = 0; n < seL4_NumExclusiveWatchpoints; n++)
        write_watchpoint(n, 0, 0);
    /* No breakpoint or watchpoint exceptions until a thread has some (load),
       none at the kernel's own EL (KDE). */
    write_sysreg(mdscr_el1, 0);
#ifdef CONFIG_KERNEL_EL2
    set_native_traps(true);
    hw_guest = NULL;
    guest_owns_mdscr = false;
#endif
    isb();
    /* This core's hardware holds nobody's (active_threads counts from
       the boot's zero: a later core's start changes nothing). */
    hw_owner = NULL;
    update_in_use();
}

static void load(tcb_t *t)
{
    const arch_debug_state_t *d = t->debug.active ? &t->debug : NULL;
#ifdef CONFIG_KERNEL_EL2
    guest_evict();      /* a guest's registers in the hardware: to its VCPU */
    set_native_traps(true);     /* a VCPU thread's guest too, while debugged */
#endif
    for (unsigned n = 0; n < seL4_NumExclusiveBreakpoints; n++) {
        bool on = d && (d->used & BIT(n));
        write_breakpoint(n, on ? d->bvr[n] : 0, on ? d->bcr[n] : 0);
    }
    for (unsigned n = 0; n < seL4_NumExclusiveWatchpoints; n++) {
        bool on = d && (d->used & BIT(seL4_FirstWatchpoint + n));
        write_watchpoint(n, on ? d->wvr[n] : 0, on ? d->wcr[n] : 0);
    }
    write_sysreg(mdscr_el1, (d ? MDSCR_MDE : 0) | (d && d->single_step ? MDSCR_SS : 0));
    /* The eret that enters the thread synchronises the context. */
    hw_owner = d ? t : NULL;
    update_in_use();
}

void arch_debug_switch(tcb_t *t)
{
#ifdef CONFIG_KERNEL_EL2
    /* A guest without API state runs with its own registers, which the
       VCPU switch put in place unless API state is still loaded. */
    if (t->arch.vcpu && !t->debug.active) {
        if (hw_owner)
            arch_debug_guest_enable(t->arch.vcpu);
        return;
    }
#endif
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
