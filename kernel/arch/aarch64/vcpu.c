/*
 * Virtual CPUs: binding to threads, switching the hardware between guests
 * and native threads, and the events only a running guest causes (trapped
 * instructions, its virtual timer, completed virtual interrupts). See
 * arch/vcpu.h for the model; the invocations are in vcpu_invocations.c.
 */
#include <arch/vcpu.h>
#include <arch/sysreg.h>
#include <arch/registers.h>
#include <arch/mmu.h>
#include <arch/switch.h>
#include <arch/cpu_state.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/fault.h>
#include <kernel/assert.h>
#include <irqchip.h>

/* The ESR of an exception without a class (undefined instruction): a user
   exception for its handler rather than a VCPU fault, as in seL4. */
#define ESR_UNKNOWN_32BIT_INSN  BIT(25)

unsigned vgic_list_regs;

/* ---------------------------------------------------------------- EL1 registers */

static word_t hw_read(word_t reg)
{
    switch (reg) {
    case seL4_VCPUReg_SCTLR:        return read_sysreg(sctlr_el1);
    case seL4_VCPUReg_CPACR:        return read_sysreg(cpacr_el1);
    case seL4_VCPUReg_TTBR0:        return read_sysreg(ttbr0_el1);
    case seL4_VCPUReg_TTBR1:        return read_sysreg(ttbr1_el1);
    case seL4_VCPUReg_TCR:          return read_sysreg(tcr_el1);
    case seL4_VCPUReg_MAIR:         return read_sysreg(mair_el1);
    case seL4_VCPUReg_AMAIR:        return read_sysreg(amair_el1);
    case seL4_VCPUReg_CIDR:         return read_sysreg(contextidr_el1);
    case seL4_VCPUReg_ACTLR:        return read_sysreg(actlr_el1);
    case seL4_VCPUReg_AFSR0:        return read_sysreg(afsr0_el1);
    case seL4_VCPUReg_AFSR1:        return read_sysreg(afsr1_el1);
    case seL4_VCPUReg_ESR:          return read_sysreg(esr_el1);
    case seL4_VCPUReg_FAR:          return read_sysreg(far_el1);
    case seL4_VCPUReg_PAR:          return read_sysreg(par_el1);
    case seL4_VCPUReg_VBAR:         return read_sysreg(vbar_el1);
    case seL4_VCPUReg_TPIDR_EL1:    return read_sysreg(tpidr_el1);
    case seL4_VCPUReg_VMPIDR_EL2:   return read_sysreg(vmpidr_el2);
    case seL4_VCPUReg_SP_EL1:       return read_sysreg(sp_el1);
    case seL4_VCPUReg_ELR_EL1:      return read_sysreg(elr_el1);
    case seL4_VCPUReg_SPSR_EL1:     return read_sysreg(spsr_el1);
    case seL4_VCPUReg_CNTV_CTL:     return read_sysreg(cntv_ctl_el0);
    case seL4_VCPUReg_CNTV_CVAL:    return read_sysreg(cntv_cval_el0);
    case seL4_VCPUReg_CNTVOFF:      return read_sysreg(cntvoff_el2);
    case seL4_VCPUReg_CNTKCTL_EL1:  return read_sysreg(cntkctl_el1);
    default:
        assert(!"VCPU register index");
        return 0;
    }
}

static void hw_write(word_t reg, word_t v)
{
    switch (reg) {
    case seL4_VCPUReg_SCTLR:        write_sysreg(sctlr_el1, v); break;
    case seL4_VCPUReg_CPACR:        write_sysreg(cpacr_el1, v); break;
    case seL4_VCPUReg_TTBR0:        write_sysreg(ttbr0_el1, v); break;
    case seL4_VCPUReg_TTBR1:        write_sysreg(ttbr1_el1, v); break;
    case seL4_VCPUReg_TCR:          write_sysreg(tcr_el1, v); break;
    case seL4_VCPUReg_MAIR:         write_sysreg(mair_el1, v); break;
    case seL4_VCPUReg_AMAIR:        write_sysreg(amair_el1, v); break;
    case seL4_VCPUReg_CIDR:         write_sysreg(contextidr_el1, v); break;
    case seL4_VCPUReg_ACTLR:        write_sysreg(actlr_el1, v); break;
    case seL4_VCPUReg_AFSR0:        write_sysreg(afsr0_el1, v); break;
    case seL4_VCPUReg_AFSR1:        write_sysreg(afsr1_el1, v); break;
    case seL4_VCPUReg_ESR:          write_sysreg(esr_el1, v); break;
    case seL4_VCPUReg_FAR:          write_sysreg(far_el1, v); break;
    case seL4_VCPUReg_PAR:          write_sysreg(par_el1, v); break;
    case seL4_VCPUReg_VBAR:         write_sysreg(vbar_el1, v); break;
    case seL4_VCPUReg_TPIDR_EL1:    write_sysreg(tpidr_el1, v); break;
    case seL4_VCPUReg_VMPIDR_EL2:   write_sysreg(vmpidr_el2, v); break;
    case seL4_VCPUReg_SP_EL1:       write_sysreg(sp_el1, v); break;
    case seL4_VCPUReg_ELR_EL1:      write_sysreg(elr_el1, v); break;
    case seL4_VCPUReg_SPSR_EL1:     write_sysreg(spsr_el1, v); break;
    case seL4_VCPUReg_CNTV_CTL:     write_sysreg(cntv_ctl_el0, v); break;
    case seL4_VCPUReg_CNTV_CVAL:    write_sysreg(cntv_cval_el0, v); break;
    case seL4_VCPUReg_CNTVOFF:      write_sysreg(cntvoff_el2, v); break;
    case seL4_VCPUReg_CNTKCTL_EL1:  write_sysreg(cntkctl_el1, v); break;
    default:
        assert(!"VCPU register index");
        break;
    }
}

