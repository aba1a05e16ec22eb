/*
 * Zeroing memory a DC ZVA block (a cache line on the Cortex-A53/A55) per
 * instruction, AArch64, through a cacheable mapping with the MMU on. Shared
 * by the kernel (clear_memory) and the loader (payload.c), whose boot times
 * are counted in instructions.
 */
#ifndef LIB_DC_ZVA_H
#define LIB_DC_ZVA_H

#include <stdint.h>

#define DCZID_DZP   (1u << 4)       /* DC ZVA prohibited */
#define DCZID_BS    0xfu            /* log2 of the block size in words */

/* The block size in bytes, or 0 where DC ZVA may not be used. */
static inline uint64_t dc_zva_block_size(void)
{
    uint64_t dczid;
    __asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
    return (dczid & DCZID_DZP) ? 0 : 4ull << (dczid & DCZID_BS);
}

/* Zero [start, end): both multiples of `block` (dc_zva_block_size(), not 0). */
static inline void dc_zva_range(uintptr_t start, uintptr_t end, uint64_t block)
{
    uintptr_t a = start;
    /* Four blocks a round while they fit. */
    for (; end - a >= 4 * block; a += 4 * block) {
        __asm__ volatile("dc zva, %0" :: "r"(a) : "memory");
        __asm__ volatile("dc zva, %0" :: "r"(a + block) : "memory");
        __asm__ volatile("dc zva, %0" :: "r"(a + 2 * block) : "memory");
        __asm__ volatile("dc zva, %0" :: "r"(a + 3 * block) : "memory");
    }
    for (; a < end; a += block)
        __asm__ volatile("dc zva, %0" :: "r"(a) : "memory");
}

#endif
