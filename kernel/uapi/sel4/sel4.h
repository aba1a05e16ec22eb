/*
 * sel4/sel4.h - the seL4 user API (AArch64, MCS): compile user programs
 * with -I kernel/uapi and include this one header.
 *
 *   <sel4/abi.h>          numbers, types, message-info/rights helpers (pure)
 *   <sel4/syscalls.h>     system-call stubs, MR and IPC-buffer access
 *   <sel4/invocations.h>  kernel-object invocation wrappers
 *   <sel4/bootinfo.h>     seL4_GetBootInfo / seL4_InitBootInfo
 *
 * docs/uapi.md describes the files and the register contract,
 * docs/invocations.md the message format of every invocation.
 */
#ifndef SEL4_UAPI_SEL4_H
#define SEL4_UAPI_SEL4_H

#include <sel4/abi.h>
#include <sel4/syscalls.h>
#include <sel4/invocations.h>
#include <sel4/bootinfo.h>

#endif /* SEL4_UAPI_SEL4_H */
