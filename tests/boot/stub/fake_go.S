/*
 * Stand-in for U-Boot's `go` on the Odroid-C4 (tests/boot/loader_test.py):
 * at EL2 (QEMU virtualization=on), turn on the MMU, D-cache and I-cache with
 * an identity map, dirty some memory, then call the loader the way `go`
 * does: x0 = argc, x1 = argv, MMU and caches still on. The loader image is
 * loaded separately at GO_TARGET. QEMU does not model caches, but the MMU
 * and register state the loader must undo are real.
 */
#define MAIR_DEVICE_NORMAL  0xff00          /* index 0 Device-nGnRnE, 1 Normal WB */
#define TCR_EL2_VALUE       ((1 << 31) | (1 << 23) | (2 << 16) | (3 << 12) | (1 << 10) | (1 << 8) | 25)
#define SCTLR_EL2_ON        (0x30c50830 | (1 << 12) | (1 << 2) | (1 << 0))
#define BLOCK_DEVICE        ((1 << 10) | (0 << 2) | 1 | (1 << 53) | (1 << 54))
#define BLOCK_NORMAL        ((1 << 10) | (3 << 8) | (1 << 2) | 1)

    .section .text, "ax"
    .global _start
_start:
    mrs     x0, CurrentEL
    cmp     x0, #(2 << 2)
    b.ne    .                               /* needs virtualization=on */
    /* L1 table, 1 GiB blocks: [0, 1G) device (UART, GIC), [1G, 3G) RAM. */
    adr     x1, l1_table
    ldr     x2, =BLOCK_DEVICE
    str     x2, [x1, #0]
    ldr     x2, =(0x40000000 | BLOCK_NORMAL)
    str     x2, [x1, #8]
    ldr     x2, =(0x80000000 | BLOCK_NORMAL)
    str     x2, [x1, #16]
    dsb     sy
    ldr     x2, =MAIR_DEVICE_NORMAL
    msr     mair_el2, x2
    ldr     x2, =TCR_EL2_VALUE
    msr     tcr_el2, x2
    msr     ttbr0_el2, x1
    isb
    tlbi    alle2
    dsb     sy
    isb
    ldr     x2, =SCTLR_EL2_ON
    msr     sctlr_el2, x2
    isb
    /* Dirty a few lines, as U-Boot's own data would be. */
    adr     x3, scratch
    mov     x4, #64
1:  str     x4, [x3], #8
    subs    x4, x4, #1
    b.ne    1b
    /* go GO_TARGET: entry(argc = 1, argv = {"go"}) */
    mov     x0, #1
    adr     x1, argv
    adr     x2, stack_top
    mov     sp, x2
    ldr     x9, =GO_TARGET
    blr     x9
    b       .

    .ltorg
    .balign 8
argv:
    .quad   go_name, 0
go_name:
    .asciz  "go"

    .section .bss, "aw", %nobits
    .balign 4096
l1_table:
    .space  4096
scratch:
    .space  512
    .balign 16
    .space  4096
stack_top:
