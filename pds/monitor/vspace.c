/*
 * Mappings. Page_Map answers seL4_FailedLookup while a page-table level is
 * missing; the monitor then creates a page table, maps it (the kernel puts
 * it at the first missing level) and tries again.
 *
 * The scratch window: the monitor writes into a frame (program image,
 * per-PD data, prefill) by mapping it into its own VSpace for a moment.
 * 4 KiB frames go to SCRATCH_SMALL, 2 MiB frames to SCRATCH_LARGE, in a
 * 1 GiB slot of their own so that the two never need different tables at
 * one level. Both lie far above the monitor's image.
 */
#include "monitor.h"

#define SCRATCH_SMALL 0x8000000000ul    /* 512 GiB */
#define SCRATCH_LARGE 0x8040000000ul    /* 513 GiB */
#define MAX_TABLE_LEVELS 4

seL4_CapRights_t vm_rights(uint32_t rights)
{
    /* Execute-only is mapped readable too: an EL0 mapping without read
     * access is a kernel-only mapping in seL4. */
    bool read = rights & (SYS_RIGHT_READ | SYS_RIGHT_EXECUTE);
    bool write = rights & SYS_RIGHT_WRITE;
    return seL4_CapRights_new(0, 0, read, write);
}

seL4_ARM_VMAttributes vm_attributes(uint32_t rights, bool cached)
{
    unsigned attrs = cached ? seL4_ARM_Default_VMAttributes : 0;
    if (!(rights & SYS_RIGHT_EXECUTE))
        attrs |= seL4_ARM_ExecuteNever;
    return (seL4_ARM_VMAttributes)attrs;
}

void vspace_map(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr, uint32_t rights,
                bool cached, const char *owner)
{
    seL4_Error err;
    for (int tables = 0;; tables++) {
        err = seL4_ARM_Page_Map(frame, vspace, vaddr, vm_rights(rights),
                                vm_attributes(rights, cached));
        if (err != seL4_FailedLookup || tables == MAX_TABLE_LEVELS)
            break;
        char what[96];
        format_buf(what, sizeof what, "creating a page table for %s", owner);
        seL4_CPtr table = alloc_objects(seL4_ARM_PageTableObject, 0, 1, what);
        err = seL4_ARM_PageTable_Map(table, vspace, vaddr, seL4_ARM_Default_VMAttributes);
        check(err, "mapping a page table for 0x%lx for %s", (unsigned long)vaddr, owner);
        stats.page_tables++;
    }
    check(err, "mapping a page at 0x%lx for %s", (unsigned long)vaddr, owner);
}

/* A debugger sees its child's page through a copy of the frame cap (a cap
 * maps once), read-write: it writes breakpoints into code. */
static void debug_window_map(uint32_t index, seL4_CPtr frame, seL4_Word vaddr, bool cached)
{
    const struct sys_pd *pd = &sys->pds[index];
    for (uint32_t i = 0; i < pd->debug_window_count; i++) {
        const struct sys_debug_window *w = &sys->debug_windows[pd->first_debug_window + i];
        if (vaddr < w->vaddr || vaddr - w->vaddr >= w->size)
            continue;
        if (pd->parent < 0 || (uint32_t)pd->parent >= sys->pd_count)
            fail("PD '%s': a debug window without a debugger parent", pd->name);
        char owner[96];
        format_buf(owner, sizeof owner, "the debug window of PD '%s' in '%s'", pd->name,
                   sys->pds[pd->parent].name);
        seL4_CPtr copy = slot_alloc(1);
        check(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits,
                              seL4_CapInitThreadCNode, frame, seL4_WordBits, seL4_AllRights),
              "copying a frame cap for %s", owner);
        stats.copies_of_frames++;
        vspace_map(pd_caps[pd->parent].vspace, copy, w->window + (vaddr - w->vaddr),
                   SYS_RIGHT_READ | SYS_RIGHT_WRITE, cached, owner);
    }
}

void pd_map(uint32_t index, seL4_CPtr frame, seL4_Word vaddr, uint32_t rights, bool cached,
            const char *owner)
{
    vspace_map(pd_caps[index].vspace, frame, vaddr, rights, cached, owner);
    debug_window_map(index, frame, vaddr, cached);
}

static seL4_Word scratch_address(unsigned page_bits)
{
    return page_bits == LARGE_PAGE_BITS ? SCRATCH_LARGE : SCRATCH_SMALL;
}

void *scratch_map(seL4_CPtr frame, unsigned page_bits)
{
    seL4_Word vaddr = scratch_address(page_bits);
    vspace_map(seL4_CapInitThreadVSpace, frame, vaddr, SYS_RIGHT_READ | SYS_RIGHT_WRITE, true,
               "the monitor (scratch window)");
    return (void *)vaddr;
}

void *scratch_try_map(seL4_CPtr frame, unsigned page_bits)
{
    seL4_Word vaddr = scratch_address(page_bits);
    uint32_t rights = SYS_RIGHT_READ | SYS_RIGHT_WRITE;
    seL4_Error err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, vm_rights(rights),
                                       vm_attributes(rights, true));
    return err == seL4_NoError ? (void *)vaddr : NULL;
}

void scratch_unmap(seL4_CPtr frame)
{
    check(seL4_ARM_Page_Unmap(frame), "unmapping a frame from the monitor's scratch window");
}
