/*
 * The loader's sequence, entered from head.S at the link address with the
 * MMU and caches off, a stack, a zeroed .bss and exception vectors:
 * report, check the payload, place the device tree, reach the kernel's EL, copy the
 * kernel and root task, turn on the MMU with the boot page tables, zero the
 * rest of their .bss through the caches, start the other cores, enter the
 * kernel.
 */
#include <board.h>
#include <serial.h>

#include "loader.h"
#include "sysreg.h"

static const char *on_off(uint64_t sctlr, uint64_t bit)
{
    return (sctlr & bit) ? "on" : "off";
}

static void report_entry(const struct entry_state *e)
{
    log_info("loader for %s, linked at 0x%lx, image 0x%lx bytes (payload 0x%lx)", BOARD_NAME,
             (uint64_t)(uintptr_t)_start, (uint64_t)(_image_end - _start),
             (uint64_t)(_payload_end - _payload_start));
    if (e->loaded_at)
        log_info("relocating from 0x%lx to 0x%lx (done)", e->loaded_at,
                 (uint64_t)(uintptr_t)_start);
    log_info("entered at EL%u, MMU %s, D-cache %s, I-cache %s; x0 0x%lx x1 0x%lx%s", e->el,
             on_off(e->sctlr, SCTLR_M), on_off(e->sctlr, SCTLR_C), on_off(e->sctlr, SCTLR_I),
             e->x0, e->x1, e->el > KERNEL_EL ? "; dropping to the kernel's EL" : "");
}

static __attribute__((noreturn)) void enter_kernel(const struct payload_header *h, const struct dtb *dtb)
{
    log_info("jumping to kernel at 0x%lx (x0 0x%lx x1 0x%lx x2 0x%lx x3 0x%lx x4 0x%lx x5 0x%lx)",
             h->kernel_entry, h->roottask_phys_start, h->roottask_phys_end,
             h->roottask_pv_offset, h->roottask_entry, dtb->paddr, dtb->size);
    serial_flush();  /* the kernel may reprogram the UART */
    kernel_enter(h->roottask_phys_start, h->roottask_phys_end, h->roottask_pv_offset,
                 h->roottask_entry, dtb->paddr, dtb->size, h->kernel_entry, 0);
}

void loader_main(uint64_t x0, uint64_t x1, uint64_t loaded_at, uint64_t el, uint64_t sctlr)
{
    struct entry_state entry = {
        .x0 = x0, .x1 = x1, .loaded_at = loaded_at, .el = (unsigned)el, .sctlr = sctlr,
    };
    print_init();
    report_entry(&entry);
    const struct payload_header *payload = payload_check();
    struct dtb dtb = dtb_place(entry.x0, payload);
    el_enter_kernel_el(entry.el);
    payload_copy(payload);
    mmu_enable_for_kernel(payload, &dtb);
    payload_zero_cached(payload);
    smp_start_secondaries(payload, entry.el);
    enter_kernel(payload, &dtb);
}
