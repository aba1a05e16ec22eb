/* Features that depend on how the kernel is configured: virtual machines
 * (hypervisor kernel), SMC calls, several cores, and scheduling domains. The SDF for
 * them is parsed and checked in full; when the kernel configuration lacks
 * the feature, each use is refused with the Kconfig option it needs. */
#include <inttypes.h>

#include "compile.h"

static void refuse_virtual_machines(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.vms.len; i++) {
        const struct vm *vm = &c->sys.vms.items[i];
        diag_error(c->diag, vm->loc,
                   "virtual machine '%s' needs a hypervisor kernel: "
                   "CONFIG_KERNEL_EL2 is not set in the kernel configuration",
                   vm->name ? vm->name : "(unnamed)");
    }
}

static void refuse_smc(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        if (pd->smc)
            diag_error(c->diag, pd->smc_loc,
                       "protection domain '%s' makes SMC calls, but the kernel "
                       "has no SMC capability: CONFIG_ALLOW_SMC_CALLS is not set "
                       "in the kernel configuration",
                       pd_label(pd));
    }
}

static void check_cpu(struct compilation *c, uint64_t cpu, struct loc loc)
{
    uint64_t nodes = c->config->max_num_nodes;
    if (cpu < nodes)
        return;
    if (nodes == 1)
        diag_error(c->diag, loc,
                   "cpu %" PRIu64 " is out of range 0..0: using several cores "
                   "needs CONFIG_MAX_NUM_NODES > 1 in the kernel configuration",
                   cpu);
    else
        diag_error(c->diag, loc,
                   "cpu %" PRIu64 " is out of range 0..%" PRIu64
                   " (CONFIG_MAX_NUM_NODES=%" PRIu64 ")",
                   cpu, nodes - 1, nodes);
}

static void check_cpus(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.pds.len; i++)
        check_cpu(c, c->sys.pds.items[i].cpu, c->sys.pds.items[i].cpu_loc);
    for (size_t i = 0; i < c->sys.vms.len; i++) {
        const struct vm *vm = &c->sys.vms.items[i];
        for (size_t j = 0; j < vm->vcpus.len; j++)
            if (vm->vcpus.items[j].valid)
                check_cpu(c, vm->vcpus.items[j].cpu, vm->vcpus.items[j].cpu_loc);
    }
}

/* Domains without an id take the smallest id not yet taken. */
static void assign_domain_ids(struct compilation *c)
{
    struct domains *domains = &c->sys.domains;
    uint64_t limit = c->config->num_domains;
    int *owner = arena_alloc(c->arena, limit * sizeof *owner);
    for (uint64_t id = 0; id < limit; id++)
        owner[id] = -1;
    for (size_t i = 0; i < domains->list.len; i++) {
        struct domain *domain = &domains->list.items[i];
        if (!domain->id_given)
            continue;
        if (domain->id >= limit) {
            diag_error(c->diag, domain->id_loc,
                       "domain id %" PRIu64 " is out of range 0..%" PRIu64
                       " (CONFIG_NUM_DOMAINS=%" PRIu64 ")",
                       domain->id, limit - 1, limit);
        } else if (owner[domain->id] >= 0) {
            diag_error(c->diag, domain->id_loc, "duplicate domain id %" PRIu64,
                       domain->id);
            diag_note(c->diag, domains->list.items[owner[domain->id]].loc,
                      "first used here");
        } else {
            owner[domain->id] = (int)i;
        }
    }
    uint64_t next = 0;
    for (size_t i = 0; i < domains->list.len; i++) {
        struct domain *domain = &domains->list.items[i];
        if (domain->id_given)
            continue;
        while (next < limit && owner[next] >= 0)
            next++;
        if (next == limit) {
            diag_error(c->diag, domain->loc,
                       "too many domains: CONFIG_NUM_DOMAINS=%" PRIu64
                       " allows %" PRIu64,
                       limit, limit);
            return;
        }
        domain->id = next;
        owner[next] = (int)i;
    }
}

