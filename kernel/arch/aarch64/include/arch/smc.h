/*
 * The SMC capability (CONFIG_ALLOW_SMC_CALLS): a thread holding it asks the
 * kernel to make a Secure Monitor Call with x0..x7 of its choosing and gets
 * x0..x7 back (seL4's ARMSMCCall). A badged SMC cap allows only the
 * function id equal to its badge.
 */
#ifndef ARCH_SMC_H
#define ARCH_SMC_H

#include <kernel/invocation.h>

#define SMC_ARGS 8      /* x0..x7 go to the firmware and come back */

seL4_Error decode_smc(invocation_t *inv);

#endif
