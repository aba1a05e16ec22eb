/*
 * Entry of a root task: x0 = BootInfo address (seL4's convention). The
 * kernel gives the root task no stack, so it starts on a static one.
 */
    .section .text.start, "ax"
    .global _start
_start:
    adrp    x9, roottask_stack_top
    add     x9, x9, :lo12:roottask_stack_top
    mov     sp, x9
    mov     x29, #0
    mov     x30, #0
    bl      roottask_main
1:  b       1b

    .section .bss.stack, "aw", %nobits
    .balign 16
    .space  65536
roottask_stack_top:
