/*
 * PSCI (Arm's Power State Coordination Interface, DEN0022) and the SMCCC
 * calls around it, for guests that call them with SMC (the conduit the
 * guest's device tree names; seL4 traps a guest's SMC to its VMM as a
 * VCPU fault). The decision is pure: psci_decide() says what the call
 * asks for and what to return; the VMM carries it out.
 */
#ifndef VMM_PSCI_H
#define VMM_PSCI_H

#include <stdbool.h>
#include <stdint.h>

/* Function ids (SMC64 where there is a choice). */
#define PSCI_VERSION            0x84000000u
#define PSCI_CPU_SUSPEND        0xc4000001u
#define PSCI_CPU_OFF            0x84000002u
#define PSCI_CPU_ON             0xc4000003u
#define PSCI_AFFINITY_INFO      0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE  0x84000006u
#define PSCI_SYSTEM_OFF         0x84000008u
#define PSCI_SYSTEM_RESET       0x84000009u
#define PSCI_FEATURES           0x8400000au
#define SMCCC_VERSION           0x80000000u
#define PSCI_32BIT_MASK         0x40000000u     /* SMC32 ids lack this bit */

/* Return codes. */
#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED             (-3)
#define PSCI_ALREADY_ON         (-4)

#define PSCI_VERSION_1_0        0x10000u
#define PSCI_AFFINITY_ON        0
#define PSCI_AFFINITY_OFF       1
#define PSCI_TOS_NOT_PRESENT    2               /* MIGRATE_INFO_TYPE */

enum psci_action {
    PSCI_ACTION_RETURN,         /* just return `result` in x0 */
    PSCI_ACTION_CPU_ON,         /* start vCPU `target` at `entry`, x0 = `context` */
    PSCI_ACTION_CPU_OFF,        /* stop the calling vCPU */
    PSCI_ACTION_SYSTEM_OFF,     /* the guest is done */
    PSCI_ACTION_SYSTEM_RESET,   /* the guest wants to be restarted */
};

struct psci_call {
    uint64_t function, arg[3];  /* x0..x3 */
};

struct psci_decision {
    enum psci_action action;
    int64_t result;             /* x0 on return (PSCI_ACTION_RETURN, CPU_ON) */
    unsigned target;            /* vCPU for CPU_ON */
    uint64_t entry, context;
};

/* What the VMM knows about the guest's vCPUs: how many, which run. */
struct psci_vcpus {
    unsigned count;
    const bool *on;             /* on[i]: vCPU i runs */
};

/* vCPU index of an MPIDR affinity value (Aff0 = index), or -1. */
int psci_vcpu_of_mpidr(uint64_t mpidr, unsigned count);

struct psci_decision psci_decide(const struct psci_call *call, unsigned caller,
                                 const struct psci_vcpus *vcpus);

#endif
