/*
 * Virtual machines (hypervisor kernels only), built as Microkit builds
 * them (microkit.md 1.5):
 *
 *   - per VM one VSpace, the guest's stage-2 address space, shared by its
 *     vCPUs; the VM's <map>s put memory regions at guest-physical
 *     addresses in it;
 *   - per vCPU a TCB bound to a VCPU object (ARM_VCPU_SetTCB), its own
 *     scheduling context (the VM's priority, budget and period), an empty
 *     CSpace (a guest makes no system calls: its HVCs and SMCs are faults)
 *     and no IPC buffer. Its fault endpoint is the VMM PD's endpoint badged
 *     PD_BADGE_FAULT | vcpu id, so every fault of the guest (stage-2 VM
 *     faults, VCPU faults, VPPI events, VGIC maintenance) reaches the VMM's
 *     fault() with the vCPU id as the child.
 *
 * The vCPUs stay suspended: the VMM starts each with microkit_vcpu_restart
 * once guest memory is ready. It finds the TCB in PD_SLOT_VCPU_TCB_BASE +
 * id and the VCPU object in PD_SLOT_VCPU_BASE + id of its Microkit CNode.
 */
#include "monitor.h"

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT

#define MAX_VCPUS 256
/* Scheduling-context badges of vCPUs (Microkit's, above every PD index). */
#define VCPU_SC_BADGE_BASE 0x100

struct vcpu_caps {
    seL4_CPtr tcb, sc, vcpu, cnode, fault_ep;
};

static struct vcpu_caps vcpu_caps[MAX_VCPUS];
static seL4_CPtr vm_vspaces[MAX_PDS];

static const char *vm_name(uint32_t vm)
{
    return vm < sys->vm_count ? sys->vms[vm].name : "?";
}

static void check_vm_tables(void)
{
    if (sys->vm_count > MAX_PDS)
        fail("%u virtual machines: at most one per PD (%u)", sys->vm_count, MAX_PDS);
    if (sys->vcpu_count > MAX_VCPUS)
        fail("%u vCPUs: the monitor handles at most %u", sys->vcpu_count, MAX_VCPUS);
    for (uint32_t i = 0; i < sys->vm_count; i++) {
        const struct sys_vm *vm = &sys->vms[i];
        if (vm->pd >= sys->pd_count || !sys->pds[vm->pd].has_endpoint)
            fail("virtual machine '%s': its PD has no endpoint to take its faults", vm->name);
        if (vm->first_vcpu + vm->vcpu_count > sys->vcpu_count ||
            vm->first_map + vm->map_count > sys->vm_map_count)
            fail("virtual machine '%s': its vCPUs or maps lie outside the tables", vm->name);
        if (vm->priority > PD_MAX_PRIORITY)
            fail("virtual machine '%s': priority %u is above %u", vm->name, vm->priority,
                 PD_MAX_PRIORITY);
    }
    for (uint32_t i = 0; i < sys->vcpu_count; i++) {
        const struct sys_vcpu *v = &sys->vcpus[i];
        if (v->vm >= sys->vm_count || v->id >= PD_MAX_VCPUS)
            fail("vCPU %u of virtual machine '%s' is out of range", v->id, vm_name(v->vm));
        if (v->cpu >= bootinfo->numNodes)
            fail("vCPU %u of virtual machine '%s': cpu %u, but the kernel runs on %lu core(s)",
                 v->id, vm_name(v->vm), v->cpu, (unsigned long)bootinfo->numNodes);
    }
}

void vms_create(void)
{
    check_vm_tables();
    uint32_t n = sys->vm_count, v = sys->vcpu_count;
    if (n == 0)
        return;
    char what[80];
    format_buf(what, sizeof what, "creating the guest VSpaces of %u virtual machines", n);
    seL4_CPtr vspaces = alloc_objects(seL4_ARM_VSpaceObject, 0, n, what);
    format_buf(what, sizeof what, "creating the TCBs of %u vCPUs", v);
    seL4_CPtr tcbs = alloc_objects(seL4_TCBObject, 0, v, what);
    format_buf(what, sizeof what, "creating the VCPU objects of %u vCPUs", v);
    seL4_CPtr vcpus = alloc_objects(seL4_ARM_VCPUObject, 0, v, what);
    format_buf(what, sizeof what, "creating the scheduling contexts of %u vCPUs", v);
    seL4_CPtr scs = alloc_objects(seL4_SchedContextObject, seL4_MinSchedContextBits, v, what);
    format_buf(what, sizeof what, "creating the CSpaces of %u vCPUs", v);
    seL4_CPtr cnodes = alloc_objects(seL4_CapTableObject, PD_VCPU_CNODE_BITS, v, what);
    for (uint32_t i = 0; i < n; i++) {
        vm_vspaces[i] = vspaces + i;
        check(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vm_vspaces[i]),
              "assigning an ASID (VMID) to the guest VSpace of virtual machine '%s'",
              vm_name(i));
    }
    for (uint32_t i = 0; i < v; i++)
        vcpu_caps[i] = (struct vcpu_caps){
            .tcb = tcbs + i, .sc = scs + i, .vcpu = vcpus + i, .cnode = cnodes + i,
        };
}