static void save_reg(vcpu_t *v, word_t reg)
{
    v->regs[reg] = hw_read(reg);
}

static void restore_reg(const vcpu_t *v, word_t reg)
{
    hw_write(reg, v->regs[reg]);
}

/*
 * Registers saved when a VCPU is disabled (rather than when another one is
 * loaded): a disabled VCPU's values for these are in memory, not hardware.
 */
static bool saved_when_disabled(word_t reg)
{
    switch (reg) {
    case seL4_VCPUReg_SCTLR:
    case seL4_VCPUReg_CPACR:
    case seL4_VCPUReg_CNTV_CTL:
    case seL4_VCPUReg_CNTV_CVAL:
    case seL4_VCPUReg_CNTVOFF:
    case seL4_VCPUReg_CNTKCTL_EL1:
        return true;
    default:
        return false;
    }
}

/* Does `reg` of `v` live in the hardware right now? */
static bool in_hardware(const vcpu_t *v, word_t reg)
{
    return v == vcpu_loaded && (vcpu_active || !saved_when_disabled(reg));
}

word_t vcpu_read_register(vcpu_t *v, word_t reg)
{
    assert(reg < seL4_VCPUReg_Num);
    return in_hardware(v, reg) ? hw_read(reg) : v->regs[reg];
}

void vcpu_write_register(vcpu_t *v, word_t reg, word_t value)
{
    assert(reg < seL4_VCPUReg_Num);
    if (in_hardware(v, reg))
        hw_write(reg, value);
    else
        v->regs[reg] = value;
}

/* ---------------------------------------------------------------- virtual timer */

static void save_timer(vcpu_t *v)
{
    save_reg(v, seL4_VCPUReg_CNTV_CTL);
    hw_write(seL4_VCPUReg_CNTV_CTL, 0);     /* it must not fire for someone else */
    save_reg(v, seL4_VCPUReg_CNTV_CVAL);
    save_reg(v, seL4_VCPUReg_CNTVOFF);
    save_reg(v, seL4_VCPUReg_CNTKCTL_EL1);
}

static void restore_timer(const vcpu_t *v)
{
    restore_reg(v, seL4_VCPUReg_CNTV_CVAL);
    restore_reg(v, seL4_VCPUReg_CNTKCTL_EL1);
    restore_reg(v, seL4_VCPUReg_CNTVOFF);
    /* Until its VMM acknowledges a delivered timer event, the line stays masked. */
    if (v->vppi_masked[VPPI_VTIMER])
        irqchip_mask(INTID_VTIMER);
    else
        irqchip_unmask(INTID_VTIMER);
    restore_reg(v, seL4_VCPUReg_CNTV_CTL);
}

/* ---------------------------------------------------------------- enabling */

static void enable(vcpu_t *v)
{
    restore_reg(v, seL4_VCPUReg_SCTLR);
    write_sysreg(hcr_el2, HCR_GUEST);
    isb();
    vgic_set_hcr(v->vgic.hcr);
    restore_reg(v, seL4_VCPUReg_CPACR);
    write_sysreg(cnthctl_el2, CNTHCTL_GUEST);
    restore_timer(v);
#ifdef CONFIG_HARDWARE_DEBUG_API
    arch_debug_guest_enable(v);
#endif
}

