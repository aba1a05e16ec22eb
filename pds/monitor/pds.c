/*
 * Threads: each PD's TCB gets its CSpace, VSpace and IPC buffer, its
 * scheduling context (budget and period on its core), priority, fault
 * endpoint, bound notification, FPU flag, entry point and stack pointer.
 * All PDs start together once every one is ready. A passive PD runs its
 * init() on its own scheduling context, then asks the monitor (a message
 * with label 0 on SYS_SLOT_MONITOR_EP) to move that context to its
 * notification: from then on it runs on its callers' time.
 */
#include "monitor.h"

static void configure(uint32_t i)
{
    const struct sys_pd *pd = &sys->pds[i];
    const struct pd_caps *c = &pd_caps[i];
    if (pd->cpu >= bootinfo->numNodes)
        fail("PD '%s': cpu %u, but the kernel runs on %lu core(s)", pd->name, pd->cpu,
             (unsigned long)bootinfo->numNodes);
    if (pd->priority > PD_MAX_PRIORITY)
        fail("PD '%s': priority %u is above %u", pd->name, pd->priority, PD_MAX_PRIORITY);

    check(seL4_TCB_Configure(c->tcb, c->root_cnode, 0, c->vspace, 0, pd->ipc_buffer,
                             c->ipc_buffer),
          "configuring the TCB (CSpace, VSpace, IPC buffer) of PD '%s'", pd->name);
    check(seL4_SchedControl_ConfigureFlags(bootinfo->schedcontrol.start + pd->cpu, c->sc,
                                           pd->budget_us, pd->period_us, 0, i, 0),
          "setting budget %lu us and period %lu us for PD '%s'", (unsigned long)pd->budget_us,
          (unsigned long)pd->period_us, pd->name);
    check(seL4_TCB_SetSchedParams(c->tcb, seL4_CapInitThreadTCB, pd->priority, pd->priority,
                                  c->sc, c->fault_ep),
          "setting priority %u, scheduling context and fault endpoint for PD '%s'",
          pd->priority, pd->name);
    check(seL4_TCB_BindNotification(c->tcb, c->notification),
          "binding the notification to the TCB of PD '%s'", pd->name);
    seL4_TCB_SetFlags_t flags = seL4_TCB_SetFlags(c->tcb, pd->fpu ? seL4_TCBFlag_fpuDisabled : 0,
                                                  pd->fpu ? 0 : seL4_TCBFlag_fpuDisabled);
    check(flags.error, "setting the FPU %s for PD '%s'", pd->fpu ? "on" : "off", pd->name);
    seL4_UserContext regs = { 0 };
    regs.pc = pd->entry;
    regs.sp = pd->stack_top;
    check(seL4_TCB_WriteRegisters(c->tcb, seL4_False, 0, 2, &regs),
          "setting the entry point 0x%lx and stack 0x%lx of PD '%s'", (unsigned long)pd->entry,
          (unsigned long)pd->stack_top, pd->name);
#ifdef CONFIG_DEBUG_BUILD
    seL4_DebugNameThread(c->tcb, pd->name);
#endif
}

void tcbs_configure(void)
{
    for (uint32_t i = 0; i < sys->pd_count; i++)
        configure(i);
}

void pds_start(void)
{
    for (uint32_t i = 0; i < sys->pd_count; i++)
        check(seL4_TCB_Resume(pd_caps[i].tcb), "starting PD '%s'", pd_name(i));
}

void make_passive(uint32_t i)
{
    struct pd_caps *c = &pd_caps[i];
    seL4_Error err = seL4_SchedContext_UnbindObject(c->sc, c->tcb);
    if (err == seL4_NoError)
        err = seL4_SchedContext_Bind(c->sc, c->notification);
    if (err != seL4_NoError) {
        rt_printf("MON|ERROR: could not make PD '%s' passive (moving its scheduling context "
                  "to its notification): %s\n",
                  pd_name(i), sel4_error_name(err));
        return;
    }
    c->passive_done = true;
    rt_printf("MON|INFO: PD '%s' is now passive\n", pd_name(i));
}
