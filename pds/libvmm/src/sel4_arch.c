/*
 * include/vmm/arch.h on seL4 and libmicrokit, and the VMM's fault entry:
 * the kernel's fault messages decoded into struct vmm_fault. The vCPU
 * numbers of the library are the vCPU ids of the system description, so
 * vCPU v's TCB is in BASE_VM_TCB_CAP + v and its VCPU object in
 * BASE_VCPU_CAP + v (pd_layout.h).
 */
#include <microkit.h>
#include <vmm/arch.h>
#include <vmm/sel4.h>
#include <vmm/vmm.h>

#include "sel4_context.h"

_Static_assert(sizeof(seL4_UserContext) == SEL4_CONTEXT_WORDS * sizeof(seL4_Word),
               "sel4_context.h follows seL4_UserContext");
_Static_assert(VMM_MAX_VCPUS <= PD_MAX_VCPUS, "vCPU ids fit the Microkit CNode");
_Static_assert(VMM_VCPUREG_SCTLR == seL4_VCPUReg_SCTLR &&
               VMM_VCPUREG_VMPIDR_EL2 == seL4_VCPUReg_VMPIDR_EL2 &&
               VMM_VCPUREG_CNTV_CTL == seL4_VCPUReg_CNTV_CTL &&
               VMM_VCPUREG_CNTV_CVAL == seL4_VCPUReg_CNTV_CVAL &&
               VMM_VCPUREG_CNTVOFF == seL4_VCPUReg_CNTVOFF,
               "vmm/arch.h numbers the VCPU registers as the kernel does");

bool vmm_arch_read_regs(unsigned vcpu, struct vmm_regs *regs, unsigned upto)
{
    seL4_Word words[SEL4_CONTEXT_WORDS];
    unsigned count = sel4_context_words(upto);
    seL4_Error err = seL4_TCB_ReadRegisters(BASE_VM_TCB_CAP + vcpu, seL4_False, 0, count,
                                            (seL4_UserContext *)words);
    if (err != seL4_NoError)
        return false;
    sel4_context_to_regs(words, count, regs);
    return true;
}

bool vmm_arch_write_regs(unsigned vcpu, const struct vmm_regs *regs, unsigned upto, bool resume)
{
    seL4_Word words[SEL4_CONTEXT_WORDS];
    sel4_context_from_regs(regs, words);
    return seL4_TCB_WriteRegisters(BASE_VM_TCB_CAP + vcpu, resume, 0, sel4_context_words(upto),
                                   (seL4_UserContext *)words) == seL4_NoError;
}

void vmm_arch_vcpu_stop(unsigned vcpu)
{
    seL4_TCB_Suspend(BASE_VM_TCB_CAP + vcpu);
}

bool vmm_arch_inject(unsigned vcpu, uint16_t irq, uint8_t priority, uint8_t group, uint8_t lr)
{
    return seL4_ARM_VCPU_InjectIRQ(BASE_VCPU_CAP + vcpu, irq, priority, group, lr) ==
           seL4_NoError;
}

void vmm_arch_ack_vppi(unsigned vcpu, uint32_t irq)
{
    seL4_ARM_VCPU_AckVPPI(BASE_VCPU_CAP + vcpu, irq);
}

void vmm_arch_irq_ack(unsigned channel)
{
    microkit_irq_ack(channel);
}

uint64_t vmm_arch_read_sysreg(unsigned vcpu, unsigned reg)
{
    seL4_ARM_VCPU_ReadRegs_t r = seL4_ARM_VCPU_ReadRegs(BASE_VCPU_CAP + vcpu, (seL4_VCPUReg)reg);
    return r.error == seL4_NoError ? r.value : 0;
}

void vmm_arch_write_sysreg(unsigned vcpu, unsigned reg, uint64_t value)
{
    seL4_ARM_VCPU_WriteRegs(BASE_VCPU_CAP + vcpu, (seL4_VCPUReg)reg, value);
}

void vmm_arch_sync_guest_memory(void *start, uint64_t size)
{
    seL4_Word from = (seL4_Word)start, to = from + size;
    seL4_ARM_VSpace_Clean_Data(MICROKIT_VSPACE_CAP, from, to);
    seL4_ARM_VSpace_Unify_Instruction(MICROKIT_VSPACE_CAP, from, to);
}


