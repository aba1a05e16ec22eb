/* Stub root task: never runs; the stub kernel finds this marker at its entry. */
    .section .text, "ax"
    .global _start
_start:
    .ascii  "ROOTTASK-STUB-MAGIC"
    .balign 4
    b       _start

    .section .data, "aw"
    .quad   0x1122334455667788

    .section .bss, "aw", %nobits
    .space  0x3000
