/*
 * Entry: the arm64 Image header, then everything that must happen before C
 * can run. Position independent until the image sits at its link address:
 * only PC-relative addressing, and literals only to learn the link address.
 *
 *   1. mask interrupts; clean the D-cache if it was on, turn the MMU and
 *      caches off at the entry EL (U-Boot `go` leaves them on at EL2);
 *   2. move the whole image (code, data, payload) to the link address;
 *   3. zero .bss (but the stacks and page tables), set the stacks and the exception vectors, call loader_main.
 *
 * Registers kept across these steps: x19 = entry x0, x20 = entry x1,
 * x21 = entry EL, x22 = SCTLR_ELx at entry, x23 = load address if moved.
 */
#include "sysreg.h"
#include "image_layout.h"

/* Load a 32-bit constant without touching memory. */
.macro mov32 reg, value
    movz    \reg, #((\value) & 0xffff)
    movk    \reg, #(((\value) >> 16) & 0xffff), lsl #16
.endm

/* MMU and caches off at EL\el; D-cache cleaned first if it was on. */
.macro mmu_caches_off el, sctlr_safe, tlbi_all
    mrs     x22, sctlr_el\el
    tst     x22, #SCTLR_C
    b.eq    1f
    bl      dcache_clean_invalidate_all     /* dirty lines (our image too) reach RAM */
1:  mov32   x0, \sctlr_safe
    msr     sctlr_el\el, x0
    isb
    tst     x22, #SCTLR_C
    b.eq    2f
    bl      dcache_clean_invalidate_all     /* drop lines allocated before the switch */
2:  ic      iallu
    tlbi    \tlbi_all
    dsb     sy
    isb
.endm

    .section .text.head, "ax"
    .global _start
_start:
    /* arm64 Image header (Linux Documentation/arch/arm64/booting.rst layout). */
    b       primary_entry                   /* code0 */
    nop                                     /* code1 */
    .quad   CONFIG_LOADER_LINK_ADDRESS - LOADER_RAM_BASE   /* text_offset */
    .quad   _image_size                     /* image_size: .bss and stacks included */
    .quad   0x2                             /* flags: LE, 4 KiB pages, near DRAM base */
    .quad   0, 0, 0                         /* res2..res4 */
    .ascii  "ARM\x64"                       /* magic */
    .long   0                               /* res5: no PE/COFF header */

primary_entry:
    msr     daifset, #0xf
    mov     x19, x0
    mov     x20, x1
    msr     spsel, #1
    mrs     x21, CurrentEL
    ubfx    x21, x21, #2, #2
    cmp     x21, #3
    b.eq    entered_el3
    cmp     x21, #2
    b.eq    entered_el2
    mmu_caches_off 1, SCTLR_EL1_RES1, vmalle1
    b       find_location
entered_el2:
    mmu_caches_off 2, SCTLR_EL2_RES1, alle2
    b       find_location
entered_el3:
    mmu_caches_off 3, SCTLR_EL3_RES1, alle3

find_location:
    mov     x23, #0
check_location:
    adr     x0, _start                      /* where we run */
    ldr     x1, =_start                     /* where we are linked */
    cmp     x0, x1
    b.eq    at_link_address
    cbnz    x23, 1f
    mov     x23, x0                         /* first load address, for the log */
1:  ldr     x2, =_image_end
    sub     x2, x2, x1                      /* bytes to move (a multiple of 8) */
    sub     x3, x1, x0                      /* distance: destination - source */
    cmp     x3, #0
    cneg    x4, x3, lt
    cmp     x4, #LOADER_RELOCATION_PAGE
    b.hs    2f
    /*
     * Closer than a page: this code would overwrite itself. Move to a
     * staging copy inside the loader's own region, then relocate again.
     */
    add     x1, x1, #LOADER_STAGING_OFFSET
    sub     x3, x1, x0
