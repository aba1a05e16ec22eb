/*
 * GICv2 distributor set-up that only the secure world can do: when the loader
 * starts at EL3 (QEMU secure=on), nothing else will put the interrupts in the
 * non-secure group the EL1 kernel can use. Boards whose firmware does this
 * already (BL31 on the Odroid-C4) set BOARD_GIC_NEEDS_GROUP_SETUP to 0.
 */
#include <board.h>

#include "loader.h"

#define GICD_CTLR           0x000
#define GICD_TYPER          0x004
#define GICD_IGROUPR(n)     (0x080 + 4 * (n))
#define CTLR_ENABLE_GRP0    (1u << 0)
#define CTLR_ENABLE_GRP1    (1u << 1)
#define TYPER_IT_LINES(t)   ((t) & 0x1f)   /* 32 * (N + 1) interrupt IDs */

static volatile uint32_t *gicd_reg(unsigned offset)
{
    return (volatile uint32_t *)(BOARD_GICD_PHYS + offset);
}

void gic_make_all_nonsecure(void)
{
    unsigned words = TYPER_IT_LINES(*gicd_reg(GICD_TYPER)) + 1;
    /* Word 0 (SGIs and PPIs) is banked per core: secondaries must repeat it. */
    for (unsigned n = 0; n < words; n++)
        *gicd_reg(GICD_IGROUPR(n)) = 0xffffffffu;
    *gicd_reg(GICD_CTLR) = CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1;
    log_info("GIC: all %u interrupt IDs in non-secure Group 1", words * 32);
}
