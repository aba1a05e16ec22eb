/*
 * The SMC capability (CONFIG_ALLOW_SMC_CALLS, seL4's KernelAllowSMCCalls):
 * initial slot 15, ARMSMCCall forwarding x0..x7 to the firmware and back,
 * badges restricting it to one function id. Under QEMU the firmware is
 * QEMU's own PSCI emulation (virt,virtualization=on takes PSCI on SMC); a
 * function id it does not know answers SMCCC's NOT_SUPPORTED (-1), as real
 * firmware does.
 */
#include "ktest.h"

#define PSCI_VERSION        0x84000000ul
#define PSCI_FEATURES       0x8400000aul
#define SIP_SERVICE_CALL    0xc2000001ul   /* SMCCC SiP range: no firmware here has it */
#define SMCCC_NOT_SUPPORTED ((seL4_Word)-1)

#ifdef CONFIG_ALLOW_SMC_CALLS

TEST_BARE(smc_initial_cap, "DebugCapIdentify: slot 15 holds the SMC cap")
{
    KT_CAP_IS(seL4_CapSMC, KT_CAP_SMC);
    return KT_PASS;
}

static seL4_Error smc(seL4_CPtr cap, seL4_Word x0, seL4_Word x1, seL4_ARM_SMCContext *out)
{
    seL4_ARM_SMCContext in = { .x0 = x0, .x1 = x1, .x2 = 2, .x3 = 3, .x4 = 4, .x5 = 5,
                               .x6 = 6, .x7 = 7 };
    *out = (seL4_ARM_SMCContext){ 0 };
    return seL4_ARM_SMC_Call(cap, &in, out);
}

TEST(smc_psci_version, "ARMSMCCall PSCI_VERSION: the firmware's answer in x0 (PSCI 1.x)")
{
    seL4_ARM_SMCContext r;
    KT_OK(smc(seL4_CapSMC, PSCI_VERSION, 0, &r));
    KT_NE(r.x0, SMCCC_NOT_SUPPORTED);
    KT_EQ(r.x0 >> 16, 1);
    return KT_PASS;
}

TEST(smc_arguments_reach_firmware, "ARMSMCCall PSCI_FEATURES(x1 = PSCI_VERSION): x1 reaches "
     "the firmware, which says the function exists (0)")
{
    seL4_ARM_SMCContext r;
    KT_OK(smc(seL4_CapSMC, PSCI_FEATURES, PSCI_VERSION, &r));
    KT_EQ(r.x0, 0);
    KT_OK(smc(seL4_CapSMC, PSCI_FEATURES, SIP_SERVICE_CALL, &r));
    KT_EQ(r.x0, SMCCC_NOT_SUPPORTED);
    return KT_PASS;
}

TEST(smc_unknown_function, "ARMSMCCall of a function no firmware implements: x0 = -1 "
     "(SMCCC NOT_SUPPORTED), and the kernel runs on")
{
    /* Under QEMU virt without EL2 or EL3 nothing answers any SMC: the
       instruction is undefined and the kernel answers for the firmware
       (testsuite.py runs these tests there too). */
    seL4_ARM_SMCContext r;
    for (int i = 0; i < 3; i++) {
        KT_OK(smc(seL4_CapSMC, SIP_SERVICE_CALL, 0, &r));
        KT_EQ(r.x0, SMCCC_NOT_SUPPORTED);
        KT_EQ(r.x7, 7);     /* SMCCC: x4..x17 come back as they went */
    }
    return KT_PASS;
}

TEST(smc_reply_length, "ARMSMCCall replies with 8 message registers and label 0")
{
    seL4_SetMR(4, 0);
    seL4_SetMR(5, 0);
    seL4_SetMR(6, 0);
    seL4_SetMR(7, 0);
    seL4_MessageInfo_t info = seL4_MessageInfo_new(ARMSMCCall, 0, 0, 8);
    seL4_Word mr0 = PSCI_VERSION, mr1 = 0, mr2 = 0, mr3 = 0;
    info = seL4_CallWithMRs(seL4_CapSMC, info, &mr0, &mr1, &mr2, &mr3);
    KT_EQ(seL4_MessageInfo_get_label(info), 0);
    KT_EQ(seL4_MessageInfo_get_length(info), 8);
    KT_EQ(mr0 >> 16, 1);
    return KT_PASS;
}

