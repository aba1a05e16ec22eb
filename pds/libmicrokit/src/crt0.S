/*
 * PD entry (0x200000 with linker/pd.ld). The monitor sets the PC and SP at
 * the first start; microkit_pd_restart() sets only the PC, so the stack
 * pointer is set here again: a child restarted after a stack overflow
 * starts on a fresh stack instead of faulting in its guard page. The stack
 * top is fixed by the PD layout (pds/include/pd_layout.h). The frame
 * pointer chain ends here so debuggers stop cleanly.
 */
#include <pd_layout.h>

    .section .text.start, "ax"
    .global _start
    .type _start, %function
_start:
    .cfi_startproc
    .cfi_undefined x30
    ldr     x9, =PD_STACK_TOP
    mov     sp, x9
    mov     x29, #0
    mov     x30, #0
    bl      microkit_main
1:  b       1b
    .cfi_endproc
    .size _start, . - _start
