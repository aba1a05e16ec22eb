/*
 * The fault loop. Root PDs' fault endpoints are the monitor's endpoint
 * badged with PD index + 1 (children's go to their parent). A message with
 * label 0 (no fault) from a passive PD is its request to become passive.
 * Anything else is a fault: the monitor prints a decoded report and does
 * not reply, so the faulting PD stays stopped while every other PD runs on.
 * The report follows Microkit's: the message, the PD, its registers, then
 * per kind of fault the details (microkit.md 3.1).
 */
#include "monitor.h"
#include <esr.h>

#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_FP_ACCESS 0x07
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_DABT_LOWER 0x24

static bool print_registers(uint32_t pd, seL4_UserContext *out)
{
    seL4_UserContext regs;
    seL4_Error err = seL4_TCB_ReadRegisters(pd_caps[pd].tcb, seL4_False, 0,
                                            sizeof regs / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError) {
        rt_printf("MON|ERROR: could not read the registers of PD '%s': %s\n", pd_name(pd),
                  sel4_error_name(err));
        return false;
    }
    *out = regs;
    static const char *const names[] = {
        "pc", "sp", "spsr", "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
        "x16", "x17", "x18", "x29", "x30", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
        "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
        "tpidr_el0", "tpidrro_el0",
    };
    const seL4_Word *words = (const seL4_Word *)&regs;
    rt_printf("Registers: \n");
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
        rt_printf("%s : 0x%016lx\n", names[i], (unsigned long)words[i]);
    return true;
}

static void report_cap_fault(void)
{
    seL4_Word ip = seL4_GetMR(seL4_CapFault_IP), addr = seL4_GetMR(seL4_CapFault_Addr);
    seL4_Word recv = seL4_GetMR(seL4_CapFault_InRecvPhase);
    seL4_Word type = seL4_GetMR(seL4_CapFault_LookupFailureType);
    rt_printf("MON|ERROR: CapFault: ip=0x%016lx  fault_addr=0x%016lx  in_recv_phase=%s  "
              "lookup_failure_type=%s\n",
              (unsigned long)ip, (unsigned long)addr, recv ? "true" : "false",
              lookup_failure_name(type));
    switch (type) {
    case seL4_MissingCapability:
        rt_printf("MON|ERROR:   bits_left=%lu\n",
                  (unsigned long)seL4_GetMR(seL4_CapFault_BitsLeft));
        break;
    case seL4_DepthMismatch:
        rt_printf("MON|ERROR:   bits_left=%lu  depth_bits_found=%lu\n",
                  (unsigned long)seL4_GetMR(seL4_CapFault_BitsLeft),
                  (unsigned long)seL4_GetMR(seL4_CapFault_DepthMismatch_BitsFound));
        break;
    case seL4_GuardMismatch:
        rt_printf("MON|ERROR:   bits_left=%lu  guard_found=0x%lx  guard_bits_found=%lu\n",
                  (unsigned long)seL4_GetMR(seL4_CapFault_BitsLeft),
                  (unsigned long)seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound),
                  (unsigned long)seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound));
        break;
    default:
        break;
    }
    rt_printf("MON|ERROR:   the PD used capability 0x%lx, which its CSpace does not hold\n",
              (unsigned long)addr);
}

static void report_vm_fault(uint32_t pd)
{
    seL4_Word ip = seL4_GetMR(seL4_VMFault_IP), addr = seL4_GetMR(seL4_VMFault_Addr);
    seL4_Word prefetch = seL4_GetMR(seL4_VMFault_PrefetchFault);
    seL4_Word fsr = seL4_GetMR(seL4_VMFault_FSR);
    unsigned ec = (unsigned)(fsr >> 26) & 0x3f, il = (unsigned)(fsr >> 25) & 1;
    seL4_Word iss = fsr & 0x1ffffff;
    rt_printf("MON|ERROR: VMFault: ip=0x%016lx  fault_addr=0x%016lx  fsr=0x%016lx  (%s)\n",
              (unsigned long)ip, (unsigned long)addr, (unsigned long)fsr,
              prefetch ? "instruction fault" : "data fault");
    rt_printf("MON|ERROR:   ec: 0x%02x  %s   il: %u   iss: 0x%08lx\n", ec, esr_class_name(ec), il,
              (unsigned long)iss);
    if (ec == ESR_EC_DABT_LOWER || ec == ESR_EC_DABT_LOWER + 1) {
        rt_printf("MON|ERROR:   dfsc = %s (0x%02lx)%s%s%s%s\n",
                  esr_fault_status_name((unsigned)(iss & 0x3f)), (unsigned long)(iss & 0x3f),
                  (iss & (1u << 9)) ? " -- external abort" : "",
                  (iss & (1u << 8)) ? " -- cache maint" : "",
                  (iss & (1u << 7)) ? " -- stage 2 fault for stage 1 page table walk" : "",
                  (iss & (1u << 6)) ? " -- write not read" : "");
    } else if (ec == ESR_EC_IABT_LOWER || ec == ESR_EC_IABT_LOWER + 1) {
        rt_printf("MON|ERROR:   ifsc = %s (0x%02lx)\n",
                  esr_fault_status_name((unsigned)(iss & 0x3f)), (unsigned long)(iss & 0x3f));
    }
    const struct sys_pd *p = &sys->pds[pd];
    if (addr < p->stack_bottom && addr + PAGE_SIZE >= p->stack_bottom)
        rt_printf("MON|ERROR: potential stack overflow, fault address within one page outside "
                  "of stack region\n");
    else if (addr < PAGE_SIZE)
        rt_printf("MON|ERROR:   address in the first page: a null pointer?\n");
}

