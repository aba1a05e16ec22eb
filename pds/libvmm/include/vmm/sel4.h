/*
 * The VMM's entry from libmicrokit's fault(): decode the kernel's fault
 * message for vCPU `vcpu` (its id in the system description) and handle
 * it; true means reply (resume the vCPU). Only for PDs: it needs
 * microkit.h and a hypervisor kernel.
 */
#ifndef VMM_SEL4_H
#define VMM_SEL4_H

#include <microkit.h>
#include <vmm/vmm.h>

void vmm_fault_decode(microkit_msginfo msginfo, struct vmm_fault *fault);
bool vmm_fault(struct vmm_guest *g, microkit_child vcpu, microkit_msginfo msginfo,
               microkit_msginfo *reply);

#endif