/* Back to native threads; `v` (if any) keeps the state that enable() loads. */
static void disable(vcpu_t *v)
{
    dsb_sy();
    if (v) {
        v->vgic.hcr = vgic_get_hcr();
        save_reg(v, seL4_VCPUReg_SCTLR);
        save_reg(v, seL4_VCPUReg_CPACR);
        isb();
    }
    vgic_set_hcr(0);
    isb();
    write_sysreg(sctlr_el1, SCTLR_EL1_NATIVE);
    isb();
    write_sysreg(hcr_el2, HCR_NATIVE);
    isb();
    /* FP traps for native threads are CPTR_EL2's alone. */
    write_sysreg(cpacr_el1, CPACR_FPEN_NONE);
    if (v) {
        save_timer(v);
        irqchip_mask(INTID_VTIMER);
    }
    write_sysreg(cntkctl_el1, CNTKCTL_NATIVE);
    write_sysreg(cnthctl_el2, CNTHCTL_NATIVE);
#ifdef CONFIG_HARDWARE_DEBUG_API
    arch_debug_guest_disable();
#endif
    isb();
}

/* Everything of `v` into memory (`active`: it was enabled). */
static void save(vcpu_t *v, bool active)
{
    dsb_sy();
    if (active) {
        save_reg(v, seL4_VCPUReg_SCTLR);
        v->vgic.hcr = vgic_get_hcr();
        save_timer(v);
        save_reg(v, seL4_VCPUReg_CPACR);
    }
    v->vgic.vmcr = vgic_get_vmcr();
    v->vgic.apr = vgic_get_apr();
    for (unsigned i = 0; i < vgic_list_regs; i++)
        v->vgic.lr[i] = vgic_get_lr(i);
    for (word_t r = seL4_VCPURegSaveRange_start; r <= seL4_VCPURegSaveRange_end; r++)
        save_reg(v, r);
#ifdef CONFIG_HARDWARE_DEBUG_API
    arch_debug_guest_save(v);
#endif
}

static void restore(vcpu_t *v)
{
    vgic_set_hcr(0);
    isb();
    vgic_set_vmcr(v->vgic.vmcr);
    vgic_set_apr(v->vgic.apr);
    for (unsigned i = 0; i < vgic_list_regs; i++)
        vgic_set_lr(i, v->vgic.lr[i]);
    for (word_t r = seL4_VCPURegSaveRange_start; r <= seL4_VCPURegSaveRange_end; r++)
        restore_reg(v, r);
    enable(v);
}

/* Which VCPU the hardware runs (NULL: none, the loaded one is only kept). */
static void set_enabled(vcpu_t *v)
{
    NODE->arch.vcpu_enabled = v;
}

void vcpu_switch_slow(vcpu_t *next)
{
    if (next != vcpu_loaded) {
        if (next) {
            if (vcpu_loaded)
                save(vcpu_loaded, vcpu_active);
            restore(next);
            vcpu_loaded = next;
            set_enabled(next);
        } else if (vcpu_active) {
            /* A native thread: leave the guest's state where it is. */
            disable(vcpu_loaded);
            set_enabled(NULL);
        }
    } else if (next && !vcpu_active) {
        isb();
        enable(next);
        set_enabled(next);
    }
}

/* Save the loaded VCPU and forget it: the hardware holds nobody's state. */
static void flush(void)
{
    if (!vcpu_loaded)
        return;
    save(vcpu_loaded, vcpu_active);
    if (vcpu_active)
        disable(NULL);
    set_enabled(NULL);
    vcpu_loaded = NULL;
}

void vcpu_flush_if_loaded(vcpu_t *v)
{
    if (v == vcpu_loaded)
        flush();
}

/* ---------------------------------------------------------------- life cycle */

void vcpu_boot_init(void)
{
    vgic_list_regs = vgic_init(KDEV_GICH_VADDR);
    disable(NULL);
    vcpu_loaded = NULL;
    set_enabled(NULL);
}

void vcpu_init(vcpu_t *v)
{
    v->regs[seL4_VCPUReg_SCTLR] = SCTLR_EL1_GUEST;
    v->vgic.hcr = VGIC_HCR_EN;
}

void vcpu_unbind(vcpu_t *v)
{
    tcb_t *t = v->tcb;
    if (!t)
        return;
    assert(t->arch.vcpu == v);
    smp_vcpu_flush(v);      /* wherever it is loaded */
    t->arch.vcpu = NULL;
    v->tcb = NULL;
    /* Without a VCPU a thread may only run at EL0. */
    set_register(t, REG_SPSR, sanitise_register(t, REG_SPSR, get_register(t, REG_SPSR)));
}