static void report_user_exception(void)
{
    seL4_Word ip = seL4_GetMR(seL4_UserException_FaultIP);
    seL4_Word sp = seL4_GetMR(seL4_UserException_SP);
    seL4_Word esr = seL4_GetMR(seL4_UserException_Number);
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    rt_printf("MON|ERROR: UserException: ip=0x%016lx  sp=0x%016lx  esr=0x%08lx\n",
              (unsigned long)ip, (unsigned long)sp, (unsigned long)esr);
    rt_printf("MON|ERROR:   ec: 0x%02x  %s%s\n", ec, esr_class_name(ec),
              ec == ESR_EC_UNKNOWN ? " (an undefined instruction)" : "");
}

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* With an EL2 kernel, a PD's exceptions that trap to EL2 other than aborts,
 * system calls and undefined instructions (e.g. FP/SIMD with fpu="false")
 * come as VCPU faults carrying the syndrome, as on seL4. */
static void report_vcpu_fault(void)
{
    seL4_Word hsr = seL4_GetMR(seL4_VCPUFault_HSR);
    unsigned ec = (unsigned)(hsr >> 26) & 0x3f;
    rt_printf("MON|ERROR: VCPUFault: hsr=0x%08lx\n", (unsigned long)hsr);
    rt_printf("MON|ERROR:   ec: 0x%02x  %s%s\n", ec, esr_class_name(ec),
              ec == ESR_EC_FP_ACCESS ? " (the PD has fpu=\"false\")" : "");
}
#endif

static void report_unknown_syscall(void)
{
    rt_printf("MON|ERROR: UnknownSyscall: ip=0x%016lx  syscall=%ld\n",
              (unsigned long)seL4_GetMR(seL4_UnknownSyscall_FaultIP),
              (long)seL4_GetMR(seL4_UnknownSyscall_Syscall));
}

static void report_timeout(void)
{
    rt_printf("MON|ERROR: Timeout: its budget ran out (scheduling context badge 0x%lx, "
              "%lu us consumed)\n",
              (unsigned long)seL4_GetMR(seL4_Timeout_Data),
              (unsigned long)seL4_GetMR(seL4_Timeout_Consumed));
}

static void report_fault(uint32_t pd, seL4_Word label, seL4_Word badge)
{
    /* The registers come from the kernel: decode the message first, while
     * the message registers still hold it. */
    seL4_Word mr[seL4_UnknownSyscall_Length];
    for (unsigned i = 0; i < seL4_UnknownSyscall_Length; i++)
        mr[i] = seL4_GetMR((int)i);
    rt_printf("MON|ERROR: received message 0x%08lx  badge: 0x%016lx  tcb cap: 0x%016lx\n",
              (unsigned long)label, (unsigned long)badge, (unsigned long)pd_caps[pd].tcb);
    rt_printf("MON|ERROR: faulting PD: %s\n", pd_name(pd));
    seL4_UserContext regs = { 0 };
    bool have_regs = print_registers(pd, &regs);
    for (unsigned i = 0; i < seL4_UnknownSyscall_Length; i++)
        seL4_SetMR((int)i, mr[i]);
    switch (label) {
    case seL4_Fault_CapFault:
        report_cap_fault();
        break;
    case seL4_Fault_VMFault:
        report_vm_fault(pd);
        break;
    case seL4_Fault_UserException:
        report_user_exception();
        break;
    case seL4_Fault_UnknownSyscall:
        report_unknown_syscall();
        break;
    case seL4_Fault_Timeout:
        report_timeout();
        break;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_Fault_VCPUFault:
        report_vcpu_fault();
        break;
#endif
    default:
        rt_printf("MON|ERROR: Unknown fault 0x%lx\n", (unsigned long)label);
        break;
    }
#ifdef CONFIG_PD_FRAME_POINTERS
    if (have_regs)
        print_backtrace(pd, regs.pc, regs.x29, regs.x30);
#else
    (void)have_regs;
#endif
    rt_printf("MON|ERROR: PD '%s' is stopped; the other PDs run on\n", pd_name(pd));
}

void fault_loop(void)
{
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t tag = seL4_Recv(monitor_endpoint(), &badge, monitor_reply());
        seL4_Word label = seL4_MessageInfo_get_label(tag);
        if (badge == 0 || badge > sys->pd_count) {
            rt_printf("MON|ERROR: received message 0x%08lx  badge: 0x%016lx\n",
                      (unsigned long)label, (unsigned long)badge);
            rt_printf("MON|ERROR: unknown/invalid badge\n");
            continue;
        }
        uint32_t pd = (uint32_t)(badge - 1);
        if (label == seL4_Fault_NullFault && sys->pds[pd].passive && !pd_caps[pd].passive_done) {
            make_passive(pd);
            continue;
        }
        report_fault(pd, label, badge);
    }
}
