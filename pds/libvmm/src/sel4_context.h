/*
 * struct vmm_regs <-> seL4_UserContext. seL4 orders a TCB's registers
 * pc, sp, spsr, x0-x8, x16-x18, x29, x30, x9-x15, x19-x28 (the frame
 * registers first), and TCB_ReadRegisters/WriteRegisters move a prefix of
 * that order: to reach x_n the VMM moves every word up to x_n's. Plain
 * arrays of words here, so that the host tests check the order without
 * the kernel's headers.
 */
#ifndef VMM_SEL4_CONTEXT_H
#define VMM_SEL4_CONTEXT_H

#include <vmm/arch.h>

#define SEL4_CONTEXT_WORDS  36      /* seL4_UserContext: 36 words */
#define SEL4_CONTEXT_PC     0
#define SEL4_CONTEXT_SP     1
#define SEL4_CONTEXT_SPSR   2

/* Word index of x_n in seL4_UserContext. */
static inline unsigned sel4_context_index(unsigned n)
{
    if (n <= 8)
        return 3 + n;
    if (n >= 16 && n <= 18)
        return 12 + (n - 16);
    if (n >= 29)
        return 15 + (n - 29);
    if (n <= 15)
        return 17 + (n - 9);
    return 24 + (n - 19);
}

/* Words to move for pc, sp, spsr and x0..x[upto-1]. */
static inline unsigned sel4_context_words(unsigned upto)
{
    unsigned words = 3;
    for (unsigned n = 0; n < upto && n < 31; n++) {
        unsigned w = sel4_context_index(n) + 1;
        if (w > words)
            words = w;
    }
    return words;
}

static inline void sel4_context_to_regs(const uint64_t *words, unsigned count,
                                        struct vmm_regs *regs)
{
    regs->pc = words[SEL4_CONTEXT_PC];
    regs->sp = words[SEL4_CONTEXT_SP];
    regs->spsr = words[SEL4_CONTEXT_SPSR];
    for (unsigned n = 0; n < 31; n++) {
        unsigned i = sel4_context_index(n);
        regs->x[n] = i < count ? words[i] : 0;
    }
}

static inline void sel4_context_from_regs(const struct vmm_regs *regs, uint64_t *words)
{
    words[SEL4_CONTEXT_PC] = regs->pc;
    words[SEL4_CONTEXT_SP] = regs->sp;
    words[SEL4_CONTEXT_SPSR] = regs->spsr;
    for (unsigned n = 0; n < 31; n++)
        words[sel4_context_index(n)] = regs->x[n];
}

#endif
