/* Basic kernel types and the kernel's view of physical memory. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t word_t;
typedef uint64_t paddr_t;   /* physical address */
typedef uint64_t vaddr_t;   /* user virtual address */

#define BIT(n)          (1ull << (n))
#define MASK(n)         (BIT(n) - 1ull)
#define ROUND_DOWN(x, n) ((x) & ~MASK(n))
#define ROUND_UP(x, n)  (((x) + MASK(n)) & ~MASK(n))
#define IS_ALIGNED(x, n) (((x) & MASK(n)) == 0)
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))

/* Branch hints for the hot paths (fast path, kernel entry and exit). */
#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)
/* For the few helpers of those paths that must not cost a call. */
#define ALWAYS_INLINE   inline __attribute__((always_inline))

#define PAGE_BITS       12
#define PAGE_SIZE       BIT(PAGE_BITS)

/*
 * Physical memory window: physical address p is mapped at PPTR_BASE + p, so
 * every kernel object (allocated from RAM untypeds) has a kernel pointer
 * (arch/vm_layout.h).
 */
#include <arch/vm_layout.h>

static inline void *ptr_from_paddr(paddr_t p)
{
    return (void *)(uintptr_t)((word_t)PPTR_BASE + p);
}

static inline paddr_t paddr_from_ptr(const void *ptr)
{
    return (paddr_t)(uintptr_t)ptr - (word_t)PPTR_BASE;
}

#endif
