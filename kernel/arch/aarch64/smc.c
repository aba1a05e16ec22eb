/*
 * ARMSMCCall on an SMC capability: forward x0..x7 (message registers 0..7)
 * to the secure monitor with `smc #0` and reply with x0..x7 as they came
 * back, as seL4 does. The call runs to completion in the firmware: the
 * kernel cannot preempt it, which is why the capability exists only with
 * CONFIG_ALLOW_SMC_CALLS and Microkit gives it only to PDs with smc="true".
 *
 * Where no firmware answers an SMC it is an undefined instruction: with no
 * EL3, and on QEMU's virt machine for any function id its PSCI emulation
 * does not know. The kernel's vector then resumes after `smc_instruction`
 * with x0 = -1, SMCCC's NOT_SUPPORTED, which is what firmware answers for an
 * unknown function (vectors.S), instead of treating it as a kernel bug.
 */
#include <arch/smc.h>

#ifdef CONFIG_ALLOW_SMC_CALLS

static __attribute__((noinline)) void smc_call(word_t regs[SMC_ARGS])
{
    register word_t x0 __asm__("x0") = regs[0];
    register word_t x1 __asm__("x1") = regs[1];
    register word_t x2 __asm__("x2") = regs[2];
    register word_t x3 __asm__("x3") = regs[3];
    register word_t x4 __asm__("x4") = regs[4];
    register word_t x5 __asm__("x5") = regs[5];
    register word_t x6 __asm__("x6") = regs[6];
    register word_t x7 __asm__("x7") = regs[7];
    /* SMCCC lets the firmware change x0..x17; the vector's fix-up (above)
       uses x16 and x17 too. x18 is this core's NODE with several cores
       (arch/smp.h): SMCCC says the firmware keeps it, QEMU's PSCI does not,
       so it is kept here (in x9, which may be clobbered anyway). */
    __asm__ volatile("mov x9, x18\n"
                     ".global smc_instruction\n"
                     "smc_instruction: smc #0\n"
                     "mov x18, x9"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
                       "+r"(x7)
                     :
                     : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
                       "memory");
    regs[0] = x0;
    regs[1] = x1;
    regs[2] = x2;
    regs[3] = x3;
    regs[4] = x4;
    regs[5] = x5;
    regs[6] = x6;
    regs[7] = x7;
}

seL4_Error decode_smc(invocation_t *inv)
{
    if (inv->label != ARMSMCCall)
        return inv_error(inv, seL4_IllegalOperation);
    if (inv->length < SMC_ARGS)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t regs[SMC_ARGS];
    for (unsigned i = 0; i < SMC_ARGS; i++)
        regs[i] = inv_mr(inv, i);
    /* A badge restricts the cap to one function id. */
    word_t badge = cap_simple_data(inv->cap);
    if (badge != 0 && badge != regs[0])
        return inv_error(inv, seL4_IllegalOperation);
    smc_call(regs);
    if (inv->call)
        for (unsigned i = 0; i < SMC_ARGS; i++)
            reply_mr(inv, i, regs[i]);
    return seL4_NoError;
}

#endif
