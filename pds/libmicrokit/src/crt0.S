/*
 * PD entry (0x200000 with linker/pd.ld). The monitor sets SP and the PC;
 * the frame pointer chain ends here so debuggers stop cleanly.
 */
    .section .text.start, "ax"
    .global _start
    .type _start, %function
_start:
    .cfi_startproc
    .cfi_undefined x30
    mov     x29, #0
    mov     x30, #0
    bl      microkit_main
1:  b       1b
    .cfi_endproc
    .size _start, . - _start