static void check_schedule(struct compilation *c)
{
    struct domains *domains = &c->sys.domains;
    size_t entries = 0;
    for (size_t i = 0; i < domains->schedule.len; i++) {
        struct schedule_entry *entry = &domains->schedule.items[i];
        if (entry->end_marker)
            continue;
        entries++;
        entry->domain = find_domain(&c->sys, entry->domain_name);
        if (entry->domain < 0)
            diag_error(c->diag, entry->domain_loc, "unknown domain '%s'%s",
                       entry->domain_name,
                       name_hint(c->arena, &c->sys.domain_names, entry->domain_name));
    }
    uint64_t length = domains->schedule.len;
    if (domains->schedules && entries == 0)
        diag_error(c->diag, domains->schedule_loc,
                   "<domain_schedule> has no <schedule_entry>");
    if (length && domains->start_index >= length)
        diag_error(c->diag, domains->start_index_loc,
                   "start_index %" PRIu64 " is out of range 0..%" PRIu64
                   " (the schedule has %" PRIu64 " entries)",
                   domains->start_index, length - 1, length);
    else if (length && domains->schedule.items[domains->start_index].end_marker)
        diag_error(c->diag, domains->start_index_loc,
                   "start_index %" PRIu64 " names a <schedule_end_marker>",
                   domains->start_index);
    /* The kernel keeps its last slot an end marker. */
    uint64_t slots = c->config->num_domain_schedules - 1;
    if (domains->index_shift > slots || length > slots - domains->index_shift)
        diag_error(c->diag, domains->schedule_loc,
                   "index_shift %" PRIu64 " plus %" PRIu64
                   " schedule entries exceeds the kernel's %" PRIu64
                   " usable schedule slots (CONFIG_NUM_DOMAIN_SCHEDULES=%" PRIu64 ")",
                   domains->index_shift, length, slots,
                   c->config->num_domain_schedules);
}

static void check_pd_domains(struct compilation *c, bool domains_enabled)
{
    const struct domains *domains = &c->sys.domains;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        struct pd *pd = &c->sys.pds.items[i];
        if (!domains->present && pd->domain_name) {
            diag_error(c->diag, pd->domain_loc,
                       "protection domain '%s' names domain '%s' but the "
                       "system has no <domains>",
                       pd_label(pd), pd->domain_name);
        } else if (domains_enabled && !pd->domain_name) {
            diag_error(c->diag, pd->loc,
                       "protection domain '%s' needs a 'domain' attribute "
                       "because the system declares <domains>",
                       pd_label(pd));
        } else if (domains_enabled) {
            pd->domain = find_domain(&c->sys, pd->domain_name);
            if (pd->domain < 0)
                diag_error(c->diag, pd->domain_loc, "unknown domain '%s'%s",
                           pd->domain_name,
                           name_hint(c->arena, &c->sys.domain_names, pd->domain_name));
        }
    }
}

static bool check_domains_enabled(struct compilation *c)
{
    const struct domains *domains = &c->sys.domains;
    if (!domains->present)
        return false;
    if (c->config->num_domains <= 1) {
        diag_error(c->diag, domains->loc,
                   "scheduling domains need CONFIG_NUM_DOMAINS > 1 in the "
                   "kernel configuration");
        diag_note(c->diag, domains->loc,
                  "configure a kernel with domains: make menuconfig, or "
                  "KCONFIG_SET=\"NUM_DOMAINS=16 MAX_NUM_NODES=1\" for a new O= "
                  "(the kernels of make sdk have 16)");
        return false;
    }
    if (c->config->max_num_nodes > 1) {
        diag_error(c->diag, domains->loc,
                   "the domain scheduler is not supported with several cores "
                   "(CONFIG_MAX_NUM_NODES=%" PRIu64 ")",
                   c->config->max_num_nodes);
        return false;
    }
    return true;
}

void check_features(struct compilation *c)
{
    if (!c->config->kernel_el2)
        refuse_virtual_machines(c);
    if (!c->config->allow_smc_calls)
        refuse_smc(c);
    check_cpus(c);
    bool domains_enabled = check_domains_enabled(c);
    if (domains_enabled) {
        assign_domain_ids(c);
        check_schedule(c);
    }
    check_pd_domains(c, domains_enabled);
}
