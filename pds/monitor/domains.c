/*
 * Scheduling domains (seL4's domain scheduler, Microkit's <domains>):
 * every PD's TCB goes into its domain (DomainSet_Set), the schedule into
 * the kernel's schedule slots (DomainSet_ScheduleConfigure), and, once
 * every PD has been started, the schedule starts (DomainSet_
 * ScheduleSetStart). Until then the kernel runs its boot schedule, domain
 * 0 only: the monitor's own domain, so PDs of other domains wait for the
 * start and all begin together. Nothing happens for a system without
 * <domains>.
 */
#include "monitor.h"
#include "domain_plan.h"

void domains_assign(void)
{
    if (!sys->schedule_count)
        return;
    if (CONFIG_NUM_DOMAINS <= 1)
        fail("the system has a domain schedule, but the kernel was built with "
             "CONFIG_NUM_DOMAINS=%u", CONFIG_NUM_DOMAINS);
    for (uint32_t i = 0; i < sys->pd_count; i++)
        check(seL4_DomainSet_Set(seL4_CapDomain, (seL4_Uint8)sys->pds[i].domain, pd_caps[i].tcb),
              "putting PD '%s' in scheduling domain %u", pd_name(i), sys->pds[i].domain);
}

void domains_configure(void)
{
    uint64_t hz = counter_frequency();
    for (uint32_t i = 0; i < sys->schedule_count; i++) {
        const struct sys_schedule_entry *e = &sys->schedule[i];
        uint64_t ticks;
        if (!domain_entry_ticks(e, hz, &ticks))
            fail("domain schedule entry %u: %lu %s is more than the kernel's 2^56 - 1 timer "
                 "ticks (%lu Hz)", i, (unsigned long)e->duration, e->ticks ? "ticks" : "us",
                 (unsigned long)hz);
        if (!domain_entry_written(sys, i))
            continue;
        if (e->duration == 0)
            check(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, domain_slot(sys, i), 0, 0),
                  "making domain schedule slot %u an end marker", domain_slot(sys, i));
        else
            check(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, domain_slot(sys, i),
                                                   e->domain, ticks),
                  "setting domain schedule slot %u to domain %u for %lu timer ticks",
                  domain_slot(sys, i), e->domain, (unsigned long)ticks);
    }
}

void domains_start(void)
{
    if (!sys->schedule_count)
        return;
    uint32_t start = domain_slot(sys, sys->schedule_start_index);
    rt_printf("MON|INFO: domain schedule: %u entries in slots %u..%u, starting at slot %u\n",
              sys->schedule_count, domain_slot(sys, 0),
              domain_slot(sys, sys->schedule_count - 1), start);
    check(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, start),
          "starting the domain schedule at slot %u", start);
}
