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
/* How many vCPUs the system description gives this PD's virtual machine:
 * ids 0, 1, ... up to the first id without a VCPU capability (at most
 * VMM_MAX_VCPUS). For vmm_guest_config.num_vcpus, so that one VMM program
 * serves systems with any number of vCPUs. */
unsigned vmm_vcpus_given(void);

#endif
