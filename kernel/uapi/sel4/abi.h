/*
 * sel4/abi.h - the pure part of the seL4 AArch64 MCS user API.
 *
 * Everything here is a number, a type or a side-effect-free inline helper:
 * no system calls, no asm, no globals. The kernel includes this file (it
 * builds freestanding with -mgeneral-regs-only); user programs get it
 * through <sel4/sel4.h>; host tools and tests can include it too.
 * Assembly files may include it as well: they see the #define subset.
 */
#ifndef SEL4_UAPI_ABI_H
#define SEL4_UAPI_ABI_H

#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/syscall.h>
#include <sel4/objecttype.h>
#include <sel4/invocation.h>
#include <sel4/shared_types.h>
#include <sel4/bootinfo_types.h>

#endif /* SEL4_UAPI_ABI_H */