void vcpu_bind(vcpu_t *v, tcb_t *t)
{
    if (t->arch.vcpu)
        vcpu_unbind(t->arch.vcpu);
    vcpu_unbind(v);
    t->arch.vcpu = v;
    v->tcb = t;
    /* No cached TTBR0 for a guest (vspace_thread_ttbr0): the fast path
       enters no thread with a VCPU. */
    t->arch.ttbr0_generation = 0;
    if (t == current_thread)
        vcpu_switch(v);
}

void arch_tcb_finalise(tcb_t *t)
{
    if (t->arch.vcpu)
        vcpu_unbind(t->arch.vcpu);
}

void vcpu_finalise(vcpu_t *v)
{
    vcpu_unbind(v);
    assert(v != vcpu_loaded);
}

void vcpu_set_list_register(vcpu_t *v, unsigned index, uint32_t lr)
{
    if (v == vcpu_loaded)
        vgic_set_lr(index, lr);
    else
        v->vgic.lr[index] = lr;
}

/* ---------------------------------------------------------------- guest events */

void vcpu_handle_trap(tcb_t *t, word_t esr)
{
    if (esr == ESR_UNKNOWN_32BIT_INSN)
        fault_user_exception(t, esr);
    else
        fault_vcpu(t, esr);
}

/* ESR_EL2 of an abort: a stage-2 permission fault (FSC 0b0011xx) not on
   a stage-1 table walk (S1PTW), for which HPFAR_EL2 is not defined. */
static bool hpfar_unknown(word_t esr)
{
    return (esr & 0x3c) == 0x0c && !(esr & BIT(7));
}

/* The guest's own stage 1 translates `va` (AT S1E1R), its PAR_EL1 kept. */
static word_t guest_translate(word_t va)
{
    word_t saved = read_sysreg(par_el1);
    __asm__ volatile("at s1e1r, %0; isb" :: "r"(va));
    word_t par = read_sysreg(par_el1);
    write_sysreg(par_el1, saved);
    if (par & 1)
        return va;      /* no stage-1 translation: report what we have */
    return (par & (MASK(48) & ~MASK(PAGE_BITS))) | (va & MASK(PAGE_BITS));
}

word_t vcpu_fault_address(word_t far, word_t esr)
{
    if (!vcpu_active)
        return far;
    if (hpfar_unknown(esr))
        return guest_translate(far);
    /* HPFAR_EL2 holds the faulting IPA's page (bits 51:12 from bit 4). */
    word_t page = (read_sysreg(hpfar_el2) & ~MASK(4)) << 8;
    return page | (far & MASK(PAGE_BITS));
}

/*
 * May the interrupted thread take a guest event as a fault now? Only the
 * running guest itself, with budget left (MCS): otherwise the event is left
 * for later. Both interrupts are level triggered and come back.
 */
static tcb_t *guest_taking_events(void)
{
    tcb_t *t = current_thread;
    if (!vcpu_active || !t || t->arch.vcpu != vcpu_loaded)
        return NULL;
    if (t->queued != queued_none || !thread_schedulable(t))
        return NULL;
    return t;
}

static void virtual_timer_event(void)
{
    tcb_t *t = guest_taking_events();
    if (!t)
        return;
    irqchip_mask(INTID_VTIMER);
    vcpu_loaded->vppi_masked[VPPI_VTIMER] = true;
    fault_vppi_event(t, INTID_VTIMER);
}

/* The guest completed a virtual interrupt its VMM asked to hear about. */
static void maintenance_event(void)
{
    tcb_t *t = guest_taking_events();
    if (!t)
        return;
    if (!(vgic_get_misr() & VGIC_MISR_EOI)) {
        fault_vgic_maintenance(t, 0, false);
        return;
    }
    uint64_t done = vgic_get_eoi_status();
    unsigned index = done ? (unsigned)__builtin_ctzll(done) : VGIC_MAX_LIST_REGS;
    if (index >= vgic_list_regs) {
        fault_vgic_maintenance(t, 0, false);
        return;
    }
    /* Heard: clear the request, which also clears its maintenance status. */
    uint32_t lr = vgic_get_lr(index) & ~VGIC_LR_EOI;
    vgic_set_lr(index, lr);
    vcpu_loaded->vgic.lr[index] = lr;
    fault_vgic_maintenance(t, index, true);
}

bool vcpu_handle_interrupt(unsigned irq)
{
    switch (irq) {
    case INTID_VTIMER:
        virtual_timer_event();
        return true;
    case INTID_VGIC_MAINTENANCE:
        maintenance_event();
        return true;
    default:
        return false;
    }
}