2:  cmp     x1, x0
    b.hi    copy_downwards

    /*
     * Destination below the source: copy upwards. Copy this first page,
     * then continue from the destination's copy of this code, which later
     * writes (all above the destination's first page) never touch.
     */
    mov     x4, #LOADER_RELOCATION_PAGE
    cmp     x2, x4
    csel    x4, x2, x4, lo
    mov     x5, #0
3:  ldr     w6, [x0, x5]
    str     w6, [x1, x5]
    add     x5, x5, #4
    cmp     x5, x4
    b.lo    3b
    adr     x6, 4f
    add     x6, x6, x3
    br      x6
4:  cmp     x5, x2
    b.hs    relocated
5:  ldr     w6, [x0, x5]
    str     w6, [x1, x5]
    add     x5, x5, #4
    cmp     x5, x2
    b.lo    5b
    b       relocated

    /*
     * Destination above the source: copy downwards. Writes land more than
     * a page above what is read next, so this first page stays intact.
     */
copy_downwards:
    mov     x5, x2
6:  sub     x5, x5, #4
    ldr     w6, [x0, x5]
    str     w6, [x1, x5]
    cbnz    x5, 6b
    adr     x6, relocated
    add     x6, x6, x3
    br      x6

relocated:
    dsb     sy
    ic      iallu
    dsb     sy
    isb
    b       check_location                  /* at the link address, or staged */

at_link_address:
    ldr     x0, =_bss_start             /* both 64-byte aligned (loader.ld) */
    ldr     x1, =_bss_zero_end
    b       2f
1:  stp     xzr, xzr, [x0]
    stp     xzr, xzr, [x0, #16]
    stp     xzr, xzr, [x0, #32]
    stp     xzr, xzr, [x0, #48]
    add     x0, x0, #64
2:  cmp     x0, x1
    b.lo    1b
    ldr     x0, =_stack_top
    mov     sp, x0
    ldr     x0, =_exception_stack_top       /* see vectors.S */
    msr     sp_el0, x0
    ldr     x0, =exception_vectors
    cmp     x21, #3
    b.eq    2f
    cmp     x21, #2
    b.eq    3f
    msr     vbar_el1, x0
    b       4f
2:  msr     vbar_el3, x0
    b       4f
3:  msr     vbar_el2, x0
4:  isb
    mov     x0, x19
    mov     x1, x20
    mov     x2, x23
    mov     x3, x21
    mov     x4, x22
    bl      loader_main
5:  wfi
    b       5b
    .ltorg
    .global _relocation_code_end
_relocation_code_end:

/*
 * A secondary core (CONFIG_MAX_NUM_NODES > 1), started by the boot core
 * with PSCI CPU_ON: x0 = its index, MMU and caches off, at the entry EL,
 * the image already at its link address. Its stack is its own slice of
 * _secondary_stacks; exceptions (reports only) use it too.
 */
    .section .text, "ax"
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    msr     spsel, #1
    mov     x19, x0
    mrs     x20, CurrentEL
    ubfx    x20, x20, #2, #2
    ldr     x1, =_secondary_stacks
    mov     x2, #LOADER_SECONDARY_STACK
    madd    x1, x19, x2, x1             /* core n: top of slice n - 1 */
    mov     sp, x1
    msr     sp_el0, x1
    ldr     x0, =exception_vectors
    cmp     x20, #3
    b.eq    2f
    cmp     x20, #2
    b.eq    3f
    msr     vbar_el1, x0
    b       4f
2:  msr     vbar_el3, x0
    b       4f
3:  msr     vbar_el2, x0
4:  isb
    mov     x0, x19
    mov     x1, x20
    bl      loader_secondary_main
5:  wfi
    b       5b
    .ltorg

/* Stacks: in .bss, not zeroed (loader.ld: .noinit). */
    .section .noinit.stack, "aw", %nobits
    .balign 16
    .space  16384
    .global _stack_top
_stack_top:
    .space  8192
    .global _exception_stack_top
_exception_stack_top:
    .balign 16
    .global _secondary_stacks
_secondary_stacks:
    .space  (CONFIG_MAX_NUM_NODES - 1) * LOADER_SECONDARY_STACK