void vms_map(void)
{
    for (uint32_t m = 0; m < sys->vm_map_count; m++) {
        const struct sys_vm_map *map = &sys->vm_maps[m];
        if (map->vm >= sys->vm_count || map->mr >= sys->mr_count)
            fail("guest map %u names virtual machine %u, memory region %u: out of range", m,
                 map->vm, map->mr);
        char owner[112];
        format_buf(owner, sizeof owner, "virtual machine '%s' (memory region '%s')",
                   vm_name(map->vm), sys->mrs[map->mr].name);
        mr_map(map->mr, -1, vm_vspaces[map->vm], map->guest_paddr, map->rights, map->cached, owner);
    }
}

static void copy_to_vmm(uint32_t pd, seL4_Word slot, seL4_CPtr src, const char *what,
                        const struct sys_vcpu *v)
{
    check(seL4_CNode_Copy(pd_caps[pd].cnode, slot, SYS_PD_CNODE_BITS, seL4_CapInitThreadCNode,
                          src, seL4_WordBits, seL4_AllRights),
          "copying the %s of vCPU %u of virtual machine '%s' into slot %lu for PD '%s'", what,
          v->id, vm_name(v->vm), (unsigned long)slot, pd_name(pd));
    stats.caps++;
}

void vm_slots(uint32_t pd)
{
    int32_t vm = sys->pds[pd].vm;
    if (vm < 0)
        return;
    const struct sys_vm *m = &sys->vms[vm];
    for (uint32_t i = m->first_vcpu; i < m->first_vcpu + m->vcpu_count; i++) {
        const struct sys_vcpu *v = &sys->vcpus[i];
        copy_to_vmm(pd, SYS_SLOT_VCPU_TCB_BASE + v->id, vcpu_caps[i].tcb, "TCB", v);
        copy_to_vmm(pd, SYS_SLOT_VCPU_BASE + v->id, vcpu_caps[i].vcpu, "VCPU object", v);
    }
}

static void configure_vcpu(uint32_t i)
{
    const struct sys_vcpu *v = &sys->vcpus[i];
    const struct sys_vm *vm = &sys->vms[v->vm];
    struct vcpu_caps *c = &vcpu_caps[i];
    const char *name = vm->name;

    /* The fault handler is looked up in the monitor's CSpace when it is
     * set, so the badged cap lives there (as for PDs). */
    c->fault_ep = slot_alloc(1);
    check(seL4_CNode_Mint(seL4_CapInitThreadCNode, c->fault_ep, seL4_WordBits,
                          seL4_CapInitThreadCNode, pd_caps[vm->pd].endpoint, seL4_WordBits,
                          call_rights(), SYS_BADGE_FAULT | v->id),
          "minting the fault endpoint of vCPU %u of virtual machine '%s'", v->id, name);
    check(seL4_TCB_Configure(c->tcb, c->cnode, 0, vm_vspaces[v->vm], 0, 0, seL4_CapNull),
          "configuring the TCB (CSpace, guest VSpace) of vCPU %u of virtual machine '%s'", v->id,
          name);
    check(seL4_SchedControl_ConfigureFlags(bootinfo->schedcontrol.start + v->cpu, c->sc,
                                           vm->budget_us, vm->period_us, 0,
                                           VCPU_SC_BADGE_BASE + (i - vm->first_vcpu), 0),
          "setting budget %lu us and period %lu us for vCPU %u of virtual machine '%s'",
          (unsigned long)vm->budget_us, (unsigned long)vm->period_us, v->id, name);
    check(seL4_TCB_SetSchedParams(c->tcb, seL4_CapInitThreadTCB, vm->priority, vm->priority,
                                  c->sc, c->fault_ep),
          "setting priority %u, scheduling context and fault endpoint for vCPU %u of virtual "
          "machine '%s'",
          vm->priority, v->id, name);
    check(seL4_ARM_VCPU_SetTCB(c->vcpu, c->tcb),
          "binding the VCPU object to the TCB of vCPU %u of virtual machine '%s'", v->id, name);
#ifdef CONFIG_DEBUG_BUILD
    char thread_name[PD_NAME_LENGTH];
    format_buf(thread_name, sizeof thread_name, "%s:vcpu%u", name, v->id);
    seL4_DebugNameThread(c->tcb, thread_name);
#endif
}

void vms_configure(void)
{
    for (uint32_t i = 0; i < sys->vcpu_count; i++)
        configure_vcpu(i);
}

#else /* !CONFIG_ARM_HYPERVISOR_SUPPORT */

void vms_create(void)
{
    if (sys->vm_count)
        fail("virtual machine '%s': virtual machines need a hypervisor kernel "
             "(CONFIG_KERNEL_EL2=y)", sys->vms[0].name);
}

void vms_map(void)
{
}

void vm_slots(uint32_t pd)
{
    (void)pd;
}

void vms_configure(void)
{
}

#endif
