/*
 * Cache maintenance that needs no stack and no memory: head.S runs it before
 * anything else, while the caches may still hold U-Boot's dirty lines.
 * Uses x0-x11 only, so callers can keep state in x19-x28.
 */
    .text

/*
 * Clean and invalidate every data or unified cache level up to the Point of
 * Coherency (CLIDR_EL1.LoC), by set/way. Set/way operations are only safe on
 * a single running core, which is what the loader is.
 */
    .global dcache_clean_invalidate_all
    .type dcache_clean_invalidate_all, %function
dcache_clean_invalidate_all:
    dsb     sy
    mrs     x0, clidr_el1
    ubfx    x3, x0, #24, #3         /* LoC: levels to walk */
    cbz     x3, 5f
    mov     x10, #0                 /* level << 1, the CSSELR_EL1 / DC CISW encoding */
1:  add     x2, x10, x10, lsr #1    /* 3 * level: this level's Ctype field */
    lsr     x1, x0, x2
    and     x1, x1, #7
    cmp     x1, #2                  /* 2: data only, 3: separate, 4: unified */
    b.lt    4f
    msr     csselr_el1, x10
    isb
    mrs     x1, ccsidr_el1
    and     x2, x1, #7
    add     x2, x2, #4              /* log2(line size): the set field's shift */
    ubfx    x4, x1, #3, #10         /* highest way number */
    clz     w5, w4                  /* the way field's shift: 32 - log2(ways) */
    ubfx    x7, x1, #13, #15        /* highest set number */
2:  mov     x9, x4
3:  lsl     x6, x9, x5
    orr     x11, x10, x6
    lsl     x6, x7, x2
    orr     x11, x11, x6
    dc      cisw, x11
    subs    x9, x9, #1
    b.ge    3b
    subs    x7, x7, #1
    b.ge    2b
4:  add     x10, x10, #2
    cmp     x3, x10, lsr #1
    b.gt    1b
5:  msr     csselr_el1, xzr
    dsb     sy
    isb
    ret
    .size dcache_clean_invalidate_all, . - dcache_clean_invalidate_all

/* Invalidate the whole instruction cache to the Point of Unification. */
    .global icache_invalidate_all
    .type icache_invalidate_all, %function
icache_invalidate_all:
    dsb     sy
    ic      iallu
    dsb     sy
    isb
    ret
    .size icache_invalidate_all, . - icache_invalidate_all

/*
 * void dcache_invalidate_range(uint64_t start, uint64_t end): discard the
 * cache lines of [start, end). Run with the caches off, just before they go
 * on: memory then holds the truth, and any line still cached for these
 * addresses (clean, from before the loader) would hide it.
 */
    .global dcache_invalidate_range
    .type dcache_invalidate_range, %function
dcache_invalidate_range:
    mrs     x3, ctr_el0
    ubfx    x3, x3, #16, #4         /* DminLine: log2(words) of the smallest line */
    mov     x2, #4
    lsl     x2, x2, x3              /* line size in bytes */
    sub     x3, x2, #1
    bic     x0, x0, x3
    lsl     x4, x2, #3              /* eight lines a round while they fit */
1:  add     x5, x0, x4
    cmp     x5, x1
    b.hi    2f
    dc      ivac, x0
    add     x0, x0, x2
    dc      ivac, x0
    add     x0, x0, x2
    dc      ivac, x0
    add     x0, x0, x2
    dc      ivac, x0
    add     x0, x0, x2
    dc      ivac, x0
    add     x0, x0, x2
    dc      ivac, x0
    add     x0, x0, x2
    dc      ivac, x0
    add     x0, x0, x2
    dc      ivac, x0
    add     x0, x0, x2
    b       1b
2:  cmp     x0, x1
    b.hs    3f
    dc      ivac, x0
    add     x0, x0, x2
    b       2b
3:  dsb     sy
    ret
    .size dcache_invalidate_range, . - dcache_invalidate_range
