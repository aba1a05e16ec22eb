/*
 * PSCI 1.0 for guests (include/vmm/psci.h). Only what a guest OS needs to
 * boot, bring up its secondary vCPUs, and power off or restart: VERSION,
 * CPU_ON, CPU_OFF, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF,
 * SYSTEM_RESET, FEATURES, and SMCCC's VERSION. Everything else answers
 * NOT_SUPPORTED, which guests take as "use something else".
 */
#include <vmm/psci.h>

/* MPIDR affinity fields a guest may use to name a vCPU: Aff0 only (one
 * cluster), the others must be zero. */
#define MPIDR_AFF0_MASK     0xffull
#define MPIDR_AFF_MASK      0xff00ffffffull

int psci_vcpu_of_mpidr(uint64_t mpidr, unsigned count)
{
    mpidr &= MPIDR_AFF_MASK;
    if (mpidr & ~MPIDR_AFF0_MASK)
        return -1;
    return mpidr < count ? (int)mpidr : -1;
}

static bool supported(uint64_t function)
{
    switch (function | PSCI_32BIT_MASK) {
    case PSCI_VERSION | PSCI_32BIT_MASK:
    case PSCI_CPU_OFF | PSCI_32BIT_MASK:
    case PSCI_CPU_ON:
    case PSCI_AFFINITY_INFO:
    case PSCI_MIGRATE_INFO_TYPE | PSCI_32BIT_MASK:
    case PSCI_SYSTEM_OFF | PSCI_32BIT_MASK:
    case PSCI_SYSTEM_RESET | PSCI_32BIT_MASK:
    case PSCI_FEATURES | PSCI_32BIT_MASK:
        return true;
    default:
        return false;
    }
}

static struct psci_decision answer(int64_t result)
{
    return (struct psci_decision){ .action = PSCI_ACTION_RETURN, .result = result };
}

static struct psci_decision cpu_on(const struct psci_call *call, const struct psci_vcpus *vcpus)
{
    int target = psci_vcpu_of_mpidr(call->arg[0], vcpus->count);
    if (target < 0)
        return answer(PSCI_INVALID_PARAMETERS);
    if (vcpus->on[target])
        return answer(PSCI_ALREADY_ON);
    return (struct psci_decision){
        .action = PSCI_ACTION_CPU_ON, .result = PSCI_SUCCESS, .target = (unsigned)target,
        .entry = call->arg[1], .context = call->arg[2],
    };
}

static struct psci_decision affinity_info(const struct psci_call *call,
                                          const struct psci_vcpus *vcpus)
{
    /* Level 0 only: one vCPU per affinity value. */
    if (call->arg[1] != 0)
        return answer(PSCI_INVALID_PARAMETERS);
    int target = psci_vcpu_of_mpidr(call->arg[0], vcpus->count);
    if (target < 0)
        return answer(PSCI_INVALID_PARAMETERS);
    return answer(vcpus->on[target] ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF);
}

struct psci_decision psci_decide(const struct psci_call *call, unsigned caller,
                                 const struct psci_vcpus *vcpus)
{
    (void)caller;
    /* SMC32 calls carry their arguments in the low halves. */
    uint32_t function = (uint32_t)call->function;
    switch (function) {
    case PSCI_VERSION:
        return answer(PSCI_VERSION_1_0);
    case SMCCC_VERSION:
        return answer(PSCI_NOT_SUPPORTED);      /* SMCCC 1.0: no VERSION call */
    case PSCI_CPU_ON:
    case PSCI_CPU_ON & ~PSCI_32BIT_MASK: {
        struct psci_call c = *call;
        if (function == (PSCI_CPU_ON & ~PSCI_32BIT_MASK))
            for (unsigned i = 0; i < 3; i++)
                c.arg[i] = (uint32_t)c.arg[i];
        return cpu_on(&c, vcpus);
    }
    case PSCI_CPU_OFF:
        return (struct psci_decision){ .action = PSCI_ACTION_CPU_OFF };
    case PSCI_AFFINITY_INFO:
    case PSCI_AFFINITY_INFO & ~PSCI_32BIT_MASK:
        return affinity_info(call, vcpus);
    case PSCI_MIGRATE_INFO_TYPE:
        return answer(PSCI_TOS_NOT_PRESENT);
    case PSCI_SYSTEM_OFF:
        return (struct psci_decision){ .action = PSCI_ACTION_SYSTEM_OFF };
    case PSCI_SYSTEM_RESET:
        return (struct psci_decision){ .action = PSCI_ACTION_SYSTEM_RESET };
    case PSCI_FEATURES:
        return answer(supported(call->arg[0] & 0xffffffffu) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED);
    default:
        return answer(PSCI_NOT_SUPPORTED);
    }
}