TEST(smc_truncated, "ARMSMCCall with fewer than 8 words is TruncatedMessage; another label "
     "is IllegalOperation")
{
    for (seL4_Word len = 0; len < 8; len++)
        KT_EQ(kt_call_raw(seL4_CapSMC, ARMSMCCall, len, 0, PSCI_VERSION, 0, 0, 0),
              seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(seL4_CapSMC, ARMSMCCall + 1, 8, 0, PSCI_VERSION, 0, 0, 0),
          seL4_IllegalOperation);
    KT_EQ(kt_call_raw(seL4_CapSMC, 0, 8, 0, PSCI_VERSION, 0, 0, 0), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(smc_badge_allows_one_function, "A badged SMC cap makes only the call whose function id "
     "is its badge (IllegalOperation otherwise)")
{
    seL4_CPtr version_only = KT_MINT(seL4_CapSMC, seL4_AllRights, PSCI_VERSION);
    KT_CAP_IS(version_only, KT_CAP_SMC);
    seL4_ARM_SMCContext r;
    KT_OK(smc(version_only, PSCI_VERSION, 0, &r));
    KT_EQ(r.x0 >> 16, 1);
    KT_ERR(smc(version_only, PSCI_FEATURES, PSCI_VERSION, &r), seL4_IllegalOperation);
    /* the unbadged original still makes any call */
    KT_OK(smc(seL4_CapSMC, PSCI_FEATURES, PSCI_VERSION, &r));
    return KT_PASS;
}

TEST(smc_badge_once, "An SMC cap is badged once: minting a badged one again, or Mutate with "
     "data, is refused; a copy keeps the badge")
{
    seL4_CPtr badged = KT_MINT(seL4_CapSMC, seL4_AllRights, PSCI_VERSION);
    seL4_CPtr d = kt_slot();
    KT_ERR(seL4_CNode_Mint(KT_ROOT_CNODE, d, KT_DEPTH, KT_ROOT_CNODE, badged, KT_DEPTH,
                           seL4_AllRights, PSCI_FEATURES),
           seL4_IllegalOperation);
    seL4_CPtr copy = KT_COPY(badged, seL4_AllRights);
    seL4_ARM_SMCContext r;
    KT_ERR(smc(copy, PSCI_FEATURES, PSCI_VERSION, &r), seL4_IllegalOperation);
    KT_OK(smc(copy, PSCI_VERSION, 0, &r));
    seL4_CPtr plain = KT_COPY(seL4_CapSMC, seL4_AllRights);
    KT_ERR(seL4_CNode_Mutate(KT_ROOT_CNODE, d, KT_DEPTH, KT_ROOT_CNODE, plain, KT_DEPTH,
                             PSCI_VERSION),
           seL4_IllegalOperation);
    return KT_PASS;
}

TEST(smc_revoke_removes_badged, "Revoking the original SMC cap deletes its copies and badged "
     "caps; the original stays")
{
    seL4_CPtr badged = KT_MINT(seL4_CapSMC, seL4_AllRights, PSCI_VERSION);
    seL4_CPtr copy = KT_COPY(seL4_CapSMC, seL4_AllRights);
    KT_OK(kt_revoke(seL4_CapSMC));
    KT_CAP_IS(badged, KT_CAP_NULL);
    KT_CAP_IS(copy, KT_CAP_NULL);
    KT_CAP_IS(seL4_CapSMC, KT_CAP_SMC);
    return KT_PASS;
}

#else

TEST_BARE(smc_no_cap, "Without CONFIG_ALLOW_SMC_CALLS slot 15 is empty")
{
    KT_CAP_IS(seL4_CapSMC, KT_CAP_NULL);
    return KT_PASS;
}

#endif
