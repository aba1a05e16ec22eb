/*
 * What code compiled with -fstack-protector expects (libraries built
 * elsewhere, e.g. Debian's libfdt.a): the canary and the function called
 * when a function finds it overwritten. Our own code is built without the
 * protector. A smashed stack ends in an undefined instruction, which the
 * monitor (or the PD's parent) reports as a user exception with its PC.
 */
#include <stdint.h>

void __stack_chk_fail(void);

uintptr_t __stack_chk_guard = 0x7c5a3e91d2b4f068ul;

void __stack_chk_fail(void)
{
    __builtin_trap();
}