uint64_t vmm_arch_counter(void)
{
    /* Native threads run with no offset: this PD's virtual count is the
     * physical count. */
    uint64_t count;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count));
    return count;
}

uint64_t vmm_arch_guest_counter(unsigned vcpu)
{
    return vmm_arch_counter() - vmm_arch_read_sysreg(vcpu, VMM_VCPUREG_CNTVOFF);
}

unsigned vmm_vcpus_given(void)
{
    unsigned n = 0;
    /* An empty slot answers InvalidCapability; a VCPU, its register. */
    while (n < VMM_MAX_VCPUS &&
           seL4_ARM_VCPU_ReadRegs(BASE_VCPU_CAP + n, seL4_VCPUReg_SCTLR).error == seL4_NoError)
        n++;
    return n;
}

uint64_t vmm_arch_counter_hz(void)
{
    uint64_t hz;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
}

void vmm_arch_puts(const char *s)
{
    microkit_dbg_puts(s);
}

void vmm_fault_decode(microkit_msginfo msginfo, struct vmm_fault *f)
{
    seL4_Word label = microkit_msginfo_get_label(msginfo);
    *f = (struct vmm_fault){ .kind = VMM_FAULT_OTHER, .label = label };
    switch (label) {
    case seL4_Fault_VMFault:
        f->kind = VMM_FAULT_VM;
        f->ip = microkit_mr_get(seL4_VMFault_IP);
        f->addr = microkit_mr_get(seL4_VMFault_Addr);
        f->instruction = microkit_mr_get(seL4_VMFault_PrefetchFault) != 0;
        f->esr = microkit_mr_get(seL4_VMFault_FSR);
        break;
    case seL4_Fault_VCPUFault:
        f->kind = VMM_FAULT_VCPU;
        f->esr = microkit_mr_get(seL4_VCPUFault_HSR);
        break;
    case seL4_Fault_VPPIEvent:
        f->kind = VMM_FAULT_VPPI;
        f->irq = microkit_mr_get(seL4_VPPIEvent_IRQ);
        break;
    case seL4_Fault_VGICMaintenance:
        f->kind = VMM_FAULT_VGIC_MAINTENANCE;
        f->lr = (int64_t)microkit_mr_get(seL4_VGICMaintenance_IDX);
        break;
    case seL4_Fault_UnknownSyscall:
        f->kind = VMM_FAULT_HVC;
        for (unsigned i = 0; i < 8; i++)
            f->regs.x[i] = microkit_mr_get(seL4_UnknownSyscall_X0 + i);
        f->regs.pc = f->ip = microkit_mr_get(seL4_UnknownSyscall_FaultIP);
        f->regs.sp = microkit_mr_get(seL4_UnknownSyscall_SP);
        f->regs.x[30] = microkit_mr_get(seL4_UnknownSyscall_LR);
        f->regs.spsr = microkit_mr_get(seL4_UnknownSyscall_SPSR);
        break;
    default:
        f->ip = microkit_mr_get(0);
        break;
    }
}

/* The registers of an unknown system call's reply, seL4's order. */
static microkit_msginfo hvc_reply(const struct vmm_fault *f)
{
    for (unsigned i = 0; i < 8; i++)
        microkit_mr_set(seL4_UnknownSyscall_X0 + i, f->regs.x[i]);
    microkit_mr_set(seL4_UnknownSyscall_FaultIP, f->regs.pc);
    microkit_mr_set(seL4_UnknownSyscall_SP, f->regs.sp);
    microkit_mr_set(seL4_UnknownSyscall_LR, f->regs.x[30]);
    microkit_mr_set(seL4_UnknownSyscall_SPSR, f->regs.spsr);
    return microkit_msginfo_new(0, seL4_UnknownSyscall_Syscall);
}

bool vmm_fault(struct vmm_guest *g, microkit_child vcpu, microkit_msginfo msginfo,
               microkit_msginfo *reply)
{
    struct vmm_fault f;
    vmm_fault_decode(msginfo, &f);
    bool resume = vmm_handle_fault(g, vcpu, &f);
    *reply = f.reply_regs ? hvc_reply(&f) : microkit_msginfo_new(0, 0);
    return resume;
}
