/* The loader's internal interfaces: one function group per source file. */
#ifndef LOADER_H
#define LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <memory_ranges.h>

#include "payload_format.h"
#include <arch/vm_layout.h>

/* The EL the kernel runs at. */
#ifdef CONFIG_KERNEL_EL2
#define KERNEL_EL 2
#else
#define KERNEL_EL 1
#endif

/* Linker-script symbols (linker/loader.ld). */
extern char _start[], _image_end[], _bss_start[], _bss_end[];
extern char _payload_start[], _payload_end[];

/* What head.S found at entry, handed to loader_main(). */
struct entry_state {
    uint64_t x0;            /* DTB from booti/-kernel, argc from U-Boot go, else 0 */
    uint64_t x1;
    uint64_t loaded_at;     /* where the image ran before relocating, 0 if it did not move */
    unsigned el;            /* exception level at entry */
    uint64_t sctlr;         /* SCTLR_ELx at entry: was the MMU / D-cache on? */
};

struct dtb {
    uint64_t paddr;         /* 0: none */
    uint64_t size;
};

/* print.c: LDR|<level>: lines with \r\n line ends. */
void print_init(void);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints LDR|ERROR: <what> and halts. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void halt(void) __attribute__((noreturn));

/* memory.c: the board memory map. */
struct mem_range {
    uint64_t base, size;
};
const struct mem_range *board_ram_ranges(unsigned *count);
uint64_t loader_footprint_base(void);
uint64_t loader_footprint_size(void);   /* image + .bss: what the loader occupies */

/* payload.c */
const struct payload_header *payload_check(void);
/* MMU off: copy each region and zero the part of its tail that is not whole
   DC ZVA blocks. */
void payload_copy(const struct payload_header *payload);
/* MMU off, before it goes on: invalidate the data-cache lines of what
   payload_copy wrote. */
void payload_invalidate_written(const struct payload_header *payload);
/* MMU and caches on, before any other core starts: zero the whole blocks
   payload_copy left (DC ZVA through the kernel window). */
void payload_zero_cached(const struct payload_header *payload);

/* dtb.c: put the kernel's DTB at payload->dtb_phys, from x0 or the payload.
 * Runs before payload_copy(), which may overwrite the boot loader's DTB. */
struct dtb dtb_place(uint64_t candidate, const struct payload_header *payload);

/* el.c: reach the kernel's EL (EL1, or EL2 for a hypervisor kernel), from any entry EL. */
void el_enter_kernel_el(unsigned entry_el);

/* gic.c: make every interrupt non-secure Group 1 (secure EL3 only). */
void gic_make_all_nonsecure(void);

/* mmu.c: boot page tables, then the MMU and caches on at EL1. */
void mmu_enable_for_kernel(const struct payload_header *payload, const struct dtb *dtb);
/* The same tables on a secondary core (after mmu_enable_for_kernel). */
void mmu_enable_secondary(void);

/* smp.c: start the other cores (CONFIG_MAX_NUM_NODES > 1) into the kernel. */
void smp_start_secondaries(const struct payload_header *payload, unsigned entry_el);
void loader_secondary_main(uint64_t core, uint64_t el) __attribute__((noreturn));

/* Assembly helpers. */
void el3_return_to_el2(uint64_t spsr);      /* el_switch.S */
void el3_return_to_el1(uint64_t spsr);
void el2_return_to_el1(uint64_t spsr);
void icache_invalidate_all(void);           /* cache.S */
void dcache_invalidate_range(uint64_t start, uint64_t end);
void kernel_enter(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
                  uint64_t x5, uint64_t entry, uint64_t core)
    __attribute__((noreturn));                  /* el_switch.S */

/* main.c, called by head.S at the link address with a stack and a clean .bss. */
void loader_main(uint64_t x0, uint64_t x1, uint64_t loaded_at, uint64_t el, uint64_t sctlr)
    __attribute__((noreturn));

#endif
