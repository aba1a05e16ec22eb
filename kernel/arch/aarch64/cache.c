/* Cache maintenance by VA to the point of coherency (line size from CTR_EL0). */
#include <arch/cache.h>
#include <arch/sysreg.h>
#include <dc_zva.h>
#include <string.h>

static word_t dcache_line(void)
{
    return 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

static word_t icache_line(void)
{
    return 4ull << (read_sysreg(ctr_el0) & 0xf);
}

/* Four lines a round while they fit: retyping cleans every new object. */
#define DEFINE_DCACHE_OP(name, insn)                                          \
    void name(uintptr_t start, word_t size)                                   \
    {                                                                         \
        word_t line = dcache_line();                                          \
        uintptr_t a = start & ~(line - 1), end = start + size;                \
        for (; a + 4 * line <= end; a += 4 * line) {                          \
            __asm__ volatile(insn " %0" :: "r"(a) : "memory");                \
            __asm__ volatile(insn " %0" :: "r"(a + line) : "memory");         \
            __asm__ volatile(insn " %0" :: "r"(a + 2 * line) : "memory");     \
            __asm__ volatile(insn " %0" :: "r"(a + 3 * line) : "memory");     \
        }                                                                     \
        for (; a < end; a += line)                                            \
            __asm__ volatile(insn " %0" :: "r"(a) : "memory");                \
        dsb_sy();                                                             \
    }

DEFINE_DCACHE_OP(cache_clean_range, "dc cvac,")
DEFINE_DCACHE_OP(cache_invalidate_range, "dc ivac,")
DEFINE_DCACHE_OP(cache_clean_invalidate_range, "dc civac,")

void clear_memory(uintptr_t start, word_t size)
{
    word_t block = dc_zva_block_size();
    if (block && IS_ALIGNED(start, __builtin_ctzll(block)) &&
        IS_ALIGNED(size, __builtin_ctzll(block)))
        /* Boot clears a large root CNode, and its time is counted in
           instructions. */
        dc_zva_range(start, start + size, block);
    else
        memset((void *)start, 0, size);
}

void clear_memory_to_ram(uintptr_t start, word_t size)
{
    clear_memory(start, size);
    cache_clean_invalidate_range(start, size);
}

/* CTR_EL0.L1Ip: the level-1 instruction cache's indexing policy. */
#define CTR_L1IP_SHIFT  14
#define CTR_L1IP_PIPT   3u

/*
 * Instruction-cache invalidation by VA only reaches the lines of that
 * virtual address. Through the kernel window (another alias of a user
 * page) that is enough for a PIPT cache; a VIPT cache (Cortex-A53/A55) may
 * hold the code under the user's alias, so invalidate all of it.
 */
static bool icache_is_pipt(void)
{
    return ((read_sysreg(ctr_el0) >> CTR_L1IP_SHIFT) & 3u) == CTR_L1IP_PIPT;
}

void cache_unify_instruction_range(uintptr_t start, word_t size)
{
    word_t dline = dcache_line(), iline = icache_line();
    for (uintptr_t a = start & ~(dline - 1); a < start + size; a += dline)
        __asm__ volatile("dc cvau, %0" :: "r"(a) : "memory");
    dsb_ish();
    if (icache_is_pipt()) {
        for (uintptr_t a = start & ~(iline - 1); a < start + size; a += iline)
            __asm__ volatile("ic ivau, %0" :: "r"(a) : "memory");
    } else {
        __asm__ volatile("ic ialluis" ::: "memory");
    }
    dsb_ish();
    isb();
}
